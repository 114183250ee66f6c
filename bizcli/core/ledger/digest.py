"""What a stretch of journal contributes to the book, computed without the rest of it.

A large book is read in pieces (files, or parts of a file cut between entries), each
digested on its own, possibly in another process: its entries balanced, its postings
summed per day, the first use of each account noted, and each balance assertion
reduced to the part that only this piece knows (the same-day postings before it).
Merging the digests in order gives exactly what reading the whole journal would.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.checks import balance_all
from bizcli.core.ledger.balance_index import BalanceIndex
from bizcli.core.ledger.balances import Movement, PostingNotes, sum_postings
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.money import ZERO, Amount, format_amount
from bizcli.core.problems import Problem, Severity
from bizcli.core.source import SourceRef

DayKey = tuple[dt.date, str, str]


class PendingAssertion(NamedTuple):
    """A balance assertion, with the same-day sum of its postings up to it in its piece."""

    date: dt.date
    account: str
    expected: Amount
    same_day: Decimal
    source: SourceRef | None


@dataclass(slots=True, kw_only=True)
class Digest:
    """One piece's contribution: daily sums, cash flows, first uses, assertions, problems."""

    movements: dict[DayKey, Decimal] = field(default_factory=dict)
    flows: dict[DayKey, Decimal] = field(default_factory=dict)
    first_use: dict[str, SourceRef | None] = field(default_factory=dict)
    assertions: list[PendingAssertion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    count: int = 0
    transactions: list[Transaction] | None = None
    first: tuple[dt.date, SourceRef | None] | None = None
    """Date and place of the piece's first entry, to check order across pieces."""
    last_date: dt.date | None = None


def digest_transactions(raw: Sequence[Transaction], is_cash: Callable[[str], bool], *,
                        keep: bool = False) -> Digest:
    """Balance a piece's entries and reduce them to what the whole book needs."""
    balanced, problems = balance_all(raw)
    notes = PostingNotes()
    movements, flows = sum_postings(balanced, is_cash, notes)
    problems.extend(_order_problems(raw))
    return Digest(movements=movements, flows=flows, first_use=notes.first_use,
                  assertions=_pending_assertions(balanced) if notes.asserts else [],
                  problems=problems,
                  count=len(raw), transactions=balanced if keep else None,
                  first=(raw[0].date, raw[0].source) if raw else None,
                  last_date=max((t.date for t in raw), default=None))


def _order_problems(raw: Sequence[Transaction]) -> list[Problem]:
    """A warning at the first entry dated before the one above it."""
    for before, after in itertools.pairwise(raw):
        if after.date < before.date:
            return [unordered(after.date, before.date, after.source)]
    return []


def unordered(date: dt.date, previous: dt.date, source: SourceRef | None) -> Problem:
    """The file is not in date order at ``source``."""
    return Problem(
        code="unordered-dates", severity=Severity.WARNING, source=source,
        message=f"this entry is dated {date}, before the entry above it ({previous}); "
                "ledger checks balance assertions in file order",
        hint="keep the file in date order (biz post inserts entries in order)")


def _pending_assertions(transactions: Iterable[Transaction]) -> list[PendingAssertion]:
    with_assertions = [t for t in transactions
                       if any(p.assertion is not None for p in t.postings)]
    if not with_assertions:
        return []
    days = {t.date for t in with_assertions}
    running: dict[DayKey, Decimal] = {}
    out = []
    for txn in sorted((t for t in transactions if t.date in days), key=lambda t: t.date):
        for posting in txn.postings:
            if posting.amount is not None:
                key = (txn.date, posting.account, posting.amount.commodity)
                running[key] = running.get(key, ZERO) + posting.amount.quantity
            expected = posting.assertion
            if expected is not None:
                same_day = running.get((txn.date, posting.account, expected.commodity), ZERO)
                out.append(PendingAssertion(txn.date, posting.account, expected, same_day,
                                            posting.source))
    return out


def merged_movements(digests: Iterable[Digest], flows: bool = False) -> list[Movement]:
    """Daily movements of all pieces together, in date order."""
    total: dict[DayKey, Decimal] = {}
    for digest in digests:
        for key, quantity in (digest.flows if flows else digest.movements).items():
            total[key] = total.get(key, ZERO) + quantity
    return [Movement(d, a, c, q) for (d, a, c), q in sorted(total.items())]


def check_pending_assertions(digests: Sequence[Digest], index: BalanceIndex,
                             precisions: Mapping[str, int]) -> list[Problem]:
    """Each assertion against: every earlier day, earlier pieces' same day, then its own."""
    positions = {key: i for i, key in enumerate(index.keys)}
    problems = []
    for number, digest in enumerate(digests):
        for pending in digest.assertions:
            commodity = pending.expected.commodity
            key = (pending.date, pending.account, commodity)
            at = positions.get((pending.account, commodity))
            actual = index.total_before(at, pending.date) if at is not None else ZERO
            actual += sum((d.movements.get(key, ZERO) for d in digests[:number]), ZERO)
            actual += pending.same_day
            if actual != pending.expected.quantity:
                problems.append(_failed(pending, actual, precisions.get(commodity, 2)))
            others = _other_commodities(index, positions, pending)
            if others:
                problems.append(Problem(
                    code="assertion-multi-commodity", severity=Severity.WARNING,
                    source=pending.source,
                    message=f"{pending.account} also holds {', '.join(others)} here; ledger "
                            "compares the assertion with every commodity in the account",
                    hint="assert on an account that holds one commodity (a subaccount per "
                         "currency), or ledger will reject the file"))
    return problems


def _other_commodities(index: BalanceIndex, positions: Mapping[tuple[str, str], int],
                       pending: PendingAssertion) -> list[str]:
    """Commodities other than the asserted one with a balance at the end of that day."""
    day_after = pending.date + dt.timedelta(days=1)
    return sorted(
        commodity for (account, commodity), i in positions.items()
        if account == pending.account and commodity != pending.expected.commodity
        and index.total_before(i, day_after))


def _failed(pending: PendingAssertion, actual: Decimal, places: int) -> Problem:
    commodity = pending.expected.commodity

    def shown(quantity: Decimal) -> str:
        return format_amount(quantity, commodity, places)

    return Problem(
        code="failed-assertion", source=pending.source,
        message=f"balance assertion failed: {pending.account} is {shown(actual)} after this "
                f"posting, not {shown(pending.expected.quantity)}",
        hint=f"the difference is {shown(actual - pending.expected.quantity)}; look for a "
             "missing or mistyped entry before this date")
