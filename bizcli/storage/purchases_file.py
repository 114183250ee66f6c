"""Read and write ``purchases/YYYY.yaml``: the purchase orders of a fiscal year.

bizcli writes these files itself (deterministically: a fixed key order, orders by
number), so a ``git diff`` after a command shows exactly what it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from bizcli.core.documents.purchases import OrderLine, PurchaseOrder, Receipt
from bizcli.core.problems import Problem
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.yaml_reader import Fields, YamlFile

_ORDER_KEYS = {"number", "supplier", "date", "warehouse", "currency", "expected", "lines",
               "receipts", "cancelled", "notes"}


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
    if number is None or supplier is None or date is None or warehouse is None:
        return None
    return PurchaseOrder(number=number, supplier=supplier, date=date, warehouse=warehouse,
                         currency=entry.text("currency") or currency, lines=tuple(lines),
                         expected=entry.date("expected"), receipts=tuple(receipts),
                         cancelled=entry.text("cancelled") == "true", source=entry.source)


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
        if order.cancelled:
            entry["cancelled"] = "true"
        data.append(entry)
    return ("# Purchase orders, written by biz purchase (edit with care: biz check "
            "validates).\n" + dump_yaml({"schema": 1, "purchases": data}))
