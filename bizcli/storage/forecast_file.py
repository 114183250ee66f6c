"""Read a forecast file for ``biz mrp run --forecast FILE``: CSV ``item,date,quantity``.

One line per item and period: the quantity expected to sell in the bucket that holds
the date. ``biz mrp forecast --write FILE`` writes one from the sales history. Lines
starting with ``#`` and blank lines are skipped; every bad line is a problem with its
line number, and nothing is planned from a file with problems.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from bizcli.core.imports.csv_text import csv_problem, csv_records
from bizcli.core.problems import BizcliError, Problem
from bizcli.core.production.mrp import Demand, DemandKind
from bizcli.core.source import SourceRef
from bizcli.storage.atomic import write_atomic

HEADER = ["item", "date", "quantity"]
_NUMBER = re.compile(r"\d+(\.\d+)?")


def read_forecast(path: Path, known: Iterable[str]) -> list[Demand]:
    """The forecast demand in ``path``; a ``BizcliError`` listing every bad line."""
    rel = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise BizcliError([Problem(code="unreadable-file", source=SourceRef(rel, 0),
                                   message=f"cannot read the forecast: {err.strerror}",
                                   hint="give the path of a CSV file item,date,quantity")]
                          ) from None
    items = set(known)
    problems: list[Problem] = []
    out: list[Demand] = []
    header_seen = False
    for number, row in csv_records(text):  # the line a row starts on, not its count
        if isinstance(row, csv.Error):
            problems.append(csv_problem(rel, number, row))
            continue
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in row]
        if not header_seen:
            header_seen = True
            if [c.lower() for c in cells] == HEADER:
                continue
        where = SourceRef(rel, number)
        if len(cells) != len(HEADER):
            problems.append(Problem(code="bad-forecast", source=where,
                                    message=f"expected 3 cells (item,date,quantity), found "
                                            f"{len(cells)}", hint="e.g. TABLE-OAK,2026-12-07,3"))
            continue
        item, day, quantity = cells
        problems.extend(_line_problems(where, item, day, quantity, items))
        if not problems:
            out.append(Demand(item, dt.date.fromisoformat(day), Decimal(quantity),
                              DemandKind.FORECAST, "forecast"))
    if problems:
        raise BizcliError(problems)
    return out


def _line_problems(where: SourceRef, item: str, day: str, quantity: str,
                   items: set[str]) -> list[Problem]:
    problems = []
    if item not in items:
        problems.append(Problem(code="unknown-item", source=where,
                                message=f"item {item!r} is not a stocked item in items.yaml",
                                hint="fix the code or remove the line"))
    if not _is_date(day):
        problems.append(Problem(code="bad-date", source=where,
                                message=f"{day!r} is not a date YYYY-MM-DD",
                                hint="e.g. 2026-12-07"))
    if not _NUMBER.fullmatch(quantity):
        problems.append(Problem(code="bad-number", source=where,
                                message=f"{quantity!r} is not a quantity",
                                hint="write a number like 3 or 2.5 (no sign, '.' for decimals)"))
    return problems


def write_forecast(path: Path, demands: Iterable[Demand]) -> None:
    """Write demands as a forecast file (atomically)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for demand in demands:
        writer.writerow([demand.item, demand.date.isoformat(), str(demand.quantity)])
    write_atomic(path, buffer.getvalue())


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
