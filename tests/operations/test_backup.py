"""The restore drill, on SQLite and on PostgreSQL, with the real command line: build a
database through the services, back it up, wreck it, restore it, and compare every table
row by row with the snapshot taken before the wreck (tests/operations/drill_data.py);
then restore the same backup into a new, empty database, as after losing the server.
And the ways a backup or a restore is refused: one line, exit code 2, nothing changed."""

from __future__ import annotations

import gzip
import sqlite3
import threading

import pytest

from tests.operations.drill_data import FILLED, snapshot, wreck
from tests.operations.scratch import (
    POSTGRESQL,
    SQLITE,
    connected,
    one_line,
    run_all,
    scratch,
)

BACKENDS = [
    pytest.param(SQLITE, marks=pytest.mark.sqlite_only, id="sqlite"),
    pytest.param(POSTGRESQL, id="postgresql"),
]


def succeeded(done) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def refused(done, *expected: str) -> str:
    assert done.returncode == 2, (done.args, done.stdout, done.stderr)
    line = one_line(done.stderr)
    for text in expected:
        assert text in line, (done.args, line)
    return line


def assert_same_tables(actual: dict, expected: dict) -> None:
    assert sorted(actual) == sorted(expected)
    for table in expected:
        assert actual[table] == expected[table], f"{table} is not as it was at the backup"


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_restore_drill(kind, tmp_path, django_db_blocker):
    backup = tmp_path / "shorttrack.backup"
    with scratch(kind, tmp_path / "live", tables=True) as live:
        succeeded(live.python("-m", "tests.operations.drill_data", "build"))
        with connected(live, django_db_blocker) as connection:
            before = snapshot(connection)
        empty = [table for table in FILLED if not before[table]["rows"]]
        assert not empty, f"the drill's database has nothing in {empty}"

        kind_name = "SQLite" if kind == SQLITE else "PostgreSQL"
        assert succeeded(live.cli("backup", str(backup))).startswith(f"backed up the {kind_name}")

        with connected(live, django_db_blocker) as connection:
            wreck(connection)
            wrecked = snapshot(connection)
        assert "store_session" not in wrecked
        assert wrecked["store_raceevent"]["rows"] == []
        assert wrecked["store_raceresultline"]["rows"] != before["store_raceresultline"]["rows"]

        refused(live.cli("restore", str(backup)), "holds data", "--force")
        assert succeeded(live.cli("restore", str(backup), "--force")).startswith(
            f"restored {backup} into the {kind_name} database"
        )
        with connected(live, django_db_blocker) as connection:
            assert_same_tables(snapshot(connection), before)

    # The server is lost: the same backup into a new, empty database needs no --force.
    with scratch(kind, tmp_path / "new") as new:
        succeeded(new.cli("restore", str(backup)))
        with connected(new, django_db_blocker) as connection:
            assert_same_tables(snapshot(connection), before)


@pytest.mark.sqlite_only
def test_an_sqlite_backup_is_one_moment_while_the_database_is_written(tmp_path):
    """A writer commits two rows at a time, in two tables, while `shorttrack backup`
    copies: the backup has as many rows in one as in the other, and passes SQLite's check."""
    with scratch(SQLITE, tmp_path, tables=True) as live:
        path = live.sqlite_file
        stop = threading.Event()

        def write() -> None:
            writer = sqlite3.connect(path, isolation_level=None)
            writer.execute("PRAGMA journal_mode=WAL")
            n = 0
            while not stop.is_set():
                n += 1
                writer.execute("BEGIN IMMEDIATE")
                writer.execute("INSERT INTO store_member (code, name) VALUES (?, 'x')", (n,))
                writer.execute("INSERT INTO auth_group (name) VALUES (?)", (f"group {n}",))
                writer.execute("COMMIT")
            writer.close()

        thread = threading.Thread(target=write)
        thread.start()
        try:
            done = live.cli("backup", str(tmp_path / "during.backup"))
        finally:
            stop.set()
            thread.join()
        succeeded(done)
        with sqlite3.connect(tmp_path / "during.backup") as copy:
            (members,) = copy.execute("SELECT COUNT(*) FROM store_member").fetchone()
            (groups,) = copy.execute("SELECT COUNT(*) FROM auth_group").fetchone()
            (journal,) = copy.execute("PRAGMA journal_mode").fetchone()
            (check,) = copy.execute("PRAGMA integrity_check").fetchone()
        with sqlite3.connect(path) as after:
            (written,) = after.execute("SELECT COUNT(*) FROM store_member").fetchone()
        assert 0 < members < written, "the backup was not taken while the writer wrote"
        assert members == groups
        assert journal == "delete" and check == "ok"


@pytest.mark.sqlite_only
def test_what_is_not_a_backup_is_neither_written_over_nor_restored(tmp_path):
    with scratch(SQLITE, tmp_path / "db", tables=True) as db:
        backup = tmp_path / "good.backup"
        succeeded(db.cli("backup", str(backup)))
        notes = tmp_path / "notes.txt"
        notes.write_text("the referee's notes\n")
        zipped = tmp_path / "good.backup.gz"
        zipped.write_bytes(gzip.compress(backup.read_bytes()))
        foreign = tmp_path / "foreign.sqlite3"
        with sqlite3.connect(foreign) as other:
            other.execute("CREATE TABLE notes (text)")
        other.close()
        truncated = tmp_path / "truncated.backup"
        truncated.write_bytes(backup.read_bytes()[:3000])
        postgresql = tmp_path / "pg.backup"
        postgresql.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
        database = str(db.sqlite_file)
        cases = {
            ("backup", str(notes)): ["exists and is not a backup", "another name"],
            ("backup", str(tmp_path)): ["is a folder", "file name"],
            ("backup", str(tmp_path / "no" / "such.backup")): ["folder", "does not exist"],
            ("backup", database): ["is the database itself"],
            ("backup", f"{database}-wal"): ["is the database itself"],
            ("restore", database, "--force"): ["is the configured database itself"],
            ("restore", str(notes), "--force"): ["is not a backup"],
            ("restore", str(zipped), "--force"): ["compressed (gzip)", "gunzip"],
            ("restore", str(tmp_path / "missing.backup")): ["no such file"],
            ("restore", str(tmp_path), "--force"): ["is a folder"],
            ("restore", str(foreign), "--force"): ["not a shorttrack backup"],
            ("restore", str(truncated), "--force"): ["damaged SQLite database"],
            ("restore", str(postgresql), "--force"): [
                "is a backup of a PostgreSQL database",
                "SQLite database",
            ],
        }
        results = run_all([(db, args, {}) for args in cases])
        for expected, done in zip(cases.values(), results, strict=True):
            refused(done, *expected)
        assert notes.read_text() == "the referee's notes\n"
        # An older backup is replaced, and nothing is left beside it.
        succeeded(db.cli("backup", str(backup)))
        assert sorted(p.name for p in tmp_path.iterdir() if "good" in p.name) == [
            "good.backup",
            "good.backup.gz",
        ]


def test_postgresql_backups_refused(tmp_path):
    with scratch(POSTGRESQL, tmp_path / "db", tables=True) as db:
        backup = tmp_path / "good.backup"
        succeeded(db.cli("backup", str(backup)))
        truncated = tmp_path / "truncated.backup"
        truncated.write_bytes(backup.read_bytes()[:2000])
        sqlite_backup = tmp_path / "sqlite.backup"
        with sqlite3.connect(sqlite_backup) as other:
            other.execute("CREATE TABLE django_migrations (id)")
            other.execute("CREATE TABLE store_season (id)")
        other.close()
        cases: dict[tuple, tuple[dict, list[str]]] = {
            ("restore", str(sqlite_backup), "--force"): (
                {},
                ["is a backup of an SQLite database", "PostgreSQL database"],
            ),
            ("restore", str(truncated), "--force"): ({}, [str(truncated)]),
            ("backup", str(tmp_path / "x.backup")): (
                {"PATH": str(tmp_path)},
                ["pg_dump is not installed", "postgresql-client"],
            ),
            ("restore", str(backup), "--force"): (
                {"SHORTTRACK_PG_BIN": "/nowhere"},
                ["pg_restore is not in SHORTTRACK_PG_BIN=/nowhere"],
            ),
        }
        results = run_all([(db, args, env) for args, (env, _) in cases.items()])
        for (_, expected), done in zip(cases.values(), results, strict=True):
            refused(done, *expected)
        assert not (tmp_path / "x.backup").exists()
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
