"""Deals through the CLI: open, move, win (into a linked order), lose, and the pipeline.

The expected figures are worked by hand in the comments, not taken from bizcli's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_sales import (
    ok,
    shop,  # noqa: F401 - a fixture this module uses
)
from tests.conftest import Result, run_biz

STAGES = """crm:
  stages:
  - name: new
    probability: 10
  - name: qualified
    probability: 30
  - name: proposal
    probability: 60
"""


def biz(book: Path, *args: str) -> Result:
    return run_biz(["-B", str(book), *args])


@pytest.fixture
def deals(shop: Path) -> Path:  # noqa: F811 - the imported fixture
    """Four deals over autumn 2026 (today is 2026-11-22), three stages at 10/30/60 %.

    D1 HARBOR 1000, ana: new 09-01, qualified 09-10, proposal 10-01; closes 2026-12-15.
    D2 ELM    2000, ben: new 09-05, its own probability 25 %; closes 2027-01-10.
    D3 HARBOR 3000, ana: new 09-07, qualified 09-20, lost 10-15 (price).
    D4 ELM     500, ben: opened in proposal 10-02, won 11-01.
    """
    with (shop / "biz.yaml").open("a", encoding="utf-8") as handle:
        handle.write(STAGES)
    for args in (
        ("add", "HARBOR", "A", "--amount", "1000", "--owner", "ana", "--date", "2026-09-01",
         "--close", "2026-12-15", "--source", "fair"),
        ("move", "D-2026-0001", "qualified", "--date", "2026-09-10"),
        ("move", "D-2026-0001", "proposal", "--date", "2026-10-01"),
        ("add", "ELM", "B", "--amount", "2000", "--owner", "ben", "--date", "2026-09-05",
         "--close", "2027-01-10", "--probability", "25", "--source", "web"),
        ("add", "HARBOR", "C", "--amount", "3000", "--owner", "ana", "--date", "2026-09-07"),
        ("move", "D-2026-0003", "qualified", "--date", "2026-09-20"),
        ("lost", "D-2026-0003", "--reason", "price", "--date", "2026-10-15"),
        ("add", "ELM", "D", "--amount", "500", "--owner", "ben", "--date", "2026-10-02",
         "--stage", "proposal"),
        ("won", "D-2026-0004", "--date", "2026-11-01"),
    ):
        ok(shop, "crm", "deal", *args)
    return shop


def rows(book: Path, *args: str) -> list[dict[str, object]]:
    return json.loads(ok(book, "crm", *args, "-O", "json"))["rows"]


def test_pipeline_weighs_each_deal(deals: Path) -> None:
    table = {r["stage"]: r for r in rows(deals, "pipeline")}
    # Open today: D1 in proposal (1000 x 60 % = 600), D2 in new with its own 25 % (2000 x
    # 25 % = 500). D3 is lost and D4 won.
    assert table["proposal"]["deals"] == "1"
    assert table["proposal"]["weighted"] == {"USD": "600.00"}
    assert table["new"]["weighted"] == {"USD": "500.00"}
    assert table["qualified"]["deals"] == "0"
    assert table["Total"]["amount"] == {"USD": "3000.00"}
    assert table["Total"]["weighted"] == {"USD": "1100.00"}


def test_pipeline_is_not_total_times_mean_probability(deals: Path) -> None:
    text = ok(deals, "crm", "pipeline")
    assert "1100.00" in text
    # The traps: 3000 x mean(60, 25) % = 1275, and 3000 x mean(60, 10) % = 1050 (the
    # stage defaults, ignoring D2's own probability).
    assert "1275" not in text
    assert "1050" not in text


def test_pipeline_as_of_reads_the_history(deals: Path) -> None:
    table = {r["stage"]: r for r in rows(deals, "pipeline", "--as-of", "2026-10-01")}
    # On 2026-10-01: D1 had just moved to proposal (600), D2 was new at 25 % (500), D3
    # was qualified (3000 x 30 % = 900); D4 did not exist yet.
    assert table["qualified"]["weighted"] == {"USD": "900.00"}
    assert table["Total"]["deals"] == "3"
    assert table["Total"]["amount"] == {"USD": "6000.00"}
    assert table["Total"]["weighted"] == {"USD": "2000.00"}
    before = {r["stage"]: r for r in rows(deals, "pipeline", "--as-of", "2026-08-31")}
    assert before["Total"]["deals"] == "0"


def test_pipeline_by_owner_source_and_period(deals: Path) -> None:
    owners = {r["owner"]: r for r in rows(deals, "pipeline", "--by", "owner")}
    assert owners["ana"]["weighted"] == {"USD": "600.00"}
    assert owners["ben"]["weighted"] == {"USD": "500.00"}
    sources = {r["source"]: r for r in rows(deals, "pipeline", "--by", "source")}
    assert set(sources) == {"fair", "web", "Total"}
    december = {r["stage"]: r for r in rows(deals, "pipeline", "--period", "2026-12")}
    assert december["Total"]["weighted"] == {"USD": "600.00"}  # D1 only closes then
    only_ben = {r["stage"]: r for r in rows(deals, "pipeline", "--owner", "ben")}
    assert only_ben["Total"]["amount"] == {"USD": "2000.00"}
    assert biz(deals, "crm", "pipeline", "--by", "colour").code == 2


def test_deal_list_and_show(deals: Path) -> None:
    listed = {r["number"]: r for r in rows(deals, "deal", "list")}
    assert listed["D-2026-0003"]["stage"] == "lost"
    assert listed["D-2026-0002"]["probability"] == "25"
    won = rows(deals, "deal", "list", "--status", "won")
    assert [r["number"] for r in won] == ["D-2026-0004"]
    closed = rows(deals, "deal", "list", "--status", "closed")
    assert [r["number"] for r in closed] == ["D-2026-0003", "D-2026-0004"]
    shown = json.loads(ok(deals, "crm", "deal", "show", "D-2026-0001", "-O", "json"))
    stays = [(r["stage"], r["days"]) for r in shown["rows"]]
    # new 09-01..09-10 = 9 days, qualified 09-10..10-01 = 21, proposal since 10-01 = 52
    assert stays == [("new", "9"), ("qualified", "21"), ("proposal", "52")]


def test_edit_keeps_and_clears_the_deals_own_probability(deals: Path) -> None:
    ok(deals, "crm", "deal", "move", "D-2026-0002", "qualified", "--date", "2026-11-02")
    table = {r["stage"]: r for r in rows(deals, "pipeline")}
    assert table["qualified"]["weighted"] == {"USD": "500.00"}  # still its own 25 %
    ok(deals, "crm", "deal", "edit", "D-2026-0002", "--clear-probability")
    table = {r["stage"]: r for r in rows(deals, "pipeline")}
    assert table["qualified"]["weighted"] == {"USD": "600.00"}  # 2000 x 30 %
    assert biz(deals, "crm", "deal", "edit", "D-2026-0002").code == 2
    assert biz(deals, "crm", "deal", "edit", "D-2026-0002", "--probability", "120").code == 1


def test_history_is_appended_and_the_file_is_deterministic(deals: Path) -> None:
    text = (deals / "crm" / "deals.yaml").read_text(encoding="utf-8")
    assert ("  history:\n  - 2026-09-01 new\n  - 2026-09-10 qualified\n"
            "  - 2026-10-01 proposal\n") in text
    assert "lost_reason: price" in text
    ok(deals, "crm", "deal", "reopen", "D-2026-0003", "proposal", "--date", "2026-11-20")
    after = (deals / "crm" / "deals.yaml").read_text(encoding="utf-8")
    assert "  - 2026-10-15 lost\n  - 2026-11-20 proposal\n" in after
    assert "lost_reason" not in after
    assert ok(deals, "check") == ""


def test_winning_a_deal_with_lines_writes_one_linked_order(deals: Path) -> None:
    ok(deals, "crm", "deal", "add", "HARBOR", "Tables", "TABLE=2@950", "--date", "2026-11-10")
    before = {p: p.read_bytes() for p in deals.rglob("*") if p.is_file()
              and ".biz" not in p.parts}
    ok(deals, "crm", "deal", "won", "D-2026-0005", "--dry-run")
    assert before == {p: p.read_bytes() for p in deals.rglob("*") if p.is_file()
                      and ".biz" not in p.parts}
    out = ok(deals, "crm", "deal", "won", "D-2026-0005", "--date", "2026-11-20")
    assert "order: SO-2026-0001" in out
    sales = (deals / "sales" / "2026.yaml").read_text(encoding="utf-8")
    assert sales.count("deal: D-2026-0005") == 1
    shown = json.loads(ok(deals, "sale", "list", "-O", "json"))["rows"]
    assert [(r["number"], r["total"]) for r in shown] == [
        ("SO-2026-0001", {"USD": "2052.00"})]  # 2 x 950 = 1900 + 8 % tax 152
    assert ok(deals, "check") == ""
    assert "became SO-2026-0001 (open)" in ok(deals, "crm", "deal", "show", "D-2026-0005")


def test_a_win_stopped_half_way_is_linked_not_ordered_twice(deals: Path) -> None:
    ok(deals, "crm", "deal", "add", "HARBOR", "Tables", "TABLE=1", "--date", "2026-11-10")
    path = deals / "crm" / "deals.yaml"
    opened = path.read_text(encoding="utf-8")
    ok(deals, "crm", "deal", "won", "D-2026-0005", "--date", "2026-11-20")
    path.write_text(opened, encoding="utf-8")  # as if the deal's write never happened
    broken = biz(deals, "check")
    assert broken.code == 1
    assert "error[deal-link]: SO-2026-0001 names deal D-2026-0005, which is new" in broken.err
    out = ok(deals, "crm", "deal", "won", "D-2026-0005", "--date", "2026-11-20")
    assert "linked SO-2026-0001" in out
    assert "SO-2026-0002" not in (deals / "sales" / "2026.yaml").read_text(encoding="utf-8")
    assert ok(deals, "check") == ""


def test_a_refused_win_writes_nothing(deals: Path) -> None:
    ok(deals, "crm", "deal", "add", "HARBOR", "Big", "TABLE=20@1000", "--date", "2026-11-10")
    before = (deals / "crm" / "deals.yaml").read_bytes()
    refused = biz(deals, "crm", "deal", "won", "D-2026-0005")
    assert refused.code == 1
    assert "error[credit-limit]" in refused.err  # 21600 over HARBOR's 10000 limit
    assert (deals / "crm" / "deals.yaml").read_bytes() == before
    assert not (deals / "sales").exists()


def test_the_cache_gives_what_the_files_say(deals: Path) -> None:
    from bizcli.storage.crm_loader import load_crm

    cached, _ = load_crm(deals)
    fresh, problems = load_crm(deals, use_cache=False)
    assert problems == []
    assert cached == fresh
    assert [d.ref for d in cached.deals] == [d.ref for d in fresh.deals]
    assert (deals / ".biz" / "cache" / "crm.msgpack").exists()


def test_a_bad_deals_file_stops_writes_and_reports(deals: Path) -> None:
    path = deals / "crm" / "deals.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("amount: '1000'",
                                                             "amount: lots"), encoding="utf-8")
    before = path.read_bytes()
    refused = biz(deals, "crm", "deal", "move", "D-2026-0002", "qualified")
    assert refused.code == 1
    assert "crm/deals.yaml:" in refused.err
    assert "error[bad-number]" in refused.err
    assert path.read_bytes() == before
    assert biz(deals, "crm", "pipeline").code == 1


def test_due_lists_follow_ups_by_urgency_and_idle_deals(deals: Path) -> None:
    # Today is 2026-11-22. A-1 overdue by 4 days, A-2 due today, A-3 upcoming (3 days
    # ahead), A-4 beyond the 7-day horizon, A-5 done already, A-6 a logged call.
    for args in (
        ("plan", "Chase the quote", "--due", "2026-11-18", "--deal", "D-2026-0001",
         "--date", "2026-11-10"),
        ("plan", "Send samples", "--due", "2026-11-22", "--customer", "ELM", "--owner", "ben"),
        ("plan", "Visit", "--due", "2026-11-25", "--customer", "HARBOR", "--owner", "ana"),
        ("plan", "Renewal", "--due", "2026-12-20", "--deal", "D-2026-0002"),
        ("plan", "Done one", "--due", "2026-11-21", "--customer", "ELM", "--date",
         "2026-11-01"),
        ("log", "call", "Intro call", "--deal", "D-2026-0001", "--date", "2026-11-05"),
    ):
        ok(deals, "crm", "activity", *args)
    ok(deals, "crm", "activity", "done", "A-2026-0005", "--date", "2026-11-20")
    found = rows(deals, "due")
    sections = [r["number"] for r in found if r["due"] is None]
    assert sections == ["Overdue (1)", "Due today (1)", "Upcoming (1)",
                        "Open deals with no follow-up (0)"]
    overdue = next(r for r in found if r["number"] == "A-2026-0001")
    assert overdue["days_late"] == "4"
    assert overdue["owner"] == "ana"  # the deal's owner
    # D1 and D2 both have an open follow-up (A-1 overdue counts; A-4 beyond the horizon
    # still counts as planned).
    without = rows(deals, "due", "--as-of", "2026-11-09")
    idle = [r["number"] for r in without if r["number"].startswith("D-")]
    # Nothing was planned by 11-09. The longest untouched first: D2 (opened 09-05, no
    # activity), then D1 (its call on 11-05).
    assert idle == ["D-2026-0002", "D-2026-0001"]
    ben = [r["number"] for r in rows(deals, "due", "--owner", "ben")]
    assert "A-2026-0002" in ben
    assert "A-2026-0001" not in ben
    listed = [r["number"] for r in rows(deals, "activity", "list")]
    assert listed == ["A-2026-0006", "A-2026-0005"]  # 11-05 call, follow-up done 11-20
    again = biz(deals, "crm", "activity", "done", "A-2026-0005")
    assert again.code == 1
    assert "error[bad-follow-up]" in again.err


def test_tickets_against_their_service_level(deals: Path) -> None:
    with (deals / "biz.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  sla:\n    high: {response_hours: 2, resolution_hours: 24}\n")
    ok(deals, "crm", "ticket", "open", "HARBOR", "Wobbly leg", "--priority", "high",
       "--at", "2026-11-20 09:00")
    ok(deals, "crm", "ticket", "open", "ELM", "Scratch", "--at", "2026-11-22 08:00")
    ok(deals, "crm", "ticket", "open", "ELM", "Hinge", "--priority", "low",
       "--at", "2026-11-19 08:00")
    ok(deals, "crm", "ticket", "respond", "T-2026-0001", "--at", "2026-11-20 10:30")
    ok(deals, "crm", "ticket", "close", "T-2026-0003", "--resolution", "New hinge",
       "--at", "2026-11-19 12:00")
    table = {r["number"]: r for r in rows(deals, "ticket", "list", "--at",
                                           "2026-11-22 10:00")}
    # T-1 high (2 h / 24 h from biz.yaml): answered 10:30 by an 11:00 deadline -> met;
    # resolution due 11-21 09:00 and still open -> overdue.
    assert (table["T-2026-0001"]["response"], table["T-2026-0001"]["resolution"]) == (
        "met", "overdue")
    assert table["T-2026-0001"]["resolution_due"] == "2026-11-21 09:00"
    # T-2 normal (default 8 h / 72 h): opened 08:00, nothing yet at 10:00 -> due, due.
    assert (table["T-2026-0002"]["response"], table["T-2026-0002"]["resolution"]) == (
        "due", "due")
    # T-3 low (24 h / 168 h): closed 4 hours in, so answered then too -> met, met.
    assert (table["T-2026-0003"]["status"], table["T-2026-0003"]["response"]) == (
        "closed", "met")
    opened = [r["number"] for r in rows(deals, "ticket", "list", "--status", "open",
                                        "--at", "2026-11-22 10:00")]
    assert opened == ["T-2026-0001", "T-2026-0002"]
    closed = biz(deals, "crm", "ticket", "close", "T-2026-0003", "--resolution", "again")
    assert closed.code == 1
    assert "error[ticket-closed]" in closed.err
    early = biz(deals, "crm", "ticket", "respond", "T-2026-0002", "--at", "2026-11-21 08:00")
    assert early.code == 1
    assert "error[bad-date]" in early.err
    assert ok(deals, "check") == ""


def test_a_lead_becomes_a_customer_and_a_deal(deals: Path) -> None:
    ok(deals, "crm", "lead", "add", "Ana Ruiz", "--company", "Casa Ruiz", "--email",
       "ana@casaruiz.example", "--source", "fair", "--owner", "ana", "--date", "2026-11-02")
    ok(deals, "crm", "lead", "add", "Bo Lind", "--date", "2026-11-03")
    out = ok(deals, "crm", "lead", "convert", "L-2026-0001", "--amount", "1200",
             "--close", "2026-12-20", "--date", "2026-11-10")
    assert "converted: casa-ruiz" in out
    customers = (deals / "customers.yaml").read_text(encoding="utf-8")
    assert "- code: casa-ruiz\n  name: Casa Ruiz\n" in customers
    assert "email: ana@casaruiz.example" in customers
    deal = {r["number"]: r for r in rows(deals, "deal", "list")}["D-2026-0005"]
    assert (deal["customer"], deal["owner"], deal["opened"], deal["amount"]) == (
        "casa-ruiz", "ana", "2026-11-10", {"USD": "1200.00"})
    shown = ok(deals, "crm", "deal", "show", "D-2026-0005")
    assert "source fair" in shown
    assert "from lead L-2026-0001" in shown
    again = biz(deals, "crm", "lead", "convert", "L-2026-0001", "--amount", "5")
    assert again.code == 1
    assert "error[lead-closed]" in again.err
    # A second lead from the same company attaches to the customer.
    ok(deals, "crm", "lead", "add", "Eva Ruiz", "--company", "Casa Ruiz", "--date",
       "2026-11-12")
    taken = biz(deals, "crm", "lead", "convert", "L-2026-0003", "--no-deal")
    assert taken.code == 1
    assert "--customer casa-ruiz" in taken.err
    ok(deals, "crm", "lead", "convert", "L-2026-0003", "--no-deal", "--customer", "casa-ruiz")
    ok(deals, "crm", "lead", "drop", "L-2026-0002", "--reason", "no budget")
    leads = {r["number"]: (r["status"], r["outcome"]) for r in rows(deals, "lead", "list")}
    assert leads == {"L-2026-0001": ("converted", "casa-ruiz, D-2026-0005"),
                     "L-2026-0002": ("dropped", "no budget"),
                     "L-2026-0003": ("converted", "casa-ruiz")}
    assert ok(deals, "check") == ""


def test_customer_360(deals: Path) -> None:
    ok(deals, "crm", "deal", "add", "HARBOR", "Tables", "TABLE=2@950", "--date", "2026-11-10")
    ok(deals, "crm", "deal", "won", "D-2026-0005", "--date", "2026-11-12")
    ok(deals, "sale", "ship", "SO-2026-0001", "TABLE=1", "--date", "2026-11-13")
    ok(deals, "sale", "invoice", "SO-2026-0001", "--date", "2026-11-14")
    ok(deals, "crm", "activity", "log", "call", "Delivery date", "--deal", "D-2026-0001",
       "--date", "2026-11-15")
    ok(deals, "crm", "activity", "plan", "Chase payment", "--due", "2026-11-30",
       "--customer", "HARBOR", "--date", "2026-11-16")
    ok(deals, "crm", "ticket", "open", "HARBOR", "Scratch", "--at", "2026-11-20 09:00")
    report = json.loads(ok(deals, "customer", "show", "HARBOR", "-O", "json"))["rows"]
    by_field = {r["field"]: r for r in report}
    # Open deals today: D1 only (proposal, 1000 x 60 % = 600); D3 lost, D5 won.
    assert by_field["D-2026-0001"]["amount"] == {"USD": "600.00"}
    assert "Deals: 1 open, 1 won" in by_field
    assert by_field["SO-2026-0001"]["value"] == ("partly-shipped: 1 of 2 shipped, from "
                                                 "D-2026-0005")
    # The invoice: 1 table x 950 + 8 % tax = 1026.00, due 30 days after 11-14 (not yet).
    assert by_field["Invoiced to date"]["amount"] == {"USD": "1026.00"}
    assert by_field["Open balance"]["amount"] == {"USD": "1026.00"}
    assert by_field["Overdue"]["amount"] == {"USD": "0.00"}
    # Credit used: 1026.00 open + the table not invoiced yet (950 + 76 tax) = 2052.00.
    assert by_field["Credit used"]["amount"] == {"USD": "2052.00"}
    assert by_field["Last activity"]["value"] == "2026-11-15"
    assert by_field["Next follow-up"]["value"] == "2026-11-30 A-2026-0002: Chase payment"
    assert by_field["Open tickets"]["value"] == "T-2026-0001 (normal)"
    earlier = json.loads(ok(deals, "customer", "show", "HARBOR", "--as-of", "2026-09-30",
                            "-O", "json"))["rows"]
    # On 09-30: D1 qualified (1000 x 30 % = 300) and D3 qualified (3000 x 30 % = 900).
    assert {r["field"]: r["amount"] for r in earlier}["D-2026-0003"] == {"USD": "900.00"}
    assert biz(deals, "customer", "show", "NOBODY").code == 1


def test_summary_has_the_crm_lines(deals: Path) -> None:
    ok(deals, "crm", "activity", "plan", "Chase", "--due", "2026-11-20", "--customer",
       "HARBOR", "--date", "2026-11-10")
    ok(deals, "crm", "activity", "plan", "Visit", "--due", "2026-11-22", "--customer", "ELM")
    ok(deals, "crm", "deal", "add", "ELM", "Chairs", "--amount", "400", "--close",
       "2026-11-28", "--date", "2026-11-02")
    ok(deals, "crm", "deal", "add", "ELM", "Late", "--amount", "900", "--close",
       "2026-11-15", "--date", "2026-11-01", "--stage", "qualified")
    lines = {r["item"]: r["current"] for r in json.loads(ok(
        deals, "summary", "-O", "json"))["rows"]}
    assert lines["Follow-ups overdue"] == "1"
    assert lines["Follow-ups due today"] == "1"
    # Open deals expected to close by 11-30: D5 400 x 10 % = 40 and the overdue D6 900 x
    # 30 % = 270 (rolled into this month); D1 closes 12-15, D2 in 2027.
    assert lines["Weighted forecast to 2026-11-30"] == {"USD": "310.00"}
    # Closing within 14 days of 11-22 (by 12-06): D5 only; D6 is overdue, not upcoming.
    assert lines["Deals closing by 2026-12-06 (1)"] == {"USD": "400.00"}
    (deals / "crm" / "deals.yaml").write_text("schema: 1\ndeals: 5\n", encoding="utf-8")
    broken = biz(deals, "summary")
    assert broken.code == 0
    assert "note: no CRM lines" in broken.err


def test_the_example_books_pipeline() -> None:
    """Worked by hand from examples/workshop/crm/deals.yaml, on 2026-11-22: new: 2600 +
    7400 at 10 % = 1000; qualified: 18600 at the deal's own 35 % = 6510; proposal: 3900
    + 14500 at 50 % = 9200; negotiation: 6 chairs x 395 = 2370 and 120 boards x 52 =
    6240, 8610 at 75 % = 6457.50; in all 55610.00, weighted 23167.50."""
    from tests.conftest import EXAMPLE

    table = {r["stage"]: r for r in rows(EXAMPLE, "pipeline")}
    assert [table[s]["weighted"] for s in ("new", "qualified", "proposal", "negotiation")] == [
        {"USD": "1000.00"}, {"USD": "6510.00"}, {"USD": "9200.00"}, {"USD": "6457.50"}]
    assert (table["Total"]["amount"], table["Total"]["weighted"]) == (
        {"USD": "55610.00"}, {"USD": "23167.50"})
    assert ok(EXAMPLE, "check") == ""


def test_the_example_books_segments_and_churn() -> None:
    """Worked by hand from the 16 invoices in examples/workshop/sales/2026.yaml, on
    2026-11-22. Days since the last invoice, worst first: maple-street 195, carlos-mendoza
    131, harbor-interiors 41, nordic-living 32, greenleaf-home 30, copper-kettle 17,
    bianca-rossi 10: ranks 1..7, R = floor(5 (rank - 1) / 7) + 1 = 1 1 2 3 3 4 5.
    Invoices: greenleaf 4; harbor and bianca 3 (tied: rank 5, F 3); copper and nordic 2
    (rank 3, F 2); maple and carlos 1 (rank 1, F 1)."""
    from tests.conftest import EXAMPLE

    found = {r["customer"]: (r["r"], r["f"], r["segment"]) for r in rows(EXAMPLE, "segment")}
    assert found == {
        "maple-street": ("1", "1", "lost"), "carlos-mendoza": ("1", "1", "lost"),
        "harbor-interiors": ("2", "3", "at_risk"), "nordic-living": ("3", "2",
                                                                     "needs_attention"),
        "greenleaf-home": ("3", "5", "loyal"), "copper-kettle": ("4", "2", "promising"),
        "bianca-rossi": ("5", "3", "loyal")}
    # Churned: maple-street, one invoice day, 195 > 180; nordic-living, invoices 10-16
    # and 10-21 (a 5-day gap, threshold 10), 32 days ago. harbor-interiors: gaps 138 and
    # 112, median 125, threshold 250 > 41.
    churned = {r["customer"]: (r["threshold"], r["rule"]) for r in rows(EXAMPLE, "churn")}
    assert churned == {"maple-street": ("180", "fallback"), "nordic-living": ("10",
                                                                              "interval")}
    lenient = rows(EXAMPLE, "churn", "--k", "8")
    assert [r["customer"] for r in lenient] == ["maple-street"]


def test_customer_analytics_follow_new_invoices(deals: Path) -> None:
    assert rows(deals, "segment") == []
    ok(deals, "sale", "order", "HARBOR", "TABLE=1@1000", "--date", "2026-10-05")
    ok(deals, "sale", "ship", "SO-2026-0001", "--date", "2026-10-05")
    ok(deals, "sale", "invoice", "SO-2026-0001", "--date", "2026-10-06")
    clv = {r["customer"]: r for r in rows(deals, "clv")}
    # 1000 net (tax left out); cost: the first table at FIFO 400.00; margin 600; a
    # customer of 47 days projects 600 x 365 / max(47, 365) x 3 = 1800.
    assert (clv["HARBOR"]["revenue"], clv["HARBOR"]["cost"], clv["HARBOR"]["margin"],
            clv["HARBOR"]["projected"]) == ({"USD": "1000.00"}, {"USD": "400.00"},
                                            {"USD": "600.00"}, {"USD": "1800.00"})
    ok(deals, "sale", "order", "ELM", "TABLE=1@1000", "--date", "2026-10-07")
    ok(deals, "sale", "ship", "SO-2026-0002", "--date", "2026-10-07")
    ok(deals, "sale", "invoice", "SO-2026-0002", "--date", "2026-10-08")
    # ELM's last invoice (45 days) is more recent than HARBOR's (47): rank 2 of 2, R =
    # floor(5 x 1 / 2) + 1 = 3, against 1; one invoice of 1000 each: tied, F = M = 1.
    assert [r["customer"] for r in rows(deals, "segment")] == ["ELM", "HARBOR"]
    card = json.loads(ok(deals, "customer", "show", "HARBOR", "-O", "json"))["rows"]
    assert {r["field"]: r["value"] for r in card}["Segment"] == "lost (RFM 111)"


def test_contacts_round_trip_through_csv_and_vcard(deals: Path, tmp_path: Path) -> None:
    exported = ok(deals, "customer", "export")
    assert exported.splitlines()[0] == "code,name,contact,email,phone,role,address,tags"
    card = ok(deals, "customer", "export", "--format", "vcard")
    assert card.count("BEGIN:VCARD") == 2
    assert "X-BIZ-CODE:HARBOR" in card
    google = tmp_path / "google.csv"
    google.write_text("First Name,Last Name,Organization,E-mail Address,Phone Number\n"
                      "Ana,Ruiz,Casa Ruiz,ana@casaruiz.example,+34 600 000 001\n"
                      "Eva,Ruiz,Casa Ruiz,eva@casaruiz.example,\n"
                      "Grace,Whitfield,Harbor Interiors,grace@harbor.example,\n",
                      encoding="utf-8")
    before = (deals / "customers.yaml").read_bytes()
    dry = ok(deals, "customer", "import", str(google), "--dry-run")
    assert dry.startswith("would add 2 customers: casa-ruiz, harbor-interiors\n")
    assert (deals / "customers.yaml").read_bytes() == before
    ok(deals, "customer", "import", str(google))
    added = {r["code"]: r for r in json.loads(ok(deals, "customer", "list", "-O",
                                                   "json"))["rows"]}
    assert "casa-ruiz" in added
    again = ok(deals, "customer", "import", str(google))
    assert again == ("added 0 customers: -\nalready in customers.yaml, left as they are: "
                     "casa-ruiz, harbor-interiors\n")
    export = tmp_path / "all.vcf"
    ok(deals, "customer", "export", "-o", str(export))
    other = tmp_path / "other"
    made = run_biz(["init", str(other), "--currency", "USD"])
    assert made.code == 0, made.err
    ok(other, "customer", "import", str(export))
    assert ok(other, "customer", "export") == ok(deals, "customer", "export")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email\nAnn,not-an-email\n", encoding="utf-8")
    refused = biz(deals, "customer", "import", str(bad))
    assert refused.code == 1
    assert f"{bad}:2: error[bad-value]" in refused.err


def test_duplicates_and_merge(deals: Path) -> None:
    with (deals / "customers.yaml").open("a", encoding="utf-8") as handle:
        handle.write("- code: HARBOUR\n  name: Harbour Interiors Ltd.\n  contacts:\n"
                     "  - name: Grace\n    email: grace@harbor.example\n  tags:\n  - trade\n"
                     "- code: GRACE\n  name: Grace Private\n  contacts:\n"
                     "  - name: Grace\n    email: grace@gmail.com\n"
                     "- code: TOM\n  name: Tom Private\n  contacts:\n"
                     "  - name: Tom\n    email: tom@gmail.com\n")
    ok(deals, "crm", "lead", "add", "Grace", "--email", "GRACE@harbor.example",
       "--date", "2026-11-01")
    found = {(r["first"], r["second"]): r["why"] for r in json.loads(ok(
        deals, "customer", "duplicates", "-O", "json"))["rows"]}
    # Harbor Interiors vs Harbour Interiors Ltd.: 'harbor interiors' / 'harbour
    # interiors' are 97 % alike; the lead shares HARBOUR's email (case aside). GRACE and
    # TOM share gmail.com only: a free-mail domain says nothing.
    assert found == {("customer HARBOR", "customer HARBOUR"): "similar names",
                     ("customer HARBOUR", "lead L-2026-0001"):
                         "same email grace@harbor.example"}
    ok(deals, "crm", "deal", "add", "HARBOUR", "Dup deal", "--amount", "100", "--date",
       "2026-11-02")
    ok(deals, "crm", "activity", "log", "call", "Hello", "--customer", "HARBOUR",
       "--date", "2026-11-03")
    ok(deals, "sale", "order", "HARBOUR", "TABLE=1", "--date", "2026-11-04")
    before = {p: p.read_bytes() for p in deals.rglob("*.yaml")}
    dry = ok(deals, "customer", "merge", "HARBOR", "HARBOUR", "--dry-run")
    assert dry == ("would move to HARBOR: 1 sales documents, 0 payments, 1 deals, "
                   "1 activities, 0 tickets, 0 leads; HARBOUR would be removed from "
                   "customers.yaml\n")
    assert before == {p: p.read_bytes() for p in deals.rglob("*.yaml")}
    ok(deals, "customer", "merge", "HARBOR", "HARBOUR")
    customers = (deals / "customers.yaml").read_text(encoding="utf-8")
    assert "HARBOUR" not in customers
    assert "email: grace@harbor.example" in customers  # the contact came along
    assert "HARBOUR" not in (deals / "crm" / "deals.yaml").read_text(encoding="utf-8")
    assert "HARBOUR" not in (deals / "sales" / "2026.yaml").read_text(encoding="utf-8")
    assert ok(deals, "check") == ""
    assert biz(deals, "customer", "merge", "HARBOR", "HARBOR").code == 1
    assert biz(deals, "customer", "merge", "HARBOR", "NOBODY").code == 1


def test_forecast_funnel_and_win_rate_of_the_four_deals(deals: Path) -> None:
    months = {r["month"]: r for r in rows(deals, "forecast")}
    # D1 (1000 at 60 %) closes in December, D2 (2000 at its own 25 %) in January; D4
    # (500) was won on 11-01.
    assert months["2026-11"]["won_amount"] == {"USD": "500.00"}
    assert months["2026-12"]["weighted"] == {"USD": "600.00"}
    assert months["2027-01"]["weighted"] == {"USD": "500.00"}
    assert months["Total"]["weighted"] == {"USD": "1100.00"}
    funnel = {r["stage"]: r for r in rows(deals, "funnel")}
    # Reached new: all 4 (D4 opened in proposal passed it); qualified: D1, D3, D4;
    # proposal: D1, D4; won: D4. D3 was lost in qualified.
    assert [funnel[s]["reached"] for s in ("new", "qualified", "proposal", "won")] == [
        "4", "3", "2", "1"]
    assert [funnel[s]["step"] for s in ("qualified", "proposal", "won")] == [
        "75.0", "66.7", "50.0"]
    assert funnel["qualified"]["lost_here"] == "1"
    rates = {r["owner"]: r for r in rows(deals, "winrate")}
    # Closed: D3 lost (ana), D4 won (ben) after 30 days (10-02 to 11-01); D1 and D2 are
    # open and never count.
    assert (rates["ana"]["win_rate"], rates["ben"]["win_rate"]) == ("0.0", "100.0")
    assert (rates["Total"]["win_rate"], rates["Total"]["cycle_days"]) == ("50.0", "30.0")
    assert next(r["reason"] for r in rows(deals, "reasons")) == "price"
    board = rows(deals, "leaderboard")
    assert board[0]["owner"] == "ben"
    assert "█" in ok(deals, "crm", "funnel")
    assert biz(deals, "crm", "forecast", "--overdue", "sometimes").code == 2


def test_predictions_stand_beside_the_stage_probability() -> None:
    from tests.conftest import EXAMPLE

    before = ok(EXAMPLE, "crm", "pipeline", "-O", "csv")
    found = {r["number"]: r for r in rows(EXAMPLE, "predict", "--min-closed", "3")}
    # Every closed deal that reached negotiation was won: no prediction, and why.
    assert found["D-2026-0009"]["predicted"] is None
    assert found["D-2026-0009"]["why"] == ("all 6 closed deals that reached negotiation "
                                           "were won; both outcomes are needed")
    # Ten closed deals reached qualified or further, six of them won: prior 7/12.
    assert found["D-2026-0010"]["closed"] == "10 (6 won, 4 lost)"
    assert found["D-2026-0010"]["why"].startswith("prior 58.3 %; source=referral")
    assert found["D-2026-0010"]["probability"] == "35"  # the deal's own, still used
    default = {r["number"]: r for r in rows(EXAMPLE, "predict")}  # 10 closed needed
    assert default["D-2026-0008"]["why"] == "only 8 closed deals reached proposal; 10 needed"
    assert ok(EXAMPLE, "crm", "pipeline", "-O", "csv") == before


def test_a_deal_dropped_for_its_error_is_not_reported_again_as_unknown(deals: Path) -> None:
    ok(deals, "crm", "activity", "log", "call", "Hello", "--deal", "D-2026-0001")
    path = deals / "crm" / "deals.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-09-10 qualified",
                                                             "2026-09-31 qualified"),
                    encoding="utf-8")
    checked = biz(deals, "check")
    assert checked.code == 1
    assert [line for line in checked.err.splitlines() if "error[" in line] == [
        "crm/deals.yaml:15: error[bad-date]: 2026-09-31 is not a date on the calendar"]
