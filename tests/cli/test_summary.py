"""``biz summary``: every figure is checked against the command or oracle it must equal."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, Result, run_biz


def _rows(result: Result) -> dict[str, dict[str, object]]:
    assert result.code == 0, result.err
    return {str(r["item"]): r for r in json.loads(result.out)["rows"]}


def _usd(cell: object) -> Decimal:
    assert isinstance(cell, dict)
    return Decimal(cell.get("USD", "0"))


@pytest.fixture(scope="module")
def summary() -> dict[str, dict[str, object]]:
    return _rows(run_biz(["-B", str(EXAMPLE), "summary", "-O", "json"]))


def test_overdue_is_the_aging_past_due_buckets(summary: dict[str, dict[str, object]]) -> None:
    for side, label in (("ar", "Receivables"), ("ap", "Payables")):
        aging = json.loads(run_biz(["-B", str(EXAMPLE), "aging", side, "--as-of",
                                    "2026-11-22", "-O", "json"]).out)["rows"][-1]
        late = sum(_usd(aging[k]) for k in ("1_30", "31_60", "61_90", "over_90"))
        assert _usd(summary[f"{label} overdue"]["current"]) == late


def test_month_figures_match_the_income_statement_and_hledger(
        summary: dict[str, dict[str, object]]) -> None:
    statement = {r["account"]: r["amount"] for r in json.loads(run_biz(
        ["-B", str(EXAMPLE), "is", "-p", "2026-10", "-O", "json"]).out)["rows"]}
    assert summary["Revenue"]["previous"] == statement["Total revenue"]
    assert summary["Cost of sales"]["previous"] == statement["Total cost of sales"]
    assert summary["Gross margin"]["previous"] == statement["Gross profit"]
    assert summary["Profit"]["previous"] == statement["Net profit"]
    # 19161.58 / 29778.00 = 64.35%
    assert summary["Gross margin %"]["previous"] == "64.3%"
    if shutil.which("hledger"):
        out = subprocess.run(["hledger", "-f", str(EXAMPLE / "main.journal"), "bal", "-N",
                              "-b", "2026-11-01", "-e", "2026-11-23", "--depth", "1",
                              "^Income", "^Expenses", "-O", "csv"],
                             capture_output=True, text=True, check=True).stdout
        totals = {line.split(",")[0].strip('"'): line.split(",")[1].strip('"')
                  for line in out.splitlines()[1:]}
        income = -Decimal(totals["Income"].split()[0])
        expenses = Decimal(totals["Expenses"].split()[0])
        assert _usd(summary["Revenue"]["current"]) == income
        assert _usd(summary["Profit"]["current"]) == income - expenses


def test_stock_and_orders_match_their_own_commands(
        summary: dict[str, dict[str, object]]) -> None:
    valuation = json.loads(run_biz(["-B", str(EXAMPLE), "stock", "valuation", "-O",
                                    "json"]).out)["rows"][-1]
    assert summary["Stock value"]["current"] == valuation["value"]
    reorder = json.loads(run_biz(["-B", str(EXAMPLE), "stock", "reorder", "-O",
                                  "json"]).out)["rows"]
    assert summary["At or below reorder point"]["current"] == str(len(reorder))
    shortages = run_biz(["-B", str(EXAMPLE), "mrp", "run", "--show", "shortages", "-O",
                         "json"])
    assert summary["MRP shortages"]["current"] == str(
        len(json.loads(shortages.out)["rows"]))
    # Worked from the example's files: SO-2026-0009 (2 tables), SO-2026-0016, -0020 and
    # -0021 are open; PO-2026-0012 and -0013 wait for their goods.
    assert summary["Sales orders to ship"]["current"] == {"USD": "11290.10"}
    assert summary["Purchase orders to receive"]["current"] == {"USD": "2318.40"}


def test_people_see_the_codes_and_counts_scripts_get_stable_keys() -> None:
    plain = run_biz(["-B", str(EXAMPLE), "summary"]).out
    assert "At or below reorder point (2): CUTBOARD-EG, WT-OAK-3000" in plain
    assert "overdue (" in plain
    assert "Gross margin %" in plain


def test_a_new_book_has_a_summary_without_stock_or_orders(new_book: Path) -> None:
    rows = _rows(run_biz(["-B", str(new_book), "summary", "-O", "json"]))
    assert _usd(rows["Cash and bank"]["current"]) == 0
    assert "Sales orders to ship" not in rows
    assert rows["Gross margin %"]["current"] is None


def test_panels_on_a_terminal() -> None:
    from bizcli.render.formats import render
    from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind

    report = Report(name="x", title="Dashboard", panels=True, columns=(
        Column(key="item", title="Item"), Column(key="n", title="N", kind=ColumnKind.NUMBER)),
        rows=(Row(values=("Cash", None), kind=RowKind.SECTION),
              Row(values=("Bank", Decimal(3)))))
    text = render(report, "table", color=False, width=60)
    assert "╭" in text
    assert "Cash" in text
    assert "Bank" in text
