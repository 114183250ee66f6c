"""Problems as people and scripts read them: ``path:line: error[code]: message``."""

from __future__ import annotations

import json
from collections.abc import Iterable

from bizcli.core.problems import Problem


def problem_text(problem: Problem) -> str:
    """The first line, up to three numbered excerpt lines, then the hint."""
    lines = [problem.one_line()]
    if problem.source is not None and problem.excerpt:
        first = problem.source.line
        width = len(str(first + len(problem.excerpt)))
        for offset, text in enumerate(problem.excerpt[:3]):
            lines.append(f"  {first + offset:>{width}} | {text}")
    if problem.hint:
        lines.append(f"  hint: {problem.hint}")
    return "\n".join(lines)


def problems_text(problems: Iterable[Problem]) -> str:
    """Every problem, blank-line separated."""
    return "\n".join(problem_text(p) for p in problems)


def problems_json(problems: Iterable[Problem]) -> str:
    """A JSON list with stable keys, for scripts (``-O json``)."""
    data = [{"code": p.code, "severity": p.severity.value, "message": p.message,
             "file": p.source.path if p.source else None,
             "line": p.source.line if p.source else None, "hint": p.hint}
            for p in problems]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
