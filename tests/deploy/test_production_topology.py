"""The deployment of docs/deploy.md, for real: PostgreSQL, Redis, two app processes started
with the systemd unit's command line and environment, nginx with the shipped site
configuration in front of them over TLS (tests/deploy/conftest.py brings it up).

A federation copying deploy/ gets what these tests see: HTTPS only, HSTS, compressed pages,
static files from nginx, both app processes serving, live streams passed through as they
come, and a result made official through one app process reaching the pages held open by
the other.

    make test-deploy        # pytest -m topology tests/deploy
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime

import brotli
import pytest
from playwright.sync_api import expect

from tests.deploy.conftest import (
    APP_UNIT,
    BACKUP_UNIT,
    DEPLOY,
    ENV_EXAMPLE,
    OFFICIAL_PASSWORD,
    SERVER_NAME,
    SITE_CONF,
    EventStream,
    NamedHTTPSConnection,
    fetch,
    free_port,
    read_env_file,
    run,
    start,
)
from tests.support import REPO

pytestmark = pytest.mark.topology

# The race day's season (tests/browser/race_day.py): a 1000m final official, a 500m to come.
STANDINGS = "/seasons/2023-24/standings/overall-women/"
# The htmx SSE extension announces its open stream; the page's CSP allows no eval, so the
# test waits for a mark on the document rather than for a JavaScript expression.
LISTEN_FOR_THE_STREAM = (
    "document.addEventListener('htmx:sseOpen', () => "
    "document.documentElement.setAttribute('data-test-stream-open', ''));"
)


def test_the_shipped_files_agree_with_each_other():
    site = SITE_CONF.read_text()
    exec_start = APP_UNIT.value("ExecStart")
    env = read_env_file(ENV_EXAMPLE.read_text())

    # nginx lets an idle connection to an app process go before uvicorn would close it.
    upstream = re.search(r"^upstream shorttrack \{(.*?)^\}", site, re.M | re.S).group(1)
    nginx_idle = int(re.search(r"^\s*keepalive_timeout\s+(\d+)s;", upstream, re.M).group(1))
    uvicorn_idle = int(re.search(r"--timeout-keep-alive (\d+)", exec_start).group(1))
    assert nginx_idle < uvicorn_idle
    assert re.search(r"^\s*keepalive\s+\d+;", upstream, re.M)

    # One uvicorn per port on the loopback (X-Forwarded-Proto is trusted: only nginx may
    # reach it), not uvicorn's --workers, whose sockets miss TCP_NODELAY (docs/performance.md).
    assert "--host 127.0.0.1 --port %i" in exec_start
    assert "--workers" not in exec_start and "--fd" not in exec_start
    assert len(re.findall(r"^\s*server 127\.0\.0\.1:\d+", upstream, re.M)) >= 2

    assert env["SHORTTRACK_DEBUG"] == "0"
    assert env["SHORTTRACK_PROXY_SSL_HEADER"] == "1"
    assert env["SHORTTRACK_PUBLIC_URL"] == f"https://{SERVER_NAME}"
    assert env["SHORTTRACK_SECRET_KEY"] == ""  # each server makes its own
    assert f"server_name {SERVER_NAME};" in site

    # The units and the admin's helper read the same environment file.
    assert BACKUP_UNIT.value("EnvironmentFile") == APP_UNIT.value("EnvironmentFile")
    assert APP_UNIT.value("EnvironmentFile") in (DEPLOY / "bin" / "shorttrack-run").read_text()
    subprocess.run(["sh", "-n", str(DEPLOY / "bin" / "shorttrack-run")], check=True)


def test_an_app_process_without_a_secret_key_does_not_start(topology):
    process = start(
        "app process without a secret key",
        topology.unit_command(free_port()),
        env={**topology.env, "SHORTTRACK_SECRET_KEY": ""},
        cwd=topology.folder / "state",
        log=topology.folder / "log" / "no-secret-key.log",
    )
    try:
        returncode = process.popen.wait(timeout=30)
    finally:
        process.stop()
    assert returncode != 0
    assert "SHORTTRACK_SECRET_KEY" in process.output()


def test_each_app_process_answers_on_its_own_port(topology):
    for port in topology.app_ports:
        # The health check is exempt from the redirect to HTTPS: plain HTTP, as a monitor
        # on the machine asks.
        health = fetch(topology.app(port), "/healthz", {"Host": SERVER_NAME})
        assert health.status == 200, health.body
        assert json.loads(health.body) == {"status": "ok", "database": "ok", "redis": "ok"}

        # Anything else over plain HTTP goes to HTTPS; told by the proxy that the client
        # came over HTTPS, the app answers.
        plain = fetch(topology.app(port), STANDINGS, {"Host": SERVER_NAME})
        assert plain.status == 301
        assert plain.header("Location") == f"https://{SERVER_NAME}{STANDINGS}"
        proxied = fetch(
            topology.app(port),
            STANDINGS,
            {"Host": SERVER_NAME, "X-Forwarded-Proto": "https"},
        )
        assert proxied.status == 200


def test_nginx_answers_the_health_check_from_both_app_processes(topology):
    connection = topology.https()
    for _ in range(8):
        reply = fetch(connection, "/healthz", topology.https_host())
        assert reply.status == 200, reply.body
        assert json.loads(reply.body)["status"] == "ok"
        assert "no-cache" in reply.header("Cache-Control")
    served = set(topology.upstreams(r"^GET /healthz ", at_least=8))
    assert served == {f"127.0.0.1:{port}" for port in topology.app_ports}, served


def test_the_app_sees_the_client_address_nginx_saw(topology):
    """X-Forwarded-For from nginx becomes the app's client address (uvicorn's
    --proxy-headers), and a client cannot put another address in its place: a failed
    sign-in is recorded (django-axes) against the address the client came from."""
    import psycopg

    client = NamedHTTPSConnection(topology.https_port, topology.tls, SERVER_NAME, 10)
    client.source_address = ("127.0.0.2", 0)  # a client other than nginx's own address
    login = fetch(client, "/officials/login/", topology.https_host())
    assert login.status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login.body)[1].decode()
    cookie = login.header("Set-Cookie").split(";")[0]
    assert "; secure" in login.header("Set-Cookie").lower()  # sent over HTTPS only
    form = f"username=no-such-official&password=wrong-password&csrfmiddlewaretoken={token}"
    failed = fetch(
        client,
        "/officials/login/",
        {
            **topology.https_host(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": topology.origin,
            "Referer": f"{topology.origin}/officials/login/",
            "X-Forwarded-For": "198.51.100.66",  # made up by the client
        },
        method="POST",
        body=form.encode(),
    )
    assert failed.status == 200, failed.status  # the form again, with its error
    with psycopg.connect(topology.env["DATABASE_URL"]) as database:
        recorded = database.execute(
            "SELECT host(ip_address) FROM axes_accessattempt WHERE username = 'no-such-official'"
        ).fetchall()
    assert recorded == [("127.0.0.2",)]


def test_plain_http_goes_to_https_except_certificate_renewal(topology):
    reply = fetch(topology.http(), "/seasons/2024-25/?from=poster", {"Host": SERVER_NAME})
    assert reply.status == 301
    assert reply.header("Location") == f"https://{SERVER_NAME}/seasons/2024-25/?from=poster"

    challenge = topology.acme_root / ".well-known" / "acme-challenge" / "token-123"
    challenge.parent.mkdir(parents=True, exist_ok=True)
    challenge.write_text("token-123.key")
    reply = fetch(topology.http(), "/.well-known/acme-challenge/token-123", {"Host": SERVER_NAME})
    assert (reply.status, reply.body) == (200, b"token-123.key")


def test_other_host_names_get_no_answer(topology):
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        fetch(topology.http(), "/", {"Host": "203.0.113.9"})
    unchecked = ssl.create_default_context()
    unchecked.check_hostname = False
    unchecked.verify_mode = ssl.CERT_NONE
    other = NamedHTTPSConnection(topology.https_port, unchecked, "other.example.org", 5)
    with pytest.raises(ssl.SSLError):
        other.connect()


def test_pages_are_compressed_over_https_with_hsts(topology):
    connection = topology.https()
    reply = fetch(connection, STANDINGS, {**topology.https_host(), "Accept-Encoding": "gzip"})
    assert reply.status == 200
    assert reply.header("Content-Encoding") == "gzip", reply.headers.items()
    assert "Accept-Encoding" in reply.header("Vary")
    page = gzip.decompress(reply.body).decode()
    assert "Crystal Globe" in page
    assert len(reply.body) < len(page.encode()) / 3

    imported = fetch(
        connection, "/seasons/2024-25/", {**topology.https_host(), "Accept-Encoding": "gzip"}
    )
    assert imported.status == 200
    assert "Heerenveen" in gzip.decompress(imported.body).decode()

    hsts = reply.header("Strict-Transport-Security")
    assert re.match(r"max-age=(\d+)", hsts) and int(re.match(r"max-age=(\d+)", hsts)[1]) > 0, hsts

    twin = fetch(
        connection,
        STANDINGS.rstrip("/") + ".json",
        {**topology.https_host(), "Accept-Encoding": "gzip"},
    )
    assert twin.status == 200
    assert twin.header("Content-Encoding") == "gzip", twin.headers.items()
    assert json.loads(gzip.decompress(twin.body))


def test_nginx_keeps_a_public_page_and_answers_it_again_itself(topology):
    """The second reader of a public page within its max-age gets nginx's copy (X-Cache-
    Status: HIT), with the app's ETag: the app is asked once. A reader who has that
    version already is told 304 by nginx itself."""
    connection = topology.https()
    page = "/seasons/2024-25/"
    logged = rf"^GET {re.escape(page)} "
    earlier = len(topology.upstreams(logged, at_least=0))
    first = fetch(connection, page, topology.https_host())
    second = fetch(connection, page, topology.https_host())
    assert first.status == second.status == 200
    assert first.header("X-Cache-Status") in {"MISS", "EXPIRED"}, first.headers.items()
    assert second.header("X-Cache-Status") == "HIT", second.headers.items()
    assert second.body == first.body
    assert second.header("ETag") == first.header("ETag") != ""
    assert "public" in second.header("Cache-Control")
    assert "Accept-Encoding" in second.header("Vary")
    again = fetch(
        connection, page, {**topology.https_host(), "If-None-Match": first.header("ETag")}
    )
    assert (again.status, again.body) == (304, b"")
    served = topology.upstreams(logged, at_least=earlier + 3)[earlier : earlier + 3]
    assert served[0] != "-" and served[1:] == ["-", "-"], served  # "-": nginx alone

    # One copy per encoding: the brotli reader and the gzip reader each get their bytes,
    # which decode to the same page.
    asked = {
        encoding: fetch(connection, page, {**topology.https_host(), "Accept-Encoding": encoding})
        for encoding in ("gzip, deflate, br", "gzip")
    }
    assert asked["gzip, deflate, br"].header("Content-Encoding") == "br"
    assert asked["gzip"].header("Content-Encoding") == "gzip"
    assert brotli.decompress(asked["gzip, deflate, br"].body) == first.body
    assert gzip.decompress(asked["gzip"].body) == first.body


def test_nginx_never_keeps_the_console_a_fragment_or_a_signed_in_answer(topology):
    connection = topology.https()
    for _ in range(2):
        login = fetch(connection, "/officials/login/", topology.https_host())
        assert login.status == 200
        assert login.header("X-Cache-Status") == ""  # the cache does not even look
        assert "no-store" in login.header("Cache-Control")
    assert "-" not in topology.upstreams(r"^GET /officials/login/ ", at_least=2)

    # What a live page fetches when told of a change: no-cache, so always the app's.
    fragment = STANDINGS + "?fragment=main"
    for _ in range(2):
        reply = fetch(connection, fragment, topology.https_host())
        assert reply.status == 200
        assert reply.header("X-Cache-Status") == "MISS", reply.headers.items()
    assert "-" not in topology.upstreams(rf"^GET {re.escape(fragment)} ", at_least=2)

    # A request with credentials of its own is passed to the app and its answer not kept.
    for _ in range(2):
        reply = fetch(
            connection, "/nations/", {**topology.https_host(), "Authorization": "Bearer x"}
        )
        assert reply.header("X-Cache-Status") == "BYPASS", reply.headers.items()


def test_static_files_come_from_nginx(topology):
    stylesheet = topology.static_root / "site" / "site.css"
    assert stylesheet.is_file(), "collectstatic did not fill SHORTTRACK_STATIC_ROOT"
    reply = fetch(topology.https(), "/static/site/site.css", topology.https_host())
    assert reply.status == 200
    assert reply.body == stylesheet.read_bytes()
    assert reply.header("Content-Type").startswith("text/css")
    assert "max-age=86400" in reply.header("Cache-Control")
    assert topology.upstreams(r"^GET /static/site/site\.css ") == ["-"]  # no app process asked

    missing = fetch(topology.https(), "/static/site/none.css", topology.https_host())
    assert missing.status == 404
    assert topology.upstreams(r"^GET /static/site/none\.css ") == ["-"]


def test_debug_is_off(topology):
    reply = fetch(topology.https(), "/no-such-page/", topology.https_host())
    assert reply.status == 404
    assert b"URLconf" not in reply.body and b"Traceback" not in reply.body


def test_keep_alive_requests_are_not_held_back(topology):
    """Every request through nginx reuses an idle connection to an app process, and no
    response waits for a delayed ACK (docs/performance.md: 40 ms per request without
    TCP_NODELAY)."""
    connection = topology.https()
    fetch(connection, STANDINGS, topology.https_host())  # fills the page cache
    took = []
    for _ in range(30):
        started = time.perf_counter()
        reply = fetch(connection, STANDINGS, topology.https_host())
        took.append(time.perf_counter() - started)
        assert reply.status == 200
    assert statistics.median(took) < 0.030, [round(t * 1000, 1) for t in took]
    connection.close()
    assert idle_upstream_connections(topology.app_ports), (
        "nginx keeps no idle connection to the app processes"
    )


def idle_upstream_connections(ports: list[int]) -> int:
    """Established TCP connections to the app processes' ports (nginx's side of them)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port in ports and fields[3] == "01":  # ESTABLISHED
                count += 1
    return count


def test_live_streams_pass_through_unbuffered(topology):
    race = topology.race_day["final_1000m"]
    stream = EventStream(
        topology.https(timeout=30),
        f"/live/race:{race}/",
        {**topology.https_host(), "Accept-Encoding": "gzip"},
    )
    try:
        assert stream.response.status == 200
        assert stream.response.headers["Content-Type"].startswith("text/event-stream")
        assert "Content-Encoding" not in stream.response.headers
        assert stream.opened.wait(5), "the stream's first lines did not come through nginx"
        assert f": listening to race:{race}" in stream.lines
    finally:
        stream.close()


def test_a_result_made_official_through_one_app_process_reaches_pages_of_the_other(
    topology, browser
):
    race = topology.race_day["final_500m"]
    # A client of each app process's own stream, as nginx hands them out.
    streams = {
        port: EventStream(
            topology.app(port, timeout=30),
            f"/live/race:{race}/",
            {"Host": SERVER_NAME, "X-Forwarded-Proto": "https"},
        )
        for port in topology.app_ports
    }
    fan = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 900})
    referee = browser.new_context(ignore_https_errors=True)
    blocked: list[str] = []  # what the Content-Security-Policy stopped, on any page
    for context in (fan, referee):
        context.on(
            "console",
            lambda message: (
                blocked.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
    try:
        for port, stream in streams.items():
            assert stream.response.status == 200, port
            assert stream.opened.wait(5), port

        # A fan, over HTTPS through nginx, on the women's standings of the race day's season.
        standings_page = fan.new_page()
        standings_page.add_init_script(LISTEN_FOR_THE_STREAM)
        standings_page.goto(
            f"{topology.origin}/seasons/{topology.race_day['season']}/standings/overall-women/"
        )
        expect(standings_page.locator("html[data-test-stream-open]")).to_have_count(1)
        standings_page.evaluate("window.sameDocument = true")
        standings = standings_page.locator("#standings-main")
        # The first row of skaters (the table's head may take two rows: races under
        # their competitions).
        leader = (
            standings.get_by_role("row").filter(has=standings_page.get_by_role("rowheader")).first
        )
        expect(leader.get_by_role("rowheader")).to_have_text("DUBOIS Camille (CAN) fictional")
        expect(leader.get_by_role("cell").nth(1)).to_have_text("100")

        # The referee, in the officials' console through nginx, makes the 500m final official.
        console = referee.new_page()
        console.goto(f"{topology.origin}/officials/login/")
        console.get_by_label("User name").fill("rita")
        console.get_by_label("Password").fill(OFFICIAL_PASSWORD)
        console.get_by_role("button", name="Sign in").click()
        console.get_by_role("heading", name="Your competitions").wait_for()
        console.goto(f"{topology.origin}/officials/races/{race}/")
        console.get_by_role("button", name="Make official").click()
        console.get_by_role("heading", name=re.compile("^Official result")).wait_for()

        # Which app process did it: the other one's clients hear of it all the same.
        made_by = topology.upstreams(rf"^POST /officials/races/{race}/official/ ")
        assert len(made_by) == 1 and made_by[0] in {f"127.0.0.1:{p}" for p in streams}, made_by
        for port, stream in streams.items():
            assert stream.official.wait(15), f"the app process on {port}: {stream.updates}"
            assert {"race": race, "status": "official"}.items() <= stream.updates[-1].items()

        # The fan's page shows the new leader without a reload.
        expect(leader.get_by_role("rowheader")).to_have_text(
            "KIM Seo Yeon (KOR) fictional", timeout=15_000
        )
        expect(leader.get_by_role("cell").nth(1)).to_have_text("180")
        assert standings_page.evaluate("window.sameDocument") is True
        assert not blocked, blocked
    finally:
        fan.close()
        referee.close()
        for stream in streams.values():
            stream.close()


def test_a_result_made_official_shows_through_the_cache_within_about_a_second(topology):
    """Readers keep a race page in nginx's cache (asked every 50 ms, as on race day);
    the referee makes its final official. From the moment the live stream tells open
    pages, the page through nginx shows the new result (a new ETag) within nginx's
    freshness: the app's max-age=1, which nginx counts in whole seconds of its clock (a
    copy kept at 12:00:00.9 is fresh until 12:00:01.999), plus one rendering. (From the
    announcement's own time it takes longer: that is written inside the service's
    transaction, before the rest of its work and the commit.)"""
    day = json.loads(
        run(
            [sys.executable, "-m", "tests.browser.race_day", "build"],
            env={**topology.env, "DJANGO_SETTINGS_MODULE": "shorttrack.settings"},
            cwd=REPO,
        )
    )
    race = day["final_500m"]
    page = f"/races/{race}/"
    seen: list[tuple[float, str, str]] = []  # (time of day, ETag, X-Cache-Status)
    stop = threading.Event()

    def reader() -> None:
        connection = topology.https()
        while not stop.is_set():
            reply = fetch(connection, page, topology.https_host())
            assert reply.status == 200
            seen.append((time.time(), reply.header("ETag"), reply.header("X-Cache-Status")))
            time.sleep(0.05)

    stream = EventStream(topology.https(timeout=30), f"/live/race:{race}/", topology.https_host())
    reading = threading.Thread(target=reader, daemon=True)
    reading.start()
    try:
        assert stream.opened.wait(5)
        time.sleep(2.5)  # the page kept and served from the cache
        before = seen[-1][1]
        run(
            [sys.executable, "-m", "tests.browser.race_day", "final", str(race)],
            env={**topology.env, "DJANGO_SETTINGS_MODULE": "shorttrack.settings"},
            cwd=REPO,
        )
        assert stream.official.wait(10), stream.updates
        told = time.time()
        announced = datetime.fromisoformat(stream.updates[-1]["at"]).timestamp()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and seen[-1][1] == before:
            time.sleep(0.01)
    finally:
        stop.set()
        reading.join(timeout=10)
        stream.close()
    assert {status for _, _, status in seen} >= {"HIT"}, seen
    shown = next((when for when, etag, _ in seen if etag != before), None)
    assert shown is not None, "the official result never showed through nginx"
    took = max(0.0, shown - told)
    print(
        f"topology: the official result through nginx {took * 1000:.0f} ms after the live"
        f" stream, {(shown - announced) * 1000:.0f} ms after its announcement"
    )
    assert took < 2.0, f"{took:.2f} s"


def test_the_backup_unit_writes_a_backup_while_the_site_runs(topology):
    env = BACKUP_UNIT.environment(topology.paths, read_env_file(topology.env_file.read_text()))
    backups = topology.folder / "backups"
    run(BACKUP_UNIT.command("ExecStart", topology.paths), env=env, cwd=topology.folder / "state")
    run(
        BACKUP_UNIT.command("ExecStartPost", topology.paths), env=env, cwd=topology.folder / "state"
    )
    (made,) = backups.glob("shorttrack-*.backup")
    assert re.fullmatch(r"shorttrack-\d{4}-\d\d-\d\dT\d\d\.backup", made.name)
    assert made.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format


def test_a_stopped_app_process_goes_within_seconds_and_nginx_serves_from_the_other(topology):
    """What a rolling restart relies on (docs/deploy.md, upgrades): live streams do not
    hold a stopping process up, and nginx sends the next requests to the one still running."""
    stopping, staying = topology.app_ports
    race = topology.race_day["final_1000m"]
    stream = EventStream(
        topology.app(stopping, timeout=30),
        f"/live/race:{race}/",
        {"Host": SERVER_NAME, "X-Forwarded-Proto": "https"},
    )
    assert stream.opened.wait(5)
    took = topology.apps[stopping].stop(timeout=15)
    stream.close()
    # uvicorn ends by SIGTERM again once it has shut down, which systemd counts as clean.
    assert topology.apps[stopping].popen.returncode in (0, -15), topology.apps[stopping].output()
    assert took < 10, f"the app process took {took:.1f} s to stop with a live stream open"

    before = len(topology.upstreams(r"^GET /healthz "))
    connection = topology.https()
    for _ in range(4):
        assert fetch(connection, "/healthz", topology.https_host()).status == 200
    after = topology.upstreams(r"^GET /healthz ", at_least=before + 4)[before:]
    # The first may have tried the stopped process first ("127.0.0.1:8001, 127.0.0.1:8002").
    assert after and all(u.endswith(f"127.0.0.1:{staying}") for u in after), after
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", stopping)) != 0
