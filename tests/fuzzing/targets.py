"""Every parser of user or file input, called the same way, and the promise each keeps.

A file parser is given a name and a text; it returns a value and problems, or raises
``BizcliError``. Each problem must name that file (or, for a statement, its rules file)
and a line that exists: 0 (the whole file) to one past the last. A problem that quotes
a line must quote the line it names. A command-line value has no file: it is read, or
refused with the error the function documents (``BizcliError``, ``PeriodError`` or
Typer's ``BadParameter``). Anything else raised is a bug.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st

from bizcli.core.imports.csv_text import csv_records
from bizcli.core.problems import BizcliError, Problem
from bizcli.core.source import SourceRef
from bizcli.storage.bank_import import read_rules
from bizcli.storage.book_files import read_settings
from bizcli.storage.crm_file import read_crm_settings
from bizcli.storage.master_files import read_parties

from .strategies import example, inputs, literals, yaml_inputs

COUNTS: Counter[str] = Counter()
"""Inputs each parser was run on in this process (``run.py`` reports them)."""
BREAKS = {"\n": re.compile("\n"), "csv": re.compile(r"\r\n|\r|\n")}
"""How a parser counts lines: at each "\\n", or as the csv module does (also a lone \\r)."""


@dataclass(frozen=True)
class Target:
    """One parser: what it is fed, how it is called, and the file name its problems use."""

    inputs: st.SearchStrategy[str]
    read: Callable[[str], Iterable[Problem]]
    """Run the parser on one text; the problems it returned or raised."""
    path: str | None = None
    """The name given to a file parser; None for a command-line value."""
    breaks: str = "\n"
    others: Mapping[str, str] = field(default_factory=dict)
    """Other files its problems may name (a statement's rules file), with their text."""
    records: bool = False
    """Whether its problems name the line a CSV record starts on (or 0, 1, or the end)."""


def refused(read: Callable[[], object], *errors: type[Exception]) -> list[Problem]:
    """Run ``read``; the problems of a ``BizcliError``, none if it refused with ``errors``.

    A documented refusal must say what is wrong: its message is not empty.
    """
    try:
        read()
    except BizcliError as err:
        return _said(err, list(err.problems))
    except errors as err:
        return _said(err, [])
    return []


def _said(err: Exception, problems: list[Problem]) -> list[Problem]:
    """The problems of a refusal, which must say what is wrong."""
    assert str(err).strip(), f"{type(err).__name__} with no message"
    assert problems or not isinstance(err, BizcliError), "a BizcliError with no problems"
    return problems


def check(target: Target, text: str) -> None:
    """Run the parser on ``text`` and hold every problem to the contract."""
    for problem in target.read(text):
        assert isinstance(problem, Problem), problem
        assert problem.code, problem
        assert problem.message, problem
        if target.path is not None:
            _check_place(target, text, problem)


def _check_place(target: Target, text: str, problem: Problem) -> None:
    source = problem.source
    assert source is not None, f"a problem of {target.path} names no place: {problem}"
    texts = {target.path: text, **target.others}
    assert source.path in texts, f"names {source.path!r}, not {target.path!r}: {problem}"
    lines = BREAKS[target.breaks].split(texts[source.path])
    assert 0 <= source.line <= len(lines) + 1, (f"line {source.line} of a text of "
                                                f"{len(lines)} lines: {problem}")
    if problem.excerpt and 1 <= source.line <= len(lines):
        quoted, named = problem.excerpt[0].rstrip(), lines[source.line - 1].rstrip()
        assert quoted == named, f"line {source.line} is {named!r}, the excerpt {quoted!r}"
    if target.records and source.path == target.path:
        starts = {0, 1, len(lines), len(lines) + 1, *(line for line, _ in csv_records(text))}
        assert source.line in starts, f"no record starts on line {source.line}: {problem}"


def problems_of(found: object) -> list[Problem]:
    """The problems in a parser's result: ``(value, problems)`` or a ``problems`` field."""
    if isinstance(found, tuple) and not hasattr(found, "problems"):
        found = found[-1]
    problems = getattr(found, "problems", found)
    assert isinstance(problems, list), type(problems)
    return problems


def file_parser(path: str, texts: Sequence[str], read: Callable[[str, str], object], *,
                yaml: bool = False) -> Target:
    """A parser called ``read(path, text)``, fed mutations of ``texts``."""
    return Target(inputs=(yaml_inputs if yaml else inputs)(texts), path=path,
                  read=lambda text: refused_file(lambda: read(path, text)))


def refused_file(read: Callable[[], object]) -> list[Problem]:
    """The problems a file parser returned, or raised in a ``BizcliError``."""
    try:
        return problems_of(read())
    except BizcliError as err:
        return list(err.problems)


# --- what the parsers need beside the text --------------------------------------------

SETTINGS_TEXT = example("biz.yaml")[0]
CRM = read_crm_settings("biz.yaml", SETTINGS_TEXT)[0]
SETTINGS = read_settings("biz.yaml", SETTINGS_TEXT)[0]
BANK_TESTS = "tests/cli/test_import_bank.py"
HEADERLESS_RULES = ("schema: 1\naccount: Assets:Bank:Checking\nheader: false\n"
                    "date_format: '%d/%m/%Y'\ncolumns: {date: 1, description: 2, amount: 3}\n"
                    "rules:\n- match: rent\n  account: Expenses:Rent\n")


def _bank_rules() -> dict[str, str]:
    """Rules files that are valid, by name: the example's, a test's, a header-less one."""
    found = {"import/bank-rules.yaml": example("import/bank-rules.yaml")[0],
             "headerless.yaml": HEADERLESS_RULES}
    found.update((f"test-{n}.yaml", text) for n, text in
                 enumerate(literals(BANK_TESTS, r"^columns:")))
    return {name: text for name, text in found.items() if read_rules(name, text)[0]}


BANK_RULES = _bank_rules()
PARTIES = [p for kind in ("customers", "suppliers")
           for p in read_parties(kind, example(f"{kind}.yaml")[0], kind)[0]]
FORECAST_DIR = Path(tempfile.mkdtemp(prefix="bizcli-fuzz-"))
"""Where the forecast parser's file is written (it reads a path, not a text)."""


def _statement(text: str) -> list[Problem]:
    """A statement read with each valid rules file; its problems may name the rules."""
    from bizcli.core.imports.bank import read_statement

    found: list[Problem] = []
    for name, rules_text in BANK_RULES.items():
        rules = read_rules(name, rules_text)[0]
        assert rules is not None
        rows, problems = read_statement(text, rules, STATEMENT)
        found += problems
        assert all(row.line >= 1 for row in rows)
    return found


def _records(kind: str) -> Callable[[str], list[Problem]]:
    """A records CSV of ``kind``: the file's problems and every row's."""
    from bizcli.core.imports.records import read_records

    def read(text: str) -> list[Problem]:
        found = read_records(text, f"{kind}.csv", kind)
        return [*found.problems, *(p for row in found.rows for p in row.problems)]
    return read


def _csv_text(text: str) -> list[Problem]:
    """The CSV reader under every import: each record's line, or a ``bad-csv`` problem."""
    import csv

    from bizcli.core.imports.csv_text import csv_problem, csv_records

    found, last = [], 0
    for line, record in csv_records(text, unescape=True):
        assert line >= last, "records come in the order of their lines"
        last = line
        found.append(csv_problem(CSV_TEXT, line, record) if isinstance(record, csv.Error)
                     else Problem(code="record", message="-", source=SourceRef(CSV_TEXT, line)))
    return found


def _forecast(text: str) -> list[Problem]:
    """The forecast file: ``read_forecast`` reads a path, so the text is written first."""
    from bizcli.storage.forecast_file import read_forecast

    FORECAST.write_text(text, encoding="utf-8", newline="")
    return refused(lambda: read_forecast(FORECAST, ITEMS))


STATEMENT = "import/statement.csv"
CSV_TEXT = "import/records.csv"
FORECAST = FORECAST_DIR / "forecast.csv"
ITEMS = [line.split(":", 1)[1].strip() for line in example("items.yaml")[0].split("\n")
         if line.startswith("- code:")]


# --- command-line values ----------------------------------------------------------------

TODAY = dt.date(2026, 11, 22)


def _period(text: str) -> list[Problem]:
    """``-p PERIOD`` (a ``PeriodError``), and ``biz close PERIOD`` (a ``BadParameter``)."""
    import typer

    from bizcli.cli.close import _period as close_period
    from bizcli.core.periods import PeriodError, parse_period

    def read() -> None:
        period = parse_period(text, today=TODAY, fiscal_year_start=(4, 1))
        assert period.start is None or period.end is None or period.start < period.end
    return [*refused(read, PeriodError),
            *refused(lambda: close_period(text, TODAY, (4, 1)), typer.BadParameter)]


def _date(text: str) -> list[Problem]:
    """``--date`` and the like: ``parse_date`` (a ``PeriodError``), ``day_of`` (BizcliError)."""
    from bizcli.cli.clock import day_of
    from bizcli.core.periods import PeriodError, parse_date

    return [*refused(lambda: parse_date(text, today=TODAY), PeriodError),
            *refused(lambda: day_of(text, "--date"))]


def _amount(text: str) -> list[Problem]:
    """An amount argument: an amount, or problems saying why there is none."""
    from bizcli.storage.journal_reader import read_amount

    amount, problems = read_amount(text, "USD")
    assert (amount is None) == bool(problems), (amount, problems)
    return problems


def _post(text: str) -> list[Problem]:
    """``biz post DATE DESCRIPTION ACCOUNT [AMOUNT]... --tag K=V``: ``DATE|POSTINGS|TAG...``."""
    from bizcli.storage.posting import transaction_from_args

    date, _, rest = text.partition("|")
    postings, _, tags = rest.partition("|")
    return refused(lambda: transaction_from_args(
        date=date, description="fuzzed", postings=postings.split(" ") if postings else [],
        tags=tags.split("|") if tags else [], code="", pending=False, currency="USD",
        today=TODAY))


def _order_lines(text: str) -> list[Problem]:
    """``ITEM=QUANTITY[@PRICE]`` arguments, with and without prices allowed."""
    from bizcli.storage.order_lines import typed_lines

    def read(prices: bool) -> None:
        for line in typed_lines(text.split(" "), prices=prices, example="OAK=2@10"):
            assert line.quantity.is_finite(), line
            assert line.quantity >= 0, line
    return [*refused(lambda: read(True)), *refused(lambda: read(False))]


def _number(text: str) -> list[Problem]:
    """Every reader of a number option: ``--amount``, ``--probability``, ``--tax-rate``,
    a work order's quantity, ``--cost``-like record fields."""
    from bizcli.cli.crm import _percent
    from bizcli.cli.records import _number as record_number
    from bizcli.cli.records import _tax_rate
    from bizcli.storage.order_lines import decimal_option
    from bizcli.storage.production_store import quantity_of

    def finite(read: Callable[[str], object]) -> Callable[[], None]:
        def run() -> None:
            value = read(text)
            assert value is None or Decimal(str(value)).is_finite(), value
        return run
    return [problem for read in (lambda t: decimal_option(t, "--amount"), quantity_of,
                                 _percent, lambda t: record_number(t, "--cost"), _tax_rate)
            for problem in refused(finite(read))]


def _stock_move(text: str) -> list[Problem]:
    """``biz stock receive|issue|move|count|adjust``: ``KIND|ITEM|QTY|WH|TO|DATE|COST|DOC``."""
    from bizcli.storage.stock_reader import TypedMove, parse_typed_move

    kind, item, quantity, warehouse, to, date, cost, doc = (text.split("|") + [""] * 8)[:8]
    typed = TypedMove(kind, item, quantity, warehouse, to=to or None, date=date or None,
                      cost=cost or None, doc=doc or None)
    return refused(lambda: parse_typed_move(typed, today=TODAY, currency="USD"))


def _query(text: str) -> list[Problem]:
    """A report's query terms (account patterns, ``not:``, ``tag:K=V``, ``desc:``)."""
    from bizcli.core.query import parse_query

    return refused(lambda: parse_query(text.split(" ")))


def _mrp_options(text: str) -> list[Problem]:
    """``biz mrp run --horizon 12w --bucket week --pipeline-min 0.7``."""
    import typer

    from bizcli.cli.mrp import bucket_days, horizon_days, pipeline_minimum

    def horizon() -> None:
        assert horizon_days(text) > 0
    return [*refused(horizon, typer.BadParameter),
            *refused(lambda: bucket_days(text), typer.BadParameter),
            *refused(lambda: pipeline_minimum(text), typer.BadParameter)]


def _record_options(text: str) -> list[Problem]:
    """``--field KEY=VALUE`` of ``biz customer edit``, and ``--at`` of a ticket."""
    import typer

    from bizcli.cli.crm_work import _at
    from bizcli.cli.records import _fields

    return [*refused(lambda: _fields(text.split("|")), typer.BadParameter),
            *refused(lambda: _at(text))]


# --- the table ------------------------------------------------------------------------

def _yaml(path: str, read: Callable[[str, str], object], *extra: str) -> Target:
    return file_parser(path, example(path, *extra), read, yaml=True)


def _table(path: str, texts: Sequence[str], read: Callable[[str], list[Problem]],
           **more: object) -> Target:
    return Target(inputs=inputs(texts), read=read, path=path, breaks="csv", **more)


def _value(samples: Sequence[str], read: Callable[[str], list[Problem]]) -> Target:
    return Target(inputs=inputs(samples), read=read)


def _targets() -> dict[str, Target]:
    from bizcli.core.imports.journal_scan import scan_journal
    from bizcli.storage.book_files import read_accounts
    from bizcli.storage.contacts_io import (
        parties_from_csv,
        parties_from_vcard,
        parties_to_csv,
        parties_to_vcard,
    )
    from bizcli.storage.crm_file import read_activities, read_deals, read_tickets
    from bizcli.storage.journal_reader import read_journal
    from bizcli.storage.master_files import read_items, read_warehouses
    from bizcli.storage.production_file import read_boms, read_work_orders
    from bizcli.storage.purchases_file import read_purchases
    from bizcli.storage.sales_file import read_sales
    from bizcli.storage.stock_reader import read_stock

    journals = example("journal/2026.journal", "journal/2025.journal", "main.journal")
    statements = (*example("import/bank-2026-11.csv"),
                  *literals(BANK_TESTS, r"^\d{4}-\d\d-\d\d,|\d\d\.\d\d\.\d{4};|^Date,"))
    records = (*literals("tests/cli/test_import_records.py", r"^code,"), parties_to_csv(PARTIES))
    contacts = (parties_to_csv(PARTIES), *literals(CONTACTS_TESTS, r"^code,|,email|^name,"))
    cards = (parties_to_vcard(PARTIES), *literals(CONTACTS_TESTS, r"BEGIN:VCARD"))
    return {
        "journal": file_parser("journal/2026.journal", journals, read_journal),
        "journal-import": file_parser("old.journal", (*journals, *literals(
            "tests/oracle/test_import_journal.py", r"^\d{4}[-/]\d\d?[-/]\d\d? ")), scan_journal),
        "stock": file_parser("stock/2026.stock", example("stock/2026.stock"),
                             lambda p, t: read_stock(p, t, "USD")),
        "settings": _yaml("biz.yaml", read_settings),
        "crm-settings": _yaml("biz.yaml", read_crm_settings),
        "accounts": _yaml("accounts.yaml", read_accounts),
        "items": _yaml("items.yaml", lambda p, t: read_items(p, t, "USD")),
        "warehouses": _yaml("warehouses.yaml", read_warehouses),
        "customers": _yaml("customers.yaml", lambda p, t: read_parties(p, t, "customers")),
        "suppliers": _yaml("suppliers.yaml", lambda p, t: read_parties(p, t, "suppliers")),
        "boms": _yaml("boms.yaml", read_boms),
        "work-orders": _yaml("production/2026.yaml", read_work_orders),
        "sales": _yaml("sales/2026.yaml", lambda p, t: read_sales(p, t, "USD")),
        "purchases": _yaml("purchases/2026.yaml", lambda p, t: read_purchases(p, t, "USD")),
        "deals": _yaml("crm/deals.yaml", lambda p, t: read_deals(p, t, "USD", CRM)),
        "activities": _yaml("crm/activities.yaml", read_activities),
        "tickets": _yaml("crm/tickets.yaml", read_tickets),
        "bank-rules": file_parser("rules.yaml", tuple(BANK_RULES.values()), read_rules,
                                  yaml=True),
        "bank-statement": _table(STATEMENT, statements, _statement, others=BANK_RULES),
        "customers-csv": _table("customers.csv", records, _records("customers"), records=True),
        "suppliers-csv": _table("suppliers.csv", records, _records("suppliers"), records=True),
        "items-csv": _table("items.csv", records, _records("items"), records=True),
        "csv-text": _table(CSV_TEXT, (*statements, *records, *contacts), _csv_text),
        "forecast": _table(str(FORECAST), FORECASTS, _forecast, records=True),
        "contacts-csv": _table("contacts.csv", contacts,
                               lambda t: parties_from_csv(t, "contacts.csv")[1], records=True),
        "contacts-vcard": _table("contacts.vcf", cards,
                                 lambda t: parties_from_vcard(t, "contacts.vcf")[1]),
        "period": _value(PERIODS, _period),
        "date": _value(("2026-11-05", "2026/11/05", "2026.11.05", "today", "yesterday",
                        "tomorrow", "2024-02-29"), _date),
        "amount": _value(("12.50", "-1200 USD", "$1,200.00", "1200", "EUR 12.50", "-0.5",
                          "1 000.00 USD", "€12", "12.50 EUR @ 1.1 USD"), _amount),
        "post": _value(("2026-11-03|Expenses:Rent 1200 Assets:Bank:Checking|doc=RENT-11",
                        "today|Expenses:Office 12.40 USD Assets:Bank:Checking -12.40 USD"),
                       _post),
        "order-lines": _value(("OAK=2@10.5 PINE=3", "TABLE-OAK=1", "BRD-OAK-27=12.5@9.80"),
                              _order_lines),
        "numbers": _value(("0.10", "12.50", "60", "0", "1", "100", " 7 "), _number),
        "stock-move": _value(("receipt|OAK-BOARD|120|MAIN|||12.50|PO-2026-0001",
                              "transfer|OAK|20|MAIN|SHOWROOM|2026-01-12||",
                              "adjust|OAK|-2|MAIN||||", "count|OAK|103|MAIN|||"), _stock_move),
        "query": _value(("bank not:^income tag:doc=INV-1 desc:Rent", "acct:Expenses:Rent",
                         "tag:doc", "desc:(?P<x>oak)"), _query),
        "mrp-options": _value(("12w", "90d", "6m", "week", "day", "0.7", "1", "0"),
                              _mrp_options),
        "record-options": _value(("notes=hello|credit_limit=", "2026-11-02 09:30",
                                  "2026-11-02T09:30"), _record_options),
    }


CONTACTS_TESTS = "tests/unit/storage/test_contacts_io.py"
FORECASTS = ("item,date,quantity\nWT-OAK-3000,2026-12-01,4\nBRD-OAK-27,2027-01-15,2.5\n",
             "# from biz mrp forecast\nBRD-WALNUT-27,2026-12-07,3\n\nWT-OAK-3000,2026-12-14,1\n",
             ('"item","date","quantity"\r\n"WT-OAK-3000","2026-12-01","4"\r\n'
              '"BRD-OAK-27","2026-12-08","1.5"\r\n"BRD-OAK-27","2026-12-15","2"\r\n'))
PERIODS = ("2026", "2026-11", "2026/11", "2026.11", "2026-11-05", "2026-Q3", "2026Q3", "Q3",
           "FY2026", "FY2026-Q1", "this month", "last quarter", "next year", "today",
           "from 2026-03-01 to 2026-08-01", "2026-01..2026-07", "..2026-07", "2026-01..",
           "to today", "last week")
TARGETS = _targets()
"""Every parser, by the name the tests and ``run.py --only`` use."""
