"""The referee's advancement to a named final: ADA (Final A) and ADB (Final B) from a round
that sends skaters to both, as the ISU pages print them ("ADB" beside a fallen skater of
a semifinal); the filled final takes the skater as an extra starter, and ADA or ADB from a
round that sends nobody to that final is refused."""

from __future__ import annotations

import pytest

from shorttrack.services.draws import draw_first_round
from shorttrack.services.errors import Invalid
from shorttrack.services.race_results import (
    Decision,
    correct_results,
    decide,
    enter_results,
    finish_order,
    start_race,
)
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, race_it, races_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def w500(montreal, users, skaters) -> models.DistanceRace:
    """The women's 500m with 8 entries: two semifinals of 4, the first two of each to
    Final A, the others to Final B."""
    race = distance_race(montreal, "W500")
    enter_field(users, race, skaters, 8)
    draw_first_round(users["organiser"], race, seed=3)
    return race


def helmets(race: models.Race) -> list[int]:
    return sorted(race.start_list.values_list("helmet", flat=True))


def starters(race: models.Race) -> list[tuple[int, str]]:
    return sorted(race.start_list.values_list("helmet", "qualified_by"))


def sheet_mark(race: models.Race, helmet: int) -> str:
    return race.results.order_by("-number").first().lines.get(helmet=helmet).mark


def test_an_adb_sends_a_fallen_skater_to_final_b_as_an_extra_starter(w500, users):
    first, second = races_of(w500, "semifinals")
    a, b, c, d = helmets(first)
    # c fell in third place, brought down by a rival: without a decision nobody who did
    # not finish goes on; the referee sends her to Final B.
    fell = finish_order([a, b, d], ["43.5", "43.6", "43.9"], dnf=[c])
    race_it(users, first, fell, decisions=[Decision(c, "ADB", "brought down")])
    race_it(users, second)

    final_a = races_of(w500, "final_a")[0]
    final_b = races_of(w500, "final_b")[0]
    e, f, g, h = helmets(second)
    assert starters(final_a) == sorted([(a, "QA"), (b, "QA"), (e, "QA"), (f, "QA")])
    assert starters(final_b) == sorted([(c, "ADB"), (d, "QB"), (g, "QB"), (h, "QB")])
    assert sheet_mark(first, c) == "ADB"
    assert sheet_mark(first, d) == "QB"


def test_an_ada_sends_a_skater_placed_for_final_b_to_final_a(w500, users):
    first, second = races_of(w500, "semifinals")
    a, b, c, d = helmets(first)
    # c crossed the line third, impeded on the way: Final A as a fifth starter, and her
    # place in Final B stays empty.
    race_it(users, first, decisions=[Decision(c, "ADA", "impeded")])
    race_it(users, second)

    final_a = races_of(w500, "final_a")[0]
    final_b = races_of(w500, "final_b")[0]
    assert sorted(final_a.start_list.values_list("qualified_by", flat=True)) == [
        "ADA",
        "QA",
        "QA",
        "QA",
        "QA",
    ]
    assert final_a.start_list.get(qualified_by="ADA").helmet == c
    assert c not in helmets(final_b)
    assert len(helmets(final_b)) == 3
    assert sheet_mark(first, c) == "ADA"


def test_adb_given_in_a_correction_fills_final_b_again(w500, users):
    first, second = races_of(w500, "semifinals")
    a, b, c, d = helmets(first)
    race_it(users, first, finish_order([a, b, d], ["43.5", "43.6", "43.9"], dnf=[c]))
    race_it(users, second)
    final_b = races_of(w500, "final_b")[0]
    e, f, g, h = helmets(second)
    assert starters(final_b) == sorted([(d, "QB"), (g, "QB"), (h, "QB")])

    correct_results(
        users["referee"],
        first,
        reason="video review: brought down by helmet " + str(b),
        decisions=[Decision(c, "ADB", "brought down")],
        based_on=version(first),
    )

    assert starters(final_b) == sorted([(c, "ADB"), (d, "QB"), (g, "QB"), (h, "QB")])
    refill = models.Draw.objects.filter(round__kind="final_b").order_by("id").last()
    assert refill.reason.startswith("filled again after the correction of Women's 500m Semifinal 1")
    assert sheet_mark(first, c) == "ADB"


def test_clear_lifts_an_adb(w500, users):
    first = races_of(w500, "semifinals")[0]
    a, b, c, d = helmets(first)
    start_race(users["officer"], first, based_on=version(first))
    enter_results(
        users["officer"], first, finish_order([a, b, d], dnf=[c]), based_on=version(first)
    )
    decide(users["referee"], first, [Decision(c, "ADB", "brought down")], based_on=version(first))
    assert sheet_mark(first, c) == "ADB"

    decide(users["referee"], first, [Decision(c, "CLEAR")], based_on=version(first))

    assert sheet_mark(first, c) == ""


def test_ada_or_adb_from_a_round_that_sends_nobody_to_the_finals_is_refused(
    montreal, users, skaters
):
    m1000 = distance_race(montreal, "M1000")
    enter_field(users, m1000, skaters, 35)  # seven heats, then the quarterfinals
    draw_first_round(users["organiser"], m1000, seed=1017)
    heat = races_of(m1000, "heats")[0]
    start_race(users["officer"], heat, based_on=version(heat))
    enter_results(users["officer"], heat, finish_order(helmets(heat)), based_on=version(heat))
    third = helmets(heat)[2]

    with pytest.raises(Invalid) as refused:
        decide(users["referee"], heat, [Decision(third, "ADB", "impeded")], based_on=version(heat))

    assert list(refused.value.problems) == [
        (
            "decisions[0]",
            "ADB advances to Final B, but Men's 1000m Heat 1 sends skaters to "
            "Quarterfinals: give ADV",
        )
    ]
    assert sheet_mark(heat, third) == ""
