"""``biz export``: every format from the command line, -o FILE, the CSV, JSON and SQLite
rules, refusals, and the beancount name mappings (the balances are checked against
hledger, ledger, beancount and SQLite in tests/oracle/test_exports.py)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizcli.storage.exports.tables import TABLES
from tests.conftest import run_biz

FORMATS = [["hledger"], ["ledger"], ["beancount"], ["csv", "transactions"],
           ["json", "customers"], ["csv", "stock-moves"]]


def _ok(*args: str) -> str:
    result = run_biz(list(args))
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize("words", FORMATS, ids=" ".join)
def test_o_file_holds_what_stdout_shows(example_book: Path, tmp_path: Path,
                                        words: list[str]) -> None:
    book = str(example_book)
    shown = _ok("-B", book, "export", *words)
    target = tmp_path / "out" / "export.txt"
    assert _ok("-B", book, "export", *words, "-o", str(target)) == ""
    assert target.read_text(encoding="utf-8") == shown
    assert _ok("-B", book, "export", *words) == shown  # deterministic
    assert [p.name for p in target.parent.iterdir()] == ["export.txt"]  # no temp file left
    again = tmp_path / "global.txt"
    assert _ok("-B", book, "-o", str(again), "export", *words) == ""
    assert again.read_text(encoding="utf-8") == shown


def test_the_help_lists_every_entity() -> None:
    from bizcli.cli.export import ENTITIES

    assert ENTITIES.split() == [table.name for table in TABLES]
    assert "deal_history leads activities tickets" in _ok("export", "csv", "--help")


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_entity_exports_as_csv_and_json(example_book: Path, table: object) -> None:
    from bizcli.storage.exports.tables import Table

    assert isinstance(table, Table)
    book = str(example_book)
    rows = list(csv.reader(io.StringIO(_ok("-B", book, "export", "csv", table.name))))
    data = json.loads(_ok("-B", book, "export", "json", table.name.replace("_", "-")))
    assert rows[0] == table.column_names == data["columns"]
    assert data["entity"] == table.name
    assert len(rows) - 1 == len(data["rows"])
    for record in data["rows"]:
        assert list(record) == table.column_names  # stable keys, in column order
        assert all(v is None or isinstance(v, (str, bool)) for v in record.values())
    if table.name not in ("prices", "bom_byproducts"):  # the example book has none of these
        assert data["rows"], "the example book should have some"


def test_transactions_have_one_row_per_posting_with_the_entry(example_book: Path,
                                                             tmp_path: Path) -> None:
    book = str(example_book)
    rows = list(csv.DictReader(io.StringIO(_ok("-B", book, "export", "csv", "transactions"))))
    postings = json.loads(_ok("-B", book, "export", "json", "postings"))["rows"]
    entries = {r["id"]: r for r in json.loads(_ok("-B", book, "export", "json",
                                                  "entries"))["rows"]}
    assert len(rows) == len(postings) > len(entries)
    first = rows[0]
    assert (first["entry_id"], first["date"], first["description"], first["account"],
            first["amount"], first["commodity"]) == (
        "1", "2025-06-01", "Opening balances", "Assets:Bank:Checking", "40000.00", "USD")
    invoice = next(r for r in rows if "doc=INV-2026-0001" in (r["tags"] or ""))
    assert "customer=atelier-mueller" in invoice["tags"]
    assert {r["entry_id"] for r in rows} == set(entries)
    database = tmp_path / "books.db"
    _ok("-B", book, "export", "sqlite", str(database))
    with sqlite3.connect(database) as db:
        view = db.execute("SELECT * FROM transactions ORDER BY entry_id, posting").fetchall()
    as_text = [tuple("" if v is None else str(v) for v in row) for row in view]
    assert as_text == [tuple(r.values()) for r in rows]


def test_csv_keeps_formulas_from_running_and_numbers_as_numbers(new_book: Path) -> None:
    (new_book / "customers.yaml").write_text(
        "schema: 1\ncustomers:\n- code: EQ\n  name: '=HYPERLINK(\"http://x.example\")'\n"
        "- code: PLUS\n  name: '+1+2'\n- code: AT\n  name: '@SUM(A1)'\n"
        "- code: MINUS\n  name: '-2+3'\n- code: TAB\n  name: \"\\tx\"\n"
        '- code: CR\n  name: "\\rx"\n- code: PLAIN\n  name: Plain Co\n', encoding="utf-8")
    book = str(new_book)
    _ok("-B", book, "post", "2026-11-02", "=cmd|' /C calc'!A0", "Expenses:Rent", "12.50",
        "Assets:Bank:Checking")
    names = [row[1] for row in csv.reader(io.StringIO(
        _ok("-B", book, "export", "csv", "customers")))][1:]
    assert names == ["'=HYPERLINK(\"http://x.example\")", "'+1+2", "'@SUM(A1)", "'-2+3",
                     "'\tx", "'\rx", "Plain Co"]
    rows = list(csv.DictReader(io.StringIO(_ok("-B", book, "export", "csv", "transactions"))))
    assert [(r["description"], r["amount"]) for r in rows] == [
        ("'=cmd|' /C calc'!A0", "12.50"), ("'=cmd|' /C calc'!A0", "-12.50")]
    report = _ok("-B", book, "customer", "list", "-O", "csv")  # reports share the rule
    assert "'=HYPERLINK" in report
    assert "'-2+3" in report
    record = json.loads(_ok("-B", book, "export", "json", "transactions"))["rows"][1]
    assert (record["description"], record["amount"], record["entry_id"]) == (
        "=cmd|' /C calc'!A0", "-12.50", "1")  # JSON is data, not a spreadsheet


def test_unknown_entity_is_refused() -> None:
    result = run_biz(["-B", "examples/workshop", "export", "json", "order-lines"])
    assert result.code == 1
    assert result.err.startswith("error[unknown-entity]: there is no entity 'order-lines'")


def test_sqlite_never_replaces_a_file_without_force(example_book: Path,
                                                   tmp_path: Path) -> None:
    target = tmp_path / "books.db"
    target.write_bytes(b"keep me")
    refused = run_biz(["-B", str(example_book), "export", "sqlite", str(target)])
    assert refused.code == 1
    assert "error[output-exists]" in refused.err
    assert target.read_bytes() == b"keep me"
    forced = run_biz(["-B", str(example_book), "export", "sqlite", "-o", str(target),
                      "--force"])
    assert forced.code == 0, forced.err
    assert re.fullmatch(r"wrote .*books\.db: 42 tables, \d+ rows\n", forced.out)
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == 13
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books.db", "workshop"]
    usage = run_biz(["-B", str(example_book), "export", "sqlite"])
    assert usage.code == 2


def test_a_refused_sqlite_export_leaves_no_file(example_book: Path, tmp_path: Path) -> None:
    sales = example_book / "sales" / "2026.yaml"
    text = sales.read_text(encoding="utf-8")
    first = re.search(r"^- number: (SO-\d{4}-\d{4})$", text, re.MULTILINE)
    assert first is not None
    second = re.findall(r"^- number: (SO-\d{4}-\d{4})$", text, re.MULTILINE)[-1]
    sales.write_text(text.replace(f"- number: {second}", f"- number: {first.group(1)}"),
                     encoding="utf-8")
    target = tmp_path / "books.db"
    result = run_biz(["-B", str(example_book), "export", "sqlite", str(target)])
    assert result.code == 1
    assert result.err.startswith(f"error[export-conflict]: sales_orders: two records have "
                                 f"the key {first.group(1)}")
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == [example_book.name]  # no temp file


def test_a_book_with_errors_is_not_exported(new_book: Path, tmp_path: Path) -> None:
    (new_book / "journal" / "2026.journal").write_text(
        "2026-01-05 Rent\n    Expenses:Rent  100.00 USD\n    Assets:Cash  -99.00 USD\n",
        encoding="utf-8")
    for words in (["hledger"], ["beancount"], ["csv", "transactions"], ["sqlite"]):
        target = tmp_path / "out"
        result = run_biz(["-B", str(new_book), "export", *words, "-o", str(target)])
        assert result.code == 1
        assert "error[unbalanced-transaction]" in result.err
        assert not target.exists()


def test_crm_references_are_checked_before_a_crm_export(example_book: Path) -> None:
    deals = example_book / "crm" / "deals.yaml"
    text = deals.read_text(encoding="utf-8")
    deals.write_text(text.replace("customer: harbor-interiors", "customer: harbour", 1),
                     encoding="utf-8")
    result = run_biz(["-B", str(example_book), "export", "csv", "deals"])
    assert result.code == 1
    assert "error[unknown-customer]" in result.err
    assert run_biz(["-B", str(example_book), "export", "csv", "customers"]).code == 0


def test_ledger_declares_tags_and_types_as_comments(example_book: Path) -> None:
    text = _ok("-B", str(example_book), "export", "ledger")
    assert "account Assets:Bank:Checking\n    ; type: asset\n    ; subtype: cash\n" in text
    assert "\ntag doc\n" in text
    assert "commodity USD\n    format 1000.00 USD\n" in text
    hledger = _ok("-B", str(example_book), "export", "hledger")
    assert "account Assets:Bank:Checking  ; type: C\n" in hledger
    assert "account Expenses:Rent  ; type: X\n" in hledger
    entries = hledger.split("\n\n2")
    dates = [e[:10] for e in entries[1:]]
    assert dates == sorted(dates)


# --- beancount names ---------------------------------------------------------------------

def test_components_follow_beancounts_rules() -> None:
    from bizcli.storage.exports.beancount_file import component

    assert component("Cost of Goods Sold") == "Cost-of-Goods-Sold"
    assert component("work in progress") == "Work-in-progress"
    assert component("Müller & Söhne") == "Müller-Söhne"
    assert component("办公") == "X-办公"
    assert component("2026") == "2026"
    assert component("é") == "É"
    assert component("---") == "X"


def test_commodities_become_valid_currencies_without_merging() -> None:
    from bizcli.storage.exports.beancount_file import commodity_map

    assert commodity_map(["USD", "$", "€", "oak-board", "Äpfel", "元", "TRUE", "m²"]) == {
        "$": "USD-2", "USD": "USD", "€": "EUR", "oak-board": "OAK-BOARD",
        "Äpfel": "APFEL", "元": "C5143", "TRUE": "C-TRUE", "m²": "M2"}
    assert commodity_map(["$", "€"]) == {"$": "USD", "€": "EUR"}


def test_accounts_keep_their_tree_and_never_merge() -> None:
    from bizcli.core.ledger.accounts import Account, AccountType, build_chart
    from bizcli.storage.exports.beancount_file import account_map

    chart, _ = build_chart([
        Account(name="Assets", type=AccountType.ASSET),
        Account(name="Bank", type=AccountType.ASSET),
        Account(name="Expenses", type=AccountType.EXPENSE),
        Account(name="Equity", type=AccountType.EQUITY),
        Account(name="Assets:Loan Given", type=AccountType.LIABILITY)])
    names = ["Assets", "Assets:Bank", "Assets:Bank:Checking", "Bank", "Bank:Checking",
             "Expenses:Cost of sales", "Expenses:cost of sales", "Expenses:Cost-of-sales:X",
             "Equity:Owner Capital", "Assets:Loan Given"]
    mapped = account_map(chart, names)
    assert mapped == {
        "Assets": "Assets:Assets", "Assets:Bank": "Assets:Bank",
        "Assets:Bank:Checking": "Assets:Bank:Checking", "Bank": "Assets:Bank-2",
        "Bank:Checking": "Assets:Bank-2:Checking",
        "Expenses:Cost of sales": "Expenses:Cost-of-sales",
        "Expenses:Cost-of-sales:X": "Expenses:Cost-of-sales-2:X",
        "Expenses:cost of sales": "Expenses:Cost-of-sales-3",
        "Equity:Owner Capital": "Equity:Owner-Capital",
        "Assets:Loan Given": "Liabilities:Assets:Loan-Given"}


NAME_PART = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                    min_size=1, max_size=6).filter(lambda s: ":" not in s)


@given(st.lists(st.lists(NAME_PART, min_size=1, max_size=3).map(":".join),
                min_size=1, max_size=12, unique=True))
def test_any_names_map_to_distinct_valid_beancount_accounts(names: list[str]) -> None:
    account = pytest.importorskip("beancount.core.account")
    from bizcli.core.ledger.accounts import build_chart
    from bizcli.storage.exports.beancount_file import account_map

    chart, _ = build_chart([])
    mapped = account_map(chart, names)
    assert len(set(mapped.values())) == len(names)
    assert all(account.is_valid(name) for name in mapped.values()), mapped
    roots = {"assets", "liabilities", "equity", "income", "expenses"}
    for name in names:  # a parent maps to the parent of its children's names
        parent = name.rsplit(":", 1)[0]
        if ":" in name and parent in mapped and parent.casefold() not in roots:
            assert mapped[name].startswith(mapped[parent] + ":")


@given(st.lists(st.text(min_size=1, max_size=5).filter(lambda s: not s.isspace()),
                min_size=1, max_size=10, unique=True))
def test_any_commodities_map_to_distinct_valid_currencies(names: list[str]) -> None:
    amount = pytest.importorskip("beancount.core.amount")
    from bizcli.storage.exports.beancount_file import commodity_map

    mapped = commodity_map(names)
    assert len(set(mapped.values())) == len(names)
    assert all(re.fullmatch(amount.CURRENCY_RE, c) for c in mapped.values()), mapped


@given(st.text(st.characters(whitelist_categories=("L", "N", "Pd", "Pc")), min_size=1,
               max_size=8))
def test_tag_keys_become_metadata_keys(key: str) -> None:
    from bizcli.storage.exports.beancount_file import meta_key

    assert re.fullmatch(r"[a-z][a-zA-Z0-9_-]+", meta_key(key))
    assert meta_key(key) not in ("filename", "lineno")


def test_an_export_that_cannot_be_written_says_so(example_book: Path, tmp_path: Path) -> None:
    book = str(example_book)
    folder = run_biz(["-B", book, "export", "hledger", "-o", str(tmp_path)])
    assert folder.code == 1
    assert folder.err.startswith(f"error[output-exists]: {tmp_path} is a folder")
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    for words in (["sqlite"], ["csv", "accounts"]):
        result = run_biz(["-B", book, "export", *words, "-o", str(blocked / "out")])
        assert result.code == 1
        assert result.err.startswith(f"error[unwritable-output]: cannot write {blocked}/out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "workshop"]
