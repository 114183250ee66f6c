"""Account balances from transactions: daily movements, cash-flow counterparts, assertions.

A ``Movement`` is the sum of one account's postings in one commodity on one day. Reports
work from movements, so the load cache can keep them instead of every posting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.ledger.balancing import entry_precisions
from bizcli.core.ledger.transactions import Transaction, posting_weight
from bizcli.core.money import ZERO, format_amount, round_half_up
from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef


class Movement(NamedTuple):
    """Net change of ``account`` in ``commodity`` on ``date``."""

    date: dt.date
    account: str
    commodity: str
    quantity: Decimal


def daily_movements(transactions: Iterable[Transaction]) -> list[Movement]:
    """Sum postings per (date, account, commodity), sorted by date then account."""
    movements, _ = movements_and_cash_flows(transactions, lambda _: False)
    return movements


def movements_and_cash_flows(transactions: Iterable[Transaction],
                             is_cash: Callable[[str], bool]
                             ) -> tuple[list[Movement], list[Movement]]:
    """Daily movements of every account, and the cash flows by counter-account.

    A transaction that touches a cash account moved cash for each of its other
    postings: the negated weight of each non-cash posting is cash in (+) or out (-)
    on behalf of that counter-account. The flows of a transaction add up to its cash
    postings because the transaction balances. One pass over the postings does both.
    """
    sums, flows = sum_postings(transactions, is_cash)
    return ([Movement(d, a, c, q) for (d, a, c), q in sorted(sums.items())],
            [Movement(d, a, c, q) for (d, a, c), q in sorted(flows.items())])


@dataclass(slots=True)
class PostingNotes:
    """What one pass over the postings notes besides the sums."""

    first_use: dict[str, SourceRef | None] = field(default_factory=dict)
    """Each account's first posting, in order."""
    asserts: bool = False
    """Whether any posting has a balance assertion."""


def sum_postings(transactions: Iterable[Transaction], is_cash: Callable[[str], bool],
                 notes: PostingNotes | None = None,
                 ) -> tuple[dict[tuple[dt.date, str, str], Decimal],
                            dict[tuple[dt.date, str, str], Decimal]]:
    """Per (date, account, commodity): the postings' sum, and the cash moved for it.

    ``notes``, when given, is filled in the same pass (a large book's cold load makes
    one pass over its postings, not several).
    """
    sums: dict[tuple[dt.date, str, str], Decimal] = {}
    flows: dict[tuple[dt.date, str, str], Decimal] = {}
    known: dict[str, bool] = {}
    noted = PostingNotes() if notes is None else notes
    uses = noted.first_use
    for txn in transactions:
        date = txn.date
        touches_cash = False
        for posting in txn.postings:
            account = posting.account
            if account not in uses:
                uses[account] = posting.source
            if posting.assertion is not None:
                noted.asserts = True
            amount = posting.amount
            if amount is None:
                continue
            key = (date, account, amount.commodity)
            sums[key] = sums.get(key, ZERO) + amount.quantity
            cash = known.get(account)
            if cash is None:
                cash = known[account] = is_cash(account)
            touches_cash = touches_cash or cash
        if touches_cash:
            _add_flows(txn, known, flows)
    return sums, flows


def _add_flows(txn: Transaction, cash: Mapping[str, bool],
               flows: dict[tuple[dt.date, str, str], Decimal]) -> None:
    """Cash moved for each non-cash posting.

    A converted weight (125.00 EUR @ 1.0867 USD = 135.8375 USD) is rounded half-up to
    the places the entry writes that currency with: the entry balances to that precision.
    """
    places: dict[str, int] | None = None
    for posting in txn.postings:
        if cash[posting.account]:
            continue
        weight = posting_weight(posting)
        if weight is None:
            continue
        quantity = weight.quantity
        if posting.cost is not None:
            places = places if places is not None else entry_precisions(txn.postings)
            if weight.commodity in places:
                quantity = round_half_up(quantity, places[weight.commodity])
        key = (txn.date, posting.account, weight.commodity)
        flows[key] = flows.get(key, ZERO) - quantity


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

                def shown(quantity: Decimal, c: str = expected.commodity, p: int = places) -> str:
                    return format_amount(quantity, c, p)

                problems.append(Problem(
                    code="failed-assertion", source=posting.source,
                    message=f"balance assertion failed: {posting.account} is {shown(actual)} "
                            f"after this posting, not {shown(expected.quantity)}",
                    hint=f"the difference is {shown(actual - expected.quantity)}; "
                         "look for a missing or mistyped entry before this date"))
    return problems
