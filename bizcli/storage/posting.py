"""``biz post``: turn arguments or journal text into entries, check them, write them.

The flow of every write: take the lock -> load the book -> build the entries -> validate
(all problems at once) -> write atomically -> return what was written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bizcli.core.book import Book
from bizcli.core.ledger.balances import check_assertions
from bizcli.core.ledger.posting import validate_new_transaction
from bizcli.core.ledger.transactions import Posting, Status, Transaction
from bizcli.core.problems import BizcliError, Problem, fail
from bizcli.storage.atomic import book_lock
from bizcli.storage.commit import write_change
from bizcli.storage.journal_reader import read_amount, read_journal
from bizcli.storage.journal_store import add_transaction
from bizcli.storage.journal_writer import write_transaction
from bizcli.storage.loader import load_book, load_for_update

ARGS = None
"""Entries typed as arguments have no file and line."""


def transaction_from_args(*, date: str, description: str, postings: list[str],
                          tags: list[str], code: str, pending: bool, currency: str,
                          today: dt.date) -> Transaction:
    """Build an entry from ``biz post`` arguments; a usage problem raises BizcliError."""
    from bizcli.core.periods import PeriodError, parse_date

    try:
        day = parse_date(date, today=today)
    except PeriodError as err:
        raise fail("bad-date", str(err), hint="write the date as YYYY-MM-DD") from None
    pairs: list[Posting] = []
    problems: list[Problem] = []
    items = list(postings)
    while items:
        account = items.pop(0)
        text = items.pop(0) if items and not _looks_like_account(items[0], items) else None
        amount = None
        if text is not None:
            amount, found = read_amount(text, currency)
            problems.extend(found)
        pairs.append(Posting(account, amount, source=ARGS))
    if len(pairs) < 2:
        raise fail("too-few-postings", "an entry needs at least two postings",
                   hint="give ACCOUNT AMOUNT pairs, e.g. Expenses:Rent 1200 Assets:Bank")
    parsed_tags = []
    for item in tags:
        key, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[\w-]+", key):
            problems.append(Problem(code="bad-tag", message=f"tag {item!r} is not KEY=VALUE",
                                    source=ARGS, hint="e.g. --tag doc=INV-2026-0042"))
        parsed_tags.append((key, value.strip()))
    if problems:
        raise BizcliError(problems)
    return Transaction(day, description, tuple(pairs),
                       Status.PENDING if pending else Status.CLEARED, code, "",
                       tuple(parsed_tags), ARGS)


def _looks_like_account(token: str, rest: list[str]) -> bool:
    """An item is an account (not an amount) if it holds no digit, or a ':' and letters."""
    return not any(ch.isdigit() for ch in token) or (":" in token and len(rest) > 1
                                                     and token[0].isalpha())


def transactions_from_text(text: str) -> list[Transaction]:
    """Entries given in journal syntax (``biz post -``)."""
    parsed = read_journal("<stdin>", text)
    if parsed.problems:
        raise BizcliError(parsed.problems)
    if parsed.accounts or parsed.includes or parsed.prices or parsed.commodities:
        raise fail("unsupported-syntax", "only transactions can be posted from stdin",
                   hint="add accounts with 'biz account add'; directives stay in files")
    if not parsed.transactions:
        raise fail("empty-input", "no entry found on stdin",
                   hint="give one or more transactions in journal syntax")
    return parsed.transactions


def post_entries(root: Path, today: dt.date, *, text: str | None = None, date: str = "",
                 description: str = "", postings: list[str] | None = None,
                 tags: list[str] | None = None, code: str = "", pending: bool = False,
                 dry_run: bool = False) -> str:
    """Validate and write entries under the book lock; return their text."""
    with book_lock(root):
        book, state = load_for_update(root)
        if text is not None:
            entries = transactions_from_text(text)
        else:
            entries = [transaction_from_args(
                date=date, description=description, postings=postings or [], tags=tags or [],
                code=code, pending=pending, currency=book.settings.currency, today=today)]
        ready, problems = [], []
        for entry in entries:
            balanced, found = validate_new_transaction(entry, book, today)
            ready.append(balanced)
            problems.extend(found)
        if problems:
            raise BizcliError(problems)
        problems = _broken_assertions(root, book, ready)
        if problems:
            raise BizcliError(problems)
        precisions = book.precisions()
        if not dry_run and any(p.assertion for e in ready for p in e.postings):
            for entry in ready:  # the cache's list of assertions changes: rebuilt next load
                add_transaction(root, entry, precisions, book.settings.fiscal_year_start)
        elif not dry_run:
            write_change(root, (book, state), entries=ready)
        return "\n".join(write_transaction(e, precisions) for e in ready)


def _broken_assertions(root: Path, book: Book, entries: list[Transaction]) -> list[Problem]:
    """Problems with balance assertions that the new entries would make fail."""
    touched = {(p.account) for e in entries for p in e.postings}
    first = min(e.date for e in entries)
    if not any(d >= first and a in touched for d, a in book.asserted) and not any(
            p.assertion for e in entries for p in e.postings):
        return []
    full, _ = load_book(root, need_transactions=True)
    before = {(p.source, p.code) for p in check_assertions(full.transactions or (),
                                                           book.precisions())}
    after = check_assertions([*(full.transactions or ()), *entries], book.precisions())
    return [p for p in after if (p.source, p.code) not in before]
