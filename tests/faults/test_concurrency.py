"""The quick concurrency run of the suite (4 processes x 6 writes); concurrency.py is the
full one (4 x 250)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import concurrency


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks")
def test_four_writers_at_once_every_write_lands_once_without_gaps(tmp_path: Path) -> None:
    result, expected = concurrency.run(4, 6, tmp_path)
    assert result.problems(expected) == []
    assert sum(result.entries.values()) == 8
    assert len(result.sales) == len(result.purchases) == 8
