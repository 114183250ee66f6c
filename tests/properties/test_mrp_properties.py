"""Properties of MRP over random BOM graphs, lot sizes, stock, demands and open orders.

Items are ``I0``..``In``; a component always has a higher index than its parent, so the
BOMs have no loop, and ``I0 -> I1 -> In`` with ``I0 -> In`` puts one item at two depths.
An item is made iff it has a BOM. For every item and bucket:

- the projected balance never falls below safety stock;
- the planned receipt covers the net requirement (and is there whenever one is);
- projected[t] = projected[t-1] + receipts[t] + planned[t] - gross[t];
- twice the demand, stock, open orders and safety stock (lot-for-lot) plans twice as much;
- the planned orders add up to the planned receipts and releases, and serve no more
  than they bring in;
- a component's gross requirement is its parents' planned releases (a release before
  bucket 0 counted in bucket 0) times quantity per grossed up for scrap, plus its
  independent demand in the bucket (forecast only above orders and pipeline).

And pegging: every order's pegs are what a first-in, first-out walk of the item's supply
over its demands (in the documented order) gives it; its roots and kinds are the
independent demands reached through its parents' orders, the first three of them as
the planned orders table shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bizcli.core.production.boms import Bom, BomLine
from bizcli.core.production.lots import LotRule, LotSize
from bizcli.core.production.mrp import (
    Demand,
    DemandKind,
    MrpRequest,
    Plan,
    Planning,
    ReceiptKind,
    ScheduledReceipt,
    plan,
)

START = dt.date(2026, 1, 5)
ZERO = Decimal(0)
KINDS = (DemandKind.ORDER, DemandKind.FORECAST, DemandKind.PIPELINE, DemandKind.WORK_ORDER)

per_unit = st.sampled_from([Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2)])
scraps = st.sampled_from([ZERO, ZERO, Decimal("0.05"), Decimal("0.1"), Decimal("0.25")])
amounts = st.integers(1, 50).map(Decimal)
optional = st.one_of(st.none(), st.integers(1, 60).map(Decimal))


@st.composite
def lot_sizes(draw: st.DrawFn) -> LotSize:
    rule = draw(st.sampled_from(list(LotRule)))
    return LotSize(
        rule=rule,
        quantity=draw(st.integers(1, 50).map(Decimal)) if rule is LotRule.FIXED else None,
        periods=draw(st.integers(1, 4)) if rule is LotRule.PERIODS else None,
        minimum=draw(optional),
        maximum=draw(st.one_of(st.none(), st.integers(20, 100).map(Decimal))),
        multiple=draw(st.one_of(st.none(), st.sampled_from(
            [Decimal(1), Decimal("2.5"), Decimal(5), Decimal(12), Decimal(25)]))))


@st.composite
def requests(draw: st.DrawFn, most_demands: int = 12) -> MrpRequest:
    n = draw(st.integers(2, 6))
    codes = [f"I{i}" for i in range(n)]
    edges: dict[int, set[int]] = {i: set() for i in range(n)}
    if n >= 3:
        edges[0] |= {1, n - 1}
        edges[1].add(n - 1)
    for parent in range(n - 1):
        edges[parent] |= set(draw(st.lists(st.integers(parent + 1, n - 1), max_size=2)))
    boms = {
        codes[p]: Bom(item=codes[p], components=tuple(
            BomLine(item=codes[c], quantity=draw(per_unit), scrap=draw(scraps))
            for c in sorted(kids)))
        for p, kids in edges.items() if kids}
    items = {
        code: Planning(item=code, make=code in boms, lead_time=draw(st.integers(0, 21)),
                       safety_stock=draw(st.sampled_from([ZERO, ZERO, Decimal(5), Decimal(12)])),
                       lot=draw(lot_sizes()))
        for code in codes}
    days = draw(st.sampled_from([1, 7]))
    buckets = draw(st.integers(1, 10))
    span = st.integers(-2 * days, (buckets + 1) * days - 1)
    demands = [
        Demand(draw(st.sampled_from(codes)), START + dt.timedelta(days=draw(span)),
               draw(amounts), draw(st.sampled_from(KINDS)), f"S{k}")
        for k in range(draw(st.integers(0, most_demands)))]
    receipts = [
        ScheduledReceipt(draw(st.sampled_from(codes)), START + dt.timedelta(days=draw(span)),
                         draw(amounts), ReceiptKind.PURCHASE, f"R{k}")
        for k in range(draw(st.integers(0, 5)))]
    on_hand = {code: Decimal(draw(st.integers(0, 60))) for code in codes}
    return MrpRequest(start=START, bucket_days=days, buckets=buckets, items=items, boms=boms,
                      on_hand=on_hand, demands=demands, receipts=receipts)


def _bucket(request: MrpRequest, date: dt.date) -> int:
    return max((date - request.start).days // request.bucket_days, 0)


def _independent(request: MrpRequest, item: str) -> list[Decimal]:
    """The item's independent gross requirements per bucket, forecast consumed."""
    count = request.buckets
    booked, forecast, total = [ZERO] * count, [ZERO] * count, [ZERO] * count
    for demand in request.demands:
        bucket = _bucket(request, demand.date)
        if demand.item != item or bucket >= count:
            continue
        if demand.kind is DemandKind.FORECAST:
            forecast[bucket] += demand.quantity
        else:
            total[bucket] += demand.quantity
            if demand.kind in (DemandKind.ORDER, DemandKind.PIPELINE):
                booked[bucket] += demand.quantity
    return [t + max(f - b, ZERO) for t, f, b in zip(total, forecast, booked, strict=True)]


def _lead(request: MrpRequest, item: str) -> int:
    return -(-request.items[item].lead_time // request.bucket_days)


def _levels(request: MrpRequest) -> dict[str, int]:
    levels = dict.fromkeys(request.items, 0)
    for parent in sorted(request.boms, key=lambda c: int(c[1:])):  # parents before children
        for line in request.boms[parent].components:
            levels[line.item] = max(levels[line.item], levels[parent] + 1)
    return levels


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_records_orders_and_explosion_hold_together(request: MrpRequest) -> None:
    result = plan(request)
    assert set(result.records) == set(request.items)
    levels = _levels(request)
    for item, planning in request.items.items():
        record = result.records[item]
        safety = planning.safety_stock
        assert record.level == levels[item]
        assert record.lead_buckets == _lead(request, item)
        previous = request.on_hand[item]
        for t in range(request.buckets):
            # (a) never below safety stock
            assert record.projected[t] >= safety, (item, t)
            # (b) the planned receipt covers the net requirement
            assert record.net[t] >= 0
            assert record.planned_receipts[t] >= record.net[t], (item, t)
            assert (record.net[t] > 0) == (record.planned_receipts[t] > 0), (item, t)
            # (c) conservation
            assert record.projected[t] == (previous + record.receipts[t]
                                           + record.planned_receipts[t] - record.gross[t])
            previous = record.projected[t]
        _check_orders(request, result, item)
    _check_explosion(request, result)


def _check_orders(request: MrpRequest, result: Plan, item: str) -> None:
    """(e) The orders add up to the record, and serve no more than they bring in."""
    record, lead = result.records[item], _lead(request, item)
    due, released = [ZERO] * request.buckets, [ZERO] * request.buckets
    past = ZERO
    mine = [o for o in result.orders if o.item == item]
    for order in mine:
        assert order.quantity > 0
        assert sum((p.quantity for p in result.pegs(order)), ZERO) <= order.quantity, order.number
        assert order.release_bucket == order.due_bucket - lead
        assert order.make == request.items[item].make
        due[order.due_bucket] += order.quantity
        if order.release_bucket < 0:
            past += order.quantity
        else:
            released[order.release_bucket] += order.quantity
    assert sum((o.quantity for o in mine), ZERO) == sum(record.planned_receipts, ZERO)
    assert due == list(record.planned_receipts)
    assert released == list(record.planned_releases)
    assert past == record.past_due_releases


def _check_explosion(request: MrpRequest, result: Plan) -> None:
    """(f) Gross = parents' releases (clamped at bucket 0) x per unit x (1 + scrap) + own."""
    for item in request.items:
        expected = _independent(request, item)
        for parent, bom in request.boms.items():
            releases = list(result.records[parent].planned_releases)
            releases[0] += result.records[parent].past_due_releases
            for line in bom.components:
                if line.item == item:
                    for t, quantity in enumerate(releases):
                        expected[t] += quantity * line.quantity * (1 + line.scrap)
        assert list(result.records[item].gross) == expected, item


def _scaled(request: MrpRequest, factor: Decimal) -> MrpRequest:
    """Lot-for-lot without modifiers, and every quantity times ``factor``."""
    return replace(
        request,
        items={code: replace(p, lot=LotSize(), safety_stock=p.safety_stock * factor)
               for code, p in request.items.items()},
        on_hand={code: q * factor for code, q in request.on_hand.items()},
        demands=[replace(d, quantity=d.quantity * factor) for d in request.demands],
        receipts=[replace(r, quantity=r.quantity * factor) for r in request.receipts])


def _rows(result: Plan) -> Mapping[str, tuple[tuple[Decimal, ...], ...]]:
    return {item: (r.gross, r.net, r.planned_receipts, r.planned_releases, r.projected,
                   (r.past_due_releases,))
            for item, r in result.records.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_twice_everything_plans_twice_as_much(request: MrpRequest) -> None:
    """(d) Lot-for-lot is linear: doubling demand, stock, open orders and safety stock."""
    once, twice = plan(_scaled(request, Decimal(1))), plan(_scaled(request, Decimal(2)))
    assert _rows(twice) == {item: tuple(tuple(2 * q for q in row) for row in rows)
                            for item, rows in _rows(once).items()}
    assert sorted(o.quantity for o in twice.orders) == sorted(2 * o.quantity
                                                              for o in once.orders)


def _receipt_messages(request: MrpRequest, result: Plan, item: str) -> list[tuple[object, ...]]:
    """Expedite, defer or cancel, by the bucket where each open order is first needed."""
    record, count = result.records[item], request.buckets
    cumulative, total = [], ZERO
    for quantity in record.gross:
        total += quantity
        cumulative.append(total)
    free = request.on_hand[item] - request.items[item].safety_stock
    mine = sorted((r for r in request.receipts
                   if r.item == item and _bucket(request, r.date) < count),
                  key=lambda r: (r.date, r.source))
    messages: list[tuple[object, ...]] = []
    for receipt in mine:
        need = next((t for t in range(count) if free - cumulative[t] < 0), None)
        free += receipt.quantity
        bucket = _bucket(request, receipt.date)
        if need is None:
            messages.append(("cancel", item, receipt.source, receipt.date, None))
        elif need != bucket:
            kind = "expedite" if need < bucket else "defer"
            to = request.start + dt.timedelta(days=need * request.bucket_days)
            messages.append((kind, item, receipt.source, receipt.date, to))
    return messages


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_exception_messages_and_shortages(request: MrpRequest) -> None:
    """The messages and shortages follow the rules in mrp.py's docstring."""
    result = plan(request)
    horizon = request.start + dt.timedelta(days=request.buckets * request.bucket_days)
    expected: list[tuple[object, ...]] = []
    for item in request.items:
        expected += _receipt_messages(request, result, item)
    expected += [("late-receipt", r.item, r.source, r.date, request.start)
                 for r in request.receipts if r.date < request.start]
    expected += [("past-due-demand", d.item, d.source, d.date, None)
                 for d in request.demands
                 if d.kind is DemandKind.ORDER and d.date < request.start]
    expected += [("release-past-due", o.item, o.number, o.release, request.start)
                 for o in result.orders if o.release_bucket < 0]
    beyond = {r.source for r in request.receipts if r.date >= horizon}
    got = [(e.kind.value, e.item, e.source, e.date, e.to) for e in result.exceptions
           if not (e.kind.value in ("cancel", "expedite", "defer") and e.source in beyond)]
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    shortages = []
    for item in request.items:
        record, lead = result.records[item], _lead(request, item)
        balance, first, worst = request.on_hand[item], None, ZERO
        for t in range(min(lead, request.buckets)):
            balance += record.receipts[t] - record.gross[t]
            if balance < 0:
                first = t if first is None else first
                worst = max(worst, -balance)
        if first is not None:
            shortages.append((item, request.start + dt.timedelta(
                days=first * request.bucket_days), worst))
    assert sorted((s.item, s.date, s.quantity) for s in result.shortages) == sorted(shortages)
    assert {d.source for d in result.beyond_horizon} == {
        d.source for d in request.demands if d.date >= horizon}


# --- pegging, against a first-in, first-out walk written out plainly ----------------------

_RANKS = {kind: rank for rank, kind in enumerate(DemandKind)}


def _demands_of(request: MrpRequest, result: Plan, item: str) -> list[tuple[object, ...]]:
    """What the item's supply serves, in the documented order.

    Safety stock first, then by bucket, date (an overdue one on the start date), kind,
    source: independent demand (forecast above orders and pipeline in its bucket), and
    the parents' planned orders at their release (bucket 0 if before).
    """
    count, start = request.buckets, request.start
    out = _independent_demands(request, item)
    forecast = _independent(request, item)  # with forecast consumed
    for bucket in range(count):
        left = forecast[bucket] - sum((d[4] for d in out if d[0] == bucket), ZERO)
        if left > 0:
            out.append((bucket, _day(request, bucket), _RANKS[DemandKind.FORECAST],
                        "forecast", left))
    out += [(max(o.release_bucket, 0), _day(request, max(o.release_bucket, 0)),
             _RANKS[DemandKind.DEPENDENT], o.number, o.quantity * line.gross)
            for parent, bom in request.boms.items() for line in bom.components
            if line.item == item for o in result.orders if o.item == parent]
    out.sort()
    safety = request.items[item].safety_stock
    if safety > 0:
        out.insert(0, (0, start, _RANKS[DemandKind.SAFETY_STOCK], "safety stock", safety))
    return out


def _independent_demands(request: MrpRequest, item: str) -> list[tuple[Any, ...]]:
    """The item's orders, deals and work orders in the horizon, as pegging orders them."""
    return [(_bucket(request, d.date), max(d.date, request.start), _RANKS[d.kind], d.source,
             d.quantity) for d in request.demands
            if d.item == item and d.kind is not DemandKind.FORECAST
            and _bucket(request, d.date) < request.buckets]


def _day(request: MrpRequest, bucket: int) -> dt.date:
    return request.start + dt.timedelta(days=bucket * request.bucket_days)


def _fifo(request: MrpRequest, result: Plan, item: str) -> dict[str, dict[tuple[str, str], Decimal]]:
    """Per planned order of ``item``, the quantity it serves of each (source, kind)."""
    supply: list[tuple[object, ...]] = []
    if request.on_hand[item] > 0:
        supply.append((-1, 0, "", request.on_hand[item], None))
    supply += [(_bucket(request, r.date), 0, (r.date, r.source), r.quantity, None)
               for r in request.receipts
               if r.item == item and _bucket(request, r.date) < request.buckets]
    supply += [(o.due_bucket, 1, o.number, o.quantity, o.number)
               for o in result.orders if o.item == item]
    supply.sort(key=lambda s: s[:3])  # on hand, then by bucket: receipts, then planned
    pegs: dict[str, dict[tuple[str, str], Decimal]] = {}
    lots = [[s[3], s[4]] for s in supply]
    kinds = list(DemandKind)
    for *_, rank, source, quantity in _demands_of(request, result, item):
        wanted = quantity
        while wanted > 0 and lots:
            taken = min(wanted, lots[0][0])
            number = lots[0][1]
            if number is not None:
                key = (str(source), kinds[int(str(rank))].value)
                served = pegs.setdefault(str(number), {})
                served[key] = served.get(key, ZERO) + taken
            wanted -= taken
            lots[0][0] -= taken
            if lots[0][0] <= 0:
                lots.pop(0)
    return pegs


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(most_demands=40))
def test_pegging_is_first_in_first_out_through_every_level(request: MrpRequest) -> None:
    """Each order's pegs, roots and kinds, against a plain FIFO walk and its closure.

    Up to 40 demands, so that parents' orders serve more demands than the plan keeps
    per order (six) and their components' orders start from those.
    """
    result = plan(request)
    walked: dict[str, dict[tuple[str, str], Decimal]] = {}
    for item in request.items:
        walked.update(_fifo(request, result, item))
    shown = {o.number: (result.roots(o, 3), result.roots(o, 5), result.root_kinds(o))
             for o in result.orders}  # as the table and JSON ask: six roots kept
    everything: dict[str, list[tuple[str, str]]] = {}
    for o in result.orders:  # parents' orders first
        got: dict[tuple[str, str], Decimal] = {}
        for peg in result.pegs(o):
            key = (peg.source, peg.kind.value)
            got[key] = got.get(key, ZERO) + peg.quantity
        assert got == walked.get(o.number, {}), o.number
        roots: dict[tuple[str, str], None] = {}
        for source, kind in got:
            for root in everything[source] if kind == "dependent" else [(source, kind)]:
                roots[root] = None
        everything[o.number] = list(roots)
        full, more = result.roots(o, 1000)
        assert not more
        assert sorted((s, k.value) for s, k in full) == sorted(roots), o.number
        *firsts, kinds = shown[o.number]
        for limit, (first, over) in zip((3, 5), firsts, strict=True):
            assert first == full[:limit], o.number
            assert over == (len(full) > limit), o.number
        assert kinds == {DemandKind(k) for _, k in roots}, o.number
        assert result.pipeline_only(o) == (bool(roots) and all(
            k == "pipeline" for _, k in roots))
