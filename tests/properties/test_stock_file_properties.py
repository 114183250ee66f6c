"""Stock files: what bizcli writes reads back as the same moves, and writes the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bizcli.core.money import Amount
from bizcli.core.stock.moves import MoveKind, StockMove
from bizcli.storage.stock_reader import read_stock, write_stock

codes = st.builds(lambda first, rest: first + rest,
                  st.sampled_from("ABCOXZ019"),
                  st.text(alphabet="ABKOZ0189._/-", max_size=10))
quantities = st.integers(1, 10**6).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def moves(draw: st.DrawFn) -> StockMove:
    kind = draw(st.sampled_from(list(MoveKind)))
    quantity = draw(quantities)
    if kind is MoveKind.ADJUST and draw(st.booleans()):
        quantity = -quantity
    cost = None
    if kind is MoveKind.RECEIPT or (kind in (MoveKind.COUNT, MoveKind.ADJUST)
                                    and draw(st.booleans())):
        cost = Amount(Decimal(draw(st.integers(1, 10**6))).scaleb(-2), "USD")
    doc = draw(st.one_of(st.just(""), codes))
    return StockMove(draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))), kind,
                     draw(codes), quantity, draw(st.sampled_from(["m", "pc", "kg"])),
                     draw(codes), draw(codes) if kind is MoveKind.TRANSFER else None, cost,
                     doc, (("doc", doc),) if doc else ())


@given(st.lists(moves(), max_size=20))
def test_a_written_stock_file_reads_back_the_same(written: list[StockMove]) -> None:
    text = write_stock(written, {"USD": 2}, header="; stock\n")
    parsed = read_stock("t.stock", text, "USD")
    assert parsed.problems == []
    assert [m._replace(source=None) for m in parsed.moves] == sorted(
        written, key=lambda m: m.date)
    assert write_stock(parsed.moves, {"USD": 2}, header="; stock\n") == text
