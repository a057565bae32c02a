"""The laps of a 1500 m (13.5 laps: 14 timed, the half lap from the start first) entered
from the timing's printout as a new revision of the result, and bad laps refused with
nothing changed."""

from __future__ import annotations

import pytest

from shorttrack.officials.lap_sheet import read
from shorttrack.services.draws import draw_first_round
from shorttrack.services.errors import Conflict, Invalid
from shorttrack.services.laps import enter_laps
from shorttrack.services.race_results import enter_results, finish_order, start_race
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, races_of
from tests.support import table_counts

pytestmark = pytest.mark.django_db

FINISH = ["2:29.084", "2:29.406", "2:29.437", "2:30.025", "2:30.353", "2:30.668"]
# The printout of the Final A, one line per lap, a column per skater in finish order.
PRINTOUT = """\
Lap {helmets}
1 [3] 10.37 (10.37)  [1] 10.22 (10.22)  [5] 10.54 (10.54)  [2] 10.24 (10.24)  [4] 10.46 (10.46)  [6] 10.62 (10.62)
2 [1] 25.92 (15.55)  [2] 25.95 (15.73)  [3] 26.03 (15.49)  [4] 26.06 (15.82)  [6] 26.15 (15.69)  [5] 26.12 (15.50)
3 [1] 39.34 (13.42)  [2] 39.38 (13.43)  [5] 39.56 (13.53)  [3] 39.42 (13.36)  [4] 39.51 (13.36)  [6] 39.65 (13.53)
4 [4] 51.78 (12.44)  [1] 51.45 (12.07)  [6] 51.96 (12.40)  [5] 51.80 (12.38)  [2] 51.69 (12.18)  [3] 51.71 (12.06)
5 [2] 1:02.66 (10.88)  [1] 1:02.45 (11.00)  [5] 1:03.06 (11.10)  [6] 1:03.08 (11.28)  [4] 1:03.04 (11.35)  [3] 1:02.95 (11.24)
6 [2] 1:12.95 (10.29)  [1] 1:12.75 (10.30)  [4] 1:13.34 (10.28)  [6] 1:13.44 (10.36)  [5] 1:13.40 (10.36)  [3] 1:13.33 (10.38)
7 [2] 1:23.16 (10.21)  [1] 1:22.97 (10.22)  [3] 1:23.35 (10.01)  [4] 1:23.37 (9.93)  [6] 1:23.71 (10.31)  [5] 1:23.51 (10.18)
8 [1] 1:32.82 (9.66)  [2] 1:32.84 (9.87)  [3] 1:32.97 (9.62)  [4] 1:33.34 (9.97)  [6] 1:33.80 (10.09)  [5] 1:33.54 (10.03)
9 [2] 1:42.40 (9.58)  [1] 1:42.22 (9.38)  [3] 1:42.67 (9.70)  [4] 1:43.05 (9.71)  [6] 1:43.30 (9.50)  [5] 1:43.23 (9.69)
10 [3] 1:51.97 (9.57)  [1] 1:51.78 (9.56)  [2] 1:51.95 (9.28)  [5] 1:52.65 (9.60)  [4] 1:52.55 (9.25)  [6] 1:52.70 (9.47)
11 [2] 2:01.11 (9.14)  [1] 2:00.96 (9.18)  [3] 2:01.24 (9.29)  [4] 2:01.88 (9.23)  [5] 2:02.02 (9.47)  [6] 2:02.30 (9.60)
12 [2] 2:10.52 (9.41)  [1] 2:10.19 (9.23)  [3] 2:10.59 (9.35)  [4] 2:11.20 (9.32)  [5] 2:11.30 (9.28)  [6] 2:11.59 (9.29)
13 [2] 2:19.80 (9.28)  [1] 2:19.74 (9.55)  [3] 2:19.83 (9.24)  [4] 2:20.41 (9.21)  [5] 2:20.78 (9.48)  [6] 2:21.03 (9.44)
14 [1] 2:29.084 (9.28)  [2] 2:29.406 (9.66)  [3] 2:29.437 (9.60)  [4] 2:30.025 (9.61)  [5] 2:30.353 (9.57)  [6] 2:30.668 (9.63)
"""


@pytest.fixture
def final(montreal, users, skaters) -> models.Race:
    """The women's 1500m of six, a Final A alone, its finish entered: unofficial."""
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


def helmets(race) -> list[int]:
    return sorted(race.start_list.values_list("helmet", flat=True))


def printout(race, text=PRINTOUT) -> str:
    return text.format(helmets=" ".join(str(h) for h in helmets(race)))


def test_a_1500m_printout_gives_each_finisher_its_14_laps_in_a_new_revision(final, users):
    result = enter_laps(users["officer"], final, read(printout(final)), based_on=version(final))

    winner = result.lines.get(place=1)
    assert len(winner.laps_ms) == 14
    assert winner.laps_ms[:3] == [10370, 15550, 13420]
    assert winner.lap_elapsed_ms[-1] == 149084 == winner.time_ms
    assert winner.lap_positions == [3, 1, 1, 4, 2, 2, 2, 1, 2, 3, 2, 2, 2, 1]
    assert result.number == 2 and result.official_at is None
    assert result.revision.recorded_by == users["officer"]
    assert result.revision.reason == "laps entered from the timing (6 skaters, 14 laps)"
    assert [line.time for line in result.lines.order_by("place")] == FINISH


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("14 [1] 2:29.084 (9.28)", "13 laps"),  # the last lap of the winner left off
        ("(9.58)  [1] 1:42.22", "summing to"),  # a lap time mistyped: 9.58 -> 9.85
    ],
)
def test_laps_that_do_not_add_up_are_refused_naming_the_helmet(final, users, change, reason):
    text = printout(final)
    if change.startswith("14"):
        text = text.replace("14 [1] 2:29.084 (9.28)", "14 -")
    else:
        text = text.replace("(9.58)  [1] 1:42.22", "(9.85)  [1] 1:42.22")
    before = table_counts()
    with pytest.raises(Invalid) as refused:
        enter_laps(users["officer"], final, read(text), based_on=version(final))
    assert f"helmet {helmets(final)[0]}" in str(refused.value)
    assert reason in str(refused.value)
    assert table_counts() == before


def test_laps_from_a_page_opened_before_another_write_are_a_conflict(final, users):
    stale = version(final) - 1
    with pytest.raises(Conflict):
        enter_laps(users["officer"], final, read(printout(final)), based_on=stale)


def test_a_line_of_the_printout_that_cannot_be_read_is_named(final):
    text = printout(final).replace("3 [1] 39.34 (13.42)", "3 [1] 39.3x (13.42)")
    with pytest.raises(ValueError, match=r"line 4: lap 3: elapsed time '39.3x' is not a time"):
        read(text)
