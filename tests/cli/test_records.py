"""Master records: add (atomic, comment-preserving, validated), list and show."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_biz


def test_customers_are_added_listed_and_shown(new_book: Path) -> None:
    book = str(new_book)
    assert run_biz(["-B", book, "customer", "add", "HARBOR", "--name", "Harbor Interiors",
                    "--email", "buy@harbor.example", "--terms", "30", "--credit-limit",
                    "20000.50", "--tag", "trade"]).code == 0
    assert run_biz(["-B", book, "customer", "add", "SHWOOD", "--name", "上海木业有限公司",
                    "--currency", "CNY"]).code == 0
    rows = json.loads(run_biz(["-B", book, "customer", "list", "-O", "json"]).out)["rows"]
    assert [(r["code"], r["credit_limit"], r["payment_terms_days"]) for r in rows] == [
        ("HARBOR", "20000.50", "30"), ("SHWOOD", None, None)]
    card = run_biz(["-B", book, "customer", "show", "HARBOR", "-O", "csv"]).out
    assert "Credit limit,20000.50" in card
    assert "Contact,Harbor Interiors · buy@harbor.example" in card
    assert run_biz(["-B", book, "customer", "list", "上海"]).out.count("SHWOOD") == 1


def test_adding_keeps_the_files_comments_and_is_refused_on_a_taken_code(
        new_book: Path) -> None:
    path = new_book / "suppliers.yaml"
    path.write_text("# Our suppliers\nschema: 1\nsuppliers:\n  - code: MILL\n"
                    "    name: Northern Timber Mill  # since 2019\n", encoding="utf-8")
    assert run_biz(["-B", str(new_book), "supplier", "add", "HINGE", "--name", "Hinge Co",
                    "--lead-time", "7"]).code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Our suppliers\n")
    assert "# since 2019" in text
    assert "  - code: HINGE\n    name: Hinge Co\n    lead_time_days: 7\n" in text
    before = path.read_bytes()
    taken = run_biz(["-B", str(new_book), "supplier", "add", "MILL", "--name", "Other"])
    assert taken.code == 1
    assert "error[duplicate-supplier]" in taken.err
    assert path.read_bytes() == before


def test_items_show_their_stock(new_book: Path) -> None:
    book = str(new_book)
    assert run_biz(["-B", book, "item", "add", "OAK", "--name", "Oak board", "--unit", "m",
                    "--kind", "bought", "--cost", "12.50"]).code == 0
    assert run_biz(["-B", book, "warehouse", "add", "MAIN", "--name", "Store"]).code == 0
    (new_book / "stock").mkdir()
    (new_book / "stock" / "2026.stock").write_text(
        "2026-01-05 receipt OAK 20 m MAIN @ 12.50 USD\n", encoding="utf-8")
    rows = json.loads(run_biz(["-B", book, "item", "list", "-O", "json"]).out)["rows"]
    assert (rows[0]["code"], rows[0]["cost"], rows[0]["on_hand"]) == (
        "OAK", {"USD": "12.50"}, "20")
    assert "On hand in MAIN,20 m" in run_biz(["-B", book, "item", "show", "OAK",
                                              "-O", "csv"]).out
    assert json.loads(run_biz(["-B", book, "warehouse", "list", "-O", "json"]).out)[
        "rows"][0]["code"] == "MAIN"


def test_bad_numbers_and_codes_are_refused(new_book: Path) -> None:
    result = run_biz(["-B", str(new_book), "item", "add", "X", "--name", "x", "--unit", "m",
                      "--cost", "1,5"])
    assert result.err.splitlines()[0] == (
        "error[bad-number]: --cost must be a number like 12.50, not '1,5'")
    assert not (new_book / "items.yaml").exists()
