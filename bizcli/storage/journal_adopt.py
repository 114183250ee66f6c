"""``biz import journal``: adopt an hledger or ledger journal into a book without entries.

Read the file and its includes -> scan and parse each (``core/imports/journal_scan.py``
sorts every line into read, dropped or refused) -> plan the chart entries and the year
files -> check everything (the scan, balance, assertions, lock date, open years, the
chart) -> read the planned files back and compare their balances with the source's ->
write ``accounts.yaml``, then each ``journal/YEAR.journal``, atomically under the book
lock. Anything refused stops the whole import, with every problem listed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from bizcli.core.book import Book
from bizcli.core.imports.journal_scan import (
    DeclaredType,
    Dropped,
    NewAccount,
    plan_accounts,
    scan_journal,
)
from bizcli.core.ledger.accounts import build_chart
from bizcli.core.ledger.balances import check_assertions
from bizcli.core.ledger.balancing import balance_transaction, entry_precisions, weight_sums
from bizcli.core.ledger.posting import ambiguous_description, last_open_day
from bizcli.core.ledger.transactions import Price, Transaction
from bizcli.core.money import Amount, decimal_places, format_amount
from bizcli.core.periods import fiscal_year_of
from bizcli.core.problems import BizcliError, Problem, Severity, blocking
from bizcli.core.source import SourceRef
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.journal_reader import read_journal
from bizcli.storage.journal_writer import write_transaction
from bizcli.storage.loader import ACCOUNTS_FILE, JOURNAL_DIR, load_for_update

OTHER_FORMATS = frozenset({".csv", ".tsv", ".ssv", ".timeclock", ".timedot", ".rules"})
SCANNED = frozenset({"unsupported-syntax", "bad-amount", "bad-date", "missing-commodity"})
"""Reader problems the scan reports better on the lines it flags (others are kept)."""
_SYMBOL = re.compile(r"[^\d\s\-+.,;@=()\"'*]+")
_ITEM = re.compile(r"^(\s*)- name:", re.MULTILINE)


@dataclass(slots=True)
class Source:
    """Everything read from the journal and its includes, in reading order."""

    name: str = ""
    files: list[str] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    declared: dict[str, SourceRef] = field(default_factory=dict)
    types: dict[str, DeclaredType] = field(default_factory=dict)
    commodities: dict[str, int] = field(default_factory=dict)
    prices: list[Price] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    read: set[Path] = field(default_factory=set)


@dataclass(slots=True)
class AdoptPlan:
    """What an import would write, and what stops it."""

    source: str
    files: list[str]
    accounts: list[NewAccount]
    entries: dict[str, int]
    prices: dict[str, int]
    commodities: dict[str, int]
    dropped: list[Dropped]
    notes: list[str]
    problems: list[Problem]
    texts: dict[str, str] = field(default_factory=dict)
    chart_text: str | None = None
    precisions: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the import."""
        return blocking(self.problems)


def adopt_journal(root: Path, file: Path, today: dt.date, *, dry_run: bool = False,
                  on_step: Callable[[int], None] | None = None) -> AdoptPlan:
    """Plan the adoption of ``file`` into the book at ``root`` and, unless a dry run, do it.

    Refuses (``BizcliError``, nothing written) when anything in the plan is an error;
    a dry run returns the plan with its problems instead. ``on_step`` is told when the
    source is read, when the plan is checked and as each file is written.
    """
    step = on_step or (lambda _: None)
    with book_lock(root):
        book, _ = load_for_update(root)
        source = read_source(file, str(file))
        step(1)
        plan = make_plan(root, book, source, today)
        step(1)
        if dry_run:
            return plan
        if plan.errors:
            raise BizcliError(plan.errors)
        if plan.chart_text is not None:
            write_atomic(root / ACCOUNTS_FILE, plan.chart_text)
        for rel, text in sorted(plan.texts.items()):
            write_atomic(root / rel, text)
            step(1)
    return plan


# -- reading the source -------------------------------------------------------------
def read_source(path: Path, shown: str) -> Source:
    """Scan and parse ``path`` and the files it includes; ``shown`` names it in problems."""
    source = Source()
    source.name = shown
    source.transactions = _read(source, path, shown, None, ())
    return source


def _read(source: Source, path: Path, shown: str, via: SourceRef | None,
          stack: tuple[Path, ...]) -> list[Transaction]:
    """The file's entries with its includes' entries in their places."""
    resolved = path.resolve()
    if resolved in stack or resolved in source.read:
        source.problems.append(Problem(
            code="duplicate-include", source=via,
            message=f"{shown} is already being read; reading it again would count its "
                    "entries twice", hint="remove this include"))
        return []
    if path.suffix.lower() in OTHER_FORMATS:
        source.problems.append(Problem(
            code="unsupported-syntax", source=via or SourceRef(shown, 0),
            message=f"{shown} is a {path.suffix[1:]} file — hledger converts such files as "
                    "it reads them; bizcli reads journal files only",
            hint="convert it with 'hledger -f FILE print > FILE.journal' and import that"))
        return []
    text = _read_text(path, shown, via, source.problems)
    if text is None:
        return []
    source.files.append(shown)
    source.read.add(resolved)
    scan = scan_journal(shown, text)
    parsed = read_journal(shown, scan.text)
    flagged = {p.source.line for p in scan.problems if p.source is not None}
    source.problems.extend(scan.problems)
    source.problems.extend(p for p in parsed.problems if p.source is None
                           or p.source.line not in flagged or p.code not in SCANNED)
    source.dropped.extend(scan.dropped)
    source.types.update(scan.types)
    source.commodities.update(scan.commodities)
    source.prices.extend(parsed.prices)
    for name, ref in parsed.accounts:
        source.declared.setdefault(name, ref)
    entries: list[Transaction] = []
    pending = list(parsed.transactions)
    for target, ref in scan.includes:
        while pending and pending[0].source is not None and pending[0].source.line < ref.line:
            entries.append(pending.pop(0))
        for child, child_shown in _expand(path, shown, target, ref, source.problems):
            entries.extend(_read(source, child, child_shown, ref, (*stack, resolved)))
    entries.extend(pending)
    return entries


def _read_text(path: Path, shown: str, via: SourceRef | None,
               problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as err:
        problems.append(Problem(code="unreadable-file", source=via or SourceRef(shown, 0),
                                message=f"cannot read {shown}: {err.strerror}",
                                hint="check the path and the file's permissions"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(Problem(code="bad-encoding", source=SourceRef(shown, line),
                                message=f"{shown} is not valid UTF-8",
                                hint="convert it to UTF-8 first, e.g. with iconv"))
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _expand(path: Path, shown: str, target: str, ref: SourceRef,
            problems: list[Problem]) -> list[tuple[Path, str]]:
    """The files an include names (a glob in name order), each with its shown name."""
    wanted = Path(target).expanduser()
    base = path.parent
    full = wanted if wanted.is_absolute() else base / wanted
    if any(ch in target for ch in "*?["):
        anchor = Path(full.anchor) if full.is_absolute() else Path()
        pattern = str(full.relative_to(anchor)) if full.is_absolute() else str(full)
        found = sorted(p for p in anchor.glob(pattern) if p.is_file())
    else:
        found = [full] if full.is_file() else []
    if not found:
        problems.append(Problem(code="missing-include", source=ref,
                                message=f"included file {target!r} does not exist",
                                hint="fix the path (relative to this file) or remove the line"))
    shown_dir = Path(shown).parent
    return [(p, p.as_posix() if wanted.is_absolute() else
             os.path.normpath(shown_dir / os.path.relpath(p, base))) for p in found]


# -- the plan ------------------------------------------------------------------------
def make_plan(root: Path, book: Book, source: Source, today: dt.date) -> AdoptPlan:
    """Check everything and prepare the files' new texts; nothing is written here."""
    problems = list(source.problems)
    notes: list[str] = []
    if book.transaction_count:
        problems.append(Problem(
            code="book-not-empty", message=f"the book already has {book.transaction_count} "
            f"journal {'entry' if book.transaction_count == 1 else 'entries'}; biz import "
            "journal adopts a journal into a book without entries",
            hint="create a new book with 'biz init DIR' and import into it"))
    entries = _balanced(source.transactions, notes, problems)
    used: dict[str, SourceRef | None] = {}
    for txn in source.transactions:
        for posting in txn.postings:
            used.setdefault(posting.account, posting.source)
    for name, ref in source.declared.items():
        used.setdefault(name, ref)
    added, found = plan_accounts(used, source.types, book.chart)
    problems.extend(found)
    for name, declared in sorted(source.types.items()):
        kind = book.chart.type_of(name)
        if name in book.chart and kind is not declared.type:
            notes.append(f"{name} keeps its type in the chart ({kind.value if kind else '-'}); "
                         f"the file declares {declared.type.value} ({declared.source})")
    chart_text = _chart_text(root, added, problems)
    problems.extend(_dates(book, entries, today))
    precisions = _precisions(book, source, notes)
    if not problems:  # an entry left out by another problem would fail assertions after it
        problems.extend(p for p in check_assertions(entries, precisions)
                        if p.severity is Severity.ERROR)
    plan = AdoptPlan(source=source.name, files=source.files,
                     accounts=added, entries={}, prices={}, commodities={},
                     dropped=source.dropped, notes=notes, problems=problems,
                     chart_text=chart_text)
    plan.precisions = precisions
    _year_files(root, book, source, entries, plan)
    return plan


def _balanced(transactions: Iterable[Transaction], notes: list[str],
              problems: list[Problem]) -> list[Transaction]:
    """Every entry with its amounts filled in, exactly (no rounding)."""
    out = []
    zeros = []
    for txn in transactions:
        filled = _zero_filled(txn)
        if filled is not txn:
            zeros.append(str(txn.source))
        done, found = balance_transaction(filled)
        done = _plain_fills(filled, done)
        problems.extend(found)
        problems.extend(ambiguous_description(done))
        out.append(done)
    if zeros:
        notes.append(f"{len(zeros)} posting(s) left without an amount in an entry that "
                     f"already balances get 0, as in hledger ({', '.join(zeros[:3])}"
                     f"{', ...' if len(zeros) > 3 else ''})")
    return out


def _plain_fills(written: Transaction, balanced: Transaction) -> Transaction:
    """A filled-in amount without the trailing zeros of a product (108.5000000 -> 108.5)."""
    postings = []
    for before, after in zip(written.postings, balanced.postings, strict=True):
        amount = after.amount
        if before.amount is None and amount is not None and (
                decimal_places(amount.quantity.normalize()) < decimal_places(amount.quantity)):
            postings.append(after._replace(amount=Amount(amount.quantity.normalize(),
                                                         amount.commodity)))
        else:
            postings.append(after)
    return balanced._replace(postings=tuple(postings))


def _zero_filled(txn: Transaction) -> Transaction:
    """An entry whose one posting without an amount is zero: the zero written out.

    Only when every written amount is in one commodity, so the zero's commodity is clear.
    """
    missing = [i for i, p in enumerate(txn.postings) if p.amount is None]
    if len(missing) != 1 or weight_sums(txn.postings):
        return txn
    commodities = {p.amount.commodity for p in txn.postings if p.amount is not None} | {
        p.cost.amount.commodity for p in txn.postings if p.cost is not None}
    if len(commodities) != 1:
        return txn
    (commodity,) = commodities
    places = entry_precisions(txn.postings).get(commodity, 0)
    zero = Amount(Decimal(0).scaleb(-places), commodity)
    postings = list(txn.postings)
    postings[missing[0]] = postings[missing[0]]._replace(amount=zero)
    return txn._replace(postings=tuple(postings))


def _dates(book: Book, entries: list[Transaction], today: dt.date) -> list[Problem]:
    """The lock date and the open years, one problem for each (naming the first entry)."""
    problems = []
    lock = book.settings.lock_date
    locked = [t for t in entries if lock is not None and t.date <= lock]
    if locked:
        problems.append(Problem(
            code="locked-period", source=locked[0].source,
            message=f"{_entries(len(locked))} dated on or before the lock date {lock} "
                    f"(this one is dated {locked[0].date})",
            hint="adopt the journal into a book without a lock date, or move lock_date "
                 "back in biz.yaml"))
    last = last_open_day(book, today)
    late = [t for t in entries if t.date > last]
    if late:
        problems.append(Problem(
            code="date-out-of-range", source=late[0].source,
            message=f"{_entries(len(late))} dated after the end of the current fiscal "
                    f"year ({last}); this one is dated {late[0].date}",
            hint="remove the future entries from the file (bizcli takes them when "
                 "their year starts), or check their dates"))
    return problems


def _entries(count: int) -> str:
    return "1 entry is" if count == 1 else f"{count} entries are"


def _precisions(book: Book, source: Source, notes: list[str]) -> dict[str, int]:
    """Decimals per commodity: biz.yaml, else the file's directive, else what it writes.

    The adoption writes a ``commodity`` directive for those that differ from what the
    book would use; ``plan.commodities`` lists them.
    """
    seen: dict[str, int] = {}
    for txn in source.transactions:
        for posting in txn.postings:
            for amount in (posting.amount, posting.assertion):
                if amount is not None:
                    places = decimal_places(amount.quantity)
                    seen[amount.commodity] = max(places, seen.get(amount.commodity, 0))
    wanted = {**seen, **{c: p for c, p in source.commodities.items() if p >= 0}}
    out = book.precisions()
    for commodity, places in sorted(wanted.items()):
        if commodity in book.settings.precisions:
            continue
        default = book.precision(commodity)
        if places == 0 and default != 0:
            notes.append(f"{commodity} amounts are written with {default} decimals (the file "
                         f"shows none); set 'commodities: {{{commodity}: 0}}' in biz.yaml "
                         "to show none")
            out[commodity] = default
        else:
            out[commodity] = places
    return out


def _chart_text(root: Path, added: list[NewAccount], problems: list[Problem]) -> str | None:
    """``accounts.yaml`` with the new accounts appended, or None when none are new."""
    from bizcli.storage.book_files import account_name_problem, read_accounts
    from bizcli.storage.chart_store import account_entry

    if not added:
        return None
    for new in added:
        problem = account_name_problem(new.account.name)
        if problem is not None:
            problems.append(problem)
    path = root / ACCOUNTS_FILE
    text = path.read_text(encoding="utf-8")
    existing, _ = read_accounts(ACCOUNTS_FILE, text)
    items = _ITEM.findall(text)
    indent = items[-1] if items else ""
    new_text = (text if text.endswith("\n") else text + "\n") + "".join(
        account_entry(new.account, indent) for new in added)
    parsed, found = read_accounts(ACCOUNTS_FILE, new_text)
    if found or len(parsed) != len(existing) + len(added):
        problems.append(Problem(
            code="unwritable-chart", message="accounts.yaml does not end with its accounts "
            "list, so the new accounts cannot be appended safely",
            hint="move 'accounts:' to the end of the file, then try again"))
        return None
    _, found = build_chart(parsed)
    problems.extend(found)
    return new_text


def _year_files(root: Path, book: Book, source: Source, entries: list[Transaction],
                plan: AdoptPlan) -> None:
    """Count what goes into each year file; with no errors, prepare the files' texts."""
    start = book.settings.fiscal_year_start
    by_file: dict[str, list[Transaction]] = {}
    for txn in sorted(entries, key=lambda t: t.date):
        by_file.setdefault(_year_file(txn.date, start), []).append(txn)
    prices: dict[str, list[Price]] = {}
    for price in sorted(source.prices, key=lambda p: p.date):
        prices.setdefault(_year_file(price.date, start), []).append(price)
    precisions = plan.precisions
    directives = _commodity_lines(book, source, precisions, plan)
    files = sorted(set(by_file) | set(prices))
    for rel in files:
        plan.entries[rel] = len(by_file.get(rel, []))
        plan.prices[rel] = len(prices.get(rel, []))
    if plan.errors:
        return
    name = Path(plan.source).name
    for number, rel in enumerate(files):
        path = root / rel
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        parts = [old.rstrip("\n") + "\n" if old.strip() else
                 f"; Adopted from {name} by biz import journal.\n"]
        if number == 0 and directives:
            parts.append("".join(directives))
        if prices.get(rel):
            parts.append("".join(_price_line(p) for p in prices[rel]))
        parts.extend(write_transaction(t, precisions) for t in by_file.get(rel, []))
        plan.texts[rel] = "\n".join(parts)
    _read_back(plan, entries)


def _year_file(day: dt.date, start: tuple[int, int]) -> str:
    return f"{JOURNAL_DIR}/{fiscal_year_of(day, start)}.journal"


def _commodity_lines(book: Book, source: Source, precisions: Mapping[str, int],
                     plan: AdoptPlan) -> list[str]:
    """``commodity`` directives for what the file declares or writes unlike the book.

    A directive with a sample needs a decimal mark in hledger, and bizcli reads none
    without a digit after it, so a commodity with no decimals gets a bare directive.
    """
    lines = []
    for commodity in sorted(set(source.commodities) | set(precisions)):
        if commodity in book.settings.precisions or not _SYMBOL.fullmatch(commodity):
            continue
        declared = commodity in source.commodities
        places = precisions.get(commodity, -1)
        if places < 1:
            if declared:
                lines.append(f"commodity {commodity}\n")
                plan.commodities[commodity] = -1
            continue
        if not declared and places == book.precision(commodity):
            continue
        sample = format_amount(Decimal(1000), commodity, places)
        lines.append(f"commodity {commodity}\n    format {sample}\n")
        plan.commodities[commodity] = places
    return lines


def _price_line(price: Price) -> str:
    amount = format_amount(price.price.quantity, price.price.commodity, 0)
    return f"P {price.date.isoformat()} {price.commodity} {amount}\n"


def _read_back(plan: AdoptPlan, entries: list[Transaction]) -> None:
    """Refuse unless the planned files read back to the source's entries and balances."""
    expected = _sums(entries)
    got: list[Transaction] = []
    problems: list[Problem] = []
    for rel, text in sorted(plan.texts.items()):
        parsed = read_journal(rel, text)
        problems.extend(parsed.problems)
        for txn in parsed.transactions:
            done, found = balance_transaction(txn)
            problems.extend(found)
            got.append(done)
    if problems or len(got) != len(entries) or _sums(got) != expected:
        shown = problems[0].one_line() if problems else "the balances differ"
        plan.problems.append(Problem(
            code="unreadable-journal", source=None,
            message=f"the entries as bizcli would write them do not read back the same "
                    f"({shown}); nothing was written", hint="report this as a bug"))


def _sums(entries: Iterable[Transaction]) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = {}
    for txn in entries:
        for posting in txn.postings:
            if posting.amount is not None:
                key = (posting.account, posting.amount.commodity)
                totals[key] = totals.get(key, Decimal(0)) + posting.amount.quantity
    return {key: value for key, value in totals.items() if value}
