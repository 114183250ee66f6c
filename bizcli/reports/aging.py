"""Aging of what the business owes its suppliers (``biz aging ap``), by due date.

Open bills (total less payments, both as of the date) per supplier, in buckets of days
past due: not yet due, 1-30, 31-60, 61-90, over 90. The total ties out to the payable
account's balance when every payable posting came from a bill; a note says when not.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.ledger.accounts import SEPARATOR
from bizcli.core.money import ZERO
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind
from bizcli.reports.selection import Selection

BUCKETS = (("current", "Not due"), ("1_30", "1-30"), ("31_60", "31-60"),
           ("61_90", "61-90"), ("over_90", "Over 90"))


def _bucket(days_late: int) -> int:
    if days_late <= 0:
        return 0
    return 1 if days_late <= 30 else 2 if days_late <= 60 else 3 if days_late <= 90 else 4


def aging_payables(book: Book, selection: Selection) -> Report:
    """Open supplier bills by days past due, at the as-of date (default: every date)."""
    end = selection.end
    day = end - dt.timedelta(days=1) if end else max(
        (b.date for o in book.purchases for b in o.bills), default=dt.date.min)
    currency = book.settings.currency
    per_supplier: dict[str, list[Decimal]] = {}
    for order in book.purchases:
        for bill in order.bills:
            if bill.date > day:
                continue
            paid = sum((a for d, a in bill.payments if d <= day), ZERO)
            open_amount = bill.total - paid
            if not open_amount:
                continue
            buckets = per_supplier.setdefault(order.supplier, [ZERO] * len(BUCKETS))
            buckets[_bucket((day - bill.due).days)] += open_amount
    rows, totals = [], [ZERO] * len(BUCKETS)
    for supplier, buckets in sorted(per_supplier.items()):
        totals = [t + b for t, b in zip(totals, buckets, strict=True)]
        rows.append(Row(values=(supplier, *({currency: b} if b else None for b in buckets),
                                {currency: sum(buckets, ZERO)})))
    grand = sum(totals, ZERO)
    rows.append(Row(values=("Total", *({currency: t} for t in totals), {currency: grand}),
                    kind=RowKind.TOTAL, display="Total"))
    columns = (Column(key="supplier", title="Supplier"),
               *(Column(key=k, title=t, kind=ColumnKind.AMOUNT) for k, t in BUCKETS),
               Column(key="total", title="Total", kind=ColumnKind.AMOUNT))
    return Report(name="aging-ap", title=f"Payables aging, as of {day}", columns=columns,
                  rows=tuple(rows), precisions=dict(book.precisions()),
                  notes=_tie_out(book, day, grand))


def _tie_out(book: Book, day: dt.date, open_bills: Decimal) -> tuple[str, ...]:
    account = book.settings.role("payable")
    if account is None:
        return ()
    currency = book.settings.currency
    balance = -sum((q for (a, c), q in book.balances.between(None, day + dt.timedelta(days=1))
                    .items() if c == currency and (a == account or
                                                   a.startswith(account + SEPARATOR))), ZERO)
    if balance == open_bills:
        return (f"ties out: {account} is {balance} {currency}",)
    return ((f"{account} is {balance} {currency}, open bills {open_bills} {currency}: "
             f"{balance - open_bills} {currency} of payables came from entries that are not "
             "bills on purchase orders"),)
