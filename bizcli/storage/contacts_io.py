"""Customers' and suppliers' contacts as CSV and vCard, out to other tools and back in.

Text in, text out: the caller reads and writes the files. Imports accept what address
books and spreadsheets export, and return ``Party`` values plus file:line problems.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from bizcli.core.codes import slug
from bizcli.core.imports.csv_text import csv_records
from bizcli.core.parties import Contact, Party
from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef
from bizcli.core.text import spreadsheet_safe
from bizcli.storage.records_store import CODE

CSV_COLUMNS = ("code", "name", "contact", "email", "phone", "role", "address", "tags")
"""The header ``parties_to_csv`` writes, in order."""

CSV_ALIASES: dict[str, tuple[tuple[str, ...], ...]] = {
    "code": (("code", "customer code", "supplier code", "party code", "account code"),),
    "name": (("name", "company", "company name", "organization", "organisation",
              "organization name", "organisation name", "organization 1 - name",
              "business name"),),
    "contact": (("contact", "contact name", "contact person", "full name", "display name"),),
    "given": (("first name", "given name"),),
    "middle": (("middle name", "additional name"),),
    "family": (("last name", "family name", "surname"),),
    "email": (("email", "e-mail", "email address", "e-mail address", "mail",
               "e-mail 1 - value", "email 1 - value", "work email", "business email",
               "e-mail 2 address", "e-mail 3 address"),),
    "phone": (("phone", "phone number", "telephone", "tel", "mobile", "mobile phone",
               "business phone", "work phone", "primary phone", "phone 1 - value",
               "company main phone", "home phone"),),
    # Outlook's "Title" is Mr./Ms.: it names the role only where no job title column is.
    "role": (("role", "job title", "organization title", "organisation title",
              "organization 1 - title", "position"), ("title",)),
    "address": (("address", "street address", "postal address", "mailing address",
                 "business address", "address 1 - formatted"),),
    "street": (("street", "business street", "address 1 - street", "home street"),),
    "city": (("city", "town", "business city", "address 1 - city", "home city"),),
    "region": (("state", "region", "province", "business state", "address 1 - region",
                "home state"),),
    "postal": (("postal code", "postcode", "zip", "zip code", "business postal code",
                "address 1 - postal code", "home postal code"),),
    "country": (("country", "country/region", "business country/region",
                 "address 1 - country", "home country/region"),),
    "tags": (("tags", "tag", "categories", "labels", "groups"),),
}
"""Header names (lower case, spaces collapsed) read as each field, in tiers: the first
tier with a column in the file is used, and in it the first non-empty value of a row."""

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CODE_HINT = "codes are letters, digits and . _ / -, starting with a letter or digit"
_VERSIONS = frozenset({"2.1", "3.0", "4.0"})


class _Person(NamedTuple):
    name: str | None
    email: str | None
    phone: str | None
    role: str | None


class _Entry(NamedTuple):
    """One CSV row or vCard card, before rows of the same code are merged."""

    code: str | None
    name: str | None
    address: str | None
    tags: tuple[str, ...]
    person: _Person


@dataclass
class _Draft:
    code: str
    name: str | None
    address: str | None
    tags: tuple[str, ...]
    line: int
    contacts: list[Contact] = field(default_factory=list)


@dataclass
class _Gathered:
    """Rows or cards merged into parties by code, in order of first appearance."""

    path: str
    what: str
    code_hint: str
    drafts: dict[str, _Draft] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, code: str, message: str, hint: str) -> None:
        """Note a problem at ``line`` of the file."""
        self.problems.append(Problem(code=code, message=message, hint=hint,
                                     source=SourceRef(self.path, line)))

    def add(self, line: int, entry: _Entry) -> None:
        """Merge one entry into the party of its code."""
        code = self._code(line, entry)
        if code is None:
            return
        draft = self.drafts.get(code)
        if draft is None:
            draft = self.drafts[code] = _Draft(code, entry.name, entry.address, entry.tags,
                                               line)
        else:
            if entry.name and draft.name and entry.name != draft.name:
                self.problem(line, "bad-value",
                             f"code {code!r} is named {draft.name!r} at line {draft.line} "
                             f"but {entry.name!r} here",
                             f"use one name per code, or give this {self.what} its own code")
            draft.name = draft.name or entry.name
            draft.address = draft.address or entry.address
            draft.tags = draft.tags or entry.tags
        person = entry.person
        if any(person):
            draft.contacts.append(Contact(name=person.name or draft.name or code,
                                          email=person.email, phone=person.phone,
                                          role=person.role))

    def _code(self, line: int, entry: _Entry) -> str | None:
        if entry.code is not None:
            if CODE.fullmatch(entry.code):
                return entry.code
            self.problem(line, "bad-value", f"{entry.code!r} is not a code", _CODE_HINT)
            return None
        if entry.name is None:
            self.problem(line, "missing-key", f"this {self.what} has neither a name nor a code",
                         f"give the {self.what} a company name or a code")
            return None
        code = slug(entry.name)
        if not code:
            self.problem(line, "missing-key", f"no code can be made from the name "
                         f"{entry.name!r} (no ASCII letters or digits)", self.code_hint)
        return code or None

    def parties(self) -> tuple[list[Party], list[Problem]]:
        """The merged parties and every problem, in reading order."""
        found = []
        for draft in self.drafts.values():
            if draft.name is None:
                self.problem(draft.line, "missing-key", f"{draft.code!r} has no name",
                             f"give the first {self.what} of {draft.code!r} a company name")
                continue
            found.append(Party(code=draft.code, name=draft.name,
                               contacts=tuple(draft.contacts), address=draft.address,
                               tags=draft.tags, source=SourceRef(self.path, draft.line)))
        return found, sorted(self.problems, key=Problem.sort_key)


def _checked_email(email: str | None, line: int, gathered: _Gathered) -> str | None:
    """The email, or None with a ``bad-value`` problem when it does not look like one."""
    if email is None or _EMAIL.fullmatch(email):
        return email
    gathered.problem(line, "bad-value", f"{email!r} is not an email address",
                     "write it as name@example.com (one @, no spaces), or leave it empty")
    return None


def _address(street: str | None, city: str | None, region: str | None,
             postal: str | None, country: str | None) -> str | None:
    """An address from its parts, written ``street, city, region postal, country``."""
    area = " ".join(p for p in (region, postal) if p) or None
    return ", ".join(p for p in (street, city, area, country) if p) or None


def _clean(value: str) -> str | None:
    value = value.strip()
    return value or None


# --- CSV -----------------------------------------------------------------------------


def parties_to_csv(parties: Sequence[Party]) -> str:
    """One row per contact person (one for a party without contacts), with a header."""
    buffer = io.StringIO()
    plain = csv.writer(buffer, lineterminator="\n")
    # Before Python 3.13 the csv module leaves a lone "\r" unquoted when rows end in "\n",
    # which no reader can split back; such rows are quoted in full.
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(CSV_COLUMNS)
    for party in parties:
        for contact in party.contacts or (Contact(name=""),):
            row = [spreadsheet_safe(cell) for cell in (
                party.code, party.name, contact.name, contact.email or "", contact.phone or "",
                contact.role or "", party.address or "", ";".join(party.tags))]
            (quoted if any("\r" in value for value in row) else plain).writerow(row)
    return buffer.getvalue()


def parties_from_csv(text: str, path: str) -> tuple[list[Party], list[Problem]]:
    """Read contacts from a CSV of ours or another tool's (see ``CSV_ALIASES``).

    Rows of one code (given, or made from the name) become one party with a contact each.
    """
    gathered = _Gathered(path, "row", "add a code column and give this row a code")
    records = csv_records(text.removeprefix("\ufeff"), unescape=True)
    columns: dict[str, list[int]] | None = None
    width = 0
    for line, record in records:
        if isinstance(record, csv.Error):
            _csv_error(gathered, line, record)
        elif columns is None:
            if not any(v.strip() for v in record):
                continue
            columns, width = _columns(record), len(record)
            if not columns.get("name") and not columns.get("code"):
                gathered.problem(line, "missing-key", "the header has no name or code column",
                                 "name the company column 'name' (or company, organization),"
                                 " or add a 'code' column")
                return [], gathered.problems
        elif any(v.strip() for v in record[width:]):
            gathered.problem(line, "bad-csv", f"this row has {len(record)} fields, the header "
                             f"{width}", "put fields that contain a comma in double quotes")
        elif any(v.strip() for v in record):
            gathered.add(line, _csv_entry(columns, record, line, gathered))
    if columns is None:
        gathered.problem(1, "missing-key", "the file has no header row",
                         "start the file with a header such as: " + ",".join(CSV_COLUMNS))
    return gathered.parties()


def _csv_error(gathered: _Gathered, line: int, error: csv.Error) -> None:
    message = ("a quoted field that starts on this row is never closed"
               if "end of data" in str(error) else f"malformed CSV: {error}")
    gathered.problem(line, "bad-csv", message,
                     "a field with a comma, quote or line break must be in double quotes, "
                     'and a quote inside it written twice ("")')


def _columns(header: list[str]) -> dict[str, list[int]]:
    """For each field, the indexes of the columns it is read from, best first."""
    names = [" ".join(h.replace("_", " ").lower().split()) for h in header]
    columns: dict[str, list[int]] = {}
    for key, tiers in CSV_ALIASES.items():
        for tier in tiers:
            found = [i for alias in tier for i, name in enumerate(names) if name == alias]
            if found:
                columns[key] = found
                break
    return columns


def _csv_entry(columns: dict[str, list[int]], row: list[str], line: int,
               gathered: _Gathered) -> _Entry:
    def get(key: str) -> str | None:
        values = (_clean(row[i]) for i in columns.get(key, ()) if i < len(row))
        return next((v for v in values if v), None)

    person = get("contact") or (" ".join(
        p for p in (get("given"), get("middle"), get("family")) if p) or None)
    address = get("address") or _address(get("street"), get("city"), get("region"),
                                         get("postal"), get("country"))
    tags = tuple(t for part in (get("tags") or "").split(";") if (t := part.strip()))
    return _Entry(get("code"), get("name"), address, tags,
                  _Person(person, _checked_email(get("email"), line, gathered),
                          get("phone"), get("role")))


# --- vCard ---------------------------------------------------------------------------


def parties_to_vcard(parties: Sequence[Party]) -> str:
    """Write vCard 3.0: a card per contact person (one for the company when it has none)."""
    lines = []
    for party in parties:
        if not party.contacts:
            lines.extend(_card(party, None))
        for contact in party.contacts:
            lines.extend(_card(party, contact))
    return "".join(_fold(line) + "\r\n" for line in lines)


def _card(party: Party, contact: Contact | None) -> list[str]:
    if contact is None:
        full, structured, extra = party.name, ";;;;", []
    else:
        given, _, family = contact.name.rpartition(" ")
        if not given:  # one word: a first name is likelier than a surname
            given, family = family, ""
        full, structured = contact.name, f"{_escape(family)};{_escape(given)};;;"
        extra = [("TITLE", contact.role), ("EMAIL;TYPE=INTERNET", contact.email),
                 ("TEL", contact.phone)]
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(full)}", f"N:{structured}",
             f"ORG:{_escape(party.name)}"]
    lines += [f"{key}:{_escape(value)}" for key, value in extra if value]
    if party.address:
        lines.append(f"ADR:;;{_escape(party.address)};;;;")
    if party.tags:
        lines.append("CATEGORIES:" + ",".join(_escape(tag) for tag in party.tags))
    return [*lines, f"X-BIZ-CODE:{_escape(party.code)}", "END:VCARD"]


def _escape(value: str) -> str:
    """A text value escaped as RFC 6350 asks: backslash, comma, semicolon, line breaks."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return re.sub(r"\r\n|\r|\n", r"\\n", value)


def _fold(line: str) -> str:
    """Fold a line into lines of at most 75 octets, never inside a character."""
    if len(line.encode()) <= 75:
        return line
    pieces, piece, size = [], "", 0
    for char in line:
        octets = len(char.encode())
        if size + octets > 75:
            pieces.append(piece)
            piece, size = " ", 1
        piece += char
        size += octets
    return "\r\n".join([*pieces, piece])


class _Property(NamedTuple):
    line: int
    name: str
    params: tuple[str, ...]
    value: str


def parties_from_vcard(text: str, path: str) -> tuple[list[Party], list[Problem]]:
    """Read vCard 2.1/3.0/4.0 cards into parties.

    Cards join a party by ``X-BIZ-CODE``, else by company (ORG), else by person (FN).
    """
    gathered = _Gathered(path, "card", "add X-BIZ-CODE:<code> to the card")
    for card in _cards(text, gathered):
        entry = _card_entry(card, gathered)
        if entry is not None:
            gathered.add(card[0].line, entry)
    return gathered.parties()


def _cards(text: str, gathered: _Gathered) -> Iterator[list[_Property]]:
    """Each card's properties, from BEGIN to END (both included)."""
    card: list[_Property] | None = None
    for prop in _properties(text, gathered):
        if prop.name == "BEGIN" and prop.value.strip().upper() == "VCARD":
            if card is not None:
                _unclosed(gathered, card[0].line)
            card = [prop]
        elif card is None:
            gathered.problem(prop.line, "bad-value", f"{prop.name} is outside a card",
                             "put each card between BEGIN:VCARD and END:VCARD")
        elif prop.name == "END" and prop.value.strip().upper() == "VCARD":
            yield [*card, prop]
            card = None
        else:
            card.append(prop)
    if card is not None:
        _unclosed(gathered, card[0].line)


def _unclosed(gathered: _Gathered, line: int) -> None:
    gathered.problem(line, "missing-key", "this card has no END:VCARD",
                     "end the card with END:VCARD before the next BEGIN:VCARD")


def _properties(text: str, gathered: _Gathered) -> Iterator[_Property]:
    """Unfolded content lines, each with the physical line it starts on."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), 1):
        if line[:1] in {" ", "\t"} and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + line[1:])
        else:
            lines.append((number, line))
    for number, line in lines:
        match = re.match(r'((?:[^:"]|"[^"]*")*):', line)
        parts = re.findall(r'(?:[^;"]|"[^"]*")+', match[1]) if match else []
        name = parts[0].rsplit(".", 1)[-1].strip().upper() if parts else ""
        if match and name:
            params = tuple(p.strip().upper() for p in parts[1:])
            yield _Property(number, name, params, line[match.end():])
        elif line.strip():
            gathered.problem(number, "bad-value", f"{line[:40]!r} is not a vCard property",
                             "write properties as NAME:value, continued lines starting "
                             "with a space")


def _card_entry(card: list[_Property], gathered: _Gathered) -> _Entry | None:
    """The party and person a card stands for; None (with a problem) if it is unusable."""
    if not _readable(card, gathered):
        return None
    first = _first_values(card)
    org = _clean(_unescape(_split(first.get("ORG", ""), ";")[0]))
    names = [_clean(_unescape(p)) for p in _split(first.get("N", ""), ";")]
    given_family = [n for i in (1, 2, 0) if i < len(names) and (n := names[i])]
    full = _clean(_unescape(first.get("FN", ""))) or " ".join(given_family) or None
    if full is None and org is None:
        gathered.problem(card[0].line, "missing-key", "this card has neither FN nor ORG",
                         "give the card a person's name (FN) or a company (ORG)")
        return None
    # A company's own card (FN is the company, N is empty) adds no contact person.
    is_company = not given_family and full in {None, org}
    email, phone = _preferred(card, "EMAIL"), _preferred(card, "TEL")
    phone_text = _value(phone) if phone else None
    if phone_text and phone_text[:4].lower() == "tel:":  # vCard 4.0: TEL;VALUE=uri:tel:+1...
        phone_text = _clean(phone_text[4:])
    person = _Person(None if is_company else full,
                     _checked_email(_value(email), email.line, gathered) if email else None,
                     phone_text, _clean(_unescape(first.get("TITLE", ""))))
    code = _clean(_unescape(first["X-BIZ-CODE"])) if "X-BIZ-CODE" in first else None
    return _Entry(code, org or full, _adr(first.get("ADR")), _categories(card), person)


def _readable(card: list[_Property], gathered: _Gathered) -> bool:
    """False, with a problem, for a card in a version or encoding this module cannot read."""
    for prop in card:
        if any("QUOTED-PRINTABLE" in param for param in prop.params):
            gathered.problem(prop.line, "bad-value", "quoted-printable values are not "
                             f"supported ({prop.name} of the card at line {card[0].line})",
                             "export the contacts as vCard 3.0 or 4.0 in UTF-8")
            return False
        if prop.name == "VERSION" and prop.value.strip() not in _VERSIONS:
            gathered.problem(prop.line, "bad-value", f"vCard version {prop.value!r} is not "
                             "supported", "export the contacts as vCard 3.0 or 4.0")
            return False
    return True


def _first_values(card: list[_Property]) -> dict[str, str]:
    """Each property's first value, still escaped."""
    first: dict[str, str] = {}
    for prop in card:
        first.setdefault(prop.name, prop.value)
    return first


def _preferred(card: list[_Property], name: str) -> _Property | None:
    """The property marked preferred (TYPE=pref, PREF=1), else the first one."""
    props = [p for p in card if p.name == name]
    marked = [p for p in props
              if any("PREF" in re.split(r'[=,"\s]+', param) for param in p.params)]
    return next(iter(marked or props), None)


def _value(prop: _Property) -> str | None:
    return _clean(_unescape(prop.value))


def _adr(value: str | None) -> str | None:
    """An ADR's parts (PO box; extended; street; city; region; postal code; country)."""
    if value is None:
        return None
    parts = [_clean(_unescape(p)) for p in _split(value, ";")]
    parts += [None] * (7 - len(parts))
    street = ", ".join(p for p in parts[:3] if p) or None
    return _address(street, parts[3], parts[4], parts[5], parts[6])


def _categories(card: list[_Property]) -> tuple[str, ...]:
    values = (v for p in card if p.name == "CATEGORIES" for v in _split(p.value, ","))
    return tuple(tag for v in values if (tag := _clean(_unescape(v))))


def _split(value: str, separator: str) -> list[str]:
    """Split an escaped value on the separators that are not escaped."""
    parts, piece, chars = [], "", iter(value)
    for char in chars:
        if char == "\\":
            piece += char + next(chars, "")
        elif char == separator:
            parts.append(piece)
            piece = ""
        else:
            piece += char
    return [*parts, piece]


def _unescape(value: str) -> str:
    r"""Undo ``_escape``: ``\n`` is a line break, ``\x`` is ``x``."""
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], value, flags=re.DOTALL)
