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
them the independent demands (``roots``): an order whose roots are all deals exists only
because of the pipeline.

Lot sizes (``LotSize``): lot-for-lot orders the net requirement; ``fixed`` orders the
smallest whole number of lots of ``quantity`` that covers it (one order); ``periods``
orders what keeps the projected balance at or above safety stock through ``periods``
buckets (the one with the net requirement and the ``periods - 1`` after it, with their
scheduled receipts); then ``minimum`` raises the quantity, ``multiple`` rounds it up,
and ``maximum`` splits it into several orders of at most ``maximum`` each.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import NamedTuple

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


@dataclass(frozen=True, slots=True)
class Peg:
    """A demand a planned order (or a stock) serves, and how much of it."""

    source: str
    kind: DemandKind
    date: dt.date
    quantity: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedOrder:
    """An order MRP suggests: make (a work order) or buy (a purchase order)."""

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
    pegs: tuple[Peg, ...] = ()
    """The demands it serves directly (for a component: the parents' planned orders)."""
    roots: tuple[tuple[str, DemandKind], ...] = ()
    """The independent demands it serves in the end, through every level."""

    @property
    def pipeline_only(self) -> bool:
        """True when every demand it serves in the end is a deal in the pipeline."""
        return bool(self.roots) and all(k is DemandKind.PIPELINE for _, k in self.roots)


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

    def bucket_start(self, bucket: int) -> dt.date:
        """The first day of ``bucket`` (negative buckets lie before ``start``)."""
        return self.start + dt.timedelta(days=bucket * self.bucket_days)


_KIND_ORDER = {kind: index for index, kind in enumerate(DemandKind)}


class _Need(NamedTuple):
    """A gross requirement in a bucket, kept for pegging."""

    bucket: int
    date: dt.date
    quantity: Decimal
    kind: DemandKind
    source: str


class _Supply(NamedTuple):
    bucket: int
    quantity: Decimal
    order: PlannedOrder | None


def plan(request: MrpRequest) -> Plan:
    """Run MRP over ``request``: records, planned orders, exceptions, shortages."""
    run = _Run(request)
    for item in sorted(request.items, key=lambda code: (run.levels.get(code, 0), code)):
        run.plan_item(request.items[item])
    exceptions = sorted(run.exceptions, key=lambda e: (e.date, e.item, e.kind.value, e.source))
    return Plan(start=request.start, bucket_days=request.bucket_days,
                buckets=request.buckets, records=run.records, orders=tuple(run.orders),
                exceptions=tuple(exceptions), shortages=tuple(run.shortages),
                beyond_horizon=tuple(run.beyond))


class _Run:
    """The state of one MRP run, filled in item by item in low-level-code order."""

    def __init__(self, request: MrpRequest) -> None:
        from bizcli.core.production.boms import low_level_codes

        self.request = request
        self.levels = low_level_codes(request.boms, request.items)
        self.days = request.bucket_days
        self.starts = [request.start + dt.timedelta(days=b * self.days)
                       for b in range(request.buckets)]
        self.records: dict[str, ItemRecord] = {}
        self.orders: list[PlannedOrder] = []
        self.exceptions: list[MrpException] = []
        self.shortages: list[Shortage] = []
        self.beyond: list[Demand] = []
        self.needs: dict[str, list[_Need]] = {}
        self.supplies: dict[str, list[ScheduledReceipt]] = {}
        self.roots: dict[str, tuple[tuple[str, DemandKind], ...]] = {}
        self.numbers = itertools.count(1)
        self._gather()

    def bucket(self, date: dt.date) -> int:
        """The bucket of a date: bucket 0 for the past, ``buckets`` past the horizon."""
        days = (date - self.request.start).days
        return max(days // self.days, 0)

    def start_of(self, bucket: int) -> dt.date:
        if 0 <= bucket < len(self.starts):
            return self.starts[bucket]
        return self.request.start + dt.timedelta(days=bucket * self.days)

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
                self.needs.setdefault(item, []).append(_Need(
                    bucket, self.starts[bucket], left, DemandKind.FORECAST, "forecast"))
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
        self.needs.setdefault(demand.item, []).append(_Need(
            bucket, max(demand.date, start), demand.quantity, demand.kind, demand.source))

    def plan_item(self, planning: Planning) -> None:
        """Net one item, size and offset its orders, peg them, explode them."""
        item, count = planning.item, self.request.buckets
        on_hand = self.request.on_hand.get(item, ZERO)
        needs = self.needs.pop(item, [])
        gross = [ZERO] * count
        for need in needs:
            gross[need.bucket] += need.quantity
        receipts = [ZERO] * count
        supplies = sorted(self.supplies.pop(item, []), key=lambda r: (r.date, r.source))
        for receipt in supplies:
            receipts[self.bucket(receipt.date)] += receipt.quantity
        self._receipt_messages(item, on_hand - planning.safety_stock, gross, supplies)
        lead = -(-planning.lead_time // self.days) if planning.lead_time > 0 else 0
        self._shortage(item, on_hand, gross, receipts[:lead])
        record, mine = self._net(planning, _Rows(on_hand, gross, receipts), lead)
        self.records[item] = record
        pool = [_Supply(-1, on_hand, None)] if on_hand > 0 else []
        pool += [_Supply(self.bucket(r.date), r.quantity, None) for r in supplies]
        pool += [_Supply(o.due_bucket, o.quantity, o) for o in mine]
        pegged = self._with_roots(mine, _fifo(self._demands(needs, planning), pool))
        self.orders.extend(pegged)
        self._explode(planning, pegged)

    def _net(self, planning: Planning, rows: _Rows, lead: int
             ) -> tuple[ItemRecord, list[PlannedOrder]]:
        """The time-phased record: net, size, offset; and the planned orders."""
        count, safety, lot = len(rows.gross), planning.safety_stock, planning.lot
        receipts, gross = rows.receipts, rows.gross
        projected, net = [ZERO] * count, [ZERO] * count
        planned, releases = [ZERO] * count, [ZERO] * count
        past_due = ZERO
        mine: list[PlannedOrder] = []
        balance = rows.on_hand
        for t in range(count):
            available = balance + receipts[t] - gross[t]
            if available < safety:
                net[t] = cover = safety - available
                if lot.rule is LotRule.PERIODS and lot.periods:
                    running = available
                    for k in range(t + 1, min(t + lot.periods, count)):
                        running += receipts[k] - gross[k]
                        cover = max(cover, safety - running)
                for quantity in lot_quantities(lot, net[t], cover):
                    mine.append(self._order(planning, quantity, t, t - lead))
                    planned[t] += quantity
                if t >= lead:
                    releases[t - lead] += planned[t]
                else:
                    past_due += planned[t]
                available += planned[t]
            projected[t] = balance = available
        record = ItemRecord(
            item=planning.item, level=self.levels.get(planning.item, 0), make=planning.make,
            on_hand=rows.on_hand, safety_stock=safety, lead_buckets=lead, gross=tuple(gross),
            receipts=tuple(receipts), projected=tuple(projected), net=tuple(net),
            planned_receipts=tuple(planned), planned_releases=tuple(releases),
            past_due_releases=past_due)
        return record, mine

    def _order(self, planning: Planning, quantity: Decimal, due: int,
               release: int) -> PlannedOrder:
        return PlannedOrder(
            number=f"PL-{next(self.numbers):04d}", item=planning.item,
            make=planning.make, quantity=quantity, release=self.start_of(release),
            due=self.start_of(due), release_bucket=release, due_bucket=due,
            supplier=None if planning.make else planning.supplier)

    def _demands(self, needs: list[_Need], planning: Planning) -> list[_Need]:
        """The demands in the order supply serves them: safety stock, then by date."""
        demands = sorted(needs, key=lambda n: (n.bucket, n.date, _KIND_ORDER[n.kind], n.source))
        if planning.safety_stock > 0:
            demands.insert(0, _Need(0, self.request.start, planning.safety_stock,
                                    DemandKind.SAFETY_STOCK, "safety stock"))
        return demands

    def _with_roots(self, mine: list[PlannedOrder], pegs: Mapping[str, list[Peg]]
                    ) -> list[PlannedOrder]:
        """The orders with their pegs, and the independent demands behind them."""
        out = []
        for order in mine:
            served = pegs.get(order.number, [])
            roots: dict[tuple[str, DemandKind], None] = {}
            for peg in served:
                if peg.kind is DemandKind.DEPENDENT:
                    roots.update(dict.fromkeys(self.roots.get(peg.source, ())))
                else:
                    roots[peg.source, peg.kind] = None
            found = tuple(roots)
            self.roots[order.number] = found
            out.append(replace(order, pegs=tuple(served), roots=found))
        return out

    def _explode(self, planning: Planning, orders: list[PlannedOrder]) -> None:
        """Past-due releases; each made order's components, needed at its release."""
        bom = self.request.boms.get(planning.item) if planning.make else None
        for order in orders:
            if order.release_bucket < 0:
                self.exceptions.append(MrpException(
                    kind=ExceptionKind.RELEASE_PAST_DUE, item=order.item, source=order.number,
                    date=order.release, to=self.request.start, quantity=order.quantity))
            if bom is None:
                continue
            bucket = max(order.release_bucket, 0)
            for line in bom.components:
                self.needs.setdefault(line.item, []).append(_Need(
                    bucket, self.starts[bucket], order.quantity * line.gross,
                    DemandKind.DEPENDENT, order.number))

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


class _Rows(NamedTuple):
    on_hand: Decimal
    gross: list[Decimal]
    receipts: list[Decimal]


def _fifo(demands: list[_Need], pool: list[_Supply]) -> dict[str, list[Peg]]:
    """Match supply to demand first in, first out: what each planned order serves.

    The pool is on hand, scheduled receipts and planned orders; they serve in the
    order they arrive (receipts before planned orders in a bucket).
    """
    pool.sort(key=lambda s: s.bucket)  # stable
    pegs: dict[str, list[Peg]] = {}
    index, left = 0, pool[0].quantity if pool else ZERO
    for demand in demands:
        wanted = demand.quantity
        while wanted > 0 and index < len(pool):
            taken = min(wanted, left)
            order = pool[index].order
            if order is not None and taken > 0:
                _add_peg(pegs.setdefault(order.number, []), demand, taken)
            wanted -= taken
            left -= taken
            if left <= 0:
                index += 1
                left = pool[index].quantity if index < len(pool) else ZERO
    return pegs


def _add_peg(served: list[Peg], demand: _Need, taken: Decimal) -> None:
    last = served[-1] if served else None
    if last is not None and last.source == demand.source and last.kind is demand.kind:
        served[-1] = replace(last, quantity=last.quantity + taken)
    else:
        served.append(Peg(demand.source, demand.kind, demand.date, taken))
