"""The table of a close's checks (``biz close --dry-run``): each check and its state."""

from __future__ import annotations

from decimal import Decimal

from bizcli.core.closing import CHECKS, Outcome, summary_lines
from bizcli.reports.model import Column, ColumnKind, Report, Row


def checks_report(label: str, outcome: Outcome) -> Report:
    """One row per check (ok, blocked or allowed); the blocking problems as notes."""
    what = {check.name: check.what for check in CHECKS}
    rows = tuple(Row(values=(name, state, Decimal(count), what[name]))
                 for name, state, count in summary_lines(outcome))
    return Report(name="close-checks", title=f"Closing {label}: checks", rows=rows,
                  columns=(Column(key="check", title="Check"),
                           Column(key="state", title="State"),
                           Column(key="problems", title="Problems", kind=ColumnKind.NUMBER),
                           Column(key="what", title="What it proves")),
                  notes=tuple(p.one_line() for p in outcome.blocking))
