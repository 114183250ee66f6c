"""``biz import bank FILE.csv --rules RULES.yaml``: a bank statement into the journal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bizcli.cli.common import BookOption, Common, FormatOption, OutputOption

if TYPE_CHECKING:
    from bizcli.reports.model import Report
    from bizcli.storage.bank_import import BankImport


def register(group: typer.Typer) -> None:
    """Add this module's commands to ``biz import``."""
    group.command("bank")(bank)


def bank(
    statement: Annotated[str, typer.Argument(help="The bank statement, a CSV file.",
                                             show_default=False)],
    rules: Annotated[str, typer.Option(
        "--rules", "-r", help="The rules file (YAML): columns, formats, account rules.",
        show_default=False)],
    account: Annotated[Optional[str], typer.Option(
        "--account", help="The bank account (default: the rules file's, else the bank "
        "role).", show_default=False)] = None,
    match: Annotated[bool, typer.Option(
        "--match", help="Record rows that pay an open invoice or bill as customer or bill "
        "payments (as biz sale pay / biz purchase pay do).")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", "-n", help="Show what would be posted, write nothing.")] = False,
    book: BookOption = None, output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Post a bank statement's rows as journal entries, each row once.

    Each row becomes an entry between the bank account and the account of the first
    rule whose pattern finds its description (or the rules' default_account), tagged
    'import: HASH'. A row whose hash is on an entry already is skipped, so importing a
    statement twice, or one that overlaps the last, adds only the new rows. Rows that
    pay an open customer invoice or supplier bill (its number in the text, or its exact
    amount) are shown as matches; --match records them as payments against it. Any bad
    row, or a row no rule takes, stops the import: nothing is written. See docs/imports.md.

    \b
    Examples:
      biz import bank bank-2026-11.csv --rules bank-rules.yaml --dry-run
      biz import bank bank-2026-11.csv --rules bank-rules.yaml --match
      biz import bank visa.csv --rules visa-rules.yaml --account 'Liabilities:Credit Card'
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import emit, find_root
    from bizcli.render.progress import progress_bar
    from bizcli.storage.bank_import import BankRequest, import_bank
    from bizcli.storage.loader import book_size

    common = Common(book=book, output_format=output_format, output=output)
    root = find_root(common)
    with progress_bar("Reading the journal for rows imported before",
                      lambda: book_size(root)) as advance:
        done = import_bank(root, BankRequest(
            statement=statement, rules=rules, account=account, match=match,
            dry_run=dry_run), today=today(), on_read=advance)
    if dry_run:
        emit(common, _preview(done, match=match))
        return
    sys.stdout.write(done.text + ("\n" if done.text else ""))
    sys.stdout.write("".join(f"# {note}\n" for note in _summary(done, match=match,
                                                                 dry_run=False)))


def _summary(done: BankImport, *, match: bool, dry_run: bool) -> list[str]:
    """What the import did (or would do), in a few lines."""
    rows = done.plan.rows
    count = {status: sum(1 for p in rows if p.status == status)
             for status in ("new", "duplicate", "zero")}
    verb = "would post" if dry_run else "posted"
    lines = [(f"{verb} {count['new']} of {len(rows)} rows to {done.target.account}; "
              f"{count['duplicate']} already imported, {count['zero']} of zero amount")]
    if done.plan.payments:
        lines.append("customer payments: " + ", ".join(
            f"{p.number} ({', '.join(n for n, _ in p.applied) or 'on account'})"
            for p in done.plan.payments))
    if done.plan.orders:
        lines.append("bills paid on: " + ", ".join(o.number for o in done.plan.orders))
    matched = [p for p in rows if p.status == "new" and p.proposal.match is not None]
    if matched and not match:
        lines.append(f"{len(matched)} of the rows match open invoices or bills; --match "
                     "records such rows as payments")
    return lines


def _preview(done: BankImport, *, match: bool) -> Report:
    """The dry run's table: each row, what it would post, by which rule, new or not."""
    from decimal import Decimal

    from bizcli.core.money import format_amount
    from bizcli.reports.model import Column, ColumnKind, Report, Row

    rows = []
    for planned in done.plan.rows:
        entry, row = planned.entry, planned.row
        accounts = [p.account for p in entry.postings if p.account != done.target.account] if (
            entry) else []
        posted = ", ".join(dict.fromkeys(accounts))
        if entry is not None and entry.code and planned.proposal.match is not None and match:
            posted += f" ({entry.code})"
        found = planned.proposal.match
        rows.append(Row(values=(
            str(row.line), row.date.isoformat(),
            entry.description if entry is not None else row.text,
            {done.target.currency: row.amount},
            {done.target.currency: row.balance} if row.balance is not None else None,
            posted, planned.rule,
            f"{found.numbers} ({found.how})" if found is not None else planned.proposal.note,
            planned.status)))
    total = sum((p.row.amount for p in done.plan.rows if p.status == "new"), Decimal(0))
    columns = (Column(key="line", title="Line"), Column(key="date", title="Date"),
               Column(key="description", title="Description"),
               Column(key="amount", title="Amount", kind=ColumnKind.AMOUNT),
               Column(key="balance", title="Balance", kind=ColumnKind.AMOUNT),
               Column(key="account", title="Account"), Column(key="rule", title="Rule"),
               Column(key="match", title="Match"), Column(key="status", title="Status"))
    moved = format_amount(total, done.target.currency,
                          done.precisions.get(done.target.currency, 2))
    notes = [*_summary(done, match=match, dry_run=True),
             f"the new rows move {done.target.account} by {moved}", "dry run: nothing written"]
    return Report(name="import-bank", title=f"Import of {done.target.path} into "
                  f"{done.target.account}", columns=columns, rows=tuple(rows),
                  precisions=done.precisions, notes=tuple(notes))
