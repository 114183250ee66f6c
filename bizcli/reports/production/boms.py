"""BOMs as reports: the tree, the flattened requirements, where-used, the rolled-up cost."""

from __future__ import annotations

from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.codes import closest
from bizcli.core.money import ZERO, round_half_up
from bizcli.core.problems import fail
from bizcli.core.production.boms import (
    Bom,
    cost_breakdown,
    explode,
    requirements,
    rolled_cost,
    where_used,
)
from bizcli.core.stock.ledger import stock_valuation
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind

HUNDRED = Decimal(100)


def _boms(book: Book, item: str) -> dict[str, Bom]:
    """The book's BOMs by item; an error naming the closest BOM when ``item`` has none."""
    boms = {b.item: b for b in book.boms}
    if item not in boms:
        known = {i.code for i in book.items}
        what = "has no BOM in boms.yaml" if item in known else "is not in items.yaml"
        raise fail("no-bom", f"{item} {what}{closest(item, boms)}",
                   hint="'biz bom show ITEM' works for the items boms.yaml lists")
    return boms


def _percent(fraction: Decimal) -> Decimal | None:
    """Scrap as the percentage it was written as (0.08 -> 8, 0.025 -> 2.5)."""
    if not fraction:
        return None
    percent = fraction * HUNDRED
    whole = percent.to_integral_value()
    return whole if percent == whole else percent.normalize()


def _units(book: Book) -> dict[str, str]:
    return {i.code: i.unit for i in book.items}


def bom_tree(book: Book, item: str, quantity: Decimal) -> Report:
    """The indented tree of components for ``quantity`` units."""
    boms, units = _boms(book, item), _units(book)
    rows = [Row(values=(item, None, None, quantity, units.get(item, "")), kind=RowKind.SECTION,
                display=item)]
    for line in explode(boms, item, quantity):
        name = f"{line.item} (by-product)" if line.byproduct else line.item
        rows.append(Row(values=(line.item, line.per_parent, _percent(line.scrap), line.quantity,
                                units.get(line.item, "")),
                        depth=line.level, display=name))
    columns = (Column(key="item", title="Item"),
               Column(key="per_parent", title="Per parent", kind=ColumnKind.NUMBER),
               Column(key="scrap_percent", title="Scrap %", kind=ColumnKind.NUMBER),
               Column(key="quantity", title="Quantity", kind=ColumnKind.NUMBER),
               Column(key="unit", title="Unit"))
    return Report(name="bom", title=f"BOM of {item} for {quantity} {units.get(item, '')}",
                  columns=columns, rows=tuple(rows), precisions=dict(book.precisions()))


def bom_requirements(book: Book, item: str, quantity: Decimal, *, leaves_only: bool = False
                     ) -> Report:
    """What ``quantity`` units need in all, per component, with what is on hand."""
    boms, units = _boms(book, item), _units(book)
    on_hand: dict[str, Decimal] = {}
    for position in stock_valuation(book).positions:
        on_hand[position.item] = on_hand.get(position.item, ZERO) + position.quantity
    rows = []
    for code, needed in sorted(requirements(boms, item, quantity).items()):
        made = code in boms
        if leaves_only and made:
            continue
        have = on_hand.get(code, ZERO)
        rows.append(Row(values=(code, "make" if made else "buy", needed, have,
                                max(needed - have, ZERO), units.get(code, ""))))
    columns = (Column(key="item", title="Component"), Column(key="kind", title="Make/buy"),
               Column(key="required", title="Required", kind=ColumnKind.NUMBER),
               Column(key="on_hand", title="On hand", kind=ColumnKind.NUMBER),
               Column(key="short", title="Short", kind=ColumnKind.NUMBER),
               Column(key="unit", title="Unit"))
    notes = (("sub-assemblies count in full: on hand is not netted level by level here "
             "(that is MRP's job: biz mrp run)"),)
    return Report(name="bom-explode",
                  title=f"Requirements for {quantity} {units.get(item, '')} {item}",
                  columns=columns, rows=tuple(rows), precisions=dict(book.precisions()),
                  notes=() if leaves_only else notes)


def bom_uses(book: Book, item: str) -> Report:
    """Every BOM that uses ``item``, through every path upward."""
    boms = {b.item: b for b in book.boms}
    known = {i.code for i in book.items}
    if item not in known:
        raise fail("unknown-item", f"item {item!r} is not in items.yaml{closest(item, known)}",
                   hint="'biz item list' shows the items")
    rows = [Row(values=(use.parent, Decimal(use.level), use.quantity,
                        " <- ".join(reversed(use.path))), depth=use.level - 1,
                display=use.parent)
            for use in where_used(boms, item)]
    columns = (Column(key="parent", title="Used in"),
               Column(key="level", title="Level", kind=ColumnKind.NUMBER),
               Column(key="quantity", title=f"{item} per unit", kind=ColumnKind.NUMBER),
               Column(key="path", title="Path"))
    return Report(name="bom-where-used", title=f"Where {item} is used", columns=columns,
                  rows=tuple(rows), precisions=dict(book.precisions()),
                  notes=() if rows else (f"no BOM uses {item}",))


def unit_costs(book: Book, at: str) -> dict[str, Decimal]:
    """Each item's unit cost: ``standard`` from items.yaml, ``average`` from the stock."""
    costs = {i.code: i.cost.quantity for i in book.items if i.cost is not None}
    if at == "average":
        totals: dict[str, list[Decimal]] = {}
        for position in stock_valuation(book).positions:
            pair = totals.setdefault(position.item, [ZERO, ZERO])
            pair[0] += position.quantity
            pair[1] += position.value
        costs.update({code: value / quantity for code, (quantity, value) in totals.items()
                      if quantity > 0})
    return costs


def bom_costing(book: Book, item: str, *, at: str = "standard") -> Report:
    """One unit's rolled-up cost: components per level, labour, overhead, by-products."""
    boms = _boms(book, item)
    currency, places = book.settings.currency, book.precision(book.settings.currency)
    costs = unit_costs(book, at)
    rollups = rolled_cost(boms, costs)
    lines = cost_breakdown(boms, item, costs)

    def money(value: Decimal) -> dict[str, Decimal]:
        return {currency: round_half_up(value, places)}

    rows = []
    for line in lines:
        own = rollups.get(line.item) if line.has_bom else None
        rows.append(Row(values=(line.item, Decimal(line.level), line.quantity,
                                money(line.unit_cost), money(line.cost),
                                money(own.labour + own.overhead) if own else None),
                        depth=line.level, display=line.item))
    top = rollups[item]
    rows += [Row(values=(label, None, None, None, money(value), None), kind=RowKind.SUBTOTAL,
                 display=label)
             for label, value in (("Materials", top.materials), ("Labour", top.labour),
                                  ("Overhead", top.overhead),
                                  ("By-products", -top.byproducts)) if value]
    rows.append(Row(values=("Unit cost", None, None, None, money(top.total), None),
                    kind=RowKind.TOTAL, display="Unit cost"))
    columns = (Column(key="item", title="Component"),
               Column(key="level", title="Level", kind=ColumnKind.NUMBER),
               Column(key="quantity", title="Per unit", kind=ColumnKind.NUMBER),
               Column(key="unit_cost", title="Unit cost", kind=ColumnKind.AMOUNT),
               Column(key="cost", title="Cost", kind=ColumnKind.AMOUNT),
               Column(key="conversion", title="Its labour+overhead", kind=ColumnKind.AMOUNT))
    notes = [("a sub-assembly's cost is its own rolled-up cost (its components below it, "
             "with its labour and overhead); the top item's labour and overhead are added "
             "once, in the totals")]
    missing = sorted(top.missing)
    if missing:
        notes.append("no cost for " + ", ".join(missing) + ": counted as 0 (give them a "
                     "cost in items.yaml" + (")" if at == "standard" else ", or stock)"))
    return Report(name="bom-cost", title=f"Cost of one {item} ({at} costs)", columns=columns,
                  rows=tuple(rows), precisions=dict(book.precisions()), notes=tuple(notes))
