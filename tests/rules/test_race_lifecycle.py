"""The life of a race: who may move it from which status to which (owlcms-style machine)."""

from __future__ import annotations

import itertools

import pytest

from shorttrack.rules.race_lifecycle import (
    TRANSITIONS,
    RaceAction,
    RaceStatus,
    RaceStatusError,
    Role,
    allowed_actions,
    move,
)

A, S, R = RaceAction, RaceStatus, Role


def test_a_race_from_the_start_to_official_with_a_penalty():
    steps = [
        (A.START, R.RESULTS_OFFICER, S.STARTED),
        (A.ENTER_RESULTS, R.RESULTS_OFFICER, S.UNOFFICIAL),  # finish order, times
        (A.ENTER_RESULTS, R.RESULTS_OFFICER, S.UNOFFICIAL),  # a time typed again
        (A.DECIDE, R.REFEREE, S.UNDER_REVIEW),  # PEN for impeding
        (A.MAKE_OFFICIAL, R.REFEREE, S.OFFICIAL),
    ]
    status = S.SCHEDULED
    for action, role, after in steps:
        step = move(status, action, role)
        assert (step.before, step.after) == (status, after)
        status = step.after
    assert status.public


def test_a_race_without_decisions_goes_straight_from_unofficial_to_official():
    assert move("unofficial", "make_official", "referee").after is S.OFFICIAL


def test_an_official_race_changes_only_by_a_correction_with_a_reason():
    for action in (A.ENTER_RESULTS, A.DECIDE, A.RERUN, A.MAKE_OFFICIAL, A.START):
        with pytest.raises(
            RaceStatusError, match=r"^race is official: a change needs a correction with a reason$"
        ):
            move(S.OFFICIAL, action, R.REFEREE, reason="a late protest")
    with pytest.raises(RaceStatusError, match=r"^a correction needs a reason$"):
        move(S.OFFICIAL, A.CORRECT, R.REFEREE, reason="  ")
    step = move(S.OFFICIAL, A.CORRECT, R.REFEREE, reason="video review: PEN to the skater in 2nd")
    assert step.after is S.OFFICIAL
    assert step.new_revision
    assert step.reason == "video review: PEN to the skater in 2nd"


def test_a_rerun_sends_the_race_back_to_scheduled_and_sets_its_results_aside():
    step = move(S.UNDER_REVIEW, A.RERUN, R.REFEREE, reason="three skaters fell in the first turn")
    assert step.after is S.SCHEDULED
    assert step.discards_results
    with pytest.raises(RaceStatusError, match=r"^a rerun needs a reason$"):
        move(S.STARTED, A.RERUN, R.REFEREE)


def test_each_move_is_for_its_role():
    with pytest.raises(
        RaceStatusError,
        match=r"^making the race official is for the referee, not the results officer$",
    ):
        move(S.UNOFFICIAL, A.MAKE_OFFICIAL, R.RESULTS_OFFICER)
    with pytest.raises(
        RaceStatusError, match=r"^entering results is for the results officer, not the referee$"
    ):
        move(S.STARTED, A.ENTER_RESULTS, R.REFEREE)
    with pytest.raises(
        RaceStatusError,
        match=r"^starting the race is for the referee or the results officer, not the organiser$",
    ):
        move(S.SCHEDULED, A.START, R.ORGANISER)


def test_a_move_out_of_turn_names_what_is_possible_now():
    with pytest.raises(
        RaceStatusError,
        match=r"^making the race official is not possible: the race is scheduled "
        r"\(possible now: starting the race\)$",
    ):
        move(S.SCHEDULED, A.MAKE_OFFICIAL, R.REFEREE)


def test_the_buttons_each_official_sees():
    assert allowed_actions(S.UNOFFICIAL, R.RESULTS_OFFICER) == (A.ENTER_RESULTS,)
    assert allowed_actions(S.UNOFFICIAL, R.REFEREE) == (
        A.REVIEW,
        A.DECIDE,
        A.MAKE_OFFICIAL,
        A.RERUN,
    )
    assert allowed_actions(S.OFFICIAL, R.RESULTS_OFFICER) == ()
    assert allowed_actions(S.OFFICIAL) == (A.CORRECT,)
    assert allowed_actions(S.SCHEDULED, R.ORGANISER) == ()


def test_only_an_official_race_is_public():
    assert [s for s in S if s.public] == [S.OFFICIAL]
    assert S.UNDER_REVIEW.label == "under review"


def test_every_status_action_and_role_either_moves_as_the_table_says_or_is_refused():
    for status, action, role in itertools.product(S, A, R):
        transition = TRANSITIONS[action]
        allowed = status in transition.sources and role in transition.roles
        assert (action in allowed_actions(status, role)) == allowed
        if not allowed:
            with pytest.raises(RaceStatusError):
                move(status, action, role, reason="a reason")
            continue
        step = move(status, action, role, reason="a reason")
        assert step.after is (transition.target or status) or (
            action is A.ENTER_RESULTS and step.after is S.UNOFFICIAL
        )
        # Only a correction changes an official race, and nothing makes a race official
        # but the referee's decision to.
        if step.after is S.OFFICIAL:
            assert action in (A.MAKE_OFFICIAL, A.CORRECT) and role is R.REFEREE
