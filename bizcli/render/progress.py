"""Progress bars for long work, on a terminal only (stderr), never in a pipe or a file.

A bar appears only once work is reported, so a quick command (a warm load) shows
nothing; it disappears when the work is done.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any


class _Bar:
    """A rich progress bar started by the first ``advance``."""

    def __init__(self, label: str, total: Callable[[], int | None]) -> None:
        self.label = label
        self.total = total
        self.progress: Any = None
        self.task: Any = None

    def advance(self, amount: int = 1) -> None:
        if self.progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                     TaskProgressColumn(), transient=True,
                                     console=Console(file=sys.stderr))
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=self.total())
        self.progress.advance(self.task, amount)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextlib.contextmanager
def progress_bar(label: str, total: Callable[[], int | None]) -> Iterator[
        Callable[[int], None] | None]:
    """Yield a function to report work done (None when stderr is not a terminal).

    ``total`` is asked once, when the first work is reported.
    """
    if not sys.stderr.isatty():
        yield None
        return
    bar = _Bar(label, total)
    try:
        yield bar.advance
    finally:
        bar.stop()
