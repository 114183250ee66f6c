"""Material requirements planning: the classical time-phased record, item by item.

Time is cut into ``buckets`` of ``bucket_days`` days from ``start`` (bucket 0 holds
``start``). Everything dated before ``start`` (an overdue order line, a late purchase
order) falls in bucket 0; a demand after the last bucket is outside the horizon and is
reported, not planned.

Items are planned in low-level-code order: an item is netted once, after every parent
that uses it has been planned, so an item used at several BOM levels gathers all its
dependent demand first. Per item and bucket ``t`` (quantities, never money):

    gross[t]      independent demand (orders, forecast, pipeline, open work orders'
                  components) + dependent demand (the parents' planned releases in t,
                  times quantity per unit, grossed up for scrap)
    available     projected[t-1] + receipts[t] - gross[t]   (projected[-1] = on hand)
    net[t]        max(0, safety_stock - available)
    planned[t]    the lot-size rule's quantity for net[t] (0 when net[t] is 0)
    projected[t]  available + planned[t]        (never below safety stock)
    release[t-L]  planned[t], L = ceil(lead time / bucket_days) buckets earlier

A release that falls before bucket 0 is kept, dated in the past, with a
``release-past-due`` exception; its components are needed in bucket 0.

Exception messages. A scheduled receipt (open purchase or work order) is *needed* in
the first bucket where on hand above safety stock and the receipts before it (by date)
no longer cover the cumulative gross requirements: if that bucket is earlier than the
receipt's, ``expedite``; later, ``defer``; never within the horizon, ``cancel``. A
receipt dated before ``start`` is a ``late-receipt``, an order line due before
``start`` a ``past-due-demand``. A *shortage* is an item whose stock and scheduled
receipts fall below zero within its lead time, where no new order can help.

Forecast demand is consumed by orders and pipeline demand in the same bucket: only the
part of the forecast above them is a requirement.

Pegging is first in, first out per item: on hand serves safety stock first, then the
demands in date order; then the scheduled receipts and planned orders in the order they
arrive. A component's planned order serves the parents' planned orders, and through
them the independent demands (``Plan.roots``): an order whose roots are all deals
exists only because of the pipeline. Pegging is worked out for every item the first
time a report asks for it, not while planning: the plan itself does not depend on it.

Lot sizes (``LotSize``): lot-for-lot orders the net requirement; ``fixed`` orders the
smallest whole number of lots of ``quantity`` that covers it (one order); ``periods``
orders what keeps the projected balance at or above safety stock through ``periods``
buckets (the one with the net requirement and the ``periods - 1`` after it, with their
scheduled receipts); then ``minimum`` raises the quantity, ``multiple`` rounds it up,
and ``maximum`` splits it into several orders of at most ``maximum`` each.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from bizcli.core.memory import no_cyclic_gc
from bizcli.core.money import ZERO
from bizcli.core.production.boms import Bom
from bizcli.core.production.lots import LotRule, LotSize, lot_quantities


@dataclass(frozen=True, slots=True, kw_only=True)
class Planning:
    """What MRP needs to know about one item."""

    item: str
    make: bool
    """Made with a BOM (planned as a work order), else bought (a purchase order)."""
    lead_time: int = 0
    """Days from release to receipt."""
    safety_stock: Decimal = ZERO
    lot: LotSize = field(default_factory=LotSize)
    supplier: str | None = None


class DemandKind(str, enum.Enum):
    """Where a gross requirement comes from."""

    ORDER = "order"
    """An open sales order line (what is left to ship)."""
    FORECAST = "forecast"
    """Forecast demand not already covered by orders and pipeline in its bucket."""
    PIPELINE = "pipeline"
    """A product line of an open deal likely to close."""
    WORK_ORDER = "work-order"
    """A component an open work order has yet to consume."""
    DEPENDENT = "dependent"
    """A component of a planned order of the parent."""
    SAFETY_STOCK = "safety-stock"
    """Stock kept back as safety stock (only in pegging)."""


@dataclass(frozen=True, slots=True)
class Demand:
    """A quantity of an item needed on a date, and the document it comes from."""

    item: str
    date: dt.date
    quantity: Decimal
    kind: DemandKind
    source: str
    """The document (``SO-2026-0012``, ``D-0007``, ``WO-2026-0003``) or ``forecast``."""


class ReceiptKind(str, enum.Enum):
    """What a scheduled receipt is."""

    PURCHASE = "purchase"
    WORK_ORDER = "work-order"


@dataclass(frozen=True, slots=True)
class ScheduledReceipt:
    """An open purchase order line or work order: its open quantity on its due date."""

    item: str
    date: dt.date
    quantity: Decimal
    kind: ReceiptKind
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MrpRequest:
    """Everything one MRP run plans from."""

    start: dt.date
    bucket_days: int
    buckets: int
    items: Mapping[str, Planning]
    boms: Mapping[str, Bom]
    on_hand: Mapping[str, Decimal]
    demands: Sequence[Demand] = ()
    receipts: Sequence[ScheduledReceipt] = ()


class Peg(NamedTuple):
    """A demand a planned order serves, and how much of it."""

    source: str
    kind: DemandKind
    date: dt.date
    quantity: Decimal


class PlannedOrder(NamedTuple):
    """An order MRP suggests: make (a work order) or buy (a purchase order).

    A named tuple, not a dataclass: a plan of 10,000 items holds 200,000 of them.
    """

    number: str
    """``PL-0001``...: stable for the same input, in planning order."""
    item: str
    make: bool
    quantity: Decimal
    release: dt.date
    due: dt.date
    release_bucket: int
    """May be negative: the order should have been released already."""
    due_bucket: int
    supplier: str | None = None


_PIPELINE = frozenset({DemandKind.PIPELINE})


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemRecord:
    """The time-phased record of one item, one value per bucket."""

    item: str
    level: int
    """Low-level code: 0 for items no BOM uses, else one more than its deepest parent."""
    make: bool
    on_hand: Decimal
    safety_stock: Decimal
    lead_buckets: int
    gross: tuple[Decimal, ...]
    receipts: tuple[Decimal, ...]
    projected: tuple[Decimal, ...]
    net: tuple[Decimal, ...]
    planned_receipts: tuple[Decimal, ...]
    planned_releases: tuple[Decimal, ...]
    past_due_releases: Decimal = ZERO
    """Planned releases that fall before bucket 0 (not in ``planned_releases``)."""


class ExceptionKind(str, enum.Enum):
    """The exception messages a planner acts on."""

    RELEASE_PAST_DUE = "release-past-due"
    EXPEDITE = "expedite"
    DEFER = "defer"
    CANCEL = "cancel"
    LATE_RECEIPT = "late-receipt"
    PAST_DUE_DEMAND = "past-due-demand"


@dataclass(frozen=True, slots=True, kw_only=True)
class MrpException:
    """One exception message: what, about which item and document, and the dates."""

    kind: ExceptionKind
    item: str
    source: str
    """The planned order, scheduled receipt or demand it is about."""
    date: dt.date
    """The date it has now."""
    to: dt.date | None = None
    """The date it should have (expedite, defer), when there is one."""
    quantity: Decimal = ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class Shortage:
    """An item that runs out before an order released today could arrive.

    Within the item's lead time only stock and scheduled receipts can cover the
    requirements; where they fall below zero (safety stock aside) the item is short.
    """

    item: str
    date: dt.date
    """The start of the first bucket in which it runs short."""
    quantity: Decimal
    """The largest shortfall within the lead time."""


class Pegging:
    """Per item, the demands and supply its planned orders were netted against.

    Pegging is worked out for every item at once, the first time a report asks for it:
    ``biz mrp record`` or the exceptions never pay for it. One pass matches supply to
    demand first in, first out, item by item (``_trace``), and keeps the run of
    demands each planned order serves. One more pass over those runs, parents' orders
    first, finds what each order serves in the end (``_resolve``); an order's pegs are
    built from its run when asked for. Planned orders are known by their index in
    ``Plan.orders`` (``PL-0001`` is 0).
    """

    def __init__(self, start: dt.date | None = None) -> None:
        self.start = start
        self.inputs: dict[str, tuple[list[_Need], Decimal, list[_Supply]]] = {}
        """Per item, in planning order: its gross requirements, safety stock, supply."""
        self.count = 0
        """How many planned orders there are."""
        self.spans: list[_Span | None] | None = None
        """Per planned order, the run it serves (None: nothing)."""
        self.ends: list[_End] = []
        """Per planned order, what it serves in the end (``_resolve``)."""
        self.kept = -1
        """How many roots ``ends`` keeps per order (-1: not worked out yet)."""

    def traced(self) -> list[_Span | None]:
        """The run of every planned order, matched once."""
        spans = self.spans
        if spans is None:
            spans = self.spans = [None] * self.count
            with no_cyclic_gc():
                start, safety_rank = self.start, _RANK[DemandKind.SAFETY_STOCK]
                for needs, safety, pool in self.inputs.values():
                    needs.sort()  # bucket, date, kind, source (then quantity)
                    if safety > 0 and start is not None:
                        needs.insert(0, (0, start, safety_rank, "safety stock", safety, -1))
                    _trace(needs, pool, spans)
        return spans

    def pegs_of(self, index: int) -> tuple[Peg, ...]:
        """The demands planned order ``index`` serves directly, one per source and kind."""
        span = self.traced()[index]
        return _pegs(span) if span else ()

    def end_of(self, index: int, roots: int = 0) -> _End:
        """What planned order ``index`` serves in the end.

        Its kinds as bits, and at least ``roots`` of its first roots if it has that
        many, plus one: to tell there are more.
        """
        if self.kept <= roots:
            spans = self.traced()
            self.kept = max(roots + 1, _KEPT_ROOTS)
            with no_cyclic_gc():
                self.ends = _resolve(spans, self.kept)
        return self.ends[index]


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """The result of one MRP run."""

    start: dt.date
    bucket_days: int
    buckets: int
    records: Mapping[str, ItemRecord]
    orders: tuple[PlannedOrder, ...]
    exceptions: tuple[MrpException, ...]
    shortages: tuple[Shortage, ...]
    beyond_horizon: tuple[Demand, ...] = ()
    """Demands dated after the last bucket: not planned."""
    pegging: Pegging = field(default_factory=Pegging, compare=False)
    """What pegging needs, item by item; pegging is worked out when first asked for."""
    positions: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Where each planned order is in ``orders``, by number: mapped when pegging is
    first asked for."""

    def bucket_start(self, bucket: int) -> dt.date:
        """The first day of ``bucket`` (negative buckets lie before ``start``)."""
        return self.start + dt.timedelta(days=bucket * self.bucket_days)

    def pegs(self, order: PlannedOrder) -> tuple[Peg, ...]:
        """The demands ``order`` serves directly (a component's: its parents' orders)."""
        return self.pegging.pegs_of(self._index(order))

    def root_kinds(self, order: PlannedOrder) -> frozenset[DemandKind]:
        """The kinds of the independent demands ``order`` serves in the end."""
        return _kind_set(self.pegging.end_of(self._index(order))[0])

    def pipeline_only(self, order: PlannedOrder) -> bool:
        """True when every demand ``order`` serves in the end is a deal in the pipeline."""
        return self.root_kinds(order) == _PIPELINE

    def roots(self, order: PlannedOrder, limit: int = 5
              ) -> tuple[tuple[tuple[str, DemandKind], ...], bool]:
        """The first ``limit`` demands ``order`` serves in the end, and if there are more.

        Independent demands (orders, deals, forecast, work orders, safety stock), in the
        order of its pegs, through its parents' planned orders. A raw material used
        everywhere serves thousands of orders: the first few are worked out for every
        order at once, the first time they are asked for, not kept on every order.
        """
        roots = self.pegging.end_of(self._index(order), limit)[1]
        return roots[:limit], len(roots) > limit

    def _index(self, order: PlannedOrder) -> int:
        """Where ``order`` is in ``orders`` (mapped the first time pegging is asked for)."""
        positions = self.positions
        if not positions:
            positions.update((o.number, index) for index, o in enumerate(self.orders))
        index = positions.get(order.number)
        if index is None or (self.orders[index] is not order and self.orders[index] != order):
            raise ValueError(f"{order.number} is not a planned order of this plan")
        return index


_KINDS = tuple(DemandKind)
_End = tuple[int, tuple[tuple[str, DemandKind], ...]]
"""What a planned order serves in the end: the kinds as bits (``1 << _RANK[kind]``),
and its first roots (independent demands, as source and kind) up to a number kept."""
_NOTHING: _End = (0, ())
_KEPT_ROOTS = 6
"""Roots kept per order unless more are asked for: the reports show 3 or 5, and
"more"."""
_RANK = {kind: index for index, kind in enumerate(_KINDS)}
_DEPENDENT = _RANK[DemandKind.DEPENDENT]


_Need = tuple[int, dt.date, int, str, Decimal, int]
"""A gross requirement kept for pegging: (bucket, date, rank of its kind, source,
quantity, the index of the parent's planned order in ``Plan.orders`` or -1). Plain
tuples, in the order supply serves them: a plan of 10,000 items builds hundreds of
thousands and sorts them without a key function."""

_Supply = tuple[int, Decimal, int]
"""Supply in pegging order: (bucket, quantity, index of the planned order or -1)."""

_Stub = tuple[int, Decimal, int, int]
"""A planned order before it is made: (its index in ``Plan.orders``, quantity, due
bucket, release bucket). Its number is ``PL-`` and the index plus one."""


def plan(request: MrpRequest, on_items: Callable[[int], None] | None = None) -> Plan:
    """Run MRP over ``request``: records, planned orders, exceptions, shortages.

    The cycle collector is paused meanwhile (``no_cyclic_gc``). ``on_items`` is told of
    every 100 items planned (a progress bar over ``len(request.items)``).
    """
    with no_cyclic_gc():
        run = _Run(request)
        order = sorted(request.items, key=lambda code: (run.levels.get(code, 0), code))
        for done, item in enumerate(order, 1):
            run.plan_item(request.items[item])
            if on_items is not None and (done % 100 == 0 or done == len(order)):
                on_items(100 if done % 100 == 0 else done % 100)
        run.pegging.count = len(run.orders)
        exceptions = sorted(run.exceptions,
                            key=lambda e: (e.date, e.item, e.kind.value, e.source))
        return Plan(start=request.start, bucket_days=request.bucket_days,
                    buckets=request.buckets, records=run.records, orders=tuple(run.orders),
                    exceptions=tuple(exceptions), shortages=tuple(run.shortages),
                    beyond_horizon=tuple(run.beyond),
                    pegging=run.pegging)


class _Run:
    """The state of one MRP run, filled in item by item in low-level-code order."""

    def __init__(self, request: MrpRequest) -> None:
        from bizcli.core.production.boms import low_level_codes

        self.request = request
        self.levels = low_level_codes(request.boms, request.items)
        self.days = request.bucket_days
        self.starts = [request.start + dt.timedelta(days=b * self.days)
                       for b in range(request.buckets)]
        earliest = -max((_lead_buckets(p, self.days) for p in request.items.values()),
                        default=0)
        self.days_of = {b: request.start + dt.timedelta(days=b * self.days)
                        for b in range(earliest, request.buckets)}
        """The first day of every bucket an order can be due or released in."""
        self.records: dict[str, ItemRecord] = {}
        self.orders: list[PlannedOrder] = []
        self.exceptions: list[MrpException] = []
        self.shortages: list[Shortage] = []
        self.beyond: list[Demand] = []
        self.needs: dict[str, list[_Need]] = {}
        self.supplies: dict[str, list[ScheduledReceipt]] = {}
        self.pegging = Pegging(request.start)
        self.numbers = itertools.count()
        self._gather()

    def bucket(self, date: dt.date) -> int:
        """The bucket of a date: bucket 0 for the past, ``buckets`` past the horizon."""
        days = (date - self.request.start).days
        return max(days // self.days, 0)

    def _gather(self) -> None:
        """Index the independent demand and scheduled receipts per item, in buckets."""
        request, horizon = self.request, self.request.buckets
        forecast: dict[tuple[str, int], Decimal] = {}
        booked: dict[tuple[str, int], Decimal] = {}
        for demand in request.demands:
            bucket = self.bucket(demand.date)
            key = (demand.item, bucket)
            if bucket >= horizon:
                self.beyond.append(demand)
            elif demand.kind is DemandKind.FORECAST:
                forecast[key] = forecast.get(key, ZERO) + demand.quantity
            else:
                if demand.kind in (DemandKind.ORDER, DemandKind.PIPELINE):
                    booked[key] = booked.get(key, ZERO) + demand.quantity
                self._need(demand, bucket)
        for (item, bucket), quantity in sorted(forecast.items()):
            left = quantity - booked.get((item, bucket), ZERO)
            if left > 0:
                self.needs.setdefault(item, []).append(
                    (bucket, self.starts[bucket], _RANK[DemandKind.FORECAST], "forecast", left,
                     -1))
        for receipt in request.receipts:
            if self.bucket(receipt.date) < horizon:
                self.supplies.setdefault(receipt.item, []).append(receipt)
            if receipt.date < request.start:
                self.exceptions.append(MrpException(
                    kind=ExceptionKind.LATE_RECEIPT, item=receipt.item, source=receipt.source,
                    date=receipt.date, to=request.start, quantity=receipt.quantity))

    def _need(self, demand: Demand, bucket: int) -> None:
        start = self.request.start
        if demand.kind is DemandKind.ORDER and demand.date < start:
            self.exceptions.append(MrpException(
                kind=ExceptionKind.PAST_DUE_DEMAND, item=demand.item, source=demand.source,
                date=demand.date, quantity=demand.quantity))
        self.needs.setdefault(demand.item, []).append(
            (bucket, max(demand.date, start), _RANK[demand.kind], demand.source,
             demand.quantity, -1))

    def plan_item(self, planning: Planning) -> None:
        """Net one item, size and offset its orders, peg them, explode them."""
        item, count = planning.item, self.request.buckets
        on_hand = self.request.on_hand.get(item, ZERO)
        needs = self.needs.pop(item, [])
        gross = [ZERO] * count
        for bucket, _, _, _, quantity, _ in needs:
            gross[bucket] += quantity
        receipts = [ZERO] * count
        supplies = sorted(self.supplies.pop(item, []), key=lambda r: (r.date, r.source))
        for receipt in supplies:
            receipts[self.bucket(receipt.date)] += receipt.quantity
        self._receipt_messages(item, on_hand - planning.safety_stock, gross, supplies)
        lead = _lead_buckets(planning, self.days)
        self._shortage(item, on_hand, gross, receipts[:lead])
        record, stubs = self._net(planning, _Rows(on_hand, gross, receipts), lead)
        self.records[item] = record
        if stubs:  # kept for pegging, done when a report first asks for it
            pool: list[_Supply] = [(-1, on_hand, -1)] if on_hand > 0 else []
            pool += [(self.bucket(r.date), r.quantity, -1) for r in supplies]
            pool += [(due, quantity, index) for index, quantity, due, _ in stubs]
            self.pegging.inputs[item] = (needs, planning.safety_stock, pool)
        orders = self._orders(planning, stubs)
        self.orders.extend(orders)
        self._explode(planning, orders)

    def _net(self, planning: Planning, rows: _Rows, lead: int
             ) -> tuple[ItemRecord, list[_Stub]]:
        """The time-phased record: net, size, offset; and the planned orders."""
        count, safety, lot = len(rows.gross), planning.safety_stock, planning.lot
        receipts, gross = rows.receipts, rows.gross
        projected, net = [ZERO] * count, [ZERO] * count
        planned, releases = [ZERO] * count, [ZERO] * count
        past_due = ZERO
        mine: list[_Stub] = []
        numbers = self.numbers
        periods = lot.periods or 0 if lot.rule is LotRule.PERIODS else 0
        plain = lot.rule is LotRule.LOT_FOR_LOT and lot.minimum is None and (
            lot.maximum is None and not lot.multiple)
        balance = rows.on_hand
        for t in range(count):
            available = balance + receipts[t] - gross[t]
            if available < safety:
                net[t] = cover = safety - available
                if periods:
                    running = available
                    for k in range(t + 1, min(t + periods, count)):
                        running += receipts[k] - gross[k]
                        cover = max(cover, safety - running)
                if plain:
                    total = cover
                    mine.append((next(numbers), cover, t, t - lead))
                else:
                    sizes = lot_quantities(lot, net[t], cover)
                    if len(sizes) == 1:
                        total = sizes[0]
                        mine.append((next(numbers), total, t, t - lead))
                    else:
                        mine.extend([(next(numbers), quantity, t, t - lead)
                                     for quantity in sizes])
                        total = sum(sizes, ZERO)
                planned[t] = total
                if t >= lead:
                    releases[t - lead] = total
                else:
                    past_due += total
                available += total
            projected[t] = balance = available
        record = ItemRecord(
            item=planning.item, level=self.levels.get(planning.item, 0), make=planning.make,
            on_hand=rows.on_hand, safety_stock=safety, lead_buckets=lead, gross=tuple(gross),
            receipts=tuple(receipts), projected=tuple(projected), net=tuple(net),
            planned_receipts=tuple(planned), planned_releases=tuple(releases),
            past_due_releases=past_due)
        return record, mine

    def _orders(self, planning: Planning, stubs: list[_Stub]) -> list[PlannedOrder]:
        """The planned orders of one item."""
        if not stubs:
            return []
        item, make = planning.item, planning.make
        supplier = None if make else planning.supplier
        days = self.days_of
        numbers = [f"PL-{index + 1:04d}" for index, _, _, _ in stubs]
        new = tuple.__new__  # PlannedOrder(...) without its Python-level __new__
        return [new(PlannedOrder, (number, item, make, quantity, days[release], days[due],
                                   release, due, supplier))
                for number, (_, quantity, due, release) in zip(numbers, stubs, strict=True)]

    def _explode(self, planning: Planning, orders: list[PlannedOrder]) -> None:
        """Past-due releases; each made order's components, needed at its release."""
        start = self.request.start
        self.exceptions += [MrpException(
            kind=ExceptionKind.RELEASE_PAST_DUE, item=order.item, source=order.number,
            date=order.release, to=start, quantity=order.quantity)
            for order in orders if order.release_bucket < 0]
        bom = self.request.boms.get(planning.item) if planning.make else None
        if bom is None or not orders:
            return
        first, starts, dependent = len(self.orders) - len(orders), self.starts, _DEPENDENT
        made = [(bucket, starts[bucket], order.number, order.quantity, index)
                for index, order in enumerate(orders, first)
                for bucket in (max(order.release_bucket, 0),)]
        for line in bom.components:
            gross = line.gross
            self.needs.setdefault(line.item, []).extend([
                (bucket, day, dependent, number, quantity * gross, index)
                for bucket, day, number, quantity, index in made])

    def _receipt_messages(self, item: str, free: Decimal, gross: list[Decimal],
                          supplies: list[ScheduledReceipt]) -> None:
        """Expedite, defer or cancel each scheduled receipt, by the date it is needed.

        A receipt is needed in the first bucket where the stock above safety stock and
        the receipts before it no longer cover the cumulative gross requirements.
        """
        if not supplies:
            return
        count, cumulative, total = len(gross), [], ZERO
        for quantity in gross:
            total += quantity
            cumulative.append(total)
        bucket = 0
        for receipt in supplies:
            while bucket < count and free - cumulative[bucket] >= 0:
                bucket += 1
            free += receipt.quantity
            due = self.bucket(receipt.date)
            if bucket >= count:
                self.exceptions.append(MrpException(
                    kind=ExceptionKind.CANCEL, item=item, source=receipt.source,
                    date=receipt.date, quantity=receipt.quantity))
            elif bucket != due:
                kind = ExceptionKind.EXPEDITE if bucket < due else ExceptionKind.DEFER
                self.exceptions.append(MrpException(
                    kind=kind, item=item, source=receipt.source, date=receipt.date,
                    to=self.starts[bucket], quantity=receipt.quantity))

    def _shortage(self, item: str, on_hand: Decimal, gross: list[Decimal],
                  receipts: list[Decimal]) -> None:
        """Where stock and scheduled receipts run out before a new order could arrive.

        ``receipts`` covers the buckets within the lead time only.
        """
        balance, first, worst = on_hand, -1, ZERO
        for t, (came, went) in enumerate(zip(receipts, gross, strict=False)):
            balance += came - went
            if balance < 0:
                if first < 0:
                    first = t
                worst = max(worst, -balance)
        if first >= 0:
            self.shortages.append(Shortage(item=item, date=self.starts[first], quantity=worst))


def _lead_buckets(planning: Planning, days: int) -> int:
    """The item's lead time in whole buckets, rounded up."""
    return -(-planning.lead_time // days) if planning.lead_time > 0 else 0


class _Rows(NamedTuple):
    on_hand: Decimal
    gross: list[Decimal]
    receipts: list[Decimal]


_Span = tuple[list[_Need], list[Decimal], Decimal, Decimal, int, int]
"""The demands one planned order serves: ``(needs, ends, before, after, first, last)``.

``needs`` are its item's gross requirements in the order supply serves them and
``ends`` their running total. The order's supply covers the running total from
``before`` to ``after``: it serves ``needs[first]`` to ``needs[last]``, the first and
last perhaps in part."""


def _trace(needs: list[_Need], pool: list[_Supply], spans: list[_Span | None]) -> None:
    """Match supply to demand first in, first out: the run each planned order serves.

    The pool is on hand, scheduled receipts and planned orders; they serve in the
    order they arrive (receipts before planned orders in a bucket). Laid end to end,
    supply and demand are two running totals: a supply serves the demands whose
    stretch of the total overlaps its own, found by bisection.
    """
    quantities = [need[4] for need in needs]
    if quantities and min(quantities) <= 0:  # nothing to serve: not pegged
        needs = [need for need in needs if need[4] > 0]
        quantities = [need[4] for need in needs]
    pool.sort(key=_bucket_of)  # stable
    amounts = [supply[1] for supply in pool]
    if amounts and min(amounts) <= 0:  # serves nothing
        pool = [supply for supply in pool if supply[1] > 0]
        amounts = [supply[1] for supply in pool]
    if not needs or not pool:
        return
    ends = list(itertools.accumulate(quantities))
    afters = list(itertools.accumulate(amounts))
    final, everything = len(ends) - 1, itertools.repeat(ends)
    firsts = map(bisect.bisect_right, everything, [ZERO, *afters])
    lasts = map(bisect.bisect_left, everything, afters)
    before = ZERO
    for (_, _, index), after, first, reach in zip(pool, afters, firsts, lasts, strict=False):
        if first > final:
            return  # all demand is served
        last = min(reach, final)
        if index >= 0 and first <= last:  # (a supply lost in rounding serves nothing)
            spans[index] = (needs, ends, before, after, first, last)
        before = after


def _bucket_of(supply: _Supply) -> int:
    return supply[0]


def _resolve(spans: list[_Span | None], kept: int) -> list[_End]:
    """Per planned order, the kinds of demand it serves in the end and its first roots.

    A component's order serves its parents' orders: it takes their kinds, and their
    roots in the order of its pegs, without repeats, up to ``kept`` (a parent's first
    ``kept`` are the start of its child's when it has that many). Parents' orders come
    first in ``spans``.
    """
    ends: list[_End] = [_NOTHING] * len(spans)
    names, dependent = _KINDS, _DEPENDENT
    for number, span in enumerate(spans):
        if span is None:
            continue
        needs, _, _, _, first, last = span
        if first == last:  # one demand: its parent's, or itself
            _, _, rank, source, _, parent = needs[first]
            ends[number] = (ends[parent] if rank == dependent
                            else (1 << rank, ((source, names[rank]),)))
        else:
            ends[number] = _merge(needs[first:last + 1], ends, kept)
    return ends


def _merge(needs: list[_Need], ends: list[_End], kept: int) -> _End:
    """What an order serving ``needs`` serves in the end, their parents' ``ends`` known."""
    first = needs[0]
    if first[2] == _DEPENDENT and len(ends[first[5]][1]) >= kept:
        # its first parent's first roots are its own (most components' orders, deep
        # down): only the kinds are left to gather
        mask = 0
        for _, _, rank, _, _, parent in needs:
            mask |= ends[parent][0] if rank == _DEPENDENT else 1 << rank
        return mask, ends[first[5]][1]
    mask, found, names = 0, list[tuple[str, DemandKind]](), _KINDS
    for _, _, rank, source, _, parent in needs:
        if rank == _DEPENDENT:
            theirs, roots = ends[parent]
            mask |= theirs
            if len(found) < kept:
                for root in roots:  # a loop, not a comprehension: a third faster
                    if root not in found:
                        found.append(root)
        else:
            mask |= 1 << rank
            if len(found) < kept:
                root = (source, names[rank])
                if root not in found:
                    found.append(root)
    return mask, tuple(found[:kept])


def _pegs(span: _Span) -> tuple[Peg, ...]:
    """The pegs of one planned order: its run of demands, one per source and kind."""
    needs, ends, before, after, first, last = span
    served: dict[tuple[str, int], list[Any]] = {}
    for index in range(first, last + 1):
        _, day, rank, source, _, _ = needs[index]
        start = ends[index - 1] if index else ZERO
        taken = min(ends[index], after) - max(start, before)
        key = (source, rank)
        if key in served:
            served[key][1] += taken
        else:
            served[key] = [day, taken]
    return tuple([Peg(source, _KINDS[rank], day, taken)
                  for (source, rank), (day, taken) in served.items()])


_KIND_SETS: dict[int, frozenset[DemandKind]] = {}


def _kind_set(mask: int) -> frozenset[DemandKind]:
    """The kinds whose bits (``1 << _RANK[kind]``) are set in ``mask``."""
    found = _KIND_SETS.get(mask)
    if found is None:
        found = _KIND_SETS[mask] = frozenset(
            kind for kind, rank in _RANK.items() if mask >> rank & 1)
    return found
