"""``biz export``: the book as hledger, ledger, beancount, CSV, JSON or SQLite."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli.common import BookOption, Common

if TYPE_CHECKING:
    from bizcli.storage.exports.tables import Sources, Table

EPILOG = """Examples:

\b
  biz export hledger -o books.journal     the whole book for hledger
  biz export ledger | ledger -f - bal     the same for ledger
  biz export beancount -o books.beancount && bean-check books.beancount
  biz export csv transactions -o postings.csv   one row per posting
  biz export json customers               any record as JSON
  biz export sqlite books.db              every record and posting in one database
"""

export_app = typer.Typer(no_args_is_help=True, epilog=EPILOG,
                         help="The book in other formats: hledger, ledger, beancount, "
                              "csv, json, sqlite. Nothing in the book changes.")

ENTITIES = """\
settings accounts commodities prices entries postings tags transactions customers
customer_contacts suppliers supplier_contacts items warehouses stock_moves
sales_orders sales_order_lines shipments shipment_lines invoices invoice_lines
payments payment_applications purchase_orders purchase_order_lines receipts
receipt_lines bills bill_lines bill_payments boms bom_lines bom_byproducts
work_orders work_order_components completions completion_lines deals deal_lines
deal_history leads activities tickets
"""
"""The entities csv and json export (a test checks the list against the tables)."""

ExportOutput = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write to FILE (atomically) instead of the screen.",
    show_default=False)]
EntityArgument = Annotated[str, typer.Argument(
    help="What to export: accounts, transactions (one row per posting), customers, "
         "items, stock_moves, sales_orders, ... (all: see below).", show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the ``export`` group to the root app."""
    export_app.command("hledger")(hledger)
    export_app.command("ledger")(ledger)
    export_app.command("beancount")(beancount)
    export_app.command("csv", epilog=_entities_epilog("csv"))(csv_export)
    export_app.command("json", epilog=_entities_epilog("json"))(json_export)
    export_app.command("sqlite")(sqlite)
    app.add_typer(export_app, name="export")


def _entities_epilog(fmt: str) -> str:
    rows = ENTITIES.strip().splitlines()
    return "\b\nEntities:\n" + "\n".join(f"  {row}" for row in rows) + (
        f"\n\nSee docs/exports.md for the columns of each; 'biz export {fmt} ENTITY -o FILE'"
        " writes a file.")


def _emit(common: Common, pieces: Iterable[str]) -> None:
    """Print the export, or write it atomically to ``-o FILE``.

    Written to a file or a pipe, a terminal shows the pieces made so far (stderr).
    """
    from bizcli.render.progress import progress_bar

    if common.output is None:
        if sys.stdout.isatty():
            for piece in pieces:
                sys.stdout.write(piece)
            return
        with progress_bar("Exporting", lambda: None) as advance:
            for piece in pieces:
                sys.stdout.write(piece)
                if advance is not None:
                    advance(1)
        return
    from bizcli.storage.atomic import write_output
    from bizcli.storage.exports.database import check_target

    check_target(common.output, force=True)
    with progress_bar(f"Exporting to {common.output}", lambda: None) as advance:
        made = []
        for piece in pieces:
            made.append(piece)
            if advance is not None:
                advance(1)
    write_output(common.output, "".join(made))


def _journal(book: str | None, output: Path | None, dialect: str) -> None:
    from bizcli.cli.common import load
    from bizcli.storage.exports.journal import Dialect, journal_text

    common = Common(book=book, output=output)
    loaded = load(common, need_transactions=True)
    _emit(common, journal_text(loaded, Dialect(dialect)))


def hledger(output: ExportOutput = None, book: BookOption = None) -> None:
    """The whole book as one hledger journal: declarations, prices, every entry.

    Accounts are declared with their types (type: A, L, E, R, X, and C for cash),
    commodities with their precision; entries come in date order with their tags,
    comments and balance assertions. hledger gives the same balances as biz bal.

    \b
    Examples:
      biz export hledger -o books.journal
      biz export hledger | hledger -f - bal --flat
      biz export hledger -o all.journal && hledger -f all.journal --strict bs
    """
    _journal(book, output, "hledger")


def ledger(output: ExportOutput = None, book: BookOption = None) -> None:
    """The whole book as one ledger journal: declarations, prices, every entry.

    Accounts (their type as a comment: ledger has no account types), commodities with
    their format and every tag are declared, so ledger --pedantic accepts the file. An
    assertion on an account that holds other commodities too, which ledger would
    compare with all of them, is kept as a comment.

    \b
    Examples:
      biz export ledger -o books.ledger
      biz export ledger | ledger -f - bal
      biz export ledger -o books.ledger && ledger -f books.ledger --pedantic bal
    """
    _journal(book, output, "ledger")


def beancount(output: ExportOutput = None, book: BookOption = None) -> None:
    """The whole book as a beancount file that bean-check accepts.

    Account names are mapped to beancount's rules (the root from the account's type,
    each component starting with a capital), commodities to valid currencies, both
    keeping the original name as metadata. Tags become metadata, doc tags also links;
    each balance assertion becomes a balance directive on the next day.

    \b
    Examples:
      biz export beancount -o books.beancount
      biz export beancount -o books.beancount && bean-check books.beancount
      biz -B ~/books export beancount -o books.beancount && fava books.beancount
    """
    from bizcli.cli.common import load
    from bizcli.storage.exports.beancount_file import beancount_text

    common = Common(book=book, output=output)
    _emit(common, beancount_text(load(common, need_transactions=True)))


def _table(entity: str) -> Table:
    from bizcli.core.codes import closest
    from bizcli.core.problems import fail
    from bizcli.storage.exports.tables import BY_NAME, find_table

    table = find_table(entity)
    if table is None:
        raise fail("unknown-entity", f"there is no entity {entity!r} to export"
                   f"{closest(entity.lower().replace('-', '_'), BY_NAME)}",
                   hint="'biz export csv --help' lists them: accounts, transactions, "
                        "customers, items, sales_orders...")
    return table


def _sources(common: Common, tables: list[Table]) -> Sources:
    """Load what the tables need; a book (or CRM) with errors stops the export."""
    from bizcli.cli.common import find_root, load
    from bizcli.storage.exports.tables import Need, Sources, needs_of

    needs = needs_of(tables)
    loaded = load(common, need_transactions=Need.TRANSACTIONS in needs,
                  need_stock=bool(needs & {Need.RECORDS, Need.CRM}))
    if Need.CRM not in needs:
        return Sources(loaded)
    from bizcli.core.crm.checks import check_crm
    from bizcli.core.documents.references import Known
    from bizcli.core.problems import BizcliError, blocking
    from bizcli.storage.crm_loader import load_crm

    crm, problems = load_crm(find_root(common))
    known = Known(customers={c.code for c in loaded.customers},
                  suppliers={s.code for s in loaded.suppliers},
                  items={i.code for i in loaded.items},
                  warehouses={w.code for w in loaded.warehouses})
    errors = blocking(problems) or blocking(check_crm(crm, known, loaded.sales))
    if errors:
        raise BizcliError(errors)
    return Sources(loaded, crm)


def csv_export(entity: EntityArgument, output: ExportOutput = None,
               book: BookOption = None) -> None:
    """One entity as CSV: a header row, then one row per record.

    Numbers are plain numbers (-12.50), dates YYYY-MM-DD; a text cell a spreadsheet
    would run as a formula (=, +, -, @ first) gets a ' in front.

    \b
    Examples:
      biz export csv transactions -o postings.csv
      biz export csv customers > customers.csv
      biz export csv sales_order_lines -o lines.csv
    """
    from bizcli.storage.exports.delimited import csv_text

    table = _table(entity)
    common = Common(book=book, output=output)
    _emit(common, csv_text(table, _sources(common, [table])))


def json_export(entity: EntityArgument, output: ExportOutput = None,
                book: BookOption = None) -> None:
    """One entity as JSON: {"entity", "columns", "rows"}, numbers as strings.

    Each row is an object with the columns as keys, in a stable order; nothing is null.

    \b
    Examples:
      biz export json customers
      biz export json transactions -o postings.json
      biz export json deals | jq '.rows[] | select(.stage == "won") | .amount'
    """
    from bizcli.storage.exports.delimited import json_text

    table = _table(entity)
    common = Common(book=book, output=output)
    _emit(common, json_text(table, _sources(common, [table])))


def sqlite(
    file: Annotated[Optional[Path], typer.Argument(
        help="The database to write (or give it with -o).", show_default=False)] = None,
    output: ExportOutput = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    book: BookOption = None,
) -> None:
    """Every entity and every posting in one new SQLite database.

    Tables have primary and foreign keys (postings -> entries and accounts, order lines
    -> orders, orders -> customers...); amounts are exact decimal text, postings also
    carry amount_minor (whole units of the commodity's scale) for exact SQL sums; the
    transactions view has one row per posting. The file is built aside and renamed into
    place when complete; an existing FILE is kept unless --force.

    \b
    Examples:
      biz export sqlite books.db
      biz export sqlite books.db --force
      sqlite3 books.db "SELECT account, SUM(amount_minor) FROM postings GROUP BY account"
    """
    from bizcli.render.progress import progress_bar
    from bizcli.storage.exports.database import write_database
    from bizcli.storage.exports.tables import TABLES

    common = Common(book=book, output=output)
    target = file or common.output
    if target is None or (file is not None and common.output not in (None, file)):
        raise typer.BadParameter("give the one database to write as FILE or with -o FILE",
                                 param_hint="FILE")
    sources = _sources(common, list(TABLES))
    with progress_bar(f"Writing {target}", lambda: len(TABLES)) as advance:
        counts = write_database(target, TABLES, sources, force=force, on_table=advance)
    sys.stdout.write(f"wrote {target}: {len(counts)} tables, {sum(counts.values())} rows\n")
