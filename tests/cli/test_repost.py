"""A back-dated move, the drift it leaves, and ``biz stock repost`` that cures it.

The numbers are worked by hand: FIFO layers before and after the back-dated receipt.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_sales import balances, biz, ok, shop

__all__ = ["shop"]  # the fixture, shared with the sales tests


def test_back_dated_receipt_then_repost(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=4", "--date", "2026-10-06")
    ok(shop, "sale", "ship", "SO-2026-0001", "--date", "2026-10-07")  # 3 x 400 + 420 = 1620
    added = ok(shop, "stock", "adjust", "TABLE", "2", "MAIN", "--date", "2026-10-01",
               "--cost", "380")
    assert added.endswith("# back-dated: later moves of TABLE may now cost differently; "
                          "'biz stock repost' brings the journal in line\n")
    drift = biz(shop, "check")
    # Layers now 2 @ 380, 3 @ 400, 2 @ 420: the shipment costs 2 x 380 + 2 x 400 = 1560.
    assert ("error[inventory-drift]: on 2026-10-07 Assets:Inventory is 1180.00 USD but the "
            "stock is valued at 1240.00 USD (difference -60.00 USD)") in drift.err

    dry = ok(shop, "stock", "repost", "--dry-run")
    assert biz(shop, "check").code == 1
    done = ok(shop, "stock", "repost")
    assert dry.replace(" (dry run: nothing written)", "") == done
    assert done == (
        "2026-10-07 * (SO-2026-0001) Stock repost: SO-2026-0001 now costs less after a "
        "back-dated move\n"
        "    ; doc: SO-2026-0001\n"
        "    ; repost: cost\n"
        "    Expenses:Cost of Goods Sold             -60.00 USD\n"
        "    Assets:Inventory                         60.00 USD\n\n"
        "# 1 adjusting entry\n")
    assert biz(shop, "check").code == 0
    assert balances(shop)["Expenses:Cost of Goods Sold"] == "1560.00"
    assert balances(shop)["Assets:Inventory"] == "1240.00"  # 1 @ 400 + 2 @ 420
    again = ok(shop, "stock", "repost")
    assert again == "# nothing to repost: the inventory account matches the stock valuation\n"
    # The adjusting entry sits on its day, between the entries around it.
    journal = (shop / "journal" / "2026.journal").read_text(encoding="utf-8")
    dates = [line[:10] for line in journal.splitlines() if line[:4] == "2026"]
    assert dates == sorted(dates)


def test_back_dated_issue_that_would_leave_a_later_one_short_is_refused(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=4", "--date", "2026-10-06")
    ok(shop, "sale", "ship", "SO-2026-0001", "--date", "2026-10-07")
    short = biz(shop, "stock", "adjust", "TABLE", "-3", "MAIN", "--date", "2026-10-05")
    assert short.code == 1
    assert ("error[back-dated-move]: this back-dated move would leave a later move short: "
            "2026-10-07: cannot take 4 pc of TABLE out of MAIN: 2 pc on hand") in short.err
    assert biz(shop, "check").code == 0


def test_repost_leaves_hand_posted_inventory_entries_to_the_user(shop: Path) -> None:
    ok(shop, "post", "2026-10-09", "Stray", "Assets:Inventory", "5", "Equity:Opening Balances")
    out = ok(shop, "stock", "repost")
    assert out == ("# 0 adjusting entries\n"
                   "# not reposted: 2026-10-09 (no document): 5.00 USD posted to "
                   "Assets:Inventory with no stock move behind it; correct that entry by "
                   "hand\n")


def test_repost_reads_entries_in_any_journal_file_and_fills_elided_amounts(shop: Path) -> None:
    ok(shop, "sale", "order", "HARBOR", "TABLE=4", "--date", "2026-10-06")
    ok(shop, "sale", "ship", "SO-2026-0001", "--date", "2026-10-07")
    # The bookkeeper keeps the delivery's entry in a file of its own, amount left out.
    year = shop / "journal" / "2026.journal"
    blocks = year.read_text(encoding="utf-8").split("\n\n")
    delivery = next(b for b in blocks if b.startswith("2026-10-07 * (SO-2026-0001)"))
    year.write_text("\n\n".join(b for b in blocks if b is not delivery), encoding="utf-8")
    lines = ["    Assets:Inventory" if "Assets:Inventory" in line else line
             for line in delivery.splitlines()]
    (shop / "journal" / "2026-deliveries.journal").write_text("\n".join(lines) + "\n",
                                                               encoding="utf-8")
    assert biz(shop, "check").code == 0
    ok(shop, "stock", "adjust", "TABLE", "2", "MAIN", "--date", "2026-10-01", "--cost", "380")
    done = ok(shop, "stock", "repost")
    assert "    Expenses:Cost of Goods Sold             -60.00 USD\n" in done  # as above
    assert done.endswith("# 1 adjusting entry\n")
    assert biz(shop, "check").code == 0
