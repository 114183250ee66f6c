"""Tests for bizcli.core.periods: period expressions, fiscal years and splitting."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizcli.core.periods import (
    Period,
    PeriodError,
    fiscal_year,
    fiscal_year_of,
    parse_date,
    parse_period,
    split_period,
)

TODAY = date(2026, 11, 18)  # a Wednesday in Q4
APRIL = (4, 1)
JULY = (7, 1)


def span(
    text: str, *, today: date = TODAY, fiscal_year_start: tuple[int, int] = (1, 1)
) -> tuple[date | None, date | None, str]:
    """Parse and give (start, end, label) for compact assertions."""
    period = parse_period(text, today=today, fiscal_year_start=fiscal_year_start)
    return period.start, period.end, period.label


def bounds(periods: tuple[Period, ...]) -> list[tuple[date | None, date | None, str]]:
    return [(p.start, p.end, p.label) for p in periods]


# --- single periods -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026", date(2026, 1, 1), date(2027, 1, 1), "2026"),
        ("2026-11", date(2026, 11, 1), date(2026, 12, 1), "2026-11"),
        ("2026/11", date(2026, 11, 1), date(2026, 12, 1), "2026-11"),
        ("2026.11", date(2026, 11, 1), date(2026, 12, 1), "2026-11"),
        ("2026-1", date(2026, 1, 1), date(2026, 2, 1), "2026-01"),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1), "2026-12"),
        ("2026-11-05", date(2026, 11, 5), date(2026, 11, 6), "2026-11-05"),
        ("2026/11/05", date(2026, 11, 5), date(2026, 11, 6), "2026-11-05"),
        ("2026.11.05", date(2026, 11, 5), date(2026, 11, 6), "2026-11-05"),
        ("2026-12-31", date(2026, 12, 31), date(2027, 1, 1), "2026-12-31"),
        ("2026Q3", date(2026, 7, 1), date(2026, 10, 1), "2026-Q3"),
        ("2026-Q3", date(2026, 7, 1), date(2026, 10, 1), "2026-Q3"),
        ("2026q3", date(2026, 7, 1), date(2026, 10, 1), "2026-Q3"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1), "2026-Q1"),
        ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1), "2026-Q4"),
        ("Q3", date(2026, 7, 1), date(2026, 10, 1), "2026-Q3"),
        ("q1", date(2026, 1, 1), date(2026, 4, 1), "2026-Q1"),
        ("today", date(2026, 11, 18), date(2026, 11, 19), "2026-11-18"),
        ("yesterday", date(2026, 11, 17), date(2026, 11, 18), "2026-11-17"),
        ("tomorrow", date(2026, 11, 19), date(2026, 11, 20), "2026-11-19"),
    ],
)
def test_single_periods(text: str, start: date, end: date, label: str) -> None:
    assert span(text) == (start, end, label)


@pytest.mark.parametrize("text", ["  2026-q3 ", "2026-Q3", "\t2026Q3\n", "2026-q3"])
def test_case_and_surrounding_space_are_ignored(text: str) -> None:
    assert span(text) == (date(2026, 7, 1), date(2026, 10, 1), "2026-Q3")


def test_bare_quarter_uses_the_year_of_today() -> None:
    assert span("Q2", today=date(2031, 12, 31))[:2] == (
        date(2031, 4, 1),
        date(2031, 7, 1),
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("this day", date(2026, 11, 18), date(2026, 11, 19), "2026-11-18"),
        ("last day", date(2026, 11, 17), date(2026, 11, 18), "2026-11-17"),
        ("next day", date(2026, 11, 19), date(2026, 11, 20), "2026-11-19"),
        ("this week", date(2026, 11, 16), date(2026, 11, 23), "2026-W47"),
        ("last week", date(2026, 11, 9), date(2026, 11, 16), "2026-W46"),
        ("next week", date(2026, 11, 23), date(2026, 11, 30), "2026-W48"),
        ("this month", date(2026, 11, 1), date(2026, 12, 1), "2026-11"),
        ("last month", date(2026, 10, 1), date(2026, 11, 1), "2026-10"),
        ("next month", date(2026, 12, 1), date(2027, 1, 1), "2026-12"),
        ("this quarter", date(2026, 10, 1), date(2027, 1, 1), "2026-Q4"),
        ("last quarter", date(2026, 7, 1), date(2026, 10, 1), "2026-Q3"),
        ("next quarter", date(2027, 1, 1), date(2027, 4, 1), "2027-Q1"),
        ("this year", date(2026, 1, 1), date(2027, 1, 1), "2026"),
        ("last year", date(2025, 1, 1), date(2026, 1, 1), "2025"),
        ("next year", date(2027, 1, 1), date(2028, 1, 1), "2027"),
        ("LAST   Month", date(2026, 10, 1), date(2026, 11, 1), "2026-10"),
    ],
)
def test_relative_periods(text: str, start: date, end: date, label: str) -> None:
    assert span(text) == (start, end, label)


@pytest.mark.parametrize(
    ("today", "text", "start", "end", "label"),
    [
        (
            date(2026, 1, 15),
            "last month",
            date(2025, 12, 1),
            date(2026, 1, 1),
            "2025-12",
        ),
        (
            date(2026, 12, 31),
            "next month",
            date(2027, 1, 1),
            date(2027, 2, 1),
            "2027-01",
        ),
        (
            date(2026, 3, 31),
            "last month",
            date(2026, 2, 1),
            date(2026, 3, 1),
            "2026-02",
        ),
        (
            date(2026, 2, 10),
            "last quarter",
            date(2025, 10, 1),
            date(2026, 1, 1),
            "2025-Q4",
        ),
        (
            date(2026, 1, 1),
            "yesterday",
            date(2025, 12, 31),
            date(2026, 1, 1),
            "2025-12-31",
        ),
        # 2027-01-01 is a Friday: its week starts Monday 2026-12-28, ISO week 2026-W53.
        (
            date(2027, 1, 1),
            "this week",
            date(2026, 12, 28),
            date(2027, 1, 4),
            "2026-W53",
        ),
        # A Monday and a Sunday stay in their own week.
        (
            date(2026, 11, 16),
            "this week",
            date(2026, 11, 16),
            date(2026, 11, 23),
            "2026-W47",
        ),
        (
            date(2026, 11, 22),
            "this week",
            date(2026, 11, 16),
            date(2026, 11, 23),
            "2026-W47",
        ),
    ],
)
def test_relative_periods_across_boundaries(
    today: date, text: str, start: date, end: date, label: str
) -> None:
    assert span(text, today=today) == (start, end, label)


# --- leap years -----------------------------------------------------------------------


def test_leap_year_february() -> None:
    assert span("2024-02")[:2] == (date(2024, 2, 1), date(2024, 3, 1))
    assert span("2024-02-29")[:2] == (date(2024, 2, 29), date(2024, 3, 1))
    assert span("2000-02-29")[:2] == (date(2000, 2, 29), date(2000, 3, 1))
    assert parse_period("2024-Q1", today=TODAY).contains(date(2024, 2, 29))
    assert span("last month", today=date(2024, 3, 31))[:2] == (
        date(2024, 2, 1),
        date(2024, 3, 1),
    )


@pytest.mark.parametrize("text", ["2026-02-29", "2100-02-29", "2025-02-29"])
def test_february_29_outside_leap_years_is_refused(text: str) -> None:
    with pytest.raises(PeriodError, match=f"{text} is not a real date"):
        parse_period(text, today=TODAY)


# --- fiscal years ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fiscal_start", "start", "end", "label"),
    [
        ("FY2026", APRIL, date(2026, 4, 1), date(2027, 4, 1), "FY2026"),
        ("fy2026", APRIL, date(2026, 4, 1), date(2027, 4, 1), "FY2026"),
        ("FY2026-Q1", APRIL, date(2026, 4, 1), date(2026, 7, 1), "FY2026-Q1"),
        ("FY2026Q2", APRIL, date(2026, 7, 1), date(2026, 10, 1), "FY2026-Q2"),
        ("fy2026q3", APRIL, date(2026, 10, 1), date(2027, 1, 1), "FY2026-Q3"),
        ("FY2026-Q4", APRIL, date(2027, 1, 1), date(2027, 4, 1), "FY2026-Q4"),
        ("FY2026", JULY, date(2026, 7, 1), date(2027, 7, 1), "FY2026"),
        ("FY2026-Q1", JULY, date(2026, 7, 1), date(2026, 10, 1), "FY2026-Q1"),
        ("FY2026-Q3", JULY, date(2027, 1, 1), date(2027, 4, 1), "FY2026-Q3"),
        ("FY2026-Q4", JULY, date(2027, 4, 1), date(2027, 7, 1), "FY2026-Q4"),
        ("FY2026", (1, 1), date(2026, 1, 1), date(2027, 1, 1), "FY2026"),
        ("FY2026-Q2", (1, 1), date(2026, 4, 1), date(2026, 7, 1), "FY2026-Q2"),
        # The UK tax year starts on April 6.
        ("FY2026", (4, 6), date(2026, 4, 6), date(2027, 4, 6), "FY2026"),
        ("FY2026-Q2", (4, 6), date(2026, 7, 6), date(2026, 10, 6), "FY2026-Q2"),
        # Quarter starts past the end of a short month are clamped to its last day.
        ("FY2026-Q1", (1, 31), date(2026, 1, 31), date(2026, 4, 30), "FY2026-Q1"),
        ("FY2026-Q2", (1, 31), date(2026, 4, 30), date(2026, 7, 31), "FY2026-Q2"),
        ("FY2026-Q4", (1, 31), date(2026, 10, 31), date(2027, 1, 31), "FY2026-Q4"),
    ],
)
def test_fiscal_periods(
    text: str, fiscal_start: tuple[int, int], start: date, end: date, label: str
) -> None:
    assert span(text, fiscal_year_start=fiscal_start) == (start, end, label)


def test_calendar_forms_ignore_the_fiscal_start() -> None:
    assert span("2026", fiscal_year_start=APRIL)[:2] == (
        date(2026, 1, 1),
        date(2027, 1, 1),
    )
    assert span("Q1", fiscal_year_start=APRIL)[:2] == (
        date(2026, 1, 1),
        date(2026, 4, 1),
    )
    assert span("this year", fiscal_year_start=APRIL)[2] == "2026"


@pytest.mark.parametrize(
    ("day", "fiscal_start", "year"),
    [
        (date(2026, 3, 31), APRIL, 2025),
        (date(2026, 4, 1), APRIL, 2026),
        (date(2027, 3, 31), APRIL, 2026),
        (date(2026, 6, 30), JULY, 2025),
        (date(2026, 7, 1), JULY, 2026),
        (date(2026, 1, 1), (1, 1), 2026),
        (date(2026, 12, 31), (1, 1), 2026),
        (date(2026, 4, 5), (4, 6), 2025),
        (date(2024, 2, 29), (3, 1), 2023),
        (date(2024, 3, 1), (3, 1), 2024),
    ],
)
def test_fiscal_year_of(day: date, fiscal_start: tuple[int, int], year: int) -> None:
    assert fiscal_year_of(day, fiscal_start) == year


def test_fiscal_year() -> None:
    assert fiscal_year(2026, APRIL) == Period(
        start=date(2026, 4, 1), end=date(2027, 4, 1), label="FY2026"
    )
    assert fiscal_year(2026, JULY) == Period(
        start=date(2026, 7, 1), end=date(2027, 7, 1), label="FY2026"
    )
    # Its February has a 29th in a leap year, and the year still ends on March 1.
    fy = fiscal_year(2023, (3, 1))
    assert fy.contains(date(2024, 2, 29))
    assert fy.end == date(2024, 3, 1)


@pytest.mark.parametrize("year", [0, 9999, 10000])
def test_fiscal_year_out_of_range(year: int) -> None:
    with pytest.raises(PeriodError, match=f"FY{year}"):
        fiscal_year(year, APRIL)


@pytest.mark.parametrize("fiscal_start", [(2, 29), (13, 1), (0, 1), (4, 31), (4, 0)])
def test_bad_fiscal_start_is_refused(fiscal_start: tuple[int, int]) -> None:
    with pytest.raises(PeriodError, match=r"fiscal year start .* use \(month, day\)"):
        parse_period("FY2026", today=TODAY, fiscal_year_start=fiscal_start)
    with pytest.raises(PeriodError, match="fiscal year start"):
        fiscal_year_of(TODAY, fiscal_start)
    with pytest.raises(PeriodError, match="fiscal year start"):
        fiscal_year(2026, fiscal_start)
    with pytest.raises(PeriodError, match="fiscal year start"):
        split_period(
            parse_period("2026", today=TODAY), "year", fiscal_year_start=fiscal_start
        )


# --- ranges ---------------------------------------------------------------------------

# As in hledger, a range A..B ends EXCLUSIVELY at the START of B, whatever kind of
# period B is (day, week, month, quarter, year, fiscal year, relative word): B itself
# is never included. The label shows the first and the last INCLUDED day (end - 1 day).


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        # hledger's own examples, pinned: the end period is left out.
        (
            "2026-01..2026-03",
            date(2026, 1, 1),
            date(2026, 3, 1),
            "2026-01-01..2026-02-28",
        ),
        (
            "from 2026-03 to 2026-07",
            date(2026, 3, 1),
            date(2026, 7, 1),
            "2026-03-01..2026-06-30",
        ),
        ("2025..2026", date(2025, 1, 1), date(2026, 1, 1), "2025-01-01..2025-12-31"),
        # A month, quarter or year end is exclusive too: the range stops at its start.
        (
            "2026-01..2026-06",
            date(2026, 1, 1),
            date(2026, 6, 1),
            "2026-01-01..2026-05-31",
        ),
        (
            "2026-01 .. 2026-06",
            date(2026, 1, 1),
            date(2026, 6, 1),
            "2026-01-01..2026-05-31",
        ),
        (
            "2026-01 to 2026-06",
            date(2026, 1, 1),
            date(2026, 6, 1),
            "2026-01-01..2026-05-31",
        ),
        (
            "from 2026-01 to 2026-06",
            date(2026, 1, 1),
            date(2026, 6, 1),
            "2026-01-01..2026-05-31",
        ),
        (
            "2026-Q2..2026-Q3",
            date(2026, 4, 1),
            date(2026, 7, 1),
            "2026-04-01..2026-06-30",
        ),
        # One whole month, February of a common year (2026-02..2026-02 is now empty,
        # and refused: see test_errors).
        (
            "2026-02..2026-03",
            date(2026, 2, 1),
            date(2026, 3, 1),
            "2026-02-01..2026-02-28",
        ),
        # A leap-year February is included up to its 29th.
        (
            "2024-01..2024-03",
            date(2024, 1, 1),
            date(2024, 3, 1),
            "2024-01-01..2024-02-29",
        ),
        # An exact day end is exclusive, as in hledger.
        (
            "from 2026-03-01 to 2026-08-01",
            date(2026, 3, 1),
            date(2026, 8, 1),
            "2026-03-01..2026-07-31",
        ),
        (
            "2026-01-01..2026-07-01",
            date(2026, 1, 1),
            date(2026, 7, 1),
            "2026-01-01..2026-06-30",
        ),
        (
            "2026/01/01 to 2026/01/02",
            date(2026, 1, 1),
            date(2026, 1, 2),
            "2026-01-01..2026-01-01",
        ),
        # The start is always the start of the first period.
        (
            "2026-03-15..2026-04",
            date(2026, 3, 15),
            date(2026, 4, 1),
            "2026-03-15..2026-03-31",
        ),
        (
            "2026..2027-02-01",
            date(2026, 1, 1),
            date(2027, 2, 1),
            "2026-01-01..2027-01-31",
        ),
        # Open sides.
        ("from 2026-03", date(2026, 3, 1), None, "2026-03-01.."),
        ("2026-03..", date(2026, 3, 1), None, "2026-03-01.."),
        ("to 2026-06", None, date(2026, 6, 1), "..2026-05-31"),
        ("..2026-06", None, date(2026, 6, 1), "..2026-05-31"),
        ("..2026-07-01", None, date(2026, 7, 1), "..2026-06-30"),
        # Relative and named ends stop at their start as well.
        (
            "2026-11..today",
            date(2026, 11, 1),
            date(2026, 11, 18),
            "2026-11-01..2026-11-17",
        ),
        ("to today", None, date(2026, 11, 18), "..2026-11-17"),
        ("from last month", date(2026, 10, 1), None, "2026-10-01.."),
        (
            "from last month to this month",
            date(2026, 10, 1),
            date(2026, 11, 1),
            "2026-10-01..2026-10-31",
        ),
        (
            "2026-11..this week",
            date(2026, 11, 1),
            date(2026, 11, 16),
            "2026-11-01..2026-11-15",
        ),
        (
            "this year..next quarter",
            date(2026, 1, 1),
            date(2027, 1, 1),
            "2026-01-01..2026-12-31",
        ),
        ("to yesterday", None, date(2026, 11, 17), "..2026-11-16"),
        ("Q1..Q2", date(2026, 1, 1), date(2026, 4, 1), "2026-01-01..2026-03-31"),
        (
            "FROM 2026 TO 2027",
            date(2026, 1, 1),
            date(2027, 1, 1),
            "2026-01-01..2026-12-31",
        ),
    ],
)
def test_ranges(text: str, start: date | None, end: date | None, label: str) -> None:
    assert span(text) == (start, end, label)


def test_fiscal_ranges() -> None:
    # A fiscal-year or fiscal-quarter end is exclusive: it stops where B starts.
    assert span("FY2025..FY2026", fiscal_year_start=APRIL) == (
        date(2025, 4, 1),
        date(2026, 4, 1),
        "2025-04-01..2026-03-31",
    )
    assert span("from FY2026-Q2 to FY2026-Q3", fiscal_year_start=JULY) == (
        date(2026, 10, 1),
        date(2027, 1, 1),
        "2026-10-01..2026-12-31",
    )
    assert span("FY2026..FY2027", fiscal_year_start=(4, 6)) == (
        date(2026, 4, 6),
        date(2027, 4, 6),
        "2026-04-06..2027-04-05",
    )
    with pytest.raises(PeriodError, match="its end is not after its start"):
        parse_period("FY2026..FY2026", today=TODAY, fiscal_year_start=APRIL)


# --- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("lsat month", ""),
        ("this decade", ""),
        ("2026-13", "2026-13 is not a real month"),
        ("2026-00", "2026-00 is not a real month"),
        ("2026-02-30", "2026-02-30 is not a real date"),
        ("2026-04-31", "2026-04-31 is not a real date"),
        ("2026-11/05", ""),
        ("Q5", "there is no quarter 5"),
        ("2026-Q0", "there is no quarter 0"),
        ("FY2026-Q5", "there is no quarter 5"),
        ("Q12", ""),
        ("26", ""),
        ("20266", ""),
        ("2027..2026", "its end is not after its start"),
        ("from 2026-03-01 to 2026-03-01", "its end is not after its start"),
        ("2026-05..2026-03-31", "its end is not after its start"),
        # The end is exclusive at the start of B, so A..A is empty, and a B that
        # starts before A's first day (even if it ends after it) is inverted.
        ("2026-02..2026-02", "its end is not after its start"),
        ("2026..2026", "its end is not after its start"),
        ("2026-Q3..2026-Q3", "its end is not after its start"),
        ("from this month to this month", "its end is not after its start"),
        ("today..today", "its end is not after its start"),
        ("2026-03-15..2026-03", "its end is not after its start"),
        ("..", "a range needs a start or an end"),
        ("from", "one side of the range is missing"),
        ("to", "one side of the range is missing"),
        ("from 2026 to", "one side of the range is missing"),
        ("2026 to", "one side of the range is missing"),
        ("from to 2026", "one side of the range is missing"),
        ("2026..2027..2028", ""),
        ("2026 to 2027 to 2028", ""),
        ("from 2026..2027", ""),
        ("2026-01-2026-06", "A-B is ambiguous, write the range as A..B"),
        ("2026-2027", "A-B is ambiguous"),
        ("9999..", "does not fit in the years 1 to 9999"),
        ("0000", "0000-01-01 is not a real date"),
    ],
)
def test_errors(text: str, detail: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text, today=TODAY)
    message = str(caught.value)
    assert message.startswith(f"cannot read period '{text.strip()}': ")
    assert detail in message
    for form in (
        "2026-11",
        "2026-Q3",
        "FY2026",
        "last month",
        "from 2026-01-01 to 2026-07-01",
    ):
        assert form in message
    assert "\n" not in message


def test_error_message_example() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period("lsat month", today=TODAY)
    assert str(caught.value) == (
        "cannot read period 'lsat month': use 2026, 2026-11, 2026-Q3, FY2026, "
        "last month, 2026-01..2026-07 or from 2026-01-01 to 2026-07-01"
    )


def test_error_message_stays_on_one_line() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period("last\nwhatever", today=TODAY)
    assert "'last whatever'" in str(caught.value)


def test_period_error_is_a_value_error() -> None:
    assert issubclass(PeriodError, ValueError)


# --- parse_date -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-05", date(2026, 3, 5)),
        ("2026/03/05", date(2026, 3, 5)),
        ("2026.03.05", date(2026, 3, 5)),
        ("2026-3-5", date(2026, 3, 5)),
        (" 2024-02-29 ", date(2024, 2, 29)),
        ("today", TODAY),
        ("Today", TODAY),
        ("yesterday", date(2026, 11, 17)),
        ("TOMORROW", date(2026, 11, 19)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_parse_date_across_a_year_end() -> None:
    assert parse_date("tomorrow", today=date(2026, 12, 31)) == date(2027, 1, 1)
    assert parse_date("yesterday", today=date(2024, 3, 1)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("2026-02-30", "2026-02-30 is not a real date"),
        ("2026-13-01", "2026-13-01 is not a real date"),
        ("2026-02-29", "2026-02-29 is not a real date"),
        ("", "it is empty"),
        ("2026-03", ""),
        ("2026", ""),
        ("2026-03/05", ""),
        ("last month", ""),
        ("next week", ""),
        ("03/05/2026", ""),
    ],
)
def test_parse_date_errors(text: str, detail: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_date(text, today=TODAY)
    message = str(caught.value)
    assert message.startswith(f"cannot read date '{text}': ")
    assert detail in message
    assert "YYYY-MM-DD" in message
    assert "today" in message


def test_parse_date_tomorrow_past_the_last_day() -> None:
    with pytest.raises(PeriodError, match="outside the years 1 to 9999"):
        parse_date("tomorrow", today=date.max)


# --- Period.contains ------------------------------------------------------------------


def test_contains_start_inclusive_end_exclusive() -> None:
    march = parse_period("2026-03", today=TODAY)
    assert march.contains(date(2026, 3, 1))
    assert march.contains(date(2026, 3, 31))
    assert not march.contains(date(2026, 4, 1))
    assert not march.contains(date(2026, 2, 28))


def test_contains_open_sides() -> None:
    assert Period(start=None, end=None, label="all").contains(date.min)
    since = parse_period("2026-03..", today=TODAY)
    assert since.contains(date.max)
    assert not since.contains(date(2026, 2, 28))
    until = parse_period("..2026-03", today=TODAY)
    assert until.contains(date.min)
    assert until.contains(date(2026, 2, 28))
    assert not until.contains(date(2026, 3, 1))  # B is excluded, as in hledger


def test_period_is_frozen() -> None:
    period = parse_period("2026", today=TODAY)
    with pytest.raises(AttributeError):
        period.label = "other"  # type: ignore[misc]


# --- split_period ---------------------------------------------------------------------


def test_split_by_month_clips_the_edges() -> None:
    period = parse_period("2026-01-15..2026-04-10", today=TODAY)
    assert bounds(split_period(period, "month")) == [
        (date(2026, 1, 15), date(2026, 2, 1), "2026-01-15..2026-01-31"),
        (date(2026, 2, 1), date(2026, 3, 1), "2026-02"),
        (date(2026, 3, 1), date(2026, 4, 1), "2026-03"),
        (date(2026, 4, 1), date(2026, 4, 10), "2026-04-01..2026-04-09"),
    ]


def test_split_a_year_by_month() -> None:
    pieces = split_period(parse_period("2024", today=TODAY), "month")
    assert [p.label for p in pieces] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert pieces[1].end == date(2024, 3, 1)


def test_split_by_calendar_quarter() -> None:
    period = parse_period("2025-11..2026-08", today=TODAY)  # August excluded
    assert bounds(split_period(period, "quarter")) == [
        (date(2025, 11, 1), date(2026, 1, 1), "2025-11-01..2025-12-31"),
        (date(2026, 1, 1), date(2026, 4, 1), "2026-Q1"),
        (date(2026, 4, 1), date(2026, 7, 1), "2026-Q2"),
        (date(2026, 7, 1), date(2026, 8, 1), "2026-07-01..2026-07-31"),
    ]


def test_split_calendar_year_by_fiscal_quarter() -> None:
    period = parse_period("2026", today=TODAY)
    assert bounds(split_period(period, "quarter", fiscal_year_start=APRIL)) == [
        (date(2026, 1, 1), date(2026, 4, 1), "FY2025-Q4"),
        (date(2026, 4, 1), date(2026, 7, 1), "FY2026-Q1"),
        (date(2026, 7, 1), date(2026, 10, 1), "FY2026-Q2"),
        (date(2026, 10, 1), date(2027, 1, 1), "FY2026-Q3"),
    ]


def test_split_fiscal_year_by_fiscal_quarter() -> None:
    period = parse_period("FY2026", today=TODAY, fiscal_year_start=JULY)
    pieces = split_period(period, "quarter", fiscal_year_start=JULY)
    assert [p.label for p in pieces] == [f"FY2026-Q{q}" for q in range(1, 5)]
    assert [p.start for p in pieces] == [
        date(2026, 7, 1),
        date(2026, 10, 1),
        date(2027, 1, 1),
        date(2027, 4, 1),
    ]


def test_split_by_fiscal_quarter_with_clipping() -> None:
    period = parse_period("2026-05-10..2026-08-20", today=TODAY)
    assert bounds(split_period(period, "quarter", fiscal_year_start=(4, 6))) == [
        (date(2026, 5, 10), date(2026, 7, 6), "2026-05-10..2026-07-05"),
        (date(2026, 7, 6), date(2026, 8, 20), "2026-07-06..2026-08-19"),
    ]


def test_split_by_fiscal_year() -> None:
    # 2025..2027 is the calendar years 2025 and 2026 (2027 excluded).
    period = parse_period("2025..2027", today=TODAY)
    assert bounds(split_period(period, "year", fiscal_year_start=APRIL)) == [
        (date(2025, 1, 1), date(2025, 4, 1), "2025-01-01..2025-03-31"),
        (date(2025, 4, 1), date(2026, 4, 1), "FY2025"),
        (date(2026, 4, 1), date(2027, 1, 1), "2026-04-01..2026-12-31"),
    ]


def test_split_by_calendar_year() -> None:
    period = parse_period("2024-07..2026", today=TODAY)  # 2026 excluded
    assert bounds(split_period(period, "year")) == [
        (date(2024, 7, 1), date(2025, 1, 1), "2024-07-01..2024-12-31"),
        (date(2025, 1, 1), date(2026, 1, 1), "2025"),
    ]


def test_split_a_single_day() -> None:
    period = parse_period("2026-03-05", today=TODAY)
    for interval in ("month", "quarter", "year"):
        assert bounds(split_period(period, interval)) == [
            (date(2026, 3, 5), date(2026, 3, 6), "2026-03-05..2026-03-05"),
        ]


def test_split_an_empty_period_gives_nothing() -> None:
    period = Period(start=date(2026, 3, 5), end=date(2026, 3, 5), label="empty")
    assert split_period(period, "month") == ()


@pytest.mark.parametrize("text", ["2026..", "..2026", "from last month"])
def test_split_an_open_period_is_refused(text: str) -> None:
    with pytest.raises(PeriodError, match="give it both a start and an end"):
        split_period(parse_period(text, today=TODAY), "month")


@pytest.mark.parametrize("interval", ["week", "Month", "", "day"])
def test_split_by_an_unknown_interval_is_refused(interval: str) -> None:
    with pytest.raises(PeriodError, match="use month, quarter or year"):
        split_period(parse_period("2026", today=TODAY), interval)


def test_split_past_the_last_year_is_refused() -> None:
    period = Period(start=date(9999, 1, 1), end=date(9999, 12, 31), label="last")
    with pytest.raises(PeriodError, match="past the year 9999"):
        split_period(period, "year")


# --- properties -----------------------------------------------------------------------

DAYS = st.dates(min_value=date(2, 1, 1), max_value=date(9998, 12, 31))
FISCAL_STARTS = st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)).map(
    lambda d: (d.month, d.day)
)
INTERVALS = st.sampled_from(["month", "quarter", "year"])


@given(day=DAYS, fiscal_start=FISCAL_STARTS)
def test_fiscal_year_of_a_day_contains_it(
    day: date, fiscal_start: tuple[int, int]
) -> None:
    year = fiscal_year_of(day, fiscal_start)
    fy = fiscal_year(year, fiscal_start)
    assert fy.contains(day)
    assert fy.start is not None
    assert fy.start.year == year
    assert (fy.start.month, fy.start.day) == fiscal_start


@given(
    start=DAYS,
    length=st.integers(min_value=1, max_value=2000),
    interval=INTERVALS,
    fiscal_start=FISCAL_STARTS,
)
def test_split_pieces_are_contiguous_and_cover_the_period(
    start: date, length: int, interval: str, fiscal_start: tuple[int, int]
) -> None:
    end = start + timedelta(days=length)
    period = Period(start=start, end=end, label="p")
    pieces = split_period(period, interval, fiscal_year_start=fiscal_start)
    assert pieces
    assert pieces[0].start == start
    assert pieces[-1].end == end
    for before, after in pairwise(pieces):
        assert before.end == after.start
    for piece in pieces:
        assert piece.start is not None
        assert piece.end is not None
        assert piece.start < piece.end


@given(
    start=DAYS,
    length=st.integers(min_value=1, max_value=2000),
    interval=INTERVALS,
    fiscal_start=FISCAL_STARTS,
)
def test_whole_split_pieces_read_back_from_their_label(
    start: date, length: int, interval: str, fiscal_start: tuple[int, int]
) -> None:
    period = Period(start=start, end=start + timedelta(days=length), label="p")
    for piece in split_period(period, interval, fiscal_year_start=fiscal_start):
        if ".." not in piece.label:
            again = parse_period(
                piece.label, today=TODAY, fiscal_year_start=fiscal_start
            )
            assert (again.start, again.end) == (piece.start, piece.end)


@given(day=DAYS)
def test_a_written_day_reads_back(day: date) -> None:
    assert parse_date(day.isoformat(), today=TODAY) == day
    period = parse_period(day.isoformat(), today=TODAY)
    assert (period.start, period.end, period.label) == (
        day,
        day + timedelta(days=1),
        day.isoformat(),
    )


def month_text(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@given(first=DAYS, second=DAYS)
def test_month_ranges_cover_whole_months(first: date, second: date) -> None:
    # A..B of months covers the whole months from A up to, but excluding, B.
    low, high = sorted((first, second))
    text = f"{month_text(low)}..{month_text(high)}"
    if month_text(low) == month_text(high):
        with pytest.raises(PeriodError, match="its end is not after its start"):
            parse_period(text, today=TODAY)
        return
    period = parse_period(text, today=TODAY)
    assert period.start == low.replace(day=1)
    assert period.end == high.replace(day=1)
    last = period.end - timedelta(days=1)
    assert period.contains(low)
    assert period.contains(last)
    assert not period.contains(high)
    assert not period.contains(period.end)
    assert last.month != period.end.month  # the last included day ends a month
    assert period.label == f"{period.start.isoformat()}..{last.isoformat()}"


@given(day=DAYS)
def test_a_month_range_ending_in_its_own_month_is_refused(day: date) -> None:
    with pytest.raises(PeriodError, match="its end is not after its start"):
        parse_period(f"{month_text(day)}..{month_text(day)}", today=TODAY)
