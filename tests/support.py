"""What tests across the suite ask of the store: row counts, standings by skater key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shorttrack.queries.standings import every_standings
from shorttrack.store import models

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SMALL_COMPETITION = FIXTURES / "small-competition"
# Real results (../shared/data beside the clone, or $SHORTTRACK_SHARED_DATA) are read
# where they are, never copied into the repository.
SHARED_DATA = Path(os.environ.get("SHORTTRACK_SHARED_DATA", REPO.parent / "shared" / "data"))


def shared_data(name: str, must_hold: str = "README.md") -> Path:
    """The folder ``name`` of the shared real data. Absent, the test is skipped with a
    note, except with CI=true, where the real data must be read: it fails."""
    folder = SHARED_DATA / name
    if not (folder / must_hold).is_file():
        message = (
            f"the real data {name} is not at {folder} (set SHORTTRACK_SHARED_DATA to the "
            "folder that holds it)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true: tests of real data must run")
        pytest.skip(message)
    return folder


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


def standings_points(season_key: str, as_of=None) -> dict[str, dict[str, int]]:
    """classification key -> entrant -> points, skaters named by their key ('CAN-dubois-steven')
    so that two databases with other row ids compare equal."""
    tables, _ = every_standings(season_key, as_of)
    skater_keys = {f"s{pk}": key for pk, key in models.Skater.objects.values_list("pk", "key")}
    return {
        key: {skater_keys.get(row.entrant, row.entrant): row.points for row in table.rows}
        for key, table in tables.items()
    }
