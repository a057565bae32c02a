"""Scratch databases for tests that run the real command line in subprocesses.

Each test gets a database of its own, named nowhere else: an SQLite file in its temporary
folder, or a PostgreSQL database ``shorttrack_scratch_<random>`` on the server of the
PostgreSQL pass (DATABASE_URL when it is postgres://, else $PG_URL, else
postgres://postgres@127.0.0.1:5432), dropped at the end. An unreachable server skips the
PostgreSQL tests with a note on a developer machine and fails them with CI=true.

Migrating takes seconds (six on PostgreSQL), so a database with tables is a copy of one
migrated once per run: a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL.

The command line runs as an operator would run it: ``python -m shorttrack.cli`` with the
production settings, DATABASE_URL and SHORTTRACK_VAR of the scratch database, no secret
key and no SHORTTRACK_DEBUG.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import dj_database_url
import psycopg
import pytest

from tests.support import REPO

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/shorttrack"


def postgres_server() -> dict:
    """The PostgreSQL server the tests may make databases on (dj_database_url's dict)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("PG_URL", DEFAULT_PG_URL)
    return dj_database_url.parse(url)


def _admin(server: dict) -> psycopg.Connection:
    return psycopg.connect(
        host=server["HOST"],
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def require_postgres() -> dict:
    """The server, or skip (fail with CI=true) when it cannot be reached."""
    server = postgres_server()
    try:
        _admin(server).close()
    except psycopg.OperationalError as error:
        where = f"{server['HOST']}:{server['PORT'] or 5432}"
        message = f"PostgreSQL at {where} is unreachable: {' '.join(str(error).split())}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (CI=true: the PostgreSQL tests must run)")
        pytest.skip(message)
    return server


def postgres_url(server: dict, name: str) -> str:
    user = server["USER"] or ""
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    at = f"{user}{password}@" if user else ""
    return f"postgres://{at}{server['HOST']}:{server['PORT'] or 5432}/{name}"


def create_postgres(server: dict, template: str | None = None) -> str:
    name = f"shorttrack_scratch_{uuid.uuid4().hex[:12]}"
    with _admin(server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name


def drop_postgres(server: dict, name: str) -> None:
    with _admin(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Database:
    """A scratch database and the command line pointed at it."""

    kind: str
    url: str
    var: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("SHORTTRACK_SECRET_KEY", "SHORTTRACK_DEBUG", "DJANGO_SETTINGS_MODULE")
        }
        env.update(
            DATABASE_URL=self.url,
            SHORTTRACK_VAR=str(self.var),
            DJANGO_SETTINGS_MODULE="shorttrack.settings",
            COLUMNS="200",
        )
        env.update(extra)
        return env

    def cli(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        """``shorttrack ARGS...`` in a subprocess, as an operator runs it."""
        return self.python("-m", "shorttrack.cli", *args, **env)

    def python(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            cwd=REPO,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=300,
        )

    @property
    def sqlite_file(self) -> Path:
        assert self.kind == SQLITE
        return Path(self.url.removeprefix("sqlite:///"))


@contextmanager
def scratch(kind: str, folder: Path, *, tables: bool = False) -> Iterator[Database]:
    """A new database of this kind: empty, or with shorttrack's tables (and no rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    var = folder / "var"
    if kind == SQLITE:
        path = folder / f"scratch-{uuid.uuid4().hex[:8]}.sqlite3"
        if tables:
            shutil.copyfile(_migrated_sqlite(), path)
        yield Database(SQLITE, f"sqlite:///{path}", var)
        return
    server = require_postgres()
    name = create_postgres(server, _migrated_postgres() if tables else None)
    try:
        yield Database(POSTGRESQL, postgres_url(server, name), var)
    finally:
        drop_postgres(server, name)


def _run_or_fail(database: Database, *args: str) -> None:
    done = database.cli(*args)
    if done.returncode != 0:
        raise RuntimeError(f"shorttrack {' '.join(args)} failed: {done.stderr}")


@cache
def _migrated_sqlite() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="shorttrack-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "migrated.sqlite3"
    _run_or_fail(Database(SQLITE, f"sqlite:///{path}", folder / "var"), "migrate")
    # A file of its own, without -wal and -shm beside it: copies are whole.
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    return path


@cache
def _migrated_postgres() -> str:
    server = require_postgres()
    name = create_postgres(server)
    atexit.register(drop_postgres, server, name)
    folder = Path(tempfile.mkdtemp(prefix="shorttrack-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _run_or_fail(Database(POSTGRESQL, postgres_url(server, name), folder / "var"), "migrate")
    return name


@contextmanager
def connected(database: Database, django_db_blocker) -> Iterator:
    """A Django connection of the test process's own to the scratch database (pytest-django
    lets it through with its ``django_db_blocker``), closed at the end."""
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler({"default": dj_database_url.parse(database.url)})
    with django_db_blocker.unblock():
        connection = handler["default"]
        try:
            yield connection
        finally:
            connection.close()


def run_all(calls: list[tuple[Database, tuple[str, ...], dict]]) -> list:
    """Several ``shorttrack`` runs at once (each is mostly Python starting up)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda call: call[0].cli(*call[1], **call[2]), calls))


def one_line(stderr: str) -> str:
    """The only line of stderr (the assertion says what else there was)."""
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{stderr}"
    assert "Traceback" not in stderr
    return lines[0]
