"""Quotes and sales orders as reports: the list with states, and one document in full."""

from __future__ import annotations

from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.documents.sales import find_sale, gross_of, line_net, open_invoices
from bizcli.core.money import ZERO
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind
from bizcli.reports.selection import Selection


def sales_report(book: Book, selection: Selection, *, state: str | None = None,
                 customer: str | None = None) -> Report:
    """Documents dated in the period, optionally in one state or for one customer."""
    start, end = selection.start, selection.end
    owed = {o.invoice.number: o.open_amount for o in open_invoices(book.sales, book.payments)}
    rows = []
    for sale in sorted(book.sales, key=lambda s: s.number):
        if (start and sale.date < start) or (end and sale.date >= end):
            continue
        if (state is not None and sale.state.value != state) or (
                customer is not None and sale.customer != customer):
            continue
        places = book.precision(sale.currency)
        total = gross_of(sale.lines, places)
        invoiced = sum((i.total for i in sale.invoices), ZERO)
        unpaid = sum((owed.get(i.number, ZERO) for i in sale.invoices), ZERO)
        money = sale.currency
        rows.append(Row(values=(sale.number, sale.date.isoformat(), sale.customer,
                                sale.state.value, sale.due.isoformat() if sale.due else "",
                                {money: total}, {money: invoiced} if invoiced else None,
                                {money: unpaid} if unpaid else None, sale.link or "")))
    columns = (Column(key="number", title="Number"), Column(key="date", title="Date"),
               Column(key="customer", title="Customer"), Column(key="state", title="State"),
               Column(key="due", title="Due"),
               Column(key="total", title="Total", kind=ColumnKind.AMOUNT),
               Column(key="invoiced", title="Invoiced", kind=ColumnKind.AMOUNT),
               Column(key="unpaid", title="Unpaid", kind=ColumnKind.AMOUNT),
               Column(key="link", title="Quote/order"))
    return Report(name="sales", title=f"Quotes and sales orders, {selection.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(book.precisions()))


def sale_card(book: Book, number: str) -> Report:
    """One document: each line ordered, shipped, invoiced; its shipments and invoices."""
    sale = find_sale(book.sales, number)
    places, money = book.precision(sale.currency), sale.currency
    rows, net = [], ZERO
    for line in sale.lines:
        value = line_net(line, places)
        net += value
        rows.append(Row(values=(line.item, line.quantity, sale.shipped(line.item),
                                sale.invoiced(line.item), {money: line.price},
                                line.tax_rate, {money: value})))
    tax = gross_of(sale.lines, places) - net
    rows.append(Row(values=("Tax", None, None, None, None, None, {money: tax}),
                    kind=RowKind.SUBTOTAL, display="Tax"))
    rows.append(Row(values=("Total", None, None, None, None, None, {money: net + tax}),
                    kind=RowKind.TOTAL, display="Total"))
    owed = {o.invoice.number: o.open_amount for o in open_invoices(book.sales, book.payments)}
    notes = tuple(
        [f"{'returned' if s.returned else 'shipped'} {s.date}: "
         + ", ".join(f"{i} {q} (cost {c})" for i, q, c in s.lines) for s in sale.shipments]
        + [f"invoice {i.number} of {i.date}, due {i.due}: {i.total} {money} (tax {i.tax}), "
           f"open {owed.get(i.number, Decimal(0))}" for i in sale.invoices])
    columns = (Column(key="item", title="Item"),
               Column(key="ordered", title="Ordered", kind=ColumnKind.NUMBER),
               Column(key="shipped", title="Shipped", kind=ColumnKind.NUMBER),
               Column(key="invoiced", title="Invoiced", kind=ColumnKind.NUMBER),
               Column(key="price", title="Price", kind=ColumnKind.AMOUNT),
               Column(key="tax_rate", title="Tax rate", kind=ColumnKind.NUMBER),
               Column(key="value", title="Net", kind=ColumnKind.AMOUNT))
    due = f", due {sale.due}" if sale.due else ""
    link = f", from {sale.link}" if sale.link and sale.kind.value == "order" else (
        f", became {sale.link}" if sale.link else "")
    link += f", won on deal {sale.deal}" if sale.deal else ""
    title = (f"{sale.number} ({sale.kind.value}) to {sale.customer}, {sale.date}{due}"
             f"{link} ({sale.state.value}); from {sale.warehouse}")
    return Report(name="sale", title=title, columns=columns, rows=tuple(rows),
                  precisions=dict(book.precisions()), notes=notes)
