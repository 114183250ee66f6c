"""CRM report commands: forecast, funnel, win rates, predictions, customer analytics."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli.common import (
    AsOfOption,
    BookOption,
    Common,
    FormatOption,
    OutputOption,
)
from bizcli.cli.crm import OwnerOption, SourceOption, _emit, _view

if TYPE_CHECKING:
    from pathlib import Path

    from bizcli.core.book import Book
    from bizcli.core.crm.customers import CustomerScore
    from bizcli.reports.crm.view import CrmView
    from bizcli.reports.model import Report


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
    from decimal import Decimal

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
