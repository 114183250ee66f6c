"""Purchase orders and receipts (procure-to-pay, first half).

An order lists items, quantities and prices from a supplier. A receipt brings some or
all of the open quantity into a warehouse: a stock receipt at the order price, and the
journal entry Inventory / Goods received not invoiced for the same value (DESIGN.md §5).
The bill and the payment come next.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.codes import closest
from bizcli.core.ledger.transactions import Posting, Status, Transaction
from bizcli.core.money import ZERO, Amount, round_half_up
from bizcli.core.problems import Problem, fail
from bizcli.core.source import SourceRef
from bizcli.core.stock.moves import MoveKind, StockMove


class OrderState(str, enum.Enum):
    """Where an order stands."""

    DRAFT = "draft"
    OPEN = "open"
    PARTLY_RECEIVED = "partly-received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderLine:
    """An item, a quantity and a unit price."""

    item: str
    quantity: Decimal
    price: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Receipt:
    """Goods received on a date, per item."""

    date: dt.date
    quantities: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Bill:
    """A supplier's invoice for goods received on the order, and what was paid on it."""

    number: str
    date: dt.date
    due: dt.date
    lines: tuple[OrderLine, ...]
    tax: Decimal
    total: Decimal
    payments: tuple[tuple[dt.date, Decimal], ...] = ()

    @property
    def paid(self) -> Decimal:
        """Sum of the payments."""
        return sum((amount for _, amount in self.payments), ZERO)

    @property
    def open_amount(self) -> Decimal:
        """What is still owed on the bill."""
        return self.total - self.paid


@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseOrder:
    """One purchase order with what was received on it so far."""

    number: str
    supplier: str
    date: dt.date
    warehouse: str
    currency: str
    lines: tuple[OrderLine, ...]
    expected: dt.date | None = None
    receipts: tuple[Receipt, ...] = ()
    bills: tuple[Bill, ...] = ()
    cancelled: bool = False
    draft: bool = False
    """Planned (by ``biz mrp run --commit``), not yet confirmed to the supplier."""
    source: SourceRef | None = field(default=None, compare=False)

    def received(self, item: str) -> Decimal:
        """Quantity of ``item`` received so far."""
        return sum((q for r in self.receipts for i, q in r.quantities if i == item), ZERO)

    def billed(self, item: str) -> Decimal:
        """Quantity of ``item`` billed so far."""
        return sum((line.quantity for b in self.bills for line in b.lines if line.item == item),
                   ZERO)

    def open_quantity(self, item: str) -> Decimal:
        """Quantity of ``item`` still to receive."""
        ordered = sum((line.quantity for line in self.lines if line.item == item), ZERO)
        return ordered - self.received(item)

    @property
    def state(self) -> OrderState:
        """Open, partly received, received or cancelled."""
        if self.cancelled:
            return OrderState.CANCELLED
        items = {line.item for line in self.lines}
        if all(self.open_quantity(i) <= 0 for i in items):
            return OrderState.RECEIVED
        if self.receipts:
            return OrderState.PARTLY_RECEIVED
        return OrderState.DRAFT if self.draft else OrderState.OPEN


def find_order(orders: Sequence[PurchaseOrder], number: str) -> PurchaseOrder:
    """The order with that number; an ``unknown-order`` error naming the closest one."""
    for order in orders:
        if order.number == number:
            return order
    raise fail("unknown-order", f"purchase order {number!r} does not exist"
               f"{closest(number, (o.number for o in orders))}",
               hint="'biz purchase list' shows the orders")


def next_number(existing: Sequence[str], year: int, prefix: str = "PO") -> str:
    """The next free number of the year: ``PO-2026-0001``, ``PO-2026-0002``..."""
    start = f"{prefix}-{year}-"
    used = [int(n[len(start):]) for n in existing
            if n.startswith(start) and n[len(start):].isdigit()]
    return f"{start}{max(used, default=0) + 1:04d}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiptResult:
    """What receiving writes: the updated order, the stock moves and the entry."""

    order: PurchaseOrder
    moves: tuple[StockMove, ...]
    entry: Transaction


class Booking(NamedTuple):
    """What a receipt needs from the book: units, role accounts, money precision."""

    units: Mapping[str, str]
    roles: Mapping[str, str]
    places: int


def receive(order: PurchaseOrder, date: dt.date, wanted: Mapping[str, Decimal] | None,
            booking: Booking) -> tuple[ReceiptResult | None, list[Problem]]:
    """Receive ``wanted`` quantities (all that is open when None) on ``order``."""
    units, roles, places = booking
    problems = _receipt_problems(order, date, wanted)
    if problems:
        return None, problems
    quantities = dict(wanted) if wanted else {
        line.item: order.open_quantity(line.item) for line in order.lines
        if order.open_quantity(line.item) > 0}
    prices = {line.item: line.price for line in order.lines}
    moves = tuple(StockMove(date, MoveKind.RECEIPT, item, quantity, units.get(item, ""),
                            order.warehouse, None, Amount(prices[item], order.currency),
                            order.number, (("doc", order.number),))
                  for item, quantity in quantities.items())
    value = sum((round_half_up(q * prices[i], places) for i, q in quantities.items()), ZERO)
    amount = Amount(value, order.currency)
    entry = Transaction(
        date, f"Goods received on {order.number} from {order.supplier}",
        (Posting(roles.get("inventory", "Assets:Inventory"), amount),
         Posting(roles.get("grni", "Liabilities:Goods Received Not Invoiced"), -amount)),
        Status.CLEARED, order.number, "", (("doc", order.number),
                                           ("supplier", order.supplier)))
    updated = replace(order, receipts=(*order.receipts,
                                       Receipt(date=date, quantities=tuple(quantities.items()))))
    return ReceiptResult(order=updated, moves=moves, entry=entry), []


def _receipt_problems(order: PurchaseOrder, date: dt.date,
                      wanted: Mapping[str, Decimal] | None) -> list[Problem]:
    if order.cancelled:
        return [Problem(code="order-closed", message=f"{order.number} is cancelled",
                        hint="receive on another order")]
    if order.state is OrderState.RECEIVED:
        return [Problem(code="order-closed",
                        message=f"{order.number} is fully received: nothing is open",
                        hint="'biz purchase show' lists what was received")]
    if order.draft:
        return [Problem(code="still-draft", message=f"{order.number} is a draft",
                        hint=f"confirm it first: biz purchase confirm {order.number}")]
    if date < order.date:
        return [Problem(code="bad-date", message=f"{date} is before the order date "
                        f"{order.date}", hint="receive on or after the order date")]
    problems = []
    for item, quantity in (wanted or {}).items():
        open_quantity = order.open_quantity(item)
        if quantity <= 0 or quantity > open_quantity:
            problems.append(Problem(
                code="over-receipt",
                message=f"cannot receive {quantity} of {item} on {order.number}: "
                        f"{max(open_quantity, ZERO)} open",
                hint="receive at most the open quantity (or order more)"))
    return problems


def cancel(order: PurchaseOrder) -> tuple[PurchaseOrder | None, list[Problem]]:
    """Close an order to further receipts; what was received and billed stays."""
    if order.cancelled:
        return None, [Problem(code="order-closed", message=f"{order.number} is already "
                              "cancelled", hint="nothing to do")]
    if order.state is OrderState.RECEIVED:
        return None, [Problem(code="order-closed", message=f"{order.number} is fully "
                              "received: there is nothing left to cancel",
                              hint="a return to the supplier is a stock issue and a credit "
                                   "note, not a cancellation")]
    return replace(order, cancelled=True), []


def confirm(order: PurchaseOrder) -> tuple[PurchaseOrder | None, list[Problem]]:
    """Turn a draft (a planned order MRP committed) into an order placed with the supplier."""
    if not order.draft:
        return None, [Problem(code="not-draft", message=f"{order.number} is "
                              f"{order.state.value}, not a draft",
                              hint="only a draft is confirmed")]
    return replace(order, draft=False), []
