"""Any text, to any parser: a value, or problems that name file:line; never a traceback, a
hang or a line that does not exist (``targets.py`` states each parser's promise).

``python tests/fuzzing/run.py`` runs the long version; ``BIZ_FUZZ_EXAMPLES`` sets its size.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

import pytest
from hypothesis import given, settings

from .targets import COUNTS, TARGETS, check

HANG_SECONDS = 30
"""An input still being parsed after this long is a hang (the deadline only sees calls
that end)."""


class Hang(Exception):  # noqa: N818 - what it reports is a hang
    """A parser did not return in ``HANG_SECONDS``."""


@contextlib.contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Raise ``Hang`` in the parser if it runs longer than ``seconds``."""
    def interrupt(_signal: int, _frame: object) -> None:
        raise Hang(f"no answer in {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_any_input_gives_a_value_or_problems_with_file_and_line(name: str) -> None:
    target = TARGETS[name]

    @settings(settings.get_profile("bizcli-fuzz"))
    @given(text=target.inputs)
    def parse(text: str) -> None:
        COUNTS[name] += 1
        with watchdog(HANG_SECONDS):
            check(target, text)

    parse()
