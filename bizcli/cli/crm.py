"""CRM commands: the ``biz crm`` groups, deals, leads and the pipeline.

The day's work (activities, follow-ups, tickets) is in ``crm_work``, the reports on
deals and customers in ``crm_reports``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Optional

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
from bizcli.cli.purchases import DateOption, DryRun
from bizcli.cli.sales import _root

if TYPE_CHECKING:
    from decimal import Decimal

    from bizcli.core.crm.book import Crm
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
    from bizcli.cli import crm_reports as reports
    from bizcli.cli import crm_work as work

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
    activity_app.command("log")(work.activity_log)
    activity_app.command("plan")(work.activity_plan)
    activity_app.command("done")(work.activity_done)
    activity_app.command("list")(work.activity_list)
    crm_app.add_typer(activity_app, name="activity")
    ticket_app.command("open")(work.ticket_open)
    ticket_app.command("assign")(work.ticket_assign)
    ticket_app.command("respond")(work.ticket_respond)
    ticket_app.command("close")(work.ticket_close)
    ticket_app.command("list")(work.ticket_list)
    crm_app.add_typer(ticket_app, name="ticket")
    crm_app.command("due")(work.due)
    crm_app.command("pipeline")(pipeline)
    crm_app.command("forecast")(reports.forecast)
    crm_app.command("funnel")(reports.funnel)
    crm_app.command("winrate")(reports.winrate)
    crm_app.command("leaderboard")(reports.leaderboard)
    crm_app.command("reasons")(reports.reasons)
    crm_app.command("stages")(reports.stages)
    crm_app.command("predict")(reports.predict)
    crm_app.command("segment")(reports.segment)
    crm_app.command("churn")(reports.churn)
    crm_app.command("clv")(reports.clv)
    app.add_typer(crm_app, name="crm")


def _percent(text: str | None) -> Decimal | None:
    from bizcli.core.crm.changes import check_probability
    from bizcli.storage.order_lines import decimal_option

    return check_probability(decimal_option(text, "--probability"))


# --- deal writes -----------------------------------------------------------------------

def deal_add(
    customer: Annotated[str, typer.Argument(help="Customer code.",
                                            autocompletion=complete.customers)],
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
        customer=customer, title=title, date=day_of(date), lines=tuple(lines or ()),
        amount=decimal_option(amount, "--amount"), stage=stage, owner=owner, source=source,
        campaign=campaign, expected_close=day_of(close) if close else None,
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
    from bizcli.core.crm.changes import move

    day, own = day_of(date), _percent(probability)

    def change(crm: Crm, deal: Deal) -> Deal:
        moved = move(deal, stage, day, crm.settings)
        return moved if own is None else moved._replace(probability=own)

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

    request = WinRequest(number=number, date=day_of(date), quote=quote, warehouse=warehouse,
                         override=override, due=day_of(due) if due else None)
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

    day = day_of(date)
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

    day = day_of(date)
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
    from bizcli.core.problems import fail
    from bizcli.storage.order_lines import decimal_option

    if probability is not None and clear_probability:
        msg = "--probability and --clear-probability contradict each other; give one"
        raise typer.BadParameter(msg)
    if title is not None and not title.strip():
        raise fail("missing-key", "a deal needs a title", hint="give a non-empty --title")
    new_amount, own = decimal_option(amount, "--amount"), _percent(probability)
    close_day = day_of(close) if close else None
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
        return deal._replace(**values)  # type: ignore[arg-type]

    _change(book, number, change, dry_run)


# --- reports ---------------------------------------------------------------------------

def _view(common: Common, owner: str | None = None, source: str | None = None) -> CrmView:
    """Load the book's settings and the CRM; refuse if the CRM has errors.

    The loaded records live until the command ends: they are moved out of the cycle
    collector's sight (``gc.freeze``), so that a report's many short-lived numbers do
    not make it rescan 100,000 deals again and again.
    """
    import gc

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
    gc.freeze()
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

    asked = Lead(number="", name=name, created=day_of(date), company=company, email=email,
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

    day = day_of(date)
    request = None if no_deal else DealRequest(
        customer="", title=title or "", date=day, lines=tuple(lines or ()),
        amount=decimal_option(amount, "--amount"), stage=stage,
        expected_close=day_of(close) if close else None)
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
