"""Importing the real 2022/23 season from the shared data folder, as it is."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.support import standings_points, table_counts

pytestmark = pytest.mark.django_db


def ranking_of(number: int, distance: str, instance: int | None = None) -> models.Ranking:
    race = models.DistanceRace.objects.get(
        competition__season__key="2022/23",
        competition__number=number,
        distance=distance,
        instance=instance,
    )
    return race.rankings.order_by("-number").first()


def test_the_real_season_imports_with_its_calendar_skaters_and_rankings(data_2022_23):
    report = import_paths([data_2022_23])

    assert report.created["seasons"] == 1
    assert report.created["competitions"] == 6
    assert report.created["rankings"] == 62
    assert "created 1 season, 6 competitions" in report.summary()
    dordrecht = models.Competition.objects.get(season__key="2022/23", number=6)
    assert (dordrecht.city, dordrecht.time_zone) == ("Dordrecht", "Europe/Amsterdam")
    assert models.Ranking.objects.filter(basis="imported", complete=False).count() == 62


def test_names_are_split_the_way_each_nation_writes_them(data_2022_23):
    import_paths([data_2022_23])

    names = {(s.member.code, s.family_name, s.given_name) for s in models.Skater.objects.all()}
    assert ("KOR", "Lee", "June-seo") in names
    assert ("KOR", "Kim", "Gil-li") in names
    assert ("NED", "van 't Wout", "Jens") in names
    assert ("CAN", "Dubois", "Steven") in names
    assert models.Skater.objects.get(key="NED-van-t-wout-jens").gender == "men"


def test_finals_are_on_the_days_the_press_reported(data_2022_23):
    import_paths([data_2022_23])

    def finals_day(number, distance, instance=None):
        race = models.DistanceRace.objects.get(
            competition__number=number, distance=distance, instance=instance
        )
        return race.finals_at.astimezone(ZoneInfo(race.competition.time_zone)).strftime("%a")

    assert [finals_day(1, "M1500"), finals_day(1, "W1000", 1)] == ["Sat", "Sat"]
    assert [finals_day(1, "M500"), finals_day(1, "W1000", 2)] == ["Sun", "Sun"]
    assert [finals_day(5, "W1000"), finals_day(5, "W1500", 1)] == ["Sat", "Sat"]
    assert [finals_day(6, "M1000", 2), finals_day(6, "W500")] == ["Sun", "Sun"]
    assert finals_day(2, "X2000R") == "Sat"
    assert finals_day(4, "M5000R") == "Sun"
    montreal_1500 = ranking_of(1, "W1500")
    assert montreal_1500.official_at == datetime(
        2022, 10, 29, 14, 10, tzinfo=ZoneInfo("America/Toronto")
    )


def test_a_final_b_place_without_a_rank_is_kept_and_relays_rank_the_nation(data_2022_23):
    import_paths([data_2022_23])

    shim = ranking_of(6, "W500").lines.get(skater__family_name="Shim")
    assert (shim.rank, shim.final, shim.final_place, shim.time_ms) == (None, "B", 3, 43806)
    relay = ranking_of(1, "M5000R").lines.order_by("rank")
    assert [(line.rank, line.member.code, line.skater, line.team) for line in relay] == [
        (1, "KOR", None, None),
        (2, "KAZ", None, None),
        (3, "CAN", None, None),
    ]


def test_the_supplement_adds_its_places_to_the_podium_in_one_revision(data_2022_23):
    import_paths([data_2022_23])

    salt_lake_500 = ranking_of(2, "W500", 1)
    lines = [
        (line.rank, line.skater.family_name, line.final, line.status)
        for line in salt_lake_500.lines.order_by("rank")
    ]
    assert lines == [
        (1, "Boutin", "A", "finished"),
        (2, "Maliszewska", "A", "finished"),
        (3, "Santos", "A", "finished"),
        (8, "Velzeboer", "A", "PEN"),
        (9, "Schulting", "A", "PEN"),
    ]
    assert salt_lake_500.number == 1
    assert "results.csv sha256:" in salt_lake_500.revision.source
    assert "worldcup-2022-23-supplement.csv sha256:" in salt_lake_500.revision.source
    dion = ranking_of(1, "M1500").lines.get(skater__family_name="Dion")
    assert (dion.rank, dion.final_place) == (6, 6)
    assert "C02" in dion.note


def test_the_standings_it_gives_match_the_published_ones(data_2022_23):
    """checks.csv C01, C02, C04: the overall after Montreal and Schulting after Dresden."""
    import_paths([data_2022_23])

    after_montreal = standings_points("2022/23", datetime(2022, 10, 31, tzinfo=ZoneInfo("UTC")))
    men = after_montreal["overall-men"]
    assert (men["CAN-dubois-steven"], men["KOR-hong-kyung-hwan"], men["CAN-dion-pascal"]) == (
        180,
        150,
        144,
    )
    after_dresden = standings_points("2022/23", datetime(2023, 2, 6, tzinfo=ZoneInfo("UTC")))
    assert after_dresden["overall-women"]["NED-schulting-suzanne"] == 912


def test_importing_the_same_folder_twice_changes_nothing(data_2022_23):
    import_paths([data_2022_23])
    before = table_counts()

    report = import_paths([data_2022_23])

    assert table_counts() == before
    assert not report.created and not report.updated
    assert report.summary().startswith("unchanged 1 season, 6 competitions, 62 distance races")
