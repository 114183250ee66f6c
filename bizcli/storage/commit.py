"""The one way a command writes a change that spans files: stock, journal, documents.

In that order, each file replaced atomically under the book's lock (the caller holds
it); then the load cache is brought up to date with what was written, so the next
command does not read the whole book again. A crash between two files leaves a state
``biz check`` reports (an inventory drift, or a document missing its last step).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from bizcli.core.book import Book
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.periods import fiscal_year_of
from bizcli.core.source import SourceRef
from bizcli.core.stock.moves import StockMove
from bizcli.storage.atomic import write_atomic
from bizcli.storage.cache_refresh import Written, refresh_after_write
from bizcli.storage.journal_store import Placed, add_transaction
from bizcli.storage.loader import STOCK_DIR, CacheState
from bizcli.storage.stock_reader import write_move

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}) ", re.MULTILINE)
_LAST = re.compile(r"\n(\d{4}-\d{2}-\d{2}) ")  # in "\n" + text: many times faster than ^


def add_stock_lines(root: Path, lines: Sequence[tuple[StockMove, str]],
                    fiscal_start: tuple[int, int]) -> list[Placed]:
    """Put each line in its fiscal year's stock file, after every move on or before its day.

    Each file is read and replaced once; the common case (no move earlier than the
    file's last) appends without looking at the lines.
    """
    by_file: dict[str, list[int]] = {}
    for index, (move, _) in enumerate(lines):
        rel = f"{STOCK_DIR}/{fiscal_year_of(move.date, fiscal_start)}.stock"
        by_file.setdefault(rel, []).append(index)
    placed: dict[int, Placed] = {}
    for rel, indexes in by_file.items():
        path = root / rel
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if text and not text.endswith("\n"):
            text += "\n"
        last = max(set(_LAST.findall("\n" + text)), default="")
        starts = []
        appended = True  # every line went at the very end (so no line number moved)
        for index in indexes:
            move, line = lines[index]
            day = move.date.isoformat()
            if day >= last:
                at = len(text)
                last = day
            else:
                at = next(m.start() for m in _DATE.finditer(text) if m.group(1) > day)
                appended = False
            starts.append((index, at))
            text = text[:at] + line + text[at:]
        write_atomic(path, text)
        for index, at in starts:
            placed[index] = Placed(rel, text, appended, text.count("\n", 0, at) + 1)
    return [placed[index] for index in range(len(lines))]


def write_change(root: Path, loaded: tuple[Book, CacheState | None], *,
                 moves: Sequence[tuple[StockMove, Decimal]] = (),
                 entries: Sequence[Transaction] = (),
                 documents: Callable[[], Sequence[str]] = tuple) -> None:
    """Write the moves (each with its change of stock value), the entries, the documents.

    ``documents`` writes the document files and returns their paths. Then the cache.
    """
    book, state = loaded
    precisions = book.precisions()
    start = book.settings.fiscal_year_start
    placed = add_stock_lines(root, [(move, write_move(move, precisions)) for move, _ in moves],
                             start)
    valued = [(move._replace(source=SourceRef(p.rel, p.line)), value)
              for (move, value), p in zip(moves, placed, strict=True)]
    placed += [add_transaction(root, entry, precisions, start) for entry in entries]
    files = documents()
    refresh_after_write(root, state, book, Written(
        entries=entries, moves=valued, files=frozenset([*(p.rel for p in placed), *files]),
        appended=all(p.appended for p in placed)))
