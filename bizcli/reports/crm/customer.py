"""``biz customer show CODE``: everything about one customer on one screen (customer 360).

The customer's record (contacts, tags, terms), then, on the as-of day: open deals with
their weighted amount, open orders and how far they are delivered and invoiced,
invoices with the open balance and the part of it overdue (due before the day), the
credit limit used (open invoices + open orders not yet invoiced, as ``biz sale order``
checks it), the last activity and the next follow-up, open tickets, and the customer's
segment and churn flag when the book has invoices to compute them from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.crm.deals import TERMINAL
from bizcli.core.crm.duplicates import Pair
from bizcli.core.documents.sales import SaleKind, SaleState, exposure, open_invoices
from bizcli.core.money import ZERO
from bizcli.reports.crm.activities import last_activity
from bizcli.reports.crm.view import CrmView, add
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind
from bizcli.reports.records import party_card

_DONE = (SaleState.INVOICED, SaleState.CANCELLED)


def customer_360(book: Book, view: CrmView, code: str,
                 standing: Mapping[str, str] | None = None) -> Report:
    """The customer card with the CRM and the books around it.

    ``standing`` adds lines such as the segment and the churn flag (label -> text).
    """
    card = party_card(book, code)
    day = view.as_of
    rows: list[Row] = [Row(values=(*r.values, None)) for r in card.rows]
    rows += _deals(view, code)
    rows += _orders(book, code)
    rows += _money_owed(book, code, day)
    rows += _activity(view, code, day)
    if standing:
        rows.append(_section("Standing"))
        rows += [Row(values=(label, text, None)) for label, text in standing.items()]
    columns = (Column(key="field", title="Field"), Column(key="value", title="Value"),
               Column(key="amount", title="Amount", kind=ColumnKind.AMOUNT))
    return Report(name="customer", title=f"Customer {code}, as of {day}", columns=columns,
                  rows=tuple(rows), precisions=dict(view.precisions))


def _section(title: str) -> Row:
    return Row(values=(title, None, None), kind=RowKind.SECTION, display=title)


def _deals(view: CrmView, code: str) -> list[Row]:
    settings, day = view.crm.settings, view.as_of
    found = [(d, d.stage_on(day)) for d in view.crm.deals
             if d.customer == code and d.created <= day]
    opened = [(d, s) for d, s in found if s is not None and s not in TERMINAL]
    won = [d for d, s in found if s == "won"]
    amount: dict[str, Decimal] = {}
    weighted: dict[str, Decimal] = {}
    for deal, stage in opened:
        add(amount, deal.currency, deal.amount)
        add(weighted, deal.currency, deal.weighted(settings, stage))
    rows = [_section(f"Deals: {len(opened)} open, {len(won)} won")]
    for deal, stage in sorted(opened, key=lambda x: x[0].number):
        close = f", closes {deal.expected_close}" if deal.expected_close else ""
        rows.append(Row(values=(deal.number, (f"{deal.title} ({stage}, "
                                f"{deal.win_probability(settings, stage)} %{close})"),
                                view.cell({deal.currency: deal.weighted(settings, stage)}))))
    if opened:
        rows.append(Row(values=("Open deals", "amount", view.cell(amount)),
                        kind=RowKind.SUBTOTAL))
        rows.append(Row(values=("Open deals", "weighted", view.cell(weighted)),
                        kind=RowKind.SUBTOTAL))
    return rows


def _orders(book: Book, code: str) -> list[Row]:
    orders = [s for s in book.sales if s.customer == code and s.kind is SaleKind.ORDER
              and s.state not in _DONE]
    rows = [_section(f"Open orders: {len(orders)}")]
    for order in sorted(orders, key=lambda s: s.number):
        ordered = sum((line.quantity for line in order.lines), ZERO)
        shipped = sum((order.shipped(line.item) for line in order.lines), ZERO)
        due = f", due {order.due}" if order.due else ""
        came = f", from {order.deal}" if order.deal else ""
        rows.append(Row(values=(order.number, (f"{order.state.value}: {shipped} of {ordered} "
                                f"shipped{due}{came}"), None)))
    return rows


def _money_owed(book: Book, code: str, day: dt.date) -> list[Row]:
    currency = book.settings.currency
    party = next(c for c in book.customers if c.code == code)
    mine = [o for o in open_invoices(book.sales, book.payments, day) if o.customer == code]
    invoiced = sum((i.total for s in book.sales if s.customer == code for i in s.invoices
                    if i.date <= day), ZERO)
    owed = sum((o.open_amount for o in mine), ZERO)
    overdue = sum((o.open_amount for o in mine if o.invoice.due < day), ZERO)
    rows = [_section("Invoices and credit"),
            Row(values=("Invoiced to date", "", {currency: invoiced})),
            Row(values=("Open balance", (f"{sum(1 for o in mine if o.open_amount)} open "
                        "invoices"), {currency: owed})),
            Row(values=("Overdue", "open and due before the day", {currency: overdue}))]
    if party.credit_limit is not None:
        used = exposure(code, book.sales, book.payments, book.precision(currency))
        rows.append(Row(values=("Credit used", (f"of a {party.credit_limit} limit "
                                f"({party.credit_limit - used} left)"), {currency: used})))
    return rows


def _activity(view: CrmView, code: str, day: dt.date) -> list[Row]:
    crm = view.crm
    last = last_activity(crm.activities, day, key="customer").get(code)
    upcoming = sorted((a.due, a.number, a.subject) for a in crm.activities
                      if a.customer == code and a.open_on(day) and a.due is not None)
    tickets = [t for t in crm.tickets if t.customer == code and t.opened.date() <= day
               and (t.closed is None or t.closed.date() > day)]
    rows = [_section("Activity"),
            Row(values=("Last activity", last.isoformat() if last else "none", None))]
    if upcoming:
        due, number, subject = upcoming[0]
        late = " (overdue)" if due < day else ""
        rows.append(Row(values=("Next follow-up", f"{due}{late} {number}: {subject}", None)))
    else:
        rows.append(Row(values=("Next follow-up", "none planned", None)))
    rows.append(Row(values=("Open tickets", ", ".join(
        f"{t.number} ({t.priority})" for t in tickets) or "none", None)))
    return rows


def duplicates_report(pairs: Sequence[Pair]) -> Report:
    """Pairs of customers or leads that look like one business."""
    rows = [Row(values=(f"{p.first.kind} {p.first.code}", p.first.name,
                        f"{p.second.kind} {p.second.code}", p.second.name,
                        "; ".join(p.reasons))) for p in pairs]
    columns = (Column(key="first", title="Record"), Column(key="first_name", title="Name"),
               Column(key="second", title="Looks like"),
               Column(key="second_name", title="Name"), Column(key="why", title="Why"))
    return Report(name="duplicates", title=f"Possible duplicates: {len(pairs)}",
                  columns=columns, rows=tuple(rows),
                  notes=("merge two customers with 'biz customer merge KEEP DUPLICATE'",))
