"""Transactions and postings as immutable values.

They are ``NamedTuple``s rather than frozen dataclasses: a large book holds millions of
postings, and a tuple is built about twice as fast. Collections inside are tuples, so
a value cannot be changed in place; use ``_replace``. ``source`` is provenance: compare
values with ``without_source`` when it must not count.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import NamedTuple

from bizcli.core.money import Amount
from bizcli.core.source import SourceRef


class Status(str, enum.Enum):
    """The mark after the date: none, pending (``!``) or cleared (``*``)."""

    UNMARKED = ""
    PENDING = "!"
    CLEARED = "*"


class Cost(NamedTuple):
    """A price on a posting: ``@`` per unit or ``@@`` in total."""

    amount: Amount
    is_total: bool


Tag = tuple[str, str]


class Posting(NamedTuple):
    """One line of a transaction: an account and a signed amount (debit positive)."""

    account: str
    amount: Amount | None
    cost: Cost | None = None
    assertion: Amount | None = None
    status: Status = Status.UNMARKED
    comment: str = ""
    tags: tuple[Tag, ...] = ()
    source: SourceRef | None = None


class Transaction(NamedTuple):
    """A dated, balanced set of postings, with its header and metadata."""

    date: dt.date
    description: str
    postings: tuple[Posting, ...]
    status: Status = Status.UNMARKED
    code: str = ""
    comment: str = ""
    tags: tuple[Tag, ...] = ()
    source: SourceRef | None = None

    def tag(self, key: str) -> str | None:
        """Value of a transaction-level tag, or None."""
        for name, value in self.tags:
            if name == key:
                return value
        return None


class Price(NamedTuple):
    """A ``P`` directive: one unit of ``commodity`` is worth ``price`` on ``date``."""

    date: dt.date
    commodity: str
    price: Amount
    source: SourceRef | None = None


def posting_weight(posting: Posting) -> Amount | None:
    """What a posting contributes to its transaction's balance (cost-converted)."""
    amount = posting.amount
    if amount is None or posting.cost is None:
        return amount
    cost = posting.cost.amount
    if posting.cost.is_total:
        quantity = cost.quantity if amount.quantity >= 0 else -cost.quantity
        return Amount(quantity, cost.commodity)
    return Amount(amount.quantity * cost.quantity, cost.commodity)


def without_source(txn: Transaction) -> Transaction:
    """The same transaction with all provenance dropped, for comparisons."""
    return txn._replace(
        source=None, postings=tuple(p._replace(source=None) for p in txn.postings)
    )
