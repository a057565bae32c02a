"""Public pages served from the cache in front of Django, the way a CDN would serve them.

On race day most requests are the same few pages asked again and again between two
results. Going through Django's request cycle for each (a worker thread, a database
connection, the middleware) costs several milliseconds; answering from the cache at the
ASGI layer costs a fraction of one. ``CachedPages`` wraps the ASGI application: a GET of a
public page (``/seasons/...``, ``/races/...``, ``/skaters/...``, their JSON twins and
fragments) is answered with the copy kept for the current *results version*; on a miss
Django answers and the response is kept, unless it is personal (sets a cookie, varies by
cookie) or not a plain 200. When a result becomes official, every open live page asks for
its table again at once: readers of a page being rendered wait for that one rendering
instead of each going through Django.

The results version here has two parts. The live counter, read from the cache with the
page itself (one round trip), so a change a service announces (``live.publish``) is seen
by the very next request of every worker. The fingerprint of the newest rows
(``documents.results_version``), read from the database at most once every
``FINGERPRINT_SECONDS``, so a change nobody announced (an edit in the admin) shows within
that time.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections import OrderedDict

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.db import connection

from shorttrack.queries import documents

PUBLIC = re.compile(r"^/(seasons|races|skaters)/")
FINGERPRINT_SECONDS = 1.0
RENDERINGS_KEPT = 1024


class CachedPages:
    """ASGI middleware: public pages from the cache, everything else to ``app``."""

    def __init__(self, app) -> None:
        self.app = app
        # One cache client for the life of the process. Django's ``cache`` is a new client
        # in each request's context: with Redis, a new connection for every request.
        self.cache = caches.create_connection(DEFAULT_CACHE_ALIAS)
        self._fingerprint = ""
        self._fingerprint_at = float("-inf")
        self._refresh: asyncio.Future | None = None
        # (counter, page key) -> its latest rendering, kept a while after it is done: a
        # reader may have looked in the cache just before the page went in.
        self._renderings: OrderedDict[tuple, Keeping] = OrderedDict()

    async def __call__(self, scope, receive, send) -> None:
        if not self.cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = self.key(scope, await self.fingerprint())
        counter, kept = self.look_up(key)
        earlier = self._renderings.get((counter, key)) if kept is None else None
        if earlier is not None:
            # Being rendered, or rendered since this reader looked: wait for it, look again.
            await earlier.done.wait()
            if earlier.personal:  # an answer not for the cache (a 404, say): Django answers
                await self.app(scope, receive, send)
                return
            counter, kept = self.look_up(key)
        if kept is not None:
            await send({"type": "http.response.start", "status": 200, "headers": kept[0]})
            await send({"type": "http.response.body", "body": kept[1]})
            return
        rendering = Keeping(send, key, counter, self.cache)
        self._renderings[(counter, key)] = rendering
        while len(self._renderings) > RENDERINGS_KEPT:
            self._renderings.popitem(last=False)
        try:
            await self.app(scope, receive, rendering)
        finally:
            rendering.done.set()

    @staticmethod
    def cacheable(scope) -> bool:
        return (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and bool(PUBLIC.match(scope["path"]))
            and not any(name == b"authorization" for name, _ in scope["headers"])
            and not _redirected_to_https(scope)
        )

    async def fingerprint(self) -> str:
        now = time.monotonic()
        if now - self._fingerprint_at > FINGERPRINT_SECONDS:
            # One reader refreshes it; those arriving meanwhile use the one there is, or
            # wait for the first one.
            self._fingerprint_at = now
            self._refresh = asyncio.ensure_future(
                sync_to_async(_fingerprint, thread_sensitive=False)()
            )
            self._fingerprint = await self._refresh
        elif not self._fingerprint and self._refresh is not None:
            self._fingerprint = await self._refresh
        return self._fingerprint

    def look_up(self, key: str) -> tuple[int, tuple | None]:
        """The live counter, and the page kept under ``key`` if it was kept under that
        counter: (headers, body). In the event loop, not a worker thread: this is a
        dictionary lookup or one round trip to Redis on this host, where handing the
        request to a thread and back costs more, and much more on a busy machine."""
        found = self.cache.get_many([documents.LIVE_COUNTER, key])
        counter = found.get(documents.LIVE_COUNTER, 0)
        kept = found.get(key)
        if kept is None or kept[0] != counter:
            return counter, None
        return counter, kept[1:]

    @staticmethod
    def key(scope, fingerprint: str) -> str:
        host = next((value for name, value in scope["headers"] if name == b"host"), b"")
        address = b"%s %s?%s" % (host, scope["path"].encode(), scope["query_string"])
        digest = hashlib.sha1(address, usedforsecurity=False).hexdigest()[:20]
        return f"asgi-page:{fingerprint}:{digest}"


def _redirected_to_https(scope) -> bool:
    """Whether Django would send this request to HTTPS (behind TLS, a request that came
    in plain): Django answers it, so the cache never serves a page over plain HTTP."""
    if not settings.SECURE_SSL_REDIRECT or scope.get("scheme") == "https":
        return False
    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        name = header[0].removeprefix("HTTP_").replace("_", "-").lower().encode()
        forwarded = next((v for n, v in scope["headers"] if n == name), b"")
        return forwarded.decode("latin-1") != header[1]
    return True


def _fingerprint() -> str:
    """The newest-rows part of the results version (its counter is read per request)."""
    try:
        return documents.results_version().partition(".")[2]
    finally:
        connection.close()  # a thread outside Django's request cycle: nobody else closes it


class Keeping:
    """The ``send`` of a page Django answers: passes everything on and keeps a copy of a
    whole, public 200 response in the cache, marked with the live counter it was asked
    under. The copy goes in before the last part goes out: once the client has it all,
    Django stops listening and cancels what is still running."""

    def __init__(self, send, key: str, counter: int, cache) -> None:
        self.send = send
        self.key = key
        self.counter = counter
        self.cache = cache
        self.start: dict | None = None
        self.chunks: list[bytes] = []
        self.done = asyncio.Event()  # set when Django has answered
        self.personal = False  # the answer was not for the cache

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body" and self.start is not None:
            self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                if self.public(self.start):
                    kept = (self.counter, self.start["headers"], b"".join(self.chunks))
                    await sync_to_async(self.cache.set, thread_sensitive=False)(self.key, kept)
                else:
                    self.personal = True
        await self.send(message)

    @staticmethod
    def public(start: dict) -> bool:
        if start["status"] != 200:
            return False
        for name, value in start["headers"]:
            name = name.lower()
            if name == b"set-cookie" or (name == b"vary" and b"cookie" in value.lower()):
                return False
            if name == b"content-type" and value.startswith(b"text/event-stream"):
                return False
        return True
