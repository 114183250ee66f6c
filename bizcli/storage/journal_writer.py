"""Write transactions in the canonical journal form hledger and ledger both read.

Every amount explicit at its commodity's precision, four-space indent, at least two
spaces before an amount, comments and ``key: value`` tags on their own lines, no tabs.
``read_journal(write_transaction(t))`` gives ``t`` back (with provenance ignored).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from bizcli.core.ledger.transactions import Posting, Transaction
from bizcli.core.money import Amount, default_precision, format_amount
from bizcli.core.text import display_width, pad_left, pad_right

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


def insert_transaction(text: str, transactions: Iterable[Transaction], entry: str,
                       date: dt.date) -> str:
    """Insert ``entry`` into a journal file's text so that the file stays date-sorted.

    It goes right after the last entry dated on or before ``date`` (so a month's heading
    comment stays above that month), or, when every entry is later, before the first
    entry and the comment lines directly above it.
    """
    dated = [t for t in transactions if t.source is not None]
    later = [t.source.line for t in dated if t.date > date and t.source]
    if not later:
        body = text if not text or text.endswith("\n") else text + "\n"
        separator = "\n" if body.strip() and not body.endswith("\n\n") else ""
        return body + separator + entry
    lines = text.split("\n")
    first_later = min(later)
    before_it = [t.source.end_line for t in dated
                 if t.source and t.date <= date and t.source.line < first_later]
    if before_it:
        at = max(before_it)
    else:
        at = first_later - 1
        while at > 0 and lines[at - 1].startswith((";", "#")):
            at -= 1
    head = "\n".join(lines[:at]).rstrip("\n")
    tail = "\n".join(lines[at:]).lstrip("\n")
    return (head + "\n\n" if head else "") + entry + "\n" + tail
