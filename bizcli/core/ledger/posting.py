"""Rules for a new entry before it is written: balance, chart, lock date, open years."""

from __future__ import annotations

import datetime as dt

from bizcli.core.book import Book
from bizcli.core.checks import check_accounts_used
from bizcli.core.ledger.balancing import balance_transaction
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.money import Amount, decimal_places, round_half_up
from bizcli.core.periods import fiscal_year, fiscal_year_of
from bizcli.core.problems import Problem


def last_open_day(book: Book, today: dt.date) -> dt.date:
    """Entries may be dated up to the last day of the current fiscal year."""
    start = book.settings.fiscal_year_start
    current = fiscal_year(fiscal_year_of(today, start), start)
    assert current.end is not None
    return current.end - dt.timedelta(days=1)


def validate_new_transaction(txn: Transaction, book: Book, today: dt.date
                             ) -> tuple[Transaction, list[Problem]]:
    """The balanced entry ready to write, or the problems that forbid writing it."""
    problems: list[Problem] = []
    lock = book.settings.lock_date
    if lock is not None and txn.date <= lock:
        problems.append(Problem(
            code="locked-period", source=txn.source,
            message=f"{txn.date} is on or before the lock date {lock}",
            hint="date the entry after the lock date (a correction goes in the open "
                 "period), or reopen the period"))
    last = last_open_day(book, today)
    if txn.date > last:
        problems.append(Problem(
            code="date-out-of-range", source=txn.source,
            message=f"{txn.date} is after the end of the current fiscal year ({last})",
            hint="check the year; entries for a later fiscal year wait until it starts"))
    for posting in txn.postings:
        if posting.amount is None:
            continue
        places = book.precision(posting.amount.commodity)
        if decimal_places(posting.amount.quantity) > places:
            problems.append(Problem(
                code="too-many-decimals", source=posting.source,
                message=f"{posting.amount.quantity} {posting.amount.commodity} has more than "
                        f"{places} decimals", hint=f"round it to {places} decimals"))
    problems.extend(ambiguous_description(txn))
    problems.extend(check_accounts_used([txn], book.chart))
    balanced, found = balance_transaction(txn)
    problems.extend(found)
    if not found:
        balanced = _round_derived(txn, balanced, book)
    return balanced, problems


def ambiguous_description(txn: Transaction) -> list[Problem]:
    """A description the date line would give back as a status mark or a code.

    The line is ``DATE [STATUS] [(CODE)] DESCRIPTION``: with neither status nor code, a
    description starting with '*' or '!' reads as a status; with no code, one starting
    with '(' and holding a ')' reads as a code. hledger and ledger read it that way too.
    """
    text = txn.description
    if not txn.status.value and not txn.code and text.startswith(("*", "!")):
        what = "a status mark"
    elif not txn.code and text.startswith("(") and ")" in text:
        what = "a (code)"
    else:
        return []
    return [Problem(code="ambiguous-description", source=txn.source,
                    message=f"the description {text!r} would be read back as starting "
                            f"with {what}",
                    hint="reword its start, or give the entry its status or code")]


def _round_derived(written: Transaction, balanced: Transaction, book: Book) -> Transaction:
    """Round a left-out amount to its commodity's precision, once, half-up.

    An amount derived through a price (125.00 EUR @ 1.0867 USD -> 135.8375 USD) would
    otherwise be written with more decimals than the currency has. The rounded entry
    still balances: the rounding is within the half-unit tolerance.
    """
    postings = []
    for before, after in zip(written.postings, balanced.postings, strict=True):
        filled = after.amount
        if before.amount is None and filled is not None:
            places = book.precision(filled.commodity)
            rounded = Amount(round_half_up(filled.quantity, places), filled.commodity)
            postings.append(after._replace(amount=rounded))
        else:
            postings.append(after)
    return balanced._replace(postings=tuple(postings))
