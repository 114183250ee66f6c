"""Items and warehouses: the master data stock moves refer to."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from bizcli.core.codes import closest
from bizcli.core.money import Amount
from bizcli.core.problems import Problem
from bizcli.core.production.lots import LotSize
from bizcli.core.source import SourceRef
from bizcli.core.stock.moves import StockMove
from bizcli.core.stock.valuation import Method


class ItemKind(str, enum.Enum):
    """What an item is: only stocked, made and bought items have stock."""

    STOCKED = "stocked"
    MADE = "made"
    BOUGHT = "bought"
    SERVICE = "service"


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One line of ``items.yaml``."""

    code: str
    name: str
    unit: str
    kind: ItemKind = ItemKind.STOCKED
    valuation: Method | None = None
    cost: Amount | None = None
    sale_price: Amount | None = None
    reorder_point: Decimal | None = None
    reorder_quantity: Decimal | None = None
    safety_stock: Decimal | None = None
    lead_time_days: int | None = None
    supplier: str | None = None
    tax_rate: Decimal | None = None
    lot: LotSize = field(default_factory=LotSize)
    """How MRP sizes this item's planned orders."""
    source: SourceRef | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Warehouse:
    """One line of ``warehouses.yaml``."""

    code: str
    name: str
    address: str | None = None
    source: SourceRef | None = field(default=None, compare=False)


def check_move_references(moves: Iterable[StockMove], items: Mapping[str, Item],
                          warehouses: Mapping[str, Warehouse]) -> list[Problem]:
    """Every move names a known stocked item in its own unit, and known warehouses."""
    problems: list[Problem] = []
    for move in moves:
        item = items.get(move.item)
        if item is None:
            problems.append(Problem(
                code="unknown-item", source=move.source,
                message=f"item {move.item!r} is not in items.yaml{closest(move.item, items)}",
                hint="add it to items.yaml or fix the code"))
        elif item.kind is ItemKind.SERVICE:
            problems.append(Problem(
                code="service-item-stock", source=move.source,
                message=f"{move.item} is a service item: it has no stock",
                hint="remove the move, or change the item's kind in items.yaml"))
        elif move.unit != item.unit:
            problems.append(Problem(
                code="wrong-unit", source=move.source,
                message=f"{move.item} is counted in {item.unit}, not {move.unit}",
                hint=f"write the quantity in {item.unit}"))
        problems.extend(
            Problem(code="unknown-warehouse", source=move.source,
                    message=f"warehouse {code!r} is not in warehouses.yaml"
                            f"{closest(code, warehouses)}",
                    hint="add it to warehouses.yaml or fix the code")
            for code in (move.warehouse, move.to_warehouse)
            if code is not None and code not in warehouses)
    return problems
