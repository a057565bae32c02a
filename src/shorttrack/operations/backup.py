"""``shorttrack backup FILE``: a complete, consistent copy of the configured database,
made with the database's own tool while the site keeps running (docs/operations.md).

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one
step, inside one read transaction, so the copy is the database as of one moment even
while the server writes (in WAL mode readers and the writer do not wait for each other).
The copy is then switched from WAL to a rollback journal, so that the backup is one
self-contained file, and must pass ``PRAGMA quick_check``.

PostgreSQL: ``pg_dump --format=custom``, which reads everything in one snapshot; every
table, sequence and constraint, the users and their sessions included.

The copy is written beside FILE under a temporary name and renamed over it when whole:
a failed backup leaves no half-written file, and the backup FILE held before stays until
the new one is complete. FILE may replace an older backup, never anything else, and never
the database itself.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

from shorttrack.operations import OperationFailed
from shorttrack.operations.archive import (
    is_backup,
    libpq_environment,
    run_tool,
    sqlite_copy,
    tool,
)
from shorttrack.operations.database import (
    connect,
    connection,
    describe,
    require_tables,
    sqlite_path,
    table_names,
)


@dataclass
class Backup:
    database: str
    path: Path
    size: int
    tables: int
    seconds: float

    def summary(self) -> str:
        return (
            f"backed up {self.database} to {self.path} "
            f"({_size(self.size)}, {self.tables} tables, {self.seconds:.1f} s)"
        )


def backup(target: Path, conn: BaseDatabaseWrapper | None = None) -> Backup:
    """Write a backup of the database to ``target``."""
    conn = conn or connection()
    target = Path(target)
    _check_target(target, conn)
    require_tables(conn)
    started = time.perf_counter()
    tables = len(table_names(conn))
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        if conn.vendor == "sqlite":
            _sqlite(conn, partial)
        elif conn.vendor == "postgresql":
            _postgresql(conn, partial)
        else:
            raise OperationFailed(f"cannot back up {describe(conn)}: SQLite and PostgreSQL only")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _sync_folder(target.parent)
    return Backup(
        describe(conn), target, target.stat().st_size, tables, time.perf_counter() - started
    )


def _check_target(target: Path, conn: BaseDatabaseWrapper) -> None:
    if target.is_dir():
        raise OperationFailed(
            f"{target} is a folder: give the backup's file name, e.g. "
            f"{target / 'shorttrack-2025-10-18.backup'}"
        )
    folder = target.parent
    if not folder.exists():
        raise OperationFailed(f"cannot write {target}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise OperationFailed(f"cannot write {target}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OperationFailed(f"cannot write {target}: no permission to write in {folder}")
    database = sqlite_path(conn)
    if database is not None and target.resolve() in {
        Path(f"{database}{suffix}").resolve() for suffix in ("", "-wal", "-shm", "-journal")
    }:
        raise OperationFailed(f"{target} is the database itself: write the backup elsewhere")
    if target.exists() and not is_backup(target):
        raise OperationFailed(
            f"{target} exists and is not a backup: not replacing it; choose another name"
        )


def _sqlite(conn: BaseDatabaseWrapper, partial: Path) -> None:
    connect(conn)
    copy = sqlite3.connect(partial)
    try:
        # Every page in one step, so the copy is one moment of the database.
        sqlite_copy(conn.connection, copy, f"backing up {describe(conn)}")
        copy.execute("PRAGMA journal_mode=DELETE")
        (check,) = copy.execute("PRAGMA quick_check").fetchone()
    finally:
        copy.close()
    if check != "ok":
        raise OperationFailed(
            f"the copy of {describe(conn)} fails SQLite's check ({check}): the database "
            "itself may be damaged; run `sqlite3 FILE 'PRAGMA integrity_check'` on it"
        )


def _postgresql(conn: BaseDatabaseWrapper, partial: Path) -> None:
    run_tool(
        [tool("pg_dump"), "--format=custom", "--no-password", f"--file={partial}"],
        libpq_environment(conn.settings_dict),
        f"backing up {describe(conn)}",
    )


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (the file's content was synced by its writer)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _size(size: float) -> str:
    if size < 1000:
        return f"{size:.0f} bytes"
    for unit in ("kB", "MB", "GB"):
        size /= 1000
        if size < 1000 or unit == "GB":
            break
    return f"{size:.1f} {unit}"
