"""``quantities_on_hand`` arrives at the valuation's quantities without valuing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bizcli.core.money import Amount
from bizcli.core.stock.ledger import quantities_on_hand
from bizcli.core.stock.moves import MoveKind, StockMove
from bizcli.core.stock.valuation import Method, position_at, value_moves

START = dt.date(2026, 1, 1)


@st.composite
def move_lists(draw: st.DrawFn) -> list[StockMove]:
    """Moves that never take more than is on hand, over two items and two warehouses."""
    held: dict[tuple[str, str], int] = {}
    moves = []
    for day in range(draw(st.integers(1, 40))):
        item, where = draw(st.sampled_from(["A", "B"])), draw(st.sampled_from(["W1", "W2"]))
        have = held.get((item, where), 0)
        kind = draw(st.sampled_from(list(MoveKind)))
        other = "W2" if where == "W1" else "W1"
        quantity = draw(st.integers(1, 9))
        date = START + dt.timedelta(days=day // 3)
        cost = Amount(Decimal(draw(st.integers(1, 500))) / 100, "USD")
        if kind is MoveKind.RECEIPT or (kind in (MoveKind.ISSUE, MoveKind.TRANSFER)
                                        and have < quantity):
            move = StockMove(date, MoveKind.RECEIPT, item, Decimal(quantity), "pc", where,
                             unit_cost=cost)
            held[item, where] = have + quantity
        elif kind is MoveKind.ISSUE:
            move = StockMove(date, kind, item, Decimal(quantity), "pc", where)
            held[item, where] = have - quantity
        elif kind is MoveKind.TRANSFER:
            move = StockMove(date, kind, item, Decimal(quantity), "pc", where, other)
            held[item, where] = have - quantity
            held[item, other] = held.get((item, other), 0) + quantity
        elif kind is MoveKind.COUNT:
            move = StockMove(date, kind, item, Decimal(quantity), "pc", where, unit_cost=cost)
            held[item, where] = quantity
        else:
            signed = quantity if have < quantity or draw(st.booleans()) else -quantity
            move = StockMove(date, kind, item, Decimal(signed), "pc", where, unit_cost=cost)
            held[item, where] = have + signed
        moves.append(move)
    return moves


@settings(max_examples=200, deadline=None)
@given(move_lists(), st.integers(0, 14))
def test_the_quantities_of_the_valuation(moves: list[StockMove], days: int) -> None:
    valuation = value_moves(moves, {"A": Method.FIFO, "B": Method.AVERAGE}, places=2)
    assert not valuation.problems
    day = START + dt.timedelta(days=days)
    valued = {k: p.quantity for k, p in position_at(valuation, day).items()}
    assert {k: q for k, q in quantities_on_hand(moves, day).items() if q or k in valued} == (
        valued)
    final = {(p.item, p.warehouse): p.quantity for p in valuation.positions}
    assert {k: q for k, q in quantities_on_hand(moves).items() if q or k in final} == final


def test_the_cache_gives_the_quantities_of_the_moves(example_book: object) -> None:
    """What the loader keeps after the last move, cold and from the cache's columns."""
    from pathlib import Path

    from bizcli.storage.loader import load_book

    assert isinstance(example_book, Path)
    for _ in ("cold", "cached"):
        book, _problems = load_book(example_book, need_stock=True)
        moves = book.stock_moves or ()
        assert moves
        assert book.on_hand_final == quantities_on_hand(moves)
        assert book.last_move_date == max(m.date for m in moves)
