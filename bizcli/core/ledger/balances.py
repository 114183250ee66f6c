"""Account balances from transactions: daily movements, cash-flow counterparts, assertions.

A ``Movement`` is the sum of one account's postings in one commodity on one day. Reports
work from movements, so the load cache can keep them instead of every posting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.ledger.transactions import Transaction, posting_weight
from bizcli.core.money import ZERO, format_amount
from bizcli.core.problems import Problem


class Movement(NamedTuple):
    """Net change of ``account`` in ``commodity`` on ``date``."""

    date: dt.date
    account: str
    commodity: str
    quantity: Decimal


def daily_movements(transactions: Iterable[Transaction]) -> list[Movement]:
    """Sum postings per (date, account, commodity), sorted by date then account."""
    sums: dict[tuple[dt.date, str, str], Decimal] = {}
    for txn in transactions:
        date = txn.date
        for posting in txn.postings:
            amount = posting.amount
            if amount is None:
                continue
            key = (date, posting.account, amount.commodity)
            sums[key] = sums.get(key, ZERO) + amount.quantity
    return [Movement(d, a, c, q) for (d, a, c), q in sorted(sums.items())]


def cash_counterparts(transactions: Iterable[Transaction],
                      is_cash: Callable[[str], bool]) -> list[Movement]:
    """Cash moved, per counter-account: for each transaction touching a cash account,
    the negated weight of every non-cash posting (what came in or went out for it)."""
    sums: dict[tuple[dt.date, str, str], Decimal] = {}
    for txn in transactions:
        if not any(is_cash(p.account) for p in txn.postings):
            continue
        for posting in txn.postings:
            weight = posting_weight(posting)
            if weight is None or is_cash(posting.account):
                continue
            key = (txn.date, posting.account, weight.commodity)
            sums[key] = sums.get(key, ZERO) - weight.quantity
    return [Movement(d, a, c, q) for (d, a, c), q in sorted(sums.items())]


def sum_movements(movements: Iterable[Movement], start: dt.date | None = None,
                  end: dt.date | None = None) -> dict[tuple[str, str], Decimal]:
    """Per (account, commodity), the sum of movements with start <= date < end."""
    totals: dict[tuple[str, str], Decimal] = {}
    for date, account, commodity, quantity in movements:
        if (start is not None and date < start) or (end is not None and date >= end):
            continue
        key = (account, commodity)
        totals[key] = totals.get(key, ZERO) + quantity
    return totals


def check_assertions(transactions: Iterable[Transaction],
                     precisions: Mapping[str, int]) -> list[Problem]:
    """Check every ``= AMOUNT`` in date order (then file order), subaccounts excluded."""
    running: dict[tuple[str, str], Decimal] = {}
    problems: list[Problem] = []
    ordered = sorted(transactions, key=lambda t: t.date)
    for txn in ordered:
        for posting in txn.postings:
            if posting.amount is not None:
                key = (posting.account, posting.amount.commodity)
                running[key] = running.get(key, ZERO) + posting.amount.quantity
            expected = posting.assertion
            if expected is None:
                continue
            actual = running.get((posting.account, expected.commodity), ZERO)
            if actual != expected.quantity:
                places = precisions.get(expected.commodity, 2)
                problems.append(Problem(
                    code="failed-assertion", source=posting.source,
                    message=f"balance assertion failed: {posting.account} is "
                            f"{format_amount(actual, expected.commodity, places)} after this "
                            f"posting, not {format_amount(expected.quantity, expected.commodity, places)}",
                    hint=f"the difference is {format_amount(actual - expected.quantity, expected.commodity, places)}; "
                         "look for a missing or mistyped entry before this date"))
    return problems
