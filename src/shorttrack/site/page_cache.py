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
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

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
    """A public page as kept: the versions of what it shows, and its bodies.

    A hit is the cheapest part of the site's work (bench/hit_path.py), so what every
    reader of a version of the page would get is made once: whether it is fresh is looked
    up only when the versions changed since the last look (``store.changes``), and its
    answers (the messages of a 200 in each encoding, of a 304) are made once per second,
    the only thing they hold that moves while the page stays (``dated``, ``proxy_expiry``).
    The messages are shared by the readers of that second: the server must not change
    them (uvicorn copies the headers it sends).
    """

    scopes: tuple[str, ...]
    sequences: tuple[int, ...]
    etag: bytes
    modified: float  # seconds since the epoch
    headers: list[tuple[bytes, bytes]]  # Django's, with ours; no length, no encoding
    bodies: dict[bytes, bytes] = field(default_factory=dict)  # b"br", b"gzip", b""
    # The store and its count of changes when the versions were last found unchanged.
    checked: tuple[versions.LocalVersions | None, int] = (None, -1)
    # b"br", b"gzip", b"" or NOT_MODIFIED -> (second, start message, body message).
    answers: dict[bytes, tuple[int, dict, dict]] = field(default_factory=dict)

    def fresh(self, store: versions.LocalVersions) -> bool:
        changes = store.changes  # read first: a change made during the look is seen next time
        if self.checked[0] is store and self.checked[1] == changes:
            return True
        if all(
            store.get(s).sequence == n for s, n in zip(self.scopes, self.sequences, strict=True)
        ):
            self.checked = (store, changes)
            return True
        return False

    def answer(self, coding: bytes, second: int) -> tuple[int, dict, dict]:
        """The messages of the answer in ``coding`` (or NOT_MODIFIED) in ``second``."""
        made = self.answers.get(coding)
        if made is not None and made[0] == second:
            return made
        if coding == NOT_MODIFIED:
            headers = [(n, v) for n, v in dated(self) if n.lower() in KEPT_IN_304]
            start = {"type": "http.response.start", "status": 304, "headers": headers}
            made = (second, start, EMPTY_BODY)
        else:
            body = self.bodies[coding]
            headers = [*dated(self), (b"content-length", b"%d" % len(body)), *proxy_expiry(self)]
            if coding:
                headers.append((b"content-encoding", coding))
            start = {"type": "http.response.start", "status": 200, "headers": headers}
            made = (second, start, {"type": "http.response.body", "body": body})
        self.answers[coding] = made
        return made

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
        asked = _asked(scope)
        if not self.cacheable(scope, asked):
            await self.app(scope, receive, NotShared(send, scope["path"]))
            return
        store = versions.store()
        if not await store.ready():  # Redis unreachable: answer, keep nothing
            await self.app(scope, receive, NotShared(send, scope["path"], b"no-cache"))
            return
        if time.monotonic() - self._fingerprint_at >= FINGERPRINT_SECONDS:
            await self.notice_unannounced(store)
        key = self.key(scope, asked)
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
        await answer(page, scope, send, asked)

    @staticmethod
    def cacheable(scope, asked: dict[bytes, bytes] | None = None) -> bool:
        if asked is None:
            asked = _asked(scope)
        return (
            scope["method"] in ("GET", "HEAD")
            and PUBLIC.match(scope["path"]) is not None
            and b"authorization" not in asked
            and not _redirected_to_https(scope, asked)
        )

    @staticmethod
    def key(scope, asked: dict[bytes, bytes] | None = None) -> bytes:
        if asked is None:
            asked = _asked(scope)
        host = asked.get(b"host", b"")
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


ACCEPTS_KEPT = 256  # Accept-Encoding values remembered (a browser's is the same each time)
_accepts: dict[bytes, tuple[bytes, ...]] = {}  # Accept-Encoding -> what it takes, best first


def coding_for(accept: bytes, offered) -> bytes:
    """``encoding_asked``, each Accept-Encoding value read once."""
    taken = _accepts.get(accept)
    if taken is None:
        if len(_accepts) >= ACCEPTS_KEPT:  # nobody's list of made-up values grows for ever
            _accepts.clear()
        text = accept.decode("latin-1")
        taken = tuple(c for c in (b"br", b"gzip") if encoding_asked(text, (c,)))
        _accepts[accept] = taken
    for coding in taken:
        if coding in offered:
            return coding
    return b""


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


def not_modified(page: Page, asked: dict[bytes, bytes]) -> bool:
    tag = asked.get(b"if-none-match")
    if tag:
        if tag == page.etag:  # what a browser sends back: the tag as it was given
            return True
        tags = {t.strip().removeprefix("W/") for t in tag.decode("latin-1").split(",")}
        return "*" in tags or page.etag.decode().removeprefix("W/") in tags
    since = asked.get(b"if-modified-since")
    if since:
        try:
            return int(page.modified) <= parsedate_to_datetime(since.decode("latin-1")).timestamp()
        except (TypeError, ValueError):
            return False
    return False


NOT_MODIFIED = b"304"  # Page.answers' key of the 304
EMPTY_BODY = {"type": "http.response.body", "body": b""}
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


async def answer(page: Page, scope, send, asked: dict[bytes, bytes] | None = None) -> None:
    """The kept page, a 304 or a 200 in the encoding asked for, as made for this second."""
    if asked is None:
        asked = _asked(scope)
    second = int(time.time())
    if not_modified(page, asked):
        _, start, body = page.answer(NOT_MODIFIED, second)
    else:
        coding = coding_for(asked.get(b"accept-encoding", b""), page.bodies)
        _, start, body = page.answer(coding, second)
        if scope["method"] == "HEAD":
            body = EMPTY_BODY
    await send(start)
    await send(body)


# (SECURE_SSL_REDIRECT, the header of SECURE_PROXY_SSL_HEADER as ASGI names it, its value,
# the request headers the cache reads): from the settings, read again when a test changes them.
_https: tuple[bool, bytes | None, bytes | None, frozenset[bytes]] | None = None
ASKED = (b"host", b"authorization", b"if-none-match", b"if-modified-since", b"accept-encoding")


def _https_settings() -> tuple[bool, bytes | None, bytes | None, frozenset[bytes]]:
    global _https
    if _https is None:
        header = settings.SECURE_PROXY_SSL_HEADER
        name = value = None
        if header:
            name = header[0].removeprefix("HTTP_").replace("_", "-").lower().encode()
            value = header[1].encode("latin-1")
        names = frozenset([*ASKED, name] if name else ASKED)
        _https = (bool(settings.SECURE_SSL_REDIRECT), name, value, names)
    return _https


@receiver(setting_changed)
def _settings_changed(setting, **kwargs) -> None:
    global _https
    if setting in ("SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER"):
        _https = None


def _asked(scope) -> dict[bytes, bytes]:
    """The request headers the cache reads (``ASKED``, and the proxy's HTTPS header), the
    first of each name, in one look through them all."""
    names = (_https or _https_settings())[3]
    asked = {}
    for name, value in scope["headers"]:
        if name in names and name not in asked:
            asked[name] = value
    return asked


def _redirected_to_https(scope, asked: dict[bytes, bytes] | None = None) -> bool:
    """Whether Django would send this request to HTTPS (behind TLS, a request that came
    in plain): Django answers it, so the cache never serves a page over plain HTTP."""
    redirect, name, value, _ = _https or _https_settings()
    if not redirect or scope.get("scheme") == "https":
        return False
    if name:
        if asked is None:
            asked = _asked(scope)
        return asked.get(name, b"") != value
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
