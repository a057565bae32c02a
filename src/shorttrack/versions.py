"""The results versions the public pages are cached and revalidated by, one per scope.

A page shows the results of a scope: a race, a competition, a season, the calendar (which
competitions are published, who is entered), or every season at once; and two scopes the
store is asked for when a change is announced (``queries.documents.bump_version``): the
history up to a season (``history:<id>``, which the facts of its races are found in) and a
competition's schedule (``schedule:<id>``, which numbers its races). Each scope has a
version, bumped when an announced change reaches it (``live.drain`` sends an announcement
and bumps the scopes of its topic, ``scopes_of_announcement``), so a result made official
in one race changes the versions of that race, its competition, its season and the history
of that season and the later ones, and no other. ``GLOBAL`` is bumped by changes nobody announced (an edit in the admin, found by the
page cache when the newest rows change while the newest announcement does not) and by a
restore: every page depends on it.

A version is the sequence number of the bump that last touched the scope and the time it
happened, so the ETag (the versions a page shows) and the Last-Modified (the newest of
those times) of a page are the same in every worker.

Where the versions live:

- ``LocalVersions``: in this process (one worker, the tests).
- ``RedisVersions`` when ``REDIS_URL`` is set: a hash in Redis, bumped atomically by a
  script that also publishes the bump. Each worker keeps a copy in memory, filled and kept
  current by one asyncio task per event loop (redis.asyncio: pub/sub, and a look at the
  sequence and epoch every ``POLL_SECONDS`` in case a message was lost or Redis was
  emptied), so reading a version on a
  request is a dictionary lookup: the event loop never waits on Redis. A bump (``drain``,
  in a worker thread or a command) is a blocking call to Redis, as sending the
  announcement is. Only a worker's first copy is waited for (``SYNC_TIMEOUT``); while
  Redis is down after that, ``ready()`` says no at once, and pages are answered from
  Django, kept by nobody, until the watcher has a copy again.

The store's *epoch* (a random word made when the versions start: a new process without
Redis, an emptied Redis) is part of every ETag, so a version number given again after a
restart is never taken for the one before. In Redis the first bump or watcher to find the
hash without one gives it a new epoch, never the one a worker held before.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from dataclasses import dataclass

from django.conf import settings

GLOBAL = "global"
CALENDAR = "calendar"  # published competitions, entries, final rankings: the indexes
ANY_SEASON = "season:*"  # bumped with every season: pages across seasons (head-to-head)
REDIS_KEY = "shorttrack:versions"
REDIS_CHANNEL = "shorttrack:versions"
POLL_SECONDS = 0.5
SYNC_TIMEOUT = 2.0  # seconds a request waits for a worker's first copy of the versions

log = logging.getLogger("shorttrack.versions")


@dataclass(frozen=True)
class Version:
    sequence: int  # of the bump that last touched the scope; 0: never bumped
    at: float  # when, seconds since the epoch (the store's start when never bumped)


def scopes_of_announcement(topic: str, payload: dict) -> list[str]:
    """The scopes an announcement on ``topic`` changes. A change of a race (its payload
    names the race: a start list, a result) changes the race's, competition's or season's
    own pages; anything else said of a competition or season (published, imported, a
    final ranking) may also change the indexes: the calendar."""
    scopes = [topic]
    if topic.startswith("season:"):
        scopes.append(ANY_SEASON)
    if "race" not in payload:
        scopes.append(CALENDAR)
    return scopes


class LocalVersions:
    """The versions of this process."""

    def __init__(self) -> None:
        self.epoch = secrets.token_hex(4)
        self.started = time.time()
        self.sequence = 0
        self._latest_at = 0.0
        self._versions: dict[str, Version] = {}
        self._lock = threading.Lock()
        self._fingerprint: tuple[str, int] | None = None
        # Counts every change of the versions, after it is made: a reader that saw the
        # same count before looking at a page's versions knows them unchanged since.
        self.changes = 0

    def get(self, scope: str) -> Version:
        """The version of ``scope``; of "*", the newest bump of any scope."""
        if scope == "*":
            return Version(self.sequence, self._latest_at or self.started)
        return self._versions.get(scope) or Version(0, self.started)

    def bump(self, scopes: list[str]) -> int:
        with self._lock:
            self.sequence += 1
            version = Version(self.sequence, time.time())
            for scope in scopes:
                self._versions[scope] = version
            self._latest_at = version.at
            self.changes += 1
            return self.sequence

    def apply(self, sequence: int, at: float, scopes: list[str]) -> None:
        """A bump made elsewhere (another worker), as told."""
        with self._lock:
            version = Version(sequence, at)
            for scope in scopes:
                if self.get(scope).sequence < sequence:
                    self._versions[scope] = version
            if sequence > self.sequence:
                self.sequence = sequence
                self._latest_at = at
            self.changes += 1

    def notice_fingerprint(self, rows: str, announced: int) -> bool:
        """Told the newest rows and the newest announcement: a change of the rows while
        the announcements stayed is a change nobody announced, so every page is stale
        (GLOBAL is bumped). Returns whether it was."""
        with self._lock:
            before, self._fingerprint = self._fingerprint, (rows, announced)
        if before is not None and before[0] != rows and before[1] == announced:
            self.bump([GLOBAL])
            return True
        return False

    async def ready(self) -> bool:
        """Whether the copy of the versions is there to be read (always, here)."""
        return True


# Bumps the sequence, sets each scope to "sequence:time", publishes "sequence time scope..."
# and returns the sequence and the time: one atomic step, whoever else bumps at the same time.
# ARGV[1] is a new epoch, taken only by a hash that has none (a new or emptied Redis).
_BUMP = """
local sequence = redis.call('HINCRBY', KEYS[1], '.sequence', 1)
local now = redis.call('TIME')
local at = now[1] .. '.' .. string.format('%06d', now[2])
redis.call('HSETNX', KEYS[1], '.epoch', ARGV[1])  -- "epoch:time it started"
for i = 2, #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i], sequence .. ':' .. at)
end
redis.call('PUBLISH', KEYS[2], sequence .. ' ' .. at .. ' ' .. table.concat(ARGV, ' ', 2))
return {sequence, at}
"""


class RedisVersions(LocalVersions):
    """The versions in Redis, with this process's copy kept current by a watcher task."""

    def __init__(self, url: str) -> None:
        super().__init__()
        import redis

        self.url = url
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._script = self._client.register_script(_BUMP)
        self._watchers: dict[asyncio.AbstractEventLoop, asyncio.Task] = {}
        self._synced = threading.Event()
        self._lost = False  # had a copy, then lost Redis
        self._stored_epoch: bytes | None = None  # as last read from Redis

    def bump(self, scopes: list[str]) -> int:
        sequence, at = self._script(keys=[REDIS_KEY, REDIS_CHANNEL], args=[new_epoch(), *scopes])
        # This process sees its own bump at once, before the message comes back. (After
        # Redis was emptied the new numbers are lower: the watcher takes the new epoch.)
        self.apply(int(sequence), float(at), scopes)
        return int(sequence)

    def notice_fingerprint(self, rows: str, announced: int) -> bool:
        """As LocalVersions, with the fingerprint last seen kept in Redis: shared by the
        workers, and kept while they restart (a change made while none ran is noticed)."""
        value = f"{rows}|{announced}"
        before = self._client.hget(REDIS_KEY, ".fingerprint")
        self._client.hset(REDIS_KEY, ".fingerprint", value)
        if before is None:
            return False
        before_rows, _, before_announced = before.decode().partition("|")
        if before_rows != rows and before_announced == str(announced):
            self.bump([GLOBAL])
            return True
        return False

    def load(self, stored: dict) -> None:
        """Take the whole hash as read from Redis."""
        stored = {k.decode(): v.decode() for k, v in stored.items()}
        epoch = stored.pop(".epoch", None)
        sequence = int(stored.pop(".sequence", 0))
        stored.pop(".fingerprint", None)
        with self._lock:
            self._stored_epoch = epoch.encode() if epoch else None
            if epoch:
                self.epoch, _, started = epoch.partition(":")
                self.started = float(started or self.started)
            self._versions = {}
            for scope, value in stored.items():
                number, _, at = value.partition(":")
                self._versions[scope] = Version(int(number), float(at))
            self.sequence = sequence
            self._latest_at = max((v.at for v in self._versions.values()), default=0.0)
            self.changes += 1
        self._lost = False
        self._synced.set()

    async def ready(self) -> bool:
        loop = asyncio.get_running_loop()
        watcher = self._watchers.get(loop)
        if watcher is None or watcher.done():
            self._watchers[loop] = loop.create_task(self._watch())
        if self._synced.is_set():
            return True
        if self._lost:
            # Redis went away after a first copy: every page would wait its SYNC_TIMEOUT
            # while it is down. They are answered at once, kept by nobody, until the
            # watcher has a copy again.
            return False
        for _ in range(int(SYNC_TIMEOUT / 0.01)):
            await asyncio.sleep(0.01)
            if self._synced.is_set():
                return True
        return False  # Redis unreachable: the caller renders the page, keeps nothing

    async def _reload(self, client) -> None:
        """Take the whole hash from Redis; a hash without an epoch (a new or emptied
        Redis) is given a new one first."""
        await client.hsetnx(REDIS_KEY, ".epoch", new_epoch())
        self.load(await client.hgetall(REDIS_KEY))

    async def _watch(self) -> None:
        import redis.asyncio as aioredis

        task = asyncio.current_task()
        while True:
            client = aioredis.Redis.from_url(self.url, socket_connect_timeout=2)
            pubsub = client.pubsub()
            reading: asyncio.Future | None = None
            try:
                await pubsub.subscribe(REDIS_CHANNEL)
                # Subscribed first, then read: no bump falls between the two.
                await self._reload(client)
                looked = time.monotonic()
                while not task.cancelling():
                    # The next message is read with no timeout of redis-py's, whose
                    # timeout can swallow this task's cancellation (a worker's loop
                    # closing would wait for it for ever); the wait has the timeout.
                    if reading is None:
                        reading = asyncio.ensure_future(
                            pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
                        )
                    await asyncio.wait({reading}, timeout=POLL_SECONDS)
                    if reading.done():
                        item, reading = reading.result(), None
                        if item is not None and item["type"] == "message":
                            sequence, at, *scopes = item["data"].decode().split(" ")
                            self.apply(int(sequence), float(at), scopes)
                    # A look every POLL_SECONDS, however busy: a message lost, or Redis
                    # emptied (its epoch gone or new; the bumps after it lower numbers).
                    if time.monotonic() - looked < POLL_SECONDS:
                        continue
                    looked = time.monotonic()
                    sequence, epoch = await client.hmget(REDIS_KEY, [".sequence", ".epoch"])
                    if int(sequence or 0) != self.sequence or epoch != self._stored_epoch:
                        await self._reload(client)
                raise asyncio.CancelledError  # cancelled, and redis-py let it go on
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if task.cancelling():  # the cancellation, turned into redis-py's own error
                    raise asyncio.CancelledError from error
                self._lost = self._lost or self._synced.is_set()
                self._synced.clear()
                log.warning("results versions not read from Redis: %s", error)
                await asyncio.sleep(1.0)
            finally:
                if reading is not None:
                    reading.cancel()
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except Exception:
                    pass


def new_epoch() -> str:
    """An epoch as Redis keeps it: a random word and the time it started."""
    return f"{secrets.token_hex(4)}:{time.time()!r}"


_store: LocalVersions | None = None
_store_lock = threading.Lock()


def store() -> LocalVersions:
    """The versions of this process: in Redis when settings.REDIS_URL is set."""
    global _store
    current = _store
    if current is not None:  # asked on every request; set once, so read without the lock
        return current
    with _store_lock:
        if _store is None:
            url = getattr(settings, "REDIS_URL", None)
            _store = RedisVersions(url) if url else LocalVersions()
        return _store


def use_store(replacement: LocalVersions | None) -> None:
    """Replace the versions of this process (tests; None: choose from settings again)."""
    global _store
    with _store_lock:
        _store = replacement
