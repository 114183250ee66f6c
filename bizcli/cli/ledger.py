"""Journal commands: reports (bal, reg, tb, is, bs, cf, summary), check, post."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from pathlib import Path

    from bizcli.core.book import Book
    from bizcli.core.problems import Problem
    from bizcli.reports.model import Row
    from bizcli.reports.summary import Alerts

from bizcli.cli.common import (
    AsOfOption,
    BookOption,
    Common,
    DepthOption,
    FormatOption,
    NoColorOption,
    OutputOption,
    PeriodOption,
    QueryArgument,
)

FlatOption = Annotated[bool, typer.Option("--flat", "-l", help="Full account names, no tree.")]
EmptyOption = Annotated[bool, typer.Option("--empty", "-E", help="Show zero balances too.")]


def register(app: typer.Typer) -> None:
    """Add the journal commands to the root app."""
    for name, function in (("bal", balance), ("reg", register_), ("tb", trial_balance),
                           ("is", income_statement), ("bs", balance_sheet),
                           ("cf", cash_flow), ("summary", summary), ("check", check),
                           ("post", post)):
        settings = {"ignore_unknown_options": True} if name == "post" else None
        app.command(name, context_settings=settings)(function)


def balance(query: QueryArgument = None, book: BookOption = None, period: PeriodOption = None,
            as_of: AsOfOption = None, depth: DepthOption = None, flat: FlatOption = False,
            empty: EmptyOption = False,
            monthly: Annotated[bool, typer.Option("--monthly", "-M")] = False,
            quarterly: Annotated[bool, typer.Option("--quarterly", "-Q")] = False,
            yearly: Annotated[bool, typer.Option("--yearly", "-Y")] = False,
            output_format: FormatOption = None, output: OutputOption = None,
            no_color: NoColorOption = False) -> None:
    """Balance change of each account over the period (hledger's bal).

    \b
    Examples:
      biz bal
      biz bal -p 2026 expenses --depth 2
      biz bal -M -p 2026-Q1 ^income
      biz bal tag:customer=acme -O csv
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.balance import balance_report

    interval = "month" if monthly else "quarter" if quarterly else "year" if yearly else None
    common = Common(book=book, period=period, as_of=as_of, depth=depth, query=tuple(query or ()),
                    output_format=output_format, output=output, no_color=no_color)
    show_report(common, lambda b, s: balance_report(b, s, interval=interval, flat=flat,
                                                    empty=empty))


def register_(query: QueryArgument = None, book: BookOption = None, period: PeriodOption = None,
              as_of: AsOfOption = None, output_format: FormatOption = None,
              output: OutputOption = None, no_color: NoColorOption = False) -> None:
    """Postings with a running total (hledger's reg).

    \b
    Examples:
      biz reg checking -p 2026-11
      biz reg tag:doc=INV-2026-0042
      biz reg desc:rent
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.register import register_report

    common = Common(book=book, period=period, as_of=as_of, query=tuple(query or ()),
                    output_format=output_format, output=output, no_color=no_color)
    show_report(common, register_report, need_transactions=True)


def trial_balance(query: QueryArgument = None, book: BookOption = None,
                  period: PeriodOption = None, as_of: AsOfOption = None,
                  depth: DepthOption = None, output_format: FormatOption = None,
                  output: OutputOption = None, no_color: NoColorOption = False) -> None:
    """Trial balance: debit and credit of every account at the end of the period.

    \b
    Examples:
      biz tb
      biz tb --as-of 2025-12-31
      biz tb -O csv -o tb.csv
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.balance import trial_balance_report

    common = Common(book=book, period=period, as_of=as_of, depth=depth, query=tuple(query or ()),
                    output_format=output_format, output=output, no_color=no_color)
    show_report(common, trial_balance_report)


def income_statement(query: QueryArgument = None, book: BookOption = None,
                     period: PeriodOption = None, as_of: AsOfOption = None,
                     depth: DepthOption = None, output_format: FormatOption = None,
                     output: OutputOption = None, no_color: NoColorOption = False) -> None:
    """Income statement: revenue, cost of sales, gross profit, expenses, net profit.

    \b
    Examples:
      biz is -p 2026
      biz is -p 'last month' --depth 2
      biz is -p FY2026-Q1 -O md
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.statements import income_statement as build

    common = Common(book=book, period=period, as_of=as_of, depth=depth, query=tuple(query or ()),
                    output_format=output_format, output=output, no_color=no_color)
    show_report(common, build)


def balance_sheet(query: QueryArgument = None, book: BookOption = None,
                  period: PeriodOption = None, as_of: AsOfOption = None,
                  depth: DepthOption = None, output_format: FormatOption = None,
                  output: OutputOption = None, no_color: NoColorOption = False) -> None:
    """Balance sheet at the end of the period, with earnings not yet closed.

    \b
    Examples:
      biz bs
      biz bs --as-of 2025-12-31 --depth 2
      biz bs -p 2026-Q3 -O json
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.statements import balance_sheet as build

    common = Common(book=book, period=period, as_of=as_of, depth=depth, query=tuple(query or ()),
                    output_format=output_format, output=output, no_color=no_color)
    show_report(common, build)


def cash_flow(query: QueryArgument = None, book: BookOption = None, period: PeriodOption = None,
              as_of: AsOfOption = None, depth: DepthOption = None,
              output_format: FormatOption = None, output: OutputOption = None,
              no_color: NoColorOption = False) -> None:
    """Cash flow: bank and cash movements by operating, investing and financing counter-accounts.

    \b
    Examples:
      biz cf -p 2026
      biz cf -p 2026-11 --depth 2
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.statements import cash_flow as build

    common = Common(book=book, period=period, as_of=as_of, depth=depth, query=tuple(query or ()),
                    output_format=output_format, output=output, no_color=no_color)
    show_report(common, build)


def summary(book: BookOption = None, as_of: AsOfOption = None,
            output_format: FormatOption = None, output: OutputOption = None,
            no_color: NoColorOption = False) -> None:
    """Where the business stands, on one screen: cash, owed, profit, stock, orders.

    Cash and bank balances; receivables and payables with the part past due; revenue,
    cost of sales, gross margin, expenses and profit this month against last month;
    stock value and the items at or below their reorder point; orders to ship, to
    invoice, to receive and to bill; open work orders and MRP shortages; follow-ups
    due and this month's weighted pipeline. Panels on a terminal, plain text when
    piped, -O json for scripts.

    \b
    Examples:
      biz summary
      biz summary --as-of 2026-06-30
      biz summary -O json | jq '.rows[] | select(.item == "Cash and bank")'
    """
    from functools import partial

    from bizcli.cli.clock import day_of
    from bizcli.cli.common import emit, load
    from bizcli.reports.summary import summary_report

    common = Common(book=book, as_of=as_of, output_format=output_format, output=output,
                    no_color=no_color)
    day = day_of(common.as_of, "--as-of")
    loaded = load(common, need_stock=True, moves_of=partial(_dashboard_items, day))
    emit(common, summary_report(loaded, day, _crm_lines(common, loaded, day),
                                _alerts(loaded, day)))


def _dashboard_items(day: dt.date, book: Book) -> set[str]:
    """The items whose moves the summary needs to know their stock on ``day``.

    None of them when the stock after the last move is the stock on ``day``; else those with a
    reorder point and those MRP's open demand needs.
    """
    from bizcli.core.production.demand import items_in_play
    from bizcli.core.stock.ledger import final_stock_covers

    if final_stock_covers(book, day):
        return set()
    return {i.code for i in book.items if i.reorder_point is not None} | items_in_play(book)


def _alerts(book: Book, day: dt.date) -> Alerts:
    """Items to reorder and MRP's shortages (default planning options) on ``day``."""
    from bizcli.core.production.demand import MrpOptions, run_mrp
    from bizcli.reports.selection import ALL_TIME, Selection
    from bizcli.reports.stock import reorder_report
    from bizcli.reports.summary import Alerts

    at_day = Selection(period=ALL_TIME, as_of=day)
    reorder = reorder_report(book, at_day, today=day)
    shortages = run_mrp(book, None, MrpOptions(today=day)).shortages if (
        book.boms or book.work_orders or book.sales) else ()
    return Alerts(below_reorder=[str(row.values[0]) for row in reorder.rows],
                  shortages=shortages,
                  open_work_orders=sum(1 for w in book.work_orders if w.open_quantity > 0))


def _crm_lines(common: Common, book: Book, day: dt.date) -> list[Row]:
    """The summary's CRM lines; none (and a note) when the CRM files have errors."""
    from bizcli.cli.clock import now
    from bizcli.cli.common import find_root
    from bizcli.core.problems import blocking
    from bizcli.reports.crm.summary import crm_summary_rows
    from bizcli.reports.crm.view import CrmView
    from bizcli.storage.crm_loader import load_crm

    crm, problems = load_crm(find_root(common))
    errors = blocking(problems)
    if errors:
        sys.stderr.write(f"note: no CRM lines: {errors[0].one_line()} (see biz check)\n")
        return []
    view = CrmView(crm=crm, as_of=day, currency=book.settings.currency,
                   precisions=book.precisions())
    clock = now()
    at = clock if clock.date() == day else dt.datetime.combine(day, dt.time(23, 59))
    return crm_summary_rows(view, at, at_risk=_churned(common, day))


def _churned(common: Common, day: dt.date) -> list[str] | None:
    """Customers flagged by the churn rule on the day (None: the book has no invoices)."""
    from bizcli.cli.common import find_root
    from bizcli.core.crm.customers import score_customers
    from bizcli.storage.loader import load_book
    from bizcli.storage.sales_facts import load_facts

    root = find_root(common)
    facts = load_facts(root, lambda: load_book(root, need_stock=True, moves_of=lambda _: ())[0])
    if not facts.sales:
        return None
    return [s.customer for s in score_customers(facts.sales, facts.costs, day) if s.churned]


def check(book: BookOption = None,
          output_format: FormatOption = None) -> None:
    """Validate every file of the book; silent when all is well, exit 1 on any error.

    Warnings (a file out of date order, an assertion that ledger reads differently) are
    listed but do not fail the check.

    \b
    Examples:
      biz check
      biz check -O json
      biz -B examples/workshop check
    """
    from bizcli.cli.common import find_root
    from bizcli.core.problems import has_errors
    from bizcli.render.problems import problems_json, problems_text
    from bizcli.storage.loader import load_book, without_cascades

    common = Common(book=book, output_format=output_format)
    root = find_root(common)
    _, problems = load_book(root)
    problems = without_cascades([*problems, *_crm_problems(root)])
    if common.output_format == "json":
        sys.stdout.write(problems_json(problems))
    elif problems:
        sys.stderr.write(problems_text(problems) + "\n")
    if has_errors(problems):
        raise typer.Exit(1)


def _crm_problems(root: Path) -> list[Problem]:
    """The CRM files' problems, and the codes and documents they name that do not exist."""
    from bizcli.core.crm.checks import check_crm
    from bizcli.core.documents.references import Known
    from bizcli.core.problems import blocking, sorted_problems
    from bizcli.storage.crm_loader import load_crm
    from bizcli.storage.loader import load_book

    crm, problems = load_crm(root)
    if not crm.deals or blocking(problems):
        return problems  # a record dropped for its error would make references look unknown
    records, _ = load_book(root, need_stock=True, moves_of=lambda _: ())
    known = Known(customers={c.code for c in records.customers},
                  suppliers={s.code for s in records.suppliers},
                  items={i.code for i in records.items},
                  warehouses={w.code for w in records.warehouses})
    return sorted_problems([*problems, *check_crm(crm, known, records.sales)])


def post(
    date: Annotated[str, typer.Argument(help="YYYY-MM-DD, today or yesterday; or '-' to read "
                                        "whole entries in journal syntax from stdin.")],
    description: Annotated[Optional[str], typer.Argument(help="Payee or description.")] = None,
    postings: Annotated[Optional[list[str]], typer.Argument(
        help="ACCOUNT AMOUNT pairs; the last amount may be left out.", show_default=False)] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", "-t", help="KEY=VALUE metadata; "
                                                     "repeatable.")] = None,
    code: Annotated[Optional[str], typer.Option("--code", "-c", help="Document code, e.g. "
                                                "INV-2026-0042.")] = None,
    pending: Annotated[bool, typer.Option("--pending", help="Mark the entry ! (pending) "
                                          "instead of * (cleared).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show the entry, write "
                                          "nothing.")] = False,
    book: BookOption = None,
) -> None:
    """Write a journal entry after checking it (balance, accounts, lock date, open years).

    \b
    Examples:
      biz post 2026-11-20 'Office rent' Expenses:Rent 1200 Assets:Bank:Checking
      biz post today 'Harbor Interiors' Assets:Bank:Checking 1650 Assets:Receivable -t doc=P-42
      biz post - < entry.journal
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.posting import post_entries

    root = find_root(Common(book=book))
    if date == "-":
        text = sys.stdin.read()
        written = post_entries(root, today(), text=text, dry_run=dry_run)
    else:
        written = post_entries(root, today(), date=date, description=description or "",
                               postings=list(postings or ()), tags=list(tag or ()),
                               code=code or "", pending=pending, dry_run=dry_run)
    sys.stdout.write(written)
