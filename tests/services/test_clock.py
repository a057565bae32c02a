"""The moment services record: the wall clock, or the simulator's moment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shorttrack.services import clock
from shorttrack.services.draws import draw_first_round
from shorttrack.services.race_results import enter_results, finish_order, start_race
from shorttrack.services.race_status import version
from tests.services.montreal import distance_race, enter_field, races_of

pytestmark = pytest.mark.django_db


def test_what_is_recorded_inside_a_simulated_moment_carries_that_moment(montreal, users, skaters):
    w500 = distance_race(montreal, "W500")
    enter_field(users, w500, skaters, 8)
    draw_first_round(users["organiser"], w500)
    race = races_of(w500, "semifinals")[0]
    moment = datetime(2025, 10, 17, 18, 4, 12, tzinfo=UTC)

    with clock.at(moment):
        start_race(users["officer"], race, based_on=version(race))
        result = enter_results(
            users["officer"],
            race,
            finish_order(sorted(race.start_list.values_list("helmet", flat=True))),
            based_on=version(race),
        )

    assert result.revision.recorded_at == moment
    assert [event.at for event in race.events.all()] == [moment, moment]
    assert clock.now() > moment


def test_a_simulated_moment_needs_a_time_zone():
    with pytest.raises(ValueError, match="needs a time zone"), clock.at(datetime(2025, 10, 17, 18)):
        pass
