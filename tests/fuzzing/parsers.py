"""Every parser of bizcli, called the same way: text in, value or problems out.

``PARSERS`` maps a name to the corpus its inputs are mutated from and a call that runs
the parser on one text and returns the problems it reported (raised ``BizcliError`` or
``PeriodError`` count as reported; anything else raised is a bug). ``check`` then holds
every problem to the contract: it names the input (``PATH``) and a line of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bizcli.core.imports.bank import read_statement
from bizcli.core.imports.csv_text import csv_problem, csv_records
from bizcli.core.imports.records import read_records
from bizcli.core.periods import PeriodError, parse_date, parse_period
from bizcli.core.problems import BizcliError, Problem
from bizcli.core.query import parse_query
from bizcli.storage.bank_import import read_rules
from bizcli.storage.book_files import read_accounts, read_settings
from bizcli.storage.crm_file import (
    read_activities,
    read_crm_settings,
    read_deals,
    read_tickets,
)
from bizcli.storage.forecast_file import read_forecast
from bizcli.storage.journal_reader import read_amount, read_journal
from bizcli.storage.master_files import read_items, read_parties, read_warehouses
from bizcli.storage.order_lines import decimal_option, typed_lines
from bizcli.storage.posting import transaction_from_args
from bizcli.storage.production_file import read_boms, read_work_orders
from bizcli.storage.purchases_file import read_purchases
from bizcli.storage.sales_file import read_sales
from bizcli.storage.stock_reader import TypedMove, parse_typed_move, read_stock

PATH = "fuzzed"
TODAY = dt.date(2026, 11, 23)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "workshop"
Call = Callable[[str], list[Problem]]
CUSTOMERS_CSV = ("text:code,name,address,credit_limit,payment_terms_days,tags\n"
                 "acme,Acme Ltd,1 Main St,5000.00,30,trade\n"
                 'bolt,"Bolt, Nut & Co",,,14,\n')
ITEMS_CSV = ("text:code,name,unit,kind,valuation,cost,sale_price,reorder_point\n"
             "OAK,Oak board,m,stocked,fifo,12.50,20.00,10\n"
             "KIT,Care kit,pc,stocked,average,4.00,9.50,\n")
FORECAST_CSV = "text:item,date,quantity\nCARE-KIT,2026-12-01,4\nTABLE-OAK,2027-01-15,2\n"


@dataclass(frozen=True)
class Parser:
    """One parser: which example files its inputs grow from, and how to call it."""

    corpus: tuple[str, ...]
    call: Call
    lines: bool = True
    """Whether its problems name a line of the input (one-value parsers name none)."""


def _rules() -> object:
    text = (EXAMPLES / "import" / "bank-rules.yaml").read_text(encoding="utf-8")
    rules, problems = read_rules("rules.yaml", text)
    assert rules is not None, problems
    return rules


_RULES = _rules()
RULES_LINES = (EXAMPLES / "import" / "bank-rules.yaml").read_text(encoding="utf-8").count("\n")
_CRM = read_crm_settings("biz.yaml", (EXAMPLES / "biz.yaml").read_text(encoding="utf-8"))[0]


def _problems(found: object) -> list[Problem]:
    """The problems in a parser's result: its last element, or its ``problems``."""
    if isinstance(found, tuple):
        found = found[-1]
    problems = getattr(found, "problems", found)
    assert isinstance(problems, list), type(problems)
    return problems


def _reported(call: Callable[[str], object]) -> Call:
    """A call whose refusals are raised: they count as the problems it reported."""
    def run(text: str) -> list[Problem]:
        try:
            call(text)
        except BizcliError as err:
            return list(err.problems)
        except PeriodError:
            return []
        return []
    return run


def _forecast(text: str) -> list[Problem]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / PATH
        path.write_text(text, encoding="utf-8")
        try:
            read_forecast(path, {"CARE-KIT", "TABLE-OAK", "BRD-OAK-27"})
        except BizcliError as err:
            return [p if p.source is None or p.source.path != str(path)
                    else Problem(code=p.code, message=p.message, hint=p.hint,
                                 source=p.source._replace(path=PATH))
                    for p in err.problems]
    return []


def _typed_move(text: str) -> None:
    kind, item, quantity, warehouse, date, cost = (text.split("|") + [""] * 6)[:6]
    parse_typed_move(TypedMove(kind=kind or "receipt", item=item or "OAK",
                               quantity=quantity or "1", warehouse=warehouse or "MAIN",
                               date=date or None, cost=cost or None),
                     today=TODAY, currency="USD")


def _post(text: str) -> None:
    words = text.split(" ")
    transaction_from_args(date=words[0], description="fuzzed", postings=words[1:],
                          tags=[], code="", pending=False, currency="USD", today=TODAY)


def _csv_problems(text: str) -> list[Problem]:
    return [csv_problem(PATH, line, record) for line, record in csv_records(text)
            if isinstance(record, csv.Error)]


def _yaml(read: Callable[[str, str], object]) -> Call:
    return lambda text: _problems(read(PATH, text))


PARSERS: dict[str, Parser] = {
    "journal": Parser(("journal/2026.journal",),
                      lambda text: read_journal(PATH, text).problems),
    "stock": Parser(("stock/2026.stock",), lambda text: read_stock(PATH, text, "USD").problems),
    "settings": Parser(("biz.yaml",), _yaml(read_settings)),
    "accounts": Parser(("accounts.yaml",), _yaml(read_accounts)),
    "items": Parser(("items.yaml",), _yaml(lambda p, t: read_items(p, t, "USD"))),
    "warehouses": Parser(("warehouses.yaml",), _yaml(read_warehouses)),
    "customers": Parser(("customers.yaml",),
                        _yaml(lambda p, t: read_parties(p, t, "customers"))),
    "suppliers": Parser(("suppliers.yaml",),
                        _yaml(lambda p, t: read_parties(p, t, "suppliers"))),
    "boms": Parser(("boms.yaml",), _yaml(read_boms)),
    "work-orders": Parser(("production/2026.yaml",), _yaml(read_work_orders)),
    "sales": Parser(("sales/2026.yaml",), _yaml(lambda p, t: read_sales(p, t, "USD"))),
    "purchases": Parser(("purchases/2026.yaml",),
                        _yaml(lambda p, t: read_purchases(p, t, "USD"))),
    "crm-settings": Parser(("biz.yaml",), _yaml(read_crm_settings)),
    "deals": Parser(("crm/deals.yaml",), _yaml(lambda p, t: read_deals(p, t, "USD", _CRM))),
    "activities": Parser(("crm/activities.yaml",), _yaml(read_activities)),
    "tickets": Parser(("crm/tickets.yaml",), _yaml(read_tickets)),
    "bank-rules": Parser(("import/bank-rules.yaml",), _yaml(read_rules)),
    "bank-csv": Parser(("import/bank-2026-11.csv",),
                       lambda text: _problems(read_statement(text, _RULES, PATH))),  # type: ignore[arg-type]
    "customers-csv": Parser((CUSTOMERS_CSV,),
                            lambda text: read_records(text, PATH, "customers").problems),
    "items-csv": Parser((ITEMS_CSV,),
                        lambda text: read_records(text, PATH, "items").problems),
    "csv-text": Parser(("import/bank-2026-11.csv",), _csv_problems),
    "forecast": Parser((FORECAST_CSV,), _forecast),
    "period": Parser((), _reported(lambda text: parse_period(
        text, today=TODAY, fiscal_year_start=(4, 1))), lines=False),
    "date": Parser((), _reported(lambda text: parse_date(text, today=TODAY)), lines=False),
    "amount": Parser((), lambda text: read_amount(text, "USD")[1], lines=False),
    "post-arguments": Parser((), _reported(_post), lines=False),
    "order-lines": Parser((), _reported(lambda text: typed_lines(
        text.split(" "), prices=True, example="OAK=2@10")), lines=False),
    "decimal-option": Parser((), _reported(lambda text: decimal_option(text, "--tax-rate")),
                             lines=False),
    "stock-arguments": Parser((), _reported(_typed_move), lines=False),
    "query": Parser((), _reported(lambda text: parse_query(text.split(" "))), lines=False),
}


def check(name: str, text: str) -> None:
    """Run parser ``name`` on ``text``; every problem must name the input and a line."""
    parser = PARSERS[name]
    problems = parser.call(text)
    last = len(re.split(r"\r\n?|\n", text)) + 1  # csv counts a lone \r as a line end
    for problem in problems:
        assert isinstance(problem, Problem), problem
        assert problem.code, problem
        assert problem.message, problem
        if problem.source is not None and parser.lines:
            if problem.source.path == "rules.yaml":  # a statement's column the rules name
                assert 1 <= problem.source.line <= RULES_LINES, problem
                continue
            assert problem.source.path == PATH, problem
            assert 0 <= problem.source.line <= last, (problem, last)
