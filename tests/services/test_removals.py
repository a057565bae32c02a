"""A save never takes away a time, a place or laps the current revision holds unless the
official says it is on purpose and gives a reason: otherwise ``Removal`` names each one
and nothing is written, whoever calls the service (the console, a script)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shorttrack.officials.lap_sheet import read
from shorttrack.services.draws import draw_first_round
from shorttrack.services.errors import Conflict, Removal
from shorttrack.services.laps import StarterLaps, enter_laps
from shorttrack.services.race_results import (
    correct_results,
    enter_results,
    finish_order,
    make_official,
    start_race,
)
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, races_of
from tests.services.test_laps import FINISH, helmets, printout
from tests.support import table_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def final(montreal, users, skaters) -> models.Race:
    """The women's 1500m of six, a Final A alone, its finish entered with six times."""
    w1500 = distance_race(montreal, "W1500")
    enter_field(users, w1500, skaters, 6)
    draw_first_round(users["organiser"], w1500, seed=3)
    race = races_of(w1500, "final_a")[0]
    start_race(users["officer"], race, based_on=version(race))
    enter_results(
        users["officer"], race, finish_order(helmets(race), FINISH), based_on=version(race)
    )
    race.refresh_from_db()
    return race


def removal(call) -> Removal:
    before = table_counts()
    with pytest.raises(Removal) as refused:
        call()
    assert table_counts() == before
    return refused.value


def test_a_finish_typed_again_without_its_times_is_refused_naming_each(final, users):
    a, b, c, d, e, f = helmets(final)
    blank = finish_order([a, b, c, d, e, f], FINISH[:4])

    refused = removal(
        lambda: enter_results(
            users["officer"], final, blank, reason="retyped", based_on=version(final)
        )
    )

    assert refused.removed == (
        f"helmet {e}: time 2:30.353 removed",
        f"helmet {f}: time 2:30.668 removed",
    )
    assert str(refused) == (
        "lines: this save removes what the current result of Women's 1500m Final A holds "
        f"(helmet {e}: time 2:30.353 removed; helmet {f}: time 2:30.668 removed): "
        "confirm that it is on purpose and give a reason, or put them back"
    )


def test_a_finisher_entered_as_dnf_loses_its_place_only_on_purpose(final, users):
    a, b, c, d, e, f = helmets(final)
    fell = finish_order([a, b, c, d, e], FINISH[:5], dnf=[f])

    refused = removal(lambda: enter_results(users["officer"], final, fell, based_on=version(final)))
    assert refused.removed == (
        f"helmet {f}: time 2:30.668 removed",
        f"helmet {f}: place 6 removed (DNF now)",
    )
    confirmed = [replace(line, on_purpose=line.helmet == f) for line in fell]
    # confirmed, but no reason: still refused
    removal(lambda: enter_results(users["officer"], final, confirmed, based_on=version(final)))

    result = enter_results(
        users["officer"], final, confirmed, reason="fell on the last lap", based_on=version(final)
    )

    line = result.lines.get(helmet=f)
    assert (line.status, line.place, line.time_ms) == ("DNF", None, None)
    assert result.revision.reason == "fell on the last lap"


def test_only_the_lines_confirmed_may_lose_what_they_hold(final, users):
    a, b, c, d, e, f = helmets(final)
    blank = [
        replace(line, on_purpose=line.helmet == e)
        for line in finish_order([a, b, c, d, e, f], FINISH[:4])
    ]
    refused = removal(
        lambda: enter_results(
            users["officer"], final, blank, reason="retyped", based_on=version(final)
        )
    )
    assert refused.removed == (f"helmet {f}: time 2:30.668 removed",)


def test_a_correction_that_drops_a_time_needs_it_on_purpose(final, users):
    make_official(users["referee"], final, based_on=version(final))
    a, b, c, d, e, f = helmets(final)
    untimed = finish_order([a, b, c, d, e, f], FINISH[:5])
    refused = removal(
        lambda: correct_results(
            users["referee"], final, reason="timing", lines=untimed, based_on=version(final)
        )
    )
    assert refused.removed == (f"helmet {f}: time 2:30.668 removed",)

    result = correct_results(
        users["referee"],
        final,
        reason="the photo finish has no time for the last skater",
        lines=[replace(line, on_purpose=True) for line in untimed],
        based_on=version(final),
    )
    assert result.lines.get(helmet=f).time_ms is None
    assert result.official_at is not None


def test_laps_entered_again_without_a_starter_keep_its_laps_unless_on_purpose(final, users):
    # the timing's lap times, without the positions (a chart of five would not rank)
    laps = [replace(given, positions=()) for given in read(printout(final))]
    enter_laps(users["officer"], final, laps, based_on=version(final))
    dropped = laps[-1].helmet
    without = laps[:-1]

    refused = removal(lambda: enter_laps(users["officer"], final, without, based_on=version(final)))
    assert refused.removed == (f"helmet {dropped}: its 14 laps removed",)

    result = enter_laps(
        users["officer"],
        final,
        [*without, StarterLaps(dropped, (), on_purpose=True)],
        reason="its transponder failed: the laps are not its own",
        based_on=version(final),
    )
    assert result.lines.get(helmet=dropped).laps_ms == []


def test_a_stale_save_is_a_conflict_before_it_is_a_removal(final, users):
    opened = version(final)
    a, b, c, d, e, f = helmets(final)
    enter_results(
        users["officer"],
        final,
        finish_order([a, b, c, d, e, f], FINISH),
        reason="again",
        based_on=version(final),
    )
    before = table_counts()
    with pytest.raises(Conflict):
        enter_results(
            users["officer"],
            final,
            finish_order([a, b, c, d, e, f]),
            based_on=opened,
        )
    assert table_counts() == before
    assert models.RaceResult.objects.filter(race=final).count() == 2
