"""Read ``boms.yaml`` and read and write ``production/YYYY.yaml`` (work orders).

``boms.yaml`` is the user's: bizcli only reads it. The work order files are written by
``biz wo`` deterministically (a fixed key order, orders by number), so a ``git diff``
after a command shows exactly what it changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import yaml

from bizcli.core.money import ZERO
from bizcli.core.problems import Problem
from bizcli.core.production.boms import Bom, BomLine, Byproduct
from bizcli.core.production.work_orders import Completion, Use, WorkOrder
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.yaml_reader import Fields, YamlFile

_BOM_KEYS = {"item", "components", "byproducts", "labour", "overhead", "notes"}
_LINE_KEYS = {"item", "quantity", "scrap", "notes"}
_PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")


def read_boms(path: str, text: str) -> tuple[list[Bom], list[Problem]]:
    """Parse ``boms.yaml``: one BOM per made item; scrap is written as a percentage."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return [], file.problems
    top.unknown_keys({"schema", "boms"})
    boms = []
    for node in top.sequence("boms"):
        entry = Fields.of(file, node, "a BOM")
        if entry is None:
            continue
        entry.unknown_keys(_BOM_KEYS)
        item = entry.text("item", required=True)
        components = [c for n in entry.sequence("components")
                      if (c := _component(file, n)) is not None]
        byproducts = []
        for line_node in entry.sequence("byproducts"):
            line = Fields.of(file, line_node, "a by-product")
            if line is None:
                continue
            line.unknown_keys({"item", "quantity", "notes"})
            code, quantity = line.text("item", required=True), line.decimal(
                "quantity", required=True)
            if code is not None and quantity is not None:
                byproducts.append(Byproduct(item=code, quantity=quantity, source=line.source))
        if not entry.sequence("components") and "components" not in entry.values:
            file.problem(entry.node, "missing-key", f"the BOM of {item or '?'} has no "
                         "'components'", "list what one unit consumes under 'components:'")
        if item is not None:
            boms.append(Bom(item=item, components=tuple(components),
                            byproducts=tuple(byproducts),
                            labour=entry.decimal("labour") or ZERO,
                            overhead=entry.decimal("overhead") or ZERO, source=entry.source))
    return boms, file.problems


def _component(file: YamlFile, node: yaml.Node) -> BomLine | None:
    line = Fields.of(file, node, "a component")
    if line is None:
        return None
    line.unknown_keys(_LINE_KEYS)
    code, quantity = line.text("item", required=True), line.decimal("quantity", required=True)
    scrap = ZERO
    found = line.scalar("scrap")
    if found is not None:
        match = _PERCENT.fullmatch(found[0])
        if match is None:
            file.problem(found[1], "bad-number", f"'scrap' must be a percentage like 5%, "
                         f"not {found[0]!r}", "write the scrap allowance as e.g. 2.5%")
        else:
            scrap = Decimal(match.group(1)) / 100
    if code is None or quantity is None:
        return None
    return BomLine(item=code, quantity=quantity, scrap=scrap, source=line.source)


_ORDER_KEYS = {"number", "item", "quantity", "date", "due", "warehouse", "status", "planned",
               "labour", "overhead", "components", "byproducts", "completions", "notes"}
_STATUSES = {"draft", "cancelled"}


def read_work_orders(path: str, text: str) -> tuple[list[WorkOrder], list[Problem]]:
    """Parse a production file; every bad value is a problem with its line."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return [], file.problems
    top.unknown_keys({"schema", "work_orders"})
    orders = []
    for node in top.sequence("work_orders"):
        entry = Fields.of(file, node, "a work order")
        if entry is None:
            continue
        entry.unknown_keys(_ORDER_KEYS)
        order = _work_order(file, entry)
        if order is not None:
            orders.append(order)
    return orders, file.problems


def _uses(file: YamlFile, entry: Fields, key: str, what: str) -> list[Use]:
    out = []
    for node in entry.sequence(key):
        line = Fields.of(file, node, what)
        if line is None:
            continue
        line.unknown_keys({"item", "quantity"})
        item, quantity = line.text("item", required=True), line.decimal("quantity",
                                                                          required=True)
        if item is not None and quantity is not None:
            out.append(Use(item, quantity))
    return out


def _work_order(file: YamlFile, entry: Fields) -> WorkOrder | None:
    number, item = entry.text("number", required=True), entry.text("item", required=True)
    quantity = entry.decimal("quantity", required=True)
    date, due = entry.date("date", required=True), entry.date("due", required=True)
    warehouse = entry.text("warehouse", required=True)
    status = entry.text("status")
    if status is not None and status not in _STATUSES:
        file.problem(entry.values["status"], "bad-value", f"{status!r} is not a work order "
                     "status", "use draft or cancelled, or leave it out (an open order)")
    completions = []
    for node in entry.sequence("completions"):
        done = Fields.of(file, node, "a completion")
        if done is None:
            continue
        done.unknown_keys({"date", "quantity", "consumed", "byproducts", "value"})
        day, made = done.date("date", required=True), done.decimal("quantity", required=True)
        value = done.decimal("value", required=True)
        if day is not None and made is not None and value is not None:
            completions.append(Completion(
                date=day, quantity=made, value=value,
                consumed=tuple(_uses(file, done, "consumed", "a consumed component")),
                byproducts=tuple(_uses(file, done, "byproducts", "a by-product"))))
    components = _uses(file, entry, "components", "a component")
    byproducts = _uses(file, entry, "byproducts", "a by-product")
    if (number is None or item is None or quantity is None or date is None or due is None
            or warehouse is None):
        return None
    return WorkOrder(number=number, item=item, quantity=quantity, date=date, due=due,
                     warehouse=warehouse, components=tuple(components),
                     byproducts=tuple(byproducts), labour=entry.decimal("labour") or ZERO,
                     overhead=entry.decimal("overhead") or ZERO, draft=status == "draft",
                     cancelled=status == "cancelled", completions=tuple(completions),
                     planned=entry.text("planned"), source=entry.source)


def _uses_data(uses: Iterable[Use]) -> list[dict[str, str]]:
    return [{"item": u.item, "quantity": f"{u.quantity}"} for u in uses]


def write_work_orders(orders: Iterable[WorkOrder]) -> str:
    """A whole production file, orders by number, keys in a fixed order."""
    data = []
    for order in sorted(orders, key=lambda o: o.number):
        entry: dict[str, object] = {
            "number": order.number, "item": order.item, "quantity": f"{order.quantity}",
            "date": order.date.isoformat(), "due": order.due.isoformat(),
            "warehouse": order.warehouse}
        if order.cancelled or order.draft:
            entry["status"] = "cancelled" if order.cancelled else "draft"
        if order.planned:
            entry["planned"] = order.planned
        if order.labour:
            entry["labour"] = f"{order.labour}"
        if order.overhead:
            entry["overhead"] = f"{order.overhead}"
        entry["components"] = _uses_data(order.components)
        if order.byproducts:
            entry["byproducts"] = _uses_data(order.byproducts)
        if order.completions:
            entry["completions"] = [{
                "date": c.date.isoformat(), "quantity": f"{c.quantity}",
                "consumed": _uses_data(c.consumed),
                **({"byproducts": _uses_data(c.byproducts)} if c.byproducts else {}),
                "value": f"{c.value}"} for c in order.completions]
        data.append(entry)
    return ("# Work orders, written by biz wo (edit with care: biz check validates). "
            "Components and\n# by-products are per unit made, scrap included.\n"
            + dump_yaml({"schema": 1, "work_orders": data}))
