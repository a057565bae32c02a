"""Benchmark: importing a 30-season history and computing standings.

    .venv/bin/python bench/standings.py [--seasons 30] [--database-url postgres://...]

Builds a full-size synthetic season (6 competitions, 8 races per individual distance per
gender, 120 skaters per gender with complete ranks, relays) 30 times over, imports it with
the same service as `shorttrack import`, then times all classifications of one season and
the standings as of 200 moments. Prints a Markdown table for docs/performance.md.
Targets on a 2-core machine: all classifications of a season under 50 ms; the 30-season
import under 60 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seasons", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    parser.add_argument(
        "--repeat", type=int, default=30, help="runs of the all-classifications timing"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="shorttrack-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shorttrack.queries.standings import every_standings
    from shorttrack.services.imports import import_paths
    from shorttrack.store.models import Ranking, RankingLine, Season
    from synthetic import write_history

    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    started = time.perf_counter()
    paths = write_history(workdir / "history", args.seasons)
    generated = time.perf_counter() - started

    started = time.perf_counter()
    report = import_paths(paths)
    imported = time.perf_counter() - started
    lines = RankingLine.objects.count()
    print(
        f"import: {imported:.1f} s for {len(paths)} seasons, {lines} ranking lines ({report.summary()})"
    )

    season = Season.objects.order_by("-key").first()
    t0 = time.perf_counter()
    every_standings(season)  # the first call loads the season's rankings into the cache
    cold = (time.perf_counter() - t0) * 1000
    runs = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        tables, _ = every_standings(season)
        runs.append((time.perf_counter() - t0) * 1000)
    runs.sort()

    moments = sorted(
        Ranking.objects.filter(distance_race__competition__season=season).values_list(
            "official_at", flat=True
        )
    )
    first, last = moments[0], moments[-1]
    step = (last - first) / 199
    as_of_runs = []
    for i in range(200):
        t0 = time.perf_counter()
        every_standings(season, first + step * i)
        as_of_runs.append((time.perf_counter() - t0) * 1000)

    vendor = connection.vendor
    print()
    print(f"| measure ({vendor}, {os.cpu_count()} cores) | result | target |")
    print("| --- | --- | --- |")
    print(f"| generate {args.seasons} seasons of files | {generated:.1f} s | |")
    print(f"| import {args.seasons} seasons ({lines} ranking lines) | {imported:.1f} s | < 60 s |")
    print(f"| all classifications of one season, first call (loads the season) | {cold:.1f} ms | |")
    print(
        f"| all {len(tables)} classifications of one season, median of {args.repeat} | "
        f"{statistics.median(runs):.1f} ms (p95 {runs[int(len(runs) * 0.95) - 1]:.1f} ms) | < 50 ms |"
    )
    print(
        f"| all classifications as of 200 moments | {sum(as_of_runs) / 1000:.2f} s total, "
        f"{statistics.median(as_of_runs):.1f} ms median | |"
    )


if __name__ == "__main__":
    main()
