"""The stock ledger of a book: its moves valued with each item's method."""

from __future__ import annotations

from collections.abc import Iterable

from bizcli.core.book import Book
from bizcli.core.stock.moves import StockMove
from bizcli.core.stock.valuation import Method, Valuation, value_moves


def stock_valuation(book: Book, moves: Iterable[StockMove] | None = None) -> Valuation:
    """Value the book's moves (or ``moves``) with each item's method, else the book's."""
    methods = {item.code: item.valuation for item in book.items
               if item.valuation is not None}
    return value_moves(book.stock_moves or () if moves is None else moves, methods,
                       places=book.precision(book.settings.currency),
                       default=Method(book.settings.valuation),
                       allow_negative=book.settings.allow_negative_stock)
