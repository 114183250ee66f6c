"""Stock commands: ``biz stock onhand``, ``biz stock valuation``, ``biz stock moves``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from bizcli.cli.common import (
    AsOfOption,
    BookOption,
    Common,
    FormatOption,
    NoColorOption,
    OutputOption,
    PeriodOption,
    QueryArgument,
)

if TYPE_CHECKING:
    from bizcli.core.book import Book
    from bizcli.reports.model import Report
    from bizcli.reports.selection import Selection

stock_app = typer.Typer(no_args_is_help=True, help="The stock ledger: on hand, value, moves.")


def register(app: typer.Typer) -> None:
    """Add the ``stock`` group to the root app."""
    stock_app.command("onhand")(on_hand)
    stock_app.command("valuation")(valuation)
    stock_app.command("moves")(moves)
    app.add_typer(stock_app, name="stock")


def _show(common: Common, build: Callable[[Book, Selection], Report]) -> None:
    from bizcli.cli.common import show_report

    show_report(common, build, need_stock=True)


def on_hand(items: QueryArgument = None, book: BookOption = None, as_of: AsOfOption = None,
            output_format: FormatOption = None, output: OutputOption = None,
            no_color: NoColorOption = False) -> None:
    """Quantity and value of each item in each warehouse (item codes as a query).

    \b
    Examples:
      biz stock onhand
      biz stock onhand OAK --as-of 2026-06-30
      biz stock onhand -O csv -o stock.csv
    """
    from bizcli.reports.stock import stock_on_hand

    _show(Common(book=book, as_of=as_of, query=tuple(items or ()), output=output,
                 output_format=output_format, no_color=no_color),
          lambda b, s: stock_on_hand(b, s, with_value=False))


def valuation(items: QueryArgument = None, book: BookOption = None, as_of: AsOfOption = None,
              output_format: FormatOption = None, output: OutputOption = None,
              no_color: NoColorOption = False) -> None:
    """Stock valuation at a date: quantity, unit cost and value by the item's method.

    \b
    Examples:
      biz stock valuation --as-of 2025-12-31
      biz stock valuation -O json
    """
    from bizcli.reports.stock import stock_on_hand

    _show(Common(book=book, as_of=as_of, query=tuple(items or ()), output=output,
                 output_format=output_format, no_color=no_color), stock_on_hand)


def moves(items: QueryArgument = None, book: BookOption = None, period: PeriodOption = None,
          as_of: AsOfOption = None, output_format: FormatOption = None,
          output: OutputOption = None, no_color: NoColorOption = False) -> None:
    """Stock moves with their value and the running quantity and value per warehouse.

    \b
    Examples:
      biz stock moves
      biz stock moves OAK -p 2026-Q1
    """
    from bizcli.reports.stock import stock_moves_report

    _show(Common(book=book, period=period, as_of=as_of, query=tuple(items or ()),
                 output=output, output_format=output_format, no_color=no_color),
          stock_moves_report)
