"""The book's settings from ``biz.yaml``: company, currency, fiscal year, lock, roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from bizcli.core.money import default_precision
from bizcli.core.source import SourceRef

NUMBERING = {"quote": "Q", "sales_order": "SO", "invoice": "INV", "payment": "PAY",
             "purchase_order": "PO", "work_order": "WO"}
"""Default prefix of each numbered document kind."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What ``biz.yaml`` says; ``roles`` maps a posting role (``bank``, ``sales``) to an account."""

    company: str
    currency: str
    fiscal_year_start: tuple[int, int] = (1, 1)
    lock_date: dt.date | None = None
    roles: Mapping[str, str] = field(default_factory=dict)
    precisions: Mapping[str, int] = field(default_factory=dict)
    source: SourceRef | None = field(default=None, compare=False)
    role_sources: Mapping[str, SourceRef] = field(default_factory=dict, compare=False)
    valuation: str = "fifo"
    """Default stock valuation method: ``fifo`` or ``average`` (an item may override it)."""
    allow_negative_stock: bool = False
    numbering: Mapping[str, str] = field(default_factory=dict)
    """Prefix per document kind (``sales_order: SO``); see ``prefix``."""

    def precision(self, commodity: str) -> int:
        """Decimal places a commodity is written and rounded with."""
        return self.precisions.get(commodity, default_precision(commodity))

    def prefix(self, kind: str) -> str:
        """The prefix numbers of a document kind start with (``SO`` in SO-2026-0001)."""
        return self.numbering.get(kind, NUMBERING[kind])

    def role(self, name: str) -> str | None:
        """The account that plays a role, if the book maps it."""
        return self.roles.get(name)
