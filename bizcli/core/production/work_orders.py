"""Work orders: make a quantity of an item from its BOM, in one go or in parts.

A work order copies its BOM when it is created (components and by-products per unit
made, scrap included, labour and overhead per unit), so editing ``boms.yaml`` later
does not change what an open order consumes. Completing ``q`` units backflushes:

- the components, ``q`` x their quantity per unit, are issued from the order's
  warehouse at their valuation cost (FIFO or moving average), into work in progress;
- labour and overhead, ``q`` x their rate, are absorbed into work in progress;
- any by-products come into stock at their cost in ``items.yaml``;
- the finished units come into stock at what is left: components + labour + overhead
  - by-products, so work in progress is empty again after every completion.

One journal entry per completion (DESIGN.md §5, work order consume and complete):

    Work in progress        components + labour + overhead
      Inventory                 components                  (issued)
      Labour and overhead       labour + overhead           (absorbed)
    Inventory               finished goods + by-products
      Work in progress          the same

The finished goods' unit cost is written with enough decimals that quantity x unit
cost rounds back to their value exactly, so the stock ledger and the inventory account
agree to the cent.
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
from bizcli.core.production.boms import Bom
from bizcli.core.source import SourceRef
from bizcli.core.stock.moves import MoveKind, StockMove


class WorkOrderState(str, enum.Enum):
    """Where a work order stands."""

    DRAFT = "draft"
    """Planned (by ``biz mrp run --commit``), not yet released to the shop floor."""
    OPEN = "open"
    PARTLY_COMPLETED = "partly-completed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Use(NamedTuple):
    """An item and a quantity: a component per unit made, or what a completion used."""

    item: str
    quantity: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    """Units finished on a date, what they consumed and yielded, and their value."""

    date: dt.date
    quantity: Decimal
    consumed: tuple[Use, ...]
    byproducts: tuple[Use, ...] = ()
    value: Decimal
    """The finished units' value (what came into stock)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkOrder:
    """One work order with what was completed on it so far."""

    number: str
    item: str
    quantity: Decimal
    date: dt.date
    due: dt.date
    warehouse: str
    components: tuple[Use, ...]
    """Quantity of each component per unit made (scrap included)."""
    byproducts: tuple[Use, ...] = ()
    """Quantity of each by-product per unit made."""
    labour: Decimal = ZERO
    overhead: Decimal = ZERO
    draft: bool = False
    cancelled: bool = False
    completions: tuple[Completion, ...] = ()
    planned: str | None = None
    """The MRP planned order it was committed from, if any (for the record)."""
    source: SourceRef | None = field(default=None, compare=False)

    @property
    def completed(self) -> Decimal:
        """Units finished so far."""
        return sum((c.quantity for c in self.completions), ZERO)

    @property
    def open_quantity(self) -> Decimal:
        """Units still to make (zero once cancelled)."""
        return ZERO if self.cancelled else max(self.quantity - self.completed, ZERO)

    @property
    def state(self) -> WorkOrderState:
        """Draft, open, partly completed, completed or cancelled."""
        if self.cancelled:
            return WorkOrderState.CANCELLED
        if self.completed >= self.quantity:
            return WorkOrderState.COMPLETED
        if self.completions:
            return WorkOrderState.PARTLY_COMPLETED
        return WorkOrderState.DRAFT if self.draft else WorkOrderState.OPEN

    def to_consume(self) -> tuple[Use, ...]:
        """What the units still to make will consume, per component."""
        left = self.open_quantity
        return tuple(Use(c.item, c.quantity * left) for c in self.components)


def find_work_order(orders: Sequence[WorkOrder], number: str) -> WorkOrder:
    """The work order with that number; an ``unknown-work-order`` error if none."""
    for order in orders:
        if order.number == number:
            return order
    raise fail("unknown-work-order", f"work order {number!r} does not exist"
               f"{closest(number, (o.number for o in orders))}",
               hint="'biz wo list' shows the work orders")


class NewWorkOrder(NamedTuple):
    """What ``biz wo create`` was asked for (after its item and warehouse were checked)."""

    number: str
    item: str
    quantity: Decimal
    date: dt.date
    due: dt.date
    warehouse: str
    draft: bool = False
    planned: str | None = None


def create(request: NewWorkOrder, bom: Bom | None) -> tuple[WorkOrder | None, list[Problem]]:
    """A work order for ``request`` with a copy of the item's BOM."""
    if bom is None:
        return None, [Problem(code="no-bom", message=f"{request.item} has no bill of "
                              "materials", hint="add one to boms.yaml ('biz bom show' "
                              "shows the BOMs there are)")]
    problems = []
    if request.quantity <= 0:
        problems.append(Problem(code="bad-quantity", message=f"cannot make {request.quantity}"
                                f" of {request.item}", hint="give a quantity above zero"))
    if request.due < request.date:
        problems.append(Problem(code="bad-date", message=f"the due date {request.due} is "
                                f"before the order date {request.date}",
                                hint="give a due date on or after the order date"))
    if problems:
        return None, problems
    return WorkOrder(number=request.number, item=request.item, quantity=request.quantity,
                     date=request.date, due=request.due, warehouse=request.warehouse,
                     components=tuple(Use(c.item, c.gross) for c in bom.components),
                     byproducts=tuple(Use(b.item, b.quantity) for b in bom.byproducts),
                     labour=bom.labour, overhead=bom.overhead, draft=request.draft,
                     planned=request.planned), []


class Booking(NamedTuple):
    """What a completion needs from the book: units, role accounts, currency, costs."""

    units: Mapping[str, str]
    roles: Mapping[str, str]
    currency: str
    places: int
    costs: Mapping[str, Decimal]
    """Unit cost of each item in ``items.yaml`` (by-products come in at it)."""


def completion_problems(order: WorkOrder, date: dt.date, quantity: Decimal | None
                        ) -> list[Problem]:
    """Why ``quantity`` units (all that is open when None) cannot be completed on ``date``."""
    state = order.state
    if state is WorkOrderState.CANCELLED:
        return [Problem(code="work-order-closed", message=f"{order.number} is cancelled",
                        hint="create a new work order")]
    if state is WorkOrderState.COMPLETED:
        return [Problem(code="work-order-closed", message=f"{order.number} is completed: "
                        "nothing is open", hint="'biz wo show' lists its completions")]
    if state is WorkOrderState.DRAFT:
        return [Problem(code="still-draft", message=f"{order.number} is a draft",
                        hint=f"release it first: biz wo release {order.number}")]
    if date < order.date:
        return [Problem(code="bad-date", message=f"{date} is before the order date "
                        f"{order.date}", hint="complete on or after the order date")]
    if quantity is not None and (quantity <= 0 or quantity > order.open_quantity):
        return [Problem(code="over-completion", message=f"cannot complete {quantity} of "
                        f"{order.item} on {order.number}: {order.open_quantity} open",
                        hint="complete at most the open quantity")]
    return []


def shortages(order: WorkOrder, quantity: Decimal, on_hand: Mapping[str, Decimal]
              ) -> list[Problem]:
    """One ``component-short`` problem per component the warehouse lacks."""
    problems = []
    for use in order.components:
        wanted = use.quantity * quantity
        have = on_hand.get(use.item, ZERO)
        if wanted > have:
            problems.append(Problem(
                code="component-short",
                message=f"{use.item}: {wanted} needed to make {quantity} {order.item}, "
                        f"{max(have, ZERO)} on hand in {order.warehouse} "
                        f"(short by {wanted - max(have, ZERO)})",
                hint="receive or transfer the components first, or complete fewer units"))
    return problems


def consumption(order: WorkOrder, date: dt.date, quantity: Decimal, units: Mapping[str, str]
                ) -> tuple[StockMove, ...]:
    """The component issues that backflush ``quantity`` units."""
    tags = (("doc", order.number),)
    return tuple(StockMove(date, MoveKind.ISSUE, use.item, use.quantity * quantity,
                           units.get(use.item, ""), order.warehouse, None, None,
                           order.number, tags)
                 for use in order.components if use.quantity * quantity > 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class CompletionResult:
    """What completing writes: the updated order, the stock moves and the entry."""

    order: WorkOrder
    moves: tuple[StockMove, ...]
    entry: Transaction


def complete(order: WorkOrder, date: dt.date, quantity: Decimal,
             issued: Sequence[tuple[StockMove, Decimal]], booking: Booking
             ) -> tuple[CompletionResult | None, list[Problem]]:
    """Finish ``quantity`` units, given the component issues and what each cost."""
    places, currency = booking.places, booking.currency
    materials = sum((cost for _, cost in issued), ZERO)
    labour = round_half_up(order.labour * quantity, places)
    overhead = round_half_up(order.overhead * quantity, places)
    byproducts = []
    credit = ZERO
    for use in order.byproducts:
        made = use.quantity * quantity
        unit_cost = booking.costs.get(use.item)
        if unit_cost is None:
            return None, [Problem(code="missing-unit-cost", message=f"by-product {use.item} has no "
                                  "cost in items.yaml", hint="give it a cost: by-products "
                                  "come into stock at it")]
        credit += round_half_up(made * unit_cost, places)
        byproducts.append((use.item, made, unit_cost))
    value = materials + labour + overhead - credit
    if value < 0:
        return None, [Problem(code="negative-cost", message=f"the by-products of {quantity} "
                              f"{order.item} are worth more than it cost to make",
                              hint="check the by-products' costs in items.yaml")]
    absorbed = labour + overhead
    if absorbed and "absorbed" not in booking.roles:
        return None, [Problem(code="missing-role", message=f"{order.number} absorbs labour "
                              "and overhead, and biz.yaml names no absorbed account",
                              hint="add 'absorbed: Expenses:Production Absorbed' under "
                                   "accounts: in biz.yaml (and the account to the chart)")]
    tags = (("doc", order.number),)
    unit = booking.units
    receipts = [StockMove(date, MoveKind.RECEIPT, order.item, quantity,
                          unit.get(order.item, ""), order.warehouse, None,
                          Amount(exact_unit_cost(value, quantity, places), currency),
                          order.number, tags)]
    receipts += [StockMove(date, MoveKind.RECEIPT, item, made, unit.get(item, ""),
                           order.warehouse, None, Amount(cost, currency), order.number, tags)
                 for item, made, cost in byproducts if made > 0]
    inventory = booking.roles.get("inventory", "Assets:Inventory")
    wip = booking.roles.get("wip", "Assets:Work in Progress")
    postings = [Posting(wip, Amount(materials + absorbed, currency)),
                Posting(inventory, Amount(-materials, currency))]
    if absorbed:
        postings.append(Posting(booking.roles["absorbed"], Amount(-absorbed, currency)))
    postings += [Posting(inventory, Amount(value + credit, currency)),
                 Posting(wip, Amount(-(value + credit), currency))]
    entry = Transaction(date, f"Work order {order.number}: {quantity} {order.item} made",
                        tuple(p for p in postings if p.amount and p.amount.quantity),
                        Status.CLEARED, order.number, "", tags)
    done = Completion(date=date, quantity=quantity,
                      consumed=tuple(Use(m.item, m.quantity) for m, _ in issued),
                      byproducts=tuple(Use(i, q) for i, q, _ in byproducts), value=value)
    updated = replace(order, completions=(*order.completions, done))
    return CompletionResult(order=updated, moves=(*(m for m, _ in issued), *receipts),
                            entry=entry), []


def exact_unit_cost(value: Decimal, quantity: Decimal, places: int) -> Decimal:
    """A unit cost with enough decimals that ``quantity`` x it rounds back to ``value``.

    The rounding error of the unit cost, times the quantity, must stay under half a
    cent: one more decimal than the quantity has digits before the point does it.
    """
    digits = len(str(int(quantity))) + 1 if quantity >= 1 else 1
    unit = round_half_up(value / quantity, places + digits).normalize()
    exponent = unit.as_tuple().exponent
    if not isinstance(exponent, int) or exponent > -places:
        return round_half_up(unit, places)  # no fewer decimals than the currency has
    return unit


def cancel(order: WorkOrder) -> tuple[WorkOrder | None, list[Problem]]:
    """Close an order: no more completions; what was completed stays."""
    if order.state in (WorkOrderState.CANCELLED, WorkOrderState.COMPLETED):
        return None, [Problem(code="work-order-closed",
                              message=f"{order.number} is already {order.state.value}",
                              hint="nothing to cancel")]
    return replace(order, cancelled=True), []


def release(order: WorkOrder) -> tuple[WorkOrder | None, list[Problem]]:
    """Release a draft to the shop floor."""
    if order.state is not WorkOrderState.DRAFT:
        return None, [Problem(code="not-draft",
                              message=f"{order.number} is {order.state.value}, not a draft",
                              hint="only a draft is released")]
    return replace(order, draft=False), []


def check_work_orders(orders: Sequence[WorkOrder], items: Mapping[str, object],
                      warehouses: Mapping[str, object]) -> list[Problem]:
    """Work orders name known items and warehouses, once each, and finish what they make."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for order in orders:
        if order.number in seen:
            problems.append(Problem(code="duplicate-work-order", source=order.source,
                                    message=f"work order {order.number} appears twice",
                                    hint="give each work order its own number"))
        seen.add(order.number)
        named = [order.item, *(u.item for u in (*order.components, *order.byproducts))]
        problems.extend(
            Problem(code="unknown-item", source=order.source,
                    message=f"item {code!r} of {order.number} is not in items.yaml"
                            f"{closest(code, items)}",
                    hint="add it to items.yaml or fix the code")
            for code in dict.fromkeys(named) if code not in items)
        if order.warehouse not in warehouses:
            near = closest(order.warehouse, warehouses)
            problems.append(Problem(code="unknown-warehouse", source=order.source,
                                    message=f"warehouse {order.warehouse!r} is not in "
                                            f"warehouses.yaml{near}",
                                    hint="add it to warehouses.yaml or fix the code"))
        if order.quantity <= 0 or order.completed > order.quantity:
            problems.append(Problem(code="bad-quantity", source=order.source,
                                    message=f"{order.number} makes {order.quantity} and has "
                                            f"completed {order.completed}",
                                    hint="a work order makes a positive quantity and "
                                         "completes at most that"))
    return problems
