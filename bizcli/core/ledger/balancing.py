"""Whether a transaction balances, and the amount of an elided posting.

The rule (written down in docs/accounting.md): per commodity, the sum of the postings'
weights (amounts, converted by their ``@``/``@@`` cost) must be zero once rounded
half-up to the most decimal places that commodity is written with in this entry,
cost amounts excluded. A commodity that appears only through costs is compared exactly.
"""

from __future__ import annotations

from decimal import Decimal

from bizcli.core.ledger.transactions import Posting, Transaction, posting_weight
from bizcli.core.money import ZERO, Amount, decimal_places, format_amount, round_half_up
from bizcli.core.problems import Problem


def entry_precisions(postings: tuple[Posting, ...]) -> dict[str, int]:
    """Most decimal places each commodity is written with in the entry (costs excluded)."""
    places: dict[str, int] = {}
    for posting in postings:
        amount = posting.amount
        if amount is not None:
            dp = decimal_places(amount.quantity)
            if dp > places.get(amount.commodity, -1):
                places[amount.commodity] = dp
    return places


def remainder(postings: tuple[Posting, ...]) -> dict[str, Decimal]:
    """Per commodity, the rounded sum of weights that is not zero (the imbalance)."""
    sums: dict[str, Decimal] = {}
    totals: dict[str, Decimal] = {}
    for posting in postings:
        weight = posting_weight(posting)
        if weight is not None:
            totals[weight.commodity] = totals.get(weight.commodity, ZERO) + weight.quantity
    places = entry_precisions(postings)
    for commodity, total in totals.items():
        rounded = round_half_up(total, places[commodity]) if commodity in places else total
        if rounded:
            sums[commodity] = rounded
    return sums


def balance_transaction(txn: Transaction) -> tuple[Transaction, list[Problem]]:
    """Fill in an elided amount and check the balance; problems instead of raising."""
    elided = [i for i, p in enumerate(txn.postings) if p.amount is None]
    if len(elided) > 1:
        return txn, [_problem(txn, "two-elided-amounts",
                              f"{len(elided)} postings have no amount; at most one may be left out",
                              "write the amount on every posting but one")]
    if not txn.postings:
        return txn, [_problem(txn, "empty-transaction", "the transaction has no postings",
                              "add at least two postings under the date line")]
    if _simply_balanced(txn.postings):
        return txn, []
    rest = remainder(txn.postings)
    if elided:
        return _fill_elided(txn, elided[0], rest)
    if not rest:
        return txn, []
    if len(rest) > 1 and not any(p.cost for p in txn.postings):
        names = " and ".join(sorted(rest))
        return txn, [_problem(txn, "implicit-conversion",
                              f"the transaction converts {names} without a price",
                              "give the rate with @ (per unit) or @@ (total) on one posting")]
    places = entry_precisions(txn.postings)
    shown = ", ".join(format_amount(q, c, places.get(c, 0)) for c, q in sorted(rest.items()))
    return txn, [_problem(txn, "unbalanced-transaction",
                          f"the transaction does not balance: the postings add up to {shown}",
                          "make the amounts add up to zero per commodity")]


def _simply_balanced(postings: tuple[Posting, ...]) -> bool:
    """Fast path: one commodity, every amount written, no costs, exact sum zero."""
    commodity = None
    total = ZERO
    for posting in postings:
        amount = posting.amount
        if amount is None or posting.cost is not None:
            return False
        if commodity is None:
            commodity = amount.commodity
        elif amount.commodity != commodity:
            return False
        total += amount.quantity
    return not total


def _fill_elided(txn: Transaction, index: int, rest: dict[str, Decimal]
                 ) -> tuple[Transaction, list[Problem]]:
    if len(rest) > 1:
        return txn, [_problem(txn, "ambiguous-elided-amount",
                              f"the missing amount would be in {len(rest)} commodities "
                              f"({', '.join(sorted(rest))})",
                              "write the amounts explicitly, one posting per commodity")]
    if not rest:
        return txn, [_problem(txn, "ambiguous-elided-amount",
                              "the other postings already balance, so the missing amount is zero",
                              "write the amount explicitly or remove the posting")]
    (commodity, quantity), = rest.items()
    filled = txn.postings[index]._replace(amount=Amount(-quantity, commodity))
    postings = (*txn.postings[:index], filled, *txn.postings[index + 1:])
    return txn._replace(postings=postings), []


def _problem(txn: Transaction, code: str, message: str, hint: str) -> Problem:
    return Problem(code=code, message=message, source=txn.source, hint=hint)
