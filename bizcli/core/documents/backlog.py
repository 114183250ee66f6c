"""Work the documents still owe, on a day: orders to ship or receive, goods to invoice or bill.

The dashboard counts these; the month-end close refuses a period whose shipments were
not invoiced or whose receipts were not billed. Only what is dated on or before the day
counts, so the answer for a past day is what the books said then. Values are at the
order's prices, before tax, in the order's currency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.documents.purchases import PurchaseOrder
from bizcli.core.documents.sales import SaleKind, SalesOrder
from bizcli.core.money import ZERO


class Pending(NamedTuple):
    """One document with work left: how many units and what they are worth."""

    number: str
    party: str
    date: dt.date
    """The date of the event that left the work (the order, or the last shipment/receipt)."""
    quantity: Decimal
    value: Decimal
    currency: str


def _sum(quantities: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for item, quantity in quantities:
        out[item] = out.get(item, ZERO) + quantity
    return out


def _priced(left: dict[str, Decimal], prices: dict[str, Decimal]) -> tuple[Decimal, Decimal]:
    units = sum((q for q in left.values() if q > 0), ZERO)
    value = sum((q * prices.get(i, ZERO) for i, q in left.items() if q > 0), ZERO)
    return units, value


def _unit_prices(lines: Iterable[tuple[str, Decimal, Decimal]]) -> dict[str, Decimal]:
    """Per item, the average price of its lines (an item may sit on several lines)."""
    quantity: dict[str, Decimal] = {}
    amount: dict[str, Decimal] = {}
    for item, qty, price in lines:
        quantity[item] = quantity.get(item, ZERO) + qty
        amount[item] = amount.get(item, ZERO) + qty * price
    return {i: amount[i] / q for i, q in quantity.items() if q}


def _pending(order: SalesOrder | PurchaseOrder, party: str, day: dt.date,
             left: dict[str, Decimal]) -> Pending | None:
    """The work ``left`` (units per item) on an order, valued at its lines' prices."""
    units, value = _priced(left, _unit_prices(
        (line.item, line.quantity, line.price) for line in order.lines))
    return Pending(order.number, party, day, units, value, order.currency) if units else None


def _open_sales(sales: Iterable[SalesOrder], day: dt.date) -> Iterator[SalesOrder]:
    return (o for o in sales
            if o.kind is SaleKind.ORDER and not o.cancelled and o.date <= day)


def to_ship(sales: Iterable[SalesOrder], day: dt.date,
            services: frozenset[str] = frozenset()) -> list[Pending]:
    """Sales orders with goods not yet shipped on ``day``."""
    out = []
    for order in _open_sales(sales, day):
        ordered = _sum((line.item, line.quantity) for line in order.lines
                       if line.item not in services)
        shipped = _sum(((i, -q if s.returned else q) for s in order.shipments
                        if s.date <= day for i, q, _ in s.lines))
        left = {i: q - shipped.get(i, ZERO) for i, q in ordered.items()}
        found = _pending(order, order.customer, order.date, left)
        if found is not None:
            out.append(found)
    return out


def not_invoiced(sales: Iterable[SalesOrder], day: dt.date) -> list[Pending]:
    """Sales orders with goods shipped on or before ``day`` and not invoiced by then."""
    out = []
    for order in (o for o in sales if o.kind is SaleKind.ORDER and o.date <= day):
        moves = [s for s in order.shipments if s.date <= day]
        if not moves:
            continue
        shipped = _sum(((i, -q if s.returned else q) for s in moves for i, q, _ in s.lines))
        invoiced = _sum((line.item, line.quantity) for inv in order.invoices
                        if inv.date <= day for line in inv.lines)
        left = {i: q - invoiced.get(i, ZERO) for i, q in shipped.items()}
        found = _pending(order, order.customer, max(s.date for s in moves), left)
        if found is not None:
            out.append(found)
    return out


def to_receive(purchases: Iterable[PurchaseOrder], day: dt.date) -> list[Pending]:
    """Confirmed purchase orders with goods not yet received on ``day``."""
    out = []
    for order in purchases:
        if order.cancelled or order.draft or order.date > day:
            continue
        ordered = _sum((line.item, line.quantity) for line in order.lines)
        received = _sum((i, q) for r in order.receipts if r.date <= day
                        for i, q in r.quantities)
        left = {i: q - received.get(i, ZERO) for i, q in ordered.items()}
        found = _pending(order, order.supplier, order.date, left)
        if found is not None:
            out.append(found)
    return out


def not_billed(purchases: Iterable[PurchaseOrder], day: dt.date) -> list[Pending]:
    """Purchase orders with goods received on or before ``day`` and not billed by then."""
    out = []
    for order in purchases:
        receipts = [r for r in order.receipts if r.date <= day]
        if not receipts or order.date > day:
            continue
        received = _sum((i, q) for r in receipts for i, q in r.quantities)
        billed = _sum((line.item, line.quantity) for b in order.bills if b.date <= day
                      for line in b.lines)
        left = {i: q - billed.get(i, ZERO) for i, q in received.items()}
        found = _pending(order, order.supplier, max(r.date for r in receipts), left)
        if found is not None:
            out.append(found)
    return out


class Overdue(NamedTuple):
    """What is owed past its due date on a day, and on how many invoices or bills."""

    amount: Decimal
    documents: int


def overdue(open_items: Iterable[tuple[Decimal, dt.date]], day: dt.date) -> Overdue:
    """Of ``(open amount, due date)`` pairs, the ones due before ``day``."""
    amount, count = ZERO, 0
    for left, due in open_items:
        if left > 0 and due < day:
            amount += left
            count += 1
    return Overdue(amount, count)
