"""Add entries to the journal: one file per fiscal year, kept date-sorted, written atomically."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from bizcli.core.ledger.transactions import Transaction
from bizcli.core.periods import fiscal_year_of
from bizcli.storage.atomic import write_atomic
from bizcli.storage.journal_reader import entry_spans
from bizcli.storage.journal_writer import insert_entries, write_transaction
from bizcli.storage.loader import JOURNAL_DIR

_LAST_DATE = re.compile(r"\n(\d{4}[-/]\d{1,2}[-/]\d{1,2})")
"""A line starting with a date (searched in "\n" + text: a literal first character lets
the regex engine skip ahead, several times faster than ``^`` with MULTILINE)."""


def journal_file_for(txn: Transaction, fiscal_year_start: tuple[int, int]) -> str:
    """``journal/2026.journal``: the file of the fiscal year the entry falls in."""
    return f"{JOURNAL_DIR}/{fiscal_year_of(txn.date, fiscal_year_start)}.journal"


class Placed(NamedTuple):
    """Where a write put its text.

    The file, its new content, whether the text went at the very end (the old content
    is a prefix of the new one), and the line the new text starts on.
    """

    rel: str
    text: str
    appended: bool
    line: int


def add_transaction(root: Path, txn: Transaction, precisions: Mapping[str, int],
                    fiscal_year_start: tuple[int, int]) -> Placed:
    """Write ``txn`` into its year file at its date's place; returns where.

    The caller holds the book lock. Appending is the common case and needs no parse;
    a back-dated entry goes right after the last entry dated on or before it.
    """
    rel = journal_file_for(txn, fiscal_year_start)
    path = root / rel
    entry = write_transaction(txn, precisions)
    old = text = path.read_text(encoding="utf-8") if path.exists() else ""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    last = _last_date(text)
    if last is None or last <= (txn.date.year, txn.date.month, txn.date.day):
        body = text if not text or text.endswith("\n") else text + "\n"
        new_text = body + ("\n" if body.strip() else "") + entry
    else:
        new_text = insert_entries(text, entry_spans(text), [(txn.date, entry)])
    write_atomic(path, new_text)
    appended = new_text.startswith(old)
    return Placed(rel, new_text, appended, text.count("\n") + 1)


def add_transactions(root: Path, txns: Sequence[Transaction], precisions: Mapping[str, int],
                     fiscal_year_start: tuple[int, int]) -> list[tuple[str, bool]]:
    """Write several entries, each year file read and replaced once.

    Entries dated before the file's last entry go in at their dates' places, found from
    one scan of the file's date lines; the others are appended in date order. Returns
    each file written, and whether its entries were all appended.
    """
    by_file: dict[str, list[tuple[int, Transaction]]] = {}
    for index, txn in enumerate(txns):
        by_file.setdefault(journal_file_for(txn, fiscal_year_start), []).append((index, txn))
    written: list[tuple[str, bool]] = []
    for rel, entries in sorted(by_file.items()):
        path = root / rel
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        text = text.replace("\r\n", "\n")
        ordered = sorted(entries, key=lambda e: (e[1].date, e[0]))
        last = _last_date(text)
        inside = [txn for _, txn in ordered
                  if last is not None and (txn.date.year, txn.date.month, txn.date.day) < last]
        text = insert_entries(text, entry_spans(text) if inside else [],
                              [(txn.date, write_transaction(txn, precisions)) for txn in inside])
        for _, late in ordered[len(inside):]:
            body = text if not text or text.endswith("\n") else text + "\n"
            text = body + ("\n" if body.strip() else "") + write_transaction(late, precisions)
        write_atomic(path, text)
        written.append((rel, not inside))
    return written


def _last_date(text: str) -> tuple[int, int, int] | None:
    """The latest date line in the file (a hand-edited file may be out of order)."""
    days = set(_LAST_DATE.findall("\n" + text))  # a few hundred distinct days at most
    return max(((int(y), int(m), int(d)) for y, m, d in (re.split("[-/]", day) for day in days)),
               default=None)
