"""The server-sent events endpoint, /live/<topic>/: an open page listens here and re-fetches
its main table when a message arrives.

Answered at the ASGI layer, in front of Django (``LiveStreams`` in shorttrack.asgi): an
open page holds its connection for hours, and Django's request cycle (a request object,
the middleware, a task listening for the disconnect, a thread hop for each sync step)
would cost it hundreds of kilobytes. Here a connection is uvicorn's own objects, one
task waiting for the client to leave and a ``live.Subscription`` (how far it has read its
topic's channel): a message is encoded once (``live.Message.event``) and written to
every client of the process. Whether a topic is public is asked of the database once per
``PUBLIC_FOR`` seconds in each process, however many pages open; anything the front does
not stream (a malformed or unknown topic, a host not allowed, a plain-HTTP request to be
sent to HTTPS, a method other than GET) goes to Django, whose view below answers it the
same way as the front would, or with its 404.

Events are ``update`` with a JSON body ({"topic", "at", "kind", "race", "status"}) and
the announcement's number as ``id``; a browser that reconnects sends the last one back
(``Last-Event-ID``) and gets first what it missed (from the outbox, store.models.
Announcement; of a page away longer than the outbox keeps its rows, an update of kind
``missed``: live.missed), then the live ones, none twice. A comment every ``HEARTBEAT`` seconds
keeps proxies from closing a quiet connection. Opening a stream sends the announcements
still to go (live.drain, at most once per ``OPEN_DRAIN_EVERY`` seconds in each process)
and quiet heartbeats try again now and then (live.drain_if_due), so a change committed
while Redis was down reaches open pages once it is back.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import re
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.http import Http404, StreamingHttpResponse
from django.http.request import split_domain_port, validate_host

from shorttrack import live
from shorttrack.site.page_cache import _redirected_to_https
from shorttrack.store.models import Competition, Race, Season

HEARTBEAT = 15.0
RETRY_MS = 2000
PUBLIC_FOR = 30.0  # seconds a process trusts that a topic it checked is public
OPEN_DRAIN_EVERY = 1.0  # seconds between two drains that opening pages ask of a process
TOPICS_KEPT = 10_000  # public topics a process remembers
TRIM_AFTER = 1000  # streams closed that make it worth giving their memory back
TRIM_WAIT = 2.0  # seconds after the one that made it worth it: the rest of the wave first
PATH = re.compile(r"^/live/([^/]+)/$")
KEEP_ALIVE = b": keep-alive\n\n"
log = logging.getLogger("shorttrack.live")
HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-store"),  # no proxy or CDN keeps a stream
    (b"x-accel-buffering", b"no"),  # nginx: pass events through as they come
    (b"x-content-type-options", b"nosniff"),
]


def topic_is_public(topic: str) -> bool:
    """A season that exists, a published competition, a race of a published competition."""
    kind, _, pk = topic.partition(":")
    if kind == "season":
        return Season.objects.filter(pk=pk).exists()
    if kind == "competition":
        return Competition.objects.public().filter(pk=pk).exists()
    return Race.objects.public().filter(pk=pk).exists()


def hello(topic: str) -> bytes:
    return f"retry: {RETRY_MS}\n: listening to {topic}\n\n".encode()


def last_event_id(value: str | bytes | None) -> int | None:
    """The announcement number a reconnecting browser last heard, if it sent a well-formed
    one (anything else: a fresh page, told only what happens from now on)."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


async def in_thread(function: Callable, *args):
    """A database call off the event loop, on a connection closed afterwards: a thread
    outside Django's request cycle, where nobody else closes it."""

    def call():
        try:
            return function(*args)
        finally:
            connection.close()

    return await sync_to_async(call, thread_sensitive=False)()


class Shared:
    """Of the same database question asked by many pages at once (a season's pages all
    reconnecting after a restart), one query: the others wait for its answer."""

    def __init__(self) -> None:
        self._asked: dict[tuple, asyncio.Future] = {}

    async def ask(self, key: tuple, function: Callable, *args):
        asked = self._asked.get(key)
        if asked is None:
            asked = asyncio.ensure_future(in_thread(function, *args))
            self._asked[key] = asked
            asked.add_done_callback(lambda _: self._asked.pop(key, None))
        return await asyncio.shield(asked)


_shared = Shared()
_drains: set[asyncio.Task] = set()
_last_open_drain = float("-inf")


def drain_soon(every: float, due: Callable[[], object] = live.drain) -> None:
    """Send the announcements still to go, in a thread, unless this process did less
    than ``every`` seconds ago or is at it: the page need not wait for it."""
    global _last_open_drain
    now = time.monotonic()
    if _drains or now - _last_open_drain < every:
        return
    _last_open_drain = now
    task = asyncio.ensure_future(in_thread(due))
    _drains.add(task)
    task.add_done_callback(_drains.discard)


async def events(
    topic: str,
    after: int | None = None,
    heartbeat: float = HEARTBEAT,
    gone: asyncio.Future | None = None,
) -> AsyncIterator[bytes]:
    """The event stream of one topic: what was missed after announcement ``after`` if
    given, then every message from the moment of subscribing, until the client goes
    (``gone`` is done, or the stream is closed)."""
    async with live.subscribe(topic) as subscription:
        yield hello(topic)
        told: set[int] = set()
        if after is not None:
            # Subscribed first, read second: a message sent meanwhile is in both, and told once.
            missed = await _shared.ask(("missed", topic, after), live.missed, topic, after)
            told = {message.sequence for message in missed}
            if missed:
                yield b"".join(message.event for message in missed)
        while gone is None or not gone.done():
            fresh = subscription.take()
            if told:
                fresh = [message for message in fresh if message.sequence not in told]
            if len(fresh) == 1:
                yield fresh[0].event  # the same bytes for every client
            elif fresh:
                yield b"".join(message.event for message in fresh)
            elif not await subscription.wait(heartbeat, also=gone):
                if gone is not None and gone.done():
                    return
                drain_soon(live.DRAIN_EVERY, live.drain_if_due)
                yield KEEP_ALIVE


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


class Departures:
    """Gives back to the system the memory of pages that left. Python frees a closed
    stream's objects, but the C library keeps the pages it freed for what comes next, so
    a worker that held 5,000 pages stayed at that size after they had gone
    (bench/live_clients.py: 15 KB a page, none of it returned). Once ``after`` streams
    have closed since the last time, ``wait`` seconds later, when the wave of pages
    leaving (a session's end, a restart of nginx) has passed, ``trim(0)`` runs in a
    thread: malloc_trim returns the free pages of every heap at once."""

    def __init__(self, trim=None, after: int = TRIM_AFTER, wait: float = TRIM_WAIT) -> None:
        self.trim = _malloc_trim() if trim is None else trim
        self.after = after
        self.wait = wait
        self.left = 0  # streams closed since the last trim was asked for
        self.trims = 0
        self._pending: asyncio.TimerHandle | asyncio.Future | None = None

    def one_left(self) -> None:
        if self.trim is None:
            return
        self.left += 1
        if self.left >= self.after and self._pending is None:
            self._pending = asyncio.get_running_loop().call_later(self.wait, self._start)

    def _start(self) -> None:
        self.left = 0
        self._pending = asyncio.ensure_future(asyncio.to_thread(self.trim, 0))
        self._pending.add_done_callback(self._done)

    def _done(self, trimmed: asyncio.Future) -> None:
        self._pending = None
        self.trims += 1
        if not trimmed.cancelled() and trimmed.exception() is not None:
            log.warning("live streams: malloc_trim failed: %s", trimmed.exception())


class LiveStreams:
    """ASGI middleware: /live/<topic>/ streamed here, everything else to ``app``."""

    def __init__(self, app, departures: Departures | None = None) -> None:
        self.app = app
        self._public: OrderedDict[str, float] = OrderedDict()  # topic -> checked at
        self.departures = departures or Departures()

    async def __call__(self, scope, receive, send) -> None:
        topic = self.topic(scope)
        if topic is None or not await self.is_public(topic):
            await self.app(scope, receive, send)  # Django answers: its 404, redirect, 400
            return
        drain_soon(OPEN_DRAIN_EVERY)
        gone = asyncio.ensure_future(_until_gone(receive))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            after = last_event_id(_header(scope, b"last-event-id"))
            async with aclosing(events(topic, after, gone=gone)) as stream:
                async for chunk in stream:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            gone.cancel()
            self.departures.one_left()

    @staticmethod
    def topic(scope) -> str | None:
        """The topic of a request this front streams, None for one Django answers."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        if not scope["path"].startswith("/live/"):  # nearly every request: a page
            return None
        found = PATH.match(scope["path"])
        if found is None or not live.TOPIC.match(found[1]) or _redirected_to_https(scope):
            return None
        return found[1] if _host_allowed(scope) else None

    async def is_public(self, topic: str) -> bool:
        checked = self._public.get(topic)
        if checked is not None and time.monotonic() - checked < PUBLIC_FOR:
            return True
        try:
            public = await _shared.ask(("public", topic), topic_is_public, topic)
        except Exception:  # the database cannot say: Django answers, with its error page
            log.exception("live topic %s: could not check that it is public", topic)
            return False
        if not public:
            self._public.pop(topic, None)
            return False
        self._public[topic] = time.monotonic()
        self._public.move_to_end(topic)
        while len(self._public) > TOPICS_KEPT:
            self._public.popitem(last=False)
        return True


async def _until_gone(receive) -> None:
    """Returns when the client has gone (a GET's body, if any, is read and dropped)."""
    while (await receive())["type"] != "http.disconnect":
        pass


def _header(scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope["headers"] if key == name), None)


def _host_allowed(scope) -> bool:
    """Django's own check of the Host header (HttpRequest.get_host); a host it refuses
    goes to Django, which answers 400."""
    if settings.USE_X_FORWARDED_HOST and _header(scope, b"x-forwarded-host"):
        host = _header(scope, b"x-forwarded-host")
    else:
        host = _header(scope, b"host") or b""
    domain, _ = split_domain_port(host.decode("latin-1"))
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


async def stream(request, topic: str):
    """The same stream through Django: what a server without the front (tests, another
    ASGI set-up) answers, and the 404 of a topic that is not public."""
    try:
        live.check_topic(topic)
    except ValueError as error:
        raise Http404(str(error)) from None
    if not await sync_to_async(topic_is_public)(topic):
        raise Http404(f"no live topic {topic}")
    await sync_to_async(live.drain)()
    after = last_event_id(request.headers.get("Last-Event-ID"))
    response = StreamingHttpResponse(events(topic, after), content_type="text/event-stream")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events through as they come
    return response
