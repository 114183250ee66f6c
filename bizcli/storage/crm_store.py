"""``biz crm deal add | move | won | lost | reopen | edit``: checked, then written.

Under the book lock: load the CRM (and the book's customers and items when the change
names them), apply the change, rewrite ``crm/deals.yaml`` atomically, store the CRM
cache. Winning a deal with product lines also writes its sales order (or quote) first;
a crash between the two leaves an order naming a deal that is not won, which
``biz check`` reports and ``biz crm deal won`` then links instead of ordering again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from bizcli.core.book import Book
from bizcli.core.codes import closest, slug
from bizcli.core.crm import changes
from bizcli.core.crm.activities import KINDS, PRIORITIES, Activity, Ticket
from bizcli.core.crm.book import Crm
from bizcli.core.crm.deals import Deal, DealLine, Lead, StageChange, lines_amount
from bizcli.core.documents.purchases import next_number
from bizcli.core.documents.sales import SaleKind
from bizcli.core.parties import Contact, Party
from bizcli.core.problems import fail
from bizcli.core.source import SourceRef
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.cache import no_moves
from bizcli.storage.commit import write_change
from bizcli.storage.crm_file import (
    ACTIVITIES_FILE,
    DEALS_FILE,
    TICKETS_FILE,
    activity_data,
    deal_data,
    lead_data,
    ticket_data,
    write_activities,
    write_deals,
    write_tickets,
)
from bizcli.storage.crm_loader import load_crm_for_write, refresh_crm
from bizcli.storage.loader import CUSTOMERS_FILE, load_for_update
from bizcli.storage.master_files import read_parties
from bizcli.storage.records_store import (
    RecordFile,
    append_record_locked,
    merge_entries_locked,
)
from bizcli.storage.sales_store import (
    SaleRequest,
    create_sale_locked,
    sale_lines,
    write_documents,
)

DEAL_PREFIX = "D"
_R = TypeVar("_R", Deal, Lead, Activity, Ticket)
CUSTOMERS = RecordFile(CUSTOMERS_FILE, "customers",
                       lambda text: read_parties(CUSTOMERS_FILE, text, "customers"),
                       code="duplicate-customer", unknown="unknown-customer")


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
    """Typed lines read as for a sales order (known item, a price, a quantity)."""
    if not texts:
        return ()
    return tuple(DealLine(line.item, line.quantity, line.price)
                 for line in sale_lines(book, texts))


def _with_lines(records: Sequence[_R], lines: dict[str, int], rel: str) -> tuple[_R, ...]:
    return tuple(_renewed(r, ref=SourceRef(rel, lines[r.number]))
                 for r in sorted(records, key=lambda r: r.number))


def _renewed(record: _R, **changes: object) -> _R:
    """The record with some fields changed (a deal is a named tuple, the rest dataclasses)."""
    if isinstance(record, Deal):
        return record._replace(**changes)  # type: ignore[arg-type]
    return replace(record, **changes)  # type: ignore[arg-type]


def _replaced(records: Sequence[_R], changed: _R) -> list[_R]:
    """``records`` with ``changed`` in place of the one of its number (or added)."""
    out: list[_R] = [changed if r.number == changed.number else r for r in records]
    if not any(r.number == changed.number for r in records):
        out.append(changed)
    return out


def store(root: Path, crm: Crm, new: Crm) -> None:
    """Write the CRM files whose records changed from ``crm`` to ``new``; store the cache."""
    written: dict[str, str] = {}
    if new.deals != crm.deals or new.leads != crm.leads:
        text, lines = write_deals(new.leads, new.deals)
        written[DEALS_FILE] = text
        new = replace(new, leads=_with_lines(new.leads, lines, DEALS_FILE),
                      deals=_with_lines(new.deals, lines, DEALS_FILE))
    if new.activities != crm.activities:
        text, lines = write_activities(new.activities)
        written[ACTIVITIES_FILE] = text
        new = replace(new, activities=_with_lines(new.activities, lines, ACTIVITIES_FILE))
    if new.tickets != crm.tickets:
        text, lines = write_tickets(new.tickets)
        written[TICKETS_FILE] = text
        new = replace(new, tickets=_with_lines(new.tickets, lines, TICKETS_FILE))
    for rel, text in written.items():
        write_atomic(root / rel, text)
    refresh_crm(root, new, written)


def _find(records: Sequence[_R], number: str, *, code: str, what: str, hint: str) -> _R:
    """The record with that number; else a ``code`` error naming the closest number."""
    found = next((r for r in records if r.number == number), None)
    if found is None:
        raise fail(code, f"{what} {number!r} does not exist"
                   f"{closest(number, (r.number for r in records))}", hint=hint)
    return found


def find_deal(crm: Crm, number: str) -> Deal:
    """The deal with that number; an ``unknown-deal`` error naming the closest."""
    return _find(crm.deals, number, code="unknown-deal", what="deal",
                 hint="'biz crm deal list' shows the deals")


def find_lead(crm: Crm, number: str) -> Lead:
    """The lead with that number; an ``unknown-lead`` error naming the closest."""
    return _find(crm.leads, number, code="unknown-lead", what="lead",
                 hint="'biz crm lead list' shows the leads")


def find_activity(crm: Crm, number: str) -> Activity:
    """The activity with that number; an ``unknown-activity`` error naming the closest."""
    return _find(crm.activities, number, code="unknown-activity", what="activity",
                 hint="'biz crm due' lists the open follow-ups")


def find_ticket(crm: Crm, number: str) -> Ticket:
    """The ticket with that number; an ``unknown-ticket`` error naming the closest."""
    return _find(crm.tickets, number, code="unknown-ticket", what="ticket",
                 hint="'biz crm ticket list' shows the tickets")


def _save(root: Path, crm: Crm, changed: Deal, *, dry_run: bool) -> str:
    """Write the deals file with ``changed`` in it; return the deal's text."""
    if not dry_run:
        store(root, crm, replace(crm, deals=tuple(_replaced(crm.deals, changed))))
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
            won = deal._replace(order=made[0].number)
            return (_save(root, crm, won, dry_run=dry_run)
                    + f"# linked {made[0].number}, already written for this deal\n")
        kind = SaleKind.QUOTE if request.quote else SaleKind.ORDER
        sale_text, sale = create_sale_locked(root, SaleRequest(
            kind=kind, customer=deal.customer, date=request.date,
            lines=tuple(f"{i}={q}@{p}" for i, q, p in deal.lines),
            warehouse=request.warehouse, due=request.due, override=request.override,
            deal=deal.number), dry_run=dry_run)
        return _save(root, crm, deal._replace(order=sale.number), dry_run=dry_run) + sale_text


# --- activities and follow-ups ---------------------------------------------------------

ACTIVITY_PREFIX = "A"
TICKET_PREFIX = "T"


def _about(crm: Crm, request: Activity, root: Path) -> tuple[str | None, str | None]:
    """The customer and the owner an activity is for, checked against what it names."""
    customer, owner = request.customer, request.owner
    if request.deal is not None:
        deal = find_deal(crm, request.deal)
        if customer is not None and customer != deal.customer:
            raise fail("unknown-customer", f"{deal.number} is a deal with {deal.customer}, "
                       f"not {customer}", hint="leave --customer out with --deal")
        customer, owner = deal.customer, owner or deal.owner
    if request.ticket is not None:
        ticket = find_ticket(crm, request.ticket)
        if customer is not None and customer != ticket.customer:
            raise fail("unknown-customer", f"{ticket.number} is {ticket.customer}'s ticket, "
                       f"not {customer}'s", hint="leave --customer out with --ticket")
        customer, owner = ticket.customer, owner or ticket.assignee
    if request.lead is not None:
        owner = owner or find_lead(crm, request.lead).owner
    if customer is not None and request.deal is None and request.ticket is None:
        _customer_currency(_records(root), customer)
    if customer is None and request.lead is None:
        raise fail("missing-key", "who is the activity with?",
                   hint="give --customer, --deal, --ticket or --lead")
    return customer, owner


def add_activity(root: Path, asked: Activity, *, dry_run: bool = False) -> str:
    """Number and write the activity ``asked`` describes (a follow-up when it has ``due``).

    The customer and owner come from the deal or ticket it names when not given.
    """
    if asked.kind not in KINDS:
        raise fail("bad-value", f"{asked.kind!r} is not an activity kind",
                   hint="use one of: " + ", ".join(KINDS))
    if not asked.subject.strip():
        raise fail("missing-key", "an activity needs a subject", hint="say what it was about")
    if asked.due is not None and asked.due < asked.date:
        raise fail("bad-date", f"the follow-up is due {asked.due}, before it is planned "
                   f"({asked.date})", hint="give a later --due")
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        customer, owner = _about(crm, asked, root)
        activity = replace(asked, subject=asked.subject.strip(), customer=customer,
                           owner=owner, number=next_number(
                               [a.number for a in crm.activities], asked.date.year,
                               ACTIVITY_PREFIX))
        if not dry_run:
            store(root, crm, replace(crm, activities=(*crm.activities, activity)))
    return dump_yaml([activity_data(activity)])


def complete_follow_up(root: Path, number: str, day: dt.date, *, dry_run: bool = False
                       ) -> str:
    """Mark a follow-up done on ``day``."""
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        activity = find_activity(crm, number)
        if activity.due is None:
            raise fail("bad-follow-up", f"{number} is a {activity.kind} logged on "
                       f"{activity.date}, not a follow-up", hint="only planned follow-ups "
                       "are marked done")
        if activity.done is not None:
            raise fail("bad-follow-up", f"{number} was done on {activity.done}",
                       hint="plan a new follow-up with 'biz crm activity plan'")
        if day < activity.date:
            raise fail("bad-date", f"{number} was planned on {activity.date}; it cannot be "
                       f"done on {day}", hint=f"date it {activity.date} or later")
        done = replace(activity, done=day)
        if not dry_run:
            store(root, crm, replace(crm, activities=tuple(_replaced(crm.activities, done))))
    return dump_yaml([activity_data(done)])


# --- tickets ---------------------------------------------------------------------------

def open_ticket(root: Path, asked: Ticket, *, dry_run: bool = False) -> str:
    """Number and write the ticket ``asked`` describes; return its text and SLA times."""
    if asked.priority not in PRIORITIES:
        raise fail("bad-value", f"{asked.priority!r} is not a priority",
                   hint="use one of: " + ", ".join(PRIORITIES))
    if not asked.subject.strip():
        raise fail("missing-key", "a ticket needs a subject", hint="say what is wrong")
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        _customer_currency(_records(root), asked.customer)
        ticket = replace(asked, subject=asked.subject.strip(), number=next_number(
            [t.number for t in crm.tickets], asked.opened.year, TICKET_PREFIX))
        if not dry_run:
            store(root, crm, replace(crm, tickets=(*crm.tickets, ticket)))
    sla = crm.settings.sla
    return dump_yaml([ticket_data(ticket)]) + (
        f"# first response due {ticket.response_due(sla):%Y-%m-%d %H:%M}, resolution due "
        f"{ticket.resolution_due(sla):%Y-%m-%d %H:%M}\n")


def change_ticket(root: Path, number: str, change: Callable[[Ticket], Ticket], *,
                  dry_run: bool = False) -> str:
    """Apply ``change`` to an open ticket and write it; return its text."""
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        ticket = find_ticket(crm, number)
        if ticket.closed is not None:
            raise fail("ticket-closed", f"{number} was closed on "
                       f"{ticket.closed:%Y-%m-%d %H:%M}", hint="open a new ticket")
        changed = change(ticket)
        for when in (changed.responded, changed.closed):
            if when is not None and when < ticket.opened:
                raise fail("bad-date", f"{number} was opened {ticket.opened:%Y-%m-%d %H:%M};"
                           f" {when:%Y-%m-%d %H:%M} is before that", hint="give a later --at")
        if not dry_run:
            store(root, crm, replace(crm, tickets=tuple(_replaced(crm.tickets, changed))))
    return dump_yaml([ticket_data(changed)])


# --- leads -----------------------------------------------------------------------------

LEAD_PREFIX = "L"


def add_lead(root: Path, asked: Lead, *, dry_run: bool = False) -> str:
    """Number and write the lead ``asked`` describes; return its text."""
    if not asked.name.strip():
        raise fail("missing-key", "a lead needs a name", hint="e.g. 'Ana Ruiz'")
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        lead = replace(asked, name=asked.name.strip(), number=next_number(
            [x.number for x in crm.leads], asked.created.year, LEAD_PREFIX))
        if not dry_run:
            store(root, crm, replace(crm, leads=(*crm.leads, lead)))
    return dump_yaml([lead_data(lead)])


def _must_be_open_lead(lead: Lead) -> None:
    if not lead.is_open:
        state = (f"converted into {lead.converted}" if lead.converted
                 else f"disqualified ({lead.disqualified})")
        raise fail("lead-closed", f"{lead.number} is already {state}",
                   hint="add a new lead, or work on the customer")


def drop_lead(root: Path, number: str, reason: str, *, dry_run: bool = False) -> str:
    """Disqualify a lead, saying why."""
    if not reason.strip():
        raise fail("missing-reason", f"why is {number} dropped?",
                   hint="give --reason, e.g. --reason 'no budget'")
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        lead = find_lead(crm, number)
        _must_be_open_lead(lead)
        dropped = replace(lead, disqualified=reason.strip())
        if not dry_run:
            store(root, crm, replace(crm, leads=tuple(_replaced(crm.leads, dropped))))
    return dump_yaml([lead_data(dropped)])


@dataclass(frozen=True, slots=True, kw_only=True)
class Conversion:
    """What ``biz crm lead convert`` was asked for.

    ``customer`` attaches the lead to an existing customer; otherwise a new one is
    added with ``code`` (default: made from the lead's company, else its name).
    ``deal`` opens a deal for it (None: convert without one).
    """

    number: str
    date: dt.date
    customer: str | None = None
    code: str | None = None
    deal: DealRequest | None = None


def convert_lead(root: Path, conversion: Conversion, *, dry_run: bool = False) -> str:
    """Turn a lead into a customer (new or existing) and, usually, a deal."""
    with book_lock(root):
        crm, _ = load_crm_for_write(root)
        lead = find_lead(crm, conversion.number)
        _must_be_open_lead(lead)
        book = _records(root)
        text = ""
        if conversion.customer is not None:
            _customer_currency(book, conversion.customer)
            code = conversion.customer
        else:
            code = conversion.code or slug(lead.company or lead.name)
            if not code:
                raise fail("bad-code", f"no code can be made from {lead.company or lead.name!r}",
                           hint="give one with --code")
            entry: dict[str, object] = {"code": code, "name": lead.company or lead.name}
            person = {k: v for k, v in (("name", lead.name), ("email", lead.email),
                                        ("phone", lead.phone)) if v}
            entry["contacts"] = [person]
            known = {c.code for c in book.customers}
            if code in known:
                raise fail("duplicate-customer", f"{code!r} is already in customers.yaml",
                           hint=f"attach the lead to it with --customer {code}, or give "
                                "another --code")
            book = replace(book, customers=(*book.customers, Party(
                code=code, name=str(entry["name"]), contacts=(Contact(
                    name=lead.name, email=lead.email, phone=lead.phone),))))
            if not dry_run:
                text = append_record_locked(root, CUSTOMERS, entry)
            else:
                text = dump_yaml([entry])
        deal = None
        if conversion.deal is not None:
            deal = new_deal(crm, book, replace(
                conversion.deal, customer=code, lead=lead.number,
                title=conversion.deal.title or lead.company or lead.name,
                owner=conversion.deal.owner or lead.owner,
                source=conversion.deal.source or lead.source,
                campaign=conversion.deal.campaign or lead.campaign))
        converted = replace(lead, converted=code, deal=deal.number if deal else None)
        if not dry_run:
            store(root, crm, replace(crm, leads=tuple(_replaced(crm.leads, converted)),
                                     deals=(*crm.deals, deal) if deal else crm.deals))
    return text + dump_yaml([lead_data(converted)]) + (
        dump_yaml([deal_data(deal)]) if deal else "")


# --- contacts import -------------------------------------------------------------------

def party_entry(party: Party) -> dict[str, object]:
    """A customer as the entry ``customers.yaml`` holds (keys in the file's order)."""
    entry: dict[str, object] = {"code": party.code, "name": party.name}
    contacts = [{k: v for k, v in (("name", c.name), ("email", c.email), ("phone", c.phone),
                                   ("role", c.role)) if v} for c in party.contacts]
    if contacts:
        entry["contacts"] = contacts
    if party.address:
        entry["address"] = party.address
    if party.tags:
        entry["tags"] = list(party.tags)
    return entry


def import_customers(root: Path, parties: Sequence[Party], *, dry_run: bool = False
                     ) -> tuple[list[str], list[str]]:
    """Add the customers whose codes are new; (codes added, codes already there)."""
    with book_lock(root):
        book = _records(root)
        known = {c.code for c in book.customers}
        added = [p for p in parties if p.code not in known]
        if not dry_run:
            for party in added:
                append_record_locked(root, CUSTOMERS, party_entry(party))
    return [p.code for p in added], [p.code for p in parties if p.code in known]


# --- merging customers -----------------------------------------------------------------

def _merged_party(kept: dict[str, object], gone: dict[str, object]) -> dict[str, object]:
    """``kept``'s entry with ``gone``'s contacts and tags added, and what it lacks filled."""
    out = dict(kept)
    for key, value in gone.items():
        if key not in out and key not in ("code", "name"):
            out[key] = value

    def listed(entry: dict[str, object], key: str) -> list[object]:
        value = entry.get(key)
        return list(value) if isinstance(value, list) else []

    contacts = listed(kept, "contacts")
    seen = {(c.get("name"), c.get("email")) for c in contacts if isinstance(c, dict)}
    contacts += [c for c in listed(gone, "contacts")
                 if isinstance(c, dict) and (c.get("name"), c.get("email")) not in seen]
    if contacts:
        out["contacts"] = contacts
    tags = [*listed(kept, "tags"), *listed(gone, "tags")]
    if tags:
        out["tags"] = list(dict.fromkeys(tags))
    return out


def merge_customers(root: Path, keep: str, gone: str, *, dry_run: bool = False) -> str:
    """Re-point every document from ``gone`` to ``keep``, then remove ``gone``.

    Sales documents and payments, deals, activities, tickets and converted leads are
    rewritten first, the customers file last: a command stopped half way leaves both
    customers in place and every document valid. The journal and the stock files keep
    their ``customer:`` tags as they were posted.
    """
    if keep == gone:
        raise fail("bad-value", "a customer cannot be merged into itself",
                   hint="give two different codes: the one to keep, then the duplicate")
    with book_lock(root):
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        currencies = {code: _customer_currency(book, code) for code in (keep, gone)}
        if currencies[keep] != currencies[gone]:
            raise fail("bad-value", f"{keep} is billed in {currencies[keep]} and {gone} in "
                       f"{currencies[gone]}", hint="merge customers of one currency only")
        crm, _ = load_crm_for_write(root)
        sales = [replace(s, customer=keep) for s in book.sales if s.customer == gone]
        payments = [replace(p, customer=keep) for p in book.payments if p.customer == gone]
        new = replace(
            crm,
            deals=tuple(d._replace(customer=keep) if d.customer == gone else d
                        for d in crm.deals),
            activities=tuple(replace(a, customer=keep) if a.customer == gone else a
                             for a in crm.activities),
            tickets=tuple(replace(t, customer=keep) if t.customer == gone else t
                          for t in crm.tickets),
            leads=tuple(replace(x, converted=keep) if x.converted == gone else x
                        for x in crm.leads))
        customers = merge_entries_locked(root, CUSTOMERS, keep, gone, _merged_party)
        if not dry_run:
            if sales or payments:
                write_change(root, (book, state), documents=lambda: write_documents(
                    root, book, sales, payments))
            store(root, crm, new)
            write_atomic(root / CUSTOMERS_FILE, customers)
    moved = [(len(sales), "sales documents"), (len(payments), "payments"),
             (sum(d.customer == gone for d in crm.deals), "deals"),
             (sum(a.customer == gone for a in crm.activities), "activities"),
             (sum(t.customer == gone for t in crm.tickets), "tickets"),
             (sum(x.converted == gone for x in crm.leads), "leads")]
    verb = "would move" if dry_run else "moved"
    return (f"{verb} to {keep}: " + ", ".join(f"{n} {what}" for n, what in moved)
            + f"; {gone} {'would be' if dry_run else 'is'} removed from customers.yaml\n")
