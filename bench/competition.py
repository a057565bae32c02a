"""Benchmark: simulating a whole competition, and what one official result sets off.

    .venv/bin/python bench/competition.py [--database-url postgres://...]

1. A competition of all nine distances with every nation entering its full quota (110+
   entries per individual distance), simulated through the officials' services.
2. Run again, every `make_official` is timed; those that complete a round fill the next
   one (a new draw) or rank the distance; each is followed by reading all standings of the
   season, as a live page would. Prints a Markdown table for docs/performance.md.
Targets on a 2-core machine: the competition under 10 s (under 5 s on PostgreSQL, the
speed of the machine of 2026-11-25: bench/competition_paired.py measures it against that
day's code in one run, whatever the machine); official -> next round filled and standings
updated under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="shorttrack-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    # What a server process has imported before its first write, so that the time is the
    # competition's: the pages' versions, which the first drain of the outbox imports.
    from shorttrack.queries import documents  # noqa: F401
    from shorttrack.queries.standings import every_standings
    from shorttrack.services import race_results
    from shorttrack.simulation import season as simulation
    from shorttrack.store.models import Draw, Entry, Ranking

    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    timings: dict[str, list[float]] = {
        "that fills the next round": [],
        "that ranks the distance": [],
        "with more races of its round to come": [],
    }
    original = race_results.make_official

    def timed_make_official(user, race, **kwargs):
        draws, rankings = Draw.objects.count(), Ranking.objects.count()
        started = time.perf_counter()
        result = original(user, race, **kwargs)
        every_standings(race.round.distance_race.competition.season)
        elapsed = (time.perf_counter() - started) * 1000
        if Ranking.objects.count() > rankings:
            timings["that ranks the distance"].append(elapsed)
        elif Draw.objects.count() > draws:
            timings["that fills the next round"].append(elapsed)
        else:
            timings["with more races of its round to come"].append(elapsed)
        return result

    def simulate():
        return simulation.simulate_season(
            "2025/26", args.seed, competitions=1, per_gender=130, full_fields=True
        )

    started = time.perf_counter()
    report = simulate()
    total = time.perf_counter() - started
    entries = Entry.objects.filter(skater__isnull=False).count() / 6

    # The same competition again, each official result timed with what it sets off.
    call_command("flush", interactive=False, verbosity=0)
    simulation.race_results.make_official = timed_make_official
    simulate()

    print(report.summary())
    print()
    print(f"| measure ({connection.vendor}, {os.cpu_count()} cores) | result | target |")
    print("| --- | --- | --- |")
    print(
        f"| one competition, 9 distances, {entries:.0f} entries per individual distance, "
        f"{report.races} races | {total:.1f} s | < 10 s |"
    )
    for what, values in timings.items():
        if values:
            values.sort()
            print(
                f"| race made official {what}, then all standings read "
                f"(n={len(values)}) | median {statistics.median(values):.0f} ms, "
                f"max {values[-1]:.0f} ms | < 100 ms |"
            )


if __name__ == "__main__":
    main()
