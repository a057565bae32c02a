"""What a backup file is, and the PostgreSQL client tools that write and read them.

A backup is what the database's own tool makes: an SQLite database file (``SQLite format
3``) or a pg_dump archive in the custom format (``PGDMP``). ``inspect`` tells them apart by
their first bytes (``kind_of``) and refuses anything else in one line: a missing file, a
folder, a compressed or plain-SQL dump; ``check`` refuses one that is not shorttrack's or
is damaged. ``tool`` finds pg_dump and pg_restore on PATH, or in ``SHORTTRACK_PG_BIN`` (the
folder of the client tools of the server's version), and ``run_tool`` runs one with the
connection in libpq's environment variables, so a password never shows in a process list.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

from shorttrack.operations import OperationFailed

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
KIND_NAMES = {SQLITE: "an SQLite", POSTGRESQL: "a PostgreSQL"}
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Tables every shorttrack database has: a file without them is someone else's database.
OUR_TABLES = ("django_migrations", "store_season")
# Connection options of DATABASES that libpq's tools take from the environment.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def kind_of(path: Path) -> str:
    """The kind of backup ``path`` is by its first bytes (SQLITE or POSTGRESQL), or
    ``OperationFailed`` saying what it is instead."""
    path = Path(path)
    if not path.exists():
        raise OperationFailed(f"no such file: {path}")
    if path.is_dir():
        raise OperationFailed(f"{path} is a folder: give the backup file itself")
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as error:
        raise OperationFailed(f"cannot read {path}: {error.strerror}") from error
    if head.startswith(SQLITE_MAGIC):
        return SQLITE
    if head.startswith(PG_DUMP_MAGIC):
        return POSTGRESQL
    if head.startswith(b"\x1f\x8b"):
        raise OperationFailed(f"{path} is compressed (gzip): uncompress it first (gunzip -k)")
    if b"PostgreSQL database dump" in head:
        raise OperationFailed(
            f"{path} is a plain SQL dump: load it with psql; `shorttrack backup` writes "
            "pg_dump's custom format"
        )
    raise OperationFailed(
        f"{path} is not a backup: neither an SQLite database nor a pg_dump archive "
        "(`shorttrack backup FILE` writes one)"
    )


def check(path: Path, kind: str) -> None:
    """Is the backup whole and shorttrack's? ``OperationFailed`` if not. An SQLite file
    must pass ``PRAGMA quick_check``; a pg_dump archive's contents are listed by
    pg_restore (a damaged one fails there, or at the latest in the restore, which then
    changes nothing)."""
    if kind == SQLITE:
        _check_sqlite(Path(path))
    else:
        _check_pg_dump(Path(path))


def is_backup(path: Path) -> bool:
    """May a new backup replace the existing file ``path``? Only if it is a backup: an
    SQLite file of shorttrack's, or any pg_dump archive."""
    try:
        if kind_of(path) == SQLITE:
            _check_sqlite(Path(path))
    except OperationFailed:
        return False
    return True


def _check_sqlite(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        try:
            tables = {name for (name,) in source.execute("SELECT name FROM sqlite_master")}
            (check,) = source.execute("PRAGMA quick_check").fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise OperationFailed(f"{path} is a damaged SQLite database ({error})") from error
    missing = [table for table in OUR_TABLES if table not in tables]
    if missing:
        raise OperationFailed(
            f"{path} is an SQLite database but not a shorttrack backup (no {missing[0]} table)"
        )
    if check != "ok":
        raise OperationFailed(f"{path} is a damaged SQLite database (quick_check: {check})")


def _check_pg_dump(path: Path) -> None:
    listing = run_tool(
        [tool("pg_restore"), "--list", str(path)], dict(os.environ), f"reading {path}"
    ).stdout
    missing = [table for table in OUR_TABLES if f" TABLE public {table} " not in listing]
    if missing:
        raise OperationFailed(
            f"{path} is a pg_dump archive but not a shorttrack backup (no {missing[0]} table)"
        )


# How long an SQLite copy waits for a database another connection keeps locked, as a
# PostgreSQL restore waits for its tables (restore.LOCK_TIMEOUT).
LOCK_WAIT_SECONDS = 30


def sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection, doing: str) -> None:
    """Every page of ``source`` into ``target`` in one step (SQLite's online backup API),
    waiting at most LOCK_WAIT_SECONDS for a lock (Python's own loop would wait forever)."""
    started = time.monotonic()

    def waited(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            if time.monotonic() - started > LOCK_WAIT_SECONDS:
                raise OperationFailed(
                    f"{doing}: the database stayed locked by another connection for "
                    f"{LOCK_WAIT_SECONDS} s (a write under way?); try again"
                )

    try:
        source.backup(target, pages=-1, progress=waited, sleep=0.1)
    except sqlite3.Error as error:
        raise OperationFailed(f"{doing} failed: {error}") from error


def tool(name: str) -> str:
    """The path of a PostgreSQL client tool (pg_dump, pg_restore)."""
    folder = os.environ.get("SHORTTRACK_PG_BIN")
    if folder:
        path = Path(folder) / name
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        raise OperationFailed(
            f"{name} is not in SHORTTRACK_PG_BIN={folder}: point it at the folder of the "
            "PostgreSQL client tools (e.g. /usr/lib/postgresql/15/bin)"
        )
    found = shutil.which(name)
    if found is None:
        raise OperationFailed(
            f"{name} is not installed (not on PATH): install the PostgreSQL client tools "
            "of the server's version (Debian: apt-get install postgresql-client), or set "
            "SHORTTRACK_PG_BIN to their folder"
        )
    return found


def libpq_environment(settings: dict) -> dict[str, str]:
    """The environment that points libpq (pg_dump, pg_restore) at this database."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    for option, value in (settings.get("OPTIONS") or {}).items():
        if option in LIBPQ_OPTIONS:
            env[LIBPQ_OPTIONS[option]] = str(value)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return env


def run_tool(args: list[str], env: dict[str, str], doing: str) -> subprocess.CompletedProcess:
    """Run a client tool; its failure is ``OperationFailed``: what we were doing, and the
    tool's own words on one line."""
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise OperationFailed(f"{doing}: cannot run {args[0]}: {error.strerror}") from error
    if done.returncode != 0:
        message = tool_message(done.stderr) or f"{Path(args[0]).name} exited {done.returncode}"
        hint = ""
        if "version mismatch" in message:
            hint = (
                "; set SHORTTRACK_PG_BIN to the client tools of the server's version "
                "(e.g. /usr/lib/postgresql/16/bin)"
            )
        raise OperationFailed(f"{doing} failed: {message}{hint}")
    return done


def tool_message(stderr: str, lines: int = 3) -> str:
    """pg_dump's or pg_restore's complaint on one line, without the SQL it was running."""
    kept = []
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith(("Command was:", "LINE ", "^")):
            continue
        for prefix in ("pg_dump: ", "pg_restore: ", "error: ", "detail: ", "hint: "):
            line = line.removeprefix(prefix)
        if line and not line.startswith(("warning: errors ignored", "DETAIL:  ")):
            kept.append(" ".join(line.split()))
    return "; ".join(kept[:lines])
