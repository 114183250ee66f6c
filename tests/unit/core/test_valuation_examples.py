"""FIFO and moving-average valuation against worked examples published by others.

Each file in tests/data/valuation/ is one example with its source in the header: a
sequence of receipts and issues, and after some steps the cost of the issue, the
quantity on hand and the value that the SOURCE states. bizcli must give the same.

One source (Odoo's test_average_perpetual_1) values issues at the moving average
rounded to cents; bizcli uses the exact average and rounds the issue's cost once.
Those steps are marked ``convention: rounded-average``: there bizcli's cost must be
within half a cent per unit of the source's, the most that rounding the unit cost
can change it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bizcli.core.money import Amount
from bizcli.core.stock.moves import MoveKind, StockMove
from bizcli.core.stock.valuation import Method, value_moves

EXAMPLES = sorted((Path(__file__).parents[2] / "data" / "valuation").glob("*.yaml"))


def _moves(example: dict[str, object]) -> list[StockMove]:
    currency = str(example["currency"])
    moves = []
    for step in example["steps"]:  # type: ignore[attr-defined]
        cost = step.get("unit_cost")
        moves.append(StockMove(
            dt.date.fromisoformat(step["date"]), MoveKind(step["move"]), "ITEM",
            Decimal(step["quantity"]), "unit", "MAIN",
            unit_cost=Amount(Decimal(cost), currency) if cost else None))
    return moves


def test_there_are_examples_of_both_methods() -> None:
    methods = {yaml.safe_load(p.read_text(encoding="utf-8"))["method"] for p in EXAMPLES}
    assert methods == {"fifo", "average"}
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_worked_example(path: Path) -> None:
    example = yaml.safe_load(path.read_text(encoding="utf-8"))
    valuation = value_moves(_moves(example), {}, places=int(example["precision"]),
                            default=Method(example["method"]))
    assert valuation.problems == ()
    assert len(valuation.moves) == len(example["steps"])
    for number, (step, valued) in enumerate(zip(example["steps"], valuation.moves,
                                                strict=True), start=1):
        expect = step.get("expect") or {}
        where = f"{path.name} step {number}"
        if "cost" in expect:
            cost = -valued.value
            stated = Decimal(expect["cost"])
            if step.get("convention") == "rounded-average":
                bound = Decimal(step["quantity"]) * Decimal("0.005")
                assert abs(cost - stated) <= bound, where
            else:
                assert cost == stated, where
        if "on_hand" in expect:
            assert valued.quantity_after == Decimal(expect["on_hand"]), where
        if "value" in expect:
            assert valued.value_after == Decimal(expect["value"]), where
