"""CRM day-to-day commands: activities and follow-ups, ``biz crm due``, tickets."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from bizcli.cli import complete
from bizcli.cli.clock import day_of
from bizcli.cli.common import (
    AsOfOption,
    BookOption,
    Common,
    FormatOption,
    OutputOption,
    PeriodOption,
)
from bizcli.cli.crm import OwnerOption, _emit, _view
from bizcli.cli.purchases import DateOption, DryRun
from bizcli.cli.sales import _root

if TYPE_CHECKING:
    import datetime as dt

    from bizcli.core.crm.activities import Ticket


# --- activities and follow-ups ---------------------------------------------------------

KindArgument = Annotated[str, typer.Argument(help="call, email, meeting, note or task.")]
SubjectArgument = Annotated[str, typer.Argument(help="What it was (or is to be) about.")]
CustomerOption = Annotated[Optional[str], typer.Option(help="Customer code (not needed with "
                                                       "--deal or --ticket).")]
DealOption = Annotated[Optional[str], typer.Option(help="The deal it is about.")]
TicketOption = Annotated[Optional[str], typer.Option(help="The ticket it is about.")]
LeadOption = Annotated[Optional[str], typer.Option(help="The lead it is with.")]
ContactOption = Annotated[Optional[str], typer.Option(help="The person spoken to.")]
ActivityOwner = Annotated[Optional[str], typer.Option(
    help="Who did it (default: the deal's owner or the ticket's assignee).")]


def _activity(kind: str, subject: str, *, date: str | None, due_day: str | None,
              about: dict[str, Any], dry_run: bool, book: str | None) -> None:
    from bizcli.core.crm.activities import Activity
    from bizcli.storage.crm_store import add_activity

    asked = Activity(number="", kind=kind, subject=subject, date=day_of(date),
                     due=day_of(due_day) if due_day else None, **about)
    sys.stdout.write(add_activity(_root(book), asked, dry_run=dry_run))


def activity_log(
    kind: KindArgument, subject: SubjectArgument, customer: CustomerOption = None,
    deal: DealOption = None, ticket: TicketOption = None, lead: LeadOption = None,
    contact: ContactOption = None, owner: ActivityOwner = None,
    notes: Annotated[Optional[str], typer.Option(help="Free notes.")] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Log a call, email, meeting or note that happened (in crm/activities.yaml).

    \b
    Examples:
      biz crm activity log call "Went through the quote" --deal D-2026-0004 --contact "Ana Ruiz"
      biz crm activity log meeting "Showroom visit" --customer harbor-interiors --date 2026-11-20
    """
    _activity(kind, subject, date=date, due_day=None, dry_run=dry_run, book=book, about={
        "customer": customer, "deal": deal, "ticket": ticket, "lead": lead,
        "contact": contact, "owner": owner, "notes": notes})


def activity_plan(
    subject: SubjectArgument,
    due_day: Annotated[str, typer.Option("--due", help="The day it is due, YYYY-MM-DD.")],
    kind: Annotated[str, typer.Option(help="call, email, meeting, note or task.")] = "call",
    customer: CustomerOption = None, deal: DealOption = None, ticket: TicketOption = None,
    lead: LeadOption = None, contact: ContactOption = None, owner: ActivityOwner = None,
    date: Annotated[Optional[str], typer.Option(
        "--date", help="The day it is planned (default: today).", show_default=False)
    ] = None,
    dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Plan a follow-up due on a day, with an owner; 'biz crm due' lists it until done.

    \b
    Examples:
      biz crm activity plan "Call back about delivery" --due 2026-11-30 --deal D-2026-0004
      biz crm activity plan "Send the catalogue" --kind email --due 2026-12-01 --lead L-2026-0003
    """
    _activity(kind, subject, date=date, due_day=due_day, dry_run=dry_run, book=book, about={
        "customer": customer, "deal": deal, "ticket": ticket, "lead": lead,
        "contact": contact, "owner": owner})


def activity_done(
    number: Annotated[str, typer.Argument(help="The follow-up, e.g. A-2026-0007.")],
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Mark a follow-up done.

    \b
    Examples:
      biz crm activity done A-2026-0007
    """
    from bizcli.storage.crm_store import complete_follow_up

    sys.stdout.write(complete_follow_up(_root(book), number, day_of(date), dry_run=dry_run))


def activity_list(
    customer: Annotated[Optional[str], typer.Option(help="Only with this customer.")] = None,
    deal: Annotated[Optional[str], typer.Option(help="Only about this deal.")] = None,
    owner: OwnerOption = None, period: PeriodOption = None, as_of: AsOfOption = None,
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Activities that took place (follow-ups on the day they were done), oldest first.

    \b
    Examples:
      biz crm activity list --customer harbor-interiors
      biz crm activity list --period 2026-11 --owner ana -O csv
    """
    from bizcli.reports.crm.activities import activity_list as build

    common = Common(book=book, period=period, as_of=as_of, output_format=output_format,
                    output=output)
    _emit(common, build(_view(common, owner), customer=customer, deal=deal))


def due(
    days: Annotated[int, typer.Option(min=0, help="How many days ahead count as upcoming.")
                    ] = 7,
    owner: OwnerOption = None, as_of: AsOfOption = None, book: BookOption = None,
    output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Who to call: follow-ups overdue, due today and upcoming; open deals with none planned.

    \b
    Examples:
      biz crm due
      biz crm due --owner ana --days 14
    """
    from bizcli.reports.crm.activities import due as build

    common = Common(book=book, as_of=as_of, output_format=output_format, output=output)
    _emit(common, build(_view(common, owner), days))


# --- tickets ---------------------------------------------------------------------------

TicketNumber = Annotated[str, typer.Argument(help="Ticket number, e.g. T-2026-0003.")]
AtOption = Annotated[Optional[str], typer.Option(
    "--at", help="When, 'YYYY-MM-DD HH:MM' (default: now; BIZ_NOW pins it).",
    show_default=False)]


def _at(text: str | None) -> dt.datetime:
    import datetime as dt

    from bizcli.cli.clock import now
    from bizcli.core.problems import fail

    if text is None:
        return now()
    try:
        # Naive on purpose: ticket times are wall-clock times of the business.
        return dt.datetime.strptime(text.strip().replace("T", " "), "%Y-%m-%d %H:%M")  # noqa: DTZ007
    except ValueError:
        raise fail("bad-date", f"--at must be a time 'YYYY-MM-DD HH:MM', not {text!r}",
                   hint="e.g. --at '2026-11-02 09:30'") from None


def ticket_open(
    customer: Annotated[str, typer.Argument(help="Customer code.",
                                            autocompletion=complete.customers)],
    subject: Annotated[str, typer.Argument(help="What is wrong.")],
    priority: Annotated[str, typer.Option(help="urgent, high, normal or low.")] = "normal",
    assignee: Annotated[Optional[str], typer.Option(help="Who handles it.")] = None,
    at: AtOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Open a service ticket; prints when the first response and the resolution are due.

    The service level per priority (hours to first response, to resolution) comes from
    biz.yaml crm: sla, else urgent 1/8, high 4/24, normal 8/72, low 24/168.

    \b
    Examples:
      biz crm ticket open harbor-interiors "Table leg wobbles" --priority high
      biz crm ticket open nordic-living "Missing hinge" --assignee ben --at "2026-11-20 09:30"
    """
    from bizcli.core.crm.activities import Ticket
    from bizcli.storage.crm_store import open_ticket

    asked = Ticket(number="", customer=customer, subject=subject, priority=priority,
                   opened=_at(at), assignee=assignee)
    sys.stdout.write(open_ticket(_root(book), asked, dry_run=dry_run))


def ticket_assign(
    number: TicketNumber,
    to: Annotated[str, typer.Option("--to", help="Who handles it now.")],
    dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Give an open ticket to someone.

    \b
    Examples:
      biz crm ticket assign T-2026-0003 --to ben
    """
    from dataclasses import replace

    from bizcli.storage.crm_store import change_ticket

    sys.stdout.write(change_ticket(_root(book), number, lambda t: replace(t, assignee=to),
                                   dry_run=dry_run))


def ticket_respond(
    number: TicketNumber, at: AtOption = None, dry_run: DryRun = False,
    book: BookOption = None,
) -> None:
    """Record the first response to a ticket (what its response service level measures).

    \b
    Examples:
      biz crm ticket respond T-2026-0003
      biz crm ticket respond T-2026-0003 --at "2026-11-20 11:15"
    """
    from dataclasses import replace

    from bizcli.core.problems import fail
    from bizcli.storage.crm_store import change_ticket

    when = _at(at)

    def change(ticket: Ticket) -> Ticket:
        if ticket.responded is not None:
            raise fail("bad-follow-up", f"{ticket.number} was first answered "
                       f"{ticket.responded:%Y-%m-%d %H:%M}", hint="log further replies with "
                       f"'biz crm activity log email ... --ticket {ticket.number}'")
        return replace(ticket, responded=when)

    sys.stdout.write(change_ticket(_root(book), number, change, dry_run=dry_run))


def ticket_close(
    number: TicketNumber,
    resolution: Annotated[str, typer.Option(help="How it was solved.")],
    at: AtOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Close a ticket with its resolution (a ticket never answered counts as answered now).

    \b
    Examples:
      biz crm ticket close T-2026-0003 --resolution "Replaced the leg"
    """
    from dataclasses import replace

    from bizcli.core.problems import fail
    from bizcli.storage.crm_store import change_ticket

    if not resolution.strip():
        raise fail("missing-key", "how was the ticket solved?", hint="give --resolution")
    when = _at(at)
    sys.stdout.write(change_ticket(_root(book), number, lambda t: replace(
        t, closed=when, responded=t.responded or when, resolution=resolution.strip()),
        dry_run=dry_run))


def ticket_list(
    status: Annotated[Optional[str], typer.Option(help="open or closed.")] = None,
    customer: Annotated[Optional[str], typer.Option(help="Only this customer's.")] = None,
    assignee: Annotated[Optional[str], typer.Option(help="Only this person's.")] = None,
    at: AtOption = None, period: PeriodOption = None, book: BookOption = None,
    output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Tickets with their response and resolution against the service level.

    met: done in time; late: done after the due time; overdue: not done and past it;
    due: not done, still in time. --period picks tickets by the day they were opened.

    \b
    Examples:
      biz crm ticket list --status open
      biz crm ticket list --assignee ben -O csv
    """
    from bizcli.reports.crm.activities import ticket_list as build

    if status is not None and status not in ("open", "closed"):
        msg = f"unknown status {status!r}; use open or closed"
        raise typer.BadParameter(msg, param_hint="--status")
    common = Common(book=book, period=period, output_format=output_format, output=output)
    _emit(common, build(_view(common, assignee), _at(at), status=status, customer=customer))
