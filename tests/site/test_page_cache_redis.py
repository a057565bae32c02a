"""The page cache with Redis (REDIS_URL), as the production set-up runs it: the event loop
never waits on Redis. Kept pages are answered from this process's copy, fresh by this
process's copy of the versions, which a watcher task keeps current with redis.asyncio;
the blocking calls (Django's cache of documents, a bump when an announcement goes out,
the fingerprint's look) are made in worker threads, never in the loop."""

from __future__ import annotations

import asyncio
import os
import secrets

import pytest

from shorttrack import live, versions
from shorttrack.site.stream import in_thread
from shorttrack.store import models
from tests.site import test_page_cache
from tests.site.test_page_cache import fetch

pytestmark = pytest.mark.django_db(transaction=True)

cached_pages = test_page_cache.cached_pages  # a fixture
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
PAGES = ["/seasons/", "/seasons/2023-24/", "/seasons/2023-24/standings/1000m-women/"]


@pytest.fixture
def with_redis(settings, monkeypatch):
    """REDIS_URL set: Django's cache and the results versions in Redis, under keys of
    this test's own (another run may use the same Redis database)."""
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no Redis at {REDIS}")
    own = f"shorttrack-test-{secrets.token_hex(4)}"
    settings.REDIS_URL = REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": own,
        }
    }
    monkeypatch.setattr(versions, "REDIS_KEY", f"{own}:versions")
    monkeypatch.setattr(versions, "REDIS_CHANNEL", f"{own}:versions")
    versions.use_store(versions.RedisVersions(REDIS))
    live.use_bus(live.LocalBus())
    yield redis.Redis.from_url(REDIS)
    versions.use_store(None)
    live.use_bus(None)


@pytest.fixture
def redis_calls(monkeypatch):
    """Every command sent to Redis, by where it was sent from: the blocking client in the
    event loop's thread, in another thread, or the asyncio client."""
    import redis
    import redis.asyncio

    calls = {"in the loop": [], "in a thread": [], "asyncio": []}
    blocking = redis.client.Redis.execute_command
    awaited = redis.asyncio.client.Redis.execute_command

    def sent(self, *args, **options):
        try:
            asyncio.get_running_loop()
            calls["in the loop"].append(args[0])
        except RuntimeError:
            calls["in a thread"].append(args[0])
        return blocking(self, *args, **options)

    async def sent_awaited(self, *args, **options):
        calls["asyncio"].append(args[0])
        return await awaited(self, *args, **options)

    monkeypatch.setattr(redis.client.Redis, "execute_command", sent)
    monkeypatch.setattr(redis.asyncio.client.Redis, "execute_command", sent_awaited)
    return calls


def test_with_redis_no_page_waits_on_redis_in_the_event_loop(
    with_redis, small_competition, cached_pages, redis_calls
):
    season = models.Season.objects.get(key="2023/24")

    async def race_day():
        answers = []
        for _ in range(2):  # rendered, then kept
            answers += [await fetch(cached_pages, path) for path in PAGES]
        # A result made official elsewhere: the announcement bumps the season in Redis.
        await in_thread(live.publish, f"season:{season.pk}", {"kind": "status", "race": 3})
        await asyncio.sleep(0)
        answers += [await fetch(cached_pages, path) for path in PAGES]
        _, headers, _ = answers[-1]
        held = {"If-None-Match": headers[b"etag"].decode()}
        answers.append(await fetch(cached_pages, PAGES[-1], headers=held))
        return answers

    answers = asyncio.run(race_day())
    assert [status for status, _, _ in answers] == [200] * 9 + [304]
    first, kept, after = answers[:3], answers[3:6], answers[6:9]
    assert [a[1][b"etag"] for a in kept] == [a[1][b"etag"] for a in first]
    # The season's pages moved with the bump; the calendar did not.
    assert [a[1][b"etag"] == b[1][b"etag"] for a, b in zip(first, after, strict=True)] == [
        True,
        False,
        False,
    ]
    assert redis_calls["in the loop"] == []
    # Redis was used: Django's cache of documents and the bump from threads, the versions'
    # watcher with the asyncio client.
    assert {"GET", "SET", "EVALSHA"} <= set(redis_calls["in a thread"])
    assert {"SUBSCRIBE", "HGETALL"} & set(redis_calls["asyncio"])
