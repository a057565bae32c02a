"""Benchmark: the reads every service write makes, through the ORM and compiled once.

    .venv/bin/python bench/compiled_reads.py [--database-url postgres://...] [--calls 3000]
        [--rounds 5]

store/compiled.py runs the reads every write makes (the race locked with what it belongs
to and the official's roles, the latest result with its lines, the race's version, the
seasons' keys) from SQL Django compiled once; the same reads written as querysets are
built and compiled anew at every call. For each read, in one run and alternating round by round:
microseconds a call through the ORM and through ``Compiled``, and their ratio (median of
the rounds), on a new SQLite file by default or on the database given (migrated; one small
simulated competition written first when it holds no race with a result).
Then what a statement costs besides its SQL, each way alternating the same: a statement
run on a cursor made anew (``connection.cursor()``) and on the connection's kept one
(``compiled.cursor_of``); a result line's INSERT values prepared field by field by Django
and by ``compiled._values``; and on PostgreSQL a write's three announcements inserted as
arrays (UNNEST) and as VALUES, and their three ids marked sent as an array and as a list
(both in a transaction rolled back after each round). Prints Markdown tables for
docs/performance.md.
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
    from django.db import connection, transaction
    from django.db.models import Prefetch

    from shorttrack.queries import documents
    from shorttrack.services import officials, race_status
    from shorttrack.services.result_lines import latest_result, lines_by_place
    from shorttrack.store.models import CompetitionOfficial, Race, Season

    call_command("migrate", verbosity=0)
    if not Race.objects.filter(results__isnull=False).exists():
        from shorttrack.simulation import season as simulation

        # A database with no raced race: one small simulated competition (seconds).
        simulation.simulate_season("2025/26", 7, competitions=1)
    race = Race.objects.filter(results__isnull=False).first()
    user = CompetitionOfficial.objects.select_related("user", "competition").get(
        competition=race.round.distance_race.competition_id, role="referee"
    )

    def orm_lock():
        with transaction.atomic():
            locked = (
                Race.objects.select_for_update(of=("round", "self"))
                .select_related("round__distance_race__competition__season")
                .get(pk=race.pk)
            )
            roles = officials.roles_at(user.user, locked.round.distance_race.competition)
            return _chain(locked), roles

    def compiled_lock():
        with race_status.locked(race, user.user) as locked:
            return _chain(locked), race_status._standing(user.user, locked)[0]

    def orm_latest():
        result = (
            race.results.order_by("-number")
            .prefetch_related(Prefetch("lines", queryset=lines_by_place()))
            .first()
        )
        return _fields(result), [_fields(line) for line in result.lines.all()]

    def compiled_latest():
        result = latest_result(race)
        return _fields(result), [_fields(line) for line in result.lines.all()]

    reads = {
        "the race's version": (
            lambda: Race.objects.filter(pk=race.pk).values_list("version", flat=True).first(),
            lambda: race_status.version(race),
        ),
        "the latest result and its lines": (orm_latest, compiled_latest),
        "the seasons' keys": (
            lambda: dict(Season.objects.order_by().values_list("pk", "key")),
            lambda: dict(documents._SEASON_KEYS.rows()),
        ),
    }
    reads["the official's roles"] = (
        lambda: set(
            CompetitionOfficial.objects.filter(
                competition=user.competition, user=user.user
            ).values_list("role", flat=True)
        ),
        lambda: officials.roles_at(user.user, user.competition),
    )
    reads["the race locked, to its season, with the official's roles"] = (
        orm_lock,
        compiled_lock,
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
    statement_costs(connection, race, per_call)


def statement_costs(connection, race, per_call) -> None:
    """The second table: (name, the way before, the way now) in microseconds a call."""
    from django.db import transaction
    from django.utils import timezone

    from shorttrack import live
    from shorttrack.store import compiled
    from shorttrack.store.models import Announcement, RaceResultLine

    def new_cursor():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchall()

    def kept_cursor():
        cursor = compiled.cursor_of(connection)
        cursor.execute("SELECT 1")
        return cursor.fetchall()

    line = race.results.order_by("-number").first().lines.order_by("place").first()
    line.pk = None
    statement = compiled._insert_statement(RaceResultLine, "default")

    def plain(values):
        return [(type(v), getattr(v, "obj", v)) for v in values]

    def django_values():
        return plain(
            f.get_db_prep_save(f.pre_save(line, add=True), connection) for f in statement.fields
        )

    def compiled_values():
        return plain(compiled._values(statement, line, connection))

    costs = [
        ("a statement, its cursor made anew / kept", new_cursor, kept_cursor),
        ("a result line's INSERT values, Django's / compiled", django_values, compiled_values),
    ]
    if connection.vendor == "postgresql":
        now = timezone.now()

        def announcements(at_most):
            def insert():
                saved, compiled._VALUES_AT_MOST = compiled._VALUES_AT_MOST, at_most
                try:
                    rows = [
                        Announcement(topic=t, payload={"race": race.pk}, created=now)
                        for t in ("race:1", "competition:1", "season:1")
                    ]
                    return [(a.topic, a.payload) for a in compiled.insert_all(rows)]
                finally:
                    compiled._VALUES_AT_MOST = saved

            return insert

        ids = list(Announcement.objects.order_by("id").values_list("id", flat=True)[:3])

        def marks(at_most):
            def mark():
                saved, live._LIST_AT_MOST = live._LIST_AT_MOST, at_most
                try:
                    live._mark_sent(ids, now)
                finally:
                    live._LIST_AT_MOST = saved

            return mark

        costs += [
            (
                "three announcements inserted, as arrays / as VALUES",
                announcements(0),
                announcements(50),
            ),
            ("three ids marked sent, as an array / as a list", marks(0), marks(49)),
        ]

    def rolled_back(way):
        with transaction.atomic():
            spent = per_call(way)
            transaction.set_rollback(True)
        return spent

    print("\n| what a statement costs besides its SQL | before µs | now µs | now / before |")
    print("| --- | ---: | ---: | ---: |")
    for name, before, now_way in costs:
        assert before() == now_way(), name
        pairs = [(rolled_back(before), rolled_back(now_way)) for _ in range(5)]
        print(
            f"| {name} | {statistics.median(p[0] for p in pairs):.0f} "
            f"| {statistics.median(p[1] for p in pairs):.0f} "
            f"| {statistics.median(p[1] / p[0] for p in pairs):.2f}× |"
        )


def _fields(instance) -> dict:
    """An instance's field values, without what a read adds (its state, annotations)."""
    return {
        name: value
        for name, value in instance.__dict__.items()
        if not name.startswith(("_", "holds_"))
    }


def _chain(race) -> list[dict]:
    """The race and what it was read with, as field values, to compare two reads."""
    distance = race.round.distance_race
    return [_fields(race) for race in (race, race.round, distance, distance.competition)] + [
        _fields(distance.competition.season)
    ]


if __name__ == "__main__":
    main()
