"""The live-update bus: a message leaves when its transaction commits, never after a
rollback; it reaches every subscriber of its topic, across workers through Redis."""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from django.db import transaction

from shorttrack import live
from shorttrack.queries.documents import results_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_bus():
    bus = live.LocalBus()
    live.use_bus(bus)
    yield bus
    live.use_bus(None)


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def subscribe(bus, loop, *topics) -> live.Subscription:
    subscription = live.Subscription(frozenset(topics), loop)
    loop.run_until_complete(bus.attach(subscription))
    return subscription


def test_a_message_leaves_when_the_transaction_commits(
    local_bus, loop, django_capture_on_commit_callbacks
):
    subscription = subscribe(local_bus, loop, "race:12")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        live.publish("race:12", {"kind": "official", "race": 12})
        assert loop.run_until_complete(subscription.next(timeout=0.05)) is None  # not yet
    assert len(callbacks) == 1
    message = loop.run_until_complete(subscription.next(timeout=1))
    assert (message.topic, message.payload) == ("race:12", {"kind": "official", "race": 12})
    assert message.public() == {
        "topic": "race:12",
        "at": message.at,
        "kind": "official",
        "race": 12,
    }


def test_a_rolled_back_change_is_never_announced(local_bus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                live.publish("season:3", {"kind": "official"})
                raise RuntimeError("the service refused the result")
    assert callbacks == []


def test_a_write_that_publishes_three_times_is_drained_once(
    local_bus, loop, django_capture_on_commit_callbacks
):
    subscription = subscribe(local_bus, loop, "race:12", "season:3")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        live.publish("race:12", {"kind": "status", "race": 12})
        with transaction.atomic():
            live.publish("race:12", {"kind": "official", "race": 12})
        live.publish("season:3", {"kind": "standings"})
    assert len(callbacks) == 1
    kinds = [loop.run_until_complete(subscription.next(timeout=1)).payload["kind"] for _ in "abc"]
    assert kinds == ["status", "official", "standings"]


def test_a_drain_discarded_with_its_savepoint_leaves_the_next_publish_its_own(
    local_bus, loop, django_capture_on_commit_callbacks
):
    subscription = subscribe(local_bus, loop, "race:12")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            live.publish("race:12", {"kind": "status", "race": 12})
            raise RuntimeError("refused: rolled back with its drain")
        live.publish("race:12", {"kind": "official", "race": 12})
    assert len(callbacks) == 1
    message = loop.run_until_complete(subscription.next(timeout=1))
    assert message.payload["kind"] == "official"
    assert loop.run_until_complete(subscription.next(timeout=0.05)) is None


def test_a_commits_drain_takes_its_own_rows_and_sweeps_the_rest_now_and_then(
    local_bus, loop, django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import timezone

    from shorttrack.store.models import Announcement

    subscription = subscribe(local_bus, loop, "race:7", "race:12")
    # A row still to go that no drain here knows of: a worker whose Redis was down.
    stray = Announcement.objects.create(
        topic="race:7", payload={"kind": "status"}, created=timezone.now()
    )
    monkeypatch.setattr(live, "_last_sweep", time.monotonic())  # this process just swept
    with django_capture_on_commit_callbacks(execute=True):
        live.publish("race:12", {"kind": "official", "race": 12})
    heard = [loop.run_until_complete(subscription.next(timeout=1)).topic]
    assert heard == ["race:12"]
    assert loop.run_until_complete(subscription.next(timeout=0.05)) is None
    assert Announcement.objects.get(pk=stray.pk).sent is None

    monkeypatch.setattr(live, "_last_sweep", time.monotonic() - live.DRAIN_EVERY)  # now due
    with django_capture_on_commit_callbacks(execute=True):
        live.publish("race:12", {"kind": "results", "race": 12})
    heard = [loop.run_until_complete(subscription.next(timeout=1)) for _ in "ab"]
    assert [(m.topic, m.payload["kind"]) for m in heard] == [
        ("race:7", "status"),
        ("race:12", "results"),
    ]  # oldest first
    assert Announcement.objects.get(pk=stray.pk).sent is not None


def test_publishing_makes_every_cached_page_stale(local_bus, django_capture_on_commit_callbacks):
    before = results_version()
    with django_capture_on_commit_callbacks(execute=True):
        live.publish("competition:1", {"kind": "entries"})
    assert results_version() != before


def test_only_the_topics_subscribed_to_arrive(local_bus, loop, django_capture_on_commit_callbacks):
    season = subscribe(local_bus, loop, "season:1")
    other = subscribe(local_bus, loop, "season:2")
    with django_capture_on_commit_callbacks(execute=True):
        live.publish("season:1", {"kind": "official"})
    assert loop.run_until_complete(season.next(timeout=1)).topic == "season:1"
    assert loop.run_until_complete(other.next(timeout=0.05)) is None
    local_bus.detach(season)
    assert local_bus.subscriber_count("season:1") == 0


def test_a_slow_client_keeps_the_newest_messages(
    local_bus, loop, django_capture_on_commit_callbacks
):
    subscription = subscribe(local_bus, loop, "race:1")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(live.QUEUE_SIZE + 5):
            live.publish("race:1", {"kind": "status", "n": n})
    loop.run_until_complete(asyncio.sleep(0))
    received = []
    while (message := loop.run_until_complete(subscription.next(timeout=0.01))) is not None:
        received.append(message.payload["n"])
    assert len(received) == live.QUEUE_SIZE and received[-1] == live.QUEUE_SIZE + 4


def test_a_race_change_reaches_its_race_competition_and_season(
    local_bus, django_capture_on_commit_callbacks
):
    from shorttrack.services.imports import import_paths
    from shorttrack.store.models import Race
    from tests.support import SMALL_COMPETITION

    import_paths(
        [SMALL_COMPETITION / n for n in ("calendar.csv", "skaters.csv", "race-results.csv")]
    )
    live.drain()  # the import's own announcements, as its commit sends them
    race = Race.objects.select_related("round__distance_race__competition").first()
    competition = race.round.distance_race.competition
    with django_capture_on_commit_callbacks() as callbacks:
        live.publish_race(race, {"kind": "official"})
    assert len(callbacks) == 1  # one drain sends the three, in order
    sent = []
    local_bus.send = sent.append
    for callback in callbacks:
        callback()
    assert [m.topic for m in sent] == [
        f"race:{race.pk}",
        f"competition:{competition.pk}",
        f"season:{competition.season_id}",
    ]
    assert all(m.payload == {"race": race.pk, "kind": "official"} for m in sent)


def test_topics_and_payloads_are_checked_at_the_caller():
    with pytest.raises(ValueError, match="expected season:<id>"):
        live.publish("results", {})
    with pytest.raises(TypeError):
        live.publish("race:1", {"at": object()})


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        return None
    return url


def test_through_redis_a_message_reaches_the_clients_of_every_worker():
    url = redis_url()
    if url is None:
        pytest.skip("no Redis at REDIS_URL or 127.0.0.1:6379")
    worker_a, worker_b = live.RedisBus(url), live.RedisBus(url)

    async def scenario():
        loop = asyncio.get_running_loop()
        on_b = live.Subscription(frozenset({"race:7"}), loop)
        await worker_b.attach(on_b)
        worker_a.send(live.Message("race:7", {"kind": "official"}, 41, "2023-10-21T18:12:00+00:00"))
        message = await on_b.next(timeout=2)
        worker_b.detach(on_b)
        for bus in (worker_a, worker_b):
            for task in bus._readers.values():
                task.cancel()
        return message

    message = asyncio.run(scenario())
    assert (message.topic, message.sequence, message.payload) == (
        "race:7",
        41,
        {"kind": "official"},
    )


def outbox_row(topic: str, **moments) -> int:
    from django.utils import timezone

    from shorttrack.store.models import Announcement

    return Announcement.objects.create(
        topic=topic, payload={"kind": "official"}, created=timezone.now(), **moments
    ).pk


def test_an_announcement_a_dead_drain_claimed_goes_again_after_the_lease(local_bus, loop):
    """A worker killed between taking a row and sending it: the row is not lost."""
    from datetime import timedelta

    from django.utils import timezone

    from shorttrack.store.models import Announcement

    subscription = subscribe(local_bus, loop, "race:7", "race:8")
    now = timezone.now()
    abandoned = outbox_row("race:7", claimed=now - live.CLAIM_LEASE - timedelta(seconds=1))
    in_flight = outbox_row("race:8", claimed=now - timedelta(seconds=1))

    assert live.drain().sent == 1
    assert loop.run_until_complete(subscription.next(timeout=1)).topic == "race:7"
    assert loop.run_until_complete(subscription.next(timeout=0.05)) is None
    assert Announcement.objects.get(pk=abandoned).sent is not None
    # The other drain's claim is young: it is sending that row, this drain leaves it.
    assert Announcement.objects.get(pk=in_flight).sent is None


def test_a_failed_send_releases_its_claim_for_the_next_drain(loop):
    class Unreachable(live.LocalBus):
        def send(self, message):
            raise ConnectionError("bus down")

    from shorttrack.store.models import Announcement

    live.use_bus(Unreachable())
    try:
        row = outbox_row("race:9")
        drained = live.drain()
        assert (drained.sent, drained.pending) == (0, 1)
        assert "bus down" in drained.problem
        assert Announcement.objects.get(pk=row).claimed is None
    finally:
        live.use_bus(None)
    bus = live.LocalBus()
    live.use_bus(bus)
    try:
        subscription = subscribe(bus, loop, "race:9")
        assert live.drain().sent == 1
        assert loop.run_until_complete(subscription.next(timeout=1)).topic == "race:9"
    finally:
        live.use_bus(None)


def test_sent_announcements_are_pruned_after_two_days_but_the_newest_stays(local_bus):
    from datetime import timedelta

    from django.utils import timezone

    from shorttrack.store.models import Announcement

    long_ago = timezone.now() - live.KEEP_SENT - timedelta(hours=1)
    old_sent = outbox_row("race:1", sent=long_ago)
    recent = outbox_row("race:2", sent=timezone.now())
    pending = outbox_row("race:3")
    newest_old = outbox_row("race:4", sent=long_ago)

    assert live.prune() == 1
    assert set(Announcement.objects.values_list("pk", flat=True)) == {
        recent,
        pending,
        newest_old,
    }
    assert old_sent not in Announcement.objects.values_list("pk", flat=True)


def test_a_drain_is_three_statements_the_claim_the_seasons_and_the_mark(
    local_bus, monkeypatch, django_assert_num_queries
):
    import time

    from shorttrack.store.models import Announcement

    monkeypatch.setattr(live, "_last_prune", time.monotonic())  # not due
    for topic in ("race:7", "competition:2", "season:1", "season:2"):
        outbox_row(topic)
    sent = []
    local_bus.send = sent.append
    with django_assert_num_queries(3):
        assert live.drain() == live.Drained(sent=4, pending=0)
    assert [m.topic for m in sent] == ["race:7", "competition:2", "season:1", "season:2"]
    assert not Announcement.objects.filter(sent__isnull=True).exists()
    with django_assert_num_queries(1):  # nothing to go: the claim finds none
        assert live.drain() == live.Drained(sent=0, pending=0)


def test_a_writes_rows_are_claimed_by_it_and_its_commit_sends_them_in_two_statements(
    local_bus, monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from shorttrack.store.models import Announcement

    monkeypatch.setattr(live, "_last_prune", time.monotonic())  # not due
    sent = []
    local_bus.send = sent.append
    with django_capture_on_commit_callbacks() as callbacks:
        live.publish_all([("race:12", {"kind": "official", "race": 12}), ("season:3", {})])
    # Committed, its drain still to run: a sweep meanwhile (another worker) leaves the rows.
    assert live.drain() == live.Drained(sent=0, pending=0)
    assert Announcement.objects.filter(sent__isnull=True, claimed__isnull=False).count() == 2
    with django_assert_num_queries(2):  # the seasons and the mark: no claim
        (at_commit,) = callbacks
        at_commit()
    assert [(m.topic, m.payload) for m in sent] == [
        ("race:12", {"kind": "official", "race": 12}),
        ("season:3", {}),
    ]
    assert not Announcement.objects.filter(sent__isnull=True).exists()


@pytest.mark.parametrize("count", [3, 120], ids=["a-list", "past-a-list"])
def test_a_commits_drain_marks_every_row_it_sent(
    local_bus, django_capture_on_commit_callbacks, count
):
    """A write's few rows are marked by a list of ids, many (an import's) by an array."""
    from shorttrack.store.models import Announcement

    sent = []
    local_bus.send = sent.append
    with django_capture_on_commit_callbacks(execute=True):
        live.publish_all([(f"race:{n}", {"kind": "status"}) for n in range(1, count + 1)])
    assert len(sent) == count
    assert not Announcement.objects.filter(sent__isnull=True).exists()


def test_the_rows_of_a_write_whose_drain_never_ran_go_after_the_lease(
    local_bus, monkeypatch, django_capture_on_commit_callbacks
):
    """A worker killed between its commit and its drain: the rows are not lost."""
    from datetime import timedelta

    from django.utils import timezone

    sent = []
    local_bus.send = sent.append
    with django_capture_on_commit_callbacks():  # its callbacks never run: the worker died
        live.publish("race:12", {"kind": "official", "race": 12})
    assert live.drain().sent == 0 and sent == []  # the write's claim is young
    later = timezone.now() + live.CLAIM_LEASE + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert live.drain().sent == 1
    assert [m.topic for m in sent] == ["race:12"]


@pytest.mark.parametrize("returning", [True, False], ids=["returning", "without-returning"])
def test_a_drain_sends_what_the_orm_reads_in_order(
    local_bus, monkeypatch, django_assert_num_queries, returning
):
    """The claim's rows decoded as the ORM decodes them, with or without RETURNING (SQLite
    before 3.35), and sent oldest first."""
    import time
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from shorttrack.store.models import Announcement

    payload = {"kind": "official", "race": 7, "name": "Zoë", "times": [41.5, None], "ok": True}
    long_ago = timezone.now() - timedelta(days=1)
    first = Announcement.objects.create(topic="race:7", payload=payload, created=long_ago)
    second = outbox_row("season:1")
    sent = []
    local_bus.send = sent.append
    if not returning:  # the drain only: the inserts above return their ids
        monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    monkeypatch.setattr(live, "_last_prune", time.monotonic())  # not due
    with django_assert_num_queries(3 if returning else 4):  # without: claim, then read
        assert live.drain().sent == 2
    monkeypatch.undo()
    assert [m.sequence for m in sent] == [first.pk, second]
    stored = Announcement.objects.get(pk=first.pk)
    assert sent[0] == live.Message(
        "race:7", stored.payload, first.pk, stored.created.astimezone(live.UTC).isoformat()
    )
    assert sent[0].payload == payload and sent[0].at == long_ago.isoformat()


def test_a_send_refused_half_way_keeps_the_rest_pending_and_unclaimed(loop):
    from shorttrack.store.models import Announcement

    class FailsSecond(live.LocalBus):
        def __init__(self):
            super().__init__()
            self.sent = []

        def send(self, message):
            if self.sent:
                raise ConnectionError("bus down")
            self.sent.append(message.topic)

    failing = FailsSecond()
    live.use_bus(failing)
    try:
        rows = [outbox_row(topic) for topic in ("race:1", "race:2", "race:3")]
        drained = live.drain()
    finally:
        live.use_bus(None)
    assert (drained.sent, drained.pending) == (1, 2) and "bus down" in drained.problem
    assert failing.sent == ["race:1"]
    state = dict(Announcement.objects.filter(pk__in=rows).values_list("pk", "sent"))
    assert state[rows[0]] is not None and state[rows[1]] is None and state[rows[2]] is None
    assert not Announcement.objects.filter(pk__in=rows[1:], claimed__isnull=False).exists()


def on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_drain_skips_the_rows_another_is_claiming_without_waiting(local_bus):
    import threading
    import time

    from django.db import connection

    from shorttrack.store.models import Announcement

    if not on_postgresql():
        pytest.skip("row locks: PostgreSQL (SQLite has one writer at a time)")
    held, other = outbox_row("race:1"), outbox_row("race:2")
    locked, release = threading.Event(), threading.Event()

    def other_drain_claiming():
        try:
            with transaction.atomic():
                list(Announcement.objects.select_for_update().filter(pk=held))
                locked.set()
                release.wait(5)
        finally:
            connection.close()

    thread = threading.Thread(target=other_drain_claiming)
    thread.start()
    try:
        assert locked.wait(5)
        sent = []
        local_bus.send = sent.append
        started = time.monotonic()
        assert live.drain().sent == 1
        assert time.monotonic() - started < 2  # skipped, not waited for
        assert [m.sequence for m in sent] == [other]
    finally:
        release.set()
        thread.join()
    assert live.drain().sent == 1 and [m.sequence for m in sent] == [other, held]


@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_send_each_announcement_once(local_bus):
    import threading

    from django.db import connection

    if not on_postgresql():
        # The suite's SQLite is in memory, shared between threads with table locks that no
        # timeout waits for; a file's one writer at a time is SQLite's own claim.
        pytest.skip("two connections writing at once: PostgreSQL")
    rows = [outbox_row(f"race:{n}") for n in range(1, 201)]
    heard: dict[str, list[int]] = {}
    local_bus.send = lambda m: heard[threading.current_thread().name].append(m.sequence)
    start = threading.Barrier(2)

    def drains():
        heard[threading.current_thread().name] = []
        start.wait()
        try:
            while live.drain(limit=7).sent:
                pass
        finally:
            connection.close()

    threads = [threading.Thread(target=drains, name=name) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(heard["a"] + heard["b"]) == rows  # each once
    assert all(sequences == sorted(sequences) for sequences in heard.values())
    assert live.pending_count() == 0
