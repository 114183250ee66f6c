"""Tests for bizcli.core.crm.predict: the win probability of open deals, by naive Bayes.

The worked example is computed by hand in the comments from the module's published
definitions; the properties check what must hold for any book.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bizcli.core.crm.deals import DEFAULT_STAGES, LOST, WON, CrmSettings, Deal, StageChange
from bizcli.core.crm.predict import NONE, Factor, Prediction, predict, train

D = Decimal
CRM = CrmSettings()  # new, qualified, proposal, negotiation
AS_OF = dt.date(2025, 6, 30)
SEGMENTS = {"ACME": "smb", "BIG": "enterprise", "CORP": "enterprise"}  # NEWCO, ZED: unknown


def deal(number: str, *stages: str, source: str | None = None, owner: str | None = None,
         customer: str = "ACME", start: str = "2025-01-06") -> Deal:
    """A deal moving one stage a week from ``start``: ``deal("D1", "new", "won")``."""
    first = dt.date.fromisoformat(start)
    history = tuple(StageChange(first + dt.timedelta(weeks=n), stage)
                    for n, stage in enumerate(stages))
    return Deal(number=number, customer=customer, title=number, amount=D("1000.00"),
                currency="EUR", history=history, source=source, owner=owner)


CLOSED = [
    deal("W1", "new", "qualified", "proposal", "won", source="referral", owner="ana"),
    deal("W2", "new", "qualified", "proposal", "negotiation", "won", source="referral",
         owner="ana", customer="BIG"),
    # W3 skipped qualified, W4 went straight from new to won: both reached every stage.
    deal("W3", "new", "proposal", "won", source="referral", owner="bob", customer="BIG"),
    deal("W4", "new", "won", source="web", owner="ana", customer="CORP"),
    deal("W5", "new", "qualified", "proposal", "won", owner="bob"),
    deal("W6", "new", "qualified", "negotiation", "won", source="web", owner="ana",
         customer="NEWCO"),
    deal("L1", "new", "qualified", "proposal", "negotiation", "lost", source="web",
         owner="bob"),
    # L2 skipped qualified on its way to negotiation: it reached qualified and proposal.
    deal("L2", "new", "proposal", "negotiation", "lost", source="web", owner="bob",
         customer="BIG"),
    deal("L3", "new", "qualified", "proposal", "lost", source="referral", owner="ana"),
    deal("L4", "new", "qualified", "proposal", "lost", owner="bob"),
    deal("L5", "new", "lost", source="referral", owner="ana", customer="BIG"),  # in T_new only
    deal("L6", "new", "qualified", "lost", source="web", owner="ana"),  # up to T_qualified
]
# O1 is won on 2025-07-07, after as_of: on 06-30 it is open in proposal, not training data.
O1 = deal("O1", "new", "qualified", "proposal", "won", source="referral", owner="ana",
          customer="BIG", start="2025-06-16")
O2 = deal("O2", "new", "qualified", source="event", owner="bob", customer="ZED",
          start="2025-06-16")
O3 = deal("O3", "new", "qualified", "proposal", "negotiation", source="referral", owner="ana",
          start="2025-06-02")
LATER = deal("O4", "new", start="2025-07-01")  # created after as_of: does not exist yet
BOOK = [*CLOSED, O1, O2, O3, LATER]


def test_open_deal_in_proposal_by_hand() -> None:
    # T_proposal = W1..W6 (won reaches every stage) + L1, L2, L3, L4: 6 won, 4 lost.
    # Prior: (6 + 1) / (10 + 2) = 7/12 = 58.33 %; prior odds 7/5.
    # source (values referral 3w/1l, web 2w/2l, (none) 1w/1l; K = 3 + 1 = 4), referral:
    #   P(.|won) = (3+1)/(6+4) = 4/10, P(.|lost) = (1+1)/(4+4) = 2/8, ratio 1.6
    # owner (ana 4w/1l, bob 2w/3l; K = 3), ana: (4+1)/(6+3) = 5/9 over (1+1)/(4+3) = 2/7,
    #   ratio 35/18 = 1.9444...
    # segment (smb 2w/3l, enterprise 3w/1l, (none) 1w/0l; K = 4), enterprise (BIG):
    #   4/10 over 2/8, ratio 1.6
    # Odds 7/5 x 8/5 x 35/18 x 8/5 = 15680/2250 = 1568/225; p = 1568/1793 = 87.4512 %.
    model = train(BOOK, CRM, AS_OF, SEGMENTS)
    assert predict(model, O1, SEGMENTS) == Prediction(
        stage="proposal", probability=D(156800) / D(1793), prior=D(700) / D(12), closed=10,
        won=6, lost=4, factors=(Factor(name="source", value="referral", ratio=D("1.6")),
                                Factor(name="owner", value="ana", ratio=D(35) / D(18)),
                                Factor(name="segment", value="enterprise", ratio=D("1.6"))))
    result = predict(model, O1, SEGMENTS)
    assert isinstance(result, Prediction)
    assert result.probability.quantize(D("0.0001")) == D("87.4512")


def test_open_deal_in_qualified_with_unseen_values_by_hand() -> None:
    # T_qualified = T_proposal + L6 (L2 skipped qualified, still in): 6 won, 5 lost.
    # Prior: 7/13 = 53.85 %; prior odds 7/6.
    # source "event" was never seen (K = 3 + 1 = 4): (0+1)/(6+4) over (0+1)/(5+4) = 9/10
    # owner bob (2w/3l; K = 3): (2+1)/(6+3) = 3/9 over (3+1)/(5+3) = 4/8, ratio 2/3
    # segment: ZED is not in the mapping, so (none), seen once, won (W6's NEWCO; K = 4):
    #   (1+1)/(6+4) = 2/10 over (0+1)/(5+4) = 1/9, ratio 9/5
    # Odds 7/6 x 9/10 x 2/3 x 9/5 = 1134/900 = 63/50; p = 63/113 = 55.7522 %.
    result = predict(train(BOOK, CRM, AS_OF, SEGMENTS), O2, SEGMENTS)
    assert isinstance(result, Prediction)
    assert (result.closed, result.won, result.lost) == (11, 6, 5)
    assert result.prior == D(700) / D(13)
    assert result.factors == (Factor(name="source", value="event", ratio=D("0.9")),
                              Factor(name="owner", value="bob", ratio=D(2) / D(3)),
                              Factor(name="segment", value=NONE, ratio=D("1.8")))
    assert result.probability == D(6300) / D(113)
    assert result.probability.quantize(D("0.0001")) == D("55.7522")


def test_the_stage_selects_the_training_deals() -> None:
    model = train(BOOK, CRM, AS_OF, SEGMENTS)
    sizes = {name: (t.won, t.lost) for name, t in model.training.items()}
    # L5 (lost in new) is only in T_new; L6 (lost in qualified) is not in T_proposal;
    # L2 skipped qualified but is in T_qualified; only L1 and L2 reached negotiation.
    assert sizes == {"new": (6, 6), "qualified": (6, 5), "proposal": (6, 4),
                     "negotiation": (6, 2)}


def test_skipping_a_stage_counts_as_passing_it() -> None:
    deals = [deal("A", "new", "proposal", "lost"), deal("B", "new", "lost")]
    model = train(deals, CRM, AS_OF, {})
    assert model.training["qualified"].lost == 1  # A, which skipped qualified; not B
    assert model.training["new"].lost == 2
    assert model.training["negotiation"].lost == 0


def test_not_enough_history_gives_a_reason() -> None:
    model = train(BOOK, CRM, AS_OF, SEGMENTS)
    # T_negotiation = 6 won + L1, L2 = 8 closed deals.
    assert predict(model, O3, SEGMENTS) == "only 8 closed deals reached negotiation; 10 needed"
    assert isinstance(predict(train(BOOK, CRM, AS_OF, SEGMENTS, min_closed=8), O3, SEGMENTS),
                      Prediction)
    assert predict(train(CLOSED[:1], CRM, AS_OF, {}), O1, {}) == (
        "only 1 closed deal reached proposal; 10 needed")


def test_one_outcome_only_gives_a_reason() -> None:
    won = [deal(f"W{n}", "new", "won", source="web") for n in range(12)]
    assert predict(train(won, CRM, AS_OF, {}), O2, {}) == (
        "all 12 closed deals that reached qualified were won; both outcomes are needed")
    lost = [deal(f"L{n}", "new", "qualified", "lost") for n in range(12)]
    assert predict(train(lost, CRM, AS_OF, {}), O2, {}) == (
        "all 12 closed deals that reached qualified were lost; both outcomes are needed")


def test_history_after_as_of_is_ignored() -> None:
    # On 06-30, O1 is open (its win on 07-07 has not happened): 6 won in T_proposal.
    assert train(BOOK, CRM, AS_OF, SEGMENTS).training["proposal"].won == 6
    later = train(BOOK, CRM, dt.date(2025, 7, 31), SEGMENTS)
    assert later.training["proposal"].won == 7
    assert predict(later, O1, SEGMENTS) == "O1 was already won on 2025-07-31"


def test_deals_that_are_not_open() -> None:
    model = train(BOOK, CRM, AS_OF, SEGMENTS)
    assert predict(model, LATER, SEGMENTS) == "O4 did not exist on 2025-06-30"
    assert predict(model, CLOSED[6], SEGMENTS) == "L1 was already lost on 2025-06-30"
    odd = deal("X", "new", "on-hold")
    assert predict(model, odd, SEGMENTS) == (
        "X is in 'on-hold' on 2025-06-30, which is not an open stage")


# Properties. A training deal: (won?, furthest open stage index, source, owner, customer).
STAGES = [stage.name for stage in DEFAULT_STAGES]
SOURCES = st.sampled_from(["referral", "web", None])
OWNERS = st.sampled_from(["ana", "bob", "cy", None])
CUSTOMERS = st.sampled_from(["ACME", "BIG", "CORP", "ZED"])


def build(specs: list[tuple[bool, int, str | None, str | None, str]]) -> list[Deal]:
    return [deal(f"T{n}", *STAGES[:furthest + 1], WON if won else LOST, source=source,
                 owner=owner, customer=customer)
            for n, (won, furthest, source, owner, customer) in enumerate(specs)]


@st.composite
def books(draw: st.DrawFn, *, same_values: bool = False
          ) -> tuple[list[tuple[bool, int, str | None, str | None, str]], Deal]:
    """Closed deal specs (at least one won and one lost) that all reached the open deal's stage,
    and the open deal."""
    stage = draw(st.integers(0, len(STAGES) - 1))
    fixed = (draw(SOURCES), draw(OWNERS), draw(CUSTOMERS))
    specs = []
    for n in range(draw(st.integers(2, 30))):
        values = fixed if same_values else (draw(SOURCES), draw(OWNERS), draw(CUSTOMERS))
        won = n == 0 or (n > 1 and draw(st.booleans()))
        specs.append((won, draw(st.integers(stage, len(STAGES) - 1)), *values))
    open_deal = deal("O", *STAGES[:stage + 1], source=draw(SOURCES), owner=draw(OWNERS),
                     customer=draw(CUSTOMERS), start="2025-06-02")
    return specs, open_deal


@given(books())
def test_probability_is_strictly_between_0_and_100(book) -> None:
    specs, open_deal = book
    result = predict(train(build(specs), CRM, AS_OF, SEGMENTS, min_closed=2), open_deal,
                     SEGMENTS)
    assert isinstance(result, Prediction)
    assert 0 < result.probability < 100
    assert 0 < result.prior < 100


@given(books(same_values=True))
def test_factors_that_never_vary_leave_the_prior(book) -> None:
    specs, open_deal = book
    result = predict(train(build(specs), CRM, AS_OF, SEGMENTS, min_closed=2), open_deal,
                     SEGMENTS)
    assert isinstance(result, Prediction)
    assert result.probability == result.prior
    assert all(factor.ratio == 1 for factor in result.factors)


@given(books())
def test_swapping_won_and_lost_gives_100_minus_p(book) -> None:
    # Every training deal reached the open deal's stage before it closed, so swapping the
    # labels keeps the same training set (a won deal would otherwise reach every stage).
    specs, open_deal = book
    swapped = [(not won, *rest) for won, *rest in specs]
    results = [predict(train(build(s), CRM, AS_OF, SEGMENTS, min_closed=2), open_deal,
                       SEGMENTS) for s in (specs, swapped)]
    assert isinstance(results[0], Prediction)
    assert isinstance(results[1], Prediction)
    # Each probability is one division rounded to 28 digits: equal up to that rounding.
    assert abs(results[0].probability + results[1].probability - 100) < D("1e-24")
    assert abs(results[0].prior + results[1].prior - 100) < D("1e-24")
    for mine, theirs in zip(results[0].factors, results[1].factors, strict=True):
        assert abs(mine.ratio * theirs.ratio - 1) < D("1e-24")
