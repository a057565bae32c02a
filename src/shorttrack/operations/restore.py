"""``shorttrack restore FILE``: a backup made by ``shorttrack backup`` back into the
configured database, every table as it was at the moment of the backup
(docs/operations.md).

The file is checked first: that it is a backup at all, of the same kind of database as
the configured one, and shorttrack's. A database that holds data is only replaced with
``force``: restoring throws away everything written since the backup. An empty database,
a new SQLite file, or one without tables needs no force: that is the restore after a lost
server.

SQLite: the online backup API again, from the file into the database, in one step and
one transaction; connections of a running server see the restored database at their next
query. The result is exactly the backup: tables the backup does not have are gone too.

PostgreSQL: ``pg_restore --clean --if-exists --no-owner --no-privileges
--single-transaction --exit-on-error``: the tables, sequences and constraints in the
backup are dropped and made again from it, all of it or nothing; objects the backup does
not have (a table of a later migration) are left as they are. A restore waits at most
30 s for a table a running server holds (``lock_timeout``), then stops and changes nothing.

A backup older than the code is restored as it is; the summary then says to run
``shorttrack migrate``. Afterwards every cached page is stale (the results version's
counter is bumped, as a committed change bumps it): with REDIS_URL every worker sees it
at once; an in-process cache lives in the server, which a restore is best done without.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.db.backends.base.base import BaseDatabaseWrapper

from shorttrack.operations import OperationFailed
from shorttrack.operations.archive import (
    KIND_NAMES,
    check,
    kind_of,
    libpq_environment,
    run_tool,
    sqlite_copy,
    tool,
)
from shorttrack.operations.database import (
    MIGRATE,
    connect,
    connection,
    describe,
    describe_rows,
    pending_migrations,
    rows_held,
    sqlite_path,
    table_names,
)

LOCK_TIMEOUT = "30s"


@dataclass
class Restored:
    database: str
    path: Path
    tables: int
    rows: int
    seconds: float
    pending: list[str] = field(default_factory=list)
    caches: str = ""  # why the page caches could not be told, if they could not

    def summary(self) -> str:
        text = (
            f"restored {self.path} into {self.database}: {self.tables} tables, "
            f"{self.rows:,} rows ({self.seconds:.1f} s)"
        )
        if self.caches:
            text += (
                f"; the page caches could not be told ({self.caches}): restart the server "
                "or flush its Redis database"
            )
        if self.pending:
            text += (
                f"; the backup predates {len(self.pending)} migration(s) of this version: "
                f"run {MIGRATE}"
            )
        return text


def restore(
    source: Path, *, force: bool = False, conn: BaseDatabaseWrapper | None = None
) -> Restored:
    """Replace the database's content with the backup ``source``."""
    conn = conn or connection()
    source = Path(source)
    kind = kind_of(source)
    if kind != conn.vendor:
        raise OperationFailed(
            f"{source} is a backup of {KIND_NAMES[kind]} database, but DATABASE_URL names "
            f"{describe(conn)}: restore it into {KIND_NAMES[kind]} database"
        )
    check(source, kind)
    database = sqlite_path(conn)
    if database is not None and database.exists() and source.resolve() == database.resolve():
        raise OperationFailed(f"{source} is the configured database itself, not a backup of it")
    connect(conn)
    held = rows_held(conn)
    if held and not force:
        raise OperationFailed(
            f"{describe(conn)} holds data ({describe_rows(held)}): restoring replaces all "
            "of it with the backup; run again with --force to do that (`shorttrack backup "
            "FILE` first keeps what is there)"
        )
    started = time.perf_counter()
    if kind == "sqlite":
        _sqlite(source, conn)
    else:
        _postgresql(source, conn)
    conn.close()
    seconds = time.perf_counter() - started
    return Restored(
        describe(conn),
        source,
        tables=len(table_names(conn)),
        rows=sum(rows_held(conn).values()),
        seconds=seconds,
        pending=pending_migrations(conn),
        caches=_pages_are_stale(),
    )


def _pages_are_stale() -> str:
    """Every cached page is of the database replaced: bump the results version, as a
    committed change does (shared by every worker with REDIS_URL). '' or what failed."""
    from shorttrack.queries.documents import bump_version

    try:
        bump_version()
    except Exception as error:  # the restore is done; the caches are the server's to drop
        return f"{type(error).__name__}: {' '.join(str(error).split())}"
    return ""


def _sqlite(source: Path, conn: BaseDatabaseWrapper) -> None:
    backup = sqlite3.connect(f"file:{quote(str(source.resolve()))}?mode=ro", uri=True)
    try:
        sqlite_copy(backup, conn.connection, f"restoring {source} into {describe(conn)}")
    finally:
        backup.close()


def _postgresql(source: Path, conn: BaseDatabaseWrapper) -> None:
    env = libpq_environment(conn.settings_dict)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    # Our own connection holds no lock, but close it: nothing of ours in the way.
    conn.close()
    run_tool(
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={conn.settings_dict['NAME']}",
            str(source),
        ],
        env,
        f"restoring {source} into {describe(conn)}",
    )
