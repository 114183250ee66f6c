"""``biz import bank``: statements into the journal, each row once, checked like biz post.

Expected amounts are worked by hand from the statements written here.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, Result, run_biz
from tests.errors.test_error_codes import snapshot
from tests.oracle.test_hledger_ledger import (
    assert_same,
    biz_balances,
    concatenated,
    hledger_balances,
    inclusive,
    ledger_inclusive,
)

RULES = """schema: 1
account: Assets:Bank:Checking
columns:
  date: Date
  description: Text
  amount: Amount
  reference: Ref
rules:
- match: rent
  account: Expenses:Rent
  counterparty: Riverside Properties
- match: coffee|office
  account: Expenses:Office
- match: interest
  direction: in
  account: Income:Interest
- match: (?P<who>acme|globex)
  direction: in
  account: Income:Sales
  description: 'Sale to {who}'
"""
HEADER = "Date,Text,Amount,Ref\n"


def biz(book: Path, *args: str) -> Result:
    return run_biz(["-B", str(book), *args])


def ok(book: Path, *args: str) -> str:
    result = biz(book, *args)
    assert result.code == 0, result.err
    return result.out


def files(book: Path, statement: str, rules: str = RULES) -> tuple[str, str]:
    """Write a statement and its rules next to the book; return their paths."""
    (book.parent / "bank.csv").write_text(statement, encoding="utf-8")
    (book.parent / "rules.yaml").write_text(rules, encoding="utf-8")
    return str(book.parent / "bank.csv"), str(book.parent / "rules.yaml")


def imported(book: Path, statement: str, *extra: str, rules: str = RULES) -> str:
    csv, yaml = files(book, statement, rules)
    return ok(book, "import", "bank", csv, "--rules", yaml, *extra)


def hashes(book: Path) -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((book / "journal").glob("*")))
    return re.findall(r"; import: ([0-9a-f]{16})", text)


def balances(book: Path) -> dict[str, Decimal]:
    return {a: b.get("USD", Decimal(0)) for a, b in biz_balances(book).items()}


def clean(book: Path) -> None:
    result = biz(book, "check")
    assert (result.code, result.out, result.err) == (0, "", "")


NOVEMBER = HEADER + (
    "2026-11-02,Rent November,-1200.00,\n"
    "2026-11-03,Coffee beans,-12.40,\n"
    "2026-11-03,Coffee beans,-12.40,\n"
    "2026-11-05,ACME invoice 77,2500.00,T1\n"
    "2026-11-06,Interest,0.45,\n")


def test_a_statement_becomes_balanced_tagged_entries(new_book: Path) -> None:
    out = imported(new_book, NOVEMBER)
    assert "# posted 5 of 5 rows to Assets:Bank:Checking; 0 already imported" in out
    assert balances(new_book) == {
        "Assets:Bank:Checking": Decimal("1275.65"), "Expenses:Rent": Decimal("1200.00"),
        "Expenses:Office": Decimal("24.80"), "Income:Sales": Decimal("-2500.00"),
        "Income:Interest": Decimal("-0.45")}
    text = (new_book / "journal" / "2026.journal").read_text(encoding="utf-8")
    assert "2026-11-02 * Riverside Properties\n" in text
    assert "    ; statement: Rent November\n    ; counterparty: Riverside Properties\n" in text
    assert "2026-11-05 * (T1) Sale to ACME\n" in text
    assert len(set(hashes(new_book))) == 5  # the two coffee rows have a hash each
    clean(new_book)


def test_importing_the_same_statement_twice_adds_nothing(new_book: Path) -> None:
    imported(new_book, NOVEMBER)
    journal = (new_book / "journal" / "2026.journal").read_bytes()
    out = imported(new_book, NOVEMBER)
    assert "# posted 0 of 5 rows to Assets:Bank:Checking; 5 already imported" in out
    assert (new_book / "journal" / "2026.journal").read_bytes() == journal


def test_an_overlapping_statement_adds_only_its_new_rows(new_book: Path) -> None:
    imported(new_book, NOVEMBER)
    before = balances(new_book)
    later = HEADER + (
        "2026-11-06,INTEREST,0.450,\n"            # the same row, written differently
        "2026-11-05,ACME  invoice 77,2500,T1\n"
        "2026-11-03,Coffee beans,-12.40,\n"
        "2026-11-03,Coffee beans,-12.40,\n"
        "2026-11-03,Coffee beans,-12.40,\n"       # a third coffee that day: new
        "2026-11-10,Office chairs,-310.00,\n")
    out = imported(new_book, later)
    assert "# posted 2 of 6 rows to Assets:Bank:Checking; 4 already imported" in out
    after = balances(new_book)
    assert after["Expenses:Office"] - before["Expenses:Office"] == Decimal("322.40")
    assert after["Assets:Bank:Checking"] - before["Assets:Bank:Checking"] == Decimal("-322.40")
    assert len(hashes(new_book)) == 7
    clean(new_book)


def test_dry_run_shows_the_plan_and_writes_nothing(new_book: Path) -> None:
    imported(new_book, HEADER + "2026-11-02,Rent November,-1200.00,\n")
    csv, yaml = files(new_book, NOVEMBER)
    before = snapshot(new_book)
    result = biz(new_book, "import", "bank", csv, "--rules", yaml, "--dry-run", "-O", "json")
    assert result.code == 0, result.err
    assert snapshot(new_book) == before
    report = json.loads(result.out)
    rows = [(r["line"], r["description"], r["amount"]["USD"], r["account"], r["rule"],
             r["status"]) for r in report["rows"]]
    assert rows == [
        ("2", "Rent November", "-1200.00", "", "", "duplicate"),
        ("3", "Coffee beans", "-12.40", "Expenses:Office", "#2 coffee|office", "new"),
        ("4", "Coffee beans", "-12.40", "Expenses:Office", "#2 coffee|office", "new"),
        ("5", "Sale to ACME", "2500.00", "Income:Sales", "#4 (?P<who>acme|globex)", "new"),
        ("6", "Interest", "0.45", "Income:Interest", "#3 interest", "new")]
    assert "dry run: nothing written" in report["notes"]
    assert "the new rows move Assets:Bank:Checking by 2475.65 USD" in report["notes"]


EURO_RULES = """schema: 1
account: Assets:Bank:Savings
currency: EUR
encoding: cp1252
delimiter: ';'
skip_lines: 2
date_format: '%d.%m.%Y'
decimal_mark: ','
thousands_separator: '.'
columns: {date: Buchungstag, description: Verwendungszweck, debit: Soll, credit: Haben}
default_account: Expenses:Office
"""


def test_decimal_comma_debit_and_credit_columns_and_another_encoding(new_book: Path) -> None:
    statement = ("Kontoauszug Sparkonto\nIBAN DE00 1234\n"
                 "Buchungstag;Verwendungszweck;Soll;Haben\n"
                 "03.11.2026;Büromaterial;1.234,50;\n"
                 "04.11.2026;Gutschrift Müller;;2.000,00\n")
    (new_book.parent / "bank.csv").write_bytes(statement.encode("cp1252"))
    (new_book.parent / "rules.yaml").write_text(EURO_RULES, encoding="utf-8")
    ok(new_book, "import", "bank", str(new_book.parent / "bank.csv"), "--rules",
       str(new_book.parent / "rules.yaml"))
    savings = biz_balances(new_book)["Assets:Bank:Savings"]
    assert savings == {"EUR": Decimal("765.50")}
    assert biz_balances(new_book)["Expenses:Office"] == {"EUR": Decimal("-765.50")}
    text = (new_book / "journal" / "2026.journal").read_text(encoding="utf-8")
    assert "2026-11-03 * Büromaterial\n" in text
    clean(new_book)


def test_the_account_option_wins_and_changes_the_hashes(new_book: Path) -> None:
    imported(new_book, HEADER + "2026-11-02,Rent November,-1200.00,\n")
    out = imported(new_book, HEADER + "2026-11-02,Rent November,-1200.00,\n",
                   "--account", "Assets:Cash")
    assert "# posted 1 of 1 rows to Assets:Cash" in out
    assert balances(new_book)["Assets:Cash"] == Decimal("-1200.00")


# -- refusals: nothing written ---------------------------------------------------------------
def refused(book: Path, statement: str, rules: str = RULES, *extra: str) -> list[str]:
    csv, yaml = files(book, statement, rules)
    before = snapshot(book)
    result = biz(book, "import", "bank", csv, "--rules", yaml, *extra)
    assert result.code == 1, result.out
    assert snapshot(book) == before, "a refused import changed the book"
    return [line for line in result.err.splitlines() if "error[" in line]


def test_the_lock_date_refuses_the_rows_on_or_before_it(new_book: Path) -> None:
    path = new_book / "biz.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "lock_date: null", "lock_date: 2026-10-31"), encoding="utf-8")
    errors = refused(new_book, HEADER + "2026-10-31,Rent October,-1200.00,\n"
                     "2026-11-02,Rent November,-1200.00,\n")
    assert errors == [(f"{new_book.parent}/bank.csv:2: error[locked-period]: 2026-10-31 is on "
                       "or before the lock date 2026-10-31")]


def test_rows_after_the_fiscal_year_are_refused(new_book: Path) -> None:
    errors = refused(new_book, HEADER + "2027-01-04,Rent January,-1200.00,\n")
    assert [e.split(": ", 1)[1] for e in errors] == [
        ("error[date-out-of-range]: 2027-01-04 is after the end of the current fiscal year "
         "(2026-12-31)")]


def test_every_bad_row_is_listed_at_once(new_book: Path) -> None:
    statement = HEADER + ("2026-11-31,Rent,-1200.00,\n"       # no such day
                          "2026-11-02,Coffee,-12;40,\n"       # not a number
                          "2026-11-02,Coffee,-12.405,\n"      # more decimals than USD has
                          "2026-11-03,Unknown shop,-5.00,\n"  # no rule, no default
                          "2026-11-04,Rent\n")                # a field short
    errors = refused(new_book, statement)
    where = f"{new_book.parent}/bank.csv"
    assert [e.split(" error")[0] for e in errors] == [
        f"{where}:2:", f"{where}:3:", f"{where}:6:"]
    assert [re.search(r"error\[([a-z-]+)\]", e).group(1) for e in errors] == [  # type: ignore[union-attr]
        "bad-date", "bad-amount", "bad-csv"]
    # Once the rows can be read, the rules and the entry checks speak.
    errors = refused(new_book, HEADER + "2026-11-02,Coffee,-12.405,\n"
                     "2026-11-03,Unknown shop,-5.00,\n")
    assert [re.search(r"error\[([a-z-]+)\]", e).group(1) for e in errors] == [  # type: ignore[union-attr]
        "too-many-decimals", "unmatched-bank-row"]
    assert errors[1].endswith(f"error[unmatched-bank-row]: no rule of {new_book.parent}/"
                              "rules.yaml applies to 'Unknown shop' (-5.00), and it has no "
                              "default_account")


def test_a_bad_rules_file_lists_every_problem(new_book: Path) -> None:
    rules = ("schema: 1\ndecimal_mark: ';'\ndate_format: '%d'\ncolumns:\n  date: Date\n"
             "  amount: Amount\n  debit: Out\nrules:\n- match: '(rent'\n  account: Expenses:Rent\n"
             "- match: x\n  account: Expenses:Rent\n  direction: sideways\n  nonsense: 1\n")
    errors = refused(new_book, NOVEMBER, rules)
    where = f"{new_book.parent}/rules.yaml"
    assert [e.split(": error")[0] + " " + e.split("]")[0].split("[")[1] for e in errors] == [
        f"{where}:2 bad-bank-rules", f"{where}:3 bad-bank-rules", f"{where}:5 bad-bank-rules",
        f"{where}:5 missing-key", f"{where}:9 bad-bank-rules", f"{where}:13 bad-bank-rules",
        f"{where}:14 unknown-key"]


def test_accounts_the_rules_name_must_be_in_the_chart(new_book: Path) -> None:
    errors = refused(new_book, NOVEMBER, RULES.replace("Expenses:Rent", "Expenses:Rentt"))
    assert errors == [(f"{new_book.parent}/rules.yaml:9: error[unknown-account]: account "
                       "'Expenses:Rentt' is not in the chart of accounts")]


def test_a_column_the_statement_lacks(new_book: Path) -> None:
    errors = refused(new_book, "Datum,Text,Amount,Ref\n2026-11-02,Rent,-1,\n")
    assert errors == [(f"{new_book.parent}/rules.yaml:4: error[unknown-column]: the statement "
                       f"has no column 'Date' (its header at {new_book.parent}/bank.csv:1 has "
                       "'Datum', 'Text', 'Amount', 'Ref')")]


def test_a_broken_balance_assertion_refuses_the_import(new_book: Path) -> None:
    (new_book / "journal" / "2026.journal").write_text(
        "2026-11-01 * Opening\n    Assets:Bank:Checking  5000.00 USD\n"
        "    Equity:Opening Balances\n\n"
        "2026-11-30 * Statement balance\n    Assets:Bank:Checking  0.00 USD = 5000.00 USD\n"
        "    Equity:Opening Balances  0.00 USD\n", encoding="utf-8")
    errors = refused(new_book, HEADER + "2026-11-02,Rent November,-1200.00,\n")
    assert errors == [("journal/2026.journal:6: error[failed-assertion]: balance assertion "
                       "failed: Assets:Bank:Checking is 3800.00 USD after this posting, not "
                       "5000.00 USD")]


def test_descriptions_are_kept_readable_by_hledger_and_ledger(new_book: Path) -> None:
    imported(new_book, HEADER + '2026-11-03,"* Coffee; beans (2 kg)",-12.40,(X)\n')
    text = (new_book / "journal" / "2026.journal").read_text(encoding="utf-8")
    assert "2026-11-03 * (X) Coffee, beans (2 kg)\n" in text
    clean(new_book)


# -- matching open invoices and bills ------------------------------------------------------
WORKSHOP_RULES = EXAMPLE / "import" / "bank-rules.yaml"
WORKSHOP_STATEMENT = EXAMPLE / "import" / "bank-2026-11.csv"


def workshop_import(book: Path, *extra: str) -> Result:
    return biz(book, "import", "bank", str(WORKSHOP_STATEMENT), "--rules", str(WORKSHOP_RULES),
               *extra)


def test_matches_are_proposed_and_without_match_posted_by_the_rules(
        example_book: Path) -> None:
    preview = workshop_import(example_book, "--dry-run", "-O", "json")
    assert preview.code == 0, preview.err
    found = {r["line"]: r["match"] for r in json.loads(preview.out)["rows"] if r["match"]}
    assert found == {"6": "SI-2026-0012 (reference)", "11": "SI-2026-0016 (amount)",
                     "12": "FTC-3447 (reference)"}
    sales = (example_book / "sales" / "2026.yaml").read_bytes()
    result = workshop_import(example_book)
    assert result.code == 0, result.err
    assert "# 3 of the rows match open invoices or bills; --match records" in result.out
    assert (example_book / "sales" / "2026.yaml").read_bytes() == sales
    assert balances(example_book)["Expenses:Office"] - balances(EXAMPLE)["Expenses:Office"] == (
        Decimal("14.75") - Decimal("619.08") - Decimal("2288.00") + Decimal("1717.32"))


def test_with_match_the_rows_become_customer_and_bill_payments(example_book: Path) -> None:
    before = balances(example_book)
    result = workshop_import(example_book, "--match")
    assert result.code == 0, result.err
    assert ("# customer payments: RCPT-2026-0015 (SI-2026-0012), RCPT-2026-0016 "
            "(SI-2026-0016)") in result.out
    assert "# bills paid on: PO-2026-0008" in result.out
    after = balances(example_book)
    assert after["Assets:Receivable:Sales Orders"] - before[
        "Assets:Receivable:Sales Orders"] == Decimal("-2907.08")
    assert after["Liabilities:Payable:Purchase Orders"] - before[
        "Liabilities:Payable:Purchase Orders"] == Decimal("1717.32")
    assert after["Assets:Bank:Checking"] - before["Assets:Bank:Checking"] == Decimal("735.53")
    aging = ok(example_book, "aging", "ar", "-O", "csv")
    assert "bianca-rossi" not in aging
    assert "1227.60" in aging  # SI-2026-0013 stays open
    assert "finishing-touch" not in ok(example_book, "aging", "ap", "-O", "csv")
    clean(example_book)
    again = workshop_import(example_book, "--match")
    assert "# posted 0 of 10 rows to Assets:Bank:Checking; 10 already imported" in again.out


def test_the_cache_after_an_import_equals_a_cold_load(example_book: Path) -> None:
    ok(example_book, "bal")  # a warm cache to start from
    assert workshop_import(example_book, "--match").code == 0
    warm = [ok(example_book, *args) for args in (("bal", "--flat", "-O", "csv"),
                                                 ("aging", "ar"), ("summary",))]
    shutil.rmtree(example_book / ".biz" / "cache")
    cold = [ok(example_book, *args) for args in (("bal", "--flat", "-O", "csv"),
                                                 ("aging", "ar"), ("summary",))]
    assert warm == cold


def test_hledger_and_ledger_agree_after_an_import(example_book: Path, tmp_path: Path) -> None:
    assert workshop_import(example_book, "--match").code == 0
    journal = concatenated(example_book, tmp_path)
    ours = biz_balances(example_book)
    assert_same(ours, hledger_balances(journal), "hledger")
    assert_same(inclusive(ours, listed_only=True), ledger_inclusive(journal), "ledger")


def test_the_sample_files_leave_the_example_book_as_it_is() -> None:
    result = run_biz(["-B", str(EXAMPLE), "check"])
    assert (result.code, result.out, result.err) == (0, "", "")
    assert WORKSHOP_STATEMENT.exists()
    assert WORKSHOP_RULES.exists()


@pytest.mark.parametrize("args", [("--dry-run",), ()])
def test_statement_and_rules_files_that_cannot_be_read(new_book: Path,
                                                       args: tuple[str, ...]) -> None:
    result = biz(new_book, "import", "bank", str(new_book / "nope.csv"), "--rules",
                 str(new_book / "nope.yaml"), *args)
    assert result.code == 1
    assert "error[unreadable-file]: cannot read" in result.err
