"""The full fault-injection run: every write command, killed at every step, and more.

    python tests/faults/run.py                 # all commands, 2 processes
    python tests/faults/run.py --only close    # one command
    python tests/faults/run.py --timer 10      # fewer random-time kills per command

Per command: a SIGKILL just before each of its steps, an EIO failure at each step, a
SIGKILL at random moments (fixed seed), and kills of the rollback itself (the command
killed, then the ``biz check`` that rolls it back killed too). After each, ``biz check``
must pass and the book must be the book before or the book after the command. Prints a
Markdown table (the figures in docs/reliability.md) and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fault_harness as harness


def run_command(name: str, timer: int, recovery: int, seed: int) -> dict[str, object]:
    """Every trial of one command; a row of the table and the failures."""
    import bizcli.cli.main  # noqa: F401  (imported once, before the forks)

    rng = random.Random(f"{seed}-{name}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        bench = harness.prepare(harness.BY_NAME[name], work)
        outcomes = [harness.run_trial(bench, work, how=how, at=step)
                    for how in ("kill", "fail") for step in range(1, bench.steps + 2)]
        duration = _duration(bench, work)
        outcomes += [harness.run_trial(bench, work, how="timer",
                                       delay=rng.uniform(0, duration * 1.2))
                     for _ in range(timer)]
        outcomes += [harness.run_recovery_trial(bench, work, at=rng.randint(1, bench.steps),
                                                check_at=rng.randint(1, 12))
                     for _ in range(recovery)]
        failures = [harness.describe(o, bench, work / f"{name}-trial")
                    for o in outcomes if not o.ok]
    kinds = Counter(o.how.split("@")[0] for o in outcomes)
    states = Counter(o.state for o in outcomes)
    return {"command": name, "steps": bench.steps, "kill": kinds["kill"],
            "fail": kinds["fail"], "timer": kinds["timer"], "recovery": kinds["recovery"],
            "before": states["before"], "after": states["after"], "mixed": states["MIXED"],
            "bad": len(failures), "failures": failures[:3],
            "seconds": round(time.monotonic() - started, 1)}


def _duration(bench: harness.Bench, work: Path) -> float:
    """How long the command takes unkilled (the range of the random-time kills)."""
    book = harness.fresh_book(bench.pristine, work / f"{bench.command.name}-timed")
    started = time.monotonic()
    harness.run_biz(bench.command.argv(book), bench.env, book=book)
    return time.monotonic() - started


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(harness.BY_NAME))
    parser.add_argument("--timer", type=int, default=50, help="random-time kills per command")
    parser.add_argument("--recovery", type=int, default=10,
                        help="kills of a rollback per command")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    names = args.only or [command.name for command in harness.COMMANDS]
    started = time.monotonic()
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(run_command, names, [args.timer] * len(names),
                             [args.recovery] * len(names), [args.seed] * len(names)))
    columns = ["command", "steps", "kill", "fail", "timer", "recovery", "before", "after",
               "mixed", "bad", "seconds"]
    say("| " + " | ".join(columns) + " |")
    say("|" + "---|" * len(columns))
    for row in rows:
        say("| " + " | ".join(str(row[c]) for c in columns) + " |")
    totals = {c: sum(int(str(row[c])) for row in rows) for c in columns[1:-1]}
    sigkills = totals["kill"] + totals["timer"] + 2 * totals["recovery"]
    say(f"\n{sigkills} SIGKILLs and {totals['fail']} injected failures over {len(rows)} "
          f"commands in {time.monotonic() - started:.0f} s: {totals['mixed']} mixed "
          f"books, {totals['bad']} failed trials")
    for row in rows:
        for failure in row["failures"]:  # type: ignore[attr-defined]
            say(f"\nFAILED {failure}")
    return 1 if totals["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())
