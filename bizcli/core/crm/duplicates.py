"""Customers and leads that are probably the same business, and why bizcli thinks so.

Three signs, each reported with the pair:

- **same email**: a contact email (case ignored) appears on both;
- **same company domain**: emails on both share a domain that is not a free-mail
  provider's (two people at ``harborinteriors.example`` are one company; two people at
  ``gmail.com`` are not);
- **similar names**: the names, lower-cased, without accents, punctuation and legal
  forms (Ltd, Inc, GmbH, LLC...), are equal, or at least 88 % alike by
  ``difflib.SequenceMatcher`` (``Harbour Interiors`` and ``Harbor Interiors``).

Leads already converted or dropped are left out; a lead converted into a customer is
that customer already.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from bizcli.core.crm.deals import Lead
from bizcli.core.parties import Party

FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "gmx.com", "gmx.de", "gmx.net",
    "web.de", "proton.me", "protonmail.com", "mail.com", "yandex.com", "qq.com", "163.com",
    "mail.example", "mailbox.example"})
"""Domains anyone can have an address at: sharing one says nothing (the two ``.example``
ones stand for such providers in the example book and the documentation)."""
LEGAL_FORMS = frozenset({"ltd", "limited", "inc", "llc", "gmbh", "ag", "co", "corp",
                         "company", "plc", "sa", "sl", "srl", "bv", "nv", "oy", "ab", "the"})
SIMILAR = 0.88


class Who(NamedTuple):
    """A customer or an open lead, as the comparison sees it."""

    kind: str
    code: str
    name: str
    emails: frozenset[str]


class Pair(NamedTuple):
    """Two records that look like one, and the signs."""

    first: Who
    second: Who
    reasons: tuple[str, ...]


def name_key(name: str) -> str:
    """The name as compared: ``Harbor Interiors, Ltd.`` -> ``harbor interiors``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in LEGAL_FORMS]
    return " ".join(words)


def people(customers: Iterable[Party], leads: Iterable[Lead]) -> list[Who]:
    """Customers, then open leads, with their emails lower-cased."""
    out = [Who("customer", c.code, c.name, frozenset(
        x.email.strip().lower() for x in c.contacts if x.email)) for c in customers]
    out += [Who("lead", x.number, x.company or x.name, frozenset(
        [x.email.strip().lower()] if x.email else [])) for x in leads if x.is_open]
    return out


def _domains(who: Who) -> set[str]:
    return {e.rsplit("@", 1)[1] for e in who.emails if "@" in e} - FREE_MAIL


def find_duplicates(records: Sequence[Who]) -> list[Pair]:
    """Every pair with at least one sign, in the order of the records."""
    keys = [name_key(r.name) for r in records]
    domains = [_domains(r) for r in records]
    pairs = []
    for i, a in enumerate(records):
        for j in range(i + 1, len(records)):
            b = records[j]
            reasons = []
            if a.emails & b.emails:
                reasons.append("same email " + ", ".join(sorted(a.emails & b.emails)))
            elif domains[i] & domains[j]:
                reasons.append("same company domain " + ", ".join(sorted(
                    domains[i] & domains[j])))
            if keys[i] and keys[i] == keys[j]:
                reasons.append("same name")
            elif keys[i] and keys[j] and difflib.SequenceMatcher(
                    None, keys[i], keys[j]).ratio() >= SIMILAR:
                reasons.append("similar names")
            if reasons:
                pairs.append(Pair(a, b, tuple(reasons)))
    return pairs
