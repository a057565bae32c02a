"""The programme's race numbers (rules.programme): a competition's races numbered in the
order they are skated, by session, scheduled time, then round order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shorttrack.rules.programme import ScheduledRace, programme_numbers

# Saturday of a World Cup: the qualifying session at 09:00 UTC, the finals session at 15:00.
QUALIFYING = datetime(2025, 11, 15, 9, 0, tzinfo=UTC)
FINALS = datetime(2025, 11, 15, 15, 0, tzinfo=UTC)


def race(key, session, minutes, round_order=1, distance=1, number=1) -> ScheduledRace:
    """A race ``minutes`` after its session began (None: no time yet)."""
    at = None if session is None or minutes is None else session + timedelta(minutes=minutes)
    return ScheduledRace(
        key, session, session and session.isoformat(), at, round_order, distance, number
    )


def test_races_are_numbered_in_the_order_they_are_skated():
    # Stored out of order: the 500m final A in the evening, two 1000m heats in the morning.
    races = [
        race("W500 Final A", FINALS, 40, round_order=4),
        race("W1000 Heat 2", QUALIFYING, 6, number=2),
        race("W1000 Heat 1", QUALIFYING, 0, number=1),
        race("W500 Semifinal 1", FINALS, 10, round_order=3),
    ]

    assert programme_numbers(races) == {
        "W1000 Heat 1": 1,
        "W1000 Heat 2": 2,
        "W500 Semifinal 1": 3,
        "W500 Final A": 4,
    }


def test_the_session_comes_before_the_time():
    # A race of the later session scheduled (by mistake) earlier still follows the session.
    races = [race("final", FINALS, -400), race("heat", QUALIFYING, 30)]

    assert programme_numbers(races) == {"heat": 1, "final": 2}


def test_untimed_races_of_a_session_follow_by_round_distance_and_number():
    """Before the session's times are written: its untimed races after its timed ones, in
    round order, then the distance's place, then the race number."""
    races = [
        race("men 500m heat 2", QUALIFYING, None, distance=2, number=2),
        race("women 500m quarterfinal 1", QUALIFYING, None, round_order=2, number=1),
        race("women 500m heat 1", QUALIFYING, None, round_order=1, number=1),
        race("men 500m heat 1", QUALIFYING, None, round_order=1, distance=2),
        race("women 1500m heat 1", QUALIFYING, 5),
    ]

    numbers = programme_numbers(races)

    assert sorted(numbers, key=numbers.get) == [
        "women 1500m heat 1",
        "women 500m heat 1",
        "men 500m heat 1",
        "men 500m heat 2",
        "women 500m quarterfinal 1",
    ]


def test_a_race_the_schedule_does_not_place_has_no_number():
    """An imported season without its schedule, or a round drawn before the organiser gave
    it a session: no number is made up from the rounds alone."""
    races = [race("heat 1", None, None), race("heat 2", None, None, number=2)]

    assert programme_numbers(races) == {}
    assert programme_numbers([*races, race("final", FINALS, 30)]) == {"final": 1}


def test_a_timed_race_in_no_session_goes_by_its_time():
    at_noon = ScheduledRace("exhibition", None, None, QUALIFYING + timedelta(hours=3), 1, 9, 1)

    numbers = programme_numbers([race("final", FINALS, 0), at_noon, race("heat", QUALIFYING, 0)])

    assert numbers == {"heat": 1, "exhibition": 2, "final": 3}


def test_a_race_listed_twice_is_refused_by_its_key():
    with pytest.raises(ValueError, match="race 17 is listed twice"):
        programme_numbers([race(17, QUALIFYING, 0), race(17, QUALIFYING, 5)])


@given(st.permutations([race(k, QUALIFYING if k < 5 else FINALS, k * 7) for k in range(9)]))
def test_the_numbers_run_from_one_whatever_order_the_races_come_in(races):
    numbers = programme_numbers(races)

    assert sorted(numbers.values()) == list(range(1, 10))
    assert numbers == {k: k + 1 for k in range(9)}
