"""Aging reports: ``biz aging ar`` (customers) and ``biz aging ap`` (suppliers)."""

from __future__ import annotations

import typer

from bizcli.cli.common import AsOfOption, BookOption, Common, FormatOption, OutputOption

aging_app = typer.Typer(no_args_is_help=True, help="What is owed, by how late it is.")


def register(app: typer.Typer) -> None:
    """Add the ``aging`` group to the root app."""
    aging_app.command("ar")(receivables)
    aging_app.command("ap")(payables)
    app.add_typer(aging_app, name="aging")


def payables(as_of: AsOfOption = None, book: BookOption = None,
             output_format: FormatOption = None, output: OutputOption = None) -> None:
    """Open supplier bills per supplier by days past due (0, 1-30, 31-60, 61-90, 90+).

    \b
    Examples:
      biz aging ap
      biz aging ap --as-of 2026-12-31 -O csv
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.aging import aging_payables

    show_report(Common(book=book, as_of=as_of or "today", output_format=output_format,
                       output=output),
                aging_payables, need_stock=True)


def receivables(as_of: AsOfOption = None, book: BookOption = None,
                output_format: FormatOption = None, output: OutputOption = None) -> None:
    """Open customer invoices per customer by days past due (0, 1-30, 31-60, 61-90, 90+).

    Unapplied payments (paid beyond the open invoices) show as a negative credit; the
    total ties out to the receivable account.

    \b
    Examples:
      biz aging ar
      biz aging ar --as-of 2026-10-31 -O json
    """
    from bizcli.cli.common import show_report
    from bizcli.reports.aging import aging_receivables

    show_report(Common(book=book, as_of=as_of or "today", output_format=output_format,
                       output=output),
                aging_receivables, need_stock=True)
