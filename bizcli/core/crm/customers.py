"""Customer analytics from invoices: RFM scores, segments, churn and lifetime value.

Every figure has a published definition a user can redo by hand. Only invoices and costs
dated on or before ``as_of`` count; a customer is scored when it has at least one invoice.

- Recency = days from the last invoice to ``as_of``; frequency = number of invoices;
  monetary = sum of invoice amounts (net of tax).
- R, F and M are quintile scores 1..5 by competition rank, worst to best:
  ``score = floor(5 * (rank - 1) / n) + 1``, where rank = 1 + customers strictly worse.
  Tied customers share a rank, so they always share a score.
- The segment comes from R and F by the first matching rule of ``SEGMENTS``.
- Churned: recency beyond ``k`` x the median gap between distinct invoice dates, or beyond
  ``fallback_days`` for a customer invoiced on one date only.
- Lifetime value: gross margin to date (invoiced - cost of goods, returns negative), and a
  projection over ``horizon_years`` of the margin per year (zero once churned).

Sums and products are exact; the one division (margin per year) keeps 28 significant
digits. Rounding to the currency happens only when a report prints.
"""

from __future__ import annotations

import datetime as dt
import enum
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    localcontext,
)
from itertools import compress
from operator import sub
from typing import NamedTuple, TypeVar

DEFAULT_K = Decimal(2)
"""How many usual intervals without an invoice make a customer churned."""
DEFAULT_FALLBACK_DAYS = 180
"""Days without an invoice that make a customer invoiced on one date only churned."""
DEFAULT_HORIZON_YEARS = Decimal(3)
"""Years the projected lifetime value looks ahead."""

SEGMENTS: tuple[tuple[str, str], ...] = (
    ("champions", "R>=4 and F>=4: bought recently and often"),
    ("loyal", "R>=3 and F>=3: buys regularly"),
    ("new", "R>=4 and F==1: a first purchase, recently"),
    ("promising", "R>=4 (so F==2): recent, a second purchase"),
    ("at_risk", "R<=2 and F>=3: used to buy often, not lately"),
    ("needs_attention", "R==3 (so F<=2): neither recent nor frequent"),
    ("hibernating", "R==2 (so F<=2): few purchases, a while ago"),
    ("lost", "R==1 (so F<=2): few purchases, long ago"),
)
"""Segments in rule order: (name, rule and meaning). The first rule that matches wins."""

# Sums and products are exact: this context never rounds a sum or a product of amounts.
# Both contexts are used explicitly, so the caller's context (precision, traps) is ignored;
# the status flags they collect are never read.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_EVEN)
# Divisions keep Decimal's default 28 digits, whatever context the caller has set.
_DIVISION = Context(prec=28, rounding=ROUND_HALF_EVEN)
_ZERO = Decimal(0)
_TWO = Decimal(2)
_DAYS_PER_YEAR = 365
_YEAR = Decimal(_DAYS_PER_YEAR)

_Metric = TypeVar("_Metric", int, Decimal)


class Sale(NamedTuple):
    """One invoice: the customer, its date and its amount net of tax."""

    customer: str
    date: dt.date
    amount: Decimal


class Cost(NamedTuple):
    """Cost of goods shipped to a customer on a date (negative for a return)."""

    customer: str
    date: dt.date
    cost: Decimal


class ChurnRule(str, enum.Enum):
    """Which threshold decided churn."""

    INTERVAL = "interval"
    FALLBACK = "fallback"


class Churn(NamedTuple):
    """Whether a customer has churned, and the figures that decided it."""

    recency_days: int
    usual_interval: Decimal | None
    threshold: Decimal
    rule: ChurnRule
    churned: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerScore:
    """One customer's RFM scores, segment, churn verdict and lifetime value as of a date."""

    customer: str
    first: dt.date
    last: dt.date
    recency_days: int
    frequency: int
    monetary: Decimal
    r: int
    f: int
    m: int
    segment: str
    usual_interval: Decimal | None
    churn_threshold: Decimal
    churn_rule: ChurnRule
    churned: bool
    cost: Decimal
    gross_margin: Decimal
    tenure_days: int
    projected_value: Decimal


class _History(NamedTuple):
    """A customer's invoices up to ``as_of``: distinct date ordinals (sorted), count, total."""

    days: list[int]
    frequency: int
    monetary: Decimal


class _Parameters(NamedTuple):
    as_of: dt.date
    k: Decimal
    fallback_days: int
    horizon_years: Decimal


def quintile_scores(values: Mapping[str, _Metric], higher_is_better: bool) -> dict[str, int]:
    """Score each key 1..5 by the quintile of its value's competition rank.

    Keys are ordered worst to best (smaller is worse when ``higher_is_better``, larger is
    worse otherwise). rank = 1 + number of keys strictly worse, so ties share the lowest
    rank, and score = floor(5 * (rank - 1) / n) + 1 for n keys. Tied values always get the
    same score. With one key the score is 1: a lone customer cannot be ranked against
    anyone.
    """
    n = len(values)
    ordered = sorted(values.values())
    scores: dict[str, int] = {}
    for key, value in values.items():
        if higher_is_better:
            worse = bisect_left(ordered, value)
        else:
            worse = n - bisect_right(ordered, value)
        scores[key] = 5 * worse // n + 1  # rank - 1 == worse; integer floor division
    return scores


def segment_of(r: int, f: int) -> str:
    """Name the segment of recency score ``r`` and frequency score ``f`` (each 1..5).

    First matching rule wins: champions R>=4 and F>=4; loyal R>=3 and F>=3; new R>=4 and
    F==1; promising R>=4 (F==2 here); at_risk R<=2 and F>=3; needs_attention R==3;
    hibernating R==2; lost R==1. The monetary score names no segment.
    """
    if not (1 <= r <= 5 and 1 <= f <= 5):
        raise ValueError(f"scores must be 1..5, got R={r} F={f}")
    if r >= 4 and f >= 4:
        return "champions"
    if r >= 3 and f >= 3:
        return "loyal"
    if r >= 4 and f == 1:
        return "new"
    if r >= 4:
        return "promising"
    if r <= 2 and f >= 3:
        return "at_risk"
    if r == 3:
        return "needs_attention"
    return "hibernating" if r == 2 else "lost"


def churn(invoice_dates: Iterable[dt.date], as_of: dt.date, *, k: Decimal = DEFAULT_K,
          fallback_days: int = DEFAULT_FALLBACK_DAYS) -> Churn:
    """Decide whether a customer with these invoice dates has churned by ``as_of``.

    Take the distinct invoice dates on or before ``as_of``, sorted; the gaps are the days
    between consecutive ones. With at least one gap, usual_interval = median of the gaps (a
    .5 when the middle two differ by an odd number), threshold = k x usual_interval, rule
    "interval". With a single date, usual_interval is None, threshold = fallback_days, rule
    "fallback". Churned when recency_days (``as_of`` - last date) > threshold. Raises
    ValueError when no date is on or before ``as_of``.
    """
    _check_churn_parameters(k, fallback_days)
    days = sorted({date.toordinal() for date in invoice_dates if date <= as_of})
    if not days:
        raise ValueError(f"no invoice dated on or before {as_of}")
    return _churn(days, as_of.toordinal(), k, fallback_days)


def projected_value(gross_margin: Decimal, tenure_days: int, *,
                    horizon_years: Decimal = DEFAULT_HORIZON_YEARS,
                    churned: bool = False) -> Decimal:
    """Project a customer's gross margin over ``horizon_years``.

    margin_per_year = gross_margin x 365 / max(tenure_days, 365), so a customer younger
    than a year is not extrapolated beyond its margin so far; projected = margin_per_year x
    horizon_years, and 0 for a churned customer (not expected to buy again). The division
    keeps 28 significant digits; the products are exact.
    """
    if churned:
        return _ZERO
    per_year = _DIVISION.divide(_EXACT.multiply(gross_margin, _YEAR),
                                Decimal(max(tenure_days, _DAYS_PER_YEAR)))
    return _EXACT.multiply(per_year, horizon_years)


def score_customers(  # noqa: PLR0913 -- the three documented knobs of the definitions
    sales: Iterable[Sale], costs: Iterable[Cost], as_of: dt.date, *,
    k: Decimal = DEFAULT_K, fallback_days: int = DEFAULT_FALLBACK_DAYS,
    horizon_years: Decimal = DEFAULT_HORIZON_YEARS,
) -> list[CustomerScore]:
    """Score every customer with an invoice on or before ``as_of``, sorted by customer.

    Recency, frequency and monetary are scored by ``quintile_scores`` over the customers
    scored (recency: more days is worse), the segment by ``segment_of``, churn by ``churn``
    (``k``, ``fallback_days``). Cost sums the costs dated on or before ``as_of``;
    gross_margin = monetary - cost; tenure_days = ``as_of`` - first invoice date; the
    projection is ``projected_value`` (``horizon_years``). Costs of customers with no
    invoice are ignored.
    """
    _check_churn_parameters(k, fallback_days)
    if not (horizon_years.is_finite() and horizon_years >= 0):
        raise ValueError(f"horizon_years must be zero or more, got {horizon_years}")
    parameters = _Parameters(as_of, k, fallback_days, horizon_years)
    histories = _histories(sales, as_of)
    cost_by_customer = _costs(costs, as_of)
    today = as_of.toordinal()
    recency = {c: today - h.days[-1] for c, h in histories.items()}
    r = quintile_scores(recency, higher_is_better=False)
    f = quintile_scores({c: h.frequency for c, h in histories.items()}, higher_is_better=True)
    m = quintile_scores({c: h.monetary for c, h in histories.items()}, higher_is_better=True)
    return [
        _score(customer, histories[customer], (r[customer], f[customer], m[customer]),
               cost_by_customer.get(customer, _ZERO), parameters)
        for customer in sorted(histories)
    ]


def _score(customer: str, history: _History, rfm: tuple[int, int, int], cost: Decimal,
           parameters: _Parameters) -> CustomerScore:
    today = parameters.as_of.toordinal()
    verdict = _churn(history.days, today, parameters.k, parameters.fallback_days)
    gross_margin = _EXACT.subtract(history.monetary, cost)
    tenure_days = today - history.days[0]
    return CustomerScore(
        customer=customer, first=dt.date.fromordinal(history.days[0]),
        last=dt.date.fromordinal(history.days[-1]),
        recency_days=verdict.recency_days, frequency=history.frequency,
        monetary=history.monetary, r=rfm[0], f=rfm[1], m=rfm[2],
        segment=segment_of(rfm[0], rfm[1]), usual_interval=verdict.usual_interval,
        churn_threshold=verdict.threshold, churn_rule=verdict.rule, churned=verdict.churned,
        cost=cost, gross_margin=gross_margin, tenure_days=tenure_days,
        projected_value=projected_value(gross_margin, tenure_days,
                                        horizon_years=parameters.horizon_years,
                                        churned=verdict.churned),
    )


def _histories(sales: Iterable[Sale], as_of: dt.date) -> dict[str, _History]:
    """Group invoices by customer in one pass, then summarise each customer's invoices."""
    rows_by_customer: defaultdict[str, list[Sale]] = defaultdict(list)
    for sale in sales:  # the hot loop: one dict lookup and one append per invoice
        rows_by_customer[sale[0]].append(sale)
    histories: dict[str, _History] = {}
    with localcontext(_EXACT):  # the sums below never round; no caller code runs in here
        for customer, rows in rows_by_customer.items():
            _, dates, amounts = _columns(rows)  # touch each (scattered) row once
            # Filtered per customer, while its rows are in cache: only the customers with
            # an invoice after as_of pay for it, and the hot loop above stays minimal.
            if max(dates) > as_of:
                kept = list(compress(rows, map(as_of.__ge__, dates)))
                if not kept:
                    continue
                _, dates, amounts = _columns(kept)
            # Day numbers (date ordinals) from here on: gaps are plain int subtractions.
            days = sorted(map(dt.date.toordinal, set(dates)))
            histories[customer] = _History(days, len(dates), sum(amounts, _ZERO))
    return histories


def _columns(rows: list[Sale]) -> tuple[tuple[str, ...], tuple[dt.date, ...], tuple[Decimal, ...]]:
    """Transpose invoices into (customers, dates, amounts)."""
    customers, dates, amounts = zip(*rows, strict=True)
    return customers, dates, amounts


def _costs(costs: Iterable[Cost], as_of: dt.date) -> dict[str, Decimal]:
    """Sum the costs dated on or before ``as_of`` per customer."""
    totals: dict[str, Decimal] = {}
    add = _EXACT.add
    for customer, date, cost in costs:
        if date <= as_of:
            totals[customer] = add(totals.get(customer, _ZERO), cost)
    return totals


def _churn(days: list[int], today: int, k: Decimal, fallback_days: int) -> Churn:
    """``churn`` over distinct date ordinals, sorted and none after ``today``."""
    recency_days = today - days[-1]
    if len(days) == 1:
        return Churn(recency_days, None, Decimal(fallback_days), ChurnRule.FALLBACK,
                     recency_days > fallback_days)
    gaps = sorted(map(sub, days[1:], days))  # map stops at the shorter: consecutive pairs
    middle = len(gaps) // 2
    if len(gaps) % 2:
        usual = Decimal(gaps[middle])
    else:  # the mean of the middle two, as statistics.median; exact (a whole or a .5)
        usual = _DIVISION.divide(Decimal(gaps[middle - 1] + gaps[middle]), _TWO)
    threshold = _EXACT.multiply(k, usual)
    return Churn(recency_days, usual, threshold, ChurnRule.INTERVAL, recency_days > threshold)


def _check_churn_parameters(k: Decimal, fallback_days: int) -> None:
    if not (k.is_finite() and k > 0):
        raise ValueError(f"k must be more than zero, got {k}")
    if fallback_days < 1:
        raise ValueError(f"fallback_days must be 1 or more, got {fallback_days}")
