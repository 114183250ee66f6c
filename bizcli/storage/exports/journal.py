"""The whole book as one journal for hledger or ledger (``biz export hledger|ledger``).

Declarations come first: the commodities with their precision, the accounts of the
chart with their types (hledger's ``type:`` codes; ledger has no account types, so
there they are a comment) and, for ledger, every tag, so that ``hledger --strict`` and
``ledger --pedantic`` accept the file. Then the ``P`` prices, then every entry in date
order (entries of one day in the order of the book's files, which is how bizcli checks
balance assertions), each written by the same writer as ``biz post``.

One dialect difference needs care: ledger compares a balance assertion with every
commodity the account holds, bizcli and hledger with the one it names. In the ledger
file such an assertion (``biz check`` warns about it, ``assertion-multi-commodity``)
becomes a comment on its posting.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.ledger.accounts import AccountType
from bizcli.core.ledger.balancing import weight_sums
from bizcli.core.ledger.transactions import Cost, Posting, Transaction, posting_weight
from bizcli.core.money import ZERO, Amount, decimal_places, format_amount, format_quantity
from bizcli.storage.journal_writer import INDENT, write_transaction


class Dialect(str, enum.Enum):
    """The tool a journal export is for."""

    HLEDGER = "hledger"
    LEDGER = "ledger"


_HLEDGER_TYPES = {AccountType.ASSET: "A", AccountType.LIABILITY: "L",
                  AccountType.EQUITY: "E", AccountType.INCOME: "R",
                  AccountType.EXPENSE: "X"}
_CASH_TYPE = "C"
# What ledger reads as a metadata tag in a comment: "key: value", or ":tag1:tag2:".
_LEDGER_KEY = re.compile(r"\s*([^\s:]+):(?:\s|$)")
_LEDGER_TAGS = re.compile(r"\s*:((?:[^\s:]+:)+)\s*$")


def quantity_text(quantity: Decimal, places: int) -> str:
    """At least ``places`` decimals, and no zeros after the last digit beyond them.

    ``135.837500`` (a derived amount kept exact) at 2 places is ``135.8375``; ``12.5``
    is ``12.50``.
    """
    if decimal_places(quantity) > places:
        quantity = quantity.normalize()
    return format_quantity(quantity, places)


def ordered_transactions(book: Book) -> list[Transaction]:
    """The book's entries by date (one day's in file order), each ``settled``."""
    if book.transactions is None:
        raise ValueError("the book was loaded without its transactions")
    return [settled(txn) for txn in sorted(book.transactions, key=lambda txn: txn.date)]


def settled(txn: Transaction) -> Transaction:
    """The entry, balancing exactly: a price that leaves a rounding difference is a total.

    bizcli accepts an entry whose converted postings sum to within half a unit of the
    last decimal written (``50.00 EUR @ 1.0851 USD`` against ``-54.26 USD``). hledger
    checks at the declared precision and beancount lets whole numbers (``1000 JPY``)
    tolerate nothing, so such an entry would not balance for them. The last posting
    priced in that commodity gets the total price that balances exactly (``@@ 54.26
    USD``), and a comment keeping the price as written; amounts do not change.
    """
    if not any(posting.cost for posting in txn.postings):
        return txn
    rest = weight_sums(txn.postings)
    if not rest:
        return txn
    postings = list(txn.postings)
    for commodity, difference in rest.items():
        priced = [i for i, p in enumerate(postings)
                  if p.cost is not None and p.cost.amount.commodity == commodity]
        if priced:
            postings[priced[-1]] = _total_price(postings[priced[-1]], difference)
    return txn._replace(postings=tuple(postings))


def _total_price(posting: Posting, difference: Decimal) -> Posting:
    """The posting with the total price that takes ``difference`` off its weight."""
    cost, amount, weight = posting.cost, posting.amount, posting_weight(posting)
    if cost is None or amount is None or weight is None:
        return posting
    commodity = cost.amount.commodity
    exact = weight.quantity - difference
    if not exact or (exact > 0) != (amount.quantity > 0):
        return posting
    written = format_amount(cost.amount.quantity, commodity, 0)
    note = (f"written {'@@' if cost.is_total else '@'} {written} in the book, here the total "
            "that balances exactly")
    return posting._replace(cost=Cost(Amount(abs(exact).normalize(), commodity), is_total=True),
                            comment="\n".join(part for part in (note, posting.comment) if part))


def commodities_used(book: Book, transactions: Iterable[Transaction]) -> dict[str, int]:
    """Every commodity of the book (amounts, prices, costs, assertions) -> its precision."""
    names = set(book.precisions())
    for txn in transactions:
        for posting in txn.postings:
            if posting.amount is not None:
                names.add(posting.amount.commodity)
            if posting.cost is not None:
                names.add(posting.cost.amount.commodity)
            if posting.assertion is not None:
                names.add(posting.assertion.commodity)
    for price in book.prices:
        names.update((price.commodity, price.price.commodity))
    names.discard("")
    return {name: book.precision(name) for name in sorted(names)}


def exact_precisions(book: Book, transactions: Iterable[Transaction]) -> dict[str, int]:
    """``commodities_used``, widened so that every posting amount shows exactly.

    A derived amount (an elided posting filled in through a price, 135.8375) can have more
    decimals than its commodity's precision; declaring the wider precision makes hledger
    and ledger show balances to the last digit, as bizcli does.
    """
    transactions = list(transactions)
    places = commodities_used(book, transactions)
    for txn in transactions:
        for posting in txn.postings:
            amount = posting.amount
            if amount is not None and decimal_places(amount.quantity) > places[
                    amount.commodity]:
                exact = decimal_places(amount.quantity.normalize())
                places[amount.commodity] = max(places[amount.commodity], exact)
    return places


def account_names(book: Book, transactions: Iterable[Transaction]) -> list[str]:
    """The chart's accounts in chart order, then any other account posted to, sorted."""
    listed = book.chart.names()
    known = set(listed)
    extra = {p.account for txn in transactions for p in txn.postings} - known
    return [*listed, *sorted(extra)]


def journal_text(book: Book, dialect: Dialect) -> Iterator[str]:
    """The export, in pieces that join into the whole file."""
    transactions = ordered_transactions(book)
    precisions = commodities_used(book, transactions)
    yield _header(book, transactions, dialect)
    yield from _commodity_lines(exact_precisions(book, transactions), dialect)
    yield "\n"
    yield from _account_lines(book, account_names(book, transactions), dialect)
    if dialect is Dialect.LEDGER and (tags := sorted(_ledger_tag_keys(transactions))):
        yield "\n" + "".join(f"tag {key}\n" for key in tags)
    if book.prices:
        yield "\n"
    for price in sorted(book.prices, key=lambda p: p.date):
        amount = format_amount(price.price.quantity, price.price.commodity, 0)
        yield f"P {price.date.isoformat()} {price.commodity} {amount}\n"
    if dialect is Dialect.LEDGER:
        transactions = _ledger_assertions(transactions, precisions)
    for txn in transactions:
        yield "\n" + write_transaction(txn, precisions)


def _header(book: Book, transactions: Sequence[Transaction], dialect: Dialect) -> str:
    company = " ".join(book.settings.company.split()) or "The book"
    lines = [f"; {company}: the whole book for {dialect.value} (biz export {dialect.value})"]
    if transactions:
        lines.append(f"; {len(transactions)} entries from {transactions[0].date.isoformat()} "
                     f"to {transactions[-1].date.isoformat()}")
    return "\n".join(lines) + "\n\n"


def _commodity_lines(precisions: Mapping[str, int], dialect: Dialect) -> Iterator[str]:
    for name, places in precisions.items():
        sample = format_amount(Decimal(1000), name, places)
        if dialect is Dialect.HLEDGER:  # hledger wants a decimal mark: 1000. JPY
            yield f"commodity {sample if places else sample.replace('1000', '1000.', 1)}\n"
        else:
            yield f"commodity {name}\n{INDENT}format {sample}\n"


def _account_lines(book: Book, names: Sequence[str], dialect: Dialect) -> Iterator[str]:
    chart = book.chart
    details = {account.name: account for account in chart.accounts}
    for name in names:
        kind = chart.type_of(name)
        subtype = chart.subtype_of(name)
        notes = []
        if dialect is Dialect.HLEDGER:
            line = f"account {name}"
            if kind is not None:
                code = _CASH_TYPE if subtype == "cash" else _HLEDGER_TYPES[kind]
                line += f"  ; type: {code}"
        else:
            line = f"account {name}"
            if kind is not None:
                notes.append(f"type: {kind.value}")
        account = details.get(name)
        if subtype is not None:
            notes.append(f"subtype: {subtype}")
        if account is not None and account.code:
            notes.append(f"code: {account.code}")
        if account is not None and account.note:
            notes.extend(f"note: {part}" for part in account.note.splitlines() if part.strip())
        yield "\n".join([line, *(f"{INDENT}; {note}" for note in notes)]) + "\n"


def _ledger_tag_keys(transactions: Iterable[Transaction]) -> set[str]:
    """Every metadata tag ledger will find in the comments (its --pedantic wants them)."""
    keys: set[str] = set()
    for txn in transactions:
        keys.update(key for key, _ in txn.tags)
        keys.update(_comment_keys(txn.comment))
        for posting in txn.postings:
            keys.update(key for key, _ in posting.tags)
            keys.update(_comment_keys(posting.comment))
    return keys


def _comment_keys(comment: str) -> list[str]:
    keys: list[str] = []
    for line in comment.split("\n") if comment else ():
        tags = _LEDGER_TAGS.fullmatch(line)
        if tags:
            keys.extend(tag for tag in tags.group(1).split(":") if tag)
            continue
        key = _LEDGER_KEY.match(line)
        if key:
            keys.append(key.group(1))
    return keys


def _ledger_assertions(transactions: Sequence[Transaction],
                       precisions: Mapping[str, int]) -> list[Transaction]:
    """Assertions on an account that holds other commodities become comments."""
    asserted = {p.account for txn in transactions for p in txn.postings
                if p.assertion is not None}
    if not asserted:
        return list(transactions)
    held: dict[str, dict[str, Decimal]] = {account: {} for account in asserted}
    out = []
    for txn in transactions:
        postings = tuple(_ledger_posting(posting, held.get(posting.account), precisions)
                         for posting in txn.postings)
        out.append(txn if postings == txn.postings else txn._replace(postings=postings))
    return out


def _ledger_posting(posting: Posting, balance: dict[str, Decimal] | None,
                    precisions: Mapping[str, int]) -> Posting:
    """Add the posting to its account's balance; its assertion as ledger can check it."""
    if balance is None:
        return posting
    if posting.amount is not None:
        commodity = posting.amount.commodity
        balance[commodity] = balance.get(commodity, ZERO) + posting.amount.quantity
    assertion = posting.assertion
    if assertion is None or not any(quantity for commodity, quantity in balance.items()
                                    if commodity != assertion.commodity):
        return posting
    asserted = format_amount(assertion.quantity, assertion.commodity,
                             precisions.get(assertion.commodity, 0))
    note = (f"balance assertion = {asserted} kept as a comment (ledger would compare it "
            "with every commodity the account holds)")
    return posting._replace(assertion=None, comment="\n".join(
        part for part in (note, posting.comment) if part))
