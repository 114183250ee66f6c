"""Master records: edit rewrites one entry's lines, validated, atomically; the rest of the
file stays byte for byte. And ``biz warehouse show``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_biz, write_journal

CUSTOMERS = """\
# Our customers
schema: 1
customers:
  # -- trade ----------------------------------------------------------
  - code: HARBOR
    name: Harbor Interiors   # since 2019
    contacts:
      - name: Dana Reyes
        role: buyer
        email: buy@harbor.example
    payment_terms_days: 30
    credit_limit: "20000"
    tags: [trade, designer]
    fields:
      vat_id: US-123456

  # -- export ---------------------------------------------------------
  - code: SHWOOD
    name: 上海木业有限公司
    currency: CNY
    fields:
      ref: 0123     # kept as written: a leading zero
"""
HEAD = CUSTOMERS[:CUSTOMERS.index("  - code: HARBOR")]
TAIL = CUSTOMERS[CUSTOMERS.index("\n  # -- export"):]
SUPPLIERS = "schema: 1\nsuppliers:\n- code: MILL\n  name: Northern Timber Mill\n"
ITEMS = ("schema: 1\nitems:\n- code: OAK\n  name: Oak board\n  unit: m\n  kind: bought\n"
         "  cost: 12.50\n- code: FIT\n  name: Fitting\n  unit: h\n  kind: service\n")
WAREHOUSES = "schema: 1\nwarehouses:\n- code: MAIN\n  name: Workshop\n- code: SHOP\n  name: Shop\n"


def _stocked(book: Path) -> Path:
    """Items, warehouses, 20 m of OAK received in MAIN and its entry; items.yaml."""
    (book / "items.yaml").write_text(ITEMS, encoding="utf-8")
    (book / "warehouses.yaml").write_text(WAREHOUSES, encoding="utf-8")
    (book / "stock").mkdir()
    (book / "stock" / "2026.stock").write_text(
        "2026-01-05 receipt OAK 20 m MAIN @ 12.50 USD\n", encoding="utf-8")
    write_journal(book, "2026.journal", "2026-01-05 * Oak from the mill\n"
                  "    Assets:Inventory  250.00 USD\n"
                  "    Liabilities:Goods Received Not Invoiced  -250.00 USD\n")
    return book / "items.yaml"


def _biz(book: Path, *args: str) -> tuple[int, str, str]:
    result = run_biz(["-B", str(book), *args])
    return result.code, result.out, result.err


@pytest.fixture
def customers(new_book: Path) -> Path:
    path = new_book / "customers.yaml"
    path.write_text(CUSTOMERS, encoding="utf-8")
    return path


def test_a_customer_edit_rewrites_only_its_own_lines(customers: Path) -> None:
    code, out, err = _biz(customers.parent, "customer", "edit", "HARBOR", "--terms", "45",
                          "--credit-limit", "25000", "--phone", "+1 555 0100",
                          "--tag", "trade", "--field", "vat_id=US-654321",
                          "--field", "tier=gold")
    assert code == 0, err
    block = ("  - code: HARBOR\n    name: Harbor Interiors\n    contacts:\n"
             "    - name: Dana Reyes\n      role: buyer\n      email: buy@harbor.example\n"
             "      phone: +1 555 0100\n    payment_terms_days: 45\n"
             "    credit_limit: '25000'\n    tags:\n    - trade\n    fields:\n"
             "      vat_id: US-654321\n      tier: gold\n")
    assert out == block
    assert customers.read_text(encoding="utf-8") == HEAD + block + TAIL
    assert "note: the comments inside HARBOR's lines were not kept" in err
    card = run_biz(["-B", str(customers.parent), "customer", "show", "HARBOR", "-O", "csv"])
    assert "Payment terms (days),45" in card.out
    assert "tier,gold" in card.out
    assert run_biz(["-B", str(customers.parent), "check"]).code == 0


def test_fields_are_removed_and_untouched_values_keep_their_text(customers: Path) -> None:
    code, out, _ = _biz(customers.parent, "customer", "edit", "SHWOOD", "--field", "ref=",
                        "--clear", "currency", "--address", "Shanghai")
    assert code == 0
    assert out == "  - code: SHWOOD\n    name: 上海木业有限公司\n    address: Shanghai\n"
    assert customers.read_text(encoding="utf-8") == CUSTOMERS[
        :CUSTOMERS.index("  - code: SHWOOD")] + out
    customers.write_text(CUSTOMERS, encoding="utf-8")
    code, out, _ = _biz(customers.parent, "customer", "edit", "SHWOOD", "--tag", "export")
    assert code == 0
    assert out == ("  - code: SHWOOD\n    name: 上海木业有限公司\n    currency: CNY\n"
                   "    fields:\n      ref: '0123'\n    tags:\n    - export\n")
    code, out, _ = _biz(customers.parent, "customer", "edit", "HARBOR", "--name", "Harbor")
    assert code == 0
    # Values not edited keep their text (a number stays a number, '20000' stays text).
    assert "    payment_terms_days: 30\n    credit_limit: '20000'\n" in out
    assert "    fields:\n      vat_id: US-123456\n" in out


def test_clearing_the_last_custom_field_and_the_contact_fields(customers: Path) -> None:
    code, out, _ = _biz(customers.parent, "customer", "edit", "HARBOR", "--clear", "fields",
                        "--clear", "email", "--clear", "credit-limit", "--clear", "tags")
    assert code == 0
    assert out == ("  - code: HARBOR\n    name: Harbor Interiors\n    contacts:\n"
                   "    - name: Dana Reyes\n      role: buyer\n    payment_terms_days: 30\n")


def test_a_supplier_gets_a_contact_and_a_lead_time(new_book: Path) -> None:
    path = new_book / "suppliers.yaml"
    path.write_text(SUPPLIERS, encoding="utf-8")
    code, out, _ = _biz(new_book, "supplier", "edit", "MILL", "--email", "sales@mill.example",
                        "--lead-time", "14", "--terms", "30")
    assert code == 0
    assert out == ("- code: MILL\n  name: Northern Timber Mill\n  contacts:\n"
                   "  - name: Northern Timber Mill\n    email: sales@mill.example\n"
                   "  payment_terms_days: 30\n  lead_time_days: 14\n")
    rows = json.loads(run_biz(["-B", str(new_book), "supplier", "list", "-O", "json"]).out)
    assert rows["rows"][0]["lead_time_days"] == "14"
    code, out, _ = _biz(new_book, "supplier", "edit", "MILL", "--clear", "lead-time")
    assert code == 0
    assert "lead_time_days" not in path.read_text(encoding="utf-8")


def test_an_item_edit_sets_every_kind_of_field(new_book: Path) -> None:
    path = new_book / "items.yaml"
    path.write_text(ITEMS, encoding="utf-8")
    code, out, err = _biz(new_book, "item", "edit", "OAK", "--cost", "13.20", "--price",
                          "21.50", "--reorder-point", "40", "--reorder-quantity", "100",
                          "--safety-stock", "10", "--tax-rate", "0.10", "--lead-time", "7",
                          "--supplier", "MILL", "--valuation", "average", "--kind", "stocked")
    assert code == 0, err
    assert out == ("- code: OAK\n  name: Oak board\n  unit: m\n  kind: stocked\n"
                   "  cost: '13.20'\n  valuation: average\n  sale_price: '21.50'\n"
                   "  reorder_point: '40'\n  reorder_quantity: '100'\n  safety_stock: '10'\n"
                   "  lead_time_days: 7\n  supplier: MILL\n  tax_rate: '0.10'\n")
    assert path.read_text(encoding="utf-8").endswith(ITEMS[ITEMS.index("- code: FIT"):])
    card = run_biz(["-B", str(new_book), "item", "show", "OAK", "-O", "csv"]).out
    assert "Reorder quantity,100" in card
    assert "Tax rate,0.10" in card
    code, out, _ = _biz(new_book, "item", "edit", "OAK", "--clear", "tax-rate", "--clear",
                        "reorder-quantity", "--clear", "price")
    assert code == 0
    assert "tax_rate" not in out
    assert "sale_price" not in out
    assert "reorder_quantity" not in out


def test_a_warehouse_is_edited_and_shown(new_book: Path) -> None:
    path = new_book / "warehouses.yaml"
    path.write_text(WAREHOUSES, encoding="utf-8")
    code, out, _ = _biz(new_book, "warehouse", "edit", "SHOP", "--name", "Showroom",
                        "--address", "12 Market Street")
    assert code == 0
    assert out == "- code: SHOP\n  name: Showroom\n  address: 12 Market Street\n"
    assert path.read_text(encoding="utf-8") == WAREHOUSES.replace("  name: Shop\n", (
        "  name: Showroom\n  address: 12 Market Street\n"))
    card = run_biz(["-B", str(new_book), "warehouse", "show", "SHOP", "-O", "csv"]).out
    assert "Address,12 Market Street" in card


def test_warehouse_show_lists_its_stock(new_book: Path) -> None:
    _stocked(new_book)
    card = run_biz(["-B", str(new_book), "warehouse", "show", "MAIN", "-O", "csv"]).out
    assert "On hand: OAK,20 m" in card
    missing = run_biz(["-B", str(new_book), "warehouse", "show", "MAN"])
    assert missing.code == 1
    assert missing.err.splitlines()[0] == (
        "error[unknown-warehouse]: warehouse 'MAN' is not in warehouses.yaml; did you mean "
        "MAIN?")


def test_odd_layouts_crlf_and_a_dash_on_its_own_line(new_book: Path) -> None:
    path = new_book / "warehouses.yaml"
    text = ("schema: 1\r\nwarehouses:\r\n-\r\n  code: MAIN\r\n  name: Workshop\r\n"
            "- {code: SHOP, name: Shop}\r\n\r\n# the end\r\n")
    path.write_bytes(text.encode())
    assert _biz(new_book, "warehouse", "edit", "MAIN", "--address", "1 Main St")[0] == 0
    assert _biz(new_book, "warehouse", "edit", "SHOP", "--address", "2 Main St")[0] == 0
    assert path.read_bytes() == (
        b"schema: 1\r\nwarehouses:\r\n- code: MAIN\r\n  name: Workshop\r\n"
        b"  address: 1 Main St\r\n- code: SHOP\r\n  name: Shop\r\n  address: 2 Main St\r\n"
        b"\r\n# the end\r\n")
    assert run_biz(["-B", str(new_book), "check"]).code == 0


def test_dry_run_writes_nothing(customers: Path) -> None:
    code, out, _ = _biz(customers.parent, "customer", "edit", "HARBOR", "--terms", "60", "-n")
    assert code == 0
    assert "payment_terms_days: 60" in out
    assert customers.read_text(encoding="utf-8") == CUSTOMERS


def test_the_same_values_write_nothing(customers: Path) -> None:
    code, _, err = _biz(customers.parent, "customer", "edit", "HARBOR", "--terms", "30")
    assert code == 0
    assert "nothing was written" in err
    assert customers.read_text(encoding="utf-8") == CUSTOMERS


@pytest.mark.parametrize(("args", "first"), [
    (("customer", "edit", "HARBR", "--terms", "45"),
     ("error[unknown-customer]: customer 'HARBR' is not in customers.yaml; did you mean "
     "HARBOR?")),
    (("customer", "edit", "HARBOR", "--credit-limit", "1,000"),
     "error[bad-number]: --credit-limit must be a number like 12.50, not '1,000'"),
    (("customer", "edit", "HARBOR", "--credit-limit", "-5"),
     "error[bad-number]: --credit-limit must be a number like 12.50, not '-5'"),
    (("customer", "edit", "HARBOR", "--name", ""),
     "error[missing-key]: customer HARBOR would not be valid: 'name' is empty"),
    (("supplier", "edit", "MILL", "--lead-time", "3"),
     "error[unknown-supplier]: supplier 'MILL' is not in suppliers.yaml"),
])
def test_refused_edits_change_nothing(customers: Path, args: tuple[str, ...],
                                      first: str) -> None:
    code, out, err = _biz(customers.parent, *args)
    assert code == 1
    assert err.splitlines()[0] == first
    assert "  hint: " in err
    assert out == ""
    assert customers.read_text(encoding="utf-8") == CUSTOMERS
    assert not (customers.parent / "suppliers.yaml").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("customer", "edit", "HARBOR"), "nothing to change"),
    (("customer", "edit", "HARBOR", "--terms", "-1"), "-1 is not in the range"),
    (("customer", "edit", "HARBOR", "--field", "vat_id"), "'vat_id' is not KEY=VALUE"),
    (("customer", "edit", "HARBOR", "--clear", "name"), "customers have no optional field"),
    (("customer", "edit", "HARBOR", "--terms", "4", "--clear", "terms"),
     "'terms' is both set and cleared"),
    (("customer", "edit", "HARBOR", "--code", "HARBOUR"), "No such option: --code"),
])
def test_usage_errors(customers: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = _biz(customers.parent, *args)
    assert code == 2
    assert message in err
    assert customers.read_text(encoding="utf-8") == CUSTOMERS


@pytest.mark.parametrize(("args", "first"), [
    (("--kind", "labour"),
     "error[bad-item-kind]: --kind must be one of stocked, made, bought, service, not 'labour'"),
    (("--valuation", "lifo"),
     "error[bad-valuation]: --valuation must be one of fifo, average, not 'lifo'"),
    (("--tax-rate", "20"), "error[bad-number]: --tax-rate is a fraction like 0.10, not '20'"),
    (("--unit", "pc"),
     "error[wrong-unit]: OAK has 1 stock move counted in m: its unit cannot become pc"),
    (("--kind", "service"), ("error[service-item-stock]: OAK has 1 stock move: it cannot "
     "become a service item, which has no stock")),
])
def test_refused_item_edits(new_book: Path, args: tuple[str, ...], first: str) -> None:
    path = _stocked(new_book)
    code, _, err = _biz(new_book, "item", "edit", "OAK", *args)
    assert code == 1
    assert err.splitlines()[0] == first
    assert path.read_text(encoding="utf-8") == ITEMS


def test_an_item_without_moves_may_change_its_unit(new_book: Path) -> None:
    (new_book / "items.yaml").write_text(ITEMS, encoding="utf-8")
    code, out, _ = _biz(new_book, "item", "edit", "FIT", "--unit", "hour")
    assert code == 0
    assert "  unit: hour\n" in out


def test_add_refuses_a_bad_kind_with_its_own_code(new_book: Path) -> None:
    result = run_biz(["-B", str(new_book), "item", "add", "X", "--name", "x", "--unit", "m",
                      "--kind", "labour"])
    assert result.code == 1
    assert result.err.startswith("error[bad-item-kind]: ")
    assert not (new_book / "items.yaml").exists()


def test_a_broken_file_is_reported_not_edited(new_book: Path) -> None:
    path = new_book / "warehouses.yaml"
    path.write_text(WAREHOUSES + "- code: SHOP\n  name: Other\n", encoding="utf-8")
    code, _, err = _biz(new_book, "warehouse", "edit", "MAIN", "--name", "Store")
    assert code == 1
    assert "error[duplicate-warehouse]" in err
    assert path.read_text(encoding="utf-8") == WAREHOUSES + "- code: SHOP\n  name: Other\n"


def test_an_entry_inside_a_flow_list_is_not_rewritten(new_book: Path) -> None:
    path = new_book / "warehouses.yaml"
    text = "schema: 1\nwarehouses: [{code: MAIN, name: Workshop}]\n"
    path.write_text(text, encoding="utf-8")
    code, _, err = _biz(new_book, "warehouse", "edit", "MAIN", "--name", "Store")
    assert code == 1
    assert err.splitlines()[0] == (
        "error[unwritable-records]: cannot find where 'MAIN' is written in warehouses.yaml")
    assert path.read_text(encoding="utf-8") == text
