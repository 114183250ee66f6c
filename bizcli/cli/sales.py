"""Sales commands: ``biz sale quote | order | ship | invoice | pay | cancel | list | show``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli import complete
from bizcli.cli.clock import day_of
from bizcli.cli.common import BookOption, Common, FormatOption, OutputOption, PeriodOption
from bizcli.cli.purchases import DateOption, DryRun

if TYPE_CHECKING:
    from pathlib import Path

sale_app = typer.Typer(no_args_is_help=True, help="Quotes and sales orders: quote, order, "
                       "ship, invoice, pay, cancel, list, show.")

Number = Annotated[str, typer.Argument(help="Document number, e.g. SO-2026-0001.")]
Lines = Annotated[Optional[list[str]], typer.Argument(
    help="ITEM=QUANTITY[@PRICE]; the price defaults to the item's sale_price.",
    show_default=False, autocompletion=complete.item_lines)]
Warehouse = Annotated[Optional[str], typer.Option(help="Warehouse the goods leave from "
                                                  "(needed when there are several).")]


def register(app: typer.Typer) -> None:
    """Add the ``sale`` group to the root app."""
    sale_app.command("quote")(quote)
    sale_app.command("order")(order)
    sale_app.command("ship")(ship)
    sale_app.command("invoice")(invoice)
    # "-5" must reach the command (and be refused there), not be taken for an option.
    sale_app.command("pay", context_settings={"ignore_unknown_options": True})(pay)
    sale_app.command("cancel")(cancel)
    sale_app.command("list")(list_sales)
    sale_app.command("show")(show)
    app.add_typer(sale_app, name="sale")


def _root(book: str | None) -> Path:
    from bizcli.cli.common import find_root

    return find_root(Common(book=book))


def quote(
    customer: Annotated[str, typer.Argument(help="Customer code.",
                                            autocompletion=complete.customers)],
    lines: Lines = None, date: DateOption = None,
    valid_until: Annotated[Optional[str], typer.Option(help="Last day the offer holds.")
                           ] = None,
    warehouse: Warehouse = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Write a quote (numbered Q-YEAR-NNNN) to sales/YEAR.yaml; no stock or entry yet.

    \b
    Examples:
      biz sale quote HARBOR TABLE-OAK=2 CHAIR-OAK=8@180 --valid-until 2026-12-31
    """
    from bizcli.core.documents.sales import SaleKind
    from bizcli.storage.sales_store import SaleRequest, create_sale

    request = SaleRequest(kind=SaleKind.QUOTE, customer=customer, lines=tuple(lines or ()),
                          date=day_of(date), warehouse=warehouse,
                          due=day_of(valid_until) if valid_until else None)
    root = _root(book)
    sys.stdout.write(create_sale(root, request, dry_run=dry_run))


def order(
    customer: Annotated[Optional[str], typer.Argument(
        help="Customer code (optional with --from).", show_default=False,
        autocompletion=complete.customers)] = None,
    lines: Lines = None, date: DateOption = None,
    from_quote: Annotated[Optional[str], typer.Option(
        "--from", help="Quote to turn into the order (its lines, unless lines are given).")
    ] = None,
    due: Annotated[Optional[str], typer.Option(help="Promised delivery date.")] = None,
    override: Annotated[bool, typer.Option(help="Accept the order over the customer's "
                                           "credit limit.")] = False,
    warehouse: Warehouse = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Write a sales order (SO-YEAR-NNNN), checking credit and showing available-to-promise.

    The order is refused when the customer's open invoices plus open orders plus this
    one exceed their credit limit, unless --override. Each stocked line shows what can
    be promised: on hand - reserved by other open orders + purchase orders due by the
    delivery date.

    \b
    Examples:
      biz sale order HARBOR TABLE-OAK=2 CHAIR-OAK=8 --due 2026-12-15
      biz sale order --from Q-2026-0004
    """
    from bizcli.core.documents.sales import SaleKind
    from bizcli.storage.sales_store import SaleRequest, create_sale

    request = SaleRequest(kind=SaleKind.ORDER, customer=customer, lines=tuple(lines or ()),
                          date=day_of(date), warehouse=warehouse,
                          due=day_of(due) if due else None, from_quote=from_quote,
                          override=override)
    root = _root(book)
    sys.stdout.write(create_sale(root, request, dry_run=dry_run))


def ship(
    number: Number,
    lines: Annotated[Optional[list[str]], typer.Argument(
        help="ITEM=QUANTITY shipped (default: everything still to ship).",
        show_default=False)] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Ship goods on an order: stock issues at valuation cost and the COGS / Inventory entry.

    \b
    Examples:
      biz sale ship SO-2026-0007
      biz sale ship SO-2026-0007 TABLE-OAK=1 --date 2026-12-03
    """
    from bizcli.cli.clock import today
    from bizcli.storage.sales_store import ship_order

    root = _root(book)
    sys.stdout.write(ship_order(root, number, tuple(lines or ()),
                                dates=(day_of(date), today()), dry_run=dry_run))


def invoice(
    number: Number,
    lines: Annotated[Optional[list[str]], typer.Argument(
        help="ITEM=QUANTITY invoiced (default: everything shipped and not invoiced, and "
        "ordered services).", show_default=False)] = None,
    due: Annotated[Optional[str], typer.Option(help="Due date (default: date + the "
                                               "customer's payment terms).")] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Invoice what was shipped (INV-YEAR-NNNN): receivable against sales and output tax.

    Tax is each line's rate (the item's tax_rate when ordered), rounded once per rate.
    The customer's unapplied credit (an earlier over-payment) is applied to it.

    \b
    Examples:
      biz sale invoice SO-2026-0007
      biz sale invoice SO-2026-0007 TABLE-OAK=1 --due 2027-01-15
    """
    from bizcli.cli.clock import today
    from bizcli.storage.sales_store import InvoiceRequest, invoice_order

    root = _root(book)
    request = InvoiceRequest(order=number, lines=tuple(lines or ()), date=day_of(date),
                             due=day_of(due) if due else None)
    sys.stdout.write(invoice_order(root, request, today=today(), dry_run=dry_run))


def pay(
    customer: Annotated[str, typer.Argument(help="Customer code.",
                                            autocompletion=complete.customers)],
    amount: Annotated[str, typer.Argument(help="Amount received, e.g. 1566.00.")],
    invoices: Annotated[Optional[list[str]], typer.Option(
        "--invoice", help="Invoice to pay; repeatable (default: the oldest due first).")
    ] = None,
    account: Annotated[Optional[str], typer.Option("--to", help="Account the money went "
                                                   "to (default: the bank role).")] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Record a customer's payment (PAY-YEAR-NNNN) against their open invoices.

    A part payment leaves the rest of the invoice open. Paying more than is open
    keeps the excess as the customer's credit, applied to their next invoice.

    \b
    Examples:
      biz sale pay HARBOR 1566.00
      biz sale pay HARBOR 500 --invoice INV-2026-0012 --date 2026-12-04
    """
    from bizcli.cli.clock import today
    from bizcli.storage.sales_store import PayRequest, pay_invoices

    root = _root(book)
    request = PayRequest(customer=customer, amount=amount, date=day_of(date),
                         invoices=tuple(invoices or ()), account=account)
    sys.stdout.write(pay_invoices(root, request, today=today(), dry_run=dry_run))


def cancel(
    number: Number,
    return_goods: Annotated[bool, typer.Option(
        "--return", help="Also take back goods shipped and not invoiced (stock receipt "
        "at the cost they left with, Inventory / COGS).")] = False,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Cancel a quote, or what is not yet shipped on an order.

    \b
    Examples:
      biz sale cancel Q-2026-0003
      biz sale cancel SO-2026-0007 --return
    """
    from bizcli.cli.clock import today
    from bizcli.storage.sales_store import cancel_sale

    root = _root(book)
    sys.stdout.write(cancel_sale(root, number, dates=(day_of(date), today()),
                                 return_goods=return_goods, dry_run=dry_run))


def list_sales(
    state: Annotated[Optional[str], typer.Option(
        help="quoted, accepted, open, partly-shipped, shipped, invoiced or cancelled.")
    ] = None,
    customer: Annotated[Optional[str], typer.Option(help="Only this customer.")] = None,
    period: PeriodOption = None, book: BookOption = None,
    output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """List quotes and orders with their state, total, invoiced and open amounts.

    \b
    Examples:
      biz sale list --state open
      biz sale list --customer HARBOR -p 2026 -O csv
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.sales import sales_report

    show_report(Common(book=book, period=period, output_format=output_format, output=output),
                lambda b, s: sales_report(b, s, state=state, customer=customer),
                need_stock=True)


def show(number: Number, book: BookOption = None, output_format: FormatOption = None) -> None:
    """Show one quote or order: ordered, shipped, invoiced per line, and its invoices.

    \b
    Examples:
      biz sale show SO-2026-0007
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.sales import sale_card

    show_report(Common(book=book, output_format=output_format),
                lambda b, _: sale_card(b, number), need_stock=True)
