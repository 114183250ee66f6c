"""Create a new book folder (``biz init``); never overwrites an existing one."""

from __future__ import annotations

from pathlib import Path

from bizcli.core.problems import BizcliError, fail
from bizcli.core.templates import TEMPLATES, template_chart, template_roles
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.loader import ACCOUNTS_FILE, JOURNAL_DIR, SETTINGS_FILE


def settings_text(company: str, currency: str, fiscal_year_start: str, template: str) -> str:
    """``biz.yaml`` for a new book."""
    head = "# bizcli book settings. 'biz check' validates this file.\n"
    data = {"schema": 1, "company": company, "currency": currency,
            "fiscal_year_start": fiscal_year_start, "lock_date": None,
            "accounts": template_roles(template)}
    return head + dump_yaml(data)


def accounts_text(template: str) -> str:
    """``accounts.yaml`` with the template's chart."""
    head = ("# Chart of accounts. 'type' (asset, liability, equity, income, expense) is\n"
            "# inherited from the parent; 'subtype' refines reports (cash, receivable,\n"
            "# inventory, fixed, payable, tax, long-term, retained, cogs, other).\n")
    accounts = []
    for name, kind, subtype, code in template_chart(template):
        entry: dict[str, str] = {"name": name}
        if kind:
            entry["type"] = kind
        if subtype:
            entry["subtype"] = subtype
        entry["code"] = code
        accounts.append(entry)
    return head + dump_yaml({"schema": 1, "accounts": accounts})


MAIN_JOURNAL = "main.journal"
MAIN_JOURNAL_TEXT = """\
; The whole journal for hledger and ledger:
;   hledger -f main.journal bal      ledger -f main.journal bal
; bizcli itself reads journal/*.journal; this file only includes them, in order.
include journal/*.journal
"""


def init_book(folder: Path, *, template: str, company: str, currency: str,
              fiscal_year_start: str) -> list[str]:
    """Write the files of a new book; returns their paths relative to ``folder``."""
    if template not in TEMPLATES:
        raise fail("bad-template", f"unknown template {template!r}",
                   hint="use one of: " + ", ".join(TEMPLATES))
    settings = settings_text(company, currency, fiscal_year_start, template)
    from bizcli.storage.book_files import read_settings

    _, problems = read_settings(SETTINGS_FILE, settings)
    if problems:
        raise fail(problems[0].code, problems[0].message, hint=problems[0].hint)
    if (folder / SETTINGS_FILE).exists():
        raise _exists(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with book_lock(folder):  # a killed init is rolled back by the next command here
        if (folder / SETTINGS_FILE).exists():
            raise _exists(folder)
        clashes = [name for name in (ACCOUNTS_FILE, JOURNAL_DIR, MAIN_JOURNAL)
                   if (folder / name).exists() and not _empty_folder(folder / name)]
        if clashes:
            raise fail("book-exists", f"{folder} already has {', '.join(clashes)}",
                       hint="choose an empty folder")
        write_atomic(folder / ACCOUNTS_FILE, accounts_text(template))
        (folder / JOURNAL_DIR).mkdir(parents=True, exist_ok=True)
        write_atomic(folder / ".gitignore", ".biz/\n")
        write_atomic(folder / MAIN_JOURNAL, MAIN_JOURNAL_TEXT)
        write_atomic(folder / SETTINGS_FILE, settings)
    return [SETTINGS_FILE, ACCOUNTS_FILE, f"{JOURNAL_DIR}/", MAIN_JOURNAL, ".gitignore"]


def _exists(folder: Path) -> BizcliError:
    return fail("book-exists", f"{folder} already holds a book ({SETTINGS_FILE})",
                hint="choose another folder; biz init never overwrites a book")


def _empty_folder(path: Path) -> bool:
    """An empty folder is no clash (one a killed ``biz init`` made, for one)."""
    return path.is_dir() and not any(path.iterdir())
