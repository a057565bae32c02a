"""The live-update bus: services announce committed changes, open pages hear of them.

A service that changes what the public sees calls, inside its transaction::

    live.publish(f"race:{race.pk}", {"kind": "official"})
    live.publish_race(race, {"kind": "official"})   # race, its competition and its season

Publishing writes the message as a row (store.models.Announcement, an outbox) in the
transaction of the change, so nothing rolled back is announced and nothing committed is
lost. Once the transaction commits, ``drain()`` sends the rows still to go, oldest first,
and marks them sent; it never raises, so a bus that cannot be reached (Redis down) never
fails a write that has already committed: the rows wait. They go at the next drain: the
next change's commit, a live page opening (the SSE view), an open page's heartbeat (at
most once per ``DRAIN_EVERY`` seconds in each process), or ``shorttrack live drain``
(``--every N`` for a periodic job). A drain claims a row before it sends it, so two
drains (two workers, a request and the periodic job) send it once; a claim older than
``CLAIM_LEASE`` is a drain that died between the claim and the send, and the row goes
again: an announcement may, after a crash, arrive twice (a page only refetches), never
not at all. Sent rows are kept ``KEEP_SENT`` and then pruned by the drains, the newest
always kept (its id is part of the pages' fingerprint). Sending also bumps the results version that keys the
page caches (``queries.documents``), whose fingerprint holds the newest announcement too,
so the next request of any page is fresh from the commit on.

Topics are ``season:<id>``, ``competition:<id>`` and ``race:<id>``. A message says what
changed, never the data: the server-sent events endpoint forwards only the payload's
``kind``, ``race`` and ``status``, and pages fetch what changed through the public
queries, which apply the visibility rules (queries/public.py).

Subscribers (the SSE views) are asyncio code::

    async with live.subscribe("season:3") as subscription:
        message = await subscription.next(timeout=15)   # None after 15 s of quiet

Two buses: in this process (the default, one worker) and Redis pub/sub when REDIS_URL is
set, so that a result made official in one worker reaches the clients of all of them.
Each process keeps one Redis subscription and fans messages out to its own clients.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

TOPIC = re.compile(r"^(season|competition|race):[1-9][0-9]*$")
FORWARDED = ("kind", "race", "status")
QUEUE_SIZE = 64
REDIS_CHANNEL = "shorttrack:live:"
DRAIN_EVERY = 15.0  # seconds between two drains an open page's heartbeat asks of a process
REDIS_TIMEOUT = 2.0  # seconds: a Redis that does not answer delays a drain no longer
CLAIM_LEASE = timedelta(seconds=60)  # far longer than a send may take (REDIS_TIMEOUT)
KEEP_SENT = timedelta(days=2)  # sent announcements kept for the record, then pruned
PRUNE_EVERY = 3600.0  # seconds between two prunings in one process

log = logging.getLogger("shorttrack.live")
_last_drain = float("-inf")
_last_prune = float("-inf")


@dataclass(frozen=True)
class Message:
    topic: str
    payload: dict
    sequence: int
    at: str  # ISO 8601, UTC

    def public(self) -> dict:
        """What a browser is told: the topic, when, and what kind of change."""
        return {
            "topic": self.topic,
            "at": self.at,
            **{k: self.payload[k] for k in FORWARDED if k in self.payload},
        }

    def encode(self) -> str:
        return json.dumps(
            {"topic": self.topic, "payload": self.payload, "sequence": self.sequence, "at": self.at}
        )

    @classmethod
    def decode(cls, text: str | bytes) -> Message:
        raw = json.loads(text)
        return cls(raw["topic"], raw["payload"], raw["sequence"], raw["at"])


def check_topic(topic: str) -> str:
    if not TOPIC.match(topic):
        raise ValueError(
            f"live topic {topic!r}: expected season:<id>, competition:<id> or race:<id>"
        )
    return topic


def publish(topic: str, payload: dict) -> None:
    """Announce a change to ``topic`` once the current transaction commits (at once
    outside a transaction). ``payload`` must be JSON: {"kind": "official", "race": 12}."""
    publish_all([(topic, payload)])


def publish_all(announcements: Iterable[tuple[str, dict]]) -> None:
    """Announce several changes (topic, payload) of one write at once: one insert, in
    this order, and one drain once the transaction commits."""
    from shorttrack.store.models import Announcement

    now = timezone.now()
    rows = []
    for topic, payload in announcements:
        check_topic(topic)
        json.dumps(payload)  # refuse what cannot be sent here, at the caller, not after commit
        rows.append(Announcement(topic=topic, payload=dict(payload), created=now))
    Announcement.objects.bulk_create(rows)
    transaction.on_commit(drain)


def race_topics(race) -> tuple[str, str, str]:
    """The topics a race's change goes to: its own page, its competition's, its season's."""
    competition = race.round.distance_race.competition
    return f"race:{race.pk}", f"competition:{competition.pk}", f"season:{competition.season_id}"


def publish_race(race, payload: dict) -> None:
    """Announce a change of a race to its own page, its competition's and its season's."""
    publish_all((topic, {"race": race.pk, **payload}) for topic in race_topics(race))


@dataclass(frozen=True)
class Drained:
    sent: int
    pending: int  # still to go: the bus could not be reached
    problem: str = ""  # why not, in one line


def drain(limit: int = 1000) -> Drained:
    """Send the announcements still to go, oldest first, each once, and mark them sent.
    Never raises: the change is committed whatever happens here. The first one the bus
    refuses stops the drain (order is kept) and stays to go with the rest."""
    global _last_drain
    from shorttrack.store.models import Announcement

    _last_drain = time.monotonic()
    sent = 0
    try:
        rows = list(
            Announcement.objects.filter(sent__isnull=True)
            .order_by("id")
            .values_list("id", "topic", "payload", "created", "claimed")[:limit]
        )
        # Claimed at once, by a conditional update on the claims they were read with
        # (none, or one past its lease): of two drains only one sends a row, and a claim
        # past its lease is taken over; the claim's moment tells which rows this one won.
        now = timezone.now()
        free = [row for row in rows if row[4] is None or now - row[4] >= CLAIM_LEASE]
        ids = [row[0] for row in free]
        won = (
            Announcement.objects.filter(pk__in=ids, sent__isnull=True)
            .filter(Q(claimed__isnull=True) | Q(claimed__lte=now - CLAIM_LEASE))
            .update(claimed=now)
            if ids
            else 0
        )
        ours = set(ids)
        if won < len(ids):  # another drain took some between the read and the claim
            ours = set(
                Announcement.objects.filter(pk__in=ids, claimed=now).values_list("id", flat=True)
            )
        delivered: list[int] = []
        try:
            for pk, topic, payload, created, _ in free:
                if pk in ours:
                    _deliver(topic, payload, created)
                    delivered.append(pk)
        except Exception:
            Announcement.objects.filter(pk__in=ours - set(delivered), claimed=now).update(
                claimed=None
            )
            raise
        finally:
            # Marked sent in one update; a crash before it sends them again after the
            # lease (an announcement may arrive twice, never not at all).
            if delivered:
                Announcement.objects.filter(pk__in=delivered).update(sent=timezone.now())
                sent = len(delivered)
        _prune_if_due()
    except Exception as error:
        problem = f"{type(error).__name__}: {' '.join(str(error).split())}"
        log.warning("live announcements pending: %s", problem)
        try:
            pending = Announcement.objects.filter(sent__isnull=True).count()
        except Exception:
            pending = -1  # the database itself cannot be read: unknown
        return Drained(sent, pending, problem)
    return Drained(sent, 0 if len(rows) < limit else pending_count())


def prune(keep: timedelta = KEEP_SENT) -> int:
    """Delete the announcements sent more than ``keep`` ago, except the newest row, whose
    id the pages' fingerprint reads (a deleted newest id could be given again). Returns
    how many went."""
    from shorttrack.store.models import Announcement

    newest = Announcement.objects.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return 0
    deleted, _ = Announcement.objects.filter(sent__lt=timezone.now() - keep, id__lt=newest).delete()
    return deleted


def _prune_if_due() -> None:
    global _last_prune
    if time.monotonic() - _last_prune >= PRUNE_EVERY:
        _last_prune = time.monotonic()
        prune()


def pending_count() -> int:
    """How many announcements wait to be sent."""
    from shorttrack.store.models import Announcement

    return Announcement.objects.filter(sent__isnull=True).count()


def drain_if_due(every: float | None = None) -> Drained | None:
    """Drain unless this process drained less than ``every`` (DRAIN_EVERY) seconds ago:
    what an open page's heartbeat calls, one query per process and period at most."""
    every = DRAIN_EVERY if every is None else every
    if time.monotonic() - _last_drain < every:
        return None
    return drain()


def _deliver(topic: str, payload: dict, created: datetime) -> None:
    from shorttrack.queries.documents import bump_version

    sequence = bump_version()
    message = Message(topic, payload, sequence, created.astimezone(UTC).isoformat())
    bus().send(message)


@dataclass(eq=False)
class Subscription:
    """One open connection's queue of messages, filled from any thread."""

    topics: frozenset[str]
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    def deliver(self, message: Message) -> None:
        """Thread-safe: hands the message to the subscriber's event loop."""
        try:
            self.loop.call_soon_threadsafe(self._put, message)
        except RuntimeError:  # the loop has closed: the client is gone
            pass

    def _put(self, message: Message) -> None:
        # A client that cannot keep up needs only to know that something changed: drop
        # the oldest message rather than grow without bound.
        if self.queue.full():
            self.queue.get_nowait()
        self.queue.put_nowait(message)

    async def next(self, timeout: float | None = None) -> Message | None:
        """The next message, or None when ``timeout`` seconds pass without one."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None

    def __aiter__(self) -> AsyncIterator[Message]:
        return self

    async def __anext__(self) -> Message:
        return await self.queue.get()


class LocalBus:
    """Fan-out to the subscribers of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Subscription]] = {}

    def send(self, message: Message) -> None:
        self.fan_out(message)

    def fan_out(self, message: Message) -> None:
        with self._lock:
            targets = list(self._subscribers.get(message.topic, ()))
        for subscription in targets:
            subscription.deliver(message)

    async def attach(self, subscription: Subscription) -> None:
        with self._lock:
            for topic in subscription.topics:
                self._subscribers.setdefault(topic, set()).add(subscription)

    def detach(self, subscription: Subscription) -> None:
        with self._lock:
            for topic in subscription.topics:
                subscribers = self._subscribers.get(topic)
                if subscribers:
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._subscribers[topic]

    def subscriber_count(self, topic: str | None = None) -> int:
        with self._lock:
            if topic is not None:
                return len(self._subscribers.get(topic, ()))
            return len({s for subs in self._subscribers.values() for s in subs})


class RedisBus(LocalBus):
    """Messages go through Redis pub/sub, so every worker's clients get them. One reader
    task per process and event loop listens and fans out to the local subscribers."""

    def __init__(self, url: str) -> None:
        super().__init__()
        import redis

        self.url = url
        self._client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
        self._readers: dict[asyncio.AbstractEventLoop, asyncio.Task] = {}
        self._ready: dict[asyncio.AbstractEventLoop, asyncio.Event] = {}

    def send(self, message: Message) -> None:
        self._client.publish(REDIS_CHANNEL + message.topic, message.encode())

    async def attach(self, subscription: Subscription) -> None:
        await super().attach(subscription)
        loop = subscription.loop
        reader = self._readers.get(loop)
        if reader is None or reader.done():
            self._ready[loop] = asyncio.Event()
            self._readers[loop] = loop.create_task(self._read(self._ready[loop]))
        await self._ready[loop].wait()

    async def _read(self, ready: asyncio.Event) -> None:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub()
        try:
            await pubsub.psubscribe(REDIS_CHANNEL + "*")
            while True:
                item = await pubsub.get_message(ignore_subscribe_messages=False, timeout=30)
                if item is None:
                    continue
                if item["type"] == "psubscribe":
                    ready.set()
                elif item["type"] == "pmessage":
                    self.fan_out(Message.decode(item["data"]))
        finally:
            ready.set()
            await pubsub.aclose()
            await client.aclose()


_bus: LocalBus | None = None
_bus_lock = threading.Lock()


def bus() -> LocalBus:
    """The bus of this process: Redis when settings.REDIS_URL is set, else local."""
    global _bus
    with _bus_lock:
        if _bus is None:
            url = getattr(settings, "REDIS_URL", None)
            _bus = RedisBus(url) if url else LocalBus()
        return _bus


def use_bus(replacement: LocalBus | None) -> None:
    """Replace the bus of this process (tests; None: choose from settings again)."""
    global _bus
    with _bus_lock:
        _bus = replacement


@asynccontextmanager
async def subscribe(*topics: str) -> AsyncIterator[Subscription]:
    """Receive the messages of ``topics`` while the block runs."""
    subscription = Subscription(
        frozenset(check_topic(t) for t in topics), asyncio.get_running_loop()
    )
    current = bus()
    await current.attach(subscription)
    try:
        yield subscription
    finally:
        current.detach(subscription)
