"""A file that cannot be read at all is one problem, not one per line naming its codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bizcli.storage.loader import load_book

WORKSHOP = Path(__file__).resolve().parents[3] / "examples" / "workshop"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    shutil.copytree(WORKSHOP, tmp_path / "book")
    return tmp_path / "book"


def errors(book: Path, **kwargs: bool) -> list[tuple[str, str]]:
    _, problems = load_book(book, **kwargs)
    return [(p.code, str(p.source)) for p in problems if p.severity.value == "error"]


def test_an_unreadable_master_file_is_one_problem_not_one_per_reference(book: Path) -> None:
    (book / "warehouses.yaml").write_text("schema: 1\nwarehouses:\n- &w {code: W, name: W}"
                                          "\n- *w\n")
    assert errors(book, need_stock=True) == [("yaml-alias", "warehouses.yaml:4")]


def test_an_unreadable_chart_is_one_problem_not_one_per_account_used(book: Path) -> None:
    (book / "accounts.yaml").write_text("schema: 1\naccounts: [\n")
    assert errors(book) == [("bad-yaml", "accounts.yaml:3")]


def test_one_bad_record_still_leaves_the_others_unknown_codes_reported(book: Path) -> None:
    text = (book / "warehouses.yaml").read_text(encoding="utf-8")
    (book / "warehouses.yaml").write_text(text.replace("code: SHOWROOM", "code: [SHOWROOM]"))
    codes = {code for code, _ in errors(book, need_stock=True)}
    assert "unknown-warehouse" in codes
