"""Tests for bizcli.core.production.forecast: moving averages, smoothing and the choice.

The worked examples are published ones; each number taken from a source is re-derived by
hand in the comments (never from bizcli's output). Sources:

- [HR] Heizer, Render & Munson, "Operations Management", ch. 4 "Forecasting" (the same
  examples run through the 10th-12th editions, Pearson): Example 1, Donna's Garden
  Supply (3-month moving average of shed sales); Example 3, the Mercedes dealer
  (exponential smoothing, one step); the Port of Baltimore examples of "Measuring
  Forecast Error" (MAD, then MAPE): 8 quarters of tonnage, initial forecast 175,
  alpha .10 and .50, MAD 82.45/8 = 10.31 and 98.62/8 = 12.33, MAPE 44.75%/8 = 5.59% and
  54.05%/8 = 6.76%. The book rounds each forecast to 2 decimals before taking errors, so
  its totals can differ from the exact ones in the last digit; the means to 2 decimals
  agree. Its Excel OM spreadsheet for the example, with more digits (bias 4.49482,
  MAD 10.30732, MAPE 5.593975%, next 178.595856 for alpha .1; MAPE 6.756189% for .5):
  https://www.scribd.com/document/783806500/Chapter4
  The Port of Baltimore slides ("alpha = .10 is preferred to .50 because its MAD is
  smaller"): https://www.slideserve.com/howery/port-of-baltimore-exponential-smoothing-example-powerpoint-ppt-presentation
- [QA] Render, Stair & Hanna, "Quantitative Analysis for Management", ch. 5, the same
  shed sales as Wallace Garden Supply, with the 3-month averages printed to 2 decimals:
  http://studentsmerit.com/paper-detail/?paper_id=33363
- [HR 4.9] [HR] Problem 4.9, chip prices January..December 1.80 1.67 1.70 1.85 1.90 1.87
  1.80 1.83 1.70 1.65 1.70 1.75 (http://www.expertsmind.com/library/compute-the-forecasts-for-each-month-51353308.aspx),
  and its solution from the instructor's manual: total |error| .750 and MAD .075 for the
  2-month average, .793 and .088 for the 3-month one (https://essayhelp64.tistory.com/m/4).

The choose() tests use small histories worked by hand in the comments.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizcli.core.production.forecast import (
    EXPONENTIAL_SMOOTHING,
    MEAN,
    MOVING_AVERAGE,
    Fit,
    choose,
    exponential_smoothing,
    moving_average,
)

D = Decimal


def history(text: str) -> list[Decimal]:
    return [D(value) for value in text.split()]


def cents(value: Decimal | None) -> Decimal:
    assert value is not None
    return value.quantize(D("0.01"))


def close(value: Decimal | None, exact: Fraction | Decimal, digits: int = 25) -> bool:
    """``value`` equals ``exact`` to ``digits`` significant digits (28 are kept)."""
    assert value is not None
    target = Fraction(exact)
    return abs(Fraction(value) - target) <= abs(target) * Fraction(1, 10**digits)


# --- [HR] Port of Baltimore: exponential smoothing, MAD, MAPE, bias ---------------------

BALTIMORE = history("180 168 159 175 190 205 180 182")  # tonnage unloaded, quarters 1..8


def test_port_of_baltimore_alpha_010() -> None:
    fit = exponential_smoothing(BALTIMORE, D("0.10"), D("175"))
    # F2 = 175 + .1(180 - 175) = 175.5         F3 = 175.5 + .1(168 - 175.5) = 174.75
    # F4 = 174.75 + .1(159 - 174.75) = 173.175  F5 = 173.175 + .1(175 - 173.175) = 173.3575
    # F6 = 173.3575 + .1(16.6425) = 175.02175    F7 = 175.02175 + .1(29.97825) = 178.019575
    # F8 = 178.019575 + .1(1.980425) = 178.2176175
    # F9 = 178.2176175 + .1(3.7823825) = 178.59585575   (spreadsheet: 178.595856)
    assert fit.fitted == tuple(history(
        "175 175.5 174.75 173.175 173.3575 175.02175 178.019575 178.2176175"))
    assert fit.next == D("178.59585575")
    # |e| = 5 7.5 15.75 1.825 16.6425 29.97825 1.980425 3.7823825, sum 82.4585575 (book
    # 82.45 from rounded forecasts); MAD = 82.4585575 / 8 = 10.3073196875 -> 10.31.
    assert fit.periods == 8  # quarter 1 counts: 175 was forecast before the history
    assert fit.mad == D("10.3073196875")
    assert cents(fit.mad) == D("10.31")
    # e sum = 5 - 7.5 - 15.75 + 1.825 + 16.6425 + 29.97825 + 1.980425 + 3.7823825
    #       = 35.9585575; bias = 4.4948196875 (spreadsheet 4.49482).
    assert fit.bias == D("4.4948196875")
    # 100|e|/A: 5/180 = 2.7778%, 7.5/168 = 4.4643, 15.75/159 = 9.9057, 1.825/175 = 1.0429,
    # 16.6425/190 = 8.7592, 29.97825/205 = 14.6235, 1.980425/180 = 1.1002,
    # 3.7823825/182 = 2.0782; sum 44.7518% (book 44.75%), / 8 = 5.5940% (book 5.59%,
    # spreadsheet 5.593975%).
    pcts = [Fraction(abs(a - f)) / Fraction(a) * 100
            for a, f in zip(BALTIMORE, fit.fitted, strict=True) if f is not None]
    assert close(fit.mape, sum(pcts, Fraction(0)) / 8)
    assert cents(fit.mape) == D("5.59")
    assert fit.mape.quantize(D("0.000001")) == D("5.593975")  # type: ignore[union-attr]
    assert (fit.method, fit.parameter) == (EXPONENTIAL_SMOOTHING, "0.10")


def test_port_of_baltimore_alpha_050() -> None:
    fit = exponential_smoothing(BALTIMORE, D("0.50"), D("175"))
    # F2 = 175 + .5(5) = 177.5          F3 = 177.5 + .5(-9.5) = 172.75
    # F4 = 172.75 + .5(-13.75) = 165.875 F5 = 165.875 + .5(9.125) = 170.4375
    # F6 = 170.4375 + .5(19.5625) = 180.21875  F7 = 180.21875 + .5(24.78125) = 192.609375
    # F8 = 192.609375 + .5(-12.609375) = 186.3046875
    # F9 = 186.3046875 + .5(-4.3046875) = 184.15234375
    assert fit.fitted == tuple(history(
        "175 177.5 172.75 165.875 170.4375 180.21875 192.609375 186.3046875"))
    assert fit.next == D("184.15234375")
    # |e| = 5 9.5 13.75 9.125 19.5625 24.78125 12.609375 4.3046875, sum 98.6328125 (book
    # 98.62 from rounded forecasts); MAD = 12.3291015625 -> 12.33.
    assert fit.mad == D("12.3291015625")
    assert cents(fit.mad) == D("12.33")
    # e sum = 5 - 9.5 - 13.75 + 9.125 + 19.5625 + 24.78125 - 12.609375 - 4.3046875
    #       = 18.3046875; bias = 2.2880859375.
    assert fit.bias == D("2.2880859375")
    # 100|e|/A: 2.7778 5.6548 8.6478 5.2143 10.2961 12.0884 7.0052 2.3652, sum 54.0496%
    # (book 54.05%), / 8 = 6.7562% (book 6.76%, spreadsheet 6.756189%).
    assert cents(fit.mape) == D("6.76")
    assert fit.mape.quantize(D("0.000001")) == D("6.756189")  # type: ignore[union-attr]


def test_port_of_baltimore_prefers_alpha_010() -> None:
    low = exponential_smoothing(BALTIMORE, D("0.10"), D("175"))
    high = exponential_smoothing(BALTIMORE, D("0.50"), D("175"))
    assert low.mad is not None
    assert high.mad is not None
    assert low.mad < high.mad  # [HR]: .10 is preferred because its MAD is smaller


def test_mercedes_dealer_one_step() -> None:
    # [HR] Example 3: 142 forecast, 153 sold, alpha .20: 142 + .2(153 - 142) = 144.2.
    fit = exponential_smoothing([D("153")], D("0.20"), D("142"))
    assert fit.next == D("144.2")
    assert fit.fitted == (D("142"),)
    assert (fit.mad, fit.bias, fit.periods) == (D("11"), D("11"), 1)
    assert close(fit.mape, Fraction(1100, 153))  # 11/153 = 7.189542% (spreadsheet)


# --- [HR] [QA] Donna's / Wallace Garden Supply: 3-month moving average ------------------

SHEDS = history("10 12 13 16 19 23 26 30 28 18 16 14")  # January..December


def test_garden_supply_three_month_moving_average() -> None:
    fit = moving_average(SHEDS, 3)
    # April (10+12+13)/3 = 35/3 = 11 2/3, May 41/3 = 13 2/3, June 48/3 = 16,
    # July 58/3 = 19 1/3, August 68/3 = 22 2/3, September 79/3 = 26 1/3, October 84/3 = 28,
    # November 76/3 = 25 1/3, December 62/3 = 20 2/3; next January (18+16+14)/3 = 16.
    assert fit.fitted[:3] == (None, None, None)
    expected = [35, 41, 48, 58, 68, 79, 84, 76, 62]
    for value, thirds in zip(fit.fitted[3:], expected, strict=True):
        assert close(value, Fraction(thirds, 3))
    printed = history("11.67 13.67 16.00 19.33 22.67 26.33 28.00 25.33 20.67")  # [QA]
    assert [cents(value) for value in fit.fitted[3:]] == printed
    assert fit.next == D("16")
    assert (fit.method, fit.parameter, fit.periods) == (MOVING_AVERAGE, "3", 9)


# --- [HR 4.9] chip prices: 2- and 3-month moving averages compared by MAD ---------------

CHIPS = history("1.80 1.67 1.70 1.85 1.90 1.87 1.80 1.83 1.70 1.65 1.70 1.75")


def test_chip_prices_two_month_moving_average() -> None:
    fit = moving_average(CHIPS, 2)
    # Forecasts March..December 1.735 1.685 1.775 1.875 1.885 1.835 1.815 1.765 1.675
    # 1.675; |e| .035 .165 .125 .005 .085 .005 .115 .115 .025 .075, total .750 (manual),
    # MAD .750 / 10 = .075.
    assert fit.fitted[2:] == tuple(history(
        "1.735 1.685 1.775 1.875 1.885 1.835 1.815 1.765 1.675 1.675"))
    assert fit.mad == D("0.075")
    assert fit.periods == 10
    assert fit.next == D("1.725")  # (1.70 + 1.75) / 2


def test_chip_prices_three_month_moving_average() -> None:
    fit = moving_average(CHIPS, 3)
    # Forecasts April..December (in thirds) 5.17 5.22 5.45 5.62 5.57 5.50 5.33 5.18 5.05;
    # 3|e| = |3A - sum| = .38 .48 .16 .22 .08 .40 .38 .08 .20, total 2.38, so the total
    # |e| is 2.38/3 = .7933 (manual .793) and MAD = 2.38/27 = .08815 (manual .088).
    assert close(fit.mad, Fraction(238, 2700))
    assert fit.mad.quantize(D("0.001")) == D("0.088")  # type: ignore[union-attr]
    assert fit.periods == 9
    assert fit.next == D("1.7")  # (1.65 + 1.70 + 1.75) / 3 = 5.10 / 3


def test_choose_prefers_the_two_month_average_for_chips() -> None:
    # Over the common periods April..December the 2-month |e| total .715 (the .750 less
    # March's .035) beats the 3-month 2.38/3 = .793: [HR 4.9]'s answer, 2-month.
    fit = choose(CHIPS, windows=(2, 3), alphas=())
    assert (fit.method, fit.parameter) == (MOVING_AVERAGE, "2")
    assert fit.mad == D("0.075")  # the winner's own fit: MAD over all its 10 periods


# --- exponential smoothing without an initial forecast ---------------------------------


def test_smoothing_seeded_with_the_first_actual_skips_that_period() -> None:
    fit = exponential_smoothing(history("10 20 20"), D("0.5"))
    # F0 = A0 = 10 forecasts nothing; F1 = 10, e = 10; F2 = 10 + .5(10) = 15, e = 5;
    # next = 15 + .5(5) = 17.5. MAD = 15/2, bias 7.5, MAPE = (50% + 25%)/2 = 37.5.
    assert fit.fitted == (None, D("10"), D("15"))
    assert (fit.next, fit.mad, fit.bias, fit.mape) == (D("17.5"), D("7.5"), D("7.5"),
                                                        D("37.5"))
    assert fit.periods == 2


def test_smoothing_with_alpha_one_is_the_naive_forecast() -> None:
    fit = exponential_smoothing(history("3 7 5"), D("1"))
    assert fit.fitted == (None, D("3"), D("7"))
    assert fit.next == D("5")


# --- choose ------------------------------------------------------------------------------


def test_choose_picks_the_lowest_mad_over_common_periods() -> None:
    fit = choose(BALTIMORE)
    # MA6 has forecasts from quarter 7 (index 6) on, so all compare over quarters 7 and 8:
    #   MA3: 570/3 = 190 (e -10), 575/3 = 191.67 (e -9.67): total 59/3 = 19.67
    #   MA6: 1077/6 = 179.5 (e .5), 1077/6 = 179.5 (e 2.5): total 3
    #   SES seeded with 180: alpha .1: F 180 180 178.8 176.82 176.638 177.9742 180.67678
    #     180.609102, quarters 7-8 |e| .67678 + 1.390898 = 2.067678
    #   alpha .3: ... F7 185.83974, F8 184.087818: 5.83974 + 2.087818 = 7.927558
    #   alpha .5: ... F7 192.6875, F8 186.34375: 12.6875 + 4.34375 = 17.03125
    # SES .1 wins; next = 180.609102 + .1(182 - 180.609102) = 180.7481918.
    assert (fit.method, fit.parameter) == (EXPONENTIAL_SMOOTHING, "0.1")
    assert fit.next == D("180.7481918")
    # Its own MAD is over quarters 2..8: 12 19.8 1.82 13.362 27.0258 .67678 1.390898,
    # total 76.075478, / 7.
    assert close(fit.mad, Fraction(D("76.075478")) / 7)
    assert fit.periods == 7


def test_choose_order_only_breaks_ties() -> None:
    # Same fits as above: alpha .1 (7 quarters |e| 76.075478) beats .5 (96.40625).
    fit = choose(BALTIMORE, windows=(), alphas=(D("0.5"), D("0.1")))
    assert fit.parameter == "0.1"


def test_choose_compares_only_periods_every_candidate_forecasts() -> None:
    actuals = history("0 0 30 30 30 30")
    # MA2: e = 30 15 0 0 (own MAD 45/4 = 11.25); MA3: e = 20 10 0 (own MAD 10).
    # By own MADs MA3 would win; over the common periods 3..5, MA2 15 < MA3 30.
    assert moving_average(actuals, 2).mad == D("11.25")
    assert moving_average(actuals, 3).mad == D("10")
    fit = choose(actuals, windows=(2, 3), alphas=())
    assert fit.parameter == "2"


def test_choose_ties_go_to_the_moving_average_then_alphas_in_order() -> None:
    actuals = history("0 0 0 9")
    # MA3: F3 = 0, e = 9. SES alpha 1 (and .5): F = 0 0 0, e = 0 0 9, own MAD 3, but over
    # the common period 3 both miss by 9: a tie, so the earlier candidate, MA3.
    fit = choose(actuals, windows=(3,), alphas=(D("1"),))
    assert (fit.method, fit.mad) == (MOVING_AVERAGE, D("9"))
    # Among alphas (common periods 1..3, both total 9): the first listed.
    assert choose(actuals, windows=(), alphas=(D("0.5"), D("1"))).parameter == "0.5"
    assert choose(actuals, windows=(), alphas=(D("1"), D("0.5"))).parameter == "1"
    # Among windows: a constant history fits every candidate with MAD 0.
    assert choose(history("5 5 5 5 5 5 5 5"), windows=(6, 3)).parameter == "6"


def test_choose_leaves_out_windows_as_long_as_the_history() -> None:
    actuals = history("4 6 11 9")
    # 4 periods = shortest window + 1: not the mean; MA6 has no forecast and is left out.
    # Period 3: MA3 (4+6+11)/3 = 7, |e| 2. SES .1: F 4 4 4.2 4.88, |e| 4.12;
    # .3: F 4 4 4.6 6.52, |e| 2.48; .5: F 4 4 5 8, |e| 1. SES .5 wins, next 8 + .5 = 8.5.
    fit = choose(actuals)
    assert (fit.method, fit.parameter, fit.next) == (EXPONENTIAL_SMOOTHING, "0.5", D("8.5"))
    assert fit.mad == D("3")  # own: |e| 2 6 1 over periods 1..3


def test_choose_falls_back_to_the_mean_of_a_short_history() -> None:
    fit = choose(history("4 6 11"))  # 3 periods < 3 + 1
    assert fit == Fit(method=MEAN, parameter="3", fitted=(None, None, None), next=D("7"),
                      mad=None, mape=None, bias=None, periods=0)
    assert choose(history("4 6 11"), windows=(2,)).method == MOVING_AVERAGE
    assert choose([], windows=(), alphas=(D("0.3"),)).next == 0
    assert choose(history("8"), windows=(), alphas=(D("0.3"),)).method == MEAN


def test_empty_and_zero_histories_forecast_zero() -> None:
    empty = choose([])
    assert (empty.method, empty.parameter, empty.next, empty.fitted) == (MEAN, "0", D("0"), ())
    assert choose(history("0 0")).next == 0
    zero = choose(history("0 0 0 0 0 0 0 0"))
    assert (zero.next, zero.mad, zero.bias, zero.mape) == (D("0"), D("0"), D("0"), None)
    assert zero.periods == 5  # MA3, the first of the tied candidates


def test_mape_skips_zero_actuals() -> None:
    actuals = history("4 0 8 10")
    # Naive (1-period average): F = - 4 0 8, e = -4 8 2. MAD 14/3, bias 6/3 = 2;
    # MAPE skips period 1 (actual 0): (8/8 + 2/10)/2 x 100 = (100 + 20)/2 = 60.
    for fit in (moving_average(actuals, 1), choose(actuals, windows=(1,), alphas=())):
        assert fit.fitted == (None, D("4"), D("0"), D("8"))
        assert close(fit.mad, Fraction(14, 3))
        assert (fit.bias, fit.mape, fit.periods) == (D("2"), D("60"), 3)


def test_the_callers_decimal_context_is_ignored() -> None:
    with localcontext() as ctx:
        ctx.prec = 3
        fit = exponential_smoothing(BALTIMORE, D("0.10"), D("175"))
        average = moving_average(SHEDS, 3)
    assert fit.next == D("178.59585575")
    assert close(average.fitted[3], Fraction(35, 3))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: moving_average(SHEDS, 0), "window"),
    (lambda: moving_average(SHEDS, True), "window"),
    (lambda: moving_average(history("1 2"), 3), "at least 3"),
    (lambda: exponential_smoothing(SHEDS, D("0")), "alpha"),
    (lambda: exponential_smoothing(SHEDS, D("1.5")), "alpha"),
    (lambda: exponential_smoothing([], D("0.3")), "initial"),
    (lambda: exponential_smoothing(SHEDS, D("0.3"), D("NaN")), "finite"),
    (lambda: choose([D("1"), D("Infinity")]), "finite"),
    (lambda: choose(SHEDS, windows=(), alphas=()), "at least one"),
])
def test_bad_arguments_are_refused(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_a_float_is_refused() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        choose([D("1"), 2.5])  # type: ignore[list-item]


def test_smoothing_an_empty_history_from_an_initial_forecast() -> None:
    fit = exponential_smoothing([], D("0.3"), D("12"))
    assert (fit.next, fit.fitted, fit.mad, fit.periods) == (D("12"), (), None, 0)


# --- properties --------------------------------------------------------------------------

quantities = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False,
                         allow_infinity=False)
factors = st.decimals(min_value=D("0.01"), max_value=1000, places=2, allow_nan=False,
                      allow_infinity=False)


@given(st.lists(quantities, max_size=30), factors)
def test_scaling_the_history_scales_the_forecast_and_mad(actuals: list[Decimal],
                                                        k: Decimal) -> None:
    fit = choose(actuals)
    scaled = choose([k * a for a in actuals])  # exact: at most 14 digits
    assert (scaled.method, scaled.parameter, scaled.periods) == (
        fit.method, fit.parameter, fit.periods)
    assert close(scaled.next, Fraction(k) * Fraction(fit.next))
    if fit.mad is None:
        assert scaled.mad is None
    else:
        assert close(scaled.mad, Fraction(k) * Fraction(fit.mad))
    assert scaled.mape == fit.mape  # a ratio: unchanged
    assert len(fit.fitted) == len(actuals)
    assert fit.periods == sum(f is not None for f in fit.fitted)


@given(quantities, st.integers(min_value=1, max_value=30))
def test_a_constant_history_forecasts_that_constant(level: Decimal, n: int) -> None:
    fit = choose([level] * n)
    assert fit.next == level
    if n >= 4:
        assert (fit.mad, fit.bias) == (D("0"), D("0"))
    else:
        assert fit.method == MEAN
    for window in range(1, n + 1):
        assert moving_average([level] * n, window).next == level
    smoothed = exponential_smoothing([level] * n, D("0.3"))
    assert smoothed.next == level
    assert smoothed.mad == (0 if n > 1 else None)
