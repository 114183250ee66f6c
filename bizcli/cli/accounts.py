"""Chart of accounts commands: ``biz accounts`` and ``biz account add``."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from bizcli.cli.common import (
    BookOption,
    Common,
    DepthOption,
    FormatOption,
    OutputOption,
    QueryArgument,
)

account_app = typer.Typer(no_args_is_help=True, help="Add to or list the chart of accounts.")


def register(app: typer.Typer) -> None:
    """Add ``accounts`` and the ``account`` group to the root app."""
    app.command("accounts")(list_accounts)
    account_app.command("list")(list_accounts)
    account_app.command("add")(add_account)
    app.add_typer(account_app, name="account")


def list_accounts(query: QueryArgument = None, book: BookOption = None,
                  depth: DepthOption = None, output_format: FormatOption = None,
                  output: OutputOption = None) -> None:
    """List the chart of accounts with types and codes.

    \b
    Examples:
      biz accounts
      biz accounts expenses
      biz accounts --depth 2 -O csv
    """
    from bizcli.cli.common import emit, load, selection
    from bizcli.reports.chart import accounts_report

    common = Common(book=book, depth=depth, query=tuple(query or ()),
                    output_format=output_format, output=output)
    loaded = load(common)
    emit(common, accounts_report(loaded, selection(common, loaded)))


def add_account(
    name: Annotated[str, typer.Argument(help="Full name, e.g. Expenses:Travel:Fuel.")],
    account_type: Annotated[Optional[str], typer.Option(
        "--type", help="asset, liability, equity, income or expense (default: the parent's).")
    ] = None,
    subtype: Annotated[Optional[str], typer.Option(help="e.g. cash, receivable, fixed, "
                                                   "payable, long-term, cogs.")] = None,
    code: Annotated[Optional[str], typer.Option(help="Account code, e.g. 6120.")] = None,
    note: Annotated[Optional[str], typer.Option(help="A note about the account.")] = None,
    book: BookOption = None,
) -> None:
    """Add an account to accounts.yaml (checked, written atomically).

    \b
    Examples:
      biz account add Expenses:Travel:Fuel
      biz account add Assets:Bank:Savings --subtype cash
    """
    from bizcli.cli.common import find_root
    from bizcli.storage.chart_store import add_account as store

    line = store(find_root(Common(book=book)), name=name, account_type=account_type,
                 subtype=subtype, code=code, note=note)
    sys.stdout.write(line)
