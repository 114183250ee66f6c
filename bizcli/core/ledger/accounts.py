"""The chart of accounts: names in a colon hierarchy, each with a type.

The chart is the list of accounts a book may post to. Types are inherited from the
nearest listed ancestor, so a chart lists ``type`` on its top-level accounts only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef


class AccountType(str, enum.Enum):
    """The five classes of double-entry accounts."""

    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"


# Subtypes refine reports: cash accounts drive the cash flow statement, fixed assets
# and long-term liabilities are investing and financing flows, cogs gives gross margin.
SUBTYPES: Mapping[AccountType, frozenset[str]] = {
    AccountType.ASSET: frozenset({"cash", "receivable", "inventory", "fixed", "current"}),
    AccountType.LIABILITY: frozenset({"payable", "long-term", "current", "tax"}),
    AccountType.EQUITY: frozenset({"retained"}),
    AccountType.INCOME: frozenset({"other"}),
    AccountType.EXPENSE: frozenset({"cogs", "other"}),
}

ROLES: tuple[str, ...] = (
    "bank", "cash", "receivable", "payable", "inventory", "grni", "cogs", "sales",
    "output_tax", "input_tax", "wip", "adjustments", "retained_earnings", "opening_balances",
    "price_variance", "absorbed",
)

SEPARATOR = ":"
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """One account of the chart as written in ``accounts.yaml``."""

    name: str
    type: AccountType | None = None
    subtype: str | None = None
    code: str | None = None
    note: str | None = None
    source: SourceRef | None = field(default=None, compare=False)


def parent_names(name: str) -> list[str]:
    """Ancestors of an account, nearest first: ``A:B:C`` -> ``["A:B", "A"]``."""
    parts = name.split(SEPARATOR)
    return [SEPARATOR.join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Chart:
    """The accounts a book may post to, with resolved types and subtypes."""

    accounts: tuple[Account, ...]
    types: Mapping[str, AccountType] = field(default_factory=dict)
    subtypes: Mapping[str, str] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.types

    def type_of(self, name: str) -> AccountType | None:
        """Type of an account in the chart or of its nearest listed ancestor."""
        if name in self.types:
            return self.types[name]
        for parent in parent_names(name):
            if parent in self.types:
                return self.types[parent]
        return None

    def subtype_of(self, name: str) -> str | None:
        """Subtype of an account, inherited from the nearest ancestor that has one."""
        for candidate in (name, *parent_names(name)):
            if candidate in self.subtypes:
                return self.subtypes[candidate]
        return None

    def names(self) -> list[str]:
        """Account names in chart order."""
        return [a.name for a in self.accounts]


def build_chart(accounts: Iterable[Account]) -> tuple[Chart, list[Problem]]:
    """Resolve inherited types and subtypes, reporting duplicates and untyped accounts."""
    listed: dict[str, Account] = {}
    problems: list[Problem] = []
    for account in accounts:
        if account.name in listed:
            problems.append(Problem(
                code="duplicate-account", source=account.source,
                message=f"account {account.name!r} is listed twice",
                hint=f"keep one entry (the first is at {listed[account.name].source})"))
            continue
        listed[account.name] = account
    types: dict[str, AccountType] = {}
    subtypes: dict[str, str] = {}
    for name, account in sorted(listed.items(), key=lambda kv: kv[0].count(SEPARATOR)):
        resolved = account.type or _inherited(name, types)
        if resolved is None:
            problems.append(Problem(
                code="untyped-account", source=account.source,
                message=f"account {name!r} has no type and no typed parent",
                hint="add 'type: asset|liability|equity|income|expense' to it or its parent"))
            continue
        types[name] = resolved
        if account.subtype is not None and account.subtype not in SUBTYPES[resolved]:
            allowed = ", ".join(sorted(SUBTYPES[resolved]))
            problems.append(Problem(
                code="unknown-subtype", source=account.source,
                message=f"account {name!r}: {account.subtype!r} is not "
                        f"{'an' if resolved.value[0] in 'aeiou' else 'a'} {resolved.value} subtype",
                hint=f"use one of: {allowed}"))
        subtype = account.subtype or _inherited(name, subtypes)
        if subtype is not None:
            subtypes[name] = subtype
    return Chart(accounts=tuple(listed.values()), types=types, subtypes=subtypes), problems


def _inherited(name: str, table: Mapping[str, _T]) -> _T | None:
    for parent in parent_names(name):
        if parent in table:
            return table[parent]
    return None
