"""Format version 2 holds a race as the ISU results pages print it: each relay line with
the four who skated that race (by ISU id), lap data as the timing recorded it (lap time,
elapsed time, position), the marks qA/ADA, and each round's printed progression text. It
reads into the store, exports and reads back with nothing lost, and a second import
changes nothing."""

from __future__ import annotations

import pytest

from shorttrack.interchange.export import export_season
from shorttrack.services.imports import ImportRejected, import_paths
from shorttrack.store import models
from tests.interchange.test_round_trip import empty_the_store
from tests.support import FIXTURES, table_counts

pytestmark = pytest.mark.django_db

FIXTURE = FIXTURES / "format-v2"
FILES = [FIXTURE / n for n in ("calendar.csv", "skaters.csv", "rounds.csv", "race-results.csv")]


def line_of(family: str, kind: str = "heats") -> models.RaceResultLine:
    return models.RaceResultLine.objects.get(
        result__race__round__kind=kind, skater__family_name=family
    )


def relay_line(team: str, kind: str) -> models.RaceResultLine:
    return models.RaceResultLine.objects.get(result__race__round__kind=kind, team__name=team)


def skated(line: models.RaceResultLine) -> list[tuple[str, str]]:
    return [(s.skater.isu_id, s.skater.family_name) for s in line.skaters.all()]


def stored_season() -> dict:
    """Everything the files said, as stored (no row ids)."""
    lines = models.RaceResultLine.objects.select_related(
        "result__race__round", "skater", "team"
    ).order_by("result__race__round__order", "result__race__number", "place")
    return {
        "lines": [
            (
                line.result.race.round.kind,
                line.place,
                line.skater.key if line.skater else line.team.name,
                line.time_ms,
                line.mark,
                line.laps_ms,
                line.lap_elapsed_ms,
                line.lap_positions,
                [s.skater.key for s in line.skaters.all()],
            )
            for line in lines
        ],
        "rounds": sorted(
            (r.distance_race.distance, r.kind, r.order, r.progression, r.note)
            for r in models.Round.objects.select_related("distance_race")
        ),
    }


def test_laps_are_stored_as_the_timing_recorded_them():
    import_paths(FILES)

    park = line_of("Park")
    assert park.laps_ms[:3] == [13_390, 10_680, 9_860]
    assert park.lap_elapsed_ms[-1] == 90_400  # the sheet's 1:30.40 for a finish of 1:30.409
    assert park.lap_positions == [1, 1, 2, 2, 2, 2, 2, 2, 2]
    # Breeuwsma led from lap 7: as recorded, not recomputed from the lap times
    assert line_of("Breeuwsma").lap_positions[5:] == [3, 1, 1, 1]
    assert (park.mark, line_of("Breeuwsma").mark, line_of("Nemiro").mark) == ("q", "Q", "")


def test_each_relay_race_keeps_the_four_who_skated_it():
    import_paths(FILES)

    assert skated(relay_line("NED", "semifinals"))[-1] == ("7704", "Bos")
    assert skated(relay_line("NED", "final_a"))[-1] == ("7705", "Smit")
    assert skated(relay_line("KOR", "final_a"))[-1] == ("8806", "Kim")
    assert relay_line("KOR", "semifinals").mark == "ADA"
    roster = models.RelayTeam.objects.get(name="NED").skaters.all()
    assert [s.skater.family_name for s in roster] == ["Dekker", "Jansen", "Visser", "Bos", "Smit"]


def test_two_skaters_of_one_name_are_kept_apart_by_isu_id_and_gender():
    import_paths(FILES)

    parks = models.Skater.objects.filter(family_name="Park", given_name="Ji-won")
    assert sorted((s.isu_id, s.gender) for s in parks) == [("8801", "women"), ("8802", "men")]
    assert line_of("Park").skater.isu_id == "8802"  # the man skated the men's 1000m
    assert skated(relay_line("KOR", "semifinals"))[0] == ("8801", "Park")


def test_rounds_keep_their_progression_text_and_a_cancelled_round_its_note():
    import_paths(FILES)

    heats = models.Round.objects.get(kind="heats")
    assert heats.progression.startswith("The first placed skater from each race")
    cancelled = models.Round.objects.get(kind="rep_quarterfinals")
    assert (cancelled.note, cancelled.races.count()) == ("this round has been cancelled", 0)
    # the repechage round takes its place between the heats and what follows
    assert heats.order < cancelled.order


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_reads_back_with_nothing_lost(tmp_path, fmt):
    import_paths(FILES)
    before = stored_season()
    written = export_season("2023/24", tmp_path, fmt)

    empty_the_store()
    import_paths(written)
    assert stored_season() == before

    again = import_paths(written)
    assert "created" not in again.summary() and "updated" not in again.summary()


def test_impossible_lap_data_is_refused_naming_the_line_and_nothing_is_written(tmp_path):
    """The Dresden 2020 page that printed a 500 m heat twice, read as one line: 10 laps
    summing to 87.96 s for a finish of 43.982."""
    import_paths(FILES[:2])
    laps = "9.01; 8.45; 8.80; 8.93; 8.79; 9.01; 8.45; 8.80; 8.93; 8.79"
    (tmp_path / "calendar.csv").write_text(
        (FIXTURE / "calendar.csv").read_text() + "2023/24,,,1,Dordrecht,NED,Sportboulevard,"
        "Europe/Amsterdam,2024-02-09,2024-02-11,women,500m,2024-02-10T15:00\n"
    )
    header = (FIXTURE / "race-results.csv").read_text().splitlines()[0]
    results = tmp_path / "results.csv"
    results.write_text(
        f"{header}\n2023/24,1,women,500m,heats,1,,1,1,,,PARK Ji-won,8801,KOR,,,,43.982,Q,"
        f"{laps},,,\n"
    )
    before = table_counts()

    with pytest.raises(ImportRejected) as refused:
        import_paths([tmp_path / "calendar.csv", results])

    assert [str(e).replace(f"{tmp_path}/", "") for e in refused.value.errors] == [
        "results.csv:2: laps: 10 laps summing to 87.96 s for a finish of 43.982: "
        "a 500m has 4.5 laps (5 recorded)"
    ]
    assert table_counts() == before


def test_a_line_without_an_isu_id_finds_the_namesake_of_the_races_gender(tmp_path):
    import_paths(FILES[:2])
    header = (FIXTURE / "race-results.csv").read_text().splitlines()[0]
    results = tmp_path / "results.csv"
    results.write_text(
        f"{header}\n2023/24,1,men,1000m,final_a,1,2024-02-11T15:10,1,1,,,PARK Ji-won,,KOR,,,,"
        "1:25.101,,,,,\n"
    )

    import_paths([results])

    line = models.RaceResultLine.objects.get(result__race__round__kind="final_a")
    assert (line.skater.isu_id, line.skater.gender) == ("8802", "men")
