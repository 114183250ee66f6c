"""Every table in one SQLite database (``biz export sqlite FILE``).

Each table gets its primary key and its foreign keys, and an index on every foreign
key that does not start the primary key. Types are chosen for BI tools: integers and
yes/no (0/1) as ``INTEGER``, dates as ``DATE`` and times as ``DATETIME`` (ISO text),
and every amount, quantity and rate as ``TEXT`` holding the exact decimal (``-12.50``),
never a float. Postings also carry ``amount_minor``, the amount as a whole number of
the commodity's ``scale`` (``commodities`` table), so that sums in SQL stay exact.

The database is built in a temporary file next to ``FILE`` and renamed into place only
when complete: a failed export leaves no file, and never half a database. An existing
``FILE`` is kept unless ``force`` is given.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from bizcli.core.problems import BizcliError, Problem, fail
from bizcli.storage.atomic import fsync_dir, unwritable
from bizcli.storage.exports.tables import Kind, Row, Sources, Table

_SQL_TYPES = {Kind.TEXT: "TEXT", Kind.INTEGER: "INTEGER", Kind.DECIMAL: "TEXT",
              Kind.DATE: "DATE", Kind.DATETIME: "DATETIME", Kind.BOOLEAN: "INTEGER"}
_MAX_SHOWN = 5


def _name(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _names(texts: Iterable[str]) -> str:
    return ", ".join(_name(text) for text in texts)


def create_statements(table: Table) -> list[str]:
    """The SQL that creates ``table`` (a view for a table that has one) and its indexes."""
    if table.view is not None:
        view = f"CREATE VIEW {_name(table.name)} ({_names(table.column_names)}) AS "
        return [view + table.view]
    parts = []
    for column in table.columns:
        text = f"{_name(column.name)} {_SQL_TYPES[column.kind]}"
        if column.name in table.key:
            text += " NOT NULL"
        parts.append(text)
    parts.append(f"PRIMARY KEY ({_names(table.key)})")
    parts.extend(f"FOREIGN KEY ({_names(fk.columns)}) REFERENCES {_name(fk.table)} "
                 f"({_names(fk.target)})" for fk in table.foreign_keys)
    statements = [f"CREATE TABLE {_name(table.name)} (\n  " + ",\n  ".join(parts) + "\n)"]
    for fk in table.foreign_keys:
        if tuple(table.key[: len(fk.columns)]) != fk.columns:
            index = f"{table.name}_{'_'.join(fk.columns)}"
            statements.append(f"CREATE INDEX {_name(index)} ON {_name(table.name)} "
                              f"({_names(fk.columns)})")
    return statements


def _values(table: Table, rows: Iterable[Row]) -> Iterator[Sequence[object]]:
    """Rows as SQLite values; a key met twice stops the export (a table cannot hold it)."""
    converters = [(i, _CONVERTERS[column.kind]) for i, column in enumerate(table.columns)
                  if column.kind in _CONVERTERS]
    key_at = [table.column_names.index(name) for name in table.key]
    seen: set[object] = set()
    for row in rows:
        key = row[key_at[0]] if len(key_at) == 1 else tuple(row[i] for i in key_at)
        if key in seen:
            shown = ", ".join(str(part) for part in key) if isinstance(key, tuple) else key
            raise fail("export-conflict", f"{table.name}: two records have the key {shown}; "
                       "an SQLite table cannot hold both",
                       hint="give one of them another number (CSV and JSON exports are "
                            "not affected)")
        seen.add(key)
        if not converters:
            yield row
            continue
        values: list[object] = list(row)
        for i, convert in converters:
            value = row[i]
            if value is not None:
                values[i] = convert(value)
        yield values


def _decimal(value: object) -> str:
    return f"{value:f}"


def _iso(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return value.isoformat() if isinstance(value, dt.date) else value


_CONVERTERS: dict[Kind, Callable[[object], object]] = {
    Kind.DECIMAL: _decimal, Kind.DATE: _iso, Kind.DATETIME: _iso,
    Kind.BOOLEAN: lambda value: 1 if value else 0}


def write_database(path: Path, tables: Sequence[Table], sources: Sources, *,
                   force: bool = False, on_table: Callable[[int], None] | None = None
                   ) -> dict[str, int]:
    """Write every table into a new SQLite database at ``path``; rows written per table.

    ``on_table`` is told of each table written (a progress bar).
    """
    check_target(path, force=force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise unwritable(path, err) from None
    os.close(fd)
    temp = Path(name)
    try:
        counts = _fill(temp, tables, sources, on_table)
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        temp.chmod(0o644)
        _move(temp, path, force=force)
    except BaseException as err:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(err, (OSError, sqlite3.Error)):
            raise unwritable(path, err) from None
        raise
    fsync_dir(path.parent)
    return counts


def check_target(path: Path, *, force: bool) -> None:
    """Refuse a folder, and an existing file unless ``force``."""
    if path.is_dir():
        raise fail("output-exists", f"{path} is a folder", hint="give a file name")
    if path.exists() and not force:
        raise fail("output-exists", f"{path} already exists",
                   hint="give another file name, or add --force to replace it")


def _fill(temp: Path, tables: Sequence[Table], sources: Sources,
          on_table: Callable[[int], None] | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    connection = sqlite3.connect(temp)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        indexes = []
        for table in tables:
            create, *more = create_statements(table)
            connection.execute(create)
            indexes.extend(more)
            if on_table is not None:
                on_table(1)
            if table.view is not None:
                continue
            marks = ", ".join("?" for _ in table.columns)
            cursor = connection.executemany(
                f"INSERT INTO {_name(table.name)} VALUES ({marks})",  # noqa: S608 (our names)
                _values(table, table.rows(sources)))
            counts[table.name] = cursor.rowcount
        for statement in indexes:
            connection.execute(statement)
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise _broken(connection, broken)
        connection.commit()
    finally:
        connection.close()
    return counts


def _broken(connection: sqlite3.Connection, broken: list[tuple[str, int, str, int]]
            ) -> BizcliError:
    """The records that name one that does not exist, as one problem each (a few)."""
    problems = []
    for table, rowid, target, _ in broken[:_MAX_SHOWN]:
        row = connection.execute(f"SELECT * FROM {_name(table)} WHERE rowid = ?",  # noqa: S608
                                 (rowid,)).fetchone()
        problems.append(Problem(
            code="export-conflict", message=f"{table}: {tuple(row)} names a record of "
            f"{target} that does not exist", hint="fix the reference (biz check shows the "
            "problems it knows of); CSV and JSON exports are not affected"))
    return BizcliError(problems)


def _move(temp: Path, path: Path, *, force: bool) -> None:
    """Rename the finished file into place; without ``force``, never over another file."""
    if force:
        temp.replace(path)
        return
    try:
        os.link(temp, path)
    except FileExistsError:
        raise fail("output-exists", f"{path} already exists",
                   hint="give another file name, or add --force to replace it") from None
    except OSError:  # a file system without hard links: check, then rename
        if path.exists():
            raise fail("output-exists", f"{path} already exists",
                       hint="give another file name, or add --force to replace it") from None
        temp.replace(path)
        return
    temp.unlink()
