"""What the undo log costs the write commands, on the 100k trading book.

Usage:
    python benchmarks/writes.py --baseline d3a635a    # this tree against a commit
    python benchmarks/writes.py --no-readme           # print only

The book is ``run.py``'s trading book (``/tmp/bizcli-bench/100k-trade``: 100k entries,
100k stock moves, 300 open orders; ``python benchmarks/run.py`` makes it). Each row runs
one write command on a fresh copy of a snapshot with a warm cache (the copy is not
timed), the best and the median of ``--repeat`` runs, in a fresh process. With
``--baseline REV`` the same rows run the code of commit REV too (checked out into a
temporary worktree and put first on ``PYTHONPATH``), so the difference is what the
commits since REV cost.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
MARK = "<!-- writes-benchmark -->"
ORDER, DAY = "SO-2026-0001", "2026-12-31"
ROWS = (
    ("biz sale ship of one order", "book", ["sale", "ship", ORDER, "--date", DAY]),
    ("biz sale invoice of one order", "shipped", ["sale", "invoice", ORDER, "--date", DAY]),
    ("biz stock adjust, back-dated to March", "book",
     ["stock", "adjust", "ITEM-0001", "5", "MAIN", "--date", "2026-03-01", "--cost", "900"]),
    ("biz stock repost after it", "adjusted", ["stock", "repost"]),
    ("biz post one entry", "book", ["post", DAY, "Bench", "Expenses:Consulting", "10",
                                    "Assets:Bank:Checking", "-10"]),
)


def timed(code: Path | None, snapshot: Path, work: Path, args: list[str],
          repeat: int) -> list[float]:
    """Seconds of ``biz -B WORK ARGS`` per run, each on a fresh copy of ``snapshot``."""
    env = {**os.environ, "BIZ_TODAY": DAY}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    times = []
    for _ in range(repeat):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(snapshot, work)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "bizcli", "-B", str(work), *args],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              check=False, cwd=work.parent)  # not a folder holding bizcli/
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"biz {' '.join(args)} failed: {done.stderr.decode()[-400:]}")
    return times


def main() -> int:
    """Time the rows (and the baseline's), print the table, record it in the README."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=Path(tempfile.gettempdir())
                        / "bizcli-bench" / "100k-trade")
    parser.add_argument("--baseline", help="a commit to compare with")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    if not (args.book / "book" / "biz.yaml").exists():
        raise SystemExit(f"no trading book in {args.book}: run benchmarks/run.py first")
    with tempfile.TemporaryDirectory() as scratch:
        base = None
        if args.baseline:
            base = Path(scratch) / "baseline"
            subprocess.run(["git", "-C", str(HERE.parent), "worktree", "add", "--detach",
                            "-q", str(base), args.baseline], check=True)
        try:
            lines = _table(args, base, Path(scratch) / "work")
        finally:
            if base is not None:
                subprocess.run(["git", "-C", str(HERE.parent), "worktree", "remove",
                                "--force", str(base)], check=False)
    block = "\n".join(lines)
    sys.stdout.write(block + "\n")
    if not args.no_readme:
        text = README.read_text(encoding="utf-8")
        start, end = text.index(MARK), text.rindex(MARK)
        README.write_text(text[:start] + f"{MARK}\n{block}\n" + text[end:], encoding="utf-8")
    return 0


def _direct(book: Path, work: Path, repeat: int) -> list[str]:
    """The protocol alone, in-process: three files replaced, without and with the log."""
    from bizcli.storage.atomic import book_lock, write_atomic
    from bizcli.storage.hashing import content_hash
    from bizcli.storage.transaction import note_read

    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(book, work)
    files = [work / "journal" / "2026.journal", work / "stock" / "2026.stock",
             work / "sales" / "2026.yaml"]
    texts = [path.read_text(encoding="utf-8") for path in files]
    hashes = [content_hash(path.read_bytes()) for path in files]  # the load's, untimed

    def plain() -> None:
        for path, text in zip(files, texts, strict=True):
            write_atomic(path, text)

    def logged() -> None:
        with book_lock(work):
            for path, digest in zip(files, hashes, strict=True):
                note_read(work, path.relative_to(work).as_posix(), digest)
            plain()

    best = {}
    for name, write in (("plain", plain), ("logged", logged)):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            write()
            times.append(time.perf_counter() - start)
        best[name] = min(times)
    size = sum(path.stat().st_size for path in files) / 1e6
    return ["", (f"Replacing the journal, stock and sales files ({size:.1f} MB) in-process: "
            f"{best['plain'] * 1000:.0f} ms as plain atomic writes, "
            f"{best['logged'] * 1000:.0f} ms as one transaction (best of {repeat}).")]


def _table(args: argparse.Namespace, base: Path | None, work: Path) -> list[str]:
    head = "| Command | best (s) | median (s) |"
    rule = "|---|---:|---:|"
    if base is not None:
        head += f" {args.baseline}: best (s) | median (s) | difference of the best |"
        rule += "---:|---:|---:|"
    lines = [head, rule]
    for snapshot in sorted({snapshot for _, snapshot, _ in ROWS}):
        subprocess.run([sys.executable, "-m", "bizcli", "-B", str(args.book / snapshot),
                        "check"], env={**os.environ, "BIZ_TODAY": DAY}, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cwd=work.parent)  # warms the snapshot's cache, untimed
    for label, snapshot, argv in ROWS:
        now = timed(None, args.book / snapshot, work, argv, args.repeat)
        row = f"| {label} | {min(now):.3f} | {statistics.median(now):.3f} |"
        if base is not None:
            then = timed(base, args.book / snapshot, work, argv, args.repeat)
            row += (f" {min(then):.3f} | {statistics.median(then):.3f} | "
                    f"{min(now) - min(then):+.3f} |")
        lines.append(row)
    return [*lines, *_direct(args.book / "book", work, args.repeat)]


if __name__ == "__main__":
    sys.exit(main())
