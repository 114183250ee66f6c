"""Production end to end: BOM reports, work orders posting at actual cost, MRP and commit."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result, run_biz

BOMS = """schema: 1
boms:
- item: STOOL
  labour: '10.00'
  overhead: '5.00'
  components:
  - item: LEG
    quantity: '3'
  - item: OAK
    quantity: '1'
  byproducts:
  - item: CHIPS
    quantity: '0.2'
- item: LEG
  labour: '2.00'
  overhead: '1.00'
  components:
  - item: OAK
    quantity: '0.5'
    scrap: 10%
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A manufacturing book: oak bought from MILL, legs and stools made, chips a by-product."""
    folder = tmp_path / "shop"
    assert run_biz(["init", str(folder), "--template", "manufacturing"]).code == 0
    book = str(folder)
    for args in (["supplier", "add", "MILL", "--name", "Mill"],
                 ["customer", "add", "ANN", "--name", "Ann"],
                 ["warehouse", "add", "MAIN", "--name", "Main"],
                 ["item", "add", "OAK", "--name", "Oak", "--unit", "m", "--cost", "12.50",
                  "--kind", "bought", "--supplier", "MILL"],
                 ["item", "add", "LEG", "--name", "Leg", "--unit", "pc", "--kind", "made"],
                 ["item", "add", "STOOL", "--name", "Stool", "--unit", "pc", "--kind", "made",
                  "--price", "90"],
                 ["item", "add", "CHIPS", "--name", "Chips", "--unit", "kg", "--cost", "1.00"]):
        result = run_biz(["-B", book, *args])
        assert result.code == 0, result.err
    (folder / "boms.yaml").write_text(BOMS, encoding="utf-8")
    for args in (["purchase", "order", "MILL", "OAK=10", "--date", "2026-11-02"],
                 ["purchase", "receive", "PO-2026-0001", "--date", "2026-11-03"]):
        result = run_biz(["-B", book, *args])
        assert result.code == 0, result.err
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".biz" not in p.parts}


def test_bom_reports_follow_the_worked_numbers(shop: Path) -> None:
    book = str(shop)
    tree = run_biz(["-B", book, "bom", "show", "STOOL", "2", "-O", "json"])
    rows = [(r["item"], r["quantity"], r["depth"]) for r in json.loads(tree.out)["rows"]]
    # 2 stools: 6 legs, each 0.5 m x 1.10 = 0.55 m of oak (3.3 m), plus 2 m of oak direct
    assert rows == [("STOOL", "2", 0), ("LEG", "6", 1), ("OAK", "3.30", 2),
                    ("OAK", "2", 1), ("CHIPS", "0.4", 1)]
    explode = json.loads(run_biz(["-B", book, "bom", "explode", "STOOL", "2", "-O",
                                  "json"]).out)
    assert {r["item"]: r["required"] for r in explode["rows"]} == {"LEG": "6", "OAK": "5.30"}
    # a leg: 0.55 m x 12.50 + 3.00 = 9.875; a stool: 3 legs + 12.50 + 15.00 - 0.20 chips
    cost = json.loads(run_biz(["-B", book, "bom", "cost", "STOOL", "-O", "json"]).out)
    assert cost["rows"][-1]["cost"] == {"USD": "56.93"}  # 29.625 + 27.30, shown rounded
    used = json.loads(run_biz(["-B", book, "bom", "where-used", "OAK", "-O", "json"]).out)
    assert [(r["parent"], r["quantity"]) for r in used["rows"]] == [
        ("LEG", "0.55"), ("STOOL", "1.65"), ("STOOL", "1")]


def test_work_orders_post_at_actual_cost_and_the_books_agree(shop: Path) -> None:
    book = str(shop)
    made = run_biz(["-B", book, "wo", "create", "LEG", "6", "--due", "2026-11-06",
                    "--date", "2026-11-04"])
    assert made.code == 0, made.err
    legs = run_biz(["-B", book, "wo", "complete", "WO-2026-0001", "--date", "2026-11-05"])
    assert legs.code == 0, legs.err
    # 3.3 m of oak at 12.50 = 41.25 issued; 6 x (2.00 + 1.00) = 18.00 absorbed
    assert "2026-11-05 receipt  LEG                     6 pc   MAIN @ 9.875 USD" in legs.out
    assert "    Assets:Work in Progress                  59.25 USD\n" in legs.out
    assert "    Expenses:Production Absorbed            -18.00 USD\n" in legs.out
    assert run_biz(["-B", book, "wo", "create", "STOOL", "2", "--due", "2026-11-20",
                    "--date", "2026-11-10"]).code == 0
    first = run_biz(["-B", book, "wo", "complete", "WO-2026-0002", "--qty", "1",
                     "--date", "2026-11-11"])
    assert first.code == 0, first.err
    # 3 of 6 legs worth 59.25: 29.625, rounded half-up 29.63; 1 m oak 12.50; 15.00
    # absorbed; 0.2 kg of chips at 1.00 back into stock: 29.63 + 12.50 + 15.00 - 0.20
    assert "receipt  STOOL                   1 pc   MAIN @ 56.93 USD" in first.out
    assert "receipt  CHIPS                 0.2 kg   MAIN @ 1.00 USD" in first.out
    second = run_biz(["-B", book, "wo", "complete", "WO-2026-0002", "--date", "2026-11-12"])
    assert second.code == 0, second.err
    assert "receipt  STOOL                   1 pc   MAIN @ 56.92 USD" in second.out  # 29.62
    assert run_biz(["-B", book, "check"]) == Result(0, "", "")
    shown = json.loads(run_biz(["-B", book, "wo", "list", "-O", "json"]).out)
    assert [(r["number"], r["state"], r["completed"]) for r in shown["rows"]] == [
        ("WO-2026-0001", "completed", "6"), ("WO-2026-0002", "completed", "2")]
    valuation = json.loads(run_biz(["-B", book, "stock", "valuation", "-O", "json"]).out)
    # 125.00 of oak bought + 18.00 + 2 x 15.00 absorbed: work in progress is empty again
    assert valuation["rows"][-1]["value"] == {"USD": "173.00"}
    if shutil.which("hledger"):
        out = subprocess.run(["hledger", "-f", str(shop / "main.journal"), "bal",
                              "Assets:Inventory", "Assets:Work in Progress", "-N"],
                             capture_output=True, text=True, check=True).stdout
        assert "173.00 USD  Assets:Inventory" in out
        assert "Work in Progress" not in out  # zero balance


def test_a_short_completion_lists_every_shortage_and_writes_nothing(shop: Path) -> None:
    book = str(shop)
    assert run_biz(["-B", book, "wo", "create", "STOOL", "12", "--due", "2026-11-20",
                    "--date", "2026-11-10"]).code == 0
    before = snapshot(shop)
    short = run_biz(["-B", book, "wo", "complete", "WO-2026-0001", "--date", "2026-11-11"])
    assert short.code == 1
    assert [line for line in short.err.splitlines() if line.startswith("error")] == [
        ("error[component-short]: LEG: 36 needed to make 12 STOOL, 0 on hand in MAIN "
        "(short by 36)"),
        ("error[component-short]: OAK: 12 needed to make 12 STOOL, 10 on hand in MAIN "
        "(short by 2)")]
    assert snapshot(shop) == before


def test_mrp_json_is_written_with_the_cycle_collector_running(
        shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """json.dumps with indent leaves a reference cycle per call: with the collector
    paused, the JSON of a 200,000-order plan held 760 MB of them until it ended."""
    import gc

    from bizcli.render import formats

    book, seen = str(shop), []
    real = formats.render_json_stream

    def spy(document: Any) -> Iterator[str]:
        for piece in real(document):
            seen.append(gc.isenabled())
            yield piece

    monkeypatch.setattr(formats, "render_json_stream", spy)
    assert run_biz(["-B", book, "sale", "order", "ANN", "STOOL=4", "--date", "2026-11-16",
                    "--due", "2026-12-07"]).code == 0
    done = run_biz(["-B", book, "mrp", "run", "-O", "json"], env={"BIZ_TODAY": "2026-11-23"})
    assert done.code == 0, done.err
    assert json.loads(done.out)["planned_orders"]
    assert seen
    assert all(seen)


def test_mrp_plans_commits_drafts_and_the_drafts_are_supply(shop: Path) -> None:
    book = str(shop)
    assert run_biz(["-B", book, "sale", "order", "ANN", "STOOL=4", "--date", "2026-11-16",
                    "--due", "2026-12-07"]).code == 0
    env = {"BIZ_TODAY": "2026-11-23"}
    plan = json.loads(run_biz(["-B", book, "mrp", "run", "-O", "json"], env=env).out)
    orders = {(o["item"], o["kind"]): o for o in plan["planned_orders"]}
    # 4 stools, no stock: make 4 (no lead time) in the week of 2026-12-07;
    # 12 legs, none on hand: make 12; oak: 12 x 0.55 + 4 x 1 = 10.6 m against 10 on hand
    assert orders["STOOL", "make"]["quantity"] == "4"
    assert orders["STOOL", "make"]["due"] == "2026-12-07"
    assert orders["LEG", "make"]["quantity"] == "12"
    assert orders["OAK", "buy"]["quantity"] == "0.60"
    assert orders["OAK", "buy"]["supplier"] == "MILL"
    assert [s["source"] for s in orders["OAK", "buy"]["serves"]] == ["SO-2026-0001"]
    picks = [o["number"] for o in plan["planned_orders"]]
    commit = run_biz(["-B", book, "mrp", "run", "--commit", "--warehouse", "MAIN",
                      *(x for p in picks for x in ("--pick", p))], env=env)
    assert commit.code == 0, commit.err
    assert "# 1 draft purchase orders, 2 draft work orders" in commit.out
    again = json.loads(run_biz(["-B", book, "mrp", "run", "-O", "json"], env=env).out)
    assert again["planned_orders"] == []
    refused = run_biz(["-B", book, "purchase", "receive", "PO-2026-0002"], env=env)
    assert "error[still-draft]: PO-2026-0002 is a draft" in refused.err
    assert run_biz(["-B", book, "purchase", "confirm", "PO-2026-0002"], env=env).code == 0
    # a draft is dated on its planned release: no lead times, so the week of 2026-12-07
    assert run_biz(["-B", book, "purchase", "receive", "PO-2026-0002", "--date",
                    "2026-12-07"], env=env).code == 0
    assert run_biz(["-B", book, "wo", "release", "WO-2026-0001"], env=env).code == 0
    assert run_biz(["-B", book, "check"], env=env).code == 0


def test_the_example_book_plans_both_kinds_with_pipeline_and_exceptions(
        example_book: Path) -> None:
    env = {"BIZ_TODAY": "2026-11-23"}
    result = run_biz(["-B", str(example_book), "mrp", "run", "--pipeline-min", "0.7",
                      "-O", "json"], env=env)
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    kinds = {o["kind"] for o in plan["planned_orders"]}
    assert kinds == {"make", "buy"}
    # SO-2026-0021 wants 3 tables; 2 were made (WO-2026-0003): one more, one more top
    tables = [o for o in plan["planned_orders"] if o["item"] == "TABLE-OAK"]
    assert [(o["quantity"], [s["source"] for s in o["serves"]]) for o in tables] == [
        ("1", ["SO-2026-0021"])]
    # the chairs of deal D-2026-0009 (75%) exist only because of the pipeline
    chairs = [o for o in plan["planned_orders"] if o["item"] == "CHAIR-WINDSOR"]
    assert [(o["quantity"], o["pipeline"]) for o in chairs] == [("6", "only")]
    found = {e["kind"] for e in plan["exceptions"]}
    assert {"release-past-due", "defer", "cancel", "late-receipt"} <= found
    without = json.loads(run_biz(["-B", str(example_book), "mrp", "run", "-O", "json"],
                                 env=env).out)
    assert not [o for o in without["planned_orders"] if o["item"] == "CHAIR-WINDSOR"]
    record = run_biz(["-B", str(example_book), "mrp", "record", "LEG-OAK-TURNED"], env=env)
    assert "Planned releases          24" in record.out


def test_a_forecast_written_is_read_back_and_planned(shop: Path, tmp_path: Path) -> None:
    book = str(shop)
    for day in ("2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"):
        assert run_biz(["-B", book, "sale", "order", "ANN", "STOOL=2", "--date", day,
                        "--due", day]).code == 0
    env = {"BIZ_TODAY": "2026-11-23"}
    target = tmp_path / "forecast.csv"
    shown = run_biz(["-B", book, "mrp", "forecast", "--periods", "8", "--horizon", "2w",
                     "--write", str(target), "-O", "json"], env=env)
    assert shown.code == 0, shown.err
    row = json.loads(shown.out)["rows"][0]
    assert (row["item"], row["history"]) == ("STOOL", "10")
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "item,date,quantity"
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["STOOL", "2026-11-23"], ["STOOL", "2026-11-30"]]
    plan = json.loads(run_biz(["-B", book, "mrp", "run", "--forecast", str(target),
                               "--horizon", "2w", "-O", "json"], env=env).out)
    stools = [o for o in plan["planned_orders"] if o["item"] == "STOOL"]
    # the five orders were never shipped (past-due demand); the forecast comes on top
    assert {s["kind"] for o in stools for s in o["serves"]} == {"order", "forecast"}
