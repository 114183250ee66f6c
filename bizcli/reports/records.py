"""Lists and cards of the master records: customers, suppliers, items, warehouses."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.codes import closest
from bizcli.core.money import ZERO, Amount
from bizcli.core.parties import Party
from bizcli.core.problems import fail
from bizcli.core.stock.ledger import stock_valuation
from bizcli.reports.model import Column, ColumnKind, Report, Row
from bizcli.reports.selection import Selection

_FIELD = (Column(key="field", title="Field"), Column(key="value", title="Value"))


def _matches(selection: Selection, code: str, name: str) -> bool:
    query = selection.query
    return query.is_empty or query.matches_account(code) or query.matches_account(name)


def parties_report(book: Book, selection: Selection, *, suppliers: bool = False) -> Report:
    """Customers (or suppliers) the query matches by code or name."""
    records = book.suppliers if suppliers else book.customers
    rows = []
    for party in sorted(records, key=lambda p: p.code):
        if not _matches(selection, party.code, party.name):
            continue
        first = party.contacts[0] if party.contacts else None
        limit = party.lead_time_days if suppliers else party.credit_limit
        terms = party.payment_terms_days
        rows.append(Row(values=(
            party.code, party.name, first.email if first else None,
            first.phone if first else None, None if terms is None else Decimal(terms),
            None if limit is None else Decimal(limit), ", ".join(party.tags))))
    what = "Suppliers" if suppliers else "Customers"
    last = Column(key="lead_time_days", title="Lead time (days)", kind=ColumnKind.NUMBER) if (
        suppliers) else Column(key="credit_limit", title="Credit limit", kind=ColumnKind.NUMBER)
    columns = (Column(key="code", title="Code"), Column(key="name", title="Name"),
               Column(key="email", title="Email"), Column(key="phone", title="Phone"),
               Column(key="payment_terms_days", title="Terms (days)", kind=ColumnKind.NUMBER),
               last, Column(key="tags", title="Tags"))
    return Report(name=what.lower(), title=what, columns=columns, rows=tuple(rows))


def _find(records: Sequence[Party], wanted: str, *, suppliers: bool) -> Party:
    for party in records:
        if party.code == wanted:
            return party
    near = closest(wanted, (p.code for p in records))
    if suppliers:
        raise fail("unknown-supplier", f"supplier {wanted!r} is not in suppliers.yaml{near}",
                   hint="'biz supplier list' shows them; 'biz supplier add' adds one")
    raise fail("unknown-customer", f"customer {wanted!r} is not in customers.yaml{near}",
               hint="'biz customer list' shows them; 'biz customer add' adds one")


def party_card(book: Book, code: str, *, suppliers: bool = False) -> Report:
    """One customer or supplier, field by field."""
    what = "supplier" if suppliers else "customer"
    party = _find(book.suppliers if suppliers else book.customers, code, suppliers=suppliers)
    rows: list[Row] = [Row(values=("Code", party.code)), Row(values=("Name", party.name))]
    for label, value in (("Address", party.address),
                         ("Payment terms (days)", party.payment_terms_days),
                         ("Credit limit", party.credit_limit),
                         ("Lead time (days)", party.lead_time_days),
                         ("Currency", party.currency), ("Tags", ", ".join(party.tags))):
        if value not in (None, ""):
            rows.append(Row(values=(label, str(value))))
    for contact in party.contacts:
        parts = [p for p in (contact.name, contact.role, contact.email, contact.phone) if p]
        rows.append(Row(values=("Contact", " · ".join(parts))))
    rows.extend(Row(values=(key, value)) for key, value in party.fields)
    return Report(name=what, title=f"{what.capitalize()} {party.code}", columns=_FIELD,
                  rows=tuple(rows))


def _on_hand(book: Book) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for position in stock_valuation(book).positions:
        totals[position.item] = totals.get(position.item, ZERO) + position.quantity
    return totals


def items_report(book: Book, selection: Selection) -> Report:
    """Items the query matches, with their quantity on hand in all warehouses."""
    on_hand = _on_hand(book)
    currency = book.settings.currency
    rows = []
    for item in sorted(book.items, key=lambda i: i.code):
        if not _matches(selection, item.code, item.name):
            continue
        method = (item.valuation.value if item.valuation else book.settings.valuation)
        rows.append(Row(values=(
            item.code, item.name, item.unit, item.kind.value, method,
            {currency: item.cost.quantity} if item.cost else None,
            {currency: item.sale_price.quantity} if item.sale_price else None,
            on_hand.get(item.code, ZERO))))
    columns = (Column(key="code", title="Code"), Column(key="name", title="Name"),
               Column(key="unit", title="Unit"), Column(key="kind", title="Kind"),
               Column(key="valuation", title="Valuation"),
               Column(key="cost", title="Cost", kind=ColumnKind.AMOUNT),
               Column(key="sale_price", title="Sale price", kind=ColumnKind.AMOUNT),
               Column(key="on_hand", title="On hand", kind=ColumnKind.NUMBER))
    return Report(name="items", title="Items", columns=columns, rows=tuple(rows),
                  precisions=dict(book.precisions()))


def item_card(book: Book, code: str) -> Report:
    """One item, field by field, and its stock in each warehouse."""
    item = next((i for i in book.items if i.code == code), None)
    if item is None:
        raise fail("unknown-item", f"item {code!r} is not in items.yaml"
                   f"{closest(code, (i.code for i in book.items))}",
                   hint="'biz item list' shows them; 'biz item add' adds one")
    rows = [Row(values=("Code", item.code)), Row(values=("Name", item.name)),
            Row(values=("Unit", item.unit)), Row(values=("Kind", item.kind.value))]
    for label, value in (("Valuation", item.valuation.value if item.valuation else None),
                         ("Cost", item.cost), ("Sale price", item.sale_price),
                         ("Reorder point", item.reorder_point),
                         ("Reorder quantity", item.reorder_quantity),
                         ("Safety stock", item.safety_stock),
                         ("Lead time (days)", item.lead_time_days),
                         ("Supplier", item.supplier), ("Tax rate", item.tax_rate)):
        if value is not None:
            shown = f"{value.quantity} {value.commodity}" if isinstance(value, Amount) else (
                str(value))
            rows.append(Row(values=(label, shown)))
    rows.extend(Row(values=(f"On hand in {p.warehouse}", f"{p.quantity} {item.unit}"))
                for p in stock_valuation(book).positions if p.item == code and p.quantity)
    return Report(name="item", title=f"Item {item.code}", columns=_FIELD, rows=tuple(rows))


def warehouse_card(book: Book, code: str) -> Report:
    """One warehouse, field by field, and the stock of each item in it."""
    warehouse = next((w for w in book.warehouses if w.code == code), None)
    if warehouse is None:
        raise fail("unknown-warehouse", f"warehouse {code!r} is not in warehouses.yaml"
                   f"{closest(code, (w.code for w in book.warehouses))}",
                   hint="'biz warehouse list' shows them; 'biz warehouse add' adds one")
    rows = [Row(values=("Code", warehouse.code)), Row(values=("Name", warehouse.name))]
    if warehouse.address:
        rows.append(Row(values=("Address", warehouse.address)))
    units = {item.code: item.unit for item in book.items}
    rows.extend(Row(values=(f"On hand: {p.item}", f"{p.quantity} {units.get(p.item, '')}"
                            .rstrip()))
                for p in sorted(stock_valuation(book).positions, key=lambda p: p.item)
                if p.warehouse == code and p.quantity)
    return Report(name="warehouse", title=f"Warehouse {warehouse.code}", columns=_FIELD,
                  rows=tuple(rows))


def warehouses_report(book: Book) -> Report:
    """Every warehouse."""
    rows = tuple(Row(values=(w.code, w.name, w.address))
                 for w in sorted(book.warehouses, key=lambda w: w.code))
    columns = (Column(key="code", title="Code"), Column(key="name", title="Name"),
               Column(key="address", title="Address"))
    return Report(name="warehouses", title="Warehouses", columns=columns, rows=rows)
