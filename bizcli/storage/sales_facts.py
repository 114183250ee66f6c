"""The facts customer analytics need from the sales files, through a cache of their own.

RFM, churn and lifetime value need, per invoice, only its customer, date and amount
net of tax, and per shipment its customer, date and cost. Building every order and
line of a year of sales to get them would take seconds on a big book (a million
invoice lines take 13 s even from the records cache), so they are kept in
``.biz/cache/facts.msgpack``, as columns, keyed on the sales files' SHA-256: reading
them is a fraction of a second, and any change to a sales file rebuilds them from the
records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from bizcli import __version__
from bizcli.core.book import Book
from bizcli.core.crm.customers import Cost, Sale
from bizcli.core.money import ZERO
from bizcli.storage import cache
from bizcli.storage.hashing import content_hash
from bizcli.storage.loader import SALES_DIR

FACTS_FORMAT = 1
FACTS_CACHE = Path(".biz") / "cache" / "facts.msgpack"


class SalesFacts(NamedTuple):
    """Invoices (net of tax) and shipment costs in the book's currency, per customer."""

    sales: list[Sale]
    costs: list[Cost]
    other_currency: int
    """Invoices in another currency, left out (amounts of two currencies are not added)."""


def _key(root: Path) -> list[Any]:
    folder = root / SALES_DIR
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return [FACTS_FORMAT, __version__,
            [[f"{SALES_DIR}/{p.name}", content_hash(p.read_bytes())] for p in files]]


def facts_of(book: Book) -> SalesFacts:
    """Read the facts off the loaded sales documents."""
    currency = book.settings.currency
    sales: list[Sale] = []
    costs: list[Cost] = []
    other = 0
    for order in book.sales:
        if order.currency != currency:
            other += len(order.invoices)
            continue
        sales.extend(Sale(order.customer, i.date, i.total - i.tax) for i in order.invoices)
        for shipment in order.shipments:
            cost = sum((c for _, _, c in shipment.lines), ZERO)
            costs.append(Cost(order.customer, shipment.date, -cost if shipment.returned
                              else cost))
    return SalesFacts(sales, costs, other)


def load_facts(root: Path, book_of: Callable[[], Book]) -> SalesFacts:
    """The facts from the cache, or from ``book_of()`` (the records) when it is stale."""
    key = _key(root)
    payload = cache.read_cache(root, FACTS_CACHE)
    if payload is not None and payload.get("key") == key:
        found = _from_data(payload)
        if found is not None:
            return found
    facts = facts_of(book_of())
    try:
        (root / FACTS_CACHE).parent.mkdir(parents=True, exist_ok=True)
        cache.write_payload(root / FACTS_CACHE, {"format": cache.CACHE_FORMAT, "key": key,
                                                 **_to_data(facts)})
    except OSError:
        pass
    return facts


def _columns(rows: list[tuple[str, dt.date, Decimal]]) -> dict[str, list[Any]]:
    names: dict[str, int] = {}
    return {"who": [names.setdefault(r[0], len(names)) for r in rows],
            "day": [r[1].toordinal() for r in rows], "amount": [str(r[2]) for r in rows],
            "names": list(names)}


def _to_data(facts: SalesFacts) -> dict[str, Any]:
    return {"sales": _columns(list(facts.sales)), "costs": _columns(list(facts.costs)),
            "other": facts.other_currency}


def _rows(data: dict[str, list[Any]]) -> list[tuple[str, dt.date, Decimal]]:
    names = data["names"]
    days: dict[int, dt.date] = {}
    day = dt.date.fromordinal
    return [(names[w], days[d] if d in days else days.setdefault(d, day(d)), Decimal(a))
            for w, d, a in zip(data["who"], data["day"], data["amount"], strict=True)]


def _from_data(payload: dict[str, Any]) -> SalesFacts | None:
    try:
        return SalesFacts([Sale(*r) for r in _rows(payload["sales"])],
                          [Cost(*r) for r in _rows(payload["costs"])], int(payload["other"]))
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError):
        return None
