"""A hand-made competition imported round by round: heats, semifinals, Final B and Final A,
with a penalty in Final A and a dead heat in Final B, gives the ranking the rules say."""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.support import SMALL_COMPETITION, table_counts

pytestmark = pytest.mark.django_db

FILES = [SMALL_COMPETITION / name for name in ("calendar.csv", "skaters.csv", "race-results.csv")]
MONTREAL = ZoneInfo("America/Toronto")


def women_1000m() -> models.DistanceRace:
    return models.DistanceRace.objects.get(
        competition__season__key="2023/24", distance="W1000", instance=1
    )


def ranking_table(ranking: models.Ranking) -> list[tuple]:
    lines = ranking.lines.select_related("skater")
    return sorted(
        (
            (line.rank, line.skater.family_name, line.final, line.final_place, line.status)
            for line in lines
        ),
        key=lambda row: (row[0], row[1]),
    )


def test_the_final_ranking_is_computed_from_the_rounds():
    import_paths(FILES)

    ranking = women_1000m().rankings.get()
    assert (ranking.basis, ranking.complete) == ("races", True)
    assert ranking_table(ranking) == [
        (1, "Eriksen", "A", 1, "finished"),
        (2, "Adams", "A", 2, "finished"),
        (3, "Ito", "A", 3, "finished"),
        (4, "Choi", "B", 1, "finished"),
        (5, "Baker", "B", 2, "finished"),  # dead heat for second in Final B:
        (5, "Jansen", "B", 2, "finished"),  # both share fifth
        (7, "Garcia", "B", 4, "finished"),
        (8, "Fontana", "A", None, "PEN"),  # penalised in Final A: after the Final B skaters
        (9, "Kovacs", "", None, "finished"),  # out in the heats: by place, then time
        (10, "Dekker", "", None, "finished"),
        (11, "Hofmann", "", None, "PEN"),
        (12, "Lee", "", None, "DNF"),
    ]
    assert ranking.official_at == datetime(2023, 10, 21, 14, 12, tzinfo=MONTREAL)


def test_every_race_is_stored_as_its_result_sheet():
    import_paths(FILES)

    rounds = women_1000m().rounds.order_by("order")
    assert [(r.kind, r.races.count()) for r in rounds] == [
        ("heats", 3),
        ("semifinals", 2),
        ("final_b", 1),
        ("final_a", 1),
    ]
    final_a = models.RaceResult.objects.get(
        race__round__kind="final_a", race__round__distance_race=women_1000m()
    )
    eriksen = final_a.lines.get(place=1)
    assert (eriksen.skater.isu_id, eriksen.time, eriksen.start_position, eriksen.helmet) == (
        "STNOR10005",
        "1:27.950",
        3,
        21,
    )
    assert len(eriksen.laps_ms) == 9 and eriksen.laps_ms[0] == 13210
    fontana = final_a.lines.get(skater__family_name="Fontana")
    assert (fontana.place, fontana.status, fontana.warnings) == (None, "PEN", "impeding")
    semifinal = models.RaceResultLine.objects.get(
        result__race__round__kind="semifinals", skater__family_name="Choi"
    )
    assert semifinal.mark == "QB"


def test_each_result_carries_a_revision_saying_who_and_from_where():
    officer = get_user_model().objects.create(username="results-officer")

    import_paths(FILES, user=officer)

    revision = models.RaceResult.objects.first().revision
    assert revision.recorded_by == officer
    assert revision.source.startswith("import race-results.csv sha256:")
    assert len(revision.source.split("sha256:")[1]) == 12
    assert revision.reason == "import of race-results.csv"
    assert len(revision.content_hash) == 64
    assert (
        models.Revision.objects.count()
        == models.RaceResult.objects.count() + models.Ranking.objects.count()
    )


def test_the_relay_team_is_stored_with_its_skaters_and_reserve():
    import_paths(FILES)

    team = models.RelayTeam.objects.get(name="NED")
    skaters = [
        (s.order, s.skater.family_name, s.reserve) for s in team.skaters.select_related("skater")
    ]
    assert skaters == [
        (1, "Dekker", False),
        (2, "Jansen", False),
        (3, "Visser", False),
        (4, "Bos", False),
        (5, "Smit", True),
    ]
    relay_ranking = team.distance_race.rankings.get()
    assert [(line.rank, line.team.name) for line in relay_ranking.lines.order_by("rank")] == [
        (1, "NED"),
        (2, "KOR"),
    ]


def test_progress_is_told_as_records_are_applied():
    calls = []

    import_paths(FILES, progress=lambda label, done, total: calls.append((label, done, total)))

    assert ("reading files", 3, 3) in calls
    assert ("race results", 8, 8) in calls
    assert ("rankings", 2, 2) in calls


def test_a_corrected_final_becomes_a_new_revision_and_the_old_one_stays(tmp_path):
    import_paths(FILES)
    before = table_counts()
    corrected = tmp_path / "corrected.csv"
    text = (SMALL_COMPETITION / "race-results.csv").read_text()
    corrected.write_text(text.replace("1:28.400,,,", "1:28.390,,,"))  # Ito's Final A time

    report = import_paths([corrected])

    assert report.created["race results"] == 1
    assert report.unchanged["race results"] == 7
    assert report.created["rankings"] == 1  # her time is on the ranking line too
    final_a = models.Race.objects.get(round__kind="final_a", round__distance_race=women_1000m())
    assert [r.number for r in final_a.results.order_by("number")] == [1, 2]
    latest = final_a.results.get(number=2)
    assert latest.revision.reason == "import of corrected.csv"
    assert latest.lines.get(skater__family_name="Ito").time == "1:28.390"
    after = table_counts()
    assert after["RaceResult"] == before["RaceResult"] + 1
    assert after["Ranking"] == before["Ranking"] + 1


def test_importing_the_folder_of_files_twice_changes_nothing(tmp_path):
    folder = tmp_path / "competition"
    shutil.copytree(SMALL_COMPETITION, folder)
    import_paths([folder])
    before = table_counts()

    report = import_paths([folder])

    assert table_counts() == before
    assert not report.created and not report.updated


def test_a_skater_imported_again_gets_what_the_file_adds_and_keeps_what_it_leaves_blank(
    tmp_path,
):
    import_paths(FILES)
    choi = models.Skater.objects.get(family_name="Choi")
    adams = models.Skater.objects.get(family_name="Adams")
    skaters = tmp_path / "skaters.csv"
    text = (SMALL_COMPETITION / "skaters.csv").read_text()
    text = text.replace(",Ha-eun,Choi,women,,KOR", ",Ha-eun,Choi,women,2001-05-09,KOR")
    skaters.write_text(text.replace("2000-03-14", ""))  # a blank never erases

    report = import_paths([skaters])

    assert (report.updated["skaters"], report.created["skaters"]) == (1, 0)
    assert report.unchanged["skaters"] == models.Skater.objects.count() - 1
    choi.refresh_from_db()
    adams.refresh_from_db()
    assert (str(choi.birth_date), str(adams.birth_date)) == ("2001-05-09", "2000-03-14")
