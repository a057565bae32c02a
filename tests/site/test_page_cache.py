"""Public pages answered from the cache in front of Django (site/page_cache.py): the
second reader of a page does not reach Django; an announced change reaches the very next
reader, an unannounced one (an import) within a second; personal and missing pages are
never kept; readers arriving while a page renders wait for that one rendering.
(ETags, 304s, Cache-Control and compression: tests/site/test_http_caching.py.)"""

from __future__ import annotations

import asyncio
import re
import secrets
import time

import pytest
from asgiref.testing import ApplicationCommunicator
from django.core.asgi import get_asgi_application
from django.core.signals import request_started
from django.db import connection
from django.utils import timezone

from shorttrack import live, versions
from shorttrack.services.imports import import_paths
from shorttrack.site import page_cache
from shorttrack.site.page_cache import CachedPages
from tests.site.conftest import SMALL_FILES

pytestmark = pytest.mark.django_db(transaction=True)

STANDINGS = "/seasons/2022-23/standings/overall-women/"


@pytest.fixture
def cached_pages(settings, monkeypatch):
    """Django behind the page cache, as shorttrack.asgi wires them (without the live
    streams' front): a cache of its own for each test, and versions of its own (with
    REDIS_URL, under a key of its own: the test database starts anew, Redis would not)."""
    started = timezone.now()
    if settings.REDIS_URL:
        own = f"shorttrack-test-{secrets.token_hex(4)}:versions"
        monkeypatch.setattr(versions, "REDIS_KEY", own)
        monkeypatch.setattr(versions, "REDIS_CHANNEL", own)
    versions.use_store(None)
    yield CachedPages(get_asgi_application())
    versions.use_store(None)
    # Django's ASGI handler opens a database connection in each request's thread and in
    # asgiref's own; on PostgreSQL they would outlive the test database.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname ="
                " current_database() AND pid <> pg_backend_pid() AND backend_start >= %s",
                [started],
            )


@pytest.fixture
def site(cached_pages, season_2022_23):
    return cached_pages


@pytest.fixture
def django_requests():
    """Requests that went through Django's request cycle."""
    seen = []

    def count(sender, **kwargs):
        seen.append(kwargs["scope"]["path"])

    request_started.connect(count)
    yield seen
    request_started.disconnect(count)


async def fetch(
    app,
    path: str,
    *,
    method: str = "GET",
    query: bytes = b"",
    cookie: bytes = b"",
    headers: dict[str, str] | None = None,
):
    """The status, headers (lower-case names) and body of one request through ``app``."""
    sent = [(b"host", b"testserver")] + ([(b"cookie", cookie)] if cookie else [])
    sent += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": sent,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    communicator = ApplicationCommunicator(app, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(30)
    body = b""
    while True:
        message = await communicator.receive_output(30)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    # As a server does once the response is out: Django then cancels what still runs.
    await communicator.send_input({"type": "http.disconnect"})
    await communicator.wait(5)
    return start["status"], {name.lower(): value for name, value in start["headers"]}, body


def get(app, path: str, **options):
    return asyncio.run(fetch(app, path, **options))


def test_the_second_reader_of_a_page_is_answered_without_django(site, django_requests):
    status, headers, first = get(site, STANDINGS)
    assert status == 200 and b"SCHULTING Suzanne" in first
    again = get(site, STANDINGS)
    # The same answer (its date is given once the second of the last change is over).
    headers.pop(b"last-modified", None)
    again[1].pop(b"last-modified", None)
    assert again == (200, headers, first)
    assert headers[b"content-type"] == b"text/html; charset=utf-8"
    assert headers[b"x-frame-options"] == b"DENY"  # Django's security headers are kept
    assert django_requests == [STANDINGS]


def test_the_fragment_and_the_json_twin_are_pages_of_their_own(site, django_requests):
    page = get(site, STANDINGS)[2]
    fragment = get(site, STANDINGS, query=b"fragment=main")[2]
    twin = get(site, STANDINGS.rstrip("/") + ".json")[2]
    # The same table; each says when it was rendered.
    rendered = re.compile(rb"<time [^>]*>[^<]*</time>")
    assert fragment.startswith(b'<section id="standings-main"')
    assert rendered.sub(b"", fragment) in rendered.sub(b"", page)
    assert twin.startswith(b"{")
    assert get(site, STANDINGS, query=b"fragment=main")[2] == fragment
    assert len(django_requests) == 3


def test_a_change_a_service_announces_reaches_the_next_reader(site, django_requests):
    get(site, STANDINGS)
    season = season_2022_23_id()
    live.publish(f"season:{season}", {"kind": "official", "race": 1})  # no transaction: now
    get(site, STANDINGS)
    assert len(django_requests) == 2


def test_a_change_announced_elsewhere_leaves_the_page_kept(site, django_requests):
    get(site, STANDINGS)
    other = season_2022_23_id() + 1
    live.publish(f"season:{other}", {"kind": "official", "race": 1})
    live.publish("race:1", {"kind": "official", "race": 1})
    get(site, STANDINGS)
    assert len(django_requests) == 1


def season_2022_23_id() -> int:
    from shorttrack.store import models

    return models.Season.objects.get(key="2022/23").pk


def test_a_change_nobody_announced_shows_within_the_fingerprint_time(
    site, django_requests, monkeypatch
):
    # A slow machine must not outlast the fingerprint time between the two reads.
    monkeypatch.setattr(page_cache, "FINGERPRINT_SECONDS", 3600.0)
    seasons = get(site, "/seasons/")[2]
    assert b"2023/24" not in seasons
    # A change written without an announcement (an edit in the admin, say): here the
    # 2023/24 competition in Montreal, imported with the announcement silenced.
    monkeypatch.setattr(live, "publish", lambda topic, payload: None)
    import_paths(SMALL_FILES)
    assert get(site, "/seasons/")[2] == seasons  # within FINGERPRINT_SECONDS: the kept page
    monkeypatch.setattr(page_cache, "FINGERPRINT_SECONDS", 0.0)
    assert b"2023/24" in get(site, "/seasons/")[2]
    assert len(django_requests) == 2


def test_an_import_is_announced_and_shows_to_the_next_reader(site, django_requests):
    assert b"2023/24" not in get(site, "/seasons/")[2]
    import_paths(SMALL_FILES)
    assert b"2023/24" in get(site, "/seasons/")[2]


def test_only_public_pages_read_with_get_are_kept(site, django_requests):
    for _ in range(2):
        assert get(site, "/races/999999/")[0] == 404
        assert get(site, "/api/seasons")[0] == 200  # the public API: the same documents
        get(site, STANDINGS, method="HEAD")  # nothing kept yet: Django answers it
    assert django_requests == ["/races/999999/", "/api/seasons", STANDINGS] + [
        "/races/999999/",
        STANDINGS,
    ]


def test_readers_arriving_while_a_page_renders_wait_for_it(site, django_requests):
    async def five_readers():
        return await asyncio.gather(*(fetch(site, STANDINGS) for _ in range(5)))

    pages = asyncio.run(five_readers())
    assert len({body for _, _, body in pages}) == 1
    assert django_requests == [STANDINGS]


def test_a_bump_told_late_still_makes_the_page_stale(site, django_requests):
    # Another worker's bump (number 1) told after this process's own (number 2) leaves the
    # newest number where it was, and changes the season's version all the same.
    store = versions.store()
    get(site, STANDINGS)
    get(site, STANDINGS)  # from the kept page: its versions were looked at and found unchanged
    store.bump(["race:999999"])
    store.bump(["race:999998"])
    newest = store.sequence
    store.apply(newest - 1, store.get("*").at, [f"season:{season_2022_23_id()}"])
    assert store.sequence == newest
    get(site, STANDINGS)
    assert django_requests == [STANDINGS, STANDINGS]


def test_a_kept_page_is_answered_with_the_headers_of_its_second(site, monkeypatch):
    # The answers are made once per second: the next second has its own X-Accel-Expires.
    clock = Clock(versions.store().started + 10.0)
    monkeypatch.setattr(page_cache, "time", clock)
    first = get(site, STANDINGS)[1]
    assert get(site, STANDINGS)[1] == first
    assert first[b"x-accel-expires"] == b"@%d" % int(clock.now)
    clock.now += 1.0
    assert get(site, STANDINGS)[1][b"x-accel-expires"] == b"@%d" % int(clock.now)


class Clock:
    """The page cache's clock (``time``) at ``now``; monotonic time stays real."""

    monotonic = staticmethod(time.monotonic)

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.mark.parametrize(
    "accept, coding",
    [
        (b"", b""),
        (b"gzip, deflate, br, zstd", b"br"),
        (b"gzip", b"gzip"),
        (b"br;q=0, gzip;q=0.5", b"gzip"),
        (b"*", b"br"),
        (b"*;q=0, identity", b""),
        (b"BR", b"br"),
    ],
)
def test_each_accept_encoding_is_read_once_and_answered_as_it_asks(accept, coding):
    offered = {b"br": b"", b"gzip": b"", b"": b""}
    assert page_cache.coding_for(accept, offered) == coding
    assert page_cache.coding_for(accept, offered) == coding  # as remembered
    assert page_cache.coding_for(accept, {b"": b""}) == b""  # a page sent as it is
    assert page_cache.encoding_asked(accept.decode(), offered) == coding


def test_made_up_accept_encodings_are_not_kept_for_ever():
    for number in range(page_cache.ACCEPTS_KEPT * 3):
        page_cache.coding_for(b"x-%d, gzip" % number, {b"gzip": b"", b"": b""})
    assert len(page_cache._accepts) <= page_cache.ACCEPTS_KEPT
