"""Writing a close: the period's reports, the lock date in biz.yaml, a reopen's note, git.

The lock date is the last thing a close writes: until it is in biz.yaml the period is
not closed, and reports written before a failure are simply written again next time.
biz.yaml is edited as text, so its comments and layout stay as the owner wrote them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from bizcli.core.ledger.transactions import Transaction
from bizcli.core.problems import fail
from bizcli.storage.atomic import write_atomic
from bizcli.storage.journal_store import journal_file_for
from bizcli.storage.journal_writer import write_transaction
from bizcli.storage.loader import JOURNAL_DIR, SETTINGS_FILE

REPORTS_DIR = "reports"
_LOCK_LINE = re.compile(r"^lock_date:[^\n]*$", re.MULTILINE)


def set_lock_date(root: Path, day: dt.date | None) -> None:
    """Set (or with None, clear) ``lock_date`` in biz.yaml; the caller holds the lock."""
    path = root / SETTINGS_FILE
    text = path.read_text(encoding="utf-8")
    line = f"lock_date: {day.isoformat() if day else 'null'}"
    if _LOCK_LINE.search(text):
        text = _LOCK_LINE.sub(line, text, count=1)
    else:
        text = (text if text.endswith("\n") else text + "\n") + line + "\n"
    write_atomic(path, text)


def write_reports(root: Path, label: str, files: Mapping[str, str]) -> list[str]:
    """Write ``reports/LABEL/NAME`` for each file; returns the paths, relative to the book."""
    out = []
    for name, text in sorted(files.items()):
        rel = f"{REPORTS_DIR}/{label}/{name}"
        write_atomic(root / rel, text)
        out.append(rel)
    return out


def add_journal_note(root: Path, year: int, text: str) -> str:
    """Append comment lines to ``journal/YEAR.journal``; returns the file, relative."""
    rel = f"{JOURNAL_DIR}/{year}.journal"
    path = root / rel
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    body = old if not old or old.endswith("\n") else old + "\n"
    lines = "".join(f"; {line}\n" if line else ";\n" for line in text.splitlines())
    write_atomic(path, body + ("\n" if body.strip() else "") + lines)
    return rel


def open_year(root: Path, opening: Transaction, precisions: Mapping[str, int],
              fiscal_year_start: tuple[int, int]) -> str:
    """Put the opening entry first in the new year's file (made if missing).

    First, not at its date's place: its balance assertions hold the balances before
    anything else of the new year, even entries already written on its first day.
    """
    rel = journal_file_for(opening, fiscal_year_start)
    path = root / rel
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    entry = write_transaction(opening, precisions)
    write_atomic(path, entry + ("\n" + old if old.strip() else ""))
    return rel


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git")
    if git is None:
        raise fail("git-not-ready", "--git needs git, and it is not installed",
                   hint="install git, or close without --git")
    return subprocess.run([git, "-C", str(root), *args],  # noqa: S603 (our arguments)
                          capture_output=True, text=True, check=False)


def check_git_ready(root: Path, tag: str) -> None:
    """Refuse ``--git`` unless the book is in a git work tree with nothing uncommitted."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise fail("git-not-ready", f"{root} is not in a git repository",
                   hint="run 'git init' and commit the book first, or close without --git")
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    changed = [line for line in status.stdout.splitlines()
               if not line[3:].startswith(".biz/")]
    if status.returncode != 0 or changed:
        raise fail("git-not-ready", f"the book has uncommitted changes ({len(changed)} "
                   f"file(s), e.g. {changed[0][3:] if changed else '?'})",
                   hint="commit or stash them first, so the close commit holds the close only")
    if _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}").returncode == 0:
        raise fail("git-not-ready", f"the tag {tag} exists already",
                   hint=f"delete it ('git tag -d {tag}') if that close was undone")


def commit_and_tag(root: Path, message: str, tag: str) -> None:
    """Commit everything the close wrote in the book and tag the commit."""
    for args in (("add", "--all", "--", "."), ("commit", "--quiet", "-m", message),
                 ("tag", "-a", tag, "-m", message)):
        done = _git(root, *args)
        if done.returncode != 0:
            raise fail("git-not-ready", f"git {args[0]} failed: "
                       f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}",
                       hint="the books are closed; commit and tag by hand")
