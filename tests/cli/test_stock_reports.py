"""``biz stock turnover`` and ``biz stock slow`` on a small book, worked by hand.

Today is pinned to 2026-11-22 (tests/conftest.py). The moves below, and what each one
leaves on hand (all warehouses of the item together):

OAK-BOARD (FIFO)
  01-10 receipt 100 m @ 10.00        100 m  1000.00
  02-20 issue    20 m      -200.00    80 m   800.00
  03-11 issue    30 m      -300.00    50 m   500.00
  03-21 receipt  50 m @ 12.00 +600    100 m  1100.00
  03-21 transfer 40 m MAIN -> SHOP   (the 10.00 layer; the item's total is unchanged)
  03-26 count MAIN 52 (of 60): 8 m short at 10.00 = -80.00    92 m  1020.00
  04-05 issue    10 m SHOP -100.00    82 m   920.00
TABLE-OAK (moving average)
  02-01 receipt 4 pc @ 400.00        4 pc  1600.00
  03-16 issue   1 pc      -400.00    3 pc  1200.00
GLUE: 01-15 receipt 10 l @ 5.00 = 50.00, never issued
HINGE: 03-05 receipt 200 pc @ 0.50 = 100.00; 11-01 issue 50 pc = -25.00 (75.00 left)
SCREW: 02-02 receipt 10 pc @ 1.00; 02-10 issue 10 pc (nothing left)
"""

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
  - code: GLUE
    name: Wood glue
    unit: l
  - code: HINGE
    name: Brass hinge
    unit: pc
  - code: SCREW
    name: Screw 4x40
    unit: pc
"""
WAREHOUSES = """schema: 1
warehouses:
  - code: MAIN
    name: Workshop store
  - code: SHOP
    name: Showroom
"""
MOVES = """2026-01-10 receipt  OAK-BOARD  100 m  MAIN @ 10.00 USD
2026-01-15 receipt  GLUE        10 l  MAIN @ 5.00 USD
2026-02-01 receipt  TABLE-OAK    4 pc MAIN @ 400.00 USD
2026-02-02 receipt  SCREW       10 pc MAIN @ 1.00 USD
2026-02-10 issue    SCREW       10 pc MAIN
2026-02-20 issue    OAK-BOARD   20 m  MAIN
2026-03-05 receipt  HINGE      200 pc MAIN @ 0.50 USD
2026-03-11 issue    OAK-BOARD   30 m  MAIN
2026-03-16 issue    TABLE-OAK    1 pc MAIN
2026-03-21 receipt  OAK-BOARD   50 m  MAIN @ 12.00 USD
2026-03-21 transfer OAK-BOARD   40 m  MAIN -> SHOP
2026-03-26 count    OAK-BOARD   52 m  MAIN
2026-04-05 issue    OAK-BOARD   10 m  SHOP
2026-11-01 issue    HINGE       50 pc MAIN
"""

# One entry per day the stock value changes, so that the book passes biz check: receipts
# against GRNI, issues to cost of goods sold, the count's 80.00 to adjustments.
CHANGES = (("2026-01-10", "1000.00"), ("2026-01-15", "50.00"), ("2026-02-01", "1600.00"),
           ("2026-02-02", "10.00"), ("2026-02-10", "-10.00"), ("2026-02-20", "-200.00"),
           ("2026-03-05", "100.00"), ("2026-03-11", "-300.00"), ("2026-03-16", "-400.00"),
           ("2026-03-21", "600.00"), ("2026-03-26", "-80.00"), ("2026-04-05", "-100.00"),
           ("2026-11-01", "-25.00"))


def _entry(day: str, change: str) -> str:
    other = ("Liabilities:Goods Received Not Invoiced" if not change.startswith("-") else
             "Expenses:Inventory Adjustments" if day == "2026-03-26" else
             "Expenses:Cost of Goods Sold")
    return f"{day} * Stock\n    Assets:Inventory  {change} USD\n    {other}\n\n"


@pytest.fixture
def book(new_book: Path) -> Path:
    (new_book / "items.yaml").write_text(ITEMS, encoding="utf-8")
    (new_book / "warehouses.yaml").write_text(WAREHOUSES, encoding="utf-8")
    (new_book / "stock").mkdir()
    (new_book / "stock" / "2026.stock").write_text(MOVES, encoding="utf-8")
    write_journal(new_book, "2026.journal", "".join(_entry(*c) for c in CHANGES))
    assert run_biz(["-B", str(new_book), "check"]) == Result(0, "", "")
    return new_book


def report(book: Path, *args: str) -> dict[str, object]:
    result = run_biz(["-B", str(book), "stock", *args, "-O", "json"])
    assert result.code == 0, result.err
    assert result.err == ""
    return json.loads(result.out)  # type: ignore[no-any-return]


def table(data: dict[str, object], *keys: str) -> list[tuple[object, ...]]:
    rows = data["rows"]
    assert isinstance(rows, list)
    return [tuple(r[k] for k in keys) for r in rows]


TURNOVER = ("item", "opening", "issued", "closing", "average", "turnover", "days_on_hand")


def usd(text: str) -> dict[str, str]:
    return {"USD": text}


def test_turnover_over_a_month_whose_stock_changes(book: Path) -> None:
    data = report(book, "turnover", "-p", "2026-03")
    assert data["report"] == "stock-turnover"
    assert data["title"] == "Stock turnover, 2026-03: 2026-03-01 to 2026-03-31 (31 days)"
    # OAK-BOARD, value at the end of each day of March:
    #   03-01..03-10 10 days x  800.00 =  8000.00
    #   03-11..03-20 10 days x  500.00 =  5000.00
    #   03-21..03-25  5 days x 1100.00 =  5500.00  (receipt and transfer the same day)
    #   03-26..03-31  6 days x 1020.00 =  6120.00
    #   sum 24620.00 / 31 = 794.1935... -> 794.19 ((800 + 1020) / 2 would say 910.00)
    #   turnover 300.00 / 794.1935 = 0.3777 -> 0.38; days 31 / 0.3777 = 24620 / 300 = 82.07
    # The count's 80.00 is not issued cost.
    # TABLE-OAK: 15 days x 1600 + 16 days x 1200 = 43200 / 31 = 1393.548...;
    #   400 / 1393.548 = 0.287 -> 0.29; 43200 / 400 = 108.0 days
    # GLUE: 50.00 every day, nothing issued: turnover 0.00, days on hand blank.
    # HINGE: 0 for 4 days, then 27 days x 100.00 = 2700 / 31 = 87.0967 -> 87.10.
    # SCREW had nothing in March: no row.
    # Total: 24620 + 43200 + 1550 + 2700 = 72070 / 31 = 2324.8387 -> 2324.84;
    #   700 / 2324.8387 = 0.3011 -> 0.30; 72070 / 700 = 102.957 -> 103.0 days
    assert table(data, *TURNOVER) == [
        ("GLUE", usd("50.00"), usd("0.00"), usd("50.00"), usd("50.00"), "0.00", None),
        ("HINGE", usd("0.00"), usd("0.00"), usd("100.00"), usd("87.10"), "0.00", None),
        ("OAK-BOARD", usd("800.00"), usd("300.00"), usd("1020.00"), usd("794.19"), "0.38",
         "82.1"),
        ("TABLE-OAK", usd("1600.00"), usd("400.00"), usd("1200.00"), usd("1393.55"),
         "0.29", "108.0"),
        ("Total", usd("2450.00"), usd("700.00"), usd("2370.00"), usd("2324.84"), "0.30",
         "103.0")]
    assert [r["kind"] for r in data["rows"]][-1] == "total"  # type: ignore[index]
    assert "issue moves only" in data["notes"][0]  # type: ignore[index]


def test_turnover_defaults_to_the_365_days_up_to_today(book: Path) -> None:
    data = report(book, "turnover", "HINGE")
    assert data["title"] == ("Stock turnover, last 365 days: 2025-11-23 to 2026-11-22 "
                             "(365 days)")
    # 0 until 03-04; 03-05..10-31 241 days x 100.00; 11-01..11-22 22 days x 75.00:
    # 24100 + 1650 = 25750 / 365 = 70.5479 -> 70.55; 25 / 70.5479 = 0.354 -> 0.35;
    # 25750 / 25 = 1030.0 days.
    assert table(data, *TURNOVER) == [
        ("HINGE", usd("0.00"), usd("25.00"), usd("75.00"), usd("70.55"), "0.35", "1030.0"),
        ("Total", usd("0.00"), usd("25.00"), usd("75.00"), usd("70.55"), "0.35", "1030.0")]


def test_turnover_stops_at_today_and_at_the_as_of_date(book: Path) -> None:
    data = report(book, "turnover", "GLUE", "-p", "2026")
    assert data["title"] == "Stock turnover, 2026: 2026-01-01 to 2026-11-22 (326 days)"
    # 10 l at 5.00 from 01-15: 312 days x 50.00 = 15600 / 326 = 47.852... -> 47.85
    assert table(data, "item", "opening", "closing", "average", "turnover") == [
        ("GLUE", usd("0.00"), usd("50.00"), usd("47.85"), "0.00"),
        ("Total", usd("0.00"), usd("50.00"), usd("47.85"), "0.00")]
    early = run_biz(["-B", str(book), "--as-of", "2026-01-31", "stock", "turnover", "GLUE",
                     "-p", "2026", "-O", "json"])
    assert json.loads(early.out)["title"] == (
        "Stock turnover, 2026: 2026-01-01 to 2026-01-31 (31 days)")
    # Open at the start: from the book's first move (OAK-BOARD on 01-10), 22 days;
    # GLUE 17 days x 50.00 = 850 / 22 = 38.636 -> 38.64.
    data = report(book, "turnover", "GLUE", "-p", "to 2026-02")
    assert data["title"] == "Stock turnover, ..2026-01-31: 2026-01-10 to 2026-01-31 (22 days)"
    assert table(data, "item", "average") == [("GLUE", usd("38.64")), ("Total", usd("38.64"))]


def test_turnover_with_no_stock_has_only_a_blank_total(book: Path) -> None:
    data = report(book, "turnover", "-p", "2025-06")
    assert table(data, *TURNOVER) == [
        ("Total", usd("0.00"), usd("0.00"), usd("0.00"), usd("0.00"), None, None)]


def test_slow_movers_as_of_today(book: Path) -> None:
    data = report(book, "slow")
    assert data["report"] == "stock-slow"
    assert data["title"] == "Slow movers, as of 2026-11-22: no issue in more than 90 days"
    # TABLE-OAK last issued 03-16 (251 days), OAK-BOARD 04-05 (231 days; 52 m in MAIN:
    # 2 m at 10.00 + 50 m at 12.00 = 620.00, 30 m in SHOP at 10.00 = 300.00), GLUE never
    # (311 days since its receipt on 01-15). HINGE was issued 21 days ago; SCREW has
    # none left. Largest value first.
    assert table(data, "item", "name", "quantity", "unit", "value", "last_issue",
                 "days_since") == [
        ("TABLE-OAK", "Oak dining table", "3", "pc", usd("1200.00"), "2026-03-16", "251"),
        ("OAK-BOARD", "Oak board 27 mm", "82", "m", usd("920.00"), "2026-04-05", "231"),
        ("GLUE", "Wood glue", "10", "l", usd("50.00"), "never", "311"),
        ("Total", None, None, None, usd("2170.00"), None, None)]


def test_slow_movers_at_an_earlier_date_with_fewer_days(book: Path) -> None:
    data = report(book, "slow", "--days", "10", "--as-of", "2026-03-31")
    # On 03-31: OAK-BOARD last issued 03-11 (20 days), TABLE-OAK 03-16 (15 days), HINGE
    # never issued yet (26 days since 03-05), GLUE never (75 days).
    assert table(data, "item", "value", "last_issue", "days_since") == [
        ("TABLE-OAK", usd("1200.00"), "2026-03-16", "15"),
        ("OAK-BOARD", usd("1020.00"), "2026-03-11", "20"),
        ("HINGE", usd("100.00"), "never", "26"),
        ("GLUE", usd("50.00"), "never", "75"),
        ("Total", usd("2370.00"), None, None)]
    # "more than N days": an issue exactly 20 days ago is not slow at --days 20.
    data = report(book, "slow", "--days", "20", "--as-of", "2026-03-31", "OAK", "TABLE")
    assert table(data, "item") == [("Total",)]


def test_the_reports_render_as_text(book: Path) -> None:
    result = run_biz(["-B", str(book), "stock", "turnover", "-p", "2026-03", "OAK"])
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[2].split() == ["Item", "Name", "Opening", "value", "Issued", "cost",
                                "Closing", "value", "Average", "value", "Turnover", "Days",
                                "on", "hand"]
    assert "794.19 USD" in lines[4]
    assert lines[4].endswith("0.38          82.1")
    slow = run_biz(["-B", str(book), "stock", "slow", "GLUE"])
    assert slow.code == 0, slow.err
    assert "never" in slow.out


@pytest.mark.parametrize(("args", "expected"), [
    (["slow", "--days", "-5"], "Invalid value for '--days'"),
    (["slow", "--days", "many"], "Invalid value for '--days'"),
])
def test_a_bad_days_value_is_a_usage_error(book: Path, args: list[str],
                                           expected: str) -> None:
    result = run_biz(["-B", str(book), "stock", *args])
    assert result.code == 2
    assert expected in result.err


@pytest.mark.parametrize("args", [
    ["turnover", "-p", "someday"],
    ["turnover", "-p", "2027"],  # after today: no day to average over
    ["slow", "--as-of", "2026-02-30"],
])
def test_a_bad_period_or_date_is_refused(book: Path, args: list[str]) -> None:
    result = run_biz(["-B", str(book), "stock", *args])
    assert result.code == 1
    assert result.err.startswith("error[bad-period]: "), result.err
    assert result.out == ""


def test_an_empty_book_gives_empty_reports(new_book: Path) -> None:
    for args in (["turnover"], ["slow"]):
        result = run_biz(["-B", str(new_book), "stock", *args, "-O", "json"])
        assert result == Result(0, result.out, "")
        assert [r["kind"] for r in json.loads(result.out)["rows"]] == ["total"]
