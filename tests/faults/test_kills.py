"""The quick fault-injection run of the suite; ``tests/faults/run.py`` is the full one.

Three multi-file commands are killed (and failed) at steps spread over their writes, and
a control proves the harness can see a half-written book: with the undo log switched
off, some of the same kills leave a book that is neither before nor after.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fault_harness as harness

QUICK = {"sale-ship": 6, "close": 6, "import-bank": 4}
"""Command -> kill points, spread evenly over its steps (fail points: half as many)."""

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import bizcli.cli.main  # noqa: F401  (imported before the forks)

    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="module")
def benches(work: Path) -> dict[str, harness.Bench]:
    return {name: harness.prepare(harness.BY_NAME[name], work) for name in QUICK}


def _spread(steps: int, count: int) -> list[int]:
    return sorted({1 + round(i * steps / max(count - 1, 1)) for i in range(count)})


@pytest.mark.parametrize("name", sorted(QUICK))
def test_killed_at_any_step_the_book_is_before_or_after(
        name: str, benches: dict[str, harness.Bench], work: Path) -> None:
    bench = benches[name]
    assert bench.steps > 10, "the command writes several files, each in several steps"
    trials = [("kill", at) for at in _spread(bench.steps, QUICK[name])]
    trials += [("fail", at) for at in _spread(bench.steps, QUICK[name] // 2)]
    for how, at in trials:
        outcome = harness.run_trial(bench, work, how=how, at=at)
        assert outcome.ok, harness.describe(outcome, bench, work / f"{name}-trial")


def test_a_killed_rollback_is_finished_by_the_next_command(
        benches: dict[str, harness.Bench], work: Path) -> None:
    bench = benches["sale-ship"]
    for at, check_at in ((bench.steps // 2, 3), (bench.steps - 2, 6)):
        outcome = harness.run_recovery_trial(bench, work, at=at, check_at=check_at)
        assert outcome.ok, harness.describe(outcome, bench, work / "sale-ship-trial")


def test_without_the_undo_log_the_harness_sees_half_written_books(
        benches: dict[str, harness.Bench], work: Path) -> None:
    bench = benches["sale-ship"]
    sabotaged = dict(bench.env, BIZ_FAULTS_SABOTAGE="1")
    states = set()
    for at in _spread(bench.steps, 12):
        book = harness.fresh_book(bench.pristine, work / "control")
        harness.run_biz(bench.command.argv(book), sabotaged, book=book, fault=("kill", at))
        state = harness.snapshot(book)
        states.add("before" if state == bench.before else "after" if state == bench.after
                   else "mixed")
    assert "mixed" in states, states
