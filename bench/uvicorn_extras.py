"""Benchmark: plain uvicorn (h11, asyncio) against uvicorn[standard] (httptools, uvloop).

    .venv/bin/python bench/uvicorn_extras.py [--database FILE] [--duration 10] [--rounds 5]

Builds (unless --database names one already built) an SQLite database of the real 2022/23
season (`shorttrack import` of ../shared/data/worldcup-2022-23, or of that folder under
$SHORTTRACK_SHARED_DATA, as the tests and `make demo` find it), then serves it with four
uvicorn processes at once, one worker each, as bench/serving.py starts them (production
settings; the loop and parser through uvicorn's UVICORN_LOOP and UVICORN_HTTP):

- the reference, ``--loop asyncio --http h11``: what ``pip install uvicorn`` gives;
- ``--loop uvloop --http httptools``: what ``pip install 'uvicorn[standard]'`` adds, and
  what uvicorn's default ``auto`` then picks;
- each half alone (httptools on asyncio, h11 on uvloop), to see where a difference comes from.

Pages, each loaded by `wrk` (bench/site.py's runner, keep-alive) for --duration seconds
after one request has filled its cache:

- standings: the women's Crystal Globe of 2022/23 (34 KB), answered from the page cache in
  front of Django (site/page_cache.py), so the server's own work is most of the cost; 50
  connections, as bench/site.py;
- /healthz: a few bytes through Django's whole request cycle and one query; 10 connections.

Paired: in every round each page is loaded on every server one after the other (the round
starting with the next server each time), so all see the same load from whatever else runs
on the machine; each ratio against the reference is taken within a round. Then plain and
standard again with ``uvicorn --workers 2`` (uvicorn's own socket and supervisor, not
bench/serving.py's) on the standings page: the keep-alive delay docs/performance.md
describes for uvicorn 0.54 would show there as ~40 ms per request. Each single-worker server
is checked to have loaded the loop and parser it is said to run (/proc/<pid>/maps).
Prints Markdown tables for docs/performance.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent))

from serving import REPO, run, running_site, shorttrack, site_env  # noqa: E402


def _bench_site():
    """bench/site.py (its wrk runner), loaded by path: ``import site`` is Python's own."""
    spec = importlib.util.spec_from_file_location("bench_site", Path(__file__).with_name("site.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


bench_site = _bench_site()
Load = bench_site.Load
wrk = bench_site.wrk


@dataclass(frozen=True)
class Stack:
    loop: str
    http: str

    @property
    def env(self) -> dict[str, str]:
        """uvicorn reads its options from UVICORN_* as well: bench/serving.py's command."""
        return {"UVICORN_LOOP": self.loop, "UVICORN_HTTP": self.http}

    @property
    def libraries(self) -> set[str]:
        return {self.loop, self.http} & set(LIBRARIES)


STACKS = {
    "h11 + asyncio (plain uvicorn)": Stack("asyncio", "h11"),
    "httptools + uvloop (uvicorn[standard])": Stack("uvloop", "httptools"),
    "httptools + asyncio": Stack("asyncio", "httptools"),
    "h11 + uvloop": Stack("uvloop", "h11"),
}
REFERENCE, STANDARD = list(STACKS)[:2]
# page -> (path, wrk connections). /healthz goes through Django at a few hundred requests/s
# at most: with 50 connections queued its latency passes a second, which bench/site.py's
# reading of wrk's output does not take.
PAGES = {
    "standings (page cache, 34 KB), 50 connections": (
        "/seasons/2022-23/standings/overall-women/",
        50,
    ),
    "/healthz (through Django, one query), 10 connections": ("/healthz", 10),
}
SHARED_DATA = Path(os.environ.get("SHORTTRACK_SHARED_DATA", REPO.parent / "shared" / "data"))
SEASON_2022_23 = SHARED_DATA / "worldcup-2022-23"
# What a server process has mapped once it serves with each library (/proc/<pid>/maps).
LIBRARIES = {"uvloop": "uvloop/loop.", "httptools": "httptools/parser/parser."}


def build_database(database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    building = database.with_name(database.name + ".building")  # a failed build is not reused
    building.unlink(missing_ok=True)
    env = _env(building)
    started = time.perf_counter()
    run(env, sys.executable, "manage.py", "migrate", "--verbosity", "0")
    shorttrack(env, "import", str(SEASON_2022_23))
    building.rename(database)
    print(f"database built in {time.perf_counter() - started:.0f} s: {database}", file=sys.stderr)


def _env(database: Path, **extra: str) -> dict[str, str]:
    key = os.environ.get("SHORTTRACK_SECRET_KEY") or "bench-only-not-secret-shorttrack"
    return site_env(f"sqlite:///{database}", SHORTTRACK_SECRET_KEY=key, **extra)


def server_libraries(url: str) -> set[str]:
    """Which of uvloop and httptools the process listening at ``url`` has loaded."""
    port = f"--port\0{urlsplit(url).port}\0"
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if port not in (proc / "cmdline").read_text():
                continue
            maps = (proc / "maps").read_text()
        except OSError:
            continue
        return {name for name, marker in LIBRARIES.items() if marker in maps}
    raise SystemExit(f"no server process found for {url}")


def expect_stack(url: str, name: str) -> None:
    loaded = server_libraries(url)
    if loaded != STACKS[name].libraries:
        raise SystemExit(f"{name} at {url} has loaded {sorted(loaded) or 'neither'}")


def paired_rounds(
    urls: dict[str, str], pages: dict[str, tuple[str, int]], duration: int, rounds: int
) -> dict[str, dict[str, list[Load | None]]]:
    """page -> stack -> one Load per round (None: wrk's output could not be read). Within a
    round the stacks take turns, each round starting with the next one."""
    for url in urls.values():
        for path, _ in pages.values():
            urllib.request.urlopen(url + path, timeout=60).read()  # fills the page's cache
    results = {page: {stack: [] for stack in urls} for page in pages}
    names = list(urls)
    for round_ in range(rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for page, (path, connections) in pages.items():
            for stack in order:
                try:
                    measured = wrk(urls[stack] + path, duration, connections)
                except (KeyError, AttributeError):
                    # bench/site.py reads "99%  1.25s " only without its trailing space:
                    # a latency of a second or more; the round is left out for this pair.
                    measured = None
                results[page][stack].append(measured)
                print(f"  round {round_ + 1}, {page}, {stack}: {measured}", file=sys.stderr)
    return results


def report(title: str, results: dict[str, dict[str, list[Load | None]]]) -> None:
    """Medians over the rounds; ratios against the reference measured in the same round."""
    print()
    print(title)
    print()
    print(
        "| page | server | req/s | p50 | p99 | req/s against plain uvicorn, per round "
        "(median) | p99 against plain uvicorn (median) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for page, by_stack in results.items():
        for name, loads in by_stack.items():
            pairs = [
                (r, s)
                for r, s in zip(by_stack[REFERENCE], loads, strict=True)
                if r is not None and s is not None
            ]
            read = [load for load in loads if load is not None]
            if not read:
                print(f"| {page} | {name} | no round could be read | | | | |")
                continue
            errors = sum(load.errors for load in read)
            cells = [
                f"{statistics.median(load.requests_per_s for load in read):.0f}"
                + (f" ({errors} errors)" if errors else ""),
                f"{statistics.median(load.p50_ms for load in read):.1f} ms",
                f"{statistics.median(load.p99_ms for load in read):.1f} ms",
            ]
            if name == REFERENCE:
                cells += ["1", "1"]
            elif pairs:
                ratios = [s.requests_per_s / r.requests_per_s for r, s in pairs]
                p99_ratios = [s.p99_ms / r.p99_ms for r, s in pairs]
                spread = ", ".join(f"{r:.2f}" for r in ratios)
                left_out = len(loads) - len(pairs)
                note = f"; {left_out} round(s) left out: a latency ≥ 1 s" if left_out else ""
                cells += [
                    f"{spread} (**{statistics.median(ratios):.2f}×**){note}",
                    f"{statistics.median(p99_ratios):.2f}×",
                ]
            else:
                cells += ["", ""]
            print(f"| {page} | {name} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="an SQLite file this script built before")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--rounds", type=int, default=5, help="paired rounds of each page")
    parser.add_argument("--skip-workers", action="store_true", help="no `--workers 2` rounds")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    database = args.database
    if (database is None or not database.exists()) and not SEASON_2022_23.is_dir():
        raise SystemExit(f"the real 2022/23 season is not at {SEASON_2022_23}")
    if database is None or not database.exists():
        database = database or Path(tempfile.mkdtemp(prefix="shorttrack-uvicorn-")) / "site.sqlite3"
        build_database(database.resolve())
    database = database.resolve()
    load_before = os.getloadavg()[0]

    with ExitStack() as servers:
        urls = {}
        for name, stack in STACKS.items():
            urls[name] = servers.enter_context(running_site(_env(database, **stack.env)))
            expect_stack(urls[name], name)
        print("1 worker each ...", file=sys.stderr)
        one_worker = paired_rounds(urls, PAGES, args.duration, args.rounds)

    two_workers = None
    if not args.skip_workers:
        with ExitStack() as servers:
            urls = {
                name: servers.enter_context(
                    running_site(_env(database, UVICORN_WORKERS="2", **STACKS[name].env))
                )
                for name in (REFERENCE, STANDARD)
            }
            print("uvicorn --workers 2 each ...", file=sys.stderr)
            standings = dict(list(PAGES.items())[:1])
            two_workers = paired_rounds(urls, standings, args.duration, args.rounds)

    import uvicorn

    print()
    print(
        f"{date.today().isoformat()}, {platform.node() or 'this machine'}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, uvicorn {uvicorn.__version__}, SQLite; "
        f"wrk -t2 -d{args.duration}s on the same cores; "
        f"{args.rounds} paired rounds, medians; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after"
    )
    report("1 worker each (`uvicorn shorttrack.asgi:application`):", one_worker)
    if two_workers:
        report("`uvicorn --workers 2` (uvicorn's own socket and supervisor):", two_workers)


if __name__ == "__main__":
    main()
