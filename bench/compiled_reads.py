"""Benchmark: the reads every service write makes, through the ORM and compiled once.

    .venv/bin/python bench/compiled_reads.py [--database-url postgres://...] [--calls 3000]
        [--rounds 5]

store/compiled.py runs the race's version, the acting official's roles and the seasons'
keys from SQL Django compiled once; the same reads written as querysets are built and
compiled anew at every call. For each read, in one run and alternating round by round:
microseconds a call through the ORM and through ``Compiled``, and their ratio (median of
the rounds), on a new SQLite file by default or on the database given (migrated; one small
simulated competition written first when it holds no race with a result).
Prints a Markdown table for docs/performance.md.
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
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="shorttrack-compiled-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shorttrack.queries import documents
    from shorttrack.services import officials, race_status
    from shorttrack.store.models import CompetitionOfficial, Race, RaceEvent, Season

    call_command("migrate", verbosity=0)
    if not Race.objects.filter(results__isnull=False).exists():
        from shorttrack.simulation import season as simulation

        # A database with no raced race: one small simulated competition (seconds).
        simulation.simulate_season("2025/26", 7, competitions=1)
    race = Race.objects.filter(results__isnull=False).first() or Race.objects.first()
    user = CompetitionOfficial.objects.select_related("user", "competition").first()
    reads = {
        "the race's version": (
            lambda: (
                RaceEvent.objects.filter(race_id=race.pk)
                .order_by("-id")
                .values_list("id", flat=True)
                .first()
            ),
            lambda: race_status.version(race),
        ),
        "the seasons' keys": (
            lambda: dict(Season.objects.order_by().values_list("pk", "key")),
            lambda: dict(documents._SEASON_KEYS.rows()),
        ),
    }
    if user is not None:
        reads["the official's roles"] = (
            lambda: set(
                CompetitionOfficial.objects.filter(
                    competition=user.competition, user=user.user
                ).values_list("role", flat=True)
            ),
            lambda: officials.roles_at(user.user, user.competition),
        )

    def per_call(read) -> float:
        started = time.perf_counter()
        for _ in range(args.calls):
            read()
        return (time.perf_counter() - started) / args.calls * 1e6

    print(f"{args.calls:,} calls a round, median of {args.rounds} rounds, {connection.vendor};")
    print(f"load average {os.getloadavg()[0]:.2f}\n")
    print("| read | ORM µs | compiled µs | compiled / ORM |")
    print("| --- | ---: | ---: | ---: |")
    for name, (orm, compiled) in reads.items():
        assert orm() == compiled(), name  # the same answer, or the comparison means nothing
        pairs = [(per_call(orm), per_call(compiled)) for _ in range(args.rounds)]
        print(
            f"| {name} | {statistics.median(p[0] for p in pairs):.0f} "
            f"| {statistics.median(p[1] for p in pairs):.0f} "
            f"| {statistics.median(p[1] / p[0] for p in pairs):.2f}× |"
        )


if __name__ == "__main__":
    main()
