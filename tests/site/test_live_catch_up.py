"""A live page that lost its connection catches up (site/stream.py, live.missed): the
browser reconnects to /live/<topic>/ with the id of the last event it heard
(Last-Event-ID) and is told, before the live ones, the announcements of its topic it
missed, oldest first, none it already had and none twice.

A page comes back with an id it may have held for long: an id the outbox still holds
after is told what came after it; a malformed id is a fresh page, told only what happens
from now on. The streams are opened through the live streams' front as shorttrack.asgi
wires it, on the services' Montreal (2025/26), with one worker's bus and with Redis."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from datetime import timedelta

import pytest
from asgiref.testing import ApplicationCommunicator

from shorttrack import live
from shorttrack.site.stream import LiveStreams, in_thread
from shorttrack.store import models
from tests.services import conftest as services
from tests.site import test_page_cache

pytestmark = pytest.mark.django_db(transaction=True)

# Fixtures: the services' Montreal with its officials, the page cache.
users, montreal = services.users, services.montreal
cached_pages = test_page_cache.cached_pages


REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture(params=["in this process", "through Redis"])
def bus(request, monkeypatch):
    """The live bus of one worker, or of workers with Redis between them."""
    if request.param == "in this process":
        chosen = live.LocalBus()
    else:
        import redis

        try:
            redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip(f"no Redis at {REDIS}")
        # Pub/sub channels are the whole server's: none another run's topics share.
        monkeypatch.setattr(live, "REDIS_CHANNEL", f"shorttrack:test-{secrets.token_hex(4)}:")
        chosen = live.RedisBus(REDIS)
    live.use_bus(chosen)
    yield chosen
    live.use_bus(None)


@pytest.fixture
def front(cached_pages, bus):
    return LiveStreams(cached_pages)


class Page:
    """A browser's EventSource on one topic: what it was told, event by event."""

    def __init__(self, app, topic: str, last_event_id: str | None = None) -> None:
        headers = [(b"host", b"testserver")]
        if last_event_id is not None:
            headers.append((b"last-event-id", last_event_id.encode()))
        path = f"/live/{topic}/"
        self.communicator = ApplicationCommunicator(
            app,
            {
                "type": "http",
                "asgi": {"version": "3.0"},
                "http_version": "1.1",
                "method": "GET",
                "scheme": "http",
                "path": path,
                "raw_path": path.encode(),
                "query_string": b"",
                "root_path": "",
                "headers": headers,
                "client": ("127.0.0.1", 50000),
                "server": ("testserver", 80),
            },
        )
        self.text = ""

    async def open(self) -> Page:
        await self.communicator.send_input({"type": "http.request", "body": b""})
        start = await self.communicator.receive_output(10)
        assert start["status"] == 200
        await self.told(0)  # the hello: retry and a comment
        return self

    async def told(self, count: int, within: float = 10) -> list[tuple[int, dict]]:
        """The next ``count`` events: (id, data), in the order they came."""
        while self.text.count("\nevent: update\n") < count or "\n\n" not in self.text:
            message = await self.communicator.receive_output(within)
            self.text += message["body"].decode()
        events = []
        blocks = self.text.split("\n\n")
        self.text = blocks.pop()
        for block in blocks:
            fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
            if "id" in fields:
                events.append((int(fields["id"]), json.loads(fields["data"])))
        assert len(events) == count, events
        return events

    async def told_nothing_more(self) -> bool:
        return await self.communicator.receive_nothing(0.3) and "id: " not in self.text

    async def leave(self) -> None:
        await self.communicator.send_input({"type": "http.disconnect"})
        await self.communicator.wait(5)


async def official(topic: str, race: int) -> int:
    """A service announces, in another thread, as a worker's request would; the
    announcement's number."""

    def announce():
        live.publish(topic, {"kind": "status", "status": "official", "race": race})
        return models.Announcement.objects.filter(topic=topic).order_by("-id").first().pk

    return await in_thread(announce)


def test_a_page_that_comes_back_is_told_what_it_missed_in_order_and_nothing_twice(
    front,
    montreal,
):
    topic = f"competition:{montreal.pk}"

    async def scenario():
        page = await Page(front, topic).open()
        heard = await official(topic, 101)
        assert [n for n, _ in await page.told(1)] == [heard]
        await page.leave()
        # While it is away: two races of its competition, one of another topic.
        away = [await official(topic, 102), await official(topic, 103)]
        await official(f"season:{montreal.season_id}", 103)

        back = await Page(front, topic, last_event_id=str(heard)).open()
        caught_up = await back.told(2)
        live_one = await official(topic, 104)
        after = await back.told(1)
        quiet = await back.told_nothing_more()
        await back.leave()
        return away, caught_up, live_one, after, quiet

    away, caught_up, live_one, after, quiet = asyncio.run(scenario())
    assert [n for n, _ in caught_up] == away
    assert [data["race"] for _, data in caught_up] == [102, 103]
    assert all(data["topic"] == f"competition:{montreal.pk}" for _, data in caught_up)
    assert [(n, data["race"]) for n, data in after] == [(live_one, 104)]
    assert quiet


def test_a_page_that_missed_nothing_is_told_only_what_comes_next(front, montreal):
    topic = f"season:{montreal.season_id}"

    async def scenario():
        page = await Page(front, topic).open()
        heard = [await official(topic, 7), await official(topic, 7)]
        assert [n for n, _ in await page.told(2)] == heard
        await page.leave()
        back = await Page(front, topic, last_event_id=str(heard[-1])).open()
        quiet = await back.told_nothing_more()
        fresh = await official(topic, 7)
        after = await back.told(1)
        await back.leave()
        return quiet, fresh, after

    quiet, fresh, after = asyncio.run(scenario())
    assert quiet
    assert [n for n, _ in after] == [fresh]


def test_an_announcement_sent_while_the_page_catches_up_is_told_once(
    front,
    montreal,
    monkeypatch,
):
    """The stream subscribes first and reads the outbox second: an announcement sent
    between the two is in both, and the page hears it once."""
    topic = f"competition:{montreal.pk}"
    read = live.missed

    def missed_while_a_race_is_made_official(topic, after, *args):
        live.publish(topic, {"kind": "status", "status": "official", "race": 202})
        return read(topic, after, *args)

    async def scenario():
        heard = await official(topic, 201)
        monkeypatch.setattr(live, "missed", missed_while_a_race_is_made_official)
        back = await Page(front, topic, last_event_id=str(heard - 1)).open()
        told = await back.told(2)
        quiet = await back.told_nothing_more()
        await back.leave()
        return told, quiet

    told, quiet = asyncio.run(scenario())
    assert [data["race"] for _, data in told] == [201, 202]
    assert told[0][0] < told[1][0]
    assert quiet


def test_an_old_id_is_told_what_the_outbox_holds_after_it(front, montreal):
    """Of a page away for long, everything of its topic the outbox still holds after its
    id; a malformed id is a page opened afresh, told only what comes next."""
    topic = f"competition:{montreal.pk}"

    async def scenario():
        numbers = [await official(topic, race) for race in (301, 302, 303)]
        from_the_start = await Page(front, topic, last_event_id="0").open()
        all_of_them = await from_the_start.told(3)
        await from_the_start.leave()
        garbled = await Page(front, topic, last_event_id="yesterday").open()
        quiet = await garbled.told_nothing_more()
        await garbled.leave()
        return numbers, all_of_them, quiet

    numbers, all_of_them, quiet = asyncio.run(scenario())
    assert [n for n, _ in all_of_them] == numbers
    assert quiet


def test_a_page_away_longer_than_the_outbox_keeps_is_told_to_fetch_again(
    front,
    montreal,
):
    """Sent announcements are pruned after KEEP_SENT (two days): of a page that comes
    back with an id from before the oldest one kept, the changes of its topic may be
    gone. It is told an update of kind "missed", numbered just before the oldest kept,
    then what the outbox still holds of its topic: it fetches its table again."""
    topic = f"competition:{montreal.pk}"

    async def scenario():
        heard = await official(topic, 401)
        await official(topic, 402)  # missed, and pruned with the first
        newest = await official(f"season:{montreal.season_id}", 402)  # kept: the newest row
        pruned = await in_thread(live.prune, timedelta(0))
        after_pruning = await official(topic, 403)
        back = await Page(front, topic, last_event_id=str(heard)).open()
        told = await back.told(2)
        quiet = await back.told_nothing_more()
        await back.leave()
        return pruned, newest, after_pruning, told, quiet

    pruned, newest, after_pruning, told, quiet = asyncio.run(scenario())
    assert pruned == 2
    (missed, what_it_missed), (kept, _) = told
    assert (missed, what_it_missed["kind"], what_it_missed["topic"]) == (
        newest - 1,
        "missed",
        topic,
    )
    assert kept == after_pruning
    assert quiet
    # A page that heard none (0) is told what the outbox holds, not that it missed some.
    from_the_start = asyncio.run(catch_up(front, topic, "0"))
    assert [n for n, _ in from_the_start] == [after_pruning]


async def catch_up(front, topic: str, last_event_id: str) -> list[tuple[int, dict]]:
    page = await Page(front, topic, last_event_id=last_event_id).open()
    told = await page.told(1)
    assert await page.told_nothing_more()
    await page.leave()
    return told
