"""Write a stock move typed on the command line, and the journal entry it needs.

Under the book lock: load the book with its stock, value the new move after every
move before it, check the entry (lock date, open year), then write the stock file and
the journal, each atomically. The stock file is written first: if the process dies
between the two writes, ``biz check`` reports the inventory drift on that date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bizcli.core.ledger.balancing import balance_transaction
from bizcli.core.ledger.posting import validate_new_transaction
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.problems import BizcliError, Problem
from bizcli.core.stock.posting import back_dated, record_move
from bizcli.core.stock.repost import (
    RepostAccounts,
    drifting_days,
    ledger_by_document,
    repost,
    stock_by_document,
)
from bizcli.storage.atomic import book_lock
from bizcli.storage.cache import no_moves
from bizcli.storage.cache_refresh import Written, refresh_after_write
from bizcli.storage.commit import write_change
from bizcli.storage.journal_reader import entries_on, read_journal
from bizcli.storage.journal_store import add_transactions
from bizcli.storage.journal_writer import write_transaction
from bizcli.storage.loader import has_include, journal_paths, load_book, load_for_update
from bizcli.storage.stock_reader import TypedMove, parse_typed_move, write_move


def record_stock_move(root: Path, typed: TypedMove, *, today: dt.date,
                      dry_run: bool = False) -> str:
    """Validate and write a typed move (and its entry); return what was written."""
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=lambda _: {typed.item})
        move = parse_typed_move(typed, today=today, currency=book.settings.currency)
        item = next((i for i in book.items if i.code == move.item), None)
        if item is not None and not move.unit:
            move = move._replace(unit=item.unit)
        recorded, problems = record_move(book, move)
        if recorded is None:
            raise BizcliError(problems)
        entry = recorded.entry
        lock = book.settings.lock_date
        if lock is not None and move.date <= lock:
            raise BizcliError([Problem(
                code="locked-period", message=f"{move.date} is on or before the lock date {lock}",
                hint="date the move after the lock date, or reopen the period")])
        if entry is not None:
            entry, problems = validate_new_transaction(entry, book, today)
            if problems:
                raise BizcliError(problems)
        precisions = book.precisions()
        line = write_move(move, precisions)
        if not dry_run:
            write_change(root, (book, state), moves=[move],
                         entries=[entry] if entry is not None else [])
    return line + ("" if entry is None else "\n" + write_transaction(entry, precisions)) + (
        repost_hint(back_dated(book, [move])))


def repost_hint(items: list[str]) -> str:
    """The note a command prints after a back-dated move changed later costs."""
    if not items:
        return ""
    return (f"# back-dated: later moves of {', '.join(items)} may now cost differently; "
            "'biz stock repost' brings the journal in line\n")


def _entries_on_days(root: Path, days: set[dt.date]) -> list[Transaction]:
    """The journal's entries on ``days``, with elided amounts filled in.

    Every journal file is searched (an entry may sit in any of them), but only the
    entries on those days are parsed. A book whose journal files include others is
    read whole, includes and all.
    """
    texts = [(rel, (root / rel).read_text(encoding="utf-8")) for rel in journal_paths(root)]
    if any(has_include(text) for _, text in texts):
        found = load_book(root, need_transactions=True)[0].transactions or ()
        candidates = [t for t in found if t.date in days]
    else:
        candidates = [t for rel, text in texts
                      for t in read_journal(rel, entries_on(text, days)).transactions]
    return [balance_transaction(t)[0] for t in candidates]


def repost_stock(root: Path, *, today: dt.date, dry_run: bool = False) -> str:
    """Append the entries that bring the inventory account back to the stock valuation.

    The days with a difference are found from the running balances and the stock value
    per (day, document) the load keeps (in its cache), without reading any posting or
    valuing any move; then only the entries on those days are parsed, from every
    journal file. The load cache is brought up to date with the new entries.
    """
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        settings = book.settings
        inventory = settings.role("inventory") or "Assets:Inventory"
        currency = settings.currency
        ledger_days = book.balances.daily_changes(
            lambda a: a == inventory or a.startswith(inventory + ":"), currency)
        days = drifting_days(book.stock_values, ledger_days)
        if not days:
            return "# nothing to repost: the inventory account matches the stock valuation\n"
        start = settings.fiscal_year_start
        transactions = _entries_on_days(root, set(days))
        done = repost(stock_by_document(book.stock_values, days),
                      ledger_by_document(transactions, days, inventory, currency),
                      RepostAccounts(inventory=inventory,
                                     cogs=settings.role("cogs") or "Expenses:Cost of Goods Sold",
                                     adjustments=settings.role("adjustments")
                                     or "Expenses:Inventory Adjustments",
                                     currency=currency,
                                     sales_documents=frozenset(s.number for s in book.sales)))
        entries = []
        for entry in done.entries:
            checked, problems = validate_new_transaction(entry, book, today)
            if problems:
                raise BizcliError(problems)
            entries.append(checked)
        precisions = book.precisions()
        if entries and not dry_run:
            files = add_transactions(root, entries, precisions, start)
            refresh_after_write(root, state, book, Written(
                entries=entries, files=frozenset(rel for rel, _ in files),
                inserted=frozenset(rel for rel, appended in files if not appended)))
    text = "".join(write_transaction(e, precisions) + "\n" for e in entries)
    notes = [f"# {len(entries)} adjusting entr{'y' if len(entries) == 1 else 'ies'}"
             + (" (dry run: nothing written)" if dry_run else "")]
    notes += [f"# not reposted: {day} {doc or '(no document)'}: {amount} {currency} posted to "
              f"{inventory} with no stock move behind it; correct that entry by hand"
              for day, doc, amount in done.unexplained]
    return text + "".join(n + "\n" for n in notes)
