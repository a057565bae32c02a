"""Public pages kept, revalidated and compressed in front of Django: HTTP caching the
standard way, and the one cache of rendered pages.

On race day most requests are the same few pages asked again and again between two
results. ``CachedPages`` wraps the ASGI application. A GET of a public page (``PUBLIC``:
the pages, their JSON twins and fragments, the public API) is answered from this
process's copy of the page while the versions of what it shows are unchanged; otherwise
Django renders it once, however many readers ask meanwhile, and the copy is kept.

What a page shows is told by the documents it was built from (``documents.SHOWN``, their
scopes in ``documents.SCOPES``): the standings of a season show ``season:<id>``, a race
``race:<id>``. The copy is kept under the versions of those scopes
(``shorttrack.versions``), which are read from memory: with Redis a watcher task keeps
this process's copy of the versions current, so no request waits on Redis.

Each kept page carries

- an ETag made of those versions (and the store's epoch and this release of the code): a
  result made official changes the ETag of the pages that show its race, competition or
  season, and of no other page;
- a Last-Modified, the time of the newest of those versions, in whole seconds as HTTP
  dates are; so it is left out of the answers sent within the second of that version
  (``dated``): a second change in that second would carry the same date, and a reader
  holding the first would be told 304 by If-Modified-Since alone;
- ``Cache-Control: public, max-age=1, stale-while-revalidate=…``: a shared cache (the
  shipped nginx, a CDN) keeps it and revalidates it every second, so a result shows
  everywhere within about a second. A fragment (``?fragment=main``, what a live page
  fetches when the live stream says something changed) is ``no-cache``: the fetch right
  after the message must not get the copy from before;
- its body compressed once per version, gzip and brotli, sent as the reader's
  Accept-Encoding asks (``Vary: Accept-Encoding``).

If-None-Match (or, without it, If-Modified-Since) matching the kept page is answered 304
with no body. Everything else (the officials' console, the admin, sign-in, live streams,
a response that sets a cookie or varies by it) goes to Django and leaves with
``Cache-Control: private, no-store`` unless it says otherwise, and live streams with
``no-store`` always: no proxy keeps them.

A change nobody announced (an edit in the admin) is found by the fingerprint of the
newest rows, read at most once every ``FINGERPRINT_SECONDS``: when the rows changed and
the newest announcement did not, every page is stale (``versions.GLOBAL``).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs

import brotli
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

from shorttrack import versions
from shorttrack.queries import documents

PUBLIC = re.compile(r"^/((seasons|races|skaters|head-to-head|search|nations)(/|\.json$)|api/)")
NEVER_STORED = re.compile(r"^/live/")
LEFT_ALONE = re.compile(r"^/static/")  # whitenoise's own caching headers
FINGERPRINT_SECONDS = 1.0
MAX_AGE = 1  # seconds a shared cache may serve a page without asking again
STALE_WHILE_REVALIDATE = 5  # seconds it may serve the old one while it asks
KEPT_BYTES = 256 * 1024 * 1024  # all encodings of all kept pages, in this process
COMPRESSIBLE = re.compile(rb"^(text/|application/(json|xml|atom\+xml)|image/svg\+xml)")
COMPRESS_FROM = 1024  # bytes: smaller bodies go as they are
INLINE_COMPRESS = 16 * 1024  # bytes: smaller bodies are compressed in the event loop
GZIP_LEVEL = 6
BROTLI_QUALITY = 5  # about gzip's speed, a tenth smaller; 11 takes seconds on a big page


def _release() -> str:
    """This release of the code (its files' names, sizes and times): a new template gives
    every page a new ETag although the results are the same."""
    digest = hashlib.sha1(usedforsecurity=False)
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".html", ".css", ".js", ".svg"} and path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:8]


RELEASE = _release()


@dataclass
class Page:
    """A public page as kept: the versions of what it shows, and its bodies."""

    scopes: tuple[str, ...]
    sequences: tuple[int, ...]
    etag: bytes
    modified: float  # seconds since the epoch
    headers: list[tuple[bytes, bytes]]  # Django's, with ours; no length, no encoding
    bodies: dict[bytes, bytes] = field(default_factory=dict)  # b"br", b"gzip", b""

    def fresh(self, store: versions.LocalVersions) -> bool:
        return all(
            store.get(s).sequence == n for s, n in zip(self.scopes, self.sequences, strict=True)
        )

    @property
    def size(self) -> int:
        return sum(len(body) for body in self.bodies.values())


class CachedPages:
    """ASGI middleware: public pages from the kept copies, everything else to ``app``."""

    def __init__(self, app) -> None:
        self.app = app
        self.pages: OrderedDict[bytes, Page] = OrderedDict()
        self.kept_bytes = 0
        self._renderings: dict[bytes, asyncio.Future] = {}
        self._fingerprint_at = float("-inf")
        self._fingerprint: asyncio.Future | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.cacheable(scope):
            await self.app(scope, receive, NotShared(send, scope["path"]))
            return
        store = versions.store()
        if not await store.ready():  # Redis unreachable: answer, keep nothing
            await self.app(scope, receive, NotShared(send, scope["path"], b"no-cache"))
            return
        await self.notice_unannounced(store)
        key = self.key(scope)
        page = self.pages.get(key)
        if page is None or not page.fresh(store):
            earlier = self._renderings.get(key)
            if earlier is not None:  # being rendered: wait for that one
                page = await asyncio.shield(earlier)
            if page is None or not page.fresh(store):
                if scope["method"] == "HEAD":
                    await self.app(scope, receive, NotShared(send, scope["path"], b"no-cache"))
                    return
                await self.render(key, scope, receive, send, store)
                return
        self.pages.move_to_end(key)
        await answer(page, scope, send)

    @staticmethod
    def cacheable(scope) -> bool:
        return (
            scope["method"] in ("GET", "HEAD")
            and bool(PUBLIC.match(scope["path"]))
            and not any(name == b"authorization" for name, _ in scope["headers"])
            and not _redirected_to_https(scope)
        )

    @staticmethod
    def key(scope) -> bytes:
        host = next((value for name, value in scope["headers"] if name == b"host"), b"")
        return b"%s %s?%s" % (host, scope["path"].encode(), scope["query_string"])

    async def render(self, key: bytes, scope, receive, send, store) -> None:
        """Django renders the page; the page is kept unless it is personal or a version
        of what it shows moved while it rendered; the reader gets it either way."""
        rendering = asyncio.get_running_loop().create_future()
        self._renderings[key] = rendering
        page = None
        try:
            before = store.sequence
            shown: list = []
            token = documents.SHOWN.set(shown)  # Django's task and thread share the list
            capture = Capture()
            try:
                await self.app(scope, receive, capture)
            finally:
                documents.SHOWN.reset(token)
            if capture.start is None:
                return
            if not capture.public():
                await capture.replay(send, scope["path"])
                return
            page = await self.keep(key, scope, capture, documents.scopes_shown(shown), store)
            if page.sequences and max(page.sequences) > before:
                # A version of what it shows moved while it rendered: the page may be from
                # before that change or after it. This reader gets it, nobody keeps it.
                self.forget(key)
                await capture.replay(send, scope["path"], b"no-cache")
                page = None
                return
            await answer(page, scope, send)
        finally:
            self._renderings.pop(key, None)
            rendering.set_result(page)

    async def keep(self, key, scope, capture: Capture, scopes: list[str] | None, store) -> Page:
        scopes = tuple(scopes or ["*"])
        shown = [store.get(s) for s in scopes]
        sequences = tuple(v.sequence for v in shown)
        word = f"{store.epoch}.{RELEASE}.{' '.join(scopes)}.{sequences}"
        digest = hashlib.sha1(word.encode(), usedforsecurity=False).hexdigest()[:20]
        fragment = "main" in parse_qs(scope["query_string"].decode("latin-1")).get("fragment", ())
        cache_control = (
            b"public, no-cache"
            if fragment
            else b"public, max-age=%d, stale-while-revalidate=%d"
            % (MAX_AGE, STALE_WHILE_REVALIDATE)
        )
        modified = max(v.at for v in shown)
        headers = [
            (name, value)
            for name, value in capture.start["headers"]
            if name.lower() not in (b"content-length", b"vary", b"etag", b"last-modified")
        ]
        vary = [v for n, v in capture.start["headers"] if n.lower() == b"vary"]
        headers += [
            (b"etag", b'W/"%s"' % digest.encode()),
            (b"last-modified", formatdate(modified, usegmt=True).encode()),
            (b"cache-control", cache_control),
            (b"vary", b", ".join([*vary, b"Accept-Encoding"])),
        ]
        body = capture.body()
        page = Page(scopes, sequences, b'W/"%s"' % digest.encode(), modified, headers)
        page.bodies[b""] = body
        content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
        if len(body) >= COMPRESS_FROM and COMPRESSIBLE.match(content_type):
            if len(body) < INLINE_COMPRESS:
                page.bodies.update(compressed(body))
            else:
                page.bodies.update(await asyncio.to_thread(compressed, body))
        self.forget(key)
        self.pages[key] = page
        self.kept_bytes += page.size
        while self.kept_bytes > KEPT_BYTES and len(self.pages) > 1:
            _, oldest = self.pages.popitem(last=False)
            self.kept_bytes -= oldest.size
        return page

    def forget(self, key: bytes) -> None:
        old = self.pages.pop(key, None)
        if old is not None:
            self.kept_bytes -= old.size

    async def notice_unannounced(self, store) -> None:
        """Read the fingerprint of the newest rows if it is due (one reader does; those
        arriving meanwhile go on with the versions there are)."""
        now = time.monotonic()
        if now - self._fingerprint_at >= FINGERPRINT_SECONDS and (
            self._fingerprint is None or self._fingerprint.done()
        ):
            self._fingerprint_at = now
            self._fingerprint = asyncio.ensure_future(
                sync_to_async(_notice_fingerprint, thread_sensitive=False)(store)
            )
            await self._fingerprint


def _notice_fingerprint(store) -> None:
    try:
        store.notice_fingerprint(*documents.fingerprint())
    finally:
        connection.close()  # a thread outside Django's request cycle: nobody else closes it


def compressed(body: bytes) -> dict[bytes, bytes]:
    return {
        b"gzip": gzip.compress(body, GZIP_LEVEL, mtime=0),
        b"br": brotli.compress(body, quality=BROTLI_QUALITY),
    }


def _header(scope, name: bytes) -> str:
    return next((v for n, v in scope["headers"] if n == name), b"").decode("latin-1")


def encoding_asked(accept: str, offered) -> bytes:
    """The best of ``offered`` (br before gzip) the Accept-Encoding header takes."""
    taken = {}
    for part in accept.lower().split(","):
        coding, _, params = part.strip().partition(";")
        q = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                q = float(match.group(1))
            except ValueError:
                q = 0.0
        taken[coding.strip()] = q
    for coding in (b"br", b"gzip"):
        if coding in offered and taken.get(coding.decode(), taken.get("*", 0.0)) > 0:
            return coding
    return b""


def not_modified(page: Page, scope) -> bool:
    asked = _header(scope, b"if-none-match")
    if asked:
        tags = {tag.strip().removeprefix("W/") for tag in asked.split(",")}
        return "*" in tags or page.etag.decode().removeprefix("W/") in tags
    since = _header(scope, b"if-modified-since")
    if since:
        try:
            return int(page.modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


KEPT_IN_304 = (b"etag", b"last-modified", b"cache-control", b"vary", b"strict-transport-security")


def dated(page: Page) -> list[tuple[bytes, bytes]]:
    """The page's headers, without Last-Modified while the second of its newest version
    lasts: any date a reader holds is then of a second no later change shares."""
    if int(time.time()) > int(page.modified):
        return page.headers
    return [(n, v) for n, v in page.headers if n != b"last-modified"]


def proxy_expiry(page: Page) -> list[tuple[bytes, bytes]]:
    """nginx counts max-age in whole seconds of its clock: a copy kept at 12:00:00.9 with
    max-age=1 would be served until 12:00:01.999. ``X-Accel-Expires: @<this second>`` has
    the shipped nginx keep it for the rest of this second only, so a result made official
    shows through it within 1 s; nginx never passes X-Accel-* on, so a CDN still reads
    the Cache-Control. A fragment is not kept at all (no-cache)."""
    if not any(n == b"cache-control" and b"max-age" in v for n, v in page.headers):
        return []
    return [(b"x-accel-expires", b"@%d" % int(time.time()))]


async def answer(page: Page, scope, send) -> None:
    if not_modified(page, scope):
        headers = [(n, v) for n, v in dated(page) if n.lower() in KEPT_IN_304]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    coding = encoding_asked(_header(scope, b"accept-encoding"), page.bodies)
    body = page.bodies[coding]
    headers = [*dated(page), (b"content-length", b"%d" % len(body)), *proxy_expiry(page)]
    if coding:
        headers.append((b"content-encoding", coding))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


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


def _with_cache_control(headers, path: str, default: bytes) -> list:
    """``headers`` with a Cache-Control no shared cache keeps: ``default`` unless the
    response says one; always no-store for a live stream."""
    if LEFT_ALONE.match(path):
        return headers
    if NEVER_STORED.match(path):
        return [(n, v) for n, v in headers if n.lower() != b"cache-control"] + [
            (b"cache-control", b"no-store")
        ]
    if any(n.lower() == b"cache-control" for n, _ in headers):
        return headers
    return [*headers, (b"cache-control", default)]


class NotShared:
    """The ``send`` of a response no shared cache keeps (unless it says otherwise)."""

    def __init__(self, send, path: str, default: bytes = b"private, no-store") -> None:
        self.send = send
        self.path = path
        self.default = default

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            message = {
                **message,
                "headers": _with_cache_control(message["headers"], self.path, self.default),
            }
        await self.send(message)


class Capture:
    """The ``send`` of a page Django renders: holds the whole response until it is done,
    to be kept (or not) and then sent."""

    def __init__(self) -> None:
        self.start: dict | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    def body(self) -> bytes:
        return b"".join(self.chunks)

    def public(self) -> bool:
        """A whole 200 for anyone: no cookie set, not varying by cookie, not a stream,
        not marked private by its view."""
        if self.start["status"] != 200:
            return False
        for name, value in self.start["headers"]:
            name, value = name.lower(), value.lower()
            if name == b"set-cookie" or (name == b"vary" and b"cookie" in value):
                return False
            if name == b"content-type" and value.startswith(b"text/event-stream"):
                return False
            if name == b"cache-control" and (b"private" in value or b"no-store" in value):
                return False
        return True

    async def replay(self, send, path: str, default: bytes = b"private, no-store") -> None:
        headers = _with_cache_control(self.start["headers"], path, default)
        await send({**self.start, "headers": headers})
        await send({"type": "http.response.body", "body": self.body()})
