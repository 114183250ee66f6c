"""A state machine of random receipts, issues, transfers, counts and adjustments.

After every step, for both methods: no quantity is negative, the value of what is on
hand plus the cost of everything that left equals the value of everything that came
in (to the cent, since each amount is rounded once), and FIFO's layers add up to the
position they make.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from bizcli.core.money import Amount
from bizcli.core.stock.moves import MoveKind, StockMove
from bizcli.core.stock.valuation import Method, value_moves

WAREHOUSES = ("MAIN", "SHOP")
quantities = st.integers(1, 500).map(Decimal)
costs = st.integers(1, 100_000).map(lambda c: Decimal(c).scaleb(-3))  # 0.001 .. 100.000


class StockMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.moves: list[StockMove] = []
        self.day = dt.date(2026, 1, 1)

    def _add(self, kind: MoveKind, quantity: Decimal, warehouse: str, *,
             to: str | None = None, cost: Decimal | None = None) -> None:
        self.day += dt.timedelta(days=1)
        self.moves.append(StockMove(self.day, kind, "ITEM", quantity, "pc", warehouse, to,
                                    Amount(cost, "USD") if cost is not None else None))

    @rule(quantity=quantities, cost=costs, warehouse=st.sampled_from(WAREHOUSES))
    def receive(self, quantity: Decimal, cost: Decimal, warehouse: str) -> None:
        self._add(MoveKind.RECEIPT, quantity, warehouse, cost=cost)

    @rule(quantity=quantities, warehouse=st.sampled_from(WAREHOUSES))
    def issue(self, quantity: Decimal, warehouse: str) -> None:
        self._add(MoveKind.ISSUE, quantity, warehouse)

    @rule(quantity=quantities, source=st.sampled_from(WAREHOUSES))
    def transfer(self, quantity: Decimal, source: str) -> None:
        target = WAREHOUSES[1 - WAREHOUSES.index(source)]
        self._add(MoveKind.TRANSFER, quantity, source, to=target)

    @rule(quantity=st.integers(0, 600).map(Decimal), warehouse=st.sampled_from(WAREHOUSES))
    def count(self, quantity: Decimal, warehouse: str) -> None:
        self._add(MoveKind.COUNT, quantity, warehouse, cost=Decimal("9.99"))

    @rule(quantity=st.integers(-50, 50).filter(bool).map(Decimal),
          warehouse=st.sampled_from(WAREHOUSES))
    def adjust(self, quantity: Decimal, warehouse: str) -> None:
        self._add(MoveKind.ADJUST, quantity, warehouse, cost=Decimal("7.50"))

    @invariant()
    def value_is_conserved_and_nothing_is_negative(self) -> None:
        for method in Method:
            valuation = value_moves(self.moves, {}, places=2, default=method)
            came_in = sum((v.value for v in valuation.moves if v.value > 0), Decimal(0))
            went_out = -sum((v.value for v in valuation.moves if v.value < 0), Decimal(0))
            on_hand = sum((p.value for p in valuation.positions), Decimal(0))
            assert came_in - went_out == on_hand
            assert all(p.quantity >= 0 and p.value >= 0 for p in valuation.positions)
            # Every move is either valued or refused, and only for lack of stock.
            valued = {id(v.move) for v in valuation.moves}
            assert len(valued) + len(valuation.problems) == len(self.moves)
            assert {p.code for p in valuation.problems} <= {"negative-stock"}

    @invariant()
    def fifo_layers_make_up_each_position(self) -> None:
        from bizcli.core.stock import valuation as module

        positions: dict[tuple[str, str], module._Position] = {}
        rules = module._Rules(Method.FIFO, 2, allow_negative=False)
        for move in self.moves:
            here = positions.setdefault((move.item, move.warehouse), module._Position())
            module._apply(move, here, positions, rules)
        for position in positions.values():
            assert sum((layer[0] for layer in position.layers), Decimal(0)) == position.quantity
            assert sum((layer[1] for layer in position.layers), Decimal(0)) == position.value
            assert all(layer[0] > 0 for layer in position.layers)


StockMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=30,
                                          deadline=None)
TestStockMachine = StockMachine.TestCase
