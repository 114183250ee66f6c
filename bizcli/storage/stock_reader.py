"""Read and write ``stock/YYYY.stock``: one stock move per line, plain text.

    DATE KIND ITEM QUANTITY UNIT WAREHOUSE [-> WAREHOUSE] [@ UNIT-COST] [; key: value, ...]

    2026-01-05 receipt  OAK-BOARD      120 m   MAIN @ 12.50 USD  ; doc: PO-2026-0001
    2026-01-09 issue    OAK-BOARD       15 m   MAIN  ; doc: SO-2026-0007
    2026-01-12 transfer OAK-BOARD       20 m   MAIN -> SHOWROOM
    2026-02-01 count    OAK-BOARD      103 m   MAIN
    2026-02-03 adjust   OAK-BOARD       -2 m   MAIN  ; note: split board

Lines starting with ``;`` or ``#`` are comments. A receipt needs its unit cost; a
count gives the quantity now on hand; only an adjustment is signed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.money import Amount, default_precision, format_amount, format_quantity
from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef
from bizcli.core.stock.moves import MoveKind, StockMove
from bizcli.storage.journal_reader import read_amount

_LINE = re.compile(
    r"(?P<date>\S+)\s+(?P<kind>\S+)\s+(?P<item>\S+)\s+(?P<quantity>\S+)\s+(?P<unit>\S+)"
    r"\s+(?P<warehouse>\S+)(?:\s+->\s+(?P<to>\S+))?(?:\s+@\s+(?P<cost>[^;]+?))?\s*$")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_QUANTITY = re.compile(r"-?\d+(?:\.\d+)?")
_KINDS = {kind.value: kind for kind in MoveKind}
_PLAIN_COST = re.compile(r"(\d+(?:\.\d+)?) ([A-Z]{3})")


@dataclass(slots=True)
class ParsedStock:
    """The moves of one stock file and what was wrong with it."""

    path: str
    moves: list[StockMove] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_stock(path: str, text: str, currency: str) -> ParsedStock:
    """Parse a stock file; every bad line is a problem with its line number."""
    out = ParsedStock(path=path)
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip()[0] in ";#":
            continue
        move = _read_line(path, number, line, currency, out.problems)
        if move is not None:
            out.moves.append(move)
    return out


class _At(NamedTuple):
    """Where a stock line is, and the list its problems go to."""

    problems: list[Problem]
    source: SourceRef
    line: str


def _problem(at: _At, code: str, message: str, hint: str) -> None:
    at.problems.append(Problem(code=code, message=message, hint=hint, source=at.source,
                               excerpt=(at.line,)))


def _read_line(path: str, number: int, line: str, currency: str,
               problems: list[Problem]) -> StockMove | None:
    source = SourceRef(path, number)
    at = _At(problems, source, line)
    body, _, comment = line.partition(";")
    match = _LINE.fullmatch(body.strip())
    if match is None:
        _problem(at, "bad-stock-line", "cannot read this stock move",
                 "write DATE KIND ITEM QUANTITY UNIT WAREHOUSE [-> WAREHOUSE] [@ COST]")
        return None
    fields = match.groupdict()
    found = len(problems)
    date = _date(fields["date"], at)
    kind = _KINDS.get(fields["kind"])
    if kind is None:
        _problem(at, "bad-move-kind", f"{fields['kind']!r} is not a kind "
                 "of stock move", "use receipt, issue, transfer, count or adjust")
    for key in ("item", "warehouse", "to"):
        if fields[key] is not None and not _CODE.fullmatch(fields[key]):
            _problem(at, "bad-code", f"{fields[key]!r} is not a code",
                     "codes are letters, digits and . _ / -, starting with a letter or digit")
    quantity = _quantity(fields["quantity"], kind, at)
    cost = None
    plain = _PLAIN_COST.fullmatch(fields["cost"] or "")
    if plain:  # the common "12.50 USD": no need for the full amount reader
        cost = Amount(Decimal(plain.group(1)), plain.group(2))
    elif fields["cost"]:
        cost, bad = read_amount(fields["cost"], currency)
        for problem in bad:
            _problem(at, problem.code, problem.message,
                     problem.hint or "")
    _check_shape(kind, fields, has_cost=cost is not None, at=at)
    if len(problems) > found or date is None or kind is None or quantity is None:
        return None
    tags = _tags(comment)
    document = next((v for k, v in tags if k == "doc"), "")
    return StockMove(date, kind, fields["item"], quantity, fields["unit"],
                     fields["warehouse"], fields["to"], cost, document, tags, source)


def _date(text: str, at: _At) -> dt.date | None:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    _problem(at, "bad-date", f"{text!r} is not a date",
             "write dates as YYYY-MM-DD")
    return None


def _quantity(text: str, kind: MoveKind | None, at: _At) -> Decimal | None:
    if not _QUANTITY.fullmatch(text):
        _problem(at, "bad-quantity", f"{text!r} is not a quantity",
                 "write a number like 12 or 2.5, without separators")
        return None
    quantity = Decimal(text)
    if kind is not MoveKind.ADJUST and quantity < 0:
        _problem(at, "bad-quantity", f"a {kind.value if kind else 'move'}"
                 " takes a quantity of zero or more", "only an adjust move is signed")
        return None
    if kind is not MoveKind.COUNT and not quantity:
        _problem(at, "bad-quantity", "the quantity is zero",
                 "remove the line, or give the quantity that moved")
        return None
    return quantity


def _check_shape(kind: MoveKind | None, fields: Mapping[str, str | None], *,
                 has_cost: bool, at: _At) -> None:
    if kind is MoveKind.TRANSFER and not fields["to"]:
        _problem(at, "bad-stock-line", "a transfer needs '-> WAREHOUSE'",
                 "write FROM -> TO after the unit")
    elif kind is not MoveKind.TRANSFER and fields["to"]:
        _problem(at, "bad-stock-line", "only a transfer has '->'",
                 "use a transfer to move stock between warehouses")
    if kind is MoveKind.RECEIPT and not has_cost:
        _problem(at, "missing-unit-cost", "a receipt needs its unit cost",
                 "write it after the warehouse, e.g. '@ 12.50 USD'")
    if kind in (MoveKind.ISSUE, MoveKind.TRANSFER) and has_cost:
        _problem(at, "bad-stock-line", f"a {kind.value} is valued at the "
                 "stock's cost and takes no '@'", "remove the '@ ...' part")


def _tags(comment: str) -> tuple[tuple[str, str], ...]:
    tags = []
    for part in comment.split(","):
        key, sep, value = part.partition(":")
        if sep and re.fullmatch(r"\s*[\w-]+", key):
            tags.append((key.strip(), value.strip()))
    return tuple(tags)


def write_move(move: StockMove, precisions: Mapping[str, int]) -> str:
    """One move as a canonical line (fixed columns, so columns line up in a file)."""
    text = (f"{move.date.isoformat()} {move.kind.value:<8} {move.item:<16} "
            f"{format_quantity(move.quantity, 0):>8} {move.unit:<4} {move.warehouse}")
    if move.to_warehouse:
        text += f" -> {move.to_warehouse}"
    if move.unit_cost is not None:
        commodity = move.unit_cost.commodity
        places = precisions.get(commodity, default_precision(commodity))
        text += " @ " + format_amount(move.unit_cost.quantity, commodity, places)
    if move.tags:
        text += "  ; " + ", ".join(f"{k}: {v}" for k, v in move.tags)
    return text + "\n"


def write_stock(moves: Iterable[StockMove], precisions: Mapping[str, int],
                header: str = "") -> str:
    """A whole stock file: header comment, then the moves in date order (stable)."""
    ordered = sorted(moves, key=lambda m: m.date)
    return header + "".join(write_move(m, precisions) for m in ordered)



class TypedMove(NamedTuple):
    """A stock move as typed on the command line, before the book gives it meaning."""

    kind: str
    item: str
    quantity: str
    warehouse: str
    to: str | None = None
    date: str | None = None
    cost: str | None = None
    doc: str | None = None


def parse_typed_move(typed: TypedMove, *, today: dt.date, currency: str) -> StockMove:
    """Check a typed move as a stock line would be (a bare cost is in ``currency``)."""
    from dataclasses import replace

    from bizcli.core.periods import PeriodError, parse_date
    from bizcli.core.problems import BizcliError, fail

    try:
        day = parse_date(typed.date, today=today) if typed.date else today
    except PeriodError as err:
        raise fail("bad-date", str(err), hint="write the date as YYYY-MM-DD") from None
    text = f"{day.isoformat()} {typed.kind} {typed.item} {typed.quantity} _ {typed.warehouse}"
    text += f" -> {typed.to}" if typed.to else ""
    text += f" @ {typed.cost}" if typed.cost else ""
    text += f"  ; doc: {typed.doc}" if typed.doc else ""
    parsed = read_stock("<arguments>", text, currency)
    if parsed.problems:
        raise BizcliError([replace(p, source=None, excerpt=()) for p in parsed.problems])
    return parsed.moves[0]._replace(unit="", source=None)
