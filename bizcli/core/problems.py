"""What is wrong with the user's data or arguments: one value type, collected, not raised.

Readers and checks return lists of ``Problem``. Only a write command that refuses, or
the CLI boundary, raises ``BizcliError`` carrying them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from bizcli.core.source import SourceRef


class Severity(str, enum.Enum):
    """How bad a problem is: errors block, warnings are shown."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong, with a stable kebab-case ``code`` and where it is."""

    code: str
    message: str
    source: SourceRef | None = None
    hint: str | None = None
    excerpt: tuple[str, ...] = field(default=(), compare=False)
    severity: Severity = Severity.ERROR

    def sort_key(self) -> tuple[int, str, int, str]:
        """Order problems by file, then line, then code; those with no file come last."""
        if self.source is None:
            return (1, "", 0, self.code)
        return (0, self.source.path, self.source.line, self.code)

    def one_line(self) -> str:
        """``path:line: error[code]: message``, the first line users read."""
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.severity.value}[{self.code}]: {self.message}"


CROSS_CHECKS = frozenset({"inventory-drift"})
"""Codes of checks between two ledgers (journal and stock). They fail ``biz check`` but
do not stop reports, which are what a user needs to find the cause."""


def blocking(problems: Iterable[Problem]) -> list[Problem]:
    """The errors that stop a report: every error but the cross-checks."""
    return [p for p in problems if p.severity is Severity.ERROR and p.code not in CROSS_CHECKS]


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order (path, line, code)."""
    return sorted(problems, key=Problem.sort_key)


def has_errors(problems: Iterable[Problem]) -> bool:
    """True if any problem is an error rather than a warning."""
    return any(p.severity is Severity.ERROR for p in problems)


class BizcliError(Exception):
    """Raised when a command refuses to go on; carries the problems that stopped it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted_problems(problems))
        super().__init__("; ".join(p.one_line() for p in self.problems))


def fail(code: str, message: str, *, hint: str | None = None,
         source: SourceRef | None = None) -> BizcliError:
    """Build a ``BizcliError`` for a single problem, to be raised by the caller."""
    return BizcliError([Problem(code=code, message=message, hint=hint, source=source)])
