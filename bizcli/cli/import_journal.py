"""``biz import journal FILE``: adopt an hledger or ledger journal into a book."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bizcli.cli.common import BookOption, Common

if TYPE_CHECKING:
    from bizcli.storage.journal_adopt import AdoptPlan


def register(group: typer.Typer) -> None:
    """Add this module's commands to ``biz import``."""
    group.command("journal")(import_journal)


def import_journal(
    file: Annotated[Path, typer.Argument(help="The hledger or ledger journal to adopt "
                                         "(its includes are read too).", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show the plan (accounts, "
                                          "year files, what is dropped or refused); write "
                                          "nothing.")] = False,
    book: BookOption = None,
) -> None:
    """Adopt an hledger or ledger journal into a book that has no entries yet.

    Accounts go into accounts.yaml (types from 'type:' tags or the top-level name),
    entries into journal/YEAR.journal in bizcli's canonical form, with the same
    balances. Anything outside the journal subset bizcli reads is listed as
    FILE:LINE and nothing is written; see docs/migrating.md.

    \b
    Examples:
      biz init mybooks && biz -B mybooks import journal ~/finance/all.journal --dry-run
      biz -B mybooks import journal ~/finance/all.journal
      biz import journal ledger.dat -n
    """
    from bizcli.cli.clock import today
    from bizcli.cli.common import find_root
    from bizcli.core.problems import BizcliError
    from bizcli.render.progress import progress_bar
    from bizcli.storage.journal_adopt import adopt_journal

    root = find_root(Common(book=book))
    with progress_bar(f"Adopting {file.name}", lambda: None) as advance:
        plan = adopt_journal(root, file, today(), dry_run=dry_run, on_step=advance)
    sys.stdout.write(plan_text(plan, dry_run=dry_run))
    if dry_run and plan.errors:
        raise BizcliError(plan.errors)


def plan_text(plan: AdoptPlan, *, dry_run: bool) -> str:
    """The plan (or what was done) as lines of plain text."""
    lines = [f"{'plan for adopting' if dry_run else 'adopted'} {plan.source}"
             + (" (dry run: nothing written)" if dry_run else "")]
    if len(plan.files) > 1:
        lines.append("  files read: " + ", ".join(plan.files))
    if plan.accounts:
        from bizcli.core.text import display_width, pad_right

        width = max(display_width(a.account.name) for a in plan.accounts)
        lines.append(f"accounts {'to add to' if dry_run else 'added to'} accounts.yaml:")
        lines.extend(f"  {pad_right(a.account.name, width)}  {a.type.value:<9}  {a.reason}"
                     + (f", subtype {a.account.subtype}" if a.account.subtype else "")
                     for a in plan.accounts)
    else:
        lines.append("accounts: all in the chart already")
    lines.append("journal files:" if plan.entries else "journal files: no entries")
    for rel, count in sorted(plan.entries.items()):
        prices = plan.prices.get(rel, 0)
        lines.append(f"  {rel}  {count} entries" + (f", {prices} prices" if prices else ""))
    if plan.commodities:
        lines.append("commodity directives: " + ", ".join(
            f"{c} ({p} decimals)" if p >= 0 else c for c, p in sorted(plan.commodities.items())))
    lines.extend(_dropped(plan))
    lines.extend(f"note: {note}" for note in plan.notes)
    if plan.errors:
        lines.append(f"refused: {len(plan.errors)} problems, listed below; nothing would be "
                     "written")
    return "\n".join(lines) + "\n"


def _dropped(plan: AdoptPlan) -> list[str]:
    """What is left out because it changes no balance, counted per kind."""
    kinds: dict[str, list[str]] = {}
    for item in plan.dropped:
        kinds.setdefault(item.what, []).append(str(item.source))
    if not kinds:
        return []
    lines = ["dropped (they change no balance):"]
    for what, where in kinds.items():
        shown = ", ".join(where[:3]) + (", ..." if len(where) > 3 else "")
        lines.append(f"  {what}: {len(where)} ({shown})")
    return lines
