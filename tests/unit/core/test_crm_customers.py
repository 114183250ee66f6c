"""Tests for bizcli.core.crm.customers: RFM scores, segments, churn and lifetime value.

The worked example below is computed by hand in the comments, from the published
definitions only; the properties check the same definitions against brute force.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from decimal import Decimal, localcontext
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bizcli.core.crm.customers import (
    SEGMENTS,
    ChurnRule,
    Cost,
    CustomerScore,
    Sale,
    churn,
    projected_value,
    quintile_scores,
    score_customers,
    segment_of,
)

D = Decimal
AS_OF = dt.date(2025, 6, 30)  # day 181 of 2025; 2024 is a leap year (366 days)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


SALES = [
    # ACME: 5 invoices, the last 10 days before as_of (06-20 is day 171).
    Sale("ACME", day("2025-03-03"), D("200.00")),
    Sale("ACME", day("2025-04-02"), D("150.00")),
    Sale("ACME", day("2025-05-02"), D("250.00")),
    Sale("ACME", day("2025-06-01"), D("300.00")),
    Sale("ACME", day("2025-06-20"), D("100.00")),
    # BETA: one invoice, 227 days ago (46 days to 2024-12-31, +1, +180 in 2025).
    Sale("BETA", day("2024-11-15"), D("5000.00")),
    # CORA: 4 invoices on 3 distinct dates (two on 03-14); last one 100 days ago.
    Sale("CORA", day("2025-03-07"), D("120.00")),
    Sale("CORA", day("2025-03-14"), D("80.00")),
    Sale("CORA", day("2025-03-14"), D("80.00")),
    Sale("CORA", day("2025-03-22"), D("20.50")),
    # DELTA and ECHO: 2 invoices each, both last invoiced on 04-30 (day 120): a tie.
    Sale("DELTA", day("2025-02-28"), D("200.00")),
    Sale("DELTA", day("2025-04-30"), D("250.00")),
    Sale("ECHO", day("2025-04-10"), D("45.00")),
    Sale("ECHO", day("2025-04-30"), D("45.00")),
    # FOXTROT: a customer for two years; the invoice of 07-05 is after as_of.
    Sale("FOXTROT", day("2023-07-01"), D("600.00")),
    Sale("FOXTROT", day("2024-07-01"), D("500.00")),
    Sale("FOXTROT", day("2025-06-15"), D("700.00")),
    Sale("FOXTROT", day("2025-07-05"), D("999.00")),
    # GOLF: one invoice, 5 days ago.
    Sale("GOLF", day("2025-06-25"), D("60.00")),
    # INDIA: invoiced only after as_of, so not a customer yet.
    Sale("INDIA", day("2025-07-01"), D("10.00")),
]

COSTS = [
    Cost("ACME", day("2025-03-03"), D("350.00")),
    Cost("ACME", day("2025-06-20"), D("250.00")),
    Cost("BETA", day("2024-11-15"), D("3000.00")),
    Cost("CORA", day("2025-03-22"), D("200.00")),
    Cost("DELTA", day("2025-04-30"), D("300.00")),
    Cost("FOXTROT", day("2023-07-01"), D("400.00")),
    Cost("FOXTROT", day("2024-07-01"), D("300.00")),
    Cost("FOXTROT", day("2025-06-15"), D("450.00")),
    Cost("FOXTROT", day("2025-06-20"), D("-50.00")),  # a return
    Cost("FOXTROT", day("2025-07-05"), D("200.00")),  # after as_of: ignored
    Cost("GOLF", day("2025-06-25"), D("45.00")),
    Cost("HOTEL", day("2025-01-10"), D("10.00")),  # no invoice: ignored
]

# n = 7 customers, so score = floor(5 * (rank - 1) / 7) + 1:
#   rank 1 -> 0//7+1 = 1, rank 2 -> 5//7+1 = 1, rank 3 -> 10//7+1 = 2, rank 4 -> 15//7+1 = 3,
#   rank 5 -> 20//7+1 = 3, rank 6 -> 25//7+1 = 4, rank 7 -> 30//7+1 = 5.
# Recency, worst (most days) first: BETA 227 (rank 1 -> R1), CORA 100 (2 -> R1),
#   DELTA 61 and ECHO 61 (both rank 3 -> R2; split, ECHO would have rank 4 -> R3),
#   FOXTROT 15 (5 -> R3), ACME 10 (6 -> R4), GOLF 5 (7 -> R5).
# Frequency, worst (fewest) first: BETA 1 and GOLF 1 (rank 1 -> F1), DELTA 2 and ECHO 2
#   (rank 3 -> F2; split would be F2 and F3), FOXTROT 3 (5 -> F3), CORA 4 (6 -> F4),
#   ACME 5 (7 -> F5).
# Monetary, worst (smallest) first: GOLF 60.00 (1 -> M1), ECHO 90.00 (2 -> M1),
#   CORA 300.50 (3 -> M2), DELTA 450.00 (4 -> M3), ACME 1000.00 (5 -> M3),
#   FOXTROT 1800.00 (6 -> M4), BETA 5000.00 (7 -> M5).
EXPECTED = [
    # ACME: 200+150+250+300+100 = 1000.00. Gaps 30, 30, 30, 19 -> sorted 19 30 30 30,
    # median (30+30)/2 = 30, threshold 2 x 30 = 60, recency 10 <= 60: active.
    # R4 F5 -> champions. Cost 350+250 = 600.00, margin 400.00, tenure 181-62 = 119 days
    # (< 365: margin/year = 400.00 x 365/365 = 400.00), projected 400.00 x 3 = 1200.00.
    CustomerScore(
        customer="ACME", first=day("2025-03-03"), last=day("2025-06-20"), recency_days=10,
        frequency=5, monetary=D("1000.00"), r=4, f=5, m=3, segment="champions",
        usual_interval=D(30), churn_threshold=D(60), churn_rule=ChurnRule.INTERVAL,
        churned=False, cost=D("600.00"), gross_margin=D("400.00"), tenure_days=119,
        projected_value=D("1200.00"),
    ),
    # BETA: one date -> fallback, threshold 180, recency 227 > 180: churned, projected 0.
    # R1 F1 -> lost. Margin 5000-3000 = 2000.00, tenure 227.
    CustomerScore(
        customer="BETA", first=day("2024-11-15"), last=day("2024-11-15"), recency_days=227,
        frequency=1, monetary=D("5000.00"), r=1, f=1, m=5, segment="lost", usual_interval=None,
        churn_threshold=D(180), churn_rule=ChurnRule.FALLBACK, churned=True, cost=D("3000.00"),
        gross_margin=D("2000.00"), tenure_days=227, projected_value=D(0),
    ),
    # CORA: 120+80+80+20.50 = 300.50 over 4 invoices. Distinct dates 03-07, 03-14, 03-22:
    # gaps 7 and 8, median 7.5, threshold 15.0, recency 100 > 15: churned. R1 F4 -> at_risk.
    # Margin 300.50-200 = 100.50, tenure 181-66 = 115, projected 0 (churned).
    CustomerScore(
        customer="CORA", first=day("2025-03-07"), last=day("2025-03-22"), recency_days=100,
        frequency=4, monetary=D("300.50"), r=1, f=4, m=2, segment="at_risk",
        usual_interval=D("7.5"), churn_threshold=D(15), churn_rule=ChurnRule.INTERVAL,
        churned=True, cost=D("200.00"), gross_margin=D("100.50"), tenure_days=115,
        projected_value=D(0),
    ),
    # DELTA: 200+250 = 450.00. Gap 120-59 = 61, threshold 122, recency 61: active.
    # R2 F2 -> hibernating. Margin 150.00, tenure 181-59 = 122, projected 150.00 x 3 = 450.00.
    CustomerScore(
        customer="DELTA", first=day("2025-02-28"), last=day("2025-04-30"), recency_days=61,
        frequency=2, monetary=D("450.00"), r=2, f=2, m=3, segment="hibernating",
        usual_interval=D(61), churn_threshold=D(122), churn_rule=ChurnRule.INTERVAL,
        churned=False, cost=D("300.00"), gross_margin=D("150.00"), tenure_days=122,
        projected_value=D("450.00"),
    ),
    # ECHO: same R and F as DELTA but gap 120-100 = 20, threshold 40, recency 61 > 40:
    # churned. No cost: margin 90.00, tenure 81, projected 0.
    CustomerScore(
        customer="ECHO", first=day("2025-04-10"), last=day("2025-04-30"), recency_days=61,
        frequency=2, monetary=D("90.00"), r=2, f=2, m=1, segment="hibernating",
        usual_interval=D(20), churn_threshold=D(40), churn_rule=ChurnRule.INTERVAL,
        churned=True, cost=D(0), gross_margin=D("90.00"), tenure_days=81, projected_value=D(0),
    ),
    # FOXTROT: 600+500+700 = 1800.00 (the 999.00 of 07-05 is after as_of). Gaps 366 (over
    # 2024-02-29) and 349, median 357.5, threshold 715.0, recency 15: active. R3 F3 -> loyal.
    # Cost 400+300+450-50 = 1100.00 (the 200.00 of 07-05 is ignored), margin 700.00,
    # tenure 366+364 = 730, margin/year = 700.00 x 365/730 = 350.00, projected 1050.00.
    CustomerScore(
        customer="FOXTROT", first=day("2023-07-01"), last=day("2025-06-15"), recency_days=15,
        frequency=3, monetary=D("1800.00"), r=3, f=3, m=4, segment="loyal",
        usual_interval=D("357.5"), churn_threshold=D(715), churn_rule=ChurnRule.INTERVAL,
        churned=False, cost=D("1100.00"), gross_margin=D("700.00"), tenure_days=730,
        projected_value=D("1050.00"),
    ),
    # GOLF: one date -> fallback 180, recency 5: active. R5 F1 -> new. Margin 60-45 = 15.00,
    # tenure 5, projected 15.00 x 3 = 45.00.
    CustomerScore(
        customer="GOLF", first=day("2025-06-25"), last=day("2025-06-25"), recency_days=5,
        frequency=1, monetary=D("60.00"), r=5, f=1, m=1, segment="new", usual_interval=None,
        churn_threshold=D(180), churn_rule=ChurnRule.FALLBACK, churned=False, cost=D("45.00"),
        gross_margin=D("15.00"), tenure_days=5, projected_value=D("45.00"),
    ),
]


# --- the worked example ---------------------------------------------------------------

def test_worked_example_matches_the_hand_computation() -> None:
    scores = score_customers(SALES, COSTS, AS_OF)
    assert [s.customer for s in scores] == [e.customer for e in EXPECTED]  # no HOTEL, INDIA
    for score, expected in zip(scores, EXPECTED, strict=True):
        assert score == expected


def test_tied_customers_share_their_scores_in_the_example() -> None:
    by_name = {s.customer: s for s in score_customers(SALES, COSTS, AS_OF)}
    assert (by_name["DELTA"].r, by_name["DELTA"].f) == (by_name["ECHO"].r, by_name["ECHO"].f)
    assert by_name["BETA"].f == by_name["GOLF"].f == 1


def test_half_day_interval_is_kept_exact() -> None:
    verdict = churn([day("2025-03-07"), day("2025-03-14"), day("2025-03-22")], AS_OF)
    assert verdict.usual_interval == D("7.5")
    assert verdict.threshold == D("15.0")
    assert verdict.rule is ChurnRule.INTERVAL
    assert verdict.churned


def test_single_date_uses_the_fallback() -> None:
    verdict = churn([day("2025-06-25"), day("2025-06-25")], AS_OF, fallback_days=4)
    assert verdict == (5, None, D(4), ChurnRule.FALLBACK, True)
    assert not churn([day("2025-06-25")], AS_OF, fallback_days=5).churned  # 5 is not > 5


def test_churn_ignores_dates_after_as_of() -> None:
    verdict = churn([day("2025-06-01"), day("2025-07-01")], AS_OF)
    assert verdict.rule is ChurnRule.FALLBACK
    assert verdict.recency_days == 29


def test_results_do_not_depend_on_the_callers_decimal_context() -> None:
    expected = score_customers(SALES, COSTS, AS_OF)
    with localcontext() as context:
        context.prec = 3  # would round 1000.00, 1800.00 and every projection
        assert score_customers(SALES, COSTS, AS_OF) == expected


def test_sums_never_round() -> None:
    sales = [Sale("ACME", AS_OF, D("1E+30")), Sale("ACME", AS_OF, D("0.01"))]
    costs = [Cost("ACME", AS_OF, D("0.001"))]
    (score,) = score_customers(sales, costs, AS_OF)
    assert score.monetary == D("1000000000000000000000000000000.01")  # 33 digits
    assert score.gross_margin == D("1000000000000000000000000000000.009")


def test_accepts_one_shot_iterators() -> None:
    assert score_customers(iter(SALES), iter(COSTS), AS_OF) == score_customers(
        SALES, COSTS, AS_OF)


def test_no_invoices_gives_no_scores() -> None:
    assert score_customers([], COSTS, AS_OF) == []


def test_a_lone_customer_scores_one_everywhere() -> None:
    (score,) = score_customers([Sale("ACME", day("2025-06-01"), D("1.00"))], [], AS_OF)
    assert (score.r, score.f, score.m, score.segment) == (1, 1, 1, "lost")


# --- lifetime value ---------------------------------------------------------------------

def test_projection_keeps_28_digits_in_the_division_and_multiplies_exactly() -> None:
    # 100 x 365 / 700 = 52.142857142857142857142857142857..., 28 digits kept, then x 3.
    value = projected_value(D(100), 700, horizon_years=D(3))
    assert value == D("156.42857142857142857142857142")


def test_projection_does_not_extrapolate_a_young_customer() -> None:
    assert projected_value(D("80.00"), 30, horizon_years=D(2)) == D("160.00")
    assert projected_value(D("80.00"), 0) == D("240.00")


def test_projection_is_zero_when_churned_or_no_horizon() -> None:
    assert projected_value(D("80.00"), 400, churned=True) == 0
    assert projected_value(D("80.00"), 400, horizon_years=D(0)) == 0


def test_a_loss_making_customer_projects_a_loss() -> None:
    assert projected_value(D("-10.00"), 730) == D("-15.00")  # -10 x 365/730 x 3


# --- traps ------------------------------------------------------------------------------

def test_a_tie_never_splits_into_different_scores() -> None:
    # 10 customers, ranks 1..10 -> scores 1 1 2 2 3 3 4 4 5 5 without ties. Tie positions
    # 2 and 3 (scores 1 and 2 if split): both get rank 2 -> score 1.
    values = {"a": 1, "b": 2, "c": 2, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9, "j": 10}
    scores = quintile_scores(values, higher_is_better=True)
    assert scores == {"a": 1, "b": 1, "c": 1, "d": 2, "e": 3, "f": 3, "g": 4, "h": 4,
                      "i": 5, "j": 5}
    # Recency: fewer days is better, so the order flips and the tie still holds.
    scores = quintile_scores(values, higher_is_better=False)
    assert scores["b"] == scores["c"] == 4
    assert scores["a"] == 5
    assert scores["j"] == 1


def test_everybody_tied_scores_one() -> None:
    assert set(quintile_scores(dict.fromkeys("abcdef", D("9.99")), True).values()) == {1}


SPEC_RULES: tuple[tuple[str, Callable[[int, int], bool]], ...] = (  # as published
    ("champions", lambda r, f: r >= 4 and f >= 4),
    ("loyal", lambda r, f: r >= 3 and f >= 3),
    ("new", lambda r, f: r >= 4 and f == 1),
    ("promising", lambda r, f: r >= 4),
    ("at_risk", lambda r, f: r <= 2 and f >= 3),
    ("needs_attention", lambda r, f: r == 3),
    ("hibernating", lambda r, f: r == 2),
    ("lost", lambda r, f: r == 1),
)

GRID = {  # R from 5 down to 1; F from 1 to 5
    5: ("new", "promising", "loyal", "champions", "champions"),
    4: ("new", "promising", "loyal", "champions", "champions"),
    3: ("needs_attention", "needs_attention", "loyal", "loyal", "loyal"),
    2: ("hibernating", "hibernating", "at_risk", "at_risk", "at_risk"),
    1: ("lost", "lost", "at_risk", "at_risk", "at_risk"),
}


def test_segment_table_covers_every_cell_exactly_once() -> None:
    assert [name for name, _ in SEGMENTS] == [name for name, _ in SPEC_RULES]
    reached = set()
    for r in range(1, 6):
        for f in range(1, 6):
            first = next(name for name, rule in SPEC_RULES if rule(r, f))
            assert segment_of(r, f) == first == GRID[r][f - 1]
            reached.add(first)
    assert reached == {name for name, _ in SEGMENTS}  # no rule is dead


def test_segment_descriptions_name_their_rule() -> None:
    assert all(description.startswith("R") for _, description in SEGMENTS)


# --- bad parameters ---------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"k": D(0)}, {"k": D(-1)}, {"k": D("NaN")}, {"k": D("Infinity")},
    {"fallback_days": 0}, {"fallback_days": -5},
    {"horizon_years": D(-1)}, {"horizon_years": D("NaN")},
])
def test_bad_parameters_raise(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        score_customers(SALES, COSTS, AS_OF, **kwargs)  # type: ignore[arg-type]


def test_churn_rejects_bad_parameters_and_no_dates() -> None:
    with pytest.raises(ValueError, match="k must"):
        churn([AS_OF], AS_OF, k=D(0))
    with pytest.raises(ValueError, match="fallback_days"):
        churn([AS_OF], AS_OF, fallback_days=0)
    with pytest.raises(ValueError, match="no invoice"):
        churn([day("2025-07-01")], AS_OF)


@pytest.mark.parametrize(("r", "f"), [(0, 3), (6, 1), (3, 0), (3, 6)])
def test_segment_rejects_scores_out_of_range(r: int, f: int) -> None:
    with pytest.raises(ValueError, match=r"1\.\.5"):
        segment_of(r, f)


# --- properties -------------------------------------------------------------------------

START = dt.date(2024, 1, 1)
sales_lists = st.lists(
    st.builds(
        Sale,
        st.sampled_from("ABCDEFG"),
        st.integers(0, 500).map(lambda n: START + dt.timedelta(days=n)),
        st.integers(-5_000, 100_000).map(lambda cents: D(cents).scaleb(-2)),
    ),
    max_size=40,
)
as_of_dates = st.integers(0, 520).map(lambda n: START + dt.timedelta(days=n))
metric_maps = st.dictionaries(st.text("abcdefghij", min_size=1, max_size=2),
                              st.integers(-3, 3), min_size=1, max_size=25)


@settings(max_examples=50)  # keep the file under a few seconds
@given(metric_maps, st.booleans())
def test_quintile_scores_follow_the_rank_definition(values: dict[str, int],
                                                    higher_is_better: bool) -> None:
    scores = quintile_scores(values, higher_is_better)
    n = len(values)
    for key, value in values.items():
        worse = sum(1 for v in values.values() if (v < value if higher_is_better else v > value))
        assert scores[key] == 5 * worse // n + 1
        assert 1 <= scores[key] <= 5


@settings(max_examples=50)  # keep the file under a few seconds
@given(metric_maps, st.booleans())
def test_ties_share_and_better_never_scores_lower(values: dict[str, int],
                                                  higher_is_better: bool) -> None:
    scores = quintile_scores(values, higher_is_better)
    for a, va in values.items():
        for b, vb in values.items():
            if va == vb:
                assert scores[a] == scores[b]
            elif (va > vb) == higher_is_better:
                assert scores[a] >= scores[b]


@settings(max_examples=50)  # keep the file under a few seconds
@given(sales_lists, as_of_dates)
def test_rfm_metrics_equal_brute_force(sales: list[Sale], as_of: dt.date) -> None:
    scores = score_customers(sales, [], as_of)
    counted = [s for s in sales if s.date <= as_of]
    assert [s.customer for s in scores] == sorted({s.customer for s in counted})
    for score in scores:
        mine = [s for s in counted if s.customer == score.customer]
        assert score.recency_days == (as_of - max(s.date for s in mine)).days
        assert score.frequency == len(mine)
        assert score.monetary == sum((s.amount for s in mine), D(0))
        assert score.tenure_days == (as_of - min(s.date for s in mine)).days
        assert score.gross_margin == score.monetary
        for value in (score.r, score.f, score.m):
            assert 1 <= value <= 5
        assert score.segment == segment_of(score.r, score.f)


@settings(max_examples=50)  # keep the file under a few seconds
@given(sales_lists, as_of_dates)
def test_rfm_scores_are_monotonic_across_customers(sales: list[Sale], as_of: dt.date) -> None:
    scores = score_customers(sales, [], as_of)
    for a in scores:
        for b in scores:
            if a.recency_days == b.recency_days:
                assert a.r == b.r
            if a.recency_days < b.recency_days:
                assert a.r >= b.r
            if a.frequency == b.frequency:
                assert a.f == b.f
            if a.frequency > b.frequency:
                assert a.f >= b.f
            if a.monetary == b.monetary:
                assert a.m == b.m
            if a.monetary > b.monetary:
                assert a.m >= b.m


@given(st.lists(st.integers(0, 400), min_size=1, max_size=12), st.integers(1, 9),
       st.integers(1, 400))
def test_churn_interval_is_the_median_gap(offsets: list[int], k: int, fallback: int) -> None:
    dates = [START + dt.timedelta(days=n) for n in offsets]
    as_of = START + dt.timedelta(days=400)
    verdict = churn(dates, as_of, k=D(k), fallback_days=fallback)
    distinct = sorted(set(offsets))
    gaps = [b - a for a, b in pairwise(distinct)]
    recency = 400 - distinct[-1]
    if gaps:
        usual = D(statistics.median(gaps))  # int or an exact .5 float
        assert verdict == (recency, usual, k * usual, ChurnRule.INTERVAL, recency > k * usual)
    else:
        assert verdict == (recency, None, D(fallback), ChurnRule.FALLBACK, recency > fallback)
