"""Whether a transaction balances, and the amount of an elided posting.

The rule (written down in docs/accounting.md): per commodity, the sum of the postings'
weights (amounts, converted by their ``@``/``@@`` cost) must be within half a unit of the
last decimal place that commodity is written with in this entry, cost amounts excluded
(|sum| <= 0.005 when the entry writes cents). So ``50.00 EUR @ 1.0851 USD`` (54.255 USD)
balances against -54.25 or -54.26 USD, as in hledger and beancount. A commodity that
appears only through costs must sum to exactly zero.
"""

from __future__ import annotations

from decimal import Decimal

from bizcli.core.ledger.transactions import Posting, Transaction, posting_weight
from bizcli.core.money import ZERO, Amount, decimal_places, format_amount
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


def weight_sums(postings: tuple[Posting, ...]) -> dict[str, Decimal]:
    """Per commodity, the exact sum of the postings' weights that is not zero."""
    totals: dict[str, Decimal] = {}
    for posting in postings:
        weight = posting_weight(posting)
        if weight is not None:
            totals[weight.commodity] = totals.get(weight.commodity, ZERO) + weight.quantity
    return {c: q for c, q in totals.items() if q}


def remainder(postings: tuple[Posting, ...]) -> dict[str, Decimal]:
    """Per commodity, the sum of weights beyond the tolerance (the imbalance), exact."""
    places = entry_precisions(postings)
    return {c: q for c, q in weight_sums(postings).items()
            if c not in places or abs(q) > Decimal(5).scaleb(-places[c] - 1)}


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
    if elided:
        return _fill_elided(txn, elided[0], weight_sums(txn.postings))
    rest = remainder(txn.postings)
    if not rest:
        return txn, []
    if len(rest) > 1 and not any(p.cost for p in txn.postings):
        names = " and ".join(sorted(rest))
        return txn, [_problem(txn, "implicit-conversion",
                              f"the transaction converts {names} without a price",
                              "give the rate with @ (per unit) or @@ (total) on one posting")]
    places = entry_precisions(txn.postings)
    shown = ", ".join(format_amount(q.normalize(), c, places.get(c, 0))
                      for c, q in sorted(rest.items()))
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
