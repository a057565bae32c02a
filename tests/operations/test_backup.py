"""The restore drill, on SQLite and on PostgreSQL, with the real command line: build a
database through the services, back it up, wreck it, restore it, and compare every table
row by row with the snapshot taken before the wreck (tests/operations/drill_data.py);
then restore the same backup into a new, empty database, as after losing the server.
And the ways a backup or a restore is refused: one line, exit code 2, nothing changed."""

from __future__ import annotations

import gzip
import sqlite3
import threading
from pathlib import Path

import pytest
from django.db import connection
from typer.testing import CliRunner

from shorttrack.cli import app
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


# -- refused: one line, exit code 2, nothing written ---------------------------------------
# These run in this process, on the test database of the pass (SQLite, then PostgreSQL):
# every check comes before anything is written, and a subprocess each would only add
# Python's start-up to each.

runner = CliRunner()


def run(*args: str, **env: str | None):
    result = runner.invoke(app, list(args), env={"SHORTTRACK_DEBUG": None, **env})
    assert "Traceback" not in result.output
    return result


def refused_here(result, *expected: str) -> str:
    assert result.exit_code == 2, (result.output, result.exception)
    line = one_line(result.stderr)
    for text in expected:
        assert text in line, line
    return line


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory) -> Path:
    """A backup of a database of the pass's kind, by the real command line: written, then
    written again over itself (an older backup is replaced, nothing left beside it)."""
    kind = SQLITE if connection.vendor == "sqlite" else POSTGRESQL
    folder = tmp_path_factory.mktemp("good")
    path = folder / "backups" / "good.backup"
    path.parent.mkdir()
    with scratch(kind, folder / "db", tables=True) as db:
        for _ in range(2):
            done = db.cli("backup", str(path))
            assert done.returncode == 0, done.stderr
    assert [p.name for p in path.parent.iterdir()] == ["good.backup"]
    return path


def test_a_backup_is_not_written_over_what_is_not_a_backup(db, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("the referee's notes\n")
    refused_here(run("backup", str(notes)), "exists and is not a backup", "another name")
    assert notes.read_text() == "the referee's notes\n"
    refused_here(run("backup", str(tmp_path)), "is a folder", "file name")
    refused_here(run("backup", str(tmp_path / "no" / "such.backup")), "folder", "does not exist")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.sqlite_only
def test_an_sqlite_copy_waits_for_a_lock_then_says_so(db, monkeypatch, tmp_path):
    """The test's own transaction keeps the test database locked: Python's backup loop
    would wait for ever; ours gives up in one line."""
    from shorttrack.operations import archive

    monkeypatch.setattr(archive, "LOCK_WAIT_SECONDS", 0.5)
    refused_here(run("backup", str(tmp_path / "x.backup")), "stayed locked", "try again")
    assert list(tmp_path.iterdir()) == []


def test_what_is_not_a_backup_is_not_restored(db, good_backup, tmp_path):
    vendor = connection.vendor
    notes = tmp_path / "notes.txt"
    notes.write_text("season,competition\n")
    refused_here(run("restore", str(notes), "--force"), "is not a backup")
    zipped = tmp_path / "good.backup.gz"
    zipped.write_bytes(gzip.compress(good_backup.read_bytes()))
    refused_here(run("restore", str(zipped), "--force"), "compressed (gzip)", "gunzip")
    refused_here(run("restore", str(tmp_path / "missing.backup")), "no such file")
    refused_here(run("restore", str(tmp_path), "--force"), "is a folder")
    dump = tmp_path / "dump.sql"
    dump.write_text("--\n-- PostgreSQL database dump\n--\n")
    refused_here(run("restore", str(dump), "--force"), "plain SQL dump", "psql")
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as other:
        other.execute("CREATE TABLE notes (text)")
    other.close()
    refused_here(
        run("restore", str(foreign), "--force"),
        "not a shorttrack backup" if vendor == "sqlite" else "is a backup of an SQLite database",
    )
    pg_dump = tmp_path / "pg.backup"
    pg_dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    line = refused_here(run("restore", str(pg_dump), "--force"))
    if vendor == "sqlite":
        assert "is a backup of a PostgreSQL database, but DATABASE_URL names the SQLite" in line
    else:
        assert f"reading {pg_dump} failed" in line
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(good_backup.read_bytes()[:2000])
    refused_here(run("restore", str(truncated), "--force"), str(truncated))


def test_without_the_postgresql_tools_a_line_says_what_to_install(tmp_path):
    archive = tmp_path / "pg.backup"
    archive.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    with scratch(POSTGRESQL, tmp_path / "db", tables=True) as db:
        without, elsewhere = run_all(
            [
                (db, ("backup", str(tmp_path / "x.backup")), {"PATH": str(tmp_path)}),
                (db, ("restore", str(archive), "--force"), {"SHORTTRACK_PG_BIN": "/nowhere"}),
            ]
        )
    line = refused(without, "pg_dump is not installed")
    assert "postgresql-client" in line and "SHORTTRACK_PG_BIN" in line
    refused(elsewhere, "pg_restore is not in SHORTTRACK_PG_BIN=/nowhere")
    assert not (tmp_path / "x.backup").exists()


@pytest.mark.sqlite_only
def test_the_database_itself_is_neither_backup_target_nor_source(tmp_path):
    with scratch(SQLITE, tmp_path, tables=True) as db:
        path = str(db.sqlite_file)
        calls = [
            (db, ("backup", path), {}),
            (db, ("backup", f"{path}-wal"), {}),
            (db, ("restore", path, "--force"), {}),
        ]
        target, wal, source = run_all(calls)
        refused(target, "is the database itself")
        refused(wal, "is the database itself")
        refused(source, "is the configured database itself")
