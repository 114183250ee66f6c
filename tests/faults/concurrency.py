"""N processes writing to one book at once: every write lands once, numbers have no gaps.

    python tests/faults/concurrency.py --workers 4 --writes 250

Each worker is a process that runs its writes one after another, each write a forked
``biz`` command (a new process, as from a shell): an entry (``biz post``, with a
description naming the worker and the write), a sale order and a purchase order (each
with a quantity naming them). Afterwards every write must be in the book exactly once,
the new order numbers must follow the old ones with no gap and no duplicate, and
``biz check`` must pass.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fault_harness as harness

ENV = {"BIZ_TODAY": "2026-11-24", "NO_COLOR": "1", "BIZ_LOCK_TIMEOUT": "120"}
KINDS = ("post", "sale", "purchase")


def write_args(worker: int, index: int) -> tuple[str, list[str]]:
    """The kind of write number ``index`` of ``worker``, and its arguments."""
    kind = KINDS[index % len(KINDS)]
    tag = worker * 10_000 + index + 1  # unique over the run, and a whole number
    if kind == "post":
        return kind, ["post", "2026-11-24", f"Concurrent w{worker} n{index}",
                      "Expenses:Office", f"{tag}.00", "Assets:Bank:Checking", f"-{tag}.00"]
    if kind == "sale":
        return kind, ["sale", "order", "greenleaf-home", f"CARE-KIT={tag}",
                      "--warehouse", "WORKSHOP", "--override"]
    return kind, ["purchase", "order", "cascade-timber", f"BRD-OAK-27={tag}",
                  "--warehouse", "WORKSHOP"]


def worker_run(book: str, worker: int, writes: int) -> list[tuple[str, int, int]]:
    """One worker's writes, in order: (kind, tag, exit code)."""
    import bizcli.cli.main  # noqa: F401  (imported once, before the forks)

    done = []
    for index in range(writes):
        kind, args = write_args(worker, index)
        code, out, _ = harness.run_biz(["-B", book, *args], ENV, book=Path(book))
        if code != 0:
            sys.stderr.write(f"worker {worker} write {index} ({kind}) exit {code}: {out}\n")
        done.append((kind, worker * 10_000 + index + 1, code))
    return done


@dataclass
class Result:
    """What the run wrote and what the book holds afterwards."""

    workers: int
    writes: int
    seconds: float
    failed: int
    entries: Counter[int]
    sales: list[tuple[str, int]]
    purchases: list[tuple[str, int]]
    old_sales: list[str]
    old_purchases: list[str]
    check_code: int
    check_output: str

    def problems(self, expected: dict[str, set[int]]) -> list[str]:
        """Every way the book differs from exactly-once, gapless, checked."""
        found = []
        if self.failed:
            found.append(f"{self.failed} writes failed")
        if self.check_code != 0:
            found.append(f"biz check exit {self.check_code}: {self.check_output[-500:]}")
        landed = {"post": Counter(self.entries),
                  "sale": Counter(tag for _, tag in self.sales),
                  "purchase": Counter(tag for _, tag in self.purchases)}
        for kind, tags in expected.items():
            lost = tags - set(landed[kind])
            twice = {tag for tag, count in landed[kind].items() if count > 1}
            extra = set(landed[kind]) - tags
            if lost or twice or extra:
                found.append(f"{kind}: lost {sorted(lost)[:5]}, twice {sorted(twice)[:5]}, "
                             f"unexpected {sorted(extra)[:5]}")
        for kind, old, new in (("sale", self.old_sales, self.sales),
                               ("purchase", self.old_purchases, self.purchases)):
            numbers = [int(n.rsplit("-", 1)[1]) for n in [*old, *(n for n, _ in new)]]
            if sorted(numbers) != list(range(1, len(numbers) + 1)):
                found.append(f"{kind} numbers are not 1..{len(numbers)} without gaps")
        return found


def _orders(book: Path, folder: str, prefix: str) -> list[tuple[str, int]]:
    """(number, quantity of its first line) of every order in a folder's YAML files."""
    found = []
    for path in sorted((book / folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("orders", "documents", "purchases", "sales"):
            for document in data.get(key) or ():
                number = str(document.get("number", ""))
                if number.startswith(prefix):
                    lines = document.get("lines") or [{}]
                    found.append((number, int(float(str(lines[0].get("quantity", 0))))))
    return found


def run(workers: int, writes: int, work: Path) -> tuple[Result, dict[str, set[int]]]:
    """Copy the example book, let ``workers`` processes write to it, read what landed."""
    import bizcli.cli.main  # noqa: F401

    book = harness.fresh_book(harness.WORKSHOP, work / "book")
    code, out, _ = harness.run_biz(["-B", str(book), "check"], ENV, book=book)
    assert code == 0, out
    old_sales = [n for n, _ in _orders(book, "sales", "SO-")]
    old_purchases = [n for n, _ in _orders(book, "purchases", "PO-")]
    started = time.monotonic()
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(worker_run, [str(book)] * workers, range(workers),
                                [writes] * workers))
    seconds = time.monotonic() - started
    expected: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for done in results:
        for kind, tag, _ in done:
            expected[kind].add(tag)
    journal = "".join(p.read_text(encoding="utf-8")
                      for p in sorted((book / "journal").glob("*.journal")))
    entries = Counter(int(m.group(1)) * 10_000 + int(m.group(2)) + 1 for m in re.finditer(
        r"^\d{4}-\d\d-\d\d .*Concurrent w(\d+) n(\d+)$", journal, re.MULTILINE))
    check_code, check_out, _ = harness.run_biz(["-B", str(book), "check"], ENV, book=book)
    sales = [(n, q) for n, q in _orders(book, "sales", "SO-") if n not in old_sales]
    purchases = [(n, q) for n, q in _orders(book, "purchases", "PO-")
                 if n not in old_purchases]
    failed = sum(1 for done in results for *_, code in done if code != 0)
    return Result(workers, writes, seconds, failed, entries, sales, purchases, old_sales,
                  old_purchases, check_code, check_out), expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--writes", type=int, default=250)
    parser.add_argument("--control", action="store_true",
                        help="the same run without the lock: it must find lost writes")
    args = parser.parse_args()
    if args.control:
        ENV["BIZ_FAULTS_SABOTAGE"] = "lock"
    with tempfile.TemporaryDirectory() as scratch:
        result, expected = run(args.workers, args.writes, Path(scratch))
        problems = result.problems(expected)
        shutil.rmtree(scratch, ignore_errors=True)
    total = args.workers * args.writes
    sys.stdout.write(
        f"{args.workers} processes x {args.writes} writes = {total} writes in "
        f"{result.seconds:.0f} s ({total / result.seconds:.1f} writes/s): "
        f"{sum(result.entries.values())} entries, {len(result.sales)} sale orders, "
        f"{len(result.purchases)} purchase orders; {result.failed} failed; "
        f"biz check exit {result.check_code}\n")
    for problem in problems:
        sys.stdout.write(f"PROBLEM {problem}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
