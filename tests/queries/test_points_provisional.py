"""Points are flagged provisional wherever the rule they rest on is: the place in the points
table, and also the relay rule for a relay's points and the tie rule for a dead heat's.

2023/24 confirms 100, 80 and 70 for places 1-3 but marks "relays score the same table" and
"tied entrants each get the better place's points" provisional (seasons/2023-24.toml)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shorttrack.cli import app
from shorttrack.queries.races import ranking_rows
from shorttrack.queries.skater import skater_document
from shorttrack.queries.standings import standings, standings_document
from shorttrack.store import models

pytestmark = pytest.mark.django_db


def distance_race(competition, distance):
    return models.DistanceRace.objects.get(competition=competition, distance=distance)


def a_dead_heat_for_first(race):
    """The Final A winner and runner-up given one rank, as a photo finish the referee could
    not part: both rank 1."""
    ranking = race.rankings.order_by("-number").first()
    second = ranking.lines.get(rank=2)
    second.rank = 1
    second.save(update_fields=["rank"])
    return second.skater


def test_a_relay_win_scores_confirmed_points_by_a_provisional_rule(small_competition):
    relay = distance_race(small_competition, "W3000R")

    rows = ranking_rows(relay)

    assert (rows[0].name, rows[0].rank, rows[0].points) == ("NED", 1, 100)
    assert rows[0].points_provisional  # 100 is confirmed; that relays score it is not
    table, loaded = standings(small_competition.season, "W3000R")
    first = standings_document(table, loaded)["rows"][0]["results"][0]
    assert (first["rank"], first["points"], first["points_provisional"]) == (1, 100, True)


def test_a_dead_heat_shares_the_points_of_the_better_place_provisionally(small_competition):
    w1000 = distance_race(small_competition, "W1000")
    before = ranking_rows(w1000)
    assert [(r.rank, r.points, r.points_provisional) for r in before[:3]] == [
        (1, 100, False),
        (2, 80, False),
        (3, 70, False),
    ]

    skater = a_dead_heat_for_first(w1000)
    rows = ranking_rows(w1000)

    assert [(r.rank, r.points, r.points_provisional) for r in rows[:3]] == [
        (1, 100, True),
        (1, 100, True),
        (3, 70, False),  # a place of its own: the confirmed 70
    ]
    table, loaded = standings(small_competition.season, "W1000")
    document = standings_document(table, loaded)
    flags = {row["name"]: row["results"][0]["points_provisional"] for row in document["rows"]}
    assert flags[skater.name] is True
    assert flags[rows[2].name] is False
    results = [
        r
        for season in skater_document(skater)["seasons"]
        for d in season["distances"]
        for r in d["results"]
    ]
    assert [(r["rank"], r["points"], r["points_provisional"]) for r in results] == [(1, 100, True)]


def test_the_ranking_as_text_marks_a_relays_points_provisional(small_competition):
    args = ["ranking", "--season", "2023/24", "--race", "Montreal, 3000m relay"]
    result = CliRunner().invoke(app, [*args, "--gender", "women"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "100*" in result.output and "80*" in result.output
    assert "provisional points" in " ".join(result.output.split())
