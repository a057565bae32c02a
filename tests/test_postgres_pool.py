"""PostgreSQL's connection pool (settings.py) outlives connections the server ends: after a
restart, or pg_terminate_backend from another session ("terminating connection due to
administrator command"), the next request is answered, not failed by a dead connection
the pool still held. The pool checks each connection as it hands it out and replaces a
dead one.

The PostgreSQL pass only: the SQLite pass has no pool (with CI=true an unreachable
PostgreSQL fails these tests instead of skipping them, as tests/operations/scratch.py does).
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.conf import settings

from tests.operations.scratch import POSTGRESQL, scratch
from tests.servers import app_process
from tests.test_health import health

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the pool is PostgreSQL's; this is the SQLite pass",
)


def backends(session: psycopg.Connection) -> set[int]:
    """The other sessions on this session's database: the app's pooled connections."""
    rows = session.execute(
        "SELECT pid FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchall()
    return {pid for (pid,) in rows}


def terminate(session: psycopg.Connection, pids: set[int]) -> None:
    """End these sessions as an administrator (or a restart) does, and wait until they are
    gone: the pool keeps its connection objects, each now dead."""
    session.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [list(pids)])
    deadline = time.monotonic() + 10
    while backends(session) & pids:
        assert time.monotonic() < deadline, "the terminated sessions did not end"
        time.sleep(0.05)


def test_an_app_process_answers_after_the_server_ends_its_pooled_connections(tmp_path):
    with scratch(POSTGRESQL, tmp_path, tables=True) as database:
        env = database.env(SHORTTRACK_SECRET_KEY="pool-test-key-" + "k" * 40)
        env.pop("REDIS_URL", None)
        env.pop("SHORTTRACK_DB_POOL", None)
        with (
            app_process(env) as url,
            psycopg.connect(database.url, autocommit=True) as administrator,
        ):
            assert health(url) == (200, {"status": "ok", "database": "ok", "redis": "not used"})
            pooled = backends(administrator)
            assert len(pooled) >= 2  # SHORTTRACK_DB_POOL_MIN_SIZE: kept open between requests

            terminate(administrator, pooled)

            # More requests than the pool held connections: without the check, each dead
            # connection would fail one ("down: terminating connection due to
            # administrator command", a 503) before the pool noticed.
            for _ in range(len(pooled) + 2):
                assert health(url) == (
                    200,
                    {"status": "ok", "database": "ok", "redis": "not used"},
                )
            assert backends(administrator) and not backends(administrator) & pooled


@pytest.mark.django_db(transaction=True)
def test_the_test_process_queries_again_after_its_pooled_connections_are_ended():
    """The suite itself runs on the pool: a test that ends the database's other sessions
    (tests/site/test_page_cache.py does, after each test) leaves no dead connection for the
    next test to take."""
    from django.db import connection

    from shorttrack.store.models import Season

    assert connection.pool is not None, "the PostgreSQL pass runs with the pool"

    def query_in_a_thread() -> list:
        """As a request does: a connection of its thread's own, given back at the end."""
        answers: list = []

        def run():
            from django.db import connection

            try:
                answers.append(Season.objects.count())
            except Exception as error:  # the assertion below shows it
                answers.append(error)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return answers

    assert query_in_a_thread() == [0]
    dsn = connection.get_connection_params()
    with psycopg.connect(
        host=dsn.get("host"),
        port=dsn.get("port"),
        user=dsn.get("user"),
        password=dsn.get("password"),
        dbname=dsn["dbname"],
        autocommit=True,
    ) as administrator:
        pooled = backends(administrator)
        assert pooled  # the main thread's connection and the one the thread gave back
        terminate(administrator, pooled)

    assert query_in_a_thread() == [0]
    connection.close()  # the main thread's dead one goes back, and is dropped
    assert Season.objects.count() == 0
