"""The next round fills itself when every race of a round is official; a correction
re-derives it while it has not started, and is flagged once it has been raced."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from shorttrack.services.draws import draw_first_round
from shorttrack.services.race_results import Decision, correct_results, finish_order
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, race_it, races_of, skate_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def m1000(montreal, users, skaters) -> models.DistanceRace:
    """The men's 1000m with 35 entries: 7 heats of 5, top 2 and the 6 fastest 3rd places
    to 4 quarterfinals, then semifinals and finals."""
    race = distance_race(montreal, "M1000")
    enter_field(users, race, skaters, 35)
    draw_first_round(users["organiser"], race, seed=1017)
    return race


def start_list(race: models.DistanceRace, kind: str) -> list[tuple[int, str]]:
    return sorted(
        models.StartListLine.objects.filter(
            race__round__distance_race=race, race__round__kind=kind
        ).values_list("helmet", "qualified_by")
    )


def marks(race: models.Race) -> list[tuple[int, str]]:
    result = race.results.order_by("-number").first()
    return [(line.place, line.mark) for line in result.lines.order_by("id")]


def test_the_quarterfinals_fill_themselves_when_the_last_heat_is_official(m1000, users):
    heats = races_of(m1000, "heats")
    for heat in heats[:-1]:
        race_it(users, heat)
    assert start_list(m1000, "quarterfinals") == []
    # A heat made official shows the marks its own places decide.
    assert marks(heats[0]) == [(1, "Q"), (2, "Q"), (3, ""), (4, ""), (5, "")]

    race_it(users, heats[-1])

    quarterfinals = start_list(m1000, "quarterfinals")
    assert Counter(mark for _, mark in quarterfinals) == {"Q": 14, "q": 6}
    assert [len(race.start_list.all()) for race in races_of(m1000, "quarterfinals")] == [5] * 4
    draw = models.Draw.objects.get(round__distance_race=m1000, round__kind="quarterfinals")
    assert draw.reason == "qualifiers of the heats"
    assert draw.method.startswith("place in the race before, then time, then lot; ADV after")
    # The six fastest 3rd places got their q once the round was complete.
    assert sum(mark == "q" for heat in heats for _, mark in marks(heat)) == 6


def test_a_correction_before_the_next_round_starts_fills_it_again(m1000, users):
    skate_round(users, m1000, "heats")
    heat = races_of(m1000, "heats")[0]
    winner = heat.start_list.order_by("helmet").first().helmet
    assert (winner, "Q") in start_list(m1000, "quarterfinals")

    corrected = correct_results(
        users["referee"],
        heat,
        reason="video review: impeding in the last lap",
        decisions=[Decision(winner, "PEN", "impeding")],
        based_on=version(heat),
    )

    assert corrected.official_at is not None
    assert corrected.revision.reason == "correction: video review: impeding in the last lap"
    assert winner not in [helmet for helmet, _ in start_list(m1000, "quarterfinals")]
    assert len(start_list(m1000, "quarterfinals")) == 20
    refill = models.Draw.objects.filter(round__kind="quarterfinals").order_by("id").last()
    assert refill.reason == (
        "filled again after the correction of Men's 1000m Heat 1: "
        "video review: impeding in the last lap"
    )
    assert list(heat.events.values_list("kind", flat=True))[-1] == "correction"


def test_a_correction_after_the_next_round_was_raced_is_flagged(m1000, users):
    skate_round(users, m1000, "heats")
    race_it(users, races_of(m1000, "quarterfinals")[0])
    heat = races_of(m1000, "heats")[2]
    winner = heat.start_list.order_by("helmet").first()
    before = start_list(m1000, "quarterfinals")

    correct_results(
        users["referee"],
        heat,
        reason="photo finish read again",
        # the times go with the winner's place: on purpose, the photo finish read again
        lines=[
            replace(line, on_purpose=True)
            for line in finish_order(
                sorted(heat.start_list.values_list("helmet", flat=True))[1:], dnf=[winner.helmet]
            )
        ],
        based_on=version(heat),
    )

    assert start_list(m1000, "quarterfinals") == before
    conflict = heat.events.get(kind="conflict")
    assert conflict.by == users["referee"]
    assert conflict.reason.startswith(
        "the correction of Men's 1000m Heat 3 changes who goes to the quarterfinals ("
    )
    assert f"no longer qualified: {winner.skater}" in conflict.reason
    assert conflict.reason.endswith(
        "but the quarterfinals have already started: their start lists stand, "
        "and the referee decides what follows"
    )
