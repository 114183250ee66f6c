"""Oracle tests of ``biz export``: hledger, ledger and beancount read the exports and give
the balances bizcli gives; SQLite sums the postings to the same balances.

Books: a copy of the example book, a generated three-year book (CJK account names,
tags), and a small book of the cases that need care: three commodities with prices,
``@`` and ``@@``, a currency sign, prices that leave a rounding difference (one against
whole yen), balance assertions on a parent account, on an account that holds two
commodities and before a same-day posting, names that beancount would merge, tags with
capitals and CJK keys, quotes and backslashes in a description. In CI
(``CI`` set) a missing tool is a failure, not a skip.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, run_biz
from tests.oracle.test_hledger_ledger import (
    Balances,
    _tool,
    assert_same,
    biz_balances,
    hledger_balances,
    inclusive,
    ledger_inclusive,
)

TRICKY_ACCOUNTS = """\
- name: Assets:Bank
- name: Assets:Bank:EUR
  subtype: cash
- name: Assets:Customer Deposits
  type: liability
- name: Equity:Owner-Capital
- name: Expenses:办公
- name: Expenses:办公:文具
- name: Expenses:cost of sales
- name: Expenses:Cost of sales
"""
TRICKY_JOURNAL = """\
; A book with what the exports must get right
commodity $1000.00
commodity 1000.00 EUR
P 2026-01-31 EUR $1.08
P 2026-02-28 EUR $1.0867

2026-01-02 * (OPEN-1) Opening balances
    ; doc: OPEN-2026
    Assets:Bank:Checking          $1000.00
    Assets:Cash                   200.00 EUR @ $1.08
    Equity:Owner Capital          -$1100.00
    Equity:Owner-Capital          -$116.00

2026-01-05 ! Rent "January" \\ back
    ; Doc: RENT-01
    ; 客户: 上海
    ; paid by transfer
    Expenses:Rent                 $500.00  ; split: yes
    Assets:Bank:Checking         -$500.00 = $500.00
    Expenses:Rent                  $18.00
    Assets:Bank:Checking          -$18.00

2026-01-31 Interest
    Assets:Bank                     $0.50 = $0.50
    Income:Sales

2026-02-01 * Till top-up
    Assets:Cash                   $50.00 = 200.00 EUR
    Assets:Bank:Checking         -$50.00

2026-02-05 * Euros
    Assets:Bank:EUR               125.00 EUR @ $1.0867
    Assets:Bank:Checking

2026-02-06 * Euros back
    Assets:Bank:EUR              -10.50 EUR @@ $11.34
    Assets:Bank:Checking          $11.34
        ; doc: FX-2

2026-02-07 Stationery
    Expenses:办公:文具              12.00 EUR
    Expenses:cost of sales         1.00 EUR
    Expenses:Cost of sales         2.00 EUR
    Assets:Bank:EUR

2026-02-08 Deposit
    Assets:Bank:Checking         $100.00
    Assets:Customer Deposits    -$100.00

2026-02-09 * More euros
    Assets:Bank:EUR               50.00 EUR @ $1.0851
    Assets:Bank:Checking         -$54.26

2026-02-10 * Tokyo hotel
    Expenses:Rent                  1000 JPY
    Assets:Bank:EUR               -6.21 EUR @ 161.03 JPY
"""


ledger_balances = ledger_inclusive


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".biz"))
    return target


@pytest.fixture(scope="module")
def generated(generated_book: Path) -> Path:
    """The oracle tests' generated 3-year book (many accounts, CJK names, tags)."""
    return generated_book


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tricky") / "book"
    assert run_biz(["init", str(folder), "--company", "Tricky & Co"]).code == 0
    with (folder / "accounts.yaml").open("a", encoding="utf-8") as chart:
        chart.write(TRICKY_ACCOUNTS)
    (folder / "journal" / "2026.journal").write_text(TRICKY_JOURNAL, encoding="utf-8")
    check = run_biz(["-B", str(folder), "check"])
    assert check.code == 0, check.err
    assert "warning[assertion-multi-commodity]" in check.err
    return folder


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(EXAMPLE, tmp_path_factory.mktemp("example") / "workshop")


BOOKS = ["workshop", "generated", "tricky"]


def export(book: Path, kind: str, target: Path) -> Path:
    result = run_biz(["-B", str(book), "export", kind, "-o", str(target)])
    assert result.code == 0, result.err
    assert result.out == ""
    return target


@pytest.mark.parametrize("name", BOOKS)
def test_hledger_reads_the_export_with_the_same_balances(
        name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    book: Path = request.getfixturevalue(name)
    journal = export(book, "hledger", tmp_path / "books.journal")
    ours = biz_balances(book)
    assert ours
    assert_same(ours, hledger_balances(journal), "hledger")
    assert_same(biz_balances(book, "-p", "2026-02"),
                hledger_balances(journal, "-p", "2026-02"), "hledger, one month")
    strict = subprocess.run([_tool("hledger"), "-f", str(journal), "--strict", "check"],
                            capture_output=True, text=True, check=False)
    assert strict.returncode == 0, strict.stderr


@pytest.mark.parametrize("name", BOOKS)
def test_ledger_reads_the_export_with_the_same_balances(
        name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    book: Path = request.getfixturevalue(name)
    journal = export(book, "ledger", tmp_path / "books.ledger")
    ours = biz_balances(book)
    assert_same(inclusive(ours, listed_only=True), ledger_balances(journal), "ledger")
    pedantic = subprocess.run([_tool("ledger"), "-f", str(journal), "--pedantic", "bal"],
                              capture_output=True, text=True, check=False)
    assert pedantic.returncode == 0, pedantic.stderr
    assert pedantic.stderr == ""


def test_hledger_declares_types_and_checks_every_assertion(tricky: Path,
                                                           tmp_path: Path) -> None:
    text = export(tricky, "hledger", tmp_path / "t.journal").read_text(encoding="utf-8")
    assert "account Assets:Bank:EUR  ; type: C\n" in text
    assert "account Assets:Customer Deposits  ; type: L\n" in text
    assert "account Income:Sales  ; type: R\n" in text
    assert "commodity 1000.00 EUR\n" in text
    assert "commodity $1000.0000\n" in text  # the euros' derived -$135.8375 shows exactly
    assert "commodity 1000. JPY\n" in text
    assert ("50.00 EUR @@ $54.26  ; written @ $1.0851 in the book, here the total that "
            "balances exactly") in text
    assert text.count(" = ") == 3
    broken = text.replace("= $0.50", "= $0.40")
    (tmp_path / "broken.journal").write_text(broken, encoding="utf-8")
    failed = subprocess.run([_tool("hledger"), "-f", str(tmp_path / "broken.journal"), "bal"],
                            capture_output=True, text=True, check=False)
    assert failed.returncode != 0
    assert "assertion" in failed.stderr.lower()


def test_ledger_keeps_an_assertion_it_would_misread_as_a_comment(tricky: Path,
                                                                  tmp_path: Path) -> None:
    text = export(tricky, "ledger", tmp_path / "t.ledger").read_text(encoding="utf-8")
    assert "account Assets:Customer Deposits\n    ; type: liability\n" in text
    assert "tag 客户\n" in text
    assert ("$50.00  ; balance assertion = 200.00 EUR kept as a comment (ledger would "
            "compare it with every commodity the account holds)") in text
    assert text.count(" = $") == 2  # the two single-commodity assertions stay checked


# --- beancount -----------------------------------------------------------------------

def beancount_balances(path: Path) -> Balances:
    """Postings summed per account, mapped back to bizcli's names via ``name:`` metadata."""
    from beancount import loader
    from beancount.core import data

    entries, errors, _ = loader.load_file(str(path))
    assert errors == [], errors[:3]
    accounts = {e.account: e.meta["name"] for e in entries if isinstance(e, data.Open)}
    currencies = {e.currency: e.meta["name"] for e in entries
                  if isinstance(e, data.Commodity)}
    totals: Balances = {}
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                balance = totals.setdefault(accounts[posting.account], {})
                commodity = currencies[posting.units.currency]
                balance[commodity] = balance.get(commodity, Decimal(0)) + posting.units.number
    cleaned = {a: {c: q for c, q in b.items() if q} for a, b in totals.items()}
    return {a: b for a, b in cleaned.items() if b}


def bean_check() -> str:
    """beancount's bean-check: a test dependency (the [test] extra), so never skipped.

    It sits beside this Python (a venv's bin/), which need not be on PATH.
    """
    beside = Path(sys.executable).parent / "bean-check"
    if beside.exists():
        return str(beside)
    found = shutil.which("bean-check")
    assert found is not None, "bean-check is missing: pip install -e '.[test]'"
    return found


@pytest.mark.parametrize("name", BOOKS)
def test_beancount_export_passes_bean_check_with_the_same_balances(
        name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    book: Path = request.getfixturevalue(name)
    path = export(book, "beancount", tmp_path / "books.beancount")
    checked = subprocess.run([bean_check(), str(path)], capture_output=True,
                             text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (checked.stdout + checked.stderr).strip() == ""
    assert_same(biz_balances(book), beancount_balances(path), "beancount")


def test_beancount_names_dates_and_balances(tricky: Path, tmp_path: Path) -> None:
    from beancount import loader
    from beancount.core import data

    path = export(tricky, "beancount", tmp_path / "t.beancount")
    entries, errors, options = loader.load_file(str(path))
    assert errors == []
    assert options["operating_currency"] == ["USD"]
    opened = {e.meta["name"]: (e.account, e.date) for e in entries if isinstance(e, data.Open)}
    assert opened["Equity:Owner Capital"][0] == "Equity:Owner-Capital"
    assert opened["Equity:Owner-Capital"][0] == "Equity:Owner-Capital-2"
    assert opened["Expenses:办公:文具"][0] == "Expenses:X-办公:X-文具"
    assert opened["Assets:Customer Deposits"][0] == "Liabilities:Assets:Customer-Deposits"
    assert opened["Assets:Bank:EUR"] == ("Assets:Bank:EUR", dt.date(2026, 2, 5))
    assert "Assets" not in opened  # a root nothing is posted to is beancount's own root
    currencies = {e.meta["name"]: e.currency for e in entries
                  if isinstance(e, data.Commodity)}
    assert currencies == {"$": "USD-2", "EUR": "EUR", "JPY": "JPY", "USD": "USD"}
    balances = [(e.date, e.account, e.amount.number, e.amount.currency) for e in entries
                if isinstance(e, data.Balance)]
    assert balances == [
        # asserted after the first posting of the day; a later one leaves 482.00
        (dt.date(2026, 1, 6), "Assets:Bank:Checking", Decimal("482.00"), "USD-2"),
        # beancount counts the subaccounts: 482.00 in Checking + 0.50 in Bank itself
        (dt.date(2026, 2, 1), "Assets:Bank", Decimal("482.50"), "USD-2"),
        (dt.date(2026, 2, 2), "Assets:Cash", Decimal("200.00"), "EUR")]
    rent = next(e for e in entries if isinstance(e, data.Transaction)
                and e.narration.startswith("Rent"))
    assert rent.narration == 'Rent "January" \\ back'
    assert rent.flag == "!"
    assert rent.meta["doc"] == "RENT-01"
    assert rent.meta["comment"] == "paid by transfer"
    assert rent.postings[0].meta["split"] == "yes"
    opening = next(e for e in entries if isinstance(e, data.Transaction)
                   and e.narration == "Opening balances")
    assert opening.links == frozenset({"OPEN-2026"})
    assert opening.meta["code"] == "OPEN-1"


# --- SQLite --------------------------------------------------------------------------

def _sqlite_balances(database: Path) -> Balances:
    """SUM of amount_minor per account and commodity, scaled back exactly."""
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT p.account, p.commodity, SUM(p.amount_minor), c.scale FROM postings p "
            "JOIN commodities c ON c.symbol = p.commodity GROUP BY p.account, p.commodity"
        ).fetchall()
        texts = db.execute("SELECT account, commodity, amount FROM postings").fetchall()
    out: Balances = {}
    for account, commodity, minor, scale in rows:
        if minor:
            out.setdefault(account, {})[commodity] = Decimal(minor).scaleb(-scale)
    exact: Balances = {}
    for account, commodity, amount in texts:
        balance = exact.setdefault(account, {})
        balance[commodity] = balance.get(commodity, Decimal(0)) + Decimal(amount)
    assert out == {a: {c: q for c, q in b.items() if q} for a, b in exact.items()
                   if any(b.values())}
    return out


@pytest.mark.parametrize("name", BOOKS)
def test_sqlite_holds_every_posting_with_keys_that_check(
        name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    book: Path = request.getfixturevalue(name)
    database = tmp_path / "books.db"
    result = run_biz(["-B", str(book), "export", "sqlite", str(database)])
    assert result.code == 0, result.err
    assert_same(biz_balances(book), _sqlite_balances(database), "sqlite")
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        entries = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        postings = db.execute("SELECT COUNT(*) FROM postings").fetchone()[0]
        view = db.execute("SELECT COUNT(*) FROM transactions").fetchone()[0]
        amounts = {row[0] for row in db.execute("SELECT typeof(amount) FROM postings")}
    count = json.loads(run_biz(["-B", str(book), "export", "json", "entries"]).out)["rows"]
    assert entries == len(count)
    assert postings == view > entries
    assert amounts == {"text"}  # never a float


def test_sqlite_records_match_the_book(workshop: Path, tmp_path: Path) -> None:
    from bizcli.storage.crm_loader import load_crm
    from bizcli.storage.loader import load_book

    book, _ = load_book(workshop, need_stock=True)
    crm, _ = load_crm(workshop)
    database = tmp_path / "books.db"
    assert run_biz(["-B", str(workshop), "export", "sqlite", str(database)]).code == 0
    expected = {
        "customers": len(book.customers), "suppliers": len(book.suppliers),
        "items": len(book.items), "warehouses": len(book.warehouses),
        "stock_moves": len(book.stock_moves or ()), "sales_orders": len(book.sales),
        "sales_order_lines": sum(len(s.lines) for s in book.sales),
        "invoices": sum(len(s.invoices) for s in book.sales),
        "purchase_orders": len(book.purchases),
        "purchase_order_lines": sum(len(o.lines) for o in book.purchases),
        "work_orders": len(book.work_orders), "boms": len(book.boms),
        "deals": len(crm.deals), "leads": len(crm.leads),
        "activities": len(crm.activities), "tickets": len(crm.tickets),
        "accounts": len(book.chart.accounts)}
    assert all(expected.values())  # the example book has some of everything
    with sqlite3.connect(database) as db:
        counts = {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
                  for name in expected}
        lines = db.execute("SELECT sales_order, quantity, price FROM sales_order_lines "
                           "ORDER BY sales_order, line").fetchall()
        orphans = db.execute(
            "SELECT COUNT(*) FROM sales_orders o LEFT JOIN customers c ON c.code = o.customer "
            "WHERE c.code IS NULL").fetchone()[0]
    assert counts == expected
    assert lines == [(s.number, f"{line.quantity:f}", f"{line.price:f}")
                     for s in sorted(book.sales, key=lambda s: s.number) for line in s.lines]
    assert orphans == 0
