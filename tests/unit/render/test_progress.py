"""Progress bars: on a terminal only, and only once work is reported."""

from __future__ import annotations

import io
import sys

import pytest

from bizcli.render.progress import progress_bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_in_a_pipe() -> None:
    with progress_bar("Reading", lambda: 10) as advance:
        assert advance is None


def test_a_bar_on_a_terminal_starts_with_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    asked: list[int] = []

    def total() -> int:
        asked.append(1)
        return 10

    with progress_bar("Reading the book", total) as advance:
        assert advance is not None
        assert screen.getvalue() == ""  # nothing reported: nothing drawn, total not asked
        assert asked == []
        advance(5)
        advance(5)
    assert asked == [1]
    assert "Reading the book" in screen.getvalue()


def test_mrp_reports_every_item_it_plans(example_book: object) -> None:
    import datetime as dt
    from pathlib import Path

    from bizcli.core.production.demand import MrpOptions, run_mrp
    from bizcli.core.stock.items import ItemKind
    from bizcli.storage.loader import load_book

    assert isinstance(example_book, Path)
    book, _ = load_book(example_book, need_stock=True)
    told: list[int] = []
    run_mrp(book, None, MrpOptions(today=dt.date(2026, 11, 22)), told.append)
    assert sum(told) == sum(1 for i in book.items if i.kind is not ItemKind.SERVICE)
