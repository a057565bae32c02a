"""Export a season and import it back: the same database state, the same standings."""

from __future__ import annotations

import json

import pytest

from shorttrack.interchange.export import export_season
from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.support import SMALL_COMPETITION, standings_points, table_counts

pytestmark = pytest.mark.django_db

COMPETITION_FILES = [
    SMALL_COMPETITION / name for name in ("calendar.csv", "skaters.csv", "race-results.csv")
]


def empty_the_database() -> None:
    for table in (
        models.RankingLine,
        models.Ranking,
        models.RaceResultLine,
        models.RaceResult,
        models.Revision,
        models.RelayTeamSkater,
        models.RelayTeam,
        models.Race,
        models.Round,
        models.DistanceRace,
        models.Competition,
        models.Season,
        models.Skater,
        models.Member,
    ):
        table.objects.all().delete()


def race_sheets() -> list[tuple]:
    """Every line of every latest race result, as content (no ids)."""
    sheets = []
    for line in models.RaceResultLine.objects.select_related(
        "result__race__round", "skater", "team", "member"
    ):
        result = line.result
        if result.race.results.order_by("-number").first() != result:
            continue
        sheets.append(
            (
                result.race.round.kind,
                result.race.number,
                result.official_at,
                line.place,
                line.dead_heat,
                line.skater.key if line.skater else None,
                line.team.name if line.team else None,
                line.member.code,
                line.time_ms,
                line.status,
                line.mark,
                line.warnings,
                tuple(line.laps_ms),
            )
        )
    return sorted(sheets, key=repr)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_what_is_exported_imports_back_without_changing_anything(tmp_path, data_2022_23, fmt):
    import_paths([data_2022_23])
    import_paths(COMPETITION_FILES)
    before = table_counts()

    written = export_season("2022/23", tmp_path, fmt) + export_season("2023/24", tmp_path, fmt)
    report = import_paths(written)

    assert table_counts() == before
    assert not report.created and not report.updated
    assert report.unchanged["race results"] == 8
    assert report.unchanged["rankings"] == 62 + 2


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_what_is_exported_gives_the_same_standings_in_an_empty_database(
    tmp_path, data_2022_23, fmt
):
    import_paths([data_2022_23])
    import_paths(COMPETITION_FILES)
    standings = {season: standings_points(season) for season in ("2022/23", "2023/24")}
    sheets = race_sheets()
    written = export_season("2022/23", tmp_path, fmt) + export_season("2023/24", tmp_path, fmt)

    empty_the_database()
    import_paths(written)

    assert {season: standings_points(season) for season in ("2022/23", "2023/24")} == standings
    assert race_sheets() == sheets
    assert models.RelayTeamSkater.objects.filter(reserve=True).get().skater.family_name == "Smit"


def test_the_json_export_is_one_document_with_a_kind_per_record_set(tmp_path):
    import_paths(COMPETITION_FILES)

    [path] = export_season("2023/24", tmp_path)

    document = json.loads(path.read_text())
    assert (path.name, document["format"], document["version"]) == (
        "season-2023-24.json",
        "shorttrack-interchange",
        2,
    )
    assert [s["kind"] for s in document["sets"]] == [
        "calendar",
        "skaters",
        "race_results",
        "race_results",
    ]
    women_1000 = document["sets"][2]
    assert (women_1000["gender"], women_1000["race"]) == ("women", "1000m (1)")
    assert [r["round"] for r in women_1000["rounds"]] == [
        "heats",
        "semifinals",
        "final_b",
        "final_a",
    ]
    final_a = women_1000["rounds"][3]["races"][0]
    assert final_a["official_at"] == "2023-10-21T14:12:00-04:00"
    assert final_a["lines"][0]["name"] == "ERIKSEN Ida"
    assert final_a["lines"][-1] == {
        "start_position": 2,
        "warnings": "impeding",
        "helmet": 22,
        "name": "FONTANA Sara",
        "member": "ITA",
        "mark": "PEN",
    }


def test_the_csv_export_writes_one_file_per_kind(tmp_path):
    import_paths(COMPETITION_FILES)

    written = export_season("2023/24", tmp_path, "csv")

    assert [p.name for p in written] == [
        "season-2023-24-calendar.csv",
        "season-2023-24-skaters.csv",
        "season-2023-24-race-results.csv",
    ]
    relay = [row for row in written[2].read_text().splitlines() if ",NED,NED," in row]
    assert relay == [
        "2023/24,1,women,3000m relay,final_a,1,2023-10-22T15:10:00-04:00,1,1,,,,,NED,NED,"
        "DEKKER Femke; JANSEN Anouk; VISSER Noor; BOS Lotte; SMIT Eva,,4:05.120,,,,,"
    ]


def test_an_unknown_season_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown season '1999/00'"):
        export_season("1999/00", tmp_path)


def test_a_cell_a_spreadsheet_would_run_is_exported_as_text_and_imports_back_as_it_was(
    tmp_path,
):
    """A venue named like a formula (=, +, -, @) opens in a spreadsheet as text: the
    cell is written with a leading apostrophe, and reading it back gives the name."""
    import_paths(COMPETITION_FILES)
    hostile = {
        '=HYPERLINK("http://evil.example","results")': "venue",
        "+Montreal": "city",
        "@SUM(A1:A9)": "name",
    }
    competition = models.Competition.objects.get(season__key="2023/24", number=1)
    competition.venue = '=HYPERLINK("http://evil.example","results")'
    competition.city = "+Montreal"
    competition.save()
    models.Season.objects.filter(key="2023/24").update(name="@SUM(A1:A9)")

    written = export_season("2023/24", tmp_path, "csv")

    calendar = written[0].read_text()
    assert "\n2023/24,'@SUM(A1:A9)," in calendar
    assert ',\'+Montreal,CAN,"\'=HYPERLINK(""http://evil.example"",""results"")",' in calendar
    empty_the_database()
    import_paths(written)
    competition = models.Competition.objects.get(season__key="2023/24", number=1)
    assert (competition.venue, competition.city, competition.season.name) == tuple(hostile)


def test_the_json_export_carries_each_competition_s_history_and_an_import_compares_it(tmp_path):
    import_paths(COMPETITION_FILES)
    competition = models.Competition.objects.get(season__key="2023/24", number=1)
    newest = models.HistoryLink.objects.filter(competition=competition).latest("sequence")
    [path] = export_season("2023/24", tmp_path, "json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["history"] == [
        {"season": "2023/24", "competition": 1, "links": newest.sequence, "head": newest.digest}
    ]

    # Into the database it came from: the same history, nothing written.
    again = import_paths([path])
    assert "the history of 2023/24 World Cup 1 is the one exported" in again.summary()
    assert models.HistoryLink.objects.filter(competition=competition).count() == newest.sequence

    # A file whose history is another one says so.
    document["history"][0]["head"] = "0" * 64
    other = tmp_path / "other.json"
    other.write_text(json.dumps(document), encoding="utf-8")
    assert "warning: the history of 2023/24 World Cup 1 here is not the one exported" in (
        import_paths([other]).summary()
    )

    # Into an empty database the history starts afresh.
    empty_the_database()
    fresh = import_paths([path])
    assert (
        f"the history of 2023/24 World Cup 1 starts here (exported with {newest.sequence} links)"
        in (fresh.summary())
    )


@pytest.mark.parametrize(
    ("history", "field"),
    [
        ({"season": "2023/24", "competition": 1, "links": 3, "head": "xyz"}, "history.head"),
        (
            {"season": "2023/24", "competition": 0, "links": 3, "head": "a" * 64},
            "history.competition",
        ),
        ({"season": "2023/24", "competition": 1, "links": "3", "head": "a" * 64}, "history.links"),
        ({"season": "2023/24", "competition": 1, "links": 3}, "history"),
    ],
)
def test_a_bad_history_in_a_file_is_refused_naming_the_field(tmp_path, history, field):
    from shorttrack.services.imports import ImportRejected

    import_paths(COMPETITION_FILES)
    [path] = export_season("2023/24", tmp_path, "json")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["history"] = [history]
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    before = table_counts()
    with pytest.raises(ImportRejected) as refused:
        import_paths([path])
    assert [error.field for error in refused.value.errors] == [field]
    assert table_counts() == before
