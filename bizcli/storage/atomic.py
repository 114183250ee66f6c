"""Atomic, locked writes: temp file in the same folder, fsync, rename, under the book lock.

A crash mid-write leaves the old file whole. The lock (``.biz/lock``, via the filelock
library) serialises writers, so two ``biz`` processes at once never lose an entry.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from bizcli.core.problems import BizcliError, fail

LOCK_TIMEOUT_SECONDS = 30.0


@contextlib.contextmanager
def book_lock(root: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the book's write lock; waits up to ``timeout`` seconds for another writer."""
    lock_dir = root / ".biz"
    lock_dir.mkdir(exist_ok=True)
    lock = FileLock(str(lock_dir / "lock"), timeout=timeout)
    try:
        with lock:
            yield
    except Timeout:
        raise fail("book-locked", f"another biz command has held the lock on {root} for "
                   f"{timeout:.0f} s", hint="wait for it to finish and run the command "
                   "again") from None


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) so readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp = Path(tmp)
        temp.chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
    fsync_dir(path.parent)


def unwritable(path: Path, err: Exception) -> BizcliError:
    """The problem of an output file (``-o FILE``, an export) that could not be written."""
    reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    return fail("unwritable-output", f"cannot write {path}: {reason}",
                hint="check that the folder exists and that you may write there")


def write_output(path: Path, text: str) -> None:
    """``write_atomic`` for a file the user named: a failure is ``unwritable-output``."""
    try:
        write_atomic(path, text)
    except OSError as err:
        raise unwritable(path, err) from None


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
