"""What a season or a competition holds of its results, and the words its pages say it in
(queries/coverage.py): the real 2022/23 season holds podiums and a few places from the
press, so its totals are incomplete; a competition run race by race is complete."""

from __future__ import annotations

import pytest

from shorttrack.queries import coverage
from shorttrack.queries.coverage import Holdings
from shorttrack.store.models import Competition

PODIUMS_ONLY = (
    "This season holds the places published for its 62 distance races (the podiums and a "
    "few more), not every place: World Cup totals that need an unknown place are "
    "incomplete, lower than the published ones. None of its races has a result sheet: no "
    "race pages, no times."
)


@pytest.mark.django_db
def test_the_2022_23_season_holds_podiums_and_some_places(season_2022_23):
    held = coverage.of_season(season_2022_23)
    assert held == {
        "complete": False,
        "totals_complete": False,
        "final_rankings": 62,
        "partial_rankings": 62,
        "imported_partial": 62,
        "with_race_results": 0,
        "note": PODIUMS_ONLY,
    }


@pytest.mark.django_db
def test_a_competition_of_2022_23_says_it_of_itself(season_2022_23):
    dresden = Competition.objects.get(season=season_2022_23, city="Dresden")
    held = coverage.of_competition(dresden)
    assert (held["final_rankings"], held["partial_rankings"]) == (10, 10)
    assert held["note"].startswith("This competition holds the places published for its 10")


@pytest.mark.django_db
def test_a_competition_run_race_by_race_is_complete(small_competition):
    held = coverage.of_competition(small_competition)
    assert held == {
        "complete": True,
        "totals_complete": True,
        "final_rankings": 2,
        "partial_rankings": 0,
        "imported_partial": 0,
        "with_race_results": 2,
        "note": None,
    }


def test_a_ranking_computed_from_races_with_a_race_missing():
    held = Holdings(final_rankings=4, partial_rankings=1, imported_partial=0, with_race_results=3)
    assert coverage.note("competition", held) == (
        "This competition holds only some of the places of 1 of its 4 distance races, not "
        "every place: World Cup totals that need an unknown place are incomplete, lower than "
        "the published ones. 1 of its 4 distance races has no result sheets of its heats "
        "and finals: no race pages, no times there."
    )


def test_complete_rankings_without_result_sheets_keep_their_totals():
    """Ranks imported in full (an ISU classification page) give every point: only the
    race pages are missing."""
    held = Holdings(final_rankings=10, partial_rankings=0, imported_partial=0, with_race_results=7)
    assert held.totals_complete and not held.complete
    assert coverage.note("season", held) == (
        "3 of this season's 10 distance races have no result sheets of their heats and finals: no race "
        "pages, no times there."
    )
