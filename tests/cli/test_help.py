"""Every command explains itself: help text with examples, and a mention in the docs."""

from __future__ import annotations

import pytest
import typer

from bizcli.cli.main import app
from tests.conftest import ROOT, run_biz


def _commands(group: object = None, words: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command's words (``crm deal add``), groups within groups included."""
    group = group or typer.main.get_group(app)
    found: list[list[str]] = []
    for name, command in getattr(group, "commands", {}).items():
        if getattr(command, "commands", None):
            found.extend(_commands(command, (*words, name)))
        else:
            found.append([*words, name])
    return found


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_every_command_has_help_with_examples(words: list[str]) -> None:
    result = run_biz([*words, "--help"])
    assert result.code == 0
    assert "Examples:" in result.out
    assert f"biz {' '.join(words)}" in result.out


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_every_command_is_in_the_docs(words: list[str]) -> None:
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
    assert f"biz {' '.join(words)}" in docs
