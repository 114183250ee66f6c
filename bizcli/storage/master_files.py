"""Read ``items.yaml`` and ``warehouses.yaml`` into core values, with file:line problems."""

from __future__ import annotations

from decimal import Decimal

import yaml

from bizcli.core.codes import duplicate_codes
from bizcli.core.money import Amount
from bizcli.core.parties import Contact, Party
from bizcli.core.problems import Problem
from bizcli.core.production.lots import LotRule, LotSize
from bizcli.core.stock.items import Item, ItemKind, Warehouse
from bizcli.core.stock.valuation import Method
from bizcli.storage.yaml_reader import Fields, YamlFile

_ITEM_KEYS = {"code", "name", "unit", "kind", "valuation", "cost", "sale_price",
              "reorder_point", "reorder_quantity", "safety_stock", "lead_time_days",
              "supplier", "tax_rate", "lot_size", "lot_quantity", "lot_periods", "lot_min",
              "lot_max", "lot_multiple", "notes"}
_WAREHOUSE_KEYS = {"code", "name", "address", "notes"}


def _entries(path: str, text: str, key: str, what: str,
             allowed: set[str]) -> tuple[YamlFile, list[Fields]]:
    """The mappings listed under ``key`` in a master file, checked for unknown keys."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return file, []
    top.unknown_keys({"schema", key})
    entries = []
    for node in top.sequence(key):
        entry = Fields.of(file, node, what)
        if entry is not None:
            entry.unknown_keys(allowed)
            entries.append(entry)
    return file, entries


def read_items(path: str, text: str, currency: str) -> tuple[list[Item], list[Problem]]:
    """Parse ``items.yaml``; prices and costs are in the book's currency."""
    file, entries = _entries(path, text, "items", "an item", _ITEM_KEYS)
    items = [i for e in entries if (i := _item(file, e, currency)) is not None]
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
                lot=_lot(file, entry), source=entry.source)


def _lot(file: YamlFile, entry: Fields) -> LotSize:
    """The MRP lot-size rule: ``lot_size`` and the keys it needs, with their modifiers."""
    rule = _choice(file, entry, "lot_size", "bad-lot-size", {r.value: r for r in LotRule})
    rule = rule if isinstance(rule, LotRule) else LotRule.LOT_FOR_LOT
    quantity, periods = entry.decimal("lot_quantity"), entry.integer("lot_periods")
    for key, needed in (("lot_quantity", rule is LotRule.FIXED),
                        ("lot_periods", rule is LotRule.PERIODS)):
        if needed and key not in entry.values:
            file.problem(entry.values["lot_size"], "bad-lot-size",
                         f"lot_size {rule.value} needs {key}", f"add '{key}: ...' to the item")
    minimum, maximum = entry.decimal("lot_min"), entry.decimal("lot_max")
    multiple = entry.decimal("lot_multiple")
    given: dict[str, Decimal | int | None] = {
        "lot_quantity": quantity, "lot_min": minimum, "lot_max": maximum,
        "lot_multiple": multiple, "lot_periods": periods}
    for key, value in given.items():
        if value is not None and value <= 0:
            file.problem(entry.values[key], "bad-lot-size", f"{key!r} must be above zero",
                         "give a positive quantity, or leave the key out")
    if minimum is not None and maximum is not None and minimum > maximum:
        file.problem(entry.values["lot_min"], "bad-lot-size",
                     f"lot_min {minimum} is above lot_max {maximum}", "swap or fix them")
    return LotSize(rule=rule, quantity=quantity, periods=periods, minimum=minimum,
                   maximum=maximum, multiple=multiple)


def read_warehouses(path: str, text: str) -> tuple[list[Warehouse], list[Problem]]:
    """Parse ``warehouses.yaml``."""
    file, entries = _entries(path, text, "warehouses", "a warehouse", _WAREHOUSE_KEYS)
    found = []
    for entry in entries:
        code, name = entry.text("code", required=True), entry.text("name", required=True)
        if code is not None and name is not None:
            found.append(Warehouse(code=code, name=name, address=entry.text("address"),
                                   source=entry.source))
    return found, [*file.problems,
                   *duplicate_codes(found, "warehouse", code="duplicate-warehouse")]


_PARTY_KEYS = {"code", "name", "contacts", "address", "payment_terms_days", "credit_limit",
               "lead_time_days", "currency", "tags", "fields", "notes"}
_CONTACT_KEYS = {"name", "email", "phone", "role"}


def read_parties(path: str, text: str, what: str) -> tuple[list[Party], list[Problem]]:
    """Parse ``customers.yaml`` or ``suppliers.yaml`` (``what``: customers|suppliers)."""
    file, entries = _entries(path, text, what, f"a {what[:-1]}", _PARTY_KEYS)
    found = [p for e in entries if (p := _party(file, e)) is not None]
    if what == "customers":
        return found, [*file.problems,
                       *duplicate_codes(found, "customer", code="duplicate-customer")]
    return found, [*file.problems,
                   *duplicate_codes(found, "supplier", code="duplicate-supplier")]


def _party(file: YamlFile, entry: Fields) -> Party | None:
    code, name = entry.text("code", required=True), entry.text("name", required=True)
    contacts = []
    for node in entry.sequence("contacts"):
        person = Fields.of(file, node, "a contact")
        if person is None:
            continue
        person.unknown_keys(_CONTACT_KEYS)
        who = person.text("name", required=True)
        if who is not None:
            contacts.append(Contact(name=who, email=person.text("email"),
                                    phone=person.text("phone"), role=person.text("role")))
    tags = tuple(n.value for n in entry.sequence("tags") if isinstance(n, yaml.ScalarNode))
    extra = entry.mapping("fields")
    fields = tuple((k, extra.text(k) or "") for k in extra.values) if extra else ()
    if code is None or name is None:
        return None
    return Party(code=code, name=name, contacts=tuple(contacts), address=entry.text("address"),
                 payment_terms_days=entry.integer("payment_terms_days"),
                 credit_limit=entry.decimal("credit_limit"),
                 lead_time_days=entry.integer("lead_time_days"),
                 currency=entry.text("currency"), tags=tags, fields=fields,
                 source=entry.source)
