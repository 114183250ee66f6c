"""Demand forecasts from sales history, the forecast input of MRP.

A history is one actual A[t] per period, oldest first (t = 0 .. n-1). Each method makes a
one-step-ahead forecast F[t] of the periods it can, and ``next``, the forecast of every
future period (these methods forecast a level, not a trend or a season).

- Moving average of ``w`` periods: F[t] = (A[t-w] + ... + A[t-1]) / w for t >= w;
  next = the mean of the last ``w`` actuals. The first ``w`` periods have no forecast.
- Simple exponential smoothing with ``alpha`` (0 < alpha <= 1): F[0] = ``initial``,
  F[t+1] = F[t] + alpha x (A[t] - F[t]); next = F[n]. With a given ``initial`` (a forecast
  made before the history starts) period 0 counts, as in Heizer & Render's Port of
  Baltimore example. Without one, F[0] is A[0] itself, which forecasts nothing: period 0
  has no forecast, so its error (zero by construction) does not flatter the fit.
- Errors e[t] = A[t] - F[t] over the ``periods`` that have a forecast: MAD = mean of
  |e|; bias = mean of e (above zero: the forecasts ran low); MAPE = mean of
  100 x |e| / |A| over those periods whose actual is not zero, a percentage. Each is None
  when no period qualifies.
- ``choose`` fits every candidate (moving averages in window order, then smoothing in
  alpha order, seeded with the first actual) and keeps the one with the lowest sum of |e|
  over the periods where every candidate has a forecast; a tie goes to the earlier
  candidate. A window as long as the history has no forecast and is left out. With fewer
  periods than the shortest window + 1 it falls back to the mean of the history ("mean",
  no errors; zero for an empty history). It returns the winner's own fit: its MAD is over
  all its periods, not only the compared ones.

Sums, differences and products are exact (so smoothing is exact: each step adds alpha's
decimal places). A division keeps 28 significant digits and every reported figure is
divided once: a moving average's errors are kept as w x A[t] - (window sum), exact, and
its MAD and bias divide that sum once. ``choose`` compares sums exactly (cross-multiplied
by the windows), so its choice never hangs on a rounding and scaling the history by a
positive k never changes it. Nothing is rounded to a currency or unit: callers round when
they display.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal
from typing import NamedTuple

MOVING_AVERAGE = "moving-average"
EXPONENTIAL_SMOOTHING = "exponential-smoothing"
MEAN = "mean"

DEFAULT_WINDOWS: tuple[int, ...] = (3, 6)
"""Moving-average windows ``choose`` tries, in tie-break order."""
DEFAULT_ALPHAS: tuple[Decimal, ...] = (Decimal("0.1"), Decimal("0.3"), Decimal("0.5"))
"""Smoothing constants ``choose`` tries after the moving averages, in tie-break order."""

# Sums, differences and products never round in this context. Both contexts are used
# explicitly, so the caller's context (precision, traps) is ignored.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_EVEN)
# Divisions keep Decimal's default 28 significant digits, whatever the caller has set.
_DIVISION = Context(prec=28, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_EVEN)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True, kw_only=True)
class Fit:
    """One method fitted to a history: its forecasts and how far they missed."""

    method: str
    """``moving-average``, ``exponential-smoothing`` or ``mean``."""
    parameter: str
    """The window (``"3"``), the alpha (``"0.3"``), or how many periods a mean averages."""
    fitted: tuple[Decimal | None, ...]
    """The one-step-ahead forecast of each past period; None where there is none."""
    next: Decimal
    """The forecast of every future period."""
    mad: Decimal | None
    """Mean absolute deviation over the periods with a forecast."""
    mape: Decimal | None
    """Mean absolute percentage error, in percent, over those with a non-zero actual."""
    bias: Decimal | None
    """Mean error, actual - forecast."""
    periods: int
    """How many periods have a forecast (MAD and bias average over these)."""


class _Errors(NamedTuple):
    """Each period's error x ``scale`` (exact), None where there is no forecast."""

    scaled: tuple[Decimal | None, ...]
    scale: int


def moving_average(history: Sequence[Decimal], window: int) -> Fit:
    """Fit a ``window``-period moving average; the history must be at least that long."""
    actuals = _actuals(history)
    _check_window(window)
    if len(actuals) < window:
        raise ValueError(f"a {window}-period moving average needs at least {window} periods"
                         f" of history, got {len(actuals)}")
    return _moving_average(actuals, window)[0]


def exponential_smoothing(history: Sequence[Decimal], alpha: Decimal,
                          initial: Decimal | None = None) -> Fit:
    """Fit simple exponential smoothing; ``initial`` is F[0], by default the first actual."""
    actuals = _actuals(history)
    _check_alpha(alpha)
    if initial is not None:
        _check_number(initial, "initial")
    elif not actuals:
        raise ValueError("exponential smoothing needs a period of history or an initial"
                         " forecast")
    return _exponential_smoothing(actuals, alpha, initial)[0]


def choose(history: Sequence[Decimal], *, windows: Sequence[int] = DEFAULT_WINDOWS,
           alphas: Sequence[Decimal] = DEFAULT_ALPHAS) -> Fit:
    """Fit every candidate and return the one with the lowest MAD over common periods.

    Candidates are the moving averages of ``windows`` shorter than the history, then
    smoothing with each of ``alphas`` seeded with the first actual. They are compared by
    the sum of |error| over the periods where all of them have a forecast; ties go to the
    earlier candidate. A history shorter than the shortest window + 1 (2 without windows)
    gets its mean instead.
    """
    actuals = _actuals(history)
    for window in windows:
        _check_window(window)
    for alpha in alphas:
        _check_alpha(alpha)
    if not windows and not alphas:
        raise ValueError("choose needs at least one window or alpha")
    if len(actuals) < min(windows, default=1) + 1:
        return _mean(actuals)
    candidates = [_moving_average(actuals, w) for w in windows if w < len(actuals)]
    candidates += [_exponential_smoothing(actuals, alpha, None) for alpha in alphas]
    # Every candidate has a forecast from its first one on; compare from the latest first.
    start = max(_first_forecast(errors) for _, errors in candidates)
    best, best_errors = candidates[0]
    best_total = _absolute_sum(best_errors.scaled[start:])
    for fit, errors in candidates[1:]:
        total = _absolute_sum(errors.scaled[start:])
        # total / scale < best_total / best_scale, without dividing.
        if (_EXACT.multiply(total, Decimal(best_errors.scale))
                < _EXACT.multiply(best_total, Decimal(errors.scale))):
            best, best_errors, best_total = fit, errors, total
    return best


def _moving_average(actuals: tuple[Decimal, ...], window: int) -> tuple[Fit, _Errors]:
    width = Decimal(window)
    fitted: list[Decimal | None] = [None] * window
    scaled: list[Decimal | None] = [None] * window
    total = _sum(actuals[:window])  # the sum of actuals[t - window : t]
    for t in range(window, len(actuals)):
        fitted.append(_DIVISION.divide(total, width))
        scaled.append(_EXACT.subtract(_EXACT.multiply(actuals[t], width), total))
        total = _EXACT.subtract(_EXACT.add(total, actuals[t]), actuals[t - window])
    errors = _Errors(tuple(scaled), window)
    return _fit(actuals, errors, method=MOVING_AVERAGE, parameter=str(window),
                fitted=tuple(fitted), level=_DIVISION.divide(total, width)), errors


def _exponential_smoothing(actuals: tuple[Decimal, ...], alpha: Decimal,
                           initial: Decimal | None) -> tuple[Fit, _Errors]:
    weight = _EXACT.normalize(alpha)  # 0.10 as 0.1: no trailing zeros pile up
    forecast = actuals[0] if initial is None else initial
    first = 0 if initial is not None else 1  # a seed taken from A[0] forecasts nothing
    fitted: list[Decimal | None] = []
    scaled: list[Decimal | None] = []
    for t, actual in enumerate(actuals):
        error = _EXACT.subtract(actual, forecast)
        fitted.append(forecast if t >= first else None)
        scaled.append(error if t >= first else None)
        forecast = _EXACT.add(forecast, _EXACT.multiply(weight, error))
    errors = _Errors(tuple(scaled), 1)
    return _fit(actuals, errors, method=EXPONENTIAL_SMOOTHING, parameter=f"{alpha:f}",
                fitted=tuple(fitted), level=forecast), errors


def _mean(actuals: tuple[Decimal, ...]) -> Fit:
    count = len(actuals)
    level = _DIVISION.divide(_sum(actuals), Decimal(count)) if count else _ZERO
    return Fit(method=MEAN, parameter=str(count), fitted=(None,) * count, next=level,
               mad=None, mape=None, bias=None, periods=0)


def _fit(actuals: tuple[Decimal, ...], errors: _Errors, *, method: str,  # noqa: PLR0913
         parameter: str, fitted: tuple[Decimal | None, ...], level: Decimal) -> Fit:
    """Summarise the errors: MAD, MAPE and bias, each one division of an exact sum."""
    pairs = [(a, e) for a, e in zip(actuals, errors.scaled, strict=True) if e is not None]
    if not pairs:
        return Fit(method=method, parameter=parameter, fitted=fitted, next=level, mad=None,
                   mape=None, bias=None, periods=0)
    scale = Decimal(errors.scale)
    count = _EXACT.multiply(scale, Decimal(len(pairs)))
    percentages = [
        _DIVISION.divide(_EXACT.multiply(_HUNDRED, e.copy_abs()),
                         _EXACT.multiply(scale, a.copy_abs()))
        for a, e in pairs if not a.is_zero()
    ]
    mape = (_DIVISION.divide(_sum(percentages), Decimal(len(percentages)))
            if percentages else None)
    return Fit(method=method, parameter=parameter, fitted=fitted, next=level,
               mad=_DIVISION.divide(_absolute_sum(e for _, e in pairs), count),
               mape=mape, bias=_DIVISION.divide(_sum(e for _, e in pairs), count),
               periods=len(pairs))


def _first_forecast(errors: _Errors) -> int:
    return next(t for t, e in enumerate(errors.scaled) if e is not None)


def _sum(values: Iterable[Decimal]) -> Decimal:
    total = _ZERO
    for value in values:
        total = _EXACT.add(total, value)
    return total


def _absolute_sum(values: Iterable[Decimal | None]) -> Decimal:
    return _sum(v.copy_abs() for v in values if v is not None)


def _actuals(history: Sequence[Decimal]) -> tuple[Decimal, ...]:
    for number, value in enumerate(history, start=1):
        _check_number(value, f"period {number}")
    return tuple(history)


def _check_number(value: Decimal, what: str) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value}")


def _check_window(window: int) -> None:
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"a window must be a whole number of periods, 1 or more, got"
                         f" {window!r}")


def _check_alpha(alpha: Decimal) -> None:
    _check_number(alpha, "alpha")
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be more than 0 and at most 1, got {alpha}")
