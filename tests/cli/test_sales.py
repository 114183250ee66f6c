"""The sales cycle: quote, order (credit, available-to-promise), ship, invoice, pay, cancel.

Expected amounts are worked by hand in the comments, not taken from bizcli's output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Result, run_biz

CUSTOMERS = """schema: 1
customers:
- code: HARBOR
  name: Harbor Interiors
  payment_terms_days: 30
  credit_limit: 10000
- code: ELM
  name: Elm Cafe
"""
ITEMS = """schema: 1
items:
- code: TABLE
  name: Oak table
  unit: pc
  cost: 400
  sale_price: 1000
  tax_rate: 0.08
- code: FIT
  name: Fitting
  unit: h
  kind: service
  sale_price: 60
"""


@pytest.fixture
def shop(new_book: Path) -> Path:
    """Tables in stock in FIFO layers: 3 at 400.00, then 2 at 420.00 (a purchase order)."""
    (new_book / "customers.yaml").write_text(CUSTOMERS, encoding="utf-8")
    (new_book / "items.yaml").write_text(ITEMS, encoding="utf-8")
    (new_book / "suppliers.yaml").write_text(
        "schema: 1\nsuppliers:\n- code: MILL\n  name: Mill\n", encoding="utf-8")
    (new_book / "warehouses.yaml").write_text(
        "schema: 1\nwarehouses:\n- code: MAIN\n  name: Main\n", encoding="utf-8")
    book = str(new_book)
    for args in (["purchase", "order", "MILL", "TABLE=3@400", "--date", "2026-10-01"],
                 ["purchase", "receive", "PO-2026-0001", "--date", "2026-10-02"],
                 ["purchase", "order", "MILL", "TABLE=2@420", "--date", "2026-10-03"],
                 ["purchase", "receive", "PO-2026-0002", "--date", "2026-10-04"]):
        result = run_biz(["-B", book, *args])
        assert result.code == 0, result.err
    return new_book


def biz(book: Path, *args: str) -> Result:
    return run_biz(["-B", str(book), *args])


def ok(book: Path, *args: str) -> str:
    result = biz(book, *args)
    assert result.code == 0, result.err
    return result.out


def balances(book: Path) -> dict[str, str]:
    rows = json.loads(ok(book, "bal", "--flat", "-O", "json"))["rows"]
    return {r["account"]: r["balance"]["USD"] for r in rows
            if r.get("account") and r["balance"]}


def test_order_to_cash(shop: Path) -> None:
    ok(shop, "sale", "quote", "HARBOR", "TABLE=4", "FIT=2", "--date", "2026-10-05")
    ordered = ok(shop, "sale", "order", "--from", "Q-2026-0001", "--date", "2026-10-06",
                 "--due", "2026-10-20")
    assert ordered.startswith("- number: SO-2026-0001\n")
    # 4 x 1000 at 8 % + 2 x 60 untaxed = 4000 + 320 + 120
    assert "# credit: 0.00 USD open + 4440.00 USD this order" in ordered
    assert "# TABLE: 4 wanted; available to promise 5 (on hand 5 - reserved 0" in ordered

    shipped = ok(shop, "sale", "ship", "SO-2026-0001", "TABLE=4", "--date", "2026-10-07")
    # FIFO: 3 x 400 + 1 x 420 = 1620
    assert "    Expenses:Cost of Goods Sold            1620.00 USD\n" in shipped
    invoiced = ok(shop, "sale", "invoice", "SO-2026-0001", "--date", "2026-10-08")
    assert "    Assets:Receivable                      4440.00 USD  ; customer: HARBOR\n" in (
        invoiced)
    assert "    Liabilities:Sales Tax                  -320.00 USD\n" in invoiced
    # Terms: 30 days from the invoice date.
    sales = (shop / "sales" / "2026.yaml").read_text(encoding="utf-8")
    assert "  - number: INV-2026-0001\n    date: '2026-10-08'\n    due: '2026-11-07'\n" in sales

    ok(shop, "sale", "pay", "HARBOR", "1000", "--date", "2026-10-10")
    aging = json.loads(ok(shop, "aging", "ar", "--as-of", "2026-11-30", "-O", "json"))
    # 3440 open, due 2026-11-07: 23 days late on 2026-11-30.
    assert aging["rows"][0]["1_30"] == {"USD": "3440.00"}
    assert aging["notes"] == ["ties out: Assets:Receivable is 3440.00 USD"]

    assert balances(shop) == {
        "Assets:Bank:Checking": "1000.00", "Assets:Inventory": "420.00",
        "Assets:Receivable": "3440.00", "Expenses:Cost of Goods Sold": "1620.00",
        "Income:Sales": "-4120.00", "Liabilities:Goods Received Not Invoiced": "-2040.00",
        "Liabilities:Sales Tax": "-320.00"}
    assert biz(shop, "check") == Result(0, "", "")
    listed = json.loads(ok(shop, "sale", "list", "-O", "json"))["rows"]
    assert [(r["number"], r["state"]) for r in listed] == [
        ("Q-2026-0001", "accepted"), ("SO-2026-0001", "invoiced")]
    assert listed[1]["unpaid"] == {"USD": "3440.00"}


def test_over_payment_becomes_credit_for_the_next_invoice(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=1", "--date", "2026-10-06")
    ok(shop, "sale", "ship", "SO-2026-0001", "--date", "2026-10-07")
    ok(shop, "sale", "invoice", "SO-2026-0001", "--date", "2026-10-07")  # 1080.00
    paid = ok(shop, "sale", "pay", "HARBOR", "1500", "--date", "2026-10-08")
    assert paid.endswith("# PAY-2026-0001: applied to INV-2026-0001 1080.00; 420.00 kept as "
                         "HARBOR's credit\n")
    aging = json.loads(ok(shop, "aging", "ar", "-O", "json"))
    assert aging["rows"][0]["credit"] == {"USD": "-420.00"}
    assert aging["notes"] == ["ties out: Assets:Receivable is -420.00 USD"]

    ok(shop, "sale", "order", "HARBOR", "FIT=10", "--date", "2026-10-09")  # 600, no tax
    invoiced = ok(shop, "sale", "invoice", "SO-2026-0002", "--date", "2026-10-09")
    assert invoiced.endswith("# 420.00 of HARBOR's credit applied; open 180.00\n")
    aging = json.loads(ok(shop, "aging", "ar", "--as-of", "2026-10-31", "-O", "json"))
    assert aging["rows"][0]["current"] == {"USD": "180.00"}
    assert "credit" not in aging["rows"][0]
    assert aging["notes"] == ["ties out: Assets:Receivable is 180.00 USD"]


def test_partial_shipments_and_invoices(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=5@900", "--date", "2026-10-06")
    ok(shop, "sale", "ship", "SO-2026-0001", "TABLE=2", "--date", "2026-10-07")  # 800.00
    state = json.loads(ok(shop, "sale", "list", "-O", "json"))["rows"][0]["state"]
    assert state == "partly-shipped"
    ok(shop, "sale", "invoice", "SO-2026-0001", "--date", "2026-10-08")  # 2 x 900 + 8 %
    again = biz(shop, "sale", "invoice", "SO-2026-0001", "--date", "2026-10-08")
    assert again.err.startswith("error[nothing-to-invoice]")
    last = ok(shop, "sale", "ship", "SO-2026-0001", "--date", "2026-10-09")
    # The rest: 1 x 400 + 2 x 420 = 1240
    assert "    Expenses:Cost of Goods Sold            1240.00 USD\n" in last
    more = biz(shop, "sale", "ship", "SO-2026-0001", "--date", "2026-10-09")
    assert more.err.startswith("error[nothing-to-ship]: SO-2026-0001 has nothing left to ship")
    assert biz(shop, "check").code == 0


def test_cannot_ship_more_than_on_hand(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=6", "--date", "2026-10-06", "--override")
    before = {p: p.read_bytes() for p in shop.rglob("*") if p.is_file() and ".biz" not in
              p.parts}
    short = biz(shop, "sale", "ship", "SO-2026-0001", "--date", "2026-10-07")
    assert short.code == 1
    assert short.err.startswith("error[negative-stock]: 2026-10-07: cannot take 6 pc of TABLE "
                                "out of MAIN: 5 pc on hand")
    assert before == {p: p.read_bytes() for p in shop.rglob("*") if p.is_file() and ".biz"
                      not in p.parts}


def test_credit_limit_counts_open_invoices_and_orders(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=5", "--date", "2026-10-06")  # 5400.00
    # 5 x 1080 + 5 x 1080 = 10800 > 10000
    refused = biz(shop, "sale", "order", "HARBOR", "TABLE=5", "--date", "2026-10-07")
    assert refused.code == 1
    assert refused.err.startswith(
        "error[credit-limit]: HARBOR's credit: 5400.00 USD open + 5400.00 USD this order = "
        "10800.00 USD of a 10000.00 USD limit")
    assert not (shop / "sales" / "2026.yaml").read_text(encoding="utf-8").count(
        "SO-2026-0002")
    accepted = ok(shop, "sale", "order", "HARBOR", "TABLE=5", "--date", "2026-10-07",
                  "--override")
    assert "(over the limit: accepted with --override)" in accepted
    # Two open orders reserve 10 of the 5 on hand.
    assert "available to promise 0 (on hand 5 - reserved 5 + incoming 0)  SHORT by 5" in (
        accepted)


def test_cancel_returns_goods_at_the_cost_they_left_with(shop: Path) -> None:
    ok(shop, "sale", "order", "ELM", "TABLE=4", "--date", "2026-10-06")
    ok(shop, "sale", "ship", "SO-2026-0001", "TABLE=4", "--date", "2026-10-07")  # 1620.00
    kept = ok(shop, "sale", "cancel", "SO-2026-0001", "--date", "2026-10-08", "--dry-run")
    assert "# shipped, not invoiced, kept: TABLE 4" in kept
    back = ok(shop, "sale", "cancel", "SO-2026-0001", "--return", "--date", "2026-10-08")
    assert "    Assets:Inventory                       1620.00 USD\n" in back
    assert balances(shop)["Assets:Inventory"] == "2040.00"
    assert balances(shop).get("Expenses:Cost of Goods Sold", "0.00") == "0.00"
    assert biz(shop, "check") == Result(0, "", "")
    again = biz(shop, "sale", "cancel", "SO-2026-0001")
    assert again.err.startswith("error[order-closed]: SO-2026-0001 is already cancelled")


def test_dry_run_and_refusals_write_nothing(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=1", "--date", "2026-10-06", "--dry-run")
    assert not (shop / "sales").exists()
    for args, code in ((("sale", "order", "HARBOUR", "TABLE=1"), "unknown-customer"),
                       (("sale", "order", "HARBOR", "TABEL=1"), "unknown-item"),
                       (("sale", "order", "HARBOR", "TABLE=x"), "bad-order-line"),
                       (("sale", "ship", "SO-2026-0001"), "unknown-order"),
                       (("sale", "pay", "HARBOR", "-5"), "bad-number"),
                       (("sale", "pay", "HARBOR", "1,000"), "bad-number")):
        result = biz(shop, *args)
        assert (result.code, result.err.split("]")[0]) == (1, f"error[{code}"), result.err
    assert not (shop / "sales").exists()
    near = biz(shop, "sale", "order", "HARBOUR", "TABLE=1").err
    assert near.startswith("error[unknown-customer]: customer 'HARBOUR' is not in "
                           "customers.yaml; did you mean HARBOR?")


def test_stock_on_hand_shows_reserved_and_available(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=2", "--date", "2026-10-06")
    rows = json.loads(ok(shop, "stock", "onhand", "-O", "json"))["rows"]
    assert [(r["item"], r["quantity"], r["reserved"], r["available"]) for r in rows] == [
        ("TABLE", "5", "2", "3")]


def test_biz_check_finds_unknown_codes_in_hand_edited_documents(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=1", "--date", "2026-10-06")
    sales = shop / "sales" / "2026.yaml"
    sales.write_text(sales.read_text(encoding="utf-8").replace(
        "customer: HARBOR", "customer: HARBOUR"), encoding="utf-8")
    purchases = shop / "purchases" / "2026.yaml"
    text = purchases.read_text(encoding="utf-8")
    purchases.write_text(text.replace("supplier: MILL", "supplier: MILLS", 1),
                         encoding="utf-8")
    result = biz(shop, "check")
    assert result.code == 1
    line = next(n for n, t in enumerate(sales.read_text().splitlines(), 1) if "SO-2026" in t)
    assert (f"sales/2026.yaml:{line}: error[unknown-customer]: SO-2026-0001: customer "
            "'HARBOUR' is not in customers.yaml; did you mean HARBOR?") in result.err
    assert ("purchases/2026.yaml:4: error[unknown-supplier]: PO-2026-0001: supplier "
            "'MILLS' is not in suppliers.yaml; did you mean MILL?") in result.err
    before = sales.read_text(encoding="utf-8")
    refused = biz(shop, "sale", "ship", "SO-2026-0001", "--date", "2026-10-07")
    assert refused.code == 1
    assert "error[book-invalid]" in refused.err
    assert sales.read_text(encoding="utf-8") == before


def test_two_processes_numbering_orders_at_once_never_share_a_number(shop: Path) -> None:
    script = (
        "import sys\nfrom bizcli.cli.main import main\n"
        "for i in range(6):\n"
        "    code = main(['-B', sys.argv[1], 'sale', 'quote', sys.argv[2], 'FIT=1', "
        "'--date', '2026-10-06'])\n"
        "    assert code == 0, code\n")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "BIZ_TODAY": "2026-11-22", "PYTHONPATH": str(root)}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(shop), customer], env=env,
                              stdout=subprocess.DEVNULL)
             for customer in ("HARBOR", "ELM")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    rows = json.loads(ok(shop, "sale", "list", "-O", "json"))["rows"]
    numbers = sorted(r["number"] for r in rows if r.get("number"))
    assert numbers == [f"Q-2026-{n:04d}" for n in range(1, 13)]
    assert sorted(r["customer"] for r in rows if r.get("number")) == ["ELM"] * 6 + ["HARBOR"] * 6
