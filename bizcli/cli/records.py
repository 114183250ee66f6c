"""Master-record commands: ``biz customer|supplier|item|warehouse add|list|show``."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli.common import BookOption, Common, FormatOption, OutputOption, QueryArgument

if TYPE_CHECKING:
    from bizcli.core.book import Book
    from bizcli.core.parties import Party
    from bizcli.core.problems import Problem
    from bizcli.reports.model import Report
    from bizcli.reports.selection import Selection

customer_app = typer.Typer(no_args_is_help=True, help="Customers: add, list, show.")
supplier_app = typer.Typer(no_args_is_help=True, help="Suppliers: add, list, show.")
item_app = typer.Typer(no_args_is_help=True, help="Items: add, list, show.")
warehouse_app = typer.Typer(no_args_is_help=True, help="Warehouses: add, list.")

CodeArgument = Annotated[str, typer.Argument(help="Short code, e.g. HARBOR or OAK-BOARD.")]
NameOption = Annotated[str, typer.Option("--name", help="Full name.")]
Tags = Annotated[Optional[list[str]], typer.Option("--tag", help="A tag; repeatable.")]


def register(app: typer.Typer) -> None:
    """Add the four record groups to the root app."""
    customer_app.command("add")(customer_add)
    customer_app.command("list")(customer_list)
    customer_app.command("show")(customer_show)
    supplier_app.command("add")(supplier_add)
    supplier_app.command("list")(supplier_list)
    supplier_app.command("show")(supplier_show)
    item_app.command("add")(item_add)
    item_app.command("list")(item_list)
    item_app.command("show")(item_show)
    warehouse_app.command("add")(warehouse_add)
    warehouse_app.command("list")(warehouse_list)
    for name, group in (("customer", customer_app), ("supplier", supplier_app),
                        ("item", item_app), ("warehouse", warehouse_app)):
        app.add_typer(group, name=name)


def _number(text: str | None, option: str) -> str | None:
    """A non-negative decimal typed on the command line, kept exactly as written."""
    if text is None:
        return None
    if not re.fullmatch(r"\d+(\.\d+)?", text.strip()):
        from bizcli.core.problems import fail

        raise fail("bad-number", f"{option} must be a number like 12.50, not {text!r}",
                   hint="use '.' for decimals and no separators or signs")
    return text.strip()


def _show(common: Common, build: Callable[[Book, Selection], Report]) -> None:
    from bizcli.cli.common import show_report

    show_report(common, build, need_stock=True)


def _party_entry(code: str, name: str, contact: str | None, email: str | None,
                 phone: str | None, extra: Mapping[str, object]) -> dict[str, object]:
    entry: dict[str, object] = {"code": code, "name": name}
    if contact or email or phone:
        person = {k: v for k, v in (("name", contact or name), ("email", email),
                                    ("phone", phone)) if v}
        entry["contacts"] = [person]
    entry.update({k: v for k, v in extra.items() if v not in (None, [], "")})
    return entry


def _add_party(book: str | None, entry: dict[str, object], *, suppliers: bool) -> None:
    from bizcli.cli.common import find_root
    from bizcli.storage.loader import CUSTOMERS_FILE, SUPPLIERS_FILE
    from bizcli.storage.master_files import read_parties
    from bizcli.storage.records_store import RecordFile, append_record

    what = "suppliers" if suppliers else "customers"
    rel = SUPPLIERS_FILE if suppliers else CUSTOMERS_FILE
    def reader(text: str) -> tuple[list[Party], list[Problem]]:
        return read_parties(rel, text, what)

    file = (RecordFile(rel, what, reader, code="duplicate-supplier") if suppliers
            else RecordFile(rel, what, reader, code="duplicate-customer"))
    written = append_record(find_root(Common(book=book)), file, entry)
    sys.stdout.write(written)


def customer_add(
    code: CodeArgument, name: NameOption,
    contact: Annotated[Optional[str], typer.Option(help="Contact person.")] = None,
    email: Annotated[Optional[str], typer.Option(help="Contact email.")] = None,
    phone: Annotated[Optional[str], typer.Option(help="Contact phone.")] = None,
    address: Annotated[Optional[str], typer.Option(help="Billing address.")] = None,
    terms: Annotated[Optional[int], typer.Option(min=0, help="Payment terms in days.")] = None,
    credit_limit: Annotated[Optional[str], typer.Option(help="Credit limit, e.g. 20000.")
                            ] = None,
    currency: Annotated[Optional[str], typer.Option(help="Currency, if not the book's.")
                        ] = None,
    tag: Tags = None, book: BookOption = None,
) -> None:
    """Add a customer to customers.yaml.

    \b
    Examples:
      biz customer add HARBOR --name 'Harbor Interiors' --email buy@harbor.example --terms 30
      biz customer add SHWOOD --name '上海木业有限公司' --currency CNY --tag export
    """
    extra = {"address": address, "payment_terms_days": terms,
             "credit_limit": _number(credit_limit, "--credit-limit"),
             "currency": currency, "tags": list(tag or ())}
    _add_party(book, _party_entry(code, name, contact, email, phone, extra), suppliers=False)


def supplier_add(
    code: CodeArgument, name: NameOption,
    contact: Annotated[Optional[str], typer.Option(help="Contact person.")] = None,
    email: Annotated[Optional[str], typer.Option(help="Contact email.")] = None,
    phone: Annotated[Optional[str], typer.Option(help="Contact phone.")] = None,
    address: Annotated[Optional[str], typer.Option(help="Address.")] = None,
    terms: Annotated[Optional[int], typer.Option(min=0, help="Payment terms in days.")] = None,
    lead_time: Annotated[Optional[int], typer.Option(min=0, help="Usual lead time in days.")
                         ] = None,
    currency: Annotated[Optional[str], typer.Option(help="Currency, if not the book's.")
                        ] = None,
    tag: Tags = None, book: BookOption = None,
) -> None:
    """Add a supplier to suppliers.yaml.

    \b
    Examples:
      biz supplier add MILL --name 'Northern Timber Mill' --terms 30 --lead-time 14
    """
    extra = {"address": address, "payment_terms_days": terms, "lead_time_days": lead_time,
             "currency": currency, "tags": list(tag or ())}
    _add_party(book, _party_entry(code, name, contact, email, phone, extra), suppliers=True)


def customer_list(query: QueryArgument = None, book: BookOption = None,
                  output_format: FormatOption = None, output: OutputOption = None) -> None:
    """List customers (query: regexes on code or name).

    \b
    Examples:
      biz customer list
      biz customer list harbor -O csv
    """
    from bizcli.reports.records import parties_report

    _show(Common(book=book, query=tuple(query or ()), output_format=output_format,
                 output=output), parties_report)


def supplier_list(query: QueryArgument = None, book: BookOption = None,
                  output_format: FormatOption = None, output: OutputOption = None) -> None:
    """List suppliers (query: regexes on code or name).

    \b
    Examples:
      biz supplier list
    """
    from bizcli.reports.records import parties_report

    _show(Common(book=book, query=tuple(query or ()), output_format=output_format,
                 output=output), lambda b, s: parties_report(b, s, suppliers=True))


def customer_show(code: CodeArgument, book: BookOption = None,
                  output_format: FormatOption = None) -> None:
    """Show one customer.

    \b
    Examples:
      biz customer show HARBOR
    """
    from bizcli.reports.records import party_card

    _show(Common(book=book, output_format=output_format), lambda b, _: party_card(b, code))


def supplier_show(code: CodeArgument, book: BookOption = None,
                  output_format: FormatOption = None) -> None:
    """Show one supplier.

    \b
    Examples:
      biz supplier show MILL
    """
    from bizcli.reports.records import party_card

    _show(Common(book=book, output_format=output_format),
          lambda b, _: party_card(b, code, suppliers=True))


def item_add(
    code: CodeArgument, name: NameOption,
    unit: Annotated[str, typer.Option(help="Unit every quantity is counted in: pc, m, kg.")],
    kind: Annotated[str, typer.Option(help="stocked, bought, made or service.")] = "stocked",
    valuation: Annotated[Optional[str], typer.Option(help="fifo or average (default: the "
                                                     "book's).")] = None,
    cost: Annotated[Optional[str], typer.Option(help="Standard cost, e.g. 12.50.")] = None,
    price: Annotated[Optional[str], typer.Option(help="Sale price.")] = None,
    reorder_point: Annotated[Optional[str], typer.Option(help="Reorder point.")] = None,
    lead_time: Annotated[Optional[int], typer.Option(min=0, help="Lead time in days.")
                         ] = None,
    supplier: Annotated[Optional[str], typer.Option(help="Preferred supplier code.")] = None,
    book: BookOption = None,
) -> None:
    """Add an item to items.yaml.

    \b
    Examples:
      biz item add OAK-BOARD --name 'Oak board 27 mm' --unit m --kind bought --cost 12.50
      biz item add TABLE-OAK --name 'Oak dining table' --unit pc --kind made --price 1450
    """
    from bizcli.cli.common import find_root
    from bizcli.storage.loader import ITEMS_FILE
    from bizcli.storage.master_files import read_items
    from bizcli.storage.records_store import RecordFile, append_record

    entry = {k: v for k, v in (
        ("code", code), ("name", name), ("unit", unit), ("kind", kind),
        ("valuation", valuation), ("cost", _number(cost, "--cost")),
        ("sale_price", _number(price, "--price")),
        ("reorder_point", _number(reorder_point, "--reorder-point")),
        ("lead_time_days", lead_time), ("supplier", supplier)) if v is not None}
    file = RecordFile(ITEMS_FILE, "items", lambda text: read_items(ITEMS_FILE, text, "USD"),
                      code="duplicate-item")
    written = append_record(find_root(Common(book=book)), file, entry)
    sys.stdout.write(written)


def item_list(query: QueryArgument = None, book: BookOption = None,
              output_format: FormatOption = None, output: OutputOption = None) -> None:
    """List items with their quantity on hand (query: regexes on code or name).

    \b
    Examples:
      biz item list
      biz item list oak -O json
    """
    from bizcli.reports.records import items_report

    _show(Common(book=book, query=tuple(query or ()), output_format=output_format,
                 output=output), items_report)


def item_show(code: CodeArgument, book: BookOption = None,
              output_format: FormatOption = None) -> None:
    """Show one item and its stock per warehouse.

    \b
    Examples:
      biz item show OAK-BOARD
    """
    from bizcli.reports.records import item_card

    _show(Common(book=book, output_format=output_format), lambda b, _: item_card(b, code))


def warehouse_add(code: CodeArgument, name: NameOption,
                  address: Annotated[Optional[str], typer.Option(help="Address.")] = None,
                  book: BookOption = None) -> None:
    """Add a warehouse to warehouses.yaml.

    \b
    Examples:
      biz warehouse add SHOP --name Showroom --address '12 Market Street'
    """
    from bizcli.cli.common import find_root
    from bizcli.storage.loader import WAREHOUSES_FILE
    from bizcli.storage.master_files import read_warehouses
    from bizcli.storage.records_store import RecordFile, append_record

    entry = {k: v for k, v in (("code", code), ("name", name), ("address", address))
             if v is not None}
    file = RecordFile(WAREHOUSES_FILE, "warehouses",
                      lambda text: read_warehouses(WAREHOUSES_FILE, text),
                      code="duplicate-warehouse")
    written = append_record(find_root(Common(book=book)), file, entry)
    sys.stdout.write(written)


def warehouse_list(book: BookOption = None, output_format: FormatOption = None,
                   output: OutputOption = None) -> None:
    """List the warehouses.

    \b
    Examples:
      biz warehouse list
    """
    from bizcli.reports.records import warehouses_report

    _show(Common(book=book, output_format=output_format, output=output),
          lambda b, _: warehouses_report(b))
