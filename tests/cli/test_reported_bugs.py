"""Behaviours that were once wrong, each pinned by the smallest book that showed it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_biz, write_journal


def _add(book: Path, *accounts: str) -> None:
    for account in accounts:
        assert run_biz(["-B", str(book), "account", "add", account]).code == 0


def test_cash_flow_ends_at_the_cash_balance_after_a_currency_exchange(new_book: Path) -> None:
    _add(new_book, "Assets:Bank:Euro")
    (new_book / "accounts.yaml").write_text(
        (new_book / "accounts.yaml").read_text(encoding="utf-8").replace(
            "- name: Assets:Bank:Euro\n", "- name: Assets:Bank:Euro\n  subtype: cash\n"),
        encoding="utf-8")
    write_journal(new_book, "2026.journal",
                  "2026-01-02 * Capital\n    Assets:Bank:Checking  20000.00 USD\n"
                  "    Equity:Owner Capital  -20000.00 USD\n\n"
                  "2026-01-05 * Buy euros\n    Assets:Bank:Euro  500.00 EUR @ 1.08 USD\n"
                  "    Assets:Bank:Checking  -540.00 USD\n\n"
                  "2026-01-09 * Rent\n    Expenses:Rent  100.00 USD\n"
                  "    Assets:Bank:Checking  -100.00 USD\n")
    result = run_biz(["-B", str(new_book), "cf", "-O", "json"])
    assert result.code == 0, result.err
    rows = {r["account"]: r["amount"] for r in json.loads(result.out)["rows"]}
    assert rows["Cash at the end"] == {"EUR": "500.00", "USD": "19360.00"}
    assert rows["Conversions between cash accounts"] == {"EUR": "500.00", "USD": "-540.00"}
    assert rows["Total operating activities"] == {"USD": "-100.00"}


def test_cash_flow_applies_tag_queries(new_book: Path) -> None:
    write_journal(new_book, "2026.journal",
                  "2026-01-02 * Sale\n    ; doc: A\n    Assets:Bank:Checking  10.00 USD\n"
                  "    Income:Sales  -10.00 USD\n\n"
                  "2026-01-03 * Sale\n    ; doc: B\n    Assets:Bank:Checking  7.00 USD\n"
                  "    Income:Sales  -7.00 USD\n")
    rows = json.loads(run_biz(["-B", str(new_book), "cf", "tag:doc=A", "-O", "json"]).out)
    by_name = {r["account"]: r["amount"] for r in rows["rows"]}
    assert by_name["Total operating activities"] == {"USD": "10.00"}
    assert by_name["Other cash movements (outside the query)"] == {"USD": "7.00"}


def test_an_amount_derived_through_a_price_is_rounded_once_when_written(
        new_book: Path) -> None:
    _add(new_book, "Expenses:Travel")
    result = run_biz(["-B", str(new_book), "post", "-"], stdin=(
        "2026-02-01 * Hotel in Lyon\n    Expenses:Travel  125.00 EUR @ 1.0867 USD\n"
        "    Assets:Bank:Checking\n"))
    assert result.code == 0, result.err
    assert "Assets:Bank:Checking                   -135.84 USD" in result.out
    assert "125.00 EUR @ 1.0867 USD" in result.out
    assert run_biz(["-B", str(new_book), "check"]).code == 0


def test_a_half_cent_conversion_balances_either_way(new_book: Path) -> None:
    for cents in ("54.25", "54.26"):
        write_journal(new_book, "2026.journal",
                      "2026-01-02 * Fee\n    Expenses:Office  50.00 EUR @ 1.0851 USD\n"
                      f"    Assets:Bank:Checking  -{cents} USD\n")
        result = run_biz(["-B", str(new_book), "check"])
        assert result.code == 0, result.err
    write_journal(new_book, "2026.journal",
                  "2026-01-02 * Fee\n    Expenses:Office  50.00 EUR @ 1.0851 USD\n"
                  "    Assets:Bank:Checking  -54.27 USD\n")
    assert "error[unbalanced-transaction]" in run_biz(["-B", str(new_book), "check"]).err


def test_the_precision_in_biz_yaml_is_used_for_a_new_commodity(new_book: Path) -> None:
    settings = new_book / "biz.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "commodities:\n  WIDGET: 0\n",
                        encoding="utf-8")
    _add(new_book, "Assets:Widgets")
    result = run_biz(["-B", str(new_book), "post", "2026-01-02", "Count", "Assets:Widgets",
                      "3 WIDGET", "Equity:Opening Balances", "-3 WIDGET"])
    assert result.code == 0, result.err
    assert "3 WIDGET\n" in result.out
    assert "3.00 WIDGET" not in result.out


def test_a_missing_include_is_noticed_when_the_file_appears(new_book: Path) -> None:
    write_journal(new_book, "2026.journal", "include extra/more.journal\n")
    assert "error[missing-include]" in run_biz(["-B", str(new_book), "check"]).err
    extra = new_book / "journal" / "extra"
    extra.mkdir()
    (extra / "more.journal").write_text(
        "2026-01-02 * x\n    Assets:Cash  1.00 USD\n    Assets:Bank:Checking  -1.00 USD\n",
        encoding="utf-8")
    assert run_biz(["-B", str(new_book), "check"]).code == 0


def test_a_back_dated_entry_goes_under_its_month_heading(new_book: Path) -> None:
    write_journal(new_book, "2026.journal",
                  "; ---- 2026-10 ----\n\n2026-10-05 * A\n    Assets:Cash  1.00 USD\n"
                  "    Assets:Bank:Checking  -1.00 USD\n\n"
                  "; ---- 2026-11 ----\n\n2026-11-02 * B\n    Assets:Cash  1.00 USD\n"
                  "    Assets:Bank:Checking  -1.00 USD\n")
    assert run_biz(["-B", str(new_book), "post", "2026-10-31", "C", "Assets:Cash", "1",
                    "Assets:Bank:Checking"]).code == 0
    text = (new_book / "journal" / "2026.journal").read_text(encoding="utf-8")
    assert text.index("2026-10-31") < text.index("; ---- 2026-11 ----")
    assert text.index("2026-10-05") < text.index("2026-10-31")
    assert "\n\n\n" not in text


def test_amounts_with_a_price_line_up_with_the_others(new_book: Path) -> None:
    _add(new_book, "Expenses:Travel")
    result = run_biz(["-B", str(new_book), "post", "-", "--dry-run"], stdin=(
        "2026-02-01 * Hotel\n    Expenses:Travel  125.00 EUR @ 1.0867 USD\n"
        "    Assets:Bank:Checking  -135.84 USD\n"))
    lines = result.out.splitlines()[1:]
    assert lines[0].index("EUR") == lines[1].index("USD")



def test_cash_flow_of_a_converted_payment_has_no_rounding_leftover(new_book: Path) -> None:
    _add(new_book, "Expenses:Travel")
    assert run_biz(["-B", str(new_book), "post", "-"], stdin=(
        "2026-02-01 * Hotel in Lyon\n    Expenses:Travel  125.00 EUR @ 1.0867 USD\n"
        "    Assets:Bank:Checking  -135.84 USD\n")).code == 0
    rows = json.loads(run_biz(["-B", str(new_book), "cf", "-O", "json"]).out)["rows"]
    by_name = {r["account"]: r["amount"] for r in rows}
    assert by_name["Total operating activities"] == {"USD": "-135.84"}
    assert "Conversions between cash accounts" not in by_name


def test_an_imbalance_is_shown_without_trailing_zeros(new_book: Path) -> None:
    write_journal(new_book, "2026.journal",
                  "2026-01-02 * Fee\n    Expenses:Office  50.00 EUR @ 1.0851 USD\n"
                  "    Assets:Bank:Checking  -54.27 USD\n")
    err = run_biz(["-B", str(new_book), "check"]).err
    assert "the postings add up to -0.015 USD" in err


def test_global_output_format_reaches_every_command(new_book: Path) -> None:
    assert run_biz(["-B", str(new_book), "-O", "json", "check"]).out.strip() == "[]"
    listed = run_biz(["-B", str(new_book), "-O", "json", "accounts", "cash"])
    assert json.loads(listed.out)["report"] == "accounts"
    explicit = run_biz(["-B", str(new_book), "-O", "csv", "accounts", "-O", "plain"])
    assert explicit.out.startswith("Chart of accounts")


def test_an_output_file_takes_its_format_from_its_extension(new_book: Path,
                                                            tmp_path: Path) -> None:
    target = tmp_path / "chart.json"
    assert run_biz(["-B", str(new_book), "accounts", "-o", str(target)]).code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["report"] == "accounts"


def test_a_description_that_reads_back_as_a_code_is_refused(new_book: Path) -> None:
    """'2026-11-20 * (Q4) Rent' is code Q4, description Rent, to hledger, ledger and bizcli:
    writing the description '(Q4) Rent' would change the entry on the next read."""
    journal = new_book / "journal"
    before = {p.name: p.read_bytes() for p in journal.iterdir()}
    refused = run_biz(["-B", str(new_book), "post", "2026-11-20", "(Q4) Rent",
                       "Expenses:Rent", "100", "Assets:Bank:Checking"])
    assert refused.code == 1
    assert "error[ambiguous-description]" in refused.err
    assert {p.name: p.read_bytes() for p in journal.iterdir()} == before
    for args in (["(Q4) Rent", "--code", "R-7"], ["Rent (Q4)"], ["! urgent"]):
        result = run_biz(["-B", str(new_book), "post", "2026-11-20", args[0],
                          "Expenses:Rent", "100", "Assets:Bank:Checking", *args[1:]])
        assert result.code == 0, result.err
    rows = json.loads(run_biz(["-B", str(new_book), "reg", "rent", "-O", "json"]).out)["rows"]
    assert [r["description"] for r in rows if r.get("description")] == [
        "(Q4) Rent", "Rent (Q4)", "! urgent"]
