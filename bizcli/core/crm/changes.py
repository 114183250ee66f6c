"""What may happen to a deal: open, move, win, lose, reopen, edit; each checked.

Every change appends to the history (or edits current values) and returns the new
deal; a change that would break a rule raises a ``BizcliError`` naming the rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bizcli.core.crm.deals import LOST, TERMINAL, WON, CrmSettings, Deal, StageChange
from bizcli.core.problems import fail


def check_probability(value: Decimal | None) -> Decimal | None:
    """A percent from 0 to 100 (None stays None)."""
    if value is not None and not 0 <= value <= 100:
        raise fail("bad-number", f"a probability is a percent from 0 to 100, not {value}",
                   hint="e.g. --probability 60")
    return value


def _check_day(deal: Deal, day: dt.date) -> None:
    last = deal.history[-1]
    if day < last.date:
        raise fail("bad-deal-history", f"{deal.number} became {last.stage} on {last.date}; "
                   f"a change cannot be dated {day}, before that",
                   hint=f"date it {last.date} or later (the history is in date order)")


def move(deal: Deal, stage: str, day: dt.date, crm: CrmSettings) -> Deal:
    """The open deal moved to another open stage (forward or back) on ``day``."""
    if stage in TERMINAL:
        raise fail("unknown-stage", f"{stage} closes a deal; 'move' goes between open stages",
                   hint=f"use 'biz crm deal {stage} {deal.number}'")
    if stage not in crm.names:
        raise fail("unknown-stage", f"{stage!r} is not a stage of this book",
                   hint="stages: " + ", ".join(s.name for s in crm.stages))
    if not deal.is_open:
        raise fail("deal-closed", f"{deal.number} is {deal.stage} (since "
                   f"{deal.history[-1].date})",
                   hint=f"reopen it first: biz crm deal reopen {deal.number} {stage}")
    if stage == deal.stage:
        raise fail("bad-deal-history", f"{deal.number} is already {stage}",
                   hint="give another stage ('biz crm deal show' shows its history)")
    _check_day(deal, day)
    return deal._replace(history=(*deal.history, StageChange(day, stage)))


def win(deal: Deal, day: dt.date) -> Deal:
    """The open deal won on ``day``."""
    _must_be_open(deal)
    _check_day(deal, day)
    return deal._replace(history=(*deal.history, StageChange(day, WON)))


def lose(deal: Deal, day: dt.date, reason: str) -> Deal:
    """The open deal lost on ``day``, for ``reason``."""
    _must_be_open(deal)
    if not reason.strip():
        raise fail("missing-reason", f"why was {deal.number} lost?",
                   hint="give --reason, e.g. --reason price")
    _check_day(deal, day)
    return deal._replace(history=(*deal.history, StageChange(day, LOST)),
                   lost_reason=reason.strip())


def reopen(deal: Deal, stage: str, day: dt.date, crm: CrmSettings) -> Deal:
    """A won or lost deal back in an open stage (its order, if any, stays as it is)."""
    if deal.is_open:
        raise fail("deal-open", f"{deal.number} is open ({deal.stage})",
                   hint=f"move it instead: biz crm deal move {deal.number} {stage}")
    if deal.order is not None:
        raise fail("deal-closed", f"{deal.number} became {deal.order}; reopening it would "
                   "leave the order behind", hint=f"cancel {deal.order} and open a new deal")
    if stage not in {s.name for s in crm.stages}:
        raise fail("unknown-stage", f"{stage!r} is not an open stage of this book",
                   hint="stages: " + ", ".join(s.name for s in crm.stages))
    _check_day(deal, day)
    return deal._replace(history=(*deal.history, StageChange(day, stage)), lost_reason=None)


def _must_be_open(deal: Deal) -> None:
    if not deal.is_open:
        raise fail("deal-closed", f"{deal.number} is already {deal.stage} (since "
                   f"{deal.history[-1].date})",
                   hint=f"'biz crm deal reopen {deal.number} STAGE' puts it back in the "
                        "pipeline")
