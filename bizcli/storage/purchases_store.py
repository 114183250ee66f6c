"""``biz purchase order`` and ``biz purchase receive``: checked, then written under the lock.

A receipt touches three files: the stock file, the journal and the purchases file.
Each is replaced atomically, in that order; a crash between them leaves a state that
``biz check`` reports (an inventory drift, or an order whose receipt is missing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bizcli.core.book import Book
from bizcli.core.codes import closest
from bizcli.core.documents.bills import BillTerms, bill, pay
from bizcli.core.documents.purchases import (
    Booking,
    OrderLine,
    PurchaseOrder,
    cancel,
    confirm,
    find_order,
    next_number,
    receive,
)
from bizcli.core.ledger.posting import validate_new_transaction
from bizcli.core.periods import fiscal_year_of
from bizcli.core.problems import BizcliError, Problem, fail
from bizcli.core.stock.items import ItemKind
from bizcli.core.stock.posting import back_dated, record_move
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.cache import no_moves
from bizcli.storage.commit import write_change
from bizcli.storage.journal_writer import write_transaction
from bizcli.storage.loader import PURCHASES_DIR, load_for_update
from bizcli.storage.order_lines import decimal_option, typed_lines
from bizcli.storage.purchases_file import write_purchases
from bizcli.storage.sales_store import check_date
from bizcli.storage.stock_reader import write_move
from bizcli.storage.stock_store import repost_hint


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderRequest:
    """What ``biz purchase order`` was asked for."""

    supplier: str
    lines: tuple[str, ...]
    date: dt.date
    warehouse: str | None = None
    expected: dt.date | None = None


def _order_lines(book: Book, texts: tuple[str, ...]) -> list[OrderLine]:
    items = {i.code: i for i in book.items}
    lines, problems = [], []
    for typed in typed_lines(texts, prices=True, example="OAK-BOARD=120@12.50"):
        item = items.get(typed.item)
        if item is None or item.kind is ItemKind.SERVICE:
            near = closest(typed.item, (i for i in items if items[i].kind
                                        is not ItemKind.SERVICE))
            problems.append(Problem(code="unknown-item", message=f"item {typed.item!r} is "
                                    f"not a stocked item in items.yaml{near}",
                                    hint="add it with 'biz item add' or fix the code"))
            continue
        price = typed.price if typed.price is not None else (
            item.cost.quantity if item.cost else None)
        if price is None:
            problems.append(Problem(code="missing-unit-cost", message=f"{item.code} has no "
                                    "cost in items.yaml to order at",
                                    hint=f"give the price: {item.code}={typed.quantity}@12.50"))
            continue
        lines.append(OrderLine(item=item.code, quantity=typed.quantity, price=price))
    if problems:
        raise BizcliError(problems)
    if not lines:
        raise fail("bad-order-line", "an order needs at least one line",
                   hint="e.g. biz purchase order MILL OAK-BOARD=120@12.50")
    return lines


def _order_items(number: str, book: Book) -> set[str]:
    """The items on purchase order ``number``: the moves a receipt is valued against."""
    return {line.item for o in book.purchases if o.number == number for line in o.lines}


def write_orders(root: Path, book: Book, *orders: PurchaseOrder) -> list[str]:
    """Rewrite the year files that hold these new or changed orders (the lock is held)."""
    start = book.settings.fiscal_year_start
    changed = {o.number: o for o in orders}
    years = sorted({fiscal_year_of(o.date, start) for o in orders})
    for year in years:
        kept = [o for o in book.purchases if fiscal_year_of(o.date, start) == year
                and o.number not in changed]
        mine = [o for o in orders if fiscal_year_of(o.date, start) == year]
        write_atomic(root / PURCHASES_DIR / f"{year}.yaml", write_purchases([*kept, *mine]))
    return [f"{PURCHASES_DIR}/{year}.yaml" for year in years]


def create_order(root: Path, request: OrderRequest, *, dry_run: bool = False) -> str:
    """Number and write a new purchase order; return its text."""
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        if not any(s.code == request.supplier for s in book.suppliers):
            near = closest(request.supplier, (s.code for s in book.suppliers))
            raise fail("unknown-supplier", f"supplier {request.supplier!r} is not in "
                       f"suppliers.yaml{near}", hint="add it with 'biz supplier add' or fix "
                       "the code")
        warehouse = request.warehouse or (book.warehouses[0].code if len(book.warehouses) == 1
                                          else None)
        if warehouse is None:
            raise fail("unknown-warehouse", "which warehouse will the goods arrive in? the "
                       f"book has {len(book.warehouses)}",
                       hint="give --warehouse CODE ('biz warehouse list' shows them)")
        if warehouse not in {w.code for w in book.warehouses}:
            near = closest(warehouse, (w.code for w in book.warehouses))
            raise fail("unknown-warehouse", f"warehouse {warehouse!r} is not in "
                       f"warehouses.yaml{near}", hint="'biz warehouse list' shows them")
        check_date(book, request.date)
        year = fiscal_year_of(request.date, book.settings.fiscal_year_start)
        order = PurchaseOrder(
            number=next_number([o.number for o in book.purchases], year,
                               book.settings.prefix("purchase_order")),
            supplier=request.supplier, date=request.date, warehouse=warehouse,
            currency=book.settings.currency, lines=tuple(_order_lines(book, request.lines)),
            expected=request.expected)
        if not dry_run:
            write_change(root, (book, state), documents=lambda: write_orders(root, book, order))
    return write_purchases([order]).split("purchases:\n", 1)[1]


def receive_order(root: Path, number: str, texts: tuple[str, ...], *, dates: tuple[dt.date,
                  dt.date], dry_run: bool = False) -> str:
    """Receive on an order: stock moves, the Inventory/GRNI entry, the updated order.

    ``dates`` is (the receipt's date, today).
    """
    date, today = dates
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=partial(_order_items, number))
        order = find_order(book.purchases, number)
        wanted = {line.item: line.quantity for line in typed_lines(
            texts, prices=False, example="OAK-BOARD=100")} or None
        units = {i.code: i.unit for i in book.items}
        result, problems = receive(order, date, wanted, Booking(
            units, book.settings.roles, book.precision(order.currency)))
        if result is None:
            raise BizcliError(problems)
        for move in result.moves:  # refused if it breaks the stock ledger's rules
            recorded, problems = record_move(book, move)
            if recorded is None:
                raise BizcliError(problems)
        entry, problems = validate_new_transaction(result.entry, book, today)
        if problems:
            raise BizcliError(problems)
        precisions = book.precisions()
        if not dry_run:
            write_change(root, (book, state), moves=result.moves,
                         entries=[entry], documents=lambda: write_orders(root, book,
                                                                           result.order))
    moves = "".join(write_move(m, precisions) for m in result.moves)
    return moves + "\n" + write_transaction(entry, precisions) + repost_hint(
        back_dated(book, result.moves))


@dataclass(frozen=True, slots=True, kw_only=True)
class BillRequest:
    """What ``biz purchase bill`` was asked for."""

    order: str
    number: str
    lines: tuple[str, ...]
    date: dt.date
    due: dt.date | None = None
    tax_rate: str | None = None
    tax_amount: str | None = None


def bill_order(root: Path, request: BillRequest, *, today: dt.date,
               dry_run: bool = False) -> str:
    """Record a supplier's bill on an order: GRNI + variance + input tax = payable."""
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        order = find_order(book.purchases, request.order)
        supplier = next((s for s in book.suppliers if s.code == order.supplier), None)
        terms_days = supplier.payment_terms_days if supplier and (
            supplier.payment_terms_days is not None) else 30
        typed = typed_lines(request.lines, prices=True, example="OAK-BOARD=100@12.60")
        quantities = {t.item: t.quantity for t in typed}
        prices = {t.item: t.price for t in typed if t.price is not None}
        terms = BillTerms(
            number=request.number, date=request.date,
            due=request.due or request.date + dt.timedelta(days=terms_days),
            tax_rate=decimal_option(request.tax_rate, "--tax-rate"),
            tax_amount=decimal_option(request.tax_amount, "--tax"), roles=book.settings.roles,
            places=book.precision(order.currency))
        billed, problems = bill(order, prices or None, quantities or None, terms)
        if billed is None:
            raise BizcliError(problems)
        entry, problems = validate_new_transaction(billed.entry, book, today)
        if problems:
            raise BizcliError(problems)
        precisions = book.precisions()
        if not dry_run:
            write_change(root, (book, state), entries=[entry],
                         documents=lambda: write_orders(root, book, billed.order))
    return write_transaction(entry, precisions)


@dataclass(frozen=True, slots=True, kw_only=True)
class PayRequest:
    """What ``biz purchase pay`` was asked for."""

    order: str
    bill: str
    amount: str | None
    date: dt.date
    account: str | None = None


def pay_bill(root: Path, request: PayRequest, *, today: dt.date, dry_run: bool = False) -> str:
    """Pay a bill (all that is open by default) from the bank role account or another."""
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        order = find_order(book.purchases, request.order)
        roles = book.settings.roles
        accounts = (roles.get("payable", "Liabilities:Payable"),
                    request.account or roles.get("bank", "Assets:Bank:Checking"))
        paid, problems = pay(order, request.bill, decimal_option(request.amount, "AMOUNT"),
                             request.date, accounts)
        if paid is None:
            raise BizcliError(problems)
        updated, entry = paid
        entry, problems = validate_new_transaction(entry, book, today)
        if problems:
            raise BizcliError(problems)
        precisions = book.precisions()
        if not dry_run:
            write_change(root, (book, state), entries=[entry],
                         documents=lambda: write_orders(root, book, updated))
    return write_transaction(entry, precisions)


def cancel_order(root: Path, number: str, *, today: dt.date, dry_run: bool = False) -> str:
    """Cancel what is still open on an order (nothing is posted for goods not received).

    The cancel happens today, which must be after the lock date.
    """
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        check_date(book, today)
        order = find_order(book.purchases, number)
        cancelled, problems = cancel(order)
        if cancelled is None:
            raise BizcliError(problems)
        if not dry_run:
            write_change(root, (book, state),
                         documents=lambda: write_orders(root, book, cancelled))
    still_open = ", ".join(f"{line.item} {order.open_quantity(line.item)}"
                           for line in order.lines if order.open_quantity(line.item) > 0)
    return f"cancelled {number}; no longer expected: {still_open}\n"


def confirm_order(root: Path, number: str, *, today: dt.date, dry_run: bool = False) -> str:
    """Confirm a draft order (one MRP committed): it is now placed with the supplier.

    The confirmation happens today, which must be after the lock date.
    """
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        check_date(book, today)
        confirmed, problems = confirm(find_order(book.purchases, number))
        if confirmed is None:
            raise BizcliError(problems)
        if not dry_run:
            write_change(root, (book, state),
                         documents=lambda: write_orders(root, book, confirmed))
    return write_purchases([confirmed]).split("purchases:\n", 1)[1]
