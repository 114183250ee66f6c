"""Every parser, fed random and mutated text: a value or problems with file:line, never a
traceback or a hang (docs/reliability.md).

The suite runs ``QUICK`` inputs per parser; ``python tests/fuzzing/run.py`` runs 100,000
(``BIZ_FUZZ_EXAMPLES``), counting the inputs each parser really got.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from parsers import EXAMPLES, PARSERS, check

QUICK = 40
EXAMPLE_COUNT = int(os.environ.get("BIZ_FUZZ_EXAMPLES", QUICK))
LONG = EXAMPLE_COUNT > QUICK
COUNTS: Counter[str] = Counter()

ALPHABET = st.sampled_from([
    *"0123456789-:. \t\n\r@=$*&!;#\"'|>{}[],/\\+()%~?<^_", "é", "€", "¥", "\x00", "\ufeff",
    "\u2028", "ß", "日"])
TOKENS = st.sampled_from([
    "schema: 1\n", "- ", "  ", "    ", "include ", "include ../x\n", "2026-02-30",
    "2026-13-01", "1e9999", "NaN", "-0", "99999999999999999999.999999", "=", "@@", " @ ",
    "!!python/object:os.system", "&a ", "*a", "[", "]", "{", "}", "~", "null", "0x10",
    "\n<<<<<<< HEAD\n", "\n=======\n", "\n>>>>>>> x\n", "USD", "€ 1,00", "(10.00)",
    "; doc: ", "  ; ", "= 0 USD", "== 5", "*", "!", "receipt", "issue", "transfer", " -> ",
    "quantity: ", "date: ", "'", '"', "..", "FY2026", "Q5", "last ", "2026-W01"])


def _corpus(spec: str) -> str:
    return spec[len("text:"):] if spec.startswith("text:") else (
        (EXAMPLES / spec).read_text(encoding="utf-8"))


CORPUS = {name: [_corpus(spec) for spec in parser.corpus] for name, parser in PARSERS.items()}
VALUES = ["2026-11-23", "2026-11", "FY2026-Q2", "last month", "2026-01..2026-07",
          "12.50", "-1200 USD", "$1,200.00", "OAK=2@10.5", "0.10",
          "receipt|OAK|5|MAIN|2026-03-01|900", "Expenses:Rent 1200 Assets:Bank -1200",
          "bank not:^income tag:doc=INV-1 desc:Rent"]


@st.composite
def mutated(draw: st.DrawFn, texts: list[str]) -> str:
    """A real text with 1-6 edits: spans cut or repeated, lines swapped, junk inserted."""
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(1, 6))):
        edit = draw(st.sampled_from(["cut", "repeat", "swap", "insert", "token"]))
        at = draw(st.integers(0, len(text)))
        if edit == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif edit == "repeat":
            text = text[:at] + text[at:at + draw(st.integers(1, 200))] + text[at:]
        elif edit == "swap":
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif edit == "insert":
            text = text[:at] + "".join(draw(st.lists(ALPHABET, max_size=8))) + text[at:]
        else:
            text = text[:at] + draw(TOKENS) + text[at:]
    return text


def inputs(name: str) -> st.SearchStrategy[str]:
    """Plain random text, token soup, and (for file parsers) mutated example files."""
    texts = CORPUS[name] or VALUES
    return st.one_of(
        st.text(max_size=300),
        st.lists(st.one_of(ALPHABET, TOKENS), max_size=40).map("".join),
        mutated(texts),
    )


def _settings() -> settings:
    return settings(
        max_examples=EXAMPLE_COUNT,
        deadline=2000 if LONG else None,  # a slow input, not a slow machine, fails a long run
        database=None,
        derandomize=not LONG,  # the suite's run is the same every time
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_any_text_gives_a_value_or_problems_with_file_and_line(name: str) -> None:
    @_settings()
    @given(inputs(name))
    def parse(text: str) -> None:
        COUNTS[name] += 1
        check(name, text)

    parse()


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    """Where ``run.py`` asked: how many inputs each parser got."""
    yield
    target = os.environ.get("BIZ_FUZZ_REPORT")
    if target:
        Path(target).write_text(json.dumps(dict(COUNTS)), encoding="utf-8")
