"""Stock moves: what came in, went out, moved between warehouses or was counted.

Moves are kept in ``stock/YYYY.stock``, one per line, in the order they happened; the
valuation is a fold over them in (date, file order).
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.money import Amount
from bizcli.core.source import SourceRef


class MoveKind(str, enum.Enum):
    """The five kinds of stock move."""

    RECEIPT = "receipt"
    """Goods in (from a supplier, production, or an opening balance), at a unit cost."""
    ISSUE = "issue"
    """Goods out (to a customer, production or scrap), at the valuation cost."""
    TRANSFER = "transfer"
    """From one warehouse to another, at the valuation cost."""
    COUNT = "count"
    """A stock take: the quantity now on hand; the difference is received or issued."""
    ADJUST = "adjust"
    """A signed correction of the quantity on hand."""


class StockMove(NamedTuple):
    """One line of a stock file. ``quantity`` is positive except for ``adjust``."""

    date: dt.date
    kind: MoveKind
    item: str
    quantity: Decimal
    unit: str
    warehouse: str
    to_warehouse: str | None = None
    unit_cost: Amount | None = None
    document: str = ""
    tags: tuple[tuple[str, str], ...] = ()
    source: SourceRef | None = None
