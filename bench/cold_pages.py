"""Benchmark: every public page kind built cold on the demo database.

    .venv/bin/python bench/cold_pages.py [--database FILE | --database-url URL] [--rounds 5]
        [--only distance]

Without --database or --database-url it builds the demo into a new SQLite file first
(`shorttrack setup-demo`: a simulated 2025/26 season raced lap by lap, and the real
2022/23 where ../shared/data holds it), about two minutes.

"Cold" is a page whose document nobody has built for the current results: every cache
of documents is emptied before each request, the process itself is warm (templates
compiled, code imported), as in a worker after a result was made official. Each page
is asked for --rounds times through Django's test client (no page cache in front), the
median is reported (wall time and this process's CPU time, which the other processes of
a shared machine do not stretch), with the HTML and JSON sizes, the SQL queries and the
model objects the page made. The competition overview, race and skater pages are built
without their facts: each page fetches its facts panel once it is shown (the competition
facts page's main fragment, the race and skater page's ``?fragment=facts``), which has its
own row; so has the points-per-race grid, the standings page's sheet race by race. Target:
each page kind < 100 ms and < 150 KB.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL_2022_23 = REPO.parent / "shared" / "data" / "worldcup-2022-23"
TARGET_MS = 100
TARGET_KB = 150


def build_demo(database: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SHORTTRACK_DEMO": "1"}
    command = [sys.executable, "-m", "shorttrack.cli", "setup-demo"]
    if (REAL_2022_23 / "results.csv").is_file():
        command += ["--data", str(REAL_2022_23)]
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True)
    print(f"demo built in {time.perf_counter() - started:.0f} s: {database}", file=sys.stderr)


def page_paths(get_json) -> dict[str, str]:
    """One page of each kind, found through the JSON twins: the simulated season's first
    competition (every round raced) and its largest round."""
    season = "2025-26"
    competition = get_json(f"/seasons/{season}/competitions/1.json")
    base = f"/seasons/{season}/competitions/1"
    men_1000 = next(d for d in competition["distances"] if d["distance"] == "M1000")
    largest = max(
        ((d, r) for d in competition["distances"] for r in d["rounds"]),
        key=lambda pair: len(pair[1]["races"]),
    )
    final_a = men_1000["final_race_id"]
    standings = get_json(f"/seasons/{season}/standings/overall-women.json")
    skater, opponent = (row["skater_id"] for row in standings["rows"][:2])
    nation = standings["rows"][0]["nation"]
    summaries = get_json(f"/seasons/{season}/summaries.json")
    day = next((s["day"] for s in summaries["sessions"] if s["competition"]["number"] == 1), None)
    paths = {
        "seasons": "/seasons/",
        "season": f"/seasons/{season}/",
        "standings": f"/seasons/{season}/standings/overall-women/",
        "grid": f"/seasons/{season}/standings/overall-women/grid/",
        "globe": f"/seasons/{season}/globe/overall-women/",
        "competition (overview)": f"{base}/",
        "distance (Men's 1000m)": f"{base}/distances/{men_1000['id']}/",
        f"round ({largest[0]['title']}, {largest[1]['label']})": (
            f"{base}/distances/{largest[0]['id']}/rounds/{largest[1]['id']}/"
        ),
        "race (Men's 1000m Final A)": f"/races/{final_a}/",
        "skater": f"/skaters/{skater}/",
        "head-to-head": f"/head-to-head/{skater}/{opponent}/",
        "nation": f"/seasons/{season}/nations/{nation}/",
        "season skaters": f"/seasons/{season}/skaters/",
        "nations": "/nations/",
        "nation's skaters": f"/nations/{nation}/",
        "search": "/search/?q=kim",
        "competition facts": f"{base}/facts/",
        "competition facts panel": f"{base}/facts/?fragment=main",
        "race facts panel": f"/races/{final_a}/?fragment=facts",
        "skater facts panel": f"/skaters/{skater}/?fragment=facts",
        "race facts": f"{base}/facts/{men_1000['id']}/",
        "skater facts": f"/skaters/{skater}/facts/",
        "summaries": f"/seasons/{season}/summaries/",
    }
    if day:
        paths["session summary"] = f"{base}/summaries/{day}/"
    return paths


@dataclass
class Cold:
    """One cold request: wall and CPU milliseconds, bytes, SQL queries, model objects."""

    ms: float
    cpu_ms: float
    size: int
    queries: int
    objects: int


def json_twin(path: str) -> str:
    route, _, query = path.partition("?")
    return route.rstrip("/") + ".json" + (f"?{query}" if query else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database", type=Path, help="an SQLite file built by setup-demo")
    where.add_argument("--database-url", help="a database built by setup-demo")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="only the page kinds naming this word")
    args = parser.parse_args()
    if args.database_url:
        url = args.database_url
    else:
        database = args.database
        if database is None:
            database = Path(tempfile.mkdtemp(prefix="shorttrack-cold-")) / "demo.sqlite3"
            build_demo(database)
        url = f"sqlite:///{database.resolve()}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SHORTTRACK_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.db.models.signals import post_init
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    made = [0]

    def count(**kwargs):
        made[0] += 1

    post_init.connect(count, weak=False)

    def get(path: str):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        return response

    def get_json(path: str) -> dict:
        return json.loads(get(path).content)

    def cold(path: str) -> Cold:
        cache.clear()
        made[0] = 0
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            body = get(path).content
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
        return Cold(elapsed, cpu, len(body), len(queries), made[0])

    rows = []
    for kind, path in page_paths(get_json).items():
        if args.only not in kind:
            continue
        for warm in (path, json_twin(path)):
            get(warm)
        html = [cold(path) for _ in range(args.rounds)]
        twin = [cold(json_twin(path)) for _ in range(args.rounds)]
        rows.append((kind, path, html, twin))

    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"Cold pages on {connection.vendor}, median of {args.rounds}, load average {load}")
    print(f"on {os.cpu_count()} CPUs (target < {TARGET_MS} ms, < {TARGET_KB} KB HTML); the")
    print("process warm, every document cache emptied first. CPU ms is this process's CPU")
    print("time, what other processes' load does not stretch: SQLite's work is in it, a")
    print("PostgreSQL server's is not (the wall time has it).\n")
    print(
        "| page | HTML KB | JSON KB | queries | objects | HTML ms | HTML CPU ms "
        "| JSON CPU ms | JSON objects |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, path, html, twin in rows:
        wall = statistics.median(r.ms for r in html)
        cpu = statistics.median(r.cpu_ms for r in html)
        json_cpu = statistics.median(r.cpu_ms for r in twin)
        flag = " ✗" if cpu >= TARGET_MS or html[0].size >= TARGET_KB * 1024 else ""
        print(
            f"| {kind} `{path}` | {html[0].size / 1024:.0f} | {twin[0].size / 1024:.0f} "
            f"| {html[0].queries} | {html[0].objects} | {wall:.0f} | {cpu:.0f}{flag} "
            f"| {json_cpu:.0f} | {twin[0].objects} |"
        )


if __name__ == "__main__":
    main()
