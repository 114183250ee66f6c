"""Find the book folder: ``-B/--book``, then ``BIZ_BOOK``, then upward like git."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bizcli.core.problems import fail

SETTINGS_FILE = "biz.yaml"


def find_book(explicit: str | None, cwd: Path, environ: Mapping[str, str]) -> Path:
    """The book's root folder, or a ``book-not-found`` error saying what to do."""
    given = explicit or environ.get("BIZ_BOOK") or None
    if given:
        root = (cwd / given).resolve()
        if not (root / SETTINGS_FILE).is_file():
            origin = "--book" if explicit else "BIZ_BOOK"
            raise fail("book-not-found", f"{root} has no {SETTINGS_FILE} (from {origin})",
                       hint="point it at a book folder, or create one with 'biz init DIR'")
        return root
    for folder in (cwd, *cwd.resolve().parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder.resolve()
    raise fail("book-not-found", f"no {SETTINGS_FILE} in {cwd} or any folder above it",
               hint="run inside a book, pass -B DIR, set BIZ_BOOK, or create a book "
                    "with 'biz init DIR'")


def within_book(root: Path, path: Path) -> bool:
    """Whether ``path``, with every symbolic link followed, is inside the book at ``root``.

    A book file that is a link out of the book (or sits in a linked folder) is neither
    read nor written: a book someone sent must not make bizcli read ``~/.ssh`` or
    overwrite a file elsewhere. Paths the user gives on the command line are not asked.
    """
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
