"""Read ``items.yaml`` and ``warehouses.yaml`` into core values, with file:line problems."""

from __future__ import annotations

import yaml

from bizcli.core.codes import duplicate_codes
from bizcli.core.money import Amount
from bizcli.core.parties import Contact, Party
from bizcli.core.problems import Problem
from bizcli.core.stock.items import Item, ItemKind, Warehouse
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


_PARTY_KEYS = {"code", "name", "contacts", "address", "payment_terms_days", "credit_limit",
               "lead_time_days", "currency", "tags", "fields", "notes"}
_CONTACT_KEYS = {"name", "email", "phone", "role"}


def read_parties(path: str, text: str, what: str) -> tuple[list[Party], list[Problem]]:
    """Parse ``customers.yaml`` or ``suppliers.yaml`` (``what``: customers|suppliers)."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return [], file.problems
    top.unknown_keys({"schema", what})
    found = []
    for node in top.sequence(what):
        entry = Fields.of(file, node, f"a {what[:-1]}")
        if entry is None:
            continue
        entry.unknown_keys(_PARTY_KEYS)
        party = _party(file, entry)
        if party is not None:
            found.append(party)
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
