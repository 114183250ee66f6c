"""CSV bizcli writes cannot run in a spreadsheet, and reads back as it was written."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bizcli.core.text import spreadsheet_safe, spreadsheet_text
from tests.conftest import run_biz

FORMULA = '=HYPERLINK("http://evil.example","click")'


@given(st.text(max_size=30))
def test_escaping_reads_back(text: str) -> None:
    assert spreadsheet_text(spreadsheet_safe(text)) == text


def test_numbers_stay_numbers() -> None:
    assert spreadsheet_safe("-12.50") == "-12.50"
    assert spreadsheet_safe("+1 415 555 0131") == "'+1 415 555 0131"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("'t Hooft") == "''t Hooft"


def test_customer_export_is_safe_and_imports_back(new_book: Path, tmp_path: Path) -> None:
    added = run_biz(["-B", str(new_book), "customer", "add", "EVIL", "--name", FORMULA,
                     "--phone", "+1 415 555 0131"])
    assert added.code == 0, added.err
    exported = run_biz(["-B", str(new_book), "customer", "export"])
    assert exported.code == 0, exported.err
    assert "'=HYPERLINK" in exported.out
    assert "'+1 415 555 0131" in exported.out
    assert ",=" not in exported.out
    other = tmp_path / "other"
    assert run_biz(["init", str(other)]).code == 0
    csv_file = tmp_path / "customers.csv"
    csv_file.write_text(exported.out)
    imported = run_biz(["-B", str(other), "customer", "import", str(csv_file)])
    assert imported.code == 0, imported.err
    shown = run_biz(["-B", str(other), "customer", "show", "EVIL"]).out
    assert FORMULA in shown
    assert "'=" not in shown
    assert "+1 415 555 0131" in shown


def test_a_report_to_a_folder_is_a_clear_error(tmp_path: Path, new_book: Path) -> None:
    result = run_biz(["-B", str(new_book), "bal", "-o", str(tmp_path)])
    assert result.code == 1
    assert "error[unwritable-output]" in result.err
