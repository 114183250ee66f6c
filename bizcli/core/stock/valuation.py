"""Value stock moves with FIFO or moving average cost, as one pure fold.

Per item and warehouse the fold keeps the quantity on hand and its value. Money is
rounded once, where it is derived, half-up to the currency's precision: a receipt's
value (quantity x unit cost) when it arrives, the cost of an issue when it leaves.
Nothing else is rounded, so received value = issued cost + value on hand, exactly.

- FIFO keeps layers (quantity, value) in arrival order; an issue takes the oldest
  first, a part of a layer at that layer's value pro rata.
- Moving average keeps one pool; an issue takes value x issued / on hand (all of the
  value when it empties the pool).
A transfer moves the cost it takes out of one warehouse into the other (FIFO keeps
the layers). A count or an adjustment that adds stock needs a unit cost: the one on
the line, else the current average of that item in that warehouse.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.money import ZERO, round_half_up
from bizcli.core.problems import Problem
from bizcli.core.stock.moves import MoveKind, StockMove


class Method(str, enum.Enum):
    """How issues are costed."""

    FIFO = "fifo"
    AVERAGE = "average"


class ValuedMove(NamedTuple):
    """A move's effect on one warehouse: the change there, and what is on hand after.

    Quantity and value are signed changes. A transfer has two: out of one warehouse
    and into the other.
    """

    move: StockMove
    warehouse: str
    quantity: Decimal
    value: Decimal
    quantity_after: Decimal
    value_after: Decimal


@dataclass(slots=True)
class _Position:
    """Stock of one item in one warehouse during the fold."""

    quantity: Decimal = ZERO
    value: Decimal = ZERO
    layers: deque[list[Decimal]] = field(default_factory=deque)

    def add(self, quantity: Decimal, value: Decimal, layers: Iterable[list[Decimal]] = ()
            ) -> None:
        was_short = self.quantity < 0
        self.quantity += quantity
        self.value += value
        self.layers.extend(list(layers) or [[quantity, value]])
        if was_short:  # after allowed negative stock: one pool until it is whole again
            self.layers = deque([[self.quantity, self.value]])

    def take(self, quantity: Decimal, method: Method, places: int
             ) -> tuple[Decimal, list[list[Decimal]]]:
        """Remove ``quantity``; return its cost and the layers it came from."""
        if quantity == self.quantity:
            cost, taken = self.value, list(self.layers)
            self.quantity, self.value, self.layers = ZERO, ZERO, deque()
            return cost, taken
        if method is Method.AVERAGE:
            cost = round_half_up(self.value * quantity / self.quantity, places)
            self.layers = deque([[self.quantity - quantity, self.value - cost]])
            taken = [[quantity, cost]]
        else:
            cost, taken = self._take_layers(quantity, places)
        self.quantity -= quantity
        self.value -= cost
        return cost, taken

    def _take_layers(self, quantity: Decimal, places: int
                     ) -> tuple[Decimal, list[list[Decimal]]]:
        cost, taken, left = ZERO, [], quantity
        while left:
            layer = self.layers[0]
            if layer[0] <= left:
                self.layers.popleft()
                taken.append(layer)
                cost += layer[1]
                left -= layer[0]
            else:
                part = round_half_up(layer[1] * left / layer[0], places)
                layer[0] -= left
                layer[1] -= part
                taken.append([left, part])
                cost += part
                left = ZERO
        return cost, taken

    def unit_cost(self) -> Decimal | None:
        """Current average unit cost, unrounded; None when nothing is on hand."""
        return self.value / self.quantity if self.quantity else None


@dataclass(frozen=True, slots=True, kw_only=True)
class StockPosition:
    """What one item in one warehouse is at the end of the fold."""

    item: str
    warehouse: str
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Valuation:
    """The valued moves in order, the final positions, and any refused move."""

    moves: tuple[ValuedMove, ...]
    positions: tuple[StockPosition, ...]
    problems: tuple[Problem, ...] = ()


def value_moves(moves: Iterable[StockMove], methods: Mapping[str, Method], *,
                places: int, default: Method = Method.FIFO,
                allow_negative: bool = False) -> Valuation:
    """Fold the moves (already in date, then file, order) into values and positions."""
    positions: dict[tuple[str, str], _Position] = {}
    valued: list[ValuedMove] = []
    problems: list[Problem] = []
    for move in moves:
        method = methods.get(move.item, default)
        here = positions.setdefault((move.item, move.warehouse), _Position())
        before = here.quantity
        outcome = _apply(move, here, positions, _Rules(method, places, allow_negative))
        if isinstance(outcome, Problem):
            problems.append(outcome)
            continue
        valued.append(ValuedMove(move, move.warehouse, here.quantity - before, outcome,
                                 here.quantity, here.value))
        if move.kind is MoveKind.TRANSFER and move.to_warehouse:
            there = positions[move.item, move.to_warehouse]
            valued.append(ValuedMove(move, move.to_warehouse, move.quantity, -outcome,
                                     there.quantity, there.value))
    final = tuple(StockPosition(item=i, warehouse=w, quantity=p.quantity, value=p.value)
                  for (i, w), p in sorted(positions.items()))
    return Valuation(moves=tuple(valued), positions=final, problems=tuple(problems))


class _Rules(NamedTuple):
    method: Method
    places: int
    allow_negative: bool


def _apply(move: StockMove, here: _Position, positions: dict[tuple[str, str], _Position],
           rules: _Rules) -> Decimal | Problem:
    """Apply one move; return the change of value at its warehouse, or why it cannot."""
    method, places, allow_negative = rules
    change = move.quantity
    if move.kind is MoveKind.COUNT:
        change = move.quantity - here.quantity
    elif move.kind in (MoveKind.ISSUE, MoveKind.TRANSFER):
        change = -move.quantity
    if change >= 0:
        if move.kind is MoveKind.TRANSFER:  # pragma: no cover - quantities are positive
            return ZERO
        return _receive(move, here, change, places)
    if -change > here.quantity and not allow_negative:
        return _short(move, here.quantity, -change)
    if -change > here.quantity:
        return _issue_past_zero(here, -change, places)
    cost, layers = here.take(-change, method, places)
    if move.kind is MoveKind.TRANSFER and move.to_warehouse:
        there = positions.setdefault((move.item, move.to_warehouse), _Position())
        there.add(move.quantity, cost, layers if method is Method.FIFO else ())
    return -cost


def _receive(move: StockMove, here: _Position, quantity: Decimal,
             places: int) -> Decimal | Problem:
    if not quantity:
        return ZERO
    unit = move.unit_cost.quantity if move.unit_cost is not None else here.unit_cost()
    if unit is None:
        return Problem(
            code="missing-unit-cost", source=move.source,
            message=f"{move.kind.value} of {quantity} {move.unit} {move.item} into "
                    f"{move.warehouse} needs a unit cost: none is on hand to take it from",
            hint="write the unit cost on the line, e.g. '@ 12.50 USD'")
    value = round_half_up(quantity * unit, places)
    here.add(quantity, value)
    return value


def _issue_past_zero(here: _Position, quantity: Decimal, places: int) -> Decimal:
    """Allowed negative stock: the shortfall is costed at the last known unit cost."""
    unit = here.unit_cost() or ZERO
    cost = round_half_up(quantity * unit, places)
    here.quantity -= quantity
    here.value -= cost
    here.layers = deque([[here.quantity, here.value]])
    return -cost


def _short(move: StockMove, on_hand: Decimal, wanted: Decimal) -> Problem:
    return Problem(
        code="negative-stock", source=move.source,
        message=f"{move.date}: cannot take {wanted} {move.unit} of {move.item} out of "
                f"{move.warehouse}: {on_hand} {move.unit} on hand",
        hint="receive the goods first (or date this move later), or correct the quantity")


def position_at(valuation: Valuation, day: dt.date) -> dict[tuple[str, str], StockPosition]:
    """Quantity and value of each item and warehouse at the end of ``day``."""
    out: dict[tuple[str, str], StockPosition] = {}
    for valued in valuation.moves:
        move = valued.move
        if move.date > day:
            break
        out[move.item, valued.warehouse] = StockPosition(
            item=move.item, warehouse=valued.warehouse, quantity=valued.quantity_after,
            value=valued.value_after)
    return out
