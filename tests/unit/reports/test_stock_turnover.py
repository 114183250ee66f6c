"""The daily-average stock value: one pass over the changes equals the day-by-day mean."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from bizcli.reports.stock_turnover import DailyValue, daily_average

D = Decimal


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_a_worked_example() -> None:
    changes = [
        (day("2026-02-20"), "A", D("800")),    # before the span: the opening value
        (day("2026-02-25"), "B", D("50")),     # never changes in the span
        (day("2026-03-03"), "A", D("-300")),   # A: 800 on 03-01, 03-02; 500 from 03-03
        (day("2026-03-05"), "A", D("600")),    # two changes on one day: only the end of
        (day("2026-03-05"), "A", D("-100")),   # the day counts: 1000 from 03-05
        (day("2026-03-06"), "C", D("10")),     # C: 0 until 03-05, then 10
        (day("2026-03-07"), "A", D("-1000")),  # the first day after the span: ignored
    ]
    got = daily_average(changes, day("2026-03-01"), day("2026-03-07"))
    # A: 2 x 800 + 2 x 500 + 2 x 1000 = 4600 over 6 days = 766.66...
    assert got["A"] == DailyValue(opening=D("800"), closing=D("1000"),
                                  average=D(4600) / 6)
    assert got["B"] == DailyValue(opening=D("50"), closing=D("50"), average=D("50"))
    assert got["C"] == DailyValue(opening=D("0"), closing=D("10"), average=D(10) / 6)


def test_a_key_that_only_moves_after_the_span_is_left_out() -> None:
    got = daily_average([(day("2026-04-01"), "A", D("5"))], day("2026-03-01"),
                        day("2026-04-01"))
    assert got == {}


def test_an_empty_span_is_refused() -> None:
    with pytest.raises(ValueError, match="empty span"):
        daily_average([], day("2026-03-01"), day("2026-03-01"))


def _day_by_day(changes: list[tuple[dt.date, str, Decimal]], start: dt.date,
                end: dt.date) -> dict[str, DailyValue]:
    """The definition, literally: the value at the end of each day, averaged."""
    out = {}
    days = (end - start).days
    for key in {k for d, k, _ in changes if d < end}:
        def value_at(last: dt.date, key: str = key) -> Decimal:
            return sum((c for d, k, c in changes if k == key and d <= last), D(0))
        daily = [value_at(start + dt.timedelta(days=i)) for i in range(days)]
        out[key] = DailyValue(opening=value_at(start - dt.timedelta(days=1)),
                              closing=daily[-1], average=sum(daily, D(0)) / days)
    return out


@pytest.mark.parametrize("seed", range(20))
def test_one_pass_equals_the_day_by_day_mean(seed: int) -> None:
    rng = random.Random(seed)
    base = day("2026-01-01")
    changes = sorted(((base + dt.timedelta(days=rng.randrange(90)), rng.choice("ABC"),
                       D(rng.randrange(-5000, 5000)) / 100) for _ in range(rng.randrange(30))),
                     key=lambda c: c[0])
    start = base + dt.timedelta(days=rng.randrange(40))
    end = start + dt.timedelta(days=rng.randrange(1, 60))
    got = daily_average(changes, start, end)
    want = _day_by_day(changes, start, end)
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key].opening == value.opening
        assert got[key].closing == value.closing
        # Both are exact sums divided once; allow for the last digit of that division.
        assert abs(got[key].average - value.average) < D("1e-20")
