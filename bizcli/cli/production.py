"""Production commands: ``biz bom show | explode | where-used | cost`` and ``biz wo ...``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli import complete
from bizcli.cli.clock import day_of
from bizcli.cli.common import BookOption, Common, FormatOption, OutputOption, PeriodOption
from bizcli.cli.purchases import DateOption, DryRun

if TYPE_CHECKING:
    from decimal import Decimal

bom_app = typer.Typer(no_args_is_help=True, help="Bills of materials (boms.yaml): show, "
                      "explode, where-used, cost.")
wo_app = typer.Typer(no_args_is_help=True, help="Work orders: create, release, complete, "
                     "cancel, list, show.")

ItemArgument = Annotated[str, typer.Argument(help="A made item's code, e.g. TABLE-OAK.",
                                             autocompletion=complete.items)]


def register(app: typer.Typer) -> None:
    """Add the ``bom`` and ``wo`` groups to the root app."""
    bom_app.command("show")(bom_show)
    bom_app.command("explode")(bom_explode)
    bom_app.command("where-used")(bom_where_used)
    bom_app.command("cost")(bom_cost)
    app.add_typer(bom_app, name="bom")
    wo_app.command("create")(wo_create)
    wo_app.command("release")(wo_release)
    wo_app.command("complete")(wo_complete)
    wo_app.command("cancel")(wo_cancel)
    wo_app.command("list")(wo_list)
    wo_app.command("show")(wo_show)
    app.add_typer(wo_app, name="wo")


def _quantity(text: str) -> Decimal:
    from bizcli.storage.production_store import quantity_of

    return quantity_of(text)


# --- bom ------------------------------------------------------------------------------

def bom_show(
    item: ItemArgument,
    quantity: Annotated[str, typer.Argument(help="How many to make.")] = "1",
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """The BOM as an indented tree: every component, level by level, for QUANTITY units.

    Quantities include each line's scrap allowance; by-products are marked.

    \b
    Examples:
      biz bom show TABLE-OAK
      biz bom show TABLE-OAK 4 -O json
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.production.boms import bom_tree

    wanted = _quantity(quantity)
    show_report(Common(book=book, output_format=output_format, output=output),
                lambda b, _: bom_tree(b, item, wanted), need_stock=True)


def bom_explode(
    item: ItemArgument,
    quantity: Annotated[str, typer.Argument(help="How many to make.")],
    leaves: Annotated[bool, typer.Option("--leaves", help="Only what is bought (no "
                                         "sub-assemblies).")] = False,
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Total requirements per component for QUANTITY units, over every level.

    A component used in several places is summed; on hand is shown beside it.

    \b
    Examples:
      biz bom explode TABLE-OAK 10
      biz bom explode TABLE-OAK 10 --leaves -O csv
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.production.boms import bom_requirements

    wanted = _quantity(quantity)
    show_report(Common(book=book, output_format=output_format, output=output),
                lambda b, _: bom_requirements(b, item, wanted, leaves_only=leaves),
                need_stock=True)


def bom_where_used(
    item: Annotated[str, typer.Argument(help="A component's code.",
                                        autocompletion=complete.items)],
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Every BOM that uses ITEM, directly or through sub-assemblies, and how much.

    \b
    Examples:
      biz bom where-used BRD-OAK-27
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.production.boms import bom_uses

    show_report(Common(book=book, output_format=output_format, output=output),
                lambda b, _: bom_uses(b, item), need_stock=True)


def bom_cost(
    item: ItemArgument,
    at: Annotated[str, typer.Option(help="Price components at their 'standard' cost "
                                    "(items.yaml) or their current 'average' stock cost.")
                  ] = "standard",
    book: BookOption = None, output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """Rolled-up cost of one unit: components level by level, labour, overhead, by-products.

    \b
    Examples:
      biz bom cost TABLE-OAK
      biz bom cost TABLE-OAK --at average
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.production.boms import bom_costing

    if at not in ("standard", "average"):
        raise typer.BadParameter("use standard or average", param_hint="--at")
    show_report(Common(book=book, output_format=output_format, output=output),
                lambda b, _: bom_costing(b, item, at=at), need_stock=True)


# --- work orders ----------------------------------------------------------------------

def wo_create(
    item: ItemArgument,
    quantity: Annotated[str, typer.Argument(help="How many to make.")],
    due: Annotated[str, typer.Option(help="When the units must be finished (YYYY-MM-DD).")],
    warehouse: Annotated[Optional[str], typer.Option(
        help="Where components are taken from and units go (needed when there are several).")
    ] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Create a work order (WO-YEAR-NNNN) in production/YEAR.yaml, copying the item's BOM.

    \b
    Examples:
      biz wo create TABLE-OAK 4 --due 2026-12-15 --warehouse WORKSHOP
      biz wo create CHAIR-WINDSOR 12 --due 2026-12-20 --dry-run
    """
    from bizcli.cli.common import find_root
    from bizcli.storage.production_store import WorkOrderRequest, create_work_order

    request = WorkOrderRequest(item=item, quantity=quantity, date=day_of(date, "--date"),
                               due=day_of(due, "--due"), warehouse=warehouse)
    sys.stdout.write(create_work_order(find_root(Common(book=book)), request,
                                       dry_run=dry_run))


def wo_complete(
    number: Annotated[str, typer.Argument(help="Work order, e.g. WO-2026-0001.")],
    qty: Annotated[Optional[str], typer.Option("--qty", help="Units finished (default: all "
                                               "still open).", show_default=False)] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Finish units: backflush components into WIP, receive the units at their actual cost.

    Refuses, writing nothing, when a component is short in the warehouse; the
    message lists every shortage.

    \b
    Examples:
      biz wo complete WO-2026-0001
      biz wo complete WO-2026-0001 --qty 2 --date 2026-12-10
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.production_store import complete_work_order

    sys.stdout.write(complete_work_order(find_root(Common(book=book)), number, qty,
                                         dates=(day_of(date, "--date"), today()), dry_run=dry_run))


def wo_release(number: Annotated[str, typer.Argument(help="Work order number.")],
               dry_run: DryRun = False, book: BookOption = None) -> None:
    """Release a draft work order (one 'biz mrp run --commit' wrote) to the shop floor.

    \b
    Examples:
      biz wo release WO-2026-0007
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.production_store import release_work_order

    sys.stdout.write(release_work_order(find_root(Common(book=book)), number, today=today(),
                                        dry_run=dry_run))


def wo_cancel(number: Annotated[str, typer.Argument(help="Work order number.")],
              dry_run: DryRun = False, book: BookOption = None) -> None:
    """Cancel what is still open on a work order; completions already made stay.

    \b
    Examples:
      biz wo cancel WO-2026-0003
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.production_store import cancel_work_order

    sys.stdout.write(cancel_work_order(find_root(Common(book=book)), number, today=today(),
                                       dry_run=dry_run))


def wo_list(
    state: Annotated[Optional[str], typer.Option(help="draft, open, partly-completed, "
                                                 "completed or cancelled.")] = None,
    period: PeriodOption = None, book: BookOption = None,
    output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """List work orders with their state, quantities made and due dates.

    \b
    Examples:
      biz wo list --state open
      biz wo list -p 2026 -O csv
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.production.work_orders import work_orders_report

    show_report(Common(book=book, period=period, output_format=output_format, output=output),
                lambda b, s: work_orders_report(b, s, state=state), need_stock=True)


def wo_show(number: Annotated[str, typer.Argument(help="Work order number.")],
            book: BookOption = None, output_format: FormatOption = None) -> None:
    """Show one work order: each component needed, consumed and still to consume.

    \b
    Examples:
      biz wo show WO-2026-0001
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.production.work_orders import work_order_card

    show_report(Common(book=book, output_format=output_format),
                lambda b, _: work_order_card(b, number), need_stock=True)
