"""``biz crm winrate``, lost reasons, time in stage and the owners' leaderboard.

Definitions (each deal read as of the as-of day: its history lines after it are ignored):

- *Closed*: the deal's history ends in ``won`` or ``lost``; its closing day is the date of
  that last line. A deal counts when its closing day is in the period. Open deals never
  count, whatever they may become (a deal won after the as-of day is still open).
- Win rate by count = won / (won + lost) x 100. By value = won amount / (won amount +
  lost amount) x 100, only for a group whose closed deals share one currency (empty
  otherwise: amounts in different currencies do not add up).
- Average won deal = won amount / won deals, per currency.
- Average cycle = the mean over the won deals of (closing day - creation day), in days
  (calendar-date differences), printed to one decimal place.
- Grouped by month, a deal counts in the month of its closing day.
- Lost reasons: the deals lost in the period, per ``lost_reason`` (the deal's current
  one; none shown as ``(none)``): how many, their amount; most frequent first.
- Time in stage, for the deals created in the period (all without one): a history line
  followed by another is a *completed* stay of (next date - its date) days; a deal's last
  line, when it is open, is an *open* stay of (as-of day - its date) days. Only open
  stages count. Completed and open stays are kept apart: count, mean and longest days of
  the completed ones; count and mean age of the open ones.
- Leaderboard: per owner (``(none)`` without one), the deals won and lost in the period;
  ordered by the won amount in the book's currency, largest first, then by owner
  (``(none)`` last among equals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import NamedTuple

from bizcli.core.crm.deals import LOST, TERMINAL, WON, CrmSettings, Deal, StageChange
from bizcli.core.money import ZERO
from bizcli.reports.crm.funnel import cohort, history_on, percent
from bizcli.reports.crm.view import CrmView, add, one_place
from bizcli.reports.model import Cell, Column, ColumnKind, Report, Row, RowKind

GROUPS = ("owner", "source", "month", "none")
NONE = "(none)"
_MULTI_CURRENCY = ("win rate by value is left empty where the deals are in more than one "
                   "currency")


def closed_deals(view: CrmView) -> Iterator[tuple[Deal, StageChange]]:
    """The deals won or lost in the period as of the as-of day, with that last line."""
    day, period = view.as_of, view.period
    for deal in view.deals():
        history = history_on(deal, day)
        last = history[-1]
        if last.stage in TERMINAL and period.contains(last.date):
            yield deal, last


@dataclass(slots=True)
class _Closed:
    """Closed deals of a group: counts, amounts and days (exact)."""

    won: int = 0
    lost: int = 0
    won_amount: dict[str, Decimal] = field(default_factory=dict)
    lost_amount: dict[str, Decimal] = field(default_factory=dict)
    won_deals: dict[str, int] = field(default_factory=dict)
    """Won deals per currency, for the average won deal."""
    cycle_days: int = 0

    def take(self, deal: Deal, last: StageChange) -> None:
        currency = deal.currency
        if last.stage == WON:
            self.won += 1
            add(self.won_amount, currency, deal.amount)
            self.won_deals[currency] = self.won_deals.get(currency, 0) + 1
            self.cycle_days += (last.date - deal.history[0].date).days
        else:
            self.lost += 1
            add(self.lost_amount, currency, deal.amount)

    def merge(self, other: _Closed) -> None:
        self.won += other.won
        self.lost += other.lost
        self.cycle_days += other.cycle_days
        for mine, theirs in ((self.won_amount, other.won_amount),
                             (self.lost_amount, other.lost_amount)):
            for currency, amount in theirs.items():
                add(mine, currency, amount)
        for currency, count in other.won_deals.items():
            self.won_deals[currency] = self.won_deals.get(currency, 0) + count

    def count_rate(self) -> Decimal | None:
        return percent(self.won, self.won + self.lost)

    def value_rate(self) -> tuple[Decimal | None, bool]:
        """The win rate by value, and whether several currencies left it empty."""
        currencies = set(self.won_amount) | set(self.lost_amount)
        if len(currencies) != 1:
            return None, len(currencies) > 1
        (currency,) = currencies
        won = self.won_amount.get(currency, Decimal(0))
        whole = won + self.lost_amount.get(currency, Decimal(0))
        return (one_place(won * 100 / whole) if whole else None), False

    def average_won(self) -> dict[str, Decimal]:
        return {c: q / self.won_deals[c] for c, q in self.won_amount.items()}

    def average_cycle(self) -> Decimal | None:
        return one_place(Decimal(self.cycle_days) / self.won) if self.won else None


def _group_key(by: str) -> Callable[[Deal, StageChange], str]:
    if by == "month":
        return lambda _, last: f"{last.date.year:04d}-{last.date.month:02d}"
    if by == "none":
        return lambda _, __: ""
    return lambda deal, _: getattr(deal, by) or NONE


def _ordered(names: Iterable[str], by: str) -> list[str]:
    if by == "month":
        return sorted(names)
    return sorted(names, key=lambda name: (name == NONE, name))


def winrate(view: CrmView, *, by: str = "owner") -> Report:
    """Deals won and lost in the period, per group: win rates, average deal and cycle."""
    if by not in GROUPS:
        raise ValueError(f"cannot group by {by!r}")
    key = _group_key(by)
    groups: dict[str, _Closed] = {}
    for deal, last in closed_deals(view):
        name = key(deal, last)
        group = groups.get(name) or groups.setdefault(name, _Closed())
        group.take(deal, last)
    total = _Closed()
    rows = []
    mixed = False
    for name in [] if by == "none" else _ordered(groups, by):
        total.merge(groups[name])
        row, several = _winrate_row(view, name, groups[name])
        rows.append(row)
        mixed |= several
    if by == "none":
        total = groups.get("") or total
    row, several = _winrate_row(view, "Total", total, RowKind.TOTAL)
    rows.append(row)
    columns = (Column(key=by if by != "none" else "group", title=by.capitalize()),
               Column(key="won", title="Won", kind=ColumnKind.NUMBER),
               Column(key="lost", title="Lost", kind=ColumnKind.NUMBER),
               Column(key="win_rate", title="Win %", kind=ColumnKind.NUMBER),
               Column(key="value_rate", title="Win % by value", kind=ColumnKind.NUMBER),
               Column(key="average_won", title="Average won", kind=ColumnKind.AMOUNT),
               Column(key="cycle_days", title="Cycle days", kind=ColumnKind.NUMBER))
    notes = [("win % = won / (won + lost) x 100; by value = won amount / (won + lost "
             "amount) x 100; cycle days = mean over won deals of (won day - created day); "
             "open deals never count"),
             "why deals were lost: biz crm reasons"]
    if mixed or several:
        notes.append(_MULTI_CURRENCY)
    return Report(name="winrate", title=f"Win rate by {by}, {view.label()}", columns=columns,
                  rows=tuple(rows), precisions=dict(view.precisions), notes=tuple(notes))


def _winrate_row(view: CrmView, name: str, group: _Closed, kind: RowKind = RowKind.ROW
                 ) -> tuple[Row, bool]:
    by_value, several = group.value_rate()
    values: tuple[Cell, ...] = (
        name, Decimal(group.won), Decimal(group.lost), group.count_rate(), by_value,
        view.cell(group.average_won()) if group.won else None, group.average_cycle())
    return Row(values=values, kind=kind,
               display=name if kind is RowKind.TOTAL else None), several


def lost_reasons(view: CrmView) -> Report:
    """The deals lost in the period per reason: how many and their amount."""
    reasons: dict[str, tuple[list[int], dict[str, Decimal]]] = {}
    total_amount: dict[str, Decimal] = {}
    total = 0
    for deal, last in closed_deals(view):
        if last.stage != LOST:
            continue
        reason = deal.lost_reason or NONE
        count, amount = reasons.get(reason) or reasons.setdefault(reason, ([0], {}))
        count[0] += 1
        add(amount, deal.currency, deal.amount)
        total += 1
        add(total_amount, deal.currency, deal.amount)
    rows = [Row(values=(reason, Decimal(count[0]), view.cell(amount)))
            for reason, (count, amount) in sorted(
                reasons.items(), key=lambda item: (-item[1][0][0], item[0]))]
    rows.append(Row(values=("Total", Decimal(total), view.cell(total_amount)),
                    kind=RowKind.TOTAL, display="Total"))
    columns = (Column(key="reason", title="Reason"),
               Column(key="deals", title="Deals", kind=ColumnKind.NUMBER),
               Column(key="amount", title="Amount", kind=ColumnKind.AMOUNT))
    return Report(name="lost-reasons", title=f"Deals lost by reason, {view.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(view.precisions),
                  notes=("the reason is the deal's current lost_reason; (none): it has none",))


class StageStays(NamedTuple):
    """The stays in one open stage: completed (count, total and longest days), open."""

    stage: str
    completed: int
    completed_days: int
    longest: int
    open: int
    open_days: int


def stage_stays(deals: Iterable[Deal], settings: CrmSettings, as_of: dt.date
                ) -> list[StageStays]:
    """Per open stage, the stays of ``deals`` as of ``as_of`` (see the module docstring)."""
    names = [s.name for s in settings.stages]
    at = {name: n for n, name in enumerate(names)}
    done, days, longest = [0] * len(names), [0] * len(names), [0] * len(names)
    still, age = [0] * len(names), [0] * len(names)
    stage_at = at.get
    for deal in deals:
        history = deal.history
        if history[-1].date > as_of:
            history = history_on(deal, as_of)
            if not history:
                continue
        for line, after in pairwise(history):
            n = stage_at(line.stage)
            if n is not None:
                stay = (after.date - line.date).days
                done[n] += 1
                days[n] += stay
                if stay > longest[n]:  # noqa: PLR1730 - max() is 3x slower in this loop
                    longest[n] = stay
        last = history[-1]
        n = stage_at(last.stage)
        if n is not None:
            still[n] += 1
            age[n] += (as_of - last.date).days
    return [StageStays(*values) for values in zip(names, done, days, longest, still, age,
                                                  strict=True)]


def time_in_stage(view: CrmView) -> Report:
    """Per open stage: how long completed stays lasted, how old the open ones are."""
    stays = stage_stays(cohort(view), view.crm.settings, view.as_of)
    total = StageStays("Total", sum(s.completed for s in stays),
                       sum(s.completed_days for s in stays),
                       max((s.longest for s in stays), default=0),
                       sum(s.open for s in stays), sum(s.open_days for s in stays))
    rows = [_stay_row(s) for s in stays]
    rows.append(_stay_row(total, RowKind.TOTAL))
    columns = (Column(key="stage", title="Stage"),
               Column(key="completed", title="Completed", kind=ColumnKind.NUMBER),
               Column(key="mean_days", title="Mean days", kind=ColumnKind.NUMBER),
               Column(key="max_days", title="Max days", kind=ColumnKind.NUMBER),
               Column(key="open", title="Open", kind=ColumnKind.NUMBER),
               Column(key="mean_age", title="Mean age", kind=ColumnKind.NUMBER))
    return Report(name="time-in-stage", title=f"Time in stage, {view.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(view.precisions),
                  notes=(("completed stay = days from a history line to the next; open "
                         "stay = days from an open deal's last line to the as-of day; "
                         "the two are never mixed"),))


def _stay_row(stays: StageStays, kind: RowKind = RowKind.ROW) -> Row:
    done, still = stays.completed, stays.open
    return Row(values=(stays.stage, Decimal(done),
                       one_place(Decimal(stays.completed_days) / done) if done else None,
                       Decimal(stays.longest) if done else None, Decimal(still),
                       one_place(Decimal(stays.open_days) / still) if still else None),
               kind=kind, display=stays.stage if kind is RowKind.TOTAL else None)


def leaderboard(view: CrmView) -> Report:
    """Per owner: deals won in the period and their amount, largest first; lost, win %."""
    owners: dict[str, _Closed] = {}
    for deal, last in closed_deals(view):
        name = deal.owner or NONE
        owner = owners.get(name) or owners.setdefault(name, _Closed())
        owner.take(deal, last)
    total = _Closed()
    for owner in owners.values():
        total.merge(owner)
    currency = view.currency or (next(iter(total.won_amount)) if len(total.won_amount) == 1
                                 else "")
    ranked = sorted(owners.items(), key=lambda item: (
        -item[1].won_amount.get(currency, ZERO), item[0] == NONE, item[0]))
    rows = [_leader_row(view, name, owner) for name, owner in ranked]
    rows.append(_leader_row(view, "Total", total, RowKind.TOTAL))
    columns = (Column(key="owner", title="Owner"),
               Column(key="won", title="Won", kind=ColumnKind.NUMBER),
               Column(key="won_amount", title="Won amount", kind=ColumnKind.AMOUNT),
               Column(key="lost", title="Lost", kind=ColumnKind.NUMBER),
               Column(key="win_rate", title="Win %", kind=ColumnKind.NUMBER))
    notes = ["win % = won / (won + lost) x 100, deals closed in the period"]
    if set(total.won_amount) - {currency}:
        notes.append(f"ordered by the won amount in {currency or 'no currency'}; amounts "
                     "in other currencies do not count in the order")
    return Report(name="leaderboard", title=f"Leaderboard, {view.label()}", columns=columns,
                  rows=tuple(rows), precisions=dict(view.precisions), notes=tuple(notes))


def _leader_row(view: CrmView, name: str, owner: _Closed, kind: RowKind = RowKind.ROW
                ) -> Row:
    return Row(values=(name, Decimal(owner.won), view.cell(owner.won_amount),
                       Decimal(owner.lost), owner.count_rate()),
               kind=kind, display=name if kind is RowKind.TOTAL else None)
