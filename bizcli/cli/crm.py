"""CRM commands: ``biz crm deal add | move | won | lost | reopen | edit | list | show``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli.common import (
    AsOfOption,
    BookOption,
    Common,
    FormatOption,
    OutputOption,
    PeriodOption,
)
from bizcli.cli.purchases import DateOption, DryRun
from bizcli.cli.sales import _day, _root

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from bizcli.core.book import Book
    from bizcli.core.crm.activities import Ticket
    from bizcli.core.crm.book import Crm
    from bizcli.core.crm.customers import CustomerScore
    from bizcli.core.crm.deals import Deal
    from bizcli.reports.crm.view import CrmView
    from bizcli.reports.model import Report

crm_app = typer.Typer(no_args_is_help=True, help="Customers and the sales pipeline: deals, "
                      "leads, activities and follow-ups, tickets, and the reports on them.")
deal_app = typer.Typer(no_args_is_help=True, help="Deals: add, move, won, lost, reopen, edit, "
                       "list, show.")

lead_app = typer.Typer(no_args_is_help=True, help="Leads, not yet customers: add, convert, "
                       "drop, list.")
activity_app = typer.Typer(no_args_is_help=True, help="Calls, emails, meetings, notes and "
                           "follow-ups: log, plan, done, list.")
ticket_app = typer.Typer(no_args_is_help=True, help="Service tickets: open, assign, respond, "
                         "close, list.")

Number = Annotated[str, typer.Argument(help="Deal number, e.g. D-2026-0001.")]
OwnerOption = Annotated[Optional[str], typer.Option(help="Only this owner's deals.")]
SourceOption = Annotated[Optional[str], typer.Option(help="Only deals from this source.")]
ProbabilityOption = Annotated[Optional[str], typer.Option(
    help="The deal's own win probability in percent, kept until cleared "
    "(default: its stage's).", show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the ``crm`` group to the root app."""
    deal_app.command("add")(deal_add)
    deal_app.command("move")(deal_move)
    deal_app.command("won")(deal_won)
    deal_app.command("lost")(deal_lost)
    deal_app.command("reopen")(deal_reopen)
    deal_app.command("edit", context_settings={"ignore_unknown_options": True})(deal_edit)
    deal_app.command("list")(deal_list)
    deal_app.command("show")(deal_show)
    crm_app.add_typer(deal_app, name="deal")
    lead_app.command("add")(lead_add)
    lead_app.command("convert")(lead_convert)
    lead_app.command("drop")(lead_drop)
    lead_app.command("list")(lead_list)
    crm_app.add_typer(lead_app, name="lead")
    activity_app.command("log")(activity_log)
    activity_app.command("plan")(activity_plan)
    activity_app.command("done")(activity_done)
    activity_app.command("list")(activity_list)
    crm_app.add_typer(activity_app, name="activity")
    ticket_app.command("open")(ticket_open)
    ticket_app.command("assign")(ticket_assign)
    ticket_app.command("respond")(ticket_respond)
    ticket_app.command("close")(ticket_close)
    ticket_app.command("list")(ticket_list)
    crm_app.add_typer(ticket_app, name="ticket")
    crm_app.command("due")(due)
    crm_app.command("pipeline")(pipeline)
    crm_app.command("forecast")(forecast)
    crm_app.command("funnel")(funnel)
    crm_app.command("winrate")(winrate)
    crm_app.command("leaderboard")(leaderboard)
    crm_app.command("reasons")(reasons)
    crm_app.command("stages")(stages)
    crm_app.command("predict")(predict)
    crm_app.command("segment")(segment)
    crm_app.command("churn")(churn)
    crm_app.command("clv")(clv)
    app.add_typer(crm_app, name="crm")


def _percent(text: str | None) -> Decimal | None:
    from bizcli.core.crm.changes import check_probability
    from bizcli.storage.order_lines import decimal_option

    return check_probability(decimal_option(text, "--probability"))


# --- deal writes -----------------------------------------------------------------------

def deal_add(
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    title: Annotated[str, typer.Argument(help="What the deal is about.")],
    lines: Annotated[Optional[list[str]], typer.Argument(
        help="Product lines ITEM=QUANTITY[@PRICE] (price: the item's sale_price); the "
        "order the deal becomes when won.", show_default=False)] = None,
    amount: Annotated[Optional[str], typer.Option(
        help="What the deal is worth (default: the lines' total).", show_default=False)
    ] = None,
    stage: Annotated[Optional[str], typer.Option(
        help="Stage it starts in (default: the first).", show_default=False)] = None,
    owner: Annotated[Optional[str], typer.Option(help="Who works the deal.")] = None,
    source: Annotated[Optional[str], typer.Option(
        help="Where it came from (referral, website, fair...).")] = None,
    campaign: Annotated[Optional[str], typer.Option(help="Marketing campaign.")] = None,
    close: Annotated[Optional[str], typer.Option(
        help="Expected close date, YYYY-MM-DD.", show_default=False)] = None,
    probability: ProbabilityOption = None,
    notes: Annotated[Optional[str], typer.Option(help="Free notes.")] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Open a deal (numbered D-YEAR-NNNN) in crm/deals.yaml.

    \b
    Examples:
      biz crm deal add HARBOR "Terrace furniture" --amount 4800 --owner ana --close 2026-12-15
      biz crm deal add HARBOR "Dining set" TABLE-OAK=2 CHAIR-OAK=8@180 --source referral
    """
    from bizcli.storage.crm_store import DealRequest, add_deal
    from bizcli.storage.order_lines import decimal_option

    request = DealRequest(
        customer=customer, title=title, date=_day(date), lines=tuple(lines or ()),
        amount=decimal_option(amount, "--amount"), stage=stage, owner=owner, source=source,
        campaign=campaign, expected_close=_day(close) if close else None,
        probability=_percent(probability), notes=notes)
    sys.stdout.write(add_deal(_root(book), request, dry_run=dry_run))


def _change(book: str | None, number: str, change: Callable[[Crm, Deal], Deal],
            dry_run: bool) -> None:
    from bizcli.storage.crm_store import change_deal

    sys.stdout.write(change_deal(_root(book), number, change, dry_run=dry_run))


def deal_move(
    number: Number,
    stage: Annotated[str, typer.Argument(help="The open stage it moves to.")],
    probability: ProbabilityOption = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Move an open deal to another open stage (appends a line to its history).

    \b
    Examples:
      biz crm deal move D-2026-0004 proposal
      biz crm deal move D-2026-0004 negotiation --date 2026-11-20 --probability 80
    """
    from dataclasses import replace

    from bizcli.core.crm.changes import move

    day, own = _day(date), _percent(probability)

    def change(crm: Crm, deal: Deal) -> Deal:
        moved = move(deal, stage, day, crm.settings)
        return moved if own is None else replace(moved, probability=own)

    _change(book, number, change, dry_run)


def deal_won(
    number: Number, date: DateOption = None,
    quote: Annotated[bool, typer.Option(
        "--quote", help="Make a quote of the lines instead of an order.")] = False,
    warehouse: Annotated[Optional[str], typer.Option(
        help="Warehouse the goods leave from (needed when there are several).")] = None,
    due: Annotated[Optional[str], typer.Option(help="Promised delivery date.")] = None,
    override: Annotated[bool, typer.Option(help="Accept the order over the customer's "
                                           "credit limit.")] = False,
    dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Mark a deal won; a deal with product lines becomes a sales order (or a quote).

    The order is numbered like any other, names the deal (deal: D-...), and the deal
    names the order (order: SO-...). The customer's credit limit is checked as for
    'biz sale order'.

    \b
    Examples:
      biz crm deal won D-2026-0004
      biz crm deal won D-2026-0004 --due 2026-12-20 --warehouse MAIN
    """
    from bizcli.storage.crm_store import WinRequest, win_deal

    request = WinRequest(number=number, date=_day(date), quote=quote, warehouse=warehouse,
                         override=override, due=_day(due) if due else None)
    sys.stdout.write(win_deal(_root(book), request, dry_run=dry_run))


def deal_lost(
    number: Number,
    reason: Annotated[str, typer.Option(help="Why it was lost (price, timing, competitor...).")],
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Mark a deal lost, with the reason (the win-rate report breaks losses down by it).

    \b
    Examples:
      biz crm deal lost D-2026-0004 --reason price
    """
    from bizcli.core.crm.changes import lose

    day = _day(date)
    _change(book, number, lambda _, deal: lose(deal, day, reason), dry_run)


def deal_reopen(
    number: Number,
    stage: Annotated[str, typer.Argument(help="The open stage it goes back to.")],
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Put a won or lost deal back in the pipeline (a deal that became an order cannot).

    \b
    Examples:
      biz crm deal reopen D-2026-0004 negotiation
    """
    from bizcli.core.crm.changes import reopen

    day = _day(date)
    _change(book, number, lambda crm, deal: reopen(deal, stage, day, crm.settings), dry_run)


def deal_edit(
    number: Number,
    title: Annotated[Optional[str], typer.Option(help="New title.")] = None,
    amount: Annotated[Optional[str], typer.Option(help="New amount.")] = None,
    owner: Annotated[Optional[str], typer.Option(help="New owner.")] = None,
    source: Annotated[Optional[str], typer.Option(help="New source.")] = None,
    campaign: Annotated[Optional[str], typer.Option(help="New campaign.")] = None,
    close: Annotated[Optional[str], typer.Option(help="New expected close date.")] = None,
    probability: ProbabilityOption = None,
    clear_probability: Annotated[bool, typer.Option(
        "--clear-probability", help="Drop the deal's own probability: use its stage's.")
    ] = False,
    notes: Annotated[Optional[str], typer.Option(help="New notes.")] = None,
    dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Change a deal's current values (its history changes only by move, won, lost).

    \b
    Examples:
      biz crm deal edit D-2026-0004 --amount 5200 --close 2027-01-15
      biz crm deal edit D-2026-0004 --probability 40
      biz crm deal edit D-2026-0004 --clear-probability
    """
    from dataclasses import replace

    from bizcli.core.problems import fail
    from bizcli.storage.order_lines import decimal_option

    if probability is not None and clear_probability:
        msg = "--probability and --clear-probability contradict each other; give one"
        raise typer.BadParameter(msg)
    if title is not None and not title.strip():
        raise fail("missing-key", "a deal needs a title", hint="give a non-empty --title")
    new_amount, own = decimal_option(amount, "--amount"), _percent(probability)
    close_day = _day(close) if close else None
    given = {"title": title, "amount": new_amount, "owner": owner, "source": source,
             "campaign": campaign, "expected_close": close_day, "notes": notes}
    values: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    if own is not None or clear_probability:
        values["probability"] = own
    if not values:
        msg = "nothing to change: give at least one option, e.g. --amount 5200"
        raise typer.BadParameter(msg)

    def change(_: Crm, deal: Deal) -> Deal:
        if close_day is not None and close_day < deal.created:
            raise fail("bad-date", f"the expected close {close_day} is before the deal "
                       f"opened ({deal.created})", hint="give a later --close date")
        return replace(deal, **values)  # type: ignore[arg-type]

    _change(book, number, change, dry_run)


# --- reports ---------------------------------------------------------------------------

def _view(common: Common, owner: str | None = None, source: str | None = None) -> CrmView:
    """Load the book's settings and the CRM; refuse if the CRM has errors."""
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root, load, selection
    from bizcli.core.problems import BizcliError, blocking
    from bizcli.reports.crm.view import CrmView
    from bizcli.storage.crm_loader import load_crm

    book = load(common)
    crm, problems = load_crm(find_root(common))
    errors = blocking(problems)
    if errors:
        raise BizcliError(errors)
    chosen = selection(common, book)
    return CrmView(crm=crm, as_of=chosen.as_of or today(), period=chosen.period, owner=owner,
                   source=source, currency=book.settings.currency,
                   precisions=book.precisions())


def _emit(common: Common, report: Report) -> None:
    from bizcli.cli.common import emit

    emit(common, report)


def pipeline(
    by: Annotated[str, typer.Option(help="Group by stage, owner, source, campaign or "
                                    "customer.")] = "stage",
    owner: OwnerOption = None, source: SourceOption = None,
    period: Annotated[Optional[str], typer.Option(
        "--period", "-p", help="Only deals expected to close in this period (2026-12, "
        "2027-Q1...).", show_default=False)] = None,
    as_of: Annotated[Optional[str], typer.Option(
        help="Judge the deals as they were on this day (default: today).",
        show_default=False)] = None,
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Open deals by stage (or owner, source...): count, amount, weighted amount.

    Weighted = the sum over the deals of amount x probability / 100, where the
    probability is the deal's own if set, else its stage's (biz.yaml crm: stages).

    \b
    Examples:
      biz crm pipeline
      biz crm pipeline --by owner --period 2026-12
      biz crm pipeline --as-of 2026-06-30 -O csv
    """
    from bizcli.reports.crm.pipeline import GROUPS
    from bizcli.reports.crm.pipeline import pipeline as build

    if by not in GROUPS:
        msg = f"cannot group by {by!r}; use one of: " + ", ".join(GROUPS)
        raise typer.BadParameter(msg, param_hint="--by")
    common = Common(book=book, period=period, as_of=as_of, output_format=output_format,
                    output=output)
    _emit(common, build(_view(common, owner, source), by))


def deal_list(
    stage: Annotated[Optional[str], typer.Option(help="Only deals in this stage.")] = None,
    status: Annotated[Optional[str], typer.Option(
        help="open, won, lost or closed (won or lost).")] = None,
    customer: Annotated[Optional[str], typer.Option(help="Only this customer's deals.")
                        ] = None,
    owner: OwnerOption = None, source: SourceOption = None, period: PeriodOption = None,
    as_of: AsOfOption = None, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """The deals with their stage, amount and weighted amount.

    With --period, open deals are picked by expected close and closed ones by the day
    they closed.

    \b
    Examples:
      biz crm deal list --status open --owner ana
      biz crm deal list --status won --period 2026 -O csv
    """
    from bizcli.reports.crm.deals import STATUSES
    from bizcli.reports.crm.deals import deal_list as build

    if status is not None and status not in STATUSES:
        msg = f"unknown status {status!r}; use one of: " + ", ".join(STATUSES)
        raise typer.BadParameter(msg, param_hint="--status")
    common = Common(book=book, period=period, as_of=as_of, output_format=output_format,
                    output=output)
    _emit(common, build(_view(common, owner, source), stage=stage, status=status,
                        customer=customer))


def deal_show(
    number: Number, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """One deal: its values, each stage it was in and for how many days, its order.

    \b
    Examples:
      biz crm deal show D-2026-0004
    """
    from bizcli.cli.common import find_root
    from bizcli.reports.crm.deals import deal_card
    from bizcli.storage.crm_store import find_deal
    from bizcli.storage.loader import load_book

    common = Common(book=book, output_format=output_format, output=output)
    view = _view(common)
    deal = find_deal(view.crm, number)
    orders = {}
    if deal.order:
        records, _ = load_book(find_root(common), need_stock=True, moves_of=lambda _: ())
        orders = {s.number: s.state.value for s in records.sales}
    _emit(common, deal_card(view, deal, orders))


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
              about: dict[str, str | None], dry_run: bool, book: str | None) -> None:
    from bizcli.storage.crm_store import ActivityRequest, add_activity

    request = ActivityRequest(kind=kind, subject=subject, date=_day(date),
                              due=_day(due_day) if due_day else None, **about)
    sys.stdout.write(add_activity(_root(book), request, dry_run=dry_run))


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

    sys.stdout.write(complete_follow_up(_root(book), number, _day(date), dry_run=dry_run))


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
    customer: Annotated[str, typer.Argument(help="Customer code.")],
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


# --- leads -----------------------------------------------------------------------------

LeadNumber = Annotated[str, typer.Argument(help="Lead number, e.g. L-2026-0003.")]


def lead_add(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    company: Annotated[Optional[str], typer.Option(help="Their company, if any.")] = None,
    email: Annotated[Optional[str], typer.Option(help="Email.")] = None,
    phone: Annotated[Optional[str], typer.Option(help="Phone.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Where they came from.")] = None,
    campaign: Annotated[Optional[str], typer.Option(help="Marketing campaign.")] = None,
    owner: Annotated[Optional[str], typer.Option(help="Who follows them up.")] = None,
    notes: Annotated[Optional[str], typer.Option(help="Free notes.")] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Add a lead (numbered L-YEAR-NNNN): someone who might buy, not yet a customer.

    \b
    Examples:
      biz crm lead add "Ana Ruiz" --company "Casa Ruiz" --email ana@casaruiz.example --source fair
    """
    from bizcli.core.crm.deals import Lead
    from bizcli.storage.crm_store import add_lead

    asked = Lead(number="", name=name, created=_day(date), company=company, email=email,
                 phone=phone, source=source, campaign=campaign, owner=owner, notes=notes)
    sys.stdout.write(add_lead(_root(book), asked, dry_run=dry_run))


def lead_convert(
    number: LeadNumber,
    title: Annotated[Optional[str], typer.Option(
        help="Title of the deal to open (default: the company's or the person's name).",
        show_default=False)] = None,
    amount: Annotated[Optional[str], typer.Option(help="What the deal is worth.")] = None,
    lines: Annotated[Optional[list[str]], typer.Option(
        "--line", help="A product line ITEM=QUANTITY[@PRICE]; repeatable.",
        show_default=False)] = None,
    close: Annotated[Optional[str], typer.Option(help="Expected close date.")] = None,
    stage: Annotated[Optional[str], typer.Option(help="Stage the deal starts in.")] = None,
    no_deal: Annotated[bool, typer.Option("--no-deal", help="Make the customer only.")
                       ] = False,
    customer: Annotated[Optional[str], typer.Option(
        help="Attach to this existing customer instead of adding one.")] = None,
    code: Annotated[Optional[str], typer.Option(
        help="Code of the new customer (default: made from the company or name).")] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Turn a lead into a customer and a deal: adds the customer to customers.yaml.

    The customer is written first; if the command stops before the lead is marked
    converted, run it again with --customer CODE.

    \b
    Examples:
      biz crm lead convert L-2026-0003 --amount 4800 --close 2026-12-20
      biz crm lead convert L-2026-0004 --customer harbor-interiors --line CUTBOARD-EG=10
      biz crm lead convert L-2026-0005 --no-deal --code casa-ruiz
    """
    from bizcli.storage.crm_store import Conversion, DealRequest, convert_lead
    from bizcli.storage.order_lines import decimal_option

    day = _day(date)
    request = None if no_deal else DealRequest(
        customer="", title=title or "", date=day, lines=tuple(lines or ()),
        amount=decimal_option(amount, "--amount"), stage=stage,
        expected_close=_day(close) if close else None)
    sys.stdout.write(convert_lead(_root(book), Conversion(
        number=number, date=day, customer=customer, code=code, deal=request),
        dry_run=dry_run))


def lead_drop(
    number: LeadNumber,
    reason: Annotated[str, typer.Option(help="Why (no budget, not a fit...).")],
    dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Disqualify a lead, saying why.

    \b
    Examples:
      biz crm lead drop L-2026-0006 --reason "no budget"
    """
    from bizcli.storage.crm_store import drop_lead

    sys.stdout.write(drop_lead(_root(book), number, reason, dry_run=dry_run))


def lead_list(
    status: Annotated[Optional[str], typer.Option(
        help="open, converted or dropped.")] = None,
    owner: OwnerOption = None, source: SourceOption = None, period: PeriodOption = None,
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Leads, with what became of them; --period picks them by the day they came in.

    \b
    Examples:
      biz crm lead list --status open
      biz crm lead list --source fair --period 2026 -O csv
    """
    from bizcli.reports.crm.deals import lead_list as build

    if status is not None and status not in ("open", "converted", "dropped"):
        msg = f"unknown status {status!r}; use open, converted or dropped"
        raise typer.BadParameter(msg, param_hint="--status")
    common = Common(book=book, period=period, output_format=output_format, output=output)
    _emit(common, build(_view(common, owner, source), status=status))


# --- customer 360 -----------------------------------------------------------------------

def customer_standing(common: Common, code: str) -> None:
    """Print ``biz customer show CODE``: the record, the CRM and the books around it."""
    from bizcli.cli.common import find_root
    from bizcli.core.problems import BizcliError, blocking
    from bizcli.reports.crm.customer import customer_360
    from bizcli.storage.loader import load_book

    view, scores, _ = _scores(common)
    book, problems = load_book(find_root(common), need_stock=True, moves_of=lambda _: ())
    errors = blocking(problems)
    if errors:
        raise BizcliError(errors)
    _emit(common, customer_360(book, view, code, standing(scores, code)))


def standing(scores: list[CustomerScore], code: str) -> dict[str, str]:
    """The segment and churn lines of a customer's card."""
    mine = next((s for s in scores if s.customer == code), None)
    if mine is None:
        return {"Segment": "none: no invoice yet"}
    gap = f"{mine.recency_days} days since the last invoice, threshold {mine.churn_threshold}"
    rule = "usual gap" if mine.churn_rule.value == "interval" else "one invoice day"
    return {"Segment": f"{mine.segment} (RFM {mine.r}{mine.f}{mine.m})",
            "Churn": f"{'churned' if mine.churned else 'not churned'}: {gap} ({rule})"}


# --- customer analytics ---------------------------------------------------------------

KOption = Annotated[str, typer.Option(
    "--k", help="Churned when the days since the last invoice exceed k x the usual gap.")]
FallbackOption = Annotated[int, typer.Option(
    "--fallback-days", min=1, help="Churned after this many days for a customer invoiced "
    "on one day only.")]


def _scores(common: Common, k: str = "2", fallback_days: int = 180, horizon: str = "3"
            ) -> tuple[CrmView, list[CustomerScore], int]:
    """The view, every customer's scores on its as-of day, and invoices left out."""
    from bizcli.cli.common import find_root
    from bizcli.core.crm.customers import score_customers
    from bizcli.core.problems import BizcliError, blocking, fail
    from bizcli.storage.loader import load_book
    from bizcli.storage.order_lines import decimal_option
    from bizcli.storage.sales_facts import load_facts

    view = _view(common)
    root = find_root(common)

    def records() -> Book:
        book, problems = load_book(root, need_stock=True, moves_of=lambda _: ())
        errors = blocking(problems)
        if errors:
            raise BizcliError(errors)
        return book

    facts = load_facts(root, records)
    k_value, years = decimal_option(k, "--k"), decimal_option(horizon, "--horizon")
    assert k_value is not None
    assert years is not None
    if not k_value:
        raise fail("bad-number", "--k must be more than 0", hint="e.g. --k 2")
    scores = score_customers(facts.sales, facts.costs, view.as_of, k=k_value,
                             fallback_days=fallback_days, horizon_years=years)
    return view, scores, facts.other_currency


def segment(
    by: Annotated[str, typer.Option(help="customer (one row each) or segment (totals).")
                  ] = "customer",
    as_of: AsOfOption = None, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """RFM: each customer's recency, frequency and monetary scores (1-5) and segment.

    Scores are quintiles by rank among the customers with an invoice by the as-of day
    (ties share a score); segments come from R and F: champions, loyal, new, promising,
    at_risk, needs_attention, hibernating, lost (docs/crm.md has the rules).

    \b
    Examples:
      biz crm segment
      biz crm segment --by segment --as-of 2026-06-30
    """
    from bizcli.reports.crm.segments import segment_report

    if by not in ("customer", "segment"):
        msg = f"cannot group by {by!r}; use customer or segment"
        raise typer.BadParameter(msg, param_hint="--by")
    common = Common(book=book, as_of=as_of, output_format=output_format, output=output)
    view, scores, other = _scores(common)
    _emit(common, segment_report(view, scores, by=by, other_currency=other))


def churn(
    k: KOption = "2", fallback_days: FallbackOption = 180,
    everyone: Annotated[bool, typer.Option("--all", help="List every customer, not only "
                                           "the churned.")] = False,
    as_of: AsOfOption = None, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Customers slipping away: the gap since their last invoice beyond k x their usual gap.

    The usual gap is the median of the days between a customer's invoice dates; a
    customer invoiced on one day only is churned after --fallback-days.

    \b
    Examples:
      biz crm churn
      biz crm churn --k 3 --fallback-days 365 --all -O csv
    """
    from bizcli.reports.crm.segments import churn_report

    common = Common(book=book, as_of=as_of, output_format=output_format, output=output)
    view, scores, other = _scores(common, k, fallback_days)
    _emit(common, churn_report(view, scores, everyone=everyone, other_currency=other))


def clv(
    horizon: Annotated[str, typer.Option(help="Years to project the margin over.")] = "3",
    k: KOption = "2", fallback_days: FallbackOption = 180,
    as_of: AsOfOption = None, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Customer lifetime value: revenue, cost of goods and gross margin to date, projected.

    projected = gross margin x 365 / max(days as a customer, 365) x --horizon years; 0
    for a churned customer (churn as in 'biz crm churn', with --k and --fallback-days).

    \b
    Examples:
      biz crm clv
      biz crm clv --horizon 5 -O csv
    """
    from bizcli.reports.crm.segments import clv_report

    common = Common(book=book, as_of=as_of, output_format=output_format, output=output)
    view, scores, other = _scores(common, k, fallback_days, horizon)
    _emit(common, clv_report(view, scores, horizon=Decimal(horizon), other_currency=other))


# --- forecast, funnel, win rates -------------------------------------------------------

ReportPeriod = Annotated[Optional[str], typer.Option(
    "--period", "-p", help="2026, 2026-Q4, 'last month'...", show_default=False)]
ReportAsOf = Annotated[Optional[str], typer.Option(
    help="Judge the deals as they were on this day (default: today).", show_default=False)]


def _report(build: Callable[[CrmView], Report], period: str | None, as_of: str | None,
            owner: str | None, source: str | None, book: str | None,
            output_format: str | None, output: Path | None) -> None:
    common = Common(book=book, period=period, as_of=as_of, output_format=output_format,
                    output=output)
    _emit(common, build(_view(common, owner, source)))


def forecast(
    overdue: Annotated[str, typer.Option(
        help="roll: count overdue open deals in the current month (they can only close "
        "from now on); in-place: leave them in their month, flagged.")] = "roll",
    months: Annotated[int, typer.Option(min=1, help="Months shown from the as-of month "
                                        "(without --period).")] = 6,
    owner: OwnerOption = None, source: SourceOption = None, period: ReportPeriod = None,
    as_of: ReportAsOf = None, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Weighted open pipeline by month of expected close, beside won deals and targets.

    Won deals count in the month they were won; the target of a month comes from
    biz.yaml (crm: targets, else monthly_target).

    \b
    Examples:
      biz crm forecast
      biz crm forecast --period 2027-Q1 --overdue in-place -O csv
    """
    from bizcli.reports.crm.forecast import POLICIES
    from bizcli.reports.crm.forecast import forecast as build

    if overdue not in POLICIES:
        msg = f"unknown policy {overdue!r}; use " + " or ".join(POLICIES)
        raise typer.BadParameter(msg, param_hint="--overdue")
    _report(lambda view: build(view, overdue=overdue, months=months), period, as_of, owner,
            source, book, output_format, output)


def funnel(
    owner: OwnerOption = None, source: SourceOption = None, period: ReportPeriod = None,
    as_of: ReportAsOf = None, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """How many deals opened in the period reached or passed each stage, and were won.

    A skipped stage counts as passed; a lost deal counts up to the stage it was lost
    in. Step % = reached / the row above; overall % = reached / the first row.

    \b
    Examples:
      biz crm funnel --period 2026
      biz crm funnel --owner ana -O json
    """
    from bizcli.reports.crm.funnel import funnel as build

    _report(build, period, as_of, owner, source, book, output_format, output)


def winrate(
    by: Annotated[str, typer.Option(help="owner, source, month (of closing) or none.")
                  ] = "owner",
    owner: OwnerOption = None, source: SourceOption = None, period: ReportPeriod = None,
    as_of: ReportAsOf = None, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Win rate of the deals closed in the period: won / (won + lost), count and value.

    Also the average won deal and the average days from opening to winning.

    Open deals never count. 'biz crm reasons' breaks the losses down, 'biz crm stages'
    shows the time spent in each stage.

    \b
    Examples:
      biz crm winrate --period 2026
      biz crm winrate --by month --period 2026 -O csv
    """
    from bizcli.reports.crm.winrate import winrate as build

    if by not in ("owner", "source", "month", "none"):
        msg = f"cannot group by {by!r}; use owner, source, month or none"
        raise typer.BadParameter(msg, param_hint="--by")
    _report(lambda view: build(view, by=by), period, as_of, owner, source, book,
            output_format, output)


def leaderboard(
    source: SourceOption = None, period: ReportPeriod = None, as_of: ReportAsOf = None,
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Won amount and count per owner in the period, largest first.

    \b
    Examples:
      biz crm leaderboard --period 2026-Q4
    """
    from bizcli.reports.crm.winrate import leaderboard as build

    _report(build, period, as_of, None, source, book, output_format, output)


def reasons(
    owner: OwnerOption = None, source: SourceOption = None, period: ReportPeriod = None,
    as_of: ReportAsOf = None, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Why deals were lost in the period: count and amount per lost reason.

    \b
    Examples:
      biz crm reasons --period 2026
    """
    from bizcli.reports.crm.winrate import lost_reasons as build

    _report(build, period, as_of, owner, source, book, output_format, output)


def stages(
    owner: OwnerOption = None, source: SourceOption = None, period: ReportPeriod = None,
    as_of: ReportAsOf = None, book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Time in stage: days spent in each stage, completed stays and open ones apart.

    A completed stay ends with the next history line; an open stay is an open deal's
    current stage, counted to the as-of day.

    \b
    Examples:
      biz crm stages --period 2026
    """
    from bizcli.reports.crm.winrate import time_in_stage as build

    _report(build, period, as_of, owner, source, book, output_format, output)


def predict(
    min_closed: Annotated[int, typer.Option(
        "--min-closed", min=2, help="Closed deals needed at a stage to predict from it.")
    ] = 10,
    owner: OwnerOption = None, source: SourceOption = None, as_of: ReportAsOf = None,
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Each open deal's stage probability beside a prediction from the book's history.

    The prediction is naive Bayes over the deal's source, owner and customer segment,
    learned from the closed deals that reached its stage, with each factor's weight
    shown. It never replaces the stage's probability in the other reports.

    \b
    Examples:
      biz crm predict
      biz crm predict --min-closed 20 -O csv
    """
    from dataclasses import replace

    from bizcli.reports.crm.predict import predictions

    common = Common(book=book, as_of=as_of, output_format=output_format, output=output)
    view, scores, _ = _scores(common)
    view = replace(view, owner=owner, source=source)
    segments = {s.customer: s.segment for s in scores}
    _emit(common, predictions(view, segments, min_closed))
