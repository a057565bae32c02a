"""A simulated competition exported and imported into an empty database is the same season;
importing the export again changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError

from shorttrack.interchange.export import export_season
from shorttrack.services.imports import import_paths
from shorttrack.simulation.season import simulate_season
from shorttrack.store import models
from tests.support import standings_points, table_counts

pytestmark = pytest.mark.django_db


def empty_the_store() -> None:
    """Delete every row of every store table (users too): the empty database of a fresh
    machine. Tables are emptied once nothing protected points at them any more."""
    tables = list(apps.get_app_config("store").get_models()) + [get_user_model()]
    while tables:
        left = []
        for table in tables:
            try:
                with transaction.atomic():
                    table.objects.all().delete()
            except (ProtectedError, RestrictedError, IntegrityError):
                left.append(table)
        assert len(left) < len(tables), f"cannot empty {left}"
        tables = left


# A whole simulated competition through every service: its database work is the
# same on both kinds, and twice would take make test past its 20 minutes; run once.
@pytest.mark.sqlite_only
def test_a_simulated_competition_exported_imports_into_an_empty_database(tmp_path):
    simulate_season("2025/26", 7, competitions=1)
    season = models.Season.objects.get(key="2025/26")
    points, name = standings_points("2025/26"), season.name
    yilmaz = set(models.Skater.objects.filter(family_name="Yılmaz").values_list("key", flat=True))
    official = official_times()
    written = export_season("2025/26", tmp_path, "json")
    assert "YILMAZ " in written[0].read_text(encoding="utf-8")  # the sheet's capitals

    empty_the_store()
    import_paths(written)

    assert standings_points("2025/26") == points
    assert models.Season.objects.get(key="2025/26").name == name  # "(simulated)" kept
    # Yılmaz keeps the dotless ı: the name read from the sheet's YILMAZ matched the skater
    assert yilmaz and yilmaz <= set(
        models.Skater.objects.filter(family_name="Yılmaz").values_list("key", flat=True)
    )
    assert official_times() == official  # to the microsecond


def official_times() -> dict[tuple, object]:
    """When each race's latest result was made official, by race (no row ids)."""
    times = {}
    for result in models.RaceResult.objects.select_related("race__round__distance_race").order_by(
        "number"
    ):
        distance_race = result.race.round.distance_race
        key = (distance_race.distance, distance_race.instance, result.race.round.kind)
        times[key + (result.race.number,)] = result.official_at
    return times


# A whole simulated competition through every service: its database work is the
# same on both kinds, and twice would take make test past its 20 minutes; run once.
@pytest.mark.sqlite_only
def test_importing_an_export_twice_writes_no_new_revision(tmp_path):
    simulate_season("2025/26", 7, competitions=1)
    written = export_season("2025/26", tmp_path, "json")
    empty_the_store()
    import_paths(written)
    before = table_counts()

    report = import_paths(written)

    assert table_counts() == before
    assert not report.created and not report.updated


def test_a_blank_field_of_a_calendar_never_erases_what_is_stored(tmp_path):
    full = tmp_path / "full.csv"
    full.write_text(
        "season,season_name,rules,competition,city,country,venue,time_zone,start_date,end_date,gender,race,finals_at\n"
        "2023/24,World Tour 2023/24 (simulated),2023/24,1,Montreal,CAN,Maurice-Richard Arena,"
        "America/Toronto,2023-10-20,2023-10-22,women,500m,2023-10-21T14:00\n",
        encoding="utf-8",
    )
    blank = tmp_path / "blank.csv"
    blank.write_text(
        "season,season_name,rules,competition,city,country,venue,time_zone,start_date,end_date,gender,race,finals_at\n"
        "2023/24,,,1,Montreal,CAN,,America/Toronto,2023-10-20,2023-10-22,women,500m,\n",
        encoding="utf-8",
    )
    import_paths([full])
    before = table_counts()

    report = import_paths([blank])

    assert table_counts() == before and not report.updated
    assert models.Season.objects.get(key="2023/24").name == "World Tour 2023/24 (simulated)"
    competition = models.Competition.objects.get(number=1)
    assert competition.venue == "Maurice-Richard Arena"
    assert competition.distance_races.get().finals_at is not None
