"""``biz import``: bring a bank statement, a journal or a CSV of records into the book."""

from __future__ import annotations

import typer

import_app = typer.Typer(no_args_is_help=True,
                         help="Bring outside files in: bank, journal, customers, suppliers, "
                              "items.")


def register(app: typer.Typer) -> None:
    """Add the ``import`` group to the root app."""
    from bizcli.cli import import_bank, import_journal, import_records

    import_bank.register(import_app)
    import_journal.register(import_app)
    import_records.register(import_app)
    app.add_typer(import_app, name="import")
