"""Work orders as reports: the list with states, and one order component by component."""

from __future__ import annotations

from bizcli.core.book import Book
from bizcli.core.money import ZERO
from bizcli.core.production.work_orders import find_work_order
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind
from bizcli.reports.selection import Selection


def work_orders_report(book: Book, selection: Selection, *, state: str | None = None
                       ) -> Report:
    """Work orders in the period (by order date), optionally in one state."""
    start, end = selection.start, selection.end
    rows = []
    for order in sorted(book.work_orders, key=lambda o: o.number):
        if (start and order.date < start) or (end and order.date >= end):
            continue
        if state is not None and order.state.value != state:
            continue
        rows.append(Row(values=(order.number, order.date.isoformat(), order.due.isoformat(),
                                order.item, order.quantity, order.completed,
                                order.open_quantity, order.warehouse, order.state.value)))
    columns = (Column(key="number", title="Number"), Column(key="date", title="Date"),
               Column(key="due", title="Due"), Column(key="item", title="Item"),
               Column(key="quantity", title="Quantity", kind=ColumnKind.NUMBER),
               Column(key="completed", title="Completed", kind=ColumnKind.NUMBER),
               Column(key="open", title="Open", kind=ColumnKind.NUMBER),
               Column(key="warehouse", title="Warehouse"), Column(key="state", title="State"))
    return Report(name="work-orders", title=f"Work orders, {selection.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(book.precisions()))


def work_order_card(book: Book, number: str) -> Report:
    """One work order: per component, per unit, needed in all, consumed, still to consume."""
    order = find_work_order(book.work_orders, number)
    currency = book.settings.currency
    rows = []
    for use in order.components:
        consumed = sum((q for c in order.completions for i, q in c.consumed if i == use.item),
                       ZERO)
        rows.append(Row(values=(use.item, use.quantity, use.quantity * order.quantity,
                                consumed, use.quantity * order.open_quantity)))
    for use in order.byproducts:
        made = sum((q for c in order.completions for i, q in c.byproducts if i == use.item),
                   ZERO)
        rows.append(Row(values=(f"{use.item} (by-product)", use.quantity,
                                use.quantity * order.quantity, made,
                                use.quantity * order.open_quantity)))
    value = sum((c.value for c in order.completions), ZERO)
    rows.append(Row(values=(order.item, None, order.quantity, order.completed,
                            order.open_quantity), kind=RowKind.TOTAL))
    notes = [f"completed {c.date}: {c.quantity} {order.item} at {c.value} {currency}"
             for c in order.completions]
    if order.labour or order.overhead:
        notes.append(f"labour {order.labour} and overhead {order.overhead} {currency} per unit")
    if order.completions:
        notes.append(f"value of the units made so far: {value} {currency}")
    if order.planned:
        notes.append(f"committed from MRP planned order {order.planned}")
    columns = (Column(key="item", title="Component"),
               Column(key="per_unit", title="Per unit", kind=ColumnKind.NUMBER),
               Column(key="needed", title="Needed", kind=ColumnKind.NUMBER),
               Column(key="consumed", title="Consumed", kind=ColumnKind.NUMBER),
               Column(key="open", title="To consume", kind=ColumnKind.NUMBER))
    title = (f"{order.number}: {order.quantity} {order.item} in {order.warehouse}, "
             f"{order.date} due {order.due} ({order.state.value})")
    return Report(name="work-order", title=title, columns=columns, rows=tuple(rows),
                  precisions=dict(book.precisions()), notes=tuple(notes))
