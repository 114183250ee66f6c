"""The dashboard (``biz summary``): where the business stands today, on one screen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial

from bizcli.core.book import Book
from bizcli.core.ledger.accounts import AccountType
from bizcli.core.periods import Period, parse_period
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


def _total(book: Book, keep: Callable[[str], bool], start: dt.date | None, end: dt.date,
           sign: int = 1) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for (account, commodity), quantity in book.balances.between(start, end).items():
        if keep(account):
            add_balance(out, {commodity: sign * quantity})
    return clean(out)


def _profit_and_loss(book: Book, period: Period) -> tuple[Balance, Balance, Balance]:
    chart = book.chart
    assert period.end is not None
    income = _total(book, lambda n: chart.type_of(n) is AccountType.INCOME, period.start,
                    period.end, -1)
    expenses = _total(book, lambda n: chart.type_of(n) is AccountType.EXPENSE, period.start,
                      period.end)
    profit = dict(income)
    add_balance(profit, expenses, -1)
    return income, expenses, clean(profit)


def _has_subtype(book: Book, subtype: str, account: str) -> bool:
    return book.chart.subtype_of(account) == subtype


def summary_report(book: Book, today: dt.date, extra: Sequence[Row] = ()) -> Report:
    """Cash, receivables, payables, and this month against last month.

    ``extra`` rows (the CRM's lines) go at the end.
    """
    chart, end = book.chart, today + dt.timedelta(days=1)
    this_month = parse_period("this month", today=today)
    last_month = parse_period("last month", today=today)
    rows: list[Row] = [Row(values=("Balances", None, None), kind=RowKind.SECTION,
                           display=f"Balances on {today.isoformat()}")]
    for account in sorted(a.name for a in chart.accounts if book.is_cash(a.name)):
        balance = _total(book, account.__eq__, None, end)
        if balance:
            rows.append(Row(values=(account, balance, None), depth=1))
    rows.append(Row(values=("Cash and bank", _total(book, book.is_cash, None, end), None),
                    kind=RowKind.SUBTOTAL))
    for label, subtype, sign in (("Receivables", "receivable", 1), ("Payables", "payable", -1)):
        total = _total(book, partial(_has_subtype, book, subtype), None, end, sign)
        rows.append(Row(values=(label, total, None), kind=RowKind.SUBTOTAL))
    rows.append(Row(values=("Profit and loss", None, None), kind=RowKind.SECTION))
    current = _profit_and_loss(book, Period(start=this_month.start, end=end,
                                            label=this_month.label))
    previous = _profit_and_loss(book, last_month)
    for label, now, before in zip(("Income", "Expenses", "Profit"), current, previous,
                                  strict=True):
        kind = RowKind.SUBTOTAL if label == "Profit" else RowKind.ROW
        rows.append(Row(values=(label, now, before), kind=kind, depth=0))
    rows.extend(extra)
    columns = (Column(key="item", title=book.settings.company or "Summary"),
               Column(key="current", title=f"Now / {this_month.label} to date",
                      kind=ColumnKind.AMOUNT),
               Column(key="previous", title=f"{last_month.label}", kind=ColumnKind.AMOUNT))
    return Report(name="summary", title=f"{book.settings.company} — summary on "
                  f"{today.isoformat()}", columns=columns, rows=tuple(rows),
                  precisions=book.precisions())
