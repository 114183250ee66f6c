"""CSV text as records, each with the physical line it starts on (for file:line problems)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef
from bizcli.core.text import spreadsheet_text

LINE_END = re.compile(r"\r\n|\r|\n")
"""Where the csv module ends a line (a lone carriage return too): count lines with it."""
CSV_HINT = ('a field with a comma, quote or line break must be in double quotes, and a '
            'quote inside it written twice ("")')


def csv_records(text: str, *, delimiter: str = ",", first_line: int = 1,
                unescape: bool = False) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """Each record with the line it starts on, or the error that broke it.

    ``first_line`` is the line number of the first line of ``text`` in its file. With
    ``unescape``, cells bizcli's CSV protected from spreadsheets read back as they were.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + first_line
        try:
            record = next(reader)
            yield start, [spreadsheet_text(c) for c in record] if unescape else record
        except StopIteration:
            return
        except csv.Error as error:
            yield start, error
            if reader.line_num + first_line <= start:
                return


def csv_problem(path: str, line: int, error: csv.Error) -> Problem:
    """The ``bad-csv`` problem of a record the csv module could not read."""
    message = ("a quoted field that starts on this row is never closed"
               if "end of data" in str(error) else f"malformed CSV: {error}")
    return Problem(code="bad-csv", message=message, hint=CSV_HINT,
                   source=SourceRef(path, line))


def is_blank(record: list[str]) -> bool:
    """True for a record with no text in any field (a blank line, or only separators)."""
    return not any(value.strip() for value in record)
