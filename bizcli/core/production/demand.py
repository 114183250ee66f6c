"""Where MRP's demand and supply come from: the book's documents and the CRM's deals.

Demand: what is left to ship on open sales orders (at the order's due date, else its
date); open deals whose win probability is at least the pipeline minimum, with their
product lines at the expected close date (today when that date has passed); a forecast,
when one is given; and what open work orders have still to consume (at the order's
date). Supply: stock on hand today (every warehouse), open purchase orders (at the
expected date, else the order date plus the lead time) and open work orders (at their
due date); drafts count, as firm planned orders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.crm.book import Crm
from bizcli.core.documents.sales import SaleKind
from bizcli.core.money import ZERO, round_half_up
from bizcli.core.production.forecast import Fit, choose
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
from bizcli.core.stock.items import ItemKind
from bizcli.core.stock.ledger import stock_at


@dataclass(frozen=True, slots=True, kw_only=True)
class MrpOptions:
    """How ``biz mrp run`` was asked to plan."""

    today: dt.date
    bucket_days: int = 7
    buckets: int = 12
    pipeline_min: Decimal | None = None
    """Least win probability (percent) of a deal whose lines count; None: no pipeline."""
    forecast: tuple[Demand, ...] = ()

    def with_forecast(self, demands: tuple[Demand, ...]) -> MrpOptions:
        """These options with forecast demand."""
        return replace(self, forecast=demands)


def planning_start(today: dt.date, bucket_days: int) -> dt.date:
    """Day buckets start today; week buckets on the Monday of this week."""
    return today - dt.timedelta(days=today.weekday()) if bucket_days == 7 else today


def lead_times(book: Book) -> dict[str, int]:
    """Each item's lead time in days: its own, else its supplier's, else 0."""
    suppliers = {s.code: s.lead_time_days for s in book.suppliers}
    return {i.code: i.lead_time_days if i.lead_time_days is not None
            else (suppliers.get(i.supplier or "") or 0) for i in book.items}


def mrp_request(book: Book, crm: Crm | None, options: MrpOptions) -> MrpRequest:
    """Everything MRP plans from, gathered from the book and the CRM."""
    stocked = {i.code: i for i in book.items if i.kind is not ItemKind.SERVICE}
    boms = {b.item: b for b in book.boms if b.item in stocked}
    leads = lead_times(book)
    items = {code: Planning(item=code, make=item.kind is ItemKind.MADE and code in boms,
                            lead_time=leads.get(code, 0),
                            safety_stock=item.safety_stock or ZERO, lot=item.lot,
                            supplier=item.supplier)
             for code, item in stocked.items()}
    on_hand: dict[str, Decimal] = {}
    for (code, _), quantity in stock_at(book, options.today).items():
        on_hand[code] = on_hand.get(code, ZERO) + quantity
    demands = [*_order_demand(book, stocked), *_work_order_demand(book),
               *(d for d in options.forecast if d.item in stocked)]
    if crm is not None and options.pipeline_min is not None:
        demands += _pipeline_demand(crm, stocked, options)
    receipts = [*_purchase_receipts(book, leads), *(
        ScheduledReceipt(w.item, w.due, w.open_quantity, ReceiptKind.WORK_ORDER, w.number)
        for w in book.work_orders if w.open_quantity > 0)]
    start = planning_start(options.today, options.bucket_days)
    return MrpRequest(start=start, bucket_days=options.bucket_days, buckets=options.buckets,
                      items=items, boms=boms, on_hand=on_hand, demands=demands,
                      receipts=receipts)


def _order_demand(book: Book, stocked: Iterable[str]) -> list[Demand]:
    known = set(stocked)
    out = []
    for order in book.sales:
        if order.kind is not SaleKind.ORDER or order.cancelled:
            continue
        left: dict[str, Decimal] = {}
        for line in order.lines:
            left[line.item] = left.get(line.item, ZERO) + line.quantity
        for shipment in order.shipments:
            for item, quantity, _ in shipment.lines:
                if item in left:
                    left[item] -= -quantity if shipment.returned else quantity
        out += [Demand(item, order.due or order.date, quantity, DemandKind.ORDER,
                       order.number)
                for item, quantity in left.items() if item in known and quantity > 0]
    return out


def _work_order_demand(book: Book) -> list[Demand]:
    return [Demand(use.item, order.date, use.quantity, DemandKind.WORK_ORDER, order.number)
            for order in book.work_orders if order.open_quantity > 0
            for use in order.to_consume() if use.quantity > 0]


def _pipeline_demand(crm: Crm, stocked: Iterable[str], options: MrpOptions) -> list[Demand]:
    known, least = set(stocked), options.pipeline_min or ZERO
    out = []
    for deal in crm.deals:
        if not deal.is_open or not deal.lines or deal.order:
            continue
        if deal.win_probability(crm.settings) < least:
            continue
        day = max(deal.expected_close or options.today, options.today)
        out += [Demand(line.item, day, line.quantity, DemandKind.PIPELINE, deal.number)
                for line in deal.lines if line.item in known and line.quantity > 0]
    return out


def _purchase_receipts(book: Book, leads: dict[str, int]) -> list[ScheduledReceipt]:
    out = []
    for order in book.purchases:
        for item in dict.fromkeys(line.item for line in order.lines):
            left = ZERO if order.cancelled else order.open_quantity(item)
            if left > 0:
                due = order.expected or order.date + dt.timedelta(days=leads.get(item, 0))
                out.append(ScheduledReceipt(item, due, left, ReceiptKind.PURCHASE, order.number))
    return out


def items_in_play(book: Book) -> set[str]:
    """The items open orders and work orders need, with everything their BOMs use.

    Only these can run short, so a dashboard that wants MRP's shortages needs the
    stock of these items only.
    """
    wanted = {d.item for d in (*_order_demand(book, (i.code for i in book.items)),
                               *_work_order_demand(book))}
    wanted.update(w.item for w in book.work_orders if w.open_quantity > 0)
    boms = {b.item: b for b in book.boms}
    todo = list(wanted)
    while todo:
        bom = boms.get(todo.pop())
        for line in bom.components if bom is not None else ():
            if line.item not in wanted:
                wanted.add(line.item)
                todo.append(line.item)
    return wanted


def run_mrp(book: Book, crm: Crm | None, options: MrpOptions,
            on_items: Callable[[int], None] | None = None) -> Plan:
    """Plan the book (``on_items``: see ``plan``)."""
    return plan(mrp_request(book, crm, options), on_items)


# --- forecast from sales history -------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class ItemForecast:
    """One item's sales history in buckets, the method fitted to it, and its forecast."""

    item: str
    history: tuple[Decimal, ...]
    fit: Fit
    demands: tuple[Demand, ...]
    """The forecast per planning bucket (rounded to 2 decimals), as MRP demand."""


def sales_history(book: Book, start: dt.date, bucket_days: int, periods: int
                  ) -> dict[str, list[Decimal]]:
    """Quantity ordered per item in each of the ``periods`` buckets before ``start``.

    Demand is what customers ordered (sales orders by order date, cancelled ones
    aside), not what was shipped: a late shipment is not a later demand.
    """
    first = start - dt.timedelta(days=periods * bucket_days)
    out: dict[str, list[Decimal]] = {}
    for order in book.sales:
        if order.kind is not SaleKind.ORDER or order.cancelled:
            continue
        if not first <= order.date < start:
            continue
        bucket = (order.date - first).days // bucket_days
        for line in order.lines:
            row = out.setdefault(line.item, [ZERO] * periods)
            row[bucket] += line.quantity
    return out


def history_forecast(book: Book, options: MrpOptions, *, periods: int = 26,
                     only: str | None = None) -> list[ItemForecast]:
    """Forecast each stocked item sold in the last ``periods`` buckets (or only ``only``)."""
    start = planning_start(options.today, options.bucket_days)
    stocked = {i.code for i in book.items if i.kind is not ItemKind.SERVICE}
    out = []
    for item, history in sorted(sales_history(book, start, options.bucket_days,
                                              periods).items()):
        if item not in stocked or (only is not None and item != only):
            continue
        fit = choose(history)
        level = round_half_up(fit.next, 2)
        demands = tuple(
            Demand(item, start + dt.timedelta(days=b * options.bucket_days), level,
                   DemandKind.FORECAST, "forecast")
            for b in range(options.buckets)) if level > 0 else ()
        out.append(ItemForecast(item=item, history=tuple(history), fit=fit, demands=demands))
    return out
