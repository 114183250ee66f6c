"""One table as CSV or JSON text (``biz export csv|json ENTITY``).

CSV: a header row of column names, then one row per record; numbers as plain numbers
(``-12.50``), dates as ``YYYY-MM-DD``, yes/no as ``true``/``false``, nothing as an empty
cell, and a cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, a tab
or a carriage return at the start, and not a number) with a ``'`` in front.

JSON: ``{"entity", "columns", "rows"}``, each row an object with the columns as keys in
table order; numbers as strings (``"12.50"``, ``"30"``), yes/no as ``true``/``false``,
nothing as ``null``. One row per line, so that a large export stays easy to stream.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal

from bizcli.core.text import spreadsheet_safe
from bizcli.storage.exports.tables import Sources, Table, Value


def plain_text(value: Value) -> str | None:
    """A value as text: the form CSV, JSON and SQLite share (None stays None)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_text(table: Table, sources: Sources) -> Iterator[str]:
    """The table as CSV, in pieces of about a thousand rows."""
    buffer = io.StringIO()
    plain = csv.writer(buffer, lineterminator="\n")
    # Before Python 3.13 the csv module leaves a lone "\r" unquoted when rows end in
    # "\n", which no reader can split back; such rows are quoted in full.
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(table.column_names)
    for count, row in enumerate(table.rows(sources), 1):
        cells = [spreadsheet_safe(plain_text(value) or "") for value in row]
        (quoted if any("\r" in cell for cell in cells) else plain).writerow(cells)
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_value(value: Value) -> str | bool | None:
    return value if isinstance(value, bool) else plain_text(value)


def json_text(table: Table, sources: Sources) -> Iterator[str]:
    """The table as one JSON document, in pieces."""
    names = table.column_names
    yield (f'{{\n  "entity": {json.dumps(table.name)},\n'
           f'  "columns": {json.dumps(names)},\n  "rows": [')
    separator = "\n    "
    for row in table.rows(sources):
        record = dict(zip(names, (_json_value(value) for value in row), strict=True))
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n    "
    yield ("\n  ]" if separator != "\n    " else "]") + "\n}\n"

