"""Bank statements in the core: numbers, dates, rows, rules, the import hash, matching."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizcli.core.imports.bank import (
    BankRules,
    ColumnRef,
    NumberFormat,
    Rule,
    StatementRow,
    date_format_problem,
    describe,
    first_rule,
    journal_code,
    journal_text,
    parse_amount,
    parse_date,
    read_statement,
    row_hashes,
    template_problem,
)
from bizcli.core.imports.matching import BILL, INVOICE, OpenItem, match_rows

DOT = NumberFormat(decimal_mark=".", thousands=",")
COMMA = NumberFormat(decimal_mark=",", thousands=".")
DAY = dt.date(2026, 11, 3)


# -- amounts ---------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "numbers", "expected"), [
    ("1,234.56", DOT, "1234.56"),
    ("-1,234.56", DOT, "-1234.56"),
    ("1234.56", DOT, "1234.56"),
    ("1.234,56", COMMA, "1234.56"),
    ("-1.200,00", COMMA, "-1200.00"),
    ("12,5", COMMA, "12.5"),
    ("0,12", COMMA, "0.12"),
    ("1 234,56", NumberFormat(decimal_mark=",", thousands=" "), "1234.56"),
    ("1\u00a0234,56", NumberFormat(decimal_mark=",", thousands=" "), "1234.56"),
    ("1'234.50", NumberFormat(decimal_mark=".", thousands="'"), "1234.50"),
    ("(45.00)", DOT, "-45.00"),
    ("45.00-", DOT, "-45.00"),
    ("+45", DOT, "45"),
    (" 7.10 ", DOT, "7.10"),
    ("1,234,567.89", DOT, "1234567.89"),
])
def test_amounts_are_read_with_the_statements_marks(text: str, numbers: NumberFormat,
                                                    expected: str) -> None:
    amount = parse_amount(text, numbers)
    assert amount == Decimal(expected)
    assert str(amount) == expected  # exact, trailing zeros kept


@pytest.mark.parametrize(("text", "numbers"), [
    ("12,50", DOT),        # a decimal comma read with a decimal point: not 1250
    ("1.234,56", DOT),
    ("1,23.45", DOT),      # digits not grouped by three
    ("1234,567.1", DOT),
    ("12.50", COMMA),      # a decimal point read with a decimal comma: not 1250
    ("1.2.3", NumberFormat()),
    ("12.", DOT),
    ("", DOT),
    ("abc", DOT),
    ("1e3", DOT),
    ("١٢", DOT),           # digits of another script
    ("$12.00", DOT),
])
def test_numbers_the_marks_do_not_fit_are_refused(text: str, numbers: NumberFormat) -> None:
    assert parse_amount(text, numbers) is None


@given(st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"),
                   places=2),
       st.sampled_from([(".", ","), (",", "."), (",", " "), (".", ""), (",", ""), (".", "'")]))
def test_amounts_read_back_as_written_with_any_marks(amount: Decimal,
                                                     marks: tuple[str, str]) -> None:
    mark, group = marks
    text = f"{abs(amount):,.2f}".replace(",", "\x00").replace(".", mark).replace(
        "\x00", group)
    text = ("-" if amount < 0 else "") + text
    assert parse_amount(text, NumberFormat(decimal_mark=mark, thousands=group)) == amount


# -- dates -----------------------------------------------------------------------------
def test_dates_follow_the_format_and_the_calendar() -> None:
    assert parse_date("11/03/2026", "%m/%d/%Y") == DAY
    assert parse_date("03.11.2026", "%d.%m.%Y") == DAY
    assert parse_date("31.11.2026", "%d.%m.%Y") is None
    assert parse_date("2026-11-03", "%d.%m.%Y") is None
    assert date_format_problem("%d.%m.%Y") is None
    assert date_format_problem("%d.%m") is not None   # no year
    assert date_format_problem("%Q") is not None


# -- reading a statement -----------------------------------------------------------------
def rules(**changes: object) -> BankRules:
    base: dict[str, object] = {
        "path": "rules.yaml",
        "columns": (ColumnRef(role="date", header="Date"),
                    ColumnRef(role="description", header="Text"),
                    ColumnRef(role="amount", header="Amount"))}
    base.update(changes)
    return BankRules(**base)  # type: ignore[arg-type]


def test_a_statement_with_preamble_lines_and_debit_credit_columns() -> None:
    text = ("Bank export\nAccount 123\n\n"
            "Date;Text;Out;In;Ref\n"
            "03.11.2026;Rent;1.200,00;;R1\n"
            "04.11.2026;Customer;;2.500,50;R2\n"
            "\n"
            "05.11.2026;Fee;0,00;;\n")
    found, problems = read_statement(text, rules(
        delimiter=";", skip_lines=2, date_format="%d.%m.%Y", numbers=COMMA,
        columns=(ColumnRef(role="date", header="date"), ColumnRef(role="description", number=2),
                 ColumnRef(role="debit", header="Out"), ColumnRef(role="credit", header="In"),
                 ColumnRef(role="reference", header="Ref"))), "bank.csv")
    assert problems == []
    assert [(r.line, r.date.day, r.text, r.amount, r.reference) for r in found] == [
        (5, 3, "Rent", Decimal("-1200.00"), "R1"),
        (6, 4, "Customer", Decimal("2500.50"), "R2"),
        (8, 5, "Fee", Decimal(0), "")]


def test_every_bad_row_is_reported_with_its_line() -> None:
    text = ("Date,Text,Amount\n"
            "2026-11-31,Bad day,1.00\n"
            "2026-11-03,Bad amount,12;00\n"
            "2026-11-03,Short\n"
            "2026-11-03,Empty,\n"
            '2026-11-03,"Unclosed,1.00\n')
    found, problems = read_statement(text, rules(), "bank.csv")
    assert found == []
    assert [(p.source.line if p.source else 0, p.code) for p in problems] == [
        (2, "bad-date"), (3, "bad-amount"), (4, "bad-csv"), (5, "bad-amount"), (6, "bad-csv")]
    assert problems[0].message == "'2026-11-31' is not a date written %Y-%m-%d"
    assert problems[0].excerpt == ("2026-11-31,Bad day,1.00",)


def test_both_or_neither_debit_and_credit_is_a_bad_row() -> None:
    columns = (ColumnRef(role="date", number=1), ColumnRef(role="description", number=2),
               ColumnRef(role="debit", number=3), ColumnRef(role="credit", number=4))
    text = "2026-11-03,Both,5.00,6.00\n2026-11-03,Neither,,\n2026-11-03,Negative debit,-5,\n"
    found, problems = read_statement(text, rules(header=False, columns=columns), "b.csv")
    assert [p.message for p in problems] == [
        "both the debit (5.00) and the credit (6.00) hold an amount",
        "neither the debit nor the credit holds an amount"]
    assert [r.amount for r in found] == [Decimal(-5)]  # a debit is money out, whatever its sign


def test_a_column_the_header_lacks_is_a_problem_of_the_rules_file() -> None:
    columns = (ColumnRef(role="date", header="Date", source=None),
               ColumnRef(role="description", header="Text"),
               ColumnRef(role="amount", header="Betrag"))
    _, problems = read_statement("Date,Text,Amount\n2026-11-03,x,1\n", rules(columns=columns),
                                 "bank.csv")
    assert [p.code for p in problems] == ["unknown-column"]
    assert "'Date', 'Text', 'Amount'" in problems[0].message


def test_inverted_amounts() -> None:
    found, _ = read_statement("Date,Text,Amount\n2026-11-03,Card,45.00\n", rules(invert=True),
                              "card.csv")
    assert found[0].amount == Decimal("-45.00")


# -- the import hash ---------------------------------------------------------------------
def row(text: str = "Rent", amount: str = "-1200.00", day: dt.date = DAY, ref: str = "",
        line: int = 1) -> StatementRow:
    return StatementRow(line, day, text, Decimal(amount), ref)


def test_the_hash_ignores_file_order_line_case_spacing_and_trailing_zeros() -> None:
    one = row_hashes([row("Rent  NOVEMBER", "-1200.00", line=3)], "Assets:Bank", "USD")
    two = row_hashes([row("Other", "5"), row("rent november", "-1200", line=9)],
                     "Assets:Bank", "USD")
    assert one[0] == two[1]
    assert len(one[0]) == 16
    assert re.fullmatch("[0-9a-f]{16}", one[0])


@pytest.mark.parametrize("changed", [
    row(amount="-1200.01"), row(day=DAY + dt.timedelta(days=1)), row(text="Rent Dec"),
    row(ref="X1")])
def test_the_hash_changes_with_what_the_row_says(changed: StatementRow) -> None:
    assert row_hashes([row()], "A", "USD") != row_hashes([changed], "A", "USD")


def test_the_hash_depends_on_the_account_and_currency() -> None:
    base = row_hashes([row()], "Assets:Bank:Checking", "USD")
    assert base != row_hashes([row()], "Assets:Bank:Savings", "USD")
    assert base != row_hashes([row()], "Assets:Bank:Checking", "EUR")


def test_identical_rows_get_an_occurrence_each() -> None:
    hashes = row_hashes([row(), row(line=2), row(line=3)], "A", "USD")
    assert len(set(hashes)) == 3
    # A later statement with the same two rows first gives them the same two hashes.
    assert row_hashes([row(line=7), row(line=8)], "A", "USD") == hashes[:2]


@given(st.permutations(range(6)))
def test_hashes_do_not_depend_on_row_order(order: list[int]) -> None:
    rows = [row("Coffee", "-3.50"), row("Coffee", "-3.50"), row("Rent"), row("Fee", "-1"),
            row("Coffee", "-3.50", day=DAY + dt.timedelta(days=1)), row("Fee", "-2")]
    base = sorted(row_hashes(rows, "A", "USD"))
    assert sorted(row_hashes([rows[i] for i in order], "A", "USD")) == base


# -- rules -----------------------------------------------------------------------------
def rule(number: int, pattern: str, account: str, **extra: object) -> Rule:
    return Rule(number=number, pattern=re.compile(pattern, re.IGNORECASE), account=account,
                **extra)  # type: ignore[arg-type]


def test_the_first_rule_that_applies_wins() -> None:
    found = [rule(1, "transfer", "Assets:Savings", direction="in"),
             rule(2, "transfer", "Expenses:Transfers"), rule(3, "rent", "Expenses:Rent")]
    assert first_rule(row("TRANSFER to savings", "-100"), found) == found[1]
    assert first_rule(row("transfer from savings", "100"), found) == found[0]
    assert first_rule(row("Rent"), found) == found[2]
    assert first_rule(row("Coffee"), found) is None


def test_descriptions_from_templates_counterparties_and_groups() -> None:
    fuel = rule(1, r"(?P<station>shell|arco)", "Expenses:Vehicle",
                description="Fuel at {station} ({reference}) {unknown}")
    assert describe(row("CARD SHELL 123", ref="C9"), fuel) == "Fuel at SHELL (C9) {unknown}"
    payee = rule(2, "pg&e", "Expenses:Utilities", counterparty="PG&E")
    assert describe(row("PG&E WEB PMT"), payee) == "PG&E"
    assert describe(row("plain text"), None) == "plain text"
    assert template_problem("{text} {who}", re.compile("x")) is not None
    assert template_problem("{text} {who}", re.compile("(?P<who>x)")) is None


def test_text_that_the_journal_would_misread_is_made_safe() -> None:
    assert journal_text("A;B\tC  D") == "A,B C D"
    assert journal_text("* starred") == "starred"
    assert journal_text("(card) coffee") == "[card] coffee"
    assert journal_code("REF (1); x") == "REF 1 x"


# -- matching ------------------------------------------------------------------------------
def item(number: str, amount: str, party: str = "harbor", kind: str = INVOICE,
         names: tuple[str, ...] = ("harbor",)) -> OpenItem:
    return OpenItem(kind, number, party, "SO-1", dt.date(2026, 10, 1), Decimal(amount), "USD",
                    names)


def test_a_number_in_the_text_matches_whatever_the_amount() -> None:
    items = [item("SI-2026-0012", "619.08"), item("SI-2026-0013", "100.00")]
    found = match_rows([row("ACH nordic si 2026 0013 thanks", "50.00")], items, "USD")
    assert found[0].match is not None
    assert found[0].match.numbers == "SI-2026-0013"
    assert found[0].match.how == "reference"
    # The number must stand alone: SI-2026-00131 is not SI-2026-0013.
    assert match_rows([row("SI-2026-00131", "55.00")], items, "USD")[0] == (None, "")


def test_an_amount_matches_one_open_document_and_a_name_breaks_a_tie() -> None:
    items = [item("SI-1", "250.00", "harbor", names=("harbor",)),
             item("SI-2", "250.00", "elm", names=("elm cafe",)),
             item("SI-3", "99.00")]
    found = match_rows([row("deposit", "99.00"), row("deposit", "250.00"),
                        row("ELM CAFE deposit", "250.00")], items, "USD")
    assert found[0].match is not None
    assert found[0].match.how == "amount"
    assert found[1].match is None
    assert found[1].note == "2 open invoices of 250.00: SI-1, SI-2"
    assert found[2].match is not None
    assert found[2].match.numbers == "SI-2"


def test_what_a_row_pays_is_not_open_for_the_next() -> None:
    items = [item("SI-1", "100.00")]
    found = match_rows([row("pay", "100.00", line=1), row("pay", "100.00", line=2)], items,
                       "USD")
    assert found[0].match is not None
    assert found[1].match is None


def test_money_out_matches_bills_and_never_more_than_is_open() -> None:
    items = [item("FTC-3447", "1717.32", "finishing", kind=BILL), item("SI-9", "1717.32")]
    found = match_rows([row("ACH FTC-3447", "-1717.32"), row("ACH FTC-3447", "-5.00")],
                       items, "USD")
    assert found[0].match is not None
    assert found[0].match.items[0].kind == BILL
    assert found[1] == (None, "")  # paid in full by the row before
    over = match_rows([row("ACH FTC-3447", "-2000.00")], items, "USD")[0]
    assert over.match is None
    assert over.note == "pays 2000.00, more than the 1717.32 open on bill FTC-3447"
    assert match_rows([row("x", "-1717.32")], items[1:], "USD")[0].match is None
