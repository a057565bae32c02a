"""Where the test data lives, and what the store holds: shared by the import and export tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shorttrack.rules.season import season_rules
from shorttrack.rules.standings import RankedResult, all_classifications
from shorttrack.store import models

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SMALL_COMPETITION = FIXTURES / "small-competition"


@pytest.fixture
def data_2022_23() -> Path:
    """The shared real 2022/23 folder: $SHORTTRACK_DATA_2022_23, else ../shared/data/worldcup-2022-23."""
    path = Path(
        os.environ.get(
            "SHORTTRACK_DATA_2022_23", REPO.parent / "shared" / "data" / "worldcup-2022-23"
        )
    )
    if not (path / "results.csv").is_file():
        pytest.fail(f"the 2022/23 data is not at {path}: set SHORTTRACK_DATA_2022_23")
    return path


def table_counts() -> dict[str, int]:
    """Rows in every table an import writes to."""
    tables = [
        models.Member,
        models.Skater,
        models.Season,
        models.Competition,
        models.DistanceRace,
        models.Round,
        models.Race,
        models.RelayTeam,
        models.RelayTeamSkater,
        models.Revision,
        models.RaceResult,
        models.RaceResultLine,
        models.Ranking,
        models.RankingLine,
    ]
    return {table.__name__: table.objects.count() for table in tables}


def ranked_results(season_key: str) -> list[RankedResult]:
    """The latest ranking of every distance race of the season, as the standings see it."""
    results = []
    for distance_race in models.DistanceRace.objects.filter(competition__season__key=season_key):
        ranking = distance_race.rankings.order_by("-number").first()
        if ranking is None or ranking.official_at is None:
            continue
        for line in ranking.lines.select_related("skater", "team", "member"):
            entrant = (
                line.skater.key
                if line.skater
                else (line.team.name if line.team else line.member.code)
            )
            results.append(
                RankedResult(
                    race=f"{distance_race.competition.number:02d} {distance_race.label}",
                    distance=distance_race.distance,
                    entrant=entrant,
                    nation=line.member.code,
                    rank=line.rank,
                    official_at=ranking.official_at,
                    skater=line.skater.key if line.skater else None,
                )
            )
    return results


def standings_points(season_key: str, as_of=None) -> dict[str, dict[str, int]]:
    """classification key -> entrant -> points."""
    rules = season_rules(models.Season.objects.get(key=season_key).rules_key)
    standings = all_classifications(rules, ranked_results(season_key), as_of)
    return {key: {row.entrant: row.points for row in s.rows} for key, s in standings.items()}
