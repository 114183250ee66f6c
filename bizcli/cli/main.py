"""The root ``biz`` app: sub-commands, and the one boundary that maps errors to exit codes.

Exit codes: 0 success, 1 problems found (bad book, bad input, a business rule),
2 usage error (from Typer/Click). A traceback is a bug; ``--traceback`` shows one.
"""

from __future__ import annotations

import enum
import sys
from typing import Annotated

import typer

from bizcli import __version__
from bizcli.cli import (
    accounts,
    aging,
    book,
    close,
    crm,
    export,
    imports,
    ledger,
    mrp,
    production,
    purchases,
    records,
    sales,
    stock,
)
from bizcli.cli.common import (
    GLOBAL_OPTIONS,
    AsOfOption,
    BookOption,
    FormatOption,
    NoColorOption,
    OutputOption,
    PeriodOption,
)

EPILOG = """Examples:

\b
  biz init mybooks --template trading     create a book
  biz summary                             where the business stands today
  biz bal -p 2026-Q3 expenses --depth 2   expenses by account for a quarter
  biz is -p 'last month' -O md            income statement as Markdown
  biz post 2026-11-20 'Office rent' Expenses:Rent 1200 Assets:Bank:Checking -1200
  biz check                               validate everything; exit 1 on any problem
"""

app = typer.Typer(
    name="biz", no_args_is_help=True, add_completion=True,
    pretty_exceptions_enable=False, rich_markup_mode=None,
    help="A small business's books, stock, production and customers in plain text.",
    epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]},
)
book.register(app)
ledger.register(app)
accounts.register(app)
stock.register(app)
records.register(app)
purchases.register(app)
sales.register(app)
aging.register(app)
crm.register(app)
production.register(app)
mrp.register(app)
imports.register(app)
close.register(app)
export.register(app)


class ExitCode(enum.IntEnum):
    """What a script can branch on."""

    OK = 0
    PROBLEMS = 1
    USAGE = 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bizcli {__version__}")
        raise typer.Exit


@app.callback()
def root(
    book: BookOption = None,
    period: PeriodOption = None,
    as_of: AsOfOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
    no_color: NoColorOption = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """A small business's books in plain text: journal, reports, checks."""
    del version  # handled by its eager callback
    GLOBAL_OPTIONS.update(book=book, period=period, as_of=as_of, output_format=output_format,
                          output=output, no_color=no_color)


def main(argv: list[str] | None = None) -> int:
    """Run one ``biz`` command and return its exit code (the error boundary)."""
    from bizcli.core.problems import BizcliError

    args = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in args
    if show_traceback:
        args.remove("--traceback")
    GLOBAL_OPTIONS.clear()
    try:
        result = app(args=args, prog_name="biz", standalone_mode=False)
    except BizcliError as err:
        if show_traceback:
            raise
        from bizcli.render.problems import problems_text

        sys.stderr.write(problems_text(err.problems) + "\n")
        return ExitCode.PROBLEMS
    except typer.TyperException as err:  # usage errors: bad option, unknown command
        show = getattr(err, "show", None)
        if callable(show):
            show()
        else:
            sys.stderr.write(f"error: {err}\n")
        return int(getattr(err, "exit_code", ExitCode.USAGE))
    except typer.Abort:
        sys.stderr.write("aborted\n")
        return 130
    except BrokenPipeError:
        raise  # the reader went away: run() ends quietly
    except OSError as err:  # the disk, not the data: full, read-only, failing
        if show_traceback:
            raise
        from bizcli.core.problems import fail
        from bizcli.render.problems import problems_text

        where = f"{err.filename}: " if err.filename else ""
        problem = fail("io-error", f"{where}{err.strerror or err}", hint=(
            "free some space or fix the permissions, then run the command again; a "
            "command that was writing left the book as it was"))
        sys.stderr.write(problems_text(problem.problems) + "\n")
        return ExitCode.PROBLEMS
    return result if isinstance(result, int) else ExitCode.OK


def run() -> None:
    """Entry point of the ``biz`` and ``bizcli`` console scripts."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``biz reg | head``): not an error, and no traceback.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = ExitCode.OK
    except KeyboardInterrupt:  # Ctrl-C: a write in progress was rolled back on the way out
        sys.stderr.write("interrupted\n")
        code = 130
    sys.exit(code)
