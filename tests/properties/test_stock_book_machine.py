"""A state machine over a real book: random stock moves through the commands, and reposts.

Receipts and issues (``stock adjust``), transfers and counts go in on random days of
two months, so many are back-dated among earlier ones; some are refused (more than on
hand, or a back-dated move that would leave a later one short). After every step:

- a refused command exited 1 with one-line errors and left every file as it was;
- the book loads with no problem other than the drift a back-dated move announced
  ("# back-dated: ... 'biz stock repost' brings the journal in line"): every entry
  balances, no quantity is negative, and without such a move the inventory account
  equals the stock valuation on every day;
- after ``biz stock repost``, ``biz check`` passes: the invariant holds again;
- the load cache the commands kept warm equals a cold load.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tests.cli.test_cache_refresh import _view
from tests.conftest import Result, run_biz

ITEMS = """schema: 1
items:
- code: FIFO
  name: Valued first in, first out
  unit: pc
  valuation: fifo
- code: AVG
  name: Valued at moving average
  unit: pc
  valuation: average
"""
WAREHOUSES = "schema: 1\nwarehouses:\n- code: MAIN\n  name: Main\n- code: SHOP\n  name: Shop\n"

items = st.sampled_from(["FIFO", "AVG"])
warehouses = st.sampled_from(["MAIN", "SHOP"])
quantities = st.integers(1, 40)
costs = st.integers(100, 9_999).map(lambda cents: f"{cents / 100:.2f}")
days = st.integers(0, 59).map(lambda n: (dt.date(2026, 1, 1) + dt.timedelta(n)).isoformat())


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".biz" not in p.parts}


class StockBook(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.root = self.folder / "book"
        assert run_biz(["init", str(self.root), "--company", "Machine Co"]).code == 0
        (self.root / "items.yaml").write_text(ITEMS, encoding="utf-8")
        (self.root / "warehouses.yaml").write_text(WAREHOUSES, encoding="utf-8")
        self.drift_announced = False

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _write(self, *args: str) -> Result:
        before = _files(self.root)
        result = run_biz(["-B", str(self.root), *args])
        if result.code == 0:
            self.drift_announced |= "# back-dated:" in result.out
        else:
            assert result.code == 1, result.err
            assert "Traceback" not in result.err
            assert all(line.startswith(("error[", "  hint:", "note:")) or ": error[" in line
                       for line in result.err.splitlines() if line), result.err
            assert _files(self.root) == before
        return result

    @rule(item=items, quantity=quantities, cost=costs, day=days)
    def receive(self, item: str, quantity: int, cost: str, day: str) -> None:
        self._write("stock", "adjust", item, str(quantity), "MAIN", "--cost", cost,
                    "--date", day)

    @rule(item=items, quantity=quantities, warehouse=warehouses, day=days)
    def issue(self, item: str, quantity: int, warehouse: str, day: str) -> None:
        self._write("stock", "adjust", item, str(-quantity), warehouse, "--date", day)

    @rule(item=items, quantity=quantities, day=days)
    def transfer(self, item: str, quantity: int, day: str) -> None:
        self._write("stock", "transfer", item, str(quantity), "MAIN", "SHOP", "--date", day)

    @rule(item=items, quantity=st.integers(0, 60), warehouse=warehouses, day=days)
    def count(self, item: str, quantity: int, warehouse: str, day: str) -> None:
        self._write("stock", "count", item, str(quantity), warehouse, "--date", day)

    @rule()
    def repost(self) -> None:
        result = self._write("stock", "repost")
        assert result.code == 0, result.err
        self.drift_announced = False

    @invariant()
    def the_book_holds_together(self) -> None:
        check = run_biz(["-B", str(self.root), "check"])
        errors = [line for line in check.err.splitlines() if "error[" in line]
        if self.drift_announced:
            assert all("error[inventory-drift]" in line for line in errors), check.err
        else:
            assert check.code == 0, check.err
            assert errors == []

    @invariant()
    def the_warm_cache_equals_a_cold_load(self) -> None:
        assert _view(self.root, use_cache=True) == _view(self.root, use_cache=False)


StockBook.TestCase.settings = settings(
    max_examples=8, stateful_step_count=10, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_stock_book = StockBook.TestCase
