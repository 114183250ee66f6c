"""Customers and suppliers: who the business sells to and buys from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bizcli.core.source import SourceRef


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """A person at a customer or supplier."""

    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Party:
    """A customer or a supplier, as listed in ``customers.yaml`` / ``suppliers.yaml``.

    ``payment_terms_days`` gives invoice due dates; ``credit_limit`` caps a customer's
    open receivables plus open orders; ``lead_time_days`` is a supplier's usual delay.
    """

    code: str
    name: str
    contacts: tuple[Contact, ...] = ()
    address: str | None = None
    payment_terms_days: int | None = None
    credit_limit: Decimal | None = None
    lead_time_days: int | None = None
    currency: str | None = None
    tags: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    """Free custom fields, in the order written."""
    source: SourceRef | None = field(default=None, compare=False)
