"""Read and write ``sales/YYYY.yaml``: the quotes, orders and payments of a fiscal year.

bizcli writes these files itself, deterministically (a fixed key order, documents by
number), so a ``git diff`` after a command shows exactly what it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import yaml

from bizcli.core.documents.sales import (
    CustomerPayment,
    Invoice,
    SaleKind,
    SaleLine,
    SalesOrder,
    Shipment,
    ShippedLine,
)
from bizcli.core.problems import Problem
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.yaml_reader import Fields, YamlFile

_SALE_KEYS = {"number", "kind", "customer", "date", "warehouse", "currency", "due", "link",
              "deal", "lines", "shipments", "invoices", "cancelled", "notes"}
_LINE_KEYS = {"item", "quantity", "price", "tax_rate"}
_INVOICE_KEYS = {"number", "date", "due", "lines", "tax", "total"}
_PAYMENT_KEYS = {"number", "customer", "date", "amount", "currency", "account", "applied",
                 "notes"}


def read_sales(path: str, text: str, currency: str
               ) -> tuple[list[SalesOrder], list[CustomerPayment], list[Problem]]:
    """Parse a sales file; every bad value is a problem with its line."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return [], [], file.problems
    top.unknown_keys({"schema", "sales", "payments"})
    sales = []
    for node in top.sequence("sales"):
        entry = Fields.of(file, node, "a quote or an order")
        if entry is not None:
            entry.unknown_keys(_SALE_KEYS)
            sale = _sale(file, entry, currency)
            if sale is not None:
                sales.append(sale)
    payments = []
    for node in top.sequence("payments"):
        entry = Fields.of(file, node, "a payment")
        if entry is not None:
            entry.unknown_keys(_PAYMENT_KEYS)
            payment = _payment(file, entry, currency)
            if payment is not None:
                payments.append(payment)
    return sales, payments, file.problems


def _lines(file: YamlFile, entry: Fields) -> list[SaleLine]:
    out = []
    for node in entry.sequence("lines"):
        line = Fields.of(file, node, "an order line")
        if line is None:
            continue
        line.unknown_keys(_LINE_KEYS)
        item, quantity = line.text("item", required=True), line.decimal("quantity",
                                                                          required=True)
        price, rate = line.decimal("price", required=True), line.decimal("tax_rate")
        if item is not None and quantity is not None and price is not None:
            out.append(SaleLine(item=item, quantity=quantity, price=price,
                                tax_rate=rate if rate is not None else Decimal(0)))
    return out


def _kind(file: YamlFile, entry: Fields) -> SaleKind | None:
    text = entry.text("kind", required=True)
    if text is None:
        return None
    try:
        return SaleKind(text)
    except ValueError:
        file.problem(entry.values["kind"], "bad-value", f"kind must be quote or order, not "
                     f"{text!r}", "write kind: order")
        return None


def _sale(file: YamlFile, entry: Fields, currency: str) -> SalesOrder | None:
    number, customer = entry.text("number", required=True), entry.text("customer",
                                                                        required=True)
    kind = _kind(file, entry)
    date, warehouse = entry.date("date", required=True), entry.text("warehouse",
                                                                    required=True)
    lines = _lines(file, entry)
    shipments = [s for node in entry.sequence("shipments")
                 if (s := _shipment(file, node)) is not None]
    invoices = [i for node in entry.sequence("invoices")
                if (i := _invoice(file, node)) is not None]
    cancelled = _flag(file, entry, "cancelled")
    if number is None or customer is None or kind is None or date is None or (
            warehouse is None):
        return None
    return SalesOrder(number=number, kind=kind, customer=customer, date=date,
                      warehouse=warehouse, currency=entry.text("currency") or currency,
                      lines=tuple(lines), due=entry.date("due"), link=entry.text("link"),
                      deal=entry.text("deal"), shipments=tuple(shipments), invoices=tuple(invoices),
                      cancelled=cancelled, source=entry.source)


def _flag(file: YamlFile, entry: Fields, key: str) -> bool:
    text = entry.text(key)
    if text not in (None, "true", "false"):
        file.problem(entry.values[key], "bad-value", f"{key} must be true or false, not "
                     f"{text!r}", f"write {key}: true")
    return text == "true"


def _shipment(file: YamlFile, node: yaml.Node) -> Shipment | None:
    fields = Fields.of(file, node, "a shipment")
    if fields is None:
        return None
    fields.unknown_keys({"date", "lines", "returned"})
    day = fields.date("date", required=True)
    lines = []
    for line_node in fields.sequence("lines"):
        line = Fields.of(file, line_node, "a shipped line")
        if line is None:
            continue
        line.unknown_keys({"item", "quantity", "cost"})
        item, quantity = line.text("item", required=True), line.decimal("quantity",
                                                                          required=True)
        cost = line.decimal("cost", required=True)
        if item is not None and quantity is not None and cost is not None:
            lines.append(ShippedLine(item, quantity, cost))
    returned = _flag(file, fields, "returned")
    return None if day is None else Shipment(date=day, lines=tuple(lines), returned=returned)


def _invoice(file: YamlFile, node: yaml.Node) -> Invoice | None:
    fields = Fields.of(file, node, "an invoice")
    if fields is None:
        return None
    fields.unknown_keys(_INVOICE_KEYS)
    number, date, due = (fields.text("number", required=True),
                         fields.date("date", required=True), fields.date("due", required=True))
    tax, total = fields.decimal("tax", required=True), fields.decimal("total", required=True)
    lines = _lines(file, fields)
    if number is None or date is None or due is None or tax is None or total is None:
        return None
    return Invoice(number=number, date=date, due=due, lines=tuple(lines), tax=tax,
                   total=total)


def _payment(file: YamlFile, entry: Fields, currency: str) -> CustomerPayment | None:
    number, customer = entry.text("number", required=True), entry.text("customer",
                                                                        required=True)
    date, amount = entry.date("date", required=True), entry.decimal("amount", required=True)
    account = entry.text("account", required=True)
    applied = []
    for node in entry.sequence("applied"):
        part = Fields.of(file, node, "an applied amount")
        if part is None:
            continue
        part.unknown_keys({"invoice", "amount"})
        invoice, paid = part.text("invoice", required=True), part.decimal("amount",
                                                                          required=True)
        if invoice is not None and paid is not None:
            applied.append((invoice, paid))
    if number is None or customer is None or date is None or amount is None or (
            account is None):
        return None
    return CustomerPayment(number=number, customer=customer, date=date, amount=amount,
                           currency=entry.text("currency") or currency, account=account,
                           applied=tuple(applied), source=entry.source)


def _day(day: dt.date) -> str:
    return day.isoformat()


def _line(line: SaleLine) -> dict[str, str]:
    out = {"item": line.item, "quantity": f"{line.quantity}", "price": f"{line.price}"}
    if line.tax_rate:
        out["tax_rate"] = f"{line.tax_rate}"
    return out


def _sale_data(sale: SalesOrder) -> dict[str, object]:
    entry: dict[str, object] = {
        "number": sale.number, "kind": sale.kind.value, "customer": sale.customer,
        "date": _day(sale.date), "warehouse": sale.warehouse, "currency": sale.currency}
    if sale.due is not None:
        entry["due"] = _day(sale.due)
    if sale.link:
        entry["link"] = sale.link
    if sale.deal:
        entry["deal"] = sale.deal
    entry["lines"] = [_line(line) for line in sale.lines]
    if sale.shipments:
        entry["shipments"] = [{
            "date": _day(s.date), **({"returned": "true"} if s.returned else {}),
            "lines": [{"item": i, "quantity": f"{q}", "cost": f"{c}"} for i, q, c in s.lines]}
            for s in sale.shipments]
    if sale.invoices:
        entry["invoices"] = [{
            "number": i.number, "date": _day(i.date), "due": _day(i.due),
            "lines": [_line(line) for line in i.lines], "tax": f"{i.tax}",
            "total": f"{i.total}"} for i in sale.invoices]
    if sale.cancelled:
        entry["cancelled"] = "true"
    return entry


def write_sales(sales: Iterable[SalesOrder], payments: Iterable[CustomerPayment] = ()) -> str:
    """A whole sales file: documents by number, then payments by number."""
    data: dict[str, object] = {"schema": 1, "sales": [
        _sale_data(s) for s in sorted(sales, key=lambda s: s.number)]}
    paid = [{"number": p.number, "customer": p.customer, "date": _day(p.date),
             "amount": f"{p.amount}", "currency": p.currency, "account": p.account,
             **({"applied": [{"invoice": n, "amount": f"{a}"} for n, a in p.applied]}
                if p.applied else {})}
            for p in sorted(payments, key=lambda p: p.number)]
    if paid:
        data["payments"] = paid
    return ("# Quotes, sales orders and customer payments, written by biz sale (edit with "
            "care: biz check validates).\n" + dump_yaml(data))
