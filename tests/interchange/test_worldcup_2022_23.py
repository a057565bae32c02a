"""The adapter for the shared real 2022/23 data folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from shorttrack.interchange import worldcup_2022_23 as adapter
from shorttrack.interchange.reading import read_paths


@pytest.mark.parametrize(
    ("written", "member", "given", "family"),
    [
        ("Lee June-seo", "KOR", "June-seo", "Lee"),
        ("Kim Gil-li", "KOR", "Gil-li", "Kim"),
        ("Lin Xiaojun", "CHN", "Xiaojun", "Lin"),
        ("Jens van 't Wout", "NED", "Jens", "van 't Wout"),
        ("Yara van Kerkhof", "NED", "Yara", "van Kerkhof"),
        ("Steven Dubois", "CAN", "Steven", "Dubois"),
        ("Jordan Pierre-Gilles", "CAN", "Jordan", "Pierre-Gilles"),
        ("Kazuki Yoshinaga", "JPN", "Kazuki", "Yoshinaga"),
    ],
)
def test_names_are_split_into_given_and_family_name(written, member, given, family):
    assert adapter.split_name(written, member) == (given, family)


def finals_day(number: int, gender: str, label: str) -> str:
    return adapter.finals_schedule()[(number, gender, label)].strftime("%a")


def test_the_finals_table_puts_each_race_on_its_reported_day():
    assert {
        finals_day(1, g, label) for g in ("women", "men") for label in ("1500m", "1000m (1)")
    } == {"Sat"}
    assert {
        finals_day(1, g, label) for g in ("women", "men") for label in ("500m", "1000m (2)")
    } == {"Sun"}
    assert {
        finals_day(5, g, label) for g in ("women", "men") for label in ("1000m", "1500m (1)")
    } == {"Sat"}
    assert {
        finals_day(5, g, label) for g in ("women", "men") for label in ("500m", "1500m (2)")
    } == {"Sun"}
    assert {
        finals_day(6, g, label) for g in ("women", "men") for label in ("1000m (1)", "1500m")
    } == {"Sat"}
    assert {
        finals_day(6, g, label) for g in ("women", "men") for label in ("1000m (2)", "500m")
    } == {"Sun"}
    for number, doubled in ((2, "500m"), (3, "1500m"), (4, "500m")):
        assert (
            finals_day(number, "men", f"{doubled} (1)"),
            finals_day(number, "men", f"{doubled} (2)"),
        ) == ("Sat", "Sun")
    for number in range(1, 7):
        assert (
            finals_day(number, "women", "3000m relay"),
            finals_day(number, "men", "5000m relay"),
        ) == ("Sun", "Sun")
    assert (
        finals_day(1, "mixed", "2000m mixed relay")
        == finals_day(2, "mixed", "2000m mixed relay")
        == "Sat"
    )


def test_no_two_finals_of_a_competition_at_the_same_time():
    times = list(adapter.finals_schedule().values())
    assert len(times) == len(set(times))


def test_the_folder_reads_into_calendar_skaters_and_rankings(data_2022_23):
    records = read_paths([data_2022_23])

    assert records.errors == []
    assert sorted({(c.number, c.city, c.time_zone) for c in records.competitions}) == [
        (1, "Montreal", "America/Toronto"),
        (2, "Salt Lake City", "America/Denver"),
        (3, "Almaty", "Asia/Almaty"),
        (4, "Almaty", "Asia/Almaty"),
        (5, "Dresden", "Europe/Berlin"),
        (6, "Dordrecht", "Europe/Amsterdam"),
    ]
    montreal = next(c for c in records.competitions if c.number == 1)
    assert (montreal.start_date, montreal.end_date) == (date(2022, 10, 28), date(2022, 10, 30))
    assert len(records.distance_races) == 62
    assert [f.name for f in records.files] == [
        "events.csv",
        "results.csv",
        "worldcup-2022-23-supplement.csv",
    ]


def test_relay_rows_rank_the_nation_and_final_b_rows_keep_their_place(data_2022_23):
    records = read_paths([data_2022_23 / "results.csv"])

    relay = next(
        r
        for r in records.ranking_lines
        if r.distance == "W3000R" and r.competition == 6 and r.rank == 2
    )
    assert (relay.member, relay.name, relay.team) == ("HUN", "", "")
    kim_gun_hee = next(r for r in records.ranking_lines if r.name == "KIM Gun-hee")
    assert (kim_gun_hee.rank, kim_gun_hee.final, kim_gun_hee.final_place, kim_gun_hee.time_ms) == (
        None,
        "B",
        7,
        168018,
    )
    assert kim_gun_hee.note == "7th of 7 in Final B; source S36"


def test_the_supplement_is_in_our_rankings_format_with_a_source_on_every_row():
    records = read_paths([adapter.SUPPLEMENT])

    assert records.errors == []
    assert [
        (r.competition, r.distance, r.instance, r.rank, r.name, r.status.value)
        for r in records.ranking_lines
    ] == [
        (1, "M1500", None, 6, "DION Pascal", "finished"),
        (2, "W500", 1, 8, "VELZEBOER Xandra", "PEN"),
        (2, "W500", 1, 9, "SCHULTING Suzanne", "PEN"),
    ]
    assert all(
        r.note.startswith("source: shared/rules/research-notes.md 1.1")
        for r in records.ranking_lines
    )


OTHER_SEASON = Path(__file__).parent.parent / "fixtures" / "worldcup-2022-23-other-season"


def test_rows_of_another_season_are_refused_naming_file_line_and_field():
    records = read_paths([OTHER_SEASON / "results.csv"])

    assert records.ranking_lines == []
    assert [(e.line, e.field) for e in records.errors] == [
        (2, "season"),
        (3, "season"),
        (4, "season"),
    ]
    first = records.errors[0]
    assert first.file.endswith("results.csv")
    assert "'2023/24' is not 2022/23" in first.reason
    assert str(first).startswith(f"{first.file}:2: season: ")


@pytest.mark.django_db
def test_another_seasons_rows_never_replace_the_real_podium(data_2022_23):
    from shorttrack.services.imports import ImportRejected, import_paths
    from shorttrack.store import models

    import_paths([data_2022_23])
    before = models.Ranking.objects.count()

    with pytest.raises(ImportRejected) as refused:
        import_paths([OTHER_SEASON / "results.csv"])

    assert "results.csv: lines 2-4 (3 lines): season: '2023/24' is not 2022/23" in str(
        refused.value
    )
    assert [e.line for e in refused.value.errors] == [2, 3, 4]
    assert models.Ranking.objects.count() == before
    race = models.DistanceRace.objects.get(
        competition__season__key="2022/23", competition__number=1, distance="M500"
    )
    latest = race.rankings.order_by("-number").first()
    podium = [(line.rank, line.skater.family_name) for line in latest.lines.order_by("rank")][:3]
    assert podium == [(1, "Dubois"), (2, "Lee"), (3, "Sighel")]
