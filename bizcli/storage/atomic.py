"""Atomic writes: temp file in the same folder, fsync, rename; all or nothing per command.

A crash mid-write leaves the old file whole. Under the book's lock (``book_lock``) every
write to a book file is part of the command's transaction (see ``transaction``): a
command that fails or is killed after writing some files leaves none of its change.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bizcli.core.problems import BizcliError, fail
from bizcli.storage.transaction import active, book_transaction, fsync_dir

__all__ = ["book_lock", "fsync_dir", "unwritable", "write_atomic", "write_output"]


@contextlib.contextmanager
def book_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the book's write lock for one command's change, written all or nothing.

    Waits up to ``timeout`` seconds (default 30, or ``$BIZ_LOCK_TIMEOUT``) for another
    writer. An error inside the block undoes every file it wrote.
    """
    with book_transaction(root, timeout):
        yield


def write_atomic(path: Path, text: str, *, explicit: bool = False) -> None:
    """Replace ``path`` with ``text`` (UTF-8) so readers see the old or the new file.

    ``explicit``: a file the user named on the command line, not a book file; it is
    written where it says, even through a symbolic link, and is not part of the change.
    """
    transaction = None if explicit else active()
    if transaction is not None:
        transaction.before_write(path)
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
    except BaseException as err:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        if isinstance(err, OSError) and err.filename is None:
            err.filename = str(path)  # "No space left on device" needs to say where
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
        write_atomic(path, text, explicit=True)
    except OSError as err:
        raise unwritable(path, err) from None
