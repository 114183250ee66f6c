"""Stock reports: on hand and valuation by item and warehouse, and the moves register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.documents.sales import reserved
from bizcli.core.money import ZERO, round_half_up
from bizcli.core.stock.ledger import stock_at, stock_valuation
from bizcli.core.stock.valuation import Method, position_at
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind
from bizcli.reports.selection import Selection


def _last_day(selection: Selection) -> dt.date:
    end = selection.end
    return end - dt.timedelta(days=1) if end else dt.date.max


def stock_on_hand(book: Book, selection: Selection, *, with_value: bool = True) -> Report:
    """Quantity (and value) of every item in every warehouse at the end of the period."""
    valuation = stock_valuation(book)
    day = _last_day(selection)
    names = {i.code: i for i in book.items}
    currency = book.settings.currency
    rows, total = [], ZERO
    for (code, warehouse), position in sorted(position_at(valuation, day).items()):
        if not selection.query.matches_account(code) or not position.quantity:
            continue
        item = names.get(code)
        method = (item.valuation if item and item.valuation else
                  Method(book.settings.valuation)).value
        unit_cost = round_half_up(position.value / position.quantity, 4)
        rows.append(Row(values=(code, item.name if item else "", warehouse,
                                position.quantity, item.unit if item else "",
                                {currency: unit_cost}, {currency: position.value}, method)))
        total += position.value
    rows.append(Row(values=("Total", None, None, None, None, None, {currency: total}, None),
                    kind=RowKind.TOTAL, display="Total"))
    columns: tuple[Column, ...] = (Column(key="item", title="Item"),
                                   Column(key="name", title="Name"),
               Column(key="warehouse", title="Warehouse"),
               Column(key="quantity", title="On hand", kind=ColumnKind.NUMBER),
               Column(key="unit", title="Unit"),
               Column(key="unit_cost", title="Unit cost", kind=ColumnKind.AMOUNT),
               Column(key="value", title="Value", kind=ColumnKind.AMOUNT),
               Column(key="method", title="Method"))
    label = "all dates" if day == dt.date.max else f"as of {day}"
    if not with_value:
        keep = (0, 1, 2, 3, 4)
        columns = (*(columns[i] for i in keep),
                   Column(key="reserved", title="Reserved", kind=ColumnKind.NUMBER),
                   Column(key="available", title="Available", kind=ColumnKind.NUMBER))
        rows = [_with_reserved(book, r, keep) for r in rows if r.kind is RowKind.ROW]
    name, title = ("stock-valuation", "Stock valuation") if with_value else (
        "stock-on-hand", "Stock on hand")
    return Report(name=name, title=f"{title}, {label}", columns=columns, rows=tuple(rows),
                  precisions=dict(book.precisions()))


def _with_reserved(book: Book, row: Row, keep: tuple[int, ...]) -> Row:
    """An on-hand row with what open sales orders reserve there, and what is left."""
    item, warehouse, on_hand = str(row.values[0]), str(row.values[2]), row.values[3]
    assert isinstance(on_hand, Decimal)
    held = reserved(book.sales, item, warehouse)
    return Row(values=(*(row.values[i] for i in keep), held, on_hand - held), kind=row.kind,
               display=row.display)


def stock_moves_report(book: Book, selection: Selection) -> Report:
    """Every valued move per warehouse, with the running quantity and value there."""
    valuation = stock_valuation(book)
    start, end, currency = selection.start, selection.end, book.settings.currency
    rows = []
    for valued in valuation.moves:
        move = valued.move
        if (start and move.date < start) or (end and move.date >= end):
            continue
        if not selection.query.matches_account(move.item):
            continue
        rows.append(Row(values=(
            move.date.isoformat(), move.kind.value, move.item, valued.warehouse,
            valued.quantity, {currency: valued.value}, valued.quantity_after,
            {currency: valued.value_after}, move.document)))
    columns = (Column(key="date", title="Date"), Column(key="move", title="Move"),
               Column(key="item", title="Item"), Column(key="warehouse", title="Warehouse"),
               Column(key="quantity", title="Quantity", kind=ColumnKind.NUMBER),
               Column(key="value", title="Value", kind=ColumnKind.AMOUNT),
               Column(key="on_hand", title="On hand", kind=ColumnKind.NUMBER),
               Column(key="stock_value", title="Stock value", kind=ColumnKind.AMOUNT),
               Column(key="document", title="Document"))
    return Report(name="stock-moves", title=f"Stock moves, {selection.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(book.precisions()))


def reorder_report(book: Book, selection: Selection, *, today: dt.date) -> Report:
    """Items at or below their reorder point: on hand + on purchase orders - reserved.

    The quantity to order is the item's reorder quantity, or enough to get back above
    the reorder point plus the safety stock if that is more.
    """
    on_hand: dict[str, Decimal] = {}
    for (code, _), quantity in stock_at(book, _last_day(selection)).items():
        on_hand[code] = on_hand.get(code, ZERO) + quantity
    on_order: dict[str, Decimal] = {}
    for order in book.purchases:
        if order.cancelled:
            continue
        for line in order.lines:
            left = order.open_quantity(line.item)
            if left > 0:
                on_order[line.item] = on_order.get(line.item, ZERO) + left
    lead_times = {s.code: s.lead_time_days for s in book.suppliers}
    rows = []
    for item in sorted(book.items, key=lambda i: i.code):
        point = item.reorder_point
        if point is None or not selection.query.matches_account(item.code):
            continue
        held = reserved(book.sales, item.code)
        projected = on_hand.get(item.code, ZERO) + on_order.get(item.code, ZERO) - held
        if projected > point:
            continue
        shortfall = point + (item.safety_stock or ZERO) - projected
        suggest = max(item.reorder_quantity or ZERO, shortfall)
        lead = item.lead_time_days if item.lead_time_days is not None else (
            lead_times.get(item.supplier or "") or 0)
        rows.append(Row(values=(item.code, on_hand.get(item.code, ZERO),
                                on_order.get(item.code, ZERO), held, projected, point, suggest,
                                item.unit, item.supplier or "",
                                (today + dt.timedelta(days=lead)).isoformat())))
    columns = (Column(key="item", title="Item"),
               Column(key="on_hand", title="On hand", kind=ColumnKind.NUMBER),
               Column(key="on_order", title="On order", kind=ColumnKind.NUMBER),
               Column(key="reserved", title="Reserved", kind=ColumnKind.NUMBER),
               Column(key="projected", title="Projected", kind=ColumnKind.NUMBER),
               Column(key="reorder_point", title="Reorder point", kind=ColumnKind.NUMBER),
               Column(key="suggested", title="Order", kind=ColumnKind.NUMBER),
               Column(key="unit", title="Unit"), Column(key="supplier", title="Supplier"),
               Column(key="arrives", title="Arrives by"))
    return Report(name="stock-reorder", title=f"Items to reorder, {today}",
                  columns=columns, rows=tuple(rows))
