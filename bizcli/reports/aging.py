"""Aging of what is owed, by due date: ``biz aging ar`` (customers) and ``ap`` (suppliers).

Open invoices or bills (total less the payments dated on or before the as-of date) per
customer or supplier, in buckets of days past due: not yet due, 1-30, 31-60, 61-90,
over 90. A customer's unapplied payments (over-payments) are a credit column. The
total ties out to the receivable or payable account's balance when every posting to
it came from a document; a note says so, or by how much it does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.book import Book
from bizcli.core.documents.sales import open_invoices
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


class OpenItem(NamedTuple):
    """Something owed: by whom (or to whom), how much is open, and when it is due."""

    party: str
    open_amount: Decimal
    due: dt.date


def _as_of(selection: Selection, dates: Iterable[dt.date]) -> dt.date:
    end = selection.end
    return end - dt.timedelta(days=1) if end else max(dates, default=dt.date.min)


def aging_payables(book: Book, selection: Selection) -> Report:
    """Open supplier bills by days past due, at the as-of date (default: every date)."""
    day = _as_of(selection, (b.date for o in book.purchases for b in o.bills))
    items = [OpenItem(order.supplier,
                      bill.total - sum((a for d, a in bill.payments if d <= day), ZERO),
                      bill.due)
             for order in book.purchases for bill in order.bills if bill.date <= day]
    return _aging(book, day, items, {}, _Side("aging-ap", "Payables aging", "Supplier",
                                              "payable", "bills on purchase orders", -1))


def aging_receivables(book: Book, selection: Selection) -> Report:
    """Open customer invoices by days past due, and unapplied credit, at the as-of date."""
    day = _as_of(selection, (i.date for s in book.sales for i in s.invoices))
    items = [OpenItem(o.customer, o.open_amount, o.invoice.due)
             for o in open_invoices(book.sales, book.payments, day)]
    credit: dict[str, Decimal] = {}
    for payment in book.payments:
        applied = sum((a for _, a in payment.applied), ZERO)
        if payment.date <= day and payment.amount != applied:
            credit[payment.customer] = credit.get(payment.customer, ZERO) - (
                payment.amount - applied)
    return _aging(book, day, items, credit, _Side(
        "aging-ar", "Receivables aging", "Customer", "receivable",
        "invoices and payments on sales documents", 1))


class _Side(NamedTuple):
    name: str
    title: str
    party: str
    role: str
    documents: str
    sign: int


def _aging(book: Book, day: dt.date, items: Iterable[OpenItem], credit: dict[str, Decimal],
           side: _Side) -> Report:
    currency = book.settings.currency
    per_party: dict[str, list[Decimal]] = {}
    for item in items:
        if item.open_amount:
            buckets = per_party.setdefault(item.party, [ZERO] * (len(BUCKETS) + 1))
            buckets[_bucket((day - item.due).days)] += item.open_amount
    for party, amount in credit.items():
        per_party.setdefault(party, [ZERO] * (len(BUCKETS) + 1))[len(BUCKETS)] += amount
    with_credit = any(credit.values())
    width = len(BUCKETS) + (1 if with_credit else 0)
    rows, totals = [], [ZERO] * width
    for party, buckets in sorted(per_party.items()):
        shown = buckets[:width]
        totals = [t + b for t, b in zip(totals, shown, strict=True)]
        rows.append(Row(values=(party, *({currency: b} if b else None for b in shown),
                                {currency: sum(buckets, ZERO)})))
    grand = sum(totals, ZERO)
    rows.append(Row(values=("Total", *({currency: t} for t in totals), {currency: grand}),
                    kind=RowKind.TOTAL, display="Total"))
    columns = (Column(key=side.party.lower(), title=side.party),
               *(Column(key=k, title=t, kind=ColumnKind.AMOUNT) for k, t in BUCKETS),
               *((Column(key="credit", title="Credit", kind=ColumnKind.AMOUNT),)
                 if with_credit else ()),
               Column(key="total", title="Total", kind=ColumnKind.AMOUNT))
    return Report(name=side.name, title=f"{side.title}, as of {day}", columns=columns,
                  rows=tuple(rows), precisions=dict(book.precisions()),
                  notes=_tie_out(book, day, grand, side))


def _tie_out(book: Book, day: dt.date, open_total: Decimal, side: _Side) -> tuple[str, ...]:
    account = book.settings.role(side.role)
    if account is None:
        return ()
    currency = book.settings.currency
    balance = side.sign * sum((q for (a, c), q in book.balances.between(
        None, day + dt.timedelta(days=1)).items() if c == currency and (
            a == account or a.startswith(account + SEPARATOR))), ZERO)
    if balance == open_total:
        return (f"ties out: {account} is {balance} {currency}",)
    return ((f"{account} is {balance} {currency}, open items {open_total} {currency}: "
             f"{balance - open_total} {currency} came from entries that are not "
             f"{side.documents}"),)
