"""Financial statements: income statement, balance sheet and cash flow (``biz is|bs|cf``).

Amounts show natural signs: income, liabilities and equity positive when they are
credits, as an accountant reads them (the journal itself keeps debits positive).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from bizcli.core.book import Book
from bizcli.core.ledger.accounts import AccountType
from bizcli.core.ledger.balance_index import BalanceIndex
from bizcli.core.ledger.balances import movements_and_cash_flows
from bizcli.reports.accounts_tree import account_rows
from bizcli.reports.model import (
    Balance,
    Column,
    ColumnKind,
    Report,
    Row,
    RowKind,
    add_balance,
    clean,
)
from bizcli.reports.selection import Selection, selected_balances

AMOUNT = (Column(key="account", title="Account"),
          Column(key="amount", title="Amount", kind=ColumnKind.AMOUNT))


def _balances(index: BalanceIndex, start: dt.date | None, end: dt.date | None,
              keep: Callable[[str], bool], sign: int) -> dict[str, list[Balance]]:
    out: dict[str, dict[str, Decimal]] = {}
    for (account, commodity), quantity in index.between(start, end).items():
        if keep(account):
            target = out.setdefault(account, {})
            target[commodity] = target.get(commodity, Decimal(0)) + sign * quantity
    return {account: [balance] for account, balance in out.items()}


def _section(title: str, per_account: dict[str, list[Balance]], selection: Selection,
             rows: list[Row]) -> dict[str, Decimal]:
    """Append a section header, its account rows and its subtotal; return the subtotal."""
    rows.append(Row(values=(title, None), kind=RowKind.SECTION, display=title))
    body, total = account_rows(per_account, 1, depth=selection.depth)
    rows.extend(Row(values=r.values, depth=r.depth + 1, display=r.display) for r in body)
    subtotal = clean(total[0])
    rows.append(Row(values=(f"Total {title.lower()}", subtotal), kind=RowKind.SUBTOTAL,
                    display=f"Total {title.lower()}"))
    return subtotal


def _line(label: str, amount: Balance, kind: RowKind = RowKind.TOTAL) -> Row:
    return Row(values=(label, clean(amount)), kind=kind, display=label)


def _minus(a: Balance, b: Balance) -> dict[str, Decimal]:
    out = dict(a)
    add_balance(out, b, -1)
    return clean(out)


def income_statement(book: Book, selection: Selection) -> Report:
    """Revenue, cost of sales, gross profit, expenses and net profit for the period."""
    chart, movements = book.chart, selected_balances(book, selection)
    start, end = selection.start, selection.end

    def is_cogs(name: str) -> bool:
        return chart.type_of(name) is AccountType.EXPENSE and chart.subtype_of(name) == "cogs"

    def is_expense(name: str) -> bool:
        return chart.type_of(name) is AccountType.EXPENSE and not is_cogs(name)

    rows: list[Row] = []
    revenue = _section("Revenue", _balances(
        movements, start, end, lambda n: chart.type_of(n) is AccountType.INCOME, -1),
        selection, rows)
    cogs = _section("Cost of sales", _balances(movements, start, end, is_cogs, 1),
                    selection, rows)
    gross = _minus(revenue, cogs)
    rows.append(_line("Gross profit", gross))
    expenses = _section("Expenses", _balances(movements, start, end, is_expense, 1),
                        selection, rows)
    rows.append(_line("Net profit", _minus(gross, expenses)))
    return Report(name="income-statement", title=f"Income statement, {selection.label()}",
                  columns=AMOUNT, rows=tuple(rows), precisions=book.precisions())


def balance_sheet(book: Book, selection: Selection) -> Report:
    """Assets, liabilities and equity at the end of the period, with unclosed earnings."""
    chart, movements, end = book.chart, selected_balances(book, selection), selection.end

    def of(kind: AccountType) -> Callable[[str], bool]:
        return lambda name: chart.type_of(name) is kind

    rows: list[Row] = []
    assets = _section("Assets", _balances(movements, None, end, of(AccountType.ASSET), 1),
                      selection, rows)
    liabilities = _section("Liabilities", _balances(
        movements, None, end, of(AccountType.LIABILITY), -1), selection, rows)
    equity_accounts = _balances(movements, None, end, of(AccountType.EQUITY), -1)
    earnings: dict[str, Decimal] = {}
    for kind in (AccountType.INCOME, AccountType.EXPENSE):
        for balance in _balances(movements, None, end, of(kind), -1).values():
            add_balance(earnings, balance[0])
    if clean(earnings):
        equity_accounts["Equity:Current earnings"] = [clean(earnings)]
    equity = _section("Equity", equity_accounts, selection, rows)
    both: dict[str, Decimal] = dict(liabilities)
    add_balance(both, equity)
    rows.append(_line("Total liabilities and equity", both))
    label = f"as of {(end - dt.timedelta(days=1)).isoformat()}" if end else "all dates"
    notes = () if clean(_minus(assets, both)) == {} else (
        ("Assets differ from liabilities and equity: the book converts between commodities "
         "(@ prices) without a conversion account."),)
    return Report(name="balance-sheet", title=f"Balance sheet, {label}", columns=AMOUNT,
                  rows=tuple(rows), precisions=book.precisions(), notes=notes)


def cash_flow_category(book: Book, account: str) -> str:
    """Operating, investing or financing, from the counter-account's type and subtype."""
    subtype = book.chart.subtype_of(account)
    if subtype == "fixed":
        return "Investing"
    if subtype == "long-term" or book.chart.type_of(account) is AccountType.EQUITY:
        return "Financing"
    return "Operating"


def _in_category(book: Book, category: str, account: str) -> bool:
    return cash_flow_category(book, account) == category


def _cash_total(book: Book, end: dt.date | None) -> dict[str, Decimal]:
    """Balance of all cash accounts together at the start of ``end`` (None: at the end)."""
    total: dict[str, Decimal] = {}
    for balance in _balances(book.balances, None, end, book.is_cash, 1).values():
        add_balance(total, balance[0])
    return total


def _selected_flows(book: Book, selection: Selection) -> BalanceIndex:
    """Cash flows of the counter-accounts (or tagged transactions) the query selects."""
    query = selection.query
    if not query.needs_transactions:
        return book.cash_flows.select(query.matches_account)
    chosen = [t for t in book.transactions or () if any(query.matches_posting(t, p)
                                                       for p in t.postings)]
    _, flows = movements_and_cash_flows(chosen, book.is_cash)
    return BalanceIndex.from_movements(flows).select(query.matches_account)


def cash_flow(book: Book, selection: Selection) -> Report:
    """Cash at the start, cash moved per counter-account by category, cash at the end.

    The beginning and end are the cash accounts' real balances. Cash that moved without
    a non-cash counter-account (a conversion between two cash accounts in different
    currencies), or for counter-accounts outside the query, is shown on its own line,
    so the statement always adds up.
    """
    start, end = selection.start, selection.end
    opening = _cash_total(book, start) if start else {}
    closing = _cash_total(book, end)
    rows: list[Row] = [_line("Cash at the beginning", opening, RowKind.SUBTOTAL)]
    flows = _selected_flows(book, selection)
    shown: dict[str, Decimal] = {}
    for category in ("Operating", "Investing", "Financing"):
        per_account = _balances(flows, start, end, partial(_in_category, book, category), 1)
        add_balance(shown, _section(f"{category} activities", per_account, selection, rows))
    other = _minus(_minus(closing, opening), shown)
    if other:
        label = ("Other cash movements (outside the query)" if not selection.query.is_empty
                 else "Conversions between cash accounts")
        rows.append(_line(label, other, RowKind.ROW))
    rows.append(_line("Net change in cash", _minus(closing, opening)))
    rows.append(_line("Cash at the end", closing))
    return Report(name="cash-flow", title=f"Cash flow, {selection.label()}", columns=AMOUNT,
                  rows=tuple(rows), precisions=book.precisions())
