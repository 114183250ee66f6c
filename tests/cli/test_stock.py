"""The stock ledger end to end: files, valuation reports, and the inventory invariant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Result, run_biz, write_journal

ITEMS = """schema: 1
items:
  - code: OAK-BOARD
    name: Oak board 27 mm
    unit: m
    valuation: fifo
  - code: TABLE-OAK
    name: Oak dining table
    unit: pc
    kind: made
    valuation: average
"""
WAREHOUSES = """schema: 1
warehouses:
  - code: MAIN
    name: Workshop store
  - code: SHOP
    name: Showroom
"""
MOVES = """; Stock moves, 2026
2026-01-05 receipt  OAK-BOARD     120 m    MAIN @ 12.50 USD  ; doc: PO-2026-0001
2026-01-06 receipt  OAK-BOARD      40 m    MAIN @ 13.10 USD  ; doc: PO-2026-0002
2026-01-09 issue    OAK-BOARD     130 m    MAIN  ; doc: WO-2026-0001
2026-01-12 receipt  TABLE-OAK       3 pc   MAIN @ 410.00 USD ; doc: WO-2026-0001
2026-01-15 transfer TABLE-OAK       1 pc   MAIN -> SHOP
2026-02-01 count    OAK-BOARD      29 m    MAIN
"""
# The journal entries that match the moves: receipts at cost, the issue to WIP at FIFO
# cost (120 x 12.50 + 10 x 13.10 = 1631.00), the tables from WIP, the count's loss of
# 1 m at 13.10.
JOURNAL = """2026-01-05 * (PO-2026-0001) Oak from the mill
    Assets:Inventory  1500.00 USD
    Liabilities:Goods Received Not Invoiced  -1500.00 USD

2026-01-06 * (PO-2026-0002) Oak from the mill
    Assets:Inventory  524.00 USD
    Liabilities:Goods Received Not Invoiced  -524.00 USD

2026-01-09 * (WO-2026-0001) Boards to the bench
    Assets:Work in Progress  1631.00 USD
    Assets:Inventory  -1631.00 USD

2026-01-12 * (WO-2026-0001) Three tables finished
    Assets:Inventory  1230.00 USD
    Assets:Work in Progress  -1230.00 USD

2026-02-01 * Stock take: one metre short
    Expenses:Inventory Adjustments  13.10 USD
    Assets:Inventory  -13.10 USD
"""


@pytest.fixture
def stock_book(new_book: Path) -> Path:
    (new_book / "items.yaml").write_text(ITEMS, encoding="utf-8")
    (new_book / "warehouses.yaml").write_text(WAREHOUSES, encoding="utf-8")
    (new_book / "stock").mkdir()
    (new_book / "stock" / "2026.stock").write_text(MOVES, encoding="utf-8")
    run_biz(["-B", str(new_book), "account", "add", "Assets:Work in Progress"])
    write_journal(new_book, "2026.journal", JOURNAL)
    return new_book


def rows(result: Result) -> list[dict[str, object]]:
    assert result.code == 0, result.err
    return json.loads(result.out)["rows"]  # type: ignore[no-any-return]


def test_a_book_whose_journal_matches_its_stock_passes_check(stock_book: Path) -> None:
    assert run_biz(["-B", str(stock_book), "check"]) == Result(0, "", "")


def test_valuation_by_item_and_warehouse(stock_book: Path) -> None:
    got = rows(run_biz(["-B", str(stock_book), "stock", "valuation", "-O", "json"]))
    by_key = {(r["item"], r["warehouse"]): r for r in got if r["kind"] == "row"}
    assert by_key["OAK-BOARD", "MAIN"]["quantity"] == "29"
    assert by_key["OAK-BOARD", "MAIN"]["value"] == {"USD": "379.90"}  # 29 x 13.10
    assert by_key["TABLE-OAK", "SHOP"]["value"] == {"USD": "410.00"}
    total = next(r for r in got if r["kind"] == "total")
    assert total["value"] == {"USD": "1609.90"}
    inventory = rows(run_biz(["-B", str(stock_book), "bal", "--flat", "^assets:inventory",
                              "-O", "json"]))
    assert inventory[0]["balance"] == total["value"]


def test_valuation_as_of_a_date(stock_book: Path) -> None:
    got = rows(run_biz(["-B", str(stock_book), "stock", "valuation", "--as-of", "2026-01-06",
                        "-O", "json"]))
    assert [(r["item"], r["quantity"], r["value"]) for r in got if r["kind"] == "row"] == [
        ("OAK-BOARD", "160", {"USD": "2024.00"})]


def test_moves_register_runs_per_warehouse(stock_book: Path) -> None:
    got = rows(run_biz(["-B", str(stock_book), "stock", "moves", "TABLE", "-O", "json"]))
    assert [(r["move"], r["warehouse"], r["quantity"], r["on_hand"]) for r in got] == [
        ("receipt", "MAIN", "3", "3"), ("transfer", "MAIN", "-1", "2"),
        ("transfer", "SHOP", "1", "1")]


def test_a_missing_journal_entry_is_a_drift_that_check_reports(stock_book: Path) -> None:
    text = (stock_book / "journal" / "2026.journal").read_text(encoding="utf-8")
    write_journal(stock_book, "2026.journal", text.split("2026-02-01")[0])
    result = run_biz(["-B", str(stock_book), "check"])
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "error[inventory-drift]: on 2026-02-01 Assets:Inventory is 1623.00 USD but the "
        "stock is valued at 1609.90 USD (difference 13.10 USD); items moved that day: "
        "OAK-BOARD")
    report = run_biz(["-B", str(stock_book), "bal", "--depth", "1"])
    assert report.code == 0
    assert "note: error[inventory-drift]" in report.err


def test_taking_more_than_is_on_hand_is_refused(stock_book: Path) -> None:
    stock = stock_book / "stock" / "2026.stock"
    stock.write_text(MOVES.replace("130 m", "170 m"), encoding="utf-8")
    result = run_biz(["-B", str(stock_book), "check"])
    assert ("stock/2026.stock:4: error[negative-stock]: 2026-01-09: cannot take 170 m of "
            "OAK-BOARD out of MAIN: 160 m on hand") in result.err


def test_an_allowed_negative_stock_is_costed_at_the_last_unit_cost(stock_book: Path) -> None:
    settings = stock_book / "biz.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") +
                        "stock:\n  allow_negative: true\n", encoding="utf-8")
    (stock_book / "stock" / "2026.stock").write_text(
        "2026-01-05 receipt OAK-BOARD 10 m MAIN @ 12.00 USD\n"
        "2026-01-09 issue   OAK-BOARD 15 m MAIN\n", encoding="utf-8")
    got = rows(run_biz(["-B", str(stock_book), "stock", "moves", "-O", "json"]))
    assert [(r["quantity"], r["value"], r["on_hand"]) for r in got] == [
        ("10", {"USD": "120.00"}, "10"), ("-15", {"USD": "-180.00"}, "-5")]


def test_stock_files_are_part_of_the_cache_key(stock_book: Path) -> None:
    assert run_biz(["-B", str(stock_book), "check"]).code == 0
    stock = stock_book / "stock" / "2026.stock"
    stock.write_text(MOVES.replace("MAIN @ 13.10", "MAINN @ 13.10"), encoding="utf-8")
    assert "error[unknown-warehouse]" in run_biz(["-B", str(stock_book), "check"]).err


def test_after_allowed_negative_stock_receipts_refill_one_pool(stock_book: Path) -> None:
    settings = stock_book / "biz.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") +
                        "stock:\n  allow_negative: true\n", encoding="utf-8")
    (stock_book / "stock" / "2026.stock").write_text(
        "2026-01-05 receipt OAK-BOARD 10 m MAIN @ 12.00 USD\n"
        "2026-01-09 issue   OAK-BOARD 15 m MAIN\n"
        "2026-01-10 receipt OAK-BOARD 20 m MAIN @ 15.00 USD\n"
        "2026-01-11 issue   OAK-BOARD 15 m MAIN\n", encoding="utf-8")
    got = rows(run_biz(["-B", str(stock_book), "stock", "moves", "-O", "json"]))
    # -5 m worth -60.00, then +20 m at 300.00: 15 m worth 240.00, all taken by the issue.
    assert [(r["on_hand"], r["stock_value"]) for r in got] == [
        ("10", {"USD": "120.00"}), ("-5", {"USD": "-60.00"}), ("15", {"USD": "240.00"}),
        ("0", {"USD": "0.00"})]


def test_count_and_adjust_write_the_move_and_its_entry(stock_book: Path) -> None:
    book = str(stock_book)
    count = run_biz(["-B", book, "stock", "count", "OAK-BOARD", "27", "MAIN", "--date",
                     "2026-03-01", "--doc", "CNT-03"])
    assert count.code == 0, count.err
    # 29 m on hand at 13.10 (FIFO layer): 2 m short = 26.20 USD.
    assert count.out.startswith("2026-03-01 count    OAK-BOARD              27 m    MAIN")
    assert "    Assets:Inventory                        -26.20 USD\n" in count.out
    adjust = run_biz(["-B", book, "stock", "adjust", "OAK-BOARD", "-2", "MAIN", "--date",
                      "2026-03-02"])
    assert adjust.code == 0, adjust.err
    assert "Expenses:Inventory Adjustments           26.20 USD" in adjust.out
    assert run_biz(["-B", book, "check"]) == Result(0, "", "")
    stock_text = (stock_book / "stock" / "2026.stock").read_text(encoding="utf-8")
    assert stock_text.endswith("2026-03-02 adjust   OAK-BOARD              -2 m    MAIN\n")


def test_transfer_writes_no_entry_and_keeps_the_books_in_line(stock_book: Path) -> None:
    journal = (stock_book / "journal" / "2026.journal").read_bytes()
    result = run_biz(["-B", str(stock_book), "stock", "transfer", "TABLE-OAK", "1", "MAIN",
                      "SHOP", "--date", "2026-03-01"])
    assert result.code == 0, result.err
    assert result.out == "2026-03-01 transfer TABLE-OAK               1 pc   MAIN -> SHOP\n"
    assert (stock_book / "journal" / "2026.journal").read_bytes() == journal
    assert run_biz(["-B", str(stock_book), "check"]).code == 0


def test_refused_moves_write_nothing(stock_book: Path) -> None:
    files = {p: p.read_bytes() for p in (stock_book / "stock" / "2026.stock",
                                         stock_book / "journal" / "2026.journal")}
    for args, code in (
            (["adjust", "OAK-BOARD", "-50", "MAIN", "--date", "2026-03-01"], "negative-stock"),
            # Back-dated: 120 m on hand on 2026-01-09, when 130 m leave.
            (["adjust", "OAK-BOARD", "-40", "MAIN", "--date", "2026-01-07"], "back-dated-move"),
            (["transfer", "OAK-BOARD", "1", "MAIN", "SHOPP", "--date", "2026-03-01"],
             "unknown-warehouse"),
            (["count", "OAK-BOARD", "10", "MAIN", "--date", "2026-03-01", "--dry-run"], "")):
        result = run_biz(["-B", str(stock_book), "stock", *args])
        assert (f"error[{code}]" in result.err) if code else result.code == 0, result.err
        assert all(p.read_bytes() == data for p, data in files.items())


def test_moves_before_the_lock_date_are_refused(stock_book: Path) -> None:
    settings = stock_book / "biz.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "lock_date: null", "lock_date: 2026-03-31"), encoding="utf-8")
    result = run_biz(["-B", str(stock_book), "stock", "transfer", "TABLE-OAK", "1", "MAIN",
                      "SHOP", "--date", "2026-03-01"])
    assert "error[locked-period]" in result.err


def test_warm_and_cold_loads_value_the_stock_alike(stock_book: Path) -> None:
    settings = stock_book / "biz.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") +
                        "stock:\n  valuation: average\n", encoding="utf-8")
    items = stock_book / "items.yaml"
    items.write_text(ITEMS.replace("    valuation: fifo\n", ""), encoding="utf-8")
    args = ["-B", str(stock_book), "stock", "valuation", "-O", "json"]
    cold = run_biz(args)
    assert (stock_book / ".biz" / "cache" / "records.msgpack").exists()
    warm = run_biz(args)
    assert cold.out == warm.out
    assert '"method": "average"' in warm.out
    (stock_book / ".biz" / "cache" / "records.msgpack").write_bytes(b"broken")
    assert run_biz(args).out == cold.out


def test_the_entry_that_cures_a_drift_can_be_posted(stock_book: Path) -> None:
    text = (stock_book / "journal" / "2026.journal").read_text(encoding="utf-8")
    write_journal(stock_book, "2026.journal", text.split("2026-02-01")[0])
    assert "error[inventory-drift]" in run_biz(["-B", str(stock_book), "check"]).err
    cure = run_biz(["-B", str(stock_book), "post", "2026-02-01", "Stock take",
                    "Expenses:Inventory Adjustments", "13.10", "Assets:Inventory"])
    assert cure.code == 0, cure.err
    assert run_biz(["-B", str(stock_book), "check"]) == Result(0, "", "")
