"""Reporting periods: read hledger-style period expressions and cut periods into pieces.

Pure: "today" and the fiscal year start are always parameters; FY2026 starts in 2026.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable



_PERIOD_FORMS = (
    "use 2026, 2026-11, 2026-Q3, FY2026, last month, 2026-01..2026-07"
    " or from 2026-01-01 to 2026-07-01"
)
_DATE_FORMS = "use YYYY-MM-DD (or YYYY/MM/DD, YYYY.MM.DD), today, yesterday or tomorrow"
_ONE_DAY = timedelta(days=1)
_ONE_WEEK = timedelta(weeks=1)
_INTERVALS = ("month", "quarter", "year")
_CALENDAR_YEAR = (1, 1)
_NAMED_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}
_SHIFTS = {"last": -1, "this": 0, "next": 1}

_DAY_RE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", re.ASCII)
_MONTH_RE = re.compile(r"(\d{4})[-/.](\d{1,2})", re.ASCII)
_YEAR_RE = re.compile(r"\d{4}", re.ASCII)
_QUARTER_RE = re.compile(r"(?:(\d{4})-?)?q(\d)", re.ASCII)
_FISCAL_RE = re.compile(r"fy(\d{4})(?:-?q(\d))?", re.ASCII)
_DASH_RANGE_RE = re.compile(
    r"\d{4}(?:[-/.]\d{1,2}){0,2}-\d{4}(?:[-/.]\d{1,2}){0,2}", re.ASCII
)
_RELATIVE_RE = re.compile(r"(this|last|next) (day|week|month|quarter|year)", re.ASCII)


class PeriodError(ValueError):
    """A period expression could not be read.

    ``str(err)`` is a one-line message quoting the input and saying what is accepted.
    """


class _PartError(Exception):
    """Why (part of) an expression is unreadable; empty means "not a known form"."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """A span of days: ``start`` inclusive, ``end`` exclusive; ``None`` is open."""

    start: date | None
    end: date | None
    label: str

    def contains(self, d: date) -> bool:
        """Tell whether the day ``d`` falls inside the period."""
        return (self.start is None or self.start <= d) and (
            self.end is None or d < self.end
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Atom:
    """A single period; ``exact_day`` marks one day, exclusive as a range end."""

    start: date
    end: date
    label: str
    exact_day: bool

    def as_period(self) -> Period:
        return Period(start=self.start, end=self.end, label=self.label)


# --- public API -----------------------------------------------------------------------


def parse_period(
    text: str, *, today: date, fiscal_year_start: tuple[int, int] = _CALENDAR_YEAR
) -> Period:
    """Read a period expression, case-insensitively, into a ``Period``.

    Single periods: ``2026``, ``2026-11`` (also ``2026/11``, ``2026.11``),
    ``2026-11-05``, ``2026-Q3``, ``2026Q3``, ``Q3`` (of today's year), ``FY2026``,
    ``FY2026-Q1``, ``FY2026Q1``, ``this|last|next day|week|month|quarter|year``
    (weeks start on Monday), ``today``, ``yesterday`` and ``tomorrow``. FY2026 is the
    fiscal year that STARTS in 2026 on ``fiscal_year_start`` (month, day); FY2026-Q1
    is its first three months.

    Ranges: ``from A to B``, ``A to B``, ``from A``, ``to B``, ``A..B``, ``A..`` and
    ``..B``, where A and B are single periods. As in hledger, a range starts at the
    start of A and ends, EXCLUSIVE, at the start of B: ``2026-01..2026-07`` is January
    to June, ``from 2026-03-01 to 2026-08-01`` ends on July 31, ``to today`` ends
    yesterday. ``A-B`` is refused as ambiguous, and so is a range whose end is not
    after its start.

    Labels: ``2026``, ``2026-11``, ``2026-11-05``, ``2026-Q3``, ``FY2026``,
    ``FY2026-Q1``, ``2026-W45`` (ISO week); a range shows its first and LAST INCLUDED
    day, ``2026-01-01..2026-06-30``, an open side left empty (``2026-01-01..``).
    """
    _check_fiscal_start(fiscal_year_start)
    try:
        return _read_period(" ".join(text.lower().split()), today, fiscal_year_start)
    except _PartError as exc:
        raise PeriodError(_message("period", text, str(exc), _PERIOD_FORMS)) from None


def parse_date(text: str, *, today: date) -> date:
    """Read one day: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, today, yesterday, tomorrow."""
    try:
        return _read_date(" ".join(text.lower().split()), today)
    except _PartError as exc:
        raise PeriodError(_message("date", text, str(exc), _DATE_FORMS)) from None


def fiscal_year_of(d: date, fiscal_year_start: tuple[int, int]) -> int:
    """Give the label year of the fiscal year holding ``d``: the year it starts in."""
    _check_fiscal_start(fiscal_year_start)
    return d.year if d >= date(d.year, *fiscal_year_start) else d.year - 1


def fiscal_year(year: int, fiscal_year_start: tuple[int, int]) -> Period:
    """Give fiscal year FY``year``: from ``fiscal_year_start`` in ``year``, a year."""
    _check_fiscal_start(fiscal_year_start)
    try:
        return _fiscal_year_atom(year, fiscal_year_start).as_period()
    except ValueError:
        raise PeriodError(
            f"fiscal year FY{year} is outside the years 1 to 9998"
        ) from None


def split_period(
    period: Period,
    interval: str,
    *,
    fiscal_year_start: tuple[int, int] = _CALENDAR_YEAR,
) -> tuple[Period, ...]:
    """Cut a closed period into aligned months, quarters or years, clipping the ends.

    Quarters and years are fiscal when ``fiscal_year_start`` is not (1, 1); whole
    pieces keep their own label (``2026-03``, ``FY2026-Q2``), clipped ones a range.
    """
    _check_fiscal_start(fiscal_year_start)
    if interval not in _INTERVALS:
        raise PeriodError(f"cannot split by '{interval}': use month, quarter or year")
    if period.start is None or period.end is None:
        raise PeriodError(
            f"cannot split the open period '{period.label}' by {interval}: "
            "give it both a start and an end, e.g. 2026 or 2026-01..2026-07"
        )
    try:
        return _pieces(period.start, period.end, interval, fiscal_year_start)
    except (ValueError, OverflowError):
        raise PeriodError(
            f"cannot split '{period.label}' by {interval}: it goes past the year 9999"
        ) from None


# --- reading --------------------------------------------------------------------------


def _message(kind: str, text: str, detail: str, forms: str) -> str:
    shown = " ".join(text.split())
    return f"cannot read {kind} '{shown}': {detail + '; ' if detail else ''}{forms}"


def _read_date(word: str, today: date) -> date:
    if not word:
        raise _PartError("it is empty")
    try:
        if word in _NAMED_DAYS:
            return today + _NAMED_DAYS[word] * _ONE_DAY
    except OverflowError:
        raise _PartError("it is outside the years 1 to 9999") from None
    match = _DAY_RE.fullmatch(word)
    if match is None:
        raise _PartError("")
    return _real_day(int(match[1]), int(match[3]), int(match[4]))


def _read_period(text: str, today: date, fiscal_start: tuple[int, int]) -> Period:
    if not text:
        raise _PartError("it is empty")
    ends = _split_range(text)
    if ends is None:
        return _atom(text, today, fiscal_start).as_period()
    first, second = ends
    if first is None and second is None:
        raise _PartError("a range needs a start or an end")
    start = None if first is None else _atom(first, today, fiscal_start).start
    end = None if second is None else _range_end(_atom(second, today, fiscal_start))
    if start is not None and end is not None and end <= start:
        raise _PartError("its end is not after its start")
    return Period(start=start, end=end, label=_range_label(start, end))


def _split_range(text: str) -> tuple[str | None, str | None] | None:
    """Split a range into its sides (None: open), or give None for a single period."""
    if ".." in text:
        first, _, second = text.partition("..")
        return first.strip() or None, second.strip() or None
    words = text.split(" ")
    if words[0] == "from":
        words = words[1:]
        if "to" not in words:
            return " ".join(words), None
    elif words[0] == "to":
        return None, " ".join(words[1:])
    elif "to" not in words:
        return None
    at = words.index("to")
    return " ".join(words[:at]), " ".join(words[at + 1 :])


def _range_end(atom: _Atom) -> date:
    return atom.start


def _range_label(start: date | None, end: date | None) -> str:
    first = "" if start is None else start.isoformat()
    last = "" if end is None else (end - _ONE_DAY).isoformat()
    return f"{first}..{last}"


def _atom(part: str, today: date, fiscal_start: tuple[int, int]) -> _Atom:
    if not part:
        raise _PartError("one side of the range is missing")
    try:
        if part in _NAMED_DAYS:
            return _day_atom(today + _NAMED_DAYS[part] * _ONE_DAY)
        for pattern, read in _READERS:
            match = pattern.fullmatch(part)
            if match is not None:
                return read(match, today, fiscal_start)
    except (ValueError, OverflowError):
        raise _PartError(f"{part} does not fit in the years 1 to 9999") from None
    if _DASH_RANGE_RE.fullmatch(part):
        raise _PartError("A-B is ambiguous, write the range as A..B")
    raise _PartError("")


def _read_day(match: re.Match[str], _today: date, _fiscal: tuple[int, int]) -> _Atom:
    return _day_atom(_real_day(int(match[1]), int(match[3]), int(match[4])))


def _read_month(match: re.Match[str], _today: date, _fiscal: tuple[int, int]) -> _Atom:
    return _month_atom(int(match[1]), int(match[2]))


def _read_year(match: re.Match[str], _today: date, _fiscal: tuple[int, int]) -> _Atom:
    return _year_atom(int(match[0]))


def _read_quarter(match: re.Match[str], today: date, _fiscal: tuple[int, int]) -> _Atom:
    year = today.year if match[1] is None else int(match[1])
    return _quarter_atom(year, int(match[2]))


def _read_fiscal(match: re.Match[str], _today: date, fiscal: tuple[int, int]) -> _Atom:
    year = int(match[1])
    if match[2] is None:
        return _fiscal_year_atom(year, fiscal)
    return _fiscal_quarter_atom(year, int(match[2]), fiscal)


def _read_relative(
    match: re.Match[str], today: date, _fiscal: tuple[int, int]
) -> _Atom:
    shift, unit = _SHIFTS[match[1]], match[2]
    if unit == "day":
        return _day_atom(today + shift * _ONE_DAY)
    if unit == "week":
        return _week_atom(today - timedelta(days=today.weekday()) + shift * _ONE_WEEK)
    if unit == "month":
        moved = _add_months(today.replace(day=1), shift)
        return _month_atom(moved.year, moved.month)
    if unit == "quarter":
        moved = _add_months(today.replace(day=1), 3 * shift)
        return _quarter_atom(moved.year, _quarter_of_month(moved.month))
    return _year_atom(today.year + shift)


_READERS: tuple[
    tuple[re.Pattern[str], Callable[[re.Match[str], date, tuple[int, int]], _Atom]], ...
]
_READERS = (
    (_DAY_RE, _read_day),
    (_MONTH_RE, _read_month),
    (_YEAR_RE, _read_year),
    (_QUARTER_RE, _read_quarter),
    (_FISCAL_RE, _read_fiscal),
    (_RELATIVE_RE, _read_relative),
)


# --- calendar arithmetic --------------------------------------------------------------


def _check_fiscal_start(fiscal_start: tuple[int, int]) -> None:
    month, day = fiscal_start
    # 2001 is not a leap year: February 29 is refused, as not every year has one.
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2001, month)[1]):
        raise PeriodError(
            f"fiscal year start {fiscal_start} is not a day every year has: "
            "use (month, day), e.g. (1, 1) or (4, 1)"
        )


def _check_quarter(quarter: int) -> None:
    if not 1 <= quarter <= 4:
        raise _PartError(f"there is no quarter {quarter}, only Q1 to Q4")


def _quarter_of_month(month: int) -> int:
    return (month + 2) // 3


def _add_months(d: date, months: int) -> date:
    """Move by whole months, clamping the day to the end of a shorter month."""
    year, month_index = divmod(d.year * 12 + d.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _real_day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _PartError(
            f"{year:04d}-{month:02d}-{day:02d} is not a real date"
        ) from None


def _day_atom(day: date) -> _Atom:
    return _Atom(start=day, end=day + _ONE_DAY, label=day.isoformat(), exact_day=True)


def _week_atom(monday: date) -> _Atom:
    iso = monday.isocalendar()
    label = f"{iso.year:04d}-W{iso.week:02d}"
    return _Atom(start=monday, end=monday + _ONE_WEEK, label=label, exact_day=False)


def _month_atom(year: int, month: int) -> _Atom:
    if not 1 <= month <= 12:
        raise _PartError(f"{year:04d}-{month:02d} is not a real month")
    start = _real_day(year, month, 1)
    label = f"{year:04d}-{month:02d}"
    return _Atom(start=start, end=_add_months(start, 1), label=label, exact_day=False)


def _quarter_atom(year: int, quarter: int) -> _Atom:
    _check_quarter(quarter)
    start = _real_day(year, 3 * quarter - 2, 1)
    label = f"{year:04d}-Q{quarter}"
    return _Atom(start=start, end=_add_months(start, 3), label=label, exact_day=False)


def _year_atom(year: int) -> _Atom:
    start = _real_day(year, 1, 1)
    return _Atom(
        start=start, end=date(year + 1, 1, 1), label=f"{year:04d}", exact_day=False
    )


def _fiscal_year_atom(year: int, fiscal_start: tuple[int, int]) -> _Atom:
    start, end = date(year, *fiscal_start), date(year + 1, *fiscal_start)
    return _Atom(start=start, end=end, label=f"FY{year:04d}", exact_day=False)


def _fiscal_quarter_atom(
    year: int, quarter: int, fiscal_start: tuple[int, int]
) -> _Atom:
    _check_quarter(quarter)
    first = date(year, *fiscal_start)
    start, end = _add_months(first, 3 * quarter - 3), _add_months(first, 3 * quarter)
    return _Atom(
        start=start, end=end, label=f"FY{year:04d}-Q{quarter}", exact_day=False
    )


# --- splitting ------------------------------------------------------------------------


def _pieces(
    start: date, end: date, interval: str, fiscal_start: tuple[int, int]
) -> tuple[Period, ...]:
    pieces: list[Period] = []
    day = start
    while day < end:
        unit = _unit_containing(day, interval, fiscal_start)
        pieces.append(_clip(unit, start, end))
        day = unit.end
    return tuple(pieces)


def _unit_containing(day: date, interval: str, fiscal_start: tuple[int, int]) -> _Atom:
    if interval == "month":
        return _month_atom(day.year, day.month)
    if fiscal_start == _CALENDAR_YEAR:
        if interval == "quarter":
            return _quarter_atom(day.year, _quarter_of_month(day.month))
        return _year_atom(day.year)
    year = fiscal_year_of(day, fiscal_start)
    if interval == "year":
        return _fiscal_year_atom(year, fiscal_start)
    first = date(year, *fiscal_start)
    quarter = next(q for q in range(1, 5) if day < _add_months(first, 3 * q))
    return _fiscal_quarter_atom(year, quarter, fiscal_start)


def _clip(unit: _Atom, start: date, end: date) -> Period:
    low, high = max(unit.start, start), min(unit.end, end)
    whole = (low, high) == (unit.start, unit.end)
    return Period(
        start=low, end=high, label=unit.label if whole else _range_label(low, high)
    )
