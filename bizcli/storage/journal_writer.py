"""Write transactions in the canonical journal form hledger and ledger both read.

Every amount explicit at its commodity's precision, four-space indent, at least two
spaces before an amount, comments and ``key: value`` tags on their own lines, no tabs.
``read_journal(write_transaction(t))`` gives ``t`` back (with provenance ignored).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence

from bizcli.core.ledger.transactions import Posting, Transaction
from bizcli.core.money import Amount, default_precision, format_amount
from bizcli.core.text import display_width, pad_left, pad_right
from bizcli.storage.journal_reader import EntrySpan

INDENT = "    "
ACCOUNT_WIDTH = 38
AMOUNT_WIDTH = 14


def _amount_text(amount: Amount, precisions: Mapping[str, int]) -> str:
    places = precisions.get(amount.commodity, default_precision(amount.commodity))
    return format_amount(amount.quantity, amount.commodity, places)


def _cost_text(amount: Amount) -> str:
    """A price as written: its own decimals (a rate like 1.0867 keeps all four)."""
    return format_amount(amount.quantity, amount.commodity, 0)


def _posting_lines(posting: Posting, width: int, precisions: Mapping[str, int]) -> list[str]:
    mark = f"{posting.status.value} " if posting.status.value else ""
    text = INDENT + mark + posting.account
    if posting.amount is not None:
        amount = _amount_text(posting.amount, precisions)
        text = pad_right(text, width) + "  " + pad_left(amount, AMOUNT_WIDTH)
        if posting.cost is not None:
            at = "@@" if posting.cost.is_total else "@"
            text += f" {at} {_cost_text(posting.cost.amount)}"
        if posting.assertion is not None:
            text += f" = {_amount_text(posting.assertion, precisions)}"
    notes = _comment_lines(posting.comment, posting.tags)
    lines = [text + (f"  ; {notes[0]}" if notes else "")]
    lines.extend(f"{INDENT}    ; {note}" for note in notes[1:])
    return lines


def _comment_lines(comment: str, tags: Iterable[tuple[str, str]]) -> list[str]:
    lines = [line for line in comment.split("\n") if line] if comment else []
    lines.extend(f"{key}: {value}".rstrip() for key, value in tags)
    return lines


def write_transaction(txn: Transaction, precisions: Mapping[str, int]) -> str:
    """One transaction as text, ending with a newline (no blank line)."""
    header = txn.date.isoformat()
    if txn.status.value:
        header += f" {txn.status.value}"
    if txn.code:
        header += f" ({txn.code})"
    if txn.description:
        header += f" {txn.description}"
    lines = [header]
    lines.extend(f"{INDENT}; {note}" for note in _comment_lines(txn.comment, txn.tags))
    longest = max((display_width(INDENT + p.account) + (2 if p.status.value else 0)
                   for p in txn.postings), default=0)
    width = max(ACCOUNT_WIDTH, longest)
    for posting in txn.postings:
        lines.extend(_posting_lines(posting, width, precisions))
    return "\n".join(lines) + "\n"


def write_journal(transactions: Iterable[Transaction], precisions: Mapping[str, int],
                  header: str = "") -> str:
    """A whole journal file: optional header comment, then date-sorted transactions."""
    ordered = sorted(transactions, key=lambda t: t.date)
    parts = [header] if header else []
    parts.extend(write_transaction(t, precisions) for t in ordered)
    return "\n".join(parts)


def insert_entries(text: str, spans: Sequence[EntrySpan],
                   entries: Sequence[tuple[dt.date, str]]) -> str:
    """Insert entries into a journal file's text so that the file stays date-sorted.

    ``spans`` are the file's entries (``entry_spans``), ``entries`` the new ones as
    (date, text) in the order they should end up in when they share a place. Each goes
    right after the entry that precedes the first one dated after it (so a month's
    heading comment stays above that month); when that first later entry opens the file,
    it goes above it and the comment lines directly above it; when no entry is later,
    at the end. The text is cut once, whatever the number of entries.
    """
    if not entries:
        return text
    lines = text.split("\n")
    highest: list[tuple[int, int, int]] = []
    for span in spans:
        highest.append(max(highest[-1], span.date) if highest else span.date)
    places = [(_place(lines, spans, highest, date), order, entry)
              for order, (date, entry) in enumerate(entries)]
    out: list[str] = []
    start = 0
    for at, group in itertools.groupby(sorted(places), key=lambda place: place[0]):
        between = "\n".join(lines[start:at])
        if out:
            out.append("\n")
            between = between.strip("\n")
        else:
            between = between.rstrip("\n")
        if between:
            out.append(between + "\n\n")
        out.append("\n".join(entry for _, _, entry in group))
        start = at
    tail = "\n".join(lines[start:]).lstrip("\n")
    if tail:
        out.append("\n" + tail)
    return "".join(out)


def _place(lines: Sequence[str], spans: Sequence[EntrySpan],
           highest: Sequence[tuple[int, int, int]], date: dt.date) -> int:
    """How many of the file's lines go above an entry dated ``date``."""
    first_later = bisect.bisect_right(highest, (date.year, date.month, date.day))
    if first_later == len(spans):
        return len(lines)
    if first_later > 0:
        return spans[first_later - 1].end_line
    at = spans[0].line - 1
    while at > 0 and lines[at - 1].startswith((";", "#")):
        at -= 1
    return at
