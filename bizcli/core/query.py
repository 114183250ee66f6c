"""Report queries, hledger style: account regexes, ``not:``, ``tag:k=v``, ``desc:``.

Terms of the same kind are alternatives (OR); terms of different kinds must all hold
(AND). Matching is case-insensitive and by regex search, so ``bank`` matches
``Assets:Bank:Checking`` and ``^income`` only accounts that start with Income.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bizcli.core.ledger.transactions import Posting, Transaction
from bizcli.core.problems import fail


@dataclass(frozen=True, slots=True, kw_only=True)
class Query:
    """A parsed query; the empty query matches everything."""

    accounts: tuple[re.Pattern[str], ...] = ()
    excluded: tuple[re.Pattern[str], ...] = ()
    tags: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = ()
    descriptions: tuple[re.Pattern[str], ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the query selects everything."""
        return not (self.accounts or self.excluded or self.tags or self.descriptions)

    @property
    def needs_transactions(self) -> bool:
        """True when postings must be read (tags, descriptions), not just balances."""
        return bool(self.tags or self.descriptions)

    def matches_account(self, name: str) -> bool:
        """Account terms only."""
        if self.excluded and any(p.search(name) for p in self.excluded):
            return False
        return not self.accounts or any(p.search(name) for p in self.accounts)

    def matches_posting(self, txn: Transaction, posting: Posting) -> bool:
        """All terms, for one posting of a transaction (it inherits the transaction's tags)."""
        if not self.matches_account(posting.account):
            return False
        if self.descriptions and not any(p.search(txn.description) for p in self.descriptions):
            return False
        return all(_has_tag(key, value, (*txn.tags, *posting.tags)) for key, value in self.tags)


def _has_tag(key: re.Pattern[str], value: re.Pattern[str] | None,
             tags: Iterable[tuple[str, str]]) -> bool:
    return any(key.fullmatch(k) and (value is None or value.search(v)) for k, v in tags)


def _compile(text: str, term: str) -> re.Pattern[str]:
    try:
        return re.compile(text, re.IGNORECASE)
    except (re.error, OverflowError, RecursionError) as err:  # a{10**10}; 500 nested (
        raise fail("bad-query", f"{term!r} is not a valid regular expression: {err}",
                   hint="escape special characters with a backslash, e.g. 'a\\+b'") from None


def parse_query(terms: Iterable[str]) -> Query:
    """Build a query from command-line terms."""
    accounts, excluded, tags, descriptions = [], [], [], []
    for term in terms:
        if term.startswith("not:"):
            excluded.append(_compile(term[4:].removeprefix("acct:"), term))
        elif term.startswith("tag:"):
            key, sep, value = term[4:].partition("=")
            if not key:
                raise fail("bad-query", f"{term!r} names no tag",
                           hint="write tag:KEY or tag:KEY=VALUE")
            tags.append((_compile(key, term), _compile(value, term) if sep else None))
        elif term.startswith("desc:"):
            descriptions.append(_compile(term[5:], term))
        else:
            accounts.append(_compile(term.removeprefix("acct:"), term))
    return Query(accounts=tuple(accounts), excluded=tuple(excluded), tags=tuple(tags),
                 descriptions=tuple(descriptions))
