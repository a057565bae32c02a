"""Benchmark: the facts of one session on the 30-season history, and the race for the Globe.

    .venv/bin/python bench/facts.py [--seasons 30] [--database-url postgres://...] [--repeat 20]

Builds the synthetic history of bench/synthetic.py (30 seasons, 181,440 ranking lines),
imports it with the same service as `shorttrack import`, then times the summary of the
last season's final Saturday (its facts and text, as the site and API ask for them): the
first call of the process (which loads the rankings) and the median of the next ones, with
the number of SQL queries each takes; the facts of one race; and the race for the Globe
before the season's last race. Prints a Markdown table for docs/performance.md.
Target on a 2-core machine: the facts of one session under 500 ms.
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
    parser.add_argument("--repeat", type=int, default=20, help="runs of each warm timing")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="shorttrack-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shorttrack.queries.facts import (
        forget_loaded_facts,
        race_facts,
        session_summary,
        sessions,
    )
    from shorttrack.queries.globe import race_for_the_globe
    from shorttrack.services.imports import import_paths
    from shorttrack.store.models import Ranking, RankingLine, Season
    from synthetic import write_history

    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    started = time.perf_counter()
    import_paths(write_history(workdir / "history", args.seasons))
    imported = time.perf_counter() - started
    lines = RankingLine.objects.count()
    print(f"import: {imported:.1f} s, {lines} ranking lines")

    season = Season.objects.order_by("-key").first()
    last = sessions(season)[-2]  # the final Saturday: three finals per gender
    competition, day = last["competition"]["id"], last["day"]
    from datetime import date

    day = date.fromisoformat(day)

    def timed(call):
        connection.queries_log.clear()  # the import filled the log: count from empty
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            result = call()
            elapsed = (time.perf_counter() - t0) * 1000
        return result, elapsed, len(queries)

    forget_loaded_facts()  # the first call of a process: nothing loaded yet
    summary, cold, cold_queries = timed(lambda: session_summary(competition, day))
    runs, warm_queries = [], 0
    for _ in range(args.repeat):
        _, elapsed, warm_queries = timed(lambda: session_summary(competition, day))
        runs.append(elapsed)
    runs.sort()

    race_id = summary["session"]["races"][-1]["id"]
    race_runs = sorted(timed(lambda: race_facts(race_id))[1] for _ in range(args.repeat))

    last_official = (
        Ranking.objects.filter(distance_race__competition__season=season)
        .order_by("-official_at")
        .values_list("official_at", flat=True)
    )
    before_last = last_official[1]
    globe_runs = sorted(
        timed(lambda: race_for_the_globe(season, "overall-men", before_last))[1]
        for _ in range(args.repeat)
    )

    vendor = connection.vendor
    print()
    print(summary["text"][:400] + " ...")
    print()
    print(f"| measure ({vendor}, {os.cpu_count()} cores) | result | target |")
    print("| --- | --- | --- |")
    print(f"| import {args.seasons} seasons ({lines} ranking lines) | {imported:.1f} s | |")
    print(
        f"| summary of one session ({len(summary['session']['races'])} finals, "
        f"{len(summary['facts'])} facts), first call of the process | {cold:.0f} ms, "
        f"{cold_queries} queries | < 500 ms |"
    )
    print(
        f"| summary of one session, median of {args.repeat} | {statistics.median(runs):.0f} ms "
        f"(p95 {runs[max(int(len(runs) * 0.95) - 1, 0)]:.0f} ms), {warm_queries} queries | < 500 ms |"
    )
    print(f"| facts of one race, median | {statistics.median(race_runs):.0f} ms | |")
    print(
        f"| race for the men's Globe before the last race, median | "
        f"{statistics.median(globe_runs):.0f} ms | |"
    )


if __name__ == "__main__":
    main()
