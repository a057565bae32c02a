"""Benchmark: the press pages of the public site on the 30-season history, uncached.

    .venv/bin/python bench/press_pages.py [--seasons 30] [--database-url postgres://...] [--repeat 10]

A database given with --database-url that already holds the history is used as it is.

Builds the synthetic history of bench/synthetic.py (as bench/facts.py), then times what a
reader's first request after a new result costs, the page cache being empty then: each
press page's document (queries/press.py) and the whole response through Django (document,
template, Atom): the session summary page, the season's summaries (every session's
summary: the summaries page and the Atom feed), the competition facts page, a skater's
facts page and the race for the men's Globe. Medians of ``--repeat`` runs, each after emptying the page cache. Prints a Markdown
table for docs/performance.md.
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
    parser.add_argument("--repeat", type=int, default=10, help="runs of each timing")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="shorttrack-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from shorttrack.queries import press
    from shorttrack.queries.facts import sessions
    from shorttrack.queries.public import season_slug
    from shorttrack.services.imports import import_paths
    from shorttrack.store.models import Competition, RankingLine, Season, Skater
    from synthetic import write_history

    call_command("migrate", verbosity=0)
    if Season.objects.count() != args.seasons:  # a database from an earlier run is reused
        call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        import_paths(write_history(workdir / "history", args.seasons))
        print(f"import: {time.perf_counter() - started:.1f} s")
    print(f"{RankingLine.objects.count()} ranking lines")

    season = Season.objects.order_by("-key").first()
    slug = season_slug(season.key)
    listed = sessions(season)
    last = listed[-2]  # the final Saturday
    competition = Competition.objects.select_related("season").get(pk=last["competition"]["id"])
    from datetime import date

    day = date.fromisoformat(last["day"])
    skater = Skater.objects.get(
        pk=RankingLine.objects.filter(
            rank=1, skater__isnull=False, ranking__distance_race__competition=competition
        )
        .values_list("skater_id", flat=True)
        .first()
    )

    def median_ms(call) -> float:
        runs = []
        for _ in range(args.repeat):
            cache.clear()
            t0 = time.perf_counter()
            call()
            runs.append((time.perf_counter() - t0) * 1000)
        return statistics.median(runs)

    client = Client()

    def page(url: str):
        def get():
            answer = client.get(url)
            assert answer.status_code == 200, (url, answer.status_code)

        return get

    number = competition.number
    rows = [
        (
            f"session summary ({last['races']} finals): document / page",
            lambda: press.session_summary_document(competition, day),
            page(f"/seasons/{slug}/competitions/{number}/summaries/{day.isoformat()}/"),
        ),
        (
            f"the season's summaries ({len(listed)} sessions): document / Atom feed",
            lambda: press.summaries_document(season),
            page(f"/seasons/{slug}/summaries.atom"),
        ),
        (
            "competition facts: document / page",
            lambda: press.competition_facts_document(competition),
            page(f"/seasons/{slug}/competitions/{number}/facts/"),
        ),
        (
            "a winner's facts of the season: document / page",
            lambda: press.skater_facts_document(skater, season),
            page(f"/skaters/{skater.pk}/facts/"),
        ),
        (
            "race for the men's Globe: document / page",
            lambda: press.globe_document(season, "overall-men"),
            page(f"/seasons/{slug}/globe/overall-men/"),
        ),
    ]
    print()
    print(f"| uncached, median of {args.repeat} ({connection.vendor}) | document | response |")
    print("| --- | --- | --- |")
    for label, document, response in rows:
        print(f"| {label} | {median_ms(document):.0f} ms | {median_ms(response):.0f} ms |")


if __name__ == "__main__":
    main()
