"""A competition's status by what has been skated: Dordrecht, 27-29 Oct 2023, with its
6 distances."""

from datetime import date

from shorttrack.rules.competition_status import Progress, competition_status

FIRST, LAST = date(2023, 10, 27), date(2023, 10, 29)
LONG_AFTER = date(2026, 12, 3)


def status(distances, ranked, started, today=LONG_AFTER):
    return competition_status(Progress(distances, ranked, started), today, FIRST, LAST)


def test_drawn_but_not_raced_is_upcoming_even_after_its_dates():
    assert status(6, 0, False) == "upcoming"


def test_a_started_race_or_a_ranked_distance_makes_it_live():
    assert status(6, 0, True) == "live"
    assert status(6, 5, True) == "live"


def test_every_distance_ranked_is_finished():
    assert status(6, 6, True) == "finished"
    assert status(6, 6, True, today=LAST) == "finished"  # the evening of the last day


def test_an_imported_season_of_podiums_is_finished_with_its_rankings():
    """Rankings without a race sheet, even when a distance has none (a race cancelled)."""
    assert status(6, 5, False) == "finished"


def test_looking_back_at_a_day_of_the_competition():
    assert status(6, 6, True, today=date(2023, 10, 26)) == "upcoming"
    assert status(6, 6, True, today=date(2023, 10, 28)) == "live"


def test_a_competition_without_distances_is_upcoming():
    assert status(0, 0, False) == "upcoming"
