"""Closing a period: what must be true before its books are locked.

``biz close 2026-11`` runs every check below on the loaded book and refuses, listing
each blocking problem with what to do, unless all pass. The checks that concern the
period look at what is dated on or before its last day; "the future" is after today.
A check may be accepted for this close with ``--allow NAME`` (shipments that are
invoiced next month, say); the close then says which ones were accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.book import Book
from bizcli.core.documents.backlog import Pending, not_billed, not_invoiced
from bizcli.core.ledger.accounts import AccountType
from bizcli.core.ledger.transactions import Posting, Transaction
from bizcli.core.money import ZERO, Amount
from bizcli.core.periods import Period
from bizcli.core.problems import CROSS_CHECKS, Problem, Severity
from bizcli.core.source import SourceRef


class Check(NamedTuple):
    """One check of the close: its name (for ``--allow``) and what it proves."""

    name: str
    code: str
    what: str


CHECKS = (
    Check("book", "book-invalid", "every file of the book reads without errors (biz check), "
          "every entry balances and every balance assertion holds"),
    Check("inventory", "inventory-drift", "the inventory account equals the stock valuation"),
    Check("drafts", "draft-documents", "no draft purchase or work order is dated in or "
          "before the period"),
    Check("not-invoiced", "not-invoiced", "every shipment of the period is invoiced"),
    Check("not-billed", "not-billed", "every receipt of the period is billed"),
    Check("future", "future-entries", "nothing is dated after today"),
)
CHECK_NAMES = tuple(c.name for c in CHECKS)
ALLOWABLE = ("drafts", "not-invoiced", "not-billed")
"""The checks a close may accept; a broken book, a drift or the future never."""


class Outcome(NamedTuple):
    """Each check's problems (empty: passed) and the ones accepted with ``--allow``."""

    problems: dict[str, list[Problem]]
    allowed: frozenset[str]

    @property
    def blocking(self) -> list[Problem]:
        """The problems of every check that failed and was not accepted."""
        return [p for name in CHECK_NAMES if name not in self.allowed
                for p in self.problems.get(name, [])]


def close_checks(book: Book, load_problems: Iterable[Problem], end: dt.date,
                 today: dt.date, allowed: Iterable[str] = ()) -> Outcome:
    """Run every check of closing the period that ends on ``end``."""
    loaded = list(load_problems)
    found: dict[str, list[Problem]] = {
        "book": [p for p in loaded if p.severity is Severity.ERROR
                 and p.code not in CROSS_CHECKS],
        "inventory": [p for p in loaded if p.code in CROSS_CHECKS],
        "drafts": _drafts(book, end),
        "not-invoiced": [Problem(code="not-invoiced", source=_source(book, p.number),
                                 message=_message(p, _NOT_INVOICED),
                                 hint=_hint(p, _NOT_INVOICED))
                         for p in not_invoiced(book.sales, end)],
        "not-billed": [Problem(code="not-billed", source=_source(book, p.number),
                               message=_message(p, _NOT_BILLED), hint=_hint(p, _NOT_BILLED))
                       for p in not_billed(book.purchases, end)],
        "future": _future(book, today),
    }
    return Outcome(found, frozenset(allowed))


def _source(book: Book, number: str) -> SourceRef | None:
    for sale in book.sales:
        if sale.number == number:
            return sale.source
    for order in book.purchases:
        if order.number == number:
            return order.source
    return None


class _Missing(NamedTuple):
    check: str
    done: str
    missing: str
    command: str


_NOT_INVOICED = _Missing("not-invoiced", "shipped", "invoiced", "biz sale invoice")
_NOT_BILLED = _Missing("not-billed", "received", "billed", "biz purchase bill")


def _message(pending: Pending, kind: _Missing) -> str:
    return (f"{pending.number} ({pending.party}): {pending.quantity} units {kind.done} by "
            f"{pending.date} are not {kind.missing} ({pending.value:.2f} {pending.currency} "
            f"at the order's prices)")


def _hint(pending: Pending, kind: _Missing) -> str:
    return (f"run '{kind.command} {pending.number}', or accept it for this close with "
            f"--allow {kind.check}")


def _drafts(book: Book, end: dt.date) -> list[Problem]:
    out = [Problem(code="draft-documents", source=o.source,
                   message=f"purchase order {o.number} is a draft dated {o.date}",
                   hint=f"confirm it ('biz purchase confirm {o.number}') or cancel it")
           for o in book.purchases if o.draft and not o.cancelled and o.date <= end]
    out += [Problem(code="draft-documents", source=w.source,
                    message=f"work order {w.number} is a draft dated {w.date}",
                    hint=f"release it ('biz wo release {w.number}') or cancel it")
            for w in book.work_orders if w.draft and not w.cancelled and w.date <= end]
    return out


def _future(book: Book, today: dt.date) -> list[Problem]:
    out = []
    last = book.balances.last_date()
    if last is not None and last > today:
        out.append(Problem(code="future-entries", message=(
            f"the journal has entries dated up to {last}, after today ({today})"),
            hint="date them when they happen, or correct a mistyped year"))
    dated: list[tuple[dt.date, str, SourceRef | None]] = []
    for sale in book.sales:
        dated += [(sale.date, sale.number, sale.source)]
        dated += [(s.date, f"a shipment of {sale.number}", sale.source) for s in sale.shipments]
        dated += [(i.date, f"invoice {i.number}", sale.source) for i in sale.invoices]
    for order in book.purchases:
        dated += [(r.date, f"a receipt of {order.number}", order.source) for r in order.receipts]
        dated += [(b.date, f"bill {b.number}", order.source) for b in order.bills]
    dated += [(p.date, f"payment {p.number}", p.source) for p in book.payments]
    for work in book.work_orders:
        dated += [(c.date, f"a completion of {work.number}", work.source)
                  for c in work.completions]
    out += [Problem(code="future-entries", source=source,
                    message=f"{what} is dated {day}, after today ({today})",
                    hint="date it when it happens, or correct a mistyped year")
            for day, what, source in dated if day > today]
    return out


def period_problems(end: dt.date, today: dt.date, lock: dt.date | None) -> list[Problem]:
    """Why a period cannot be closed at all: not over yet, or closed already."""
    if end >= today:
        return [Problem(code="period-not-over", message=(
            f"the period ends on {end}; today is {today}"),
            hint="close a period once its last day has passed")]
    if lock is not None and lock >= end:
        return [Problem(code="already-closed", message=(
            f"the books are locked up to {lock}, which covers the period ending {end}"),
            hint="'biz reopen PERIOD --reason ...' moves the lock back first")]
    return []


def summary_lines(outcome: Outcome) -> Sequence[tuple[str, str, int]]:
    """Per check: its name, ``ok``/``blocked``/``allowed``, and how many problems."""
    out = []
    for check in CHECKS:
        count = len(outcome.problems.get(check.name, []))
        state = "ok" if not count else "allowed" if check.name in outcome.allowed else "blocked"
        out.append((check.name, state, count))
    return out


# --- year-end ---------------------------------------------------------------------------

class YearEnd(NamedTuple):
    """The two entries of a year-end close."""

    retain: Transaction | None
    """On the year's last day: every income and expense account of the year to zero,
    the difference (the year's profit) into retained earnings. None: nothing to move."""
    opening: Transaction
    """On the next year's first day, first in its file: each balance-sheet account's
    balance, as a balance assertion on a zero posting."""


def year_end_entries(book: Book, year: Period, retained: str) -> YearEnd:
    """The year-end close: hledger's ``close --retain``, and the next year opened.

    The opening balances are assertions rather than amounts: bizcli, hledger and ledger
    read every year's file together, where an opening entry with amounts would count
    the balances twice. The assertions prove, the moment the next year starts, that its
    balance sheet is the old year's.
    """
    assert year.start is not None
    assert year.end is not None
    last_day = year.end - dt.timedelta(days=1)
    chart = book.chart
    profit_and_loss = (AccountType.INCOME, AccountType.EXPENSE)
    moved = sorted((account, commodity, quantity) for (account, commodity), quantity in
                   book.balances.between(year.start, year.end).items()
                   if quantity and chart.type_of(account) in profit_and_loss)
    retain = None
    label = f"FY{year.start.year}" if year.label.isdigit() else year.label
    if moved:
        into: dict[str, Decimal] = {}
        for _, commodity, quantity in moved:
            into[commodity] = into.get(commodity, ZERO) + quantity
        postings = [Posting(account, Amount(-quantity, commodity))
                    for account, commodity, quantity in moved]
        postings += [Posting(retained, Amount(quantity, commodity))
                     for commodity, quantity in sorted(into.items()) if quantity]
        retain = Transaction(date=last_day, description=(
            f"Year-end close {label}: income and expenses into retained earnings"),
            postings=tuple(postings), tags=(("close", label),))
    closing: dict[tuple[str, str], Decimal] = {}
    for (account, commodity), quantity in book.balances.between(None, year.end).items():
        if chart.type_of(account) not in profit_and_loss:
            closing[account, commodity] = closing.get((account, commodity), ZERO) + quantity
    for posting in retain.postings if retain else ():
        if posting.account == retained and posting.amount is not None:
            key = (retained, posting.amount.commodity)
            closing[key] = closing.get(key, ZERO) + posting.amount.quantity
    parents = {name.rsplit(":", 1)[0] for name, _ in closing if ":" in name}
    for key in [k for k in closing if k[0] in parents]:
        del closing[key]  # hledger and ledger read an assertion on a parent differently
    opening = Transaction(date=year.end, description=f"Opening balances after {label}",
                          postings=tuple(Posting(account, Amount(ZERO, commodity),
                                                 assertion=Amount(quantity, commodity))
                                         for (account, commodity), quantity in
                                         sorted(closing.items()) if quantity),
                          tags=(("open", label),))
    return YearEnd(retain, opening)
