"""Stock operations recorded by hand (count, adjustment, transfer) and their entries.

A count or an adjustment changes the value of the stock, so it writes a journal entry
between the inventory account and the adjustments account (DESIGN.md §5: stock count
difference); a transfer between warehouses does not change the value and writes none.
The move is valued in the context of every move before it, so the entry is exactly
the change in stock value, and the inventory invariant keeps holding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bizcli.core.book import Book
from bizcli.core.ledger.transactions import Posting, Status, Transaction
from bizcli.core.money import ZERO, Amount
from bizcli.core.problems import Problem
from bizcli.core.stock.items import check_move_references
from bizcli.core.stock.ledger import stock_valuation
from bizcli.core.stock.moves import MoveKind, StockMove
from bizcli.core.stock.valuation import ValuedMove


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedMove:
    """A move ready to write, its valuation, and the journal entry it needs (if any)."""

    move: StockMove
    valued: tuple[ValuedMove, ...]
    entry: Transaction | None


def record_move(book: Book, move: StockMove) -> tuple[RecordedMove | None, list[Problem]]:
    """Check a new move against the book's stock and value it; problems if it cannot be."""
    valued, problems = value_new_moves(book, [move])
    if valued is None:
        return None, problems
    mine = valued[0]
    return RecordedMove(move=move, valued=mine, entry=_entry(book, move, mine)), []


def value_new_moves(book: Book, moves: Sequence[StockMove]
                    ) -> tuple[list[tuple[ValuedMove, ...]] | None, list[Problem]]:
    """Value new moves among the book's own, in date order; per move, its valued effects.

    A move may be dated before later moves of its item (after the lock date, which the
    caller checks): it is valued in its place, and refused if it would leave a later
    move short. The later moves' entries then no longer match their cost; ``biz stock
    repost`` appends the entries that bring the journal back in line. Only the moves of
    the items concerned are folded again: an item's value never depends on another's.
    """
    items = {i.code: i for i in book.items}
    problems = check_move_references(moves, items, {w.code: w for w in book.warehouses})
    if problems:
        return None, problems
    concerned = {m.item for m in moves}
    before = [m for m in book.stock_moves or () if m.item in concerned]
    combined = sorted([*before, *moves], key=lambda m: m.date)  # stable: new ones last
    valuation = stock_valuation(book, combined)
    # The new moves have no file:line yet; the book's own moves were checked at load.
    refused = [p for p in valuation.problems if p.source is None]
    if not refused and back_dated(book, moves):
        known = {p.one_line() for p in stock_valuation(book, before).problems}
        refused = [Problem(code="back-dated-move", message="this back-dated move would leave "
                           f"a later move short: {p.message}",
                           hint="date the move later, or change its quantity",
                           source=p.source)
                   for p in valuation.problems if p.one_line() not in known]
    if refused:
        return None, refused
    by_move: dict[int, list[ValuedMove]] = {id(m): [] for m in moves}
    for valued in valuation.moves:
        if id(valued.move) in by_move:
            by_move[id(valued.move)].append(valued)
    return [tuple(by_move[id(m)]) for m in moves], []


def back_dated(book: Book, moves: Sequence[StockMove]) -> list[str]:
    """The items of ``moves`` that already have moves dated after the new one."""
    latest: dict[str, dt.date] = {}
    for move in book.stock_moves or ():
        if move.date > latest.get(move.item, dt.date.min):
            latest[move.item] = move.date
    return sorted({m.item for m in moves if m.date < latest.get(m.item, dt.date.min)})


def _entry(book: Book, move: StockMove, valued: tuple[ValuedMove, ...]) -> Transaction | None:
    """Inventory against adjustments for a count or adjustment that changed the value."""
    change = sum((v.value for v in valued), ZERO)
    if move.kind not in (MoveKind.COUNT, MoveKind.ADJUST) or not change:
        return None
    settings = book.settings
    inventory = settings.role("inventory") or "Assets:Inventory"
    adjustments = settings.role("adjustments") or "Expenses:Inventory Adjustments"
    amount = Amount(change, settings.currency)
    what = "Stock count" if move.kind is MoveKind.COUNT else "Stock adjustment"
    tags = (("doc", move.document),) if move.document else ()
    return Transaction(move.date, f"{what}: {move.item} in {move.warehouse}",
                       (Posting(inventory, amount), Posting(adjustments, -amount)),
                       Status.CLEARED, move.document, "", tags)

