"""MRP against worked examples published by others (and a few worked by hand).

Each file in tests/data/mrp/ is one example with its source in the header: items,
BOMs, demands and open orders, and the rows of the time-phased records that the
SOURCE states (or that the hand calculation in the file's comments gives). bizcli
must give the same. Only the rows a file states are compared; exceptions and
shortages are compared as complete lists when the file has them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bizcli.core.production.boms import Bom, BomLine
from bizcli.core.production.lots import LotRule, LotSize
from bizcli.core.production.mrp import (
    Demand,
    DemandKind,
    ExceptionKind,
    MrpRequest,
    Plan,
    PlannedOrder,
    Planning,
    ReceiptKind,
    ScheduledReceipt,
    plan,
)

EXAMPLES = sorted((Path(__file__).parents[2] / "data" / "mrp").glob("*.yaml"))
START = dt.date(2026, 1, 5)
ROWS = ("gross", "receipts", "projected", "net", "planned_receipts", "planned_releases")

Example = dict[str, Any]


def _load(path: Path) -> Example:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _start(example: Example) -> dt.date:
    return dt.date.fromisoformat(str(example["start"])) if "start" in example else START


def _period_start(example: Example, period: int) -> dt.date:
    """The first day of 1-based ``period`` (0 and below lie before the start)."""
    return _start(example) + dt.timedelta(days=int(example["bucket_days"]) * (period - 1))


def _date(example: Example, entry: dict[str, Any]) -> dt.date:
    if "date" in entry:
        return dt.date.fromisoformat(str(entry["date"]))
    return _period_start(example, int(entry["period"]))


def _lot(spec: dict[str, Any] | None) -> LotSize:
    spec = spec or {}

    def number(key: str) -> Decimal | None:
        return Decimal(str(spec[key])) if key in spec else None

    return LotSize(rule=LotRule(spec.get("rule", "lot-for-lot")), quantity=number("quantity"),
                   periods=spec.get("periods"), minimum=number("minimum"),
                   maximum=number("maximum"), multiple=number("multiple"))


def _lead_days(spec: dict[str, Any]) -> int:
    if "lead_time_days" in spec:
        return int(spec["lead_time_days"])
    return 7 * int(spec.get("lead_time_weeks", 0))


def _request(example: Example) -> MrpRequest:
    items = {
        code: Planning(item=code, make=bool(spec["make"]), lead_time=_lead_days(spec),
                       safety_stock=Decimal(str(spec.get("safety_stock", "0"))),
                       lot=_lot(spec.get("lot")))
        for code, spec in example["items"].items()}
    boms = {
        parent: Bom(item=parent, components=tuple(
            BomLine(item=line["item"], quantity=Decimal(str(line["quantity"])),
                    scrap=Decimal(str(line.get("scrap", "0"))))
            for line in lines))
        for parent, lines in (example.get("boms") or {}).items()}
    on_hand = {code: Decimal(str(spec.get("on_hand", "0")))
               for code, spec in example["items"].items()}
    demands = [
        Demand(d["item"], _date(example, d), Decimal(str(d["quantity"])),
               DemandKind(d.get("kind", "order")), d.get("source", f"{d['item']}-D{n}"))
        for n, d in enumerate(example.get("demands") or (), start=1)]
    receipts = [
        ScheduledReceipt(r["item"], _date(example, r), Decimal(str(r["quantity"])),
                         ReceiptKind(r.get("kind", "purchase")),
                         r.get("source", f"{r['item']}-R{n}"))
        for n, r in enumerate(example.get("receipts") or (), start=1)]
    return MrpRequest(start=_start(example), bucket_days=int(example["bucket_days"]),
                      buckets=int(example["periods"]), items=items, boms=boms,
                      on_hand=on_hand, demands=demands, receipts=receipts)


def _decimals(values: list[Any]) -> list[Decimal]:
    return [Decimal(str(v)) for v in values]


def _receipts_row(example: Example, item: str) -> list[Decimal]:
    """The scheduled receipts of ``item`` per period, as the file's input gives them."""
    row = [Decimal(0)] * int(example["periods"])
    days = int(example["bucket_days"])
    for receipt in example.get("receipts") or ():
        if receipt["item"] == item:
            bucket = max((_date(example, receipt) - _start(example)).days // days, 0)
            if bucket < len(row):
                row[bucket] += Decimal(str(receipt["quantity"]))
    return row


def test_the_examples_cover_what_mrp_must_do() -> None:
    examples = [_load(p) for p in EXAMPLES]
    rules = {_lot(spec.get("lot")).rule for e in examples for spec in e["items"].values()}
    assert rules == set(LotRule)
    modifiers = {key for e in examples for spec in e["items"].values()
                 for key in (spec.get("lot") or {}) if key in ("minimum", "maximum", "multiple")}
    assert modifiers == {"minimum", "maximum", "multiple"}
    assert any(Decimal(str(s.get("safety_stock", "0"))) > 0
               for e in examples for s in e["items"].values())
    assert any(e.get("receipts") for e in examples)
    assert any(spec.get("level") == 2 for e in examples for spec in e["expect"].values())
    assert any(order["release"] <= 0 for e in examples for spec in e["expect"].values()
               for order in spec.get("orders", ()))
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_records_balance(path: Path) -> None:
    """The files' own arithmetic: projected[t] = projected[t-1] + receipts + planned - gross."""
    example = _load(path)
    for item, expect in example["expect"].items():
        if not {"projected", "planned_receipts", "gross"} <= set(expect):
            continue
        receipts = _decimals(expect["receipts"]) if "receipts" in expect else (
            _receipts_row(example, item))
        balance = Decimal(str(example["items"][item].get("on_hand", "0")))
        for t, (came, planned, went, projected) in enumerate(zip(
                receipts, _decimals(expect["planned_receipts"]), _decimals(expect["gross"]),
                _decimals(expect["projected"]), strict=True)):
            balance += came + planned - went
            assert balance == projected, f"{path.name} {item} period {t + 1}"


def _check_records(example: Example, result: Plan, name: str) -> None:
    periods = int(example["periods"])
    for item, expect in example["expect"].items():
        record = result.records[item]
        for row in ROWS:
            if row in expect:
                assert len(expect[row]) == periods, f"{name} {item} {row}: bad file"
                assert list(getattr(record, row)) == _decimals(expect[row]), (
                    f"{name} {item} {row}")
        if "level" in expect:
            assert record.level == expect["level"], f"{name} {item} level"
        if "past_due_releases" in expect:
            assert record.past_due_releases == Decimal(str(expect["past_due_releases"])), (
                f"{name} {item} past-due releases")


def _peg_name(result: Plan, number: str) -> str:
    """A dependent peg's source as ``ITEM@due-period``; other sources as they are."""
    for order in result.orders:
        if order.number == number:
            return f"{order.item}@{order.due_bucket + 1}"
    return number


def _key(order: PlannedOrder) -> tuple[int, int, Decimal]:
    """An order as the files give it: due period, release period, quantity."""
    return (order.due_bucket + 1, order.release_bucket + 1, order.quantity)


def _check_orders(example: Example, result: Plan, name: str) -> None:
    days = int(example["bucket_days"])
    for item, expect in example["expect"].items():
        if "orders" not in expect:
            continue
        mine = [o for o in result.orders if o.item == item]
        wanted = [(e["due"], e["release"], Decimal(str(e["quantity"]))) for e in expect["orders"]]
        assert Counter(map(_key, mine)) == Counter(wanted), f"{name} {item} planned orders"
        for order in mine:
            assert order.due == _start(example) + dt.timedelta(days=days * order.due_bucket)
            assert order.release == _start(example) + dt.timedelta(
                days=days * order.release_bucket), f"{name} {item} release date"
        left = list(mine)
        for spec, wanted_key in zip(expect["orders"], wanted, strict=True):
            order = next(o for o in left if _key(o) == wanted_key)
            left.remove(order)
            _check_pegs(spec, order, result, f"{name} {item} order {wanted_key}")


def _check_pegs(spec: dict[str, Any], order: PlannedOrder, result: Plan, where: str) -> None:
    if "roots" in spec:
        roots, more = result.roots(order, 100)
        assert not more
        assert {source for source, _ in roots} == set(spec["roots"]), f"{where} roots"
    if "pegs" in spec:
        pegs = Counter[str]()
        for peg in result.pegs(order):
            pegs[_peg_name(result, peg.source)] += peg.quantity
        assert dict(pegs) == {s: Decimal(str(q)) for s, q in spec["pegs"]}, f"{where} pegs"
    if "pegged" in spec:
        assert sum(p.quantity for p in result.pegs(order)) == Decimal(str(spec["pegged"])), (
            f"{where} pegged")


def _expected_exception(example: Example, spec: dict[str, Any], result: Plan) -> tuple[Any, ...]:
    kind = ExceptionKind(spec["kind"])
    quantity = Decimal(str(spec["quantity"]))
    if kind is ExceptionKind.RELEASE_PAST_DUE:
        bucket = int(spec["period"]) - 1
        numbers = [o.number for o in result.orders
                   if o.item == spec["item"] and o.release_bucket == bucket
                   and o.quantity == quantity]
        source = numbers[0] if numbers else "<no such planned order>"
        return (kind.value, spec["item"], source, _period_start(example, int(spec["period"])),
                _start(example), quantity)
    if "to" in spec:
        to: dt.date | None = dt.date.fromisoformat(str(spec["to"]))
    elif "to_period" in spec:
        to = _period_start(example, int(spec["to_period"]))
    else:
        to = None
    return (kind.value, spec["item"], spec["source"], _date(example, spec), to, quantity)


def _check_messages(example: Example, result: Plan, name: str) -> None:
    if "exceptions" in example:
        got = sorted(((e.kind.value, e.item, e.source, e.date, e.to, e.quantity)
                      for e in result.exceptions), key=repr)
        wanted = sorted((_expected_exception(example, s, result) for s in example["exceptions"]),
                        key=repr)
        assert got == wanted, f"{name} exceptions"
    if "shortages" in example:
        got_short = sorted((s.item, s.date, s.quantity) for s in result.shortages)
        wanted_short = sorted((s["item"], dt.date.fromisoformat(str(s["date"])),
                               Decimal(str(s["quantity"]))) for s in example["shortages"])
        assert got_short == wanted_short, f"{name} shortages"
    if "beyond_horizon" in example:
        assert sorted(d.source for d in result.beyond_horizon) == sorted(
            example["beyond_horizon"]), f"{name} beyond the horizon"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_worked_example(path: Path) -> None:
    example = _load(path)
    assert example["schema"] == 1
    result = plan(_request(example))
    _check_records(example, result, path.name)
    _check_orders(example, result, path.name)
    _check_messages(example, result, path.name)
