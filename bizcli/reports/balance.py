"""Balance and trial balance reports (``biz bal``, ``biz tb``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.ledger.balance_index import BalanceIndex
from bizcli.core.periods import Period, fiscal_year, fiscal_year_of, split_period
from bizcli.reports.accounts_tree import account_rows, total_row
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind, add_balance, clean
from bizcli.reports.selection import Selection, selected_balances

Span = tuple[dt.date | None, dt.date | None]


def _per_account(balances: BalanceIndex, periods: list[Span]
                 ) -> dict[str, list[dict[str, Decimal]]]:
    width = len(periods)
    out: dict[str, list[dict[str, Decimal]]] = {}
    for i, (start, end) in enumerate(periods):
        for (account, commodity), quantity in balances.between(start, end).items():
            columns = out.setdefault(account, [{} for _ in range(width)])
            columns[i][commodity] = columns[i].get(commodity, Decimal(0)) + quantity
    return out


def balance_report(book: Book, selection: Selection, *, interval: str | None = None,
                   flat: bool = False, empty: bool = False) -> Report:
    """Balance change per account over the period (in columns per interval if asked)."""
    balances = selected_balances(book, selection)
    periods, titles = _columns(book, selection, balances, interval)
    per_account = _per_account(balances, periods)
    rows, total = account_rows(per_account, len(periods), depth=selection.depth, flat=flat,
                               empty=empty)
    columns = [Column(key="account", title="Account")]
    columns += [Column(key=key, title=title, kind=ColumnKind.AMOUNT) for key, title in titles]
    if len(periods) > 1:
        columns.append(Column(key="total", title="Total", kind=ColumnKind.AMOUNT))
        rows = [_with_total(r) for r in rows]
        grand: dict[str, Decimal] = {}
        for balance in total:
            add_balance(grand, balance)
        total = [*total, grand]
    rows.append(total_row("Total", total))
    return Report(name="balance", title=f"Balance changes, {selection.label()}",
                  columns=tuple(columns), rows=tuple(rows), precisions=book.precisions())


def _with_total(row: Row) -> Row:
    total: dict[str, Decimal] = {}
    for value in row.values[1:]:
        if isinstance(value, dict):
            add_balance(total, value)
    return Row(values=(*row.values, clean(total)), kind=row.kind, depth=row.depth,
               display=row.display)


def _columns(book: Book, selection: Selection, balances: BalanceIndex,
             interval: str | None) -> tuple[list[Span], list[tuple[str, str]]]:
    """One column for the period, or one per month/quarter/year of it."""
    single: tuple[list[Span], list[tuple[str, str]]] = (
        [(selection.start, selection.end)], [("balance", "Balance")])
    first, last = balances.first_date(), balances.last_date()
    if interval is None or first is None or last is None:
        return single
    fiscal = book.settings.fiscal_year_start
    start = selection.start or _enclosing(first, interval, fiscal).start
    end = selection.end or _enclosing(last, interval, fiscal).end
    if start is None or end is None or start >= end:
        return single
    pieces = split_period(Period(start=start, end=end, label=""), interval,
                          fiscal_year_start=book.settings.fiscal_year_start)
    return [(p.start, p.end) for p in pieces], [(p.label, p.label) for p in pieces]


def _enclosing(day: dt.date, interval: str, fiscal: tuple[int, int]) -> Period:
    """The whole month, quarter or (fiscal) year that contains ``day``."""
    year = fiscal_year(fiscal_year_of(day, fiscal), fiscal)
    pieces = split_period(year, interval, fiscal_year_start=fiscal)
    return next(p for p in pieces if p.contains(day))


def trial_balance_report(book: Book, selection: Selection) -> Report:
    """Debit and credit balance of every account at the end of the period."""
    per_account = _per_account(selected_balances(book, selection), [(None, selection.end)])
    rows, _ = account_rows(per_account, 1, depth=selection.depth, flat=True)
    debit_total: dict[str, Decimal] = {}
    credit_total: dict[str, Decimal] = {}
    out = []
    for row in rows:
        balance = row.values[1]
        assert isinstance(balance, dict)
        debit = {c: q for c, q in balance.items() if q > 0}
        credit = {c: -q for c, q in balance.items() if q < 0}
        add_balance(debit_total, debit)
        add_balance(credit_total, credit)
        out.append(Row(values=(row.values[0], debit, credit), display=row.display))
    out.append(Row(values=("Total", clean(debit_total), clean(credit_total)),
                   kind=RowKind.TOTAL, display="Total"))
    end = selection.end
    label = f"as of {(end - dt.timedelta(days=1)).isoformat()}" if end else "all dates"
    columns = (Column(key="account", title="Account"),
               Column(key="debit", title="Debit", kind=ColumnKind.AMOUNT),
               Column(key="credit", title="Credit", kind=ColumnKind.AMOUNT))
    return Report(name="trial-balance", title=f"Trial balance, {label}", columns=columns,
                  rows=tuple(out), precisions=book.precisions())
