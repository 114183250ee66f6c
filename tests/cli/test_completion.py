"""Shell completion: Typer's scripts for bash, zsh and fish, and the book's own codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE


def complete(words: str, *, cwd: Path = EXAMPLE, env: dict[str, str] | None = None
             ) -> list[str]:
    """What bash completion offers for the last word of ``words``."""
    parts = words.split(" ")
    done = subprocess.run(
        [sys.executable, "-m", "bizcli"], cwd=cwd, capture_output=True, text=True,
        check=True, env={**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1),
                         "_BIZ_COMPLETE": "complete_bash", **(env or {})})
    return done.stdout.split()


@pytest.mark.parametrize(("words", "expected"), [
    ("biz sale order harb", ["harbor-interiors"]),
    ("biz sale order harbor-interiors BRD-", ["BRD-OAK-27=", "BRD-WALNUT-27="]),
    ("biz purchase order bright", ["brightline-hw"]),
    ("biz bal Assets:Bank:", ["Assets:Bank:Checking", "Assets:Bank:Savings"]),
    ("biz stock adjust CUT", ["CUTBOARD-EG"]),
    ("biz mrp record TABLE-", ["TABLE-OAK"]),
    ("biz clo", ["close"]),
])
def test_codes_of_the_book_complete(words: str, expected: list[str]) -> None:
    assert complete(words) == expected


def test_the_book_option_and_a_missing_book(tmp_path: Path) -> None:
    assert complete(f"biz -B {EXAMPLE} stock adjust CUT", cwd=tmp_path) == ["CUTBOARD-EG"]
    assert complete("biz stock adjust CUT", cwd=tmp_path,
                    env={"BIZ_BOOK": str(tmp_path / "none")}) == []


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "_biz_completion()"), ("zsh", "#compdef biz"), ("fish", "complete --command biz")])
def test_completion_scripts(shell: str, marker: str) -> None:
    """Each shell's script, asked for by name (``--show-completion`` takes the shell
    it runs in, which a test cannot choose)."""
    done = subprocess.run([sys.executable, "-m", "bizcli"], capture_output=True, text=True,
                          check=False, env={**os.environ, "_BIZ_COMPLETE": f"source_{shell}"})
    assert done.returncode == 0, done.stderr
    assert marker in done.stdout
    assert "_BIZ_COMPLETE" in done.stdout
