"""Month-end: ``biz close PERIOD`` (check, write the reports, lock) and ``biz reopen``.

Exit codes a script can branch on: 0 closed (or, with ``--dry-run``, closable), 1 blocked
by a check or refused, 2 a usage error (a bad period, an unknown option).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli.common import BookOption, Common, FormatOption, OutputOption

if TYPE_CHECKING:
    from pathlib import Path

    from bizcli.core.book import Book
    from bizcli.core.periods import Period

PeriodArgument = Annotated[str, typer.Argument(
    help="The period to close: 2026-11, 2026-Q4, 2026, FY2026.", show_default=False)]


def register(app: typer.Typer) -> None:
    """Add ``close`` and ``reopen`` to the root app."""
    app.command("close")(close)
    app.command("reopen")(reopen)


def _period(text: str, today: dt.date, fiscal: tuple[int, int]) -> Period:
    from bizcli.core.periods import PeriodError, parse_period

    try:
        period = parse_period(text, today=today, fiscal_year_start=fiscal)
    except PeriodError as err:
        raise typer.BadParameter(str(err), param_hint="PERIOD") from None
    if period.start is None or period.end is None:
        raise typer.BadParameter(f"{text!r} is open-ended; name a month, quarter or year",
                                 param_hint="PERIOD")
    return period


def close(
    period: PeriodArgument,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Run the checks and "
                                          "report; write nothing.")] = False,
    allow: Annotated[Optional[list[str]], typer.Option(
        "--allow", help="Accept a failing check for this close: drafts, not-invoiced or "
        "not-billed (repeat for several).", show_default=False)] = None,
    year: Annotated[bool, typer.Option("--year", help="Year-end: also move the year's "
                                       "income and expenses into retained earnings and "
                                       "open the next year's journal with its opening "
                                       "balances.")] = False,
    git: Annotated[bool, typer.Option("--git", help="Commit the book and tag it "
                                      "close-PERIOD (a git repository with a clean tree "
                                      "only).")] = False,
    book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Close a period: run every check, write its reports, and lock it.

    Blocking checks: the book is invalid (biz check), the inventory account differs
    from the stock valuation, a draft purchase or work order is dated in the period,
    goods shipped are not invoiced or received are not billed by its last day, or
    anything is dated after today. On success the period's income statement, balance
    sheet, trial balance, AR and AP aging and stock valuation go to reports/PERIOD/ as
    Markdown and CSV, and lock_date in biz.yaml becomes the period's last day; every
    write command then refuses dates on or before it. Exit 0 closed, 1 blocked, 2 usage.

    \b
    Examples:
      biz close 2026-10 --dry-run
      biz close 2026-10
      biz close 2026-10 --allow not-invoiced --git
      biz close 2026-Q3 -O json
      biz close FY2026 --year --git
    """
    from dataclasses import replace

    from bizcli.cli.clock import today
    from bizcli.cli.common import emit, find_root
    from bizcli.cli.common import output_format as output_format_of
    from bizcli.core.closing import ALLOWABLE, close_checks, period_problems
    from bizcli.core.problems import BizcliError
    from bizcli.reports.closing import checks_report
    from bizcli.storage.atomic import book_lock
    from bizcli.storage.cache import no_moves
    from bizcli.storage.closing_store import check_git_ready, commit_and_tag
    from bizcli.storage.loader import load_book

    accepted = list(allow or ())
    for name in accepted:
        if name not in ALLOWABLE:
            raise typer.BadParameter(f"{name!r} cannot be allowed; only "
                                     f"{', '.join(ALLOWABLE)}", param_hint="--allow")
    common = Common(book=book, output_format=output_format, output=output)
    root, day = find_root(common), today()
    with book_lock(root):
        loaded, problems = load_book(root, need_stock=True, moves_of=no_moves)
        span = _period(period, day, loaded.settings.fiscal_year_start)
        assert span.end is not None
        end = span.end - dt.timedelta(days=1)
        tag = f"close-{span.label}"
        refused = period_problems(end, day, loaded.settings.lock_date)
        if refused:
            raise BizcliError(refused)
        if year:
            _check_year(span, loaded)
        if git and not dry_run:
            check_git_ready(root, tag)
        outcome = close_checks(loaded, problems, end, day, accepted)
        if dry_run or outcome.blocking:
            report = checks_report(span.label, outcome)
            if output_format_of(common) in {"table", "plain"}:
                report = replace(report, notes=())  # the errors follow on stderr
            emit(common, report)
            if outcome.blocking:
                raise BizcliError(outcome.blocking)
            return
        with_moves, _ = load_book(root, need_stock=True)  # for the stock valuation
        written = _write_close(root, with_moves, span, end, year_end=year)
    if git:
        commit_and_tag(root, f"Close {span.label}: lock date {end}", tag)
    _say(span.label, end, written, outcome.allowed, tag if git else None)


def _check_year(span: Period, book: Book) -> None:
    """--year closes a whole fiscal year, and needs somewhere to put its profit."""
    from bizcli.core.periods import fiscal_year, fiscal_year_of
    from bizcli.core.problems import fail

    assert span.start is not None
    whole = fiscal_year(fiscal_year_of(span.start, book.settings.fiscal_year_start),
                        book.settings.fiscal_year_start)
    if (whole.start, whole.end) != (span.start, span.end):
        raise typer.BadParameter(f"{span.label} is not a fiscal year (e.g. FY{span.start.year})",
                                 param_hint="PERIOD")
    if book.settings.role("retained_earnings") is None:
        raise fail("missing-role", "the year-end close needs the retained_earnings role",
                   hint="add 'retained_earnings: Equity:Retained Earnings' under accounts: "
                        "in biz.yaml, and the account to accounts.yaml")


def _write_year_end(root: Path, book: Book, span: Period) -> list[str]:
    """Post the closing entry into the old year and open the new year's file."""
    from bizcli.core.checks import check_accounts_used
    from bizcli.core.closing import year_end_entries
    from bizcli.core.problems import BizcliError
    from bizcli.storage.closing_store import open_year
    from bizcli.storage.journal_store import add_transaction

    retained = book.settings.role("retained_earnings")
    assert retained is not None
    entries = year_end_entries(book, span, retained)
    problems = check_accounts_used([e for e in entries if e is not None], book.chart)
    if problems:
        raise BizcliError(problems)
    written = []
    precisions, fiscal = book.precisions(), book.settings.fiscal_year_start
    if entries.retain is not None:
        written.append(add_transaction(root, entries.retain, precisions, fiscal).rel)
    written.append(open_year(root, entries.opening, precisions, fiscal))
    return written


def _write_close(root: Path, book: Book, span: Period, end: dt.date, *,
                 year_end: bool = False) -> list[str]:
    """The reports first, the entries next, the lock date last: the lock makes the close."""
    from bizcli.core.periods import Period
    from bizcli.render.formats import render
    from bizcli.reports.aging import aging_payables, aging_receivables
    from bizcli.reports.balance import trial_balance_report
    from bizcli.reports.selection import ALL_TIME, Selection
    from bizcli.reports.statements import balance_sheet, income_statement
    from bizcli.reports.stock import stock_on_hand
    from bizcli.storage.closing_store import set_lock_date, write_reports

    in_period = Selection(period=span)
    to_end = Selection(period=Period(start=None, end=span.end, label=f"to {end}"))
    on_end = Selection(period=ALL_TIME, as_of=end)
    reports = {"income-statement": income_statement(book, in_period),
               "balance-sheet": balance_sheet(book, to_end),
               "trial-balance": trial_balance_report(book, to_end),
               "aging-ar": aging_receivables(book, on_end),
               "aging-ap": aging_payables(book, on_end)}
    if book.items:
        reports["stock-valuation"] = stock_on_hand(book, on_end)
    files = {f"{name}.{ext}": render(report, fmt) for name, report in reports.items()
             for ext, fmt in (("md", "md"), ("csv", "csv"))}
    written = write_reports(root, span.label, files)
    if year_end:
        for rel in _write_year_end(root, book, span):
            typer.echo(f"wrote the year-end entries into {rel}")
    set_lock_date(root, end)
    return written


def _say(label: str, end: dt.date, written: list[str], allowed: frozenset[str],
         tag: str | None) -> None:
    folder = written[0].rsplit("/", 1)[0] if written else ""
    typer.echo(f"Closed {label}: lock date {end}; {len(written)} reports in {folder}/")
    if allowed:
        typer.echo(f"accepted for this close: {', '.join(sorted(allowed))}")
    if tag:
        typer.echo(f"committed and tagged {tag}")


def reopen(
    period: PeriodArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the period is reopened "
                                        "(recorded in the journal).", show_default=False)],
    book: BookOption = None,
) -> None:
    """Reopen a closed period: move the lock date back to the day before it starts.

    The reason, the old and the new lock date go into the journal as a comment, so
    the history of the books says who opened what and why (git blame tells who).

    \b
    Examples:
      biz reopen 2026-10 --reason 'supplier bill for October arrived late'
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.core.periods import fiscal_year_of
    from bizcli.core.problems import fail
    from bizcli.storage.atomic import book_lock
    from bizcli.storage.closing_store import add_journal_note, set_lock_date
    from bizcli.storage.loader import load_for_write

    if not reason.strip():
        raise typer.BadParameter("give the reason in words", param_hint="--reason")
    root, day = find_root(Common(book=book)), today()
    with book_lock(root):
        loaded = load_for_write(root)
        span = _period(period, day, loaded.settings.fiscal_year_start)
        assert span.start is not None
        lock = loaded.settings.lock_date
        if lock is None or lock < span.start:
            raise fail("not-closed", f"{span.label} is not closed (lock date "
                       f"{lock or 'none'})", hint="nothing to reopen")
        new = span.start - dt.timedelta(days=1)
        year = fiscal_year_of(day, loaded.settings.fiscal_year_start)
        note = add_journal_note(root, year, (
            f"{day} reopened {span.label}: lock date {lock} -> {new}\n"
            f"reason: {' '.join(reason.split())}"))
        set_lock_date(root, new)
    typer.echo(f"Reopened {span.label}: lock date {new} (was {lock}); noted in {note}")
