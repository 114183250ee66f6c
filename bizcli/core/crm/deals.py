"""Deals and leads: the stages a deal goes through, and the history it keeps.

A deal's stage history is append-only: each change is a dated line, and the current
stage is the last one. The history is the book's record of when things happened (git
history is not: a change committed late would skew every duration). ``won`` and
``lost`` are terminal: a closed deal leaves them only by ``reopen``, which appends to
the history too.

Reading a deal *as of* a date uses the history up to that day: the stage then, open or
closed then. The amount, owner and expected close are the current values (they are not
historised; changing them is an edit, not an event).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.money import ZERO
from bizcli.core.source import SourceRef

WON = "won"
LOST = "lost"
TERMINAL = (WON, LOST)
HUNDRED = Decimal(100)


class Stage(NamedTuple):
    """An open stage of the pipeline and the win probability (percent) it implies."""

    name: str
    probability: Decimal


DEFAULT_STAGES = (Stage("new", Decimal(10)), Stage("qualified", Decimal(25)),
                  Stage("proposal", Decimal(50)), Stage("negotiation", Decimal(75)))
"""The stages of a book whose ``biz.yaml`` names none."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CrmSettings:
    """The ``crm:`` part of ``biz.yaml``.

    ``stages`` are the open stages in pipeline order; ``won`` (100 %) and ``lost`` (0 %)
    always follow them. ``targets`` maps a month (``2026-11``) to a sales target;
    ``monthly_target`` applies to the months not listed. ``sla`` maps a ticket priority
    to (hours to first response, hours to resolution).
    """

    stages: tuple[Stage, ...] = DEFAULT_STAGES
    monthly_target: Decimal | None = None
    targets: Mapping[str, Decimal] = field(default_factory=dict)
    sla: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    source: SourceRef | None = field(default=None, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Every stage in order: the open ones, then won and lost."""
        return (*(s.name for s in self.stages), WON, LOST)

    def index(self, stage: str) -> int:
        """Position in the pipeline; won comes after every open stage (lost too)."""
        for n, known in enumerate(self.stages):
            if known.name == stage:
                return n
        return len(self.stages)

    def probability(self, stage: str) -> Decimal:
        """The stage's default win probability in percent."""
        if stage == WON:
            return HUNDRED
        for known in self.stages:
            if known.name == stage:
                return known.probability
        return ZERO

    def target(self, month: str) -> Decimal | None:
        """The sales target of a month (``2026-11``), if any."""
        return self.targets.get(month, self.monthly_target)


class StageChange(NamedTuple):
    """One line of a deal's history: from ``date`` on, the deal is in ``stage``."""

    date: dt.date
    stage: str


class DealLine(NamedTuple):
    """A product line on a deal: what the sales order will hold if it is won."""

    item: str
    quantity: Decimal
    price: Decimal


class Deal(NamedTuple):
    """A sales opportunity with a customer.

    A named tuple rather than a dataclass: a book of 100,000 deals builds them from the
    cache five times faster. Change one with ``deal._replace(...)``.
    """

    number: str
    customer: str
    title: str
    amount: Decimal
    currency: str
    history: tuple[StageChange, ...]
    """Append-only, in date order; the first entry is the creation."""
    owner: str | None = None
    source: str | None = None
    campaign: str | None = None
    lines: tuple[DealLine, ...] = ()
    expected_close: dt.date | None = None
    probability: Decimal | None = None
    """The deal's own win probability (percent), kept until cleared; None: the stage's."""
    lost_reason: str | None = None
    order: str | None = None
    """The sales quote or order the deal became when won."""
    lead: str | None = None
    """The lead the deal was converted from."""
    notes: str | None = None
    ref: SourceRef | None = None

    @property
    def created(self) -> dt.date:
        """The day the deal was opened (its first history line)."""
        return self.history[0].date

    @property
    def stage(self) -> str:
        """The current stage."""
        return self.history[-1].stage

    @property
    def is_open(self) -> bool:
        """Neither won nor lost."""
        return self.history[-1].stage not in TERMINAL

    @property
    def closed(self) -> dt.date | None:
        """The day it was won or lost (None while open)."""
        return None if self.is_open else self.history[-1].date

    def stage_on(self, day: dt.date) -> str | None:
        """The stage the deal was in at the end of ``day``; None before it was created."""
        found = None
        for change in self.history:
            if change.date > day:
                break
            found = change.stage
        return found

    def win_probability(self, crm: CrmSettings, stage: str | None = None) -> Decimal:
        """Percent: 100 won, 0 lost, else the deal's override or the stage's default."""
        stage = stage or self.stage
        if stage in TERMINAL:
            return crm.probability(stage)
        return self.probability if self.probability is not None else crm.probability(stage)

    def weighted(self, crm: CrmSettings, stage: str | None = None) -> Decimal:
        """Amount x probability / 100, exact (reports round only the totals they print)."""
        return self.amount * self.win_probability(crm, stage) / HUNDRED


def lines_amount(lines: Sequence[DealLine]) -> Decimal:
    """The amount a deal's product lines add up to (before tax)."""
    return sum((line.quantity * line.price for line in lines), ZERO)


@dataclass(frozen=True, slots=True, kw_only=True)
class Lead:
    """An unqualified contact: someone who might buy, not yet a customer."""

    number: str
    name: str
    created: dt.date
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    source: str | None = None
    campaign: str | None = None
    owner: str | None = None
    converted: str | None = None
    """The customer code it became (then it is closed)."""
    deal: str | None = None
    """The deal opened when it was converted."""
    disqualified: str | None = None
    """Why it was dropped (then it is closed)."""
    notes: str | None = None
    ref: SourceRef | None = field(default=None, compare=False)

    @property
    def is_open(self) -> bool:
        """Neither converted nor disqualified."""
        return self.converted is None and self.disqualified is None
