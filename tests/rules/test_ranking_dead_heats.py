"""What a dead heat is (rules.ranking.dead_heat_between), and that the advancement and the
final ranking read it alike: finishers of one race given the same place share it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.advancement import advance, positions
from shorttrack.rules.progression import Advancement, Mark, RoundPlan
from shorttrack.rules.ranking import (
    RaceLine,
    RoundKind,
    RoundResult,
    Status,
    dead_heat_between,
    final_ranking,
)

FINISHED, PEN, DNF, DNS = Status.FINISHED, Status.PEN, Status.DNF, Status.DNS
HEATS, QF = RoundKind.HEATS, RoundKind.QUARTERFINALS


def ranks(*races: tuple[RaceLine, ...]) -> dict[str, int | None]:
    return {r.entrant: r.rank for r in final_ranking([RoundResult(HEATS, races)])}


# Dresden 2019/20, men's 1000 m heat 7 as the ISU page prints it: two 3rd places, 1:27.935
# and 1:30.345, both marked as a dead heat; two skaters penalised.
DRESDEN_HEAT_7 = (
    RaceLine("SUN Long", 1, 87_364),
    RaceLine("PIERRE-GILLES Jordan", 3, 87_935, dead_heat=True),
    RaceLine("MURPHY Peter", 3, 90_345, dead_heat=True),
    RaceLine("KRUZBERGS Roberts", None, None, PEN),
    RaceLine("SHAMUKHANOV Yerkebulan", None, None, PEN),
)


def test_finishers_given_the_same_place_are_a_dead_heat():
    _, pierre_gilles, murphy, kruzbergs, _ = DRESDEN_HEAT_7
    assert dead_heat_between(pierre_gilles, murphy)
    assert not dead_heat_between(DRESDEN_HEAT_7[0], pierre_gilles)
    # A penalised skater the sheet left in 3rd shares nothing: the finishers move up.
    assert not dead_heat_between(pierre_gilles, RaceLine("KRUZBERGS Roberts", 3, None, PEN))
    assert not dead_heat_between(kruzbergs, DRESDEN_HEAT_7[4])
    # Finishers without a place are not a dead heat: nothing says they tied.
    assert not dead_heat_between(RaceLine("x", None, 90_000), RaceLine("y", None, 90_000))


def test_a_dead_heat_shares_its_place_whatever_the_times_say():
    assert positions(DRESDEN_HEAT_7) == {
        "SUN Long": 1,
        "PIERRE-GILLES Jordan": 2,
        "MURPHY Peter": 2,
    }
    assert ranks(DRESDEN_HEAT_7) == {
        "SUN Long": 1,
        "PIERRE-GILLES Jordan": 2,
        "MURPHY Peter": 2,
        "KRUZBERGS Roberts": 4,
        "SHAMUKHANOV Yerkebulan": 5,
    }


def test_the_place_decides_not_the_mark():
    # The result-sheet checks refuse a shared place without DH and a DH without a shared
    # place; the rules read the places, so both modules agree even on such a sheet.
    unmarked = (RaceLine("A", 1, 42_000), RaceLine("B", 2, 42_300), RaceLine("C", 2, 42_300))
    assert positions(unmarked) == {"A": 1, "B": 2, "C": 2}
    assert ranks(unmarked) == {"A": 1, "B": 2, "C": 2}
    marked_alone = (RaceLine("A", 1, 42_000, dead_heat=True), RaceLine("B", 2, 42_300))
    assert positions(marked_alone) == {"A": 1, "B": 2}
    assert ranks(marked_alone) == {"A": 1, "B": 2}


def test_among_other_races_a_dead_heat_is_placed_by_its_faster_time():
    # The place they share was skated in 1:27.935: ahead of another heat's 3rd in 1:28.500,
    # though MURPHY alone (1:30.345) would be behind it.
    heat_2 = (RaceLine("H2-1", 1, 86_900), RaceLine("H2-2", 2, 87_100), RaceLine("H2-3", 3, 88_500))
    assert ranks(DRESDEN_HEAT_7, heat_2) == {
        "H2-1": 1,
        "SUN Long": 2,
        "H2-2": 3,
        "PIERRE-GILLES Jordan": 4,
        "MURPHY Peter": 4,
        "H2-3": 6,
        "KRUZBERGS Roberts": 7,
        "SHAMUKHANOV Yerkebulan": 8,  # two PEN of one race: the order of the sheet
    }


def test_a_dead_heat_across_the_last_qualifying_place_sends_both_on():
    plan = RoundPlan(HEATS, (5,), (Advancement(Mark.Q, QF, (1, 2)),))  # top 2 to the quarterfinals
    result = advance(plan, [DRESDEN_HEAT_7])
    assert result.marks == {
        "SUN Long": Mark.Q,
        "PIERRE-GILLES Jordan": Mark.Q,
        "MURPHY Peter": Mark.Q,
    }


# --- properties --------------------------------------------------------------------------


@st.composite
def sheet(draw) -> tuple[RaceLine, ...]:
    """One race's lines in any order: places with ties, marked or not, times that may
    disagree with the places, finishers without a place now and then, PEN (with a place
    or not), DNF and DNS."""
    lines = []
    for number in range(draw(st.integers(1, 9))):
        status = draw(st.sampled_from((FINISHED,) * 5 + (PEN, DNF, DNS)))
        place = draw(st.one_of(st.none(), st.integers(1, 6)))
        if status is FINISHED and draw(st.integers(0, 9)) == 0:
            place = None
        time = draw(st.one_of(st.none(), st.integers(42_000, 42_003)))
        lines.append(RaceLine(f"S{number}", place, time, status, dead_heat=draw(st.booleans())))
    return tuple(draw(st.permutations(lines)))


@settings(max_examples=400, deadline=None)
@given(sheet())
def test_positions_and_ranks_order_a_race_s_finishers_alike(race):
    position = positions(race)
    rank = ranks(race)
    finishers = [line for line in race if line.status is FINISHED]
    assert position.keys() == {line.entrant for line in finishers}
    for a in finishers:
        for b in finishers:
            if a.entrant == b.entrant:
                continue
            shared = dead_heat_between(a, b)
            assert shared is (position[a.entrant] == position[b.entrant])
            assert shared is (rank[a.entrant] == rank[b.entrant])
            before = position[a.entrant] < position[b.entrant]
            assert before is (rank[a.entrant] < rank[b.entrant])


@settings(max_examples=400, deadline=None)
@given(sheet())
def test_a_position_counts_the_finishers_placed_ahead(race):
    """1, 2, 2, 4: a dead heat takes the places it covers; PEN, DNF and DNS take none."""
    position = positions(race)
    for line in race:
        if line.status is FINISHED and line.place is not None:
            ahead = [
                other
                for other in race
                if other.status is FINISHED and other.place is not None and other.place < line.place
            ]
            assert position[line.entrant] == 1 + len(ahead)
