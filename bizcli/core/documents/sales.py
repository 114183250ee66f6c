"""Sales documents (order-to-cash): quotes, orders, shipments, invoices, payments.

A quote prices items for a customer; an order (from a quote or directly) promises
them. A shipment issues the goods from stock at their valuation cost (COGS /
Inventory). An invoice bills what was shipped (and services ordered): Receivable /
Sales + Output tax, due after the customer's payment terms. A payment is cash against
the customer's open invoices (Bank / Receivable); what it pays beyond them stays as
the customer's credit and is applied to the next invoice. Every entry carries the
document it came from as tags (DESIGN.md §5).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.codes import closest
from bizcli.core.ledger.transactions import Posting, Status, Transaction
from bizcli.core.money import ZERO, Amount, round_half_up
from bizcli.core.problems import Problem, fail
from bizcli.core.source import SourceRef
from bizcli.core.stock.moves import MoveKind, StockMove


class SaleKind(str, enum.Enum):
    """A quote offers, an order commits."""

    QUOTE = "quote"
    ORDER = "order"


class SaleState(str, enum.Enum):
    """Where a quote or an order stands."""

    QUOTED = "quoted"
    ACCEPTED = "accepted"
    OPEN = "open"
    PARTLY_SHIPPED = "partly-shipped"
    SHIPPED = "shipped"
    INVOICED = "invoiced"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True, kw_only=True)
class SaleLine:
    """An item, a quantity, a unit price before tax, and the tax rate (0.08 = 8 %)."""

    item: str
    quantity: Decimal
    price: Decimal
    tax_rate: Decimal = ZERO


class ShippedLine(NamedTuple):
    """An item shipped, and what it cost (its valuation when it left)."""

    item: str
    quantity: Decimal
    cost: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Shipment:
    """Goods shipped on a date (``returned``: brought back into stock on cancelling)."""

    date: dt.date
    lines: tuple[ShippedLine, ...]
    returned: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Invoice:
    """An invoice to the customer for shipped goods (and ordered services)."""

    number: str
    date: dt.date
    due: dt.date
    lines: tuple[SaleLine, ...]
    tax: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class SalesOrder:
    """A quote or an order, with what was shipped and invoiced on it."""

    number: str
    kind: SaleKind
    customer: str
    date: dt.date
    warehouse: str
    currency: str
    lines: tuple[SaleLine, ...]
    due: dt.date | None = None
    """Promised delivery date (an order) or the date the offer is valid until (a quote)."""
    link: str | None = None
    """The order a quote became, or the quote an order came from."""
    deal: str | None = None
    """The CRM deal whose winning created this document."""
    shipments: tuple[Shipment, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    cancelled: bool = False
    source: SourceRef | None = field(default=None, compare=False)

    def ordered(self, item: str) -> Decimal:
        """Quantity of ``item`` on the order."""
        return sum((line.quantity for line in self.lines if line.item == item), ZERO)

    def shipped(self, item: str) -> Decimal:
        """Quantity of ``item`` shipped so far (less what came back)."""
        return sum(((-q if s.returned else q) for s in self.shipments
                    for i, q, _ in s.lines if i == item), ZERO)

    def invoiced(self, item: str) -> Decimal:
        """Quantity of ``item`` invoiced so far."""
        return sum((line.quantity for inv in self.invoices for line in inv.lines
                    if line.item == item), ZERO)

    def to_ship(self, item: str) -> Decimal:
        """Quantity of ``item`` still to ship (zero once cancelled)."""
        if self.cancelled or self.kind is SaleKind.QUOTE:
            return ZERO
        return max(self.ordered(item) - self.shipped(item), ZERO)

    @property
    def state(self) -> SaleState:
        """Quoted/accepted for a quote; open, partly shipped, shipped, invoiced for an order."""
        if self.cancelled:
            return SaleState.CANCELLED
        if self.kind is SaleKind.QUOTE:
            return SaleState.ACCEPTED if self.link else SaleState.QUOTED
        items = [line.item for line in self.lines]
        if all(self.invoiced(i) >= self.ordered(i) for i in items):
            return SaleState.INVOICED
        if all(self.shipped(i) >= self.ordered(i) for i in items):
            return SaleState.SHIPPED
        return SaleState.PARTLY_SHIPPED if self.shipments else SaleState.OPEN


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerPayment:
    """Money received from a customer, and the invoices it was applied to."""

    number: str
    customer: str
    date: dt.date
    amount: Decimal
    currency: str
    account: str
    applied: tuple[tuple[str, Decimal], ...] = ()
    source: SourceRef | None = field(default=None, compare=False)

    @property
    def unapplied(self) -> Decimal:
        """What this payment paid beyond the invoices it was applied to: a credit."""
        return self.amount - sum((a for _, a in self.applied), ZERO)


class Ledger(NamedTuple):
    """What a sales event needs from the book: role accounts, precision, units, services."""

    roles: Mapping[str, str]
    places: int
    units: Mapping[str, str]
    services: frozenset[str]

    def account(self, role: str, default: str) -> str:
        """The account playing ``role``, else the template's default name."""
        return self.roles.get(role, default)


def find_sale(sales: Sequence[SalesOrder], number: str) -> SalesOrder:
    """The quote or order with that number; an ``unknown-order`` error naming the closest."""
    for sale in sales:
        if sale.number == number:
            return sale
    raise fail("unknown-order", f"sales document {number!r} does not exist"
               f"{closest(number, (s.number for s in sales))}",
               hint="'biz sale list' shows the quotes and orders")


def line_net(line: SaleLine, places: int) -> Decimal:
    """Quantity x price, rounded once to the currency."""
    return round_half_up(line.quantity * line.price, places)


def tax_of(lines: Iterable[SaleLine], places: int) -> Decimal:
    """Output tax: per rate, the rate times the lines' net total, rounded once per rate."""
    per_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        per_rate[line.tax_rate] = per_rate.get(line.tax_rate, ZERO) + line_net(line, places)
    return sum((round_half_up(net * rate, places) for rate, net in per_rate.items()), ZERO)


def gross_of(lines: Sequence[SaleLine], places: int) -> Decimal:
    """Net plus tax of some lines."""
    return sum((line_net(x, places) for x in lines), ZERO) + tax_of(lines, places)


def _tags(order: SalesOrder, *more: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return (("doc", order.number), *more, ("customer", order.customer))


# --- shipping ------------------------------------------------------------------------

def ship_moves(order: SalesOrder, date: dt.date, wanted: Mapping[str, Decimal] | None,
               ledger: Ledger) -> tuple[tuple[StockMove, ...], list[Problem]]:
    """The stock issues that ship ``wanted`` (all still to ship when None)."""
    problems = _open_order_problems(order, date, "ship")
    if problems:
        return (), problems
    stocked = [line.item for line in order.lines if line.item not in ledger.services]
    quantities = dict(wanted) if wanted else {
        i: order.to_ship(i) for i in dict.fromkeys(stocked) if order.to_ship(i) > 0}
    if not quantities:
        return (), [Problem(code="nothing-to-ship", message=f"{order.number} has nothing "
                            "left to ship", hint="'biz sale show' lists what was shipped")]
    for item, quantity in quantities.items():
        if item not in stocked:
            known = ", ".join(dict.fromkeys(stocked)) or "none"
            problems.append(Problem(code="over-shipment", message=f"{item} is not a stocked "
                                    f"line of {order.number} (its stocked items: {known})",
                                    hint="ship the items on the order"))
        elif quantity <= 0 or quantity > order.to_ship(item):
            problems.append(Problem(
                code="over-shipment", message=f"cannot ship {quantity} of {item} on "
                f"{order.number}: {order.to_ship(item)} left to ship",
                hint="ship at most what is ordered and not yet shipped"))
    if problems:
        return (), problems
    moves = tuple(StockMove(date, MoveKind.ISSUE, item, quantity, ledger.units.get(item, ""),
                            order.warehouse, None, None, order.number,
                            (("doc", order.number), ("customer", order.customer)))
                  for item, quantity in quantities.items())
    return moves, []


def shipped(order: SalesOrder, date: dt.date, costs: Sequence[ShippedLine],
            ledger: Ledger) -> tuple[SalesOrder, Transaction | None]:
    """The order with its new shipment, and the COGS / Inventory entry at that cost."""
    cost = sum((line.cost for line in costs), ZERO)
    updated = replace(order, shipments=(*order.shipments,
                                        Shipment(date=date, lines=tuple(costs))))
    if not cost:
        return updated, None
    amount = Amount(cost, order.currency)
    entry = Transaction(
        date, f"Goods shipped on {order.number} to {order.customer}",
        (Posting(ledger.account("cogs", "Expenses:Cost of Goods Sold"), amount),
         Posting(ledger.account("inventory", "Assets:Inventory"), -amount)),
        Status.CLEARED, order.number, "", _tags(order))
    return updated, entry


def _open_order_problems(order: SalesOrder, date: dt.date, doing: str) -> list[Problem]:
    if order.kind is SaleKind.QUOTE:
        return [Problem(code="order-closed", message=f"{order.number} is a quote: it cannot "
                        f"be {doing}ped until it is an order" if doing == "ship" else
                        f"{order.number} is a quote, not an order",
                        hint=f"make it an order: biz sale order --from {order.number}")]
    if order.cancelled:
        return [Problem(code="order-closed", message=f"{order.number} is cancelled",
                        hint="'biz sale show' lists what happened on it")]
    if date < order.date:
        return [Problem(code="bad-date", message=f"{date} is before the order date "
                        f"{order.date}", hint="date it on or after the order date")]
    return []


# --- invoicing -----------------------------------------------------------------------

class InvoiceTerms(NamedTuple):
    """The invoice's number, date and due date."""

    number: str
    date: dt.date
    due: dt.date


def billable(order: SalesOrder, services: frozenset[str]) -> dict[str, Decimal]:
    """Per item, what can be invoiced: shipped goods and ordered services not yet invoiced."""
    out: dict[str, Decimal] = {}
    for item in dict.fromkeys(line.item for line in order.lines):
        done = order.ordered(item) if item in services else order.shipped(item)
        if order.cancelled and item in services:
            done = order.invoiced(item)
        left = done - order.invoiced(item)
        if left > 0:
            out[item] = left
    return out


def invoice(order: SalesOrder, wanted: Mapping[str, Decimal] | None, terms: InvoiceTerms,
            ledger: Ledger) -> tuple[tuple[SalesOrder, Invoice, Transaction] | None,
                                     list[Problem]]:
    """Invoice ``wanted`` (all that is billable when None) at the order's prices."""
    if order.kind is SaleKind.QUOTE:
        return None, _open_order_problems(order, terms.date, "invoice")
    if terms.date < order.date:
        return None, [Problem(code="bad-date", message=f"{terms.date} is before the order "
                              f"date {order.date}", hint="date it on or after the order date")]
    can = billable(order, ledger.services)
    quantities = dict(wanted) if wanted else can
    if not quantities:
        return None, [Problem(code="nothing-to-invoice", message=f"nothing on {order.number} "
                              "is waiting to be invoiced", hint="ship the goods first "
                              "('biz sale show' lists what was shipped and invoiced)")]
    problems = [Problem(code="over-invoice", message=f"cannot invoice {q} of {i} on "
                        f"{order.number}: {can.get(i, ZERO)} shipped and not invoiced",
                        hint="invoice at most what was shipped")
                for i, q in quantities.items() if q <= 0 or q > can.get(i, ZERO)]
    if problems:
        return None, problems
    by_item = {line.item: line for line in order.lines}
    lines = tuple(replace(by_item[i], quantity=q) for i, q in quantities.items())
    places = ledger.places
    net = sum((line_net(x, places) for x in lines), ZERO)
    tax = tax_of(lines, places)
    new = Invoice(number=terms.number, date=terms.date, due=terms.due, lines=lines, tax=tax,
                  total=net + tax)
    currency = order.currency
    postings = [Posting(ledger.account("receivable", "Assets:Receivable"),
                        Amount(net + tax, currency), tags=(("customer", order.customer),)),
                Posting(ledger.account("sales", "Income:Sales"), Amount(-net, currency))]
    if tax:
        postings.append(Posting(ledger.account("output_tax", "Liabilities:Sales Tax"),
                                Amount(-tax, currency)))
    entry = Transaction(terms.date, f"Invoice {terms.number} to {order.customer}",
                        tuple(postings), Status.CLEARED, terms.number, "",
                        _tags(order, ("invoice", terms.number)))
    return (replace(order, invoices=(*order.invoices, new)), new, entry), []


# --- open items and payments ---------------------------------------------------------

class OpenInvoice(NamedTuple):
    """An invoice with what is still owed on it at a date."""

    order: str
    customer: str
    invoice: Invoice
    open_amount: Decimal


def open_invoices(sales: Iterable[SalesOrder], payments: Iterable[CustomerPayment],
                  day: dt.date | None = None) -> list[OpenInvoice]:
    """Invoices dated on or before ``day`` (every date when None) less what was applied."""
    applied: dict[str, Decimal] = {}
    for payment in payments:
        if day is None or payment.date <= day:
            for number, amount in payment.applied:
                applied[number] = applied.get(number, ZERO) + amount
    out = [OpenInvoice(order.number, order.customer, inv,
                       inv.total - applied.get(inv.number, ZERO))
           for order in sales for inv in order.invoices if day is None or inv.date <= day]
    return sorted(out, key=lambda o: (o.invoice.due, o.invoice.date, o.invoice.number))


def customer_credit(payments: Iterable[CustomerPayment], customer: str,
                    day: dt.date | None = None) -> Decimal:
    """What the customer paid beyond their invoices and is not yet applied."""
    return sum((p.unapplied for p in payments if p.customer == customer
                and (day is None or p.date <= day)), ZERO)


class PaymentRequest(NamedTuple):
    """A payment received: number, customer, amount, date, account, chosen invoices."""

    number: str
    customer: str
    amount: Decimal
    date: dt.date
    account: str
    invoices: tuple[str, ...] = ()


def receive_payment(request: PaymentRequest, owed: Sequence[OpenInvoice], currency: str,
                    receivable: str) -> tuple[tuple[CustomerPayment, Transaction] | None,
                                              list[Problem]]:
    """Apply a payment to the chosen invoices (else the oldest due first); keep the rest.

    An over-payment is allowed: the excess stays on the receivable account as the
    customer's credit and is applied to their next invoice.
    """
    if request.amount <= 0:
        return None, [Problem(code="bad-number", message=f"a payment must be positive, not "
                              f"{request.amount}", hint="give the amount received")]
    mine = [o for o in owed if o.customer == request.customer and o.open_amount > 0]
    if request.invoices:
        known = {o.invoice.number: o for o in owed if o.customer == request.customer}
        problems = [Problem(code="unknown-invoice", message=f"{number} is not an invoice to "
                            f"{request.customer}{closest(number, known)}",
                            hint="'biz aging ar' lists the open invoices")
                    for number in request.invoices if number not in known]
        problems += [Problem(code="over-payment", message=f"invoice {number} is paid in full",
                             hint="leave it out, or pay without naming invoices")
                     for number in request.invoices
                     if number in known and known[number].open_amount <= 0]
        if problems:
            return None, problems
        mine = [known[n] for n in request.invoices]
    left, applied = request.amount, []
    for owing in mine:
        if not left:
            break
        part = min(left, owing.open_amount)
        applied.append((owing.invoice.number, part))
        left -= part
    payment = CustomerPayment(number=request.number, customer=request.customer,
                              date=request.date, amount=request.amount, currency=currency,
                              account=request.account, applied=tuple(applied))
    money = Amount(request.amount, currency)
    paid = ", ".join(n for n, _ in applied) or "on account"
    tags = [("payment", request.number)]
    if len(applied) == 1:
        tags.append(("invoice", applied[0][0]))
    tags.append(("customer", request.customer))
    entry = Transaction(request.date, f"Payment from {request.customer} ({paid})",
                        (Posting(request.account, money),
                         Posting(receivable, -money, tags=(("customer", request.customer),))),
                        Status.CLEARED, request.number, "", tuple(tags))
    return (payment, entry), []


def apply_credit(payments: Sequence[CustomerPayment], customer: str, new: Invoice
                 ) -> list[CustomerPayment]:
    """Apply the customer's unapplied credit to a new invoice, oldest payment first.

    Nothing is posted: the credit already sits on the receivable account. The changed
    payments are returned.
    """
    left, changed = new.total, []
    for payment in sorted(payments, key=lambda p: (p.date, p.number)):
        if not left:
            break
        if payment.customer != customer or payment.unapplied <= 0:
            continue
        part = min(left, payment.unapplied)
        changed.append(replace(payment, applied=(*payment.applied, (new.number, part))))
        left -= part
    return changed


# --- credit and availability ---------------------------------------------------------

def exposure(customer: str, sales: Iterable[SalesOrder], payments: Iterable[CustomerPayment],
             places: int) -> Decimal:
    """Open receivables (invoices less payments and credit) plus open orders not invoiced."""
    sales = list(sales)
    owed = sum((o.open_amount for o in open_invoices(sales, payments)
                if o.customer == customer), ZERO) - customer_credit(payments, customer)
    ordered = ZERO
    for order in sales:
        if order.customer != customer or order.kind is not SaleKind.ORDER or order.cancelled:
            continue
        left = [replace(line, quantity=line.quantity - order.invoiced(line.item))
                for line in order.lines if line.quantity > order.invoiced(line.item)]
        ordered += gross_of(left, places)
    return owed + ordered


def reserved(sales: Iterable[SalesOrder], item: str, warehouse: str | None = None,
             but: str | None = None) -> Decimal:
    """Quantity of ``item`` promised on open orders (but order ``but``) and not shipped."""
    return sum((o.to_ship(item) for o in sales if o.number != but and o.kind is SaleKind.ORDER
                and (warehouse is None or o.warehouse == warehouse)), ZERO)


class Promise(NamedTuple):
    """Available-to-promise for one line: on hand - reserved + incoming by the date."""

    item: str
    quantity: Decimal
    on_hand: Decimal
    reserved: Decimal
    incoming: Decimal

    @property
    def available(self) -> Decimal:
        """What can be promised without taking stock from another order."""
        return self.on_hand - self.reserved + self.incoming


# --- cancelling ----------------------------------------------------------------------

class Cancelled(NamedTuple):
    """The cancelled order, and the stock returns it needs (with ``--return``)."""

    order: SalesOrder
    returns: tuple[StockMove, ...]


def cancel(order: SalesOrder, date: dt.date, ledger: Ledger, *, return_goods: bool
           ) -> tuple[Cancelled | None, list[Problem]]:
    """Cancel what is not shipped; with ``return_goods`` also take back what is not invoiced.

    Returned goods come back into the order's warehouse at the cost they left with
    (the stock receipt and the Inventory / COGS entry reverse the shipment). Invoiced
    goods stay: undoing those is a credit note, not a cancellation.
    """
    if order.cancelled:
        return None, [Problem(code="order-closed", message=f"{order.number} is already "
                              "cancelled", hint="nothing to do")]
    if order.kind is SaleKind.QUOTE and order.link:
        return None, [Problem(code="order-closed", message=f"quote {order.number} became "
                              f"{order.link}", hint=f"cancel {order.link} instead")]
    if order.state is SaleState.INVOICED:
        return None, [Problem(code="order-closed", message=f"{order.number} is invoiced in "
                              "full: there is nothing left to cancel",
                              hint="a return after invoicing is a credit note")]
    if date < order.date:
        return None, [Problem(code="bad-date", message=f"{date} is before the order date "
                              f"{order.date}", hint="date it on or after the order date")]
    returns: list[StockMove] = []
    for item in dict.fromkeys(line.item for line in order.lines):
        back = order.shipped(item) - order.invoiced(item)
        if not return_goods or item in ledger.services or back <= 0:
            continue
        lines = [x for s in order.shipments if not s.returned for x in s.lines if x.item == item]
        quantity = sum((x.quantity for x in lines), ZERO)
        cost = sum((x.cost for x in lines), ZERO)
        unit = (cost / quantity).quantize(Decimal(1).scaleb(-(ledger.places + 4)))
        returns.append(StockMove(date, MoveKind.RECEIPT, item, back, ledger.units.get(item, ""),
                                 order.warehouse, None, Amount(unit, order.currency),
                                 order.number, (("doc", order.number), ("return", "true"))))
    return Cancelled(order=replace(order, cancelled=True), returns=tuple(returns)), []


def returned(order: SalesOrder, date: dt.date, values: Sequence[ShippedLine],
             ledger: Ledger) -> tuple[SalesOrder, Transaction | None]:
    """Record goods taken back on cancelling, and the Inventory / COGS entry for them."""
    if not values:
        return order, None
    updated = replace(order, shipments=(*order.shipments, Shipment(
        date=date, lines=tuple(values), returned=True)))
    value = sum((x.cost for x in values), ZERO)
    amount = Amount(value, order.currency)
    entry = Transaction(
        date, f"Goods returned on cancelling {order.number} from {order.customer}",
        (Posting(ledger.account("inventory", "Assets:Inventory"), amount),
         Posting(ledger.account("cogs", "Expenses:Cost of Goods Sold"), -amount)),
        Status.CLEARED, order.number, "", _tags(order))
    return updated, entry
