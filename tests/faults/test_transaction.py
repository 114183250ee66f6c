"""The commit protocol piece by piece: undo log, rollback, the lock, changed files, links."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bizcli.core.problems import BizcliError
from bizcli.storage.atomic import book_lock, write_atomic
from bizcli.storage.hashing import content_hash
from bizcli.storage.transaction import (
    UNDO_DIR,
    Transaction,
    finish_interrupted,
    note_read,
    roll_back,
)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    (root / "journal").mkdir(parents=True)
    (root / "biz.yaml").write_text("schema: 1\n")
    (root / "journal" / "2026.journal").write_text("old journal\n")
    return root


def files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*"))
            if p.is_file() and ".biz" not in p.relative_to(root).parts}


def test_an_error_inside_the_command_undoes_every_file_it_wrote(book: Path) -> None:
    before = files(book)
    def command() -> None:
        with book_lock(book):
            write_atomic(book / "journal" / "2026.journal", "new journal\n")
            write_atomic(book / "biz.yaml", "schema: 1\nlock_date: 2026-10-31\n")
            write_atomic(book / "sales" / "2026.yaml", "a new file\n")
            raise RuntimeError("the third step failed")

    with pytest.raises(RuntimeError):
        command()
    assert files(book) == before
    assert not (book / UNDO_DIR / "log").exists()
    assert list((book / UNDO_DIR).iterdir()) == []


def test_a_command_that_ends_well_commits_and_leaves_no_log(book: Path) -> None:
    with book_lock(book):
        write_atomic(book / "journal" / "2026.journal", "one\n")
        write_atomic(book / "journal" / "2026.journal", "two\n")  # logged once
        assert (book / UNDO_DIR / "log").read_text().count("journal/2026.journal") == 1
    assert files(book)["journal/2026.journal"] == "two\n"
    assert list((book / UNDO_DIR).iterdir()) == []


def _crash_midway(book: Path) -> None:
    """What a SIGKILL after two writes leaves: the log, kept copies, new files, a temp."""
    transaction = Transaction(book)
    for rel, text in (("journal/2026.journal", "new journal\n"), ("stock/2026.stock", "x\n")):
        transaction.before_write(book / rel)
        write_atomic(book / rel, text)  # replaced, as bizcli does: never edited in place
    (book / "journal" / ".2026.journal.k2j3.tmp").write_text("half a fi")


def test_the_next_command_rolls_back_what_a_killed_one_left(book: Path) -> None:
    before = files(book)
    _crash_midway(book)
    assert files(book) != before
    finish_interrupted(book)
    assert files(book) == before
    assert not (book / "journal" / ".2026.journal.k2j3.tmp").exists()


def test_rolling_back_twice_is_harmless(book: Path) -> None:
    before = files(book)
    _crash_midway(book)
    log = (book / UNDO_DIR / "log").read_text()
    assert roll_back(book) is not None
    (book / UNDO_DIR / "log").write_text(log)  # as if killed before the log's unlink
    assert roll_back(book) is not None
    assert files(book) == before
    assert roll_back(book) is None


def test_a_torn_last_log_line_is_a_file_not_yet_touched(book: Path) -> None:
    before = files(book)
    _crash_midway(book)
    with (book / UNDO_DIR / "log").open("a") as log:
        log.write("3 biz.ya")  # killed while writing the entry: biz.yaml not written yet
    roll_back(book)
    assert files(book) == before


def test_a_file_changed_since_the_load_is_refused_and_nothing_written(book: Path) -> None:
    journal = book / "journal" / "2026.journal"
    def command() -> None:
        with book_lock(book):
            note_read(book, "journal/2026.journal", content_hash(journal.read_bytes()))
            note_read(book, "biz.yaml", content_hash((book / "biz.yaml").read_bytes()))
            write_atomic(book / "biz.yaml", "schema: 1\nlock_date: 2026-10-31\n")
            journal.write_text("old journal\nan editor's line\n")  # saved meanwhile
            write_atomic(journal, "old journal\nbiz's entry\n")

    with pytest.raises(BizcliError) as raised:
        command()
    assert raised.value.problems[0].code == "file-changed"
    assert files(book) == {"biz.yaml": "schema: 1\n",
                           "journal/2026.journal": "old journal\nan editor's line\n"}


def test_a_write_through_a_link_out_of_the_book_is_refused(book: Path,
                                                           tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (book / "reports").symlink_to(outside, target_is_directory=True)
    (book / "biz.yaml").unlink()
    (book / "biz.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    for rel in ("reports/2026-10/is.md", "biz.yaml"):
        with pytest.raises(BizcliError) as raised, book_lock(book):
            write_atomic(book / rel, "x\n")
        assert raised.value.problems[0].code == "path-outside-book"
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_a_file_named_on_the_command_line_may_be_anywhere(book: Path,
                                                          tmp_path: Path) -> None:
    (book / "out").symlink_to(tmp_path, target_is_directory=True)
    with book_lock(book):
        write_atomic(book / "out" / "export.csv", "a,b\n", explicit=True)
    assert (tmp_path / "export.csv").read_text() == "a,b\n"


def test_nested_locks_in_one_process_join_the_outer_change(book: Path) -> None:
    def command() -> None:
        with book_lock(book):
            with book_lock(book):
                write_atomic(book / "biz.yaml", "changed\n")
            raise RuntimeError("the outer command fails later")

    with pytest.raises(RuntimeError):
        command()
    assert files(book)["biz.yaml"] == "schema: 1\n"


HOLD = """
import sys, time
from pathlib import Path
from bizcli.storage.atomic import book_lock, write_atomic
book = Path(sys.argv[1])
with book_lock(book):
    write_atomic(book / "biz.yaml", "half of a change\\n")
    print("holding", flush=True)
    time.sleep(60)
"""


def _holder(book: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(book)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "holding"
    return process


def test_a_killed_holder_leaves_no_stale_lock_and_its_change_is_undone(book: Path) -> None:
    holder = _holder(book)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (book / "biz.yaml").read_text() == "half of a change\n"
    started = time.monotonic()
    with book_lock(book, timeout=5):
        assert (book / "biz.yaml").read_text() == "schema: 1\n"
    assert time.monotonic() - started < 2, "the kernel released the dead holder's lock"


def test_a_live_holder_makes_the_next_command_wait_then_give_up(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    holder = _holder(book)
    try:
        started = time.monotonic()
        with pytest.raises(BizcliError) as raised, book_lock(book, timeout=1):
            pass
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert 0.9 < waited < 5
    problem = raised.value.problems[0]
    assert problem.code == "book-locked"
    assert f"(pid {holder.pid}: biz " in problem.message
    assert "waiting for another biz command" in capsys.readouterr().err


def test_a_planted_undo_log_cannot_touch_files_outside_the_book(book: Path,
                                                                 tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (book / "link").symlink_to(tmp_path, target_is_directory=True)
    (book / UNDO_DIR).mkdir(parents=True)
    (book / UNDO_DIR / "log").write_text(
        "bizcli-undo 1 pid=1\n- ../victim.txt\n- " + str(victim) + "\n- link/victim.txt\n"
        "- .biz/lock\nrm biz.yaml\n")
    finish_interrupted(book)
    assert victim.read_text() == "keep me\n"
    assert (book / "biz.yaml").exists()
    assert not (book / UNDO_DIR / "log").exists()


def test_a_book_file_linked_out_of_the_book_is_not_read(tmp_path: Path) -> None:
    from bizcli.storage.loader import load_book

    secret = tmp_path / "secret.journal"
    secret.write_text("2026-01-01 secret\n    Assets:Cash  1 USD\n    Equity:Open\n")
    root = tmp_path / "book"
    (root / "journal").mkdir(parents=True)
    (root / "biz.yaml").write_text("schema: 1\ncompany: T\ncurrency: USD\n")
    (root / "journal" / "2026.journal").symlink_to(secret)
    book, problems = load_book(root)
    assert book.transaction_count == 0
    assert [(p.code, str(p.source)) for p in problems if p.code == "path-outside-book"] == [
        ("path-outside-book", "journal/2026.journal")]


@pytest.mark.parametrize("given", ["abc", "-1", "nan", "inf"])
def test_a_bad_lock_timeout_in_the_environment_is_one_clear_error(
        book: Path, given: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIZ_LOCK_TIMEOUT", given)
    with pytest.raises(BizcliError) as raised, book_lock(book):
        pass
    assert raised.value.problems[0].code == "bad-number"
    assert "BIZ_LOCK_TIMEOUT" in raised.value.problems[0].message


def test_ctrl_c_during_a_write_leaves_the_book_as_it_was(tmp_path: Path) -> None:
    """SIGINT while ``biz sale ship`` writes its second file: the first is put back."""
    import shutil

    book = tmp_path / "book"
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / "workshop", book)
    before = files(book)
    slow = ("import sys, time\n"
            "from bizcli.storage import transaction\n"
            "keep, calls = transaction._keep, []\n"
            "def slow_keep(path, copy):\n"
            "    keep(path, copy)\n"
            "    calls.append(path)\n"
            "    if len(calls) == 2:  # the stock file is written, the journal is next\n"
            "        print('writing', flush=True)\n"
            "        time.sleep(30)\n"
            "transaction._keep = slow_keep\n"
            "from bizcli.cli.main import run\n"
            "sys.argv = ['biz', '-B', sys.argv[1], 'sale', 'ship', 'SO-2026-0017']\n"
            "run()\n")
    process = subprocess.Popen([sys.executable, "-c", slow, str(book)], text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "BIZ_TODAY": "2026-11-24"})
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "writing"
    assert files(book)["stock/2026.stock"] != before["stock/2026.stock"]
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert files(book) == before
    assert not (book / UNDO_DIR / "log").exists()


def test_a_read_that_a_write_overlapped_is_read_again(book: Path) -> None:
    from bizcli.storage.transaction import consistent_read

    reads: list[str] = []

    def read() -> str:
        text = (book / "biz.yaml").read_text()
        reads.append(text)
        if len(reads) == 1:  # another command commits while this one reads
            with book_lock(book):
                write_atomic(book / "biz.yaml", "schema: 1\nlock_date: 2026-10-31\n")
        return text

    assert consistent_read(book, read) == "schema: 1\nlock_date: 2026-10-31\n"
    assert len(reads) == 2


def test_a_read_during_a_write_waits_and_sees_all_of_it(book: Path) -> None:
    from bizcli.storage.transaction import consistent_read

    writer = subprocess.Popen([sys.executable, "-c", """
import sys, time
from pathlib import Path
from bizcli.storage.atomic import book_lock, write_atomic
book = Path(sys.argv[1])
with book_lock(book):
    write_atomic(book / "biz.yaml", "first file\\n")
    print("halfway", flush=True)
    time.sleep(1.0)
    write_atomic(book / "journal" / "2026.journal", "second file\\n")
""", str(book)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "halfway"
    seen = consistent_read(book, lambda: [files(book)[rel] for rel in
                                          ("biz.yaml", "journal/2026.journal")])
    writer.wait()
    assert seen == ["first file\n", "second file\n"]
