"""Stock commands: ``biz stock onhand``, ``biz stock valuation``, ``biz stock moves``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli import complete
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
    stock_app.command("reorder")(reorder)
    stock_app.command("turnover")(turnover)
    stock_app.command("slow")(slow)
    stock_app.command("count")(count)
    # A negative quantity (-2) is an argument, not an option.
    stock_app.command("adjust", context_settings={"ignore_unknown_options": True})(adjust)
    stock_app.command("transfer")(transfer)
    stock_app.command("repost")(repost)
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


def reorder(items: QueryArgument = None, book: BookOption = None,
            output_format: FormatOption = None, output: OutputOption = None) -> None:
    """Items at or below their reorder point (on hand + on order), and how much to order.

    \b
    Examples:
      biz stock reorder
      biz stock reorder -O csv -o to-order.csv
    """
    from bizcli.cli.clock import today
    from bizcli.reports.stock import reorder_report

    _show(Common(book=book, query=tuple(items or ()), output=output,
                 output_format=output_format),
          lambda b, s: reorder_report(b, s, today=today()))


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


Item = Annotated[str, typer.Argument(help="Item code.", autocompletion=complete.items)]
Quantity = Annotated[str, typer.Argument(help="Quantity in the item's unit, e.g. 12 or 2.5.")]
Warehouse = Annotated[str, typer.Argument(help="Warehouse code.")]
DateOption = Annotated[Optional[str], typer.Option("--date", help="YYYY-MM-DD (default: "
                                                   "today).", show_default=False)]
CostOption = Annotated[Optional[str], typer.Option(
    "--cost", help="Unit cost of stock this adds (default: the current average).",
    show_default=False)]
DocOption = Annotated[Optional[str], typer.Option("--doc", help="Document code, e.g. "
                                                  "CNT-2026-11.", show_default=False)]
DryRun = Annotated[bool, typer.Option("--dry-run", "-n", help="Show, write nothing.")]


def _move(fields: tuple[str, ...], options: dict[str, str | None], book: str | None, *,
          dry_run: bool) -> None:
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.stock_reader import TypedMove
    from bizcli.storage.stock_store import record_stock_move

    kind, item, quantity, warehouse = fields
    typed = TypedMove(kind, item, quantity, warehouse, to=options.get("to"),
                      date=options.get("date"), cost=options.get("cost"),
                      doc=options.get("doc"))
    written = record_stock_move(find_root(Common(book=book)), typed, today=today(),
                                dry_run=dry_run)
    sys.stdout.write(written)


def count(item: Item, quantity: Quantity, warehouse: Warehouse, date: DateOption = None,
          cost: CostOption = None, doc: DocOption = None, dry_run: DryRun = False,
          book: BookOption = None) -> None:
    """Record a stock take: the quantity now on hand; the difference is booked.

    \b
    Examples:
      biz stock count OAK-BOARD 103 MAIN --date 2026-11-30 --doc CNT-2026-11
    """
    _move(("count", item, quantity, warehouse), {"date": date, "cost": cost, "doc": doc},
          book, dry_run=dry_run)


def adjust(item: Item, quantity: Quantity, warehouse: Warehouse, date: DateOption = None,
           cost: CostOption = None, doc: DocOption = None, dry_run: DryRun = False,
           book: BookOption = None) -> None:
    """Correct the quantity on hand by a signed quantity; the value change is booked.

    \b
    Examples:
      biz stock adjust OAK-BOARD -2 MAIN --doc ADJ-7
      biz stock adjust HINGE 10 MAIN --cost 1.20
    """
    _move(("adjust", item, quantity, warehouse), {"date": date, "cost": cost, "doc": doc},
          book, dry_run=dry_run)


def transfer(item: Item, quantity: Quantity, source: Warehouse,
             target: Annotated[str, typer.Argument(help="Warehouse it goes to.")],
             date: DateOption = None, doc: DocOption = None, dry_run: DryRun = False,
             book: BookOption = None) -> None:
    """Move stock between warehouses at its valuation cost (no journal entry).

    \b
    Examples:
      biz stock transfer TABLE-OAK 1 MAIN SHOP
    """
    _move(("transfer", item, quantity, source), {"to": target, "date": date, "doc": doc},
          book, dry_run=dry_run)


TurnoverPeriodOption = Annotated[Optional[str], typer.Option(
    "--period", "-p", help="2026, 2026-Q3, 'last month', 2026-01..2026-07 ... (default: the "
    "365 days up to today); days after today are left out.", show_default=False)]


def turnover(items: QueryArgument = None, book: BookOption = None,
             period: TurnoverPeriodOption = None, output_format: FormatOption = None,
             output: OutputOption = None, no_color: NoColorOption = False) -> None:
    """Stock turnover per item: cost issued / daily-average stock value, days on hand.

    Issued cost counts issue moves only (not transfers, counts or adjustments). The
    average is the mean of the stock value at the end of every day of the period.

    \b
    Examples:
      biz stock turnover
      biz stock turnover OAK -p 2026
      biz stock turnover -p 2026-Q3 -O csv -o turnover.csv
    """
    from bizcli.cli.clock import today
    from bizcli.reports.stock_turnover import stock_turnover

    _show(Common(book=book, period=period, query=tuple(items or ()), output=output,
                 output_format=output_format, no_color=no_color),
          lambda b, s: stock_turnover(b, s, today=today()))


DaysOption = Annotated[int, typer.Option(
    "--days", min=0, help="Slow when the last issue is more than this many days old.")]
SlowAsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", help="The date to look from (YYYY-MM-DD, today, yesterday; default: today).",
    show_default=False)]


def slow(items: QueryArgument = None, days: DaysOption = 90, as_of: SlowAsOfOption = None,
         book: BookOption = None, output_format: FormatOption = None,
         output: OutputOption = None, no_color: NoColorOption = False) -> None:
    """Slow movers and dead stock: on hand, but no issue for more than --days days.

    Items never issued are listed too, with the days since stock first came in.
    Sorted by value, largest first.

    \b
    Examples:
      biz stock slow
      biz stock slow --days 180 --as-of 2026-12-31
      biz stock slow OAK -O json
    """
    from bizcli.cli.clock import today
    from bizcli.reports.stock_turnover import slow_movers

    _show(Common(book=book, as_of=as_of, query=tuple(items or ()), output=output,
                 output_format=output_format, no_color=no_color),
          lambda b, s: slow_movers(b, s, today=today(), days=days))


def repost(book: BookOption = None, dry_run: DryRun = False) -> None:
    """Bring the inventory account back to the stock valuation after a back-dated move.

    A move dated before later moves of its item changes what those later issues cost.
    Posted entries are never rewritten: for each day and document whose stock value no
    longer matches its inventory postings, one adjusting entry is appended, dated that
    day (against cost of goods sold for a sales order, the adjustments account
    otherwise). Running it again finds nothing to do.

    \b
    Examples:
      biz stock adjust OAK-BOARD 12 MAIN --date 2026-03-02 --cost 11.80
      biz stock repost --dry-run
      biz stock repost
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.stock_store import repost_stock

    sys.stdout.write(repost_stock(find_root(Common(book=book)), today=today(),
                                  dry_run=dry_run))
