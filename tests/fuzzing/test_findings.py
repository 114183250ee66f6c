"""The inputs fuzzing found that broke a parser, each pinned by the smallest case.

A random run may not draw them again; these tests always do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import typer

from bizcli.cli.mrp import MAX_HORIZON_DAYS, horizon_days, pipeline_minimum
from bizcli.core.imports.bank import BankRules, ColumnRef, date_format_problem, read_statement
from bizcli.core.imports.records import read_records
from bizcli.core.problems import BizcliError
from bizcli.core.query import parse_query
from bizcli.storage.bank_import import read_rules
from bizcli.storage.crm_file import read_activities
from bizcli.storage.forecast_file import read_forecast
from tests.conftest import run_biz

RULES = ("schema: 1\naccount: Assets:Bank:Checking\ndate_format: '%Y-%m-%d'\n"
         "columns: {date: 1, description: 2, amount: 3}\n"
         "rules:\n- match: rent\n  account: Expenses:Rent\n")


@pytest.mark.parametrize("pattern", ["a{99999999999}", "(" * 1000 + ")" * 1000])
def test_a_regex_too_big_to_compile_is_a_bad_query(pattern: str) -> None:
    with pytest.raises(BizcliError) as raised:
        parse_query([pattern])
    assert raised.value.problems[0].code == "bad-query"


def test_a_rule_pattern_too_big_to_compile_is_a_problem_of_its_line() -> None:
    rules, problems = read_rules("rules.yaml", RULES.replace("match: rent",
                                                            "match: 'a{99999999999}'"))
    assert rules is None
    assert [(p.source.line if p.source else None) for p in problems] == [6]


def test_a_column_number_too_long_for_int_is_a_column_that_does_not_exist() -> None:
    rules, problems = read_rules("rules.yaml", RULES.replace("date: 1", "date: " + "9" * 5000))
    assert rules is None
    assert len(problems) == 1
    assert "does not exist" in problems[0].message
    assert len(problems[0].message) < 200


def test_a_date_format_naming_a_field_twice_is_a_problem_not_a_traceback() -> None:
    found = date_format_problem("%d%d")
    assert found is not None
    assert "cannot read back" in found


def test_statement_lines_ended_by_a_lone_carriage_return_are_counted_as_csv_does() -> None:
    rules = BankRules(path="rules.yaml", account="Assets:Bank:Checking", date_format="%Y-%m-%d", skip_lines=1,
                      columns=(ColumnRef(role="date", header="Date"),
                               ColumnRef(role="description", header="Text"),
                               ColumnRef(role="amount", header="Amount")))
    text = "Exported\rDate,Text,Amount\r2026-11-03,Rent,-12.00\r2026-11-04,Fee,-1.00\r"
    rows, problems = read_statement(text, rules, "bank.csv")
    assert problems == []
    assert [(row.line, row.date, row.text) for row in rows] == [
        (3, dt.date(2026, 11, 3), "Rent"), (4, dt.date(2026, 11, 4), "Fee")]


def test_a_whole_number_longer_than_int_reads_is_a_bad_number() -> None:
    found = read_records("code,name,payment_terms_days\nC1,Ann," + "9" * 5000 + "\n",
                         "customers.csv", "customers")
    assert [(p.code, p.source.line if p.source else None)
            for row in found.rows for p in row.problems] == [("bad-number", 2)]


def test_a_forecast_names_the_line_a_row_starts_on_and_a_broken_quote(tmp_path: Path) -> None:
    path = tmp_path / "forecast.csv"
    path.write_text('item,date,quantity\n"CARE\nKIT",2026-12-01,4\nKIT,2026-12-01,"4"x\n',
                    encoding="utf-8")
    with pytest.raises(BizcliError) as raised:
        read_forecast(path, ["KIT"])
    assert [(p.code, p.source.line if p.source else None)
            for p in raised.value.problems] == [("unknown-item", 2), ("bad-csv", 4)]


@pytest.mark.parametrize("horizon", ["99999999999d", f"{MAX_HORIZON_DAYS + 1}d", "523w",
                                     "9" * 5000 + "w"])
def test_a_horizon_past_ten_years_is_refused(horizon: str) -> None:
    with pytest.raises(typer.BadParameter, match="more than ten years"):
        horizon_days(horizon)


def test_a_horizon_of_ten_years_is_planned() -> None:
    assert horizon_days(f"{MAX_HORIZON_DAYS}d") == MAX_HORIZON_DAYS


@pytest.mark.parametrize("least", ["NaN", "sNaN", "Infinity", "-0.1", "1.01", "x"])
def test_a_pipeline_minimum_that_is_not_a_probability_is_refused(least: str) -> None:
    with pytest.raises(typer.BadParameter):
        pipeline_minimum(least)


def test_a_yaml_whole_number_longer_than_int_reads_is_a_bad_number() -> None:
    _, problems = read_activities("crm/activities.yaml", "schema: " + "9" * 4400 + "\n")
    assert [(p.code, p.source.line if p.source else None) for p in problems] == [
        ("bad-number", 1)]
    assert len(problems[0].message) < 100


def test_a_custom_field_longer_than_int_reads_is_kept_as_its_text(new_book: Path) -> None:
    digits = "9" * 4400
    (new_book / "customers.yaml").write_text(
        f"schema: 1\ncustomers:\n- code: SHWOOD\n  name: Shanghai Wood\n"
        f"  fields:\n    ref: {digits}\n", encoding="utf-8")
    result = run_biz(["-B", str(new_book), "customer", "edit", "SHWOOD", "--tag", "export"])
    assert result.code == 0, result.err
    assert f"ref: '{digits}'" in (new_book / "customers.yaml").read_text(encoding="utf-8")
