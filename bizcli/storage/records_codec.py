"""Master records, orders and stock moves to and from plain lists, for the load cache.

Reading ``customers.yaml`` with 10,000 customers takes seconds even with PyYAML's C
loader, and a 100k-line stock file over a second; rebuilding them from the cache's
msgpack lists takes a fraction of that. Every value is written as text or a number
and rebuilt explicitly (Decimal from text, dates from ordinals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from decimal import Decimal
from typing import Any

from bizcli.core.book import Book
from bizcli.core.documents.purchases import Bill, OrderLine, PurchaseOrder, Receipt
from bizcli.core.documents.sales import (
    CustomerPayment,
    Invoice,
    SaleKind,
    SaleLine,
    SalesOrder,
    Shipment,
    ShippedLine,
)
from bizcli.core.money import Amount
from bizcli.core.parties import Contact, Party
from bizcli.core.production.boms import Bom, BomLine, Byproduct
from bizcli.core.production.lots import LotRule, LotSize
from bizcli.core.production.work_orders import Completion, Use, WorkOrder
from bizcli.core.source import SourceRef
from bizcli.core.stock.items import Item, ItemKind, Warehouse
from bizcli.core.stock.ledger import MoveQuantity, quantities_on_hand
from bizcli.core.stock.moves import MoveKind, StockMove
from bizcli.core.stock.valuation import Method


def _ref(source: SourceRef | None) -> list[Any] | None:
    return None if source is None else [source.path, source.line, source.end_line]


def _unref(data: list[Any] | None) -> SourceRef | None:
    return None if data is None else SourceRef(str(data[0]), int(data[1]), int(data[2]))


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _amount(value: Amount | None) -> list[str] | None:
    return None if value is None else [str(value.quantity), value.commodity]


def _unamount(data: list[str] | None) -> Amount | None:
    return None if data is None else Amount(Decimal(data[0]), data[1])


def records_to_data(book: Book) -> dict[str, Any]:
    """Every record of the book as msgpack-ready lists."""
    return {
        "items": [[i.code, i.name, i.unit, i.kind.value,
                   i.valuation.value if i.valuation else None, _amount(i.cost),
                   _amount(i.sale_price), _dec(i.reorder_point), _dec(i.reorder_quantity),
                   _dec(i.safety_stock), i.lead_time_days, i.supplier, _dec(i.tax_rate),
                   _ref(i.source), _lot(i.lot)] for i in book.items],
        "warehouses": [[w.code, w.name, w.address, _ref(w.source)] for w in book.warehouses],
        "customers": [_party(p) for p in book.customers],
        "suppliers": [_party(p) for p in book.suppliers],
        "purchases": [_order(o) for o in book.purchases],
        "sales": [_sale(s) for s in book.sales],
        "payments": [[p.number, p.customer, p.date.toordinal(), str(p.amount), p.currency,
                      p.account, [[n, str(a)] for n, a in p.applied], _ref(p.source)]
                     for p in book.payments],
        "boms": [_bom(b) for b in book.boms],
        "work_orders": [_work_order(w) for w in book.work_orders],
        "moves": moves_to_columns(book.stock_moves or ()),
        "stock_values": [[d.toordinal(), doc, str(v)] for (d, doc), v in
                         sorted(book.stock_values.items())],
    }


def _party(p: Party) -> list[Any]:
    return [p.code, p.name, [[c.name, c.email, c.phone, c.role] for c in p.contacts],
            p.address, p.payment_terms_days, _dec(p.credit_limit), p.lead_time_days,
            p.currency, list(p.tags), [list(f) for f in p.fields], _ref(p.source)]


def _order(o: PurchaseOrder) -> list[Any]:
    return [o.number, o.supplier, o.date.toordinal(), o.warehouse, o.currency,
            [[line.item, str(line.quantity), str(line.price)] for line in o.lines],
            o.expected.toordinal() if o.expected else None,
            [[r.date.toordinal(), [[i, str(q)] for i, q in r.quantities]] for r in o.receipts],
            o.cancelled, _ref(o.source),
            [[b.number, b.date.toordinal(), b.due.toordinal(),
              [[x.item, str(x.quantity), str(x.price)] for x in b.lines], str(b.tax),
              str(b.total), [[d.toordinal(), str(a)] for d, a in b.payments]]
             for b in o.bills], o.draft]


def _lot(lot: LotSize) -> list[Any]:
    return [lot.rule.value, _dec(lot.quantity), lot.periods, _dec(lot.minimum),
            _dec(lot.maximum), _dec(lot.multiple)]


def _unlot(data: list[Any]) -> LotSize:
    rule, quantity, periods, minimum, maximum, multiple = data
    return LotSize(rule=LotRule(rule), quantity=_undec(quantity), periods=periods,
                   minimum=_undec(minimum), maximum=_undec(maximum), multiple=_undec(multiple))


def _bom(b: Bom) -> list[Any]:
    return [b.item, [[c.item, str(c.quantity), str(c.scrap), _ref(c.source)]
                     for c in b.components],
            [[x.item, str(x.quantity), _ref(x.source)] for x in b.byproducts],
            str(b.labour), str(b.overhead), _ref(b.source)]


def _unbom(data: list[Any]) -> Bom:
    item, components, byproducts, labour, overhead, src = data
    return Bom(item=item, components=tuple(
        BomLine(item=i, quantity=Decimal(q), scrap=Decimal(s), source=_unref(r))
        for i, q, s, r in components),
        byproducts=tuple(Byproduct(item=i, quantity=Decimal(q), source=_unref(r))
                         for i, q, r in byproducts),
        labour=Decimal(labour), overhead=Decimal(overhead), source=_unref(src))


def _uses(uses: Iterable[Use]) -> list[list[str]]:
    return [[u.item, str(u.quantity)] for u in uses]


def _unuses(data: list[list[str]]) -> tuple[Use, ...]:
    return tuple(Use(i, Decimal(q)) for i, q in data)


def _work_order(w: WorkOrder) -> list[Any]:
    return [w.number, w.item, str(w.quantity), w.date.toordinal(), w.due.toordinal(),
            w.warehouse, _uses(w.components), _uses(w.byproducts), str(w.labour),
            str(w.overhead), w.draft, w.cancelled,
            [[c.date.toordinal(), str(c.quantity), _uses(c.consumed), _uses(c.byproducts),
              str(c.value)] for c in w.completions], w.planned, _ref(w.source)]


def _unwork_order(data: list[Any]) -> WorkOrder:
    (number, item, quantity, date, due, warehouse, components, byproducts, labour, overhead,
     draft, cancelled, completions, planned, src) = data
    return WorkOrder(
        number=number, item=item, quantity=Decimal(quantity),
        date=dt.date.fromordinal(date), due=dt.date.fromordinal(due), warehouse=warehouse,
        components=_unuses(components), byproducts=_unuses(byproducts),
        labour=Decimal(labour), overhead=Decimal(overhead), draft=bool(draft),
        cancelled=bool(cancelled), planned=planned, source=_unref(src),
        completions=tuple(Completion(date=dt.date.fromordinal(d), quantity=Decimal(q),
                                     consumed=_unuses(used), byproducts=_unuses(made),
                                     value=Decimal(v))
                          for d, q, used, made, v in completions))


def data_to_records(data: dict[str, Any]) -> dict[str, Any]:
    """Book fields rebuilt from ``records_to_data``'s lists (ValueError if malformed).

    The stock moves are not among them: ``moves_from_data`` builds them, all or some.
    """
    return {
        "items": tuple(Item(
            code=c, name=n, unit=u, kind=ItemKind(k), valuation=Method(v) if v else None,
            cost=_unamount(cost), sale_price=_unamount(price), reorder_point=_undec(rp),
            reorder_quantity=_undec(rq), safety_stock=_undec(ss), lead_time_days=lt,
            supplier=sup, tax_rate=_undec(tax), source=_unref(src), lot=_unlot(lot))
            for c, n, u, k, v, cost, price, rp, rq, ss, lt, sup, tax, src, lot in data["items"]),
        "warehouses": tuple(Warehouse(code=c, name=n, address=a, source=_unref(src))
                            for c, n, a, src in data["warehouses"]),
        "customers": tuple(_unparty(p) for p in data["customers"]),
        "suppliers": tuple(_unparty(p) for p in data["suppliers"]),
        "purchases": tuple(_unorder(o) for o in data["purchases"]),
        "stock_values": {(dt.date.fromordinal(d), doc): Decimal(v)
                         for d, doc, v in data["stock_values"]},
        "sales": tuple(_unsale(s) for s in data["sales"]),
        "boms": tuple(_unbom(b) for b in data["boms"]),
        "work_orders": tuple(_unwork_order(w) for w in data["work_orders"]),
        "payments": tuple(CustomerPayment(
            number=n, customer=c, date=dt.date.fromordinal(d), amount=Decimal(a),
            currency=cur, account=acc, applied=tuple((str(i), Decimal(x)) for i, x in applied),
            source=_unref(src)) for n, c, d, a, cur, acc, applied, src in data["payments"]),
    }


def _unparty(p: list[Any]) -> Party:
    code, name, contacts, address, terms, limit, lead, currency, tags, fields, src = p
    return Party(code=code, name=name,
                 contacts=tuple(Contact(name=a, email=b, phone=c, role=d)
                                for a, b, c, d in contacts),
                 address=address, payment_terms_days=terms, credit_limit=_undec(limit),
                 lead_time_days=lead, currency=currency, tags=tuple(tags),
                 fields=tuple((str(k), str(v)) for k, v in fields), source=_unref(src))


def _unorder(o: list[Any]) -> PurchaseOrder:
    (number, supplier, date, warehouse, currency, lines, expected, receipts, cancelled, src,
     bills, draft) = o
    return PurchaseOrder(
        number=number, supplier=supplier, date=dt.date.fromordinal(date), warehouse=warehouse,
        currency=currency,
        lines=tuple(OrderLine(item=i, quantity=Decimal(q), price=Decimal(p))
                    for i, q, p in lines),
        expected=dt.date.fromordinal(expected) if expected else None,
        receipts=tuple(Receipt(date=dt.date.fromordinal(d),
                               quantities=tuple((i, Decimal(q)) for i, q in got))
                       for d, got in receipts),
        bills=tuple(Bill(
            number=n, date=dt.date.fromordinal(d), due=dt.date.fromordinal(due),
            lines=tuple(OrderLine(item=i, quantity=Decimal(q), price=Decimal(p))
                        for i, q, p in blines),
            tax=Decimal(tax), total=Decimal(total),
            payments=tuple((dt.date.fromordinal(pd), Decimal(pa)) for pd, pa in paid))
            for n, d, due, blines, tax, total, paid in bills),
        cancelled=bool(cancelled), draft=bool(draft), source=_unref(src))


def _lines(lines: tuple[SaleLine, ...]) -> list[list[str]]:
    return [[x.item, str(x.quantity), str(x.price), str(x.tax_rate)] for x in lines]


def _unlines(data: list[list[str]]) -> tuple[SaleLine, ...]:
    return tuple(SaleLine(item=i, quantity=Decimal(q), price=Decimal(p), tax_rate=Decimal(t))
                 for i, q, p, t in data)


def _sale(s: SalesOrder) -> list[Any]:
    return [s.number, s.kind.value, s.customer, s.date.toordinal(), s.warehouse, s.currency,
            _lines(s.lines), s.due.toordinal() if s.due else None, s.link,
            [[x.date.toordinal(), [[i, str(q), str(c)] for i, q, c in x.lines], x.returned]
             for x in s.shipments],
            [[i.number, i.date.toordinal(), i.due.toordinal(), _lines(i.lines), str(i.tax),
              str(i.total)] for i in s.invoices], s.cancelled, _ref(s.source), s.deal]


def _unsale(s: list[Any]) -> SalesOrder:
    (number, kind, customer, date, warehouse, currency, lines, due, link, shipments, invoices,
     cancelled, src, deal) = s
    return SalesOrder(
        number=number, kind=SaleKind(kind), customer=customer,
        date=dt.date.fromordinal(date), warehouse=warehouse, currency=currency,
        lines=_unlines(lines), due=dt.date.fromordinal(due) if due else None, link=link,
        deal=deal, shipments=tuple(Shipment(
            date=dt.date.fromordinal(d), returned=bool(r), lines=tuple(
                ShippedLine(i, Decimal(q), Decimal(c)) for i, q, c in got))
            for d, got, r in shipments),
        invoices=tuple(Invoice(number=n, date=dt.date.fromordinal(d),
                               due=dt.date.fromordinal(du), lines=_unlines(x),
                               tax=Decimal(t), total=Decimal(tot))
                       for n, d, du, x, t, tot in invoices),
        cancelled=bool(cancelled), source=_unref(src))


_COLUMNS = ("date", "kind", "item", "quantity", "unit", "warehouse", "to", "cost",
            "currency", "document", "tags", "path", "line", "end")
"""Stock moves are kept column by column, strings as indexes into one table: unpacking
a few long lists of small integers is many times faster than 100k short lists."""


def moves_to_columns(moves: Iterable[StockMove]) -> dict[str, Any]:
    """The moves as columns (see ``_COLUMNS``), in their order."""
    columns: dict[str, Any] = {"names": [], "tag_sets": [],
                               **{name: [] for name in _COLUMNS}}
    for move in moves:
        append_move(columns, move)
    return packable(columns)


def append_move(columns: dict[str, Any], move: StockMove, at: int | None = None) -> None:
    """Add one move to the columns (at position ``at``, else at the end)."""
    names: list[str] = columns["names"]
    tag_sets: list[list[list[str]]] = columns["tag_sets"]
    if "_index" not in columns:  # built once, kept beside the columns for the next move
        columns["_index"] = {n: i for i, n in enumerate(names)}
        columns["_tags"] = {tuple(map(tuple, t)): i for i, t in enumerate(tag_sets)}
    index: dict[str, int] = columns["_index"]
    tag_index: dict[tuple[tuple[str, str], ...], int] = columns["_tags"]

    def ix(text: str | None) -> int:
        if text is None:
            return -1
        found = index.get(text)
        if found is None:
            found = index[text] = len(names)
            names.append(text)
        return int(found)

    tags = tuple((str(a), str(b)) for a, b in move.tags)
    if tags not in tag_index:
        tag_index[tags] = len(tag_sets)
        tag_sets.append([list(t) for t in tags])
    cost = move.unit_cost
    source = move.source
    row = (move.date.toordinal(), ix(move.kind.value), ix(move.item), ix(str(move.quantity)),
           ix(move.unit), ix(move.warehouse), ix(move.to_warehouse),
           ix(None if cost is None else str(cost.quantity)),
           ix(None if cost is None else cost.commodity), ix(move.document), tag_index[tags],
           ix(None if source is None else source.path),
           0 if source is None else source.line, 0 if source is None else source.end_line)
    for name, value in zip(_COLUMNS, row, strict=True):
        if at is None:
            columns[name].append(value)
        else:
            columns[name].insert(at, value)


def packable(columns: dict[str, Any]) -> dict[str, Any]:
    """The columns without the lookup tables ``append_move`` keeps beside them."""
    return {k: v for k, v in columns.items() if not k.startswith("_")}


def moves_from_data(data: dict[str, Any], items: Collection[str] | None = None
                    ) -> tuple[StockMove, ...]:
    """The stock moves (of ``items`` only, when given), in their order.

    The values that repeat (dates, quantities, costs, tags) are built once each, and a
    command about two items builds only theirs.
    """
    columns = data["moves"]
    names: list[str] = columns["names"]
    wanted = None if items is None else {i for i, n in enumerate(names) if n in items}
    dates: dict[int, dt.date] = {}
    numbers: dict[int, Decimal] = {}
    costs: dict[tuple[int, int], Amount] = {}
    tag_sets = [tuple((str(a), str(b)) for a, b in t) for t in columns["tag_sets"]]
    kinds = {k.value: k for k in MoveKind}
    out = []
    for row in zip(*(columns[name] for name in _COLUMNS), strict=True):
        d, k, i, q, u, w, to, c, cur, doc, tags, path, line, end = row
        if wanted is not None and i not in wanted:
            continue
        day = dates.get(d)
        if day is None:
            day = dates[d] = dt.date.fromordinal(d)
        quantity = numbers.get(q)
        if quantity is None:
            quantity = numbers[q] = Decimal(names[q])
        unit_cost = None
        if c >= 0:
            unit_cost = costs.get((c, cur))
            if unit_cost is None:
                unit_cost = costs[c, cur] = Amount(Decimal(names[c]), names[cur])
        out.append(StockMove(day, kinds[names[k]], names[i], quantity, names[u], names[w],
                             None if to < 0 else names[to], unit_cost,
                             "" if doc < 0 else names[doc], tag_sets[tags],
                             None if path < 0 else SourceRef(names[path], line, end)))
    return tuple(out)


def on_hand_from_data(data: dict[str, Any]) -> tuple[dict[tuple[str, str], Decimal],
                                                      dt.date | None]:
    """The quantities after every move, and the last move's date, from the columns alone.

    Much cheaper than building the moves: what a command that needs today's stock only
    (the dashboard) reads.
    """
    columns = data["moves"]
    names: list[str | None] = [*columns["names"], None]  # index -1: no such name
    kinds = {k.value: k for k in MoveKind}
    kind_of = {k: kinds[str(names[k])] for k in set(columns["kind"])}
    number_of = {q: Decimal(str(names[q])) for q in set(columns["quantity"])}
    start = dt.date(1, 1, 1)  # quantities_on_hand without a day reads no date
    new = tuple.__new__  # a MoveQuantity without its Python-level __new__

    def rows() -> Iterator[MoveQuantity]:
        for k, i, q, w, to in zip(columns["kind"], columns["item"], columns["quantity"],
                                  columns["warehouse"], columns["to"], strict=True):
            yield new(MoveQuantity, (start, kind_of[k], names[i], number_of[q], names[w],
                                     names[to]))

    dates = columns["date"]
    return quantities_on_hand(rows()), dt.date.fromordinal(max(dates)) if dates else None


def move_dates(data: dict[str, Any]) -> list[int]:
    """The date (ordinal) of every move, in order."""
    return list(data["moves"]["date"])


def items_on(data: dict[str, Any], ordinal: int) -> list[str]:
    """The items moved on a day."""
    columns = data["moves"]
    names = columns["names"]
    return [names[i] for d, i in zip(columns["date"], columns["item"], strict=True)
            if d == ordinal]
