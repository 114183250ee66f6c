"""Stock turnover and slow movers, per item over all its warehouses.

Turnover: the cost of the goods issued in a period over the average stock value, where
the average is the mean of the stock value at the end of every day of the period. It is
computed in one pass over the valued moves (they are in date order): per item, the
value is constant between two moves, so each stretch adds value x days to a running
sum, and the sum over the days of the period is divided by their number.

Slow movers: items with stock on hand whose last issue is more than N days old, or that
were never issued.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.book import Book
from bizcli.core.money import ZERO, round_half_up
from bizcli.core.problems import fail
from bizcli.core.stock.ledger import stock_valuation
from bizcli.core.stock.moves import MoveKind
from bizcli.reports.model import Cell, Column, ColumnKind, Report, Row, RowKind
from bizcli.reports.selection import Selection

_ONE_DAY = dt.timedelta(days=1)
DEFAULT_DAYS = 365
"""Days the turnover looks back over when no period is given."""
_TURNOVER_NOTE = ("issued cost: issue moves only (not transfers, counts or adjustments); "
                  "average value: mean of the stock value at the end of each day")


class DailyValue(NamedTuple):
    """One key's stock value over a span of days ``[start, end)``."""

    opening: Decimal
    """At the end of the day before ``start``."""
    closing: Decimal
    """At the end of the day before ``end`` (the last day of the span)."""
    average: Decimal
    """Mean of the values at the end of each day of the span, unrounded."""


def daily_average(changes: Iterable[tuple[dt.date, str, Decimal]], start: dt.date,
                  end: dt.date) -> dict[str, DailyValue]:
    """Opening, closing and daily-average value per key over ``[start, end)``.

    ``changes`` are (date, key, change of value), in date order. The value at the end
    of a day includes every change of that day. Between two changes a key's value is
    constant, so the sum of the daily values is built from value x days per stretch,
    never day by day. Keys without any change before ``end`` are left out.
    """
    days = (end - start).days
    if days <= 0:
        msg = f"an empty span of days: {start} to {end}"
        raise ValueError(msg)
    value: dict[str, Decimal] = {}
    opening: dict[str, Decimal] = {}
    since: dict[str, dt.date] = {}  # the first day not yet added to the sum
    value_days: dict[str, Decimal] = {}
    for day, key, change in changes:
        if day >= end:
            break
        if day < start:
            value[key] = value.get(key, ZERO) + change
            continue
        if key not in since:
            opening[key] = value.get(key, ZERO)
            since[key], value_days[key] = start, ZERO
        value_days[key] += value.get(key, ZERO) * (day - since[key]).days
        value[key] = value.get(key, ZERO) + change
        since[key] = day
    out = {}
    for key, now in value.items():
        first = since.get(key, start)
        total = value_days.get(key, ZERO) + now * (end - first).days
        out[key] = DailyValue(opening=opening.get(key, now), closing=now,
                              average=total / days)
    return out


def turnover_window(selection: Selection, *, today: dt.date,
                    first_move: dt.date | None) -> tuple[dt.date, dt.date, str]:
    """The days ``[start, end)`` the turnover covers, and what to call them.

    The period's days up to today (or the --as-of date), the last one included; with
    no period, the 365 days ending then; a period open at the start begins on the
    first stock move.
    """
    period = selection.period
    last = selection.as_of or today
    end = last + _ONE_DAY
    if period.end is not None:
        end = min(end, period.end)
    if period.start is None and period.end is None:
        return end - dt.timedelta(days=DEFAULT_DAYS), end, f"last {DEFAULT_DAYS} days"
    start = period.start
    if start is None:
        start = first_move if first_move is not None and first_move < end else (
            end - _ONE_DAY)
    if start >= end:
        raise fail("bad-period", f"the period {period.label} has no day on or before "
                   f"{last}: turnover is measured over days that have passed",
                   hint="choose a period that starts on or before today (or --as-of)")
    return start, end, period.label


def stock_turnover(book: Book, selection: Selection, *, today: dt.date) -> Report:
    """Cost issued, opening/closing/average stock value, turnover and days on hand.

    Per item, all warehouses together. Only issue moves count as issued (not
    transfers, counts or adjustments). Turnover = issued cost / daily-average value;
    days on hand = days in the period / turnover. Both are blank when undefined.
    """
    valuation = stock_valuation(book)
    moves = valuation.moves
    start, end, label = turnover_window(selection, today=today,
                                        first_move=moves[0].move.date if moves else None)
    days = (end - start).days
    matches = selection.query.matches_account
    issued: dict[str, Decimal] = {}

    def changes() -> Iterable[tuple[dt.date, str, Decimal]]:
        # Also tallies the issues: daily_average reads on to the first move after
        # the period, so every issue inside it has been seen when it returns.
        for valued in moves:
            move = valued.move
            if not matches(move.item):
                continue
            if move.kind is MoveKind.ISSUE and start <= move.date < end:
                issued[move.item] = issued.get(move.item, ZERO) - valued.value
            yield move.date, move.item, valued.value

    values = daily_average(changes(), start, end)
    names = {i.code: i.name for i in book.items}
    currency, places = book.settings.currency, book.precision(book.settings.currency)

    def cells(value: DailyValue, cost: Decimal) -> tuple[Cell, ...]:
        turnover, days_on_hand = _ratios(value.average, cost, days)
        return ({currency: value.opening}, {currency: cost}, {currency: value.closing},
                {currency: round_half_up(value.average, places)}, turnover, days_on_hand)

    zero = DailyValue(ZERO, ZERO, ZERO)
    rows = []
    total = [ZERO, ZERO, ZERO, ZERO]  # opening, closing, average, issued
    for code in sorted(values.keys() | issued.keys()):
        value, cost = values.get(code, zero), issued.get(code, ZERO)
        if not (value.opening or value.closing or value.average or cost):
            continue
        rows.append(Row(values=(code, names.get(code, ""), *cells(value, cost))))
        for i, number in enumerate((*value, cost)):
            total[i] += number
    grand = DailyValue(opening=total[0], closing=total[1], average=total[2])
    rows.append(Row(values=("Total", None, *cells(grand, total[3])), kind=RowKind.TOTAL,
                    display="Total"))
    columns = (Column(key="item", title="Item"), Column(key="name", title="Name"),
               Column(key="opening", title="Opening value", kind=ColumnKind.AMOUNT),
               Column(key="issued", title="Issued cost", kind=ColumnKind.AMOUNT),
               Column(key="closing", title="Closing value", kind=ColumnKind.AMOUNT),
               Column(key="average", title="Average value", kind=ColumnKind.AMOUNT),
               Column(key="turnover", title="Turnover", kind=ColumnKind.NUMBER),
               Column(key="days_on_hand", title="Days on hand", kind=ColumnKind.NUMBER))
    title = (f"Stock turnover, {label}: {start} to {end - _ONE_DAY} ({days} "
             f"day{'s' if days != 1 else ''})")
    return Report(name="stock-turnover", title=title, columns=columns, rows=tuple(rows),
                  precisions=dict(book.precisions()), notes=(_TURNOVER_NOTE,))


def _ratios(average: Decimal, issued: Decimal, days: int
            ) -> tuple[Decimal | None, Decimal | None]:
    """Turnover (2 decimals) and days on hand (1 decimal), from the unrounded average.

    Turnover is blank without stock; days on hand also without an issue.
    """
    if average <= 0:
        return None, None
    turnover = round_half_up(issued / average, 2)
    if issued <= 0:
        return turnover, None
    return turnover, round_half_up(days * average / issued, 1)


def slow_movers(book: Book, selection: Selection, *, today: dt.date, days: int) -> Report:
    """Items on hand with no issue for more than ``days`` days.

    Looked at on the --as-of date (default: today), over all warehouses. Days since
    count from the last issue, or, for an item never issued, from the first day stock
    came in (a receipt, or a count or adjustment that added stock): a table finished
    yesterday is not a slow mover. Sorted by value, largest first.
    """
    as_of = selection.as_of or today
    matches = selection.query.matches_account
    quantity: dict[str, Decimal] = {}
    value: dict[str, Decimal] = {}
    last_issue: dict[str, dt.date] = {}
    first_in: dict[str, dt.date] = {}
    for valued in stock_valuation(book).moves:
        move = valued.move
        if move.date > as_of:
            break
        if not matches(move.item):
            continue
        quantity[move.item] = quantity.get(move.item, ZERO) + valued.quantity
        value[move.item] = value.get(move.item, ZERO) + valued.value
        if move.kind is MoveKind.ISSUE:
            last_issue[move.item] = move.date
        elif valued.quantity > 0 and move.kind is not MoveKind.TRANSFER:
            first_in.setdefault(move.item, move.date)
    items = {i.code: i for i in book.items}
    currency = book.settings.currency
    found = []
    for code, on_hand in quantity.items():
        last = last_issue.get(code)
        since = (as_of - (last or first_in.get(code, as_of))).days
        if on_hand <= 0 or since <= days:
            continue
        found.append((code, on_hand, value[code], last, since))
    found.sort(key=lambda f: (-f[2], f[0]))
    rows = []
    for code, on_hand, worth, last, since in found:
        item = items.get(code)
        rows.append(Row(values=(code, item.name if item else "", on_hand,
                                item.unit if item else "", {currency: worth},
                                last.isoformat() if last else "never", Decimal(since))))
    rows.append(Row(values=("Total", None, None, None,
                            {currency: sum((f[2] for f in found), ZERO)}, None, None),
                    kind=RowKind.TOTAL, display="Total"))
    columns = (Column(key="item", title="Item"), Column(key="name", title="Name"),
               Column(key="quantity", title="On hand", kind=ColumnKind.NUMBER),
               Column(key="unit", title="Unit"),
               Column(key="value", title="Value", kind=ColumnKind.AMOUNT),
               Column(key="last_issue", title="Last issue"),
               Column(key="days_since", title="Days since", kind=ColumnKind.NUMBER))
    return Report(name="stock-slow",
                  title=f"Slow movers, as of {as_of}: no issue in more than {days} days",
                  columns=columns, rows=tuple(rows), precisions=dict(book.precisions()))
