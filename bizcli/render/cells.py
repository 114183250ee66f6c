"""Cell values as text: amounts at their commodity's precision, one commodity a line."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from bizcli.core.money import default_precision, format_amount, format_quantity
from bizcli.reports.model import Cell, Report


def amount_lines(balance: Mapping[str, Decimal], precisions: Mapping[str, int]) -> list[str]:
    """One ``-12.50 USD`` line per commodity; ``0`` for an empty balance."""
    if not balance:
        return ["0"]
    return [format_amount(q, c, precisions.get(c, default_precision(c)))
            for c, q in sorted(balance.items())]


def cell_lines(value: Cell, report: Report) -> list[str]:
    """The text lines of a cell as people read them."""
    if type(value) is str:  # most cells: before the slower Mapping check
        return [value] if value else [""]
    if value is None:
        return [""]
    if isinstance(value, Decimal):
        return [str(value)]
    if isinstance(value, Mapping):
        return amount_lines(value, report.precisions)
    return [str(value)] if value else [""]


def json_value(value: Cell, report: Report) -> object:
    """A JSON-ready value: amounts as ``{"USD": "12.50"}`` with numbers as strings."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        out = {}
        for commodity, quantity in sorted(value.items()):
            places = report.precisions.get(commodity, default_precision(commodity))
            out[commodity] = format_quantity(quantity, places)
        return out
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value
