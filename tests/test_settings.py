"""The settings a deployment gets without asking: DEBUG off, no server without a secret
key, HTTPS-only cookies, HSTS and redirects behind TLS, a Content-Security-Policy and a
Permissions-Policy on every page, and `check --deploy` without a warning.

These run the real settings module in fresh processes with the environment of a
deployment (docs/deploy.md), as the service manager starts it; the server tests build
their own SQLite database, so they run in the SQLite pass only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.servers import app_process
from tests.support import REPO

PRODUCTION = {
    "SHORTTRACK_SECRET_KEY": "x7Hq-0mVnR2s9LkPz4tWc8YbJ1eA6uDf3gKi5oQr_NyM2vBxZl0pTj7sUw9aE",
    "SHORTTRACK_PUBLIC_URL": "https://results.example.org",
    "SHORTTRACK_ALLOWED_HOSTS": "results.example.org,127.0.0.1",
    "SHORTTRACK_PROXY_SSL_HEADER": "1",
}


def clean_environment(tmp_path, **extra: str) -> dict[str, str]:
    """This process's environment without any of shorttrack's own settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHORTTRACK_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shorttrack.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'shorttrack.sqlite3'}",
        SHORTTRACK_VAR=str(tmp_path),
    )
    env.update(extra)
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


def settings_value(env: dict[str, str], name: str):
    done = run(
        env,
        "-c",
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps(getattr(settings, {name!r}, None)))",
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_debug_is_off_unless_asked_for(tmp_path):
    assert settings_value(clean_environment(tmp_path), "DEBUG") is False
    assert settings_value(clean_environment(tmp_path, SHORTTRACK_DEMO="1"), "DEBUG") is False
    assert settings_value(clean_environment(tmp_path, SHORTTRACK_DEBUG="1"), "DEBUG") is True


def test_the_server_refuses_to_start_without_a_secret_key(tmp_path):
    done = run(clean_environment(tmp_path), "-c", "import shorttrack.asgi")

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "shorttrack: SHORTTRACK_SECRET_KEY is not set; the server will not start without a "
        "secret key. Make one with: python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(50))' (docs/deploy.md), or run `make demo` for the demo."
    ]


def test_the_demo_and_a_deployment_with_a_key_start(tmp_path):
    for env in (
        clean_environment(tmp_path, SHORTTRACK_DEMO="1"),
        clean_environment(tmp_path, **PRODUCTION),
    ):
        done = run(env, "-c", "import shorttrack.asgi")
        assert done.returncode == 0, done.stderr


def test_the_demo_key_says_it_is_the_demo_s_and_a_set_key_wins(tmp_path):
    demo_key = settings_value(clean_environment(tmp_path, SHORTTRACK_DEMO="1"), "SECRET_KEY")
    assert demo_key.startswith("demo-only-")
    set_key = settings_value(
        clean_environment(tmp_path, SHORTTRACK_DEMO="1", SHORTTRACK_SECRET_KEY="k" * 60),
        "SECRET_KEY",
    )
    assert set_key == "k" * 60


def test_check_deploy_gives_no_warning_with_the_production_settings(tmp_path):
    done = run(
        clean_environment(tmp_path, **PRODUCTION),
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_without_tls_check_deploy_names_what_is_missing(tmp_path):
    plain = {k: v for k, v in PRODUCTION.items() if k != "SHORTTRACK_PUBLIC_URL"}
    done = run(
        clean_environment(tmp_path, **plain),
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """uvicorn with the settings of a deployment behind a TLS proxy, on its own SQLite."""
    folder = tmp_path_factory.mktemp("production")
    env = clean_environment(folder, **PRODUCTION)
    done = run(env, "manage.py", "migrate", "--verbosity", "0")
    assert done.returncode == 0, done.stderr
    with app_process(env) as url:
        yield url


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, *, via_tls: bool = True):
    """(status, headers) of a GET as the TLS proxy forwards it (or as plain HTTP)."""
    headers = {"Host": "results.example.org"}
    if via_tls:
        headers["X-Forwarded-Proto"] = "https"
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.mark.sqlite_only
@pytest.mark.parametrize("path", ["/seasons/", "/officials/login/", "/api/docs", "/nowhere/"])
def test_every_page_carries_the_security_headers_behind_tls(production_server, path):
    status, headers = fetch(production_server + path)

    assert status == (404 if path == "/nowhere/" else 200)
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.sqlite_only
def test_cookies_are_secure_and_plain_http_is_sent_to_https(production_server):
    status, headers = fetch(production_server + "/officials/login/")
    cookies = headers.get_all("Set-Cookie")
    csrf = next(c for c in cookies if c.startswith("csrftoken="))
    assert status == 200 and "Secure" in csrf

    status, headers = fetch(production_server + "/seasons/", via_tls=False)
    assert status == 301
    assert headers["Location"] == "https://results.example.org/seasons/"

    # The proxy's health check speaks plain HTTP to the app itself.
    status, _ = fetch(production_server + "/healthz", via_tls=False)
    assert status == 200


def test_a_redis_that_stops_answering_fails_a_cache_read_instead_of_hanging_it(tmp_path):
    """A Redis that takes the connection and never answers (a frozen host): the shared
    cache gives up after its socket timeout; without one, every request would hang."""
    import socket

    with socket.socket() as frozen:
        frozen.bind(("127.0.0.1", 0))
        frozen.listen(8)  # the kernel accepts the connection; nobody ever reads or answers
        port = frozen.getsockname()[1]
        env = clean_environment(tmp_path, REDIS_URL=f"redis://127.0.0.1:{port}/0")
        code = (
            "import django, json; django.setup()\n"
            "from django.core.cache import cache\n"
            "try:\n"
            "    cache.get('page')\n"
            "    print(json.dumps('answered'))\n"
            "except Exception as error:\n"
            "    print(json.dumps(type(error).__name__))\n"
        )
        done = run(env, "-c", code)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == "TimeoutError"


# -- PostgreSQL's connection pool ---------------------------------------------------------

POSTGRES = "postgres://shorttrack@127.0.0.1:5432/shorttrack"


def test_postgresql_gets_a_connection_pool_sized_from_the_environment(tmp_path):
    env = clean_environment(tmp_path, **PRODUCTION, DATABASE_URL=POSTGRES)
    database = settings_value(env, "DATABASES")["default"]
    assert database["CONN_MAX_AGE"] == 0  # the pool keeps the connections, not Django
    # The pool checks each connection it hands out (tests/test_postgres_pool.py): Django 5.2
    # gives it psycopg_pool's check_connection when health checks are on.
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["pool"] == {
        "min_size": 2,
        "max_size": 8,
        "timeout": 10,
        "max_idle": 300,
    }
    env.update(SHORTTRACK_DB_POOL_MIN_SIZE="1", SHORTTRACK_DB_POOL_MAX_SIZE="4")
    pool = settings_value(env, "DATABASES")["default"]["OPTIONS"]["pool"]
    assert (pool["min_size"], pool["max_size"]) == (1, 4)


def test_the_pool_can_be_turned_off_and_sqlite_has_none(tmp_path):
    env = clean_environment(tmp_path, DATABASE_URL=POSTGRES, SHORTTRACK_DB_POOL="0")
    database = settings_value(env, "DATABASES")["default"]
    # Without the pool each request opens a connection and closes it: under ASGI one kept
    # open would be kept per request, not per thread, and they pile up (settings.py).
    assert "pool" not in database["OPTIONS"] and database["CONN_MAX_AGE"] == 0
    sqlite = settings_value(clean_environment(tmp_path), "DATABASES")["default"]
    assert "pool" not in sqlite["OPTIONS"] and sqlite["CONN_MAX_AGE"] == 60


def test_a_wrong_pool_size_names_the_variable(tmp_path):
    env = clean_environment(tmp_path, DATABASE_URL=POSTGRES, SHORTTRACK_DB_POOL_MAX_SIZE="lots")
    done = run(env, "-c", "import django; django.setup()")
    assert done.returncode == 1
    assert "SHORTTRACK_DB_POOL_MAX_SIZE='lots': expected a whole number, 1 or more" in done.stderr
    env.update(SHORTTRACK_DB_POOL_MAX_SIZE="2", SHORTTRACK_DB_POOL_MIN_SIZE="3")
    done = run(env, "-c", "import django; django.setup()")
    assert "SHORTTRACK_DB_POOL_MIN_SIZE=3 is more than SHORTTRACK_DB_POOL_MAX_SIZE=2" in done.stderr


def this_database_url() -> str:
    """The URL of the PostgreSQL database this test runs on (pytest-django's test_ one),
    for a process of its own to open."""
    from django.db import connection

    settings_dict = connection.settings_dict
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/"
        f"{settings_dict['NAME']}"
    )


@pytest.mark.django_db
def test_pooled_connections_are_reused(tmp_path):
    """A command or request gives its connection back when it closes; the next one gets
    the same PostgreSQL session, not a new one (in the PostgreSQL pass)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pool is PostgreSQL's; this is the SQLite pass")
    url = this_database_url()
    script = (
        "import django, threading; django.setup(); from django.db import connection\n"
        "def backend():\n"
        "    with connection.cursor() as c: c.execute('SELECT pg_backend_pid()'); pid = c.fetchone()[0]\n"
        "    connection.close(); return pid\n"
        "pids = [backend() for _ in range(5)]\n"
        "for _ in range(5):\n"
        "    t = threading.Thread(target=lambda: pids.append(backend())); t.start(); t.join()\n"
        "print(len(pids), len(set(pids)), connection.pool.get_stats()['connections_num'])\n"
    )
    done = run(
        clean_environment(tmp_path, DATABASE_URL=url, SHORTTRACK_DB_POOL_MIN_SIZE="1"),
        "-c",
        script,
    )
    assert done.returncode == 0, done.stderr
    taken, sessions, opened = map(int, done.stdout.split())
    # Ten connections taken and given back, by this thread and five others: one or two
    # PostgreSQL sessions served them all (the pool may open a second while it checks the
    # first one given back), never one each.
    assert taken == 10 and sessions <= 2 and opened <= 2


# -- PostgreSQL's prepared statements -----------------------------------------------------


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements(tmp_path):
    env = clean_environment(tmp_path, DATABASE_URL=POSTGRES)
    options = settings_value(env, "DATABASES")["default"]["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 1
    # Behind a pgbouncer that does not keep prepared statements: both off (server-side
    # binding alone gains nothing, settings.py), with or without the pool.
    for pool in ("1", "0"):
        env.update(SHORTTRACK_DB_PREPARE="0", SHORTTRACK_DB_POOL=pool)
        options = settings_value(env, "DATABASES")["default"]["OPTIONS"]
        assert "server_side_binding" not in options and "prepare_threshold" not in options
    sqlite = settings_value(clean_environment(tmp_path), "DATABASES")["default"]["OPTIONS"]
    assert "server_side_binding" not in sqlite and "prepare_threshold" not in sqlite


@pytest.mark.django_db
def test_a_statement_run_again_runs_prepared_through_the_pool(tmp_path):
    """Three requests ask for one competition: from the second on, its SELECT is a
    statement prepared on the pooled connection, which outlives each request (in the
    PostgreSQL pass)."""
    from django.db import connection

    from shorttrack.store.models import Competition

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; this is the SQLite pass")
    url = this_database_url()
    script = (
        "import django, json; django.setup(); from django.db import connection\n"
        "from shorttrack.store.models import Competition\n"
        "for pk in (1, 2, 3):\n"
        "    list(Competition.objects.filter(pk=pk)); connection.close()\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT statement FROM pg_prepared_statements WHERE NOT from_sql')\n"
        "    print(json.dumps([row[0] for row in c.fetchall()]))\n"
    )
    done = run(
        clean_environment(
            tmp_path,
            DATABASE_URL=url,
            SHORTTRACK_DB_POOL_MIN_SIZE="1",
            SHORTTRACK_DB_POOL_MAX_SIZE="1",
        ),
        "-c",
        script,
    )
    assert done.returncode == 0, done.stderr
    table = Competition._meta.db_table
    prepared = [sql for sql in json.loads(done.stdout) if f'FROM "{table}"' in sql]
    # One statement, its parameter bound by PostgreSQL ($1), not written into the SQL.
    assert len(prepared) == 1 and f'"{table}"."id" = $1' in prepared[0]
