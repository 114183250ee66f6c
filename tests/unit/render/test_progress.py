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
