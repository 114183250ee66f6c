"""Read YAML as a tree of nodes with line numbers, converting every scalar explicitly.

``yaml.safe_load`` would turn ``price: 12.10`` into the float 12.1, ``country: NO`` into
False and ``qty: 010`` into 8. Here nothing is converted implicitly: a scalar stays the
text that was written, and ``Fields`` converts it to the type the schema wants, with a
problem naming file:line when it cannot. Only the safe loader is used (the C one when
PyYAML has it), and tags other than YAML's standard ones are refused.

A line break that YAML counts and editors do not (U+2028, a lone carriage return) is
refused too: it would shift every line number after it, and an edit by line with them.

A file that tries to hurt is refused before it is built into nodes: one over
``MAX_YAML_BYTES``, one nested deeper than ``MAX_DEPTH`` (PyYAML's C composer recurses
and would crash the process), and any alias (``*name``: a "billion laughs" file expands
aliases of aliases exponentially; bizcli rewrites these files and could not keep them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import yaml

from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef
from bizcli.core.text import WHOLE_DIGITS, abbreviated

SCHEMA_VERSION = 1
MAX_YAML_BYTES = 64 * 1024 * 1024
"""The largest YAML file read (64 MiB: a hundred times the size of 100,000 customers)."""
MAX_DEPTH = 64
"""The deepest nesting read; the book's files need fewer than ten levels."""
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
# Only a text with one of these can hold an alias, anchor, tag, flow collection, or block
# nesting deeper than MAX_DEPTH: every two levels of block nesting move a node one column
# right, and a node starts after its line's run of spaces, dashes, '?' and ':'. The files
# bizcli writes have none, and skip the event pass (a fifth of a cold YAML parse).
_DEEP_PREFIX = re.compile(rf"\n[ ?:-]{{{MAX_DEPTH // 2 - 1}}}")


def _risky(text: str) -> bool:
    return (any(char in text for char in "*!&[{") or text.startswith((" ", "-", "?", ":"))
            or _DEEP_PREFIX.search(text) is not None)


_ODD_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_BREAK_NAMES = {"\r": "carriage return without a new line", "\x85": "next-line character (U+0085)",
                "\u2028": "line separator (U+2028)", "\u2029": "paragraph separator (U+2029)"}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def _walk(node: yaml.Node) -> Iterator[yaml.Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


class YamlFile:
    """One YAML file's node tree, and the problems found while reading it."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.root: yaml.Node | None = None
        if len(text) > MAX_YAML_BYTES:
            self.problem(None, "file-too-large", f"the file has {len(text):,} characters, "
                         f"more than the {MAX_YAML_BYTES:,} bizcli reads in a YAML file",
                         "split it or remove what does not belong in the book")
            return
        odd = _ODD_BREAK.search(text)
        if odd is not None:  # YAML counts it as a new line; editors and bizcli do not
            self.problems.append(Problem(
                code="yaml-line-break", source=SourceRef(path, text.count("\n", 0,
                                                                          odd.start()) + 1),
                message=f"the file has a {_BREAK_NAMES[odd.group()]}, which YAML reads as "
                        "the end of a line",
                hint="replace it with a space (or a plain new line)"))
            return
        try:
            if _risky(text) and not self._harmless(text):
                return
            self.root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            reason = getattr(err, "problem", None) or str(err).splitlines()[0]
            self.problems.append(Problem(
                code="bad-yaml", source=SourceRef(path, line),
                message=f"not valid YAML: {reason}",
                hint="fix the indentation or quoting near this line"))
            return
        for node in _walk(self.root) if self.root is not None else ():
            if node.tag not in _STANDARD_TAGS:
                self.problems.append(Problem(
                    code="yaml-tag", source=self.ref(node),
                    message=f"the YAML tag {node.tag!r} is not allowed",
                    hint="remove the tag; book files hold plain values only"))
                self.root = None
                return

    def _harmless(self, text: str) -> bool:
        """Read the events (no nodes yet): refuse deep nesting, aliases and odd tags."""
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            line = SourceRef(self.path, mark.line + 1 if mark is not None else 1)
            if isinstance(event, yaml.AliasEvent):
                self.problems.append(Problem(
                    code="yaml-alias", source=line,
                    message=f"the alias *{event.anchor} is not allowed in a book file",
                    hint="write the value out in full (bizcli rewrites this file and "
                         "would not keep anchors and aliases)"))
                return False
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    self.problems.append(Problem(
                        code="yaml-too-deep", source=line,
                        message=f"lists and mappings are nested more than {MAX_DEPTH} "
                                "levels deep here",
                        hint="book files need a few levels; fix the indentation or brackets"))
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _STANDARD_TAGS and tag != "!":
                self.problems.append(Problem(
                    code="yaml-tag", source=line,
                    message=f"the YAML tag {tag!r} is not allowed",
                    hint="remove the tag; book files hold plain values only"))
                return False
        return True

    def ref(self, node: yaml.Node) -> SourceRef:
        """file:line of a node (lines counted from 1)."""
        return SourceRef(self.path, node.start_mark.line + 1)

    def problem(self, node: yaml.Node | None, code: str, message: str, hint: str) -> None:
        """Record a problem at a node (or at the top of the file)."""
        source = self.ref(node) if node is not None else SourceRef(self.path, 1)
        self.problems.append(Problem(code=code, message=message, source=source, hint=hint))

    def document(self, *, known_schema: int = SCHEMA_VERSION) -> Fields | None:
        """The top-level mapping, after checking its ``schema:`` version."""
        if self.root is None:
            if not self.problems:
                self.problem(None, "missing-schema", "the file is empty",
                             f"start it with 'schema: {known_schema}'")
            return None
        top = Fields.of(self, self.root, "the file")
        if top is None:
            return None
        version = top.integer("schema", required=True)
        if version is None:
            return None
        if version > known_schema:
            self.problem(top.key_node("schema"), "schema-too-new",
                         f"schema {version} is newer than this bizcli understands "
                         f"(up to {known_schema})", "upgrade bizcli to read this book")
            return None
        if version < 1:
            self.problem(top.key_node("schema"), "bad-schema",
                         f"schema {version} does not exist", f"write 'schema: {known_schema}'")
            return None
        return top


_WHOLE = re.compile(rf"[+-]?\d{{1,{WHOLE_DIGITS}}}")


def _bad_date(value: str) -> dt.date:
    raise ValueError(value)


class Fields:
    """A YAML mapping whose values are converted on request, with file:line problems."""

    def __init__(self, file: YamlFile, node: yaml.MappingNode, what: str) -> None:
        self.file = file
        self.node = node
        self.what = what
        self.values: dict[str, yaml.Node] = {}
        self.keys: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
            if name in self.values:
                file.problem(key, "duplicate-key", f"{name!r} appears twice in {what}",
                             "keep one of them")
            self.values[name] = value
            self.keys[name] = key

    @classmethod
    def of(cls, file: YamlFile, node: yaml.Node, what: str) -> Fields | None:
        """Wrap a node that must be a mapping."""
        if not isinstance(node, yaml.MappingNode):
            file.problem(node, "bad-yaml-shape", f"{what} must be a mapping of keys to values",
                         "write 'key: value' lines")
            return None
        return cls(file, node, what)

    @property
    def source(self) -> SourceRef:
        """Where this mapping starts."""
        return self.file.ref(self.node)

    def key_node(self, key: str) -> yaml.Node:
        """The node of a key, for problems about it."""
        return self.keys.get(key, self.node)

    def unknown_keys(self, allowed: set[str]) -> None:
        """Report keys that the schema does not know (typos would otherwise be ignored)."""
        for name, key in self.keys.items():
            if name not in allowed:
                self.file.problem(key, "unknown-key", f"unknown key {name!r} in {self.what}",
                                  "known keys: " + ", ".join(sorted(allowed)))

    def scalar(self, key: str, *, required: bool = False) -> tuple[str, yaml.Node] | None:
        """The raw text of a scalar value, or None when absent or null."""
        node = self.values.get(key)
        if node is None:
            if required:
                self.file.problem(self.node, "missing-key", f"{self.what} has no {key!r}",
                                  f"add '{key}: ...'")
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.file.problem(node, "bad-value", f"{key!r} must be a single value",
                              "write it on one line after the colon")
            return None
        if node.tag.endswith(":null") or (node.style is None and node.value in _NULLS):
            if required:
                self.file.problem(node, "missing-key", f"{key!r} is empty", "give it a value")
            return None
        return node.value, node

    def text(self, key: str, *, required: bool = False) -> str | None:
        """A string exactly as written (``NO`` stays ``"NO"``); required means non-blank."""
        found = self.scalar(key, required=required)
        if found is not None and required and not found[0].strip():
            self.file.problem(found[1], "missing-key", f"{key!r} is empty", "give it a value")
            return None
        return found[0] if found else None

    def integer(self, key: str, *, required: bool = False) -> int | None:
        """A whole number in decimal; ``010`` is ten, never octal eight."""
        found = self.scalar(key, required=required)
        if found is None:
            return None
        value, node = found
        if not _WHOLE.fullmatch(value.strip()):
            self.file.problem(node, "bad-number", f"{key!r} must be a whole number, "
                              f"not {abbreviated(value)!r}",
                              f"write digits only (at most {WHOLE_DIGITS}), e.g. 12")
            return None
        return int(value, 10)

    def decimal(self, key: str, *, required: bool = False) -> Decimal | None:
        """An exact decimal; ``12.10`` keeps both decimals."""
        found = self.scalar(key, required=required)
        if found is None:
            return None
        value, node = found
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value.strip()):
            self.file.problem(node, "bad-number", f"{key!r} must be a number like 12.50, "
                              f"not {value!r}", "use '.' for decimals and no separators")
            return None
        try:
            return Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern above excludes it
            return None

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        """A calendar date written YYYY-MM-DD."""
        found = self.scalar(key, required=required)
        if found is None:
            return None
        value, node = found
        # fromisoformat alone would also take 20260630 and 2026-W27-1 on Python 3.11.
        strict = re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip())
        try:
            return dt.date.fromisoformat(strict.group()) if strict else _bad_date(value)
        except ValueError:
            self.file.problem(node, "bad-date", f"{key!r} must be a date YYYY-MM-DD, "
                              f"not {value!r}", "e.g. 2026-12-31")
            return None

    def mapping(self, key: str) -> Fields | None:
        """A nested mapping, or None when absent."""
        node = self.values.get(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value in _NULLS):
            return None
        return Fields.of(self.file, node, f"{key!r}")

    def sequence(self, key: str) -> list[yaml.Node]:
        """The items of a list value (empty when absent)."""
        node = self.values.get(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value in _NULLS):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.file.problem(node, "bad-yaml-shape", f"{key!r} must be a list",
                              "write one '- item' per line")
            return []
        return list(node.value)
