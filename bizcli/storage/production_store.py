"""``biz wo create | complete | release | cancel``: checked, then written under the lock.

A completion touches three files: the stock file (component issues, the finished
goods' receipt), the journal (one entry) and the production file. Each is replaced
atomically, in that order, so a crash between them shows up in ``biz check`` as an
inventory drift or a completion missing from its order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from bizcli.core.book import Book
from bizcli.core.codes import closest
from bizcli.core.documents.purchases import OrderLine, PurchaseOrder, next_number
from bizcli.core.ledger.posting import validate_new_transaction
from bizcli.core.money import ZERO
from bizcli.core.periods import fiscal_year_of
from bizcli.core.problems import BizcliError, Problem, fail
from bizcli.core.production.mrp import Plan, PlannedOrder
from bizcli.core.production.work_orders import (
    Booking,
    NewWorkOrder,
    WorkOrder,
    cancel,
    complete,
    completion_problems,
    consumption,
    create,
    find_work_order,
    release,
    shortages,
)
from bizcli.core.stock.items import ItemKind
from bizcli.core.stock.ledger import stock_valuation
from bizcli.core.stock.posting import back_dated, value_new_moves
from bizcli.core.stock.valuation import position_at
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.cache import no_moves
from bizcli.storage.commit import write_change
from bizcli.storage.journal_writer import write_transaction
from bizcli.storage.loader import PRODUCTION_DIR, load_for_update
from bizcli.storage.order_lines import decimal_option
from bizcli.storage.production_file import write_work_orders
from bizcli.storage.purchases_file import write_purchases
from bizcli.storage.purchases_store import write_orders as write_purchase_orders
from bizcli.storage.sales_store import check_date, choose_warehouse
from bizcli.storage.stock_reader import write_move
from bizcli.storage.stock_store import repost_hint


def write_orders(root: Path, book: Book, orders: Iterable[WorkOrder]) -> list[str]:
    """Rewrite the year files that hold the changed work orders (the caller holds the lock)."""
    start = book.settings.fiscal_year_start
    changed = {o.number: o for o in orders}
    everything = [changed.pop(o.number, o) for o in book.work_orders] + list(changed.values())
    years = sorted({fiscal_year_of(o.date, start) for o in orders})
    for year in years:
        write_atomic(root / PRODUCTION_DIR / f"{year}.yaml", write_work_orders(
            [o for o in everything if fiscal_year_of(o.date, start) == year]))
    return [f"{PRODUCTION_DIR}/{year}.yaml" for year in years]


def _shown(order: WorkOrder) -> str:
    return write_work_orders([order]).split("work_orders:\n", 1)[1]


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkOrderRequest:
    """What ``biz wo create`` was asked for."""

    item: str
    quantity: str
    date: dt.date
    due: dt.date
    warehouse: str | None = None


def check_made(book: Book, code: str) -> None:
    """Refuse an item that is not a made item of the book."""
    items = {i.code: i for i in book.items}
    item = items.get(code)
    if item is None or item.kind is not ItemKind.MADE:
        made = [c for c, i in items.items() if i.kind is ItemKind.MADE]
        raise fail("unknown-item", f"{code!r} is not a made item in items.yaml"
                   f"{closest(code, made)}",
                   hint="work orders make items of kind made ('biz item list' shows them)")


def new_work_order(book: Book, request: NewWorkOrder, taken: Iterable[str] = ()) -> WorkOrder:
    """A numbered work order for ``request`` (numbers in ``taken`` are used too)."""
    check_made(book, request.item)
    year = fiscal_year_of(request.date, book.settings.fiscal_year_start)
    number = next_number([*(o.number for o in book.work_orders), *taken], year,
                         book.settings.prefix("work_order"))
    order, problems = create(request._replace(number=number),
                             next((b for b in book.boms if b.item == request.item), None))
    if order is None:
        raise BizcliError(problems)
    return order


def create_work_order(root: Path, request: WorkOrderRequest, *, dry_run: bool = False) -> str:
    """Number and write a new work order with a copy of the item's BOM; return its text."""
    quantity = quantity_of(request.quantity)
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        check_date(book, request.date)
        check_made(book, request.item)
        where = choose_warehouse(book, request.warehouse, "which warehouse?")
        order = new_work_order(book, NewWorkOrder(
            number="", item=request.item, quantity=quantity, date=request.date,
            due=request.due, warehouse=where))
        if not dry_run:
            write_change(root, (book, state), documents=lambda: write_orders(root, book, [order]))
    return _shown(order)


def _order_items(number: str, book: Book) -> set[str]:
    """The items a completion moves: the finished item, its components and by-products."""
    return {code for o in book.work_orders if o.number == number
            for code in (o.item, *(u.item for u in (*o.components, *o.byproducts)))}


def complete_work_order(root: Path, number: str, quantity: str | None, *,
                        dates: tuple[dt.date, dt.date], dry_run: bool = False) -> str:
    """Backflush the components, receive the finished units, post the entry.

    ``dates`` is (the completion's date, today).
    """
    date, today = dates
    wanted = decimal_option(quantity, "--qty") if quantity is not None else None
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True,
                                      moves_of=partial(_order_items, number))
        check_date(book, date)
        order = find_work_order(book.work_orders, number)
        problems = completion_problems(order, date, wanted)
        if problems:
            raise BizcliError(problems)
        making = wanted if wanted is not None else order.open_quantity
        positions = position_at(stock_valuation(book), date)
        on_hand = {item: p.quantity for (item, warehouse), p in positions.items()
                   if warehouse == order.warehouse}
        problems = shortages(order, making, on_hand)
        if problems:
            raise BizcliError(problems)
        units = {i.code: i.unit for i in book.items}
        issues = consumption(order, date, making, units)
        valued, problems = value_new_moves(book, issues)
        if valued is None:
            raise BizcliError(problems)
        issued = [(move, -sum((v.value for v in effects), ZERO))
                  for move, effects in zip(issues, valued, strict=True)]
        currency = book.settings.currency
        result, problems = complete(order, date, making, issued, Booking(
            units=units, roles=book.settings.roles, currency=currency,
            places=book.precision(currency),
            costs={i.code: i.cost.quantity for i in book.items if i.cost is not None}))
        if result is None:
            raise BizcliError(problems)
        entry, problems = validate_new_transaction(result.entry, book, today)
        if problems:
            raise BizcliError(problems)
        if not dry_run:
            write_change(root, (book, state), moves=result.moves, entries=[entry],
                         documents=lambda: write_orders(root, book, [result.order]))
        precisions = book.precisions()
        text = "".join(write_move(m, precisions) for m in result.moves)
        text += "\n" + write_transaction(entry, precisions)
    return text + repost_hint(back_dated(book, result.moves))


def _change(root: Path, number: str, how: str, *, today: dt.date, dry_run: bool) -> str:
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        check_date(book, today)  # the change happens today
        order = find_work_order(book.work_orders, number)
        changed, problems = (cancel if how == "cancel" else release)(order)
        if changed is None:
            raise BizcliError(problems)
        if not dry_run:
            write_change(root, (book, state),
                         documents=lambda: write_orders(root, book, [changed]))
    return _shown(changed)


def cancel_work_order(root: Path, number: str, *, today: dt.date,
                      dry_run: bool = False) -> str:
    """Close a work order to further completions (today: after the lock date)."""
    return _change(root, number, "cancel", today=today, dry_run=dry_run)


def release_work_order(root: Path, number: str, *, today: dt.date,
                       dry_run: bool = False) -> str:
    """Release a draft work order to the shop floor (today: after the lock date)."""
    return _change(root, number, "release", today=today, dry_run=dry_run)


def quantity_of(text: str) -> Decimal:
    """A quantity typed on the command line (positive, exactly as written)."""
    value = decimal_option(text, "QUANTITY")
    if value is None or value <= 0:
        raise fail("bad-quantity", f"the quantity must be above zero, not {text!r}",
                   hint="e.g. biz wo create TABLE-OAK 4 --due 2026-12-15")
    return value


# --- MRP commit -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Commit:
    """Which planned orders ``biz mrp run --commit`` turns into drafts, and where."""

    picks: tuple[str, ...] = ()
    """Planned order numbers; none: every order due for release by today."""
    warehouse: str | None = None
    today: dt.date


def commit_plan(root: Path, build: Callable[[Book], Plan], commit: Commit, *,
                dry_run: bool = False) -> str:
    """Plan under the lock, then write the chosen planned orders as draft POs and WOs.

    Buy orders become draft purchase orders, one per supplier and date (lines at the
    item's cost, expected on the due date); make orders become draft work orders. The
    next run counts the drafts as scheduled receipts, so it no longer plans them.
    """
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True)
        plan = build(book)
        chosen = _chosen(plan, commit)
        if not chosen:
            return (f"nothing to commit: no planned order is due for release by "
                    f"{commit.today} (pick others with --pick PL-0001)\n")
        warehouse = choose_warehouse(book, commit.warehouse, "which warehouse?")
        purchases = _draft_purchases(book, [o for o in chosen if not o.make], warehouse,
                                     commit.today)
        works: list[WorkOrder] = []
        for order in (o for o in chosen if o.make):
            works.append(new_work_order(book, NewWorkOrder(
                number="", item=order.item, quantity=order.quantity,
                date=max(order.release, commit.today), due=max(order.due, commit.today),
                warehouse=warehouse, draft=True, planned=order.number),
                taken=[w.number for w in works]))
        for day in {p.date for p in purchases} | {w.date for w in works}:
            check_date(book, day)
        if not dry_run:
            write_change(root, (book, state), documents=lambda: [
                *write_purchase_orders(root, book, *purchases),
                *write_orders(root, book, works)])
    text = write_purchases(purchases).split("purchases:\n", 1)[1] if purchases else ""
    if works:
        text += write_work_orders(works).split("work_orders:\n", 1)[1]
    return text + f"# {len(purchases)} draft purchase orders, {len(works)} draft work orders\n"


def _chosen(plan: Plan, commit: Commit) -> list[PlannedOrder]:
    if not commit.picks:
        return [o for o in plan.orders if o.release <= commit.today]
    numbers = {o.number: o for o in plan.orders}
    unknown = [p for p in commit.picks if p not in numbers]
    if unknown:
        raise BizcliError([Problem(code="unknown-planned-order",
                                   message=f"{p} is not among this run's planned orders"
                                           f"{closest(p, numbers)}",
                                   hint="run 'biz mrp run' with the same options to see them")
                           for p in unknown])
    return [numbers[p] for p in dict.fromkeys(commit.picks)]


def _draft_purchases(book: Book, orders: list[PlannedOrder], warehouse: str,
                     today: dt.date) -> list[PurchaseOrder]:
    items = {i.code: i for i in book.items}
    problems = []
    for order in orders:
        item = items[order.item]
        if not order.supplier:
            problems.append(Problem(code="no-supplier", message=f"{order.number}: "
                                    f"{order.item} has no supplier in items.yaml",
                                    hint=f"add 'supplier: CODE' to {order.item}, or leave "
                                         f"{order.number} out (--pick)"))
        elif item.cost is None:
            problems.append(Problem(code="missing-unit-cost", message=f"{order.number}: "
                                    f"{order.item} has no cost in items.yaml to order at",
                                    hint=f"add 'cost: ...' to {order.item}"))
    if problems:
        raise BizcliError(problems)
    groups: dict[tuple[str, dt.date, dt.date], list[PlannedOrder]] = {}
    for order in orders:
        key = (order.supplier or "", max(order.release, today), max(order.due, today))
        groups.setdefault(key, []).append(order)
    start = book.settings.fiscal_year_start
    taken = [o.number for o in book.purchases]
    out = []
    for (supplier, date, due), members in sorted(groups.items()):
        quantities: dict[str, Decimal] = {}
        for member in members:
            quantities[member.item] = quantities.get(member.item, ZERO) + member.quantity
        number = next_number(taken, fiscal_year_of(date, start),
                             book.settings.prefix("purchase_order"))
        taken.append(number)
        lines = tuple(OrderLine(item=code, quantity=quantity, price=cost.quantity)
                      for code, quantity in quantities.items()
                      if (cost := items[code].cost) is not None)
        out.append(PurchaseOrder(number=number, supplier=supplier, date=date,
                                 warehouse=warehouse, currency=book.settings.currency,
                                 lines=lines, expected=due, draft=True))
    return out
