"""``biz import customers | suppliers | items FILE.csv``: master records from a CSV."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bizcli.cli.common import BookOption, Common

CsvFile = Annotated[str, typer.Argument(
    help="A CSV file whose header names the fields (the keys of the YAML file).",
    show_default=False)]
DryRun = Annotated[bool, typer.Option("--dry-run", "-n", help="Show, write nothing.")]
SkipBad = Annotated[bool, typer.Option(
    "--skip-bad", help="Add the good rows and report the bad ones (default: any bad row "
    "stops the import).")]


def register(group: typer.Typer) -> None:
    """Add this module's commands to ``biz import``."""
    group.command("customers")(customers)
    group.command("suppliers")(suppliers)
    group.command("items")(items)


def _run(kind: str, path: str, *, dry_run: bool, skip_bad: bool, book: str | None) -> None:
    from bizcli.cli.common import find_root
    from bizcli.render.problems import problems_text
    from bizcli.storage.records_import import import_records

    done = import_records(find_root(Common(book=book)), kind, path, dry_run=dry_run,
                          skip_bad=skip_bad)
    sys.stdout.write(done.lines)
    verb = "would add" if dry_run else "added"
    count = len(done.added)
    sys.stdout.write(f"# {verb} {count} {kind if count != 1 else kind[:-1]} to {done.rel}\n")
    if done.skipped:
        rows = len({p.source.line for p in done.skipped if p.source is not None})
        sys.stderr.write(f"note: {rows} bad row{'s' if rows != 1 else ''} left out:\n"
                         + problems_text(done.skipped) + "\n")


def customers(path: CsvFile, dry_run: DryRun = False, skip_bad: SkipBad = False,
              book: BookOption = None) -> None:
    """Add customers from a CSV with a header of customers.yaml keys.

    Columns: code, name (both needed), contact, email, phone, role (the first contact),
    address, payment_terms_days, credit_limit, currency, tags (a;b), notes, and
    fields.NAME for a custom field. A row that repeats a code with only contact columns
    adds a contact. Every bad row is reported with its line, row and column; nothing is
    written when one is bad, unless --skip-bad.

    \b
    Examples:
      biz import customers customers.csv --dry-run
      biz import customers customers.csv --skip-bad
    """
    _run("customers", path, dry_run=dry_run, skip_bad=skip_bad, book=book)


def suppliers(path: CsvFile, dry_run: DryRun = False, skip_bad: SkipBad = False,
              book: BookOption = None) -> None:
    """Add suppliers from a CSV with a header of suppliers.yaml keys.

    Columns as for customers, and lead_time_days.

    \b
    Examples:
      biz import suppliers suppliers.csv --dry-run
      biz import suppliers suppliers.csv
    """
    _run("suppliers", path, dry_run=dry_run, skip_bad=skip_bad, book=book)


def items(path: CsvFile, dry_run: DryRun = False, skip_bad: SkipBad = False,
          book: BookOption = None) -> None:
    """Add items from a CSV with a header of items.yaml keys.

    Columns: code, name, unit (all three needed), kind, valuation, cost, sale_price,
    reorder_point, reorder_quantity, safety_stock, lead_time_days, supplier (a code in
    suppliers.yaml), tax_rate (0.10 for 10%), lot_size, lot_quantity, lot_periods,
    lot_min, lot_max, lot_multiple, notes.

    \b
    Examples:
      biz import items items.csv --dry-run
      biz import items items.csv --skip-bad
    """
    _run("items", path, dry_run=dry_run, skip_bad=skip_bad, book=book)
