"""``/healthz`` for the proxy: 200 while the database and Redis answer, 503 naming what
is down otherwise, answered quickly either way and never cached."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest
from django.test import Client, override_settings

from tests.operations.scratch import POSTGRESQL, SQLITE, drop_postgres, postgres_server, scratch
from tests.servers import app_process


@pytest.mark.django_db
def test_healthy_with_the_database_and_without_redis():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "not used"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_redis_that_does_not_answer_is_503():
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        started = time.monotonic()
        response = Client().get("/healthz")

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("unavailable", "ok")
    assert body["redis"].startswith("down: ")


def health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(params=[SQLITE, POSTGRESQL])
def served(request, tmp_path):
    """An app process on a scratch database with tables: (url, database)."""
    with scratch(request.param, tmp_path, tables=True) as database:
        env = database.env(SHORTTRACK_SECRET_KEY="health-test-key-" + "k" * 40)
        env.pop("REDIS_URL", None)
        with app_process(env) as url:
            yield url, database


@pytest.mark.sqlite_only  # each database kind is a parameter: run once
def test_a_database_that_is_gone_is_503(served):
    url, database = served
    assert health(url) == (200, {"status": "ok", "database": "ok", "redis": "not used"})

    if database.kind == SQLITE:
        for suffix in ("", "-wal", "-shm"):
            database.sqlite_file.with_name(database.sqlite_file.name + suffix).unlink(
                missing_ok=True
            )
    else:
        drop_postgres(postgres_server(), database.url.rsplit("/", 1)[1])

    for _ in range(2):  # the connection that broke, then a new one that finds nothing
        status, body = health(url)
        assert status == 503
        assert body["status"] == "unavailable"
        assert body["database"].startswith("down: ")
