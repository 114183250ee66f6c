"""The purchase cycle so far: order, partial and full receipts, the books in line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Result, run_biz


@pytest.fixture
def buying_book(new_book: Path) -> Path:
    book = str(new_book)
    for args in (["supplier", "add", "MILL", "--name", "Northern Timber Mill"],
                 ["item", "add", "OAK-BOARD", "--name", "Oak", "--unit", "m", "--cost", "12.50"],
                 ["item", "add", "HINGE", "--name", "Hinge", "--unit", "pc", "--cost", "1.15"],
                 ["warehouse", "add", "MAIN", "--name", "Main store"]):
        assert run_biz(["-B", book, *args]).code == 0
    return new_book


def test_order_receive_in_parts_and_the_books_agree(buying_book: Path) -> None:
    book = str(buying_book)
    ordered = run_biz(["-B", book, "purchase", "order", "MILL", "OAK-BOARD=120@12.40",
                       "HINGE=50", "--date", "2026-11-02"])
    assert ordered.code == 0, ordered.err
    assert ordered.out.startswith("- number: PO-2026-0001\n")
    first = run_biz(["-B", book, "purchase", "receive", "PO-2026-0001", "OAK-BOARD=100",
                     "--date", "2026-11-10"])
    assert first.code == 0, first.err
    assert "    Assets:Inventory                            1240.00 USD\n" in first.out
    rest = run_biz(["-B", book, "purchase", "receive", "PO-2026-0001", "--date",
                    "2026-11-12"])
    assert rest.code == 0, rest.err
    # 20 m x 12.40 + 50 pc x 1.15 (the item's cost, the order's default price)
    assert "    Assets:Inventory                             305.50 USD\n" in rest.out
    assert run_biz(["-B", book, "check"]) == Result(0, "", "")
    listed = json.loads(run_biz(["-B", book, "purchase", "list", "-O", "json"]).out)
    assert [(r["number"], r["state"], r["total"]) for r in listed["rows"]] == [
        ("PO-2026-0001", "received", {"USD": "1545.50"})]
    again = run_biz(["-B", book, "purchase", "receive", "PO-2026-0001"])
    assert "error[order-closed]" in again.err


def test_numbers_follow_on_and_restart_each_year(buying_book: Path) -> None:
    book = str(buying_book)
    for date in ("2026-03-01", "2026-04-01"):
        assert run_biz(["-B", book, "purchase", "order", "MILL", "HINGE=1",
                        "--date", date]).code == 0
    later = run_biz(["-B", book, "purchase", "order", "MILL", "HINGE=1", "--date",
                     "2026-05-01", "--dry-run"])
    assert later.out.startswith("- number: PO-2026-0003\n")
    text = (buying_book / "purchases" / "2026.yaml").read_text(encoding="utf-8")
    assert text.count("- number: PO-2026-") == 2


def test_a_receipt_is_refused_whole_when_one_line_is_wrong(buying_book: Path) -> None:
    book = str(buying_book)
    run_biz(["-B", book, "purchase", "order", "MILL", "OAK-BOARD=10", "HINGE=5",
             "--date", "2026-11-02"])
    before = {p: p.read_bytes() for p in buying_book.rglob("*")
              if p.is_file() and ".biz" not in p.parts}
    result = run_biz(["-B", book, "purchase", "receive", "PO-2026-0001", "OAK-BOARD=5",
                      "HINGE=6"])
    assert "error[over-receipt]: cannot receive 6 of HINGE on PO-2026-0001: 5 open" in (
        result.err)
    after = {p: p.read_bytes() for p in buying_book.rglob("*")
             if p.is_file() and ".biz" not in p.parts}
    assert after == before


def test_bill_and_pay_and_what_the_supplier_is_owed(buying_book: Path) -> None:
    book = str(buying_book)
    run_biz(["-B", book, "purchase", "order", "MILL", "OAK-BOARD=120@12.40", "--date",
             "2026-11-02"])
    run_biz(["-B", book, "purchase", "receive", "PO-2026-0001", "OAK-BOARD=100", "--date",
             "2026-11-10"])
    billed = run_biz(["-B", book, "purchase", "bill", "PO-2026-0001", "OAK-BOARD=100@12.55",
                      "--number", "MILL-7781", "--tax-rate", "0.10", "--date", "2026-11-12"])
    assert billed.code == 0, billed.err
    # GRNI at the order price 1240.00; variance 100 x 0.15; tax 10% of 1255.00.
    for line in ("    Liabilities:Goods Received Not Invoiced     1240.00 USD\n",
                 "    Expenses:Purchase Price Variance              15.00 USD\n",
                 "    Assets:Input Tax                             125.50 USD\n",
                 "    Liabilities:Payable                        -1380.50 USD  ; supplier: MILL\n"):
        assert line in billed.out
    assert run_biz(["-B", book, "purchase", "pay", "PO-2026-0001", "500", "--bill",
                    "MILL-7781", "--date", "2026-11-15"]).code == 0
    owed = json.loads(run_biz(["-B", book, "bal", "payable", "tag:supplier=MILL", "--flat",
                               "-O", "json"]).out)["rows"]
    assert owed[0]["balance"] == {"USD": "-880.50"}
    rest = run_biz(["-B", book, "purchase", "pay", "PO-2026-0001", "--bill", "MILL-7781",
                    "--date", "2026-11-20"])
    assert "    Assets:Bank:Checking                   -880.50 USD\n" in rest.out
    assert "error[over-payment]: bill MILL-7781 is paid in full" in run_biz(
        ["-B", book, "purchase", "pay", "PO-2026-0001", "--bill", "MILL-7781"]).err
    assert run_biz(["-B", book, "check"]) == Result(0, "", "")
    card = run_biz(["-B", book, "purchase", "show", "PO-2026-0001", "-O", "json"])
    assert json.loads(card.out)["notes"] == [
        ("bill MILL-7781 of 2026-11-12, due 2026-12-12: 1380.50 USD (tax 125.50), "
         "paid 1380.50, open 0.00")]


def test_payables_aging_by_days_past_due_ties_out(buying_book: Path) -> None:
    book = str(buying_book)
    steps = (["order", "MILL", "OAK-BOARD=30@10.00", "--date", "2026-08-01"],
             ["receive", "PO-2026-0001", "--date", "2026-08-02"],
             ["bill", "PO-2026-0001", "OAK-BOARD=10", "--number", "A", "--date", "2026-08-03",
              "--due", "2026-08-10"],
             ["bill", "PO-2026-0001", "OAK-BOARD=10", "--number", "B", "--date", "2026-09-01",
              "--due", "2026-10-15"],
             ["bill", "PO-2026-0001", "OAK-BOARD=10", "--number", "C", "--date", "2026-11-01",
              "--due", "2026-12-01"],
             ["pay", "PO-2026-0001", "40", "--bill", "A", "--date", "2026-11-01"])
    for args in steps:
        result = run_biz(["-B", book, "purchase", *args])
        assert result.code == 0, result.err
    report = json.loads(run_biz(["-B", book, "aging", "ap", "--as-of", "2026-11-22",
                                 "-O", "json"]).out)
    mill = report["rows"][0]
    # A: due Aug 10, 104 days late, 100 - 40 paid; B: due Oct 15, 38 days; C: not due.
    assert (mill["current"], mill["1_30"], mill["31_60"], mill["over_90"], mill["total"]) == (
        {"USD": "100.00"}, None, {"USD": "100.00"}, {"USD": "60.00"}, {"USD": "260.00"})
    assert report["notes"] == ["ties out: Liabilities:Payable is 260.00 USD"]


def test_reorder_counts_stock_and_open_orders_and_cancel_closes_an_order(
        buying_book: Path) -> None:
    book = str(buying_book)
    items = buying_book / "items.yaml"
    items.write_text(items.read_text(encoding="utf-8").replace(
        "  cost: '1.15'\n", "  cost: '1.15'\n  reorder_point: '40'\n  reorder_quantity: "
        "'100'\n  safety_stock: '10'\n  supplier: MILL\n  lead_time_days: 7\n"),
        encoding="utf-8")
    run_biz(["-B", book, "purchase", "order", "MILL", "HINGE=30", "--date", "2026-11-02"])
    run_biz(["-B", book, "purchase", "receive", "PO-2026-0001", "HINGE=25", "--date",
             "2026-11-03"])
    rows = json.loads(run_biz(["-B", book, "stock", "reorder", "-O", "json"]).out)["rows"]
    # 25 on hand + 5 on order = 30 <= 40: order max(100, 40 + 10 - 30) = 100.
    assert [(r["item"], r["projected"], r["suggested"], r["arrives"]) for r in rows] == [
        ("HINGE", "30", "100", "2026-11-29")]
    cancelled = run_biz(["-B", book, "purchase", "cancel", "PO-2026-0001"])
    assert cancelled.out == "cancelled PO-2026-0001; no longer expected: HINGE 5\n"
    rows = json.loads(run_biz(["-B", book, "stock", "reorder", "-O", "json"]).out)["rows"]
    assert rows[0]["on_order"] == "0"
    assert "error[order-closed]" in run_biz(["-B", book, "purchase", "receive",
                                             "PO-2026-0001"]).err
    assert run_biz(["-B", book, "check"]).code == 0
