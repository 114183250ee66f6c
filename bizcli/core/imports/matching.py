"""Statement rows matched to the open invoices and bills they pay.

Money in is matched to open customer invoices, money out to open supplier bills: first
by a document number written in the row's description or reference, then by the amount
(one open document of exactly that amount; among several, the one whose customer or
supplier the description names). Rows are taken in date order, and what a row pays is
no longer open for the next.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.documents.purchases import PurchaseOrder
from bizcli.core.documents.sales import OpenInvoice
from bizcli.core.imports.bank import StatementRow
from bizcli.core.parties import Party

INVOICE = "invoice"
BILL = "bill"


class OpenItem(NamedTuple):
    """An open customer invoice or supplier bill, and what is still owed on it."""

    kind: str
    number: str
    party: str
    order: str
    date: dt.date
    amount: Decimal
    currency: str
    names: tuple[str, ...] = ()
    """The party's code and name, as a description may write them (lower case)."""


class Match(NamedTuple):
    """The documents a row pays, and how they were found (``reference`` or ``amount``)."""

    items: tuple[OpenItem, ...]
    how: str

    @property
    def numbers(self) -> str:
        """``SI-2026-0012, SI-2026-0013``."""
        return ", ".join(item.number for item in self.items)


class Proposal(NamedTuple):
    """A row's match, or a note saying why a close one was not taken."""

    match: Match | None = None
    note: str = ""


def _names(party: Party | None, code: str) -> tuple[str, ...]:
    found = {code.casefold(), code.replace("-", " ").casefold()}
    if party is not None:
        found.add(party.name.casefold())
    return tuple(sorted(n for n in found if len(n) >= 3))


def open_items(invoices: Iterable[OpenInvoice], orders: Iterable[PurchaseOrder],
               customers: Iterable[Party], suppliers: Iterable[Party],
               currencies: dict[str, str]) -> list[OpenItem]:
    """The open invoices and bills, with their parties' names.

    ``currencies`` maps a sales order's number to its currency (its invoices').
    """
    buyers = {c.code: c for c in customers}
    sellers = {s.code: s for s in suppliers}
    items = [OpenItem(INVOICE, o.invoice.number, o.customer, o.order, o.invoice.date,
                      o.open_amount, currencies.get(o.order, ""),
                      _names(buyers.get(o.customer), o.customer))
             for o in invoices if o.open_amount > 0]
    items += [OpenItem(BILL, bill.number, order.supplier, order.number, bill.date,
                       bill.open_amount, order.currency,
                       _names(sellers.get(order.supplier), order.supplier))
              for order in orders for bill in order.bills if bill.open_amount > 0]
    return items


def _pattern(number: str) -> re.Pattern[str] | None:
    """The number as it may be written: SI-2026-0012, si 2026 0012, SI20260012."""
    parts = re.findall(r"[0-9A-Za-z]+", number)
    if not parts or len("".join(parts)) < 3 or not any(ch.isdigit() for ch in number):
        return None
    body = r"[\s_./-]?".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![0-9A-Za-z]){body}(?![0-9A-Za-z])", re.IGNORECASE)


def match_rows(rows: Sequence[StatementRow], items: Sequence[OpenItem], currency: str
               ) -> list[Proposal]:
    """A proposal per row (in the rows' order), for rows of ``currency``."""
    left = {(item.kind, item.number): item.amount for item in items}
    patterns = {(item.kind, item.number): _pattern(item.number) for item in items}
    proposals: dict[int, Proposal] = {}
    for at in sorted(range(len(rows)), key=lambda i: rows[i].date):
        row = rows[at]
        kind = INVOICE if row.amount > 0 else BILL
        owed = [i._replace(amount=left[i.kind, i.number]) for i in items
                if i.kind == kind and i.currency == currency and i.date <= row.date
                and left[i.kind, i.number] > 0]
        proposal = _by_reference(row, owed, patterns) or _by_amount(row, owed)
        if proposal.match is not None:
            paying = abs(row.amount)
            for item in proposal.match.items:
                part = min(paying, left[item.kind, item.number])
                left[item.kind, item.number] -= part
                paying -= part
        proposals[at] = proposal
    return [proposals.get(i, Proposal()) for i in range(len(rows))]


def _by_reference(row: StatementRow, owed: Sequence[OpenItem],
                  patterns: dict[tuple[str, str], re.Pattern[str] | None]) -> Proposal | None:
    text = f"{row.text} {row.reference}"
    found = [item for item in owed if (p := patterns[item.kind, item.number]) is not None
             and p.search(text)]
    if not found:
        return None
    numbers = ", ".join(item.number for item in found)
    if len({item.party for item in found}) > 1:
        return Proposal(note=f"names {numbers}, of different customers or suppliers")
    if found[0].kind == BILL:
        if len(found) > 1:
            return Proposal(note=f"names several bills ({numbers}); pay them one by one")
        if abs(row.amount) > found[0].amount:
            return Proposal(note=f"pays {abs(row.amount)}, more than the {found[0].amount} "
                                 f"open on bill {found[0].number}")
    return Proposal(Match(tuple(found), "reference"))


def _by_amount(row: StatementRow, owed: Sequence[OpenItem]) -> Proposal:
    paid = abs(row.amount)
    same = [item for item in owed if item.amount == paid]
    if len(same) == 1:
        return Proposal(Match((same[0],), "amount"))
    if not same:
        return Proposal()
    text = row.text.casefold()
    named = [item for item in same if any(name in text for name in item.names)]
    if len(named) == 1:
        return Proposal(Match((named[0],), "amount and name"))
    kind = "invoices" if same[0].kind == INVOICE else "bills"
    return Proposal(note=f"{len(same)} open {kind} of {paid}: "
                         f"{', '.join(item.number for item in same)}")
