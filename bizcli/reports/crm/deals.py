"""``biz crm deal list`` and ``biz crm deal show``: the deals, and one deal's history."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from itertools import pairwise

from bizcli.core.crm.deals import Deal
from bizcli.core.money import format_amount, round_half_up
from bizcli.reports.crm.view import CrmView
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind

STATUSES = ("open", "won", "lost", "closed")


def _since(deal: Deal, stage: str, view: CrmView) -> str:
    for change in reversed(deal.history):
        if change.date <= view.as_of and change.stage == stage:
            return change.date.isoformat()
    return ""  # pragma: no cover - the stage comes from the history


def deal_list(view: CrmView, *, stage: str | None = None, status: str | None = None,
              customer: str | None = None) -> Report:
    """Every deal as it was on the as-of day, optionally of one stage, status or customer."""
    settings = view.crm.settings
    rows = []
    for deal in sorted(view.deals(), key=lambda d: d.number):
        now = deal.stage_on(view.as_of)
        assert now is not None  # view.deals() holds the deals opened by then
        state = now if now in ("won", "lost") else "open"
        if (stage is not None and now != stage) or (customer is not None and (
                deal.customer != customer)) or (status is not None and status not in (
                    state, "closed" if state != "open" else "")):
            continue
        if not view.in_period(deal.expected_close if state == "open" else
                              deal.history[-1].date):
            continue
        money = deal.currency
        rows.append(Row(values=(
            deal.number, deal.created.isoformat(), deal.customer, deal.title,
            deal.owner or "", now, _since(deal, now, view),
            deal.expected_close.isoformat() if deal.expected_close else "",
            {money: deal.amount}, deal.win_probability(settings, now),
            view.cell({money: deal.weighted(settings, now)}) or None,
            deal.order or "")))
    columns = (Column(key="number", title="Deal"), Column(key="opened", title="Opened"),
               Column(key="customer", title="Customer"), Column(key="title", title="Title"),
               Column(key="owner", title="Owner"), Column(key="stage", title="Stage"),
               Column(key="since", title="Since"),
               Column(key="expected_close", title="Close"),
               Column(key="amount", title="Amount", kind=ColumnKind.AMOUNT),
               Column(key="probability", title="%", kind=ColumnKind.NUMBER),
               Column(key="weighted", title="Weighted", kind=ColumnKind.AMOUNT),
               Column(key="order", title="Order"))
    return Report(name="deals", title=f"Deals, {view.label()}", columns=columns,
                  rows=tuple(rows), precisions=dict(view.precisions),
                  notes=() if view.period.start is None and view.period.end is None else (
                      ("the period picks open deals by expected close, closed ones by the "
                      "day they closed"),))


def deal_card(view: CrmView, deal: Deal, orders: Mapping[str, str]) -> Report:
    """One deal: what it is worth, and each stage it was in, from when to when."""
    settings = view.crm.settings
    rows = []
    ends = [c.date for c in deal.history[1:]] + [None]
    for change, end in zip(deal.history, ends, strict=True):
        last = end or view.as_of
        rows.append(Row(values=(change.stage, change.date.isoformat(),
                                end.isoformat() if end else "",
                                Decimal((last - change.date).days) if end or deal.is_open
                                else None)))
    money = deal.currency
    for item, quantity, price in deal.lines:
        rows.append(Row(values=(f"{item} {quantity} @ {price}", None, None, None),
                        kind=RowKind.SECTION if item == deal.lines[0].item else RowKind.ROW))
    probability = deal.win_probability(settings)
    places = view.precisions.get(money, 2)

    def shown(amount: Decimal) -> str:
        return format_amount(round_half_up(amount, places), money, places)

    own = " (the deal's own)" if deal.probability is not None and deal.is_open else ""
    notes = [(f"customer {deal.customer}; owner {deal.owner or '-'}; source "
             f"{deal.source or '-'}; campaign {deal.campaign or '-'}"),
             (f"amount {shown(deal.amount)}; probability {probability} %{own}; weighted "
             f"{shown(deal.weighted(settings))}"),
             f"expected close {deal.expected_close or '-'}"]
    if deal.lost_reason:
        notes.append(f"lost: {deal.lost_reason}")
    if deal.order:
        notes.append(f"became {deal.order} ({orders.get(deal.order, 'not in the sales files')})")
    if deal.lead:
        notes.append(f"from lead {deal.lead}")
    if deal.notes:
        notes.append(deal.notes)
    days = sum((b.date - a.date).days for a, b in pairwise(deal.history))
    title = (f"{deal.number} {deal.title}: {deal.stage} since {deal.history[-1].date}, "
             f"{days} days from opening to the last change")
    return Report(name="deal", title=title, columns=(
        Column(key="stage", title="Stage"), Column(key="from", title="From"),
        Column(key="to", title="To"), Column(key="days", title="Days", kind=ColumnKind.NUMBER)),
        rows=tuple(rows), precisions=dict(view.precisions), notes=tuple(notes))


def lead_list(view: CrmView, *, status: str | None = None) -> Report:
    """Leads that came in during the period, with what became of them."""
    rows = []
    for lead in sorted(view.crm.leads, key=lambda x: x.number):
        state = "open" if lead.is_open else "converted" if lead.converted else "dropped"
        if (status is not None and state != status) or not view.in_period(lead.created) or (
                view.owner is not None and lead.owner != view.owner) or (
                view.source is not None and lead.source != view.source):
            continue
        outcome = (f"{lead.converted}" + (f", {lead.deal}" if lead.deal else "")
                   if lead.converted else lead.disqualified or "")
        rows.append(Row(values=(lead.number, lead.created.isoformat(), lead.name,
                                lead.company or "", lead.email or "", lead.source or "",
                                lead.owner or "", state, outcome)))
    columns = (Column(key="number", title="Lead"), Column(key="date", title="Came in"),
               Column(key="name", title="Name"), Column(key="company", title="Company"),
               Column(key="email", title="Email"), Column(key="source", title="Source"),
               Column(key="owner", title="Owner"), Column(key="status", title="Status"),
               Column(key="outcome", title="Became / why dropped"))
    return Report(name="leads", title=f"Leads, {view.label()}", columns=columns,
                  rows=tuple(rows), precisions=dict(view.precisions))
