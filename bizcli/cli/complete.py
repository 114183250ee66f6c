"""Shell completion of the book's own codes: items, customers, suppliers, accounts.

``biz --install-completion`` installs Typer's completion for bash, zsh or fish; these
functions give it the codes of the book the command line points at (``-B``, else
``$BIZ_BOOK``, else the nearest book upward). Completion must never fail loudly: a
missing or broken book completes nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import typer

Completer = Callable[[typer.Context, str], list[str]]


def _book_option(ctx: typer.Context) -> str | None:
    here: typer.Context | None = ctx
    while here is not None:
        value = here.params.get("book")
        if isinstance(value, str) and value:
            return value
        here = here.parent  # type: ignore[assignment]
    return None


def _codes(ctx: typer.Context, kind: str) -> list[str]:
    from bizcli.storage.cache import no_moves
    from bizcli.storage.loader import load_book
    from bizcli.storage.location import find_book

    with contextlib.suppress(Exception):  # completion prints nothing rather than a trace
        root = find_book(_book_option(ctx), Path.cwd(), os.environ)
        book, _ = load_book(root, need_stock=kind != "accounts", moves_of=no_moves)
        if kind == "accounts":
            return sorted(a.name for a in book.chart.accounts)
        if kind == "items":
            return sorted(i.code for i in book.items)
        return sorted(p.code for p in (book.customers if kind == "customers"
                                       else book.suppliers))
    return []


def _completer(kind: str, suffix: str = "") -> Completer:
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        return [code + suffix for code in _codes(ctx, kind)
                if code.lower().startswith(incomplete.lower())]
    return complete


items = _completer("items")
customers = _completer("customers")
suppliers = _completer("suppliers")
accounts = _completer("accounts")
item_lines = _completer("items", "=")
"""``ITEM=QUANTITY`` arguments: the item code and the ``=``."""
