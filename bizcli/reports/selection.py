"""What a report looks at: the period, the as-of date, the query, and the movements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bizcli.core.book import Book
from bizcli.core.ledger.balance_index import BalanceIndex
from bizcli.core.ledger.balances import daily_movements
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.periods import Period
from bizcli.core.query import Query

ALL_TIME = Period(start=None, end=None, label="all")


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """The common report options: a period, an as-of cut-off, a query, a depth."""

    period: Period = ALL_TIME
    as_of: dt.date | None = None
    query: Query = field(default_factory=Query)
    depth: int | None = None

    @property
    def start(self) -> dt.date | None:
        """First day included."""
        return self.period.start

    @property
    def end(self) -> dt.date | None:
        """First day excluded: the period's end, cut at the day after ``as_of``."""
        cut = self.as_of + dt.timedelta(days=1) if self.as_of else None
        if cut is None:
            return self.period.end
        return cut if self.period.end is None else min(cut, self.period.end)

    def label(self) -> str:
        """Human description of the dates covered."""
        if self.as_of and (self.period.end is None or self.end != self.period.end):
            return f"{self.period.label}, as of {self.as_of.isoformat()}"
        return self.period.label


def selected_balances(book: Book, selection: Selection) -> BalanceIndex:
    """Running balances of the accounts (and postings) the query selects, all dates."""
    query = selection.query
    if query.needs_transactions:
        if book.transactions is None:
            msg = "a tag or description query needs the book loaded with transactions"
            raise ValueError(msg)
        return BalanceIndex.from_movements(daily_movements(_filtered(book.transactions, query)))
    if not query.accounts and not query.excluded:
        return book.balances
    return book.balances.select(query.matches_account)


def _filtered(transactions: tuple[Transaction, ...], query: Query) -> list[Transaction]:
    out = []
    for txn in transactions:
        postings = tuple(p for p in txn.postings if query.matches_posting(txn, p))
        if postings:
            out.append(txn._replace(postings=postings))
    return out
