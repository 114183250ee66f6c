"""Master records, orders and stock moves to and from plain lists, for the load cache.

Reading ``customers.yaml`` with 10,000 customers takes seconds even with PyYAML's C
loader, and a 100k-line stock file over a second; rebuilding them from the cache's
msgpack lists takes a fraction of that. Every value is written as text or a number
and rebuilt explicitly (Decimal from text, dates from ordinals).
"""

from __future__ import annotations

import datetime as dt
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
from bizcli.core.source import SourceRef
from bizcli.core.stock.items import Item, ItemKind, Warehouse
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
                   _ref(i.source)] for i in book.items],
        "warehouses": [[w.code, w.name, w.address, _ref(w.source)] for w in book.warehouses],
        "customers": [_party(p) for p in book.customers],
        "suppliers": [_party(p) for p in book.suppliers],
        "purchases": [_order(o) for o in book.purchases],
        "sales": [_sale(s) for s in book.sales],
        "payments": [[p.number, p.customer, p.date.toordinal(), str(p.amount), p.currency,
                      p.account, [[n, str(a)] for n, a in p.applied], _ref(p.source)]
                     for p in book.payments],
        "moves": [[m.date.toordinal(), m.kind.value, m.item, str(m.quantity), m.unit,
                   m.warehouse, m.to_warehouse, _amount(m.unit_cost), m.document,
                   [list(t) for t in m.tags], _ref(m.source)]
                  for m in book.stock_moves or ()],
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
             for b in o.bills]]


def data_to_records(data: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Book fields rebuilt from ``records_to_data``'s lists (ValueError if malformed)."""
    return {
        "items": tuple(Item(
            code=c, name=n, unit=u, kind=ItemKind(k), valuation=Method(v) if v else None,
            cost=_unamount(cost), sale_price=_unamount(price), reorder_point=_undec(rp),
            reorder_quantity=_undec(rq), safety_stock=_undec(ss), lead_time_days=lt,
            supplier=sup, tax_rate=_undec(tax), source=_unref(src))
            for c, n, u, k, v, cost, price, rp, rq, ss, lt, sup, tax, src in data["items"]),
        "warehouses": tuple(Warehouse(code=c, name=n, address=a, source=_unref(src))
                            for c, n, a, src in data["warehouses"]),
        "customers": tuple(_unparty(p) for p in data["customers"]),
        "suppliers": tuple(_unparty(p) for p in data["suppliers"]),
        "purchases": tuple(_unorder(o) for o in data["purchases"]),
        "sales": tuple(_unsale(s) for s in data["sales"]),
        "payments": tuple(CustomerPayment(
            number=n, customer=c, date=dt.date.fromordinal(d), amount=Decimal(a),
            currency=cur, account=acc, applied=tuple((str(i), Decimal(x)) for i, x in applied),
            source=_unref(src)) for n, c, d, a, cur, acc, applied, src in data["payments"]),
        "stock_moves": tuple(StockMove(
            dt.date.fromordinal(d), MoveKind(k), i, Decimal(q), u, w, to, _unamount(cost),
            doc, tuple((str(a), str(b)) for a, b in tags), _unref(src))
            for d, k, i, q, u, w, to, cost, doc, tags, src in data["moves"]),
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
     bills) = o
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
        cancelled=bool(cancelled), source=_unref(src))


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
              str(i.total)] for i in s.invoices], s.cancelled, _ref(s.source)]


def _unsale(s: list[Any]) -> SalesOrder:
    (number, kind, customer, date, warehouse, currency, lines, due, link, shipments, invoices,
     cancelled, src) = s
    return SalesOrder(
        number=number, kind=SaleKind(kind), customer=customer,
        date=dt.date.fromordinal(date), warehouse=warehouse, currency=currency,
        lines=_unlines(lines), due=dt.date.fromordinal(due) if due else None, link=link,
        shipments=tuple(Shipment(date=dt.date.fromordinal(d), returned=bool(r), lines=tuple(
            ShippedLine(i, Decimal(q), Decimal(c)) for i, q, c in got))
            for d, got, r in shipments),
        invoices=tuple(Invoice(number=n, date=dt.date.fromordinal(d),
                               due=dt.date.fromordinal(du), lines=_unlines(x),
                               tax=Decimal(t), total=Decimal(tot))
                       for n, d, du, x, t, tot in invoices),
        cancelled=bool(cancelled), source=_unref(src))
