"""Git merge conflicts left in a book file: found before the file is read as data.

A ``git pull`` or ``git merge`` that could not join two edits of the same lines leaves
both versions in the file between marker lines::

    <<<<<<< HEAD
    (this side)
    =======
    (the other side)
    >>>>>>> branch

Read as a journal or as YAML, that is a cascade of puzzling errors. bizcli names the
conflict instead, with the lines of its markers, and does not read the file further.
"""

from __future__ import annotations

import re

from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef

_MARKERS = re.compile(r"^(<{7}|={7}|>{7})(?:[ \t].*)?$", re.MULTILINE)


def conflict_problems(path: str, text: str) -> list[Problem]:
    """One problem per unresolved conflict (``<<<<<<<``, ``=======``, ``>>>>>>>`` in order)."""
    if "<<<<<<<" not in text:
        return []
    out = []
    opened: int | None = None
    middle: int | None = None
    for match in _MARKERS.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        mark = match.group(1)[0]
        if mark == "<":
            opened, middle = line, None
        elif mark == "=" and opened is not None:
            middle = line
        elif mark == ">" and opened is not None and middle is not None:
            out.append(Problem(
                code="merge-conflict", source=SourceRef(path, opened, line),
                message=f"an unresolved git merge conflict (lines {opened}-{line}, the two "
                        f"sides split at line {middle})",
                hint="keep the side you want (or both), delete the three marker lines, then "
                     "run 'biz check'"))
            opened = middle = None
    return out
