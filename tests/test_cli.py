"""The `shorttrack` command line, as a newcomer would use it on the real 2022/23 season."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from shorttrack.cli import app
from shorttrack.services.imports import import_paths
from shorttrack.store.models import Ranking

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def season(data_2022_23):
    import_paths([data_2022_23])


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_overall_standings_as_a_table(season):
    result = run(
        "standings", "--season", "2022/23", "--classification", "overall", "--gender", "women"
    )
    assert result.exit_code == 0
    assert "Women's overall (Crystal Globe)" in result.output
    assert "SCHULTING Suzanne" in result.output and "1062" in result.output
    assert "provisional" in result.output


def test_standings_just_after_a_race_as_json(season):
    result = run(
        "standings",
        "--season",
        "2022/23",
        "--classification",
        "overall",
        "--gender",
        "women",
        "--after",
        "Salt Lake City, 500m (1)",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    rows = {row["name"]: row for row in document["rows"]}
    # Saturday's 500m (1): Velzeboer's 8th place (36) on top of Montreal's 200.
    assert rows["VELZEBOER Xandra"]["points"] == 236
    assert document["as_of"].startswith("2022-11-0")
    breakdown = {r["race"]: r["points"] for r in rows["VELZEBOER Xandra"]["results"]}
    assert breakdown["Salt Lake City, Women's 500m (1)"] == 36


def test_standings_as_of_a_moment_as_csv(season):
    result = run(
        "standings",
        "--season",
        "2022/23",
        "--classification",
        "overall",
        "--gender",
        "men",
        "--as-of",
        "2022-10-31T00:00",
        "--format",
        "csv",
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "rank,name,nation,points,behind_leader,behind_next"
    assert lines[1] == "1,DUBOIS Steven,CAN,180,0,0"
    assert lines[2] == "2,HONG Kyung Hwan,KOR,150,30,30"


def test_relay_standings_rank_nations(season):
    result = run(
        "standings",
        "--season",
        "2022/23",
        "--classification",
        "relay",
        "--gender",
        "men",
        "--format",
        "json",
    )
    document = json.loads(result.output)
    assert document["title"] == "Men's 5000m relay"
    assert document["rows"][0]["name"] == "Canada"


def test_the_final_ranking_of_a_race_with_points(season):
    result = run(
        "ranking",
        "--season",
        "2022/23",
        "--race",
        "Salt Lake City, 500m (1)",
        "--gender",
        "women",
        "--format",
        "csv",
    )
    assert result.exit_code == 0
    rows = result.output.splitlines()
    assert rows[0] == "rank,name,nation,final,final_place,time,status,points"
    assert rows[-2:] == ["8,VELZEBOER Xandra,NED,A,,,PEN,36", "9,SCHULTING Suzanne,NED,A,,,PEN,32"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["standings", "--season", "1999/00"], "unknown season '1999/00'"),
        (
            ["standings", "--season", "2022/23", "--classification", "800m", "--gender", "women"],
            "unknown distance '800m' for women",
        ),
        (["standings", "--season", "2022/23", "--classification", "overall"], "needs a gender"),
        (
            ["standings", "--season", "2022/23", "--gender", "men", "--as-of", "yesterday"],
            "is not a moment",
        ),
        (
            ["standings", "--season", "2022/23", "--gender", "men", "--after", "Almaty, 500m (1)"],
            "'Almaty' names 2 competitions of 2022/23",
        ),
        (
            ["ranking", "--season", "2022/23", "--race", "Montreal, 1500m (2)", "--gender", "men"],
            "no 1500m (2) for men at Montreal 1",
        ),
    ],
)
def test_mistakes_get_a_clear_error_and_exit_code_2(season, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_import_refuses_a_bad_file_and_names_the_line(tmp_path, season):
    bad = tmp_path / "rankings.csv"
    bad.write_text(
        "season,competition,gender,race,official_at,rank,name,isu_id,member,team,final,final_place,time,status,note\n"
        "2022/23,1,women,500m,,1,VELZEBOER Xandra,,NED,,A,1,4l.2,,\n"
    )
    before = Ranking.objects.count()
    result = runner.invoke(app, ["import", str(bad)])
    assert result.exit_code == 2
    assert "rankings.csv:2: time:" in " ".join(result.output.split())
    assert Ranking.objects.count() == before


def test_export_then_import_changes_nothing(tmp_path, season):
    result = run("export", "--season", "2022/23", "--output", str(tmp_path), "--format", "csv")
    assert result.exit_code == 0
    before = Ranking.objects.count()
    result = run("import", *sorted(str(p) for p in tmp_path.iterdir()))
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output
    assert Ranking.objects.count() == before
