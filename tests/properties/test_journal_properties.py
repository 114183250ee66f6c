"""Properties of the journal core: balancing, round trips, and the accounting equation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bizcli.core.ledger.accounts import Account, AccountType, build_chart
from bizcli.core.ledger.balances import daily_movements, sum_movements
from bizcli.core.ledger.balancing import balance_transaction
from bizcli.core.ledger.posting import ambiguous_description
from bizcli.core.ledger.transactions import Posting, Status, Transaction, without_source
from bizcli.core.money import Amount
from bizcli.storage.journal_reader import entry_spans, read_journal
from bizcli.storage.journal_writer import insert_entries, write_journal, write_transaction

TOP = {"Assets": AccountType.ASSET, "Liabilities": AccountType.LIABILITY,
       "Equity": AccountType.EQUITY, "Income": AccountType.INCOME,
       "Expenses": AccountType.EXPENSE}
LEAVES = ["Bank", "Cash", "Receivable", "Payable", "Sales", "Rent", "Capital", "办公:文具",
          "Region 01", "Müller GmbH"]
COMMODITIES = {"USD": 2, "JPY": 0, "¥": 2, "$": 2}

accounts = st.builds(lambda top, leaf: f"{top}:{leaf}", st.sampled_from(sorted(TOP)),
                     st.sampled_from(LEAVES))
commodities = st.sampled_from(sorted(COMMODITIES))
safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                           blacklist_characters=";\t\n\r#"),
    max_size=20).map(str.strip).filter(lambda t: ":" not in t and "  " not in t)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def _balanced_transactions(draw: st.DrawFn) -> Transaction:
    commodity = draw(commodities)
    places = COMMODITIES[commodity]
    cents = draw(st.lists(st.integers(-10**9, 10**9).filter(bool), min_size=1, max_size=5))
    quantities = [Decimal(c).scaleb(-places) for c in cents]
    quantities.append(-sum(quantities))
    postings = tuple(Posting(draw(accounts), Amount(q, commodity)) for q in quantities)
    tags = tuple(draw(st.lists(st.tuples(st.sampled_from(["doc", "customer", "note-x"]),
                                         safe_text), max_size=2)))
    return Transaction(draw(dates), draw(safe_text), postings,
                       draw(st.sampled_from(list(Status))),
                       draw(st.sampled_from(["", "INV-1", "PAY 7"])), "", tags)


def balanced_transactions() -> st.SearchStrategy[Transaction]:
    """A transaction whose postings add up to zero in one commodity, as bizcli would write
    it (a description that would read back as a status or a code is refused first)."""
    return _balanced_transactions().filter(lambda t: not ambiguous_description(t))


@given(balanced_transactions())
def test_every_generated_entry_balances(txn: Transaction) -> None:
    _, problems = balance_transaction(txn)
    assert problems == []


@given(balanced_transactions())
def test_write_then_read_gives_the_same_transaction(txn: Transaction) -> None:
    text = write_transaction(txn, COMMODITIES)
    parsed = read_journal("t.journal", text)
    assert parsed.problems == []
    assert [without_source(t) for t in parsed.transactions] == [without_source(txn)]
    again = write_transaction(parsed.transactions[0], COMMODITIES)
    assert again == text


@given(balanced_transactions(), st.integers(0, 4))
def test_an_elided_amount_is_filled_with_the_remainder(txn: Transaction, index: int) -> None:
    index %= len(txn.postings)
    elided = txn._replace(postings=tuple(
        p._replace(amount=None) if i == index else p for i, p in enumerate(txn.postings)))
    filled, problems = balance_transaction(elided)
    assert problems == []
    assert filled.postings[index].amount == txn.postings[index].amount


@given(balanced_transactions(), st.integers(1, 10**6))
def test_changing_one_amount_unbalances(txn: Transaction, delta: int) -> None:
    first = txn.postings[0]
    assert first.amount is not None
    places = COMMODITIES[first.amount.commodity]
    bumped = first._replace(amount=Amount(first.amount.quantity + Decimal(delta).scaleb(-places),
                                          first.amount.commodity))
    _, problems = balance_transaction(txn._replace(postings=(bumped, *txn.postings[1:])))
    assert [p.code for p in problems] == ["unbalanced-transaction"]


def _chart() -> object:
    entries = [Account(name=name, type=kind) for name, kind in TOP.items()]
    entries += [Account(name=f"{top}:{leaf}") for top in TOP for leaf in LEAVES]
    chart, problems = build_chart(entries)
    assert problems == []
    return chart


@settings(max_examples=50)
@given(st.lists(balanced_transactions(), min_size=1, max_size=30), dates)
def test_trial_balance_is_zero_and_the_accounting_equation_holds(
        transactions: list[Transaction], on: dt.date) -> None:
    chart = _chart()
    movements = daily_movements(transactions)
    totals = sum_movements(movements, None, on)
    per_commodity: dict[str, Decimal] = {}
    by_type: dict[tuple[AccountType, str], Decimal] = {}
    for (account, commodity), quantity in totals.items():
        per_commodity[commodity] = per_commodity.get(commodity, Decimal(0)) + quantity
        kind = chart.type_of(account)  # type: ignore[attr-defined]
        by_type[kind, commodity] = by_type.get((kind, commodity), Decimal(0)) + quantity
    assert all(q == 0 for q in per_commodity.values())
    for commodity in per_commodity:
        def total(kind: AccountType, c: str = commodity) -> Decimal:
            return by_type.get((kind, c), Decimal(0))
        # Assets = Liabilities + Equity + (Income - Expenses), in natural signs.
        assets = total(AccountType.ASSET)
        liabilities = -total(AccountType.LIABILITY)
        equity = -total(AccountType.EQUITY)
        profit = -total(AccountType.INCOME) - total(AccountType.EXPENSE)
        assert assets == liabilities + equity + profit


@settings(max_examples=30)
@given(st.lists(balanced_transactions(), min_size=1, max_size=20))
def test_a_written_journal_reads_back_date_sorted(transactions: list[Transaction]) -> None:
    text = write_journal(transactions, COMMODITIES, header="; test\n")
    parsed = read_journal("t.journal", text)
    assert parsed.problems == []
    got = [t.date for t in parsed.transactions]
    assert got == sorted(t.date for t in transactions)


@settings(max_examples=60)
@given(st.lists(balanced_transactions(), min_size=1, max_size=25), dates, dates)
def test_the_balance_index_agrees_with_summing_movements(
        transactions: list[Transaction], a: dt.date, b: dt.date) -> None:
    from bizcli.core.ledger.balance_index import BalanceIndex

    movements = daily_movements(transactions)
    index = BalanceIndex.from_movements(movements)
    start, end = min(a, b), max(a, b)
    for span in ((start, end), (None, end), (start, None), (None, None)):
        expected = {k: q for k, q in sum_movements(movements, *span).items() if q}
        assert index.between(*span) == expected


@st.composite
def journal_texts(draw: st.DrawFn) -> str:
    """A date-sorted journal with month headings, comments inside entries and blank runs."""
    entries = sorted(draw(st.lists(balanced_transactions(), max_size=8)), key=lambda t: t.date)
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append("; a file heading\naccount Assets:Bank\n")
    month = None
    for txn in entries:
        if (txn.date.year, txn.date.month) != month and draw(st.booleans()):
            parts.append(f"; {txn.date:%B %Y}\n")
        month = (txn.date.year, txn.date.month)
        text = write_transaction(txn, COMMODITIES)
        if draw(st.booleans()):
            head, _, rest = text.partition("\n")
            text = f"{head}\n    ; a note inside\n{rest}"
        parts.append(text + "\n" * draw(st.integers(0, 2)))
    return "\n".join(parts)


@given(journal_texts())
def test_entry_spans_give_the_lines_the_reader_gives(text: str) -> None:
    parsed = read_journal("t.journal", text)
    assert parsed.problems == []
    assert [(s.line, s.end_line) for s in entry_spans(text)] == [
        (t.source.line, t.source.end_line) for t in parsed.transactions if t.source]


@given(journal_texts(), st.lists(balanced_transactions(), min_size=1, max_size=5))
def test_inserted_entries_keep_the_file_date_sorted_and_lose_nothing(
        text: str, new: list[Transaction]) -> None:
    new = sorted(new, key=lambda t: t.date)
    entries = [(t.date, write_transaction(t, COMMODITIES)) for t in new]
    result = insert_entries(text, entry_spans(text), entries)
    parsed = read_journal("t.journal", result)
    assert parsed.problems == []
    dates = [t.date for t in parsed.transactions]
    assert dates == sorted(dates)
    old = [without_source(t) for t in read_journal("t.journal", text).transactions]
    got = [without_source(t) for t in parsed.transactions]
    assert sorted(got, key=repr) == sorted(old + [without_source(t) for t in new], key=repr)
    rest = iter(got)
    assert all(t in rest for t in old)
    # An entry goes after the existing ones of its date; new ones keep their order.
    for txn in new:
        same_day = [t for t in got if t.date == txn.date]
        assert same_day[-sum(1 for n in new if n.date == txn.date):] == [
            without_source(n) for n in new if n.date == txn.date]
    # Every line of the old file is still there, in order, apart from blank lines.
    kept = iter(result.split("\n"))
    assert all(line in kept for line in text.split("\n") if line.strip())
    # One batch gives the same text as inserting the entries one by one.
    one_by_one = text
    for date, entry in entries:
        one_by_one = insert_entries(one_by_one, entry_spans(one_by_one), [(date, entry)])
    assert one_by_one == result
