"""Fixtures the oracle tests share."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="session")
def generated_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated 3-year book with many accounts, CJK names and tags."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate_book
    finally:
        sys.path.pop(0)
    folder = tmp_path_factory.mktemp("generated") / "book"
    generate_book(folder, transactions=3000, seed=7, accounts=120, years=3)
    return folder
