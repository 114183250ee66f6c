"""Read ``biz.yaml`` and ``accounts.yaml`` into core values, with file:line problems."""

from __future__ import annotations

import re

import yaml

from bizcli.core.ledger.accounts import ROLES, Account, AccountType
from bizcli.core.problems import Problem
from bizcli.core.settings import NUMBERING, Settings
from bizcli.core.source import SourceRef
from bizcli.storage.yaml_reader import Fields, YamlFile

_SETTINGS_KEYS = {"schema", "company", "currency", "fiscal_year_start", "lock_date",
                  "accounts", "commodities", "numbering", "crm", "stock"}
_ACCOUNT_KEYS = {"name", "type", "subtype", "code", "note"}


def read_settings(path: str, text: str) -> tuple[Settings | None, list[Problem]]:
    """Parse ``biz.yaml``; None when it cannot be used at all."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return None, file.problems
    top.unknown_keys(_SETTINGS_KEYS)
    company = top.text("company", required=True) or ""
    currency = top.text("currency", required=True) or ""
    if currency and not re.fullmatch(r"[^\s\d\-+.,;@=()\"']+", currency):
        file.problem(top.values["currency"], "bad-commodity",
                     f"{currency!r} cannot be a commodity symbol",
                     "use a code like USD or a symbol like $")
    start = _fiscal_start(file, top)
    roles: dict[str, str] = {}
    role_sources = {}
    role_fields = top.mapping("accounts")
    if role_fields is not None:
        role_fields.unknown_keys(set(ROLES))
        for role in ROLES:
            account = role_fields.text(role)
            if account:
                roles[role] = account
                role_sources[role] = file.ref(role_fields.values[role])
    precisions: dict[str, int] = {}
    commodity_fields = top.mapping("commodities")
    if commodity_fields is not None:
        for name in commodity_fields.values:
            places = commodity_fields.integer(name)
            if places is not None and 0 <= places <= 12:
                precisions[name] = places
            elif places is not None:
                file.problem(commodity_fields.values[name], "bad-number",
                             f"precision of {name} must be 0 to 12", "e.g. USD: 2, JPY: 0")
    valuation, allow_negative = _stock_settings(file, top)
    numbering = _numbering(file, top)
    settings = Settings(company=company, currency=currency, fiscal_year_start=start,
                        numbering=numbering,
                        valuation=valuation, allow_negative_stock=allow_negative,
                        lock_date=top.date("lock_date"), roles=roles,
                        precisions=precisions, source=top.source, role_sources=role_sources)
    return settings, file.problems


def _stock_settings(file: YamlFile, top: Fields) -> tuple[str, bool]:
    """``stock: {valuation: fifo|average, allow_negative: false}``."""
    stock = top.mapping("stock")
    if stock is None:
        return "fifo", False
    stock.unknown_keys({"valuation", "allow_negative"})
    valuation = stock.text("valuation") or "fifo"
    if valuation not in ("fifo", "average"):
        file.problem(stock.values["valuation"], "bad-valuation",
                     f"{valuation!r} is not a valuation method", "use fifo or average")
        valuation = "fifo"
    allow = stock.text("allow_negative") or "false"
    if allow not in ("true", "false"):
        file.problem(stock.values["allow_negative"], "bad-value",
                     f"allow_negative must be true or false, not {allow!r}",
                     "write allow_negative: false")
    return valuation, allow == "true"


def _numbering(file: YamlFile, top: Fields) -> dict[str, str]:
    """``numbering: {sales_order: SO, invoice: INV, ...}``: prefixes of document numbers."""
    fields = top.mapping("numbering")
    if fields is None:
        return {}
    fields.unknown_keys(set(NUMBERING))
    out = {}
    for kind in NUMBERING:
        prefix = fields.text(kind)
        if prefix is None:
            continue
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,9}", prefix):
            out[kind] = prefix
        else:
            file.problem(fields.values[kind], "bad-value", f"the {kind} prefix must be 1 to 10 "
                         f"letters or digits starting with a letter, not {prefix!r}",
                         f"e.g. {kind}: {NUMBERING[kind]}")
    return out


def _fiscal_start(file: YamlFile, top: Fields) -> tuple[int, int]:
    found = top.scalar("fiscal_year_start")
    if found is None:
        return (1, 1)
    value, node = found
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", value.strip())
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1 <= day <= 28:
            return (month, day)
    file.problem(node, "bad-fiscal-year-start",
                 f"fiscal_year_start must be MM-DD with a day from 1 to 28, not {value!r}",
                 "e.g. 01-01 for calendar years, 04-01 for April")
    return (1, 1)


def read_accounts(path: str, text: str) -> tuple[list[Account], list[Problem]]:
    """Parse ``accounts.yaml`` into chart entries."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return [], file.problems
    top.unknown_keys({"schema", "accounts"})
    accounts: list[Account] = []
    for node in top.sequence("accounts"):
        entry = Fields.of(file, node, "an account")
        if entry is None:
            continue
        entry.unknown_keys(_ACCOUNT_KEYS)
        account = _account(file, entry)
        if account is not None:
            accounts.append(account)
    return accounts, file.problems


def account_name_problem(name: str, source: SourceRef | None = None) -> Problem | None:
    """A name hledger and ledger would misread: tabs, ';', double or edge spaces."""
    if name and name == name.strip() and "  " not in name and "\t" not in name and (
            ";" not in name) and "::" not in name and not name.endswith(":"):
        return None
    return Problem(code="bad-account-name", source=source,
                   message=f"account name {name!r} has a tab, ';', two spaces in a row, "
                           "an empty part or spaces at an end",
                   hint="hledger and ledger would misread it; rename it")


def _account(file: YamlFile, entry: Fields) -> Account | None:
    name = entry.text("name", required=True)
    if name is None:
        return None
    problem = account_name_problem(name, file.ref(entry.values["name"]))
    if problem is not None:
        file.problems.append(problem)
        return None
    type_text = entry.text("type")
    account_type = None
    if type_text is not None:
        try:
            account_type = AccountType(type_text)
        except ValueError:
            file.problem(entry.values["type"], "bad-account-type",
                         f"{type_text!r} is not an account type",
                         "use asset, liability, equity, income or expense")
    return Account(name=name, type=account_type, subtype=entry.text("subtype"),
                   code=entry.text("code"), note=entry.text("note"), source=entry.source)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when PyYAML has it (the same text, four times faster)."""


def dump_yaml(data: object) -> str:
    """Deterministic YAML text: keys in the given order, block style, unicode kept."""
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)
