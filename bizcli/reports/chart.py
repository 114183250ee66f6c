"""The chart of accounts as a report (``biz accounts``)."""

from __future__ import annotations

from bizcli.core.book import Book
from bizcli.core.ledger.accounts import SEPARATOR
from bizcli.reports.model import Column, Report, Row
from bizcli.reports.selection import Selection

COLUMNS = (
    Column(key="account", title="Account"),
    Column(key="type", title="Type"),
    Column(key="subtype", title="Subtype"),
    Column(key="code", title="Code"),
    Column(key="note", title="Note"),
)


def accounts_report(book: Book, selection: Selection) -> Report:
    """Every account of the chart that the query matches, in name order."""
    chart = book.chart
    names = sorted((a for a in chart.accounts if selection.query.matches_account(a.name)),
                   key=lambda a: a.name.split(SEPARATOR))
    rows = []
    for account in names:
        if selection.depth is not None and account.name.count(SEPARATOR) >= selection.depth:
            continue
        kind = chart.type_of(account.name)
        rows.append(Row(values=(account.name, kind.value if kind else "",
                                chart.subtype_of(account.name) or "", account.code or "",
                                account.note or "")))
    return Report(name="accounts", title="Chart of accounts", columns=COLUMNS,
                  rows=tuple(rows))
