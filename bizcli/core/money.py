"""Exact amounts: Decimal quantities in a commodity, with per-commodity precision.

Money is never a float. A derived amount is rounded once, where it is derived, half-up
(commercial rounding); sums are never taken of already-rounded parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

ZERO = Decimal(0)

# ISO 4217 minor units that differ from 2; every other commodity defaults to 2.
_ISO_PRECISION: Mapping[str, int] = {
    "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "HUF": 2, "TWD": 2, "¥": 2,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
}


class Amount(NamedTuple):
    """A quantity of one commodity, e.g. ``Amount(Decimal("12.50"), "USD")``."""

    quantity: Decimal
    commodity: str

    def __neg__(self) -> Amount:
        return Amount(-self.quantity, self.commodity)


def default_precision(commodity: str) -> int:
    """Decimal places a commodity is written with when the book does not say."""
    return _ISO_PRECISION.get(commodity, 2)


def decimal_places(quantity: Decimal) -> int:
    """Number of decimal places written in ``quantity`` (``Decimal("1.50")`` -> 2)."""
    exponent = quantity.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def round_half_up(quantity: Decimal, places: int) -> Decimal:
    """Round to ``places`` decimals, half away from zero (commercial rounding)."""
    return quantity.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def is_prefix_symbol(commodity: str) -> bool:
    """True for symbols written before the number (``$12.00``, ``¥8.00``)."""
    return not any(ch.isalpha() for ch in commodity)


def format_quantity(quantity: Decimal, places: int) -> str:
    """Fixed-point text with exactly ``places`` decimals (never fewer digits than exact)."""
    shown = max(places, decimal_places(quantity))
    return f"{quantity:.{shown}f}"


def format_amount(quantity: Decimal, commodity: str, places: int) -> str:
    """Journal-style text: ``-1234.50 USD`` or ``-$1234.50``; no digit-group marks."""
    number = format_quantity(quantity, places)
    if not commodity:
        return number
    if is_prefix_symbol(commodity):
        sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}{commodity}{digits}"
    return f"{number} {commodity}"

