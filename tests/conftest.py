"""Shared fixtures: run ``biz`` in-process, fresh books, the example book."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "workshop"
TODAY = "2026-11-22"


@dataclass
class Result:
    """What one ``biz`` invocation printed and returned."""

    code: int
    out: str
    err: str


def run_biz(args: list[str], *, stdin: str = "", env: dict[str, str] | None = None) -> Result:
    """Run ``biz ARGS`` in this process with a pinned date, capturing its output."""
    from bizcli.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    pinned = {"BIZ_TODAY": TODAY, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    saved = {k: os.environ.get(k) for k in (*pinned, "BIZ_BOOK")}
    os.environ.update(pinned)
    if env is None or "BIZ_BOOK" not in env:
        os.environ.pop("BIZ_BOOK", None)
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        sys.stdin = old_stdin
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Result(int(code), out.getvalue(), err.getvalue())


@pytest.fixture
def biz() -> Callable[..., Result]:
    """``biz(["-B", dir, "bal"])`` -> Result."""
    return run_biz


@pytest.fixture
def new_book(tmp_path: Path) -> Path:
    """A fresh trading book with no entries."""
    folder = tmp_path / "book"
    result = run_biz(["init", str(folder), "--company", "Test Co"])
    assert result.code == 0, result.err
    return folder


@pytest.fixture
def example_book(tmp_path: Path) -> Path:
    """A private copy of examples/workshop (tests may write to it)."""
    folder = tmp_path / "workshop"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".biz"))
    return folder


def write_journal(book: Path, name: str, text: str) -> Path:
    """Write a journal file into a book (dedenting nothing: give exact text)."""
    path = book / "journal" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
