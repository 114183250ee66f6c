"""``biz crm forecast``: per month, what the open deals weigh, what was won, the target.

Definitions (each deal read as of the as-of day: its history lines after it are ignored):

- *Open*: the deal's stage on the as-of day is neither won nor lost. Its weighted amount
  is amount x probability / 100 (its own probability, else that stage's), exact.
- An open deal counts in the month (YYYY-MM) of its expected close, or in the row
  ``no close date`` when it has none. It is *overdue* when its expected close is before
  the as-of day. Policy ``roll`` (the default) counts overdue deals in the as-of month,
  as they can only close from now on; ``in-place`` leaves them in their own past month.
  The column "overdue" counts the overdue deals in each row.
- *Won* in a month: the deals whose last history line is ``won`` and dated in it; won
  amount = the sum of their amounts.
- Rows without a period: the as-of month and the ``months`` - 1 after it (all shown);
  before them only the months holding a figure (a won deal, or an overdue deal left in
  place); then ``later`` (open deals expected after the last month) and ``no close
  date``. With a period: the calendar months it touches (an open side ends at the first
  or last month holding a figure; ``months`` is ignored), counting only the figures of
  those months.
- Target: the month's target (``biz.yaml`` crm: targets, monthly_target), in the book's
  currency. To target = target - won amount - weighted open (negative: the month should
  beat it); empty without a target or when the month holds another currency.
- Total: the sums of the rows; its target and "to target" are the sums of the months'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.crm.deals import LOST, WON, Deal
from bizcli.core.money import ZERO, default_precision, format_amount
from bizcli.reports.crm.funnel import history_on
from bizcli.reports.crm.view import CrmView, add
from bizcli.reports.model import Bar, Cell, Column, ColumnKind, Report, Row, RowKind

POLICIES = ("roll", "in-place")
LATER = "later"
NO_CLOSE = "no close date"


class ForecastMonth(NamedTuple):
    """One row of the forecast: a month ``YYYY-MM``, ``later`` or ``no close date``.

    Amounts are exact, per currency; ``to_target`` is None without a target or when the
    row holds a currency other than the target's.
    """

    label: str
    open_deals: int
    overdue: int
    weighted: dict[str, Decimal]
    won_deals: int
    won: dict[str, Decimal]
    target: Decimal | None
    to_target: Decimal | None


@dataclass(slots=True)
class _Tally:
    open_deals: int = 0
    overdue: int = 0
    weighted: dict[str, Decimal] = field(default_factory=dict)
    won_deals: int = 0
    won: dict[str, Decimal] = field(default_factory=dict)

    def merge(self, other: _Tally) -> None:
        self.open_deals += other.open_deals
        self.overdue += other.overdue
        self.won_deals += other.won_deals
        for currency, amount in other.weighted.items():
            add(self.weighted, currency, amount)
        for currency, amount in other.won.items():
            add(self.won, currency, amount)


def _month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _label(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


class _Pass(NamedTuple):
    months: dict[int, _Tally]
    undated: _Tally
    late: _Tally
    """The overdue open deals, wherever they are counted."""


def _tally(deals: list[Deal], view: CrmView, policy: str) -> _Pass:
    settings, day = view.crm.settings, view.as_of
    now, roll = _month(day), policy == "roll"
    months: dict[int, _Tally] = {}
    undated, late = _Tally(), _Tally()
    for deal in deals:
        last = deal.history[-1]
        if last.date > day:
            last = history_on(deal, day)[-1]
        stage, currency = last.stage, deal.currency
        if stage == LOST:
            continue
        if stage == WON:
            key = _month(last.date)
            tally = months.get(key) or months.setdefault(key, _Tally())
            tally.won_deals += 1
            tally.won[currency] = tally.won.get(currency, ZERO) + deal.amount
            continue
        share = deal.weighted(settings, stage)
        close = deal.expected_close
        if close is None:
            tally = undated
        else:
            key = now if roll and close < day else _month(close)
            tally = months.get(key) or months.setdefault(key, _Tally())
            if close < day:
                tally.overdue += 1
                late.open_deals += 1
                add(late.weighted, currency, share)
        tally.open_deals += 1
        tally.weighted[currency] = tally.weighted.get(currency, ZERO) + share
    return _Pass(months, undated, late)


def _rows(found: _Pass, view: CrmView, months: int) -> list[tuple[str, _Tally]]:
    """The rows shown (see the module's docstring), each with its figures."""
    period, tallies = view.period, found.months
    if period.start is None and period.end is None:
        first = _month(view.as_of)
        last = first + months - 1
        shown = [*sorted(k for k in tallies if k < first), *range(first, last + 1)]
        later = _Tally()
        for key in sorted(k for k in tallies if k > last):
            later.merge(tallies[key])
        return [*((_label(k), tallies.get(k) or _Tally()) for k in shown),
                (LATER, later), (NO_CLOSE, found.undated)]
    keys = sorted(tallies)
    low = _month(period.start) if period.start else keys[0] if keys else 0
    high = (_month(period.end - dt.timedelta(days=1)) if period.end
            else keys[-1] if keys else -1)
    return [(_label(k), tallies.get(k) or _Tally()) for k in range(low, high + 1)]


def forecast_months(view: CrmView, *, overdue: str = "roll", months: int = 6
                    ) -> list[ForecastMonth]:
    """The forecast's rows (without the total), exact: for charts and for the report."""
    return _forecast(view, overdue, months)[0]


def _forecast(view: CrmView, policy: str, months: int) -> tuple[list[ForecastMonth], _Pass]:
    if policy not in POLICIES:
        raise ValueError(f"unknown overdue policy {policy!r}: use roll or in-place")
    if months < 1:
        raise ValueError(f"months must be 1 or more, not {months}")
    found = _tally(view.deals(), view, policy)
    settings, currency = view.crm.settings, view.currency
    out = []
    for label, tally in _rows(found, view, months):
        target = None if label in (LATER, NO_CLOSE) else settings.target(label)
        others = {c for c, q in (*tally.won.items(), *tally.weighted.items()) if q}
        to_target = None
        if target is not None and others <= {currency}:
            to_target = (target - tally.won.get(currency, Decimal(0))
                         - tally.weighted.get(currency, Decimal(0)))
        out.append(ForecastMonth(label, tally.open_deals, tally.overdue, tally.weighted,
                                 tally.won_deals, tally.won, target, to_target))
    return out, found


def forecast(view: CrmView, *, overdue: str = "roll", months: int = 6) -> Report:
    """Per month: open deals and their weighted amount, deals won, target and gap."""
    rows_data, found = _forecast(view, overdue, months)
    total = _Tally()
    rows = []
    for month in rows_data:
        total.merge(_Tally(month.open_deals, month.overdue, month.weighted,
                           month.won_deals, month.won))
        rows.append(_row(view, month.label, month))
    targets = [m.target for m in rows_data if m.target is not None]
    gaps = [m.to_target for m in rows_data if m.to_target is not None]
    rows.append(_row(view, "Total", ForecastMonth(
        "Total", total.open_deals, total.overdue, total.weighted, total.won_deals,
        total.won, sum(targets, Decimal(0)) if targets else None,
        sum(gaps, Decimal(0)) if gaps else None), kind=RowKind.TOTAL))
    columns = (Column(key="month", title="Month"),
               Column(key="open_deals", title="Open deals", kind=ColumnKind.NUMBER),
               Column(key="overdue", title="Overdue", kind=ColumnKind.NUMBER),
               Column(key="weighted", title="Weighted open", kind=ColumnKind.AMOUNT),
               Column(key="won_deals", title="Won", kind=ColumnKind.NUMBER),
               Column(key="won_amount", title="Won amount", kind=ColumnKind.AMOUNT),
               Column(key="target", title="Target", kind=ColumnKind.AMOUNT),
               Column(key="to_target", title="To target", kind=ColumnKind.AMOUNT))
    currencies = {c for m in rows_data for c in (*m.weighted, *m.won)}
    bars: tuple[Bar, ...] = ()
    if len(currencies) <= 1:  # weighted open + won, in the one currency
        bars = tuple(Bar(m.label, sum((*m.weighted.values(), *m.won.values()), Decimal(0)),
                         " ".join(f"{q} {c}" for c, q in view.cell(
                             {c: m.weighted.get(c, Decimal(0)) + m.won.get(c, Decimal(0))
                              for c in currencies}).items()))
                     for m in rows_data)
    return Report(name="forecast", title=f"Forecast by month, {view.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(view.precisions),
                  notes=_notes(view, overdue, found, rows_data), bars=bars)


def _row(view: CrmView, label: str, month: ForecastMonth, kind: RowKind = RowKind.ROW
         ) -> Row:
    currency = view.currency

    def money(amount: Decimal | None) -> Cell:
        return None if amount is None else view.cell({currency: amount})

    return Row(values=(label, Decimal(month.open_deals),
                       Decimal(month.overdue) if month.overdue else None,
                       view.cell(month.weighted), Decimal(month.won_deals),
                       view.cell(month.won), money(month.target), money(month.to_target)),
               kind=kind, display=label if kind is RowKind.TOTAL else None)


def _text(view: CrmView, amounts: dict[str, Decimal]) -> str:
    cell = view.cell(amounts)
    return " + ".join(format_amount(q, c, view.precisions.get(c, default_precision(c)))
                      for c, q in cell.items()) or "0"


def _notes(view: CrmView, policy: str, found: _Pass, rows: list[ForecastMonth]
           ) -> tuple[str, ...]:
    late = found.late
    where = (f"counted in {_label(_month(view.as_of))}" if policy == "roll"
             else "counted in the month of their expected close")
    notes = [(f"overdue policy {policy}: {late.open_deals} open deals expected to close "
             f"before {view.as_of}, weighted {_text(view, late.weighted)}, {where}"),
             ("weighted open = the sum over the open deals of amount x probability / 100; "
             "to target = target - won amount - weighted open")]
    if any(m.target is not None and m.to_target is None for m in rows):
        notes.append(f"to target is left empty for months holding amounts in a currency "
                     f"other than the target's ({view.currency or 'none set'})")
    return tuple(notes)

