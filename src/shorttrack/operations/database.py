"""The configured database: what to call it, whether it can be opened, whether its tables
are there and up to date; and ``shorttrack migrate``, which creates or updates them.

Every command-line job asks ``require_tables`` before it reads or writes, except the ones
that bring the tables themselves (``migrate``, ``setup-demo``, ``restore``). A missing
SQLite file is not created by asking: a mistyped DATABASE_URL must not leave an empty
database behind. Every problem is a ``DatabaseProblem`` whose message is one line naming
the database, the reason and what to run (docs/operations.md); ``explain`` says the same
of a database error met half-way through a job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import DatabaseError, InterfaceError, OperationalError

from shorttrack.operations import OperationFailed

MIGRATE = "`shorttrack migrate`"
RESTORE = "`shorttrack restore FILE`"
# Tables `migrate` fills by itself: a database holding only these holds no data.
FILLED_BY_MIGRATE = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class DatabaseProblem(OperationFailed):
    """The configured database cannot serve the command (one line: which, why, what to do)."""


class NotSetUp(DatabaseProblem):
    """No tables yet, someone else's tables, or migrations not applied."""


class Unreachable(DatabaseProblem):
    """The database cannot be opened or connected to, or stopped answering."""


def connection(alias: str = DEFAULT_DB_ALIAS) -> BaseDatabaseWrapper:
    return connections[alias]


def describe(conn: BaseDatabaseWrapper | None = None) -> str:
    """'the SQLite database /srv/shorttrack.sqlite3', 'the PostgreSQL database shorttrack at
    db.example.org:5432 (user results)': never the password."""
    conn = conn or connection()
    settings = conn.settings_dict
    if conn.vendor == "sqlite":
        return f"the SQLite database {settings['NAME']}"
    if conn.vendor == "postgresql":
        host = settings.get("HOST") or "the local socket"
        port = settings.get("PORT") or 5432
        user = f" (user {settings['USER']})" if settings.get("USER") else ""
        return f"the PostgreSQL database {settings['NAME']} at {host}:{port}{user}"
    return f"the {conn.vendor} database {settings['NAME']}"


def sqlite_path(conn: BaseDatabaseWrapper | None = None) -> Path | None:
    """The SQLite database's file, None for other databases and in-memory ones."""
    conn = conn or connection()
    if conn.vendor != "sqlite" or conn.is_in_memory_db():
        return None
    name = str(conn.settings_dict["NAME"])
    return None if name.startswith("file:") else Path(name)


def one_line(error: BaseException) -> str:
    """An error's message on one line: drivers write theirs over several."""
    return " ".join(str(error).split()) or type(error).__name__


def connect(conn: BaseDatabaseWrapper | None = None) -> None:
    """Open the connection, or raise ``Unreachable`` saying in one line why it cannot."""
    conn = conn or connection()
    path = sqlite_path(conn)
    if path is not None and not path.parent.is_dir():
        raise Unreachable(f"cannot open {describe(conn)}: {_sqlite_folder_problem(path)}")
    try:
        conn.ensure_connection()
    except DatabaseError as error:
        raise _cannot_open(error, conn) from error


def table_names(conn: BaseDatabaseWrapper | None = None) -> list[str]:
    """Every table in the database (not only the ones our models know)."""
    conn = conn or connection()
    connect(conn)
    with conn.cursor() as cursor:
        return conn.introspection.table_names(cursor)


def pending_migrations(conn: BaseDatabaseWrapper | None = None) -> list[str]:
    """'app.migration' of every migration the code has and the database has not applied."""
    from django.db.migrations.executor import MigrationExecutor

    conn = conn or connection()
    executor = MigrationExecutor(conn)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def require_tables(conn: BaseDatabaseWrapper | None = None) -> None:
    """Raise ``NotSetUp`` or ``Unreachable`` unless the database is reachable, holds
    shorttrack's tables and has every migration applied."""
    conn = conn or connection()
    path = sqlite_path(conn)
    if path is not None and path.parent.is_dir() and not path.exists():
        raise NotSetUp(
            f"{describe(conn)} does not exist: run {MIGRATE} to create it, or {RESTORE} "
            "to bring back a backup (or check DATABASE_URL)"
        )
    tables = set(table_names(conn))
    if not tables:
        raise NotSetUp(
            f"{describe(conn)} has no tables: run {MIGRATE} to create them, or {RESTORE} "
            "to bring back a backup"
        )
    if "django_migrations" not in tables:
        raise NotSetUp(
            f"{describe(conn)} holds tables that are not shorttrack's (no django_migrations "
            "table): check DATABASE_URL"
        )
    pending = pending_migrations(conn)
    if pending:
        raise NotSetUp(
            f"{describe(conn)} needs migrating ({_count(pending, 'migration')} not applied: "
            f"{_names(pending)}): run {MIGRATE}"
        )


@dataclass
class Migrated:
    database: str
    created: bool
    applied: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.applied:
            return f"{self.database} is up to date: no migrations to apply"
        if self.created:
            return (
                f"created the tables of {self.database} "
                f"({_count(self.applied, 'migration')} applied)"
            )
        return (
            f"migrated {self.database}: {_count(self.applied, 'migration')} applied "
            f"({_names(self.applied)})"
        )


def migrate(conn: BaseDatabaseWrapper | None = None) -> Migrated:
    """Create the tables of an empty database, or apply the migrations it lacks."""
    from django.core.management import call_command

    conn = conn or connection()
    tables = set(table_names(conn))
    if tables and "django_migrations" not in tables:
        raise NotSetUp(
            f"{describe(conn)} holds tables that are not shorttrack's (no django_migrations "
            "table): not migrating it; check DATABASE_URL"
        )
    pending = pending_migrations(conn)
    if pending:
        call_command("migrate", database=conn.alias, verbosity=0, interactive=False)
    return Migrated(describe(conn), created=not tables, applied=pending)


def rows_held(conn: BaseDatabaseWrapper | None = None) -> dict[str, int]:
    """Table -> rows, for every table holding rows but those `migrate` fills itself."""
    conn = conn or connection()
    held = {}
    tables = [t for t in table_names(conn) if t not in FILLED_BY_MIGRATE]
    with conn.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            (rows,) = cursor.fetchone()
            if rows:
                held[table] = rows
    return held


def describe_rows(held: dict[str, int]) -> str:
    """'2 seasons, 3 users, 12,345 rows in all'"""
    parts = [
        _count(held[table], noun)
        for table, noun in (("store_season", "season"), ("auth_user", "user"))
        if held.get(table)
    ]
    parts.append(f"{sum(held.values()):,} rows in all")
    return ", ".join(parts)


def explain(
    error: BaseException, conn: BaseDatabaseWrapper | None = None
) -> DatabaseProblem | None:
    """What a database error met in the middle of a job means for the operator, or None
    when it is not about the database's state (a bug: a constraint our checks missed)."""
    if not isinstance(error, DatabaseError):
        return None
    conn = conn or connection()
    text = one_line(error)
    low = text.lower()
    if (
        "no such table" in low
        or "no such column" in low
        or (("relation " in low or "column " in low) and "does not exist" in low)
    ):
        return NotSetUp(f"{describe(conn)} is not set up ({text}): run {MIGRATE}")
    if isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError:
        if "readonly" in low or "read-only" in low:
            return Unreachable(
                f"{describe(conn)} is read-only ({text}): the database file and its folder "
                "must be writable by this user"
            )
        if "is locked" in low:
            return Unreachable(f"{describe(conn)} is locked by another process ({text}): try again")
        if "not a database" in low:
            return Unreachable(
                f"{describe(conn)} is not an SQLite database ({text}): check DATABASE_URL"
            )
        return Unreachable(f"{describe(conn)}: {text}")
    return None


def _cannot_open(error: DatabaseError, conn: BaseDatabaseWrapper) -> DatabaseProblem:
    text = one_line(error)
    path = sqlite_path(conn)
    if path is not None:
        if "unable to open" in text.lower():
            return Unreachable(
                f"cannot open {describe(conn)}: {_sqlite_folder_problem(path) or text}"
            )
        return explain(error, conn) or Unreachable(f"cannot open {describe(conn)}: {text}")
    # libpq: 'connection failed: connection to server at "h", port 5432 failed: FATAL: ...'
    reason = text.rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()
    hint = ""
    if "database" in reason and "does not exist" in reason:
        name = conn.settings_dict["NAME"]
        hint = f"; create it (createdb {name}) and run {MIGRATE}, or check DATABASE_URL"
    elif "refused" in reason.lower() and "server running" not in reason:
        hint = "; is the server running there?"
    return Unreachable(f"cannot connect to {describe(conn)}: {reason}{hint}")


def _sqlite_folder_problem(path: Path) -> str:
    folder = path.parent
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if path.is_dir():
        return f"{path} is a folder, not a database file"
    if path.exists() and not os.access(path, os.R_OK):
        return f"no permission to read {path}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"no permission to write in {folder} (SQLite keeps its -wal and -shm files there)"
    return ""


def _count(n: int | list, noun: str) -> str:
    n = len(n) if isinstance(n, list) else n
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _names(names: list[str], shown: int = 3) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
