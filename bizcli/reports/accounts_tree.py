"""Turn per-account amounts into report rows: flat or as a tree, clipped at a depth."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from bizcli.core.ledger.accounts import SEPARATOR, parent_names
from bizcli.reports.model import Balance, Row, RowKind, add_balance, clean

Columns = list[dict[str, Decimal]]


def clip(account: str, depth: int | None) -> str:
    """The account's ancestor at ``depth`` (itself when shallower)."""
    if depth is None:
        return account
    return SEPARATOR.join(account.split(SEPARATOR)[:depth])


def merge_by_depth(per_account: Mapping[str, Sequence[Balance]], width: int,
                   depth: int | None) -> dict[str, Columns]:
    """Sum accounts deeper than ``depth`` into their ancestor at that depth."""
    merged: dict[str, Columns] = {}
    for account, columns in per_account.items():
        target = merged.setdefault(clip(account, depth), [{} for _ in range(width)])
        for i, balance in enumerate(columns):
            add_balance(target[i], balance)
    return merged


def account_rows(per_account: Mapping[str, Sequence[Balance]], width: int, *,
                 depth: int | None = None, flat: bool = False,
                 empty: bool = False) -> tuple[list[Row], Columns]:
    """Rows for every account (tree: with inclusive parents), and the grand total."""
    merged = merge_by_depth(per_account, width, depth)
    total: Columns = [{} for _ in range(width)]
    for columns in merged.values():
        for i, balance in enumerate(columns):
            add_balance(total[i], balance)
    if flat:
        names = sorted(merged, key=lambda n: n.split(SEPARATOR))
        rows = [Row(values=(n, *(clean(b) for b in merged[n])), display=n) for n in names
                if empty or any(clean(b) for b in merged[n])]
        return rows, total
    inclusive: dict[str, Columns] = {}
    for account, columns in merged.items():
        if not empty and not any(clean(b) for b in columns):
            continue
        for name in (account, *parent_names(account)):
            target = inclusive.setdefault(name, [{} for _ in range(width)])
            for i, balance in enumerate(columns):
                add_balance(target[i], balance)
    rows = []
    for name in sorted(inclusive, key=lambda n: n.split(SEPARATOR)):
        level = name.count(SEPARATOR)
        short = name.rsplit(SEPARATOR, 1)[-1]
        rows.append(Row(values=(name, *(clean(b) for b in inclusive[name])),
                        depth=level, display=short))
    return rows, total


def total_row(label: str, total: Columns, kind: RowKind = RowKind.TOTAL) -> Row:
    """A total line under account rows."""
    return Row(values=(label, *(clean(b) for b in total)), kind=kind, display=label)
