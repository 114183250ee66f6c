"""The shape every report returns: titled columns and rows of cells, no formatting."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.money import ZERO

Balance = Mapping[str, Decimal]
"""An amount in several commodities: commodity -> quantity (no zero entries)."""

Cell = str | Decimal | Balance | None


class RowKind(str, enum.Enum):
    """How a row is meant to be read (and styled)."""

    ROW = "row"
    SECTION = "section"
    SUBTOTAL = "subtotal"
    TOTAL = "total"


class ColumnKind(str, enum.Enum):
    """What a column holds."""

    TEXT = "text"
    AMOUNT = "amount"
    NUMBER = "number"


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """A column: a stable ``key`` for JSON/CSV and a ``title`` for people."""

    key: str
    title: str
    kind: ColumnKind = ColumnKind.TEXT


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One line of a report; ``depth`` indents account trees."""

    values: tuple[Cell, ...]
    kind: RowKind = RowKind.ROW
    depth: int = 0
    display: str | None = None
    """What people see in the first column (an indented tree shows short names)."""


class Bar(NamedTuple):
    """One bar of a report's chart: a label, the length it stands for, and its text."""

    label: str
    value: Decimal
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """A report as data: what it is, its columns and rows, and how to show amounts."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    precisions: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    bars: tuple[Bar, ...] = ()
    panels: bool = False
    """On a terminal, draw each section as a panel (a dashboard) rather than one table."""
    """A bar chart drawn under the table in the terminal formats (table, plain)."""


def add_balance(total: dict[str, Decimal], other: Balance, sign: int = 1) -> None:
    """Add ``other`` (times ``sign``) into ``total`` in place."""
    for commodity, quantity in other.items():
        total[commodity] = total.get(commodity, ZERO) + sign * quantity


def clean(balance: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Drop zero commodities; sorted by commodity for stable output."""
    return {c: q for c, q in sorted(balance.items()) if q}

