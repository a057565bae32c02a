"""The live-update bus: services announce committed changes, open pages hear of them.

A service that changes what the public sees calls, inside its transaction::

    live.publish(f"race:{race.pk}", {"kind": "official"})
    live.publish_race(race, {"kind": "official"})   # race, its competition and its season

Publishing writes the message as a row (store.models.Announcement, an outbox) in the
transaction of the change, so nothing rolled back is announced and nothing committed is
lost. Once the transaction commits, ``drain()`` sends the rows still to go, oldest first,
and marks them sent; it never raises, so a bus that cannot be reached (Redis down) never
fails a write that has already committed: the rows wait. They go at the next drain that
looks for every row still to go: a change's commit (which sends its own rows at once and
looks for the others at most once per ``DRAIN_EVERY`` seconds in each process, at once
after a drain there left rows to go), a live page opening (the SSE view), an open page's
heartbeat (at most once per ``DRAIN_EVERY`` seconds in each process), or ``shorttrack
live drain`` (``--every N`` for a periodic job). A row is claimed before it is sent, so two
drains (two workers, a request and the periodic job) send it once: by the write that
inserts it, whose commit's drain sends it, or by the drain that sweeps it up once its
write's drain could not send it. A claim older than ``CLAIM_LEASE`` is a process that
died between the claim and the send, and the row goes again: an announcement may, after
a crash, arrive twice (a page only refetches), never not at all. Sent rows are kept
``KEEP_SENT`` and then pruned by the drains, the newest always kept (its id is part of
the pages' fingerprint). Sending also bumps the results version that keys the page
caches (``queries.documents``), whose fingerprint holds the newest announcement too, so
the next request of any page is fresh from the commit on.

Topics are ``season:<id>``, ``competition:<id>`` and ``race:<id>``. A message says what
changed, never the data: the server-sent events endpoint forwards only the payload's
``kind``, ``race`` and ``status``, and pages fetch what changed through the public
queries, which apply the visibility rules (queries/public.py).

Subscribers (the SSE views) are asyncio code::

    async with live.subscribe("season:3") as subscription:
        message = await subscription.next(timeout=15)   # None after 15 s of quiet

Two buses: in this process (the default, one worker) and Redis pub/sub when REDIS_URL is
set, so that a result made official in one worker reaches the clients of all of them.
Each process keeps one Redis subscription and fans messages out to its own clients:
once to each topic's ``Channel``, which keeps the newest messages for all the topic's
subscribers in the process; a subscriber holds only how far it has read, so an open page
costs a number and a waiting task, and leaves nothing behind when it goes.

A message's ``sequence`` is its announcement's number (the row's id): a page that comes
back after a lost connection says the last one it heard and is told, from the outbox,
what it missed (``missed``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

TOPIC = re.compile(r"^(season|competition|race):[1-9][0-9]*$")
FORWARDED = ("kind", "race", "status")
QUEUE_SIZE = 64  # messages a topic keeps in each process for subscribers behind
MISSED_LIMIT = 1000  # announcements a reconnecting page is told of at most
REDIS_CHANNEL = "shorttrack:live:"
DRAIN_EVERY = 15.0  # seconds between two drains an open page's heartbeat asks of a process
REDIS_TIMEOUT = 2.0  # seconds: a Redis that does not answer delays a drain no longer
CLAIM_LEASE = timedelta(seconds=60)  # far longer than a send may take (REDIS_TIMEOUT)
KEEP_SENT = timedelta(days=2)  # sent announcements kept for the record, then pruned
PRUNE_EVERY = 3600.0  # seconds between two prunings in one process

log = logging.getLogger("shorttrack.live")
_last_drain = float("-inf")
_last_sweep = float("-inf")  # when this process last looked for every row still to go
_left_to_go = False  # a drain here could not send everything: the next one looks again
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

    @cached_property
    def event(self) -> bytes:
        """The server-sent event telling a browser (site/stream.py), encoded once however
        many clients it goes to. Its id is the announcement's number: a browser that
        reconnects sends the last one back (Last-Event-ID) and is told what it missed."""
        return (
            f"id: {self.sequence}\nevent: update\ndata: {json.dumps(self.public())}\n\n"
        ).encode()

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
    this order, and one drain once the transaction commits. The rows are inserted claimed
    by this write: its commit's drain sends them without claiming them again, and a
    sweep elsewhere leaves them for the lease."""
    from shorttrack.store.compiled import insert_all
    from shorttrack.store.models import Announcement

    now = timezone.now()
    rows = []
    for topic, payload in announcements:
        check_topic(topic)
        # Refused here, at the caller, if it cannot be sent, not after the commit; kept as
        # the outbox gives it back, which is what this write's drain sends.
        stored = json.loads(json.dumps(payload))
        rows.append(Announcement(topic=topic, payload=stored, created=now, claimed=now))
    insert_all(rows)
    _drain_on_commit([(row.pk, row.topic, row.payload, row.created) for row in rows])


# An announcement as a drain sends it: (id, topic, payload, created).
Row = tuple[int, str, dict, datetime]


class _AtCommit:
    """The drain a transaction's announcements wait for, of the rows it wrote."""

    def __init__(self) -> None:
        self.own: list[Row] = []
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        drain(own=self.own)


def _drain_on_commit(rows: list[Row]) -> None:
    """One drain once the transaction commits, however many times its write published: a
    drain already waiting for a commit (registered at this savepoint or outside it, so not
    discarded while these rows stay) takes these rows too."""
    if connection.in_atomic_block:
        here = set(connection.savepoint_ids)
        for sids, func, _ in connection.run_on_commit:
            if isinstance(func, _AtCommit) and not func.ran and sids <= here:
                func.own.extend(rows)
                return
    at_commit = _AtCommit()
    at_commit.own.extend(rows)
    transaction.on_commit(at_commit)


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


def drain(limit: int = 1000, own: list[Row] | None = None) -> Drained:
    """Send the announcements still to go, oldest first, each once, and mark them sent.
    Never raises: the change is committed whatever happens here. The first one the bus
    refuses stops the drain (order is kept) and stays to go with the rest. The versions of
    the pages of all the rows sent are bumped at once, before the first is sent: a page
    told of a change fetches it fresh. Three statements: the claim (the sweep of the
    ``limit`` oldest rows still to go that no drain holds), the seasons whose histories the
    rows reach, the mark.

    ``own``: the rows a write just committed (its commit's drain), claimed by the write
    itself (``publish_all``): they go without a claim, two statements. The other rows
    still to go are swept with them only once every ``DRAIN_EVERY`` seconds in this
    process, or at once after a drain here left rows to go: a write's rows cost the same
    however many sent rows the outbox keeps, while the search of what is still to go reads
    the index entries of every row sent since the table was last vacuumed."""
    global _last_drain, _last_sweep, _left_to_go
    from shorttrack.queries.documents import bump_version
    from shorttrack.store.models import Announcement

    _last_drain = time.monotonic()
    sweep = own is None or _left_to_go or _last_drain - _last_sweep >= DRAIN_EVERY
    sent = 0
    rows: list[Row] = list(own or ())
    try:
        now = timezone.now()
        if sweep:
            _last_sweep, _left_to_go = _last_drain, False
            # A write whose transaction outlasted the lease finds its own rows swept too.
            rows = sorted({row[0]: row for row in (*rows, *_claim(now, limit))}.values())
        delivered: list[int] = []
        try:
            if rows:
                bump_version([(topic, payload) for _, topic, payload, _ in rows])
            for pk, topic, payload, created in rows:
                bus().send(Message(topic, payload, pk, created.astimezone(UTC).isoformat()))
                delivered.append(pk)
        except Exception:
            _left_to_go = True
            undelivered = [row[0] for row in rows[len(delivered) :]]
            Announcement.objects.filter(pk__in=undelivered, sent__isnull=True).update(claimed=None)
            raise
        finally:
            # Marked sent in one update; a crash before it sends them again after the
            # lease (an announcement may arrive twice, never not at all).
            if delivered:
                _mark_sent(delivered, timezone.now())
                sent = len(delivered)
        _prune_if_due()
    except Exception as error:
        _left_to_go = True
        problem = f"{type(error).__name__}: {' '.join(str(error).split())}"
        log.warning("live announcements pending: %s", problem)
        try:
            pending = Announcement.objects.filter(sent__isnull=True).count()
        except Exception:
            pending = -1  # the database itself cannot be read: unknown
        return Drained(sent, pending, problem)
    return Drained(sent, 0 if len(rows) < limit else pending_count())


def _claim(now: datetime, limit: int) -> list[Row]:
    """Claim (at ``now``) the oldest ``limit`` announcements still to go that no drain
    holds (never claimed, or claimed past the lease), and return them, (id, topic,
    payload, created) oldest first: one statement, which the database answers with the
    rows it updated. Of two drains at once each row goes to one:
    on PostgreSQL a drain skips the rows the other is claiming, and a row the other claimed
    meanwhile no longer matches; SQLite runs one writer at a time."""
    from shorttrack.store.compiled import cursor_of, decoded
    from shorttrack.store.models import Announcement

    lease_ended = now - CLAIM_LEASE
    if connection.vendor not in ("postgresql", "sqlite") or not (
        connection.features.can_return_columns_from_insert  # RETURNING: SQLite from 3.35
    ):
        # No RETURNING: the claim, then the rows claimed at this moment.
        free = Announcement.objects.filter(sent__isnull=True).filter(
            Q(claimed__isnull=True) | Q(claimed__lte=lease_ended)
        )
        Announcement.objects.filter(pk__in=free.order_by("id").values("id")[:limit]).update(
            claimed=now
        )
        claimed = Announcement.objects.filter(claimed=now, sent__isnull=True).order_by("id")
        return list(claimed.values_list("id", "topic", "payload", "created"))
    meta = Announcement._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    claimed, sent = (quote(meta.get_field(name).column) for name in ("claimed", "sent"))
    returned = [meta.get_field(name) for name in ("id", "topic", "payload", "created")]
    skip_locked = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    moment = connection.ops.adapt_datetimefield_value
    cursor = cursor_of(connection)
    cursor.execute(
        f"UPDATE {table} SET {claimed} = %s WHERE {pk} IN (SELECT {pk} FROM {table}"
        f" WHERE {sent} IS NULL AND ({claimed} IS NULL OR {claimed} <= %s)"
        f" ORDER BY {pk} LIMIT %s{skip_locked})"
        f" RETURNING {', '.join(quote(field.column) for field in returned)}",
        [moment(now), moment(lease_ended), limit],
    )
    updated = cursor.fetchall()
    # Decoded as the ORM decodes these columns (the payload's JSON, SQLite's moments).
    columns = [field.get_col(meta.db_table) for field in returned]
    return sorted(tuple(row) for row in decoded(updated, columns, connection))


def _mark_sent(ids: list[int], at: datetime) -> None:
    """``Announcement.objects.filter(pk__in=ids).update(sent=at)``, written here: Django
    took longer to build the update than the database to run it, at every drain."""
    from shorttrack.store.compiled import cursor_of
    from shorttrack.store.models import Announcement

    meta, quote = Announcement._meta, connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    sent = quote(meta.get_field("sent").column)
    moment = connection.ops.adapt_datetimefield_value(at)
    cursor = cursor_of(connection)
    for start in range(0, len(ids), _IDS_A_STATEMENT):
        among, chunk = _among(pk, ids[start : start + _IDS_A_STATEMENT])
        cursor.execute(f"UPDATE {table} SET {sent} = %s WHERE {among}", [moment, *chunk])


# Ids one statement names at most: SQLite takes 999 parameters before 3.32.
_IDS_A_STATEMENT = 500


# Ids a list names on PostgreSQL: past this, one array (the statement the same whatever
# the number; psycopg converts a statement of over 50 parameters anew each time), below
# it a list, whose ids psycopg dumps in C where an array costs a Python loop (a write's
# three announcements marked: 334 -> 305 us, bench/compiled_reads.py).
_LIST_AT_MOST = 49


def _among(pk: str, ids: list[int]) -> tuple[str, list]:
    """``pk`` is one of ``ids`` (at most _IDS_A_STATEMENT), as SQL and its parameters: a
    list, or on PostgreSQL one array past ``_LIST_AT_MOST``."""
    if connection.vendor == "postgresql" and len(ids) > _LIST_AT_MOST:
        return f"{pk} = ANY(%s)", [list(ids)]
    return f"{pk} IN ({', '.join(['%s'] * len(ids)) or 'NULL'})", list(ids)


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


def missed(topic: str, after: int, limit: int = MISSED_LIMIT) -> list[Message]:
    """The announcements of ``topic`` after number ``after``, oldest first: what a page
    that last heard ``after`` missed while it was away (the newest ``limit`` of them; a
    page needs only to know that something changed). Those still to go are among them:
    their change is committed, and the live one that follows is told apart by its number.
    The outbox keeps sent rows KEEP_SENT: of a page away longer, the rows after ``after``
    may have been pruned, some of them perhaps its topic's. It is told first a message of
    kind ``missed`` (numbered just before the oldest row kept), which makes it fetch its
    table again like any update; a gap in the numbers a rolled-back insert left costs at
    worst one fetch too many. (An ``after`` of 0 names no announcement: a page that heard
    none is told what the outbox holds.) One more query, on a reconnect only."""
    from shorttrack.store.models import Announcement

    rows = (
        Announcement.objects.filter(topic=check_topic(topic), id__gt=after)
        .order_by("-id")
        .values_list("id", "payload", "created")[:limit]
    )
    messages = [
        Message(topic, payload, pk, created.astimezone(UTC).isoformat())
        for pk, payload, created in reversed(list(rows))
    ]
    oldest = Announcement.objects.order_by("id").values_list("id", flat=True).first()
    if oldest is not None and 0 < after < oldest - 1:
        pruned = Message(topic, {"kind": "missed"}, oldest - 1, timezone.now().isoformat())
        messages.insert(0, pruned)
    return messages


class Channel:
    """One topic in one event loop: the messages of the topic that reached this process,
    shared by every subscriber there. A message arrives once per channel, not once per
    client, and is kept (the newest ``QUEUE_SIZE``) until the channel's last subscriber
    leaves; each subscriber only remembers how far it has read."""

    __slots__ = ("topic", "loop", "recent", "listeners", "_changed")

    def __init__(self, topic: str, loop: asyncio.AbstractEventLoop) -> None:
        self.topic = topic
        self.loop = loop
        self.recent: deque[tuple[int, Message]] = deque(maxlen=QUEUE_SIZE)
        self.listeners = 0
        self._changed: asyncio.Future | None = None

    def put(self, message: Message) -> None:
        """In the channel's loop: keep the message and wake every subscriber waiting."""
        self.recent.append((next(_arrivals), message))
        changed, self._changed = self._changed, None
        if changed is not None and not changed.done():
            changed.set_result(None)

    def changed(self) -> asyncio.Future:
        """Done when the next message arrives; one future for all the waiters, which
        never cancel it (asyncio.wait leaves the futures it waits on alone)."""
        if self._changed is None:
            self._changed = self.loop.create_future()
        return self._changed

    @property
    def newest(self) -> int:
        return self.recent[-1][0] if self.recent else 0


# The order messages arrived in this process, across channels: a subscription to several
# topics reads them in that order, and needs only one number to know where it is.
_arrivals = itertools.count(1)


class Subscription:
    """What one open connection holds: its channels and how far it has read them."""

    __slots__ = ("topics", "loop", "channels", "seen")

    def __init__(self, topics: frozenset[str], loop: asyncio.AbstractEventLoop) -> None:
        self.topics = topics
        self.loop = loop
        self.channels: tuple[Channel, ...] = ()  # set by the bus on attach
        self.seen = 0  # the arrival number of the last message read

    def _unread(self) -> list[tuple[int, Message]]:
        fresh = []
        for channel in self.channels:
            for arrival, message in reversed(channel.recent):
                if arrival <= self.seen:
                    break
                fresh.append((arrival, message))
        if len(self.channels) > 1:
            fresh.sort(key=lambda kept: kept[0])
        else:
            fresh.reverse()
        return fresh

    def take(self) -> list[Message]:
        """Every message arrived since the last take, oldest first (of a client that fell
        more than QUEUE_SIZE behind, the newest: it needs only to know what changed)."""
        fresh = self._unread()
        if fresh:
            self.seen = fresh[-1][0]
        return [message for _, message in fresh]

    async def wait(self, timeout: float | None = None, also: asyncio.Future | None = None) -> bool:
        """Until a message is there to take (True), ``timeout`` seconds pass or ``also`` is
        done (False)."""
        if any(channel.newest > self.seen for channel in self.channels):
            return True
        waiting = {channel.changed() for channel in self.channels}
        if also is not None:
            waiting.add(also)
        await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        return any(channel.newest > self.seen for channel in self.channels)

    async def next(self, timeout: float | None = None) -> Message | None:
        """The next message, or None when ``timeout`` seconds pass without one."""
        if not await self.wait(timeout):
            return None
        arrival, message = self._unread()[0]
        self.seen = arrival
        return message

    def __aiter__(self) -> AsyncIterator[Message]:
        return self

    async def __anext__(self) -> Message:
        return await self.next()


class LocalBus:
    """Fan-out to the subscribers of this process: to each channel (topic and event loop)
    once, where every subscriber of the channel reads it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._channels: dict[str, list[Channel]] = {}
        self._subscriptions = 0

    def send(self, message: Message) -> None:
        self.fan_out(message)

    def fan_out(self, message: Message) -> None:
        """From any thread: in a channel's own loop the message is put at once, from
        elsewhere handed to that loop (one wake-up of the loop per channel)."""
        with self._lock:
            targets = list(self._channels.get(message.topic, ()))
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for channel in targets:
            if channel.loop is running:
                channel.put(message)
                continue
            try:
                channel.loop.call_soon_threadsafe(channel.put, message)
            except RuntimeError:  # the loop has closed: its clients are gone
                pass

    async def attach(self, subscription: Subscription) -> None:
        with self._lock:
            channels = []
            for topic in subscription.topics:
                here = self._channels.setdefault(topic, [])
                channel = next((c for c in here if c.loop is subscription.loop), None)
                if channel is None:
                    channel = Channel(topic, subscription.loop)
                    here.append(channel)
                channel.listeners += 1
                channels.append(channel)
            subscription.channels = tuple(channels)
            subscription.seen = max((c.newest for c in channels), default=0)
            self._subscriptions += 1

    def detach(self, subscription: Subscription) -> None:
        """The subscription leaves (again: nothing happens); a channel without
        subscribers goes, with the messages it kept."""
        with self._lock:
            if not subscription.channels:
                return
            for channel in subscription.channels:
                channel.listeners -= 1
                if channel.listeners == 0:
                    here = self._channels[channel.topic]
                    here.remove(channel)
                    if not here:
                        del self._channels[channel.topic]
            subscription.channels = ()
            self._subscriptions -= 1

    def subscriber_count(self, topic: str | None = None) -> int:
        with self._lock:
            if topic is not None:
                return sum(c.listeners for c in self._channels.get(topic, ()))
            return self._subscriptions

    def channel_count(self) -> int:
        """How many channels this process holds (one per topic listened to and loop)."""
        with self._lock:
            return sum(len(here) for here in self._channels.values())


class RedisBus(LocalBus):
    """Messages go through Redis pub/sub, so every worker's clients get them. One reader
    task per process and event loop listens and fans out to the local channels."""

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
