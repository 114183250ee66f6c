"""Activities (calls, emails, meetings, notes) and follow-ups, and service tickets.

An activity is something that happened, on a day. A *follow-up* is an activity planned
for a due day, with an owner; it is open until it is marked done. A ticket is a
customer's request, opened and closed at a time of day: its service levels (first
response, resolution) are counted in hours from when it was opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from bizcli.core.source import SourceRef

KINDS = ("call", "email", "meeting", "note", "task")
"""What an activity can be; ``task`` is for a follow-up that is none of the others."""
PRIORITIES = ("urgent", "high", "normal", "low")
DEFAULT_SLA: Mapping[str, tuple[int, int]] = {
    "urgent": (1, 8), "high": (4, 24), "normal": (8, 72), "low": (24, 168)}
"""Hours to first response and to resolution, per priority, unless ``biz.yaml`` says."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    """A call, email, meeting or note, or a follow-up planned for ``due``."""

    number: str
    kind: str
    date: dt.date
    """The day it happened, or, for a follow-up, the day it was planned."""
    subject: str
    customer: str | None = None
    lead: str | None = None
    deal: str | None = None
    ticket: str | None = None
    contact: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    done: dt.date | None = None
    notes: str | None = None
    ref: SourceRef | None = field(default=None, compare=False)

    @property
    def is_follow_up(self) -> bool:
        """Planned for a due day."""
        return self.due is not None

    def open_on(self, day: dt.date) -> bool:
        """A follow-up planned by ``day`` and not done by then."""
        return self.due is not None and self.date <= day and (
            self.done is None or self.done > day)

    def happened_on(self) -> dt.date | None:
        """When it took place: its date, or a follow-up's done day (None while open)."""
        return self.done if self.due is not None else self.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Ticket:
    """A customer's service request, with the times it was opened, answered and closed."""

    number: str
    customer: str
    subject: str
    priority: str
    opened: dt.datetime
    assignee: str | None = None
    responded: dt.datetime | None = None
    closed: dt.datetime | None = None
    resolution: str | None = None
    notes: str | None = None
    ref: SourceRef | None = field(default=None, compare=False)

    def response_due(self, sla: Mapping[str, tuple[int, int]]) -> dt.datetime:
        """When the first response is due: opened + the priority's response hours."""
        return self.opened + dt.timedelta(hours=_sla(sla, self.priority)[0])

    def resolution_due(self, sla: Mapping[str, tuple[int, int]]) -> dt.datetime:
        """When it must be closed: opened + the priority's resolution hours."""
        return self.opened + dt.timedelta(hours=_sla(sla, self.priority)[1])


def _sla(sla: Mapping[str, tuple[int, int]], priority: str) -> tuple[int, int]:
    return sla.get(priority) or DEFAULT_SLA[priority]
