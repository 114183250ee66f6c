"""Book commands: ``biz init``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the book commands to the root app."""
    app.command("init")(init)


def init(
    folder: Annotated[Path, typer.Argument(help="Folder for the new book (created if "
                                           "missing).")] = Path(),
    template: Annotated[str, typer.Option(help="trading, manufacturing or services.")
                        ] = "trading",
    company: Annotated[str, typer.Option(help="Company name.")] = "My Company",
    currency: Annotated[str, typer.Option(help="Base currency, e.g. USD, EUR, CNY.")] = "USD",
    fiscal_year_start: Annotated[str, typer.Option(help="MM-DD the fiscal year starts.")
                                 ] = "01-01",
) -> None:
    """Create a new book: biz.yaml, accounts.yaml (a chart for the template), journal/.

    \b
    Examples:
      biz init mybooks
      biz init shop --template trading --currency CNY --company '上海木业'
    """
    from bizcli.storage.book_init import init_book

    written = init_book(folder, template=template, company=company, currency=currency,
                        fiscal_year_start=fiscal_year_start)
    sys.stdout.write(f"created a {template} book in {folder}:\n")
    sys.stdout.write("".join(f"  {name}\n" for name in written))
    sys.stdout.write(f"next: biz -B {folder} accounts; biz -B {folder} post ...\n")
