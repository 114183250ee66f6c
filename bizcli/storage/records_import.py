"""``biz import customers | suppliers | items``: a CSV of records, checked, then appended.

Under the book lock: the master file is read, each row of the CSV becomes an entry or
the problems that forbid it (``core/imports/records.py``: its cells; here: a code the
file has already, a supplier the book lacks, and whatever the file's own reader finds
in the entry, so that no entry is added that ``biz check`` would refuse). Every good
entry is then appended to the file's list in one atomic write, and the new file must
read back with its old records and the new ones, or nothing is written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from bizcli.core.imports.records import RecordRow, check_rows, read_records
from bizcli.core.problems import BizcliError, Problem, fail, sorted_problems
from bizcli.core.source import SourceRef
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.loader import CUSTOMERS_FILE, ITEMS_FILE, SUPPLIERS_FILE
from bizcli.storage.master_files import read_items, read_parties

FILES = {"customers": CUSTOMERS_FILE, "suppliers": SUPPLIERS_FILE, "items": ITEMS_FILE}
_ENTRY = re.compile(r"^([ \t]*)- code:", re.MULTILINE)

Reader = Callable[[str, str], tuple[Sequence[object], list[Problem]]]


class RecordsImport(NamedTuple):
    """What an import added (or, on a dry run, would add), and the rows it left out."""

    kind: str
    rel: str
    added: list[str]
    lines: str
    skipped: list[Problem]


def _reader(kind: str) -> Reader:
    """The master file's own reader (prices are read for their checks only)."""
    if kind == "items":
        return lambda rel, text: read_items(rel, text, "")
    return lambda rel, text: read_parties(rel, text, kind)


def read_csv_file(path: str) -> str:
    """The text of a UTF-8 CSV file given on the command line (a BOM is dropped)."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise fail("unreadable-file", f"cannot read {path}: {err.strerror}",
                   hint="check the path and its permissions") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise fail("bad-encoding", f"{path} is not UTF-8 text",
                   hint="save it as UTF-8 (a spreadsheet's 'CSV UTF-8') and import it again",
                   source=SourceRef(path, line)) from None
    return text


def import_records(root: Path, kind: str, path: str, *, dry_run: bool = False,
                   skip_bad: bool = False) -> RecordsImport:
    """Add the records of a CSV to the master file of ``kind``, all or (skip_bad) the good."""
    read = read_records(read_csv_file(path), path, kind)
    if read.problems:
        raise BizcliError(read.problems)
    rel, reader = FILES[kind], _reader(kind)
    with book_lock(root):
        file = root / rel
        text = file.read_bytes().decode("utf-8") if file.exists() else (
            f"schema: 1\n{kind}:\n")
        before, problems = reader(rel, text)
        if problems:
            raise BizcliError([*problems, Problem(
                code="book-invalid", message=f"{rel} has problems; nothing was imported",
                hint="fix them first ('biz check' lists them)")])
        suppliers: list[str] = []
        if kind == "items":
            suppliers = _supplier_codes(root)
        check_rows(read.rows, kind, path, known=[str(getattr(r, "code", "")) for r in before],
                   suppliers=suppliers)
        _check_entries(read.rows, kind, path, reader)
        bad = [p for row in read.rows for p in row.problems]
        if bad and not skip_bad:
            raise BizcliError(bad)
        good = [row for row in read.rows if not row.problems]
        lines = "".join(dump_yaml([row.entry]) for row in good)
        if good:
            new_text = _appended(text, [row.entry for row in good])
            after, problems = reader(rel, new_text)
            if problems or len(after) != len(before) + len(good):
                raise fail("unwritable-records", f"{rel} does not end with its {kind} list, "
                           "so the new entries cannot be appended safely",
                           hint=f"move '{kind}:' and its list to the end of the file, then "
                                "try again")
            if not dry_run:
                write_atomic(file, new_text)
    return RecordsImport(kind, rel, [str(row.code) for row in good], lines,
                         sorted_problems(bad))


def _supplier_codes(root: Path) -> list[str]:
    file = root / SUPPLIERS_FILE
    if not file.exists():
        return []
    suppliers, problems = read_parties(SUPPLIERS_FILE, file.read_bytes().decode("utf-8"),
                                       "suppliers")
    if problems:
        raise BizcliError([*problems, Problem(
            code="book-invalid", message=f"{SUPPLIERS_FILE} has problems; nothing was "
            "imported", hint="fix them first ('biz check' lists them)")])
    return [s.code for s in suppliers]


def _check_entries(rows: Sequence[RecordRow], kind: str, path: str, reader: Reader) -> None:
    """Read the good rows' entries as the file's reader would; its problems are the rows'.

    The entries are written one after the other into one document; a problem at a line
    of it belongs to the entry whose lines hold it.
    """
    good = [row for row in rows if not row.problems]
    if not good:
        return
    head = f"schema: 1\n{kind}:\n"
    starts, parts, line = [], [head], head.count("\n") + 1
    for row in good:
        text = dump_yaml([row.entry])
        starts.append(line)
        parts.append(text)
        line += text.count("\n")
    _, problems = reader(path, "".join(parts))
    for problem in problems:
        if problem.code.startswith("duplicate-"):
            continue  # a code twice in the CSV is the row's problem already
        where = problem.source.line if problem.source else 0
        row = good[max(bisect_right(starts, where) - 1, 0)]
        row.problems.append(Problem(code=problem.code, source=SourceRef(path, row.line),
                                    message=f"row {row.number}: {problem.message}",
                                    hint=problem.hint, excerpt=row.excerpt))


def _appended(text: str, entries: Sequence[dict[str, object]]) -> str:
    """The file's text with the entries added at the end of its list, in its layout."""
    found = _ENTRY.findall(text)
    indent = found[-1] if found else ""
    newline = match.group() if (match := re.search("\r\n|[\r\n]", text)) else "\n"
    lines = "".join(f"{indent}{line}\n" for entry in entries
                    for line in dump_yaml([entry]).splitlines())
    body = text if not text or text.endswith(("\n", "\r")) else text + newline
    return body + lines.replace("\n", newline)
