"""The long fuzzing run: 100,000 inputs per parser, over two processes.

    python tests/fuzzing/run.py                       # every parser, 100,000 inputs each
    python tests/fuzzing/run.py --examples 10000 --only journal --only stock

Each process runs ``pytest tests/fuzzing`` for its share of the parsers with
``BIZ_FUZZ_EXAMPLES`` set; the test counts the inputs each parser really got. Prints a
Markdown table (the figures in docs/reliability.md) and exits 1 if any parser failed,
with hypothesis's shrunk input in the output above the table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from parsers import PARSERS  # noqa: E402


def run_share(names: list[str], examples: int, scratch: Path, index: int
              ) -> tuple[dict[str, int], dict[str, str], float]:
    """Run pytest on some parsers: (inputs per parser, outcome per parser, seconds)."""
    report = scratch / f"counts-{index}.json"
    ids = " or ".join(f"[{name}]" for name in names)
    env = {**os.environ, "BIZ_FUZZ_EXAMPLES": str(examples), "BIZ_FUZZ_REPORT": str(report)}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(HERE / "test_parsers.py"), "-q", "-p",
         "no:cacheprovider", "-p", "no:warnings", "-rA", "-k", ids],
        env=env, capture_output=True, text=True, check=False, cwd=HERE.parents[1])
    seconds = time.monotonic() - started
    outcomes = {}
    for line in done.stdout.splitlines():
        for verdict in ("PASSED", "FAILED"):
            if line.startswith(verdict):
                outcomes[line.split("[", 1)[1].split("]", 1)[0]] = verdict
    if done.returncode not in (0, 1):
        sys.stdout.write(done.stdout[-3000:] + done.stderr[-3000:])
    elif done.returncode == 1:
        sys.stdout.write(done.stdout[-6000:])
    counts = json.loads(report.read_text()) if report.exists() else {}
    return counts, outcomes, seconds


def main() -> int:
    """Run the shares in parallel, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100_000)
    parser.add_argument("--only", action="append", choices=sorted(PARSERS))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    names = args.only or sorted(PARSERS)
    shares = [names[i::args.jobs] for i in range(args.jobs) if names[i::args.jobs]]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(len(shares)) as pool:
        results = list(pool.map(run_share, shares, [args.examples] * len(shares),
                                [Path(scratch)] * len(shares), range(len(shares))))
    counts = {k: v for found, _, _ in results for k, v in found.items()}
    outcomes = {k: v for _, found, _ in results for k, v in found.items()}
    out = ["| parser | inputs | outcome |", "|---|---:|---|"]
    out += [f"| {name} | {counts.get(name, 0):,} | "
            f"{'no traceback, hang or bad line' if outcomes.get(name) == 'PASSED' else 'FAILED'} |"
            for name in names]
    failed = [name for name in names if outcomes.get(name) != "PASSED"]
    out.append(f"\n{sum(counts.values()):,} inputs to {len(names)} parsers in "
               f"{time.monotonic() - started:.0f} s; {len(failed)} failed"
               + (f": {', '.join(failed)}" if failed else ""))
    sys.stdout.write("\n".join(out) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
