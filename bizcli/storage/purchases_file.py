"""Read and write ``purchases/YYYY.yaml``: the purchase orders of a fiscal year.

bizcli writes these files itself (deterministically: a fixed key order, orders by
number), so a ``git diff`` after a command shows exactly what it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import yaml

from bizcli.core.documents.purchases import Bill, OrderLine, PurchaseOrder, Receipt
from bizcli.core.problems import Problem
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.yaml_reader import Fields, YamlFile

_ORDER_KEYS = {"number", "supplier", "date", "warehouse", "currency", "expected", "lines",
               "receipts", "bills", "cancelled", "draft", "notes"}
_BILL_KEYS = {"number", "date", "due", "lines", "tax", "total", "payments"}


def read_purchases(path: str, text: str, currency: str
                   ) -> tuple[list[PurchaseOrder], list[Problem]]:
    """Parse a purchases file; every bad value is a problem with its line."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return [], file.problems
    top.unknown_keys({"schema", "purchases"})
    orders = []
    for node in top.sequence("purchases"):
        entry = Fields.of(file, node, "a purchase order")
        if entry is None:
            continue
        entry.unknown_keys(_ORDER_KEYS)
        order = _order(file, entry, currency)
        if order is not None:
            orders.append(order)
    return orders, file.problems


def _lines(file: YamlFile, entry: Fields, *, with_price: bool) -> list[tuple[str, Decimal,
                                                                               Decimal]]:
    out = []
    for node in entry.sequence("lines"):
        line = Fields.of(file, node, "an order line")
        if line is None:
            continue
        line.unknown_keys({"item", "quantity", "price"} if with_price else {"item", "quantity"})
        item, quantity = line.text("item", required=True), line.decimal("quantity",
                                                                          required=True)
        price = line.decimal("price", required=True) if with_price else Decimal(0)
        if item is not None and quantity is not None and price is not None:
            out.append((item, quantity, price))
    return out


def _order(file: YamlFile, entry: Fields, currency: str) -> PurchaseOrder | None:
    number, supplier = entry.text("number", required=True), entry.text("supplier",
                                                                        required=True)
    date, warehouse = entry.date("date", required=True), entry.text("warehouse",
                                                                    required=True)
    lines = [OrderLine(item=i, quantity=q, price=p)
             for i, q, p in _lines(file, entry, with_price=True)]
    receipts = []
    for node in entry.sequence("receipts"):
        receipt = Fields.of(file, node, "a receipt")
        if receipt is None:
            continue
        day = receipt.date("date", required=True)
        got = _lines(file, receipt, with_price=False)
        if day is not None:
            receipts.append(Receipt(date=day, quantities=tuple((i, q) for i, q, _ in got)))
    bills = [b for node in entry.sequence("bills") if (b := _bill(file, node)) is not None]
    if number is None or supplier is None or date is None or warehouse is None:
        return None
    return PurchaseOrder(number=number, supplier=supplier, date=date, warehouse=warehouse,
                         currency=entry.text("currency") or currency, lines=tuple(lines),
                         expected=entry.date("expected"), receipts=tuple(receipts),
                         bills=tuple(bills),
                         cancelled=entry.text("cancelled") == "true",
                         draft=entry.text("draft") == "true", source=entry.source)


def _bill(file: YamlFile, node: yaml.Node) -> Bill | None:
    fields = Fields.of(file, node, "a bill")
    if fields is None:
        return None
    fields.unknown_keys(_BILL_KEYS)
    number, date, due = (fields.text("number", required=True),
                         fields.date("date", required=True), fields.date("due", required=True))
    tax, total = fields.decimal("tax", required=True), fields.decimal("total", required=True)
    lines = [OrderLine(item=i, quantity=q, price=p)
             for i, q, p in _lines(file, fields, with_price=True)]
    payments = []
    for paid in fields.sequence("payments"):
        payment = Fields.of(file, paid, "a payment")
        if payment is None:
            continue
        day, amount = payment.date("date", required=True), payment.decimal("amount",
                                                                            required=True)
        if day is not None and amount is not None:
            payments.append((day, amount))
    if number is None or date is None or due is None or tax is None or total is None:
        return None
    return Bill(number=number, date=date, due=due, lines=tuple(lines), tax=tax, total=total,
                payments=tuple(payments))


def _day(day: dt.date) -> str:
    return day.isoformat()


def write_purchases(orders: Iterable[PurchaseOrder]) -> str:
    """A whole purchases file, orders by number, keys in a fixed order."""
    data = []
    for order in sorted(orders, key=lambda o: o.number):
        entry: dict[str, object] = {
            "number": order.number, "supplier": order.supplier, "date": _day(order.date),
            "warehouse": order.warehouse, "currency": order.currency}
        if order.expected is not None:
            entry["expected"] = _day(order.expected)
        entry["lines"] = [{"item": line.item, "quantity": f"{line.quantity}",
                           "price": f"{line.price}"} for line in order.lines]
        if order.receipts:
            entry["receipts"] = [{"date": _day(r.date), "lines": [
                {"item": i, "quantity": f"{q}"} for i, q in r.quantities]}
                for r in order.receipts]
        if order.bills:
            entry["bills"] = [{
                "number": b.number, "date": _day(b.date), "due": _day(b.due),
                "lines": [{"item": x.item, "quantity": f"{x.quantity}", "price": f"{x.price}"}
                          for x in b.lines],
                "tax": f"{b.tax}", "total": f"{b.total}",
                **({"payments": [{"date": _day(d), "amount": f"{a}"} for d, a in b.payments]}
                   if b.payments else {})} for b in order.bills]
        if order.cancelled:
            entry["cancelled"] = "true"
        if order.draft:
            entry["draft"] = "true"
        data.append(entry)
    return ("# Purchase orders, written by biz purchase (edit with care: biz check "
            "validates).\n" + dump_yaml({"schema": 1, "purchases": data}))
