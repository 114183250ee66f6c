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


PAGES = {
    "init": "book.md", "check": "book.md", "accounts": "accounting.md",
    "account": "book.md", "bal": "accounting.md", "reg": "accounting.md",
    "tb": "accounting.md", "is": "accounting.md", "bs": "accounting.md",
    "cf": "accounting.md", "summary": "accounting.md", "post": "journal.md",
    "stock": "stock.md", "customer": "records.md", "supplier": "records.md",
    "item": "records.md", "warehouse": "records.md", "purchase": "purchases.md",
    "sale": "sales.md", "aging": "sales.md purchases.md", "crm": "crm.md", "bom": "production.md",
    "wo": "production.md", "mrp": "production.md", "close": "close.md",
    "reopen": "close.md", "import": "imports.md", "export": "exports.md",
}
"""The docs page(s) of each top-level command or group: its user's manual."""


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_every_command_is_on_its_groups_page(words: list[str]) -> None:
    pages = PAGES.get(words[0])
    assert pages is not None, f"no docs page for 'biz {words[0]}': add one to PAGES"
    if words[:2] == ["import", "journal"]:
        pages = "migrating.md"
    text = "".join((ROOT / "docs" / page).read_text(encoding="utf-8")
                   for page in pages.split())
    assert " ".join(words) in text
