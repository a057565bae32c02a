"""Seeding, serpentine and start positions (RULES.md section 2), reproducible from a seed."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.advancement import Qualifier
from shorttrack.rules.draw import (
    Draw,
    DrawError,
    Entry,
    StartPosition,
    draw_first_round,
    draw_next_round,
    serpentine,
)
from shorttrack.rules.progression import Mark, race_sizes
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.season import ProgressionRules, Ruled
from shorttrack.rules.times import parse_time

QF = RoundKind.QUARTERFINALS

# Men's 1000m, 2023/24: the top of the World Cup ranking and some unranked skaters with a
# season best (stand-in ranks and times).
ENTRIES = [
    Entry("PARK Ji-won (KOR)", 1, parse_time("1:23.911")),
    Entry("DUBOIS Steven (CAN)", 2, parse_time("1:24.120")),
    Entry("DANDJINOU William (CAN)", 3, parse_time("1:23.750")),
    Entry("SIGHEL Pietro (ITA)", 4, parse_time("1:24.500")),
    Entry("KIM Gun-woo (KOR)", 5, parse_time("1:24.333")),
    Entry("VAN 'T WOUT Jens (NED)", 6),
    Entry("LIU Shaoang (CHN)", None, parse_time("1:24.010")),
    Entry("PIERRE-GILLES Jordan (CAN)", None, parse_time("1:25.200")),
    Entry("BERGSMA Itzhak de Laat (NED)", None, parse_time("1:24.700")),
    Entry("LAOUN Maxime (CAN)", None),
]


def races_of(draw: Draw) -> list[list[str]]:
    """Each race's entrants in seed order."""
    return [[s.entrant for s in sorted(race.starters, key=lambda s: s.seed)] for race in draw.races]


def test_seeded_by_world_cup_rank_then_season_best_then_lot():
    draw = draw_first_round(ENTRIES, 2, seed=20231020)
    assert draw.order[:9] == (
        "PARK Ji-won (KOR)",
        "DUBOIS Steven (CAN)",
        "DANDJINOU William (CAN)",
        "SIGHEL Pietro (ITA)",
        "KIM Gun-woo (KOR)",
        "VAN 'T WOUT Jens (NED)",
        "LIU Shaoang (CHN)",  # unranked: by season best
        "BERGSMA Itzhak de Laat (NED)",
        "PIERRE-GILLES Jordan (CAN)",
    )
    assert draw.order[9] == "LAOUN Maxime (CAN)"  # neither rank nor time: last, by lot
    assert draw.method == (
        "World Cup rank, then season best time, then lot; serpentine over 2 races; "
        "start positions by lot"
    )


def test_serpentine_puts_seeds_1_4_5_8_9_in_race_1_and_2_3_6_7_10_in_race_2():
    assert serpentine(10, 2) == (1, 2, 2, 1, 1, 2, 2, 1, 1, 2)
    draw = draw_first_round(ENTRIES, 2, seed=1)
    assert [s.seed for s in sorted(draw.races[0].starters, key=lambda s: s.seed)] == [
        1,
        4,
        5,
        8,
        9,
    ]
    assert races_of(draw)[1][:2] == ["DUBOIS Steven (CAN)", "DANDJINOU William (CAN)"]


def test_start_positions_are_drawn_and_a_sixth_starter_goes_to_the_second_row():
    draw = draw_first_round(ENTRIES[:7], 1, seed=7)
    (race,) = draw.races
    assert sorted(s.start.number for s in race.starters) == [1, 2, 3, 4, 5, 6, 7]
    assert {s.qualified_by for s in race.starters} == {"seed"}
    assert StartPosition(5).row == 1
    assert (StartPosition(6).row, StartPosition(6).slot) == (2, 1)
    assert StartPosition(7).label == "7 (second row)"
    assert StartPosition(3).label == "3"


def test_a_season_may_put_the_best_seed_inside():
    rules = ProgressionRules(start_positions=Ruled("seed", "P"))
    draw = draw_first_round(ENTRIES, 2, seed=7, rules=rules)
    for race in draw.races:
        assert [s.seed for s in race.starters] == sorted(s.seed for s in race.starters)
    assert draw.method.endswith("best seed inside")


def qualifier(entrant, mark, race, position, time) -> Qualifier:
    return Qualifier(entrant, mark, QF, race, position, parse_time(time) if time else None)


def test_the_next_round_is_seeded_by_place_then_time_with_adv_last():
    qualifiers = [
        qualifier("H1 winner", Mark.Q, 1, 1, "1:26.500"),
        qualifier("H2 winner", Mark.Q, 2, 1, "1:25.900"),
        qualifier("H1 second", Mark.Q, 1, 2, "1:26.600"),
        qualifier("H2 second", Mark.Q, 2, 2, "1:26.000"),
        qualifier("fastest third", Mark.q, 2, 3, "1:26.100"),
        qualifier("H1 fall", Mark.ADV, 1, None, None),
    ]
    draw = draw_next_round(qualifiers, 2, seed=11)
    assert draw.order == (
        "H2 winner",
        "H1 winner",
        "H2 second",
        "H1 second",
        "fastest third",
        "H1 fall",
    )
    assert races_of(draw) == [
        ["H2 winner", "H1 second", "fastest third"],
        ["H1 winner", "H2 second", "H1 fall"],
    ]
    marks = {s.entrant: s.qualified_by for race in draw.races for s in race.starters}
    assert marks["H1 fall"] == "ADV" and marks["fastest third"] == "q"


def test_draws_that_cannot_be_made():
    with pytest.raises(DrawError, match=r"LAOUN Maxime \(CAN\) is entered twice"):
        draw_first_round([*ENTRIES, Entry("LAOUN Maxime (CAN)")], 2, seed=1)
    with pytest.raises(DrawError, match=r"3 entrants cannot fill 4 races"):
        draw_first_round(ENTRIES[:3], 4, seed=1)
    mixed = [
        qualifier("A", Mark.Q, 1, 1, "42.0"),
        Qualifier("B", Mark.QA, RoundKind.FINAL_A, 1, 1, 42_000),
    ]
    with pytest.raises(DrawError, match=r"draw each round on its own"):
        draw_next_round(mixed, 1, seed=1)


# --- properties ---------------------------------------------------------------------------

fields = st.integers(1, 130).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.builds(
                Entry,
                st.just(""),
                st.one_of(st.none(), st.integers(1, 40)),
                st.one_of(st.none(), st.integers(41_000, 41_050)),
            ),
            min_size=n,
            max_size=n,
        ).map(
            lambda es: [
                Entry(f"S{i:03d}", e.world_cup_rank, e.season_best_ms) for i, e in enumerate(es)
            ]
        ),
        st.integers(1, max(1, n // 4)),
    )
)


@settings(max_examples=60, deadline=None)
@given(fields, st.integers(0, 2**63), st.randoms(use_true_random=False))
def test_a_draw_is_the_same_from_its_seed_whatever_order_the_entries_come_in(field, seed, rnd):
    entries, races = field
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert draw_first_round(shuffled, races, seed) == draw_first_round(entries, races, seed)


def test_different_seeds_give_different_draws():
    draws = {draw_first_round(ENTRIES, 2, seed).races for seed in range(5)}
    assert len(draws) > 1


@settings(max_examples=60, deadline=None)
@given(fields, st.integers(0, 2**63))
def test_serpentine_spreads_the_top_seeds_and_evens_the_races(field, seed):
    entries, races = field
    draw = draw_first_round(entries, races, seed)
    race_of_seed = {s.seed: race.number for race in draw.races for s in race.starters}
    assert sorted(race_of_seed[n] for n in range(1, races + 1)) == list(range(1, races + 1))
    sizes = Counter(len(race.starters) for race in draw.races)
    assert sizes == Counter(race_sizes(len(entries), races))
    for race in draw.races:
        assert [s.start.number for s in race.starters] == list(range(1, len(race.starters) + 1))
    ranked = [e for e in entries if e.world_cup_rank is not None]
    positions = {entrant: i for i, entrant in enumerate(draw.order)}
    for better in ranked:
        for other in entries:
            if other.world_cup_rank is None or other.world_cup_rank > better.world_cup_rank:
                assert positions[better.entrant] < positions[other.entrant]


def test_the_best_seeds_may_skip_the_first_round():
    """The 2019/20 relays: the best-seeded teams straight into the quarterfinals."""
    from shorttrack.rules.draw import Entry, draw_first_round

    entries = [Entry(f"t{n}", world_cup_rank=n) for n in range(1, 14)]
    drawn = draw_first_round(entries, 1, seed=5, byes=10)
    assert drawn.byes == tuple(f"t{n}" for n in range(1, 11))
    assert {s.entrant for s in drawn.races[0].starters} == {"t11", "t12", "t13"}
    assert drawn.order[:10] == drawn.byes and drawn.to_dict()["byes"] == list(drawn.byes)
