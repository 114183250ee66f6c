"""The long fuzzing run: every parser, 100,000 inputs each, over two processes.

    python tests/fuzzing/run.py                              # all, 100,000 inputs each
    python tests/fuzzing/run.py --only journal --examples 10000
    python tests/fuzzing/run.py --jobs 1 --only query --only period

Each parser runs in its own ``pytest`` process (``BIZ_FUZZ_EXAMPLES`` set), taken from
a queue by ``--jobs`` workers, so a slow parser does not hold the others back. The test
counts the inputs it really ran. Prints one line per parser as it ends, then a table;
the output of a failing parser (hypothesis's shrunk input) goes to ``--log``. Exits 1
when any parser failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TEST = "tests/fuzzing/test_parsers.py::test_any_input_gives_a_value_or_problems_with_file_and_line"


@dataclass(frozen=True)
class Outcome:
    """One parser's run: inputs it ran, failures found, seconds, and pytest's output."""

    name: str
    inputs: int
    failures: int
    seconds: float
    output: str


def names() -> list[str]:
    """The parsers, from the tests' own table (imports bizcli and reads the corpus)."""
    sys.path.insert(0, str(HERE.parent))
    from fuzzing.targets import TARGETS

    return sorted(TARGETS)


def run_one(name: str, examples: int, scratch: Path) -> Outcome:
    """Fuzz one parser in a fresh ``pytest`` process."""
    report = scratch / f"{name}.json"
    env = {**os.environ, "BIZ_FUZZ_EXAMPLES": str(examples), "BIZ_FUZZ_REPORT": str(report)}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", f"{TEST}[{name}]", "-q", "-p", "no:cacheprovider"],
        env=env, capture_output=True, text=True, check=False, cwd=ROOT)
    seconds = time.monotonic() - started
    found = json.loads(report.read_text()) if report.exists() else {}
    failures = found.get("failures", {}).get(name, 0)
    if done.returncode != 0 and not failures:
        failures = 1  # it failed without a falsifying example: a crash, a collection error
    return Outcome(name, found.get("inputs", {}).get(name, 0), failures, seconds,
                   done.stdout + done.stderr)


def main() -> int:
    """Run the parsers on ``--jobs`` workers; print a line each, then the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100_000, help="inputs per parser")
    parser.add_argument("--only", action="append", metavar="PARSER",
                        help="fuzz only this parser (repeat for more)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel processes")
    parser.add_argument("--log", type=Path, default=Path("fuzz-failures.log"),
                        help="where failing parsers' output goes")
    args = parser.parse_args()
    known = names()
    chosen = args.only or known
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        parser.error(f"unknown parser {', '.join(unknown)}; one of: {', '.join(known)}")
    started = time.monotonic()
    outcomes = []
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(args.jobs) as pool:
        runs = [pool.submit(run_one, name, args.examples, Path(scratch)) for name in chosen]
        for run in as_completed(runs):
            outcome = run.result()
            outcomes.append(outcome)
            sys.stdout.write(f"{outcome.name}: {outcome.inputs:,} inputs, {outcome.failures} "
                             f"failures, {outcome.seconds:.0f} s\n")
            sys.stdout.flush()
    outcomes.sort(key=lambda o: o.name)
    failed = [o for o in outcomes if o.failures]
    if failed:
        args.log.write_text("".join(f"===== {o.name}\n{o.output}\n" for o in failed),
                            encoding="utf-8")
    sys.stdout.write(table(outcomes, time.monotonic() - started, args.jobs))
    if failed:
        sys.stdout.write(f"failing parsers' output: {args.log}\n")
    return 1 if failed else 0


def table(outcomes: list[Outcome], seconds: float, jobs: int) -> str:
    """The Markdown table of a run, and its totals."""
    rows = ["| parser | inputs | failures | seconds |", "|---|---:|---:|---:|"]
    rows += [f"| {o.name} | {o.inputs:,} | {o.failures} | {o.seconds:.0f} |" for o in outcomes]
    total = sum(o.inputs for o in outcomes)
    failures = sum(o.failures for o in outcomes)
    summary = (f"{total:,} inputs to {len(outcomes)} parsers in {seconds:.0f} s on {jobs} "
               f"processes; {failures} failures")
    return "\n".join([*rows, "", summary, ""])


if __name__ == "__main__":
    sys.exit(main())
