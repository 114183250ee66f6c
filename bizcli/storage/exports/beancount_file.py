"""The whole book as a beancount file (``biz export beancount``), with the name mappings.

beancount is stricter than hledger and ledger about names: every account starts with
one of five roots and each further component with a capital letter or a digit; a
currency is capital letters, digits and ``'._-``; a metadata key starts with a small
letter. ``account_map`` and ``commodity_map`` turn the book's names into valid ones,
deterministically and without two names ever becoming one (docs/exports.md gives the
rules). The original names stay on the ``open`` and ``commodity`` directives as
``name:`` metadata.

Amounts are written exactly; ``@``/``@@`` prices stay prices (not lots held at cost),
which is what they mean in the book. A balance assertion, checked by bizcli right after
its posting and without subaccounts, becomes a ``balance`` directive the next day (beancount
checks at the start of a day, subaccounts included) with the balance the account and its
subaccounts have at the end of the asserted day.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from bizcli.core.book import Book
from bizcli.core.ledger.accounts import AccountType, Chart
from bizcli.core.ledger.transactions import Posting, Status, Transaction
from bizcli.core.money import ZERO
from bizcli.storage.exports.journal import (
    account_names,
    commodities_used,
    ordered_transactions,
    quantity_text,
)

ROOTS: Mapping[AccountType, str] = {
    AccountType.ASSET: "Assets", AccountType.LIABILITY: "Liabilities",
    AccountType.EQUITY: "Equity", AccountType.INCOME: "Income",
    AccountType.EXPENSE: "Expenses"}
SYMBOLS: Mapping[str, str] = {
    "$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY",
    "₪": "ILS", "฿": "THB", "₫": "VND", "₴": "UAH", "₦": "NGN", "₱": "PHP"}
"""Currency signs that stand for one currency, and its ISO 4217 code."""
TOLERANCE_FLOOR = "0.000000001"
"""The least balancing tolerance of any currency. beancount turns a total price (``@@``)
into a price per unit, and so a whole-number amount (``1000 JPY``, where it tolerates
nothing) can miss by 1E-25; real differences are far larger and still fail."""
DEFAULT_OPEN = dt.date(1970, 1, 1)
"""When accounts open in a book that has no dated entry or price at all."""

_CURRENCY = re.compile(r"[A-Z](?:[A-Z0-9'._-]{0,22}[A-Z0-9])?")
_NOT_CURRENCY = re.compile(r"[^A-Z0-9'._-]")
_RESERVED_CURRENCIES = frozenset({"TRUE", "FALSE", "NULL"})
_RESERVED_KEYS = frozenset({"filename", "lineno"})
_NOT_LINK = re.compile(r"[^A-Za-z0-9_/.-]")
_FLAGS = {Status.CLEARED: "*", Status.PENDING: "!", Status.UNMARKED: "txn"}

_K = TypeVar("_K")
NodeKey = tuple[str, str | None]
"""An account name's place in the mapping: (root, original prefix); None: the root."""


# --- names ----------------------------------------------------------------------------

def account_map(chart: Chart, names: Iterable[str]) -> dict[str, str]:
    """Each account name -> a valid beancount account, keeping the tree's shape.

    The root comes from the account's type; a first component that already names it
    is dropped. Each further component is cleaned (``component``); two components that
    clean to the same text under one parent keep it in name order for the first, and
    get ``-2``, ``-3``... for the others.
    """
    parent_of: dict[NodeKey, NodeKey] = {}
    leaf: dict[str, NodeKey] = {}
    for name in sorted(set(names)):
        root = _root_of(chart, name)
        parts = name.split(":")
        start = 1 if len(parts) > 1 and parts[0].casefold() == root.casefold() else 0
        parent: NodeKey = (root, None)
        for depth in range(start, len(parts)):
            key: NodeKey = (root, ":".join(parts[: depth + 1]))
            parent_of[key] = parent
            parent = key
        leaf[name] = parent
    children: dict[NodeKey, list[NodeKey]] = {}
    for key, parent in parent_of.items():
        children.setdefault(parent, []).append(key)
    mapped: dict[NodeKey, str] = {(root, None): root for root, _ in leaf.values()}
    pending = sorted(mapped, key=lambda key: key[0])
    while pending:
        parent = pending.pop(0)
        kids = sorted(children.get(parent, ()), key=lambda key: key[1] or "")
        natural = {kid: component((kid[1] or "").rsplit(":", 1)[-1]) for kid in kids}
        for kid, part in _unique(kids, natural).items():
            mapped[kid] = f"{mapped[parent]}:{part}"
        pending.extend(kids)
    return {name: mapped[key] for name, key in leaf.items()}


def _root_of(chart: Chart, name: str) -> str:
    kind = chart.type_of(name)
    if kind is not None:
        return ROOTS[kind]
    first = name.split(":", 1)[0].casefold()
    return next((root for root in ROOTS.values() if root.casefold() == first), "Assets")


def component(text: str) -> str:
    """One account component as beancount allows it: letters, digits and ``-``.

    Any other character (a space, ``&``, ``.``) becomes ``-``, runs of ``-`` become one,
    and the first character is made a capital; a first character that has no capital
    (``办``) gets ``X-`` in front. An empty result is ``X``.
    """
    cleaned = "".join(ch if _is_name_char(ch) else "-"
                      for ch in unicodedata.normalize("NFC", text))
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-")
    if not cleaned:
        return "X"
    first = cleaned[0]
    if unicodedata.category(first) in ("Lu", "Nd"):
        return cleaned
    upper = first.upper()
    if len(upper) == 1 and unicodedata.category(upper) == "Lu":
        return upper + cleaned[1:]
    return "X-" + cleaned


def _is_name_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] == "L" or category == "Nd" or ch == "-"


def commodity_map(names: Iterable[str]) -> dict[str, str]:
    """Each commodity -> a valid beancount currency, no two the same.

    A valid name stays (``USD``, ``OAK-BOARD``); a currency sign becomes its ISO code
    (``$`` -> ``USD``, ``€`` -> ``EUR``); anything else is upper-cased with accents and
    other characters dropped (``Äpfel`` -> ``APFEL``), or, with nothing left, written as
    ``C`` and its code points in hexadecimal (``元`` -> ``C5143``). A name already taken
    gets ``-2``, ``-3``... (valid names are served first).
    """
    unique = sorted(set(names))
    natural = {name: _currency(name) for name in unique}
    ordered = sorted(unique, key=lambda name: (natural[name] != name, name))
    return _unique(ordered, natural)


def _currency(name: str) -> str:
    if _valid_currency(name):
        return name
    if name in SYMBOLS:
        return SYMBOLS[name]
    text = "".join(ch for ch in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(ch)).upper()
    text = _NOT_CURRENCY.sub("", text)
    if text and not text[0].isalpha():
        text = "C" + text
    text = text[:24].rstrip("'._-")
    if not text:
        text = "C" + "".join(f"{ord(ch):X}" for ch in name)[:23]
    if text in _RESERVED_CURRENCIES:
        text = "C-" + text
    return text


def _valid_currency(name: str) -> bool:
    return _CURRENCY.fullmatch(name) is not None and name not in _RESERVED_CURRENCIES


def _unique(ordered: Sequence[_K], natural: Mapping[_K, str]) -> dict[_K, str]:
    """Each key its natural text, or, when an earlier key has it, the text + ``-N``."""
    taken = set(natural.values())
    out: dict[_K, str] = {}
    given: set[str] = set()
    for key in ordered:
        text = natural[key]
        if text in given:
            text = next(candidate for n in itertools.count(2)
                        if (candidate := f"{natural[key]}-{n}") not in taken)
            taken.add(text)
        given.add(text)
        out[key] = text
    return out


def meta_key(key: str) -> str:
    """A tag's key as a beancount metadata key: a small letter first, then [a-zA-Z0-9_-].

    The first letter is made small; any other character becomes ``_`` and its code point
    in hexadecimal; a key that would not start with a small letter gets ``x`` in front,
    and one that is too short or taken by beancount (``filename``) gets ``tag-``.
    """
    text = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_-") else f"_{ord(ch):x}"
                   for ch in key)
    text = text[:1].lower() + text[1:]
    if not "a" <= text[:1] <= "z":
        text = "x" + text
    if len(text) < 2 or text in _RESERVED_KEYS:
        text = "tag-" + text
    return text


def _link(value: str) -> str:
    return _NOT_LINK.sub("-", value.strip())


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- the file -------------------------------------------------------------------------

def beancount_text(book: Book) -> Iterator[str]:
    """The export, in pieces that join into the whole file."""
    transactions = ordered_transactions(book)
    precisions = commodities_used(book, transactions)
    names = account_names(book, transactions)
    accounts = account_map(book.chart, names)
    currencies = commodity_map(precisions)
    first_use = _first_uses(transactions)
    earliest = min([txn.date for txn in transactions[:1]] + [p.date for p in book.prices],
                   default=DEFAULT_OPEN)
    company = " ".join(book.settings.company.split())
    yield (f"; {company or 'The book'}: the whole book for beancount (biz export beancount)\n"
           f'option "title" {_string(company or "bizcli book")}\n'
           f'option "operating_currency" {_string(currencies[book.settings.currency])}\n'
           f'option "inferred_tolerance_default" "*:{TOLERANCE_FLOOR}"\n\n')
    for name, mapped in currencies.items():
        yield (f"{earliest.isoformat()} commodity {mapped}\n  name: {_string(name)}\n"
               f"  precision: {precisions[name]}\n")
    yield "\n"
    yield from _open_lines(book.chart, names, accounts, first_use, earliest)
    if book.prices:
        yield "\n"
    for price in sorted(book.prices, key=lambda p: p.date):
        yield (f"{price.date.isoformat()} price {currencies[price.commodity]} "
               f"{price.price.quantity:f} {currencies[price.price.commodity]}\n")
    writer = _Writer(accounts, currencies, precisions)
    balances = _Balances(transactions, accounts, currencies, precisions)
    for day, entries in itertools.groupby(transactions, key=lambda txn: txn.date):
        for txn in entries:
            yield "\n" + writer.transaction(txn)
            balances.add(txn)
        yield from balances.end_of_day(day)


def _first_uses(transactions: Iterable[Transaction]) -> dict[str, dt.date]:
    first: dict[str, dt.date] = {}
    for txn in transactions:
        for posting in txn.postings:
            first.setdefault(posting.account, txn.date)
    return first


def _open_lines(chart: Chart, names: Sequence[str], accounts: Mapping[str, str],
                first_use: Mapping[str, dt.date], earliest: dt.date) -> Iterator[str]:
    details = {account.name: account for account in chart.accounts}
    for name in names:
        if name not in first_use and name == accounts[name].rsplit(":", 1)[-1] and (
                name in ROOTS.values()):
            continue  # a root of the chart that nothing is posted to: beancount's own root
        lines = [f"{first_use.get(name, earliest).isoformat()} open {accounts[name]}",
                 f"  name: {_string(name)}"]
        subtype = chart.subtype_of(name)
        if subtype is not None:
            lines.append(f"  subtype: {_string(subtype)}")
        account = details.get(name)
        if account is not None and account.code:
            lines.append(f"  code: {_string(account.code)}")
        if account is not None and account.note:
            lines.append(f"  note: {_string(account.note)}")
        yield "\n".join(lines) + "\n"


class _Writer:
    """Transactions in beancount syntax, with the names mapped."""

    def __init__(self, accounts: Mapping[str, str], currencies: Mapping[str, str],
                 precisions: Mapping[str, int]) -> None:
        self.accounts = accounts
        self.currencies = currencies
        self.precisions = precisions

    def amount(self, quantity: Decimal, commodity: str) -> str:
        return (f"{quantity_text(quantity, self.precisions.get(commodity, 0))} "
                f"{self.currencies[commodity]}")

    def transaction(self, txn: Transaction) -> str:
        links = dict.fromkeys(link for key, value in (
            *txn.tags, *(tag for p in txn.postings for tag in p.tags))
            if key == "doc" and (link := _link(value)))
        head = f"{txn.date.isoformat()} {_FLAGS[txn.status]} {_string(txn.description)}"
        head += "".join(f" ^{link}" for link in links)
        meta = [("code", txn.code)] if txn.code else []
        meta.extend((meta_key(key), value) for key, value in txn.tags)
        if txn.comment:
            meta.append(("comment", txn.comment))
        lines = [head, *_meta_lines(meta, "  ")]
        for posting in txn.postings:
            lines.append(self.posting(posting))
            notes = [(meta_key(key), value) for key, value in posting.tags]
            if posting.comment:
                notes.append(("comment", posting.comment))
            lines.extend(_meta_lines(notes, "    "))
        return "\n".join(lines) + "\n"

    def posting(self, posting: Posting) -> str:
        flag = {Status.CLEARED: "* ", Status.PENDING: "! "}.get(posting.status, "")
        line = f"  {flag}{self.accounts[posting.account]}"
        if posting.amount is not None:
            line += "  " + self.amount(posting.amount.quantity, posting.amount.commodity)
        if posting.cost is not None:
            cost = posting.cost.amount
            line += (f" {'@@' if posting.cost.is_total else '@'} {cost.quantity:f} "
                     f"{self.currencies[cost.commodity]}")
        return line


def _meta_lines(pairs: Sequence[tuple[str, str]], indent: str) -> list[str]:
    """``key: "value"`` lines; a key met again in the same block gets ``-2``, ``-3``..."""
    used: set[str] = set()
    lines = []
    for key, value in pairs:
        name, count = key, 1
        while name in used:
            count += 1
            name = f"{key}-{count}"
        used.add(name)
        lines.append(f"{indent}{name}: {_string(value)}")
    return lines


class _Balances:
    """Running balances of the asserted accounts' subtrees, for ``balance`` directives."""

    def __init__(self, transactions: Sequence[Transaction], accounts: Mapping[str, str],
                 currencies: Mapping[str, str], precisions: Mapping[str, int]) -> None:
        self.currencies = currencies
        self.precisions = precisions
        self.asserted: dict[dt.date, dict[tuple[str, str], None]] = {}
        for txn in transactions:
            for posting in txn.postings:
                if posting.assertion is not None:
                    self.asserted.setdefault(txn.date, {})[
                        accounts[posting.account], posting.assertion.commodity] = None
        targets = {account for day in self.asserted.values() for account, _ in day}
        self.feeds: dict[str, list[str]] = {}
        for name, mapped in accounts.items():
            fed = [t for t in targets if mapped == t or mapped.startswith(t + ":")]
            if fed:
                self.feeds[name] = fed
        self.totals: dict[tuple[str, str], Decimal] = {}

    def add(self, txn: Transaction) -> None:
        for posting in txn.postings:
            fed = self.feeds.get(posting.account)
            if fed and posting.amount is not None:
                for target in fed:
                    key = (target, posting.amount.commodity)
                    self.totals[key] = self.totals.get(key, ZERO) + posting.amount.quantity

    def end_of_day(self, day: dt.date) -> Iterator[str]:
        for account, commodity in self.asserted.get(day, ()):
            total = self.totals.get((account, commodity), ZERO)
            amount = quantity_text(total, self.precisions.get(commodity, 0))
            yield (f"\n{(day + dt.timedelta(days=1)).isoformat()} balance {account}  "
                   f"{amount} {self.currencies[commodity]}\n")
