"""End-to-end tests of the ``biz`` commands on real book folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT, Result, run_biz, write_journal


def snapshot(book: Path) -> dict[str, bytes]:
    return {str(p.relative_to(book)): p.read_bytes() for p in sorted(book.rglob("*"))
            if p.is_file() and ".biz" not in p.parts}


def json_rows(result: Result) -> list[dict[str, object]]:
    assert result.code == 0, result.err
    return json.loads(result.out)["rows"]  # type: ignore[no-any-return]


# -- init ---------------------------------------------------------------------------

@pytest.mark.parametrize("template", ["trading", "manufacturing", "services"])
def test_init_creates_a_valid_book_for_each_template(tmp_path: Path, template: str) -> None:
    folder = tmp_path / template
    assert run_biz(["init", str(folder), "--template", template]).code == 0
    assert {"biz.yaml", "accounts.yaml", ".gitignore"} <= set(snapshot(folder))
    check = run_biz(["-B", str(folder), "check"])
    assert (check.code, check.out, check.err) == (0, "", "")


def test_init_refuses_to_overwrite_a_book(new_book: Path) -> None:
    before = snapshot(new_book)
    result = run_biz(["init", str(new_book)])
    assert result.code == 1
    assert "error[book-exists]" in result.err
    assert snapshot(new_book) == before


# -- post ---------------------------------------------------------------------------

def test_post_writes_a_canonical_entry_and_prints_it(new_book: Path) -> None:
    result = run_biz(["-B", str(new_book), "post", "2026-11-03", "Workshop rent",
                      "Expenses:Rent", "1200", "Assets:Bank:Checking", "--tag", "doc=RENT-11",
                      "--code", "R-11"])
    assert result.code == 0, result.err
    expected = (
        "2026-11-03 * (R-11) Workshop rent\n"
        "    ; doc: RENT-11\n"
        "    Expenses:Rent                          1200.00 USD\n"
        "    Assets:Bank:Checking                  -1200.00 USD\n")
    assert result.out == expected
    assert (new_book / "journal" / "2026.journal").read_text(encoding="utf-8") == expected


def test_post_from_stdin(new_book: Path) -> None:
    entry = "2026-02-01 * Supplier\n    Expenses:Office  12.50 USD\n    Assets:Cash\n"
    result = run_biz(["-B", str(new_book), "post", "-"], stdin=entry)
    assert result.code == 0, result.err
    assert "    Assets:Cash                             -12.50 USD\n" in result.out


def test_post_dry_run_writes_nothing(new_book: Path) -> None:
    before = snapshot(new_book)
    result = run_biz(["-B", str(new_book), "post", "2026-01-02", "x", "Assets:Cash", "1",
                      "Assets:Bank:Checking", "--dry-run"])
    assert result.code == 0
    assert snapshot(new_book) == before


def test_back_dated_entry_is_inserted_in_date_order(new_book: Path) -> None:
    for date in ["2026-01-05", "2026-03-01", "2026-02-10"]:
        assert run_biz(["-B", str(new_book), "post", date, f"on {date}", "Assets:Cash", "1",
                        "Assets:Bank:Checking"]).code == 0
    text = (new_book / "journal" / "2026.journal").read_text(encoding="utf-8")
    assert [line[:10] for line in text.splitlines() if line[:1].isdigit()] == [
        "2026-01-05", "2026-02-10", "2026-03-01"]
    assert "\n\n\n" not in text


def test_post_refuses_an_entry_that_breaks_a_later_balance_assertion(new_book: Path) -> None:
    write_journal(new_book, "2026.journal",
                  "2026-01-01 * Open\n    Assets:Cash  100.00 USD\n"
                  "    Equity:Owner Capital  -100.00 USD\n\n"
                  "2026-02-01 * Count\n    Assets:Cash  0.00 USD = 100.00 USD\n"
                  "    Equity:Owner Capital  0.00 USD\n")
    before = snapshot(new_book)
    result = run_biz(["-B", str(new_book), "post", "2026-01-15", "Coffee",
                      "Expenses:Office", "5", "Assets:Cash"])
    assert result.code == 1
    assert "journal/2026.journal:6: error[failed-assertion]" in result.err
    assert snapshot(new_book) == before
    later = run_biz(["-B", str(new_book), "post", "2026-02-02", "Coffee",
                     "Expenses:Office", "5", "Assets:Cash"])
    assert later.code == 0, later.err


def test_post_refuses_when_the_book_is_invalid(new_book: Path) -> None:
    write_journal(new_book, "2026.journal", "2026-01-01 x\n    Assets:Cash  1.00 USD\n"
                  "    Assets:Bank:Checking  -2.00 USD\n")
    before = snapshot(new_book)
    result = run_biz(["-B", str(new_book), "post", "2026-01-02", "y", "Assets:Cash", "1",
                      "Assets:Bank:Checking"])
    assert result.code == 1
    assert "error[unbalanced-transaction]" in result.err
    assert "error[book-invalid]" in result.err
    assert snapshot(new_book) == before


def test_two_processes_posting_at_once_both_land(new_book: Path) -> None:
    script = (
        "import sys\nfrom bizcli.cli.main import main\n"
        "for i in range(15):\n"
        "    code = main(['-B', sys.argv[1], 'post', '2026-01-%02d' % (i % 28 + 1), "
        "'writer ' + sys.argv[2], 'Assets:Cash', '1', 'Assets:Bank:Checking'])\n"
        "    assert code == 0, code\n")
    env = {**os.environ, "BIZ_TODAY": "2026-11-22", "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(new_book), name], env=env,
                              stdout=subprocess.DEVNULL)
             for name in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    rows = json_rows(run_biz(["-B", str(new_book), "bal", "--flat", "-O", "json", "cash"]))
    assert rows[0]["balance"] == {"USD": "30.00"}
    assert run_biz(["-B", str(new_book), "check"]).code == 0


# -- account add -----------------------------------------------------------------------

def test_account_add_extends_the_chart_and_keeps_comments(new_book: Path) -> None:
    result = run_biz(["-B", str(new_book), "account", "add", "Expenses:Travel:Fuel"])
    assert result.code == 0, result.err
    text = (new_book / "accounts.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Chart of accounts.")
    assert "- name: Expenses:Travel:Fuel" in text
    listed = run_biz(["-B", str(new_book), "accounts", "fuel", "-O", "csv"])
    assert listed.out.splitlines()[1].startswith("Expenses:Travel:Fuel,expense")


def test_account_add_refuses_duplicates_and_untyped(new_book: Path) -> None:
    before = snapshot(new_book)
    assert "error[duplicate-account]" in run_biz(
        ["-B", str(new_book), "account", "add", "Assets:Cash"]).err
    assert "error[untyped-account]" in run_biz(
        ["-B", str(new_book), "account", "add", "Stuff:Thing"]).err
    assert snapshot(new_book) == before


# -- reports on the example book ---------------------------------------------------------

def test_summary_of_the_example_book() -> None:
    # Figures from hledger: bal -e 2026-11-23 of the cash accounts and of ^Assets:Receivable
    rows = json_rows(run_biz(["-B", str(EXAMPLE), "summary", "-O", "json"]))
    by_item = {r["item"]: r for r in rows}
    assert by_item["Cash and bank"]["current"] == {"USD": "56625.59"}
    assert by_item["Receivables"]["current"] == {"USD": "36935.36"}
    assert by_item["Payables"]["current"] == {"USD": "12335.23"}


def test_the_example_stock_and_order_ledgers_tie_out_to_their_accounts() -> None:
    """Assets:Stock, and the order sub-accounts of receivables and payables, are what
    hledger says (bal ^Assets:Stock, 'Sales Orders', 'Payable:Purchase Orders').

    The stock: 8348.80 before production, + 185.00 of table kits received (PO-2026-0014),
    + the labour and overhead three work orders absorbed (24 legs x 15.00 = 360.00,
    2 tops x 110.00 = 220.00, 2 tables x 200.00 = 400.00); the components they used
    only moved from one item to another."""
    valuation = json_rows(run_biz(["-B", str(EXAMPLE), "stock", "valuation", "-O", "json"]))
    assert valuation[-1]["value"] == {"USD": "9513.80"}
    for side, account, amount in (("ar", "Assets:Receivable:Sales Orders", "5190.96"),
                                  ("ap", "Liabilities:Payable:Purchase Orders", "8792.52")):
        result = run_biz(["-B", str(EXAMPLE), "aging", side, "-O", "json"])
        assert result.code == 0, result.err
        report = json.loads(result.out)
        assert report["rows"][-1]["total"] == {"USD": amount}
        assert report["notes"] == [f"ties out: {account} is {amount} USD"]
    reorder = json_rows(run_biz(["-B", str(EXAMPLE), "stock", "reorder", "-O", "json"]))
    assert [r["item"] for r in reorder] == ["CUTBOARD-EG", "WT-OAK-3000"]


def test_the_example_book_has_a_slow_mover_and_an_overdue_invoice() -> None:
    """Worked by hand from the example's files: 12 shelves received at 48.00 on
    2026-03-26, 3 and 1 shipped (the last on 2026-05-28), 8 left; greenleaf-home's
    invoice of 2026-09-08 (30 days' terms, 356.00 + 10% tax) unpaid on 2026-11-22."""
    slow = json_rows(run_biz(["-B", str(EXAMPLE), "stock", "slow", "--as-of", "2026-11-22",
                              "-O", "json"]))
    assert [(r["item"], r["quantity"], r["value"], r["last_issue"], r["days_since"])
            for r in slow if r["kind"] == "row"] == [
        ("SHELF-WALNUT", "8", {"USD": "384.00"}, "2026-05-28", "178")]
    aging = json_rows(run_biz(["-B", str(EXAMPLE), "aging", "ar", "--as-of", "2026-11-22",
                               "-O", "json"]))
    greenleaf = next(r for r in aging if r["customer"] == "greenleaf-home")
    assert greenleaf["31_60"] == {"USD": "391.60"}


def test_balance_sheet_balances_and_cash_flow_ends_at_the_cash_balance() -> None:
    for as_of in ("2025-12-31", "2026-06-30", "2026-11-22"):
        rows = json_rows(run_biz(["-B", str(EXAMPLE), "bs", "--as-of", as_of, "-O", "json"]))
        by_name = {r["account"]: r["amount"] for r in rows}
        assert by_name["Total assets"] == by_name["Total liabilities and equity"]
    cash = json_rows(run_biz(["-B", str(EXAMPLE), "bal", "--flat", "-O", "json",
                              "--as-of", "2026-06-30", "^assets:(bank|cash)"]))
    cash_total = sum(Decimal(r["balance"]["USD"]) for r in cash if r["kind"] == "row")
    flows = json_rows(run_biz(["-B", str(EXAMPLE), "cf", "-p", "2026-01..2026-07",
                               "-O", "json"]))
    by_name = {r["account"]: r["amount"] for r in flows}
    assert Decimal(by_name["Cash at the end"]["USD"]) == cash_total


def test_income_statement_profit_equals_income_minus_expenses() -> None:
    rows = json_rows(run_biz(["-B", str(EXAMPLE), "is", "-p", "2025", "-O", "json"]))
    by_name = {r["account"]: r["amount"] for r in rows}
    assert by_name["Net profit"] == {"USD": "17062.58"}
    bal = json_rows(run_biz(["-B", str(EXAMPLE), "bal", "-p", "2025", "--depth", "1",
                             "-O", "json", "^income|^expenses"]))
    totals = {r["account"]: Decimal(r["balance"]["USD"]) for r in bal if r["kind"] == "row"}
    assert -(totals["Income"] + totals["Expenses"]) == Decimal("17062.58")


def test_register_running_total_ends_at_the_balance() -> None:
    rows = json_rows(run_biz(["-B", str(EXAMPLE), "reg", "checking", "-O", "json"]))
    assert rows[-1]["balance"] == {"USD": "48399.58"}  # hledger reg Assets:Bank:Checking


def test_tag_query_selects_postings_of_tagged_transactions() -> None:
    rows = json_rows(run_biz(["-B", str(EXAMPLE), "bal", "--flat", "-O", "json",
                              "tag:customer=harbor"]))
    assert rows, "the example book has entries tagged with a harbor customer"
    assert all(r["kind"] != "row" or r["account"] for r in rows)


@pytest.mark.parametrize(("fmt", "start"), [("csv", "account,balance\n"), ("md", "## "),
                                            ("plain", "Balance changes"), ("json", "{")])
def test_output_formats(fmt: str, start: str) -> None:
    result = run_biz(["-B", str(EXAMPLE), "bal", "--depth", "1", "-O", fmt])
    assert result.code == 0
    assert result.out.startswith(start)


def test_output_file_takes_its_format_from_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "tb.csv"
    assert run_biz(["-B", str(EXAMPLE), "tb", "-o", str(target)]).code == 0
    assert target.read_text(encoding="utf-8").startswith("account,debit,credit\n")


def test_monthly_columns_cover_whole_months() -> None:
    result = run_biz(["-B", str(EXAMPLE), "bal", "-M", "-p", "2026-Q1", "--depth", "1",
                      "-O", "csv"])
    assert result.out.splitlines()[0] == "account,2026-01,2026-02,2026-03,total"


# -- display, check, cache -----------------------------------------------------------------

def test_cjk_accounts_align_by_display_width(new_book: Path) -> None:
    run_biz(["-B", str(new_book), "account", "add", "Expenses:办公:文具"])
    assert run_biz(["-B", str(new_book), "post", "2026-01-02", "上海木业有限公司",
                    "Expenses:办公:文具", "8", "Assets:Cash"]).code == 0
    out = run_biz(["-B", str(new_book), "bal", "--flat", "-O", "plain"]).out
    from bizcli.core.text import display_width

    widths = {display_width(line) for line in out.splitlines()[2:] if line.strip("- ")
              and not line.startswith("Total")}
    assert len(widths) == 1, out


def test_check_is_silent_on_a_good_book_and_lists_every_problem_otherwise(
        new_book: Path) -> None:
    assert run_biz(["-B", str(EXAMPLE), "check"]) == Result(0, "", "")
    write_journal(new_book, "2026.journal",
                  "2026-01-01 x\n    Assets:Cash  1,000 USD\n    Assets:Bank:Checking\n\n"
                  "2026-01-02 y\n    Nope:Account  1.00 USD\n    Assets:Cash  -1.00 USD\n")
    result = run_biz(["-B", str(new_book), "check"])
    assert result.code == 1
    firsts = [line for line in result.err.splitlines() if "error[" in line]
    assert firsts == [
        ("journal/2026.journal:2: error[digit-group-mark]: '1,000 USD' uses ',' in a number: "
         "hledger reads it as a decimal mark, ledger as a thousands separator"),
        ("journal/2026.journal:6: error[unknown-account]: account 'Nope:Account' is not in "
         "the chart of accounts")]


def test_cache_is_used_and_invalidated_when_a_file_changes(new_book: Path) -> None:
    run_biz(["-B", str(new_book), "post", "2026-01-02", "x", "Assets:Cash", "1",
             "Assets:Bank:Checking"])
    first = json_rows(run_biz(["-B", str(new_book), "bal", "--flat", "-O", "json", "cash"]))
    assert (new_book / ".biz" / "cache" / "book.msgpack").exists()
    journal = new_book / "journal" / "2026.journal"
    journal.write_text(journal.read_text(encoding="utf-8").replace("1.00 USD", "2.00 USD")
                       .replace("-1.00 USD", "-2.00 USD"), encoding="utf-8")
    second = json_rows(run_biz(["-B", str(new_book), "bal", "--flat", "-O", "json", "cash"]))
    assert first[0]["balance"] == {"USD": "1.00"}
    assert second[0]["balance"] == {"USD": "2.00"}


def test_corrupt_cache_is_ignored(new_book: Path) -> None:
    run_biz(["-B", str(new_book), "post", "2026-01-02", "x", "Assets:Cash", "1",
             "Assets:Bank:Checking"])
    run_biz(["-B", str(new_book), "bal"])
    (new_book / ".biz" / "cache" / "book.msgpack").write_bytes(b"\x93garbage\xff" * 10)
    rows = json_rows(run_biz(["-B", str(new_book), "bal", "--flat", "-O", "json", "cash"]))
    assert rows[0]["balance"] == {"USD": "1.00"}


def test_book_is_found_upward_and_from_the_environment(new_book: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    inner = new_book / "journal"
    monkeypatch.chdir(inner)
    assert run_biz(["accounts", "bank"]).code == 0
    monkeypatch.chdir(new_book.parent)
    assert run_biz(["accounts"]).code == 1
    assert run_biz(["accounts"], env={"BIZ_BOOK": str(new_book)}).code == 0


def test_plain_commands_do_not_import_yaml_or_rich() -> None:
    code = ("import sys\nfrom bizcli.cli.main import main\n"
            f"main(['-B', {str(EXAMPLE)!r}, 'bal'])\nmain(['-B', {str(EXAMPLE)!r}, 'bal'])\n"
            "print(sorted(m for m in ('yaml', 'rich', 'rich.table') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_global_options_may_come_before_the_command() -> None:
    before = run_biz(["-B", str(EXAMPLE), "-p", "2025", "-O", "csv", "is"])
    after = run_biz(["-B", str(EXAMPLE), "is", "-p", "2025", "-O", "csv"])
    assert before.code == 0, before.err
    assert before.out == after.out
    mixed = run_biz(["-p", "2025", "-B", str(EXAMPLE), "is", "-p", "2026", "-O", "csv"])
    assert mixed.out == run_biz(["-B", str(EXAMPLE), "is", "-p", "2026", "-O", "csv"]).out
