"""The one way a command writes a change that spans files: stock, journal, documents.

In that order, each file replaced atomically under the book's lock (the caller holds
it); then the load cache is brought up to date with what was written, so the next
command does not read the whole book again. A crash between two files leaves a state
``biz check`` reports (an inventory drift, or a document missing its last step).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from bizcli.core.book import Book
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.money import ZERO
from bizcli.core.periods import fiscal_year_of
from bizcli.core.problems import BizcliError
from bizcli.core.source import SourceRef
from bizcli.core.stock.invariant import stock_value_by_document
from bizcli.core.stock.ledger import stock_valuation
from bizcli.core.stock.moves import StockMove
from bizcli.storage.atomic import write_atomic
from bizcli.storage.cache_refresh import Written, refresh_after_write
from bizcli.storage.journal_store import Placed, add_transaction
from bizcli.storage.loader import STOCK_DIR, CacheState
from bizcli.storage.stock_reader import write_move

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}) ", re.MULTILINE)
_LAST = re.compile(r"\n(\d{4}-\d{2}-\d{2}) ")  # in "\n" + text: many times faster than ^


class StockLines(NamedTuple):
    """Where ``add_stock_lines`` put each line, and which old lines it pushed down.

    ``pushed`` maps a stock file to the old line numbers before which a line went in,
    one per line (appended lines are not there).
    """

    placed: list[Placed]
    pushed: dict[str, list[int]]


def add_stock_lines(root: Path, lines: Sequence[tuple[StockMove, str]],
                    fiscal_start: tuple[int, int]) -> StockLines:
    """Put each line in its fiscal year's stock file, after every move on or before its day.

    Each file is read and replaced once; the common case (no move earlier than the
    file's last) appends without looking at the lines. The lines go in by date (then in
    their order), so each one's place in the old file is also its place in the new one.
    """
    by_file: dict[str, list[int]] = {}
    for index, (move, line) in enumerate(lines):
        if line.count("\n") != 1 or not line.endswith("\n"):
            raise ValueError(f"a stock move is one line: {line!r}")
        rel = f"{STOCK_DIR}/{fiscal_year_of(move.date, fiscal_start)}.stock"
        by_file.setdefault(rel, []).append(index)
    placed: dict[int, Placed] = {}
    pushed: dict[str, list[int]] = {}
    for rel, indexes in by_file.items():
        path = root / rel
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old and not old.endswith("\n"):
            old += "\n"
        end_line = old.count("\n") + 1  # the line an appended line gets
        last = max(set(_LAST.findall("\n" + old)), default="")
        cuts: list[tuple[int, int, int]] = []  # (offset in old, old line, index)
        for index in sorted(indexes, key=lambda i: (lines[i][0].date, i)):
            day = lines[index][0].date.isoformat()
            if day >= last:
                cuts.append((len(old), end_line, index))
            else:
                at = next(m.start() for m in _DATE.finditer(old) if m.group(1) > day)
                cuts.append((at, old.count("\n", 0, at) + 1, index))
        pieces, done = [], 0
        for at, _, index in cuts:
            pieces += [old[done:at], lines[index][1]]
            done = at
        text = "".join([*pieces, old[done:]])
        write_atomic(path, text)
        appended = all(at == len(old) for at, _, _ in cuts)
        for k, (_, line_number, index) in enumerate(cuts):
            placed[index] = Placed(rel, text, appended, line_number + k)
        inside = [line_number for at, line_number, _ in cuts if at < len(old)]
        if inside:
            pushed[rel] = inside
    return StockLines([placed[index] for index in range(len(lines))], pushed)


def stock_value_changes(book: Book, state: CacheState | None,
                        moves: Sequence[StockMove]
                        ) -> dict[tuple[dt.date, str], Decimal] | None:
    """How the new moves change the stock value per (day, document); None if unknown.

    The moved items are valued before and after, over all their moves (which the book
    must hold, see ``CacheState.items``): a back-dated move changes the cost of the
    later issues of its item too, not only its own value.
    """
    touched = {move.item for move in moves}
    if state is None or (state.items is not None and not touched <= state.items):
        return None
    before = [m for m in book.stock_moves or () if m.item in touched]
    after = sorted([*before, *moves], key=lambda m: m.date)  # stable: new after the day's
    try:
        old, new = (stock_value_by_document(stock_valuation(book, m)) for m in (before, after))
    except BizcliError:
        return None
    changes = {key: new.get(key, ZERO) - old.get(key, ZERO) for key in set(old) | set(new)}
    return {key: change for key, change in changes.items() if change}


def write_change(root: Path, loaded: tuple[Book, CacheState | None], *,
                 moves: Sequence[StockMove] = (), entries: Sequence[Transaction] = (),
                 documents: Callable[[], Sequence[str]] = tuple) -> None:
    """Write the moves, the entries, the documents; then bring the cache up to date.

    ``documents`` writes the document files and returns their paths.
    """
    book, state = loaded
    precisions = book.precisions()
    start = book.settings.fiscal_year_start
    changes = stock_value_changes(book, state, moves) if moves else {}
    stock = add_stock_lines(root, [(move, write_move(move, precisions)) for move in moves],
                            start)
    placed = [add_transaction(root, entry, precisions, start) for entry in entries]
    files = documents()
    if changes is None:
        return  # the next load rebuilds the cache
    refresh_after_write(root, state, book, Written(
        entries=entries,
        moves=[move._replace(source=SourceRef(p.rel, p.line))
               for move, p in zip(moves, stock.placed, strict=True)],
        stock_values=changes, pushed=stock.pushed,
        files=frozenset([*(p.rel for p in [*stock.placed, *placed]), *files]),
        inserted=frozenset(p.rel for p in placed if not p.appended)))
