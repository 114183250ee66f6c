"""Kill a write command at every step of its writes; after each kill, check the book.

A *step* is one call the command makes that changes the disk under the book: ``open``
(a temp file), ``fsync``, ``replace``, ``rename``, ``link``, ``unlink``, ``mkdir``,
``rmdir``. ``count_steps`` runs the command once to count them; ``run_trial`` runs it
again in a forked child that SIGKILLs itself just before step *k* (or, with
``mode="fail"``, sees that call fail with EIO, as a full or failing disk would), or that
the parent SIGKILLs after a random delay. Then ``biz check`` runs (it finishes or undoes
what the killed command left) and the book's files must be byte for byte the book before
the command or the book after it, never a mix.

The children are forks of a process that has imported bizcli, so a trial costs a few
tenths of a second, not an interpreter start.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STEPS = ("open", "fsync", "replace", "rename", "link", "unlink", "mkdir", "rmdir")
WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop"
Snapshot = dict[str, bytes]


@dataclass(frozen=True)
class Command:
    """A write command of the example book, and the day it runs on."""

    name: str
    args: tuple[str, ...]
    today: str = "2026-11-24"
    setup: tuple[tuple[str, ...], ...] = ()
    """Commands run first, on the book the command starts from."""

    def argv(self, book: Path) -> list[str]:
        return ["-B", str(book), *(a.replace("{book}", str(book)) for a in self.args)]


COMMANDS = (
    Command("post", ("post", "2026-11-20", "Rent", "Expenses:Rent", "1200",
                     "Assets:Bank:Checking", "-1200")),
    Command("sale-order", ("sale", "order", "greenleaf-home", "CARE-KIT=4",
                           "--warehouse", "WORKSHOP")),
    Command("sale-ship", ("sale", "ship", "SO-2026-0017")),
    Command("sale-invoice", ("sale", "invoice", "SO-2026-0018")),
    Command("sale-pay", ("sale", "pay", "greenleaf-home", "391.60")),
    Command("purchase-receive", ("purchase", "receive", "PO-2026-0013")),
    Command("purchase-bill", ("purchase", "bill", "PO-2026-0012", "--number", "BL-20931",
                              "--tax-rate", "0.10")),
    Command("wo-create", ("wo", "create", "LEG-OAK-TURNED", "4", "--warehouse", "WORKSHOP",
                          "--due", "2026-12-01")),
    Command("wo-complete", ("wo", "complete", "WO-2026-0005", "--qty", "2"), setup=(
        ("wo", "create", "LEG-OAK-TURNED", "4", "--warehouse", "WORKSHOP", "--due",
         "2026-12-01"),)),
    Command("stock-transfer", ("stock", "transfer", "CARE-KIT", "3", "WORKSHOP",
                               "SHOWROOM")),
    Command("close", ("close", "2026-10")),
    Command("import-bank", ("import", "bank", "{book}/import/bank-2026-11.csv", "--rules",
                            "{book}/import/bank-rules.yaml", "--match")),
)
BY_NAME = {command.name: command for command in COMMANDS}


def snapshot(book: Path) -> Snapshot:
    """Every file of the book (``.biz/``, bizcli's cache and lock, left out)."""
    return {path.relative_to(book).as_posix(): path.read_bytes()
            for path in sorted(book.rglob("*"))
            if path.is_file() and ".biz" not in path.relative_to(book).parts}


def fresh_book(pristine: Path, into: Path) -> Path:
    """A copy of ``pristine`` (with its warm cache) at ``into``."""
    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(pristine, into, symlinks=True)
    return into


def _install_faults(book: Path, mode: str, at: int, counter: list[int]) -> None:
    """Wrap the os calls that change the disk: count them; act on call number ``at``."""
    inside = str(book)

    def wrap(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            target = args[0] if args else None
            if name == "fsync" or str(os.fspath(target) if target is not None
                                      else "").startswith(inside):
                counter[0] += 1
                if counter[0] == at:
                    if mode == "kill":
                        os.kill(os.getpid(), signal.SIGKILL)
                    where = [] if isinstance(target, int) else [str(target)]  # fsync: an fd
                    raise OSError(errno.EIO, "injected fault", *where)
            return call(*args, **kwargs)
        return step

    for name in STEPS:
        setattr(os, name, wrap(name, getattr(os, name)))


def _run_child(argv: Sequence[str], env: Mapping[str, str], out: Path, *,
               fault: tuple[str, int] | None, book: Path, counter_file: Path | None) -> int:
    """Fork a child that runs ``biz ARGV`` in-process; its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.environ.update(env)
        counter = [0]
        sabotage = os.environ.get("BIZ_FAULTS_SABOTAGE")
        if sabotage == "1":  # the control of the kills: no undo log
            from bizcli.storage.transaction import Transaction

            Transaction.before_write = lambda self, path: None  # type: ignore[method-assign]
        elif sabotage == "lock":  # the control of the concurrency run: no lock
            import contextlib

            from bizcli.storage import transaction

            transaction._locked = lambda root, timeout: contextlib.nullcontext()
        if fault is not None or counter_file is not None:
            mode, at = fault or ("count", 0)
            _install_faults(book, mode, at, counter)
        from bizcli.cli.main import main

        code = main(list(argv))
        if counter_file is not None:
            counter_file.write_text(str(counter[0]))
    except BaseException as err:  # noqa: BLE001 - a traceback is a finding: keep it
        import traceback

        traceback.print_exception(err)
        code = 71
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_biz(argv: Sequence[str], env: Mapping[str, str], *, book: Path,
            fault: tuple[str, int] | None = None, kill_after: float | None = None,
            count: bool = False) -> tuple[int, str, int]:
    """Run ``biz ARGV`` in a forked child: (exit code or -signal, its output, steps)."""
    with tempfile.TemporaryDirectory() as scratch:
        out, steps = Path(scratch) / "out", Path(scratch) / "steps"
        pid = _run_child(argv, env, out, fault=fault, book=book,
                         counter_file=steps if count else None)
        status = None
        if kill_after is not None:
            deadline = time.monotonic() + kill_after
            while status is None and time.monotonic() < deadline:
                done, found = os.waitpid(pid, os.WNOHANG)
                status = found if done else None
                time.sleep(0.001)
            if status is None:
                os.kill(pid, signal.SIGKILL)
        if status is None:
            status = os.waitpid(pid, 0)[1]
        code = os.waitstatus_to_exitcode(status)
        output = out.read_text(errors="replace") if out.exists() else ""  # killed at once
        return code, output, int(steps.read_text()) if count and steps.exists() else 0


@dataclass
class Outcome:
    """What one kill did, as the checks after it saw it."""

    command: str
    how: str
    code: int
    state: str  # "before", "after" or "MIXED"
    check_code: int
    output: str
    check_output: str

    @property
    def ok(self) -> bool:
        """Checked, whole, and told the truth: exit 0 is all of it, exit 1 none of it."""
        told = {0: "after", 1: "before"}.get(self.code, self.state if self.code < 0 else "")
        return (self.state in ("before", "after") and self.check_code == 0
                and "Traceback" not in self.output + self.check_output
                and told == self.state)


@dataclass
class Bench:
    """A command's before and after states, and the number of steps it takes."""

    command: Command
    pristine: Path
    before: Snapshot
    after: Snapshot
    steps: int

    @property
    def env(self) -> dict[str, str]:
        return {"BIZ_TODAY": self.command.today, "BIZ_LOCK_TIMEOUT": "5", "NO_COLOR": "1"}


def prepare(command: Command, work: Path) -> Bench:
    """Copy the example book, warm its cache, and record the command's two end states."""
    pristine = fresh_book(WORKSHOP, work / f"{command.name}-pristine")
    env = {"BIZ_TODAY": command.today, "NO_COLOR": "1"}
    for args in command.setup:
        code, out, _ = run_biz(["-B", str(pristine), *args], env, book=pristine)
        assert code == 0, out
    code, out, _ = run_biz(["-B", str(pristine), "check"], env, book=pristine)
    assert code == 0, out
    before = snapshot(pristine)
    book = fresh_book(pristine, work / f"{command.name}-after")
    code, out, steps = run_biz(command.argv(book), env, book=book, count=True)
    assert code == 0, f"{command.name}: {out}"
    after = snapshot(book)
    assert after != before, f"{command.name} changed nothing"
    shutil.rmtree(book)
    return Bench(command, pristine, before, after, steps)


def run_trial(bench: Bench, work: Path, *, how: str, at: int = 0,
              delay: float = 0.0) -> Outcome:
    """One kill (``how``: kill, fail or timer), then ``biz check``, then the verdict."""
    book = fresh_book(bench.pristine, work / f"{bench.command.name}-trial")
    argv = bench.command.argv(book)
    if how == "timer":
        code, out, _ = run_biz(argv, bench.env, book=book, kill_after=delay)
    else:
        code, out, _ = run_biz(argv, bench.env, book=book, fault=(how, at))
    check_code, check_out, _ = run_biz(["-B", str(book), "check"], bench.env, book=book)
    state = snapshot(book)
    verdict = ("before" if state == bench.before else "after" if state == bench.after
               else "MIXED")
    if (book / ".biz" / "undo" / "log").exists():
        verdict = "MIXED"  # biz check must have finished the rollback
    label = f"{how}@{at}" if how != "timer" else f"timer@{delay:.3f}s"
    return Outcome(bench.command.name, label, code, verdict, check_code, out, check_out)


def run_recovery_trial(bench: Bench, work: Path, *, at: int, check_at: int) -> Outcome:
    """Kill the command at step ``at``, then kill the ``biz check`` that rolls it back."""
    book = fresh_book(bench.pristine, work / f"{bench.command.name}-trial")
    code, out, _ = run_biz(bench.command.argv(book), bench.env, book=book, fault=("kill", at))
    check = ["-B", str(book), "check"]
    _, first, _ = run_biz(check, bench.env, book=book, fault=("kill", check_at))
    check_code, check_out, _ = run_biz(check, bench.env, book=book)
    state = snapshot(book)
    verdict = ("before" if state == bench.before else "after" if state == bench.after
               else "MIXED")
    if (book / ".biz" / "undo" / "log").exists():
        verdict = "MIXED"
    return Outcome(bench.command.name, f"recovery@{at}/{check_at}", code, verdict,
                   check_code, out + first, check_out)


def describe(outcome: Outcome, bench: Bench, book: Path) -> str:
    """Why a trial failed, for the assertion message."""
    lines = [(f"{outcome.command} {outcome.how}: exit {outcome.code}, state {outcome.state}"
              f", check exit {outcome.check_code}"), outcome.output[-2000:],
             outcome.check_output[-2000:]]
    if outcome.state == "MIXED" and book.exists():
        now = snapshot(book)
        lines += [f"  differs from both: {rel}"
                  for rel in sorted(set(now) | set(bench.before) | set(bench.after))
                  if now.get(rel) not in (bench.before.get(rel), bench.after.get(rel))]
    return "\n".join(lines)
