"""Predicted win probability of open deals, learned from the book's own closed deals.

A naive Bayes estimate that explains itself: a prior from the deals that got as far as this
one, times one likelihood ratio per factor. Every number can be redone by hand:

- Everything is judged as of a day ``as_of``: history lines dated after it are ignored, and
  a deal created after it does not exist.
- Closed deals are those whose history (up to ``as_of``) ends in won or lost; the others
  are open. An open deal's stage S is its stage on ``as_of``.
- A deal *reached* open stage S when its history contains S or an open stage after S, or
  ends in won (won is beyond every open stage). Skipping a stage counts as passing it; a
  lost deal reached the stages up to the furthest open stage it was in (a deal won, then
  reopened and lost, is lost).
- The training set T_S of an open deal in stage S is the closed deals that reached S. The
  stage selects the training deals rather than being a factor: a closed deal's last open
  stage says how far it got before it was decided (a won deal may skip stages, a lost one
  stops early), which is not comparable to where an undecided deal stands today. Only deals
  that got at least as far as this one say how deals from here end.
- Prior, with Laplace smoothing (alpha 1): P(won | S) = (won in T_S + 1) / (|T_S| + 2).
- Factors: source, owner and customer segment (from a mapping customer code -> segment); a
  None source or owner, and a customer the mapping does not know, take the value
  ``(none)``. For factor f with value v:
  P(v | won) = (won deals in T_S with f = v + 1) / (won in T_S + K_f), P(v | lost) likewise,
  where K_f = the number of distinct values of f in T_S, plus one for a value never seen.
  The factor's likelihood ratio is P(v | won) / P(v | lost).
- A factor that takes a single value across all of T_S cannot tell won from lost: it is left
  out (ratio 1). Smoothing alone would give it (w + 1)(l + K) / ((l + 1)(w + K)), which
  only echoes the won/lost imbalance the prior already counts.
- Posterior odds = prior odds x the product of the ratios, where prior odds =
  (won + 1) / (lost + 1); probability = odds / (1 + odds), in percent.
- No prediction, with the reason, when |T_S| < ``min_closed`` (default 10) or T_S has no
  won or no lost deal: never a made-up number.

Counts, fractions and their products are exact integers; each ratio shown, the prior and
the probability are one Decimal division each, with Decimal's default context (28
significant digits, half-even) whatever context the caller has set. The probability stays
strictly between 0 and 100 for any book of fewer than a million closed deals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import NamedTuple

from bizcli.core.crm.deals import LOST, WON, CrmSettings, Deal, StageChange

FACTORS = ("source", "owner", "segment")
"""The factors weighed, in the order a prediction lists them."""
NONE = "(none)"
"""The value of a missing source, owner or customer segment."""
DEFAULT_MIN_CLOSED = 10
"""Fewest closed deals that must have reached a stage to predict deals in it."""

# Divisions keep Decimal's default 28 digits, whatever context the caller has set.
_DIVISION = Context(prec=28, rounding=ROUND_HALF_EVEN)
_ONE = Decimal(1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Factor:
    """One factor of an open deal: its value and likelihood ratio (above 1 favours won)."""

    name: str
    value: str
    ratio: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Prediction:
    """An open deal's predicted win probability and how it came about."""

    stage: str
    """The deal's stage S on ``as_of``: the training set is the closed deals that reached it."""
    probability: Decimal
    """Percent, 0-100 exclusive."""
    prior: Decimal
    """Percent: the smoothed share of won deals in the training set, before the factors."""
    closed: int
    won: int
    lost: int
    factors: tuple[Factor, ...]


class Evidence(NamedTuple):
    """A factor value weighed against a training set: the ratio as an exact fraction."""

    factor: Factor
    numerator: int
    denominator: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TrainingSet:
    """T_S: the closed deals that reached one open stage, counted per factor value."""

    stage: str
    won: int
    lost: int
    counts: Mapping[str, Mapping[str, tuple[int, int]]]
    """Factor name -> value -> (won, lost) deals with that value."""
    evidence: Mapping[str, Mapping[str, Evidence]]
    """Factor name -> value seen in T_S -> its ratio, precomputed."""
    prior: Decimal
    """Percent: (won + 1) / (|T_S| + 2)."""
    reason: str | None
    """Why there is no prediction for deals in this stage; None when there is one."""

    @property
    def closed(self) -> int:
        """|T_S|."""
        return self.won + self.lost

    def weigh(self, name: str, value: str) -> Evidence:
        """The likelihood ratio of ``name`` = ``value`` (a value never seen too)."""
        known = self.evidence[name].get(value)
        if known is not None:
            return known
        return _evidence(name, value, (0, 0), (self.won, self.lost), len(self.counts[name]))


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """What the closed deals taught as of a day: one training set per open stage."""

    as_of: dt.date
    min_closed: int
    training: Mapping[str, TrainingSet]
    """Open stage name -> T_S, in pipeline order."""


def train(deals: Iterable[Deal], crm: CrmSettings, as_of: dt.date,
          segments: Mapping[str, str], *, min_closed: int = DEFAULT_MIN_CLOSED) -> Model:
    """Count the deals closed by ``as_of`` into one training set per open stage."""
    index = {stage.name: n for n, stage in enumerate(crm.stages)}
    beyond = len(crm.stages)
    # One pass; deals are grouped by (furthest stage, won, factor values), so what follows
    # runs over the distinct groups only.
    groups: dict[tuple[int, bool, str, str, str], int] = {}
    for deal in deals:
        stage, furthest = _reach(deal.history, as_of, index)
        if stage == WON:
            key = (beyond, True, *_values(deal, segments))
        elif stage == LOST and furthest >= 0:
            key = (furthest, False, *_values(deal, segments))
        else:  # open, not yet created, or lost before any open stage: reached none
            continue
        groups[key] = groups.get(key, 0) + 1
    training: dict[str, TrainingSet] = {}
    # T_S holds the deals whose furthest stage is S or later: sum from the last stage down.
    won = lost = 0
    counts: list[dict[str, list[int]]] = [{} for _ in FACTORS]
    by_level = sorted(groups.items(), reverse=True)
    at = 0
    for level in range(beyond, -1, -1):
        while at < len(by_level) and by_level[at][0][0] == level:
            (_, is_won, *values), number = by_level[at]
            won, lost = (won + number, lost) if is_won else (won, lost + number)
            for tally, value in zip(counts, values, strict=True):
                tally.setdefault(value, [0, 0])[0 if is_won else 1] += number
            at += 1
        if level < beyond:
            name = crm.stages[level].name
            training[name] = _training_set(name, won, lost, counts, min_closed)
    return Model(as_of=as_of, min_closed=min_closed,
                 training={stage.name: training[stage.name] for stage in crm.stages})


def predict(model: Model, deal: Deal, segments: Mapping[str, str]) -> Prediction | str:
    """The deal's win probability as of the model's day, or why there is none."""
    stage = _stage_on(deal.history, model.as_of)
    training = model.training.get(stage) if stage is not None else None
    if training is None:
        return _not_open(deal, stage, model.as_of)
    if training.reason is not None:
        return training.reason
    numerator, denominator = training.won + 1, training.lost + 1
    factors = []
    for name, value in zip(FACTORS, _values(deal, segments), strict=True):
        weighed = training.weigh(name, value)
        numerator *= weighed.numerator
        denominator *= weighed.denominator
        factors.append(weighed.factor)
    return Prediction(
        stage=training.stage,
        probability=_DIVISION.divide(Decimal(100 * numerator), Decimal(numerator + denominator)),
        prior=training.prior, closed=training.closed, won=training.won, lost=training.lost,
        factors=tuple(factors))


def _stage_on(history: Sequence[StageChange], as_of: dt.date) -> str | None:
    """The stage on ``as_of``; None before the deal was created."""
    if history and history[-1].date <= as_of:  # the usual case: nothing after as_of
        return history[-1].stage
    stage = None
    for change in history:
        if change.date > as_of:
            break
        stage = change.stage
    return stage


def _reach(history: Sequence[StageChange], as_of: dt.date,
           index: Mapping[str, int]) -> tuple[str | None, int]:
    """The stage on ``as_of`` (None: not created yet) and the furthest open stage's index."""
    stage, furthest = None, -1
    for change in history:
        if change.date > as_of:
            break
        stage = change.stage
        furthest = max(furthest, index.get(stage, -1))
    return stage, furthest


def _values(deal: Deal, segments: Mapping[str, str]) -> tuple[str, str, str]:
    """The deal's value of each factor, in the order of ``FACTORS``."""
    return (NONE if deal.source is None else deal.source,
            NONE if deal.owner is None else deal.owner,
            segments.get(deal.customer, NONE))


def _training_set(stage: str, won: int, lost: int, counts: Sequence[Mapping[str, list[int]]],
                  min_closed: int) -> TrainingSet:
    """Freeze the running counts of T_S and precompute the ratio of every value seen."""
    frozen = {name: {value: (w, lost_) for value, (w, lost_) in tally.items()}
              for name, tally in zip(FACTORS, counts, strict=True)}
    evidence = {name: {value: _evidence(name, value, pair, (won, lost), len(values))
                       for value, pair in values.items()}
                for name, values in frozen.items()}
    return TrainingSet(stage=stage, won=won, lost=lost, counts=frozen, evidence=evidence,
                       prior=_DIVISION.divide(Decimal(100 * (won + 1)), Decimal(won + lost + 2)),
                       reason=_no_prediction(stage, won, lost, min_closed))


def _evidence(name: str, value: str, pair: tuple[int, int], totals: tuple[int, int],
              distinct: int) -> Evidence:
    """P(value | won) / P(value | lost) as a fraction; 1 when the factor never varies.

    ``pair`` is (won, lost) with this value, ``totals`` (won, lost) in T_S, ``distinct`` the
    number of values of the factor in T_S.
    """
    won, lost = totals
    if distinct <= 1:  # one value (or none) in T_S: no information, see the module doc
        return Evidence(Factor(name=name, value=value, ratio=_ONE), 1, 1)
    k = distinct + 1  # plus one for a value never seen
    numerator = (pair[0] + 1) * (lost + k)
    denominator = (pair[1] + 1) * (won + k)
    ratio = _DIVISION.divide(Decimal(numerator), Decimal(denominator))
    return Evidence(Factor(name=name, value=value, ratio=ratio), numerator, denominator)


def _no_prediction(stage: str, won: int, lost: int, min_closed: int) -> str | None:
    closed = won + lost
    if closed < min_closed:
        deals = "deal" if closed == 1 else "deals"
        return f"only {closed} closed {deals} reached {stage}; {min_closed} needed"
    if not won or not lost:
        return (f"all {closed} closed deals that reached {stage} were "
                f"{LOST if not won else WON}; both outcomes are needed")
    return None


def _not_open(deal: Deal, stage: str | None, as_of: dt.date) -> str:
    if stage is None:
        return f"{deal.number} did not exist on {as_of}"
    if stage in (WON, LOST):
        return f"{deal.number} was already {stage} on {as_of}"
    return f"{deal.number} is in {stage!r} on {as_of}, which is not an open stage"
