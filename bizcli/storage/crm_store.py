"""``biz crm deal add | move | won | lost | reopen | edit``: checked, then written.

Under the book lock: load the CRM (and the book's customers and items when the change
names them), apply the change, rewrite ``crm/deals.yaml`` atomically, store the CRM
cache. Winning a deal with product lines also writes its sales order (or quote) first;
a crash between the two leaves an order naming a deal that is not won, which
``biz check`` reports and ``biz crm deal won`` then links instead of ordering again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from bizcli.core.book import Book
from bizcli.core.codes import closest
from bizcli.core.crm import changes
from bizcli.core.crm.book import Crm
from bizcli.core.crm.deals import Deal, DealLine, StageChange, lines_amount
from bizcli.core.documents.purchases import next_number
from bizcli.core.documents.sales import SaleKind
from bizcli.core.problems import BizcliError, Problem, fail
from bizcli.core.source import SourceRef
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.cache import no_moves
from bizcli.storage.crm_file import DEALS_FILE, deal_data, write_deals
from bizcli.storage.crm_loader import load_crm_for_write, refresh_crm
from bizcli.storage.loader import load_for_update
from bizcli.storage.order_lines import typed_lines
from bizcli.storage.sales_store import SaleRequest, create_sale_locked

DEAL_PREFIX = "D"


def _records(root: Path) -> Book:
    return load_for_update(root, need_stock=True, moves_of=no_moves)[0]


def _customer_currency(book: Book, code: str) -> str:
    found = next((c for c in book.customers if c.code == code), None)
    if found is None:
        raise fail("unknown-customer", f"customer {code!r} is not in customers.yaml"
                   f"{closest(code, (c.code for c in book.customers))}",
                   hint="add it with 'biz customer add' or fix the code")
    return found.currency or book.settings.currency


def _deal_lines(book: Book, texts: tuple[str, ...]) -> tuple[DealLine, ...]:
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
        elif not typed.quantity:
            problems.append(Problem(code="bad-order-line", message=f"{item.code}: the "
                                    "quantity must be more than 0", hint="e.g. TABLE-OAK=2"))
        else:
            lines.append(DealLine(item.code, typed.quantity, price))
    if problems:
        raise BizcliError(problems)
    return tuple(lines)


def find_deal(crm: Crm, number: str) -> Deal:
    """The deal with that number; an ``unknown-deal`` error naming the closest."""
    found = crm.deal(number)
    if found is None:
        raise fail("unknown-deal", f"deal {number!r} does not exist"
                   f"{closest(number, (d.number for d in crm.deals))}",
                   hint="'biz crm deal list' shows the deals")
    return found


def _save(root: Path, crm: Crm, changed: Deal, *, dry_run: bool) -> str:
    """Write the deals file with ``changed`` in it; return the deal's text."""
    deals = [changed if d.number == changed.number else d for d in crm.deals]
    if crm.deal(changed.number) is None:
        deals.append(changed)
    if not dry_run:
        text, lines = write_deals(crm.leads, deals)
        write_atomic(root / DEALS_FILE, text)
        refresh_crm(root, replace(
            crm, leads=tuple(replace(x, ref=SourceRef(DEALS_FILE, lines[x.number]))
                             for x in crm.leads),
            deals=tuple(replace(d, ref=SourceRef(DEALS_FILE, lines[d.number]))
                        for d in sorted(deals, key=lambda d: d.number))),
            {DEALS_FILE: text})
    return dump_yaml([deal_data(changed)])


@dataclass(frozen=True, slots=True, kw_only=True)
class DealRequest:
    """What ``biz crm deal add`` was asked for."""

    customer: str
    title: str
    date: dt.date
    lines: tuple[str, ...] = ()
    amount: Decimal | None = None
    stage: str | None = None
    owner: str | None = None
    source: str | None = None
    campaign: str | None = None
    expected_close: dt.date | None = None
    probability: Decimal | None = None
    notes: str | None = None
    lead: str | None = None


def new_deal(crm: Crm, book: Book, request: DealRequest) -> Deal:
    """The deal a request describes, numbered and checked (nothing written)."""
    if not request.title.strip():
        raise fail("missing-key", "a deal needs a title", hint="e.g. 'Dining set for the "
                   "new restaurant'")
    currency = _customer_currency(book, request.customer)
    lines = _deal_lines(book, request.lines)
    amount = request.amount if request.amount is not None else lines_amount(lines)
    if request.amount is None and not lines:
        raise fail("missing-amount", "how much is the deal worth?",
                   hint="give --amount 4800, or product lines like TABLE-OAK=2@1450")
    stage = request.stage or crm.settings.stages[0].name
    if stage not in {s.name for s in crm.settings.stages}:
        raise fail("unknown-stage", f"{stage!r} is not an open stage of this book",
                   hint="stages: " + ", ".join(s.name for s in crm.settings.stages))
    if request.expected_close is not None and request.expected_close < request.date:
        raise fail("bad-date", f"the expected close {request.expected_close} is before the "
                   f"deal opens ({request.date})", hint="give a later --close date")
    number = next_number([d.number for d in crm.deals], request.date.year, DEAL_PREFIX)
    return Deal(number=number, customer=request.customer, title=request.title.strip(),
                amount=amount, currency=currency,
                history=(StageChange(request.date, stage),), owner=request.owner,
                source=request.source, campaign=request.campaign, lines=lines,
                expected_close=request.expected_close,
                probability=changes.check_probability(request.probability),
                notes=request.notes, lead=request.lead)


def add_deal(root: Path, request: DealRequest, *, dry_run: bool = False) -> str:
    """Open a deal; return its text as written."""
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        deal = new_deal(crm, _records(root), request)
        return _save(root, crm, deal, dry_run=dry_run)


def change_deal(root: Path, number: str, change: Callable[[Crm, Deal], Deal], *,
                dry_run: bool = False) -> str:
    """Apply ``change`` to a deal and write it; return the deal's text."""
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        deal = change(crm, find_deal(crm, number))
        return _save(root, crm, deal, dry_run=dry_run)


@dataclass(frozen=True, slots=True, kw_only=True)
class WinRequest:
    """What ``biz crm deal won`` was asked for."""

    number: str
    date: dt.date
    quote: bool = False
    warehouse: str | None = None
    override: bool = False
    due: dt.date | None = None


def win_deal(root: Path, request: WinRequest, *, dry_run: bool = False) -> str:
    """Mark a deal won; with product lines, write its sales order (or quote) too."""
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        deal = changes.win(find_deal(crm, request.number), request.date)
        if not deal.lines:
            return _save(root, crm, deal, dry_run=dry_run)
        book = _records(root)
        made = [s for s in book.sales if s.deal == deal.number]
        if made:  # written by a win that stopped before the deal was saved
            won = replace(deal, order=made[0].number)
            return (_save(root, crm, won, dry_run=dry_run)
                    + f"# linked {made[0].number}, already written for this deal\n")
        kind = SaleKind.QUOTE if request.quote else SaleKind.ORDER
        sale_text, sale = create_sale_locked(root, SaleRequest(
            kind=kind, customer=deal.customer, date=request.date,
            lines=tuple(f"{i}={q}@{p}" for i, q, p in deal.lines),
            warehouse=request.warehouse, due=request.due, override=request.override,
            deal=deal.number), dry_run=dry_run)
        return _save(root, crm, replace(deal, order=sale.number), dry_run=dry_run) + sale_text
