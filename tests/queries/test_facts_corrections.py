"""Press facts of a season whose first win is corrected after its 13th race (issue 12): the
leaders at every moment count the results in the order the races were first official, as
the standings do, so the correction neither drops the win nor moves a lead change."""

from __future__ import annotations

import pytest

from shorttrack.queries.facts import forget_loaded_facts, load_history, race_facts
from shorttrack.queries.standings import standings
from shorttrack.rules.findings import trails_for
from tests.queries.corrected_season import thirteen_races

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_facts():
    forget_loaded_facts()
    yield
    forget_loaded_facts()


def test_best_9_of_at_most_12_at_every_moment_keeps_a_win_corrected_after_the_13th_race():
    """100 + 8 × 28 = 324 after the correction too (was 252: the win re-added as the 14th
    result, beyond the 12 races that may count)."""
    thirteen = thirteen_races()
    season, races, park = thirteen["season"], thirteen["races"], f"s{thirteen['park'].pk}"
    history = load_history(season, [r.pk for r in races])
    trail = trails_for(history, [races[0].pk])[season.key]["overall-men"]
    assert [m.totals[park] for m in trail.moments] == [
        100,
        128,
        156,
        184,
        212,
        240,
        268,
        296,
        324,  # nine races: all count
        324,
        324,
        324,
        324,  # the 13th race: beyond the 12 that may count
        324,  # the win corrected (still a win)
    ]
    table, _ = standings(season, "overall-men")
    assert trail.moments[-1].totals[park] == table.rows[0].points == 324


def test_the_facts_of_a_corrected_race_count_it_where_it_was_skated():
    thirteen = thirteen_races()
    document = race_facts(thirteen["races"][0].pk)
    (lead,) = [
        f
        for f in document["facts"]
        if f["kind"] == "lead" and f["values"]["classification"] == "overall-men"
    ]
    assert lead["values"]["points"] == 324
    # No lead won or lost at the correction: it changed nobody's points.
    assert [f["kind"] for f in document["facts"] if f["kind"] in ("new_leader", "lead_ended")] == []
