"""Time ``biz bal`` against hledger and ledger on generated books.

Usage::

    python benchmarks/run.py [--sizes 10k,100k,1M] [--workdir DIR] [--repeat 3]
                             [--timeout 600] [--quick] [--seed 1] [--no-readme]
                             [--strict]

For each size a book is generated once (cached in the work directory, keyed on the
size, the seed and a hash of ``generate.py``), its year files are concatenated into
``all.journal``, and these commands are timed on those same files:

* ``biz -B BOOK bal`` cold (``BOOK/.biz/cache`` deleted before every run),
* ``biz -B BOOK bal`` warm (one untimed run fills the cache first),
* ``hledger -f all.journal bal`` and ``hledger -f Y1 -f Y2 ... bal``,
* ``ledger -f all.journal bal`` (ledger reads a single ``-f`` file),

plus ``biz -B BOOK accounts`` on the 10k book, which measures start-up, ``biz stock
valuation`` of 100k moves, and (unless ``--quick``) order and stock writes on the 100k
book with 100k moves that agree with its journal: ``sale ship``, ``sale invoice``, a
back-dated ``stock adjust`` and ``stock repost``, each on a fresh copy with a warm
cache. Each command
runs ``--repeat`` times; the best and median wall time and the peak resident set size
of the child (``ru_maxrss`` from ``os.wait4``) are reported as a Markdown table on
stdout and between the result markers of ``benchmarks/README.md``.

A command that exits non-zero, times out or cannot start is recorded as failed with
the first line of its standard error; the run carries on.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate.py"
README = HERE / "README.md"
START_MARKER = "<!-- results:start -->"
END_MARKER = "<!-- results:end -->"
DEFAULT_SIZES = "10k,100k,1M"
STARTUP_SIZE = 10_000
NOTE_WIDTH = 120
RATIO_KEYS = frozenset({"biz-cold", "biz-warm", "hledger", "hledger-years"})


@dataclasses.dataclass(frozen=True, slots=True)
class RunResult:
    """One execution of a command."""

    wall: float
    rss_mb: float
    error: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One line of the results table: a command at one book size."""

    size: str
    key: str
    label: str
    best: float | None = None
    median: float | None = None
    rss_mb: float | None = None
    note: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Book:
    """A generated book and the single-file concatenation of its journals."""

    label: str
    transactions: int
    root: Path
    years: tuple[Path, ...]
    combined: Path
    generated_in: float | None


@dataclasses.dataclass(frozen=True, slots=True)
class Tools:
    """Resolved executables (``None`` when absent) and their versions."""

    biz: str | None
    hledger: str | None
    ledger: str | None
    versions: dict[str, str]


Prepare = Callable[[], None]


# --- running and measuring ------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment for every timed command: UTF-8 locale, no ledger overrides."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("LEDGER")}
    env["LC_ALL"] = "C.UTF-8"
    env["LANG"] = "C.UTF-8"
    return env


def first_line(data: bytes) -> str:
    """The first non-blank line of a program's output, shortened for a table cell."""
    for line in data.decode("utf-8", "replace").splitlines():
        if line.strip():
            text = line.strip()
            return text if len(text) <= NOTE_WIDTH else text[: NOTE_WIDTH - 1] + "…"
    return ""


def kill_group(pid: int, fired: threading.Event) -> None:
    """Kill a timed-out child and everything it started."""
    fired.set()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# The peak RSS of a child forked from this (large) runner would include the runner's
# pages from before its exec: Linux keeps that high-water mark. GNU time, itself small,
# forks the measured command and reports the command's own peak; without it we fall
# back to wait4's figure, which then has a floor of the runner's size.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
RSS_MARK = "BIZBENCH_MAXRSS_KB="


def run_once(argv: Sequence[str], timeout: float) -> RunResult:
    """Run ``argv`` once; wall time, the child's peak RSS, and an error if it failed."""
    if GNU_TIME:
        argv = [GNU_TIME, "-f", f"{RSS_MARK}%M", *argv]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=child_env(),
                start_new_session=True,
            )
        except OSError as exc:
            return RunResult(0.0, 0.0, f"failed to start: {exc}")
        fired = threading.Event()
        timer = threading.Timer(timeout, kill_group, (proc.pid, fired))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").splitlines()
        marked = [line for line in lines if line.startswith(RSS_MARK)]
        if marked:
            rss_mb = int(marked[-1][len(RSS_MARK):]) / 1024
        if fired.is_set():
            return RunResult(wall, rss_mb, f"timeout after {timeout:g} s")
        if code != 0:
            err.seek(0)
            message = first_line(err.read())
            return RunResult(
                wall, rss_mb, f"failed (exit {code}): {message}".rstrip(": ")
            )
        return RunResult(wall, rss_mb)


def measure(
    size: str,
    key: str,
    label: str,
    argv: Sequence[str] | None,
    repeat: int,
    timeout: float,
    before_each: Prepare | None = None,
    warmup: bool = False,
) -> Row:
    """Time ``argv`` ``repeat`` times (after an optional untimed warm-up run)."""
    if argv is None:
        return Row(size, key, label, note="failed: executable not found on PATH")
    print(f"  {size:>5}  {label} ...", end="", file=sys.stderr, flush=True)
    if warmup:
        if before_each:
            before_each()
        result = run_once(argv, timeout)
        if result.error:
            print(f" {result.error}", file=sys.stderr)
            return Row(size, key, label, note=f"warm-up {result.error}")
    results: list[RunResult] = []
    for _ in range(repeat):
        if before_each:
            before_each()
        result = run_once(argv, timeout)
        if result.error:
            print(f" {result.error}", file=sys.stderr)
            return Row(
                size, key, label, rss_mb=result.rss_mb or None, note=result.error
            )
        results.append(result)
    walls = [r.wall for r in results]
    row = Row(
        size,
        key,
        label,
        best=min(walls),
        median=statistics.median(walls),
        rss_mb=max(r.rss_mb for r in results),
    )
    print(f" best {row.best:.3f} s, {row.rss_mb:.0f} MB", file=sys.stderr)
    return row


# --- books ----------------------------------------------------------------------------


def load_generator() -> ModuleType:
    """Import ``generate.py`` from this folder without touching ``sys.path``."""
    spec = importlib.util.spec_from_file_location("bizcli_bench_generate", GENERATOR)
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: cannot load {GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


def size_label(count: int) -> str:
    """``10000`` → ``10k``, ``1000000`` → ``1M``."""
    if count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    if count % 1_000 == 0:
        return f"{count // 1_000}k"
    return str(count)


def book_stamp(transactions: int, seed: int, accounts: int = 200) -> dict[str, object]:
    """What a cached book must match to be reused."""
    digest = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()
    return {"transactions": transactions, "seed": seed, "generator": digest,
            "accounts": accounts}


def read_stamp(path: Path) -> object:
    """The stamp a cached book was written with, or ``None``."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def concatenate(parts: Sequence[Path], target: Path) -> None:
    """Write the year files, in order, into one journal."""
    with target.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)


def prepare_book(
    generator: ModuleType, workdir: Path, count: int, seed: int, accounts: int = 200
) -> Book:
    """Generate (or reuse) the book of ``count`` transactions and its concatenation."""
    label = size_label(count) if accounts == 200 else f"{size_label(count)}-chart"
    base = workdir / label
    root, combined, stamp_path = (
        base / "book",
        base / "all.journal",
        base / "stamp.json",
    )
    stamp = book_stamp(count, seed, accounts)
    cached = combined.exists() and read_stamp(stamp_path) == stamp
    generated_in = None
    if not cached:
        print(f"generating {label} book in {root} ...", file=sys.stderr, flush=True)
        shutil.rmtree(base, ignore_errors=True)
        start = time.perf_counter()
        generator.generate_book(root, count, seed=seed, accounts=accounts)
        generated_in = time.perf_counter() - start
        concatenate(sorted((root / "journal").glob("*.journal")), combined)
        stamp_path.write_text(json.dumps(stamp), encoding="utf-8")
    years = tuple(sorted((root / "journal").glob("*.journal")))
    return Book(label, count, root, years, combined, generated_in)


def prime_page_cache(paths: Sequence[Path]) -> None:
    """Read files once so that no tool pays for the first disk read."""
    for path in paths:
        with path.open("rb") as src:
            while src.read(1 << 22):
                pass


def cache_remover(book: Book) -> Prepare:
    """A callable deleting ``BOOK/.biz/cache`` (a cold start for biz)."""

    def remove() -> None:
        shutil.rmtree(book.root / ".biz" / "cache", ignore_errors=True)

    return remove


# --- tools and machine ----------------------------------------------------------------


def version_of(argv: Sequence[str]) -> str:
    """First line of ``argv``'s output, or why it could not be had."""
    try:
        done = subprocess.run(
            list(argv), capture_output=True, timeout=30, env=child_env(), check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    text = first_line(done.stdout) or first_line(done.stderr)
    return text if done.returncode == 0 else f"unknown (exit {done.returncode}: {text})"


def python_of(script: str) -> list[str] | None:
    """The Python named by a script's ``#!`` line (an entry point's), if any."""
    try:
        with open(script, "rb") as src:
            head = src.readline(512)
    except OSError:
        return None
    if not head.startswith(b"#!"):
        return None
    parts = head[2:].decode("utf-8", "replace").split()
    if parts and os.path.basename(parts[0]) == "env":
        parts = [part for part in parts[1:] if not part.startswith("-")]
    if parts and os.path.basename(parts[0]).startswith("python"):
        return parts[:1]
    return None


def find_tools() -> Tools:
    """Locate biz, hledger and ledger and record their versions."""
    biz, hledger, ledger = (
        shutil.which("biz"),
        shutil.which("hledger"),
        shutil.which("ledger"),
    )
    versions = {"python (runner)": platform.python_version()}
    versions["biz"] = version_of([biz, "--version"]) if biz else "not found on PATH"
    if biz and (python := python_of(biz)):
        versions["python (biz)"] = version_of([*python, "--version"])
    versions["hledger"] = version_of([hledger, "--version"]) if hledger else "not found"
    versions["ledger"] = version_of([ledger, "--version"]) if ledger else "not found"
    return Tools(biz, hledger, ledger, versions)


def read_proc(path: str, key: str) -> str:
    """The value of ``key:`` in a ``/proc`` file, or ``unknown``."""
    try:
        with open(path, encoding="utf-8") as src:
            for line in src:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine_info() -> dict[str, str]:
    """CPU, memory and OS facts that matter for reading the numbers."""
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    mem = read_proc("/proc/meminfo", "MemTotal")
    mem_gb = f"{int(mem.split()[0]) / 1024 / 1024:.1f} GB" if mem[:1].isdigit() else mem
    return {
        "nproc": str(nproc or os.cpu_count()),
        "cpu": read_proc("/proc/cpuinfo", "model name"),
        "memory": mem_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


# --- the benchmark --------------------------------------------------------------------


def bench_book(book: Book, tools: Tools, repeat: int, timeout: float) -> list[Row]:
    """Every timed command on one book."""
    size, root = book.label, str(book.root)
    prime_page_cache([*book.years, book.combined])
    biz_bal = [tools.biz, "-B", root, "bal"] if tools.biz else None
    per_year = [arg for year in book.years for arg in ("-f", str(year))]
    hledger, ledger = tools.hledger, tools.ledger
    timed = functools.partial(measure, size, repeat=repeat, timeout=timeout)
    return [
        timed("biz-cold", "biz bal (cold)", biz_bal, before_each=cache_remover(book)),
        timed("biz-warm", "biz bal (warm)", biz_bal, warmup=True),
        timed(
            "hledger",
            "hledger bal (all.journal)",
            [hledger, "-f", str(book.combined), "bal"] if hledger else None,
        ),
        timed(
            "hledger-years",
            f"hledger bal ({len(book.years)} year files)",
            [hledger, *per_year, "bal"] if hledger else None,
        ),
        timed(
            "ledger",
            "ledger bal (all.journal)",
            [ledger, "-f", str(book.combined), "bal"] if ledger else None,
        ),
    ]


def bench_startup(book: Book, tools: Tools, repeat: int, timeout: float) -> Row:
    """``biz accounts`` on the small book: start-up cost."""
    argv = [tools.biz, "-B", str(book.root), "accounts"] if tools.biz else None
    return measure(
        book.label,
        "biz-accounts",
        "biz accounts (startup)",
        argv,
        repeat=repeat,
        timeout=timeout,
        warmup=True,
    )


def bench_stock(book: Book, tools: Tools, repeat: int, timeout: float) -> list[Row]:
    """``biz stock valuation`` over 100k moves of 1k items (read and valued each time)."""
    argv = [tools.biz, "-B", str(book.root), "stock", "valuation"] if tools.biz else None
    return [measure(book.label, "biz-stock-valuation",
                    "biz stock valuation, 100k moves of 1k items", argv, repeat=repeat,
                    timeout=timeout, warmup=True)]


def bench_chart(book: Book, tools: Tools, repeat: int, timeout: float) -> list[Row]:
    """``biz accounts`` on a book whose accounts.yaml lists 10k accounts: YAML cold, warm."""
    argv = [tools.biz, "-B", str(book.root), "accounts"] if tools.biz else None
    timed = functools.partial(measure, book.label, repeat=repeat, timeout=timeout)
    return [
        timed("biz-chart-cold", "biz accounts, 10k-account YAML chart (cold)", argv,
              before_each=cache_remover(book)),
        timed("biz-chart-warm", "biz accounts, 10k-account YAML chart (warm)", argv,
              warmup=True),
    ]


TRADE_ORDER = "SO-2026-0001"
TRADE_DAY = "2026-12-31"
BACK_DATED = ["stock", "adjust", "ITEM-0001", "5", "MAIN", "--date", "2026-03-01",
              "--cost", "900"]


def prepare_trading(base: Book, workdir: Path, tools: Tools, seed: int) -> Book | None:
    """The 100k book with 100k moves that agree with its journal, open orders, a warm cache.

    ``generate.py``'s ``generate_trading`` values the moves with bizcli, so it runs in
    the Python that runs ``biz``. Snapshots are kept beside it: ``shipped`` (the order
    shipped, for the invoice row) and ``adjusted`` (a back-dated adjustment made, for
    the repost row); each timed run starts from a fresh copy of one of them.
    """
    python = python_of(tools.biz) if tools.biz else None
    if python is None or tools.biz is None:
        return None
    folder = workdir / "100k-trade"
    shutil.rmtree(folder, ignore_errors=True)
    root = folder / "book"
    shutil.copytree(base.root, root, ignore=shutil.ignore_patterns(".biz"))
    print(f"generating the trading book in {root} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    code = (f"import sys; sys.path.insert(0, {str(HERE)!r}); import generate; "
            f"generate.generate_trading({str(root)!r}, 100_000, 1000, 300, {seed})")
    made = subprocess.run([*python, "-c", code], env=child_env(), check=False,
                          capture_output=True, text=True)
    if made.returncode != 0:
        print(f"  could not generate it: {made.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    generated_in = time.perf_counter() - start
    biz = [tools.biz, "-B"]
    steps = [(root, [str(root), "check"]),
             (folder / "shipped", [str(folder / "shipped"), "sale", "ship", TRADE_ORDER,
                                   "--date", TRADE_DAY]),
             (folder / "adjusted", [str(folder / "adjusted"), *BACK_DATED])]
    for target, argv in steps:
        if target != root:
            shutil.copytree(root, target)
        done = subprocess.run([*biz, *argv], env=child_env(), check=False,
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  {' '.join(argv[1:])} failed: {first_line(done.stderr.encode())}",
                  file=sys.stderr)
            return None
    years = tuple(sorted((root / "journal").glob("*.journal")))
    return Book("100k-trade", base.transactions, root, years, base.combined, generated_in)


def snapshot_restorer(snapshot: Path, work: Path) -> Prepare:
    """A callable replacing ``work`` with a fresh copy of ``snapshot`` (cache included)."""

    def restore() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(snapshot, work)

    return restore


def bench_trading(book: Book, tools: Tools, repeat: int, timeout: float) -> list[Row]:
    """Order and stock writes on the trading book, each from a fresh copy, cache warm."""
    if tools.biz is None:
        return []
    folder = book.root.parent
    work = folder / "work"
    biz = [tools.biz, "-B", str(work)]
    timed = functools.partial(measure, book.label, repeat=repeat, timeout=timeout)
    rows = [
        timed("biz-trade-check", "biz check (warm), 100k entries + 100k moves",
              [*biz, "check"], before_each=snapshot_restorer(book.root, work)),
        timed("biz-ship", f"biz sale ship of one order ({TRADE_ORDER})",
              [*biz, "sale", "ship", TRADE_ORDER, "--date", TRADE_DAY],
              before_each=snapshot_restorer(book.root, work)),
        timed("biz-invoice", f"biz sale invoice of one order ({TRADE_ORDER})",
              [*biz, "sale", "invoice", TRADE_ORDER, "--date", TRADE_DAY],
              before_each=snapshot_restorer(folder / "shipped", work)),
        timed("biz-back-dated", "biz stock adjust, back-dated to March (receipt)",
              [*biz, *BACK_DATED], before_each=snapshot_restorer(book.root, work)),
        timed("biz-repost", "biz stock repost after it",
              [*biz, "stock", "repost"],
              before_each=snapshot_restorer(folder / "adjusted", work)),
    ]
    shutil.rmtree(work, ignore_errors=True)
    return rows


CRM_DEALS = 100_000
INVOICE_LINES = 1_000_000
CRM_DAY = "2026-11-22"


def prepare_crm(base: Book, workdir: Path, generator: ModuleType, seed: int
                ) -> tuple[Book, Book]:
    """Two copies of the small book: one with 100k deals, one with 1M invoice lines.

    The invoice book's sales file (about 170 MB of YAML) is read cold once here, untimed
    (it takes minutes): the timed command reads the invoice facts from their cache, as
    every command after the first does.
    """
    books = []
    for label, fill in (("100k-deals", lambda root: generator.generate_crm(
            root, CRM_DEALS, 2000, seed)),
                        ("1M-lines", lambda root: generator.generate_invoices(
                            root, INVOICE_LINES, 20_000, 4, seed))):
        root = workdir / label / "book"
        shutil.rmtree(root.parent, ignore_errors=True)
        shutil.copytree(base.root, root, ignore=shutil.ignore_patterns(".biz"))
        print(f"generating {label} in {root} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        fill(root)
        books.append(Book(label, base.transactions, root, base.years, base.combined,
                          time.perf_counter() - start))
    return books[0], books[1]


def crm_cache_remover(book: Book) -> Prepare:
    """A callable deleting only the CRM cache (a cold CRM, a warm book)."""

    def remove() -> None:
        (book.root / ".biz" / "cache" / "crm.msgpack").unlink(missing_ok=True)

    return remove


def bench_crm(deals: Book, invoices: Book, tools: Tools, repeat: int, timeout: float
              ) -> list[Row]:
    """The CRM reports over 100k deals, and RFM over 1M invoice lines."""
    if tools.biz is None:
        return []
    biz = [tools.biz, "-B", str(deals.root), "crm"]
    day = ["--as-of", CRM_DAY]
    timed = functools.partial(measure, deals.label, repeat=repeat, timeout=timeout)
    rows = [
        timed("biz-pipeline-cold", "biz crm pipeline, 100k deals (cold: YAML)",
              [*biz, "pipeline", *day], before_each=crm_cache_remover(deals)),
        timed("biz-pipeline", "biz crm pipeline, 100k deals", [*biz, "pipeline", *day],
              warmup=True),
        timed("biz-forecast", "biz crm forecast, 100k deals", [*biz, "forecast", *day],
              warmup=True),
        timed("biz-funnel", "biz crm funnel, 100k deals", [*biz, "funnel", *day],
              warmup=True),
        timed("biz-winrate", "biz crm winrate, 100k deals", [*biz, "winrate", *day],
              warmup=True),
    ]
    segment = [tools.biz, "-B", str(invoices.root), "crm", "segment", "--by", "segment",
               *day]
    subprocess.run(segment, env=child_env(), check=False, capture_output=True)  # cold
    rows.append(measure(invoices.label, "biz-segment",
                        "biz crm segment, 1M invoice lines (250k invoices)", segment,
                        repeat=repeat, timeout=timeout, warmup=True))
    return rows


# --- reporting ------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    """A time cell."""
    return "" if value is None else f"{value:.3f}"


def cell(text: str) -> str:
    """Text made safe for a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def find_row(rows: Sequence[Row], size: str, key: str) -> Row | None:
    """The row for ``key`` at ``size``, if it was measured successfully."""
    for row in rows:
        if row.size == size and row.key == key and row.best is not None:
            return row
    return None


def ratio_to_ledger(rows: Sequence[Row], row: Row) -> str:
    """``row``'s best time as a multiple of ledger's at the same size."""
    ledger = find_row(rows, row.size, "ledger")
    if row.best is None or ledger is None or ledger.best is None:
        return ""
    if row.key not in RATIO_KEYS:
        return ""
    return f"{row.best / ledger.best:.2f}x"


def results_table(rows: Sequence[Row]) -> str:
    """The Markdown results table."""
    lines = [
        "| Size | Command | Best (s) | Median (s) | Peak RSS (MB) | vs ledger | Note |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        rss = "" if row.rss_mb is None else f"{row.rss_mb:.0f}"
        lines.append(
            f"| {row.size} | {cell(row.label)} | {seconds(row.best)} | "
            f"{seconds(row.median)} | {rss} | {ratio_to_ledger(rows, row)} | "
            f"{cell(row.note)} |"
        )
    return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    """A target's outcome as a word."""
    return "n/a" if ok is None else ("pass" if ok else "FAIL")


def check_targets(rows: Sequence[Row]) -> list[tuple[str, str]]:
    """The project's performance targets and whether this run met them."""

    def best(size: str, key: str) -> float | None:
        row = find_row(rows, size, key)
        return row.best if row else None

    def rss(size: str, key: str) -> float | None:
        row = find_row(rows, size, key)
        return row.rss_mb if row else None

    def compare(
        a: float | None, b: float | None, test: Callable[[float, float], bool]
    ) -> bool | None:
        return None if a is None or b is None else test(a, b)

    targets = [
        (
            "100k: biz bal cold within 1.5x of ledger",
            compare(
                best("100k", "biz-cold"),
                best("100k", "ledger"),
                lambda a, b: a <= 1.5 * b,
            ),
        ),
        (
            "100k: biz bal warm at least 4x faster than ledger",
            compare(
                best("100k", "biz-warm"),
                best("100k", "ledger"),
                lambda a, b: a * 4 <= b,
            ),
        ),
        (
            "1M: biz bal cold no slower than ledger",
            compare(best("1M", "biz-cold"), best("1M", "ledger"), lambda a, b: a <= b),
        ),
        (
            "1M: biz bal cold uses less memory than ledger",
            compare(rss("1M", "biz-cold"), rss("1M", "ledger"), lambda a, b: a < b),
        ),
        (
            "1M: biz bal warm under 1.5 s",
            compare(best("1M", "biz-warm"), 1.5, lambda a, b: a < b),
        ),
        (
            "100k entries + 100k moves: biz sale ship under 1 s",
            compare(best("100k-trade", "biz-ship"), 1.0, lambda a, b: a < b),
        ),
        (
            "100k entries + 100k moves: biz sale invoice under 1 s",
            compare(best("100k-trade", "biz-invoice"), 1.0, lambda a, b: a < b),
        ),
        (
            "100k moves: biz stock repost after a back-dated move under 2 s",
            compare(best("100k-trade", "biz-repost"), 2.0, lambda a, b: a < b),
        ),
        *(
            (f"100k deals: biz crm {name} under 1 s",
             compare(best("100k-deals", f"biz-{name}"), 1.0, lambda a, b: a < b))
            for name in ("pipeline", "forecast", "funnel")
        ),
        (
            "1M invoice lines: biz crm segment (RFM) under 3 s",
            compare(best("1M-lines", "biz-segment"), 3.0, lambda a, b: a < b),
        ),
        (
            "biz accounts (startup) under 0.2 s",
            compare(
                best(size_label(STARTUP_SIZE), "biz-accounts"), 0.2, lambda a, b: a < b
            ),
        ),
    ]
    return [(name, verdict(ok)) for name, ok in targets]


def extra_files(book: Book) -> str:
    """The CRM and sales files a benchmark added to a book, with their sizes."""
    found = [book.root / "crm" / "deals.yaml", *sorted((book.root / "sales").glob("*.yaml"))]
    sizes = [f"{p.relative_to(book.root)} {p.stat().st_size / 1e6:.1f} MB" for p in found
             if p.is_file()]
    return f"; with {', '.join(sizes)}" if sizes else ""


def report(
    rows: Sequence[Row],
    books: Sequence[Book],
    tools: Tools,
    repeat: int,
    timeout: float,
) -> str:
    """The full Markdown results block: context, table, targets."""
    machine = machine_info()
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"Run on {when}: best and median of {repeat} runs, {timeout:g} s timeout each.",
        "",
        (
            f"- Machine: {machine['nproc']} CPUs ({machine['cpu']}), "
            f"{machine['memory']} RAM, {machine['os']}, Python {machine['python']}"
        ),
    ]
    lines += [f"- {name}: `{version}`" for name, version in tools.versions.items()]
    for book in books:
        size_mb = sum(p.stat().st_size for p in book.years) / 1e6
        made = f", generated in {book.generated_in:.1f} s" if book.generated_in else ""
        lines.append(
            f"- {book.label} book: {book.transactions} transactions, "
            f"{len(book.years)} year files, {size_mb:.1f} MB{made}{extra_files(book)}"
        )
    lines += ["", results_table(rows), "", "| Target | Result |", "|---|---|"]
    lines += [f"| {name} | {result} |" for name, result in check_targets(rows)]
    return "\n".join(lines)


README_TEMPLATE = """\
# Benchmarks

The results block at the end is rewritten by `python benchmarks/run.py`.
"""


def write_readme(block: str, path: Path = README) -> None:
    """Put ``block`` between the README's result markers, adding them if needed."""
    text = path.read_text(encoding="utf-8") if path.exists() else README_TEMPLATE
    section = f"{START_MARKER}\n{block}\n{END_MARKER}"
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start != -1 and end > start:
        text = text[:start] + section + text[end + len(END_MARKER) :]
    else:
        text = text.rstrip("\n") + "\n\n## Results\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


# --- command line ---------------------------------------------------------------------


def parse_sizes(text: str, parse_count: Callable[[str], int]) -> list[int]:
    """``10k,100k,1M`` → ``[10000, 100000, 1000000]`` (duplicates dropped, in order)."""
    sizes: list[int] = []
    for part in text.split(","):
        if part.strip() and (count := parse_count(part)) not in sizes:
            sizes.append(count)
    if not sizes:
        raise argparse.ArgumentTypeError("no sizes given")
    return sizes


def parse_args(
    argv: Sequence[str] | None, parse_count: Callable[[str], int]
) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(
        description="Time biz bal against hledger and ledger on generated books."
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: parse_sizes(text, parse_count),
        default=None,
        help=f"comma-separated transaction counts (default {DEFAULT_SIZES})",
    )
    parser.add_argument("--quick", action="store_true", help="only the 10k book")
    parser.add_argument("--crm", action="store_true",
                        help="with --quick: the CRM benchmarks too")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bizcli-bench",
        help="where books are generated and cached (default /tmp/bizcli-bench)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per command")
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds allowed per run (default 600)",
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="generator seed (default 1)"
    )
    parser.add_argument(
        "--no-readme", action="store_true", help="print the table only, leave README.md"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 if any command failed or is missing",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [STARTUP_SIZE]
    elif args.sizes is None:
        args.sizes = parse_sizes(DEFAULT_SIZES, parse_count)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the books, time every command, print and record the results."""
    generator = load_generator()
    args = parse_args(argv, generator.parse_count)
    tools = find_tools()
    if tools.biz is None:
        print(
            "error: `biz` not found on PATH; install bizcli (e.g. `pip install -e .`). "
            "biz rows are recorded as failed.",
            file=sys.stderr,
        )
    args.workdir.mkdir(parents=True, exist_ok=True)
    books = [prepare_book(generator, args.workdir, n, args.seed) for n in args.sizes]
    rows: list[Row] = []
    for book in books:
        rows += bench_book(book, tools, args.repeat, args.timeout)
    small = next((b for b in books if b.transactions == STARTUP_SIZE), None)
    if small is None:
        small = prepare_book(generator, args.workdir, STARTUP_SIZE, args.seed)
        books.append(small)
    rows.append(bench_startup(small, tools, args.repeat, args.timeout))
    chart = prepare_book(generator, args.workdir, STARTUP_SIZE, args.seed, accounts=10_000)
    books.append(chart)
    rows += bench_chart(chart, tools, args.repeat, args.timeout)
    generator.generate_stock(small.root, 100_000, 1000, args.seed)
    try:
        rows += bench_stock(small, tools, args.repeat, args.timeout)
    finally:  # keep the cached 10k book as generate_book wrote it
        for stale in ("items.yaml", "warehouses.yaml"):
            (small.root / stale).unlink(missing_ok=True)
        shutil.rmtree(small.root / "stock", ignore_errors=True)
    if not args.quick:
        hundred_k = next((b for b in books if b.transactions == 100_000), None)
        if hundred_k is None:
            hundred_k = prepare_book(generator, args.workdir, 100_000, args.seed)
            books.append(hundred_k)
        trading = prepare_trading(hundred_k, args.workdir, tools, args.seed)
        if trading is not None:
            books.append(trading)
            rows += bench_trading(trading, tools, args.repeat, args.timeout)
    if not args.quick or args.crm:
        deals, invoices = prepare_crm(small, args.workdir, generator, args.seed)
        books += [deals, invoices]
        rows += bench_crm(deals, invoices, tools, args.repeat, args.timeout)
    block = report(rows, books, tools, args.repeat, args.timeout)
    print(block)
    if not args.no_readme:
        write_readme(block)
        print(f"\nwrote results to {README}", file=sys.stderr)
    failed = any(row.best is None for row in rows)
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
