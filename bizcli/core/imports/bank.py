"""Bank statements: how a rules file says to read one, its rows, and each row's import hash.

A statement is a CSV file; its rules file (read in ``storage/bank_import.py``) names the
columns, the date and number formats, the bank account, and the rules that give each
row its counter-account. A row is marked, once posted, with a hash of what it says
(``import: HASH``), so the same row is never posted twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.imports.csv_text import LINE_END, csv_problem, csv_records, is_blank
from bizcli.core.ledger.transactions import Tag
from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef

ROLES = ("date", "description", "amount", "debit", "credit", "reference", "balance")
"""What a column of a statement can hold."""

DECIMAL_MARKS = (".", ",")
THOUSANDS_SEPARATORS = ("", ",", ".", " ", "'", "\u00a0", "\u202f")
"""Digit-group marks a statement may use (none, comma, point, space, apostrophe)."""
_SPACES = ("\u00a0", "\u202f")
HASH_LENGTH = 16
"""Hex digits of the import hash kept on an entry (64 bits)."""
TEMPLATE_FIELDS = ("text", "reference", "counterparty")
"""What a rule's description may name in braces, beside its pattern's named groups."""
_FIELD = re.compile(r"\{(\w+)\}")
_DIGITS = re.compile("[0-9]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberFormat:
    """How a statement writes numbers: its decimal mark and its thousands separator."""

    decimal_mark: str = "."
    thousands: str = ""

    def describe(self) -> str:
        """``decimal mark ',' and thousands separator '.'``, for messages."""
        group = f"thousands separator {self.thousands!r}" if self.thousands else (
            "no thousands separator")
        return f"decimal mark {self.decimal_mark!r} and {group}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnRef:
    """A column named in the rules file: by its header (``Amount``) or its number (1 = first)."""

    role: str
    header: str | None = None
    number: int | None = None
    source: SourceRef | None = None

    @property
    def shown(self) -> str:
        """How the column is called in messages."""
        return repr(self.header) if self.header is not None else f"column {self.number}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A row whose description the pattern finds goes to ``account``.

    ``direction`` limits the rule to money ``in`` or ``out``; ``counterparty`` is kept as a
    tag and, unless ``description`` is given, becomes the entry's description;
    ``description`` may name ``{text}``, ``{reference}``, ``{counterparty}`` and the
    pattern's named groups.
    """

    number: int
    pattern: re.Pattern[str]
    account: str
    counterparty: str | None = None
    description: str | None = None
    direction: str | None = None
    tags: tuple[Tag, ...] = ()
    source: SourceRef | None = None

    def matches(self, row: StatementRow) -> bool:
        """True when the rule applies to ``row``."""
        if self.direction == "in" and row.amount < 0:
            return False
        if self.direction == "out" and row.amount > 0:
            return False
        return self.pattern.search(row.text) is not None

    @property
    def label(self) -> str:
        """``#2 shell|chevron``: the rule's number and pattern, for the preview."""
        return f"#{self.number} {self.pattern.pattern}"


@dataclass(frozen=True, slots=True, kw_only=True)
class BankRules:
    """What a rules file says about one bank's statements."""

    path: str
    columns: tuple[ColumnRef, ...]
    rules: tuple[Rule, ...] = ()
    account: str | None = None
    account_source: SourceRef | None = None
    currency: str | None = None
    encoding: str = "utf-8"
    delimiter: str = ","
    skip_lines: int = 0
    header: bool = True
    date_format: str = "%Y-%m-%d"
    numbers: NumberFormat = NumberFormat()
    invert: bool = False
    default_account: str | None = None
    default_source: SourceRef | None = None

    def column(self, role: str) -> ColumnRef | None:
        """The column holding ``role``, if the rules name one."""
        return next((c for c in self.columns if c.role == role), None)


class StatementRow(NamedTuple):
    """One row of a statement: signed amount (money in is positive), with its line."""

    line: int
    date: dt.date
    text: str
    amount: Decimal
    reference: str = ""
    balance: Decimal | None = None


# --- rules checks ---------------------------------------------------------------------


def date_format_problem(fmt: str) -> str | None:
    """Why ``fmt`` cannot be a statement's date format, or None when it can."""
    probe = dt.date(2026, 11, 23)
    try:
        back = dt.datetime.strptime(probe.strftime(fmt), fmt).date()  # noqa: DTZ007 - a date
    except (ValueError, re.error):  # '%d%d': strptime's pattern names a group twice
        return f"{fmt!r} cannot read back the dates it writes"
    if back != probe:
        return f"{fmt!r} does not hold a day, a month and a year"
    return None


def template_problem(template: str, pattern: re.Pattern[str]) -> str | None:
    """Why a rule's description template names something unknown, or None."""
    known = {*TEMPLATE_FIELDS, *pattern.groupindex}
    unknown = sorted({name for name in _FIELD.findall(template) if name not in known})
    if not unknown:
        return None
    return (f"the description names {', '.join('{' + n + '}' for n in unknown)}, which is "
            f"neither one of {', '.join('{' + n + '}' for n in TEMPLATE_FIELDS)} nor a "
            "named group of the pattern")


# --- numbers and dates ------------------------------------------------------------------


def parse_amount(text: str, numbers: NumberFormat) -> Decimal | None:
    """A signed amount written with ``numbers``' marks; None when it is not one.

    A minus before or after the number and parentheses around it make it negative.
    Thousands separators must group the digits by three, so that ``12,50`` read with a
    decimal point and a comma separator is refused rather than taken for 1250.
    """
    value = text.strip()
    for space in _SPACES:
        value = value.replace(space, " ")
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    if value.endswith("-"):
        negative, value = not negative, value[:-1].strip()
    elif value.startswith(("+", "-")):
        negative, value = negative ^ (value[0] == "-"), value[1:].strip()
    mark, group = numbers.decimal_mark, numbers.thousands.replace("\u00a0", " ").replace(
        "\u202f", " ")
    whole, _, fraction = value.partition(mark)
    if mark in fraction or (mark in value and not fraction):
        return None
    if group and group in whole:
        parts = whole.split(group)
        if not (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
            return None
        whole = "".join(parts)
    if not _DIGITS.fullmatch(whole) or (fraction and not _DIGITS.fullmatch(fraction)):
        return None
    amount = Decimal(f"{whole}.{fraction}" if fraction else whole)
    return -amount if negative else amount


def parse_date(text: str, fmt: str) -> dt.date | None:
    """A date written in ``fmt`` (strptime's directives); None when it is not one."""
    try:
        return dt.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 - a date
    except ValueError:
        return None


# --- reading a statement ------------------------------------------------------------------


class _Reading:
    """The state of reading one statement: where things are, and the problems found."""

    def __init__(self, rules: BankRules, path: str, lines: Sequence[str]) -> None:
        self.rules = rules
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, line: int, code: str, message: str, hint: str) -> None:
        excerpt = (self.lines[line - 1].rstrip("\r"),) if 0 < line <= len(self.lines) else ()
        self.problems.append(Problem(code=code, message=message, hint=hint,
                                     source=SourceRef(self.path, line), excerpt=excerpt))


def read_statement(text: str, rules: BankRules, path: str
                   ) -> tuple[list[StatementRow], list[Problem]]:
    """The rows of a statement (CSV text already decoded), and every problem in it.

    The first ``skip_lines`` lines are skipped, then the header (unless ``header`` is
    false) and every non-blank row after it is read.
    """
    lines = LINE_END.split(text)
    reading = _Reading(rules, path, lines)
    skipped = min(rules.skip_lines, len(lines))
    starts = [0, *(end.end() for end in LINE_END.finditer(text))]
    body = text[starts[skipped]:] if skipped < len(starts) else ""
    records = csv_records(body, delimiter=rules.delimiter, first_line=skipped + 1)
    index: dict[str, int] | None = None
    if not rules.header:
        index = _numbered(rules, reading)
        if index is None:
            return [], reading.problems
    rows: list[StatementRow] = []
    for line, record in records:
        if not isinstance(record, list):
            reading.problems.append(csv_problem(path, line, record))
            continue
        if is_blank(record):
            continue
        if index is None:
            index = _resolve(rules, record, line, reading)
            if index is None:
                return [], reading.problems
            continue
        row = _row(record, line, index, reading)
        if row is not None:
            rows.append(row)
    if index is None and not reading.problems:
        reading.problem(skipped + 1, "bad-csv", "the statement has no header row",
                        f"check skip_lines in {rules.path} (now {rules.skip_lines}), or set "
                        "'header: false' and name the columns by number")
    return rows, reading.problems


def _numbered(rules: BankRules, reading: _Reading) -> dict[str, int] | None:
    """Column positions when the statement has no header: every column by number."""
    index = {}
    for column in rules.columns:
        if column.number is None:
            reading.problems.append(Problem(
                code="unknown-column", source=column.source,
                message=f"the {column.role} column is named {column.header!r}, but the rules "
                        "say the statement has no header",
                hint="name the column by its number (1 is the first), or set 'header: true'"))
        else:
            index[column.role] = column.number - 1
    return None if len(index) < len(rules.columns) else index


def _resolve(rules: BankRules, header: list[str], line: int,
             reading: _Reading) -> dict[str, int] | None:
    """Column positions from the header row; unknown names are problems of the rules file."""
    names = [" ".join(h.split()).casefold() for h in header]
    index = {}
    for column in rules.columns:
        if column.number is not None:
            if column.number > len(header):
                reading.problems.append(Problem(
                    code="unknown-column", source=column.source,
                    message=f"the {column.role} column is number {column.number}, but the "
                            f"header at {reading.path}:{line} has {len(header)} columns",
                    hint="count the columns again (1 is the first), or name it by its header"))
                continue
            index[column.role] = column.number - 1
            continue
        wanted = " ".join((column.header or "").split()).casefold()
        if wanted in names:
            index[column.role] = names.index(wanted)
            continue
        shown = ", ".join(repr(h.strip()) for h in header if h.strip())
        reading.problems.append(Problem(
            code="unknown-column", source=column.source,
            message=f"the statement has no column {column.header!r} (its header at "
                    f"{reading.path}:{line} has {shown})",
            hint="write the header's name as it is in the file, or check skip_lines"))
    return index if len(index) == len(rules.columns) else None


def _row(record: list[str], line: int, index: Mapping[str, int],
         reading: _Reading) -> StatementRow | None:
    """One statement row; None (with problems noted) when it cannot be read."""
    rules = reading.rules
    short = [role for role, at in index.items() if at >= len(record)]
    if short:
        column = rules.column(short[0])
        assert column is not None
        reading.problem(line, "bad-csv", f"this row has {len(record)} fields, so it has no "
                        f"{short[0]} ({column.shown} is field {index[short[0]] + 1})",
                        "give every row the header's fields, or remove the row")
        return None
    cell = {role: record[at].strip() for role, at in index.items()}
    found = len(reading.problems)
    date = parse_date(cell["date"], rules.date_format)
    if date is None:
        reading.problem(line, "bad-date", f"{cell['date']!r} is not a date written "
                        f"{rules.date_format}",
                        f"check date_format in {rules.path}, or the date on this row")
    amount = _amount(cell, line, reading)
    balance = None
    if cell.get("balance"):
        balance = parse_amount(cell["balance"], rules.numbers)
        if balance is None:
            reading.problem(line, "bad-amount", f"the balance {cell['balance']!r} is not a "
                            f"number with {rules.numbers.describe()}",
                            f"check decimal_mark and thousands_separator in {rules.path}")
    if len(reading.problems) > found or date is None or amount is None:
        return None
    if rules.invert:
        amount = -amount
    return StatementRow(line, date, " ".join(cell["description"].split()), amount,
                        cell.get("reference", ""), balance)


def _amount(cell: Mapping[str, str], line: int, reading: _Reading) -> Decimal | None:
    """The signed amount: the amount column, or credit (money in) less debit (money out)."""
    rules = reading.rules
    hint = f"check decimal_mark and thousands_separator in {rules.path}, or the row"
    if "amount" in cell:
        if not cell["amount"]:
            reading.problem(line, "bad-amount", "the amount is empty",
                            "give the row its amount, or remove the row")
            return None
        amount = parse_amount(cell["amount"], rules.numbers)
        if amount is None:
            reading.problem(line, "bad-amount", f"{cell['amount']!r} is not a number with "
                            f"{rules.numbers.describe()}", hint)
        return amount
    parts: dict[str, Decimal] = {}
    for role in ("debit", "credit"):
        text = cell[role]
        if not text:
            continue
        value = parse_amount(text, rules.numbers)
        if value is None:
            reading.problem(line, "bad-amount", f"the {role} {text!r} is not a number with "
                            f"{rules.numbers.describe()}", hint)
            return None
        if value:
            parts[role] = abs(value)
    if len(parts) == 2:
        reading.problem(line, "bad-amount", f"both the debit ({cell['debit']}) and the credit "
                        f"({cell['credit']}) hold an amount",
                        "a row is money in or money out: leave one of them empty")
        return None
    if not parts and not cell["debit"] and not cell["credit"]:
        reading.problem(line, "bad-amount", "neither the debit nor the credit holds an amount",
                        "give the row its amount, or remove it")
        return None
    return parts.get("credit", Decimal(0)) - parts.get("debit", Decimal(0))


# --- the import hash ----------------------------------------------------------------------


def _text_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _amount_key(amount: Decimal) -> str:
    return format(amount.normalize(), "f") if amount else "0"


def row_hashes(rows: Iterable[StatementRow], account: str, currency: str) -> list[str]:
    """Each row's import hash, in the rows' order.

    The hash covers the bank account, the currency, the date, the amount, the
    description and the reference, normalised (case, spacing, trailing zeros), and an
    occurrence counter: the second of two identical rows (same day, amount and text)
    gets its own hash. It does not depend on the file's name or the order of its rows,
    so an overlapping statement gives its rows the same hashes.
    """
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for row in rows:
        key = (account, currency, row.date.isoformat(), _amount_key(row.amount),
               _text_key(row.text), _text_key(row.reference))
        seen[key] = seen.get(key, 0) + 1
        data = "\x1f".join((*key, str(seen[key]))).encode("utf-8")
        out.append(hashlib.sha256(data).hexdigest()[:HASH_LENGTH])
    return out


# --- rules applied ---------------------------------------------------------------------


def first_rule(row: StatementRow, rules: Sequence[Rule]) -> Rule | None:
    """The first rule that applies to the row."""
    return next((rule for rule in rules if rule.matches(row)), None)


def journal_text(text: str) -> str:
    """Text as a journal description or tag value: one line, no ';', no leading mark.

    A ';' would start a comment, a leading '*' or '!' would read as a status mark and a
    leading '(...)' as a code: they become ',', nothing and '[...]'.
    """
    text = " ".join(text.replace(";", ",").split()).lstrip("*! ")
    if text.startswith("(") and ")" in text:
        text = "[" + text[1:].replace(")", "]", 1)
    return text


def journal_code(reference: str) -> str:
    """A reference as an entry's ``(code)``: one line, without parentheses or ';'."""
    return " ".join(re.sub(r"[();]", " ", reference).split())


def describe(row: StatementRow, rule: Rule | None) -> str:
    """The entry's description: the rule's template or counterparty, else the row's text."""
    if rule is not None and rule.description is not None:
        match = rule.pattern.search(row.text)
        values = {"text": row.text, "reference": row.reference,
                  "counterparty": rule.counterparty or ""}
        if match is not None:
            values.update({k: v or "" for k, v in match.groupdict().items()})
        text = _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), rule.description)
    elif rule is not None and rule.counterparty:
        text = rule.counterparty
    else:
        text = row.text
    return journal_text(text)
