"""``biz import journal``: real journals published by hledger and ledger, and generated ones.

The real journals are the ones the Debian packages ``hledger`` and ``ledger`` install
(.ci/run installs both with apt), read at test time, none copied into this repository:

- ledger's sample journal, ``/usr/share/doc/ledger/examples/sample.dat``: refused, and
  the test pins every FILE:LINE problem listed, with nothing written;
- the example journals in the two manuals, ``/usr/share/doc/hledger/hledger.info.gz``
  and ``/usr/share/doc/ledger/ledger3.html``, extracted by the rules below: each one
  either imports into a fresh book, and then hledger's and ledger's balances of the
  example equal theirs of the book and ``biz bal``, account by account and commodity
  by commodity, in full precision; or it is refused, every problem with a documented
  code and a line of the example, with nothing written.

A missing file fails the test when ``CI`` is set and skips it otherwise. Generated
journals cover each construct kind, what is dropped, the chart's types, includes, the
lock date, and a round trip: the example book printed by ``hledger print`` and imported
again.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bizcli.core.problem_codes import CODES
from tests.conftest import EXAMPLE, run_biz
from tests.oracle.test_hledger_ledger import (
    Balances,
    _tool,
    biz_balances,
    hledger_balances,
    ledger_inclusive,
)

LEDGER_SAMPLE = Path("/usr/share/doc/ledger/examples/sample.dat")
LEDGER_MANUAL = Path("/usr/share/doc/ledger/ledger3.html")
HLEDGER_MANUAL = Path("/usr/share/doc/hledger/hledger.info.gz")


def installed(path: Path) -> Path:
    """A file of the hledger or ledger Debian package: missing, it fails in CI, else skips."""
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; .ci/run must install hledger and ledger with apt")
        pytest.skip(f"{path} is missing (install the Debian packages hledger and ledger)")
    return path


def fresh_book(folder: Path) -> Path:
    """A new trading book made by ``biz init``."""
    result = run_biz(["init", str(folder), "--company", "Test Co"])
    assert result.code == 0, result.err
    return folder


def import_journal(book: Path, source: Path, *extra: str) -> tuple[int, str, str]:
    result = run_biz(["-B", str(book), "import", "journal", str(source), *extra])
    return result.code, result.out, result.err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".biz" not in p.relative_to(folder).parts}


def first_lines(err: str) -> list[str]:
    """``LINE code: construct`` for each problem (the message up to its ' — ')."""
    out = []
    for line in err.splitlines():
        match = re.match(r"\S+?:(\d+): error\[([a-z-]+)\]: (.*)", line)
        if match:
            out.append(f"{match.group(1)} {match.group(2)}: {match.group(3).split(' — ')[0]}")
    return out


def nonzero(balances: Balances) -> Balances:
    cleaned = {a: {c: q for c, q in b.items() if q} for a, b in balances.items()}
    return {a: b for a, b in cleaned.items() if b}


def hledger_count(journal: Path) -> int:
    out = subprocess.run([_tool("hledger"), "-f", str(journal), "print", "-O", "json"],
                         capture_output=True, text=True, check=True)
    return len(json.loads(out.stdout))


def hledger_exact(journal: Path) -> Balances:
    """``hledger bal --flat`` in full precision, from its JSON.

    Its text and CSV round each amount to the commodity's display precision, so an
    amount bizcli fills in exactly (``$159852.015``) would show as ``$159852.02`` on the
    original and ``$159852.015`` on the book; the JSON has the exact quantities.
    """
    out = subprocess.run([_tool("hledger"), "-f", str(journal), "bal", "--flat", "-O", "json"],
                         capture_output=True, text=True, check=True)
    rows, _total = json.loads(out.stdout)
    balances: Balances = {}
    for account, _name, _depth, amounts in rows:
        for amount in amounts:
            quantity = amount["aquantity"]
            value = Decimal(quantity["decimalMantissa"]).scaleb(-quantity["decimalPlaces"])
            target = balances.setdefault(account, {})
            target[amount["acommodity"]] = target.get(amount["acommodity"], Decimal(0)) + value
    return nonzero(balances)


def ledger_exact(journal: Path) -> Balances:
    """``ledger bal --flat`` unrounded (``--unround``), for the same reason."""
    return ledger_inclusive(journal, "--unround")


# -- ledger's sample journal -----------------------------------------------------------
SAMPLE_PROBLEMS = [
    "5 unsupported-syntax: automated transaction (=)",
    "8 unsupported-syntax: periodic transaction (~)",
    "12 unsupported-syntax: periodic transaction (~)",
    ("17 digit-group-mark: '$1,000.00' uses ',' in a number: hledger reads it as a decimal "
     "mark, ledger as a thousands separator"),
    "20 unsupported-syntax: secondary date '2004/05/03=2004/05/01'",
    ("29 untyped-account: the top-level account 'Asséts' "
     "(Asséts:Bánk:Chécking:Asséts:Bánk:Chécking) has no type: bizcli infers one only "
     "from assets, liabilities, equity, income, revenues and expenses"),
    ("33 untyped-account: the top-level account 'Русский язык' "
     "(Русский язык:Активы:Русский язык:Русский язык) has no type: bizcli infers one only "
     "from assets, liabilities, equity, income, revenues and expenses"),
    "36 unsupported-syntax: 'apply' block (apply tag foo)",
    "44 unsupported-syntax: 'apply' block (end apply tag)",
]


def test_ledger_sample_is_refused_line_by_line(tmp_path: Path) -> None:
    """Automated and periodic entries, ``$1,000.00``, a secondary date, untyped roots,
    ``apply tag``; its ``N $`` line is dropped, so not listed."""
    source = installed(LEDGER_SAMPLE)
    book = fresh_book(tmp_path / "book")
    before = snapshot(book)
    code, out, err = import_journal(book, source)
    assert code == 1
    assert out == ""
    assert first_lines(err) == SAMPLE_PROBLEMS
    for line in err.splitlines():
        if re.match(r"\S+:\d+: error\[", line):
            assert line.startswith(f"{source}:")
    assert "Traceback" not in err
    assert snapshot(book) == before


def test_refusal_names_the_fix_and_quotes_the_line(tmp_path: Path) -> None:
    source = installed(LEDGER_SAMPLE)
    book = fresh_book(tmp_path / "book")
    _, _, err = import_journal(book, source)
    block = err.split(f"{source}:20: ")[1].split(f"{source}:29")[0]
    assert block == (
        "error[unsupported-syntax]: secondary date '2004/05/03=2004/05/01' — bizcli keeps one "
        "date per entry (hledger and ledger use the first by default)\n"
        "  20 | 2004/05/03=2004/05/01 * Investment balance\n"
        "  hint: remove '=' and the second date (or move it into a comment)\n")


def test_dry_run_lists_plan_and_problems(tmp_path: Path) -> None:
    source = installed(LEDGER_SAMPLE)
    book = fresh_book(tmp_path / "book")
    before = snapshot(book)
    code, out, err = import_journal(book, source, "-n")
    assert code == 1
    assert out.splitlines()[0] == f"plan for adopting {source} (dry run: nothing written)"
    assert "refused: 9 problems, listed below; nothing would be written" in out
    assert len(first_lines(err)) == 9
    assert snapshot(book) == before


# -- the example journals in hledger's and ledger's manuals ----------------------------
# A full date opens an entry: 2026-01-05, 2026/1/5 or 2026.1.5, then a space, '=' (a
# secondary date) or the end of the line.
ENTRY_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?=[=\s]|$)")
# What may stand at an example's own indentation after its first line: another entry,
# a comment, a periodic or automated rule, or a directive.
JOURNAL_LINE = re.compile(
    rf"{ENTRY_DATE.pattern}|[;#~=]"
    r"|(?:account|alias|apply|comment|commodity|decimal-mark|end|include|payee|tag|D|P|Y)\b")


@dataclass(frozen=True)
class Example:
    """One example journal of a manual: where it starts there, and its text."""

    manual: Path
    line: int
    text: str

    @property
    def name(self) -> str:
        return f"{self.manual.name.removesuffix('.gz')}:{self.line}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _has_posting(lines: list[str]) -> bool:
    """A line indented under the first one that is not a comment: an entry, not a date."""
    top = _indent(lines[0])
    return any(_indent(line) > top and not line.lstrip().startswith((";", "#"))
               for line in lines if line.strip())


def hledger_manual_examples(text: str) -> list[Example]:
    """The example journals of hledger.info that start with an entry.

    makeinfo does not mark code blocks: they sit at the indentation of what holds them
    (column 0 in the text, deeper in a list item), where prose paragraphs open three
    spaces in and wrap back. So an example is a run of lines that

    - starts, after a blank line, with a line opening with a full date (at its own
      indentation, the example's column);
    - goes on over lines indented deeper (postings, their comments), lines at the
      example's column that JOURNAL_LINE accepts, and blank lines followed by such a line;
    - is introduced by prose: the last line before it ends with ':' or '.'. This leaves
      out the tail of a longer example that opens with directives (``alias``, ``Y``, an
      automated transaction: without them it would mean something else), and command
      output after a ``$ hledger ...`` line;
    - has a posting (a date alone is a query, or a timedot day).
    """
    lines = text.split("\n")
    examples = []
    start = 0
    while start < len(lines):
        first = lines[start]
        column = _indent(first)
        if not (first.strip() and ENTRY_DATE.match(first[column:])
                and start > 0 and not lines[start - 1].strip()):
            start += 1
            continue
        before = next((lines[k] for k in range(start - 1, -1, -1) if lines[k].strip()), "")
        end = start + 1
        while end < len(lines):
            line = lines[end]
            if not line.strip():
                following = end
                while following < len(lines) and not lines[following].strip():
                    following += 1
                if (following < len(lines) and _indent(lines[following]) == column
                        and JOURNAL_LINE.match(lines[following][column:])):
                    end = following
                    continue
                break
            deeper = _indent(line) > column
            if not deeper and not (_indent(line) == column and JOURNAL_LINE.match(line[column:])):
                break
            end += 1
        block = [line[column:] for line in lines[start:end]]
        if before.rstrip().endswith((":", ".")) and _has_posting(block):
            examples.append(Example(HLEDGER_MANUAL, start + 1, "\n".join(block) + "\n"))
        start = end  # a run left out is skipped whole, not searched for a later entry
    return examples


def ledger_manual_examples(text: str) -> list[Example]:
    """The ``<pre class="example">`` blocks of ledger3.html that start with an entry.

    Inside them texinfo's HTML has only ``<samp>`` tags and entities (``&amp;``,
    ``&quot;``, ``&lt;``...): the tags are removed, the entities unescaped. A block is kept
    when its first line opens with a full date and it has a posting.
    """
    examples = []
    for match in re.finditer(r'<pre class="example">(.*?)</pre>', text, re.DOTALL):
        body = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).rstrip("\n")
        block = body.split("\n")
        if ENTRY_DATE.match(body) and _has_posting(block):
            line = text.count("\n", 0, match.start()) + 1
            examples.append(Example(LEDGER_MANUAL, line, body + "\n"))
    return examples


def manual_examples() -> list[Example]:
    """Every example both manuals yield (none from a manual that is not installed)."""
    examples = []
    if HLEDGER_MANUAL.is_file():
        with gzip.open(HLEDGER_MANUAL, "rt", encoding="utf-8") as handle:
            examples += hledger_manual_examples(handle.read())
    if LEDGER_MANUAL.is_file():
        examples += ledger_manual_examples(LEDGER_MANUAL.read_text(encoding="utf-8"))
    return examples


def test_extractors_keep_whole_examples_that_start_with_an_entry() -> None:
    info = ("Intro text ending with a colon:\n\n2026-01-05 rent\n    expenses:rent  $1\n"
            "    assets:cash\n\n2026/1/6 more\n  expenses:rent  $2\n  assets:cash\n\n"
            "   A new paragraph.  With directives first:\n\nY2026\n\n1/7 x\n  a  1\n  b\n\n"
            "2026-01-08 a tail, left out\n  a  1\n  b\n\n   Output:\n\n$ hledger print\n"
            "2026-01-09 x\n  a  1\n  b\n\n2026-01-10 output too\n  a  1\n  b\n\n"
            "   A query:\n\n2026-01-11\n\n   * In a list, eg:\n\n     2026-01-12 listed\n"
            "       a  1\n       b\n\n   The end.\n")
    found = [(e.line, e.text) for e in hledger_manual_examples(info)]
    assert found == [
        (3, ("2026-01-05 rent\n    expenses:rent  $1\n    assets:cash\n\n"
             "2026/1/6 more\n  expenses:rent  $2\n  assets:cash\n")),
        (40, "2026-01-12 listed\n  a  1\n  b\n")]
    page = ('<p>x</p>\n<pre class="example">2026-01-05 A &amp; B <samp>&quot;q&quot;</samp>\n'
            '    expenses:rent  $1\n    assets:cash\n</pre>\n'
            '<pre class="example">account assets\n</pre>\n'
            '<pre class="example">2026-01-05 no posting\n</pre>\n')
    assert [(e.line, e.text) for e in ledger_manual_examples(page)] == [
        (2, '2026-01-05 A & B "q"\n    expenses:rent  $1\n    assets:cash\n')]


EXAMPLES = manual_examples()
# A problem's first line: ``FILE:LINE: error[code]: ...``.
LOCATED = re.compile(r"(?P<file>\S+?):(?P<line>\d+): error\[(?P<code>[a-z-]+)\]")


@dataclass(frozen=True)
class Outcome:
    """One example adopted into its own fresh book, or refused."""

    source: Path
    book: Path
    before: dict[str, bytes]
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Example], Outcome]:
    """Import an example into a fresh book once per module; later calls reuse it."""
    done: dict[Example, Outcome] = {}
    template = fresh_book(tmp_path_factory.mktemp("template") / "book")

    def adopt(example: Example) -> Outcome:
        if example not in done:
            folder = tmp_path_factory.mktemp("example")
            source = folder / "example.journal"
            source.write_text(example.text, encoding="utf-8")
            book = folder / "book"
            shutil.copytree(template, book)  # the same files as a new ``biz init`` book
            before = snapshot(book)
            code, out, err = import_journal(book, source)
            done[example] = Outcome(source, book, before, code, out, err)
        return done[example]

    return adopt


@pytest.mark.parametrize("example", EXAMPLES or [None],
                         ids=[e.name for e in EXAMPLES] or ["no manual installed"])
def test_manual_example_is_adopted_exactly_or_refused_line_by_line(
        example: Example | None, adopted: Callable[[Example], Outcome]) -> None:
    """Adopted with the same balances in hledger, ledger and bizcli, or refused with
    nothing written; never a traceback, never a changed balance."""
    if example is None:
        installed(HLEDGER_MANUAL)
        installed(LEDGER_MANUAL)
        pytest.fail("the manuals are installed but yield no example")
    result = adopted(example)  # an exception here is a traceback in the CLI
    assert "Traceback" not in result.err
    assert result.code in (0, 1), result.err
    if result.code == 0:
        expected = hledger_exact(result.source)
        assert nonzero(biz_balances(result.book)) == expected
        written = "".join(f.read_text(encoding="utf-8")
                          for f in (result.book / "journal").glob("*.journal"))
        assert len(re.findall(r"^\d{4}-\d\d-\d\d\b", written, re.MULTILINE)) == hledger_count(
            result.source)
        main = result.book / "main.journal"
        assert hledger_exact(main) == expected
        assert ledger_exact(main) == ledger_exact(result.source)
        assert run_biz(["-B", str(result.book), "check"]).code == 0
    else:
        assert result.out == ""
        problems = [line for line in result.err.splitlines() if "error[" in line]
        assert problems, result.err
        length = example.text.count("\n")
        for problem in problems:
            located = LOCATED.match(problem)
            assert located, problem
            assert located["file"] == str(result.source), problem
            assert 1 <= int(located["line"]) <= length, problem
            assert located["code"] in CODES, problem
        assert snapshot(result.book) == result.before


def test_manual_examples_are_both_adopted_and_refused(
        adopted: Callable[[Example], Outcome]) -> None:
    """Each manual yields examples of both outcomes.

    Observed with Debian 12's hledger 1.25 and ledger 3.3.0: 148 examples, 30 from
    hledger.info (8 adopted, 22 refused) and 118 from ledger3.html (50 adopted, 68
    refused). The refusals carry unsupported-syntax (119 problems), untyped-account (21),
    digit-group-mark (9), implicit-conversion (7), bad-amount (6), failed-assertion (4),
    ambiguous-comment (2), ambiguous-elided-amount (2) and unbalanced-transaction (1).
    """
    installed(HLEDGER_MANUAL)
    installed(LEDGER_MANUAL)
    seen = Counter((example.manual.name, adopted(example).code == 0) for example in EXAMPLES)
    for manual in (HLEDGER_MANUAL, LEDGER_MANUAL):
        assert seen[(manual.name, True)] > 0, (manual, seen)
        assert seen[(manual.name, False)] > 0, (manual, seen)
    assert sum(seen.values()) >= 100, seen  # the extraction still finds the examples


# -- generated journals: one per construct kind ----------------------------------------
HEAD = "2026-01-05 Rent\n"
RENT = "    Expenses:Rent  100.00 USD\n"
BANK = "    Assets:Bank:Checking\n"

CONSTRUCTS = [
    ("periodic", "~ monthly\n" + RENT + BANK,
     "1 unsupported-syntax: periodic transaction (~)"),
    ("automated", "= Expenses:Rent\n    (Liabilities:Tax)  0.1\n",
     "1 unsupported-syntax: automated transaction (=)"),
    ("virtual", HEAD + RENT + BANK + "    (Budget:Rent)  -100.00 USD\n",
     "4 unsupported-syntax: virtual posting (Budget:Rent)"),
    ("balanced-virtual", HEAD + RENT + BANK + "    [Budget:Rent]  -100.00 USD\n"
     "    [Budget:Left]  100.00 USD\n",
     ["4 unsupported-syntax: balanced virtual posting [Budget:Rent]",
      "5 unsupported-syntax: balanced virtual posting [Budget:Left]"]),
    ("apply-account", "apply account Business\n" + HEAD + RENT + BANK + "end apply account\n",
     ["1 unsupported-syntax: 'apply' block (apply account Business)",
      "5 unsupported-syntax: 'apply' block (end apply account)"]),
    ("alias", "alias Rent = Expenses:Rent\n",
     "1 unsupported-syntax: account alias (alias Rent = Expenses:Rent)"),
    ("year", "Y 2026\n", "1 unsupported-syntax: default year (Y 2026)"),
    ("year-word", "year 2026\n", "1 unsupported-syntax: default year (year 2026)"),
    ("default-commodity", "D $1000.00\n",
     "1 unsupported-syntax: default commodity (D $1000.00)"),
    ("define", "define rate=0.2\n", "1 unsupported-syntax: value expression (define rate=0.2)"),
    ("expression", HEAD + "    Expenses:Rent  (50.00 USD * 2)\n" + BANK,
     "2 unsupported-syntax: expression or lot note (...) in an amount"),
    ("lot-price", HEAD + "    Assets:Stock  -10 CHAIR {50.00 USD}\n" + BANK,
     "2 unsupported-syntax: lot price {...}"),
    ("lot-date", HEAD + "    Assets:Stock  -10 CHAIR [2026-01-02]\n" + BANK,
     "2 unsupported-syntax: lot date [...]"),
    ("timeclock", "i 2026-01-05 09:00:00 work\n",
     "1 unsupported-syntax: timeclock entry (i 2026-01-05 09:00:00 work)"),
    ("bucket", "bucket Assets:Bank:Checking\n",
     "1 unsupported-syntax: default account (bucket Assets:Bank:Checking)"),
    ("tag-check", "tag receipt\n    check value =~ /^R/\n",
     "2 unsupported-syntax: 'check' under a tag directive"),
    ("account-assert", "account Expenses:Rent\n    assert account =~ /Rent/\n",
     "2 unsupported-syntax: 'assert' under a account directive"),
    ("commodity-alias", "commodity $\n    alias USD\n", "2 unsupported-syntax: commodity alias"),
    ("secondary-date", "2026-01-05=2026-01-09 Rent\n" + RENT + BANK,
     "1 unsupported-syntax: secondary date '2026-01-05=2026-01-09'"),
    ("posting-date-tag", HEAD + RENT + "    Assets:Bank:Checking  ; date: 2026-01-09\n",
     "3 unsupported-syntax: posting date (date: tag)"),
    ("posting-bracket-date", HEAD + RENT + BANK + "    ; [2026/01/09]\n",
     "4 unsupported-syntax: posting date [2026/01/09]"),
    ("total-assertion", HEAD + RENT + "    Assets:Bank:Checking  -100.00 USD == -100.00 USD\n",
     "3 unsupported-syntax: balance assertion =="),
    ("balance-assignment", HEAD + RENT + "    Assets:Bank:Checking  = -100.00 USD\n",
     "3 unsupported-syntax: balance assignment"),
    ("date-without-year", "1/5 Rent\n" + RENT + BANK,
     "1 unsupported-syntax: date without a year '1/5'"),
    ("dotted-date", "2026.01.05 Rent\n" + RENT + BANK,
     "1 unsupported-syntax: date '2026.01.05'"),
    ("bare-number", HEAD + "    Expenses:Rent  100\n" + BANK,
     "2 unsupported-syntax: amount without a commodity '100'"),
    ("spaced-symbol", HEAD + "    Expenses:Rent  $ 100.00\n" + BANK,
     "2 unsupported-syntax: space after the commodity symbol in '$ 100.00'"),
    ("option", "--strict\n", "1 unsupported-syntax: option --strict"),
    ("price-with-time", "P 2026/01/05 10:30:00 EUR 1.08 USD\n",
     "1 unsupported-syntax: time of day in a P directive"),
    ("decimal-mark", "decimal-mark ,\n",
     "1 unsupported-syntax: decimal-mark directive (decimal-mark ,)"),
    ("typed-metadata", HEAD + "    ; Rate:: 1.5\n" + RENT + BANK,
     "2 unsupported-syntax: typed metadata (KEY:: VALUE)"),
    ("unknown-directive", "frobnicate all\n", "1 unsupported-syntax: directive 'frobnicate'"),
    ("include-csv", "include bank.csv\n",
     "1 unsupported-syntax: {dir}/bank.csv is a csv file"),
    ("include-format", "include timedot:hours.txt\n",
     "1 unsupported-syntax: include of 'timedot:hours.txt' in another format"),
    ("missing-include", "include nowhere.journal\n",
     "1 missing-include: included file 'nowhere.journal' does not exist"),
    ("include-itself", "include main.journal\n",
     ("1 duplicate-include: {dir}/main.journal is already being read; reading it again would "
      "count its entries twice")),
    ("tab", HEAD + "    Expenses:Rent\t100.00 USD\n" + BANK,
     ("2 tab-in-posting: a tab inside a posting line: hledger reads it as part of the account "
      "name, ledger as a separator")),
    ("digit-group", HEAD + "    Expenses:Rent  1,000.00 USD\n" + BANK,
     ("2 digit-group-mark: '1,000.00 USD' uses ',' in a number: hledger reads it as a decimal "
      "mark, ledger as a thousands separator")),
    ("unknown-root", HEAD + "    Costs:Rent  100.00 USD\n" + BANK,
     ("2 untyped-account: the top-level account 'Costs' (Costs:Rent) has no type: bizcli "
      "infers one only from assets, liabilities, equity, income, revenues and expenses")),
    ("unknown-type-tag", "account Assets:Gold  ; type:G\n",
     "1 unsupported-syntax: account type 'G'"),
    ("unbalanced", HEAD + RENT + "    Assets:Bank:Checking  -99.00 USD\n",
     ("1 unbalanced-transaction: the transaction does not balance: the postings add up to "
      "1.00 USD")),
    ("failed-assertion", HEAD + RENT + "    Assets:Bank:Checking  -100.00 USD = 5.00 USD\n",
     ("3 failed-assertion: balance assertion failed: Assets:Bank:Checking is -100.00 USD "
      "after this posting, not 5.00 USD")),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=n)
                                                for n, t, e in CONSTRUCTS])
def test_each_construct_outside_the_subset_is_refused(text: str, expected: str | list[str],
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "main.journal").write_text(text, encoding="utf-8")
    (folder / "bank.csv").write_text("date,amount\n2026-01-05,10.00\n", encoding="utf-8")
    wanted = [expected] if isinstance(expected, str) else expected
    book = fresh_book(tmp_path / "book")
    before = snapshot(book)
    code, out, err = import_journal(book, folder / "main.journal")
    assert code == 1, out
    assert first_lines(err) == [line.replace("{dir}", str(folder)) for line in wanted]
    assert "  hint: " in err
    assert snapshot(book) == before


def test_dropped_constructs_change_nothing(tmp_path: Path) -> None:
    """Comments outside entries, comment blocks, tag/payee/N and account notes are dropped."""
    text = ("; a comment\n# another\n* an org heading\n% ledger comment\n| ledger comment\n"
            "comment\n2026-01-01 not an entry\n    x  1\nend comment\n"
            "tag receipt\npayee Landlord\nN EUR\n"
            "account Expenses:Rent  ; rent of the workshop\n    note paid monthly\n"
            "commodity 1,000.000 EUR\n"
            "P 2026-01-02 EUR 1.0850 USD\n\n"
            "2026-01-05 * (R-1) Landlord  ; receipt: R-1\n"
            "    Expenses:Rent  100.000 EUR @ 1.0850 USD  ; January\n"
            "    Assets:Bank:Checking\n")
    source = tmp_path / "old.journal"
    source.write_text(text, encoding="utf-8")
    book = fresh_book(tmp_path / "book")
    code, out, err = import_journal(book, source)
    assert code == 0, err
    assert "  comment line: 5 (" in out
    assert f"  comment block: 1 ({source}:6)" in out
    assert "  tag declaration: 1 (" in out
    assert "  N (no market price): 1 (" in out
    assert "commodity directives: EUR (3 decimals)" in out
    assert (book / "journal" / "2026.journal").read_text(encoding="utf-8") == (
        "; Adopted from old.journal by biz import journal.\n\n"
        "commodity EUR\n    format 1000.000 EUR\n\n"
        "P 2026-01-02 EUR 1.0850 USD\n\n"
        "2026-01-05 * (R-1) Landlord\n"
        "    ; receipt: R-1\n"
        "    Expenses:Rent                          100.000 EUR @ 1.0850 USD  ; January\n"
        "    Assets:Bank:Checking                   -108.50 USD\n")
    assert run_biz(["-B", str(book), "check"]).code == 0
    expected = {"Assets:Bank:Checking": {"USD": Decimal("-108.50")},
                "Expenses:Rent": {"EUR": Decimal("100.000")}}
    assert nonzero(biz_balances(book)) == expected  # (hledger does not read % and | lines)
    assert hledger_balances(book / "main.journal") == expected


def test_types_from_names_tags_and_the_chart(tmp_path: Path) -> None:
    text = ("account revenues  ; type:R\naccount assets:till  ; type:C\n"
            "account x:loans  ; type: Liability\n\n"
            "2026-01-05 Sale\n    assets:till  10.00 USD\n    revenues:shop\n\n"
            "2026-01-06 Loan\n    Assets:Bank:Checking  50.00 USD\n    x:loans:bank\n")
    source = tmp_path / "old.journal"
    source.write_text(text, encoding="utf-8")
    book = fresh_book(tmp_path / "book")
    code, out, err = import_journal(book, source)
    assert code == 0, err
    lines = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert [line[:2] for line in lines[:5]] == [
        ["assets:till", "asset"], ["revenues", "income"], ["revenues:shop", "income"],
        ["x:loans", "liability"], ["x:loans:bank", "liability"]]
    chart = (book / "accounts.yaml").read_text(encoding="utf-8")
    assert chart.endswith("- name: assets:till\n  type: asset\n  subtype: cash\n"
                          "- name: revenues\n  type: income\n- name: revenues:shop\n"
                          "- name: x:loans\n  type: liability\n- name: x:loans:bank\n")
    assert nonzero(biz_balances(book)) == hledger_balances(source)


def test_an_unknown_root_declared_first_is_accepted(tmp_path: Path) -> None:
    """A top-level account bizcli cannot type is adopted once the chart declares it."""
    source = tmp_path / "old.journal"
    source.write_text("2000-01-01 one\n  㐀  1 A\n  㐀:㐁  -1 A\n\n"
                      "2000-01-02 two\n  㐀:㐁:㐂  1 A\n  㐀:㐁:㐂:㐃  -1 A\n\n"
                      "P 2000-01-01 A  0.70 B\n", encoding="utf-8")
    book = fresh_book(tmp_path / "book")
    before = snapshot(book)
    code, _, err = import_journal(book, source)
    assert code == 1
    assert first_lines(err) == [
        ("2 untyped-account: the top-level account '㐀' (㐀 and 3 more) has no type: bizcli "
         "infers one only from assets, liabilities, equity, income, revenues and expenses")]
    assert snapshot(book) == before
    result = run_biz(["-B", str(book), "account", "add", "㐀", "--type", "asset"])
    assert result.code == 0
    code, out, err = import_journal(book, source)
    assert code == 0, err
    assert "  㐀:㐁:㐂:㐃  asset      from 㐀:㐁:㐂\n" in out
    assert "  journal/2000.journal  2 entries, 1 prices\n" in out
    assert hledger_balances(book / "main.journal") == hledger_balances(source)
    assert nonzero(biz_balances(book)) == hledger_balances(source)


def test_declared_account_types_become_the_chart(tmp_path: Path) -> None:
    """hledger's type:A/C/L/E/V/R/X tags give types and the cash subtype."""
    source = tmp_path / "accounts.journal"
    source.write_text("".join(f"account {name}  ; type:{kind}\n" for name, kind in (
        ("aktiva", "A"), ("aktiva:bank", "C"), ("passiva", "L"), ("eigenkapital", "E"),
        ("eigenkapital:kursdifferenzen", "V"), ("erträge", "R"), ("aufwendungen", "X"))),
        encoding="utf-8")
    book = fresh_book(tmp_path / "book")
    code, out, err = import_journal(book, source)
    assert code == 0, err
    accounts = json.loads(run_biz(["-B", str(book), "accounts", "-O", "json"]).out)["rows"]
    found = {row["account"]: (row["type"], row["subtype"]) for row in accounts
             if row.get("kind", "row") == "row" and row["account"][0].islower()}
    assert found == {
        "aktiva": ("asset", ""), "aktiva:bank": ("asset", "cash"),
        "passiva": ("liability", ""), "eigenkapital": ("equity", ""),
        "eigenkapital:kursdifferenzen": ("equity", ""), "erträge": ("income", ""),
        "aufwendungen": ("expense", ""),
    }
    assert "aktiva:bank                   asset      type declared at " in out
    assert not list((book / "journal").glob("*.journal"))


def test_includes_are_read_in_place(tmp_path: Path) -> None:
    """A main file that includes its declarations; a zero posting filled as hledger does."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "accounts.journal").write_text("account assets  ; type:A\naccount equity  ; type:E\n",
                                             encoding="utf-8")
    (folder / "commodities.journal").write_text("commodity $1000.00\n", encoding="utf-8")
    (folder / "payees.journal").write_text("payee opening balances\npayee closing balances\n",
                                           encoding="utf-8")
    main = folder / "main.journal"
    main.write_text("include accounts.journal\ninclude commodities.journal\n"
                    "include payees.journal\n\n2021-01-01 opening balances\n"
                    "    assets:checking  $0\n    equity\n", encoding="utf-8")
    book = fresh_book(tmp_path / "book")
    code, out, _ = import_journal(book, main, "--dry-run")
    assert code == 0
    assert (f"  files read: {main}, {folder / 'accounts.journal'}, "
            f"{folder / 'commodities.journal'}, {folder / 'payees.journal'}\n") in out
    assert ("note: 1 posting(s) left without an amount in an entry that already balances "
            "get 0, as in hledger") in out
    assert "  payee declaration: 2 (" in out
    assert snapshot(book) == snapshot(fresh_book(tmp_path / "other"))  # nothing written


def test_include_glob_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    (folder / "years").mkdir(parents=True)
    (folder / "years" / "2026.journal").write_text(HEAD + RENT + BANK, encoding="utf-8")
    (folder / "years" / "2025.journal").write_text(
        "2025-12-31 Rent\n    Expenses:Rent  90.00 USD\n" + BANK, encoding="utf-8")
    (folder / "all.journal").write_text("include years/*.journal\n", encoding="utf-8")
    book = fresh_book(tmp_path / "book")
    code, out, err = import_journal(book, folder / "all.journal")
    assert code == 0, err
    assert (f"  files read: {folder / 'all.journal'}, {folder / 'years/2025.journal'}, "
            f"{folder / 'years/2026.journal'}") in out
    assert "journal/2025.journal  1 entries" in out
    assert nonzero(biz_balances(book)) == hledger_balances(folder / "all.journal")


def test_lock_date_and_future_entries_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "old.journal"
    source.write_text("2025-06-01 Rent\n" + RENT + BANK + "\n2025-07-01 Rent\n" + RENT + BANK
                      + "\n2027-03-01 Rent\n" + RENT + BANK, encoding="utf-8")
    book = fresh_book(tmp_path / "book")
    settings = book / "biz.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "lock_date: null", "lock_date: 2025-12-31"), encoding="utf-8")
    before = snapshot(book)
    code, _, err = import_journal(book, source)
    assert code == 1
    assert first_lines(err) == [
        ("1 locked-period: 2 entries are dated on or before the lock date 2025-12-31 (this one "
         "is dated 2025-06-01)"),
        ("9 date-out-of-range: 1 entry is dated after the end of the current fiscal year "
         "(2026-12-31); this one is dated 2027-03-01")]
    assert snapshot(book) == before


def test_a_book_with_entries_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "old.journal"
    source.write_text(HEAD + RENT + BANK, encoding="utf-8")
    book = fresh_book(tmp_path / "book")
    assert import_journal(book, source)[0] == 0
    before = snapshot(book)
    code, _, err = import_journal(book, source)
    assert code == 1
    assert err.startswith("error[book-not-empty]: the book already has 1 journal entry")
    assert snapshot(book) == before


def test_missing_file(tmp_path: Path) -> None:
    book = fresh_book(tmp_path / "book")
    code, _, err = import_journal(book, tmp_path / "nope.journal")
    assert code == 1
    assert err.startswith(f"{tmp_path / 'nope.journal'}: error[unreadable-file]: cannot read "
                          f"{tmp_path / 'nope.journal'}: No such file or directory")


# -- round trip and generated books ----------------------------------------------------
def test_round_trip_through_hledger_print(tmp_path: Path) -> None:
    """The example book, printed by hledger and imported again, has the same balances."""
    original = tmp_path / "workshop"
    shutil.copytree(EXAMPLE, original, ignore=shutil.ignore_patterns(".biz"))
    printed = tmp_path / "printed.journal"
    out = subprocess.run([_tool("hledger"), "-f", str(original / "main.journal"), "print"],
                         capture_output=True, text=True, check=True)
    printed.write_text(out.stdout, encoding="utf-8")
    book = fresh_book(tmp_path / "book")
    code, _, err = import_journal(book, printed)
    assert code == 0, err
    assert biz_balances(book) == biz_balances(original)
    assert biz_balances(book, flat=False) == biz_balances(original, flat=False)
    assert hledger_balances(book / "main.journal") == hledger_balances(
        original / "main.journal")
    assert run_biz(["-B", str(book), "check"]).code == 0


ACCOUNTS = ["assets:cash", "assets:bank", "expenses:food", "expenses:rent", "income:sales",
            "liabilities:card", "equity:opening"]


@st.composite
def journals(draw: st.DrawFn) -> tuple[str, dict[tuple[str, str], Decimal]]:
    """hledger-style entries (slashes, $ prefixes, elided amounts) and their exact sums."""
    lines: list[str] = []
    sums: dict[tuple[str, str], Decimal] = {}
    for number in range(draw(st.integers(1, 12))):
        day = draw(st.dates(min_value=__import__("datetime").date(2020, 1, 1),
                            max_value=__import__("datetime").date(2026, 11, 1)))
        sep = draw(st.sampled_from("-/"))
        commodity = draw(st.sampled_from(["$", "EUR", "BTC"]))
        places = 8 if commodity == "BTC" else 2
        debits = draw(st.lists(st.integers(1, 10**9), min_size=1, max_size=3))
        accounts = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=len(debits) + 1,
                                 max_size=len(debits) + 1))
        lines.append(f"{day.year}{sep}{day.month:02d}{sep}{day.day:02d} entry {number}")
        total = Decimal(0)
        for account, cents in zip(accounts, debits, strict=False):
            value = Decimal(cents).scaleb(-places)
            total += value
            text = f"${value:f}" if commodity == "$" else f"{value:f} {commodity}"
            lines.append(f"  {account}  {text}")
            sums[(account, commodity)] = sums.get((account, commodity), Decimal(0)) + value
        lines.append(f"  {accounts[-1]}")
        key = (accounts[-1], commodity)
        sums[key] = sums.get(key, Decimal(0)) - total
        lines.append("")
    return "\n".join(lines), {k: v for k, v in sums.items() if v}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(journal=journals())
def test_generated_journals_keep_their_sums(journal: tuple[str, dict[tuple[str, str], Decimal]],
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    text, sums = journal
    folder = tmp_path_factory.mktemp("gen")
    source = folder / "gen.journal"
    source.write_text(text, encoding="utf-8")
    book = fresh_book(folder / "book")
    code, _, err = import_journal(book, source)
    assert code == 0, err
    got = {(account, commodity): quantity
           for account, balance in biz_balances(book).items()
           for commodity, quantity in balance.items() if quantity}
    assert got == sums
