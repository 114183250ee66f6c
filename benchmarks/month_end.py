"""Time the month-end commands on a large book: ``biz summary`` and ``biz close --dry-run``.

Usage:
    python benchmarks/month_end.py               # generate, time, rewrite the README block
    python benchmarks/month_end.py --no-readme   # print only
    python benchmarks/month_end.py --keep DIR    # keep the generated book in DIR

The book: ``generate.py``'s 100k-transaction book (3 years), plus ``generate_trading``
with 100,000 stock moves of 1,000 items that agree with the journal, 100 customers and
10,000 open sales orders (of one or two lines each). "Today" is pinned to 2027-01-10,
so ``biz close 2026-12 --dry-run`` checks a whole month that is over, and the summary
has this month and last month to compare.

Cold: the book's ``.biz`` cache is deleted before each run, so every file is read and
parsed (and the cache written). Warm: one untimed run first fills the cache. Each row
is the best of ``--repeat`` runs of ``biz`` in a fresh process, output to /dev/null.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
MARK = "<!-- month-end-benchmark -->"
TODAY = "2027-01-10"
COMMANDS = (("biz summary", ["summary"]),
            ("biz close 2026-12 --dry-run", ["close", "2026-12", "--dry-run"]))


def generate(root: Path) -> float:
    """Write the book into ``root``; returns the seconds it took."""
    sys.path.insert(0, str(HERE))
    import generate as gen

    start = time.perf_counter()
    gen.generate_book(root, 100_000, seed=1)
    gen.generate_trading(root, 100_000, 1000, 10_000, seed=1)
    return time.perf_counter() - start


def run(root: Path, args: list[str]) -> float:
    """Seconds one ``biz`` command takes in a fresh process, today pinned."""
    env = {**os.environ, "BIZ_TODAY": TODAY}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bizcli", "-B", str(root), *args],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    took = time.perf_counter() - start
    if done.returncode not in {0, 1}:  # close --dry-run exits 1 when a check blocks
        raise SystemExit(f"biz {' '.join(args)} failed: {done.stderr.decode()[-400:]}")
    return took


def best(root: Path, args: list[str], repeat: int, *, cold: bool) -> float:
    """The best of ``repeat`` runs, each after deleting the cache (cold) or filling it."""
    times = []
    for _ in range(repeat):
        if cold:
            shutil.rmtree(root / ".biz", ignore_errors=True)
        else:
            run(root, args)
        times.append(run(root, args))
    return min(times)


def main() -> None:
    """Generate the book (or reuse ``--keep``'s), time the commands, write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--keep", type=Path, help="generate the book here and keep it")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="biz-month-end-"))
    try:
        if not (folder / "biz.yaml").exists():
            print(f"generating the book in {folder} ...", file=sys.stderr, flush=True)
            print(f"  {generate(folder):.1f} s", file=sys.stderr)
        check = run(folder, ["check"])
        print(f"biz check (cold, fills the cache): {check:.2f} s", file=sys.stderr)
        rows = []
        for label, args in COMMANDS:
            cold = best(folder, args, options.repeat, cold=True)
            warm = best(folder, args, options.repeat, cold=False)
            rows.append((label, cold, warm))
            print(f"{label}: cold {cold:.2f} s, warm {warm:.2f} s", file=sys.stderr)
        table = "\n".join(
            ["| Command (100k entries, 100k moves, 10k orders) | Cold | Warm | Target |",
             "|---|---|---|---|"]
            + [f"| `{label}` | {cold:.2f} s | {warm:.2f} s | under 10 s cold, 1 s warm "
               f"({'met' if cold < 10 and warm < 1 else 'NOT met'}) |"
               for label, cold, warm in rows])
        print(table)
        if not options.no_readme:
            current = README.read_text(encoding="utf-8")
            block = f"{MARK}\n{table}\n{MARK}"
            head, found, rest = current.partition(MARK)
            if found:
                _, _, tail = rest.partition(MARK)
                README.write_text(head + block + tail, encoding="utf-8")
            else:
                README.write_text(current.rstrip("\n") + "\n\n## Month-end\n\n" + block
                                  + "\n", encoding="utf-8")
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
