"""The results versions the public pages are kept and revalidated by (shorttrack.versions):
an announcement bumps the scopes it reaches and no other; with Redis every worker reads
the same versions from its own copy in memory, kept current by a watcher task; a Redis
emptied (or new) starts a new epoch, so a version number given again never names the page
it named before."""

from __future__ import annotations

import asyncio
import os
import secrets
import threading

import pytest

from shorttrack import versions
from shorttrack.versions import ANY_SEASON, CALENDAR, GLOBAL, LocalVersions, RedisVersions

REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")


def test_a_race_made_official_reaches_its_race_competition_and_season_only():
    official = {"race": 9, "kind": "status", "status": "official"}
    assert versions.scopes_of_announcement("race:9", official) == ["race:9"]
    assert versions.scopes_of_announcement("competition:1", official) == ["competition:1"]
    assert versions.scopes_of_announcement("season:1", official) == ["season:1", ANY_SEASON]


def test_what_is_said_of_a_whole_competition_may_change_the_indexes():
    # Published, imported, its schedule: who is entered where may have changed.
    imported = {"kind": "import"}
    assert versions.scopes_of_announcement("competition:1", imported) == [
        "competition:1",
        CALENDAR,
    ]
    assert versions.scopes_of_announcement("season:1", imported) == [
        "season:1",
        ANY_SEASON,
        CALENDAR,
    ]


def test_a_bump_moves_the_versions_of_its_scopes_and_no_other():
    store = LocalVersions()
    assert store.get("season:1").sequence == 0
    assert store.get("season:1").at == store.started
    first = store.bump(["race:9", "competition:1"])
    second = store.bump(["season:1"])
    assert (first, second) == (1, 2)
    assert [store.get(s).sequence for s in ("race:9", "competition:1", "season:1")] == [1, 1, 2]
    assert store.get("season:2").sequence == 0
    assert store.get("*").sequence == 2  # the newest bump of any scope
    assert store.get("race:9").at <= store.get("season:1").at


def test_a_bump_told_late_never_moves_a_version_back():
    store = LocalVersions()
    store.bump(["season:1"])
    store.bump(["season:1"])
    store.apply(1, 0.0, ["season:1", "season:2"])  # from another worker, arrived late
    assert store.get("season:1").sequence == 2
    assert store.get("season:2").sequence == 1
    assert store.sequence == 2


def test_rows_changed_without_an_announcement_make_every_page_stale():
    store = LocalVersions()
    assert store.notice_fingerprint("10.4.7", 31) is False  # the first look: nothing to compare
    assert store.notice_fingerprint("10.4.7", 31) is False
    assert store.notice_fingerprint("10.5.8", 32) is False  # announced: the scopes were bumped
    assert store.get(GLOBAL).sequence == 0
    assert store.notice_fingerprint("11.5.8", 32) is True  # an edit in the admin, say
    assert store.get(GLOBAL).sequence == 1


@pytest.fixture
def redis_versions(monkeypatch):
    """Versions in Redis under a key and channel of this test's own (pub/sub channels are
    the whole server's); made with ``worker()``, one per simulated worker process."""
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no Redis at {REDIS}")
    key = f"shorttrack:test-versions-{secrets.token_hex(4)}"
    monkeypatch.setattr(versions, "REDIS_KEY", key)
    monkeypatch.setattr(versions, "REDIS_CHANNEL", key)
    yield client
    client.delete(key)


async def until(condition, seconds: float = 3.0) -> bool:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return True
        await asyncio.sleep(0.01)
    return condition()


async def in_thread(function, *args):
    """A bump as a drain makes it: a blocking call, in a worker thread."""
    return await asyncio.to_thread(function, *args)


def test_every_worker_reads_the_same_versions_from_its_own_copy(redis_versions):
    async def two_workers():
        one, two = RedisVersions(REDIS), RedisVersions(REDIS)
        assert await one.ready() and await two.ready()
        assert one.epoch == two.epoch and one.started == two.started
        sequence = await in_thread(one.bump, ["race:9", "season:1"])
        arrived = await until(lambda: two.get("season:1").sequence == sequence)
        return one, two, arrived

    one, two, arrived = asyncio.run(two_workers())
    assert arrived
    for scope in ("race:9", "season:1", "season:2", GLOBAL):
        assert one.get(scope) == two.get(scope), scope
    assert two.get("race:9").sequence == 1


def test_a_worker_started_later_reads_the_versions_there_are(redis_versions):
    async def before_and_after():
        first = RedisVersions(REDIS)
        await first.ready()
        await in_thread(first.bump, ["competition:1"])
        await in_thread(first.bump, ["season:1"])
        later = RedisVersions(REDIS)
        assert await later.ready()
        return first, later

    first, later = asyncio.run(before_and_after())
    assert later.epoch == first.epoch
    assert later.get("competition:1") == first.get("competition:1")
    assert later.sequence == 2


def test_an_emptied_redis_starts_a_new_epoch(redis_versions):
    """Redis restarted without its data (or emptied): its sequence starts again at 1, so a
    worker must not give the old epoch to the new numbers, or a page's ETag from before
    would be taken for a different page after."""

    async def emptied():
        one, two = RedisVersions(REDIS), RedisVersions(REDIS)
        assert await one.ready() and await two.ready()
        before = one.epoch
        for _ in range(3):
            await in_thread(one.bump, ["season:1"])
        await until(lambda: two.sequence == 3)
        redis_versions.delete(versions.REDIS_KEY)
        # The first bump after it comes from a worker that has not noticed yet.
        await in_thread(one.bump, ["season:1"])
        noticed = await until(lambda: one.epoch != before and two.epoch != before)
        return before, one, two, noticed

    before, one, two, noticed = asyncio.run(emptied())
    assert noticed, "the workers kept the epoch of the emptied Redis"
    assert one.epoch == two.epoch
    assert one.get("season:1") == two.get("season:1")
    assert one.get("season:1").sequence == 1


def test_a_request_does_not_wait_long_for_a_redis_that_is_not_there(monkeypatch):
    monkeypatch.setattr(versions, "SYNC_TIMEOUT", 0.2)
    store = RedisVersions("redis://127.0.0.1:1/12")  # nothing listens on port 1

    async def ask():
        loop = asyncio.get_running_loop()
        started = loop.time()
        ready = await store.ready()
        return ready, loop.time() - started

    ready, waited = asyncio.run(ask())
    assert ready is False  # the page is rendered and not kept (site/page_cache.py)
    assert waited < 1.0


def test_a_worker_that_stops_is_not_held_up_by_its_watcher(redis_versions, monkeypatch):
    """An event loop that closes cancels the watcher, which must end, wherever in its
    reading of Redis the cancellation finds it (redis-py's read timeout could let the
    cancellation go, and the loop's close wait for ever). Here 300 loops in a row, each
    stopping about when the watcher's wait for a message times out."""
    monkeypatch.setattr(versions, "POLL_SECONDS", 0.01)
    store = RedisVersions(REDIS)
    stopped = []

    async def serve_a_little(seconds: float) -> None:
        assert await store.ready()
        await asyncio.sleep(seconds)

    def loops() -> None:
        for n in range(300):
            asyncio.run(serve_a_little(0.005 + (n % 10) / 1000))
            stopped.append(n)

    worker = threading.Thread(target=loops, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert len(stopped) == 300, f"loop {len(stopped)} did not close"


def test_while_redis_is_down_pages_do_not_wait_for_it(redis_versions, monkeypatch):
    """Once a worker has had its copy, a Redis that stops answering makes no page wait
    SYNC_TIMEOUT: each is answered at once, kept by nobody, until Redis is back."""
    import redis
    import redis.asyncio

    store = RedisVersions(REDIS)
    answering = redis.asyncio.client.Redis.execute_command

    async def down(*args, **options):
        raise redis.ConnectionError("Connection refused")

    async def outage():
        assert await store.ready()
        monkeypatch.setattr(redis.asyncio.client.Redis, "execute_command", down)
        while await store.ready():  # until the watcher's next look finds Redis down
            await asyncio.sleep(0.05)
        loop = asyncio.get_running_loop()
        started = loop.time()
        answers = [await store.ready() for _ in range(20)]
        waited = loop.time() - started
        monkeypatch.setattr(redis.asyncio.client.Redis, "execute_command", answering)
        for _ in range(50):  # the watcher tries again every second
            if await store.ready():
                return answers, waited, True
            await asyncio.sleep(0.1)
        return answers, waited, False

    answers, waited, back = asyncio.run(outage())
    assert answers == [False] * 20
    assert waited < 0.5  # not 20 x SYNC_TIMEOUT
    assert back
