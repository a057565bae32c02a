"""Never a traceback for a user's mistake (docs/operations.md).

Every command, run as an operator runs it (a subprocess of ``python -m shorttrack.cli``,
production settings, no secret key) on a database without tables, either sets it up
(``migrate``, ``setup-demo``) or stops with one line on stderr saying what to run, exit
code 2. The commands are the Typer app's own list: a new command is covered as soon as
it exists (its required options get made-up values, or an example in EXAMPLES). An
unreachable database gets one line naming it and the reason. Bad input to each command,
on a database with tables, gets one line and exit code 2; a bug gets one line saying so
and where the traceback went, exit code 1, or the exception itself with SHORTTRACK_DEBUG=1.
"""

from __future__ import annotations

import enum
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import typing
from contextlib import ExitStack
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from shorttrack.cli import SETS_UP_ITSELF, app
from shorttrack.services.imports import import_paths
from tests.operations.scratch import (
    POSTGRESQL,
    SQLITE,
    Database,
    one_line,
    postgres_url,
    require_postgres,
    run_all,
    scratch,
)
from tests.support import SMALL_COMPETITION

COMMANDS = typer.main.get_command(app).commands
BACKENDS = [
    pytest.param(SQLITE, marks=pytest.mark.sqlite_only, id="sqlite"),
    pytest.param(POSTGRESQL, id="postgresql"),
]
# Arguments for commands whose made-up ones would not do (see example_args).
EXAMPLES = {
    # Quick: nothing to import, nothing to simulate; it creates the tables first.
    "setup-demo": ["--data", "{tmp}/no-data", "--simulate", ""],
    "restore": ["{tmp}/missing.backup"],
}


CALLBACKS = {
    info.name or info.callback.__name__.replace("_", "-"): info.callback
    for info in app.registered_commands
}


def example_args(command, tmp: Path) -> list[str]:
    """Arguments that get the command past its parsing: EXAMPLES, else a made-up value
    for each required option and argument, by the type its function declares."""
    if command.name in EXAMPLES:
        return [arg.format(tmp=tmp) for arg in EXAMPLES[command.name]]
    hints = typing.get_type_hints(CALLBACKS[command.name])
    args: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        kind = hints[param.name]
        kind = typing.get_args(kind)[0] if typing.get_origin(kind) is list else kind
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            value = str(next(iter(kind)).value)
        elif kind in (int, float):
            value = "1"
        elif kind is Path:
            value = str(SMALL_COMPETITION)
        else:
            value = "2023/24"
        if param.param_type_name == "argument":
            args.append(value)
        else:
            args += [param.opts[0], value]
    return args


# -- every command on a database without tables ------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def empty_runs(request, tmp_path_factory):
    """Each command run once, at the same time, each on a new database of its own."""
    kind = request.param
    tmp = tmp_path_factory.mktemp(f"empty-{kind}")
    (tmp / "no-data").mkdir()
    with ExitStack() as stack:
        databases = {
            name: stack.enter_context(scratch(kind, tmp / name.replace("-", "_")))
            for name in COMMANDS
        }
        calls = [
            (databases[name], (name, *example_args(COMMANDS[name], tmp)), {}) for name in COMMANDS
        ]
        results = dict(zip(COMMANDS, run_all(calls), strict=True))
        tables = {name: _has_tables(databases[name]) for name in COMMANDS}
        yield {name: (databases[name], results[name], tables[name]) for name in COMMANDS}


def _has_tables(database: Database) -> bool:
    if database.kind == SQLITE:
        if not database.sqlite_file.exists():
            return False
        with sqlite3.connect(database.sqlite_file) as connection:
            return bool(connection.execute("SELECT 1 FROM sqlite_master").fetchall())
    done = subprocess.run(
        [
            "psql",
            database.url,
            "-Atc",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout) > 0


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_on_an_empty_database(empty_runs, name):
    database, done, has_tables = empty_runs[name]
    assert "Traceback" not in done.stderr + done.stdout
    if name == "migrate":
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("created the tables of the ")
        assert has_tables
    elif name == "setup-demo":
        # It creates the tables, then stops at (or imports nothing from) an empty folder.
        assert done.returncode in (0, 2), done.stderr
        if done.returncode:
            one_line(done.stderr)
        assert has_tables
    elif name == "restore":
        # Restoring into an empty database is what it is for (tests/operations): here
        # the backup is missing.
        assert done.returncode == 2
        assert "no such file" in one_line(done.stderr)
    else:
        assert name not in SETS_UP_ITSELF
        assert done.returncode == 2, (done.args, done.stdout, done.stderr)
        line = one_line(done.stderr)
        assert "run `shorttrack migrate`" in line
        assert "has no tables" in line or "does not exist" in line
        assert not has_tables
        if database.kind == SQLITE:
            assert not database.sqlite_file.exists(), "a mistyped DATABASE_URL left a file"


# -- a database that cannot be used ------------------------------------------------------


def line_of(done) -> str:
    assert done.returncode == 2, (done.args, done.stdout, done.stderr)
    return one_line(done.stderr)


@pytest.mark.sqlite_only
def test_an_sqlite_database_that_cannot_be_opened(tmp_path):
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database, not at all; a text file of more than a hundred bytes " * 3)
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (text)")
    connection.close()
    missing = tmp_path / "no" / "such" / "db.sqlite3"
    standings = ("standings", "--season", "2023/24")
    cases = [
        (missing, standings, ["the folder", "does not exist"]),
        (missing, ("migrate",), ["the folder", "does not exist"]),  # migrate makes no folders
        (tmp_path, standings, ["is a folder"]),
        (text, ("backup", str(tmp_path / "x.backup")), ["not an SQLite database"]),
        (foreign, ("migrate",), ["not shorttrack's", "check DATABASE_URL"]),
    ]
    results = run_all(
        [
            (Database(SQLITE, f"sqlite:///{path}", tmp_path / "var"), args, {})
            for path, args, _ in cases
        ]
    )
    for (path, _, expected), done in zip(cases, results, strict=True):
        line = line_of(done)
        assert str(path) in line
        for words in expected:
            assert words in line, line
    assert not (tmp_path / "no").exists()


@pytest.mark.sqlite_only
def test_a_read_only_sqlite_database():
    """Writing to a database the user may only read: one line saying so (as root, the
    command runs as nobody, for whom the file is read-only)."""
    folder = Path(tempfile.mkdtemp(prefix="shorttrack-read-only-"))
    try:
        with scratch(SQLITE, folder / "db", tables=True) as database:
            path = database.sqlite_file
            path.chmod(0o444)
            # The folder too: SQLite writes its -wal and -shm files beside the database.
            path.parent.chmod(0o555)
            folder.chmod(0o755)
            as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            done = subprocess.run(
                [*(as_nobody if os.getuid() == 0 else []), sys.executable, "-m", "shorttrack.cli"]
                + ["import", str(SMALL_COMPETITION)],
                cwd=path.parent,
                env=database.env(),
                capture_output=True,
                text=True,
                timeout=120,
            )
            line = line_of(done)
            assert str(path) in line, line
            assert "read-only" in line or "no permission" in line, line
    finally:
        for inside in folder.rglob("*"):
            inside.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_postgresql_server_that_cannot_be_reached(tmp_path):
    var = tmp_path / "var"
    refused = Database(POSTGRESQL, "postgres://postgres@127.0.0.1:1/shorttrack", var)
    unknown_host = Database(POSTGRESQL, "postgres://postgres@no-such-host.invalid/shorttrack", var)
    results = run_all(
        [
            (refused, ("standings", "--season", "2023/24"), {}),
            (refused, ("migrate",), {}),
            (refused, ("restore", str(tmp_path / "x.backup")), {}),
            (unknown_host, ("ranking", "--season", "2023/24", "--race", "Montreal, 500m"), {}),
        ]
    )
    for done in results[:2]:
        line = line_of(done)
        assert "cannot connect to the PostgreSQL database shorttrack at 127.0.0.1:1" in line
        assert "Connection refused" in line
    assert "no such file" in line_of(results[2])
    line = line_of(results[3])
    assert "no-such-host.invalid" in line


def test_a_postgresql_database_that_does_not_exist(tmp_path):
    server = require_postgres()
    missing = Database(POSTGRESQL, postgres_url(server, "shorttrack_never_created"), tmp_path)
    line = line_of(missing.cli("standings", "--season", "2023/24"))
    assert 'database "shorttrack_never_created" does not exist' in line
    assert "createdb shorttrack_never_created" in line and "shorttrack migrate" in line


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_database_that_needs_migrating(kind, tmp_path, django_db_blocker):
    from tests.operations.scratch import connected

    with scratch(kind, tmp_path, tables=True) as database:
        with connected(database, django_db_blocker) as connection, connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM django_migrations WHERE id = (SELECT MAX(id) FROM django_migrations)"
            )
        line = line_of(database.cli("globe", "--season", "2023/24", "--gender", "men"))
        assert "needs migrating (1 migration not applied:" in line
        assert line.endswith("run `shorttrack migrate`")


def test_a_bad_database_url(tmp_path):
    database = Database(SQLITE, "mysqlx://somewhere/shorttrack", tmp_path)
    line = line_of(database.cli("standings", "--season", "2023/24"))
    assert "cannot be loaded" in line and "DATABASE_URL" in line


# -- bad input, on a database with tables ------------------------------------------------

runner = CliRunner()


@pytest.fixture
def season(db):
    import_paths([SMALL_COMPETITION])


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    binary = tmp_path / "results.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    notes = tmp_path / "notes.txt"
    notes.write_text("the referee's notes\n")
    return {"binary": binary, "notes": notes, "folder": tmp_path}


BAD_INPUT = [
    (["standings", "--season", "1999/00"], "unknown season '1999/00'"),
    (["standings", "--season", "2023/24", "--classification", "800m", "--gender", "women"], "800m"),
    (["standings", "--season", "2023/24", "--classification", "overall"], "needs a gender"),
    (
        ["standings", "--season", "2023/24", "--gender", "men", "--as-of", "yesterday"],
        "is not a moment",
    ),
    (
        [
            "standings",
            "--season",
            "2023/24",
            "--gender",
            "women",
            "--as-of",
            "2023-10-21",
            "--after",
            "Montreal, 1000m (1)",
        ],
        "not both",
    ),
    (
        ["standings", "--season", "2023/24", "--gender", "women", "--after", "Calgary, 500m"],
        "Calgary",
    ),
    (["standings", "--season", "2023/24", "--format", "xml"], "'xml' is not one of"),
    (["standings"], "Missing option '--season'"),
    (["standings", "--season", "2023/24", "--colour", "red"], "No such option"),
    (["ranking", "--season", "2023/24", "--race", "Montreal, 1500m", "--gender", "women"], "1500m"),
    (
        ["ranking", "--season", "2023/24", "--race", "Montreal, 1000m (1)", "--gender", "robots"],
        "robots",
    ),
    (["import", "{folder}/missing.csv"], "no such file"),
    (["import", "{binary}"], "not UTF-8 text"),
    (["import", "{notes}"], "expected a .json or .csv file"),
    (["export", "--season", "1999/00", "--output", "{folder}/out"], "unknown season"),
    (
        ["export", "--season", "2023/24", "--output", "{folder}/out", "--format", "xml"],
        "expected json or csv",
    ),
    (["export", "--season", "2023/24", "--output", "{notes}"], "is a file"),
    (["facts", "--season", "2023/24"], "give --race, or --competition"),
    (
        ["facts", "--season", "2023/24", "--competition", "Montreal", "--day", "2023-13-45"],
        "is not a day",
    ),
    (["facts", "--season", "2023/24", "--competition", "Calgary"], "Calgary"),
    (
        ["facts", "--season", "2023/24", "--competition", "Montreal", "--format", "csv"],
        "not offered",
    ),
    (
        ["globe", "--season", "2023/24", "--classification", "marathon", "--gender", "men"],
        "marathon",
    ),
    (["globe", "--season", "2023/24", "--gender", "women", "--format", "csv"], "not offered"),
    (
        ["official", "olga", "--season", "2023/24", "--competition", "7", "--role", "organiser"],
        "no competition 7",
    ),
    (
        ["official", "olga", "--season", "2023/24", "--competition", "1", "--role", "judge"],
        "unknown role 'judge'",
    ),
    (
        ["official", "olga", "--season", "2023/24", "--competition", "x", "--role", "referee"],
        "Invalid value for '--competition'",
    ),
    (
        [
            "official",
            "olga",
            "--season",
            "2023/24",
            "--competition",
            "1",
            "--role",
            "referee",
            "--password-env",
            "SHORTTRACK_TEST_UNSET",
        ],
        "is not set",
    ),
    (["simulate", "--season", "2023/24"], "already in the database"),
    (["backup", "{folder}"], "is a folder"),
    (["restore", "{notes}"], "is not a backup"),
    (["announce", "--every", "-1"], "Invalid value for '--every'"),
    (["audit", "repair"], "'repair' is not one of 'verify'"),
    (["audit", "verify", "--season", "1999/00"], "no competition in season 1999/00"),
    (["audit", "verify", "--competition", "3"], "--competition needs --season"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD_INPUT, ids=[" ".join(a[:3]) for a, _ in BAD_INPUT]
)
def test_bad_input_gets_one_line_and_exit_code_2(season, files, args, message):
    args = [arg.format(**files) for arg in args]
    result = runner.invoke(app, args, env={"SHORTTRACK_DEBUG": None})
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.output
    line = one_line(result.stderr)
    assert line.startswith("error: ")
    assert message in line


def test_every_command_has_a_bad_input_case():
    covered = {args[0] for args, _ in BAD_INPUT}
    assert covered >= set(COMMANDS) - {"migrate", "setup-demo"}, "add a case to BAD_INPUT"


# -- a bug -------------------------------------------------------------------------------


@pytest.fixture
def bug(monkeypatch):
    from shorttrack.queries import standings

    def broken(*args, **kwargs):
        raise KeyError("the points table")

    monkeypatch.setattr(standings, "get_season", broken)


def test_a_bug_says_so_in_one_line_and_keeps_the_traceback(season, bug, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    result = runner.invoke(
        app, ["standings", "--season", "2023/24"], env={"SHORTTRACK_DEBUG": None}
    )
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert "a bug in shorttrack" in line and "KeyError: 'the points table'" in line
    (log,) = (tmp_path / "log").iterdir()
    assert str(log) in line
    assert "Traceback (most recent call last)" in log.read_text()
    assert "in broken" in log.read_text()


def test_with_shorttrack_debug_a_bug_is_raised_as_it_is(season, bug):
    result = runner.invoke(app, ["standings", "--season", "2023/24"], env={"SHORTTRACK_DEBUG": "1"})
    assert isinstance(result.exception, KeyError)
    # Mistakes of the user are still one line.
    result = runner.invoke(
        app,
        ["export", "--season", "2023/24", "--output", "out", "--format", "xml"],
        env={"SHORTTRACK_DEBUG": "1"},
    )
    assert result.exit_code == 2 and "expected json or csv" in one_line(result.stderr)


def test_a_redis_that_cannot_be_reached_is_one_line(season, monkeypatch):
    import redis

    from shorttrack.queries import standings

    def unreachable(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:1.")

    monkeypatch.setattr(standings, "get_season", unreachable)
    result = runner.invoke(
        app, ["standings", "--season", "2023/24"], env={"SHORTTRACK_DEBUG": None}
    )
    assert result.exit_code == 2
    assert "cannot reach Redis at REDIS_URL (Error 111" in one_line(result.stderr)


# -- migrate -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", BACKENDS)
def test_migrate_on_a_database_that_is_up_to_date(kind, tmp_path):
    """(On an empty one it creates the tables: test_every_command_on_an_empty_database.)"""
    with scratch(kind, tmp_path, tables=True) as database:
        again, standings = run_all(
            [(database, ("migrate",), {}), (database, ("standings", "--season", "2023/24"), {})]
        )
        assert again.returncode == 0 and again.stderr == ""
        assert again.stdout.count("\n") == 1
        assert again.stdout.strip().endswith("is up to date: no migrations to apply")
        assert "unknown season '2023/24'" in line_of(standings)
