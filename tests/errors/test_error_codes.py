"""One case per problem code: bad input in a fresh book -> the exact error users read.

Each ``Case`` writes its bad input into a new book (made by ``biz init``), runs one
``biz`` command in-process, and checks the exit code, the first line of stderr
(``path:line: error[code]: message``), that a hint follows, that excerpt lines quote the
file, and that a write command (``post``, ``account add``, ``init``) changed no file.
``test_every_code_has_a_case`` ties the cases to ``bizcli.core.problem_codes.CODES`` and
to the codes the source of ``bizcli/`` can emit; ``docs/errors.md`` is checked too.

Cases with ``bug=`` describe how bizcli should behave and are strict xfails until fixed;
none are open now.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

import bizcli
from bizcli.core.problem_codes import CODES, FIXES
from bizcli.storage.yaml_reader import Fields, YamlFile

SRC = Path(bizcli.__file__).resolve().parent
DOCS_TABLE = Path(__file__).with_name("docs_table.py")
JOURNAL = "journal/2026.journal"

Setup = Callable[[Path], None]
Around = Callable[[Path], contextlib.AbstractContextManager[object]]


# -- setups: how to put bad input into a fresh book -------------------------------------
def write(rel: str, content: str | bytes | None) -> Setup:
    """Write a file of the book (text, bytes), or delete it (None)."""
    def setup(book: Path) -> None:
        path = book / rel
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    return setup


def journal(text: str, name: str = "2026.journal") -> Setup:
    """Write a journal file."""
    return write(f"journal/{name}", text)


def edit(rel: str, old: str, new: str) -> Setup:
    """Replace text in a file of the fresh book (the text must be there)."""
    def setup(book: Path) -> None:
        path = book / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return setup


def folder_instead_of(rel: str) -> Setup:
    """Replace a file by a folder of the same name (it cannot be read as a file)."""
    def setup(book: Path) -> None:
        (book / rel).unlink()
        (book / rel).mkdir()
    return setup


def lock_date(day: str) -> Setup:
    return edit("biz.yaml", "lock_date: null", f"lock_date: {day}")


SETTINGS = "schema: 1\ncompany: Test Co\ncurrency: USD\n"
"""A minimal biz.yaml (no roles), for cases that rewrite the whole file."""

CHART = "schema: 1\naccounts:\n- name: Assets\n  type: asset\n"
"""A minimal accounts.yaml; the fresh book's biz.yaml names roles it lacks."""


# -- arounds: conditions that hold while the command runs --------------------------------
@contextlib.contextmanager
def lock_held(book: Path) -> Iterator[None]:
    """Another process holds the book's write lock; biz post waits 1 s, not 30 s."""
    from filelock import FileLock

    from bizcli.storage import atomic, posting

    original = atomic.book_lock
    with mock.patch.object(posting, "book_lock", lambda root: original(root, timeout=1.0)):
        (book / ".biz").mkdir(exist_ok=True)
        with FileLock(str(book / ".biz" / "lock")):
            yield


@contextlib.contextmanager
def reader_fault(book: Path) -> Iterator[None]:
    """An internal error inside the journal reader (no real input reaches this path)."""
    from bizcli.storage import journal_reader

    def broken(self: object) -> object:
        raise InvalidOperation("injected fault")

    with mock.patch.object(journal_reader._Reader, "run", broken):
        yield


@contextlib.contextmanager
def shipped_not_invoiced(book: Path) -> Iterator[None]:
    """SO-2026-0001 (5 m of oak for HARBOR) shipped on 2026-11-22 and not invoiced."""
    from tests.conftest import run_biz

    for args in (["sale", "order", "HARBOR", "OAK=5@40", "--warehouse", "MAIN"],
                 ["sale", "ship", "SO-2026-0001"]):
        done = run_biz(["-B", str(book), *args])
        assert done.code == 0, done.err
    yield


@contextlib.contextmanager
def edited_while_running(book: Path) -> Iterator[None]:
    """Someone saves biz.yaml in an editor just after the command has loaded the book."""
    from bizcli.storage import loader

    original = loader._load

    def load_then_edit(*args: Any, **kwargs: Any) -> Any:
        loaded = original(*args, **kwargs)
        settings = book / "biz.yaml"
        if "# edited" not in settings.read_text(encoding="utf-8"):
            settings.write_text(settings.read_text(encoding="utf-8") + "# edited\n",
                                encoding="utf-8")
        return loaded

    with mock.patch.object(loader, "_load", load_then_edit):
        yield


@contextlib.contextmanager
def disk_full(book: Path) -> Iterator[None]:
    """Every fsync fails as on a full disk."""
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with mock.patch("os.fsync", full):
        yield


@contextlib.contextmanager
def undo_unwritable(book: Path) -> Iterator[None]:
    """A killed command's undo log, in a book this user may not write."""
    from bizcli.storage import transaction

    (book / ".biz" / "undo").mkdir(parents=True, exist_ok=True)
    (book / ".biz" / "undo" / "log").write_text("bizcli-undo 1 pid=1\n")

    def refused(root: Path, timeout: float | None) -> Any:
        raise PermissionError(13, "Permission denied")

    with mock.patch.object(transaction, "_locked", refused):
        yield


@contextlib.contextmanager
def small_yaml_limit(book: Path) -> Iterator[None]:
    """A YAML size limit of 3,000 characters instead of 64 MiB (same code path)."""
    from bizcli.storage import yaml_reader

    with mock.patch.object(yaml_reader, "MAX_YAML_BYTES", 3000):
        yield


def reports_elsewhere(book: Path) -> None:
    """reports/ is a symbolic link to a folder outside the book."""
    (book.parent / "elsewhere").mkdir()
    (book / "reports").symlink_to(book.parent / "elsewhere", target_is_directory=True)


# -- the cases ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """Bad input, a command, and the first line of stderr it must produce.

    ``{book}`` in ``args`` and ``expected`` stands for the book folder, ``{tmp}`` for
    the folder that holds it.
    """

    code: str
    name: str
    setup: tuple[Setup, ...]
    args: tuple[str, ...]
    expected: str
    stdin: str = ""
    env: tuple[tuple[str, str], ...] = ()
    exit_code: int = 1
    around: Around | None = None
    bug: str | None = None

    @property
    def id(self) -> str:
        return f"{self.code}.{self.name}"

    @property
    def command(self) -> tuple[str, ...]:
        """The arguments after the global ``-B BOOK``."""
        args = list(self.args)
        while args[:1] == ["-B"]:
            args = args[2:]
        return tuple(args)

    @property
    def writes(self) -> bool:
        """True for the commands that write to the book."""
        command = self.command
        return (command[:1] in {("post",), ("init",)} or command[1:2] == ("add",)
                or command[:2] in {("stock", "adjust"), ("stock", "count"),
                                   ("stock", "transfer"), ("purchase", "order"),
                                   ("purchase", "receive"), ("purchase", "bill"),
                                   ("purchase", "pay"), ("purchase", "confirm"),
                                   ("customer", "import"), ("mrp", "run"),
                                   ("import", "journal"), ("import", "bank"),
                                   ("import", "customers"), ("import", "suppliers"),
                                   ("import", "items")}
                or (command[:1] == ("wo",) and command[1:2] not in {("list",), ("show",)})
                or (command[:1] == ("sale",) and command[1:2] != ("list",)
                    and command[1:2] != ("show",))
                or (command[:1] == ("crm",) and command[1:2] in {
                    ("deal",), ("activity",), ("ticket",), ("lead",)}
                    and command[2:3] not in {("list",), ("show",)}))


CHECK = ("-B", "{book}", "check")


def close(*args: str) -> tuple[str, ...]:
    return ("-B", "{book}", "close", *args)


def post(*args: str) -> tuple[str, ...]:
    return ("-B", "{book}", "post", *args)


def add(*args: str) -> tuple[str, ...]:
    return ("-B", "{book}", "account", "add", *args)


RENT = ("2026-11-20", "Rent", "Expenses:Rent", "1200", "Assets:Bank:Checking")
ITEMS = ("schema: 1\nitems:\n- code: OAK\n  name: Oak board\n  unit: m\n"
         "- code: FIT\n  name: Fitting service\n  unit: h\n  kind: service\n")
WAREHOUSES = "schema: 1\nwarehouses:\n- code: MAIN\n  name: Workshop\n- code: SHOP\n  name: Shop\n"
S = "stock/2026.stock"
CUSTOMERS = "schema: 1\ncustomers:\n- code: HARBOR\n  name: Harbor Interiors\n"
SUPPLIERS = "schema: 1\nsuppliers:\n- code: MILL\n  name: Mill\n"
ORDER = ("schema: 1\npurchases:\n- number: PO-2026-0001\n  supplier: MILL\n"
         "  date: '2026-01-05'\n  warehouse: MAIN\n  currency: USD\n  lines:\n"
         "  - item: OAK\n    quantity: '20'\n    price: '12.50'\n")
RECEIVED_ORDER = ORDER + ("  receipts:\n  - date: '2026-01-05'\n    lines:\n"
                          "    - item: OAK\n      quantity: '20'\n")
BILLED_ORDER = RECEIVED_ORDER + (
    "  bills:\n  - number: M-1\n    date: '2026-01-06'\n    due: '2026-02-05'\n"
    "    lines:\n    - item: OAK\n      quantity: '20'\n      price: '12.50'\n"
    "    tax: '25.00'\n    total: '275.00'\n")
RECEIVED = ("2026-01-05 * Oak from the mill\n    Assets:Inventory  250.00 USD\n"
            "    Liabilities:Goods Received Not Invoiced  -250.00 USD\n")


def stock(text: str, *, items: str = ITEMS) -> tuple[Setup, ...]:
    """A book with two items (one a service), two warehouses and this stock file."""
    return (write("items.yaml", items), write("warehouses.yaml", WAREHOUSES),
            journal(RECEIVED), write(S, text))
OAK_IN = "2026-01-05 receipt OAK 20 m MAIN @ 12.50 USD\n"
SALE = ("schema: 1\nsales:\n- number: SO-2026-0001\n  kind: order\n  customer: HARBOR\n"
        "  date: '2026-01-06'\n  warehouse: MAIN\n  currency: USD\n  lines:\n")
OAK_LINE = "  - item: OAK\n    quantity: '5'\n    price: '40'\n"
FIT_LINE = "  - item: FIT\n    quantity: '2'\n    price: '60'\n"


def selling(sales: str, customers: str = CUSTOMERS) -> tuple[Setup, ...]:
    """The stock book with 20 m of oak in MAIN, customer HARBOR and this sales file."""
    return (*stock(OAK_IN), write("customers.yaml", customers),
            write("sales/2026.yaml", sales))


DEALS = ("schema: 1\ndeals:\n- number: D-2026-0001\n  customer: HARBOR\n  title: Oak floor\n"
         "  amount: '500'\n  history:\n  - 2026-01-05 new\n")
LOST = DEALS + "  - 2026-01-09 lost\n  lost_reason: price\n"


ACTIVITIES = ("schema: 1\nactivities:\n- number: A-2026-0001\n  kind: call\n"
              "  date: '2026-01-06'\n  subject: Call back\n  customer: HARBOR\n"
              "  due: '2026-01-09'\n")
TICKETS = ("schema: 1\ntickets:\n- number: T-2026-0001\n  customer: HARBOR\n"
           "  subject: Wobbly\n  priority: high\n  opened: 2026-01-06 09:00\n")


def crm_file(name: str, text: str) -> tuple[Setup, ...]:
    """The deals book with ``crm/NAME.yaml``."""
    return (*dealing(), write(f"crm/{name}.yaml", text))


def dealing(deals: str = DEALS) -> tuple[Setup, ...]:
    """The selling book (customer HARBOR, item OAK) with this deals file."""
    return (*selling(SALE + OAK_LINE), write("crm/deals.yaml", deals))


def crm_settings(text: str) -> Setup:
    """Append a ``crm:`` part to the fresh book's biz.yaml."""
    def setup(book: Path) -> None:
        path = book / "biz.yaml"
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return setup


def deal(*args: str) -> tuple[str, ...]:
    """``biz crm deal ARGS`` on the book."""
    return ("-B", "{book}", "crm", "deal", *args)


PITEMS = ("schema: 1\nitems:\n- code: OAK\n  name: Oak board\n  unit: m\n  cost: '12.50'\n"
          "- code: FIT\n  name: Fitting service\n  unit: h\n  kind: service\n"
          "- code: STOOL\n  name: Stool\n  unit: pc\n  kind: made\n")
BOMS = ("schema: 1\nboms:\n- item: STOOL\n  components:\n  - item: OAK\n"
        "    quantity: '2'\n")
WORK = ("schema: 1\nwork_orders:\n- number: WO-2026-0001\n  item: STOOL\n  quantity: '4'\n"
        "  date: '2026-01-06'\n  due: '2026-01-10'\n  warehouse: MAIN\n  components:\n"
        "  - item: OAK\n    quantity: '2'\n")
P = "production/2026.yaml"


def producing(boms: str = BOMS, work: str | None = WORK, *more: Setup) -> tuple[Setup, ...]:
    """The stock book (20 m of oak in MAIN) with a made STOOL, its BOM and a work order."""
    return (*stock(OAK_IN, items=PITEMS), write("boms.yaml", boms),
            *((write(P, work),) if work is not None else ()), *more)


def wo(*args: str) -> tuple[str, ...]:
    """``biz wo ARGS`` on the book."""
    return ("-B", "{book}", "wo", *args)


J = JOURNAL

BANK_RULES = ("schema: 1\ncolumns: {date: Date, description: Text, amount: Amount}\n"
              "rules:\n- match: rent\n  account: Expenses:Rent\n")
STATEMENT = "Date,Text,Amount\n2026-11-02,Rent November,-1200.00\n"
BANK = ("-B", "{book}", "import", "bank", "{book}/bank.csv", "--rules", "{book}/rules.yaml")


CASES: tuple[Case, ...] = (
    # -- journal syntax (biz check) --------------------------------------------------
    Case("orphan-posting", "journal", (journal("  Assets:Cash  10.00 USD\n"),), CHECK,
         f"{J}:1: error[orphan-posting]: an indented line that belongs to no transaction"),
    Case("unsupported-syntax", "periodic", (journal(
        "~ monthly\n    Expenses:Rent  1200.00 USD\n    Assets:Bank:Checking\n"),), CHECK,
         f"{J}:1: error[unsupported-syntax]: periodic transactions (~) are outside the "
         "journal subset bizcli reads"),
    Case("unsupported-syntax", "virtual", (journal(
        "2026-01-05 Rent\n    (Budget:Rent)  1200.00 USD\n"),), CHECK,
         f"{J}:2: error[unsupported-syntax]: virtual posting '(Budget:Rent)' is outside the "
         "journal subset"),
    Case("conflict-marker", "journal", (journal(
        "<<<<<<< HEAD\n2026-01-05 Rent\n    Expenses:Rent  1200.00 USD\n"
        "    Assets:Bank:Checking\n"),), CHECK,
         f"{J}:1: error[conflict-marker]: a git conflict marker is in the file"),
    Case("bad-price", "journal", (journal("P 2026-01-31 EUR\n"),), CHECK,
         f"{J}:1: error[bad-price]: a P directive needs a date, a commodity and a price"),
    Case("bad-date", "journal-calendar", (journal(
        "2026-02-30 Rent\n    Expenses:Rent  1200.00 USD\n    Assets:Bank:Checking\n"),),
         CHECK, f"{J}:1: error[bad-date]: 2026-02-30 is not a date on the calendar"),
    Case("bad-date", "journal-unreadable", (journal(
        "26-01-05 Rent\n    Expenses:Rent  1200.00 USD\n    Assets:Bank:Checking\n"),),
         CHECK, f"{J}:1: error[bad-date]: cannot read the date in '26-01-05'"),
    Case("ambiguous-comment", "journal", (journal(
        "2026-01-05 Rent ; January\n    Expenses:Rent  1200.00 USD\n"
        "    Assets:Bank:Checking\n"),), CHECK,
         f"{J}:1: error[ambiguous-comment]: a ';' after a single space: ledger reads it as "
         "part of the description, hledger as a comment"),
    Case("tab-in-posting", "journal", (journal(
        "2026-01-05 Rent\n    Expenses:Rent\t1200.00 USD\n    Assets:Bank:Checking\n"),),
         CHECK, f"{J}:2: error[tab-in-posting]: a tab inside a posting line: hledger reads "
         "it as part of the account name, ledger as a separator"),
    Case("single-space-amount", "journal", (journal(
        "2026-01-05 Rent\n    Expenses:Rent 1200.00 USD\n    Assets:Bank:Checking\n"),),
         CHECK, f"{J}:2: error[single-space-amount]: only one space before '1200.00 USD': "
         "both hledger and ledger would read it as part of the account name"),
    Case("missing-commodity", "journal", (journal(
        "2026-01-05 Rent\n    Expenses:Rent  1200.00\n    Assets:Bank:Checking\n"),),
         CHECK, f"{J}:2: error[missing-commodity]: the amount '1200.00' has no commodity"),
    Case("digit-group-mark", "journal", (journal(
        "2026-01-05 Rent\n    Expenses:Rent  1,000 USD\n    Assets:Bank:Checking\n"),),
         CHECK, f"{J}:2: error[digit-group-mark]: '1,000 USD' uses ',' in a number: hledger "
         "reads it as a decimal mark, ledger as a thousands separator"),
    Case("bad-amount", "journal", (journal(
        "2026-01-05 Rent\n    Expenses:Rent  1200 USD EUR\n    Assets:Bank:Checking\n"),),
         CHECK, f"{J}:2: error[bad-amount]: cannot read the amount '1200 USD EUR'"),
    Case("bad-encoding", "journal", (write(J, "2026-01-05 Café\n".encode("latin-1")),),
         CHECK, f"{J}:1: error[bad-encoding]: the file is not valid UTF-8"),
    # -- balancing (biz check) -------------------------------------------------------
    Case("unbalanced-transaction", "journal", (journal(
        "2026-01-05 Rent\n    Expenses:Rent  100.00 USD\n    Assets:Cash  -99.99 USD\n"),),
         CHECK, f"{J}:1: error[unbalanced-transaction]: the transaction does not balance: "
         "the postings add up to 0.01 USD"),
    Case("two-elided-amounts", "journal", (journal(
        "2026-01-05 Rent\n    Expenses:Rent\n    Assets:Bank:Checking\n"),), CHECK,
         f"{J}:1: error[two-elided-amounts]: 2 postings have no amount; at most one may be "
         "left out"),
    Case("implicit-conversion", "journal", (journal(
        "2026-01-05 Exchange\n    Assets:Cash  10.00 USD\n"
        "    Assets:Bank:Checking  -9.00 EUR\n"),), CHECK,
         f"{J}:1: error[implicit-conversion]: the transaction converts EUR and USD without "
         "a price"),
    Case("ambiguous-elided-amount", "two-commodities", (journal(
        "2026-01-05 Exchange\n    Assets:Cash  10.00 USD\n"
        "    Assets:Bank:Checking  -9.00 EUR\n    Assets:Bank:Savings\n"),), CHECK,
         f"{J}:1: error[ambiguous-elided-amount]: the missing amount would be in 2 "
         "commodities (EUR, USD)"),
    Case("ambiguous-elided-amount", "zero", (journal(
        "2026-01-05 Transfer\n    Assets:Cash  10.00 USD\n"
        "    Assets:Bank:Checking  -10.00 USD\n    Assets:Bank:Savings\n"),), CHECK,
         f"{J}:1: error[ambiguous-elided-amount]: the other postings already balance, so "
         "the missing amount is zero"),
    Case("empty-transaction", "journal", (journal("2026-01-05 Rent\n"),), CHECK,
         f"{J}:1: error[empty-transaction]: the transaction has no postings"),
    Case("failed-assertion", "journal", (journal(
        "2026-01-05 Rent\n    Expenses:Rent  100.00 USD\n"
        "    Assets:Cash  -100.00 USD = -90.00 USD\n"),), CHECK,
         f"{J}:3: error[failed-assertion]: balance assertion failed: Assets:Cash is "
         "-100.00 USD after this posting, not -90.00 USD"),
    Case("unknown-account", "journal", (journal(
        "2026-01-05 Rent\n    Expenses:Lease  1200.00 USD\n    Assets:Bank:Checking\n"),),
         CHECK, f"{J}:2: error[unknown-account]: account 'Expenses:Lease' is not in the "
         "chart of accounts"),
    # -- includes (biz check) --------------------------------------------------------
    Case("duplicate-include", "journal", (journal("include 2025.journal\n"),
                                          journal("", "2025.journal")), CHECK,
         f"{J}:1: error[duplicate-include]: journal/2025.journal is already loaded; "
         "including it again would count its entries twice"),
    Case("include-outside-book", "journal", (journal("include ../../outside.journal\n"),),
         CHECK, f"{J}:1: error[include-outside-book]: include '../../outside.journal' points "
         "outside the book"),
    Case("missing-include", "journal", (journal("include old/2019.journal\n"),), CHECK,
         f"{J}:1: error[missing-include]: included file 'old/2019.journal' does not exist"),
    Case("unreadable-journal", "injected-fault", (journal("; nothing here\n"),), CHECK,
         f"{J}: error[unreadable-journal]: injected fault", around=reader_fault),
    # -- book files (biz check) ------------------------------------------------------
    Case("missing-file", "accounts", (write("accounts.yaml", None),), CHECK,
         "accounts.yaml: error[missing-file]: the book has no accounts.yaml"),
    Case("unreadable-file", "folder", (folder_instead_of("accounts.yaml"),), CHECK,
         "accounts.yaml: error[unreadable-file]: cannot read the file: Is a directory"),
    Case("bad-yaml", "settings", (edit("biz.yaml", "company: Test Co", "company: Test: Co"),),
         CHECK, "biz.yaml:3: error[bad-yaml]: not valid YAML: mapping values are not allowed "
         "in this context"),
    Case("yaml-tag", "settings", (edit("biz.yaml", "company: Test Co",
                                       "company: !!python/name:os.system ''"),), CHECK,
         "biz.yaml:3: error[yaml-tag]: the YAML tag 'tag:yaml.org,2002:python/name:os.system' "
         "is not allowed"),
    Case("yaml-alias", "items", (write("items.yaml", (
        "schema: 1\nitems:\n- &oak {code: OAK, name: Oak, unit: m}\n- *oak\n")),), CHECK,
         "items.yaml:4: error[yaml-alias]: the alias *oak is not allowed in a book file"),
    Case("yaml-line-break", "customers", (write("customers.yaml", (
        "schema: 1\ncustomers:\n- code: acme\n  name: Acme\u2028Ltd\n")),), CHECK,
         "customers.yaml:4: error[yaml-line-break]: the file has a line separator (U+2028), "
         "which YAML reads as the end of a line"),
    Case("yaml-too-deep", "items", (write("items.yaml", "schema: 1\nitems: " + "[" * 65
                                          + "]" * 65 + "\n"),), CHECK,
         "items.yaml:2: error[yaml-too-deep]: lists and mappings are nested more than 64 "
         "levels deep here"),
    Case("file-too-large", "items", (write("items.yaml", "schema: 1\nitems: []\n" + "#" * 2999
                                           + "\n"),), CHECK,
         "items.yaml:1: error[file-too-large]: the file has 3,020 characters, more than the "
         "3,000 bizcli reads in a YAML file", around=small_yaml_limit),
    Case("missing-schema", "empty-settings", (write("biz.yaml", ""),), CHECK,
         "biz.yaml:1: error[missing-schema]: the file is empty"),
    Case("schema-too-new", "settings", (edit("biz.yaml", "schema: 1", "schema: 2"),), CHECK,
         "biz.yaml:2: error[schema-too-new]: schema 2 is newer than this bizcli understands "
         "(up to 1)"),
    Case("bad-schema", "settings", (edit("biz.yaml", "schema: 1", "schema: 0"),), CHECK,
         "biz.yaml:2: error[bad-schema]: schema 0 does not exist"),
    Case("bad-number", "schema", (edit("biz.yaml", "schema: 1", "schema: one"),), CHECK,
         "biz.yaml:2: error[bad-number]: 'schema' must be a whole number, not 'one'"),
    Case("bad-number", "precision", (write("biz.yaml", SETTINGS + "commodities:\n  USD: 13\n"),),
         CHECK, "biz.yaml:5: error[bad-number]: precision of USD must be 0 to 12"),
    Case("duplicate-key", "settings", (edit("biz.yaml", "currency: USD",
                                            "currency: USD\ncompany: Other Co"),), CHECK,
         "biz.yaml:5: error[duplicate-key]: 'company' appears twice in the file"),
    Case("bad-yaml-shape", "settings-list", (write("biz.yaml", "- schema: 1\n"),), CHECK,
         "biz.yaml:1: error[bad-yaml-shape]: the file must be a mapping of keys to values"),
    Case("bad-yaml-shape", "accounts-not-a-list", (
        write("biz.yaml", SETTINGS), write("accounts.yaml", "schema: 1\naccounts: Assets\n")),
         CHECK, "accounts.yaml:2: error[bad-yaml-shape]: 'accounts' must be a list"),
    Case("unknown-key", "settings", (edit("biz.yaml", "currency: USD",
                                          "currency: USD\ncolour: red"),), CHECK,
         "biz.yaml:5: error[unknown-key]: unknown key 'colour' in the file"),
    Case("missing-key", "company", (edit("biz.yaml", "company: Test Co\n", ""),), CHECK,
         "biz.yaml:2: error[missing-key]: the file has no 'company'"),
    Case("missing-key", "empty-currency", (edit("biz.yaml", "currency: USD", "currency:"),),
         CHECK, "biz.yaml:4: error[missing-key]: 'currency' is empty"),
    Case("bad-value", "settings", (edit("biz.yaml", "company: Test Co",
                                        "company: [Test, Co]"),), CHECK,
         "biz.yaml:3: error[bad-value]: 'company' must be a single value"),
    Case("bad-commodity", "settings", (edit("biz.yaml", "currency: USD", "currency: U.S.D"),),
         CHECK, "biz.yaml:4: error[bad-commodity]: 'U.S.D' cannot be a commodity symbol"),
    Case("bad-fiscal-year-start", "settings", (edit(
        "biz.yaml", "fiscal_year_start: 01-01", "fiscal_year_start: 02-30"),), CHECK,
         "biz.yaml:5: error[bad-fiscal-year-start]: fiscal_year_start must be MM-DD with a "
         "day from 1 to 28, not '02-30'"),
    Case("bad-date", "lock-date", (lock_date("2026-13-01"),), CHECK,
         "biz.yaml:6: error[bad-date]: 'lock_date' must be a date YYYY-MM-DD, not "
         "'2026-13-01'"),
    Case("bad-account-name", "chart", (
        write("biz.yaml", SETTINGS), write("accounts.yaml", CHART + "- name: Assets:Petty  Cash\n")),
         CHECK, "accounts.yaml:5: error[bad-account-name]: account name 'Assets:Petty  Cash' "
         "has a tab, ';', two spaces in a row, an empty part or spaces at an end"),
    Case("bad-account-type", "chart", (
        write("biz.yaml", SETTINGS),
        write("accounts.yaml", CHART + "- name: Assets:Cash\n  type: cash\n")), CHECK,
         "accounts.yaml:6: error[bad-account-type]: 'cash' is not an account type"),
    Case("duplicate-account", "chart", (
        write("biz.yaml", SETTINGS), write("accounts.yaml", CHART + "- name: Assets\n")), CHECK,
         "accounts.yaml:5: error[duplicate-account]: account 'Assets' is listed twice"),
    Case("untyped-account", "chart", (
        write("biz.yaml", SETTINGS), write("accounts.yaml", CHART + "- name: Misc\n")), CHECK,
         "accounts.yaml:5: error[untyped-account]: account 'Misc' has no type and no typed "
         "parent"),
    Case("unknown-subtype", "chart", (
        write("biz.yaml", SETTINGS),
        write("accounts.yaml", CHART + "- name: Liabilities\n  type: liability\n"
              "  subtype: cash\n")), CHECK,
         "accounts.yaml:5: error[unknown-subtype]: account 'Liabilities': 'cash' is not a "
         "liability subtype"),
    # -- biz post --------------------------------------------------------------------
    Case("merge-conflict", "journal", (journal(
        "<<<<<<< HEAD\n2026-01-04 Coffee\n    Expenses:Office  4.00 USD\n    Assets:Cash\n"
        "=======\n2026-01-04 Coffee beans\n    Expenses:Office  5.00 USD\n    Assets:Cash\n"
        ">>>>>>> laptop\n"),), CHECK,
         f"{J}:1: error[merge-conflict]: an unresolved git merge conflict (lines 1-9, the two "
         "sides split at line 5)"),
    Case("merge-conflict", "customers", (write(
        "customers.yaml", "schema: 1\ncustomers:\n<<<<<<< ours\n- code: A\n  name: A\n"
        "=======\n- code: B\n  name: B\n>>>>>>> theirs\n"),), CHECK,
         "customers.yaml:3: error[merge-conflict]: an unresolved git merge conflict (lines 3-9, "
         "the two sides split at line 6)"),
    Case("bad-encoding", "customers", (write("customers.yaml", b"schema: 1\ncustomers: []\n"
                                                               b"# caf\xe9\n"),), CHECK,
         "customers.yaml:3: error[bad-encoding]: the file is not valid UTF-8"),
    Case("already-closed", "close", (lock_date("2026-10-31"),), close("2026-10"),
         "error[already-closed]: the books are locked up to 2026-10-31, which covers the "
         "period ending 2026-10-31"),
    Case("period-not-over", "close", (), close("2026-11"),
         "error[period-not-over]: the period ends on 2026-11-30; today is 2026-11-22"),
    Case("not-closed", "reopen", (), ("-B", "{book}", "reopen", "2026-10", "--reason", "x"),
         "error[not-closed]: 2026-10 is not closed (lock date none)"),
    Case("future-entries", "journal",
         (journal("2026-11-25 Rent\n    Expenses:Rent  10.00 USD\n    Assets:Bank:Checking\n"),),
         close("2026-10"), "error[future-entries]: the journal has entries dated up to "
         "2026-11-25, after today (2026-11-22)"),
    Case("git-not-ready", "no-repo", (), close("2026-10", "--git"),
         "error[git-not-ready]: {book} is not in a git repository"),
    Case("draft-documents", "wo", producing(work=WORK.replace(
        "  warehouse: MAIN\n", "  warehouse: MAIN\n  status: draft\n")), close("2026-01"),
         "production/2026.yaml:3: error[draft-documents]: work order WO-2026-0001 is a draft "
         "dated 2026-01-06"),
    Case("not-invoiced", "shipment", (*stock(OAK_IN), write("customers.yaml", CUSTOMERS)),
         close("2026-11"), "sales/2026.yaml:4: error[not-invoiced]: SO-2026-0001 (HARBOR): "
         "5 units shipped by 2026-11-22 are not invoiced (200.00 USD at the order's prices)",
         env=(("BIZ_TODAY", "2026-12-02"),), around=shipped_not_invoiced),
    Case("not-billed", "receipt", (*stock(""), write("suppliers.yaml", SUPPLIERS),
                                   write("purchases/2026.yaml", RECEIVED_ORDER)),
         close("2026-01"), "purchases/2026.yaml:3: error[not-billed]: PO-2026-0001 (MILL): "
         "20 units received by 2026-01-05 are not billed (250.00 USD at the order's prices)"),
    Case("locked-period", "args", (lock_date("2026-06-30"),),
         post("2026-06-30", "Rent", "Expenses:Rent", "1200", "Assets:Bank:Checking"),
         "error[locked-period]: 2026-06-30 is on or before the lock date 2026-06-30"),
    Case("locked-period", "stdin", (lock_date("2026-06-30"),), post("-"),
         "<stdin>:1: error[locked-period]: 2026-03-31 is on or before the lock date 2026-06-30",
         stdin="2026-03-31 Rent\n    Expenses:Rent  1200.00 USD\n    Assets:Bank:Checking\n"),
    Case("date-out-of-range", "post", (),
         post("2027-01-05", "Rent", "Expenses:Rent", "1200", "Assets:Bank:Checking"),
         "error[date-out-of-range]: 2027-01-05 is after the end of the current fiscal year "
         "(2026-12-31)"),
    Case("too-many-decimals", "post", (),
         post("2026-11-20", "Rent", "Expenses:Rent", "1200.001", "Assets:Bank:Checking"),
         "error[too-many-decimals]: 1200.001 USD has more than 2 decimals"),
    Case("ambiguous-description", "post", (),
         post("2026-11-20", "(Q4) Rent", "Expenses:Rent", "1200", "Assets:Bank:Checking"),
         "error[ambiguous-description]: the description '(Q4) Rent' would be read back as "
         "starting with a (code)"),
    Case("too-few-postings", "post", (), post("2026-11-20", "Rent", "Expenses:Rent"),
         "error[too-few-postings]: an entry needs at least two postings"),
    Case("bad-tag", "post", (), post(*RENT, "--tag", "doc"),
         "error[bad-tag]: tag 'doc' is not KEY=VALUE"),
    Case("bad-date", "post-argument", (),
         post("2026-02-30", "Rent", "Expenses:Rent", "1200", "Assets:Bank:Checking"),
         "error[bad-date]: cannot read date '2026-02-30': 2026-02-30 is not a real date; use "
         "YYYY-MM-DD (or YYYY/MM/DD, YYYY.MM.DD), today, yesterday or tomorrow"),
    Case("bad-date", "biz-today", (), post(*RENT),
         "error[bad-date]: BIZ_TODAY='soon' is not a date", env=(("BIZ_TODAY", "soon"),)),
    Case("empty-input", "post", (), post("-"), "error[empty-input]: no entry found on stdin",
         stdin="; nothing to post\n"),
    Case("unsupported-syntax", "post-directive", (), post("-"),
         "error[unsupported-syntax]: only transactions can be posted from stdin",
         stdin="account Expenses:Travel\n"),
    Case("book-invalid", "post", (journal(
        "2026-01-05 Rent\n    Expenses:Rent  100.00 USD\n    Assets:Cash  -99.99 USD\n"),),
         post(*RENT), "error[book-invalid]: the book has problems; nothing was written"),
    Case("unbalanced-transaction", "post", (),
         post("2026-11-20", "Rent", "Expenses:Rent", "100", "Assets:Bank:Checking", "-99.99"),
         "error[unbalanced-transaction]: the transaction does not balance: the postings add "
         "up to 0.01 USD"),
    Case("unknown-account", "post", (),
         post("2026-11-20", "Rent", "Expenses:Lease", "1200", "Assets:Bank:Checking"),
         "error[unknown-account]: account 'Expenses:Lease' is not in the chart of accounts"),
    Case("digit-group-mark", "post-argument", (),
         post("2026-11-20", "Rent", "Expenses:Rent", "1,000 USD", "Assets:Bank:Checking"),
         "<argument>: error[digit-group-mark]: '1,000 USD' uses ',' in a number: hledger "
         "reads it as a decimal mark, ledger as a thousands separator"),
    Case("implicit-conversion", "post", (),
         post("2026-11-20", "Exchange", "Assets:Cash", "10 USD", "Assets:Bank:Checking",
              "-9 EUR"),
         "error[implicit-conversion]: the transaction converts EUR and USD without a price"),
    Case("two-elided-amounts", "post-stdin", (), post("-"),
         "<stdin>:1: error[two-elided-amounts]: 2 postings have no amount; at most one may be "
         "left out", stdin="2026-11-20 Rent\n    Expenses:Rent\n    Assets:Bank:Checking\n"),
    Case("tab-in-posting", "post-stdin", (), post("-"),
         "<stdin>:2: error[tab-in-posting]: a tab inside a posting line: hledger reads it as "
         "part of the account name, ledger as a separator",
         stdin="2026-11-20 Rent\n    Expenses:Rent\t1200.00 USD\n    Assets:Bank:Checking\n"),
    Case("unordered-dates", "journal", (journal(
        "2026-02-05 Rent\n    Expenses:Rent  100.00 USD\n    Assets:Cash  -100.00 USD\n\n"
        "2026-01-05 Rent\n    Expenses:Rent  100.00 USD\n    Assets:Cash  -100.00 USD\n"),),
         CHECK, f"{J}:5: warning[unordered-dates]: this entry is dated 2026-01-05, before the "
         "entry above it (2026-02-05); ledger checks balance assertions in file order",
         exit_code=0),
    Case("assertion-multi-commodity", "journal", (journal(
        "2026-01-05 Change\n    Assets:Cash  10.00 EUR\n    Equity:Owner Capital  -10.00 EUR\n"
        "\n2026-01-06 Rent\n    Expenses:Rent  100.00 USD\n"
        "    Assets:Cash  -100.00 USD = -100.00 USD\n"),),
         CHECK, f"{J}:7: warning[assertion-multi-commodity]: Assets:Cash also holds EUR "
         "here; ledger compares the assertion with every commodity in the account",
         exit_code=0),
    Case("failed-assertion", "post-breaks-later-assertion", (journal(
        "2026-11-21 Count the till\n    Assets:Cash  0.00 USD = 0.00 USD\n"
        "    Equity:Owner Capital  0.00 USD\n"),),
         post("2026-11-20", "Float", "Assets:Cash", "50", "Equity:Owner Capital"),
         f"{J}:2: error[failed-assertion]: balance assertion failed: Assets:Cash is 50.00 USD "
         "after this posting, not 0.00 USD"),
    Case("book-locked", "post", (), post(*RENT),
         "error[book-locked]: another biz command has held the lock on {book} for 1 s",
         around=lock_held),
    Case("file-changed", "edited-during-close", (), ("-B", "{book}", "close", "2026-10"),
         "error[file-changed]: biz.yaml changed on disk while this command ran (an editor or "
         "a git pull?); nothing was written", around=edited_while_running),
    Case("io-error", "disk-full", (), post(*RENT),
         "error[io-error]: {book}/.biz/undo/log: No space left on device",
         around=disk_full),
    Case("path-outside-book", "reports-link", (reports_elsewhere,),
         ("-B", "{book}", "close", "2026-10"),
         "error[path-outside-book]: reports/2026-10/aging-ap.csv leads outside the "
         "book through a symbolic link; nothing was written"),
    Case("unfinished-write", "read-only", (), ("-B", "{book}", "bal"),
         "error[unfinished-write]: {book} holds a change an earlier command did not finish, "
         "and it cannot be rolled back here: Permission denied", around=undo_unwritable),
    Case("book-not-empty", "import-journal", (
        journal("2026-01-05 Rent\n    Expenses:Rent  1200.00 USD\n    Assets:Bank:Checking\n"),
        write("old.journal", "2025-03-01 Rent\n    Expenses:Rent  900.00 USD\n"
                             "    Assets:Bank:Checking\n")),
         ("-B", "{book}", "import", "journal", "{book}/old.journal"),
         "error[book-not-empty]: the book already has 1 journal entry; biz import journal "
         "adopts a journal into a book without entries"),
    Case("book-not-found", "post", (), ("-B", "{book}/nope", "post", *RENT),
         "error[book-not-found]: {book}/nope has no biz.yaml (from --book)"),
    # -- reports ---------------------------------------------------------------------
    Case("bad-format", "bal", (), ("-B", "{book}", "bal", "-O", "xml"),
         "error[bad-format]: unknown output format 'xml'"),
    Case("bad-period", "bal", (), ("-B", "{book}", "bal", "-p", "someday"),
         "error[bad-period]: cannot read period 'someday': use 2026, 2026-11, 2026-Q3, "
         "FY2026, last month, 2026-01..2026-07 or from 2026-01-01 to 2026-07-01"),
    Case("bad-query", "tag", (), ("-B", "{book}", "bal", "tag:"),
         "error[bad-query]: 'tag:' names no tag"),
    Case("bad-query", "regex", (), ("-B", "{book}", "bal", "not:("),
         "error[bad-query]: 'not:(' is not a valid regular expression: missing ), "
         "unterminated subpattern at position 0"),
    Case("book-not-found", "bal", (), ("-B", "{book}/nope", "bal"),
         "error[book-not-found]: {book}/nope has no biz.yaml (from --book)"),
    # -- biz init --------------------------------------------------------------------
    Case("bad-template", "init", (), ("init", "{tmp}/shop", "--template", "bakery"),
         "error[bad-template]: unknown template 'bakery'"),
    Case("book-exists", "init", (), ("init", "{book}"),
         "error[book-exists]: {book} already holds a book (biz.yaml)"),
    Case("book-exists", "init-leftovers", (write("biz.yaml", None),), ("init", "{book}"),
         "error[book-exists]: {book} already has accounts.yaml, main.journal"),
    Case("bad-fiscal-year-start", "init", (),
         ("init", "{tmp}/shop", "--fiscal-year-start", "13-01"),
         "error[bad-fiscal-year-start]: fiscal_year_start must be MM-DD with a day from 1 to "
         "28, not '13-01'"),
    Case("bad-commodity", "init", (), ("init", "{tmp}/shop", "--currency", "U S D"),
         "error[bad-commodity]: 'U S D' cannot be a commodity symbol"),
    # -- biz account add -------------------------------------------------------------
    Case("bad-account-type", "account-add", (), add("Expenses:Travel", "--type", "travel"),
         "error[bad-account-type]: 'travel' is not an account type"),
    Case("duplicate-account", "account-add", (), add("Assets:Cash"),
         "error[duplicate-account]: 'Assets:Cash' is already in the chart"),
    Case("untyped-account", "account-add", (), add("Misc:Stuff"),
         "error[untyped-account]: account 'Misc:Stuff' has no type and no typed parent"),
    Case("unwritable-chart", "account-add", (write(
        "accounts.yaml", "accounts:\n  - name: Assets\n    type: asset\nschema: 1\n"),),
         add("Assets:Safe"),
         "error[unwritable-chart]: accounts.yaml does not end with its accounts list, so the "
         "new account cannot be appended safely"),
    Case("schema-too-new", "account-add", (edit("accounts.yaml", "schema: 1", "schema: 2"),),
         add("Assets:Safe"),
         "accounts.yaml:4: error[schema-too-new]: schema 2 is newer than this bizcli "
         "understands (up to 1)"),
    # -- stock -------------------------------------------------------------------------
    Case("bad-stock-line", "stock", stock("2026-01-05 receipt OAK 20 m\n"), CHECK,
         f"{S}:1: error[bad-stock-line]: cannot read this stock move"),
    Case("bad-move-kind", "stock", stock("2026-01-05 arrival OAK 20 m MAIN @ 12.50 USD\n"),
         CHECK, f"{S}:1: error[bad-move-kind]: 'arrival' is not a kind of stock move"),
    Case("bad-code", "stock", stock("2026-01-05 receipt OAK! 20 m MAIN @ 12.50 USD\n"),
         CHECK, f"{S}:1: error[bad-code]: 'OAK!' is not a code"),
    Case("bad-quantity", "stock", stock("2026-01-05 issue OAK -3 m MAIN\n"), CHECK,
         f"{S}:1: error[bad-quantity]: a issue takes a quantity of zero or more"),
    Case("missing-unit-cost", "stock", stock("2026-01-05 receipt OAK 20 m MAIN\n"), CHECK,
         f"{S}:1: error[missing-unit-cost]: a receipt needs its unit cost"),
    Case("negative-stock", "stock", stock(
        "2026-01-05 receipt OAK 20 m MAIN @ 12.50 USD\n2026-01-06 issue OAK 25 m MAIN\n"),
         CHECK, f"{S}:2: error[negative-stock]: 2026-01-06: cannot take 25 m of OAK out of "
         "MAIN: 20 m on hand"),
    Case("unknown-item", "stock", stock("2026-01-05 receipt OAKK 20 m MAIN @ 12.50 USD\n"),
         CHECK, f"{S}:1: error[unknown-item]: item 'OAKK' is not in items.yaml; did you mean "
         "OAK?"),
    Case("service-item-stock", "stock", stock("2026-01-05 receipt FIT 2 h MAIN @ 40.00 USD\n"),
         CHECK, f"{S}:1: error[service-item-stock]: FIT is a service item: it has no stock"),
    Case("wrong-unit", "stock", stock("2026-01-05 receipt OAK 20 pc MAIN @ 12.50 USD\n"),
         CHECK, f"{S}:1: error[wrong-unit]: OAK is counted in m, not pc"),
    Case("unknown-warehouse", "stock", stock("2026-01-05 receipt OAK 20 m MAINN @ 12.50 USD\n"),
         CHECK, f"{S}:1: error[unknown-warehouse]: warehouse 'MAINN' is not in warehouses.yaml;"
         " did you mean MAIN?"),
    Case("inventory-drift", "stock", stock("2026-01-05 receipt OAK 20 m MAIN @ 12.00 USD\n"),
         CHECK, "error[inventory-drift]: on 2026-01-05 Assets:Inventory is 250.00 USD but the "
         "stock is valued at 240.00 USD (difference 10.00 USD); items moved that day: OAK"),
    Case("duplicate-item", "items", stock("", items=ITEMS + "- code: OAK\n  name: Oak\n  unit: m\n"),
         CHECK, "items.yaml:10: error[duplicate-item]: item 'OAK' is listed twice"),
    Case("duplicate-warehouse", "warehouses", (
        write("warehouses.yaml", WAREHOUSES + "- code: SHOP\n  name: Other shop\n"),), CHECK,
         "warehouses.yaml:7: error[duplicate-warehouse]: warehouse 'SHOP' is listed twice"),
    Case("bad-item-kind", "items", stock("", items=ITEMS.replace("kind: service", "kind: labour")),
         CHECK, "items.yaml:9: error[bad-item-kind]: 'labour' is not a valid kind"),
    Case("bad-valuation", "settings", (edit("biz.yaml", "lock_date: null",
                                            "lock_date: null\nstock:\n  valuation: lifo"),),
         CHECK, "biz.yaml:8: error[bad-valuation]: 'lifo' is not a valuation method"),
    Case("back-dated-move", "stock-adjust", stock(
        "2026-01-05 receipt OAK 20 m MAIN @ 12.50 USD\n2026-01-10 issue OAK 15 m MAIN\n"),
         ("-B", "{book}", "stock", "adjust", "OAK", "-10", "MAIN", "--date", "2026-01-06"),
         f"{S}:2: error[back-dated-move]: this back-dated move would leave a later move "
         "short: 2026-01-10: cannot take 15 m of OAK out of MAIN: 10 m on hand"),
    # -- purchases -------------------------------------------------------------------------
    Case("bad-order-line", "order", (*stock(""), write("suppliers.yaml", SUPPLIERS)),
         ("-B", "{book}", "purchase", "order", "MILL", "OAK:20", "--warehouse", "MAIN"),
         "error[bad-order-line]: cannot read 'OAK:20'"),
    Case("unknown-order", "receive", (*stock(""), write("suppliers.yaml", SUPPLIERS), write("purchases/2026.yaml", ORDER)),
         ("-B", "{book}", "purchase", "receive", "PO-2026-0002"),
         "error[unknown-order]: purchase order 'PO-2026-0002' does not exist; did you mean "
         "PO-2026-0001?"),
    Case("over-receipt", "receive", (*stock(""), write("suppliers.yaml", SUPPLIERS), write("purchases/2026.yaml", ORDER)),
         ("-B", "{book}", "purchase", "receive", "PO-2026-0001", "OAK=25",
          "--date", "2026-01-06"),
         "error[over-receipt]: cannot receive 25 of OAK on PO-2026-0001: 20 open"),
    Case("order-closed", "receive", (*stock(""), write("suppliers.yaml", SUPPLIERS), write("purchases/2026.yaml", ORDER.replace(
        "price: '12.50'\n", "price: '12.50'\n  cancelled: 'true'\n"))),
         ("-B", "{book}", "purchase", "receive", "PO-2026-0001", "--date", "2026-01-06"),
         "error[order-closed]: PO-2026-0001 is cancelled"),
    Case("nothing-to-bill", "bill", (*stock(""), write("suppliers.yaml", SUPPLIERS), write("purchases/2026.yaml", ORDER)),
         ("-B", "{book}", "purchase", "bill", "PO-2026-0001", "--number", "M-1"),
         "error[nothing-to-bill]: nothing received on PO-2026-0001 is waiting for its bill"),
    Case("over-bill", "bill", (*stock(""), write("suppliers.yaml", SUPPLIERS), write("purchases/2026.yaml", RECEIVED_ORDER)),
         ("-B", "{book}", "purchase", "bill", "PO-2026-0001", "OAK=30", "--number", "M-1"),
         "error[over-bill]: cannot bill 30 of OAK on PO-2026-0001: 20 received and not "
         "billed"),
    Case("duplicate-bill", "bill", (*stock(""), write("suppliers.yaml", SUPPLIERS), write("purchases/2026.yaml", BILLED_ORDER)),
         ("-B", "{book}", "purchase", "bill", "PO-2026-0001", "--number", "M-1"),
         "error[duplicate-bill]: bill M-1 is already on PO-2026-0001"),
    Case("missing-role", "bill", (*stock(""), write("suppliers.yaml", SUPPLIERS), write("purchases/2026.yaml", RECEIVED_ORDER),
                                  edit("biz.yaml", "  price_variance: Expenses:Purchase "
                                       "Price Variance\n", "")),
         ("-B", "{book}", "purchase", "bill", "PO-2026-0001", "OAK=20@13.00", "--number",
          "M-2", "--date", "2026-01-07"),
         "error[missing-role]: the bill's price differs from the order's, and biz.yaml names "
         "no price_variance account"),
    Case("unknown-bill", "pay", (*stock(""), write("suppliers.yaml", SUPPLIERS), write("purchases/2026.yaml", BILLED_ORDER)),
         ("-B", "{book}", "purchase", "pay", "PO-2026-0001", "--bill", "M-9"),
         "error[unknown-bill]: PO-2026-0001 has no bill M-9 (bills: M-1)"),
    Case("over-payment", "pay", (*stock(""), write("suppliers.yaml", SUPPLIERS), write("purchases/2026.yaml", BILLED_ORDER)),
         ("-B", "{book}", "purchase", "pay", "PO-2026-0001", "300", "--bill", "M-1"),
         "error[over-payment]: cannot pay 300 on bill M-1: 275.00 is open"),
    # -- sales ---------------------------------------------------------------------------
    Case("missing-price", "order", selling(SALE + OAK_LINE),
         ("-B", "{book}", "sale", "order", "HARBOR", "OAK=2", "--date", "2026-01-07"),
         "error[missing-price]: OAK has no sale_price in items.yaml"),
    Case("credit-limit", "order", selling(SALE + OAK_LINE, CUSTOMERS + "  credit_limit: 250\n"),
         ("-B", "{book}", "sale", "order", "HARBOR", "OAK=2@40", "--date", "2026-01-07",
          "--warehouse", "MAIN"),
         "error[credit-limit]: HARBOR's credit: 200.00 USD open + 80.00 USD this order = "
         "280.00 USD of a 250.00 USD limit"),
    Case("nothing-to-ship", "ship", selling(SALE + FIT_LINE),
         ("-B", "{book}", "sale", "ship", "SO-2026-0001", "--date", "2026-01-07"),
         "error[nothing-to-ship]: SO-2026-0001 has nothing left to ship"),
    Case("over-shipment", "ship", selling(SALE + OAK_LINE),
         ("-B", "{book}", "sale", "ship", "SO-2026-0001", "OAK=6", "--date", "2026-01-07"),
         "error[over-shipment]: cannot ship 6 of OAK on SO-2026-0001: 5 left to ship"),
    Case("unknown-order", "ship", selling(SALE + OAK_LINE),
         ("-B", "{book}", "sale", "ship", "SO-2026-0002"),
         "error[unknown-order]: sales document 'SO-2026-0002' does not exist; did you mean "
         "SO-2026-0001?"),
    Case("nothing-to-invoice", "invoice", selling(SALE + OAK_LINE),
         ("-B", "{book}", "sale", "invoice", "SO-2026-0001", "--date", "2026-01-07"),
         "error[nothing-to-invoice]: nothing on SO-2026-0001 is waiting to be invoiced"),
    Case("over-invoice", "invoice", selling(SALE + OAK_LINE + FIT_LINE),
         ("-B", "{book}", "sale", "invoice", "SO-2026-0001", "OAK=1", "--date", "2026-01-07"),
         "error[over-invoice]: cannot invoice 1 of OAK on SO-2026-0001: 0 shipped and not "
         "invoiced"),
    Case("unknown-invoice", "pay", selling(SALE + OAK_LINE),
         ("-B", "{book}", "sale", "pay", "HARBOR", "10", "--invoice", "INV-2026-0009",
          "--date", "2026-01-07"),
         "error[unknown-invoice]: INV-2026-0009 is not an invoice to HARBOR"),
    # -- master records ------------------------------------------------------------------
    Case("duplicate-customer", "add", (write("customers.yaml", CUSTOMERS),),
         ("-B", "{book}", "customer", "add", "HARBOR", "--name", "Harbor again"),
         "error[duplicate-customer]: 'HARBOR' is already in customers.yaml"),
    Case("duplicate-supplier", "file", (write("suppliers.yaml", SUPPLIERS + "- code: MILL\n  name: Mill again\n"),),
         ("-B", "{book}", "supplier", "list"),
         "suppliers.yaml:5: error[duplicate-supplier]: supplier 'MILL' is listed twice"),
    Case("unknown-customer", "show", (write("customers.yaml", CUSTOMERS),),
         ("-B", "{book}", "customer", "show", "HARBR"),
         "error[unknown-customer]: customer 'HARBR' is not in customers.yaml; did you mean "
         "HARBOR?"),
    Case("unknown-supplier", "show", (write("suppliers.yaml", SUPPLIERS),),
         ("-B", "{book}", "supplier", "show", "MIL"),
         "error[unknown-supplier]: supplier 'MIL' is not in suppliers.yaml; did you mean MILL?"),
    Case("unwritable-records", "add", (write("customers.yaml",
                                                    "customers:\n- code: A\n  name: A\nschema: 1\n"),),
         ("-B", "{book}", "customer", "add", "NEW", "--name", "New Co"),
         "error[unwritable-records]: customers.yaml does not end with its customers list, so "
         "the new entry cannot be appended safely"),
    # -- once bugs, kept as cases ------------------------------------------------------
    Case("unknown-subtype", "an-asset", (
        write("biz.yaml", SETTINGS), write("accounts.yaml", CHART.replace(
            "type: asset\n", "type: asset\n  subtype: bogus\n"))), CHECK,
         "accounts.yaml:3: error[unknown-subtype]: account 'Assets': 'bogus' is not an asset "
         "subtype"),
    Case("too-few-postings", "one-posting-with-amount", (),
         post("2026-11-20", "Rent", "Expenses:Rent", "1200"),
         "error[too-few-postings]: an entry needs at least two postings"),
    Case("too-few-postings", "one-zero-posting-is-written", (),
         post("2026-11-20", "Nothing", "Expenses:Rent", "0"),
         "error[too-few-postings]: an entry needs at least two postings"),
    Case("bad-account-name", "account-add", (), add("Expenses:Bad  Name"),
         "error[bad-account-name]: account name 'Expenses:Bad  Name' has a tab, ';', two "
         "spaces in a row, an empty part or spaces at an end"),
    Case("unknown-subtype", "account-add", (), add("Liabilities:Other", "--subtype", "cash"),
         "error[unknown-subtype]: account 'Liabilities:Other': 'cash' is not a liability "
         "subtype"),
    Case("unknown-account", "role-line", (
        edit("biz.yaml", "bank: Assets:Bank:Checking", "bank: Assets:Bank:Current"),), CHECK,
         "biz.yaml:8: error[unknown-account]: the bank account 'Assets:Bank:Current' in "
         "biz.yaml is not in the chart"),
    Case("missing-key", "quoted-empty-currency", (
        edit("biz.yaml", "currency: USD", "currency: ''"),), CHECK,
         "biz.yaml:4: error[missing-key]: 'currency' is empty"),
    Case("missing-key", "init-empty-currency", (), ("init", "{tmp}/shop", "--currency", ""),
         "error[missing-key]: 'currency' is empty"),
    Case("bad-date", "lock-date-iso-week", (lock_date("2026-W27-1"),), CHECK,
         "biz.yaml:6: error[bad-date]: 'lock_date' must be a date YYYY-MM-DD, not "
         "'2026-W27-1'"),
    # -- the CRM ---------------------------------------------------------------------
    Case("unknown-deal", "move", dealing(), deal("move", "D-2026-0002", "qualified"),
         "error[unknown-deal]: deal 'D-2026-0002' does not exist; did you mean D-2026-0001?"),
    Case("deal-closed", "move-lost", dealing(LOST), deal("move", "D-2026-0001", "qualified"),
         "error[deal-closed]: D-2026-0001 is lost (since 2026-01-09)"),
    Case("deal-closed", "win-lost", dealing(LOST), deal("won", "D-2026-0001"),
         "error[deal-closed]: D-2026-0001 is already lost (since 2026-01-09)"),
    Case("deal-open", "reopen", dealing(), deal("reopen", "D-2026-0001", "qualified"),
         "error[deal-open]: D-2026-0001 is open (new)"),
    Case("unknown-stage", "move", dealing(), deal("move", "D-2026-0001", "bogus"),
         "error[unknown-stage]: 'bogus' is not a stage of this book"),
    Case("unknown-stage", "move-to-won", dealing(), deal("move", "D-2026-0001", "won"),
         "error[unknown-stage]: won closes a deal; 'move' goes between open stages"),
    Case("unknown-stage", "history", dealing(DEALS + "  - 2026-01-06 bogus\n"), CHECK,
         "crm/deals.yaml:9: error[unknown-stage]: 'bogus' is not a stage of this book"),
    Case("bad-deal-history", "out-of-order", dealing(DEALS + "  - 2026-01-04 qualified\n"),
         CHECK, "crm/deals.yaml:9: error[bad-deal-history]: 2026-01-04 is before the line "
         "above it (2026-01-05): the history is in date order"),
    Case("bad-date", "deal-history", dealing(DEALS + "  - 2026-02-30 qualified\n"), CHECK,
         "crm/deals.yaml:9: error[bad-date]: 2026-02-30 is not a date on the calendar"),
    Case("bad-deal-history", "not-a-line", dealing(DEALS + "  - qualified\n"), CHECK,
         "crm/deals.yaml:9: error[bad-deal-history]: a history line must be "
         "'YYYY-MM-DD stage'"),
    Case("bad-deal-history", "move-back-dated", dealing(),
         deal("move", "D-2026-0001", "qualified", "--date", "2026-01-02"),
         "error[bad-deal-history]: D-2026-0001 became new on 2026-01-05; a change cannot be "
         "dated 2026-01-02, before that"),
    Case("missing-reason", "blank", dealing(), deal("lost", "D-2026-0001", "--reason", " "),
         "error[missing-reason]: why was D-2026-0001 lost?"),
    Case("missing-amount", "add", dealing(), deal("add", "HARBOR", "Oak floor"),
         "error[missing-amount]: how much is the deal worth?"),
    Case("bad-stages", "won", (crm_settings("crm:\n  stages:\n  - name: won\n"
                                            "    probability: 100\n"),), CHECK,
         "biz.yaml:25: error[bad-stages]: 'won' cannot be a stage name (won and lost always "
         "close the pipeline)"),
    Case("duplicate-deal", "twice", dealing(DEALS + DEALS.split("deals:\n")[1]), CHECK,
         "crm/deals.yaml:9: error[duplicate-deal]: deal D-2026-0001 is listed twice (first "
         "at line 3)"),
    Case("duplicate-lead", "twice", dealing(
        "schema: 1\nleads:\n" + "- number: L-2026-0001\n  name: Ann\n  created: 2026-01-02\n"
        * 2), CHECK,
         "crm/deals.yaml:6: error[duplicate-lead]: lead L-2026-0001 is listed twice (first at "
         "line 3)"),
    Case("deal-link", "order-not-naming-the-deal", dealing(
        DEALS + "  - 2026-01-06 won\n  order: SO-2026-0001\n"), CHECK,
         "crm/deals.yaml:3: error[deal-link]: D-2026-0001 became SO-2026-0001, but "
         "SO-2026-0001 does not name it (deal: none)"),
    Case("bad-follow-up", "done-twice", crm_file("activities", ACTIVITIES + "  done: "
                                                 "'2026-01-08'\n"),
         ("-B", "{book}", "crm", "activity", "done", "A-2026-0001"),
         "error[bad-follow-up]: A-2026-0001 was done on 2026-01-08"),
    Case("duplicate-activity", "twice", crm_file("activities", ACTIVITIES + ACTIVITIES.split(
        "activities:\n")[1]), CHECK,
         "crm/activities.yaml:9: error[duplicate-activity]: activity A-2026-0001 is listed "
         "twice (first at line 3)"),
    Case("duplicate-ticket", "twice", crm_file("tickets", TICKETS + TICKETS.split(
        "tickets:\n")[1]), CHECK,
         "crm/tickets.yaml:8: error[duplicate-ticket]: ticket T-2026-0001 is listed twice "
         "(first at line 3)"),
    Case("ticket-closed", "assign", crm_file("tickets", TICKETS + "  closed: 2026-01-07 10:00"
                                              "\n  resolution: fixed\n"),
         ("-B", "{book}", "crm", "ticket", "assign", "T-2026-0001", "--to", "ben"),
         "error[ticket-closed]: T-2026-0001 was closed on 2026-01-07 10:00"),
    Case("unknown-activity", "done", crm_file("activities", ACTIVITIES),
         ("-B", "{book}", "crm", "activity", "done", "A-2026-0002"),
         "error[unknown-activity]: activity 'A-2026-0002' does not exist; did you mean "
         "A-2026-0001?"),
    Case("unknown-ticket", "respond", crm_file("tickets", TICKETS),
         ("-B", "{book}", "crm", "ticket", "respond", "T-2026-0002"),
         "error[unknown-ticket]: ticket 'T-2026-0002' does not exist; did you mean "
         "T-2026-0001?"),
    Case("lead-closed", "convert-dropped", dealing(
        "schema: 1\nleads:\n- number: L-2026-0001\n  name: Ann\n  created: 2026-01-02\n"
        "  disqualified: no budget\n"),
         ("-B", "{book}", "crm", "lead", "convert", "L-2026-0001", "--amount", "100"),
         "error[lead-closed]: L-2026-0001 is already disqualified (no budget)"),
    Case("unknown-lead", "activity", dealing(),
         ("-B", "{book}", "crm", "activity", "log", "call", "Hello", "--lead", "L-2026-0001"),
         "error[unknown-lead]: lead 'L-2026-0001' does not exist"),
    Case("bad-bank-rules", "pattern", (
        write("rules.yaml", BANK_RULES.replace("match: rent", "match: '(rent'")),
        write("bank.csv", STATEMENT)), BANK,
         "{book}/rules.yaml:4: error[bad-bank-rules]: rule 1's pattern '(rent' is not a "
         "regular expression: missing ), unterminated subpattern at position 0"),
    Case("unknown-column", "bank-header", (
        write("rules.yaml", BANK_RULES),
        write("bank.csv", STATEMENT.replace("Date,", "Datum,"))), BANK,
         "{book}/rules.yaml:2: error[unknown-column]: the statement has no column 'Date' (its "
         "header at {book}/bank.csv:1 has 'Datum', 'Text', 'Amount')"),
    Case("unmatched-bank-row", "no-default", (
        write("rules.yaml", BANK_RULES),
        write("bank.csv", STATEMENT + "2026-11-03,Coffee,-3.50\n")), BANK,
         "{book}/bank.csv:3: error[unmatched-bank-row]: no rule of {book}/rules.yaml applies "
         "to 'Coffee' (-3.50), and it has no default_account"),
    Case("bad-csv", "unclosed-quote", (write("contacts.csv", 'name,email\nAnn,ann@x.example\n'
                                                 '"Bo,bo@x.example\n'),),
         ("-B", "{book}", "customer", "import", "{book}/contacts.csv"),
         "{book}/contacts.csv:3: error[bad-csv]: a quoted field that starts on this row is "
         "never closed"),
    Case("unknown-customer", "deal", dealing(DEALS.replace("HARBOR", "HARBUR")), CHECK,
         "crm/deals.yaml:3: error[unknown-customer]: D-2026-0001: customer 'HARBUR' is not "
         "in customers.yaml; did you mean HARBOR?"),
    # -- production: BOMs, work orders, MRP ---------------------------------------------
    Case("bad-bom-quantity", "zero", producing(BOMS.replace("'2'", "'0'")), CHECK,
         "boms.yaml:5: error[bad-bom-quantity]: component OAK of STOOL has quantity 0: it must be "
         "more than 0"),
    Case("bom-cycle", "self", producing(BOMS.replace("item: OAK", "item: STOOL")), CHECK,
         "boms.yaml:3: error[bom-cycle]: the BOMs form a loop: STOOL -> STOOL"),
    Case("bom-not-made", "stocked", producing(BOMS.replace("item: STOOL", "item: OAK", 1)
                                              .replace("- item: OAK\n    quantity: '2'",
                                                       "- item: STOOL\n    quantity: '2'")),
         CHECK, "boms.yaml:3: error[bom-not-made]: OAK has a BOM but is a stocked item, not a made one"),
    Case("bom-service-item", "component", producing(BOMS.replace("item: OAK", "item: FIT")),
         CHECK, "boms.yaml:5: error[bom-service-item]: component FIT of STOOL is a service item: it "
         "has no stock"),
    Case("duplicate-bom", "twice", producing(BOMS + BOMS.split("boms:\n")[1]), CHECK,
         "boms.yaml:7: error[duplicate-bom]: STOOL has a second BOM"),
    Case("empty-bom", "none", producing("schema: 1\nboms:\n- item: STOOL\n  components: []\n"),
         CHECK, "boms.yaml:3: error[empty-bom]: the BOM of STOOL has no components"),
    Case("made-without-bom", "chair", producing(BOMS, None, edit(
        "items.yaml", "kind: made\n", "kind: made\n- code: CHAIR\n  name: Chair\n  unit: pc\n"
        "  kind: made\n")), CHECK, "items.yaml:15: warning[made-without-bom]: CHAIR is a made item but has no BOM",
         exit_code=0),
    Case("bad-lot-size", "rule", stock(OAK_IN, items=PITEMS.replace(
        "cost: '12.50'\n", "cost: '12.50'\n  lot_size: weekly\n")), CHECK,
         "items.yaml:7: error[bad-lot-size]: 'weekly' is not a valid lot_size"),
    Case("no-bom", "show", producing(), ("-B", "{book}", "bom", "show", "OAK"),
         "error[no-bom]: OAK has no BOM in boms.yaml"),
    Case("duplicate-work-order", "twice", producing(work=WORK + WORK.split("work_orders:\n")[1]),
         CHECK, "production/2026.yaml:12: error[duplicate-work-order]: work order WO-2026-0001 "
         "appears twice"),
    Case("unknown-work-order", "complete", producing(), wo("complete", "WO-2026-0009"),
         "error[unknown-work-order]: work order 'WO-2026-0009' does not exist; did you "
         "mean WO-2026-0001?"),
    Case("over-completion", "qty", producing(), wo("complete", "WO-2026-0001", "--qty", "9"),
         "error[over-completion]: cannot complete 9 of STOOL on WO-2026-0001: 4 open"),
    Case("component-short", "oak", producing(work=WORK.replace("quantity: '4'", "quantity: '40'")),
         wo("complete", "WO-2026-0001", "--date", "2026-01-08"), "error[component-short]: OAK: 80 needed to make 40 STOOL, 20 on hand in MAIN "
         "(short by 60)"),
    Case("still-draft", "wo", producing(work=WORK.replace("  warehouse: MAIN\n",
                                                          "  warehouse: MAIN\n  status: draft\n")),
         wo("complete", "WO-2026-0001"), "error[still-draft]: WO-2026-0001 is a draft"),
    Case("not-draft", "wo", producing(), wo("release", "WO-2026-0001"), "error[not-draft]: WO-2026-0001 is open, not a draft"),
    Case("work-order-closed", "cancelled", producing(work=WORK.replace(
        "  warehouse: MAIN\n", "  warehouse: MAIN\n  status: cancelled\n")),
         wo("complete", "WO-2026-0001"), "error[work-order-closed]: WO-2026-0001 is cancelled"),
    Case("negative-cost", "offcuts", producing(work=WORK + "  byproducts:\n  - item: OAK\n"
                                               "    quantity: '5'\n"),
         wo("complete", "WO-2026-0001", "--qty", "1", "--date", "2026-01-08"),
         "error[negative-cost]: the by-products of 1 STOOL are worth more than it cost to "
         "make"),
    Case("bad-forecast", "cells", producing(BOMS, WORK, write("forecast.csv",
                                                                 "item,date,quantity\nOAK,3\n")),
         ("-B", "{book}", "mrp", "run", "--forecast", "{book}/forecast.csv"),
         "{book}/forecast.csv:2: error[bad-forecast]: expected 3 cells (item,date,quantity), "
         "found 2"),
    Case("no-supplier", "commit", (*producing(), write("customers.yaml", CUSTOMERS),
                                   write("sales/2026.yaml", SALE + OAK_LINE.replace("'5'", "'30'"))),
         ("-B", "{book}", "mrp", "run", "--commit", "--warehouse", "MAIN"),
         "error[no-supplier]: PL-0001: OAK has no supplier in items.yaml"),
    Case("unknown-planned-order", "pick", producing(),
         ("-B", "{book}", "mrp", "run", "--commit", "--pick", "PL-0099", "--warehouse", "MAIN"),
         "error[unknown-planned-order]: PL-0099 is not among this run's planned orders"),
    # -- export ---------------------------------------------------------------------------
    Case("unknown-entity", "csv", (), ("-B", "{book}", "export", "csv", "custmers"),
         "error[unknown-entity]: there is no entity 'custmers' to export; did you mean "
         "customers?"),
    Case("output-exists", "sqlite", (write("books.db", "not a database"),),
         ("-B", "{book}", "export", "sqlite", "{book}/books.db"),
         "error[output-exists]: {book}/books.db already exists"),
    Case("export-conflict", "sqlite", selling(SALE + OAK_LINE + SALE.split("sales:\n")[1]
                                              + OAK_LINE),
         ("-B", "{book}", "export", "sqlite", "{tmp}/books.db"),
         "error[export-conflict]: sales_orders: two records have the key SO-2026-0001; an "
         "SQLite table cannot hold both"),
    Case("unwritable-output", "under-a-file", (),
         ("-B", "{book}", "export", "hledger", "-o", "{book}/biz.yaml/all.journal"),
         "error[unwritable-output]: cannot write {book}/biz.yaml/all.journal: File exists"),
)


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
    return pytest.param(case, id=case.id, marks=marks)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes (None for a folder) under ``folder``, bizcli's .biz/ excluded."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if ".biz" not in rel.parts:
            found[rel.as_posix()] = None if path.is_dir() else path.read_bytes()
    return found


def _fill(text: str, book: Path) -> str:
    return text.replace("{book}", str(book)).replace("{tmp}", str(book.parent))


@pytest.fixture(scope="session")
def template_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("template")


@pytest.fixture
def book(tmp_path: Path, template_folder: Path, biz: Callable[..., Any]) -> Path:
    """A fresh book, as conftest's ``new_book`` makes it: ``biz init`` runs once per
    session and each test gets a copy (init fsyncs every file, which is slow)."""
    template = template_folder / "book"
    if not template.exists():
        result = biz(["init", str(template), "--company", "Test Co"])
        assert result.code == 0, result.err
    folder = tmp_path / "book"
    shutil.copytree(template, folder)
    return folder.resolve()


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_error_case(case: Case, book: Path, biz: Callable[..., Any]) -> None:
    for setup in case.setup:
        setup(book)
    before = snapshot(book.parent) if case.writes else None
    args = [_fill(a, book) for a in case.args]
    with case.around(book) if case.around else contextlib.nullcontext():
        result = biz(args, stdin=case.stdin, env=dict(case.env))
    lines = result.err.splitlines()
    tag = f"warning[{case.code}]" if f"warning[{case.code}]" in case.expected else (
        f"error[{case.code}]")
    assert tag in case.expected
    assert lines, f"nothing on stderr; exit {result.code}; stdout: {result.out!r}"
    # The case's problem is the first of its code; problems with no file sort last, so a
    # summary like book-invalid follows the file problems it sums up.
    at = next((i for i, line in enumerate(lines) if tag in line), 0)
    assert lines[at] == _fill(case.expected, book), result.err
    assert result.code == case.exit_code, result.err
    block = _first_block(lines[at:])
    assert any(line.startswith("  hint: ") and line[8:].strip() for line in block), result.err
    _check_excerpts(lines[at], block, book, case.stdin)
    if before is not None:
        assert snapshot(book.parent) == before, "a refused write changed the book"


def _first_block(lines: list[str]) -> list[str]:
    """The indented lines that follow the first problem's line (excerpt and hint)."""
    block = []
    for line in lines[1:]:
        if not line.startswith("  "):
            break
        block.append(line)
    return block


def _check_excerpts(first: str, block: list[str], book: Path, stdin: str) -> None:
    """Numbered excerpt lines quote the file (or stdin) at the problem's line."""
    excerpts = [m for m in (re.fullmatch(r"  +(\d+) \| (.*)", line) for line in block) if m]
    if not excerpts:
        return
    where = re.match(r"([^:]+):(\d+): ", first)
    assert where, f"an excerpt without a file:line: {first}"
    path, line = where.group(1), int(where.group(2))
    source = stdin if path == "<stdin>" else (book / path).read_text(encoding="utf-8")
    source_lines = source.split("\n")
    assert int(excerpts[0].group(1)) == line
    assert len(excerpts) <= 3
    for match in excerpts:
        assert match.group(2) == source_lines[int(match.group(1)) - 1]


CHECK_CASES = [c for c in CASES if c.command[:1] == ("check",) and not c.bug]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CHECK_CASES])
def test_check_json_names_the_same_problem(case: Case, book: Path,
                                           biz: Callable[..., Any]) -> None:
    """``biz check -O json`` lists, first, the problem the text output shows first."""
    for setup in case.setup:
        setup(book)
    args = [_fill(a, book) for a in (*case.args, "-O", "json")]
    with case.around(book) if case.around else contextlib.nullcontext():
        result = biz(args, stdin=case.stdin, env=dict(case.env))
    assert result.code == case.exit_code
    first = json.loads(result.out)[0]
    severity = "warning" if f"warning[{case.code}]" in case.expected else "error"
    assert first["code"] == case.code
    assert first["severity"] == severity
    assert first["hint"]
    where = (f"{first['file']}:{first['line']}: " if first["line"] else
             f"{first['file']}: " if first["file"] else "")
    assert _fill(case.expected, book) == f"{where}{severity}[{case.code}]: {first['message']}"


# -- codes, sources and docs agree -------------------------------------------------------
def _literal_codes(node: ast.AST) -> list[ast.expr]:
    """The expressions that hold a problem code in one node of the syntax tree."""
    if isinstance(node, ast.Compare):
        sides = [node.left, *node.comparators]
        is_code = any(isinstance(s, ast.Attribute) and s.attr == "code" for s in sides)
        return sides if is_code else []
    if not isinstance(node, ast.Call):
        return []
    func = node.func
    name = func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else "")
    found = [k.value for k in node.keywords if k.arg == "code"]
    if name == "fail" and node.args:
        found.append(node.args[0])
    if name in {"problem", "_problem", "_choice"}:
        found.extend(a for a in node.args if isinstance(a, ast.Constant)
                     and isinstance(a.value, str) and _CODE_SHAPE.fullmatch(a.value))
    return found


_CODE_SHAPE = re.compile(r"[a-z]+(-[a-z]+)+")


def scan_codes(root: Path = SRC) -> dict[str, list[str]]:
    """Every literal problem code in the source: ``Problem(code=...)``, ``fail(CODE, ...)``,
    ``self.problem(x, CODE, ...)`` / ``_problem(x, CODE, ...)`` and ``.code == CODE``,
    multi-line calls included; code -> where (``path:line`` relative to ``bizcli/``)."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for expr in _literal_codes(node):
                if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
                    where = f"{path.relative_to(root).as_posix()}:{expr.lineno}"
                    found.setdefault(expr.value, []).append(where)
    return found


def test_every_code_has_a_case() -> None:
    covered = {case.code for case in CASES if not case.bug}
    assert set(CODES) - covered == set(), "codes without a passing case"
    assert covered - set(CODES) == set(), "cases for codes missing from CODES"
    in_source = scan_codes()
    missing = {code: where for code, where in in_source.items() if code not in CODES}
    assert missing == {}, "codes used in bizcli/ but missing from CODES"
    assert set(CODES) - set(in_source) == set(), "codes in CODES that bizcli/ never uses"


def test_the_scan_finds_codes_in_multi_line_calls() -> None:
    found = scan_codes()
    assert "bizcli/storage/book_init.py" not in found  # paths are relative to bizcli/
    assert any(w.startswith("storage/loader.py:") for w in found["book-invalid"])
    assert any(w.startswith("storage/journal_reader.py:") for w in found["orphan-posting"])
    assert any(w.startswith("core/ledger/balancing.py:") for w in found["implicit-conversion"])
    assert any(w.startswith("storage/chart_store.py:") for w in found["unwritable-chart"])


def test_codes_are_sorted_kebab_case_sentences() -> None:
    assert list(CODES) == sorted(CODES)
    assert list(FIXES) == sorted(FIXES)
    assert set(FIXES) == set(CODES)
    for code, text in (*CODES.items(), *FIXES.items()):
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code)
        assert text[:1].isupper() or text.startswith(("biz ", "fiscal_year_start")), text
        assert text.endswith("."), text
        assert "|" not in text, text
        assert "\n" not in text, text


def _docs_table() -> Any:
    spec = importlib.util.spec_from_file_location("docs_table", DOCS_TABLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_table_matches_codes() -> None:
    table = _docs_table()
    text = table.DOCS.read_text(encoding="utf-8")
    generated = table.generated_part(text)
    assert generated == table.render_table(), (
        "docs/errors.md is out of date: run python tests/errors/docs_table.py")
    rows = [line for line in generated.splitlines() if line.startswith("| `")]
    documented = {}
    for row in rows:
        code, meaning, fix = (cell.strip() for cell in row.strip("|").split(" | "))
        documented[code.strip("`")] = (meaning, fix)
    assert documented == {code: (CODES[code], FIXES[code]) for code in CODES}


def test_docs_describe_the_format() -> None:
    text = (SRC.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    assert text.startswith("# Errors and what to do\n")
    for needle in ("path:line: error[code]: message", "hint: ", "-O json", "| 1 |", "| 2 |"):
        assert needle in text


# -- usage errors: exit 2, no code, nothing written --------------------------------------
@pytest.mark.parametrize("args", [
    pytest.param(("post",), id="post-without-date"),
    pytest.param(("bal", "--no-such-option"), id="unknown-option"),
    pytest.param(("frobnicate",), id="unknown-command"),
    pytest.param(("bal", "--depth", "0"), id="bad-option-value"),
    pytest.param(("account", "add"), id="account-add-without-name"),
])
def test_usage_errors_exit_2(args: tuple[str, ...], book: Path,
                             biz: Callable[..., Any]) -> None:
    before = snapshot(book.parent)
    result = biz(["-B", str(book), *args])
    assert result.code == 2
    assert result.err.startswith("Usage: biz")
    assert "Error: " in result.err
    assert "error[" not in result.err
    assert snapshot(book.parent) == before


# -- YAML scalars are read exactly ---------------------------------------------------------
def _fields(text: str) -> tuple[Fields, YamlFile]:
    file = YamlFile("t.yaml", text)
    assert file.root is not None
    top = Fields.of(file, file.root, "the file")
    assert top is not None
    return top, file


def test_yaml_scalars_are_not_converted_implicitly() -> None:
    top, file = _fields("price: 12.10\ncountry: NO\nqty: 010\nflag: yes\nbig: 1e3\n")
    price = top.decimal("price")
    assert price == Decimal("12.10")
    assert str(price) == "12.10"
    assert top.text("country") == "NO"
    assert top.integer("qty") == 10
    assert top.text("flag") == "yes"
    assert top.text("big") == "1e3"
    assert file.problems == []


@pytest.mark.parametrize(("method", "value", "message"), [
    ("integer", "0x10", "'v' must be a whole number, not '0x10'"),
    ("integer", "1_000", "'v' must be a whole number, not '1_000'"),
    ("decimal", "12,10", "'v' must be a number like 12.50, not '12,10'"),
    ("decimal", "1e3", "'v' must be a number like 12.50, not '1e3'"),
    ("date", "2026-6-30", "'v' must be a date YYYY-MM-DD, not '2026-6-30'"),
])
def test_yaml_values_that_do_not_convert_are_problems(method: str, value: str,
                                                      message: str) -> None:
    top, file = _fields(f"x: 1\nv: {value}\n")
    assert getattr(top, method)("v") is None
    problems = file.problems
    assert [p.one_line() for p in problems] == [
        f"t.yaml:2: error[{'bad-date' if method == 'date' else 'bad-number'}]: {message}"]


def test_book_settings_keep_yaml_text_exact(book: Path) -> None:
    from bizcli.storage.book_files import read_settings

    text = (book / "biz.yaml").read_text(encoding="utf-8").replace("Test Co", "NO")
    text = text.replace("lock_date: null", "lock_date: null\ncommodities:\n  USD: 02")
    settings, problems = read_settings("biz.yaml", text)
    assert problems == []
    assert settings is not None
    assert settings.company == "NO"
    assert settings.precisions == {"USD": 2}


def test_missing_settings_file_is_reported_by_the_loader(book: Path) -> None:
    """biz finds a book by its biz.yaml, so only a direct load can miss it."""
    from bizcli.storage.loader import load_book

    (book / "biz.yaml").unlink()
    _, problems = load_book(book, use_cache=False)
    assert [p.one_line() for p in problems if p.code == "missing-file"] == [
        "biz.yaml: error[missing-file]: the book has no biz.yaml"]


# -- a corrupt load cache is ignored, never an error ---------------------------------------
ENTRIES = ("2026-01-05 Rent\n    Expenses:Rent  1200.00 USD\n    Assets:Bank:Checking\n\n"
           "2026-02-01 Sale\n    Assets:Bank:Checking  500.10 USD\n    Income:Sales\n")
BALANCES = ["Assets:Bank:Checking,-699.90", "Expenses:Rent,1200.00", "Income:Sales,-500.10"]
CACHE = Path(".biz") / "cache" / "book.msgpack"


def _balances(book: Path, biz: Callable[..., Any]) -> list[str]:
    result = biz(["-B", str(book), "bal", "--flat", "-O", "csv"])
    assert result.code == 0, result.err
    assert result.err == ""
    return [line for line in result.out.splitlines() if line.count(":") >= 1]


@pytest.mark.parametrize("garbage", [
    pytest.param(b"\x00not msgpack\xff" * 20, id="garbage"),
    pytest.param(b"", id="empty"),
    pytest.param(None, id="truncated"),
    pytest.param(b"\x93\x01\x02\x03", id="valid-msgpack-wrong-shape"),
])
def test_corrupt_cache_is_ignored(garbage: bytes | None, book: Path,
                                  biz: Callable[..., Any]) -> None:
    journal(ENTRIES)(book)
    assert _balances(book, biz) == BALANCES
    cache = book / CACHE
    good = cache.read_bytes()
    cache.write_bytes(good[: len(good) // 2] if garbage is None else garbage)
    assert _balances(book, biz) == BALANCES
    assert biz(["-B", str(book), "check"]).code == 0


def test_corrupt_cache_does_not_hide_problems(book: Path, biz: Callable[..., Any]) -> None:
    journal("2026-01-05 Rent\n    Expenses:Rent  100.00 USD\n    Assets:Cash  -99.99 USD\n")(book)
    first = biz(["-B", str(book), "check"])
    assert first.code == 1
    (book / CACHE).write_bytes(b"\xc1garbage")
    again = biz(["-B", str(book), "check"])
    assert (again.code, again.err) == (first.code, first.err)
    assert again.err.startswith(f"{JOURNAL}:1: error[unbalanced-transaction]: ")


def test_cache_with_matching_key_but_malformed_data_is_ignored(
        book: Path, biz: Callable[..., Any]) -> None:
    import msgpack

    journal(ENTRIES)(book)
    assert _balances(book, biz) == BALANCES
    cache = book / CACHE
    data = cache.read_bytes()
    header, body = data[:36], data[36:]  # b"BIZC" + SHA-256 of the body, then the body
    payload = msgpack.unpackb(body, raw=False, strict_map_key=False)
    payload["book"]["settings"]["currency"] = 5  # key (file hashes) still matches
    cache.write_bytes(header + msgpack.packb(payload, use_bin_type=True))
    assert _balances(book, biz) == BALANCES
