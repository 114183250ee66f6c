"""``biz close`` and ``biz reopen``: every blocking check made to fail, the lock on every
write command, the reports a close writes, and ``--git``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_commands import snapshot
from tests.conftest import Result, run_biz

DECEMBER = {"BIZ_TODAY": "2026-12-02"}


def close(book: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return run_biz(["-B", str(book), "close", *args], env=env)


def states(result: Result) -> dict[str, str]:
    """Each check's state from ``close --dry-run -O json``."""
    return {r["check"]: r["state"] for r in json.loads(result.out)["rows"]}


def lock_date(book: Path) -> str:
    return next(line.split(":", 1)[1].strip() for line in
                (book / "biz.yaml").read_text().splitlines() if line.startswith("lock_date:"))


# -- the happy path ----------------------------------------------------------------------

def test_dry_run_reports_every_check_and_writes_nothing(example_book: Path) -> None:
    before = snapshot(example_book)
    result = close(example_book, "2026-10", "--dry-run", "-O", "json")
    assert result.code == 0, result.err
    assert states(result) == {"book": "ok", "inventory": "ok", "drafts": "ok",
                              "not-invoiced": "ok", "not-billed": "ok", "future": "ok"}
    assert snapshot(example_book) == before


def test_close_writes_the_reports_then_the_lock(example_book: Path) -> None:
    result = close(example_book, "2026-10")
    assert result.code == 0, result.err
    assert "Closed 2026-10: lock date 2026-10-31; 12 reports in reports/2026-10/" in result.out
    assert lock_date(example_book) == "2026-10-31"
    folder = example_book / "reports" / "2026-10"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}.{ext}" for name in ("income-statement", "balance-sheet", "trial-balance",
                                     "aging-ar", "aging-ap", "stock-valuation")
        for ext in ("md", "csv"))
    # The reports are the statements of the period, as the commands print them.
    statement = run_biz(["-B", str(example_book), "is", "-p", "2026-10", "-O", "csv"]).out
    assert (folder / "income-statement.csv").read_text() == statement
    assert "Net profit" in (folder / "income-statement.md").read_text()
    sheet = run_biz(["-B", str(example_book), "bs", "-p", "2026-10", "-O", "csv"]).out
    assert (folder / "balance-sheet.csv").read_text().splitlines()[-3:] == (
        sheet.splitlines()[-3:])
    assert run_biz(["-B", str(example_book), "check"]).code == 0


def test_a_closed_period_refuses_a_second_close_and_every_write(example_book: Path) -> None:
    assert close(example_book, "2026-10").code == 0
    again = close(example_book, "2026-10")
    assert again.code == 1
    assert "error[already-closed]" in again.err
    posted = run_biz(["-B", str(example_book), "post", "2026-10-15", "Fee", "Expenses:Rent",
                      "10", "Assets:Bank:Checking"])
    assert posted.code == 1
    assert "error[locked-period]: 2026-10-15 is on or before the lock date 2026-10-31" in (
        posted.err)


@pytest.mark.parametrize(("args", "code"), [
    (["2026-11"], "period-not-over"),      # today is 2026-11-22
    (["2027-01"], "period-not-over"),
])
def test_a_period_not_over_is_refused(example_book: Path, args: list[str], code: str) -> None:
    before = snapshot(example_book)
    result = close(example_book, *args)
    assert result.code == 1
    assert f"error[{code}]" in result.err
    assert snapshot(example_book) == before


@pytest.mark.parametrize("args", [["2026-13"], ["soon"], ["2026-10", "--allow", "book"],
                                  ["2026-10", "--allow", "future"], []])
def test_usage_errors_exit_2(example_book: Path, args: list[str]) -> None:
    before = snapshot(example_book)
    assert close(example_book, *args).code == 2
    assert snapshot(example_book) == before


# -- each blocking check, made to fail on purpose ---------------------------------------

def test_a_broken_book_blocks(example_book: Path) -> None:
    with (example_book / "journal" / "2026.journal").open("a") as handle:
        handle.write("\n2026-10-30 Unbalanced\n    Expenses:Rent  10.00 USD\n"
                     "    Assets:Bank:Checking  -9.00 USD\n")
    before = snapshot(example_book)
    result = close(example_book, "2026-10")
    assert result.code == 1
    assert "does not balance" in result.err or "unbalanced" in result.err
    assert snapshot(example_book) == before
    assert states(close(example_book, "2026-10", "--dry-run", "-O", "json"))["book"] == (
        "blocked")


def test_an_inventory_drift_blocks(example_book: Path) -> None:
    posted = run_biz(["-B", str(example_book), "post", "2026-10-20", "Stock by hand",
                      "Assets:Stock", "25", "Expenses:Cost of Goods Sold"])
    assert posted.code == 0, posted.err
    result = close(example_book, "2026-10")
    assert result.code == 1
    assert "error[inventory-drift]" in result.err
    assert lock_date(example_book) == "2025-12-31"


def test_drafts_unbilled_receipts_and_uninvoiced_shipments_block_until_allowed(
        example_book: Path) -> None:
    committed = run_biz(["-B", str(example_book), "mrp", "run", "--commit", "--warehouse",
                         "WORKSHOP"])
    assert committed.code == 0, committed.err
    result = close(example_book, "2026-11", "--dry-run", "-O", "json", env=DECEMBER)
    assert result.code == 1
    assert {k: v for k, v in states(result).items() if v != "ok"} == {
        "drafts": "blocked", "not-invoiced": "blocked", "not-billed": "blocked"}
    # SO-2026-0017 and -0018 shipped in November, not invoiced; PO-2026-0012 and -0014
    # received, not billed (the example book's files).
    assert "SO-2026-0017 (harbor-interiors)" in result.err
    assert "SO-2026-0018 (bianca-rossi)" in result.err
    assert "PO-2026-0012 (brightline-hw)" in result.err
    assert "error[draft-documents]" in result.err
    allowed = close(example_book, "2026-11", "--allow", "drafts", "--allow", "not-invoiced",
                    "--allow", "not-billed", env=DECEMBER)
    assert allowed.code == 0, allowed.err
    assert "accepted for this close: drafts, not-billed, not-invoiced" in allowed.out
    assert lock_date(example_book) == "2026-11-30"


def test_entries_in_the_future_block(example_book: Path) -> None:
    posted = run_biz(["-B", str(example_book), "post", "2026-11-28", "Rent",
                      "Expenses:Rent", "1200", "Assets:Bank:Checking"],
                     env={"BIZ_TODAY": "2026-11-28"})
    assert posted.code == 0, posted.err
    result = close(example_book, "2026-10")
    assert result.code == 1
    assert ("error[future-entries]: the journal has entries dated up to 2026-11-28, after "
            "today (2026-11-22)") in result.err


# -- the lock on every write command -----------------------------------------------------

WRITES = [
    ["post", "2026-11-22", "Rent", "Expenses:Rent", "10", "Assets:Bank:Checking"],
    ["sale", "quote", "harbor-interiors", "BRD-OAK-27=1"],
    ["sale", "order", "harbor-interiors", "BRD-OAK-27=1"],
    ["sale", "ship", "SO-2026-0019"],
    ["sale", "invoice", "SO-2026-0018"],
    ["sale", "pay", "bianca-rossi", "100"],
    ["sale", "cancel", "SO-2026-0019"],
    ["purchase", "order", "brightline-hw", "BRD-OAK-27=1", "--warehouse", "WORKSHOP"],
    ["purchase", "receive", "PO-2026-0013"],
    ["purchase", "bill", "PO-2026-0012", "--number", "X-1"],
    ["purchase", "cancel", "PO-2026-0013"],
    ["stock", "adjust", "BRD-OAK-27", "-1", "WORKSHOP"],
    ["stock", "count", "BRD-OAK-27", "28", "WORKSHOP"],
    ["stock", "transfer", "BRD-OAK-27", "1", "WORKSHOP", "SHOWROOM"],
    ["wo", "create", "TABLE-OAK", "1", "--due", "2026-12-15", "--warehouse", "WORKSHOP"],
    ["wo", "complete", "WO-2026-0004"],
    ["wo", "cancel", "WO-2026-0004"],
    ["mrp", "run", "--commit", "--warehouse", "WORKSHOP"],
]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:2]))
def test_every_write_command_refuses_a_locked_day(example_book: Path,
                                                   args: list[str]) -> None:
    settings = example_book / "biz.yaml"
    settings.write_text(settings.read_text().replace("lock_date: 2025-12-31",
                                                     "lock_date: 2026-11-22"))
    before = snapshot(example_book)
    result = run_biz(["-B", str(example_book), *args])
    assert result.code == 1
    assert "error[locked-period]" in result.err
    assert "lock date 2026-11-22" in result.err
    assert snapshot(example_book) == before


# -- reopen ------------------------------------------------------------------------------

def test_reopen_moves_the_lock_back_and_says_why_in_the_journal(example_book: Path) -> None:
    assert close(example_book, "2026-10").code == 0
    result = run_biz(["-B", str(example_book), "reopen", "2026-10", "--reason",
                      "late  bill from\ncascade"])
    assert result.code == 0, result.err
    assert lock_date(example_book) == "2026-09-30"
    journal = (example_book / "journal" / "2026.journal").read_text()
    assert journal.endswith("; 2026-11-22 reopened 2026-10: lock date 2026-10-31 -> "
                            "2026-09-30\n; reason: late bill from cascade\n")
    assert run_biz(["-B", str(example_book), "check"]).code == 0
    if shutil.which("hledger"):
        subprocess.run(["hledger", "-f", str(example_book / "main.journal"), "check"],
                       check=True, capture_output=True)
    assert run_biz(["-B", str(example_book), "post", "2026-10-15", "Late bill",
                    "Expenses:Rent", "10", "Assets:Bank:Checking"]).code == 0
    assert close(example_book, "2026-10").code == 0


def test_reopen_refuses_an_open_period_and_an_empty_reason(example_book: Path) -> None:
    before = snapshot(example_book)
    result = run_biz(["-B", str(example_book), "reopen", "2026-10", "--reason", "x"])
    assert result.code == 1
    assert "error[not-closed]" in result.err
    assert run_biz(["-B", str(example_book), "reopen", "2025-12", "--reason", " "]).code == 2
    assert run_biz(["-B", str(example_book), "reopen", "2025-12"]).code == 2
    assert snapshot(example_book) == before


# -- --git -------------------------------------------------------------------------------

def _git(book: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(book), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_commits_and_tags_a_clean_book_only(example_book: Path) -> None:
    not_repo = close(example_book, "2026-10", "--git")
    assert not_repo.code == 1
    assert "error[git-not-ready]" in not_repo.err
    assert lock_date(example_book) == "2025-12-31"
    _git(example_book, "init", "-q")
    _git(example_book, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A")
    _git(example_book, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit",
         "-qm", "book")
    (example_book / "notes.txt").write_text("draft\n")
    dirty = close(example_book, "2026-10", "--git")
    assert dirty.code == 1
    assert "uncommitted changes" in dirty.err
    assert lock_date(example_book) == "2025-12-31"
    (example_book / "notes.txt").unlink()
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    done = close(example_book, "2026-10", "--git", env=env)
    assert done.code == 0, done.err
    assert "committed and tagged close-2026-10" in done.out
    assert _git(example_book, "status", "--porcelain") == ""
    assert _git(example_book, "tag", "--list") == "close-2026-10\n"
    assert "reports/2026-10/trial-balance.csv" in _git(example_book, "show", "--stat",
                                                        "close-2026-10")


# -- year-end ----------------------------------------------------------------------------

NEW_YEAR = {"BIZ_TODAY": "2027-01-05"}


def _hledger_balances(journal: Path, *args: str) -> dict[str, str]:
    out = subprocess.run(["hledger", "-f", str(journal), "bal", "-N", "--flat", "-O", "csv",
                          *args], check=True, capture_output=True, text=True).stdout
    return {line.split(",")[0].strip('"'): line.split(",", 1)[1].strip('"')
            for line in out.splitlines()[1:]}


def test_year_end_retains_earnings_and_opens_the_next_year(example_book: Path) -> None:
    bs = ["-B", str(example_book), "bs", "-O", "csv"]
    before = run_biz([*bs, "-p", "2026"], env=NEW_YEAR).out
    result = close(example_book, "FY2026", "--year", "--allow", "not-invoiced", "--allow",
                   "not-billed", env=NEW_YEAR)
    assert result.code == 0, result.err
    assert "wrote the year-end entries into journal/2027.journal" in result.out
    assert lock_date(example_book) == "2026-12-31"
    after = run_biz([*bs, "-p", "2026"], env=NEW_YEAR).out
    new_year = run_biz([*bs, "-p", "2027-01"], env=NEW_YEAR).out
    assert new_year == after
    # The year's profit moved from current earnings into retained earnings; the total
    # of equity and every asset and liability line are as before.
    changed = set(before.splitlines()) ^ set(after.splitlines())
    assert {line.split(",")[0] for line in changed} == {"Equity:Current earnings",
                                                        "Equity:Retained Earnings"}
    # The income statement of the year went to reports/FY2026/ before the entry.
    report = (example_book / "reports" / "FY2026" / "income-statement.csv").read_text()
    assert "Net profit,47286.23" in report.replace('"', "").replace(" USD", "")
    assert run_biz(["-B", str(example_book), "check"], env=NEW_YEAR).code == 0
    opening = (example_book / "journal" / "2027.journal").read_text()
    assert opening.startswith("2027-01-01 Opening balances after FY2026\n    ; open: FY2026\n")
    assert "Assets:Bank:Checking  " in opening
    if shutil.which("hledger"):
        journal = example_book / "main.journal"
        subprocess.run(["hledger", "-f", str(journal), "check"], check=True,
                       capture_output=True)  # every opening assertion holds
        fy = _hledger_balances(journal, "-b", "2026-01-01", "-e", "2027-01-01", "^Income",
                               "^Expenses")
        assert fy == {}  # income and expenses of 2026 closed: no balance left to show
        assert _hledger_balances(journal, "^Equity:Retained")["Equity:Retained Earnings"] == (
            "-47286.23 USD")
    if shutil.which("ledger"):
        subprocess.run(["ledger", "-f", str(example_book / "main.journal"), "bal"],
                       check=True, capture_output=True)


def test_year_end_needs_a_fiscal_year_and_retained_earnings(example_book: Path) -> None:
    assert close(example_book, "2026-Q4", "--year", env=NEW_YEAR).code == 2
    settings = example_book / "biz.yaml"
    settings.write_text(settings.read_text().replace(
        "  retained_earnings: Equity:Retained Earnings\n", ""))
    before = snapshot(example_book)
    result = close(example_book, "FY2026", "--year", "--allow", "not-invoiced", "--allow",
                   "not-billed", env=NEW_YEAR)
    assert result.code == 1
    assert "error[missing-role]" in result.err
    assert snapshot(example_book) == before
