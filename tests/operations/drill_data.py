"""The restore drill's database: built through the services, photographed table by table,
and wrecked. Run against the database in DATABASE_URL, from the repository::

    python -m tests.operations.drill_data build      # a race day and more; prints the snapshot
    python -m tests.operations.drill_data snapshot   # every table, row by row, as JSON
    python -m tests.operations.drill_data wreck      # deletes, alters, drops; prints the snapshot

The drill test takes its snapshots and wrecks in its own process, through a connection of
its own to the scratch database (``snapshot(connection)``, ``wreck(connection)``).

``build`` imports a small competition (rankings, relay teams), then runs the browser
tests' race day (tests/browser/race_day.py: officials appointed, a session, entries,
draws, start lists, two finals entered, made official and corrected: revisions, race
events, a final ranking), adds a broadcaster, and has an official sign in to the console
with the right password and then with a wrong one (a session, django-axes' records).

The snapshot covers every table the database has, found by introspection, so a table a
later migration adds is covered without a change here: its columns, constraints and rows
(sorted, values as text), and the sequences' positions (SQLite's sqlite_sequence, each
PostgreSQL sequence), so that the rows created after a restore get the same ids.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime

# The build signs a session cookie; the command line itself needs no key.
os.environ.setdefault("SHORTTRACK_SECRET_KEY", "drill-only-not-secret")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")

PASSWORD = "drill-ice-2023"
# Tables the drill must find rows in: a build that left one empty would prove nothing.
FILLED = (
    "auth_user",
    "django_session",
    "django_migrations",
    "axes_accessattempt",
    "store_season",
    "store_competition",
    "store_skater",
    "store_revision",
    "store_raceresult",
    "store_raceresultline",
    "store_ranking",
    "store_rankingline",
    "store_raceevent",
    "store_competitionofficial",
    "store_session",
    "store_broadcaster",
    "store_entry",
    "store_draw",
    "store_startlistline",
    "store_relayteam",
)


def build() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings
    from django.urls import reverse

    from shorttrack.services import clock, race_results, setup
    from shorttrack.services.imports import import_paths
    from shorttrack.services.race_results import Decision
    from shorttrack.services.race_status import version
    from shorttrack.store import models
    from tests.browser import race_day
    from tests.support import SMALL_COMPETITION

    import_paths([SMALL_COMPETITION])
    ids = race_day.build()
    race_day.make_final_official(ids["final_500m"], race_day.day(2, 14, 45))
    User = get_user_model()
    organiser = User.objects.get(username="race-day-organiser")
    referee = User.objects.get(username=race_day.REFEREE_NAME)
    competition = models.Competition.objects.get(
        season__key=race_day.SEASON, number=ids["competition"]
    )
    setup.add_broadcaster(organiser, competition, name="CBC Sports", country="CAN")
    final = models.Race.objects.get(pk=ids["final_1000m"])
    penalised = final.start_list.get(skater_id=ids["skaters"]["Rossi"]).helmet
    with clock.at(race_day.day(2, 15, 30)):
        race_results.correct_results(
            referee,
            final,
            reason="video review: impeding on the last lap",
            decisions=[Decision(penalised, "PEN", "impeding")],
            based_on=version(final),
        )
    # A quick hasher: the drill is about copying rows, not about hashing them slowly.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        organiser.set_password(PASSWORD)
        organiser.save()
        login = reverse("officials:login")
        Client().post(login, {"username": organiser.username, "password": PASSWORD})
        Client().post(login, {"username": organiser.username, "password": "wrong"})


def snapshot(connection=None) -> dict:
    """Every table of the database (Django's default connection, or ``connection``)."""
    if connection is None:
        from django.db import connection

    tables: dict[str, dict] = {}
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        for table in names:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            columns = [column[0] for column in cursor.description]
            rows = sorted(json.dumps([_text(v) for v in row]) for row in cursor.fetchall())
            constraints = connection.introspection.get_constraints(cursor, table)
            tables[table] = {
                "columns": columns,
                "constraints": {
                    name: {key: _text(value) for key, value in sorted(details.items())}
                    for name, details in sorted(constraints.items())
                },
                "rows": rows,
            }
        tables["(sequences)"] = {"rows": _sequences(connection, cursor, names)}
    return tables


def _sequences(connection, cursor, tables: list[str]) -> list[str]:
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if not cursor.fetchone():
            return []
        cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        return [f"{name}: {seq}" for name, seq in cursor.fetchall()]
    positions = []
    for table in tables:
        for sequence in connection.introspection.get_sequences(cursor, table):
            quoted = connection.ops.quote_name(sequence["name"])
            cursor.execute(f"SELECT last_value, is_called FROM {quoted}")
            last, called = cursor.fetchone()
            positions.append(f"{sequence['name']}: {last} {called}")
    return sorted(positions)


def _text(value) -> object:
    """A value as the same JSON on both sides of a backup."""
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _text(v) for k, v in sorted(value.items())}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def wreck(connection=None) -> None:
    """What goes wrong in real life, all at once: rows deleted, values changed, a row
    added, a table dropped (with the foreign keys that point at it on PostgreSQL)."""
    if connection is None:
        from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        cascade = " CASCADE" if connection.vendor == "postgresql" else ""
        cursor.execute("DELETE FROM store_raceevent")
        cursor.execute("DELETE FROM django_session")
        cursor.execute("UPDATE store_raceresultline SET time_ms = time_ms + 1000")
        cursor.execute("UPDATE auth_user SET password = 'wrecked', is_superuser = TRUE")
        cursor.execute(
            "INSERT INTO store_season (key, name, rules_key, simulated) "
            "VALUES ('2099/00', 'Not a season', '2025/26', FALSE)"
        )
        cursor.execute(f"DROP TABLE store_session{cascade}")


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv == ["build"]:
        build()
    elif argv == ["wreck"]:
        wreck()
    elif argv != ["snapshot"]:
        sys.exit("usage: python -m tests.operations.drill_data build | snapshot | wreck")
    print(json.dumps(snapshot()))


if __name__ == "__main__":
    main(sys.argv[1:])
