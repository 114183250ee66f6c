"""MRP's plan laid out as reports: planned orders, exceptions, shortages, one item's record.

Where the demand and supply come from is in ``bizcli.core.production.demand``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from bizcli.core.production.mrp import (
    DemandKind,
    ExceptionKind,
    MrpException,
    Plan,
    PlannedOrder,
)
from bizcli.reports.model import Column, ColumnKind, Report, Row

# --- reports ---------------------------------------------------------------------------

def _bucket_word(plan: Plan) -> str:
    return "week" if plan.bucket_days == 7 else ("day" if plan.bucket_days == 1
                                                 else f"{plan.bucket_days}-day bucket")


def _title(plan: Plan, what: str) -> str:
    last = plan.bucket_start(plan.buckets) - dt.timedelta(days=1)
    return (f"{what}, {plan.start} to {last} ({plan.buckets} {_bucket_word(plan)}"
            f"{'s' if plan.buckets != 1 else ''})")


SHOWN_ROOTS = 3
"""How many of the demands an order serves the table names (JSON: up to 5)."""


def serves(plan: Plan, order: PlannedOrder, limit: int = SHOWN_ROOTS) -> str:
    """The independent demands an order serves, in words."""
    roots, more = plan.roots(order, limit)
    names = []
    for source, kind in roots:
        if kind is DemandKind.PIPELINE:
            names.append(f"{source} (pipeline)")
        elif kind is DemandKind.SAFETY_STOCK:
            names.append("safety stock")
        else:
            names.append(source)
    if more:
        names.append("more")
    return ", ".join(names) or "nothing (lot size)"


def pipeline_share(plan: Plan, order: PlannedOrder) -> str:
    """``only`` when the order exists only for deals, ``part`` when deals are among them."""
    kinds = plan.root_kinds(order)
    if DemandKind.PIPELINE not in kinds:
        return ""
    return "only" if len(kinds) == 1 else "part"


def orders_report(plan: Plan, precisions: dict[str, int]) -> Report:
    """The planned orders: make or buy, what, how many, when to release, when due, why."""
    ordered = sorted(plan.orders, key=lambda o: (o.release, o.item, o.number))
    shares = [pipeline_share(plan, o) for o in ordered]
    rows = [Row(values=(o.number, "make" if o.make else "buy", o.item, o.quantity,
                        o.release.isoformat(), o.due.isoformat(), o.supplier or "",
                        share, serves(plan, o)))
            for o, share in zip(ordered, shares, strict=True)]
    only = shares.count("only")
    columns = (Column(key="order", title="Planned"), Column(key="kind", title="Make/buy"),
               Column(key="item", title="Item"),
               Column(key="quantity", title="Quantity", kind=ColumnKind.NUMBER),
               Column(key="release", title="Release"), Column(key="due", title="Due"),
               Column(key="supplier", title="Supplier"),
               Column(key="pipeline", title="Pipeline"), Column(key="serves", title="Serves"))
    past = sum(1 for o in plan.orders if o.release_bucket < 0)
    notes = [f"{len(plan.orders)} planned orders; {past} should already have been released "
             "(see the exceptions)" if past else f"{len(plan.orders)} planned orders"]
    if only:
        notes.append(f"{only} exist only because of deals in the pipeline")
    if plan.beyond_horizon:
        notes.append(f"{len(plan.beyond_horizon)} demands fall after the horizon and were "
                     "not planned (use a longer --horizon)")
    return Report(name="mrp-orders", title=_title(plan, "Planned orders"), columns=columns,
                  rows=tuple(rows), precisions=precisions, notes=tuple(notes))


def exception_text(plan: Plan, found: MrpException) -> str:
    """What a planner should do about an exception, in words."""
    kind, start = found.kind, plan.start
    if kind is ExceptionKind.RELEASE_PAST_DUE:
        late = (start - found.date).days
        return (f"release now: it should have gone out on {found.date} ({late} days ago); "
                "expedite it or move the demand")
    if kind is ExceptionKind.EXPEDITE:
        return f"bring it forward from {found.date} to {found.to}"
    if kind is ExceptionKind.DEFER:
        return f"push it back from {found.date} to {found.to}: not needed before then"
    if kind is ExceptionKind.CANCEL:
        return "cancel it (or reduce it): nothing in the horizon needs it"
    if kind is ExceptionKind.LATE_RECEIPT:
        return f"was due on {found.date} and has not arrived: chase the supplier"
    return f"was due on {found.date} and is not shipped: it is planned for {start}"


def exceptions_report(plan: Plan, precisions: dict[str, int]) -> Report:
    """The exception messages, in date order."""
    rows = [Row(values=(e.kind.value, e.item, e.source, e.date.isoformat(),
                        e.to.isoformat() if e.to else "", e.quantity, exception_text(plan, e)))
            for e in plan.exceptions]
    columns = (Column(key="kind", title="Exception"), Column(key="item", title="Item"),
               Column(key="document", title="Document"), Column(key="date", title="Date"),
               Column(key="to", title="To"),
               Column(key="quantity", title="Quantity", kind=ColumnKind.NUMBER),
               Column(key="action", title="Action"))
    return Report(name="mrp-exceptions", title=_title(plan, "MRP exceptions"),
                  columns=columns, rows=tuple(rows), precisions=precisions,
                  notes=() if rows else ("no exceptions",))


def shortages_report(plan: Plan, precisions: dict[str, int]) -> Report:
    """Items that run short before an order released today could arrive."""
    records = plan.records
    rows = [Row(values=(s.item, s.date.isoformat(), s.quantity,
                        Decimal(records[s.item].lead_buckets)))
            for s in sorted(plan.shortages, key=lambda s: (s.date, s.item))]
    columns = (Column(key="item", title="Item"), Column(key="from", title="Short from"),
               Column(key="quantity", title="Short by", kind=ColumnKind.NUMBER),
               Column(key="lead", title=f"Lead time ({_bucket_word(plan)}s)",
                      kind=ColumnKind.NUMBER))
    return Report(name="mrp-shortages", title=_title(plan, "Shortages"), columns=columns,
                  rows=tuple(rows), precisions=precisions,
                  notes=() if rows else (("no shortages: stock and open orders cover every "
                                         "requirement within its lead time"),))


_RECORD_ROWS = (("gross", "Gross requirements"), ("receipts", "Scheduled receipts"),
                ("projected", "Projected on hand"), ("net", "Net requirements"),
                ("planned_receipts", "Planned receipts"),
                ("planned_releases", "Planned releases"))


def record_report(plan: Plan, item: str, precisions: dict[str, int]) -> Report:
    """The time-phased record of one item, the table a planner reads."""
    from bizcli.core.codes import closest
    from bizcli.core.problems import fail

    record = plan.records.get(item)
    if record is None:
        raise fail("unknown-item", f"{item!r} is not a stocked item in items.yaml"
                   f"{closest(item, plan.records)}", hint="'biz item list' shows the items")
    starts = [plan.bucket_start(b) for b in range(plan.buckets)]
    columns = (Column(key="row", title=item),
               Column(key="past_due", title="Past due", kind=ColumnKind.NUMBER),
               *(Column(key=s.isoformat(), title=s.strftime("%m-%d"), kind=ColumnKind.NUMBER)
                 for s in starts))
    rows = []
    for key, title in _RECORD_ROWS:
        values: Sequence[Decimal] = getattr(record, key)
        first: Decimal | None = record.on_hand if key == "projected" else (
            record.past_due_releases if key == "planned_releases" else None)
        rows.append(Row(values=(title, first, *values), display=title))
    notes = [(f"level {record.level}; {'make' if record.make else 'buy'}; on hand "
             f"{record.on_hand}; safety stock {record.safety_stock}; lead time "
             f"{record.lead_buckets} {_bucket_word(plan)}(s)"),
             ("'Past due' holds on hand (projected) and releases that fall before the first "
             "bucket")]
    orders = [o for o in plan.orders if o.item == item]
    notes += [f"{o.number}: {o.quantity} released {o.release}, due {o.due}, for "
              f"{serves(plan, o)}" for o in orders]
    return Report(name="mrp-record", title=_title(plan, f"MRP record of {item}"),
                  columns=columns, rows=tuple(rows), precisions=precisions, notes=tuple(notes))


def plan_document(plan: Plan) -> dict[str, Any]:
    """The whole plan for scripts (``-O json``): stable keys, numbers as strings.

    The planned orders come as an iterator (a plan of 10,000 items has 200,000 of
    them), for the renderer to write one at a time.
    """
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    def served(order: PlannedOrder) -> dict[str, Any]:
        roots, more = plan.roots(order, 5)
        return {"serves": [{"source": s, "kind": k.value} for s, k in roots],
                "serves_more": more}

    return {
        "start": day(plan.start), "bucket_days": plan.bucket_days, "buckets": plan.buckets,
        "planned_orders": ({
            "number": o.number, "kind": "make" if o.make else "buy", "item": o.item,
            "quantity": str(o.quantity), "release": day(o.release), "due": day(o.due),
            "release_past_due": o.release_bucket < 0, "supplier": o.supplier,
            "pipeline": pipeline_share(plan, o) or None,
            "pegs": [{"source": p.source, "kind": p.kind.value, "date": day(p.date),
                      "quantity": str(p.quantity)} for p in plan.pegs(o)],
            **served(o)} for o in plan.orders),
        "exceptions": [{"kind": e.kind.value, "item": e.item, "document": e.source,
                        "date": day(e.date), "to": day(e.to), "quantity": str(e.quantity),
                        "action": exception_text(plan, e)} for e in plan.exceptions],
        "shortages": [{"item": s.item, "from": day(s.date), "quantity": str(s.quantity)}
                      for s in plan.shortages],
        "beyond_horizon": [{"item": d.item, "date": day(d.date), "quantity": str(d.quantity),
                            "kind": d.kind.value, "source": d.source}
                           for d in plan.beyond_horizon],
    }

