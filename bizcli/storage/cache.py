"""The load cache: what a cold load computed, kept in ``.biz/cache/book.msgpack``.

It holds the settings, chart, running balances per account, prices and problems, keyed on the
SHA-256 of every file the load read (and on the bizcli version). Any change to any file
makes it stale. msgpack is used because it is fast and, unlike pickle, cannot make the
reader run code: a corrupt or hostile cache is just ignored and rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgpack

from bizcli import __version__
from bizcli.core.book import Book
from bizcli.core.ledger.accounts import Account, AccountType, build_chart
from bizcli.core.ledger.balance_index import BalanceIndex
from bizcli.core.ledger.transactions import Price
from bizcli.core.money import Amount
from bizcli.core.problems import Problem, Severity
from bizcli.core.settings import Settings
from bizcli.core.source import SourceRef
from bizcli.storage.records_codec import (
    data_to_records,
    moves_from_data,
    on_hand_from_data,
    records_to_data,
)

CACHE_FORMAT = 7
MovesOf = Callable[[Book], Iterable[str]]
"""Which items' stock moves a command needs, given the book without them."""


def no_moves(_: Book) -> tuple[str, ...]:
    """``MovesOf`` for a command that reads documents and master records only."""
    return ()

CACHE_PATH = Path(".biz") / "cache" / "book.msgpack"
RECORDS_PATH = Path(".biz") / "cache" / "records.msgpack"
# The file is MAGIC + SHA-256 of the body + the msgpack body: a torn or edited cache
# fails the digest and is rebuilt instead of being trusted.
_MAGIC = b"BIZC"
_HEADER_SIZE = 4 + 32


def cache_key(files: list[tuple[str, str]]) -> list[Any]:
    """What must match for a cache to be used: format, version, and every file's hash."""
    return [CACHE_FORMAT, __version__, sorted([path, digest] for path, digest in files)]


def read_cache(root: Path, path: Path = CACHE_PATH) -> dict[str, Any] | None:
    """The cached payload, or None if absent, unreadable or of another format."""
    try:
        data = (root / path).read_bytes()
        if len(data) < _HEADER_SIZE or data[:4] != _MAGIC:
            return None
        body = data[_HEADER_SIZE:]
        if hashlib.sha256(body).digest() != data[4:_HEADER_SIZE]:
            return None
        payload = msgpack.unpackb(body, raw=False, strict_map_key=False)
    except (OSError, ValueError, msgpack.UnpackException, TypeError):
        return None
    if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT:
        return None
    return payload


def write_cache(root: Path, key: list[Any], top_level: list[str], book: Book,
                problems: list[Problem]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Store a cold load's results; the payloads written, or None if that failed.

    Failing to write a cache is never an error. The records (master files, orders, stock
    moves) go to a file of their own with the same key, so that a report on the journal
    does not unpack them.
    """
    payload = {"format": CACHE_FORMAT, "key": key, "top_level": top_level,
               "book": _book_to_data(book), "problems": [problem_to_data(p) for p in problems]}
    records = {"format": CACHE_FORMAT, "key": key, "records": records_to_data(book)}
    try:
        folder = (root / CACHE_PATH).parent
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# bizcli's cache and lock: not part of the book\n*\n")
        write_payload(root / RECORDS_PATH, records)
        write_payload(root / CACHE_PATH, payload)
    except OSError:
        return None
    return payload, records


def write_payload(path: Path, payload: dict[str, Any]) -> None:
    """Write one cache file atomically: magic, SHA-256 of the body, the msgpack body."""
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    body = msgpack.packb(payload, use_bin_type=True)
    tmp.write_bytes(_MAGIC + hashlib.sha256(body).digest() + body)
    tmp.replace(path)


def book_from_cache(payload: dict[str, Any], extra: dict[str, Any] | None = None, *,
                    moves_of: MovesOf | None = None) -> tuple[Book, list[Problem]] | None:
    """Rebuild the book from a cache payload; None if the payload is malformed.

    The master records and stock moves are rebuilt only from ``extra`` (the records
    payload, which must carry the same key); with ``moves_of``, only the moves of the
    items it names for the book.
    """
    try:
        if extra is not None and extra.get("key") != payload["key"]:
            return None
        book = _data_to_book(payload["book"], extra["records"] if extra else None)
        if extra is not None:
            final, last = on_hand_from_data(extra["records"])
            book = replace(book, on_hand_final=final, last_move_date=last)
            items = None if moves_of is None else set(moves_of(book))
            book = replace(book, stock_moves=moves_from_data(extra["records"], items))
        return book, [data_to_problem(p) for p in payload["problems"]]
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError, AttributeError):
        return None


def _ref(source: SourceRef | None) -> list[Any] | None:
    return None if source is None else [source.path, source.line, source.end_line]


def _unref(data: list[Any] | None) -> SourceRef | None:
    return None if data is None else SourceRef(str(data[0]), int(data[1]), int(data[2]))


def index_to_data(index: BalanceIndex) -> dict[str, list[Any]]:
    """A balance index as msgpack-ready lists (names stored once)."""
    names: dict[str, int] = {}
    keys = [[names.setdefault(a, len(names)), names.setdefault(c, len(names))]
            for a, c in index.keys]
    return {"names": list(names), "keys": keys, "dates": [list(d) for d in index.dates],
            "totals": [[str(t) for t in totals] for totals in index.totals]}


def data_to_index(data: dict[str, list[Any]]) -> BalanceIndex:
    """The balance index from ``index_to_data``'s lists (ValueError if malformed)."""
    names = [str(n) for n in data["names"]]
    keys = tuple((names[a], names[c]) for a, c in data["keys"])
    dates, totals = data["dates"], data["totals"]
    if not (len(keys) == len(dates) == len(totals)) or any(
            len(d) != len(t) or not d for d, t in zip(dates, totals, strict=True)):
        raise ValueError("malformed balance index")
    return BalanceIndex(keys=keys, dates=tuple(dates), totals=tuple(totals))


def _book_to_data(book: Book) -> dict[str, Any]:
    settings = book.settings
    return {
        "settings": {
            "company": settings.company, "currency": settings.currency,
            "fiscal_year_start": list(settings.fiscal_year_start),
            "lock_date": settings.lock_date.isoformat() if settings.lock_date else None,
            "roles": dict(settings.roles), "precisions": dict(settings.precisions),
            "source": _ref(settings.source),
            "role_sources": {k: _ref(v) for k, v in settings.role_sources.items()},
            "valuation": settings.valuation,
            "allow_negative_stock": settings.allow_negative_stock,
            "numbering": dict(settings.numbering)},
        "accounts": [[a.name, a.type.value if a.type else None, a.subtype, a.code, a.note,
                      _ref(a.source)] for a in book.chart.accounts],
        "balances": index_to_data(book.balances),
        "cash_flows": index_to_data(book.cash_flows),
        "prices": [[p.date.toordinal(), p.commodity, str(p.price.quantity), p.price.commodity,
                    _ref(p.source)] for p in book.prices],
        "commodities": dict(book.commodities),
        "journal_files": list(book.journal_files),
        "transaction_count": book.transaction_count,
        "asserted": [[d.toordinal(), a] for d, a in book.asserted],
    }


def _data_to_book(data: dict[str, Any], records: dict[str, Any] | None) -> Book:
    raw = data["settings"]
    settings = Settings(
        company=raw["company"], currency=raw["currency"],
        fiscal_year_start=(int(raw["fiscal_year_start"][0]), int(raw["fiscal_year_start"][1])),
        lock_date=dt.date.fromisoformat(raw["lock_date"]) if raw["lock_date"] else None,
        roles=raw["roles"], precisions=raw["precisions"], source=_unref(raw["source"]),
        role_sources={k: s for k, v in raw["role_sources"].items() if (s := _unref(v))},
        valuation=str(raw["valuation"]),
        allow_negative_stock=bool(raw["allow_negative_stock"]),
        numbering={str(k): str(v) for k, v in raw["numbering"].items()})
    accounts = [Account(name=n, type=AccountType(t) if t else None, subtype=s, code=c,
                        note=note, source=_unref(src))
                for n, t, s, c, note, src in data["accounts"]]
    chart, _ = build_chart(accounts)
    prices = tuple(Price(dt.date.fromordinal(d), c, Amount(Decimal(q), pc), _unref(src))
                   for d, c, q, pc, src in data["prices"])
    return Book(settings=settings, chart=chart,
                balances=data_to_index(data["balances"]),
                cash_flows=data_to_index(data["cash_flows"]), prices=prices,
                commodities=data["commodities"], journal_files=tuple(data["journal_files"]),
                transaction_count=int(data["transaction_count"]),
                asserted=tuple((dt.date.fromordinal(d), a) for d, a in data["asserted"]),
                **(data_to_records(records) if records is not None else {}))


def problem_to_data(problem: Problem) -> list[Any]:
    """A problem as a msgpack-ready list."""
    return [problem.code, problem.message, _ref(problem.source), problem.hint,
            list(problem.excerpt), problem.severity.value]


def data_to_problem(data: list[Any]) -> Problem:
    """The problem from ``problem_to_data``'s list."""
    code, message, source, hint, excerpt, severity = data
    return Problem(code=code, message=message, source=_unref(source), hint=hint,
                   excerpt=tuple(excerpt), severity=Severity(severity))
