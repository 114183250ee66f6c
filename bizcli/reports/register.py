"""The register: every matching posting with a running total (``biz reg``)."""

from __future__ import annotations

from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.money import ZERO
from bizcli.reports.model import Column, ColumnKind, Report, Row, clean
from bizcli.reports.selection import Selection

COLUMNS = (
    Column(key="date", title="Date"),
    Column(key="code", title="Code"),
    Column(key="description", title="Description"),
    Column(key="account", title="Account"),
    Column(key="amount", title="Amount", kind=ColumnKind.AMOUNT),
    Column(key="balance", title="Running total", kind=ColumnKind.AMOUNT),
)


def register_report(book: Book, selection: Selection) -> Report:
    """Postings in date order; the running total starts at zero at the period's start."""
    if book.transactions is None:
        msg = "the register needs the book loaded with transactions"
        raise ValueError(msg)
    start, end, query = selection.start, selection.end, selection.query
    running: dict[str, Decimal] = {}
    rows = []
    for txn in sorted(book.transactions, key=lambda t: t.date):
        if (start is not None and txn.date < start) or (end is not None and txn.date >= end):
            continue
        for posting in txn.postings:
            if posting.amount is None or not query.matches_posting(txn, posting):
                continue
            commodity = posting.amount.commodity
            running[commodity] = running.get(commodity, ZERO) + posting.amount.quantity
            rows.append(Row(values=(txn.date.isoformat(), txn.code, txn.description,
                                    posting.account, {commodity: posting.amount.quantity},
                                    clean(running))))
    return Report(name="register", title=f"Register, {selection.label()}", columns=COLUMNS,
                  rows=tuple(rows), precisions=book.precisions())
