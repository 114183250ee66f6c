"""A month in the life of the workshop, from a shell script, checked end to end.

``examples/month-end.sh`` (the commands docs/tutorial.md walks through) runs on a copy of
the example book: a bank statement imported and matched, goods received and billed,
orders shipped and invoiced, a stock transfer, a new order, a payment, month-end
entries, the dashboard and the close. Then the closing reports, the lock and the books
are checked, the books against hledger and ledger.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT, run_biz
from tests.oracle.test_hledger_ledger import (
    assert_same,
    biz_balances,
    concatenated,
    hledger_balances,
    inclusive,
    ledger_inclusive,
)

AFTER = {"BIZ_TODAY": "2026-12-02"}


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The book after the script, and what the script printed."""
    book = tmp_path_factory.mktemp("month") / "workshop"
    shutil.copytree(EXAMPLE, book, ignore=shutil.ignore_patterns(".biz"))
    done = subprocess.run(
        ["sh", str(ROOT / "examples" / "month-end.sh"), str(book)], capture_output=True,
        text=True, check=False, env={**os.environ, "BIZ": f"{sys.executable} -m bizcli",
                                     "NO_COLOR": "1"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return book, done.stdout


def _biz(book: Path, *args: str) -> str:
    result = run_biz(["-B", str(book), *args], env=AFTER)
    assert result.code == 0, result.err
    return result.out


def test_the_month_closes_and_locks(month: tuple[Path, str]) -> None:
    book, printed = month
    assert "Closed 2026-11: lock date 2026-11-30; 12 reports in reports/2026-11/" in printed
    assert "lock_date: 2026-11-30" in (book / "biz.yaml").read_text()
    late = run_biz(["-B", str(book), "post", "2026-11-29", "Forgotten fuel",
                    "Expenses:Vehicle", "40", "Assets:Bank:Checking"], env=AFTER)
    assert late.code == 1
    assert "error[locked-period]" in late.err
    assert run_biz(["-B", str(book), "check"], env=AFTER).code == 0


def test_the_closing_reports_are_the_months_figures(month: tuple[Path, str]) -> None:
    book, _ = month
    folder = book / "reports" / "2026-11"
    assert (folder / "income-statement.csv").read_text() == _biz(
        book, "is", "-p", "2026-11", "-O", "csv")
    for name, command in (("trial-balance", "tb"), ("balance-sheet", "bs")):
        assert (folder / f"{name}.csv").read_text() == _biz(
            book, command, "--as-of", "2026-11-30", "-O", "csv")
    assert (folder / "balance-sheet.md").read_text().startswith(
        "## Balance sheet, as of 2026-11-30\n")
    aging = (folder / "aging-ar.csv").read_text()
    assert aging == _biz(book, "aging", "ar", "--as-of", "2026-11-30", "-O", "csv")
    stock = (folder / "stock-valuation.csv").read_text()
    assert stock == _biz(book, "stock", "valuation", "--as-of", "2026-11-30", "-O", "csv")
    # Worked from the script: November's revenue is the example's 19333.20 before the
    # week, plus the invoices SI-2026-0017 (4078.50), -0018 (696.00), -0019 (6 boards at
    # 62.00 and 6 kits at 19.60: 489.60) and -0020 (4 kits at 28.00: 112.00), plus the
    # bank's interest of 3.12.
    statement = json.loads(_biz(book, "is", "-p", "2026-11", "-O", "json"))["rows"]
    revenue = next(r for r in statement if r["account"] == "Total revenue")["amount"]
    assert Decimal(revenue["USD"]) == (Decimal("19333.20") + Decimal("4078.50")
                                       + Decimal("696.00") + Decimal("489.60")
                                       + Decimal("112.00") + Decimal("3.12"))


def test_every_invoice_of_the_month_was_paid_or_is_open(month: tuple[Path, str]) -> None:
    book, _ = month
    rows = json.loads(_biz(book, "aging", "ar", "--as-of", "2026-11-30", "-O", "json"))
    assert rows["notes"][0].startswith("ties out:")
    by_customer = {r["customer"]: r["total"] for r in rows["rows"]}
    assert "greenleaf-home" in by_customer  # SO-2026-0012's remainder and the new order
    assert by_customer["bianca-rossi"] == {"USD": "765.60"}  # 2288.00 came in by the bank


def test_the_books_still_match_hledger_and_ledger(month: tuple[Path, str],
                                                   tmp_path: Path) -> None:
    book, _ = month
    journal = concatenated(book, tmp_path)
    ours = biz_balances(book)
    assert_same(ours, hledger_balances(journal), "hledger")
    assert_same(inclusive(ours, listed_only=True), ledger_inclusive(journal), "ledger")
    assert_same(biz_balances(book, "-p", "2026-11"),
                hledger_balances(journal, "-p", "2026-11"), "hledger")
