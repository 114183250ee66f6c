"""Write a stock move typed on the command line, and the journal entry it needs.

Under the book lock: load the book with its stock, value the new move after every
move before it, check the entry (lock date, open year), then write the stock file and
the journal, each atomically. The stock file is written first: if the process dies
between the two writes, ``biz check`` reports the inventory drift on that date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bizcli.core.ledger.posting import validate_new_transaction
from bizcli.core.periods import fiscal_year_of
from bizcli.core.problems import BizcliError, Problem
from bizcli.core.stock.moves import StockMove
from bizcli.core.stock.posting import record_move
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.journal_store import add_transaction
from bizcli.storage.journal_writer import write_transaction
from bizcli.storage.loader import STOCK_DIR, load_for_write
from bizcli.storage.stock_reader import TypedMove, parse_typed_move, write_move

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}) ", re.MULTILINE)


def record_stock_move(root: Path, typed: TypedMove, *, today: dt.date,
                      dry_run: bool = False) -> str:
    """Validate and write a typed move (and its entry); return what was written."""
    with book_lock(root):
        book = load_for_write(root, need_stock=True)
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
            add_stock_line(root, move, line, book.settings.fiscal_year_start)
            if entry is not None:
                add_transaction(root, entry, precisions, book.settings.fiscal_year_start)
    return line + ("" if entry is None else "\n" + write_transaction(entry, precisions))


def add_stock_line(root: Path, move: StockMove, line: str,
                   fiscal_start: tuple[int, int]) -> None:
    """Put the line in its fiscal year's stock file, after every move on or before its day."""
    path = root / STOCK_DIR / f"{fiscal_year_of(move.date, fiscal_start)}.stock"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    day = move.date.isoformat()
    later = next((m.start() for m in _DATE.finditer(text) if m.group(1) > day), None)
    new_text = text + line if later is None else text[:later] + line + text[later:]
    write_atomic(path, new_text)
