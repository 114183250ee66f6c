"""Where a value came from: a file and a line, carried by every record read from disk."""

from __future__ import annotations

from typing import NamedTuple


class SourceRef(NamedTuple):
    """A position in a book file; ``path`` is relative to the book when possible."""

    path: str
    line: int
    end_line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path
