"""A book read in pieces on several processes gives exactly what one pass gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from bizcli.core.problems import Problem
from bizcli.storage import journal_pieces
from bizcli.storage.loader import load_book
from tests.conftest import EXAMPLE, run_biz, write_journal


def _entries(count: int) -> str:
    """Many small entries; the same day recurs so assertions depend on same-day order."""
    parts = []
    for i in range(count):
        day = f"2026-{1 + i // 300:02d}-{1 + (i // 12) % 25:02d}"
        parts.append(f"{day} * Sale {i}\n    Assets:Cash  {i % 97 + 1}.25 USD\n"
                     f"    Income:Sales  -{i % 97 + 1}.25 USD\n")
    return "\n".join(parts)


def _key(problems: list[Problem]) -> list[tuple[str, str, int]]:
    return [(p.code, p.source.path if p.source else "", p.source.line if p.source else 0)
            for p in problems]


def _load_both(book: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    monkeypatch.setattr(journal_pieces, "PARALLEL_MIN_BYTES", 10**12)
    single = load_book(book, use_cache=False)
    monkeypatch.setattr(journal_pieces, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(journal_pieces, "PIECE_BYTES", 2_000)
    monkeypatch.setattr(journal_pieces, "worker_count", lambda _: 2)
    calls = []
    real = journal_pieces.digest_in_parallel

    def counted(*args: object) -> object:
        calls.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(journal_pieces, "digest_in_parallel", counted)
    many = load_book(book, use_cache=False)
    assert calls, "the book should have been read in pieces"
    return single, many


def test_pieces_agree_with_one_pass_on_a_book_with_problems(
        new_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _entries(900)
    lines = text.split("\n")
    # An unbalanced entry, an unknown account and a bad amount, far apart.
    assert lines[41].startswith("    Assets:Cash")  # every entry is 4 lines
    lines[41] = lines[41].replace(".25 USD", ".26 USD")
    lines[1501] = lines[1501].replace("Assets:Cash", "Assets:Nowhere")
    lines[3002] = lines[3002].replace("-", "-1,000 ")
    write_journal(new_book, "2026.journal", "\n".join(lines))
    write_journal(new_book, "2027.journal", "")
    (single_book, single_problems), (many_book, many_problems) = _load_both(
        new_book, monkeypatch)
    assert _key(many_problems) == _key(single_problems)
    assert {c for c, _, _ in _key(single_problems)} >= {
        "unbalanced-transaction", "unknown-account", "digit-group-mark"}
    assert many_book.balances.between(None, None) == single_book.balances.between(None, None)
    assert many_book.cash_flows.between(None, None) == single_book.cash_flows.between(
        None, None)
    assert many_book.transaction_count == single_book.transaction_count


def test_assertions_across_piece_boundaries(new_book: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    body = []
    total = 0
    for i in range(400):
        amount = i % 7 + 1
        total += amount
        note = f" = {total}.00 USD" if i % 50 == 49 else ""
        wrong = " = 1.00 USD" if i == 333 else ""
        body.append(f"2026-03-{1 + i // 40:02d} * Cash sale {i}\n"
                    f"    Assets:Cash  {amount}.00 USD{note or wrong}\n"
                    f"    Income:Sales  -{amount}.00 USD\n")
    write_journal(new_book, "2026.journal", "\n".join(body))
    (_, single), (_, many) = _load_both(new_book, monkeypatch)
    assert _key(many) == _key(single)
    assert [p.code for p in single] == ["failed-assertion"]


def test_the_example_book_reads_the_same_in_pieces(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    book = tmp_path / "workshop"
    shutil.copytree(EXAMPLE, book, ignore=shutil.ignore_patterns(".biz"))
    (single_book, single), (many_book, many) = _load_both(book, monkeypatch)
    assert (single, many) == ([], [])
    assert many_book.balances.between(None, None) == single_book.balances.between(None, None)
    assert many_book.asserted == single_book.asserted
    assert run_biz(["-B", str(book), "check"]).code == 0


def test_a_file_out_of_order_in_many_places_warns_once(new_book: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    entries = _entries(600).split("\n\n")
    for at in (50, 250, 450):  # swap neighbours far apart: three places out of order
        entries[at], entries[at + 13] = entries[at + 13], entries[at]
    write_journal(new_book, "2026.journal", "\n\n".join(entries))
    (_, single), (_, many) = _load_both(new_book, monkeypatch)
    assert [p.code for p in single] == ["unordered-dates"]
    assert _key(many) == _key(single)
