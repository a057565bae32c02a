"""A result made official while Redis is down: the result is committed and "make official"
returns as usual; live pages are told nothing until Redis is back, then exactly once
(live.drain, the outbox of store.models.Announcement)."""

from __future__ import annotations

import asyncio
import os
import socket

import pytest
from django.db import connections
from django.test import override_settings

from shorttrack import live
from shorttrack.services.draws import draw_first_round
from shorttrack.services.race_results import enter_results, make_official, start_race
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, finish, races_of

# Transactional: the service commits for real, and its after-commit step runs as it does
# in a request.
pytestmark = pytest.mark.django_db(transaction=True)

REDIS_BACK = "redis://127.0.0.1:6379/12"  # a database number no other test uses


def closed_port_url() -> str:
    """A Redis URL where nothing listens: a port the system just handed out, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/12"


def redis_is_back() -> bool:
    import redis

    try:
        redis.Redis.from_url(REDIS_BACK, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        return False
    return True


@pytest.fixture
def bus_from_settings():
    """The live bus chosen from settings.REDIS_URL, as a server process chooses it."""
    live.use_bus(None)
    yield
    live.use_bus(None)


@pytest.fixture
def semifinal(montreal, users, skaters) -> models.Race:
    w500 = distance_race(montreal, "W500")
    enter_field(users, w500, skaters, 8)
    draw_first_round(users["organiser"], w500, seed=3)
    race = races_of(w500, "semifinals")[0]
    start_race(users["officer"], race, based_on=version(race))
    enter_results(users["officer"], race, finish(race), based_on=version(race))
    return race


def listen(topics: set[str], then) -> list[live.Message]:
    """What a page subscribed through Redis hears while ``then`` runs (in another thread,
    with its own database connection, as another worker's request would)."""
    listener = live.RedisBus(REDIS_BACK)

    def run_then():
        try:
            then()
        finally:
            connections.close_all()

    async def scenario():
        subscription = live.Subscription(frozenset(topics), asyncio.get_running_loop())
        await listener.attach(subscription)
        await asyncio.to_thread(run_then)
        heard = []
        while (message := await subscription.next(timeout=0.5)) is not None:
            heard.append(message)
        listener.detach(subscription)
        for task in listener._readers.values():
            task.cancel()
        return heard

    return asyncio.run(scenario())


def test_made_official_while_redis_is_down_then_announced_once_it_is_back(
    semifinal, users, montreal, bus_from_settings
):
    if not redis_is_back():
        pytest.skip("no Redis at 127.0.0.1:6379 to come back")
    topics = {f"race:{semifinal.pk}", f"competition:{montreal.pk}", f"season:{montreal.season_id}"}
    made: list[models.RaceResult] = []

    def make_it_official_while_redis_is_down():
        with override_settings(REDIS_URL=closed_port_url()):
            # returns, no error
            made.append(make_official(users["referee"], semifinal, based_on=version(semifinal)))

    heard_during_the_outage = listen(topics, make_it_official_while_redis_is_down)

    assert heard_during_the_outage == []
    semifinal.refresh_from_db()
    assert semifinal.status == "official"
    assert models.RaceResult.objects.get(pk=made[0].pk).official_at is not None
    waiting = list(
        models.Announcement.objects.filter(sent__isnull=True).values_list("topic", "payload")
    )
    official = {"race": semifinal.pk, "kind": "status", "status": "official"}
    assert sorted(waiting) == sorted((topic, official) for topic in topics)

    live.use_bus(None)
    drained: list[live.Drained] = []
    with override_settings(REDIS_URL=REDIS_BACK):  # Redis is back
        heard = listen(topics, lambda: drained.extend([live.drain(), live.drain()]))

    assert drained == [live.Drained(sent=3, pending=0), live.Drained(sent=0, pending=0)]
    assert sorted((m.topic, m.payload) for m in heard) == sorted(waiting)  # each once
    assert not models.Announcement.objects.filter(sent__isnull=True).exists()


def test_a_drain_while_redis_is_down_keeps_every_announcement(semifinal, bus_from_settings):
    with override_settings(REDIS_URL=closed_port_url()):
        live.publish(f"race:{semifinal.pk}", {"kind": "official"})
        drained = live.drain()

    assert drained.sent == 0 and drained.pending >= 1
    assert "ConnectionError" in drained.problem
    assert models.Announcement.objects.filter(
        topic=f"race:{semifinal.pk}", sent__isnull=True
    ).exists()
