"""The skater page's standings positions in a season whose first win is corrected after
its 13th race (issue 12): each competition is placed where its last race was first
official, with the rankings that stood then, so the win counts from the first competition
on and the corrected competition keeps its place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shorttrack.queries.skater import standings_positions
from tests.queries.corrected_season import thirteen_races

pytestmark = pytest.mark.django_db

START = datetime(2025, 10, 17, 20, 0, tzinfo=UTC)  # race 0, as corrected_season skates it


def test_positions_after_each_competition_count_a_win_corrected_after_the_13th_race():
    thirteen = thirteen_races()
    positions = standings_positions(thirteen["park"], thirteen["season"])
    overall = next(p for p in positions if p["classification"] == "overall-men")
    assert [(p["after"], p["at"], p["points"]) for p in overall["positions"]] == [
        # City 1 ends with race 2, not at the correction of race 0 twenty days on.
        ("City 1", (START + timedelta(days=2)).isoformat(), 100 + 2 * 28),
        ("City 2", (START + timedelta(days=5)).isoformat(), 100 + 5 * 28),
        ("City 3", (START + timedelta(days=8)).isoformat(), 100 + 8 * 28),
        ("City 4", (START + timedelta(days=11)).isoformat(), 100 + 8 * 28),  # best 9
        ("City 5", (START + timedelta(days=12)).isoformat(), 100 + 8 * 28),  # of 12
    ]
