"""A write brings the load cache up to date: the next load is warm and equals a cold one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bizcli.storage.loader import _load_cached, journal_paths, load_book, stock_paths
from tests.cli.test_sales import ok, shop

__all__ = ["shop"]


def _view(book_root: Path, *, use_cache: bool) -> dict[str, Any]:
    book, problems = load_book(book_root, need_stock=True, use_cache=use_cache)
    return {
        "balances": book.balances.between(None, None),
        "flows": book.cash_flows.between(None, None),
        "count": book.transaction_count,
        "moves": book.stock_moves, "stock_values": dict(book.stock_values),
        "sales": book.sales, "payments": book.payments, "purchases": book.purchases,
        "problems": [p.one_line() for p in problems],
    }


def _is_warm(root: Path) -> bool:
    top_level = ["biz.yaml", "accounts.yaml", *journal_paths(root), *stock_paths(root)]
    return _load_cached(root, top_level, records=True) is not None


STEPS = [
    ("sale", "ship", "SO-2026-0001", "TABLE=1", "--date", "2026-10-07"),
    ("sale", "ship", "SO-2026-0001", "--date", "2026-10-08"),
    ("sale", "invoice", "SO-2026-0001", "--date", "2026-10-08"),
    ("sale", "pay", "HARBOR", "3000", "--date", "2026-10-09"),
    ("sale", "order", "ELM", "TABLE=1", "--date", "2026-10-10"),
    ("sale", "ship", "SO-2026-0002", "--date", "2026-10-10"),
    ("sale", "cancel", "SO-2026-0002", "--return", "--date", "2026-10-11"),
    ("post", "2026-10-12", "Float", "Assets:Cash", "50", "Equity:Opening Balances"),
    ("purchase", "order", "MILL", "TABLE=1@410", "--date", "2026-10-12"),
    ("purchase", "receive", "PO-2026-0003", "--date", "2026-10-12"),
    ("purchase", "bill", "PO-2026-0003", "--number", "M-9", "--date", "2026-10-13"),
    ("stock", "adjust", "TABLE", "-1", "MAIN", "--date", "2026-10-14"),
]


@pytest.mark.parametrize("upto", range(1, len(STEPS) + 1))
def test_each_write_leaves_a_warm_cache_equal_to_a_cold_load(shop: Path, upto: int) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=2", "FIT=1", "--date", "2026-10-06")
    assert not _is_warm(shop)  # a new file (sales/2026.yaml): the next load rebuilds
    load_book(shop, need_stock=True)
    for step in STEPS[:upto]:
        ok(shop, *step)
    assert _is_warm(shop)
    assert _view(shop, use_cache=True) == _view(shop, use_cache=False)


BACK_DATED = [
    ("sale", "ship", "SO-2026-0001", "--date", "2026-10-07"),
    ("sale", "order", "HARBOR", "TABLE=1", "--date", "2026-10-03"),
    # before the first shipment: its cost, and the stock value of later days, change
    ("sale", "ship", "SO-2026-0002", "--date", "2026-10-05"),
    # two of the first layer gone: the shipment of 10-07 now costs 420.00, not 400.00
    ("stock", "adjust", "TABLE", "-2", "MAIN", "--date", "2026-10-02"),
    ("stock", "repost"),  # adjusting entries dated between others
    ("stock", "adjust", "TABLE", "1", "MAIN", "--cost", "100", "--date", "2026-10-01"),
    ("post", "2026-10-04", "Float", "Assets:Cash", "50", "Equity:Opening Balances"),
]


@pytest.mark.parametrize("upto", range(1, len(BACK_DATED) + 1))
def test_a_back_dated_write_keeps_the_cache_warm_and_right(shop: Path, upto: int) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=1", "--date", "2026-10-06")
    load_book(shop, need_stock=True)
    for step in BACK_DATED[:upto]:
        out = ok(shop, *step)
        if step[1] == "repost":
            assert "# 1 adjusting entry" in out, out
    assert _is_warm(shop)
    assert _view(shop, use_cache=True) == _view(shop, use_cache=False)


def test_a_back_dated_entry_above_a_price_leaves_the_cache_to_be_rebuilt(shop: Path) -> None:
    ok(shop, "post", "2026-10-09", "Float", "Assets:Cash", "50", "Equity:Opening Balances")
    journal = shop / "journal" / "2026.journal"
    journal.write_text(journal.read_text(encoding="utf-8") + "\nP 2026-10-10 EUR 1.10 USD\n",
                       encoding="utf-8")
    load_book(shop, need_stock=True)
    ok(shop, "post", "2026-10-08", "Float", "Assets:Cash", "50", "Equity:Opening Balances")
    assert not _is_warm(shop)  # the price's line moved: the next load is cold
    assert _view(shop, use_cache=True) == _view(shop, use_cache=False)
