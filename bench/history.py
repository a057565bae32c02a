"""Benchmark: what the tamper-evident history costs the officials' writes and an import.

    .venv/bin/python bench/history.py [--database-url postgres://...] [--rounds 2]

Paired in one run, alternating: a whole competition simulated through the officials'
services (about 700 writes, each sealed: services/history.py) with the history and with
the sealing step made a no-op; and the import of the small test competition the same way.
Prints the ratios (with / without) for docs/performance.md, and how long
`audit verify` takes for the simulated competition.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="shorttrack-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("shorttrack.writes").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    from shorttrack.queries.history import verify
    from shorttrack.services import history
    from shorttrack.services.imports import import_paths
    from shorttrack.simulation import season as simulation
    from shorttrack.store.models import Competition, HistoryLink

    call_command("migrate", verbosity=0)
    sealing = history._seal
    small = [
        REPO / "tests/fixtures/small-competition" / name
        for name in ("calendar.csv", "skaters.csv", "race-results.csv")
    ]

    def competition():
        simulation.simulate_season("2025/26", 7, competitions=1)

    def small_import():
        for _ in range(5):
            import_paths(small)
            call_command("flush", interactive=False, verbosity=0)

    timings: dict[tuple[str, bool], list[float]] = {}
    verify_ms: list[float] = []
    for _ in range(args.rounds):
        for chained in (True, False):
            history._seal = sealing if chained else (lambda subjects, created=(): None)
            for name, work in (("competition", competition), ("import x5", small_import)):
                call_command("flush", interactive=False, verbosity=0)
                started = time.perf_counter()
                work()
                timings.setdefault((name, chained), []).append(time.perf_counter() - started)
                if name == "competition" and chained:
                    links = HistoryLink.objects.count()
                    started = time.perf_counter()
                    for each in Competition.objects.all():
                        assert verify(each.pk).intact
                    verify_ms.append((time.perf_counter() - started) * 1000)
    history._seal = sealing

    print(
        f"| measure ({connection.vendor}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}) "
        "| with the history | without | ratio |"
    )
    print("| --- | --- | --- | --- |")
    for name in ("competition", "import x5"):
        with_, without = (statistics.median(timings[(name, c)]) for c in (True, False))
        print(f"| {name} | {with_:.2f} s | {without:.2f} s | {with_ / without:.2f}× |")
    print(
        f"| audit verify of the simulated competition ({links} links) | "
        f"{statistics.median(verify_ms):.0f} ms | | |"
    )


if __name__ == "__main__":
    main()
