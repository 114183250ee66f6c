"""Options every command shares, and the one path every report takes to the screen.

Report: find the book -> load it (with the cache) -> refuse if it has errors ->
compute the report -> render it in the asked format -> print or write ``-o FILE``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli import complete
from bizcli.core.problems import fail

if TYPE_CHECKING:
    from bizcli.core.book import Book
    from bizcli.reports.model import Report
    from bizcli.reports.selection import Selection

BookOption = Annotated[Optional[str], typer.Option(
    "--book", "-B", help="Book folder (default: $BIZ_BOOK, else the nearest folder upward "
    "holding biz.yaml).", show_default=False)]
FormatOption = Annotated[Optional[str], typer.Option(
    "--output-format", "-O", "--format", help="table (the default), plain, csv, json or md.",
    show_default=False)]
OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write to FILE instead of the screen; the format follows the "
    "extension (.txt .csv .json .md).", show_default=False)]
PeriodOption = Annotated[Optional[str], typer.Option(
    "--period", "-p", help="2026, 2026-11, 2026-Q3, FY2026, 'last month', "
    "2026-01..2026-07 (January to June), 'from 2026-03-01 to 2026-08-01'.", show_default=False)]
AsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", help="Ignore entries after this date (YYYY-MM-DD, today, yesterday).",
    show_default=False)]
DepthOption = Annotated[Optional[int], typer.Option(
    "--depth", "-d", min=1, help="Show accounts down to this many levels.",
    show_default=False)]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colours (also: NO_COLOR).")]
QueryArgument = Annotated[Optional[list[str]], typer.Argument(
    help="Account regexes (bank, ^income), not:REGEX, tag:KEY=VALUE, desc:REGEX.",
    show_default=False, autocompletion=complete.accounts)]


GLOBAL_OPTIONS: dict[str, object] = {}
"""Options given before the command name (``biz -B DIR bal``); the command's own win."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Common:
    """The shared options of one invocation."""

    book: str | None = None
    output_format: str | None = None
    output: Path | None = None
    period: str | None = None
    as_of: str | None = None
    depth: int | None = None
    no_color: bool = False
    query: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        defaults = {"book": None, "period": None, "as_of": None, "output": None,
                    "output_format": None, "no_color": False}
        for name, default in defaults.items():
            given = GLOBAL_OPTIONS.get(name)
            if given not in (None, default) and getattr(self, name) == default:
                object.__setattr__(self, name, given)


def find_root(common: Common) -> Path:
    """The book folder for this invocation, with any change a killed command left undone.

    A command that died while writing left an undo log; it is rolled back here, before
    anything reads the book (see docs/reliability.md).
    """
    from bizcli.storage.location import find_book
    from bizcli.storage.transaction import finish_interrupted

    root = find_book(common.book, Path.cwd(), os.environ)
    finish_interrupted(root)
    return root


def load(common: Common, *, need_transactions: bool = False, need_stock: bool = False,
         moves_of: Callable[[Book], Iterable[str]] | None = None) -> Book:
    """Load the book; a book with errors stops the command with every problem listed.

    ``moves_of`` limits the stock moves kept to some items (see ``load_book``).
    """
    from bizcli.core.problems import CROSS_CHECKS, BizcliError, blocking
    from bizcli.render.progress import progress_bar
    from bizcli.storage.loader import book_size, load_book

    root = find_root(common)
    with progress_bar("Reading the book (first load, then cached)",
                      lambda: book_size(root)) as on_read:
        book, problems = load_book(root, need_transactions=need_transactions,
                                   need_stock=need_stock, moves_of=moves_of, on_read=on_read)
    errors = blocking(problems)
    if errors:
        raise BizcliError(errors)
    drift = [p for p in problems if p.code in CROSS_CHECKS]
    if drift:
        sys.stderr.write(f"note: {drift[0].one_line()} (see biz check)\n")
    return book


def selection(common: Common, book: Book) -> Selection:
    """Period, as-of date, query and depth from the options."""
    from bizcli.cli.clock import today
    from bizcli.core.periods import PeriodError, parse_date, parse_period
    from bizcli.core.query import parse_query
    from bizcli.reports.selection import ALL_TIME, Selection

    fiscal = book.settings.fiscal_year_start
    try:
        period = parse_period(common.period, today=today(), fiscal_year_start=fiscal) if (
            common.period) else ALL_TIME
        as_of = parse_date(common.as_of, today=today()) if common.as_of else None
    except PeriodError as err:
        raise fail("bad-period", str(err), hint="see 'biz --help' for period examples") from None
    return Selection(period=period, as_of=as_of, query=parse_query(common.query),
                     depth=common.depth)


def output_format(common: Common) -> str:
    """The format to render: -O, else from -o's extension, else table."""
    from bizcli.render.formats import EXTENSIONS, FORMATS

    fmt = common.output_format
    if fmt is None:
        fmt = EXTENSIONS.get(common.output.suffix.lower(), "plain") if (
            common.output is not None) else "table"
    if fmt not in FORMATS:
        raise fail("bad-format", f"unknown output format {fmt!r}",
                   hint="use one of: " + ", ".join(FORMATS))
    return fmt


def emit(common: Common, report: Report) -> None:
    """Render a report and print it, or write it atomically to ``-o FILE``."""
    from bizcli.render.formats import render

    fmt = output_format(common)
    to_terminal = common.output is None and sys.stdout.isatty()
    color = to_terminal and not common.no_color and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((100, 24)).columns
    if fmt == "table" and not to_terminal:
        fmt = "plain"  # the same layout without rich: what scripts and pipes get
    text = render(report, fmt, color=color, width=width)
    if common.output is not None:
        from bizcli.storage.atomic import write_output

        write_output(common.output, text)
    else:
        sys.stdout.write(text)


def show_report(common: Common, build: Callable[[Book, Selection], Report], *,
                need_transactions: bool = False, need_stock: bool = False) -> None:
    """Load, select, compute and emit one report."""
    from bizcli.core.query import parse_query

    needs = need_transactions or parse_query(common.query).needs_transactions
    book = load(common, need_transactions=needs, need_stock=need_stock)
    emit(common, build(book, selection(common, book)))
