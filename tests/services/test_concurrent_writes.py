"""Two officials on one race at once: each write names the version of the race it was
based on (``race_status.version``), and a write based on an older one is refused with a
``Conflict`` that says what changed since, who changed it and when. Nothing is silently
replaced: the first write stands, the second changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from shorttrack.services.draws import draw_first_round
from shorttrack.services.errors import Conflict, Invalid
from shorttrack.services.laps import StarterLaps, enter_laps
from shorttrack.services.officials import REFEREE, RESULTS_OFFICER, appoint
from shorttrack.services.race_results import (
    Decision,
    correct_results,
    decide,
    enter_results,
    finish_order,
    make_official,
    open_review,
    rerun,
    start_race,
)
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, races_of
from tests.services.test_race_results import counts, helmets

pytestmark = pytest.mark.django_db


@pytest.fixture
def semifinal(montreal, users, skaters) -> models.Race:
    race = distance_race(montreal, "W500")
    enter_field(users, race, skaters, 8)
    draw_first_round(users["organiser"], race, seed=3)
    semifinal = races_of(race, "semifinals")[0]
    start_race(users["officer"], semifinal, based_on=version(semifinal))
    return semifinal


@pytest.fixture
def second(montreal, users) -> dict:
    """A second results officer and a second referee at Montreal."""
    User = get_user_model()
    people = {
        "officer": User.objects.create_user("olga"),
        "referee": User.objects.create_user("rui"),
    }
    appoint(users["admin"], montreal, people["officer"], RESULTS_OFFICER)
    appoint(users["admin"], montreal, people["referee"], REFEREE)
    return people


def places(race: models.Race) -> list[tuple[int | None, int, str]]:
    result = race.results.order_by("-number").first()
    return [(line.place, line.helmet, line.time) for line in result.lines.order_by("place", "id")]


def test_two_results_officers_post_a_finish_from_forms_opened_at_once(semifinal, users, second):
    a, b, c, d = helmets(semifinal)
    opened = version(semifinal)  # both forms are opened on the started race

    enter_results(
        users["officer"],
        semifinal,
        finish_order([a, b, c, d], ["43.100", "43.200", "43.300", "43.400"]),
        based_on=opened,
    )
    before = counts()
    with pytest.raises(Conflict) as conflict:
        enter_results(second["officer"], semifinal, finish_order([d, c, b, a]), based_on=opened)

    assert counts() == before  # the second finish is not saved
    assert places(semifinal) == [
        (1, a, "43.100"),
        (2, b, "43.200"),
        (3, c, "43.300"),
        (4, d, "43.400"),
    ]
    assert conflict.value.current == version(semifinal)
    (change,) = conflict.value.changes
    assert change.startswith("finish entered by the results officer by oscar at ")
    assert change.endswith("(revision 1, unofficial)")
    assert "changed since this form was opened" in str(conflict.value)
    # A Conflict is a refusal: callers that catch Invalid still refuse.
    assert isinstance(conflict.value, Invalid)


def test_two_referees_correct_the_same_official_race(semifinal, users, second):
    a, b, c, d = helmets(semifinal)
    enter_results(
        users["officer"],
        semifinal,
        finish_order([a, b, c, d], ["43.1", "43.2", "43.3", "43.4"]),
        based_on=version(semifinal),
    )
    make_official(users["referee"], semifinal, based_on=version(semifinal))
    opened = version(semifinal)  # both referees open the correction form now

    correct_results(
        users["referee"],
        semifinal,
        reason="photo finish: 2nd crossed first",
        lines=finish_order([b, a, c, d], ["43.1", "43.2", "43.3", "43.4"]),
        based_on=opened,
    )
    before = counts()
    with pytest.raises(Conflict) as conflict:
        correct_results(
            second["referee"],
            semifinal,
            reason="time of 4th typed wrong",
            lines=finish_order([a, b, c, d], ["43.1", "43.2", "43.3", "43.5"]),
            based_on=opened,
        )

    assert counts() == before
    assert places(semifinal)[:2] == [(1, b, "43.100"), (2, a, "43.200")]  # the swap stands
    assert "photo finish: 2nd crossed first by rita at" in conflict.value.changes[0]
    # Started again from the current state, the second correction goes through.
    correct_results(
        second["referee"],
        semifinal,
        reason="time of 4th typed wrong",
        lines=finish_order([b, a, c, d], ["43.1", "43.2", "43.3", "43.5"]),
        based_on=conflict.value.current,
    )
    assert places(semifinal) == [
        (1, b, "43.100"),
        (2, a, "43.200"),
        (3, c, "43.300"),
        (4, d, "43.500"),
    ]


def test_every_write_of_a_race_checks_its_version(semifinal, users):
    a, b, c, d = helmets(semifinal)
    stale = version(semifinal) - 1  # the version before the start
    writes = [
        lambda: start_race(users["officer"], semifinal, based_on=stale),
        lambda: enter_results(
            users["officer"], semifinal, finish_order([a, b, c, d]), based_on=stale
        ),
    ]
    for write in writes:
        with pytest.raises(Conflict, match="started by oscar"):
            write()
    enter_results(
        users["officer"], semifinal, finish_order([a, b, c, d]), based_on=version(semifinal)
    )
    stale = version(semifinal) - 1
    for write in [
        lambda: decide(
            users["referee"], semifinal, [Decision(a, "PEN", "impeding")], based_on=stale
        ),
        lambda: open_review(users["referee"], semifinal, "video", based_on=stale),
        lambda: make_official(users["referee"], semifinal, based_on=stale),
        lambda: rerun(users["referee"], semifinal, "fall", based_on=stale),
        lambda: enter_laps(
            users["officer"], semifinal, [StarterLaps(a, [9_100, 8_700])], based_on=stale
        ),
    ]:
        with pytest.raises(Conflict, match="finish entered"):
            write()
    # Based on the current version, each goes through.
    make_official(users["referee"], semifinal, based_on=version(semifinal))
    assert semifinal.status == "official"
    stale = version(semifinal) - 1
    with pytest.raises(Conflict, match="made official by rita"):
        correct_results(
            users["referee"],
            semifinal,
            reason="video review: impeding",
            decisions=[Decision(a, "PEN", "impeding")],
            based_on=stale,
        )


def test_a_version_the_race_never_had_is_a_conflict(semifinal, users):
    a, b, c, d = helmets(semifinal)
    with pytest.raises(Conflict, match="its version is not the one the form was made from"):
        enter_results(
            users["officer"],
            semifinal,
            finish_order([a, b, c, d]),
            based_on=version(semifinal) + 99,
        )


def test_a_race_write_that_does_not_name_its_version_is_refused_before_it_reads_the_race(
    semifinal, users
):
    """Leaving ``based_on`` out is a mistake in the caller, not a write on the race as it
    happens to be: each public race write refuses it at once, and nothing is written."""
    a, b, c, d = helmets(semifinal)
    officer, referee = users["officer"], users["referee"]
    before = counts()
    writes = {
        "start_race": lambda: start_race(officer, semifinal),
        "enter_results": lambda: enter_results(officer, semifinal, finish_order([a, b, c, d])),
        "enter_laps": lambda: enter_laps(officer, semifinal, [StarterLaps(a, [9_100, 8_700])]),
        "decide": lambda: decide(referee, semifinal, [Decision(a, "PEN", "impeding")]),
        "open_review": lambda: open_review(referee, semifinal, "video"),
        "make_official": lambda: make_official(referee, semifinal),
        "correct_results": lambda: correct_results(referee, semifinal, reason="video review"),
        "rerun": lambda: rerun(referee, semifinal, "fall in the first corner"),
    }
    for name, write in writes.items():
        with pytest.raises(
            TypeError, match=f"{name}\\(\\) missing 1 required keyword-only argument: 'based_on'"
        ):
            write()
    assert counts() == before
    assert semifinal.status == "started"
