"""Read a large journal on every core, in pieces digested by worker processes.

The journal is cut between entries, each piece is digested in a worker, and the
digests come back in order.

Only the digests travel back (daily sums, first uses, assertions, problems), never the
postings, so the main process stays small. Workers are forked: they share the file
texts already read (and hashed) by the loader instead of reading the files again.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from bizcli.core.ledger.digest import Digest, digest_transactions
from bizcli.storage.journal_reader import ParsedJournal, read_journal, split_journal

PARALLEL_MIN_BYTES = 2_000_000
PIECE_BYTES = 4_000_000

_WORK: dict[str, object] = {}


def worker_count(total_bytes: int) -> int:
    """How many processes to use: 1 for small books or where fork is unavailable."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    if total_bytes < PARALLEL_MIN_BYTES or cores < 2:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return cores


def _digest_piece(index: int) -> tuple[ParsedJournal, Digest]:
    pieces = _WORK["pieces"]
    is_cash = _WORK["is_cash"]
    assert isinstance(pieces, list)
    assert callable(is_cash)
    rel, first_line, text = pieces[index]
    journal = read_journal(rel, text, first_line)
    digest = digest_transactions(journal.transactions, is_cash)
    journal.transactions = []
    return journal, digest


def digest_in_parallel(texts: list[tuple[str, str]], is_cash: Callable[[str], bool],
                       workers: int) -> list[tuple[ParsedJournal, Digest]]:
    """Digest every file's pieces on ``workers`` processes; results in file order.

    ``texts`` is consumed (emptied) as it is cut into pieces, so that a large book is
    not held in memory twice.
    """
    pieces: list[tuple[str, int, str]] = []
    texts.reverse()
    while texts:
        rel, text = texts.pop()
        count = max(workers * 2, len(text) // PIECE_BYTES)
        pieces.extend((rel, line, part) for line, part in split_journal(text, count))
        del text
    _WORK.update(pieces=pieces, is_cash=is_cash)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_digest_piece, range(len(pieces))))
    finally:
        _WORK.clear()
