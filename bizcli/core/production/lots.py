"""Lot sizes: how much a planned order brings in for a net requirement.

Lot-for-lot orders the net requirement; ``fixed`` orders the smallest whole number of
lots of ``quantity`` that covers it (as one order); ``periods`` orders what keeps the
projected balance at or above safety stock through ``periods`` buckets (MRP works
that out and passes it as ``cover``). Then ``minimum`` raises the quantity,
``multiple`` rounds it up, and ``maximum`` splits it into several orders of at most
``maximum`` each (the largest multiple not above it, when there is a multiple).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal


class LotRule(str, enum.Enum):
    """How a planned order's quantity is chosen from the net requirement."""

    LOT_FOR_LOT = "lot-for-lot"
    FIXED = "fixed"
    PERIODS = "periods"


@dataclass(frozen=True, slots=True, kw_only=True)
class LotSize:
    """A lot-size rule and its modifiers (minimum, maximum, multiple apply to any rule)."""

    rule: LotRule = LotRule.LOT_FOR_LOT
    quantity: Decimal | None = None
    """The fixed order quantity (``fixed``)."""
    periods: int | None = None
    """How many buckets one order covers (``periods``)."""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    multiple: Decimal | None = None



def lot_quantities(lot: LotSize, net: Decimal, cover: Decimal) -> list[Decimal]:
    """The planned order quantities for a net requirement (one order, or several).

    ``cover`` is what the ``periods`` rule must bring in (at least ``net``).
    """
    if lot.rule is LotRule.FIXED and lot.quantity:
        quantity = _round_up(net, lot.quantity)
    elif lot.rule is LotRule.PERIODS:
        quantity = max(cover, net)
    else:
        quantity = net
    if lot.minimum is not None and quantity < lot.minimum:
        quantity = lot.minimum
    if lot.multiple:
        quantity = _round_up(quantity, lot.multiple)
    if lot.maximum is None or quantity <= lot.maximum or lot.maximum <= 0:
        return [quantity]
    largest = lot.maximum
    if lot.multiple and lot.multiple <= lot.maximum:
        largest = (lot.maximum // lot.multiple) * lot.multiple
    orders = []
    while quantity > largest:
        orders.append(largest)
        quantity -= largest
    orders.append(quantity)
    return orders


def _round_up(quantity: Decimal, step: Decimal) -> Decimal:
    """The smallest whole number of ``step`` that is at least ``quantity``."""
    return (quantity / step).to_integral_value(rounding=ROUND_CEILING) * step
