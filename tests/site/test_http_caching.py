"""HTTP caching of the public pages the standard way (site/page_cache.py): an ETag of the
results versions a page shows and a Last-Modified, 304 to a conditional request that
still holds the page, Cache-Control by kind of page, gzip and brotli compressed once per
version. A result made official changes the ETag of exactly the pages that show its
race, competition or season (queries/documents.py SCOPES).

The competition is the services' Montreal (2025/26): its women's 500m of 8 drawn into two
semifinals, semifinal 1 raced and made official by the referee; beside it Dresden, the
season's second competition, and the small Montreal competition of 2023/24, another
season."""

from __future__ import annotations

import asyncio
import gzip
import re
import time
from datetime import date
from email.utils import formatdate, parsedate_to_datetime

import brotli
import pytest
from asgiref.testing import ApplicationCommunicator

from shorttrack.services.draws import draw_first_round
from shorttrack.services.race_results import enter_results, make_official, start_race
from shorttrack.services.race_status import version
from shorttrack.site import page_cache
from shorttrack.site.stream import LiveStreams
from shorttrack.store import models
from tests.services import conftest as services
from tests.services.montreal import distance_race, enter_field, finish, races_of
from tests.site import test_page_cache
from tests.site.test_page_cache import get

pytestmark = pytest.mark.django_db(transaction=True)

# Fixtures: the services' Montreal with its officials and skaters, the page cache.
users, montreal, skaters = services.users, services.montreal, services.skaters
cached_pages = test_page_cache.cached_pages

SEASON = "/seasons/2025-26/"
STANDINGS = "/seasons/2025-26/standings/500m-women/"
SHARED = b"public, max-age=1, stale-while-revalidate=5"


@pytest.fixture
def semifinals(montreal, users, skaters, small_competition):
    """Semifinal 1 of the women's 500m with its finish entered (unofficial), and
    semifinal 2, drawn, not raced."""
    models.Competition.objects.create(
        season=montreal.season,
        number=2,
        city="Dresden",
        country="GER",
        time_zone="Europe/Berlin",
        start_date=date(2025, 10, 24),
        end_date=date(2025, 10, 26),
    )
    w500 = distance_race(montreal, "W500")
    enter_field(users, w500, skaters, 8)
    draw_first_round(users["organiser"], w500, seed=3)
    first, second = races_of(w500, "semifinals")
    start_race(users["officer"], first, based_on=version(first))
    enter_results(users["officer"], first, finish(first), based_on=version(first))
    return first, second


class Clock:
    """The page cache's clock (``time``), at ``now`` when set, else the real time plus
    ``ahead`` seconds; monotonic time stays real."""

    monotonic = staticmethod(time.monotonic)

    def __init__(self, ahead: float = 0.0) -> None:
        self.ahead = ahead
        self.now: float | None = None

    def time(self) -> float:
        return self.now if self.now is not None else time.time() + self.ahead


@pytest.fixture
def a_second_later(monkeypatch):
    """Pages are asked a second after their last change, when their date is given (an
    answer within the second of the change leaves it out)."""
    monkeypatch.setattr(page_cache, "time", Clock(ahead=1.0))


def skater_of(race: models.Race) -> int:
    return race.start_list.order_by("helmet").first().skater_id


def test_a_result_made_official_changes_the_etag_of_the_pages_that_show_it_and_no_other(
    cached_pages,
    semifinals,
    users,
    client,
):
    first, second = semifinals
    of_2023_24 = models.Skater.objects.get(family_name="Adams").pk  # ADAMS Alice (CAN)
    # The scopes a result of semifinal 1 reaches: race, competition, season 2025/26, and
    # the history of 2025/26 (and of any later season), which the facts panels of its
    # race pages are found in (tests/site/test_etag_history.py).
    changing = [
        f"/races/{first.pk}/",
        f"/races/{first.pk}.json",
        f"/api/races/{first.pk}",
        "/seasons/2025-26/competitions/1/",
        "/seasons/2025-26/competitions/1.json",
        SEASON,
        STANDINGS,
        "/seasons/2025-26/standings/overall-women/",
        "/api/seasons/2025-26/standings/500m-women",
        f"/skaters/{skater_of(first)}/",  # in the race
        # Not in the race, but in its season: their standings positions may move.
        f"/skaters/{skater_of(second)}/",
        "/seasons/2025-26/nations/KOR/",
        "/seasons/2025-26/skaters/",
        # The other semifinal's facts panel (fetched after its page): of the women's 500m.
        f"/races/{second.pk}/?fragment=facts",
    ]
    # (The HTML of Dresden's and 2023/24's competition pages is left out: whether it
    # changes follows whether the overview builds its facts panel in the page, which is
    # being changed; their documents are below.)
    staying = [
        f"/races/{second.pk}/",  # the other semifinal: its page finds no fact
        f"/races/{second.pk}.json",
        f"/api/races/{second.pk}",
        "/seasons/2025-26/competitions/2.json",  # Dresden, the same season
        "/seasons/2023-24/",  # another season
        "/seasons/2023-24/standings/1000m-women/",
        "/seasons/2023-24/competitions/1.json",
        f"/skaters/{of_2023_24}.json",  # raced in 2023/24 only
        f"/skaters/{of_2023_24}/",
        f"/skaters/{of_2023_24}/?fragment=facts",  # its facts panel: of 2023/24
        f"/api/skaters/{of_2023_24}",
        "/seasons/",  # the calendar: who is entered where did not change
        "/nations/",
        "/nations/KOR/",
        "/api/seasons",
    ]
    before = etags(cached_pages, changing + staying)
    assert before == etags(cached_pages, changing + staying)  # nothing changed: the same
    documents = {path: shown(client, path) for path in staying}

    make_official(users["referee"], first, based_on=version(first))

    after = etags(cached_pages, changing + staying)
    assert [path for path in changing if after[path] == before[path]] == []
    assert [path for path in staying if after[path] != before[path]] == []
    # And the ETags that stayed are right: Django, asked past the cache, shows the same.
    assert {path: shown(client, path) for path in staying} == documents
    # The page itself moved on with its ETag.
    assert b"official" in get(cached_pages, f"/races/{first.pk}.json")[2]


def shown(client, path: str):
    """What Django shows at ``path`` now: its JSON document without the moment it was
    built, or the HTML without its times."""
    response = client.get(path)
    assert response.status_code == 200, path
    if response["Content-Type"].startswith("application/json"):
        return {k: v for k, v in response.json().items() if k != "updated_at"}
    return re.sub(r"<time [^>]*>[^<]*</time>", "", response.content.decode())


def etags(app, paths: list[str]) -> dict[str, bytes]:
    """The ETag of each page (a URL with its query), as the page cache gives it."""
    found = {}
    for url in paths:
        path, _, query = url.partition("?")
        status, headers, _ = get(app, path, query=query.encode())
        assert status == 200, url
        found[url] = headers[b"etag"]
    return found


def test_a_page_the_reader_holds_is_answered_304_without_a_body(
    cached_pages, semifinals, a_second_later
):
    status, headers, body = get(cached_pages, STANDINGS)
    assert status == 200 and body
    etag = headers[b"etag"].decode()
    assert etag.startswith('W/"')  # weak: the gzip, brotli and plain bodies are one page
    last_modified = headers[b"last-modified"].decode()
    for asked in (etag, etag.removeprefix("W/"), f'W/"other", {etag}', "*"):
        status, held, body = get(cached_pages, STANDINGS, headers={"If-None-Match": asked})
        assert (status, body) == (304, b""), asked
        assert held[b"etag"] == headers[b"etag"]
        assert held[b"cache-control"] == SHARED
        assert held[b"vary"] == b"Accept-Encoding"
        assert b"content-type" not in held
    status, _, body = get(cached_pages, STANDINGS, headers={"If-Modified-Since": last_modified})
    assert (status, body) == (304, b"")
    # Told only what it held before: a page one second older, or another page's ETag.
    a_second_before = formatdate(parsedate_to_datetime(last_modified).timestamp() - 1, usegmt=True)
    assert get(cached_pages, STANDINGS, headers={"If-Modified-Since": a_second_before})[0] == 200
    assert get(cached_pages, STANDINGS, headers={"If-None-Match": 'W/"other"'})[0] == 200
    # If-None-Match decides when both are sent (RFC 9110 13.2.2).
    both = {"If-None-Match": 'W/"other"', "If-Modified-Since": last_modified}
    assert get(cached_pages, STANDINGS, headers=both)[0] == 200
    assert get(cached_pages, STANDINGS, headers={"If-Modified-Since": "last Tuesday"})[0] == 200
    # HEAD: the headers of the kept page, its length, no body.
    status, head, body = get(cached_pages, STANDINGS, method="HEAD")
    assert (status, body, head[b"etag"]) == (200, b"", headers[b"etag"])
    assert head[b"content-length"] == headers[b"content-length"]


def test_a_page_has_no_date_in_the_second_it_changed(cached_pages, semifinals, users, monkeypatch):
    """HTTP dates are whole seconds: of two changes in one second, a reader given the date
    after the first would be told 304 after the second by If-Modified-Since. So the date
    is given only once the second of the change is over; the ETag always."""
    first, _ = semifinals
    race = f"/races/{first.pk}/"
    clock = Clock()
    monkeypatch.setattr(page_cache, "time", clock)
    make_official(users["referee"], first, based_on=version(first))
    get(cached_pages, race)
    changed = next(
        p for key, p in cached_pages.pages.items() if key.endswith(b"%s?" % race.encode())
    )
    second = int(changed.modified)

    clock.now = second + 0.999  # the second of the change
    status, headers, _ = get(cached_pages, race)
    assert status == 200 and b"etag" in headers
    assert b"last-modified" not in headers
    status, headers, _ = get(
        cached_pages, race, headers={"If-None-Match": headers[b"etag"].decode()}
    )
    assert status == 304 and b"last-modified" not in headers

    clock.now = second + 1.0  # over: no change can carry that date any more
    _, headers, _ = get(cached_pages, race)
    assert parsedate_to_datetime(headers[b"last-modified"].decode()).timestamp() == second
    held = {"If-Modified-Since": headers[b"last-modified"].decode()}
    assert get(cached_pages, race, headers=held)[0] == 304


def test_a_stale_etag_gets_the_new_page(cached_pages, semifinals, users, a_second_later):
    first, _ = semifinals
    race = f"/races/{first.pk}/"
    _, headers, before = get(cached_pages, race)
    make_official(users["referee"], first, based_on=version(first))
    status, fresh, body = get(
        cached_pages, race, headers={"If-None-Match": headers[b"etag"].decode()}
    )
    assert status == 200 and body != before
    assert fresh[b"etag"] != headers[b"etag"]
    assert parsedate_to_datetime(fresh[b"last-modified"].decode()) >= parsedate_to_datetime(
        headers[b"last-modified"].decode()
    )


def test_each_kind_of_page_says_who_may_keep_it(cached_pages, semifinals, a_second_later):
    for path in (SEASON, "/seasons/2025-26.json", STANDINGS, "/api/seasons/2025-26", "/nations/"):
        status, headers, _ = get(cached_pages, path)
        assert (status, headers[b"cache-control"]) == (200, SHARED), path
        assert b"Accept-Encoding" in headers[b"vary"], path
        assert b"etag" in headers and b"last-modified" in headers, path
    # The shipped nginx keeps a page for the rest of the second it was answered in, never
    # past it (max-age=1 in nginx's whole seconds would keep it up to 2 s).
    before = int(page_cache.time.time())
    status, headers, _ = get(cached_pages, STANDINGS)
    kept_until = int(headers[b"x-accel-expires"].removeprefix(b"@"))
    assert before <= kept_until <= int(page_cache.time.time())
    # What a live page fetches right after the stream said its table changed.
    status, headers, body = get(cached_pages, STANDINGS, query=b"fragment=main")
    assert status == 200 and body.startswith(b"<section")
    assert headers[b"cache-control"] == b"public, no-cache"
    assert b"x-accel-expires" not in headers
    # The console, the admin, sign-in, a page that is not there: no shared cache keeps them.
    for path in ("/officials/", "/admin/login/", "/races/999999/", "/api/races/999999"):
        status, headers, _ = get(cached_pages, path)
        assert b"no-store" in headers[b"cache-control"], (path, status)
        assert b"public" not in headers[b"cache-control"], path
        assert b"etag" not in headers, path


def test_compressed_pages_decode_to_the_very_bytes_of_the_page(cached_pages, semifinals):
    for path in (STANDINGS, "/seasons/2025-26/standings/500m-women.json"):
        status, headers, plain = get(cached_pages, path)
        assert status == 200 and len(plain) > page_cache.COMPRESS_FROM
        assert b"content-encoding" not in headers
        assert headers[b"content-length"] == b"%d" % len(plain)

        _, headers, body = get(cached_pages, path, headers={"Accept-Encoding": "gzip"})
        assert headers[b"content-encoding"] == b"gzip"
        assert headers[b"content-length"] == b"%d" % len(body)
        assert gzip.decompress(body) == plain and len(body) < len(plain) / 2

        _, headers, body = get(
            cached_pages, path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"}
        )
        assert headers[b"content-encoding"] == b"br"
        assert brotli.decompress(body) == plain and len(body) < len(plain) / 2

        asked = {"br;q=0, gzip;q=0.8": b"gzip", "identity": None, "*;q=0": None, "*": b"br"}
        for accept, coding in asked.items():
            _, headers, body = get(cached_pages, path, headers={"Accept-Encoding": accept})
            assert headers.get(b"content-encoding") == coding, accept
            assert decoded(headers, body) == plain, accept


def decoded(headers: dict, body: bytes) -> bytes:
    coding = headers.get(b"content-encoding")
    if coding == b"gzip":
        return gzip.decompress(body)
    return brotli.decompress(body) if coding == b"br" else body


def test_each_version_of_a_page_is_compressed_once(
    cached_pages,
    semifinals,
    users,
    monkeypatch,
):
    first, _ = semifinals
    compressions = []

    def counted(body: bytes):
        compressions.append(len(body))
        return compress(body)

    compress = page_cache.compressed
    monkeypatch.setattr(page_cache, "compressed", counted)
    race = f"/races/{first.pk}/"
    for accept in ("br", "gzip", "gzip, br", "", "br"):
        get(cached_pages, race, headers={"Accept-Encoding": accept})
    assert len(compressions) == 1
    make_official(
        users["referee"], first, based_on=version(first)
    )  # a new version of the race's page
    for accept in ("br", "gzip", "br"):
        _, headers, body = get(cached_pages, race, headers={"Accept-Encoding": accept})
        assert headers[b"content-encoding"] == accept.encode()
        assert b"Official" in decoded(headers, body)
    assert len(compressions) == 2


def test_a_live_stream_is_never_kept_by_a_proxy(cached_pages, montreal):
    front = LiveStreams(cached_pages)  # as shorttrack.asgi wires them

    async def open_stream():
        path = f"/live/season:{montreal.season_id}/"
        communicator = ApplicationCommunicator(front, request(path))
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(10)
        hello = await communicator.receive_output(10)
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(5)
        return start, hello

    start, hello = asyncio.run(open_stream())
    headers = dict(start["headers"])
    assert headers[b"content-type"] == b"text/event-stream"
    assert hello["body"].startswith(b"retry: ")
    assert headers[b"cache-control"] == b"no-store"


def request(path: str) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
