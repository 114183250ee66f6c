"""Master-record commands: ``biz customer|supplier|item|warehouse add|list|show|edit``."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli.common import (
    AsOfOption,
    BookOption,
    Common,
    FormatOption,
    OutputOption,
    QueryArgument,
)

if TYPE_CHECKING:
    from bizcli.core.book import Book
    from bizcli.reports.model import Report
    from bizcli.reports.selection import Selection
    from bizcli.storage.records_store import Change, RecordFile

customer_app = typer.Typer(no_args_is_help=True, help="Customers: add, list, show, edit, "
                           "import, export, duplicates, merge.")
supplier_app = typer.Typer(no_args_is_help=True, help="Suppliers: add, list, show, edit.")
item_app = typer.Typer(no_args_is_help=True, help="Items: add, list, show, edit.")
warehouse_app = typer.Typer(no_args_is_help=True, help="Warehouses: add, list, show, edit.")

CodeArgument = Annotated[str, typer.Argument(help="Short code, e.g. HARBOR or OAK-BOARD.")]
EditCode = Annotated[str, typer.Argument(help="Code of the record to change (a code itself "
                                         "cannot be changed).")]
NameOption = Annotated[str, typer.Option("--name", help="Full name.")]
Tags = Annotated[Optional[list[str]], typer.Option("--tag", help="A tag; repeatable.")]
NewName = Annotated[Optional[str], typer.Option("--name", help="New full name.")]
Contact = Annotated[Optional[str], typer.Option(help="Contact person (the first contact).")]
Email = Annotated[Optional[str], typer.Option(help="Contact email (the first contact).")]
Phone = Annotated[Optional[str], typer.Option(help="Contact phone (the first contact).")]
Address = Annotated[Optional[str], typer.Option(help="Address.")]
Terms = Annotated[Optional[int], typer.Option(min=0, help="Payment terms in days.")]
LeadTime = Annotated[Optional[int], typer.Option(min=0, help="Lead time in days.")]
CreditLimit = Annotated[Optional[str], typer.Option(help="Credit limit, e.g. 20000.")]
Currency = Annotated[Optional[str], typer.Option(help="Currency, if not the book's.")]
NewTags = Annotated[Optional[list[str]], typer.Option(
    "--tag", help="A tag; repeatable; the tags given replace all the old ones.")]
FieldsOption = Annotated[Optional[list[str]], typer.Option(
    "--field", help="A custom field KEY=VALUE; repeatable; KEY= removes it.")]
ClearOption = Annotated[Optional[list[str]], typer.Option(
    "--clear", help="Remove an optional field (e.g. credit-limit, address); repeatable.")]
DryRun = Annotated[bool, typer.Option("--dry-run", "-n", help="Show, write nothing.")]


def register(app: typer.Typer) -> None:
    """Add the four record groups to the root app."""
    customer_app.command("add")(customer_add)
    customer_app.command("list")(customer_list)
    customer_app.command("show")(customer_show)
    customer_app.command("edit")(customer_edit)
    customer_app.command("import")(customer_import)
    customer_app.command("duplicates")(customer_duplicates)
    customer_app.command("merge")(customer_merge)
    customer_app.command("export")(customer_export)
    supplier_app.command("add")(supplier_add)
    supplier_app.command("list")(supplier_list)
    supplier_app.command("show")(supplier_show)
    supplier_app.command("edit")(supplier_edit)
    item_app.command("add")(item_add)
    item_app.command("list")(item_list)
    item_app.command("show")(item_show)
    item_app.command("edit")(item_edit)
    warehouse_app.command("add")(warehouse_add)
    warehouse_app.command("list")(warehouse_list)
    warehouse_app.command("show")(warehouse_show)
    warehouse_app.command("edit")(warehouse_edit)
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


def _choice(text: str | None, option: str, code: str, choices: list[str]) -> str | None:
    """One of a fixed set of words typed on the command line."""
    if text is None or text in choices:
        return text
    from bizcli.core.problems import fail

    raise fail(code, f"{option} must be one of {', '.join(choices)}, not {text!r}",
               hint="use one of: " + ", ".join(choices))


def _kind(text: str | None) -> str | None:
    from bizcli.core.stock.items import ItemKind

    return _choice(text, "--kind", "bad-item-kind", [k.value for k in ItemKind])


def _valuation(text: str | None) -> str | None:
    from bizcli.core.stock.valuation import Method

    return _choice(text, "--valuation", "bad-valuation", [m.value for m in Method])


def _record_file(what: str) -> RecordFile:
    """The master file of ``what`` (customer, supplier, item, warehouse)."""
    from bizcli.storage.loader import CUSTOMERS_FILE, ITEMS_FILE, SUPPLIERS_FILE, WAREHOUSES_FILE
    from bizcli.storage.master_files import read_items, read_parties, read_warehouses
    from bizcli.storage.records_store import RecordFile, item_check

    if what == "customer":
        return RecordFile(CUSTOMERS_FILE, "customers",
                          lambda text: read_parties(CUSTOMERS_FILE, text, "customers"),
                          code="duplicate-customer", unknown="unknown-customer")
    if what == "supplier":
        return RecordFile(SUPPLIERS_FILE, "suppliers",
                          lambda text: read_parties(SUPPLIERS_FILE, text, "suppliers"),
                          code="duplicate-supplier", unknown="unknown-supplier")
    if what == "item":
        return RecordFile(ITEMS_FILE, "items", lambda text: read_items(ITEMS_FILE, text, "USD"),
                          code="duplicate-item", unknown="unknown-item", check=item_check)
    return RecordFile(WAREHOUSES_FILE, "warehouses",
                      lambda text: read_warehouses(WAREHOUSES_FILE, text),
                      code="duplicate-warehouse", unknown="unknown-warehouse")


def _add(book: str | None, what: str, entry: Mapping[str, object]) -> None:
    from bizcli.cli.common import find_root
    from bizcli.storage.records_store import append_record

    sys.stdout.write(append_record(find_root(Common(book=book)), _record_file(what), entry))


def _edit(book: str | None, what: str, code: str, change: Change, *, dry_run: bool) -> None:
    """Change one record and print its new lines."""
    from bizcli.cli.common import find_root
    from bizcli.storage.records_store import edit_record

    if change.is_empty:
        raise typer.BadParameter(f"nothing to change: give at least one option, e.g. --name "
                                 f"(see 'biz {what} edit --help')")
    edited = edit_record(find_root(Common(book=book)), _record_file(what), code, change,
                         dry_run=dry_run)
    sys.stdout.write(edited.lines)
    if edited.dropped_comments:
        sys.stderr.write(f"note: the comments inside {code}'s lines were not kept\n")
    if not edited.changed:
        sys.stderr.write(f"note: {code} already has these values; nothing was written\n")


def _fields(pairs: list[str] | None) -> dict[str, str | None]:
    """``--field KEY=VALUE`` options: KEY -> VALUE, or None for ``KEY=`` (remove it)."""
    found: dict[str, str | None] = {}
    for pair in pairs or ():
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            raise typer.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="'--field'")
        found[key.strip()] = value or None
    return found


def _cleared(names: list[str] | None, what: str, allowed: Mapping[str, str],
             given: Mapping[str, object]) -> tuple[str, ...]:
    """The keys ``--clear NAME`` removes (NAME: an option or a key, - or _)."""
    keys = []
    for name in names or ():
        key = allowed.get(name.strip().lstrip("-").replace("-", "_"))
        if key is None:
            firsts: dict[str, str] = {}
            for option, file_key in allowed.items():
                firsts.setdefault(file_key, option.replace("_", "-"))
            shown = sorted(firsts.values())
            raise typer.BadParameter(f"{what}s have no optional field {name!r}; one of: "
                                     + ", ".join(shown), param_hint="'--clear'")
        if given.get(key) not in (None, [], {}):
            raise typer.BadParameter(f"{name!r} is both set and cleared", param_hint="'--clear'")
        keys.append(key)
    return tuple(dict.fromkeys(keys))


_PARTY_CLEAR = {"address": "address", "terms": "payment_terms_days",
                "payment_terms_days": "payment_terms_days", "credit_limit": "credit_limit",
                "currency": "currency", "tags": "tags", "tag": "tags", "contacts": "contacts",
                "contact": "contacts", "email": "email", "phone": "phone",
                "fields": "fields", "notes": "notes"}
"""``--clear`` names (an option's or the file's key, - or _) -> the key of a customer."""
_SUPPLIER_CLEAR = {**_PARTY_CLEAR, "lead_time": "lead_time_days",
                   "lead_time_days": "lead_time_days"}
_CONTACT_KEYS = ("email", "phone")


def _party_change(what: str, *, name: str | None, contact: str | None, email: str | None,
                  phone: str | None, values: dict[str, object], tags: list[str] | None,
                  fields: list[str] | None, clear: list[str] | None) -> Change:
    """A customer's or supplier's change from the options of ``biz ... edit``."""
    from bizcli.storage.records_store import Change

    values = {"name": name, **values, "tags": list(tags) if tags else None}
    values = {k: v for k, v in values.items() if v is not None}
    person = {k: v for k, v in (("name", contact), ("email", email), ("phone", phone))
              if v is not None}
    custom = _fields(fields)
    allowed = _SUPPLIER_CLEAR if what == "supplier" else _PARTY_CLEAR
    given = {**values, **person, "contacts": person or None,
             "fields": {k: v for k, v in custom.items() if v is not None}}
    keys = _cleared(clear, what, allowed, given)
    return Change(values=values, clear=tuple(k for k in keys if k not in _CONTACT_KEYS),
                  contact=person, clear_contact=tuple(k for k in keys if k in _CONTACT_KEYS),
                  fields=custom)


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
    _add(book, "customer", _party_entry(code, name, contact, email, phone, extra))


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
    _add(book, "supplier", _party_entry(code, name, contact, email, phone, extra))


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


def customer_show(code: CodeArgument, as_of: AsOfOption = None, book: BookOption = None,
                  output_format: FormatOption = None) -> None:
    """Show one customer with everything around it (customer 360).

    The record, then on the as-of day (default today): open deals and their weighted
    amount, open orders and their delivery, invoices with the open and overdue balance,
    the credit limit used, the last activity and next follow-up, open tickets, and the
    customer's RFM segment and churn flag.

    \b
    Examples:
      biz customer show HARBOR
      biz customer show HARBOR --as-of 2026-06-30 -O json
    """
    from bizcli.cli.crm_reports import customer_standing

    customer_standing(Common(book=book, as_of=as_of, output_format=output_format), code)


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
    entry = {k: v for k, v in (
        ("code", code), ("name", name), ("unit", unit), ("kind", _kind(kind)),
        ("valuation", _valuation(valuation)), ("cost", _number(cost, "--cost")),
        ("sale_price", _number(price, "--price")),
        ("reorder_point", _number(reorder_point, "--reorder-point")),
        ("lead_time_days", lead_time), ("supplier", supplier)) if v is not None}
    _add(book, "item", entry)


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
    entry = {k: v for k, v in (("code", code), ("name", name), ("address", address))
             if v is not None}
    _add(book, "warehouse", entry)


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


def customer_edit(
    code: EditCode, name: NewName = None, contact: Contact = None, email: Email = None,
    phone: Phone = None, address: Address = None, terms: Terms = None,
    credit_limit: CreditLimit = None, currency: Currency = None, tag: NewTags = None,
    field: FieldsOption = None, clear: ClearOption = None, dry_run: DryRun = False,
    book: BookOption = None,
) -> None:
    """Change a customer in customers.yaml (its code cannot change); prints its new lines.

    Only the customer's own lines are rewritten; the rest of the file stays as it was.
    --clear takes address, terms, credit-limit, currency, tags, contacts, email, phone,
    fields or notes.

    \b
    Examples:
      biz customer edit HARBOR --terms 45 --credit-limit 25000
      biz customer edit HARBOR --email orders@harbor.example --tag trade --tag designer
      biz customer edit HARBOR --field vat_id=US-123456 --field old_ref=
      biz customer edit HARBOR --clear credit-limit --dry-run
    """
    change = _party_change(
        "customer", name=name, contact=contact, email=email, phone=phone, tags=tag,
        fields=field, clear=clear,
        values={"address": address, "payment_terms_days": terms,
                "credit_limit": _number(credit_limit, "--credit-limit"), "currency": currency})
    _edit(book, "customer", code, change, dry_run=dry_run)


def supplier_edit(
    code: EditCode, name: NewName = None, contact: Contact = None, email: Email = None,
    phone: Phone = None, address: Address = None, terms: Terms = None,
    lead_time: Annotated[Optional[int], typer.Option(min=0, help="Usual lead time in days.")
                         ] = None,
    credit_limit: CreditLimit = None, currency: Currency = None, tag: NewTags = None,
    field: FieldsOption = None, clear: ClearOption = None, dry_run: DryRun = False,
    book: BookOption = None,
) -> None:
    """Change a supplier in suppliers.yaml (its code cannot change); prints its new lines.

    Only the supplier's own lines are rewritten; the rest of the file stays as it was.
    --clear takes address, terms, lead-time, credit-limit, currency, tags, contacts, email,
    phone, fields or notes.

    \b
    Examples:
      biz supplier edit MILL --lead-time 21 --phone '+1 555 0199'
      biz supplier edit MILL --clear lead-time --dry-run
    """
    change = _party_change(
        "supplier", name=name, contact=contact, email=email, phone=phone, tags=tag,
        fields=field, clear=clear,
        values={"address": address, "payment_terms_days": terms, "lead_time_days": lead_time,
                "credit_limit": _number(credit_limit, "--credit-limit"), "currency": currency})
    _edit(book, "supplier", code, change, dry_run=dry_run)


_ITEM_CLEAR = {"valuation": "valuation", "cost": "cost", "price": "sale_price",
               "sale_price": "sale_price", "reorder_point": "reorder_point",
               "reorder_quantity": "reorder_quantity", "safety_stock": "safety_stock",
               "lead_time": "lead_time_days", "lead_time_days": "lead_time_days",
               "supplier": "supplier", "tax_rate": "tax_rate", "notes": "notes"}


def _tax_rate(text: str | None) -> str | None:
    from decimal import Decimal

    rate = _number(text, "--tax-rate")
    if rate is not None and Decimal(rate) > 1:
        from bizcli.core.problems import fail

        raise fail("bad-number", f"--tax-rate is a fraction like 0.10, not {text!r}",
                   hint="write 10 % as 0.10")
    return rate


def item_edit(
    code: EditCode, name: NewName = None,
    unit: Annotated[Optional[str], typer.Option(
        help="Unit every quantity is counted in (not changeable once the item has moves).")
                    ] = None,
    kind: Annotated[Optional[str], typer.Option(help="stocked, bought, made or service.")
                    ] = None,
    valuation: Annotated[Optional[str], typer.Option(help="fifo or average.")] = None,
    cost: Annotated[Optional[str], typer.Option(help="Standard cost, e.g. 12.50.")] = None,
    price: Annotated[Optional[str], typer.Option(help="Sale price.")] = None,
    reorder_point: Annotated[Optional[str], typer.Option(help="Reorder point.")] = None,
    reorder_quantity: Annotated[Optional[str], typer.Option(help="Quantity to reorder.")
                                ] = None,
    safety_stock: Annotated[Optional[str], typer.Option(help="Safety stock.")] = None,
    lead_time: LeadTime = None,
    supplier: Annotated[Optional[str], typer.Option(help="Preferred supplier code.")] = None,
    tax_rate: Annotated[Optional[str], typer.Option(help="Tax rate as a fraction, e.g. 0.10.")
                        ] = None,
    clear: ClearOption = None, dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Change an item in items.yaml (its code cannot change); prints its new lines.

    Only the item's own lines are rewritten; the rest of the file stays as it was. The
    unit cannot change, nor the item become a service, once it has stock moves.
    --clear takes valuation, cost, price, reorder-point, reorder-quantity, safety-stock,
    lead-time, supplier, tax-rate or notes.

    \b
    Examples:
      biz item edit OAK-BOARD --cost 13.20 --price 21.50
      biz item edit OAK-BOARD --reorder-point 40 --reorder-quantity 100 --safety-stock 10
      biz item edit OAK-BOARD --clear tax-rate --dry-run
    """
    from bizcli.storage.records_store import Change

    values = {k: v for k, v in (
        ("name", name), ("unit", unit), ("kind", _kind(kind)),
        ("valuation", _valuation(valuation)), ("cost", _number(cost, "--cost")),
        ("sale_price", _number(price, "--price")),
        ("reorder_point", _number(reorder_point, "--reorder-point")),
        ("reorder_quantity", _number(reorder_quantity, "--reorder-quantity")),
        ("safety_stock", _number(safety_stock, "--safety-stock")),
        ("lead_time_days", lead_time), ("supplier", supplier),
        ("tax_rate", _tax_rate(tax_rate))) if v is not None}
    change = Change(values=values, clear=_cleared(clear, "item", _ITEM_CLEAR, values))
    _edit(book, "item", code, change, dry_run=dry_run)


def warehouse_show(code: CodeArgument, book: BookOption = None,
                   output_format: FormatOption = None) -> None:
    """Show one warehouse and the stock of each item in it.

    \b
    Examples:
      biz warehouse show MAIN
    """
    from bizcli.reports.records import warehouse_card

    _show(Common(book=book, output_format=output_format),
          lambda b, _: warehouse_card(b, code))


def warehouse_edit(code: EditCode, name: NewName = None, address: Address = None,
                   clear: ClearOption = None, dry_run: DryRun = False,
                   book: BookOption = None) -> None:
    """Change a warehouse in warehouses.yaml (its code cannot change); prints its new lines.

    Only the warehouse's own lines are rewritten; the rest of the file stays as it was.
    --clear takes address or notes.

    \b
    Examples:
      biz warehouse edit SHOP --name Showroom --address '14 Market Street'
      biz warehouse edit SHOP --clear address
    """
    from bizcli.storage.records_store import Change

    values = {k: v for k, v in (("name", name), ("address", address)) if v is not None}
    change = Change(values=values, clear=_cleared(
        clear, "warehouse", {"address": "address", "notes": "notes"}, values))
    _edit(book, "warehouse", code, change, dry_run=dry_run)


ContactFormat = Annotated[Optional[str], typer.Option(
    "--format", help="csv or vcard (default: from the file's extension, .csv or .vcf).",
    show_default=False)]


def _contact_format(fmt: str | None, path: str | None, default: str | None) -> str:
    if fmt is None and path is not None:
        suffix = path.lower().rsplit(".", 1)[-1] if "." in path else ""
        fmt = {"csv": "csv", "vcf": "vcard", "vcard": "vcard"}.get(suffix)
    fmt = fmt or default
    if fmt not in ("csv", "vcard"):
        msg = "say --format csv or --format vcard (or use a .csv or .vcf file)"
        raise typer.BadParameter(msg, param_hint="--format")
    return fmt


def customer_import(
    path: Annotated[str, typer.Argument(help="A CSV or vCard file of contacts.")],
    fmt: ContactFormat = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show, write nothing.")
                       ] = False,
    book: BookOption = None,
) -> None:
    """Add customers from a CSV (ours, Google's, Outlook's) or vCard file of contacts.

    Rows of one company become one customer with several contacts; a code is made from
    the company (or person) name when the file has none. Customers whose code is in
    customers.yaml already are left as they are. Any bad row stops the import, with its
    line, and nothing is written.

    \b
    Examples:
      biz customer import contacts.csv --dry-run
      biz customer import phone-export.vcf
    """
    from pathlib import Path

    from bizcli.core.problems import BizcliError, fail
    from bizcli.storage.contacts_io import parties_from_csv, parties_from_vcard
    from bizcli.storage.crm_store import import_customers

    kind = _contact_format(fmt, path, None)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise fail("unreadable-file", f"cannot read {path}: {err.strerror}",
                   hint="check the path and its permissions") from None
    except UnicodeDecodeError:
        raise fail("bad-encoding", f"{path} is not UTF-8 text",
                   hint="save it as UTF-8 and import it again") from None
    reader = parties_from_csv if kind == "csv" else parties_from_vcard
    parties, problems = reader(text, path)
    if problems:
        raise BizcliError(problems)
    from bizcli.cli.common import find_root

    added, kept = import_customers(find_root(Common(book=book)), parties, dry_run=dry_run)
    verb = "would add" if dry_run else "added"
    sys.stdout.write(f"{verb} {len(added)} customers: {', '.join(added) or '-'}\n")
    if kept:
        sys.stdout.write(f"already in customers.yaml, left as they are: {', '.join(kept)}\n")


def customer_export(
    fmt: ContactFormat = None,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", help="Write to FILE (atomically) instead of the screen.",
        show_default=False)] = None,
    book: BookOption = None,
) -> None:
    """Write every customer and contact as CSV (one row per contact) or vCard 3.0.

    \b
    Examples:
      biz customer export -o customers.csv
      biz customer export --format vcard > customers.vcf
    """
    from pathlib import Path

    from bizcli.cli.common import load
    from bizcli.storage.contacts_io import parties_to_csv, parties_to_vcard

    kind = _contact_format(fmt, output, "csv")
    loaded = load(Common(book=book), need_stock=True)
    writer = parties_to_csv if kind == "csv" else parties_to_vcard
    text = writer(list(loaded.customers))
    if output is None:
        sys.stdout.write(text)
        return
    from bizcli.storage.atomic import write_output

    write_output(Path(output), text)


def customer_duplicates(book: BookOption = None, output_format: FormatOption = None,
                        output: OutputOption = None) -> None:
    """Customers and open leads that look like one business.

    The signs: the same email, the same company email domain (free-mail ones aside),
    similar names.

    \b
    Examples:
      biz customer duplicates
      biz customer duplicates -O csv
    """
    from bizcli.cli.common import emit, find_root, load
    from bizcli.core.crm.duplicates import find_duplicates, people
    from bizcli.core.problems import BizcliError, blocking
    from bizcli.reports.crm.customer import duplicates_report
    from bizcli.storage.crm_loader import load_crm

    common = Common(book=book, output_format=output_format, output=output)
    loaded = load(common, need_stock=True)
    crm, problems = load_crm(find_root(common))
    errors = blocking(problems)
    if errors:
        raise BizcliError(errors)
    emit(common, duplicates_report(find_duplicates(people(loaded.customers, crm.leads))))


def customer_merge(
    keep: Annotated[str, typer.Argument(help="The customer to keep.")],
    duplicate: Annotated[str, typer.Argument(help="The customer to merge into it and "
                                             "remove.")],
    dry_run: DryRun = False, book: BookOption = None,
) -> None:
    """Merge a duplicate customer into another, re-pointing every document to it.

    Sales documents, payments, deals, activities, tickets and the leads converted into
    it name KEEP afterwards; its contacts and tags are added to KEEP's, and the fields
    KEEP lacks are taken from it. The journal and the stock files keep their customer:
    tags as posted.

    \b
    Examples:
      biz customer merge harbor-interiors harbour-interiors --dry-run
      biz customer merge harbor-interiors harbour-interiors
    """
    from bizcli.cli.common import find_root
    from bizcli.storage.crm_store import merge_customers

    sys.stdout.write(merge_customers(find_root(Common(book=book)), keep, duplicate,
                                     dry_run=dry_run))
