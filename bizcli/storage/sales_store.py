"""``biz sale quote | order | ship | invoice | pay | cancel``: checked, then written.

Everything happens under the book lock: load, check every rule, then write. A shipment
touches three files (the stock file, the journal, the sales file); each is replaced
atomically, in that order, so a crash between them shows up in ``biz check`` as an
inventory drift or a shipment missing from its order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from pathlib import Path

from bizcli.core.book import Book
from bizcli.core.codes import closest
from bizcli.core.documents.purchases import next_number
from bizcli.core.documents.sales import (
    CustomerPayment,
    InvoiceTerms,
    Ledger,
    PaymentRequest,
    Promise,
    SaleKind,
    SaleLine,
    SalesOrder,
    ShippedLine,
    apply_credit,
    cancel,
    exposure,
    find_sale,
    gross_of,
    invoice,
    open_invoices,
    receive_payment,
    reserved,
    returned,
    ship_moves,
    shipped,
)
from bizcli.core.ledger.posting import validate_new_transaction
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.money import ZERO, format_amount
from bizcli.core.parties import Party
from bizcli.core.periods import fiscal_year_of
from bizcli.core.problems import BizcliError, Problem, fail
from bizcli.core.stock.items import ItemKind
from bizcli.core.stock.ledger import stock_valuation
from bizcli.core.stock.moves import StockMove
from bizcli.core.stock.posting import back_dated, value_new_moves
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.cache import no_moves
from bizcli.storage.commit import write_change
from bizcli.storage.journal_writer import write_transaction
from bizcli.storage.loader import SALES_DIR, CacheState, load_for_update
from bizcli.storage.order_lines import decimal_option, typed_lines
from bizcli.storage.sales_file import write_sales
from bizcli.storage.stock_reader import write_move
from bizcli.storage.stock_store import repost_hint


def _ledger(book: Book, currency: str) -> Ledger:
    return Ledger(roles=book.settings.roles, places=book.precision(currency),
                  units={i.code: i.unit for i in book.items},
                  services=frozenset(i.code for i in book.items if i.kind is ItemKind.SERVICE))


def _customer(book: Book, code: str) -> Party:
    found = next((c for c in book.customers if c.code == code), None)
    if found is None:
        raise fail("unknown-customer", f"customer {code!r} is not in customers.yaml"
                   f"{closest(code, (c.code for c in book.customers))}",
                   hint="add it with 'biz customer add' or fix the code")
    return found


def check_date(book: Book, day: dt.date) -> None:
    """Refuse a document dated on or before the lock date (sales, purchases, work orders)."""
    lock = book.settings.lock_date
    if lock is not None and day <= lock:
        raise fail("locked-period", f"{day} is on or before the lock date {lock}",
                   hint="date it after the lock date")


def _sale_items(number: str, book: Book) -> set[str]:
    """The items on sales document ``number``: the moves a shipment is valued against."""
    return {line.item for s in book.sales if s.number == number for line in s.lines}


def _write(root: Path, book: Book, sales: Iterable[SalesOrder] = (),
           payments: Iterable[CustomerPayment] = ()) -> list[str]:
    """Rewrite the year files that hold the changed documents (and only those)."""
    start = book.settings.fiscal_year_start
    sales, payments = list(sales), list(payments)
    changed = {s.number: s for s in sales}
    paid = {p.number: p for p in payments}
    all_sales = [changed.pop(s.number, s) for s in book.sales] + list(changed.values())
    all_payments = [paid.pop(p.number, p) for p in book.payments] + list(paid.values())
    years = {fiscal_year_of(s.date, start) for s in sales} | {
        fiscal_year_of(p.date, start) for p in payments}
    for year in sorted(years):
        write_atomic(root / SALES_DIR / f"{year}.yaml", write_sales(
            [s for s in all_sales if fiscal_year_of(s.date, start) == year],
            [p for p in all_payments if fiscal_year_of(p.date, start) == year]))
    return [f"{SALES_DIR}/{year}.yaml" for year in sorted(years)]


def write_documents(root: Path, book: Book, sales: Iterable[SalesOrder] = (),
                    payments: Iterable[CustomerPayment] = ()) -> list[str]:
    """Rewrite the year files holding these changed documents (the caller holds the lock)."""
    return _write(root, book, sales, payments)


# --- quote and order -----------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class SaleRequest:
    """What ``biz sale quote`` or ``biz sale order`` was asked for."""

    kind: SaleKind
    customer: str | None
    lines: tuple[str, ...]
    date: dt.date
    warehouse: str | None = None
    due: dt.date | None = None
    from_quote: str | None = None
    override: bool = False
    deal: str | None = None
    """The CRM deal being won (recorded on the document)."""


def _ordering_items(request: SaleRequest, book: Book) -> set[str]:
    """The items a new quote or order names (or its quote's): for available-to-promise."""
    typed = {t.item for t in typed_lines(request.lines, prices=True, example="TABLE-OAK=2")}
    return typed | (_sale_items(request.from_quote, book) if request.from_quote else set())


def sale_lines(book: Book, texts: tuple[str, ...]) -> tuple[SaleLine, ...]:
    """``ITEM=QTY[@PRICE]`` arguments as order lines: known items, prices, tax rates."""
    items = {i.code: i for i in book.items}
    lines, problems = [], []
    for typed in typed_lines(texts, prices=True, example="TABLE-OAK=2@1450"):
        item = items.get(typed.item)
        if item is None:
            problems.append(Problem(code="unknown-item", message=f"item {typed.item!r} is not "
                                    f"in items.yaml{closest(typed.item, items)}",
                                    hint="add it with 'biz item add' or fix the code"))
            continue
        price = typed.price if typed.price is not None else (
            item.sale_price.quantity if item.sale_price else None)
        if price is None:
            problems.append(Problem(code="missing-price", message=f"{item.code} has no "
                                    "sale_price in items.yaml",
                                    hint=f"give the price: {item.code}={typed.quantity}@100"))
            continue
        if not typed.quantity:
            problems.append(Problem(code="bad-order-line", message=f"{item.code}: the "
                                    "quantity must be more than 0", hint="e.g. TABLE-OAK=2"))
            continue
        lines.append(SaleLine(item=item.code, quantity=typed.quantity, price=price,
                              tax_rate=item.tax_rate or ZERO))
    if problems:
        raise BizcliError(problems)
    if not lines:
        raise fail("bad-order-line", "a quote or an order needs at least one line",
                   hint="e.g. biz sale order HARBOR TABLE-OAK=2 CHAIR-OAK=8")
    return tuple(lines)


def choose_warehouse(book: Book, wanted: str | None,
                     question: str = "which warehouse will the goods leave from?") -> str:
    """The warehouse named, or the book's only one; an error asking ``question`` if not."""
    if wanted is None:
        if len(book.warehouses) == 1:
            return book.warehouses[0].code
        raise fail("unknown-warehouse", f"{question} the book has {len(book.warehouses)}",
                   hint="give --warehouse CODE ('biz warehouse list' shows them)")
    if wanted not in {w.code for w in book.warehouses}:
        raise fail("unknown-warehouse", f"warehouse {wanted!r} is not in warehouses.yaml"
                   f"{closest(wanted, (w.code for w in book.warehouses))}",
                   hint="'biz warehouse list' shows them")
    return wanted


def promises(book: Book, order: SalesOrder) -> list[Promise]:
    """Available-to-promise per stocked line: on hand - reserved + incoming by the due date.

    Incoming is what open purchase orders and work orders bring into the order's
    warehouse on or before its due date (drafts included).
    """
    services = _ledger(book, order.currency).services
    on_hand: dict[tuple[str, str], Decimal] = {}
    items = {line.item for line in order.lines}
    for position in stock_valuation(book, [m for m in book.stock_moves or ()
                                           if m.item in items and m.date <= order.date]
                                    ).positions:
        on_hand[position.item, position.warehouse] = position.quantity
    by_date = order.due or order.date
    out = []
    for line in order.lines:
        if line.item in services:
            continue
        incoming = sum((p.open_quantity(line.item) for p in book.purchases
                        if not p.cancelled and p.warehouse == order.warehouse
                        and (p.expected or p.date) <= by_date), ZERO) + sum(
            (w.open_quantity for w in book.work_orders if w.item == line.item
             and w.warehouse == order.warehouse and w.due <= by_date), ZERO)
        out.append(Promise(line.item, line.quantity,
                           on_hand.get((line.item, order.warehouse), ZERO),
                           reserved(book.sales, line.item, order.warehouse, but=order.number),
                           incoming))
    return out


def _credit_check(book: Book, customer: Party, order: SalesOrder, override: bool
                  ) -> str:
    if customer.credit_limit is None:
        return ""
    places = book.precision(order.currency)
    used = exposure(customer.code, book.sales, book.payments, places)
    total = gross_of(order.lines, places)

    def shown(quantity: Decimal) -> str:
        return format_amount(quantity, order.currency, places)

    line = (f"credit: {shown(used)} open + {shown(total)} this order = "
            f"{shown(used + total)} of a {shown(customer.credit_limit)} limit")
    if used + total > customer.credit_limit and not override:
        raise fail("credit-limit", f"{customer.code}'s {line}",
                   hint="ask for payment first, or pass --override to accept the order anyway")
    return line + (" (over the limit: accepted with --override)"
                   if used + total > customer.credit_limit else "")


def create_sale(root: Path, request: SaleRequest, *, dry_run: bool = False) -> str:
    """Number and write a quote or an order; return its text (and, for an order, ATP)."""
    with book_lock(root):
        return create_sale_locked(root, request, dry_run=dry_run)[0]


def create_sale_locked(root: Path, request: SaleRequest, *, dry_run: bool = False
                       ) -> tuple[str, SalesOrder]:
    """``create_sale`` for a caller that holds the book lock; also the document written."""
    book, state = load_for_update(root, need_stock=True, moves_of=partial(
        _ordering_items, request))
    check_date(book, request.date)
    quote = find_sale(book.sales, request.from_quote) if request.from_quote else None
    if quote is not None:
        if quote.kind is not SaleKind.QUOTE or quote.state.value != "quoted":
            raise fail("order-closed", f"{quote.number} is not an open quote (it is "
                       f"{quote.state.value})", hint="'biz sale list' shows open quotes")
        if request.customer and request.customer != quote.customer:
            raise fail("unknown-customer", f"{quote.number} is a quote to "
                       f"{quote.customer}, not {request.customer}",
                       hint="leave the customer out when ordering from a quote")
    code = request.customer or (quote.customer if quote else None)
    if code is None:
        raise fail("unknown-customer", "which customer? give a customer code or --from "
                   "a quote", hint="e.g. biz sale order HARBOR TABLE-OAK=2")
    customer = _customer(book, code)
    lines = sale_lines(book, request.lines) if request.lines else (
        quote.lines if quote else sale_lines(book, ()))
    year = fiscal_year_of(request.date, book.settings.fiscal_year_start)
    prefix = book.settings.prefix("quote" if request.kind is SaleKind.QUOTE
                                  else "sales_order")
    sale = SalesOrder(
        number=next_number([s.number for s in book.sales], year, prefix),
        kind=request.kind, customer=customer.code, date=request.date,
        warehouse=choose_warehouse(book, request.warehouse or (quote.warehouse if quote
                                                         else None)),
        currency=customer.currency or book.settings.currency, lines=lines,
        due=request.due, link=quote.number if quote else None,
        deal=request.deal or (quote.deal if quote else None))
    notes = []
    if request.kind is SaleKind.ORDER:
        notes.append(_credit_check(book, customer, sale, request.override))
        notes.extend(_promise_lines(promises(book, sale)))
    changed = [sale] + ([replace(quote, link=sale.number)] if quote else [])
    if not dry_run:
        write_change(root, (book, state), documents=lambda: _write(root, book, changed))
    text = write_sales([sale]).split("sales:\n", 1)[1]
    return text + "".join(f"# {n}\n" for n in notes if n), sale


def _promise_lines(found: Sequence[Promise]) -> list[str]:
    out = []
    for p in found:
        short = "" if p.available >= p.quantity else (
            f"  SHORT by {p.quantity - max(p.available, ZERO)}")
        out.append(f"{p.item}: {p.quantity} wanted; available to promise {p.available} "
                   f"(on hand {p.on_hand} - reserved {p.reserved} + incoming {p.incoming})"
                   f"{short}")
    return out


# --- ship, invoice -------------------------------------------------------------------

def ship_order(root: Path, number: str, texts: tuple[str, ...], *,
               dates: tuple[dt.date, dt.date], dry_run: bool = False) -> str:
    """Ship on an order: stock issues at valuation cost, the COGS entry, the order.

    ``dates`` is (the shipment's date, today).
    """
    date, today = dates
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=partial(_sale_items, number))
        check_date(book, date)
        order = find_sale(book.sales, number)
        ledger = _ledger(book, order.currency)
        wanted = {t.item: t.quantity for t in typed_lines(
            texts, prices=False, example="TABLE-OAK=1")} or None
        moves, problems = ship_moves(order, date, wanted, ledger)
        if problems:
            raise BizcliError(problems)
        updated, entry = shipped(order, date, _costs(book, moves), ledger)
        text = _commit(root, (book, state), _Writes(moves, entry, [updated]), today, dry_run)
    return text + repost_hint(back_dated(book, moves))


def _costs(book: Book, moves: Sequence[StockMove]) -> list[ShippedLine]:
    """Per move, the line with its cost for the document (its change of stock value)."""
    valued, problems = value_new_moves(book, moves)
    if valued is None:
        raise BizcliError(problems)
    return [ShippedLine(m.item, m.quantity, abs(sum((v.value for v in effects), ZERO)))
            for m, effects in zip(moves, valued, strict=True)]


@dataclass(frozen=True, slots=True)
class _Writes:
    moves: Sequence[StockMove]
    entry: Transaction | None
    sales: Sequence[SalesOrder]
    payments: Sequence[CustomerPayment] = ()


def _commit(root: Path, loaded: tuple[Book, CacheState | None], writes: _Writes,
            today: dt.date, dry_run: bool) -> str:
    """Check the entry, then write stock, journal and sales files; return what was written.

    Afterwards the load cache is brought up to date with what was written.
    """
    book = loaded[0]
    entry = writes.entry
    if entry is not None:
        entry, problems = validate_new_transaction(entry, book, today)
        if problems:
            raise BizcliError(problems)
    precisions = book.precisions()
    if not dry_run:
        write_change(root, loaded, moves=writes.moves,
                     entries=[entry] if entry is not None else [],
                     documents=lambda: _write(root, book, writes.sales, writes.payments))
    moves = "".join(write_move(m, precisions) for m in writes.moves)
    return moves + ("\n" if moves and entry else "") + (
        write_transaction(entry, precisions) if entry else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceRequest:
    """What ``biz sale invoice`` was asked for."""

    order: str
    lines: tuple[str, ...]
    date: dt.date
    due: dt.date | None = None


def invoice_order(root: Path, request: InvoiceRequest, *, today: dt.date,
                  dry_run: bool = False) -> str:
    """Invoice what was shipped: Receivable / Sales + Output tax, due after the terms."""
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        check_date(book, request.date)
        order = find_sale(book.sales, request.order)
        customer = _customer(book, order.customer)
        days = customer.payment_terms_days if customer.payment_terms_days is not None else 30
        year = fiscal_year_of(request.date, book.settings.fiscal_year_start)
        numbers = [i.number for s in book.sales for i in s.invoices]
        terms = InvoiceTerms(next_number(numbers, year, book.settings.prefix("invoice")),
                             request.date,
                             request.due or request.date + dt.timedelta(days=days))
        wanted = {t.item: t.quantity for t in typed_lines(
            request.lines, prices=False, example="TABLE-OAK=1")} or None
        done, problems = invoice(order, wanted, terms, _ledger(book, order.currency))
        if done is None:
            raise BizcliError(problems)
        updated, new, entry = done
        credited = apply_credit(book.payments, order.customer, new)
        text = _commit(root, (book, state), _Writes((), entry, [updated], credited), today,
                       dry_run)
    applied = sum((a for p in credited for n, a in p.applied if n == new.number), ZERO)
    note = (f"# {applied} of {order.customer}'s credit applied; open "
            f"{new.total - applied}\n" if applied else "")
    return text + note


# --- payment -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class PayRequest:
    """What ``biz sale pay`` was asked for."""

    customer: str
    amount: str
    date: dt.date
    invoices: tuple[str, ...] = ()
    account: str | None = None


def pay_invoices(root: Path, request: PayRequest, *, today: dt.date,
                 dry_run: bool = False) -> str:
    """Record money received and apply it to open invoices (oldest due first)."""
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        check_date(book, request.date)
        customer = _customer(book, request.customer)
        amount = decimal_option(request.amount, "AMOUNT")
        assert amount is not None
        roles = book.settings.roles
        account = request.account or roles.get("bank", "Assets:Bank:Checking")
        year = fiscal_year_of(request.date, book.settings.fiscal_year_start)
        number = next_number([p.number for p in book.payments], year,
                             book.settings.prefix("payment"))
        owed = open_invoices(book.sales, book.payments)
        done, problems = receive_payment(
            PaymentRequest(number, customer.code, amount, request.date, account,
                           request.invoices), owed,
            customer.currency or book.settings.currency,
            roles.get("receivable", "Assets:Receivable"))
        if done is None:
            raise BizcliError(problems)
        payment, entry = done
        text = _commit(root, (book, state), _Writes((), entry, [], [payment]), today, dry_run)
    applied = ", ".join(f"{n} {a}" for n, a in payment.applied) or "nothing open"
    credit = (f"; {payment.unapplied} kept as {customer.code}'s credit"
              if payment.unapplied else "")
    return text + f"# {payment.number}: applied to {applied}{credit}\n"


# --- cancel --------------------------------------------------------------------------

def cancel_sale(root: Path, number: str, *, dates: tuple[dt.date, dt.date],
                return_goods: bool = False, dry_run: bool = False) -> str:
    """Cancel what is open on a quote or an order; ``return_goods`` reverses shipments.

    ``dates`` is (the cancellation's date, today).
    """
    date, today = dates
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=partial(_sale_items, number))
        check_date(book, date)
        order = find_sale(book.sales, number)
        ledger = _ledger(book, order.currency)
        done, problems = cancel(order, date, ledger, return_goods=return_goods)
        if done is None:
            raise BizcliError(problems)
        updated, entry = returned(done.order, date, _costs(book, done.returns), ledger) if (
            done.returns) else (done.order, None)
        text = _commit(root, (book, state), _Writes(done.returns, entry, [updated]), today,
                       dry_run)
    kept = [f"{line.item} {order.shipped(line.item) - order.invoiced(line.item)}"
            for line in order.lines if not return_goods and line.item not in ledger.services
            and order.shipped(line.item) > order.invoiced(line.item)]
    note = (f"# shipped, not invoiced, kept: {', '.join(kept)} (invoice them, or cancel "
            "with --return to take them back)\n" if kept else "")
    return f"# cancelled {number}\n" + text + note
