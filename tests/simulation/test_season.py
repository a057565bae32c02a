"""A simulated competition runs through the officials' services from entries to points."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest

from shorttrack.queries.standings import standings
from shorttrack.services.errors import Invalid
from shorttrack.simulation.season import simulate_season
from shorttrack.store.models import DistanceRace, Race, RaceResultLine, Ranking, Season, Skater
from tests.support import REPO, shared_data


def final_a_winner(distance: str) -> RaceResultLine:
    final = Race.objects.get(round__distance_race__distance=distance, round__kind="final_a")
    return final.results.order_by("-number").first().lines.get(place=1)


@pytest.mark.django_db
# A whole simulated competition through every service, as the demo builds it: run once
# (the SQLite pass); PostgreSQL's own paths are covered by the services' tests.
@pytest.mark.sqlite_only
def test_a_simulated_competition_is_raced_to_official_rankings_like_a_real_one():
    """One competition of all nine distances, raced as the officials would race it (one
    test: simulating is the expensive part)."""
    report = simulate_season("2025/26", seed=7, competitions=1, per_gender=130)

    # Every race with starters is official, every distance ranked from its races.
    assert report.competitions == 1 and report.races > 120
    skated = Race.objects.filter(start_list__isnull=False).distinct()
    assert set(skated.values_list("status", flat=True)) == {"official"}
    # A race nobody qualified for (a Final B emptied by falls) is not skated.
    not_skated = Race.objects.exclude(pk__in=skated)
    assert set(not_skated.values_list("round__kind", flat=True)) <= {"final_b"}
    for distance_race in DistanceRace.objects.filter(competition__number=1):
        ranking = distance_race.rankings.order_by("-number").first()
        assert ranking.basis == "races" and ranking.lines.filter(rank=1).exists(), distance_race

    # Finals are won in realistic times.
    assert 83_000 <= final_a_winner("M1000").time_ms <= 88_000  # about 1:24-1:27
    assert 41_500 <= final_a_winner("W500").time_ms <= 44_500  # about 42-44 s

    # Laps, falls, penalties and advancements, as on real result sheets.
    official = RaceResultLine.objects.filter(result__official_at__isnull=False)
    statuses = Counter(official.values_list("status", flat=True))
    assert statuses["PEN"] > 0 and statuses["DNF"] > 0
    assert official.filter(mark="ADV").exists()
    winner = final_a_winner("W1500")
    assert len(winner.laps_ms) == 14 and sum(winner.laps_ms) == winner.time_ms
    assert winner.lap_positions[-1] == 1

    # What the simulator makes is labelled simulated, and its points reach the standings.
    assert Season.objects.get(key="2025/26").simulated
    assert not Skater.objects.filter(fictional=False).exists()
    table, loaded = standings("2025/26", "overall-women")
    assert table.rows[0].points >= 100
    assert all(loaded.entrants[row.entrant].fictional for row in table.rows)

    # Simulating a season that is already there is refused, and changes nothing.
    with pytest.raises(Invalid, match="already in the database"):
        simulate_season("2025/26", seed=7, competitions=1)
    assert Ranking.objects.filter(distance_race__competition__number=2).count() == 0


@pytest.mark.sqlite_only
def test_the_same_seed_gives_the_same_season(tmp_path):
    """Two runs in two databases: the same rankings, line for line."""

    def run(name: str) -> str:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / name}"}
        command = [sys.executable, "-m", "shorttrack.cli"]
        subprocess.run(
            [
                *command,
                "setup-demo",
                "--data",
                str(shared_data("worldcup-2022-23", "results.csv")),
                "--simulate",
                "",
            ],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*command, "simulate", "--competitions", "1", "--seed", "3"],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        done = subprocess.run(
            [
                *command,
                "ranking",
                "--season",
                "2025/26",
                "--race",
                "Montreal 1, 1500m",
                "--gender",
                "women",
                "--format",
                "csv",
            ],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    first, second = run("one.sqlite3"), run("two.sqlite3")
    assert first == second
    assert first.count("\n") > 20
