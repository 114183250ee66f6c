"""MRP commands: ``biz mrp run | record | forecast``."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli import complete
from bizcli.cli.common import BookOption, Common, FormatOption, OutputOption

if TYPE_CHECKING:
    from decimal import Decimal

    from bizcli.core.book import Book
    from bizcli.core.production.demand import MrpOptions
    from bizcli.core.production.mrp import Plan

mrp_app = typer.Typer(no_args_is_help=True, help="Material requirements planning: run, "
                      "record, forecast.")

HorizonOption = Annotated[str, typer.Option(
    help="How far to plan: 12w (weeks), 90d (days) or 6m (months of 30 days); "
    "at most ten years.")]
BucketOption = Annotated[str, typer.Option(help="Plan in week or day buckets.")]
PipelineOption = Annotated[Optional[str], typer.Option(
    "--pipeline-min", help="Also plan for open deals' product lines whose win probability "
    "is at least this (0.7 = 70%); left out: no pipeline demand.", show_default=False)]
ForecastOption = Annotated[Optional[str], typer.Option(
    "--forecast", help="Add forecast demand: a CSV file item,date,quantity, or 'auto' for "
    "the forecast from sales history (biz mrp forecast).", show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the ``mrp`` group to the root app."""
    mrp_app.command("run")(run)
    mrp_app.command("record")(record)
    mrp_app.command("forecast")(forecast)
    app.add_typer(mrp_app, name="mrp")


MAX_HORIZON_DAYS = 3660
"""The longest horizon planned (ten years): a plan's dates must stay in the calendar."""


def horizon_days(text: str) -> int:
    """Days in a horizon written 12w, 90d or 6m."""
    match = re.fullmatch(r"\s*0*(\d+)\s*([dwm])\s*", text.lower())
    if match is None or match.group(1) == "0":
        raise typer.BadParameter(f"{text!r}: write it as 12w, 90d or 6m", param_hint="--horizon")
    count = match.group(1)  # int() of thousands of digits fails: ten years has four
    days = int(count) * {"d": 1, "w": 7, "m": 30}[match.group(2)] if len(count) < 6 else 0
    if not 0 < days <= MAX_HORIZON_DAYS:
        from bizcli.core.text import abbreviated

        raise typer.BadParameter(f"{abbreviated(text)!r} is more than ten years "
                                 f"({MAX_HORIZON_DAYS}d)",
                                 param_hint="--horizon")
    return days


def bucket_days(text: str) -> int:
    """7 for week buckets, 1 for day buckets."""
    if text not in ("week", "day"):
        raise typer.BadParameter("use week or day", param_hint="--bucket")
    return 7 if text == "week" else 1


def pipeline_minimum(text: str | None) -> Decimal | None:
    """``--pipeline-min``, a probability from 0 to 1, as the percent deals are kept above."""
    from decimal import Decimal, InvalidOperation

    if text is None:
        return None
    try:
        least = Decimal(text)
    except InvalidOperation:
        least = Decimal(-1)
    if not least.is_finite() or not 0 <= least <= 1:  # NaN cannot even be compared
        raise typer.BadParameter(f"{text!r}: give a probability from 0 to 1, e.g. 0.7",
                                 param_hint="--pipeline-min")
    return least * 100


def _options(book: Book, horizon: str, bucket: str, pipeline_min: str | None,
             forecast: str | None) -> MrpOptions:
    from bizcli.cli.clock import today
    from bizcli.core.production.demand import MrpOptions, history_forecast
    from bizcli.core.stock.items import ItemKind

    days = bucket_days(bucket)
    buckets = -(-horizon_days(horizon) // days)
    least = pipeline_minimum(pipeline_min)
    day = today()
    options = MrpOptions(today=day, bucket_days=days, buckets=buckets, pipeline_min=least)
    if forecast == "auto":
        found = history_forecast(book, options)
        return options.with_forecast(tuple(d for f in found for d in f.demands))
    if forecast is not None:
        from bizcli.storage.forecast_file import read_forecast

        stocked = [i.code for i in book.items if i.kind is not ItemKind.SERVICE]
        return options.with_forecast(tuple(read_forecast(Path(forecast), stocked)))
    return options


def _builder(common: Common, horizon: str, bucket: str, pipeline_min: str | None,
             forecast: str | None) -> tuple[Book, Callable[[Book], Plan]]:
    """The loaded book and a function that plans any book with these options."""
    from bizcli.cli.common import find_root, load
    from bizcli.core.problems import BizcliError, blocking
    from bizcli.core.production.demand import run_mrp

    book = load(common, need_stock=True)
    options = _options(book, horizon, bucket, pipeline_min, forecast)
    crm = None
    if options.pipeline_min is not None:
        from bizcli.storage.crm_loader import load_crm

        crm, problems = load_crm(find_root(common))
        errors = blocking(problems)
        if errors:
            raise BizcliError(errors)

    def build(loaded: Book) -> Plan:
        import gc

        gc.freeze()  # the book: long-lived, no garbage; the cycle collector skips it
        from bizcli.core.stock.items import ItemKind
        from bizcli.render.progress import progress_bar

        stocked = sum(1 for i in loaded.items if i.kind is not ItemKind.SERVICE)
        with progress_bar("Planning", lambda: stocked) as advance:
            plan = run_mrp(loaded, crm, options, advance)
        gc.freeze()  # the plan: hundreds of thousands of tuples for the reports to read
        return plan

    return book, build


def run(
    horizon: HorizonOption = "12w", bucket: BucketOption = "week",
    pipeline_min: PipelineOption = None, forecast: ForecastOption = None,
    show: Annotated[str, typer.Option(help="What to print: all, orders, exceptions or "
                                      "shortages (csv prints one of them).")] = "all",
    commit: Annotated[bool, typer.Option("--commit", help="Write planned orders as draft "
                                         "purchase orders and work orders.")] = False,
    pick: Annotated[Optional[list[str]], typer.Option(
        "--pick", help="With --commit: the planned orders to write (default: those due "
        "for release by today).", show_default=False)] = None,
    warehouse: Annotated[Optional[str], typer.Option(
        help="With --commit: where the drafts receive (needed when there are several).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="With --commit: show, "
                                          "write nothing.")] = False,
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Plan what to make and buy, by when: planned orders, exceptions and shortages.

    Demand is the open sales orders (what is left to ship, at their due dates), the open
    work orders' components, a forecast with --forecast, and with --pipeline-min the
    product lines of open deals at least that likely to close, shown apart (Pipeline:
    only / part). Supply is stock on hand, open purchase orders and work orders. Items
    are netted level by level (low-level codes), with safety stock, lead times, scrap
    and each item's lot size (items.yaml lot_size). A release date in the past is kept
    and reported, never dropped. docs/production.md has every rule.

    \b
    Examples:
      biz mrp run
      biz mrp run --horizon 26w --pipeline-min 0.7
      biz mrp run --bucket day --horizon 30d --show exceptions
      biz mrp run -O json > plan.json
      biz mrp run --commit --warehouse WORKSHOP --dry-run
      biz mrp run --commit --pick PL-0003 --pick PL-0007 --warehouse WORKSHOP
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root

    if show not in ("all", "orders", "exceptions", "shortages"):
        raise typer.BadParameter("use all, orders, exceptions or shortages", param_hint="--show")
    common = Common(book=book, output_format=output_format, output=output)
    loaded, build = _builder(common, horizon, bucket, pipeline_min, forecast)
    if commit:
        from bizcli.storage.production_store import Commit, commit_plan

        sys.stdout.write(commit_plan(find_root(common), build,
                                     Commit(picks=tuple(pick or ()), warehouse=warehouse,
                                            today=today()), dry_run=dry_run))
        return
    if pick:
        raise typer.BadParameter("--pick chooses what --commit writes", param_hint="--pick")
    _emit_plan(common, loaded, build(loaded), show)


def _emit_plan(common: Common, book: Book, plan: Plan, show: str) -> None:
    from bizcli.cli.common import emit, output_format
    from bizcli.reports.production.mrp import (
        exceptions_report,
        orders_report,
        plan_document,
        shortages_report,
    )

    fmt = output_format(common)
    if fmt == "json" and show == "all":
        from bizcli.render.formats import render_json_stream

        pieces = render_json_stream(plan_document(plan))
        if common.output is not None:
            from bizcli.storage.atomic import write_output

            write_output(common.output, "".join(pieces))
        else:
            sys.stdout.writelines(pieces)
        return
    precisions = book.precisions()
    reports = {"orders": orders_report, "exceptions": exceptions_report,
               "shortages": shortages_report}
    if show == "all" and fmt == "csv":
        show = "orders"
    chosen = list(reports) if show == "all" else [show]
    from bizcli.core.memory import no_cyclic_gc

    # A table's rows are acyclic: collecting while 200,000 of them grow made the 10k-item
    # table 1.5 s slower. (Not around JSON above: json.dumps with indent leaves a reference
    # cycle per call, 760 MB of them over a plan's orders with the collector paused.)
    with no_cyclic_gc():
        for index, name in enumerate(chosen):
            if index:
                sys.stdout.write("\n")
            emit(common, reports[name](plan, precisions))


def record(
    item: Annotated[str, typer.Argument(help="Item code.", autocompletion=complete.items)],
    horizon: HorizonOption = "12w", bucket: BucketOption = "week",
    pipeline_min: PipelineOption = None, forecast: ForecastOption = None,
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """One item's time-phased MRP record: gross requirements to planned releases.

    Rows: gross requirements, scheduled receipts, projected on hand, net requirements,
    planned order receipts and releases, one column per bucket (the column's first day).

    \b
    Examples:
      biz mrp record LEG-OAK
      biz mrp record TABLE-OAK --horizon 8w --pipeline-min 0.5
    """
    from bizcli.cli.common import emit
    from bizcli.reports.production.mrp import record_report

    common = Common(book=book, output_format=output_format, output=output)
    loaded, build = _builder(common, horizon, bucket, pipeline_min, forecast)
    plan = build(loaded)
    emit(common, record_report(plan, item, loaded.precisions()))


def forecast(
    periods: Annotated[int, typer.Option(min=2, max=3660, help="Past buckets to learn from.")] = 26,
    horizon: HorizonOption = "12w", bucket: BucketOption = "week",
    item: Annotated[Optional[str], typer.Option(help="Only this item.")] = None,
    write: Annotated[Optional[Path], typer.Option(
        "--write", help="Also write the forecast as a CSV file for 'biz mrp run --forecast'.",
        show_default=False)] = None,
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Forecast demand per item from sales order history, with its error on past periods.

    Each item gets the method that fitted its history best (lowest MAD of one-step-ahead
    forecasts): a moving average (3 or 6 periods) or exponential smoothing (alpha 0.1,
    0.3 or 0.5). MAD and MAPE show how far off it was.

    \b
    Examples:
      biz mrp forecast
      biz mrp forecast --periods 52 --item TABLE-OAK
      biz mrp forecast --write forecast.csv && biz mrp run --forecast forecast.csv
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import emit, load
    from bizcli.core.production.demand import MrpOptions, history_forecast
    from bizcli.reports.production.forecast import forecast_report

    common = Common(book=book, output_format=output_format, output=output)
    loaded = load(common, need_stock=True)
    days = bucket_days(bucket)
    options = MrpOptions(today=today(), bucket_days=days,
                         buckets=-(-horizon_days(horizon) // days))
    found = history_forecast(loaded, options, periods=periods, only=item)
    if write is not None:
        from bizcli.storage.forecast_file import write_forecast

        write_forecast(write, [d for f in found for d in f.demands])
    emit(common, forecast_report(found, options, periods))
