"""A plan answers for its own planned orders only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bizcli.core.production.lots import LotSize
from bizcli.core.production.mrp import Demand, DemandKind, MrpRequest, Planning, plan

START = dt.date(2026, 11, 23)


def _request(quantity: int) -> MrpRequest:
    return MrpRequest(
        start=START, bucket_days=7, buckets=4,
        items={"OAK": Planning(item="OAK", make=False, lead_time=0, safety_stock=Decimal(0),
                               lot=LotSize(), supplier="MILL")},
        boms={}, on_hand={},
        demands=[Demand("OAK", START + dt.timedelta(days=7 * week), Decimal(quantity),
                        DemandKind.ORDER, f"SO-{week}") for week in range(2)])


def test_an_order_of_another_plan_is_refused() -> None:
    mine, other = plan(_request(3)), plan(_request(5))
    assert [o.number for o in mine.orders] == ["PL-0001", "PL-0002"]
    assert mine.roots(mine.orders[1]) == ((("SO-1", DemandKind.ORDER),), False)
    same_number = other.orders[0]  # PL-0001, for 5 units
    for order in (same_number, same_number._replace(number="PL-0009"),
                  same_number._replace(number="PL-²"), same_number._replace(number="X")):
        with pytest.raises(ValueError, match="is not a planned order of this plan"):
            mine.pegs(order)
    copy = mine.orders[0]._replace()  # equal, not the same object: still its own
    assert mine.pegs(copy) == mine.pegs(mine.orders[0])


def test_an_order_lost_in_rounding_serves_nothing() -> None:
    """Quantities past 28 significant digits round: 10^27 + 0.00001 is 10^27. The order
    for 0.00001 then covers no stretch of the running totals and is pegged to nothing."""
    huge, tiny = Decimal(10) ** 27, Decimal("0.00001")
    request = MrpRequest(
        start=START, bucket_days=7, buckets=3,
        items={"OAK": Planning(item="OAK", make=False, lead_time=0, safety_stock=Decimal(0),
                               lot=LotSize(), supplier="MILL")},
        boms={}, on_hand={},
        demands=[Demand("OAK", START + dt.timedelta(days=7 * week), quantity,
                        DemandKind.ORDER, f"SO-{week}")
                 for week, quantity in enumerate((huge, tiny, huge))])
    result = plan(request)
    assert [o.quantity for o in result.orders] == [huge, tiny, huge]
    assert [result.roots(o) for o in result.orders] == [
        ((("SO-0", DemandKind.ORDER),), False), ((), False),
        ((("SO-2", DemandKind.ORDER),), False)]
    assert result.pegs(result.orders[1]) == ()
