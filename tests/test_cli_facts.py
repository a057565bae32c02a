"""`shorttrack facts` and `shorttrack globe`, as a press officer would use them on 2022/23."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from shorttrack.cli import app
from shorttrack.queries.facts import forget_loaded_facts
from shorttrack.services.imports import import_paths

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def season(data_2022_23):
    forget_loaded_facts()
    import_paths([data_2022_23])
    yield
    forget_loaded_facts()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200"})


def test_the_summary_of_a_session(season):
    result = run("facts", "--season", "2022/23", "--competition", "Almaty 3", "--day", "2022-12-10")
    assert result.exit_code == 0
    assert "World Cup 3, Almaty: finals of Saturday 10 December 2022" in result.output
    text = " ".join(result.output.split())
    assert (
        "Jens van 't Wout (NED) won the men's 1000m, his third World Cup win of the season" in text
    )


def test_the_facts_of_one_race_as_json(season):
    result = run(
        "facts",
        "--season",
        "2022/23",
        "--race",
        "Almaty 3, 1000m",
        "--gender",
        "men",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["race"]["name"] == "Almaty, Men's 1000m"
    wins = [f for f in document["facts"] if f["kind"] == "season_wins"]
    assert [f["values"]["n"] for f in wins] == [3]


def test_a_day_without_finals_names_the_days_there_are(season):
    result = run("facts", "--season", "2022/23", "--competition", "Almaty 3", "--day", "2022-12-09")
    assert result.exit_code == 2
    assert "finals days are 2022-12-10, 2022-12-11" in result.output


def test_the_race_for_the_globe_before_dordrecht(season):
    result = run("globe", "--season", "2022/23", "--gender", "men", "--after", "Dresden, 1500m (2)")
    assert result.exit_code == 0
    assert "PARK Ji Won" in result.output and "alive" in result.output
    assert (
        "Park Ji Won clinches the men's Crystal Globe in the 1000m (1) in Dordrecht if he "
        "finishes ahead of Hong Kyung Hwan." in " ".join(result.output.split())
    )


def test_the_race_for_the_globe_as_json_after_the_season(season):
    result = run("globe", "--season", "2022/23", "--gender", "women", "--format", "json")
    document = json.loads(result.output)
    assert document["contenders"][0]["verdict"] == "won"
    assert document["remaining"] == []
