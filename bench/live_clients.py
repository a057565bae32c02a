"""Benchmark: a result made official, told to thousands of open pages over 2 workers.

    .venv/bin/python bench/live_clients.py [--database FILE | --database-url URL]
        [--clients 500,2000,5000] [--rounds 1] [--redis-url redis://127.0.0.1:6379/13]

Serves a database (an SQLite file bench/site.py or `shorttrack setup-demo` built, a
PostgreSQL URL; by default the demo, built here with `shorttrack setup-demo`) with 2
uvicorn workers and Redis between them, as in production (bench/serving.py). For each
number of clients: a race day of tests/browser/race_day.py (its women's 500m final not yet
official); that many pages hold the server-sent events stream of its season open (plain
asyncio sockets in this process, opened 100 at a time as pages open); the referee makes
the final official through the officials' services, in this process, so the message goes
through Redis to both workers. Measured:

- the time from the call until the last client (and the median one) has read the whole
  ``update`` event; and from the moment the message went out on Redis (the drain after
  the service's commit, seen by a subscriber in this process) until the last client had
  it, which leaves out how long the service itself took;
- the memory of the workers (the sum of their resident set sizes, /proc) before the
  clients connect, once they are connected and 5 s after they have left (the workers
  give memory back 2 s after a wave of departures, site/stream.py); per client, what
  connecting added and what leaving did not give back.

Each measurement runs --rounds times and the round whose last client had the message
first is reported (other engineers' test runs share this machine). Targets of issue 11:
5,000 clients told within 1 s, at most 50 KB per open connection, returned when it goes.
Prints a Markdown table for docs/performance.md.

``measure_live(env, clients)`` is what bench/site.py calls: ``env`` is the server's
(bench/serving.py's ``site_env`` with a Redis URL); Django in the calling process must
be set up on the same database, since the referee works there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent))

from serving import REPO, run, running_site, shorttrack, site_env  # noqa: E402

DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
CLIENTS = (500, 2000, 5000)
WORKERS = 2
OPENING = 100  # streams opened at once, as pages open: not all in the same millisecond
TARGET = "< 1 s, ≤ 50 KB per client"


class Page(asyncio.Protocol):
    """One browser's EventSource on a socket: the request, then what the stream says."""

    def __init__(self, request: bytes) -> None:
        self.request = request
        self.received = b""
        self.listening = asyncio.get_running_loop().create_future()
        self.updated = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        # The stream is chunked: an event ends with a blank line somewhere inside a chunk.
        self.received = (self.received + data)[-8192:]
        if not self.listening.done() and b"listening to" in self.received:
            if b" 200 " not in self.received.split(b"\r\n", 1)[0]:
                self.listening.set_exception(RuntimeError(self.received[:300].decode("latin-1")))
            else:
                self.listening.set_result(None)
                self.received = b""
        elif self.listening.done() and not self.updated.done():
            start = self.received.find(b"event: update")
            if start >= 0 and b"\n\n" in self.received[start:]:
                self.updated.set_result(time.perf_counter())

    def close(self) -> None:
        """The page goes: what it was still waiting for is not asked for any more."""
        for waiting in (self.listening, self.updated):
            waiting.cancel()
        self.transport.close()

    def connection_lost(self, exc) -> None:
        for waiting in (self.listening, self.updated):
            if not waiting.done():
                waiting.set_exception(RuntimeError(f"the stream closed: {exc}"))


async def open_pages(host: str, port: int, path: str, count: int) -> list[Page]:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    pages: list[Page] = []
    for start in range(0, count, OPENING):
        opened = await asyncio.gather(
            *(
                loop.create_connection(lambda: Page(request), host, port)
                for _ in range(start, min(count, start + OPENING))
            )
        )
        batch = [page for _, page in opened]
        await asyncio.gather(*(page.listening for page in batch))
        pages += batch
    return pages


# -- the workers' memory --------------------------------------------------------------------


def workers_of(port: int) -> list[int]:
    """The worker processes of bench/serving.py's supervisor on ``port``."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        processes[int(entry.name)] = (parent, command)
    supervisor = next(
        pid
        for pid, (_, command) in processes.items()
        if any(part.endswith(b"serving.py") for part in command) and str(port).encode() in command
    )
    return sorted(
        pid
        for pid, (parent, command) in processes.items()
        if parent == supervisor and any(b"spawn_main" in part for part in command)
    )


def resident_kb(pids: Sequence[int]) -> int:
    """The resident set sizes of ``pids`` added up, in KB."""
    total = 0
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(
            next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]
        )
    return total


# -- one round -----------------------------------------------------------------------------


@dataclass
class LiveClients:
    clients: int
    message_last: float  # seconds from the call making the final official
    message_median: float
    bus_last: float  # seconds from the message's publication on Redis (after the commit)
    before_kb: int  # the workers' resident memory, added up, before the clients connect
    connected_kb: int  # ... with the clients connected
    left_kb: int  # ... once they have all gone

    @property
    def per_client_kb(self) -> float:
        return (self.connected_kb - self.before_kb) / self.clients

    @property
    def kept_per_client_kb(self) -> float:
        return (self.left_kb - self.before_kb) / self.clients


async def settled(pids: Sequence[int], seconds: float = 1.0) -> int:
    await asyncio.sleep(seconds)
    return resident_kb(pids)


async def published(redis_url: str, topic: str) -> float:
    """When the next message of ``topic`` goes out on Redis: the drain after the service's
    commit, the moment every worker can be told."""
    import redis.asyncio as aioredis

    from shorttrack.live import REDIS_CHANNEL

    client = aioredis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(REDIS_CHANNEL + topic)
        while True:
            item = await pubsub.get_message(ignore_subscribe_messages=True, timeout=60)
            if item is not None and item["type"] == "message":
                return time.perf_counter()
    finally:
        await pubsub.aclose()
        await client.aclose()


async def live_round(
    url: str, env: dict[str, str], pids: Sequence[int], clients: int
) -> LiveClients:
    """A race day with its 500m final not yet official; ``clients`` pages watching its
    season's standings; the referee makes the final official; the pages close."""
    day = json.loads(
        run(env, sys.executable, "-m", "tests.browser.race_day", "build").strip().splitlines()[-1]
    )
    from shorttrack.store.models import Race

    race = await asyncio.to_thread(
        lambda: Race.objects.select_related("round__distance_race__competition").get(
            pk=day["final_500m"]
        )
    )
    path = f"/live/season:{race.round.distance_race.competition.season_id}/"
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port
    # A few pages first, so that what a worker builds once (its Redis reader, the topic's
    # check) is not counted to the clients.
    for page in await open_pages(host, port, path, 20):
        page.close()
    before = await settled(pids)
    pages = await open_pages(host, port, path, clients)
    connected = await settled(pids)

    from tests.browser.race_day import make_final_official

    on_the_bus = asyncio.ensure_future(published(env["REDIS_URL"], path.split("/")[2]))
    await asyncio.sleep(0.2)  # subscribed
    started = time.perf_counter()
    await asyncio.to_thread(make_final_official, race.pk)
    heard = sorted(
        t - started
        for t in await asyncio.wait_for(
            asyncio.gather(*(page.updated for page in pages)), timeout=60
        )
    )
    sent = await asyncio.wait_for(on_the_bus, timeout=10) - started
    for page in pages:
        page.close()
    # The workers give the memory back a while after a wave of pages has left
    # (site/stream.py, Departures: TRIM_WAIT).
    left = await settled(pids, 5.0)
    return LiveClients(
        clients, heard[-1], statistics.median(heard), heard[-1] - sent, before, connected, left
    )


def measure_live(
    env: dict[str, str], clients: Sequence[int] = CLIENTS, rounds: int = 1
) -> list[LiveClients]:
    """Each number of ``clients`` told of a final made official, over 2 workers and the
    Redis of ``env``; the best of ``rounds`` for each."""
    if not env.get("REDIS_URL"):
        raise SystemExit("live updates over 2 workers go through Redis: give REDIS_URL")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 2 * max(clients) + 1000  # this process's sockets and the workers' (inherited)
    if soft < wanted:
        if hard < wanted:
            raise SystemExit(
                f"{max(clients)} clients need {wanted} open files; the limit is {hard}"
            )
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    results = []
    with running_site(env, WORKERS) as url:
        pids = workers_of(urlsplit(url).port)
        for count in clients:
            best = None
            for _ in range(rounds):
                measured = asyncio.run(live_round(url, env, pids, count))
                print(f"  {count} live clients: {measured}", file=sys.stderr)
                if best is None or measured.message_last < best.message_last:
                    best = measured
            results.append(best)
    return results


def markdown(results: Sequence[LiveClients]) -> str:
    lines = [
        f"| live clients over {WORKERS} workers + Redis | message at the last client, from the"
        " referee's call (median) | from its publication on Redis | workers' memory before, connected,"
        " after (MB) | per open connection | not given back per client | target |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.clients:,} | {r.message_last * 1000:.0f} ms ({r.message_median * 1000:.0f} ms)"
            f" | {r.bus_last * 1000:.0f} ms | {r.before_kb / 1024:.0f}, {r.connected_kb / 1024:.0f}, {r.left_kb / 1024:.0f}"
            f" | {r.per_client_kb:.1f} KB | {r.kept_per_client_kb:.1f} KB | {TARGET} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--database", type=Path, help="an SQLite file with the demo (built if absent)"
    )
    where.add_argument("--database-url", help="a database already migrated, e.g. postgres://...")
    parser.add_argument("--clients", default=",".join(str(n) for n in CLIENTS))
    parser.add_argument("--rounds", type=int, default=1, help="runs of each measurement; best kept")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    args = parser.parse_args()
    clients = [int(n) for n in args.clients.split(",")]

    database_url = args.database_url
    if database_url is None:
        database = (
            args.database or Path(tempfile.mkdtemp(prefix="shorttrack-live-")) / "demo.sqlite3"
        )
        database = database.resolve()
        if not database.exists():
            started = time.perf_counter()
            shorttrack(site_env(f"sqlite:///{database}"), "setup-demo")
            print(
                f"demo built in {time.perf_counter() - started:.0f} s: {database}", file=sys.stderr
            )
        database_url = f"sqlite:///{database}"
    shorttrack(site_env(database_url), "migrate")  # a database an older checkout built
    env = site_env(database_url, args.redis_url)

    # This process makes the finals official (the referee), through Redis like a third worker.
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    results = measure_live(env, clients, args.rounds)
    print()
    print(
        f"{date.today().isoformat()}, {platform.node() or 'this machine'}: {os.cpu_count()} cores,"
        f" load {' '.join(f'{n:.1f}' for n in os.getloadavg())}, Python"
        f" {platform.python_version()}, {database_url.partition(':')[0]}, uvicorn,"
        f" best of {args.rounds} run(s)"
    )
    print()
    print(markdown(results))


if __name__ == "__main__":
    main()
