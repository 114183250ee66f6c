"""The dashboard (``biz summary``): where the business stands today, on one screen.

Every figure comes from the journal or the documents: cash and the receivable and
payable accounts from the journal, the overdue part from open invoices and bills past
due, this month against last from the income and expense accounts (cost of sales is
the expense accounts of subtype ``cogs``), the stock value from the inventory account
(which ``biz check`` proves equal to the stock valuation), the orders from what the
sales and purchase documents still owe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from bizcli.core.book import Book
from bizcli.core.documents.backlog import (
    Pending,
    not_billed,
    not_invoiced,
    overdue,
    to_receive,
    to_ship,
)
from bizcli.core.documents.sales import open_invoices
from bizcli.core.ledger.accounts import SEPARATOR, AccountType
from bizcli.core.money import ZERO, round_half_up
from bizcli.core.periods import Period, parse_period
from bizcli.core.production.mrp import Shortage
from bizcli.core.stock.items import ItemKind
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


def _minus(a: Balance, b: Balance) -> dict[str, Decimal]:
    out = dict(a)
    add_balance(out, b, -1)
    return clean(out)


def _profit_and_loss(book: Book, period: Period) -> tuple[Balance, ...]:
    """Revenue, cost of sales, gross margin, other expenses and profit over ``period``."""
    chart = book.chart
    assert period.end is not None

    def is_cogs(name: str) -> bool:
        return chart.type_of(name) is AccountType.EXPENSE and chart.subtype_of(name) == "cogs"

    income = _total(book, lambda n: chart.type_of(n) is AccountType.INCOME, period.start,
                    period.end, -1)
    cogs = _total(book, is_cogs, period.start, period.end)
    expenses = _total(book, lambda n: chart.type_of(n) is AccountType.EXPENSE
                      and not is_cogs(n), period.start, period.end)
    gross = _minus(income, cogs)
    return income, cogs, gross, expenses, _minus(gross, expenses)


def _has_subtype(book: Book, subtype: str, account: str) -> bool:
    return book.chart.subtype_of(account) == subtype


class Alerts(NamedTuple):
    """What the dashboard learns beyond the journal and the documents."""

    below_reorder: Sequence[str] | None = None
    """Items at or below their reorder point (None: not worked out)."""
    shortages: Sequence[Shortage] | None = None
    """MRP shortages (None: not worked out)."""
    open_work_orders: int = 0


def _percent(part: Balance, whole: Balance, currency: str) -> str | None:
    base = whole.get(currency, ZERO)
    if not base:
        return None
    ratio = part.get(currency, ZERO) * 100 / base
    return f"{round_half_up(ratio, 1)}%"


def _named(label: str, codes: Sequence[str], shown: int = 3) -> Row:
    """A count row; people also see the first few codes."""
    more = f", +{len(codes) - shown}" if len(codes) > shown else ""
    listed = f": {', '.join(codes[:shown])}{more}" if codes else ""
    return Row(values=(label, Decimal(len(codes)), None),
               display=f"{label} ({len(codes)}){listed}")


def _pending(label: str, found: Sequence[Pending], book: Book) -> Row:
    value: dict[str, Decimal] = {}
    for p in found:
        add_balance(value, {p.currency: round_half_up(p.value, book.precision(p.currency))})
    return Row(values=(label, clean(value), None), display=f"{label} ({len(found)})")


def summary_report(book: Book, today: dt.date, extra: Sequence[Row] = (),
                   alerts: Alerts | None = None) -> Report:
    """Cash, what is owed, this month against last, stock, orders and production.

    ``extra`` rows (the CRM's lines) go at the end.
    """
    chart, end, currency = book.chart, today + dt.timedelta(days=1), book.settings.currency
    alerts = alerts or Alerts()
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
    owed = {
        "Receivables": overdue(((o.open_amount, o.invoice.due) for o in open_invoices(
            book.sales, book.payments, today)), today),
        "Payables": overdue(((b.total - sum((a for d, a in b.payments if d <= today), ZERO),
                              b.due) for o in book.purchases for b in o.bills
                             if b.date <= today), today),
    }
    for label, subtype, sign in (("Receivables", "receivable", 1), ("Payables", "payable", -1)):
        total = _total(book, partial(_has_subtype, book, subtype), None, end, sign)
        rows.append(Row(values=(label, total, None), kind=RowKind.SUBTOTAL))
        late = owed[label]
        rows.append(Row(values=(f"{label} overdue",
                                {currency: late.amount} if late.amount else {}, None),
                        depth=1, display=f"overdue ({late.documents})"))
    rows.append(Row(values=("Profit and loss", None, None), kind=RowKind.SECTION))
    current = _profit_and_loss(book, Period(start=this_month.start, end=end,
                                            label=this_month.label))
    previous = _profit_and_loss(book, last_month)
    for index, label in enumerate(("Revenue", "Cost of sales", "Gross margin")):
        kind = RowKind.SUBTOTAL if label == "Gross margin" else RowKind.ROW
        rows.append(Row(values=(label, current[index], previous[index]), kind=kind))
    rows.append(Row(values=("Gross margin %", _percent(current[2], current[0], currency),
                            _percent(previous[2], previous[0], currency)), depth=1))
    rows.append(Row(values=("Expenses", current[3], previous[3])))
    rows.append(Row(values=("Profit", current[4], previous[4]), kind=RowKind.SUBTOTAL))
    rows += _stock_rows(book, end, alerts)
    rows += _order_rows(book, today, alerts)
    rows.extend(extra)
    columns = (Column(key="item", title=book.settings.company or "Summary"),
               Column(key="current", title=f"Now / {this_month.label} to date",
                      kind=ColumnKind.AMOUNT),
               Column(key="previous", title=f"{last_month.label}", kind=ColumnKind.AMOUNT))
    return Report(name="summary", title=f"{book.settings.company} — summary on "
                  f"{today.isoformat()}", columns=columns, rows=tuple(rows),
                  precisions=book.precisions(), panels=True)


def _stock_rows(book: Book, end: dt.date, alerts: Alerts) -> list[Row]:
    inventory = book.settings.role("inventory")
    if inventory is None and not book.items:
        return []
    rows = [Row(values=("Stock", None, None), kind=RowKind.SECTION)]
    if inventory is not None:
        value = _total(book, lambda n: n == inventory or n.startswith(inventory + SEPARATOR),
                       None, end)
        rows.append(Row(values=("Stock value", value, None),
                        display=f"Stock value ({inventory})"))
    if alerts.below_reorder is not None:
        low = list(alerts.below_reorder)
        rows.append(_named("At or below reorder point", low))
    return rows


def _order_rows(book: Book, today: dt.date, alerts: Alerts) -> list[Row]:
    if not (book.sales or book.purchases or book.work_orders):
        return []
    services = frozenset(i.code for i in book.items if i.kind is ItemKind.SERVICE)
    rows = [Row(values=("Orders", None, None), kind=RowKind.SECTION),
            _pending("Sales orders to ship", to_ship(book.sales, today, services), book),
            _pending("Shipped, not invoiced", not_invoiced(book.sales, today), book),
            _pending("Purchase orders to receive", to_receive(book.purchases, today), book),
            _pending("Received, not billed", not_billed(book.purchases, today), book)]
    if book.work_orders or book.boms:
        rows.append(Row(values=("Work orders open", Decimal(alerts.open_work_orders), None)))
    if alerts.shortages is not None:
        short = [s.item for s in alerts.shortages]
        rows.append(_named("MRP shortages", short))
    return rows
