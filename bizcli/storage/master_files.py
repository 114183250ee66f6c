"""Read ``items.yaml`` and ``warehouses.yaml`` into core values, with file:line problems."""

from __future__ import annotations

from bizcli.core.money import Amount
from bizcli.core.problems import Problem
from bizcli.core.stock.items import Item, ItemKind, Warehouse, duplicate_codes
from bizcli.core.stock.valuation import Method
from bizcli.storage.yaml_reader import Fields, YamlFile

_ITEM_KEYS = {"code", "name", "unit", "kind", "valuation", "cost", "sale_price",
              "reorder_point", "reorder_quantity", "safety_stock", "lead_time_days",
              "supplier", "tax_rate", "bom", "notes"}
_WAREHOUSE_KEYS = {"code", "name", "address", "notes"}


def read_items(path: str, text: str, currency: str) -> tuple[list[Item], list[Problem]]:
    """Parse ``items.yaml``; prices and costs are in the book's currency."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return [], file.problems
    top.unknown_keys({"schema", "items"})
    items = []
    for node in top.sequence("items"):
        entry = Fields.of(file, node, "an item")
        if entry is None:
            continue
        entry.unknown_keys(_ITEM_KEYS)
        item = _item(file, entry, currency)
        if item is not None:
            items.append(item)
    return items, [*file.problems, *duplicate_codes(items, "item", code="duplicate-item")]


def _choice(file: YamlFile, entry: Fields, key: str, code: str,
            choices: dict[str, object]) -> object:
    text = entry.text(key)
    if text is None:
        return None
    if text not in choices:
        file.problem(entry.values[key], code, f"{text!r} is not a valid {key}",
                     "use one of: " + ", ".join(choices))
    return choices.get(text)


def _money(entry: Fields, key: str, currency: str) -> Amount | None:
    value = entry.decimal(key)
    return None if value is None else Amount(value, currency)


def _item(file: YamlFile, entry: Fields, currency: str) -> Item | None:
    code, name, unit = (entry.text(k, required=True) for k in ("code", "name", "unit"))
    kind = _choice(file, entry, "kind", "bad-item-kind", {k.value: k for k in ItemKind})
    method = _choice(file, entry, "valuation", "bad-valuation", {m.value: m for m in Method})
    if code is None or name is None or unit is None:
        return None
    return Item(code=code, name=name, unit=unit,
                kind=kind if isinstance(kind, ItemKind) else ItemKind.STOCKED,
                valuation=method if isinstance(method, Method) else None,
                cost=_money(entry, "cost", currency),
                sale_price=_money(entry, "sale_price", currency),
                reorder_point=entry.decimal("reorder_point"),
                reorder_quantity=entry.decimal("reorder_quantity"),
                safety_stock=entry.decimal("safety_stock"),
                lead_time_days=entry.integer("lead_time_days"),
                supplier=entry.text("supplier"), tax_rate=entry.decimal("tax_rate"),
                source=entry.source)


def read_warehouses(path: str, text: str) -> tuple[list[Warehouse], list[Problem]]:
    """Parse ``warehouses.yaml``."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return [], file.problems
    top.unknown_keys({"schema", "warehouses"})
    found = []
    for node in top.sequence("warehouses"):
        entry = Fields.of(file, node, "a warehouse")
        if entry is None:
            continue
        entry.unknown_keys(_WAREHOUSE_KEYS)
        code, name = entry.text("code", required=True), entry.text("name", required=True)
        if code is not None and name is not None:
            found.append(Warehouse(code=code, name=name, address=entry.text("address"),
                                   source=entry.source))
    return found, [*file.problems,
                   *duplicate_codes(found, "warehouse", code="duplicate-warehouse")]
