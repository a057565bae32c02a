"""A corrected final ranking keeps its race's place in the season (issue 12): the moments
before and after a final, the finals list, the leaders chart and the counting order use
the moment the race was first official; a correction counts from its own moment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shorttrack.queries.races import official_moment
from shorttrack.queries.standings import resolve_moment, standings, standings_page_document
from tests.queries.corrected_season import (
    MONDAY,
    SATURDAY,
    SUNDAY,
    montreal_weekend,
    thirteen_races,
)

pytestmark = pytest.mark.django_db


def points(document) -> list[tuple[str, int]]:
    return [(row["name"], row["points"]) for row in document["rows"]]


def test_just_before_a_corrected_final_is_before_it_was_first_official():
    weekend = montreal_weekend()
    season, w1000 = weekend["season"], weekend["w1000"]
    moment, described = resolve_moment(season, before=str(w1000.pk))
    assert moment == SATURDAY - timedelta(microseconds=1)  # not Monday - 1 µs
    assert described["before"] == {"id": w1000.pk, "name": "Montreal, Women's 1000m"}
    before = standings_page_document(season, "overall-women", before=str(w1000.pk))
    assert before["rows"] == []  # neither the 1000m nor Sunday's 500m yet


def test_just_after_a_corrected_final_shows_it_as_it_stood():
    weekend = montreal_weekend()
    season, w1000 = weekend["season"], weekend["w1000"]
    assert resolve_moment(season, after=str(w1000.pk))[0] == SATURDAY
    assert official_moment(w1000) == SATURDAY
    after = standings_page_document(season, "overall-women", after=str(w1000.pk))
    assert points(after) == [("ERIKSEN Ida", 100), ("ITO Yui", 80)]


def test_between_the_final_and_its_correction_the_first_revision_counts():
    season = montreal_weekend()["season"]
    sunday = standings_page_document(season, "overall-women", as_of=SUNDAY.isoformat())
    assert points(sunday) == [("ERIKSEN Ida", 180), ("ITO Yui", 180)]
    table, _ = standings(season, "overall-women", SUNDAY)
    assert [row.points for row in table.rows] == [180, 180]
    now = standings_page_document(season, "overall-women")
    assert points(now) == [("ITO Yui", 200), ("ERIKSEN Ida", 160)]


def test_the_finals_list_places_a_corrected_final_when_it_was_first_official():
    weekend = montreal_weekend()
    document = standings_page_document(weekend["season"], "overall-women")
    assert [
        (final["name"], final["official_at"], final["corrected_at"]) for final in document["finals"]
    ] == [
        ("Montreal, Women's 1000m", SATURDAY.isoformat(), MONDAY.isoformat()),
        ("Montreal, Women's 500m", SUNDAY.isoformat(), None),
    ]
    ito = next(row for row in document["rows"] if row["name"] == "ITO Yui")
    assert [
        (r["race"], r["rank"], r["official_at"], r["corrected_at"]) for r in ito["results"]
    ] == [
        ("Montreal, Women's 1000m", 1, SATURDAY.isoformat(), MONDAY.isoformat()),
        ("Montreal, Women's 500m", 1, SUNDAY.isoformat(), None),
    ]


def test_the_leaders_chart_steps_through_the_finals_in_the_order_they_were_skated():
    weekend = montreal_weekend()
    chart = standings_page_document(weekend["season"], "overall-women")["chart"]
    assert [step["race"] for step in chart["after"]] == [
        "Montreal, Women's 1000m",
        "Montreal, Women's 500m",
    ]
    # The points as now known (the corrected 1000m), each final at its place in the season.
    assert {s["name"]: s["points"] for s in chart["series"]} == {
        "ITO Yui": [100, 200],
        "ERIKSEN Ida": [80, 160],
    }


def test_best_9_of_at_most_12_counts_a_win_corrected_after_the_13th_race():
    """Issue 12, bug 4, through the store: 100 + 8 × 28 = 324 (was 252, the win pushed
    beyond the 12 races that may count by the moment of its correction)."""
    thirteen = thirteen_races()
    table, loaded = standings(thirteen["season"], "overall-men")
    row = table.rows[0]
    assert (loaded.rules.points_for(1), loaded.rules.points_for(10)) == (100, 28)
    assert row.points == 100 + 8 * 28 == 324
    first = thirteen["races"][0]
    assert [s.result.race for s in row.counted][0] == f"{first.pk:09d}"
    assert len(row.dropped) == 4
