"""Customers, suppliers and items from a CSV whose header names the fields of their file.

The columns are the keys of ``customers.yaml``, ``suppliers.yaml`` or ``items.yaml``; for
customers and suppliers ``contact``, ``email``, ``phone`` and ``role`` give the first
contact, ``tags`` is a ';'-separated list and ``fields.NAME`` a custom field. A row that
repeats a customer's or supplier's code and adds only a contact is that party's next
contact. Each row becomes an entry of the file (a mapping, keys in the file's order) or
the problems that forbid it, each naming its row and column.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.imports.csv_text import LINE_END, csv_problem, csv_records, is_blank
from bizcli.core.problems import Problem
from bizcli.core.production.lots import LotRule
from bizcli.core.source import SourceRef
from bizcli.core.stock.items import ItemKind
from bizcli.core.stock.valuation import Method
from bizcli.core.text import WHOLE_DIGITS

CONTACT_COLUMNS = ("contact", "email", "phone", "role")
FIELD_PREFIX = "fields."
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INTEGER = re.compile(rf"\+?\d{{1,{WHOLE_DIGITS}}}")
_CURRENCY = re.compile(r"[A-Z]{3}")


class Kind(str, enum.Enum):
    """What a column holds, and so how its text is checked and written."""

    TEXT = "text"
    CODE = "code"
    INTEGER = "integer"
    DECIMAL = "decimal"
    FRACTION = "fraction"
    CHOICE = "choice"
    TAGS = "tags"
    CURRENCY = "currency"
    SUPPLIER = "supplier"


class Column(NamedTuple):
    """A field of the file as a CSV column."""

    key: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()


_PARTY = (Column("code", Kind.CODE, required=True), Column("name", required=True),
          Column("address"), Column("payment_terms_days", Kind.INTEGER),
          Column("credit_limit", Kind.DECIMAL), Column("lead_time_days", Kind.INTEGER),
          Column("currency", Kind.CURRENCY), Column("tags", Kind.TAGS), Column("notes"))
_ITEM = (Column("code", Kind.CODE, required=True), Column("name", required=True),
         Column("unit", required=True),
         Column("kind", Kind.CHOICE, choices=tuple(k.value for k in ItemKind)),
         Column("valuation", Kind.CHOICE, choices=tuple(m.value for m in Method)),
         Column("cost", Kind.DECIMAL), Column("sale_price", Kind.DECIMAL),
         Column("reorder_point", Kind.DECIMAL), Column("reorder_quantity", Kind.DECIMAL),
         Column("safety_stock", Kind.DECIMAL), Column("lead_time_days", Kind.INTEGER),
         Column("supplier", Kind.SUPPLIER), Column("tax_rate", Kind.FRACTION),
         Column("lot_size", Kind.CHOICE, choices=tuple(r.value for r in LotRule)),
         Column("lot_quantity", Kind.DECIMAL), Column("lot_periods", Kind.INTEGER),
         Column("lot_min", Kind.DECIMAL), Column("lot_max", Kind.DECIMAL),
         Column("lot_multiple", Kind.DECIMAL), Column("notes"))


def columns_of(kind: str) -> tuple[Column, ...]:
    """The columns of ``kind`` (customers, suppliers, items), in the file's key order."""
    return _ITEM if kind == "items" else _PARTY


def known_columns(kind: str) -> list[str]:
    """Every column name ``kind`` takes (``fields.NAME`` aside)."""
    names = [c.key for c in columns_of(kind)]
    return names if kind == "items" else [*names[:2], *CONTACT_COLUMNS, *names[2:]]


@dataclass(slots=True, kw_only=True)
class RecordRow:
    """One entry to add: its first row's line and number, its code, the entry itself."""

    line: int
    number: int
    code: str | None
    entry: dict[str, object]
    values: dict[str, str] = field(default_factory=dict)
    """The row's non-empty cells by column, to tell a contact row from a duplicate."""
    problems: list[Problem] = field(default_factory=list)
    excerpt: tuple[str, ...] = ()

    def problem(self, source: SourceRef, code: str, message: str, hint: str) -> None:
        """Note a problem of this row."""
        self.problems.append(Problem(code=code, source=source, message=message, hint=hint,
                                     excerpt=self.excerpt))


class RecordsCsv(NamedTuple):
    """A records CSV read: its rows (each with its own problems) and the file's problems.

    The file's problems (its header, a malformed row) stop the import whatever rows
    are good; a row's own problems only that row's entry.
    """

    rows: list[RecordRow]
    problems: list[Problem]


def _normal(name: str) -> str:
    """A header cell as a key: ``Payment terms days`` -> ``payment_terms_days``."""
    name = name.strip()
    if name.casefold().startswith(FIELD_PREFIX):
        return FIELD_PREFIX + name[len(FIELD_PREFIX):].strip()
    return re.sub(r"[\s-]+", "_", name.casefold())


def read_records(text: str, path: str, kind: str) -> RecordsCsv:
    """Read a records CSV of ``kind`` (text already decoded) into entries to add."""
    lines = LINE_END.split(text)
    problems: list[Problem] = []
    header: list[str] | None = None
    rows: list[RecordRow] = []
    by_code: dict[str, RecordRow] = {}
    number = 0
    for line, record in csv_records(text, unescape=True):
        if not isinstance(record, list):
            problems.append(csv_problem(path, line, record))
        elif is_blank(record):
            continue
        elif header is None:
            header = [_normal(h) for h in record]
            found = _header_problems(header, kind, SourceRef(path, line))
            if found:
                return RecordsCsv([], [*problems, *found])
        else:
            number += 1
            excerpt = (lines[line - 1].rstrip("\r"),) if line <= len(lines) else ()
            cells = {h: v.strip() for h, v in zip(header, record, strict=False) if v.strip()}
            row = RecordRow(line=line, number=number, code=cells.get("code"),
                            entry={}, values=cells, excerpt=excerpt)
            if _read_row(row, record[len(header):], kind, by_code, SourceRef(path, line)):
                rows.append(row)
    if header is None:
        problems.append(Problem(code="missing-key", source=SourceRef(path, 1),
                                message="the file has no header row",
                                hint="start it with a header such as: "
                                     + ",".join(known_columns(kind)[:5])))
    return RecordsCsv(rows, problems)


def _read_row(row: RecordRow, extra: list[str], kind: str, by_code: dict[str, RecordRow],
              source: SourceRef) -> bool:
    """Fill a row's entry; False when it was a contact row added to an earlier entry."""
    earlier = by_code.get(row.code or "")
    if any(value.strip() for value in extra):
        row.problem(source, "bad-csv", f"row {row.number} has more fields than the header",
                    "put a field that holds a comma in double quotes")
    elif "" in row.values:
        row.problem(source, "bad-csv", f"row {row.number} has a value under a column with "
                    "no name", "name the column in the header, or leave it empty")
    elif earlier is not None and kind != "items" and _adds_a_contact(earlier, row):
        _fill_contact(row, earlier, source)
        if not row.problems:
            return False
    else:
        _fill(row, kind, source)
    if earlier is not None and not row.problems:
        row.problem(source, f"duplicate-{kind[:-1]}",
                    f"row {row.number}, code: {row.code!r} is already on line "
                    f"{earlier.line} of this file",
                    "keep one row per code (a row with the same code and only contact "
                    "columns adds a contact)")
    elif row.code is not None and earlier is None:
        by_code[row.code] = row
    return True


def _header_problems(header: list[str], kind: str, source: SourceRef) -> list[Problem]:
    known = known_columns(kind)
    problems = []
    for at, name in enumerate(header):
        if not name:
            continue
        if name in header[:at]:
            problems.append(Problem(code="bad-csv", source=source,
                                    message=f"the column {name!r} appears twice in the header",
                                    hint="keep one column per field"))
        elif name.startswith(FIELD_PREFIX) and kind != "items":
            if not name[len(FIELD_PREFIX):]:
                problems.append(Problem(code="unknown-column", source=source,
                                        message="a column 'fields.' names no custom field",
                                        hint="write the field's name after the dot, e.g. "
                                             "fields.vat_number"))
        elif name not in known:
            extra = "" if kind == "items" else ", or fields.NAME for a custom field"
            problems.append(Problem(code="unknown-column", source=source,
                                    message=f"the column {name!r} is not a field of {kind}",
                                    hint=f"use the keys of {kind}.yaml: {', '.join(known)}"
                                         f"{extra}"))
    problems += [Problem(code="missing-key", source=source,
                         message=f"the header has no {c.key!r} column, which every one of "
                                 f"the {kind} needs", hint=f"add a {c.key!r} column")
                 for c in columns_of(kind) if c.required and c.key not in header]
    return problems


def _fill(row: RecordRow, kind: str, source: SourceRef) -> None:
    """Make the row's entry, in the file's key order, noting the problems of its cells."""
    cells, entry = row.values, row.entry

    def problem(code: str, column: str, message: str, hint: str) -> None:
        row.problem(source, code, f"row {row.number}, {column}: {message}", hint)

    for column in columns_of(kind):
        value = cells.get(column.key)
        if value is None:
            if column.required:
                problem("missing-key", column.key, "is empty, and every one of the "
                        f"{kind} needs it", f"give the row its {column.key}")
            continue
        checked = _value(column, value, problem)
        if checked is not None:
            entry[column.key] = checked
        if column.key == "name" and kind != "items":
            person = _contact(cells, value, problem)
            if person:
                entry["contacts"] = [person]
    custom = {k[len(FIELD_PREFIX):]: v for k, v in cells.items() if k.startswith(FIELD_PREFIX)}
    if custom:
        entry["fields"] = custom
    if "notes" in entry:
        entry["notes"] = entry.pop("notes")


Report = Callable[[str, str, str, str], None]
"""Notes a problem of a cell: (code, column, message, hint)."""


def _contact(cells: Mapping[str, str], name: str, problem: Report) -> dict[str, str] | None:
    """The row's contact (named after the record when only an email or phone is given)."""
    email = cells.get("email")
    if email is not None and not _EMAIL.fullmatch(email):
        problem("bad-value", "email", f"{email!r} is not an email address",
                "write it as name@example.com (one @, no spaces), or leave it empty")
    if not any(cells.get(c) for c in CONTACT_COLUMNS):
        return None
    person = {"name": cells.get("contact") or name, "email": email,
              "phone": cells.get("phone"), "role": cells.get("role")}
    return {k: v for k, v in person.items() if v}


def _value(column: Column, value: str, problem: Report) -> object:
    """A cell's value as the file holds it (an int, a decimal's text...), or None."""
    key, kind = column.key, column.kind
    if kind is Kind.CODE and not _CODE.fullmatch(value):
        problem("bad-code", key, f"{value!r} is not a code",
                "codes are letters, digits and . _ / -, starting with a letter or digit")
        return None
    if kind is Kind.INTEGER:
        if not _INTEGER.fullmatch(value):
            problem("bad-number", key, f"{value!r} is not a whole number",
                    f"write digits only (at most {WHOLE_DIGITS}), e.g. 30")
            return None
        return int(value)
    if kind in {Kind.DECIMAL, Kind.FRACTION}:
        if not _DECIMAL.fullmatch(value) or Decimal(value) < 0:
            problem("bad-number", key, f"{value!r} is not a number like 12.50",
                    "use '.' for decimals, and no thousands separators or sign")
            return None
        if kind is Kind.FRACTION and Decimal(value) >= 1:
            problem("bad-number", key, f"{value!r} is not a fraction: 0.10 is 10%",
                    "write the rate as a fraction, e.g. 0.10")
            return None
        return value.removeprefix("+")
    if kind is Kind.CHOICE and value not in column.choices:
        code = {"kind": "bad-item-kind", "valuation": "bad-valuation"}.get(key, "bad-lot-size")
        problem(code, key, f"{value!r} is not one of {', '.join(column.choices)}",
                "use one of: " + ", ".join(column.choices))
        return None
    if kind is Kind.CURRENCY and not _CURRENCY.fullmatch(value):
        problem("bad-value", key, f"{value!r} is not a currency code",
                "write the three capital letters of its ISO code, e.g. EUR")
        return None
    if kind is Kind.TAGS:
        return [t for part in value.split(";") if (t := part.strip())]
    return value


def _adds_a_contact(first: RecordRow, row: RecordRow) -> bool:
    """True when ``row`` repeats (or leaves empty) ``first``'s values and brings a contact."""
    own = {k: v for k, v in row.values.items() if k not in CONTACT_COLUMNS}
    brings = any(row.values.get(c) for c in CONTACT_COLUMNS)
    return brings and all(first.values.get(k) == v for k, v in own.items())


def _fill_contact(row: RecordRow, first: RecordRow, source: SourceRef) -> None:
    """Add the contact of ``row`` (a contact row) to ``first``'s entry, or note its problem."""
    def problem(code: str, column: str, message: str, hint: str) -> None:
        row.problem(source, code, f"row {row.number}, {column}: {message}", hint)

    person = _contact(row.values, str(first.entry.get("name", first.code)), problem)
    if row.problems or person is None:
        return
    old = first.entry.get("contacts")
    contacts = [*(old if isinstance(old, list) else []), person]
    kept = {k: v for k, v in first.entry.items() if k != "contacts"}
    first.entry.clear()
    for key, value in kept.items():
        first.entry[key] = value
        if key == "name":
            first.entry["contacts"] = contacts


def check_rows(rows: Iterable[RecordRow], kind: str, path: str, *, known: Iterable[str],
               suppliers: Iterable[str]) -> None:
    """Note each row's problems with the book.

    A code the file already has (``known`` are its codes), a supplier the book lacks.
    """
    known_codes, supplier_codes = set(known), set(suppliers)
    for row in rows:
        source = SourceRef(path, row.line)
        if row.code is not None and row.code in known_codes:
            row.problem(source, f"duplicate-{kind[:-1]}",
                        f"row {row.number}, code: {row.code!r} is already in {kind}.yaml",
                        f"leave the row out, or change the record with 'biz {kind[:-1]} "
                        f"edit {row.code}'")
        supplier = row.entry.get("supplier")
        if isinstance(supplier, str) and supplier not in supplier_codes:
            row.problem(source, "unknown-supplier",
                        f"row {row.number}, supplier: {supplier!r} is not in suppliers.yaml",
                        "add the supplier first (biz import suppliers, biz supplier add), "
                        "or fix the code")
