"""Benchmark: the Python path of a cached page alone, the ASGI application called directly.

    .venv/bin/python bench/hit_path.py [--database FILE] [--requests 50000] [--rounds 5]
        [--profile]

What one app worker does for a page its page cache holds (shorttrack.asgi: the live
streams' front, then site/page_cache.py), without uvicorn, the socket or wrk: the
requests per second of that path alone, per second of this process's CPU time (which
others' work on the machine disturbs less than the clock's), for the pages bench/site.py
loads in its part (a), asked as wrk asks (GET, a Host header, nothing else), as a browser
asks (Accept-Encoding br), and revalidated (If-None-Match: a 304). The database (a copy of
--database, or by default a demo built here with ``shorttrack setup-demo``, about two
minutes) is only read to render each page once; no
Redis.

--profile prints cProfile's twenty costliest functions of the wrk-like request instead.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PAGES = {
    "standings": "/seasons/2025-26/standings/overall-women/",
    "competition overview": "/seasons/2025-26/competitions/1/",
}


def scope_of(path: str, headers: list[tuple[bytes, bytes]]) -> dict:
    """A scope as uvicorn (httptools) builds it for a request from 127.0.0.1."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "root_path": "",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "state": {},
    }


def receiving():
    """A ``receive``: the request's empty body, then nothing until the request is done."""
    told = False

    async def receive() -> dict:
        nonlocal told
        if told:
            await asyncio.Event().wait()
        told = True
        return {"type": "http.request", "body": b"", "more_body": False}

    return receive


receive = receiving()  # a page kept is answered without reading the request


class Sent:
    """The ``send`` of the benchmark: keeps the status of the last response only."""

    def __init__(self) -> None:
        self.status = 0

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]


async def requests_per_s(app, scope: dict, count: int, expected: int) -> float:
    sent = Sent()
    started = time.process_time()  # CPU time: others' load on the machine counts less
    for _ in range(count):
        await app(dict(scope), receive, sent)
    elapsed = time.process_time() - started
    if sent.status != expected:
        raise SystemExit(f"{scope['path']}: answered {sent.status}, not {expected}")
    return count / elapsed


async def etag_of(app, scope: dict) -> bytes:
    headers = {}

    async def send(message) -> None:
        if message["type"] == "http.response.start":
            headers.update(message["headers"])

    await app(dict(scope), receiving(), send)
    return headers[b"etag"]


async def measure(app, count: int, rounds: int) -> None:
    host = [(b"host", b"127.0.0.1:8000")]
    browser = [*host, (b"accept-encoding", b"gzip, deflate, br, zstd"), (b"user-agent", b"x" * 80)]
    for name, path in PAGES.items():
        await etag_of(app, scope_of(path, host))  # renders and keeps it
        etag = await etag_of(app, scope_of(path, host))
        kinds = {
            "as wrk asks": (scope_of(path, host), 200),
            "br, as a browser asks": (scope_of(path, browser), 200),
            "If-None-Match (304)": (scope_of(path, [*browser, (b"if-none-match", etag)]), 304),
        }
        for kind, (scope, expected) in kinds.items():
            await requests_per_s(app, scope, count // 10, expected)  # warm
            rates = [await requests_per_s(app, scope, count, expected) for _ in range(rounds)]
            print(
                f"| {name} | {kind} | {statistics.median(rates):,.0f} |"
                f" {1e6 / statistics.median(rates):.1f} |"
            )


async def profile(app, count: int) -> None:
    scope = scope_of(PAGES["competition overview"], [(b"host", b"127.0.0.1:8000")])
    await etag_of(app, scope)
    profiler = cProfile.Profile()
    profiler.enable()
    await requests_per_s(app, scope, count, 200)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database", type=Path, help="an SQLite file setup-demo built (default: built here)"
    )
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="shorttrack-hit-path-"))
    database = work / "site.sqlite3"
    if args.database is None:
        from cold_pages import build_demo

        build_demo(database)
    else:
        shutil.copyfile(args.database, database)  # Django may write (sessions): never the demo
    os.environ.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="shorttrack.settings",
        SHORTTRACK_DEBUG="0",
        SHORTTRACK_SECRET_KEY=os.environ.get("SHORTTRACK_SECRET_KEY", "bench-only-not-secret"),
        ALLOWED_HOSTS="127.0.0.1",
    )
    os.environ.pop("REDIS_URL", None)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    from shorttrack.asgi import application

    try:
        if args.profile:
            asyncio.run(profile(application, args.requests))
        else:
            print(f"{args.requests:,} requests a round, median of {args.rounds} rounds;")
            print(f"load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}\n")
            print("| page | request | requests/s | µs each |")
            print("| --- | --- | ---: | ---: |")
            asyncio.run(measure(application, args.requests, args.rounds))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
