"""Purchase orders as reports: the list with states, and one order line by line."""

from __future__ import annotations

from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.documents.purchases import find_order
from bizcli.core.money import ZERO, round_half_up
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind
from bizcli.reports.selection import Selection


def purchases_report(book: Book, selection: Selection, *, state: str | None = None) -> Report:
    """Orders in the period (by order date), optionally in one state."""
    start, end, places = selection.start, selection.end, book.precision(book.settings.currency)
    rows = []
    for order in sorted(book.purchases, key=lambda o: o.number):
        if (start and order.date < start) or (end and order.date >= end):
            continue
        if state is not None and order.state.value != state:
            continue
        total = sum((round_half_up(line.quantity * line.price, places) for line in order.lines),
                    ZERO)
        rows.append(Row(values=(order.number, order.date.isoformat(), order.supplier,
                                order.warehouse, order.state.value, {order.currency: total})))
    columns = (Column(key="number", title="Number"), Column(key="date", title="Date"),
               Column(key="supplier", title="Supplier"),
               Column(key="warehouse", title="Warehouse"), Column(key="state", title="State"),
               Column(key="total", title="Total", kind=ColumnKind.AMOUNT))
    return Report(name="purchases", title=f"Purchase orders, {selection.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(book.precisions()))


def purchase_card(book: Book, number: str) -> Report:
    """One order: each line with what was ordered, received and is still open."""
    order = find_order(book.purchases, number)
    places = book.precision(order.currency)
    rows, total = [], ZERO
    for line in order.lines:
        value = round_half_up(line.quantity * line.price, places)
        total += value
        rows.append(Row(values=(line.item, line.quantity, order.received(line.item),
                                max(order.open_quantity(line.item), Decimal(0)),
                                order.billed(line.item),
                                {order.currency: line.price}, {order.currency: value})))
    rows.append(Row(values=("Total", None, None, None, None, None, {order.currency: total}),
                    kind=RowKind.TOTAL, display="Total"))
    notes = tuple(
        f"bill {b.number} of {b.date}, due {b.due}: {b.total} {order.currency} "
        f"(tax {b.tax}), paid {b.paid}, open {b.open_amount}" for b in order.bills)
    columns = (Column(key="item", title="Item"),
               Column(key="ordered", title="Ordered", kind=ColumnKind.NUMBER),
               Column(key="received", title="Received", kind=ColumnKind.NUMBER),
               Column(key="open", title="Open", kind=ColumnKind.NUMBER),
               Column(key="billed", title="Billed", kind=ColumnKind.NUMBER),
               Column(key="price", title="Price", kind=ColumnKind.AMOUNT),
               Column(key="value", title="Value", kind=ColumnKind.AMOUNT))
    title = (f"{order.number} from {order.supplier}, {order.date} ({order.state.value}); "
             f"into {order.warehouse}")
    return Report(name="purchase", title=title, columns=columns, rows=tuple(rows),
                  precisions=dict(book.precisions()), notes=notes)
