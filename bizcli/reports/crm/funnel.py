"""``biz crm funnel``: how far the deals opened in a period got, stage by stage.

Definitions (each deal read as of the as-of day: its history lines after it are ignored):

- Cohort: the deals created (first history line) in the period; all deals without one.
- A deal *reached* an open stage S when its history holds S or any later stage, ``won``
  counting as later than every open stage. Skipping a stage counts as passing it, and a
  deal now lost still reached the highest stage it was ever in and every one before it.
- The last row, ``won``, counts the deals whose history ends in ``won``.
- Amount: the sum of the amounts of the deals in the row (per currency).
- Step %: this row's deals / the previous row's x 100 (empty on the first row, or when
  the previous row has none). Overall %: this row's deals / the first row's x 100.
- Lost here: the deals whose history ends in ``lost``, counted at the stage of the line
  just before it (the stage they were lost in).

Counts never grow down the rows: every deal in a row is in the row above it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from bizcli.core.crm.deals import LOST, WON, CrmSettings, Deal, StageChange
from bizcli.core.money import ZERO
from bizcli.reports.crm.view import CrmView, add, one_place
from bizcli.reports.model import Bar, Cell, Column, ColumnKind, Report, Row

HUNDRED = Decimal(100)


def history_on(deal: Deal, day: dt.date) -> tuple[StageChange, ...]:
    """The deal's history lines dated on or before ``day`` (empty before it was created)."""
    history = deal.history
    if history[-1].date <= day:  # the usual case: nothing to cut
        return history
    end = len(history) - 1
    while end and history[end - 1].date > day:
        end -= 1
    return history[:end]


def cohort(view: CrmView) -> list[Deal]:
    """The view's deals created in the period (all of them without a period)."""
    period = view.period
    if period.start is None and period.end is None:
        return view.deals()
    return [deal for deal in view.deals() if period.contains(deal.history[0].date)]


def percent(part: int, whole: int) -> Decimal | None:
    """``part / whole x 100`` to one decimal place (as printed); None when ``whole`` is 0."""
    return one_place(Decimal(part) * HUNDRED / whole) if whole else None


class _Funnel:
    """Deals and amounts per highest stage reached, and deals lost per stage."""

    def __init__(self, settings: CrmSettings) -> None:
        self.names = [s.name for s in settings.stages]
        self.rank = {name: n for n, name in enumerate(self.names)}
        self.rank[WON] = len(self.names)
        width = len(self.names) + 1
        self.top = [0] * width  # deals whose highest stage is this one
        self.top_amount: list[dict[str, Decimal]] = [{} for _ in range(width)]
        self.won = 0
        self.won_amount: dict[str, Decimal] = {}
        self.lost = [0] * width

    def count(self, deals: Iterable[Deal], day: dt.date) -> None:
        rank, top, lost, amounts = self.rank.get, self.top, self.lost, self.top_amount
        won_amount, opened = self.won_amount, len(self.names)
        for deal in deals:
            history = deal.history
            if history[-1].date > day:
                history = history_on(deal, day)
            highest = -1
            for line in history:
                reached = rank(line.stage, -1)
                if reached > highest:  # noqa: PLR1730 - max() is 3x slower in this loop
                    highest = reached
            if highest < 0:
                continue  # no open stage and never won: in no row
            top[highest] += 1
            currency, amount = deal.currency, deal.amount
            into = amounts[highest]
            into[currency] = into.get(currency, ZERO) + amount
            last = history[-1].stage
            if last == WON:
                self.won += 1
                won_amount[currency] = won_amount.get(currency, ZERO) + amount
            elif last == LOST and len(history) > 1:
                where = rank(history[-2].stage, -1)
                if 0 <= where < opened:
                    lost[where] += 1

    def reached(self) -> list[tuple[str, int, dict[str, Decimal]]]:
        """Each open stage and won: deals that reached it, and their amount."""
        rows: list[tuple[str, int, dict[str, Decimal]]] = []
        deals, amount = 0, dict[str, Decimal]()
        for n in range(len(self.names), -1, -1):  # from won down: suffix sums
            deals += self.top[n]
            for currency, value in self.top_amount[n].items():
                add(amount, currency, value)
            if n < len(self.names):
                rows.append((self.names[n], deals, dict(amount)))
        rows.reverse()
        rows.append((WON, self.won, self.won_amount))
        return rows


def funnel_counts(deals: Iterable[Deal], settings: CrmSettings, as_of: dt.date
                  ) -> list[tuple[str, int]]:
    """Per open stage, then ``won``: how many of ``deals`` reached it as of ``as_of``."""
    tally = _Funnel(settings)
    tally.count(deals, as_of)
    return [(name, deals_in) for name, deals_in, _ in tally.reached()]


def funnel(view: CrmView) -> Report:
    """The deals opened in the period: how many reached each stage, how many were won."""
    tally = _Funnel(view.crm.settings)
    tally.count(cohort(view), view.as_of)
    reached = tally.reached()
    first = reached[0][1] if reached else 0
    rows, previous = [], None
    for n, (name, deals, amount) in enumerate(reached):
        assert previous is None or deals <= previous, "a funnel never widens"
        lost: Cell = Decimal(tally.lost[n]) if name != WON else None
        rows.append(Row(values=(name, Decimal(deals), view.cell(amount),
                                None if previous is None else percent(deals, previous),
                                percent(deals, first), lost)))
        previous = deals
    columns = (Column(key="stage", title="Stage"),
               Column(key="reached", title="Reached", kind=ColumnKind.NUMBER),
               Column(key="amount", title="Amount", kind=ColumnKind.AMOUNT),
               Column(key="step", title="Step %", kind=ColumnKind.NUMBER),
               Column(key="overall", title="Overall %", kind=ColumnKind.NUMBER),
               Column(key="lost_here", title="Lost here", kind=ColumnKind.NUMBER))
    bars = tuple(Bar(name, Decimal(deals), f"{deals}") for name, deals, _ in reached)
    return Report(name="funnel", title=f"Funnel of the deals opened, {view.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(view.precisions),
                  notes=_NOTES, bars=bars)


_NOTES = (
    ("reached = deals whose history holds the stage or a later one (won is later than "
    "every open stage): a skipped stage counts as passed, a lost deal counts up to the "
    "highest stage it was in"),
    "step % = reached / the row above x 100; overall % = reached / the first row x 100",
    "lost here = deals whose history ends in lost, at the stage just before it",
)
