"""Load a book folder: read every file, parse, balance, check; use the cache when fresh.

``load_book(root)`` returns ``(Book, problems)`` and never raises for bad data: every
problem, with file:line, is in the list, sorted in reading order.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from bizcli.core.book import Book
from bizcli.core.checks import check_first_uses, check_roles
from bizcli.core.conflicts import conflict_problems
from bizcli.core.ledger.accounts import Chart, build_chart
from bizcli.core.ledger.balance_index import BalanceIndex
from bizcli.core.ledger.digest import (
    Digest,
    check_pending_assertions,
    digest_transactions,
    merged_movements,
    unordered,
)
from bizcli.core.memory import no_cyclic_gc
from bizcli.core.problems import BizcliError, Problem, blocking, sorted_problems
from bizcli.core.settings import Settings
from bizcli.core.source import SourceRef
from bizcli.storage import cache
from bizcli.storage.hashing import content_hash
from bizcli.storage.journal_reader import ParsedJournal, read_journal
from bizcli.storage.location import within_book
from bizcli.storage.transaction import consistent_read, note_read

SETTINGS_FILE = "biz.yaml"
ACCOUNTS_FILE = "accounts.yaml"
JOURNAL_DIR = "journal"
JOURNAL_GLOB = "*.journal"
ITEMS_FILE = "items.yaml"
WAREHOUSES_FILE = "warehouses.yaml"
CUSTOMERS_FILE = "customers.yaml"
SUPPLIERS_FILE = "suppliers.yaml"
STOCK_DIR = "stock"
STOCK_GLOB = "*.stock"
PURCHASES_DIR = "purchases"
SALES_DIR = "sales"
BOMS_FILE = "boms.yaml"
PRODUCTION_DIR = "production"
_INCLUDE = re.compile(r"\ninclude\s")  # in "\n" + text: a literal start is fast


def has_include(text: str) -> bool:
    """Whether a journal text has an ``include`` directive (then it is read whole)."""
    return _INCLUDE.search("\n" + text) is not None


@dataclass(slots=True)
class _Files:
    """Every file a load read: relative path -> (content hash, text)."""

    root: Path
    hashes: dict[str, str]
    texts: dict[str, str | None]
    problems: list[Problem]
    on_read: Callable[[int], None] | None = None
    """Told the size of each file read (a progress bar on a cold load)."""

    def read(self, rel: str) -> str | None:
        if rel in self.texts:
            return self.texts[rel]
        text = None
        if not within_book(self.root, self.root / rel):
            self.hashes[rel] = "outside"
            self.problems.append(Problem(
                code="path-outside-book", source=SourceRef(rel, 0),
                message="the file is a symbolic link out of the book; it was not read",
                hint="copy the file into the book in place of the link"))
            self.texts[rel] = None
            return None
        try:
            data = (self.root / rel).read_bytes()
        except FileNotFoundError:
            self.hashes[rel] = "missing"
            note_read(self.root, rel, "missing")
        except OSError as err:
            self.hashes[rel] = "unreadable"
            self.problems.append(Problem(code="unreadable-file", source=SourceRef(rel, 0),
                                         message=f"cannot read the file: {err.strerror}",
                                         hint="check the file's permissions"))
        else:
            self.hashes[rel] = content_hash(data)
            note_read(self.root, rel, self.hashes[rel])
            text = _decode(rel, data, self.problems)
            if self.on_read is not None:
                self.on_read(len(data))
        self.texts[rel] = text
        return text


def _decode(rel: str, data: bytes, problems: list[Problem]) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(Problem(code="bad-encoding", source=SourceRef(rel, line),
                                message="the file is not valid UTF-8",
                                hint="save it as UTF-8 (bizcli reads and writes only UTF-8)"))
        return None
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n") if "\r" in text else text
    conflicts = conflict_problems(rel, text)
    if conflicts:  # read as data, a conflict is a cascade of puzzling errors
        problems.extend(conflicts)
        return None
    return text


def journal_paths(root: Path) -> list[str]:
    """Top-level journal files of a book, relative to it, in name order."""
    folder = root / JOURNAL_DIR
    if not folder.is_dir():
        return []
    return [f"{JOURNAL_DIR}/{p.name}" for p in sorted(folder.glob(JOURNAL_GLOB)) if p.is_file()]


def book_size(root: Path) -> int:
    """Bytes in the files a cold load reads first (the journals, stock and order files)."""
    total = 0
    for rel in [SETTINGS_FILE, ACCOUNTS_FILE, *journal_paths(root), *stock_paths(root)]:
        with contextlib.suppress(OSError):
            total += (root / rel).stat().st_size
    return total


def stock_paths(root: Path) -> list[str]:
    """The master files and stock files of a book (present or not, for the cache key)."""
    folder = root / STOCK_DIR
    moves = [f"{STOCK_DIR}/{p.name}" for p in sorted(folder.glob(STOCK_GLOB)) if p.is_file()
             ] if folder.is_dir() else []
    orders = root / PURCHASES_DIR
    purchases = [f"{PURCHASES_DIR}/{p.name}" for p in sorted(orders.glob("*.yaml"))
                 if p.is_file()] if orders.is_dir() else []
    sales, production = (
        [f"{name}/{p.name}" for p in sorted(folder.glob("*.yaml")) if p.is_file()]
        if (folder := root / name).is_dir() else [] for name in (SALES_DIR, PRODUCTION_DIR))
    return [ITEMS_FILE, WAREHOUSES_FILE, CUSTOMERS_FILE, SUPPLIERS_FILE, BOMS_FILE, *moves,
            *purchases, *sales, *production]


class CacheState(NamedTuple):
    """The load cache's key and file list for the book a command loaded.

    With the cache payloads as read or written by the load (``payload`` and
    ``records``), a write under the same lock updates them without reading them again.
    """

    key: list[Any]
    top_level: list[str]
    payload: dict[str, Any] | None = None
    records: dict[str, Any] | None = None
    items: frozenset[str] | None = frozenset()
    """The items whose stock moves the book holds, every one of them (None: all items)."""


def load_book(root: Path, *, need_transactions: bool = False, need_stock: bool = False,
              use_cache: bool = True, moves_of: cache.MovesOf | None = None,
              on_read: Callable[[int], None] | None = None) -> tuple[Book, list[Problem]]:
    """Load the book at ``root``.

    Postings are kept only with ``need_transactions``; the master records (items,
    warehouses, customers, suppliers) and the stock moves only with ``need_stock``;
    with ``moves_of``, only the moves of the items it names (a write about two items
    does not rebuild a hundred thousand moves). The checks ran on every move either way.
    ``on_read`` is told the size of each file a cold load reads (``book_size`` is the
    total), for a progress bar; a load from the cache reads none.
    """
    book, problems, _ = consistent_read(root, partial(
        _load, root, need_transactions=need_transactions, need_stock=need_stock,
        use_cache=use_cache, moves_of=moves_of, on_read=on_read))
    return book, problems


def _load(root: Path, *, need_transactions: bool, need_stock: bool, use_cache: bool,
          moves_of: cache.MovesOf | None, on_read: Callable[[int], None] | None = None
          ) -> tuple[Book, list[Problem], CacheState | None]:
    top_level = [SETTINGS_FILE, ACCOUNTS_FILE, *journal_paths(root), *stock_paths(root)]
    if moves_of is not None:
        moves_of = _asked_once(moves_of)
    if use_cache and not need_transactions:
        with no_cyclic_gc():
            cached = _load_cached(root, top_level, records=need_stock, moves_of=moves_of)
        if cached is not None:  # records and stock moves come from the cache too
            book, problems, files, payloads = cached
            state = CacheState(cache.cache_key(list(files.hashes.items())), top_level,
                               *payloads, _loaded_items(book, need_stock, moves_of))
            return (book if need_stock else replace(book, stock_moves=None)), problems, state
    files = _Files(root, {}, {}, [], on_read)
    with no_cyclic_gc():
        book, problems = _load_cold(files, top_level, need_transactions)
        from bizcli.storage.stock_loader import load_stock  # YAML: cold path only

        read_before = len(files.problems)
        book, found = load_stock(files, book, keep=True)  # the cache keeps the moves
        # files.problems: what reading the stock and order files found (encoding, conflicts)
        problems = sorted_problems(without_cascades(
            [*problems, *found, *files.problems[read_before:]]))
    fresh: CacheState | None = None
    if use_cache:
        key = cache.cache_key(list(files.hashes.items()))
        written = cache.write_cache(root, key, top_level, book, problems)
        payload, records = written or (None, None)
        fresh = CacheState(key, top_level, payload, records,
                           _loaded_items(book, need_stock, moves_of))
    if need_stock and moves_of is not None:
        items = set(moves_of(book))
        book = replace(book, stock_moves=tuple(m for m in book.stock_moves or ()
                                               if m.item in items))
    return (book if need_stock else replace(book, stock_moves=None)), problems, fresh


UNREADABLE = frozenset({"bad-yaml", "yaml-alias", "yaml-too-deep", "yaml-tag",
                        "yaml-line-break", "file-too-large", "merge-conflict", "bad-encoding",
                        "unreadable-file", "path-outside-book", "missing-schema",
                        "schema-too-new", "bad-schema"})
"""Codes of a file that could not be read at all (not of one bad value in it)."""
_REFERENCES = {ACCOUNTS_FILE: "unknown-account", ITEMS_FILE: "unknown-item",
               WAREHOUSES_FILE: "unknown-warehouse", CUSTOMERS_FILE: "unknown-customer",
               SUPPLIERS_FILE: "unknown-supplier"}


def without_cascades(problems: list[Problem]) -> list[Problem]:
    """Drop "unknown X" problems when X's file could not be read at all.

    A stray alias in warehouses.yaml is one problem, not one per stock line and order
    naming a warehouse (a broken accounts.yaml, not one per account the journal uses);
    the file's own problem says what to fix.
    """
    unread = {_REFERENCES[p.source.path] for p in problems
              if p.source is not None and p.source.path in _REFERENCES
              and p.code in UNREADABLE}
    if not unread:
        return problems
    return [p for p in problems if p.code not in unread]


def _asked_once(moves_of: cache.MovesOf) -> cache.MovesOf:
    """``moves_of``, worked out on the first call only.

    It reads the documents and the master records, the same whenever one load asks.
    """
    answer: list[frozenset[str]] = []

    def once(book: Book) -> frozenset[str]:
        if not answer:
            answer.append(frozenset(moves_of(book)))
        return answer[0]

    return once


def _loaded_items(book: Book, need_stock: bool, moves_of: cache.MovesOf | None
                  ) -> frozenset[str] | None:
    if not need_stock:
        return frozenset()
    return None if moves_of is None else frozenset(moves_of(book))


def load_for_write(root: Path, *, need_stock: bool = False,
                   moves_of: cache.MovesOf | None = None) -> Book:
    """The book a write command starts from; refuses, writing nothing, if it has errors.

    Cross-checks (an inventory drift) do not stop a write: the entry that cures one must
    be writable. ``moves_of`` limits the stock moves to some items (see ``load_book``).
    """
    return load_for_update(root, need_stock=need_stock, moves_of=moves_of)[0]


def load_for_update(root: Path, *, need_stock: bool = False,
                    moves_of: cache.MovesOf | None = None
                    ) -> tuple[Book, CacheState | None]:
    """``load_for_write``, with the cache state a write can bring up to date after it."""
    book, problems, state = consistent_read(root, partial(
        _load, root, need_transactions=False, need_stock=need_stock, use_cache=True,
        moves_of=moves_of))
    errors = blocking(problems)
    if errors:
        raise BizcliError([*errors, Problem(
            code="book-invalid", message="the book has problems; nothing was written",
            hint="fix them first ('biz check' lists them)")])
    return book, state


def _load_cached(root: Path, top_level: list[str], *, records: bool,
                 moves_of: cache.MovesOf | None = None
                 ) -> tuple[Book, list[Problem], _Files,
                            tuple[dict[str, Any], dict[str, Any] | None]] | None:
    payload = cache.read_cache(root)
    if payload is None or payload.get("top_level") != top_level:
        return None
    try:
        recorded = payload["key"][2]
        files = _Files(root, {}, {}, [])
        for rel, _ in recorded:
            files.read(rel)
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if payload["key"] != cache.cache_key(list(files.hashes.items())):
        return None
    extra = None
    if records:
        extra = cache.read_cache(root, cache.RECORDS_PATH)
        if extra is None:
            return None
    loaded = cache.book_from_cache(payload, extra, moves_of=moves_of)
    return None if loaded is None else (loaded[0], loaded[1], files, (payload, extra))


def _load_cold(files: _Files, top_level: list[str],
               need_transactions: bool) -> tuple[Book, list[Problem]]:
    from bizcli.storage.book_files import read_settings  # imports yaml: cold path only

    problems = files.problems
    settings_text = files.read(SETTINGS_FILE)
    settings = None
    if settings_text is not None:
        settings, found = read_settings(SETTINGS_FILE, settings_text)
        problems.extend(found)
    if settings is None:
        if files.hashes.get(SETTINGS_FILE) == "missing":
            problems.append(Problem(code="missing-file", source=SourceRef(SETTINGS_FILE, 0),
                                    message="the book has no biz.yaml",
                                    hint="create a book with 'biz init DIR'"))
        settings = Settings(company="", currency="USD")
    chart = _load_chart(files, problems)
    is_cash = partial(_is_cash, chart)
    journals = [p for p in top_level if p.startswith(f"{JOURNAL_DIR}/")]
    pieces = _digest_journals(files, journals, is_cash, problems, keep=need_transactions)
    digests = [digest for _, digest in pieces]
    commodities: dict[str, int] = {}
    for journal, digest in pieces:
        problems.extend(journal.problems)
        problems.extend(digest.problems)
        commodities.update(journal.commodities)
    problems.extend(check_first_uses((d.first_use for d in digests), chart))
    problems.extend(_order_across_pieces(pieces))
    problems[:] = _first_unordered_per_file(problems)
    problems.extend(check_roles(settings, chart))
    balances = BalanceIndex.from_movements(merged_movements(digests))
    book = Book(settings=settings, chart=chart, commodities=commodities,
                journal_files=tuple(dict.fromkeys(j.path for j, _ in pieces)),
                prices=tuple(p for j, _ in pieces for p in j.prices),
                transaction_count=sum(d.count for d in digests), balances=balances,
                cash_flows=BalanceIndex.from_movements(merged_movements(digests, flows=True)),
                asserted=tuple(sorted({(a.date, a.account) for d in digests
                                       for a in d.assertions})),
                transactions=tuple(t for d in digests for t in d.transactions or ())
                if need_transactions else None)
    precisions = {c: book.precision(c) for c in commodities} | dict(settings.precisions)
    problems.extend(check_pending_assertions(digests, balances, precisions))
    return book, sorted_problems(problems)


def _order_across_pieces(pieces: list[tuple[ParsedJournal, Digest]]) -> list[Problem]:
    """A file cut into pieces is in date order only if each piece starts after the last."""
    problems = []
    for (before, earlier), (after, later) in itertools.pairwise(pieces):
        if (before.path == after.path and earlier.last_date and later.first
                and later.first[0] < earlier.last_date
                and not any(p.code == "unordered-dates" for p in earlier.problems)):
            problems.append(unordered(later.first[0], earlier.last_date, later.first[1]))
    return problems


def _first_unordered_per_file(problems: list[Problem]) -> list[Problem]:
    """One ``unordered-dates`` warning per file, however many pieces it was read in."""
    seen: set[str] = set()
    kept = []
    for problem in sorted_problems(problems):
        if problem.code == "unordered-dates" and problem.source is not None:
            if problem.source.path in seen:
                continue
            seen.add(problem.source.path)
        kept.append(problem)
    return kept


def _is_cash(chart: Chart, account: str) -> bool:
    return chart.subtype_of(account) == "cash"


def _digest_journals(files: _Files, paths: list[str], is_cash: Callable[[str], bool],
                     problems: list[Problem], *, keep: bool
                     ) -> list[tuple[ParsedJournal, Digest]]:
    """Parse and digest the journals: on every core for a large book without includes."""
    from bizcli.storage import journal_pieces  # multiprocessing: only for a cold load
    readable = [(rel, text) for rel in paths if (text := files.read(rel)) is not None]
    workers = journal_pieces.worker_count(sum(len(text) for _, text in readable))
    if workers > 1 and not keep and not any(has_include(t) for _, t in readable):
        for rel, _ in readable:
            files.texts.pop(rel, None)  # the pieces will hold the only copy
        return journal_pieces.digest_in_parallel(readable, is_cash, workers)
    out = []
    for journal in _parse_journals(files, paths, problems):
        out.append((journal, digest_transactions(journal.transactions, is_cash, keep=keep)))
        journal.transactions = []
    return out


def _load_chart(files: _Files, problems: list[Problem]) -> Chart:
    from bizcli.storage.book_files import read_accounts

    text = files.read(ACCOUNTS_FILE)
    if text is None:
        if files.hashes.get(ACCOUNTS_FILE) == "missing":
            problems.append(Problem(code="missing-file", source=SourceRef(ACCOUNTS_FILE, 0),
                                    message="the book has no accounts.yaml",
                                    hint="create it with 'biz init' or 'biz account add'"))
        chart, _ = build_chart([])
        return chart
    accounts, found = read_accounts(ACCOUNTS_FILE, text)
    problems.extend(found)
    chart, found = build_chart(accounts)
    problems.extend(found)
    return chart


def _parse_journals(files: _Files, paths: list[str],
                    problems: list[Problem]) -> list[ParsedJournal]:
    """Parse journal files in order, following ``include`` directives inside the book."""
    parsed: list[ParsedJournal] = []
    pending = list(reversed(paths))
    seen: set[str] = set()
    while pending:
        rel = pending.pop()
        if rel in seen:
            continue
        seen.add(rel)
        text = files.read(rel)
        if text is None:
            continue
        journal = read_journal(rel, text)
        parsed.append(journal)
        for target, source in reversed(journal.includes):
            included = _resolve_include(files, rel, target, source, problems)
            if included is not None:
                if included in seen or included in paths:
                    problems.append(Problem(
                        code="duplicate-include", source=source,
                        message=f"{included} is already loaded; including it again would "
                                "count its entries twice",
                        hint="remove the include (every journal/*.journal is loaded)"))
                else:
                    pending.append(included)
    return parsed


def _resolve_include(files: _Files, rel: str, target: str, source: SourceRef,
                     problems: list[Problem]) -> str | None:
    root = files.root
    path = (root / rel).parent / target
    try:
        resolved = path.resolve().relative_to(root.resolve())
    except ValueError:
        problems.append(Problem(code="include-outside-book", source=source,
                                message=f"include {target!r} points outside the book",
                                hint="keep included files inside the book folder"))
        return None
    if not (root / resolved).is_file():
        files.hashes[resolved.as_posix()] = "missing"  # so the cache notices it appearing
        problems.append(Problem(code="missing-include", source=source,
                                message=f"included file {target!r} does not exist",
                                hint="fix the path (relative to this file) or remove the line"))
        return None
    return resolved.as_posix()
