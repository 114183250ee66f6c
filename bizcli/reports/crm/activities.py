"""``biz crm due``, ``biz crm activity list`` and ``biz crm ticket list``.

Due: the follow-ups open on the as-of day (planned by then and not done by then), as
overdue (due before it), due that day, and upcoming (due within ``days`` after it);
then the deals open that day with no open follow-up: nobody has planned the next step.

Tickets: each ticket's first response and resolution against its service level (hours
from when it was opened, by priority): *met* (done by the due time), *late* (done
after it), *overdue* (not done, and the due time has passed) or *due* (not done yet,
still in time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from bizcli.core.crm.activities import Activity, Ticket
from bizcli.core.crm.deals import TERMINAL
from bizcli.reports.crm.view import CrmView
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind

_SECTIONS = (("overdue", "Overdue"), ("today", "Due today"), ("upcoming", "Upcoming"))


def _who(activity: Activity) -> str:
    return activity.customer or activity.lead or ""


def due(view: CrmView, days: int = 7) -> Report:
    """Open follow-ups by urgency, then open deals with no follow-up planned."""
    day = view.as_of
    horizon = day + dt.timedelta(days=days)
    owner = view.owner
    sections: dict[str, list[Activity]] = {key: [] for key, _ in _SECTIONS}
    planned: set[str] = set()
    last_touch = last_activity(view.crm.activities, day, key="deal")
    for activity in view.crm.activities:
        if not activity.open_on(day):
            continue
        if activity.deal is not None:
            planned.add(activity.deal)
        if owner is not None and activity.owner != owner:
            continue
        assert activity.due is not None
        key = "overdue" if activity.due < day else "today" if activity.due == day else (
            "upcoming" if activity.due <= horizon else "")
        if key:
            sections[key].append(activity)
    rows = _follow_up_rows(sections, day)
    idle = [d for d in view.deals() if d.number not in planned
            and (d.stage_on(day) or "won") not in TERMINAL]
    idle.sort(key=lambda d: (last_touch.get(d.number, d.created), d.number))
    title = f"Open deals with no follow-up ({len(idle)})"
    rows.append(Row(values=(title, *(None,) * 6), kind=RowKind.SECTION, display=title))
    for deal in idle:
        touched = last_touch.get(deal.number)
        rows.append(Row(values=(
            deal.number, "", None, deal.owner or "", deal.customer, deal.number,
            (f"{deal.stage_on(day)}: {deal.title}; last activity "
            f"{touched.isoformat() if touched else 'none'}"))))
    columns = (Column(key="number", title="What"), Column(key="due", title="Due"),
               Column(key="days_late", title="Late", kind=ColumnKind.NUMBER),
               Column(key="owner", title="Owner"), Column(key="customer", title="With"),
               Column(key="deal", title="Deal"), Column(key="subject", title="Subject"))
    return Report(name="due", title=f"Follow-ups, {view.label()}; upcoming: the next {days} "
                  "days", columns=columns, rows=tuple(rows), precisions=dict(view.precisions))


def _follow_up_rows(sections: dict[str, list[Activity]], day: dt.date) -> list[Row]:
    rows = []
    for key, title in _SECTIONS:
        found = sorted(sections[key], key=lambda a: (a.due, a.number))
        rows.append(Row(values=(f"{title} ({len(found)})", *(None,) * 6),
                        kind=RowKind.SECTION, display=f"{title} ({len(found)})"))
        for a in found:
            assert a.due is not None
            rows.append(Row(values=(a.number, a.due.isoformat(),
                                    Decimal(max((day - a.due).days, 0)), a.owner or "",
                                    _who(a), a.deal or "", f"{a.kind}: {a.subject}")))
    return rows


def last_activity(activities: Iterable[Activity], day: dt.date, *, key: str
                  ) -> dict[str, dt.date]:
    """Per deal (``key="deal"``) or customer, the last day an activity took place by ``day``."""
    last: dict[str, dt.date] = {}
    for activity in activities:
        about, happened = getattr(activity, key), activity.happened_on()
        if about is not None and happened is not None and happened <= day and (
                about not in last or happened > last[about]):
            last[about] = happened
    return last


def activity_list(view: CrmView, *, customer: str | None = None, deal: str | None = None
                  ) -> Report:
    """Activities that happened in the period (follow-ups: when done), newest last."""
    rows = []
    for a in sorted(view.crm.activities, key=lambda a: (a.happened_on() or a.date, a.number)):
        happened = a.happened_on()
        if happened is None or happened > view.as_of or not view.in_period(happened):
            continue
        if (customer is not None and a.customer != customer) or (
                deal is not None and a.deal != deal) or (
                view.owner is not None and a.owner != view.owner):
            continue
        rows.append(Row(values=(a.number, happened.isoformat(), a.kind, a.owner or "",
                                _who(a), a.contact or "", a.deal or a.ticket or "",
                                a.subject)))
    columns = (Column(key="number", title="Number"), Column(key="date", title="Date"),
               Column(key="kind", title="Kind"), Column(key="owner", title="Owner"),
               Column(key="customer", title="With"), Column(key="contact", title="Contact"),
               Column(key="about", title="About"), Column(key="subject", title="Subject"))
    return Report(name="activities", title=f"Activities, {view.label()}", columns=columns,
                  rows=tuple(rows), precisions=dict(view.precisions))


def sla_state(done: dt.datetime | None, due_at: dt.datetime, now: dt.datetime) -> str:
    """met, late, overdue or due (see the module's docstring)."""
    if done is not None:
        return "met" if done <= due_at else "late"
    return "overdue" if now > due_at else "due"


def ticket_list(view: CrmView, now: dt.datetime, *, status: str | None = None,
                customer: str | None = None) -> Report:
    """Tickets with their response and resolution against the service level."""
    sla = view.crm.settings.sla
    rows = []
    for t in sorted(view.crm.tickets, key=lambda t: t.number):
        if t.opened > now or (customer is not None and t.customer != customer) or (
                view.owner is not None and t.assignee != view.owner):
            continue
        closed = t.closed if t.closed is not None and t.closed <= now else None
        state = "closed" if closed is not None else "open"
        if status is not None and status != state:
            continue
        if not view.in_period(t.opened.date()):
            continue
        responded = t.responded if t.responded is not None and t.responded <= now else None
        rows.append(Row(values=(
            t.number, t.customer, t.priority, _stamp(t.opened), t.assignee or "", state,
            _stamp(t.response_due(sla)), sla_state(responded, t.response_due(sla), now),
            _stamp(t.resolution_due(sla)), sla_state(closed, t.resolution_due(sla), now),
            t.subject)))
    columns = (Column(key="number", title="Ticket"), Column(key="customer", title="Customer"),
               Column(key="priority", title="Priority"), Column(key="opened", title="Opened"),
               Column(key="assignee", title="Assignee"), Column(key="status", title="Status"),
               Column(key="response_due", title="Response due"),
               Column(key="response", title="Response"),
               Column(key="resolution_due", title="Resolution due"),
               Column(key="resolution", title="Resolution"),
               Column(key="subject", title="Subject"))
    return Report(name="tickets", title=f"Tickets at {now:%Y-%m-%d %H:%M}", columns=columns,
                  rows=tuple(rows), precisions=dict(view.precisions))


def overdue_tickets(tickets: list[Ticket], sla: dict[str, tuple[int, int]],
                    now: dt.datetime) -> list[Ticket]:
    """Open tickets past their response or resolution due time."""
    return [t for t in tickets if t.opened <= now and (t.closed is None or t.closed > now)
            and (sla_state(t.responded if t.responded and t.responded <= now else None,
                           t.response_due(sla), now) == "overdue"
                 or now > t.resolution_due(sla))]


def _stamp(when: dt.datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M}"
