"""Whole-or-nothing writes: every command that changes the book is one transaction.

A command's change often spans files (a shipment writes the stock file, the journal and
the order). Each file is replaced atomically, but a crash between two files would leave
half a shipment. So, while it holds the book's lock, a command keeps an undo log in
``.biz/undo/``, the protocol of docs/reliability.md:

1. Take the lock (``.biz/lock``, an OS file lock the kernel drops when its holder dies,
   however it dies: a killed command never leaves a stale lock behind).
2. If ``.biz/undo/log`` exists, an earlier command died while writing: roll it back.
3. Before a file is replaced for the first time, keep the old one (a hard link, or a copy
   where links are not possible) as ``.biz/undo/N`` and append ``N path`` to the log; a
   file that did not exist is logged as ``- path``. The log is fsynced before the file
   is touched.
4. Write each file atomically (a temp file in the same folder, fsync, rename, fsync).
5. Commit: delete the log. That one unlink is the moment the command takes effect.
6. Delete the kept copies.

Rolling back (an error inside the command, or a log found in step 2) puts each kept
file back, deletes the new ones and any temp file left beside them, then deletes the
log. Doing it twice does no harm, so a rollback that is itself killed is simply done
again by the next command. A command that only reads the book and finds a log waits for
the lock, which rolls the log back, so it never reads half a change.

The transaction also remembers the content hash of every file the command's load read.
A file that someone changed on disk since (an editor, a ``git pull``) is refused at its
first write: the command decided on what it read, which is no longer there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from filelock import FileLock, Timeout

from bizcli.core.problems import fail
from bizcli.storage.hashing import content_hash
from bizcli.storage.location import within_book

LOCK_TIMEOUT_SECONDS = 30.0
LOCK_FILE = Path(".biz") / "lock"
UNDO_DIR = Path(".biz") / "undo"
LOG_NAME = "log"
GENERATION = Path(".biz") / "generation"
_READ_ATTEMPTS = 3
T = TypeVar("T")
_HEADER = "bizcli-undo 1"
_NEW = "-"


@dataclass(slots=True)
class Transaction:
    """The undo log of the command holding the lock on ``root``."""

    root: Path
    kept: dict[str, str] = field(default_factory=dict)
    """Book-relative path of every file written so far -> its undo entry (N or '-')."""
    seen: dict[str, str] = field(default_factory=dict)
    """Book-relative path -> content hash when the command's load first read it."""
    log: Path | None = None

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the book, or None for a file outside it (a user's -o)."""
        try:
            return _absolute(path).relative_to(self.root).as_posix()
        except ValueError:
            return None

    def before_write(self, path: Path) -> None:
        """Log ``path``'s old content before it is first replaced; refuse a changed file."""
        rel = self.relative(path)
        if rel is None or rel in self.kept or rel.startswith(".biz/"):
            return
        _inside_book(self.root, path, rel)
        current = _hash_of(path)
        if rel in self.seen and current != self.seen[rel]:
            raise fail("file-changed", f"{rel} changed on disk while this command ran "
                       "(an editor or a git pull?); nothing was written",
                       hint="run the command again: it will read the file as it is now")
        undo = self.root / UNDO_DIR
        if self.log is None:
            undo.mkdir(parents=True, exist_ok=True)
            _clear(undo)
            self.log = undo / LOG_NAME
            started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            command = " ".join(["biz", *sys.argv[1:]])[:200].replace("\n", " ")
            _append(self.log, f"{_HEADER} pid={os.getpid()} started={started} {command}\n")
            fsync_dir(undo)
        entry = _NEW
        if current != "missing":
            entry = str(len(self.kept) + 1)
            _keep(path, undo / entry)
        _append(self.log, f"{entry} {rel}\n")
        if entry != _NEW:
            fsync_dir(undo)
        self.kept[rel] = entry

    def commit(self) -> None:
        """Make the change final: delete the log, then the kept copies."""
        if self.log is None:
            return
        _bump_generation(self.root)  # before the commit: a reader sees the log or the bump
        self.log.unlink()  # the commit point
        undo, self.log = self.log.parent, None
        with contextlib.suppress(OSError):  # done is done: the next command tidies up
            fsync_dir(undo)
            _clear(undo)

    def roll_back(self) -> None:
        """Put the book back as it was before the command's first write."""
        if self.log is not None:
            roll_back(self.root)
            self.log = None


_ACTIVE: list[Transaction] = []


def active(root: Path | None = None) -> Transaction | None:
    """The transaction of the command running in this process (on ``root``, if given)."""
    if not _ACTIVE:
        return None
    if root is not None and _absolute(root) != _ACTIVE[-1].root:
        return None
    return _ACTIVE[-1]


@contextlib.contextmanager
def book_transaction(root: Path, timeout: float | None = None) -> Iterator[Transaction]:
    """Hold the book's lock, finish an interrupted command, and write all or nothing.

    Inside, every ``write_atomic`` to a book file is logged first; the change commits
    when the block ends and rolls back if it raises. A nested block joins the outer one.
    """
    root = _absolute(root)
    outer = active(root)
    if outer is not None:
        yield outer
        return
    with _locked(root, timeout):
        interrupted = roll_back(root)
        if interrupted:
            sys.stderr.write(f"note: an earlier command stopped while writing ({interrupted});"
                             " its changes were rolled back\n")
        transaction = Transaction(root)
        _ACTIVE.append(transaction)
        try:
            yield transaction
            transaction.commit()
        except BaseException:
            transaction.roll_back()  # nothing to do once the commit's unlink is done
            raise
        finally:
            _ACTIVE.remove(transaction)


def finish_interrupted(root: Path) -> None:
    """Roll back a command that died mid-write, before anything reads the book.

    Cheap when there is nothing to do (one ``stat``). Otherwise it takes the lock, which
    also waits for a command still writing, so a reader never reads what a dead command
    left.
    """
    if active(root) is None and (root / UNDO_DIR / LOG_NAME).exists():
        try:
            with book_transaction(root):
                pass
        except PermissionError as err:
            raise fail("unfinished-write", f"{root} holds a change an earlier command did "
                       f"not finish, and it cannot be rolled back here: {err.strerror}",
                       hint="run any biz command where the book may be written") from None


def consistent_read(root: Path, read: Callable[[], T]) -> T:
    """``read()`` the book as one state: again, after waiting, if a write overlapped it.

    Readers take no lock (two reports never wait for each other). Instead a write bumps
    ``.biz/generation`` before it commits or rolls back, and keeps its undo log while it
    writes; a read that starts and ends with no log and the same generation saw no write.
    Inside a write command (which holds the lock) the book cannot change: read once.
    """
    if active(root) is not None:
        return read()
    for _ in range(_READ_ATTEMPTS):
        before = _generation(root)
        if before is not None:
            result = read()
            if _generation(root) == before:
                return result
        _wait_for_writer(root)
    return read()


def _generation(root: Path) -> str | None:
    """The book's write generation; None while a write is under way."""
    try:
        generation = (root / GENERATION).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        generation = ""
    return None if (root / UNDO_DIR / LOG_NAME).exists() else generation


def _bump_generation(root: Path) -> None:
    with contextlib.suppress(OSError):
        (root / GENERATION).write_text(f"{os.getpid()} {time.time_ns()}\n", encoding="utf-8")


def _wait_for_writer(root: Path) -> None:
    """Wait for the write under way (or roll back a dead one); a pause where we may not."""
    try:
        with book_transaction(root):
            pass
    except OSError:
        time.sleep(0.05)


def note_read(root: Path, rel: str, digest: str) -> None:
    """Tell the running command's transaction what a load read (the first read counts)."""
    transaction = active(root)
    if transaction is not None:
        transaction.seen.setdefault(rel, digest)


def roll_back(root: Path) -> str | None:
    """Undo what the log in ``.biz/undo`` lists; what it was rolled back from, or None.

    Idempotent: a kept copy that is gone was put back already (copies are deleted only
    after the log), and a new file that is gone was never made or is deleted already.
    """
    undo = root / UNDO_DIR
    log = undo / LOG_NAME
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        if undo.is_dir():
            _clear(undo)  # copies left by a command killed after its commit
        return None
    lines = text.split("\n")[:-1]  # a torn last line (no newline): not touched yet
    header = lines[0] if lines and lines[0].startswith(_HEADER) else ""
    # Only what this module writes: a kept copy's number and a path inside the book (a
    # log planted in a book someone sent cannot make a rollback touch other files).
    entries = [(entry, rel) for entry, _, rel in (line.partition(" ") for line in lines[1:])
               if (entry == _NEW or entry.isdigit()) and rel
               and not rel.startswith(("/", ".biz/")) and ".." not in rel.split("/")
               and within_book(root, root / rel)]
    folders: set[Path] = set()
    for entry, rel in reversed(entries):
        path = root / rel
        folders.add(path.parent)
        if entry == _NEW:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        elif (undo / entry).exists():
            (undo / entry).replace(path)
    for folder in folders:
        _remove_temps(folder, {(root / rel).name for _, rel in entries})
        fsync_dir(folder)
    _bump_generation(root)  # a reader that saw some of the change reads again
    log.unlink()
    fsync_dir(undo)
    _clear(undo)
    return header.removeprefix(_HEADER).strip() or "unknown command"


@contextlib.contextmanager
def _locked(root: Path, timeout: float | None) -> Iterator[None]:
    """The OS lock on ``.biz/lock``: say who holds it while waiting, give up after a while."""
    if timeout is None:
        timeout = _timeout_from_environment()
    (root / LOCK_FILE).parent.mkdir(exist_ok=True)
    lock = FileLock(str(root / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _holder(root)
        sys.stderr.write(f"waiting for another biz command to finish writing the book"
                         f"{f' ({holder})' if holder else ''}...\n")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise fail("book-locked", f"another biz command has held the lock on {root} "
                       f"for {timeout:.0f} s{f' ({holder})' if holder else ''}",
                       hint="wait for it to finish and run the command again") from None
    try:
        _write_holder(root)
        yield
    finally:
        with contextlib.suppress(OSError):
            (root / ".biz" / "lock.owner").unlink()
        lock.release()


def _timeout_from_environment() -> float:
    """``BIZ_LOCK_TIMEOUT`` seconds, or 30."""
    given = os.environ.get("BIZ_LOCK_TIMEOUT", "").strip()
    if not given:
        return LOCK_TIMEOUT_SECONDS
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise fail("bad-number", f"BIZ_LOCK_TIMEOUT={given!r} is not a number of seconds",
                   hint="set it to seconds to wait for the lock, e.g. 60, or unset it")
    return seconds


def _holder(root: Path) -> str:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return (root / ".biz" / "lock.owner").read_text(encoding="utf-8").strip()[:200]
    return ""


def _write_holder(root: Path) -> None:
    """Who holds the lock, for the message of a command that waits (not a lock itself)."""
    command = " ".join(["biz", *sys.argv[1:]])[:120].replace("\n", " ")
    with contextlib.suppress(OSError):
        (root / ".biz" / "lock.owner").write_text(f"pid {os.getpid()}: {command}\n",
                                                  encoding="utf-8")


def _absolute(path: Path) -> Path:
    """``path`` made absolute and normalised, symbolic links kept (unlike ``resolve``)."""
    return Path(os.path.abspath(path))  # noqa: PTH100 - resolve() would follow links


def _inside_book(root: Path, path: Path, rel: str) -> None:
    """Refuse a write that a symlink would carry out of the book."""
    if not within_book(root, path):
        raise fail("path-outside-book", f"{rel} leads outside the book through a symbolic "
                   "link; nothing was written",
                   hint="replace the link with a real folder or file inside the book")


def _hash_of(path: Path) -> str:
    try:
        return content_hash(path.read_bytes())
    except FileNotFoundError:
        return "missing"


def _keep(path: Path, copy: Path) -> None:
    """Keep the old file as ``copy``: a hard link is instant; else a durable copy."""
    try:
        os.link(path, copy)
    except OSError:
        shutil.copy2(path, copy)
        with copy.open("rb") as handle:
            os.fsync(handle.fileno())


def _append(log: Path, line: str) -> None:
    try:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as err:
        if err.filename is None:
            err.filename = str(log)
        raise


def _clear(undo: Path) -> None:
    """Delete the kept copies (never the log, which only a commit or rollback deletes)."""
    with contextlib.suppress(FileNotFoundError):
        for child in undo.iterdir():
            if child.name != LOG_NAME:
                with contextlib.suppress(FileNotFoundError):
                    child.unlink()


def _remove_temps(folder: Path, names: set[str]) -> None:
    """Delete the temp files an atomic write of one of ``names`` left in ``folder``."""
    with contextlib.suppress(FileNotFoundError):
        for child in folder.iterdir():
            if child.name.endswith(".tmp") and any(child.name.startswith(f".{name}.")
                                                   for name in names):
                with contextlib.suppress(FileNotFoundError):
                    child.unlink()


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
