"""Inputs for the parsers: random text, and real files of the right kind, mutated.

Plain ``st.text()`` rarely gets past a parser's first check; a real file with a few
edits reaches the code behind it (a dropped quote, a swapped line, a date that does not
exist). The real files are the example book's and the inline samples of the test suite,
read once, when this module is imported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "workshop"
MAX_CHARS = 4000
"""The longest excerpt of a real file (inputs stay a few KB; edits may add a little)."""

ALPHABET = (
    *"0123456789", *"-: \t\n\r@=${}[]*&!;#\"'|>", *".,()/\\%+~?_<^", *"aZ", "é", "€",
    "\x00", "\ufeff", "\u2028", "\x85", "\u00a0", "日", "٣",
)
TOKENS = (
    "schema: 1\n", "- ", "  ", "    ", "include ", "include ../x\n", "2026-02-30",
    "2026-13-01", "0000-01-01", "9999-12-31", "1e9999", "NaN", "sNaN", "Infinity", "-0",
    "99999999999999999999.999999", "=", "@@", " @ ", "!!python/object:os.system",
    "&a ", "*a", "~", "null", "0x10", "010", "12.10", "NO", "yes", "'", '"', '""', '","',
    "\r\n", "\n\n", "; doc: ", "  ; ", "; key: value", "= 0 USD", "== 5", "USD", "EUR",
    "€ 1,00", "(10.00)", "1.234,50", "1 000", "$1,200.00", "-> ", "receipt", "issue",
    "transfer", "count", "adjust", "quantity: ", "date: ", "code: ", "{a: 1}", "[1, 2]",
    "FY2026", "Q5", "2026-W53", "last ", "from ", " to ", "..", "today", "tomorrow",
    "(" * 20, "a{99999999999}", "[^", "(?P<x>", "BEGIN:VCARD\n", "END:VCARD\n", "ADR:;;",
    "\n ", "X-BIZ-CODE:", "\nalias ", "\naccount ", "\ncommodity ", "\nP 2026-01-01 ",
)
NUMBERS = (
    "0", "-0", "+1", "00", "010", "1e9999", "1E-9999", "NaN", "sNaN", "-Infinity", "0x1F",
    "1_000", "1,000.50", "1.2.3", ".5", "5.", "99999999999999999999.999999", "٣", "²",
    "9" * 4400,  # int() refuses more than 4300 digits
    "2026-02-30", "0000-00-00", "9999-12-31", "",
)
"""What a number in a real file is replaced with."""
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
CHARS = st.sampled_from(ALPHABET)
WORDS = st.sampled_from(TOKENS)


def literals(module: str, pattern: str) -> tuple[str, ...]:
    """The string constants of a test module that ``pattern`` finds: its inline samples."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    found = re.compile(pattern, re.MULTILINE)
    return tuple(dict.fromkeys(
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and found.search(node.value)))


def example(*names: str) -> tuple[str, ...]:
    """Files of the example book, by path inside it."""
    return tuple((EXAMPLE / name).read_text(encoding="utf-8") for name in names)


@st.composite
def excerpt(draw: st.DrawFn, texts: Sequence[str]) -> str:
    """A real text; from a long one, up to ``MAX_CHARS`` of whole lines (mostly its start)."""
    text = draw(st.sampled_from(texts))
    if len(text) <= MAX_CHARS:
        return text
    lines = text.split("\n")
    first = draw(st.one_of(st.just(0), st.integers(0, len(lines) - 1)))
    kept, size = [], 0
    for line in lines[first:]:
        size += len(line) + 1
        if size > MAX_CHARS:
            break
        kept.append(line)
    return "\n".join(kept)


@st.composite
def mutated(draw: st.DrawFn, texts: Sequence[str]) -> str:
    """A real text with 1-6 edits: a span cut or repeated, lines repeated or swapped,
    characters or tokens inserted, a number replaced by an odd one."""
    text = draw(excerpt(texts))
    for _ in range(draw(st.integers(1, 6))):
        edit = draw(st.sampled_from(
            ("cut", "repeat", "line", "swap", "chars", "token", "number")))
        at = draw(st.integers(0, len(text)))
        numbers = list(_NUMBER.finditer(text)) if edit == "number" else []
        if numbers:
            found = draw(st.sampled_from(numbers))
            text = text[:found.start()] + draw(st.sampled_from(NUMBERS)) + text[found.end():]
        elif edit == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 80)):]
        elif edit == "repeat":  # many copies of a span: a blow-up in its length shows
            span = text[at:at + draw(st.integers(1, 60))]
            text = text[:at] + span * draw(st.integers(2, 12)) + text[at:]
        elif edit in ("line", "swap"):
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if edit == "line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif edit == "chars":
            text = text[:at] + "".join(draw(st.lists(CHARS, min_size=1, max_size=8))) + text[at:]
        else:
            text = text[:at] + draw(WORDS) + text[at:]
    return text


def soup(max_size: int = 40) -> st.SearchStrategy[str]:
    """Characters and tokens strung together: the parser's own words in random order."""
    return st.lists(st.one_of(CHARS, WORDS), max_size=max_size).map("".join)


def inputs(texts: Sequence[str]) -> st.SearchStrategy[str]:
    """What a parser of ``texts``' kind is fed: mutated real texts (half), plain random
    text, and token soup."""
    return st.one_of(mutated(texts), mutated(texts), st.text(max_size=400), soup())


def shallow(text: str) -> bool:
    """Nested fewer than 50 levels for certain (PyYAML's C composer recurses)."""
    flows = sum(text.count(char) for char in "[{")
    deepest = max((len(line) - len(line.lstrip(" -?:")) for line in text.split("\n")),
                  default=0)
    return flows < 48 and deepest < 96


def yaml_inputs(texts: Sequence[str]) -> st.SearchStrategy[str]:
    """``inputs`` for a YAML reader, kept shallow."""
    return inputs(texts).filter(shallow)
