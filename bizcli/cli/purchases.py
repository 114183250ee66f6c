"""Purchase commands: ``biz purchase order | receive | list | show``."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from bizcli.cli import complete
from bizcli.cli.clock import day_of
from bizcli.cli.common import (
    BookOption,
    Common,
    FormatOption,
    OutputOption,
    PeriodOption,
)

purchase_app = typer.Typer(no_args_is_help=True,
                           help="Purchase orders: order, confirm, receive, bill, pay, list, show.")

DateOption = Annotated[Optional[str], typer.Option("--date", help="YYYY-MM-DD (default: "
                                                   "today).", show_default=False)]
DryRun = Annotated[bool, typer.Option("--dry-run", "-n", help="Show, write nothing.")]


def register(app: typer.Typer) -> None:
    """Add the ``purchase`` group to the root app."""
    purchase_app.command("order")(order)
    purchase_app.command("receive")(receive)
    purchase_app.command("bill")(bill)
    purchase_app.command("pay")(pay)
    purchase_app.command("cancel")(cancel)
    purchase_app.command("confirm")(confirm)
    purchase_app.command("list")(list_orders)
    purchase_app.command("show")(show)
    app.add_typer(purchase_app, name="purchase")


def order(
    supplier: Annotated[str, typer.Argument(help="Supplier code.",
                                            autocompletion=complete.suppliers)],
    lines: Annotated[list[str], typer.Argument(help="ITEM=QUANTITY[@PRICE]; the price "
                                               "defaults to the item's cost.",
                                               autocompletion=complete.item_lines)],
    date: DateOption = None,
    warehouse: Annotated[Optional[str], typer.Option(help="Where the goods will arrive "
                                                     "(needed when there are several).")
                         ] = None,
    expected: Annotated[Optional[str], typer.Option(help="Expected delivery date.")] = None,
    dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Create a purchase order (numbered PO-YEAR-NNNN) in purchases/YEAR.yaml.

    \b
    Examples:
      biz purchase order MILL OAK-BOARD=120@12.50 WALNUT=40 --expected 2026-12-01
    """
    from bizcli.cli.common import find_root
    from bizcli.storage.purchases_store import OrderRequest, create_order

    day, due = day_of(date), day_of(expected) if expected else None
    request = OrderRequest(supplier=supplier, lines=tuple(lines), date=day,
                           warehouse=warehouse,
                           expected=due)
    sys.stdout.write(create_order(find_root(Common(book=book)), request, dry_run=dry_run))


def receive(
    number: Annotated[str, typer.Argument(help="Order number, e.g. PO-2026-0001.")],
    lines: Annotated[Optional[list[str]], typer.Argument(
        help="ITEM=QUANTITY received (default: everything still open).",
        show_default=False)] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Receive goods on an order: stock receipt at the order price, Inventory / GRNI entry.

    \b
    Examples:
      biz purchase receive PO-2026-0001
      biz purchase receive PO-2026-0001 OAK-BOARD=100 --date 2026-12-02
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.purchases_store import receive_order

    day = day_of(date)
    sys.stdout.write(receive_order(find_root(Common(book=book)), number, tuple(lines or ()),
                                   dates=(day, today()), dry_run=dry_run))


def bill(
    number: Annotated[str, typer.Argument(help="Order number, e.g. PO-2026-0001.")],
    invoice: Annotated[str, typer.Option("--number", help="The supplier's invoice number.")],
    lines: Annotated[Optional[list[str]], typer.Argument(
        help="ITEM=QUANTITY[@PRICE] billed (default: everything received and not billed, "
        "at the order price).", show_default=False)] = None,
    tax_rate: Annotated[Optional[str], typer.Option(help="Input tax rate, e.g. 0.10.")
                        ] = None,
    tax: Annotated[Optional[str], typer.Option(help="Input tax amount, as on the invoice.")
                   ] = None,
    due: Annotated[Optional[str], typer.Option(help="Due date (default: date + the "
                                               "supplier's payment terms).")] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Record the supplier's bill: GRNI (+ price variance, + input tax) against payable.

    \b
    Examples:
      biz purchase bill PO-2026-0001 --number MILL-7781 --tax-rate 0.10
      biz purchase bill PO-2026-0001 OAK-BOARD=100@12.55 --number MILL-7790 --tax 125.50
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.purchases_store import BillRequest, bill_order

    day, when = day_of(date), day_of(due) if due else None
    request = BillRequest(order=number, number=invoice, lines=tuple(lines or ()), date=day,
                          due=when,
                          tax_rate=tax_rate, tax_amount=tax)
    sys.stdout.write(bill_order(find_root(Common(book=book)), request, today=today(),
                                dry_run=dry_run))


def pay(
    number: Annotated[str, typer.Argument(help="Order number, e.g. PO-2026-0001.")],
    invoice: Annotated[str, typer.Option("--bill", help="The supplier's invoice number.")],
    amount: Annotated[Optional[str], typer.Argument(
        help="Amount paid (default: all that is open on the bill).", show_default=False)
    ] = None,
    account: Annotated[Optional[str], typer.Option("--from", help="Account paid from "
                                                   "(default: the bank role).")] = None,
    date: DateOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Pay a supplier's bill from the bank: payable against bank.

    \b
    Examples:
      biz purchase pay PO-2026-0001 --bill MILL-7781
      biz purchase pay PO-2026-0001 500 --bill MILL-7781 --from Assets:Bank:Savings
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.purchases_store import PayRequest, pay_bill

    day = day_of(date)
    request = PayRequest(order=number, bill=invoice, amount=amount, date=day, account=account)
    sys.stdout.write(pay_bill(find_root(Common(book=book)), request, today=today(),
                              dry_run=dry_run))


def cancel(number: Annotated[str, typer.Argument(help="Order number.")],
           dry_run: DryRun = False, book: BookOption = None) -> None:
    """Cancel what is still open on an order; receipts and bills already made stay.

    \b
    Examples:
      biz purchase cancel PO-2026-0002
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.purchases_store import cancel_order

    sys.stdout.write(cancel_order(find_root(Common(book=book)), number, today=today(),
                                  dry_run=dry_run))


def confirm(number: Annotated[str, typer.Argument(help="Order number.")],
            dry_run: DryRun = False, book: BookOption = None) -> None:
    """Confirm a draft order (one 'biz mrp run --commit' wrote): it can now be received.

    \b
    Examples:
      biz purchase confirm PO-2026-0012
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.storage.purchases_store import confirm_order

    sys.stdout.write(confirm_order(find_root(Common(book=book)), number, today=today(),
                                   dry_run=dry_run))


def list_orders(
    state: Annotated[Optional[str], typer.Option(help="draft, open, partly-received, "
                                                 "received or cancelled.")] = None,
    period: PeriodOption = None, book: BookOption = None,
    output_format: FormatOption = None, output: OutputOption = None,
) -> None:
    """List purchase orders with their state and total.

    \b
    Examples:
      biz purchase list --state open
      biz purchase list -p 2026 -O csv
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.purchases import purchases_report

    show_report(Common(book=book, period=period, output_format=output_format, output=output),
                lambda b, s: purchases_report(b, s, state=state), need_stock=True)


def show(number: Annotated[str, typer.Argument(help="Order number.")],
         book: BookOption = None, output_format: FormatOption = None) -> None:
    """Show one purchase order: ordered, received and open per line.

    \b
    Examples:
      biz purchase show PO-2026-0001
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.purchases import purchase_card

    show_report(Common(book=book, output_format=output_format),
                lambda b, _: purchase_card(b, number), need_stock=True)
