"""What importing a statement would post: one planned row per statement row.

Each row is new, a duplicate (its hash is on an entry already) or zero (nothing to
post). A new row becomes a balanced entry between the bank account and the account of
the first rule that applies (or the default account), or, when matching is on and the
row pays an open invoice or bill, a customer payment or a bill payment made by the same
functions as ``biz sale pay`` and ``biz purchase pay``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from bizcli.core.book import Book
from bizcli.core.documents.bills import pay
from bizcli.core.documents.purchases import PurchaseOrder, next_number
from bizcli.core.documents.sales import (
    CustomerPayment,
    PaymentRequest,
    open_invoices,
    receive_payment,
)
from bizcli.core.imports.bank import (
    BankRules,
    Rule,
    StatementRow,
    describe,
    first_rule,
    journal_code,
    journal_text,
    row_hashes,
)
from bizcli.core.imports.matching import BILL, Match, Proposal, match_rows, open_items
from bizcli.core.ledger.transactions import Posting, Status, Tag, Transaction
from bizcli.core.money import Amount
from bizcli.core.periods import fiscal_year_of
from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef

NEW = "new"
DUPLICATE = "duplicate"
ZERO_ROW = "zero"


class Planned(NamedTuple):
    """One statement row and what the import does with it."""

    row: StatementRow
    hash: str
    status: str
    entry: Transaction | None = None
    rule: str = ""
    """The rule that gave the account (``#2 pattern``), ``default``, or ``match``."""
    proposal: Proposal = Proposal()


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """Where the statement's money is: the bank account, its currency, the statement file."""

    account: str
    currency: str
    path: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """A statement's rows, the rules they were read with, and where they go."""

    rows: Sequence[StatementRow]
    rules: BankRules
    target: Target


@dataclass(slots=True)
class _Documents:
    """The payments and paid orders the import makes, each seeing the ones before it."""

    payments: list[CustomerPayment]
    orders: dict[str, PurchaseOrder]
    problems: list[Problem]


class Plan(NamedTuple):
    """The planned rows in statement order, the new documents, and the problems."""

    rows: list[Planned]
    payments: list[CustomerPayment]
    orders: list[PurchaseOrder]
    problems: list[Problem]


def plan_import(book: Book, statement: Statement, *, known: Collection[str],
                match: bool) -> Plan:
    """Plan the import of a statement into ``book``; ``known`` are the hashes posted already."""
    rows, rules, target = statement.rows, statement.rules, statement.target
    hashes = row_hashes(rows, target.account, target.currency)
    fresh = [i for i, row in enumerate(rows) if hashes[i] not in known and row.amount]
    currencies = {s.number: s.currency for s in book.sales}
    items = open_items(open_invoices(book.sales, book.payments), book.purchases,
                       book.customers, book.suppliers, currencies)
    proposals = dict(zip(fresh, match_rows([rows[i] for i in fresh], items, target.currency),
                         strict=True))
    done = _Documents(list(book.payments), {}, [])
    planned: dict[int, Planned] = {}
    problems = done.problems
    for i in sorted(fresh, key=lambda n: rows[n].date):
        row, proposal = rows[i], proposals[i]
        if match and proposal.match is not None:
            entry = _payment(book, row, proposal.match, target, done)
            planned[i] = Planned(row, hashes[i], NEW, entry and _tagged(
                entry, row, hashes[i], None, target), "match", proposal)
            continue
        rule = first_rule(row, rules.rules)
        account = rule.account if rule is not None else rules.default_account
        if account is None:
            problems.append(_unmatched(row, rules, target))
            planned[i] = Planned(row, hashes[i], NEW, proposal=proposal)
            continue
        entry = _entry(row, account, rule, target)
        planned[i] = Planned(row, hashes[i], NEW, _tagged(entry, row, hashes[i], rule, target),
                             rule.label if rule is not None else "default", proposal)
    out = [planned.get(i) or Planned(row, hashes[i], DUPLICATE if row.amount else ZERO_ROW)
           for i, row in enumerate(rows)]
    new_payments = done.payments[len(book.payments):]
    return Plan(out, new_payments, list(done.orders.values()), problems)


def _unmatched(row: StatementRow, rules: BankRules, target: Target) -> Problem:
    return Problem(code="unmatched-bank-row", source=SourceRef(target.path, row.line),
                   message=f"no rule of {rules.path} applies to {row.text!r} ({row.amount}), "
                           "and it has no default_account",
                   hint=f"add a rule whose pattern finds this row, or a default_account, to "
                        f"{rules.path}")


def _entry(row: StatementRow, account: str, rule: Rule | None, target: Target) -> Transaction:
    """The bank account against ``account``, the debit first."""
    money = Amount(row.amount, target.currency)
    source = SourceRef(target.path, row.line)
    bank = Posting(target.account, money, source=source)
    other = Posting(account, -money, source=source)
    postings = (bank, other) if row.amount > 0 else (other, bank)
    return Transaction(row.date, describe(row, rule), postings, Status.CLEARED,
                       journal_code(row.reference), "", rule.tags if rule else (), source)


def _tagged(entry: Transaction, row: StatementRow, digest: str, rule: Rule | None,
            target: Target) -> Transaction:
    """The entry with its import hash, and the statement's text when it was reworded."""
    tags: list[Tag] = [("import", digest)]
    text = journal_text(row.text)
    if text and text != entry.description:
        tags.append(("statement", text))
    if row.reference and journal_code(row.reference) != entry.code:
        tags.append(("reference", journal_text(row.reference)))
    if rule is not None and rule.counterparty:
        tags.append(("counterparty", journal_text(rule.counterparty)))
    source = SourceRef(target.path, row.line)
    return entry._replace(tags=(*tags, *entry.tags), source=source,
                          postings=tuple(p._replace(source=source) for p in entry.postings))


def _payment(book: Book, row: StatementRow, found: Match, target: Target,
             done: _Documents) -> Transaction | None:
    """A customer payment or a bill payment for the matched row, as biz sale|purchase pay."""
    roles = book.settings.roles
    if found.items[0].kind == BILL:
        item = found.items[0]
        order = done.orders.get(item.order) or next(
            o for o in book.purchases if o.number == item.order)
        paid, found_problems = pay(order, item.number, abs(row.amount), row.date,
                                   (roles.get("payable", "Liabilities:Payable"), target.account))
        done.problems.extend(replace(p, source=SourceRef(target.path, row.line))
                             for p in found_problems)
        if paid is None:
            return None
        done.orders[order.number] = paid[0]
        return paid[1]
    item = found.items[0]
    year = fiscal_year_of(row.date, book.settings.fiscal_year_start)
    number = next_number([p.number for p in done.payments], year,
                         book.settings.prefix("payment"))
    made, found_problems = receive_payment(
        PaymentRequest(number, item.party, row.amount, row.date, target.account,
                       tuple(i.number for i in found.items)),
        open_invoices(book.sales, done.payments), target.currency,
        roles.get("receivable", "Assets:Receivable"))
    done.problems.extend(replace(p, source=SourceRef(target.path, row.line))
                         for p in found_problems)
    if made is None:
        return None
    done.payments.append(made[0])
    return made[1]
