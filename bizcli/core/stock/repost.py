"""Bring the journal back in line with the stock ledger after a back-dated move.

A move dated before later moves of the same item changes the cost of those later
issues (FIFO layers or the moving average change under them). The entries already
posted for them stay as they are: posted entries are never rewritten. Instead, for each
day and document whose stock value no longer matches the inventory postings tagged with
that document on that day, one adjusting entry is appended, dated that day, for the
difference: against cost of goods sold for a sales document, the adjustments account
otherwise. A second repost finds nothing to do: the adjusting entries carry the same
``doc:`` tag, so they count on the journal side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from bizcli.core.ledger.accounts import SEPARATOR
from bizcli.core.ledger.transactions import Posting, Status, Transaction
from bizcli.core.money import ZERO, Amount
from bizcli.core.stock.invariant import StockValues, by_day

Key = tuple[dt.date, str]
"""(day, document); the document is "" for moves and entries without one."""


def drifting_days(stock: StockValues, ledger_days: Mapping[dt.date, Decimal]) -> set[dt.date]:
    """Days on which the stock value changed by another amount than the inventory account.

    ``stock`` is the change of stock value per (day, document) (``stock_value_by_document``).
    """
    per_day = by_day(stock)
    return {day for day in set(per_day) | set(ledger_days)
            if per_day.get(day, ZERO) != ledger_days.get(day, ZERO)}


def stock_by_document(stock: StockValues, days: set[dt.date]) -> dict[Key, Decimal]:
    """The change of stock value per (day, document), on the given days only."""
    return {key: value for key, value in stock.items() if key[0] in days}


def ledger_by_document(transactions: Iterable[Transaction], days: set[dt.date], account: str,
                       currency: str) -> dict[Key, Decimal]:
    """Change of the inventory account per (day, ``doc:`` tag), on the given days."""
    out: dict[Key, Decimal] = {}
    for txn in transactions:
        if txn.date not in days:
            continue
        doc = next((v for k, v in txn.tags if k == "doc"), "")
        for posting in txn.postings:
            name, amount = posting.account, posting.amount
            if amount is None or amount.commodity != currency or not (
                    name == account or name.startswith(account + SEPARATOR)):
                continue
            out[txn.date, doc] = out.get((txn.date, doc), ZERO) + amount.quantity
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Repost:
    """The adjusting entries, and differences no stock move explains (left to the user)."""

    entries: tuple[Transaction, ...]
    unexplained: tuple[tuple[dt.date, str, Decimal], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RepostAccounts:
    """The accounts an adjusting entry uses, and which documents are sales."""

    inventory: str
    cogs: str
    adjustments: str
    currency: str
    sales_documents: frozenset[str]


def repost(stock: Mapping[Key, Decimal], ledger: Mapping[Key, Decimal],
           accounts: RepostAccounts) -> Repost:
    """One entry per (day, document) whose stock value and inventory postings differ.

    Only keys with stock moves are adjusted: a difference on a day and document with no
    stock move at all is an entry posted to the inventory account by hand, which no
    cost change explains; it is returned as ``unexplained``.
    """
    entries, unexplained = [], []
    for key in sorted(set(stock) | set(ledger)):
        day, doc = key
        difference = stock.get(key, ZERO) - ledger.get(key, ZERO)
        if not difference:
            continue
        if key not in stock:
            unexplained.append((day, doc, -difference))
            continue
        counter = accounts.cogs if doc in accounts.sales_documents else accounts.adjustments
        amount = Amount(difference, accounts.currency)
        what = doc or "moves without a document"
        entries.append(Transaction(
            day, f"Stock repost: {what} now costs {'more' if difference < 0 else 'less'} "
                 "after a back-dated move",
            (Posting(counter, -amount), Posting(accounts.inventory, amount)),
            Status.CLEARED, doc, "", ((("doc", doc),) if doc else ()) + (("repost", "cost"),)))
    return Repost(entries=tuple(entries), unexplained=tuple(unexplained))
