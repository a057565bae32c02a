"""The live stream /live/<topic>/: server-sent events that tell an open page to fetch its
main table again."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncRequestFactory

from shorttrack import live
from shorttrack.site import stream
from shorttrack.store.models import Race, Season

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_bus():
    bus = live.LocalBus()
    live.use_bus(bus)
    yield bus
    live.use_bus(None)


# Transactional: the service in another thread writes its announcement as a row, which
# SQLite would not let it do while this test's own transaction reads that table.
@pytest.mark.django_db(transaction=True)
def test_events_say_what_changed_and_keep_the_connection_alive(local_bus):
    async def listen():
        events = stream.events("season:3", heartbeat=0.05)
        hello = await anext(events)
        quiet = await anext(events)
        # A service in another thread commits: outside a transaction on_commit runs at once.
        await sync_to_async(live.publish, thread_sensitive=False)(
            "season:3", {"kind": "official", "race": 12, "lines": ["not sent"]}
        )
        update = await anext(events)
        await events.aclose()
        return hello, quiet, update

    hello, quiet, update = async_to_sync(listen)()
    assert hello == b"retry: 2000\n: listening to season:3\n\n"
    assert quiet == b": keep-alive\n\n"
    head, data = update.decode().rstrip("\n").rsplit("\n", 1)
    assert head.startswith("id: ") and head.endswith("\nevent: update")
    body = json.loads(data.removeprefix("data: "))
    assert body == {"topic": "season:3", "at": body["at"], "kind": "official", "race": 12}
    assert local_bus.subscriber_count() == 0  # closing the stream unsubscribes


def test_the_endpoint_streams_a_public_topic(local_bus, small_competition):
    race = Race.objects.first()

    async def open_stream():
        request = AsyncRequestFactory().get(f"/live/race:{race.pk}/")
        response = await stream.stream(request, f"race:{race.pk}")
        content = aiter(response.streaming_content)
        first = await anext(content)
        await content.aclose()
        return response, first

    response, first = async_to_sync(open_stream)()
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-store"
    assert first.startswith(b"retry: 2000")


def test_unknown_or_malformed_topics_are_not_found(client, small_competition):
    season = Season.objects.get(key="2023/24")
    assert client.get("/live/season:999999/").status_code == 404
    assert client.get("/live/results/").status_code == 404
    assert client.get("/live/season:0/").status_code == 404
    assert stream.topic_is_public(f"season:{season.pk}")
