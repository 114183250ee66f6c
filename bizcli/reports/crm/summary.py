"""The CRM lines of ``biz summary``: who to call, what should close, what is slipping.

On the day: follow-ups overdue and due that day (as ``biz crm due``); this month's
weighted forecast (the open deals expected to close by the month's end, the overdue
ones rolled into it, as ``biz crm forecast`` does by default); the open deals expected
to close within ``soon`` days; tickets past their service level; and, when given, the
customers flagged at risk of churning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from bizcli.core.crm.deals import TERMINAL
from bizcli.reports.crm.activities import overdue_tickets
from bizcli.reports.crm.view import CrmView, add
from bizcli.reports.model import Row, RowKind


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return following - dt.timedelta(days=1)


def crm_summary_rows(view: CrmView, now: dt.datetime, *, soon: int = 14,
                     at_risk: Sequence[str] | None = None) -> list[Row]:
    """The summary's CRM section (empty when the book has no CRM records)."""
    crm, day = view.crm, view.as_of
    if not (crm.deals or crm.activities or crm.tickets or crm.leads):
        return []
    overdue = sum(1 for a in crm.activities if a.open_on(day) and a.due and a.due < day)
    today = sum(1 for a in crm.activities if a.open_on(day) and a.due == day)
    month_end, horizon = _month_end(day), day + dt.timedelta(days=soon)
    forecast: dict[str, Decimal] = {}
    closing: dict[str, Decimal] = {}
    closing_count = 0
    for deal in crm.deals:
        stage = deal.stage_on(day)
        if stage is None or stage in TERMINAL or deal.expected_close is None:
            continue
        if deal.expected_close <= month_end:
            add(forecast, deal.currency, deal.weighted(crm.settings, stage))
        if day <= deal.expected_close <= horizon:
            closing_count += 1
            add(closing, deal.currency, deal.amount)
    late_tickets = len(overdue_tickets(list(crm.tickets), dict(crm.settings.sla), now))
    rows = [Row(values=("Customers", None, None), kind=RowKind.SECTION),
            Row(values=("Follow-ups overdue", Decimal(overdue), None)),
            Row(values=("Follow-ups due today", Decimal(today), None)),
            Row(values=(f"Weighted forecast to {month_end}", view.cell(forecast), None)),
            Row(values=(f"Deals closing by {horizon} ({closing_count})", view.cell(closing),
                        None)),
            Row(values=("Tickets past their service level", Decimal(late_tickets), None))]
    if at_risk is not None:
        rows.append(Row(values=("Customers past their usual gap (churn)",
                                Decimal(len(at_risk)), None)))
    return rows
