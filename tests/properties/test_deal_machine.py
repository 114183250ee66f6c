"""A state machine over deals: random opens, moves, wins, losses and reopenings.

After every step, whatever was refused:

- every won deal with product lines names exactly one sales document, and that
  document names the deal back (one order per won deal, never two);
- no sales document names a deal that is not won;
- the CRM cache gives what the files say, and ``biz check`` passes.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tests.cli.test_sales import CUSTOMERS, ITEMS
from tests.conftest import Result, run_biz

STAGES = ("new", "qualified", "proposal", "negotiation")


class Deals(RuleBasedStateMachine):
    """Deals with and without lines, driven through ``biz crm deal``."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp())
        self.root = self.tmp / "book"
        made = run_biz(["init", str(self.root), "--currency", "USD"])
        assert made.code == 0, made.err
        (self.root / "customers.yaml").write_text(CUSTOMERS, encoding="utf-8")
        (self.root / "items.yaml").write_text(ITEMS, encoding="utf-8")
        (self.root / "warehouses.yaml").write_text(
            "schema: 1\nwarehouses:\n- code: MAIN\n  name: Main\n", encoding="utf-8")
        self.count = 0
        self.day = dt.date(2026, 1, 2)

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def biz(self, *args: str) -> Result:
        self.day += dt.timedelta(days=1)
        return run_biz(["-B", str(self.root), "crm", "deal", *args, "--date",
                        self.day.isoformat()])

    def number(self, n: int) -> str:
        return f"D-2026-{n % max(self.count, 1) + 1:04d}"

    @rule(lines=st.booleans(), customer=st.sampled_from(["HARBOR", "ELM"]))
    def add(self, lines: bool, customer: str) -> None:
        args = ["TABLE=1@900", "FIT=2"] if lines else ["--amount", "500"]
        result = self.biz("add", customer, "A deal", *args)
        assert result.code == 0, result.err
        self.count += 1

    @rule(n=st.integers(0, 20), stage=st.sampled_from(STAGES))
    def move(self, n: int, stage: str) -> None:
        self.biz("move", self.number(n), stage)

    @rule(n=st.integers(0, 20))
    def win(self, n: int) -> None:
        result = self.biz("won", self.number(n), "--override")
        assert result.code in (0, 1), result.err

    @rule(n=st.integers(0, 20))
    def lose(self, n: int) -> None:
        self.biz("lost", self.number(n), "--reason", "price")

    @rule(n=st.integers(0, 20), stage=st.sampled_from(STAGES))
    def reopen(self, n: int, stage: str) -> None:
        self.biz("reopen", self.number(n), stage)

    @invariant()
    def one_order_per_won_deal(self) -> None:
        from bizcli.storage.crm_loader import load_crm
        from bizcli.storage.loader import load_book

        crm, problems = load_crm(self.root)
        assert problems == []
        fresh, _ = load_crm(self.root, use_cache=False)
        assert crm == fresh
        book, _ = load_book(self.root, need_stock=True, moves_of=lambda _: ())
        for deal in crm.deals:
            made = [s for s in book.sales if s.deal == deal.number]
            if deal.stage == "won" and deal.lines:
                assert len(made) == 1
                assert deal.order == made[0].number
            else:
                assert made == []
                assert deal.order is None
        assert run_biz(["-B", str(self.root), "check"]).code == 0


Deals.TestCase.settings = settings(max_examples=5, stateful_step_count=10, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow])
test_deals = Deals.TestCase
