"""Add an account to ``accounts.yaml``, keeping the file's comments and layout."""

from __future__ import annotations

import re
from pathlib import Path

from bizcli.core.ledger.accounts import Account, AccountType, build_chart
from bizcli.core.problems import BizcliError, fail
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.book_files import account_name_problem, dump_yaml, read_accounts
from bizcli.storage.loader import ACCOUNTS_FILE

_ITEM = re.compile(r"^(\s*)- name:", re.MULTILINE)


def account_entry(account: Account, indent: str) -> str:
    """The YAML lines of one account, in the file's list indentation."""
    data: dict[str, str] = {"name": account.name}
    if account.type is not None:
        data["type"] = account.type.value
    for key in ("subtype", "code", "note"):
        value = getattr(account, key)
        if value:
            data[key] = value
    lines = dump_yaml([data]).splitlines()
    return "".join(f"{indent}{line}\n" for line in lines)


def add_account(root: Path, *, name: str, account_type: str | None, subtype: str | None,
                code: str | None, note: str | None) -> str:
    """Validate and append one account under the book lock; returns the lines written."""
    try:
        kind = AccountType(account_type) if account_type else None
    except ValueError:
        raise fail("bad-account-type", f"{account_type!r} is not an account type",
                   hint="use asset, liability, equity, income or expense") from None
    problem = account_name_problem(name)
    if problem is not None:
        raise BizcliError([problem])
    account = Account(name=name, type=kind, subtype=subtype, code=code, note=note)
    with book_lock(root):
        path = root / ACCOUNTS_FILE
        text = path.read_text(encoding="utf-8") if path.exists() else "schema: 1\naccounts:\n"
        existing, problems = read_accounts(ACCOUNTS_FILE, text)
        if problems:
            raise BizcliError(problems)
        if any(a.name == name for a in existing):
            raise fail("duplicate-account", f"{name!r} is already in the chart",
                       hint="'biz accounts' lists the chart")
        _, problems = build_chart([*existing, account])
        if problems:  # about the new account only: the chart was valid before
            raise BizcliError(problems)
        matches = _ITEM.findall(text)
        entry = account_entry(account, matches[-1] if matches else "")
        new_text = text + ("" if text.endswith("\n") else "\n") + entry
        parsed, problems = read_accounts(ACCOUNTS_FILE, new_text)
        if problems or len(parsed) != len(existing) + 1:
            raise fail("unwritable-chart", "accounts.yaml does not end with its accounts "
                       "list, so the new account cannot be appended safely",
                       hint="move 'accounts:' to the end of the file, then try again")
        write_atomic(path, new_text)
    return entry
