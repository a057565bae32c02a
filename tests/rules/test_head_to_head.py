"""Who finished ahead in a head-to-head (rules.head_to_head): a place beats none, the
lower place wins, a dead heat or no place for either puts no one ahead."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shorttrack.rules.head_to_head import ahead

# A place on a result sheet, or none: penalised, did not finish, did not start.
PLACES = st.one_of(st.none(), st.integers(min_value=1, max_value=8))
OTHER = {"a": "b", "b": "a", None: None}


def test_the_final_a_of_the_small_competition():
    # Eriksen 1st, Adams 2nd, Ito 3rd, Fontana penalised (no place).
    assert ahead(1, 2) == "a"
    assert ahead(3, 2) == "b"
    assert ahead(3, None) == "a"
    assert ahead(None, 1) == "b"


def test_a_dead_heat_or_two_skaters_without_a_place_put_no_one_ahead():
    assert ahead(2, 2) is None  # Baker and Jansen, both second in the Final B
    assert ahead(None, None) is None  # both penalised, or one did not finish, one did not start


@given(PLACES, PLACES)
def test_the_other_way_round_the_other_skater_is_ahead(x, y):
    assert ahead(y, x) == OTHER[ahead(x, y)]


@given(st.integers(min_value=1, max_value=8))
def test_any_place_beats_no_place(place):
    assert (ahead(place, None), ahead(None, place)) == ("a", "b")


@given(PLACES, PLACES, PLACES)
def test_ahead_of_one_who_is_ahead_of_a_third_is_ahead_of_the_third(x, y, z):
    if ahead(x, y) == "a" and ahead(y, z) == "a":
        assert ahead(x, z) == "a"


@given(st.lists(PLACES, min_size=2, max_size=8))
def test_the_winner_of_a_race_is_ahead_of_everyone_else_in_it(others):
    # Places 1.. are distinct for the rest of the race here (no dead heat for first).
    rest = [None if p is None else p + 1 for p in others]
    assert [ahead(1, p) for p in rest] == ["a"] * len(rest)
