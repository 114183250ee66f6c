"""Git merge conflicts in book files are named, with their lines, not parsed as data."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bizcli.core.conflicts import conflict_problems

CONFLICT = "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> other\n"


@given(st.text())
def test_text_without_an_opening_marker_has_no_conflict(text: str) -> None:
    assert conflict_problems("f", text.replace("<<<<<<<", "<<<")) == []


def test_each_conflict_with_its_lines() -> None:
    found = conflict_problems("j", "x\n" + CONFLICT + "y\n" + CONFLICT)
    assert [(p.code, p.source.line, p.source.end_line) for p in found if p.source] == [
        ("merge-conflict", 2, 6), ("merge-conflict", 8, 12)]


def test_markers_must_be_whole_lines_in_order() -> None:
    assert conflict_problems("j", "; <<<<<<< in a comment\n=======\n>>>>>>>\n") == []
    assert conflict_problems("j", "<<<<<<< a\n>>>>>>> b\n") == []  # no middle
    assert conflict_problems("j", "=======\n<<<<<<< a\nb\n") == []  # never closed
    assert conflict_problems("j", "<<<<<<<<< a\n=======\n>>>>>>> b\n") == []  # 9 <


def test_a_conflict_in_the_crm_files(example_book: Path) -> None:
    from bizcli.storage.crm_loader import load_crm

    deals = example_book / "crm" / "deals.yaml"
    deals.write_text(deals.read_text().replace("deals:\n", "deals:\n" + CONFLICT, 1))
    _, problems = load_crm(example_book)
    assert [p.code for p in problems if p.code == "merge-conflict"] == ["merge-conflict"]
