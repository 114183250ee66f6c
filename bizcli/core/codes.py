"""Codes of master records: each listed once, and the closest one suggested on a miss.

Items, warehouses, customers and suppliers are all referred to by code.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol

from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef


class Coded(Protocol):
    """Anything listed by code in a master file."""

    @property
    def code(self) -> str:
        """The record's code."""
        ...

    @property
    def source(self) -> SourceRef | None:
        """Where the record is written."""
        ...


def closest(code: str, known: Iterable[str]) -> str:
    """', did you mean X?' for the nearest known code, or ''."""
    match = difflib.get_close_matches(code, list(known), n=1, cutoff=0.6)
    return f"; did you mean {match[0]}?" if match else ""


def duplicate_codes(records: Iterable[Coded], what: str, *,
                    code: str) -> list[Problem]:
    """Each code may be listed once."""
    seen: dict[str, SourceRef | None] = {}
    problems = []
    for record in records:
        if record.code in seen:
            problems.append(Problem(
                code=code, source=record.source,
                message=f"{what} {record.code!r} is listed twice",
                hint=f"keep one entry (the first is at {seen[record.code]})"))
        else:
            seen[record.code] = record.source
    return problems


def slug(text: str, limit: int = 40) -> str:
    """A code made from a name: ``Harbor Interiors Ltd.`` -> ``harbor-interiors-ltd``.

    Accents are dropped, anything but ASCII letters and digits becomes ``-``, runs of
    ``-`` collapse, and the result is at most ``limit`` characters; "" when nothing is
    left (a name in another script: give the code yourself).
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].rstrip("-")
