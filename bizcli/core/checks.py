"""Checks over a whole book; each returns a list of problems and never raises."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bizcli.core.ledger.accounts import Chart
from bizcli.core.ledger.balancing import balance_transaction
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.problems import Problem
from bizcli.core.settings import Settings
from bizcli.core.source import SourceRef


def balance_all(transactions: Iterable[Transaction]) -> tuple[list[Transaction], list[Problem]]:
    """Balance every transaction (filling elided amounts); unbalanced ones are left out."""
    balanced: list[Transaction] = []
    problems: list[Problem] = []
    for txn in transactions:
        filled, found = balance_transaction(txn)
        if found:
            problems.extend(found)
        else:
            balanced.append(filled)
    return balanced, problems


def check_accounts_used(transactions: Iterable[Transaction], chart: Chart) -> list[Problem]:
    """Every posting must go to an account of the chart (reported once per account)."""
    seen: set[str] = set()
    problems: list[Problem] = []
    for txn in transactions:
        for posting in txn.postings:
            account = posting.account
            if account in seen:
                continue
            seen.add(account)
            if account not in chart:
                problems.append(_unknown_account(account, posting.source))
    return problems


def check_first_uses(first_uses: Iterable[Mapping[str, SourceRef | None]],
                     chart: Chart) -> list[Problem]:
    """Every account posted to must be in the chart: reported at its first use."""
    seen: set[str] = set()
    problems: list[Problem] = []
    for uses in first_uses:
        for account, source in uses.items():
            if account in seen:
                continue
            seen.add(account)
            if account not in chart:
                problems.append(_unknown_account(account, source))
    return problems


def _unknown_account(account: str, source: SourceRef | None) -> Problem:
    return Problem(code="unknown-account", source=source,
                   message=f"account {account!r} is not in the chart of accounts",
                   hint=f"add it with: biz account add '{account}' "
                        "(or fix the name; 'biz accounts' lists the chart)")


def check_roles(settings: Settings, chart: Chart) -> list[Problem]:
    """Every role account named in biz.yaml must be in the chart."""
    return [
        Problem(code="unknown-account",
                source=settings.role_sources.get(role, settings.source),
                message=f"the {role} account {account!r} in biz.yaml is not in the chart",
                hint="add it to accounts.yaml or point the role at an existing account")
        for role, account in settings.roles.items() if account not in chart
    ]
