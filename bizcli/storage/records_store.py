"""Add a record (customer, supplier, item, warehouse) to its YAML file.

The entry is appended to the file's list as text, so the file's comments and layout
stay as they were; the result is read back and checked before it is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from bizcli.core.problems import BizcliError, Problem, fail
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.book_files import dump_yaml

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_ENTRY = re.compile(r"^(\s*)- code:", re.MULTILINE)

Reader = Callable[[str], tuple[Sequence[object], list[Problem]]]


class RecordFile(NamedTuple):
    """A master file: its path, its list's key, its reader, its duplicate-code problem."""

    rel: str
    list_key: str
    read: Reader
    code: str


def append_record(root: Path, file: RecordFile, entry: Mapping[str, object]) -> str:
    """Validate and append ``entry`` under the book lock; returns the lines written."""
    rel, list_key, read, duplicate_code = file.rel, file.list_key, file.read, file.code
    code = str(entry["code"])
    if not CODE.fullmatch(code):
        raise fail("bad-code", f"{code!r} is not a code",
                   hint="codes are letters, digits and . _ / -, starting with a letter or "
                        "digit")
    with book_lock(root):
        path = root / rel
        text = path.read_text(encoding="utf-8") if path.exists() else (
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
        new_text = text + ("" if text.endswith("\n") else "\n") + lines
        after, problems = read(new_text)
        if problems or len(after) != len(before) + 1:
            raise fail("unwritable-records", f"{rel} does not end with its {list_key} list, "
                       "so the new entry cannot be appended safely",
                       hint=f"move '{list_key}:' to the end of the file, then try again")
        write_atomic(path, new_text)
    return lines
