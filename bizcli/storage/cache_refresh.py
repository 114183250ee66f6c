"""Bring the load cache up to date after a write, instead of leaving it to be rebuilt.

A write changes a few files in ways the command knows exactly: entries added at the end
of a year file, stock lines added at the end of a stock file, document files rewritten.
Reading the whole book again on the next command would take seconds on a large book;
instead the cached results are updated for those changes: the running balances get the
new entries' movements, the records the new moves and the re-read documents, and the
inventory invariant is checked again from the stock value per day.

It declines, leaving the cache to be rebuilt by the next load, whenever it cannot be
sure: the cache is not the one the command loaded, a file appeared, an entry or a move
went in before others (the lines after it moved), a master file changed, a problem
points into a rewritten file, or anything in the cache is not as expected.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from bizcli.core.book import Book
from bizcli.core.documents.purchases import PurchaseOrder
from bizcli.core.documents.sales import CustomerPayment, SalesOrder
from bizcli.core.ledger.balances import movements_and_cash_flows
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.production.work_orders import WorkOrder
from bizcli.core.stock.invariant import by_day, drift_problems
from bizcli.core.stock.moves import StockMove
from bizcli.storage import cache
from bizcli.storage.hashing import content_hash
from bizcli.storage.loader import (
    PRODUCTION_DIR,
    PURCHASES_DIR,
    SALES_DIR,
    CacheState,
    journal_paths,
    stock_paths,
)
from bizcli.storage.records_codec import append_move, items_on, packable, records_to_data


@dataclass(frozen=True, slots=True, kw_only=True)
class Written:
    """What a write command did.

    ``entries`` went into the journal: at the very end of their files, except in the
    ``inserted`` ones. ``moves`` went into the stock files, each with the file and line
    it now has; ``pushed`` names, per stock file, the old line numbers before which a
    line went in (one per line; appended lines are not there). ``stock_values`` is how
    the write changed the stock value, per (day, document) (a back-dated move changes
    later days too). ``files`` lists every file replaced.
    """

    entries: Sequence[Transaction] = ()
    moves: Sequence[StockMove] = ()
    stock_values: Mapping[tuple[dt.date, str], Decimal] = field(default_factory=dict)
    pushed: Mapping[str, Sequence[int]] = field(default_factory=dict)
    files: frozenset[str] = frozenset()
    inserted: frozenset[str] = frozenset()


def refresh_after_write(root: Path, state: CacheState | None, book: Book,
                        written: Written) -> bool:
    """Update the cache for ``written``; False (cache left to be rebuilt) when unsure.

    ``book`` is the book the command loaded (its settings and chart; its documents may
    be all, its moves only some). Never raises: a failed refresh is a cold next load.
    """
    if state is None:
        return False
    try:
        return _refresh(root, state, book, written)
    except (OSError, KeyError, TypeError, ValueError, IndexError, ArithmeticError):
        return False


def _refresh(root: Path, state: CacheState, book: Book, written: Written) -> bool:
    payload = state.payload or cache.read_cache(root)
    records = state.records or cache.read_cache(root, cache.RECORDS_PATH)
    if payload is None or records is None or payload["key"] != state.key or (
            records["key"] != state.key):
        return False
    top_level = [*state.top_level[:2], *journal_paths(root), *stock_paths(root)]
    if top_level != payload["top_level"] or top_level != state.top_level:
        return False
    hashes = dict(state.key[2])
    if any(rel not in hashes or not _refreshable(rel) for rel in written.files):
        return False
    texts = {}
    for rel in written.files:
        data = (root / rel).read_bytes()
        hashes[rel] = content_hash(data)
        texts[rel] = data.decode("utf-8")
    old_problems = [cache.data_to_problem(p) for p in payload["problems"]]
    if any(p.source is not None and p.source.path in written.files
           and p.code != "inventory-drift" for p in old_problems):
        return False
    data = payload["book"]
    if any(src is not None and src[0] in written.inserted for *_, src in data["prices"]):
        return False  # their line numbers moved
    balances = cache.data_to_index(data["balances"])
    flows = cache.data_to_index(data["cash_flows"])
    moved, cash = movements_and_cash_flows(written.entries, book.is_cash)
    balances, flows = balances.with_movements(moved), flows.with_movements(cash)
    data["balances"] = cache.index_to_data(balances)
    data["cash_flows"] = cache.index_to_data(flows)
    data["transaction_count"] = int(data["transaction_count"]) + len(written.entries)
    kept = records["records"]
    _add_moves(kept, written)
    if not _reread_documents(kept, texts, book):
        return False
    settings = book.settings
    problems = [p for p in old_problems if p.code != "inventory-drift"]
    inventory = settings.role("inventory")
    if kept["moves"]["date"] and inventory is not None:
        stock = by_day({(dt.date.fromordinal(d), doc): Decimal(v)
                        for d, doc, v in kept["stock_values"]})
        problems.extend(drift_problems(stock, lambda day: items_on(kept, day.toordinal()),
                                       balances, (inventory, settings.currency,
                                                  book.precision(settings.currency))))
    key = cache.cache_key(list(hashes.items()))
    payload.update(key=key, problems=[cache.problem_to_data(p) for p in problems])
    records["key"] = key
    with contextlib.suppress(OSError):
        cache.write_payload(root / cache.RECORDS_PATH, records)
        cache.write_payload(root / cache.CACHE_PATH, payload)
    return True


def _refreshable(rel: str) -> bool:
    """Files a refresh knows how to take in: journals, stock files, documents."""
    return rel.startswith(("journal/", "stock/", f"{SALES_DIR}/", f"{PURCHASES_DIR}/",
                           f"{PRODUCTION_DIR}/"))


def _add_moves(records: dict[str, Any], written: Written) -> None:
    columns = records["moves"]
    names = columns["names"]
    for rel, before in written.pushed.items():  # old lines below an insertion move down
        if rel not in names:
            continue
        path, anchors = names.index(rel), sorted(before)
        lines, ends = columns["line"], columns["end"]
        for n, (at, line) in enumerate(zip(columns["path"], lines, strict=True)):
            if at == path:
                lines[n] = line + bisect_right(anchors, line)
                if ends[n]:
                    ends[n] += bisect_right(anchors, ends[n])
    for move in written.moves:
        append_move(columns, move, at=bisect_right(columns["date"], move.date.toordinal()))
    records["moves"] = packable(columns)
    values = {(int(d), str(doc)): Decimal(v) for d, doc, v in records["stock_values"]}
    for move in written.moves:  # a (day, document) with moves has a value, if only 0
        values.setdefault((move.date.toordinal(), move.document), Decimal(0))
    for (day, doc), change in written.stock_values.items():
        key = (day.toordinal(), doc)
        values[key] = values.get(key, Decimal(0)) + change
    records["stock_values"] = [[d, doc, str(v)] for (d, doc), v in sorted(values.items())]


def _reread_documents(records: dict[str, Any], texts: dict[str, str], book: Book) -> bool:
    """Replace the documents of the rewritten files by the files' own (with their lines)."""
    from bizcli.storage.production_file import read_work_orders
    from bizcli.storage.purchases_file import read_purchases
    from bizcli.storage.sales_file import read_sales

    currency = book.settings.currency
    changed = {rel for rel in texts if rel.startswith((f"{SALES_DIR}/", f"{PURCHASES_DIR}/",
                                                       f"{PRODUCTION_DIR}/"))}
    if not changed:
        return True
    sales, payments, purchases = list(book.sales), list(book.payments), list(book.purchases)
    work_orders = list(book.work_orders)
    for rel in sorted(changed):
        if rel.startswith(f"{PRODUCTION_DIR}/"):
            found_work, problems = read_work_orders(rel, texts[rel])
            work_orders = [w for w in work_orders if w.source is None or w.source.path != rel]
            work_orders += found_work
        elif rel.startswith(f"{SALES_DIR}/"):
            found_sales, found_payments, problems = read_sales(rel, texts[rel], currency)
            sales = [s for s in sales if s.source is None or s.source.path != rel]
            payments = [p for p in payments if p.source is None or p.source.path != rel]
            sales += found_sales
            payments += found_payments
        else:
            found_orders, problems = read_purchases(rel, texts[rel], currency)
            purchases = [o for o in purchases if o.source is None or o.source.path != rel]
            purchases += found_orders
        if problems or any(x.source is None for x in sales) or any(
                x.source is None for x in payments) or any(
                x.source is None for x in purchases) or any(
                x.source is None for x in work_orders):
            return False
    encoded = records_to_data(Book(
        settings=book.settings, chart=book.chart,
        sales=tuple(sorted(sales, key=_place)), payments=tuple(sorted(payments, key=_place)),
        purchases=tuple(sorted(purchases, key=_place)),
        work_orders=tuple(sorted(work_orders, key=_place))))
    for name in ("sales", "payments", "purchases", "work_orders"):
        records[name] = encoded[name]
    return True


def _place(document: SalesOrder | CustomerPayment | PurchaseOrder | WorkOrder
           ) -> tuple[str, int]:
    """A cold load's order: files by name, documents in file order."""
    source = document.source
    return ("", 0) if source is None else (source.path, source.line)
