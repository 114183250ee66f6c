"""The pipeline's totals: the sum of each deal's weighted amount, rounded once at the end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bizcli.core.crm.book import Crm
from bizcli.core.crm.deals import CrmSettings, Deal, StageChange
from bizcli.reports.crm.pipeline import open_deals, pipeline
from bizcli.reports.crm.view import CrmView

DAY = dt.date(2026, 11, 22)
SETTINGS = CrmSettings()
STAGES = [*SETTINGS.names]


def deal(n: int, amount: str, stages: list[str], probability: str | None = None) -> Deal:
    history = tuple(StageChange(DAY - dt.timedelta(days=len(stages) - i), s)
                    for i, s in enumerate(stages))
    return Deal(number=f"D-2026-{n:04d}", customer="C", title="t", amount=Decimal(amount),
                currency="USD", history=history,
                probability=None if probability is None else Decimal(probability))


def view(*deals: Deal) -> CrmView:
    return CrmView(crm=Crm(deals=deals), as_of=DAY, currency="USD",
                   precisions={"USD": 2})


def total(report_rows: tuple[object, ...]) -> object:
    return report_rows[-1].values[-1]  # type: ignore[attr-defined]


def test_rounding_happens_once_at_the_end() -> None:
    # 3 deals of 0.05 in new (10 %): each weighs 0.005. Rounded per deal and summed
    # that would be 0.01 x 3 = 0.03; the exact sum 0.015 rounds (half up) to 0.02.
    report = pipeline(view(*(deal(n, "0.05", ["new"]) for n in range(3))))
    assert total(report.rows) == {"USD": Decimal("0.02")}


amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)
histories = st.lists(st.sampled_from(STAGES), min_size=1, max_size=6).map(
    lambda stages: [s for i, s in enumerate(stages) if i == 0 or s != stages[i - 1]])
percents = st.none() | st.integers(0, 100).map(str)


@given(st.lists(st.tuples(amounts, histories, percents), max_size=25))
def test_weighted_total_is_the_sum_of_the_deals(specs: list[tuple[Decimal, list[str],
                                                                  str | None]]) -> None:
    deals = [deal(n, str(a), h, p) for n, (a, h, p) in enumerate(specs)]
    chosen = view(*deals)
    exact = sum((d.weighted(SETTINGS, s) for d, s in open_deals(chosen)), Decimal(0))
    shown = total(pipeline(chosen).rows)
    expected = exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert shown == ({"USD": expected} if expected else {})
    by_owner = total(pipeline(chosen, "owner").rows)
    assert by_owner == shown
