"""``biz import customers | suppliers | items``: CSV rows checked one by one, then appended."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Result, run_biz
from tests.errors.test_error_codes import snapshot


def biz(book: Path, *args: str) -> Result:
    return run_biz(["-B", str(book), *args])


def csv_file(book: Path, text: str, name: str = "records.csv") -> str:
    path = book.parent / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def imported(book: Path, kind: str, text: str, *extra: str) -> Result:
    result = biz(book, "import", kind, csv_file(book, text), *extra)
    assert result.code == 0, result.err
    return result


def clean(book: Path) -> None:
    result = biz(book, "check")
    assert (result.code, result.out, result.err) == (0, "", "")


CUSTOMERS = (
    "code,name,contact,email,phone,address,payment_terms_days,credit_limit,currency,tags,"
    "fields.vat_number,notes\n"
    'HARBOR,Harbor Interiors,Ann Lee,ann@harbor.example,+1 555 0100,"1 Pier St, Oakland",'
    "30,20000,,trade;designer,US-123,\n"
    "HARBOR,,Bo Chan,bo@harbor.example,,,,,,,,\n"
    "ELM,Elm Café,,,,,14,,EUR,,,pays by wire\n")


def test_customers_with_contacts_tags_and_custom_fields(new_book: Path) -> None:
    result = imported(new_book, "customers", CUSTOMERS)
    assert result.out.endswith("# added 2 customers to customers.yaml\n")
    text = (new_book / "customers.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "- code: HARBOR\n  name: Harbor Interiors\n  contacts:\n  - name: Ann Lee\n"
        "    email: ann@harbor.example\n    phone: +1 555 0100\n  - name: Bo Chan\n"
        "    email: bo@harbor.example\n  address: 1 Pier St, Oakland\n"
        "  payment_terms_days: 30\n  credit_limit: '20000'\n  tags:\n  - trade\n"
        "  - designer\n  fields:\n    vat_number: US-123\n"
        "- code: ELM\n  name: Elm Café\n  payment_terms_days: 14\n  currency: EUR\n"
        "  notes: pays by wire\n")
    clean(new_book)
    shown = biz(new_book, "customer", "show", "HARBOR")
    assert shown.code == 0, shown.err
    assert "Bo Chan" in shown.out


def test_a_dry_run_writes_nothing(new_book: Path) -> None:
    before = snapshot(new_book)
    result = imported(new_book, "customers", CUSTOMERS, "--dry-run")
    assert "# would add 2 customers to customers.yaml" in result.out
    assert "- code: ELM" in result.out
    assert snapshot(new_book) == before


def test_new_entries_go_after_the_existing_ones_and_the_rest_stays(new_book: Path) -> None:
    path = new_book / "customers.yaml"
    original = ("# Our customers\nschema: 1\ncustomers:\n  # the first one\n"
                "  - code: OLD\n    name: Old Customer\n")
    path.write_text(original, encoding="utf-8")
    imported(new_book, "customers", "code,name\nNEW,New Customer\n")
    assert path.read_text(encoding="utf-8") == original + (
        "  - code: NEW\n    name: New Customer\n")
    clean(new_book)


def refused(book: Path, kind: str, text: str, *extra: str) -> list[str]:
    before = snapshot(book)
    result = biz(book, "import", kind, csv_file(book, text), *extra)
    assert result.code == 1, result.out
    assert snapshot(book) == before, "a refused import changed the book"
    return [line.split(": ", 1)[1] for line in result.err.splitlines() if "error[" in line]


def test_every_bad_row_is_reported_with_its_row_and_column(new_book: Path) -> None:
    (new_book / "customers.yaml").write_text(
        "schema: 1\ncustomers:\n- code: TAKEN\n  name: Already here\n", encoding="utf-8")
    text = ("code,name,email,payment_terms_days,credit_limit,currency\n"
            "GOOD,Good Customer,,,,\n"
            ",No code,,,,\n"                         # missing required field
            "NONAME,,,,,\n"
            "BAD CODE,Spaces,,,,\n"
            'NUM,Numbers,,thirty,"1,200.00",\n'    # bad numbers
            "MAIL,Mail,ann.example,,,\n"
            "CUR,Currency,,,,euro\n"
            "TAKEN,In the book,,,,\n"                 # already in customers.yaml
            "GOOD,Twice,,,,\n"                        # twice in the file
            "WIDE,Too wide,,,,,,extra\n")
    errors = refused(new_book, "customers", text)
    assert errors == [
        "error[missing-key]: row 2, code: is empty, and every one of the customers needs it",
        "error[missing-key]: row 3, name: is empty, and every one of the customers needs it",
        "error[bad-code]: row 4, code: 'BAD CODE' is not a code",
        "error[bad-number]: row 5, payment_terms_days: 'thirty' is not a whole number",
        "error[bad-number]: row 5, credit_limit: '1,200.00' is not a number like 12.50",
        "error[bad-value]: row 6, email: 'ann.example' is not an email address",
        "error[bad-value]: row 7, currency: 'euro' is not a currency code",
        "error[duplicate-customer]: row 8, code: 'TAKEN' is already in customers.yaml",
        "error[duplicate-customer]: row 9, code: 'GOOD' is already on line 2 of this file",
        "error[bad-csv]: row 10 has more fields than the header"]


def test_an_unknown_column_stops_the_import_at_the_header(new_book: Path) -> None:
    errors = refused(new_book, "customers", "code,name,colour\nA,Alpha,red\n", "--skip-bad")
    assert errors == ["error[unknown-column]: the column 'colour' is not a field of customers"]
    errors = refused(new_book, "items", "code,unit\nA,pc\n")
    assert errors == [("error[missing-key]: the header has no 'name' column, which every one "
                       "of the items needs")]


def test_skip_bad_adds_the_good_rows_and_reports_the_bad(new_book: Path) -> None:
    result = biz(new_book, "import", "customers", csv_file(
        new_book, "code,name,credit_limit\nA,Alpha,100\nB,Beta,lots\nC,Gamma,\n"),
        "--skip-bad")
    assert result.code == 0, result.err
    assert result.out.endswith("# added 2 customers to customers.yaml\n")
    assert result.err.startswith("note: 1 bad row left out:\n")
    assert "records.csv:3: error[bad-number]: row 2, credit_limit: 'lots'" in result.err
    codes = re.findall(r"- code: (\w+)", (new_book / "customers.yaml").read_text("utf-8"))
    assert codes == ["A", "C"]
    clean(new_book)


def test_suppliers(new_book: Path) -> None:
    imported(new_book, "suppliers", "code,name,payment_terms_days,lead_time_days,tags\n"
             "MILL,Northern Timber Mill,30,14,timber\n")
    listed = biz(new_book, "supplier", "show", "MILL")
    assert listed.code == 0, listed.err
    assert "Northern Timber Mill" in listed.out
    clean(new_book)


ITEMS = ("code,name,unit,kind,valuation,cost,sale_price,tax_rate,supplier,reorder_point,"
         "lot_size,lot_quantity\n")


def test_items_with_their_supplier(new_book: Path) -> None:
    imported(new_book, "suppliers", "code,name\nMILL,Mill\n")
    imported(new_book, "items", ITEMS + "OAK,Oak board,m,bought,fifo,12.50,20.00,0.10,MILL,40,"
             "fixed,100\nFIT,Fitting,h,service,,,60,,,,,\n")
    text = (new_book / "items.yaml").read_text(encoding="utf-8")
    assert ("- code: OAK\n  name: Oak board\n  unit: m\n  kind: bought\n  valuation: fifo\n"
            "  cost: '12.50'\n  sale_price: '20.00'\n  reorder_point: '40'\n"
            "  supplier: MILL\n  tax_rate: '0.10'\n  lot_size: fixed\n  lot_quantity: '100'\n"
            ) in text
    listed = biz(new_book, "item", "list", "-O", "csv")
    assert "OAK" in listed.out
    assert "FIT" in listed.out
    clean(new_book)


def test_bad_item_rows(new_book: Path) -> None:
    text = ITEMS + ("A,Alpha,pc,wood,lifo,-1,,10,NOBODY,,,\n"
                    "B,Beta,pc,,,,,,,,fixed,\n")     # found by the items.yaml reader
    errors = refused(new_book, "items", text)
    assert errors == [
        ("error[bad-item-kind]: row 1, kind: 'wood' is not one of stocked, made, bought, "
         "service"),
        "error[bad-number]: row 1, cost: '-1' is not a number like 12.50",
        "error[bad-number]: row 1, tax_rate: '10' is not a fraction: 0.10 is 10%",
        "error[bad-valuation]: row 1, valuation: 'lifo' is not one of fifo, average",
        "error[unknown-supplier]: row 1, supplier: 'NOBODY' is not in suppliers.yaml",
        "error[bad-lot-size]: row 2: lot_size fixed needs lot_quantity"]


def test_an_exported_customer_file_imports_into_another_book(example_book: Path,
                                                             new_book: Path) -> None:
    exported = biz(example_book, "customer", "export")
    assert exported.code == 0, exported.err
    result = imported(new_book, "customers", exported.out)
    count = len(re.findall(r"^- code:", (example_book / "customers.yaml").read_text("utf-8"),
                           re.MULTILINE))
    assert result.out.endswith(f"# added {count} customers to customers.yaml\n")
    assert biz(new_book, "customer", "export").out == exported.out
    clean(new_book)


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_a_file_without_a_header(new_book: Path, text: str) -> None:
    errors = refused(new_book, "customers", text)
    assert errors == ["error[missing-key]: the file has no header row"]


def test_a_file_that_is_not_utf8(new_book: Path) -> None:
    path = new_book.parent / "latin.csv"
    path.write_bytes("code,name\nA,Caf\xe9\n".encode("latin-1"))
    result = biz(new_book, "import", "customers", str(path))
    assert result.code == 1
    assert f"{path}:2: error[bad-encoding]: {path} is not UTF-8 text" in result.err
