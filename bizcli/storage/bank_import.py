"""``biz import bank``: a statement CSV, read with its rules file, posted to the journal.

The flow of every write: read the rules and the statement (every problem at once) ->
take the lock -> load the book with its entries (the hashes of the rows imported
already, the balance assertions) -> plan each row (``core/imports/plan.py``) -> check
every entry as ``biz post`` does -> write the entries into their years' journal files,
then the sales and purchase files the payments change -> bring the cache up to date.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from bizcli.core.book import Book
from bizcli.core.imports.bank import (
    DECIMAL_MARKS,
    ROLES,
    THOUSANDS_SEPARATORS,
    BankRules,
    ColumnRef,
    NumberFormat,
    Rule,
    date_format_problem,
    read_statement,
    template_problem,
)
from bizcli.core.imports.plan import Plan, Statement, Target, plan_import
from bizcli.core.ledger.balances import check_assertions
from bizcli.core.ledger.posting import validate_new_transaction
from bizcli.core.ledger.transactions import Transaction
from bizcli.core.problems import BizcliError, Problem, fail
from bizcli.core.source import SourceRef
from bizcli.core.text import WHOLE_DIGITS, abbreviated
from bizcli.storage.atomic import book_lock
from bizcli.storage.cache import no_moves
from bizcli.storage.cache_refresh import Written, refresh_after_write
from bizcli.storage.journal_store import add_transactions
from bizcli.storage.journal_writer import write_transaction
from bizcli.storage.loader import CacheState, load_book, load_for_update
from bizcli.storage.purchases_store import write_orders
from bizcli.storage.sales_store import write_documents
from bizcli.storage.yaml_reader import Fields, YamlFile

_RULES_KEYS = {"schema", "account", "currency", "encoding", "delimiter", "skip_lines",
               "header", "date_format", "decimal_mark", "thousands_separator",
               "invert_amounts", "columns", "rules", "default_account"}
_RULE_KEYS = {"match", "account", "counterparty", "description", "direction", "tags"}
_BOOLEANS = {"true": True, "yes": True, "false": False, "no": False}
_TAG_KEY = re.compile(r"[\w-]+")
_OWN_TAGS = {"import", "statement", "reference", "counterparty"}


@dataclass(frozen=True, slots=True, kw_only=True)
class BankRequest:
    """What ``biz import bank`` was asked for."""

    statement: str
    rules: str
    account: str | None = None
    match: bool = False
    dry_run: bool = False


class BankImport(NamedTuple):
    """What an import posted (or, on a dry run, would post)."""

    plan: Plan
    entries: list[Transaction]
    text: str
    target: Target
    precisions: dict[str, int]


# --- the rules file -------------------------------------------------------------------


def read_rules(path: str, text: str) -> tuple[BankRules | None, list[Problem]]:
    """Parse a rules file (``schema: 1``); None when it cannot be used."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return None, file.problems
    top.unknown_keys(_RULES_KEYS)
    numbers = _numbers(file, top)
    fmt = top.text("date_format") or "%Y-%m-%d"
    why = date_format_problem(fmt)
    if why is not None:
        _bad(file, top, "date_format", f"date_format {why}",
             "use strptime's directives, e.g. '%d.%m.%Y' or '%m/%d/%Y'")
    encoding = top.text("encoding") or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        _bad(file, top, "encoding", f"{encoding!r} is not an encoding Python knows",
             "use e.g. utf-8, utf-8-sig, cp1252 or latin-1")
    delimiter = top.text("delimiter") or ","
    if len(delimiter) != 1 or delimiter in '"\r\n':
        _bad(file, top, "delimiter", f"the delimiter {delimiter!r} is not one character",
             'use "," or ";" (or "\\t" for a tab)')
    skip = top.integer("skip_lines") or 0
    if skip < 0:
        file.problem(top.values["skip_lines"], "bad-number", "skip_lines cannot be negative",
                     "give the number of lines above the header, e.g. 4")
    rules = BankRules(
        path=path, columns=_columns(file, top), rules=_rules(file, top),
        account=top.text("account"),
        account_source=file.ref(top.values["account"]) if "account" in top.values else None,
        currency=top.text("currency"), encoding=encoding, delimiter=delimiter,
        skip_lines=max(skip, 0), header=_boolean(file, top, "header", default=True),
        date_format=fmt, numbers=numbers,
        invert=_boolean(file, top, "invert_amounts", default=False),
        default_account=top.text("default_account"),
        default_source=file.ref(top.values["default_account"])
        if "default_account" in top.values else None)
    return (None if file.problems else rules), file.problems


def _bad(file: YamlFile, top: Fields, key: str, message: str, hint: str) -> None:
    """A ``bad-bank-rules`` problem at the value of ``key``."""
    file.problem(top.values.get(key, top.node), "bad-bank-rules", message, hint)


def _boolean(file: YamlFile, top: Fields, key: str, *, default: bool) -> bool:
    text = top.text(key)
    if text is None:
        return default
    if text.lower() not in _BOOLEANS:
        _bad(file, top, key, f"{key} must be true or false, not {text!r}",
             f"write '{key}: true' or '{key}: false'")
        return default
    return _BOOLEANS[text.lower()]


def _numbers(file: YamlFile, top: Fields) -> NumberFormat:
    mark = top.text("decimal_mark") or "."
    group = top.text("thousands_separator") or ""
    if mark not in DECIMAL_MARKS:
        _bad(file, top, "decimal_mark", f"decimal_mark {mark!r} is neither '.' nor ','",
             "write decimal_mark: '.' or decimal_mark: ','")
    if group not in THOUSANDS_SEPARATORS or group == mark:
        _bad(file, top, "thousands_separator", f"thousands_separator {group!r} cannot be "
             f"used with decimal_mark {mark!r}",
             "use ',', '.', \"'\" or ' ' (not the decimal mark), or leave it out")
    return NumberFormat(decimal_mark=mark, thousands=group)


def _columns(file: YamlFile, top: Fields) -> tuple[ColumnRef, ...]:
    columns = top.mapping("columns")
    if columns is None:
        file.problem(top.node, "missing-key", "the rules file has no 'columns'",
                     "name the columns: columns: {date: Date, description: Text, "
                     "amount: Amount}")
        return ()
    columns.unknown_keys(set(ROLES))
    found = []
    for role in ROLES:
        text = columns.text(role)
        if text is None:
            continue
        source = file.ref(columns.values[role])
        digits = text.strip()
        if digits.isdigit() and digits.isascii():
            number = int(digits) if len(digits) <= WHOLE_DIGITS else 0
            if number < 1:
                _bad(file, columns, role, f"column {abbreviated(digits)} does not exist",
                     "number the columns from 1")
            found.append(ColumnRef(role=role, number=number, source=source))
        else:
            found.append(ColumnRef(role=role, header=text, source=source))
    roles = {c.role for c in found}
    for role in ("date", "description"):
        if role not in roles:
            file.problem(columns.node, "missing-key", f"the columns name no {role} column",
                         f"add '{role}: HEADER' under columns")
    if "amount" in roles and roles & {"debit", "credit"}:
        file.problem(columns.node, "bad-bank-rules", "the columns name an amount, and a "
                     "debit or a credit", "name one amount column, or a debit and a credit "
                     "column")
    elif "amount" not in roles and roles & {"debit", "credit"} != {"debit", "credit"}:
        file.problem(columns.node, "missing-key", "the columns name no amount (nor both "
                     "a debit and a credit column)", "add 'amount: HEADER', or 'debit:' and "
                     "'credit:'")
    return tuple(found)


def _rules(file: YamlFile, top: Fields) -> tuple[Rule, ...]:
    found = []
    for number, node in enumerate(top.sequence("rules"), start=1):
        entry = Fields.of(file, node, f"rule {number}")
        if entry is None:
            continue
        entry.unknown_keys(_RULE_KEYS)
        text, account = entry.text("match", required=True), entry.text("account", required=True)
        direction = entry.text("direction")
        if direction not in (None, "in", "out"):
            _bad(file, entry, "direction", f"direction {direction!r} is neither in nor out",
                 "write 'direction: in' (money in) or 'direction: out'")
        tags = _tags(file, entry)
        if text is None or account is None:
            continue
        try:
            pattern = re.compile(text, re.IGNORECASE)
        except (re.error, OverflowError, RecursionError) as err:  # a{10**10}; 500 nested (
            _bad(file, entry, "match", f"rule {number}'s pattern {text!r} is not a regular "
                 f"expression: {err}", "escape special characters with a backslash, e.g. "
                 "'\\(card\\)'")
            continue
        description = entry.text("description")
        why = template_problem(description, pattern) if description else None
        if why is not None:
            _bad(file, entry, "description", f"rule {number}: {why}",
                 "write {text}, {reference}, {counterparty} or (?P<name>...) groups")
        found.append(Rule(number=number, pattern=pattern, account=account,
                          counterparty=entry.text("counterparty"), description=description,
                          direction=direction, tags=tags, source=entry.source))
    return tuple(found)


def _tags(file: YamlFile, entry: Fields) -> tuple[tuple[str, str], ...]:
    """A rule's ``tags:``, each to be written on its entries as ``key: value``."""
    extra = entry.mapping("tags")
    if extra is None:
        return ()
    tags = []
    for key in extra.values:
        value = extra.text(key)
        if key in _OWN_TAGS:
            file.problem(extra.keys[key], "bad-bank-rules", f"the tag {key!r} is the "
                         "import's own", "give the tag another name")
        elif not _TAG_KEY.fullmatch(key) or value is None or "\n" in value:
            file.problem(extra.keys[key], "bad-bank-rules",
                         f"tag {key!r} cannot be written on an entry",
                         "use a key of letters, digits, - and _, and a one-line value")
        else:
            tags.append((key, value))
    return tuple(tags)


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise fail("unreadable-file", f"cannot read {path}: {err.strerror}",
                   hint="check the path and its permissions") from None


def _decode(path: str, data: bytes, encoding: str, rules_path: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise fail("bad-encoding", f"the statement is not {encoding} text",
                   hint=f"set 'encoding:' in {rules_path} to the file's (e.g. cp1252)",
                   source=SourceRef(path, line)) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


# --- the import -----------------------------------------------------------------------


def import_bank(root: Path, request: BankRequest, *, today: dt.date,
                on_read: Callable[[int], None] | None = None) -> BankImport:
    """Post a statement's new rows (or only plan them, on a dry run).

    Finding the rows imported before reads every entry of the journal; ``on_read`` is
    told the size of each file read (a progress bar on a large book).
    """
    rules_text = _decode(request.rules, _read_file(request.rules), "utf-8", request.rules)
    rules, problems = read_rules(request.rules, rules_text)
    if rules is None:
        raise BizcliError(problems)
    text = _decode(request.statement, _read_file(request.statement), rules.encoding,
                   request.rules)
    rows, problems = read_statement(text, rules, request.statement)
    if problems:
        raise BizcliError(problems)
    with book_lock(root):
        full, _ = load_book(root, need_transactions=True, on_read=on_read)
        book, state = load_for_update(root, need_stock=True, moves_of=no_moves)
        target = _target(book, rules, request)
        known = _known_hashes(full.transactions or ())
        plan = plan_import(book, Statement(rows=rows, rules=rules, target=target),
                           known=known, match=request.match)
        problems = list(plan.problems)
        entries = []
        for planned in plan.rows:
            if planned.entry is not None:
                checked, found = validate_new_transaction(planned.entry, book, today)
                entries.append(checked)
                problems.extend(found)
        if problems:
            raise BizcliError(_once_per_row(problems))
        problems = _broken_assertions(full, entries, book.precisions())
        if problems:
            raise BizcliError(problems)
        if entries and not request.dry_run:
            _commit(root, (book, state), entries, plan)
    precisions = book.precisions()
    text = "\n".join(write_transaction(e, precisions) for e in entries)
    return BankImport(plan, entries, text, target, precisions)


def _once_per_row(problems: Iterable[Problem]) -> list[Problem]:
    """The first problem of each code on each row (both postings of a row share its line)."""
    first: dict[tuple[SourceRef | None, str], Problem] = {}
    for problem in problems:
        first.setdefault((problem.source, problem.code), problem)
    return list(first.values())


def _target(book: Book, rules: BankRules, request: BankRequest) -> Target:
    """The bank account and currency; every account the rules name must be in the chart."""
    account = request.account or rules.account or book.settings.role("bank")
    if account is None:
        raise fail("missing-role", "which account is the statement's? the rules file names "
                   "none and biz.yaml has no bank role",
                   hint=f"give --account, or 'account:' in {rules.path}")
    named: list[tuple[str, SourceRef | None]] = [
        (account, None if request.account else rules.account_source)]
    named += [(r.account, r.source) for r in rules.rules]
    if rules.default_account is not None:
        named.append((rules.default_account, rules.default_source))
    first: dict[str, SourceRef | None] = {}
    for name, source in named:
        first.setdefault(name, source)
    problems = [Problem(code="unknown-account", source=source,
                        message=f"account {name!r} is not in the chart of accounts",
                        hint=f"add it with: biz account add '{name}' (or fix the name; "
                             "'biz accounts' lists the chart)")
                for name, source in first.items() if name not in book.chart]
    if problems:
        raise BizcliError(problems)
    return Target(account=account, currency=rules.currency or book.settings.currency,
                  path=request.statement)


def _known_hashes(transactions: Iterable[Transaction]) -> set[str]:
    """The import hashes on the book's entries (on an entry or on one of its postings)."""
    return {value for txn in transactions
            for key, value in (*txn.tags, *(t for p in txn.postings for t in p.tags))
            if key == "import"}


def _broken_assertions(full: Book, entries: Sequence[Transaction],
                       precisions: dict[str, int]) -> list[Problem]:
    """Balance assertions of the book that the new entries would make fail."""
    if not entries:
        return []
    first = min(e.date for e in entries)
    touched = {p.account for e in entries for p in e.postings}
    if not any(day >= first and account in touched for day, account in full.asserted):
        return []
    old = full.transactions or ()
    before = {(p.source, p.code) for p in check_assertions(old, precisions)}
    after = check_assertions([*old, *entries], precisions)
    return [p for p in after if (p.source, p.code) not in before]


def _commit(root: Path, loaded: tuple[Book, CacheState | None],
            entries: Sequence[Transaction], plan: Plan) -> None:
    """Write the entries, then the documents the payments change; then refresh the cache."""
    book, state = loaded
    written = add_transactions(root, entries, book.precisions(),
                               book.settings.fiscal_year_start)
    files = [rel for rel, _ in written]
    if plan.payments:
        files += write_documents(root, book, payments=plan.payments)
    if plan.orders:
        files += write_orders(root, book, *plan.orders)
    refresh_after_write(root, state, book, Written(
        entries=entries, files=frozenset(files),
        inserted=frozenset(rel for rel, appended in written if not appended)))
