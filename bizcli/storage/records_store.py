"""Add or edit a record (customer, supplier, item, warehouse) in its YAML file.

A new entry is appended to the file's list as text, and an edited entry's lines are
replaced by the entry written anew, so the rest of the file (comments, other entries,
their layout) stays byte for byte as it was; the result is read back and checked before
it is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from bizcli.core.codes import closest
from bizcli.core.problems import BizcliError, Problem, fail
from bizcli.core.stock.items import Item, ItemKind
from bizcli.core.text import WHOLE_DIGITS
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.yaml_reader import YamlFile

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_ENTRY = re.compile(r"^(\s*)- code:", re.MULTILINE)

Reader = Callable[[str], tuple[Sequence[object], list[Problem]]]


Check = Callable[[Path, object, object], list[Problem]]
"""A rule on an edit beyond the file's own: (book, record before, after) -> problems."""


class RecordFile(NamedTuple):
    """A master file and what it takes to change it.

    Its path, its list's key, its reader, the problem of a code listed twice (``code``)
    and of a code it does not list (``unknown``), and a rule on edits (``check``).
    """

    rel: str
    list_key: str
    read: Reader
    code: str
    unknown: str
    check: Check | None = None


def append_record(root: Path, file: RecordFile, entry: Mapping[str, object]) -> str:
    """Validate and append ``entry`` under the book lock; returns the lines written."""
    with book_lock(root):
        return append_record_locked(root, file, entry)


def append_record_locked(root: Path, file: RecordFile, entry: Mapping[str, object]) -> str:
    """``append_record`` for a caller that holds the book lock."""
    rel, list_key, read, duplicate_code = file.rel, file.list_key, file.read, file.code
    code = str(entry["code"])
    if not CODE.fullmatch(code):
        raise fail("bad-code", f"{code!r} is not a code",
                   hint="codes are letters, digits and . _ / -, starting with a letter or "
                        "digit")
    path = root / rel
    text = path.read_bytes().decode("utf-8") if path.exists() else (
        f"schema: 1\n{list_key}:\n")
    before, problems = read(text)
    if problems:
        raise BizcliError(problems)
    if any(getattr(record, "code", None) == code for record in before):
        raise fail(duplicate_code, f"{code!r} is already in {rel}",
                   hint=f"choose another code, or see 'biz {list_key[:-1]} show {code}'")
    found = _ENTRY.findall(text)
    indent = found[-1] if found else ""
    lines = "".join(f"{indent}{line}\n" for line in dump_yaml([dict(entry)]).splitlines())
    newline = _newline(text)
    new_text = text + ("" if text.endswith(("\n", "\r")) else newline) + lines.replace(
        "\n", newline)
    after, problems = read(new_text)
    if problems or len(after) != len(before) + 1:
        raise fail("unwritable-records", f"{rel} does not end with its {list_key} list, "
                   "so the new entry cannot be appended safely",
                   hint=f"move '{list_key}:' to the end of the file, then try again")
    write_atomic(path, new_text)
    return lines


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """What ``biz ... edit`` changes in one entry; everything else is kept as written.

    The entry's keys keep their order and new ones go after them. ``values`` replaces
    top-level keys; ``clear`` removes keys; ``contact`` and ``clear_contact`` set and
    remove keys of the first contact (made, named after the record, when there is none);
    ``fields`` sets free custom fields, and removes those given ``None``.
    """

    values: Mapping[str, object] = field(default_factory=dict)
    clear: tuple[str, ...] = ()
    contact: Mapping[str, str] = field(default_factory=dict)
    clear_contact: tuple[str, ...] = ()
    fields: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """True when the change names nothing to change."""
        return not (self.values or self.clear or self.contact or self.clear_contact
                    or self.fields)

    def apply(self, entry: Mapping[str, object]) -> dict[str, object]:
        """The entry after the change (``entry`` itself is not modified)."""
        new = dict(entry)
        if self.contact or self.clear_contact:  # first: a new contacts list goes after name
            contacts = new.get("contacts")
            people = list(contacts) if isinstance(contacts, list) else []
            first = dict(people[0]) if people and isinstance(people[0], dict) else None
            if first is None and self.contact:
                first = {"name": self.contact.get("name") or self.values.get("name")
                         or new.get("name")}
                people.insert(0, first)
            if first is not None:
                first.update(self.contact)
                for key in self.clear_contact:
                    first.pop(key, None)
                people[0] = first
                new["contacts"] = people
        new.update(self.values)
        for key in self.clear:
            new.pop(key, None)
        if self.fields:
            extra = new.get("fields")
            kept = dict(extra) if isinstance(extra, dict) else {}
            for key, value in self.fields.items():
                if value is None:
                    kept.pop(key, None)
                else:
                    kept[key] = value
            if kept:
                new["fields"] = kept
            else:
                new.pop("fields", None)
        return new


class Edited(NamedTuple):
    """What an edit wrote (or would write).

    The entry's new lines, whether anything changed, and whether its old lines held
    comments, which are not kept.
    """

    lines: str
    changed: bool
    dropped_comments: bool = False


def edit_record(root: Path, file: RecordFile, code: str, change: Change, *,
                dry_run: bool = False) -> Edited:
    """Rewrite the entry of ``code`` in ``file`` under the book lock; returns its lines.

    Only the entry's own lines are replaced: from its ``- code:`` line to its last
    value. Comment lines after it (often the heading of the next entry) and the rest of
    the file are kept byte for byte. The new file must read back with no problems, the
    same records, the other ones unchanged, and the entry as meant, or nothing is
    written, nor when the file's ``check`` finds a problem (an item's unit cannot
    change under its stock moves).
    """
    rel, list_key, read = file.rel, file.list_key, file.read
    noun = list_key[:-1]
    with book_lock(root):
        path = root / rel
        text = path.read_bytes().decode("utf-8") if path.exists() else ""
        before, problems = read(text) if text else ([], [])
        if problems:
            raise BizcliError(problems)
        old_record = next((r for r in before if getattr(r, "code", None) == code), None)
        if old_record is None:
            near = closest(code, (str(getattr(r, "code", "")) for r in before))
            raise fail(file.unknown, f"{noun} {code!r} is not in {rel}{near}",
                       hint=f"'biz {noun} list' shows them; 'biz {noun} add' adds one")
        found = _find_entry(text, rel, list_key, code)
        old = _data(found.node)
        assert isinstance(old, dict)
        new = change.apply(old)
        lines = "".join(f"{found.indent}{line}\n" for line in dump_yaml([new]).splitlines())
        if new == old:
            return Edited(text[found.start:found.end].replace("\r\n", "\n"), changed=False)
        new_text = text[:found.start] + lines.replace("\n", _newline(text)) + text[found.end:]
        after, problems = read(new_text)
        if problems:
            raise BizcliError([Problem(code=p.code, message=f"{noun} {code} would not be "
                                       f"valid: {p.message}", hint=p.hint) for p in problems])
        new_record = next((r for r in after if getattr(r, "code", None) == code), None)
        others_before = [r for r in before if r is not old_record]
        others_after = [r for r in after if r is not new_record]
        if (new_record is None or others_after != others_before
                or _data(_find_entry(new_text, rel, list_key, code).node) != new):
            raise fail("unwritable-records", f"{rel} could not be rewritten around {code!r} "
                       "without changing other entries; nothing was written",
                       hint=f"edit the entry in {rel} by hand; 'biz check' validates it")
        if file.check is not None:
            problems = file.check(root, old_record, new_record)
            if problems:
                raise BizcliError(problems)
        if not dry_run:
            write_atomic(path, new_text)
    return Edited(lines, changed=True,
                  dropped_comments=_comments(text[found.start:found.end], found.node))


class _Entry(NamedTuple):
    node: yaml.MappingNode
    start: int
    """Index of the first character of the entry's first line (its ``-``'s line)."""
    end: int
    """Index just after the line break that ends the entry's last line."""
    indent: str
    """What stands before the ``-``."""


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as a line break."""
_ENDS = "\r\n\x85\u2028\u2029"


def _newline(text: str) -> str:
    """The file's line break (that of its first line): new lines are written with it."""
    found = re.search("\r\n|[\r\n]", text)
    return found.group() if found else "\n"

_DASH = re.compile(r"([ \t]*)-(?:[ \t]|\Z)")


def _find_entry(text: str, rel: str, list_key: str, code: str) -> _Entry:
    """Where the entry of ``code`` is written in the text of its (valid) file."""
    root = YamlFile(rel, text).root
    entries: list[yaml.Node] = [] if not isinstance(root, yaml.MappingNode) else next(
        (value.value for key, value in root.value
         if key.value == list_key and isinstance(value, yaml.SequenceNode)), [])
    node = next((n for n in entries if isinstance(n, yaml.MappingNode) and any(
        k.value == "code" and isinstance(v, yaml.ScalarNode) and v.value == code
        for k, v in n.value)), None)
    starts = [0, *(m.end() for m in _BREAK.finditer(text))]
    lines = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    first = -1 if node is None else node.start_mark.line
    dash = None
    if node is not None:
        dash = _DASH.match(lines[first].rstrip(_ENDS))
        while dash is None and first > 0 and not lines[first][:node.start_mark.column].strip():
            first -= 1  # "-" alone on a line, the entry's keys below it
            dash = _DASH.match(lines[first].rstrip(_ENDS))
    if node is None or dash is None:
        raise fail("unwritable-records", f"cannot find where {code!r} is written in {rel}",
                   hint=f"write it as '- code: {code}' with one key per line below it")
    last = max(_last_line(n) for n in _leaves(node))
    while last > first and not lines[last].strip():
        last -= 1  # blank lines a block scalar ends with stay where they are
    end = starts[last + 1] if last + 1 < len(starts) else len(text)
    return _Entry(node, starts[first], end, dash.group(1))


def _comments(block: str, node: yaml.Node) -> bool:
    """True when the entry's lines hold a '#' that none of its keys and values has."""
    def hashes(part: yaml.Node) -> int:
        if isinstance(part, yaml.ScalarNode):
            return str(part.value).count("#")
        return sum(hashes(p) for pair in part.value for p in (
            pair if isinstance(pair, tuple) else (pair,)))
    return block.count("#") > hashes(node)


def _leaves(node: yaml.Node) -> list[yaml.Node]:
    """The nodes whose end mark is exact: scalars and flow collections."""
    if isinstance(node, yaml.ScalarNode) or (
            isinstance(node, yaml.CollectionNode) and node.flow_style):
        return [node]
    if isinstance(node, yaml.MappingNode):
        return [leaf for pair in node.value for part in pair for leaf in _leaves(part)]
    if isinstance(node, yaml.SequenceNode):
        return [leaf for item in node.value for leaf in _leaves(item)]
    return []


def _last_line(node: yaml.Node) -> int:
    """The last line (from 0) holding part of a node."""
    end = node.end_mark
    return end.line if end.column > 0 else max(end.line - 1, node.start_mark.line)


_PLAIN_WHOLE = re.compile(rf"-?[1-9]\d{{0,{WHOLE_DIGITS - 1}}}|0")


def _data(node: yaml.Node) -> object:
    """Plain values of a node, each scalar kept as written.

    A plain whole number written in its usual form (``30``, up to 18 digits) stays a
    number; every other scalar is its text (``12.10``, ``NO`` and ``0123`` stay as
    written, and are quoted when written again); an empty or null value is None.
    """
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _data(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_data(item) for item in node.value]
    text = str(node.value)
    if node.tag.endswith(":null"):
        return None
    # A plain scalar's style is None with PyYAML's loader, '' with the C one.
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":int") and (
            not node.style) and _PLAIN_WHOLE.fullmatch(text):
        return int(text)
    return text


def item_check(root: Path, before: object, after: object) -> list[Problem]:
    """An item's unit cannot change, nor the item become a service, under stock moves."""
    if not isinstance(before, Item) or not isinstance(after, Item):
        return []
    to_service = after.kind is ItemKind.SERVICE and before.kind is not ItemKind.SERVICE
    if after.unit == before.unit and not to_service:
        return []
    from bizcli.storage.loader import load_book

    book, _ = load_book(root, need_stock=True)
    moves = sum(1 for move in book.stock_moves or () if move.item == after.code)
    if not moves:
        return []
    counted = f"{after.code} has {moves} stock move{'s' if moves > 1 else ''}"
    if to_service:
        return [Problem(code="service-item-stock", message=f"{counted}: it cannot become "
                        "a service item, which has no stock",
                        hint="keep its kind, or add a new service item")]
    return [Problem(code="wrong-unit", message=f"{counted} counted in {before.unit}: its "
                    f"unit cannot become {after.unit}",
                    hint=f"keep the unit, or add a new item counted in {after.unit}")]


def merge_entries_locked(root: Path, file: RecordFile, keep: str, gone: str,
                         merge: Callable[[dict[str, object], dict[str, object]],
                                         dict[str, object]]) -> str:
    """Replace ``keep``'s entry by ``merge(keep's, gone's)`` and remove ``gone``'s.

    For a caller that holds the book lock. The rest of the file stays byte for byte;
    the result must read back with ``gone`` gone and the others unchanged, or nothing
    is written. Returns the new text (not yet written: the caller writes it).
    """
    rel, list_key, read = file.rel, file.list_key, file.read
    text = (root / rel).read_bytes().decode("utf-8")
    before, problems = read(text)
    if problems:
        raise BizcliError(problems)
    kept, dropped = (_find_entry(text, rel, list_key, c) for c in (keep, gone))
    old, other = _data(kept.node), _data(dropped.node)
    assert isinstance(old, dict)
    assert isinstance(other, dict)
    lines = "".join(f"{kept.indent}{line}\n" for line in dump_yaml([merge(old, other)])
                    .splitlines()).replace("\n", _newline(text))
    pieces = sorted([(kept.start, kept.end, lines), (dropped.start, dropped.end, "")])
    new_text, done = "", 0
    for start, end, replacement in pieces:
        new_text += text[done:start] + replacement
        done = end
    new_text += text[done:]
    after, problems = read(new_text)
    codes = [getattr(r, "code", None) for r in after]
    if problems or gone in codes or codes != [getattr(r, "code", None) for r in before
                                              if getattr(r, "code", None) != gone]:
        raise fail("unwritable-records", f"{rel} could not be rewritten without {gone}",
                   hint=f"merge the entries in {rel} by hand; 'biz check' validates it")
    return new_text
