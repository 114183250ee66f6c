"""The invariant that ties the stock ledger to the books (DESIGN.md §5).

On every date, the inventory account in the journal equals the value of the stock
ledger. A drift means an entry or a move is missing, or a back-dated move changed the
cost of later issues and the journal was not brought in line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.ledger.accounts import SEPARATOR
from bizcli.core.ledger.balance_index import BalanceIndex
from bizcli.core.money import ZERO, format_amount
from bizcli.core.problems import Problem
from bizcli.core.stock.valuation import Valuation


def stock_value_by_day(valuation: Valuation) -> dict[dt.date, Decimal]:
    """Per day, the change of the total stock value."""
    out: dict[dt.date, Decimal] = {}
    for valued in valuation.moves:
        out[valued.move.date] = out.get(valued.move.date, ZERO) + valued.value
    return out


StockValues = Mapping[tuple[dt.date, str], Decimal]
"""Change of the stock value per (day, document); "" for moves without a document."""


def stock_value_by_document(valuation: Valuation) -> dict[tuple[dt.date, str], Decimal]:
    """Per (day, document), the change of the total stock value.

    Every pair with a move is there, if only with 0: it tells a difference that a
    cost change explains from one posted by hand with no move behind it.
    """
    out: dict[tuple[dt.date, str], Decimal] = {}
    for valued in valuation.moves:
        key = (valued.move.date, valued.move.document)
        out[key] = out.get(key, ZERO) + valued.value
    return out


def by_day(values: StockValues) -> dict[dt.date, Decimal]:
    """``stock_value_by_document`` summed per day (``stock_value_by_day``)."""
    out: dict[dt.date, Decimal] = {}
    for (day, _), value in values.items():
        out[day] = out.get(day, ZERO) + value
    return out


def inventory_drift(valuation: Valuation, balances: BalanceIndex, account: str,
                    currency: str, places: int) -> list[Problem]:
    """The first date on which the inventory account and the stock value differ."""
    return drift_problems(stock_value_by_day(valuation), lambda day: _items_on(valuation, day),
                          balances, (account, currency, places))


def drift_problems(stock: Mapping[dt.date, Decimal],
                   items_on: Callable[[dt.date], Iterable[str]], balances: BalanceIndex,
                   where: tuple[str, str, int]) -> list[Problem]:
    """The first drift, from the stock value's change per day (``stock_value_by_day``).

    ``items_on`` names the items moved on a day, for the message; ``where`` is the
    inventory account, the currency and its precision.
    """
    account, currency, places = where

    def is_inventory(name: str) -> bool:
        return name == account or name.startswith(account + SEPARATOR)

    ledger = balances.daily_changes(is_inventory, currency)
    books = value = ZERO
    for day in sorted(set(ledger) | set(stock)):
        books += ledger.get(day, ZERO)
        value += stock.get(day, ZERO)
        if books != value:
            moved = _listed(sorted(set(items_on(day))))
            return [_drift(day, (books, value), account, _Shown(currency, places), moved)]
    return []


def _listed(codes: list[str], most: int = 5) -> str:
    if not codes:
        return "none"
    shown = ", ".join(codes[:most])
    return shown if len(codes) <= most else f"{shown} and {len(codes) - most} more"


def _items_on(valuation: Valuation, day: dt.date) -> list[str]:
    return [v.move.item for v in valuation.moves if v.move.date == day]


class _Shown(NamedTuple):
    currency: str
    places: int

    def __call__(self, quantity: Decimal) -> str:
        return format_amount(quantity, self.currency, self.places)


def _drift(day: dt.date, amounts: tuple[Decimal, Decimal], account: str, shown: _Shown,
           moved: str) -> Problem:
    books, value = amounts
    return Problem(
        code="inventory-drift",
        message=f"on {day} {account} is {shown(books)} but the stock is valued at "
                f"{shown(value)} (difference {shown(books - value)}); items moved that "
                f"day: {moved}",
        hint="post the journal entry that matches that day's stock moves (or the moves "
             "that match the entry); a back-dated move changes the cost of later issues")
