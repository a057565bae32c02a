"""Live streams answered in front of Django (stream.LiveStreams): what an open page costs
the process while it listens, and that everything it held goes when it leaves."""

from __future__ import annotations

import asyncio
import gc
import tracemalloc

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from shorttrack import live
from shorttrack.site import stream
from shorttrack.store.models import Season

PAGES = 400
STREAM_CODE = ("shorttrack/site/stream.py", "shorttrack/live.py")


@pytest.fixture
def local_bus():
    bus = live.LocalBus()
    live.use_bus(bus)
    yield bus
    live.use_bus(None)


class Page:
    """One browser holding /live/<topic>/ open, as uvicorn hands it to the ASGI app."""

    def __init__(self, front: stream.LiveStreams, topic: str) -> None:
        self.scope = {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "path": f"/live/{topic}/",
            "headers": [(b"host", b"testserver"), (b"accept", b"text/event-stream")],
        }
        self.leaves = asyncio.Event()
        self.status: int | None = None
        self.chunks: list[bytes] = []
        self.listening = asyncio.Event()
        self.told = asyncio.Event()
        self.task = asyncio.ensure_future(front(self.scope, self.receive, self.send))

    async def receive(self) -> dict:
        await self.leaves.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            return
        self.chunks.append(message["body"])
        if b"listening to" in message["body"]:
            self.listening.set()
        if b"event: update" in message["body"]:
            self.told.set()


def not_django(scope, receive, send):
    raise AssertionError(f"{scope['path']} went to Django")


# Transactional: the front asks in a thread of its own whether the season exists.
@pytest.mark.django_db(transaction=True)
def test_every_open_page_is_told_and_leaves_nothing_behind(local_bus):
    season = Season.objects.create(key="2025/26", name="ISU World Cup Short Track 2025/26")
    topic = f"season:{season.pk}"
    front = stream.LiveStreams(not_django)

    def held_by_the_stream() -> int:
        """Bytes allocated with the stream's or the bus's code on the stack, still held;
        not what this test's pages made, the database connection of each of asyncio's
        threads, or asyncio's set of open async generators, which keeps the size of
        the most ever open at once."""
        ours = [tracemalloc.Filter(True, f"*{name}", all_frames=True) for name in STREAM_CODE]
        ours += [
            tracemalloc.Filter(False, __file__, all_frames=True),
            tracemalloc.Filter(False, "*/django/db/*", all_frames=True),
            tracemalloc.Filter(False, "*/_weakrefset.py"),
        ]
        snapshot = tracemalloc.take_snapshot().filter_traces(ours)
        return sum(stat.size for stat in snapshot.statistics("filename")) - held_before[0]

    held_before = [0]

    async def pages_open_are_told_and_leave(race: int) -> dict:
        gc.collect()
        held_before[0] = 0
        held_before[0] = held_by_the_stream()
        before = tracemalloc.get_traced_memory()[0]
        pages = [Page(front, topic) for _ in range(PAGES)]
        await asyncio.wait_for(asyncio.gather(*(p.listening.wait() for p in pages)), 10)
        open_ = {
            "subscribers": local_bus.subscriber_count(topic),
            "channels": local_bus.channel_count(),
            "bytes per page": (tracemalloc.get_traced_memory()[0] - before) / PAGES,
        }

        # A final made official, in another thread as a service would.
        await sync_to_async(live.publish, thread_sensitive=False)(
            topic, {"kind": "official", "race": race, "status": "official"}
        )
        await asyncio.wait_for(asyncio.gather(*(p.told.wait() for p in pages)), 10)
        updates = {p.chunks[-1] for p in pages}

        for page in pages:
            page.leaves.set()
        await asyncio.wait_for(asyncio.gather(*(p.task for p in pages)), 10)
        del pages
        gc.collect()
        return {
            **open_,
            "updates": updates,
            "subscribers after": local_bus.subscriber_count(topic),
            "channels after": local_bus.channel_count(),
            "bytes per page after": held_by_the_stream() / PAGES,
        }

    async def two_race_days() -> dict:
        tracemalloc.start(30)
        try:
            # The first: what the process grows once (the topic checked, asyncio's set
            # of tasks sized for 400 at once); the second is measured.
            await pages_open_are_told_and_leave(race=40)
            return await pages_open_are_told_and_leave(race=41)
        finally:
            tracemalloc.stop()

    seen = async_to_sync(two_race_days)()
    assert seen["subscribers"] == PAGES
    assert seen["channels"] == 1  # one channel for the topic, however many pages
    assert seen["bytes per page"] < 16 * 1024, seen  # the front's part of ≤ 50 KB a page
    assert len(seen["updates"]) == 1  # every page got the same bytes
    (update,) = seen["updates"]
    assert b'"race": 41' in update and b'"status": "official"' in update
    assert seen["subscribers after"] == 0
    assert seen["channels after"] == 0
    assert seen["bytes per page after"] < 8, seen  # nothing kept of a page that left


@pytest.mark.django_db(transaction=True)
def test_a_wave_of_pages_leaving_gives_their_memory_back_once(local_bus):
    """After every third page that leaves (1,000 in production), once the wave has
    passed, the C library is asked to return its free pages (glibc's malloc_trim(0))."""
    season = Season.objects.create(key="2025/26", name="ISU World Cup Short Track 2025/26")
    trimmed: list[int] = []
    departures = stream.Departures(trim=trimmed.append, after=3, wait=0.05)
    front = stream.LiveStreams(not_django, departures)

    async def pages_come_and_go() -> list[list[int]]:
        pages = [Page(front, f"season:{season.pk}") for _ in range(5)]
        await asyncio.wait_for(asyncio.gather(*(p.listening.wait() for p in pages)), 10)
        seen = []
        for leaving in (pages[:2], pages[2:3], pages[3:]):
            for page in leaving:
                page.leaves.set()
            await asyncio.wait_for(asyncio.gather(*(p.task for p in leaving)), 5)
            await asyncio.sleep(0.2)
            seen.append(list(trimmed))
        return seen

    after_two, after_three, after_five = async_to_sync(pages_come_and_go)()
    assert after_two == []
    assert after_three == [0]  # malloc_trim(0): every heap, keeping nothing spare
    assert after_five == [0]  # two more are not yet a wave
    assert departures.trims == 1
