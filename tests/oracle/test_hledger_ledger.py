"""Oracle tests: the balances bizcli computes equal what hledger and ledger print.

They run on the example book and on generated multi-year books. In CI (``CI`` set) a
missing hledger or ledger is a failure, not a skip: .ci/run installs both.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, run_biz

Balances = dict[str, dict[str, Decimal]]
_AMOUNT = re.compile(r"(-?)([^\d\s\-.,]*)(-?)(\d+(?:\.\d+)?)(?:\s*([^\d\s\-.,]+))?")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run must install it")
        pytest.skip(f"{name} is not installed")
    return path


def span_args(period: str | None) -> list[str]:
    """The same dates for hledger and ledger: ``-b START -e END`` (end exclusive)."""
    if period is None:
        return []
    import datetime as dt

    from bizcli.core.periods import parse_period

    parsed = parse_period(period, today=dt.date(2026, 11, 22))
    out = []
    if parsed.start:
        out += ["-b", parsed.start.isoformat()]
    if parsed.end:
        out += ["-e", parsed.end.isoformat()]
    return out


def parse_amounts(text: str) -> dict[str, Decimal]:
    """``-12.00 USD, $3.00`` -> {"USD": -12.00, "$": 3.00}; ``0`` -> {}."""
    out: dict[str, Decimal] = {}
    for match in _AMOUNT.finditer(text):
        sign1, prefix, sign2, number, suffix = match.groups()
        quantity = Decimal(number) * (-1 if (sign1 or sign2) else 1)
        commodity = prefix or suffix or ""
        if quantity or commodity:
            out[commodity] = out.get(commodity, Decimal(0)) + quantity
    return {c: q for c, q in out.items() if q}


def concatenated(book: Path, tmp: Path) -> Path:
    """All journal files of a book in one file, in name order (balances carry over)."""
    target = tmp / "all.journal"
    files = sorted((book / "journal").glob("*.journal"))
    target.write_text("\n".join(f.read_text(encoding="utf-8") for f in files),
                      encoding="utf-8")
    return target


def biz_balances(book: Path, *args: str, flat: bool = True) -> Balances:
    result = run_biz(["-B", str(book), "bal", "-O", "json", *(["--flat"] if flat else []),
                      *args])
    assert result.code == 0, result.err
    rows = json.loads(result.out)["rows"]
    return {row["account"]: {c: Decimal(q) for c, q in row["balance"].items()}
            for row in rows if row["kind"] == "row"}


def hledger_balances(journal: Path, *args: str) -> Balances:
    out = subprocess.run([_tool("hledger"), "-f", str(journal), "bal", "--flat", "-O", "csv",
                          "--no-total", *args], capture_output=True, text=True, check=True)
    rows = list(csv.reader(io.StringIO(out.stdout)))[1:]
    return {account: parse_amounts(amount) for account, amount in rows
            if parse_amounts(amount)}


def ledger_inclusive(journal: Path, *args: str) -> Balances:
    """``ledger bal --flat``: each account's total with its subaccounts, lots stripped
    (a plain display_total shows the price of each lot bought with ``@``)."""
    fmt = "%(account)\t%(strip(display_total))\n"
    out = subprocess.run([_tool("ledger"), "-f", str(journal), "bal", "--flat", "--no-total",
                          "--balance-format", fmt, *args],
                         capture_output=True, text=True, check=True)
    balances: Balances = {}
    account = ""
    for line in out.stdout.splitlines():
        if "\t" in line:
            account, _, amount = line.partition("\t")
        else:
            amount = line
        for commodity, quantity in parse_amounts(amount).items():
            balance = balances.setdefault(account, {})
            balance[commodity] = balance.get(commodity, Decimal(0)) + quantity
    return balances


def inclusive(exclusive: Balances, *, listed_only: bool = False) -> Balances:
    """Add every account's balance into all its parents (tree totals).

    ``listed_only`` keeps just the accounts that have balances of their own, which is
    what ``ledger bal --flat`` lists (with totals that include subaccounts).
    """
    out: Balances = {}
    for account, balance in exclusive.items():
        parts = account.split(":")
        for depth in range(1, len(parts) + 1):
            target = out.setdefault(":".join(parts[:depth]), {})
            for commodity, quantity in balance.items():
                target[commodity] = target.get(commodity, Decimal(0)) + quantity
    return {a: {c: q for c, q in b.items() if q} for a, b in out.items()
            if any(b.values()) and (not listed_only or a in exclusive)}


def assert_same(ours: Balances, theirs: Balances, who: str) -> None:
    missing = sorted(set(theirs) - set(ours))
    extra = sorted(set(ours) - set(theirs))
    differ = sorted(a for a in set(ours) & set(theirs) if ours[a] != theirs[a])
    assert not missing, f"{who} has accounts bizcli lacks: {missing[:5]}"
    assert not extra, f"bizcli has accounts {who} lacks: {extra[:5]}"
    assert not differ, f"{who} differs: {[(a, ours[a], theirs[a]) for a in differ[:5]]}"


# hledger reads the same period expression itself: a check of the period grammar too.
@pytest.mark.parametrize("period", [None, "2025", "2026-03", "2026Q2", "2026-01..2026-06",
                                    "from 2025-07-15 to 2026-02"])
def test_example_book_matches_hledger_and_ledger(tmp_path: Path, period: str | None) -> None:
    journal = concatenated(EXAMPLE, tmp_path)
    ours = biz_balances(EXAMPLE, *(["-p", period] if period else []))
    dates = span_args(period)
    assert_same(ours, hledger_balances(journal, *(["-p", period] if period else [])),
                "hledger")
    assert_same(inclusive(ours, listed_only=True), ledger_inclusive(journal, *dates), "ledger")


def test_main_journal_reads_the_book_in_hledger_and_ledger(new_book: Path) -> None:
    """``biz init`` writes main.journal, which both tools read as the whole book."""
    for args in (["2025-12-30", "Old", "Assets:Cash", "5", "Equity:Owner Capital"],
                 ["2026-01-05", "New", "Expenses:Rent", "1200", "Assets:Bank:Checking"]):
        assert run_biz(["-B", str(new_book), "post", *args]).code == 0
    main = new_book / "main.journal"
    ours = biz_balances(new_book)
    assert_same(ours, hledger_balances(main), "hledger")
    assert_same(inclusive(ours, listed_only=True), ledger_inclusive(main), "ledger")
    assert_same(biz_balances(EXAMPLE), hledger_balances(EXAMPLE / "main.journal"), "hledger")


def test_a_purchase_cycle_reads_the_same_in_hledger_and_ledger(new_book: Path) -> None:
    """What biz purchase writes (receipt, bill with variance and tax, payments)."""
    book = str(new_book)
    for args in (["supplier", "add", "MILL", "--name", "Mill"],
                 ["item", "add", "OAK", "--name", "Oak", "--unit", "m", "--cost", "12.40"],
                 ["warehouse", "add", "MAIN", "--name", "Main"],
                 ["purchase", "order", "MILL", "OAK=120", "--date", "2026-11-02"],
                 ["purchase", "receive", "PO-2026-0001", "OAK=100", "--date", "2026-11-10"],
                 ["purchase", "bill", "PO-2026-0001", "OAK=100@12.55", "--number", "M-1",
                  "--tax-rate", "0.10", "--date", "2026-11-12"],
                 ["purchase", "pay", "PO-2026-0001", "500", "--bill", "M-1", "--date",
                  "2026-11-15"]):
        result = run_biz(["-B", book, *args])
        assert result.code == 0, result.err
    main = new_book / "main.journal"
    ours = biz_balances(new_book)
    assert ours["Liabilities:Payable"] == {"USD": Decimal("-880.50")}
    assert_same(ours, hledger_balances(main), "hledger")
    assert_same(inclusive(ours, listed_only=True), ledger_inclusive(main), "ledger")


def test_example_tree_totals_match_ledger(tmp_path: Path) -> None:
    journal = concatenated(EXAMPLE, tmp_path)
    tree = biz_balances(EXAMPLE, flat=False)
    theirs = ledger_inclusive(journal)
    assert_same({a: tree[a] for a in theirs if a in tree}, theirs, "ledger")


@pytest.mark.parametrize("period", [None, "2025", "2026-01..2026-06"])
def test_generated_book_matches_hledger_and_ledger(generated_book: Path, tmp_path: Path,
                                                   period: str | None) -> None:
    journal = concatenated(generated_book, tmp_path)
    ours = biz_balances(generated_book, *(["-p", period] if period else []))
    assert ours, "the generated book should have balances"
    dates = span_args(period)
    assert_same(ours, hledger_balances(journal, *dates), "hledger")
    assert_same(inclusive(ours, listed_only=True), ledger_inclusive(journal, *dates), "ledger")


def test_trial_balance_matches_hledger(tmp_path: Path) -> None:
    journal = concatenated(EXAMPLE, tmp_path)
    result = run_biz(["-B", str(EXAMPLE), "tb", "-O", "json"])
    rows = json.loads(result.out)["rows"]
    ours: Balances = {}
    for row in rows:
        if row["kind"] != "row":
            continue
        balance = {c: Decimal(q) for c, q in row["debit"].items()}
        for c, q in row["credit"].items():
            balance[c] = balance.get(c, Decimal(0)) - Decimal(q)
        ours[row["account"]] = {c: q for c, q in balance.items() if q}
    assert_same(ours, hledger_balances(journal), "hledger")
    total = next(r for r in rows if r["kind"] == "total")
    assert total["debit"] == total["credit"]


def test_what_biz_writes_reads_the_same_in_hledger_and_ledger(new_book: Path,
                                                              tmp_path: Path) -> None:
    for account in ("资产:银行", "收入:销售"):
        kind = "asset" if account.startswith("资产") else "income"
        assert run_biz(["-B", str(new_book), "account", "add", account, "--type", kind]).code == 0
    posts = [
        ["2026-02-01", "上海木业有限公司", "资产:银行", "¥1280.50", "收入:销售", "-¥1280.50"],
        ["2026-02-02", "Müller GmbH", "资产:银行", "99.99 CNY", "收入:销售"],
        ["2026-01-05", "Owner capital", "Assets:Bank:Checking", "10000", "Equity:Owner Capital"],
        ["2026-01-20", "上海木业有限公司", "Assets:Receivable", "1100.00",
         "Income:Sales", "-1000.00", "Liabilities:Sales Tax", "-100.00", "--tag", "doc=INV-1"],
        ["2026-01-10", "Rent", "Expenses:Rent", "1200.50", "Assets:Bank:Checking"],
        ["2025-12-31", "Late entry", "Expenses:Office", "9.99", "Assets:Cash"],
    ]
    for args in posts:
        result = run_biz(["-B", str(new_book), "post", *args])
        assert result.code == 0, result.err
    journal = concatenated(new_book, tmp_path)
    ours = biz_balances(new_book)
    assert_same(ours, hledger_balances(journal), "hledger")
    assert_same(inclusive(ours, listed_only=True), ledger_inclusive(journal), "ledger")
    text = (new_book / "journal" / "2026.journal").read_text(encoding="utf-8")
    dates = re.findall(r"^(\d{4}-\d\d-\d\d)", text, re.MULTILINE)
    assert dates == sorted(dates)
