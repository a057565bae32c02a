"""A distance whose finals are not in the results is stored incomplete, with the reason;
a podium imported before fills the finalists' ranks it knows."""

from __future__ import annotations

import pytest

from shorttrack.interchange.formats import CSV_HEADERS, OLDER_CSV_HEADERS
from shorttrack.services.imports import import_paths
from shorttrack.store import models

pytestmark = pytest.mark.django_db

NO_FINAL_A = "no Final A in the results: the ranking holds the skaters eliminated before it"
COMPETITION = "1,Salt Lake City,USA,Utah Olympic Oval,America/Denver,2019-11-01,2019-11-03"
SKATERS = [  # family, given, member
    ("SCHULTING", "Suzanne", "NED"),
    ("HAN", "Yu Tong", "CHN"),  # as the ISU pages print her
    ("ZHANG", "Chutong", "CHN"),
    ("CHOI", "Minjeong", "KOR"),
    ("BOUTIN", "Kim", "CAN"),
    ("VALCEPINA", "Martina", "ITA"),
    ("JASZAPATI", "Petra", "HUN"),
    ("FONTANA", "Arianna", "ITA"),
    ("KIM", "Alang", "KOR"),
    ("SAROULT", "Kim", "CAN"),
]
# Two semifinals: first two QA, 3rd and 4th QB, 5th out; the Final B is skated.
SEMIS = [
    [(0, "QA"), (1, "QA"), (4, "QB"), (5, "QB"), (8, "")],
    [(2, "QA"), (3, "QA"), (6, "QB"), (7, "QB"), (9, "")],
]
FINAL_B = [7, 4, 6, 5]


def name(i: int) -> str:
    family, given, _ = SKATERS[i]
    return f"{family} {given}"


def files(tmp_path, with_final_b: bool = True):
    (tmp_path / "calendar.csv").write_text(
        ",".join(CSV_HEADERS["calendar"])
        + f"\n2019/20,,,{COMPETITION},women,1000m,2019-11-02T14:00\n"
    )
    (tmp_path / "skaters.csv").write_text(
        "isu_id,given_name,family_name,gender,birth_date,member\n"
        + "".join(f",{g},{f.title()},women,,{m}\n" for f, g, m in SKATERS)
    )
    rows = [",".join(OLDER_CSV_HEADERS["race_results"])]

    def row(kind, number, place, i, mark, time):
        return (
            f"2019/20,1,women,1000m,{kind},{number},2019-11-02T13:{10 + number}:00,{place},"
            f"{place},,,{name(i)},,{SKATERS[i][2]},,,{time},{mark},,"
        )

    for number, race in enumerate(SEMIS, start=1):
        for place, (i, mark) in enumerate(race, start=1):
            rows.append(row("semifinals", number, place, i, mark, f"1:30.{number}{place}0"))
    if with_final_b:
        for place, i in enumerate(FINAL_B, start=1):
            rows.append(row("final_b", 1, place, i, "", f"1:31.{place}00"))
    (tmp_path / "results.csv").write_text("\n".join(rows) + "\n")
    return [tmp_path / n for n in ("calendar.csv", "skaters.csv", "results.csv")]


def latest_ranking() -> models.Ranking:
    return models.Ranking.objects.filter(distance_race__distance="W1000").order_by("-number")[0]


def table(ranking):
    return [
        (line.rank, line.skater.family_name.upper(), line.final, line.final_place)
        for line in ranking.lines.select_related("skater").order_by("id")
    ]


def test_without_its_final_a_the_ranking_is_incomplete_and_says_why(tmp_path):
    report = import_paths(files(tmp_path))

    assert report.created["rankings"] == 1
    ranking = latest_ranking()
    assert (ranking.basis, ranking.complete) == ("races", False)
    assert ranking.incomplete_reason == NO_FINAL_A
    assert table(ranking) == [
        (None, "SCHULTING", "A", None),
        (None, "HAN", "A", None),
        (None, "ZHANG", "A", None),
        (None, "CHOI", "A", None),
        (5, "FONTANA", "B", 1),
        (6, "BOUTIN", "B", 2),
        (7, "JASZAPATI", "B", 3),
        (8, "VALCEPINA", "B", 4),
        (9, "KIM", "", None),
        (10, "SAROULT", "", None),
    ]
    assert import_paths(files(tmp_path)).created["rankings"] == 0  # again: unchanged


def test_without_any_final_the_final_b_skaters_are_unranked_too(tmp_path):
    import_paths(files(tmp_path, with_final_b=False))

    ranking = latest_ranking()
    assert ranking.incomplete_reason == (
        "no Final A or Final B in the results: the ranking holds the skaters eliminated before them"
    )
    assert [r for r, *_ in table(ranking)] == [None] * 8 + [9, 10]


def test_a_podium_imported_before_fills_the_ranks_it_knows(tmp_path):
    calendar, skaters, results = files(tmp_path)
    podium = tmp_path / "podium.csv"
    podium.write_text(
        ",".join(CSV_HEADERS["rankings"])
        + "\n"
        + "".join(
            f"2019/20,1,women,1000m,2019-11-02T14:10,{rank},{name(i)},,{SKATERS[i][2]},,A,{rank},,,\n"
            for rank, i in ((1, 0), (2, 1), (3, 2))
        )
    )
    import_paths([calendar, skaters, podium])
    import_paths([results])

    ranking = latest_ranking()
    assert (ranking.basis, ranking.complete, ranking.incomplete_reason) == (
        "races",
        False,
        NO_FINAL_A,
    )
    assert table(ranking)[:5] == [
        (None, "CHOI", "A", None),
        (1, "SCHULTING", "A", 1),
        (2, "HAN", "A", 2),
        (3, "ZHANG", "A", 3),
        (5, "FONTANA", "B", 1),
    ]


def test_the_2019_20_podium_adapter_completes_the_podium_of_a_ranking_from_races(tmp_path):
    from pathlib import Path

    from shorttrack.interchange import worldcup_2019_20
    from shorttrack.services.imports import import_records

    calendar, skaters, results = files(tmp_path)
    import_paths([calendar, skaters])
    fixture = Path(__file__).parent.parent / "fixtures" / "worldcup-2019-20" / "podiums.csv"
    import_records(worldcup_2019_20.read_file(fixture))
    import_paths([results])

    ranking = latest_ranking()
    assert (ranking.complete, ranking.incomplete_reason) == (False, NO_FINAL_A)
    assert [(rank, family) for rank, family, *_ in table(ranking)][:4] == [
        (None, "CHOI"),  # penalised in Final A by the report: no rank given
        (1, "SCHULTING"),
        (2, "HAN"),
        (3, "ZHANG"),
    ]


def test_the_ranking_command_says_why_the_ranking_is_incomplete(tmp_path):
    import json

    from typer.testing import CliRunner

    from shorttrack.cli import app

    import_paths(files(tmp_path))
    args = ["ranking", "--season", "2019/20", "--race", "Salt Lake City, 1000m"]
    args += ["--gender", "women"]

    shown = CliRunner().invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert f"incomplete: {NO_FINAL_A}" in " ".join(shown.output.split())
    assert "FONTANA" in shown.output

    document = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).output)
    assert (document["complete"], document["incomplete_reason"]) == (False, NO_FINAL_A)
    assert [row["rank"] for row in document["rows"]] == [5, 6, 7, 8, 9, 10, None, None, None, None]
    assert {row["final"] for row in document["rows"][6:]} == {"A"}


def test_the_ranking_command_without_any_ranking_says_so(tmp_path):
    from typer.testing import CliRunner

    from shorttrack.cli import app

    calendar, skaters, _ = files(tmp_path)
    import_paths([calendar, skaters])
    args = ["ranking", "--season", "2019/20", "--race", "Salt Lake City, 1000m"]
    shown = CliRunner().invoke(app, [*args, "--gender", "women"])
    assert shown.exit_code == 0, shown.output
    assert "no ranking of the Women's 1000m yet: its results hold no final" in shown.output


def test_the_competition_page_and_the_api_show_the_reason(tmp_path, client):
    import_paths(files(tmp_path))

    document = client.get("/api/seasons/2019-20/competitions/1").json()
    ranking = document["distances"][0]["ranking"]
    assert (ranking["complete"], ranking["incomplete_reason"]) == (False, NO_FINAL_A)

    html = client.get("/seasons/2019-20/competitions/1/").content.decode()
    assert f"Incomplete: {NO_FINAL_A}." in html


def test_a_podium_in_the_same_import_fills_the_ranks_it_knows(tmp_path):
    from pathlib import Path

    from shorttrack.interchange import worldcup_2019_20
    from shorttrack.interchange.reading import read_paths
    from shorttrack.services.imports import import_records

    records = read_paths(files(tmp_path))
    fixture = Path(__file__).parent.parent / "fixtures" / "worldcup-2019-20" / "podiums.csv"
    records.extend(worldcup_2019_20.read_file(fixture))
    import_records(records)

    assert [(rank, family) for rank, family, *_ in table(latest_ranking())][1:4] == [
        (1, "SCHULTING"),
        (2, "HAN"),
        (3, "ZHANG"),
    ]


def test_a_podium_imported_after_the_races_fills_the_ranks_it_knows(tmp_path):
    """The order of imports does not matter: the ranking stays the one computed from the
    races, with the podium's ranks filled in, never the podium alone."""
    from pathlib import Path

    from shorttrack.interchange import worldcup_2019_20
    from shorttrack.services.imports import import_records

    import_paths(files(tmp_path))
    eliminated = [row for row in table(latest_ranking()) if row[0] and row[0] > 3]
    fixture = Path(__file__).parent.parent / "fixtures" / "worldcup-2019-20" / "podiums.csv"
    import_records(worldcup_2019_20.read_file(fixture))

    ranked = table(latest_ranking())
    assert [(rank, family) for rank, family, *_ in ranked][1:4] == [
        (1, "SCHULTING"),
        (2, "HAN"),
        (3, "ZHANG"),
    ]
    assert [row for row in ranked if row[0] and row[0] > 3] == eliminated
    assert latest_ranking().complete is False
