"""Who advances from a round and with which mark (RULES.md section 2)."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from shorttrack.rules.advancement import (
    AdvancementError,
    RoundAdvancement,
    advance,
    positions,
)
from shorttrack.rules.distances import DISTANCES
from shorttrack.rules.draw import Entry, draw_first_round, draw_next_round
from shorttrack.rules.progression import (
    Advancement,
    Mark,
    ProgressionPlan,
    RoundPlan,
    plan_for,
    race_sizes,
)
from shorttrack.rules.ranking import RaceLine, RoundKind, RoundResult, Status, final_ranking
from shorttrack.rules.season import ProgressionRules, Ruled, season_rules
from shorttrack.rules.times import parse_time

SEASON = season_rules("2023/24")
FINISHED, PEN, DNF, DNS, YC, RC = (
    Status.FINISHED,
    Status.PEN,
    Status.DNF,
    Status.DNS,
    Status.YC,
    Status.RC,
)
QF, SF = RoundKind.QUARTERFINALS, RoundKind.SEMIFINALS
FINAL_A, FINAL_B = RoundKind.FINAL_A, RoundKind.FINAL_B
LOT = ProgressionRules(dead_heat=Ruled("lot", "P"), time_tie=Ruled("lot", "P"))


def line(entrant, place, time=None, status=FINISHED, adv=False, dead_heat=False) -> RaceLine:
    return RaceLine(entrant, place, parse_time(time) if time else None, status, adv, dead_heat)


def marks(result: RoundAdvancement) -> dict[str, str]:
    return {q.entrant: q.mark.value for q in result.qualifiers}


# --- Seoul 2023, men's 1500m quarterfinals: top 3 of 6 races and the fastest 4th -------------

SEOUL_QF = plan_for(SEASON, "M1500", 45).round(QF)


def seoul_race(n: int, fourth: str, size: int) -> tuple[RaceLine, ...]:
    """Race n of the quarterfinals; stand-in names, the 4th place's time given."""
    lines = [line(f"QF{n}-{p}", p, f"2:{17 + p}.{n:03d}") for p in range(1, size + 1)]
    lines[3] = line(f"QF{n}-4", 4, fourth)
    return tuple(lines)


SEOUL_RACES = [
    seoul_race(1, "2:22.512", 8),
    seoul_race(2, "2:21.930", 8),  # the fastest 4th place
    seoul_race(3, "2:22.004", 8),
    seoul_race(4, "2:23.118", 7),
    seoul_race(5, "2:22.647", 7),
    seoul_race(6, "2:24.301", 7),
]


def test_seoul_quarterfinals_send_18_by_place_and_the_fastest_4th_by_time():
    result = advance(SEOUL_QF, SEOUL_RACES)
    assert len(result.to(SF)) == 19 == SEOUL_QF.sends(SF)
    assert Counter(marks(result).values()) == {"Q": 18, "q": 1}
    assert marks(result)["QF2-4"] == "q"
    assert "QF3-4" not in marks(result)
    assert result.vacant == {}


def test_a_fall_advanced_by_the_referee_is_an_extra_starter():
    races = list(SEOUL_RACES)
    # Race 5: the skater in 2nd was taken out on the last lap and did not finish.
    race = list(races[4])
    race[1] = line("QF5-2", None, None, DNF, adv=True)
    races[4] = tuple(race)
    result = advance(SEOUL_QF, races)
    assert marks(result)["QF5-2"] == "ADV"
    assert marks(result)["QF5-4"] == "Q"  # the 4th moved up to 3rd
    assert len(result.to(SF)) == 20  # 19 planned and one extra


def test_an_advanced_skater_who_finished_in_a_qualifying_place_is_simply_q():
    races = list(SEOUL_RACES)
    races[0] = (dataclasses.replace(races[0][0], advanced=True),) + races[0][1:]
    result = advance(SEOUL_QF, races)
    assert marks(result)["QF1-1"] == "Q"
    assert len(result.to(SF)) == 19


# --- penalties, cards, falls --------------------------------------------------------------

QF_500 = plan_for(SEASON, "W500", 20).round(QF)  # 4 races of 5: top 2 and the 2 fastest 3rd


def test_a_penalised_skater_is_out_and_those_behind_move_up():
    sheet = (
        line("SCHULTING Suzanne", 1, "42.510"),
        line("VELZEBOER Xandra", 2, "42.533", PEN),  # the sheet kept her place
        line("BOUTIN Kim", 3, "42.602"),
        line("SANTOS-GRISWOLD Kristen", 4, "42.990"),
        line("CHOI Min-jeong", None, None, DNS),
    )
    assert positions(sheet) == {
        "SCHULTING Suzanne": 1,
        "BOUTIN Kim": 2,
        "SANTOS-GRISWOLD Kristen": 3,
    }


def test_pen_yc_rc_dnf_and_dns_do_not_advance():
    races = [
        (
            line("A1", 1, "43.100"),
            line("A2", None, "43.000", PEN),
            line("A3", None, "43.200", YC),
            line("A4", None, None, DNF),
            line("A5", 2, "44.900"),
        ),
        (line("B1", 1, "43.300"), line("B2", 2, "43.400"), line("B3", None, None, RC)),
        (line("C1", 1, "43.500"), line("C2", 2, "43.600"), line("C3", 3, "43.900")),
        (line("D1", 1, "43.700"), line("D2", 2, "43.800"), line("D3", 3, "43.950")),
    ]
    result = advance(dataclasses.replace(QF_500, race_sizes=(5, 3, 3, 3)), races)
    assert set(marks(result)) == {"A1", "A5", "B1", "B2", "C1", "C2", "D1", "D2", "C3", "D3"}
    assert marks(result)["C3"] == marks(result)["D3"] == "q"
    assert [result.sheet_mark(ln) for ln in races[0]] == ["Q", "PEN", "YC", "DNF", "Q"]
    assert [result.sheet_mark(ln) for ln in races[1]] == ["Q", "Q", "RC"]


def test_adv_is_refused_with_a_penalty_and_in_a_final():
    with pytest.raises(AdvancementError, match=r"A2 has PEN and cannot also be advanced"):
        advance(
            dataclasses.replace(QF_500, race_sizes=(2, 1, 1, 1)),
            [(line("A1", 1, "43.1"), line("A2", None, None, PEN, adv=True))]
            + [(line(f"X{i}", 1, "44.0"),) for i in range(3)],
        )
    final = plan_for(SEASON, "W500", 20).round(FINAL_A)
    with pytest.raises(AdvancementError, match=r"ADV for A1, but a final has no next round"):
        advance(final, [(line("A1", None, None, DNF, adv=True), line("A2", 1, "43.0"))])


def test_results_that_do_not_match_the_plan():
    with pytest.raises(AdvancementError, match=r"planned as 4 races; results of 1 were given"):
        advance(QF_500, [(line("A1", 1, "43.1"),)])
    with pytest.raises(AdvancementError, match=r"A1 is in race 1 and race 2"):
        advance(QF_500, [(line("A1", 1, "43.1"),), (line("A1", 1, "43.1"),), (), ()])


# --- dead heats and equal times -----------------------------------------------------------

HEATS_1000 = plan_for(SEASON, "W1000", 35).round(RoundKind.HEATS)  # 7 x 5: top 2 + 6 thirds


def heats_with(first_race: tuple[RaceLine, ...]) -> list[tuple[RaceLine, ...]]:
    others = [
        tuple(line(f"H{n}-{p}", p, f"1:3{p}.{n:03d}") for p in range(1, 6)) for n in range(2, 8)
    ]
    return [first_race, *others]


DEAD_HEAT = (
    line("KIM Gil-li", 1, "1:29.101"),
    line("SANTOS-GRISWOLD Kristen", 2, "1:29.245", dead_heat=True),
    line("SCHULTING Suzanne", 2, "1:29.245", dead_heat=True),
    line("H1-4", 4, "1:31.500"),
    line("H1-5", 5, "1:32.000"),
)


def test_a_dead_heat_for_the_last_place_by_place_sends_both_on():
    result = advance(HEATS_1000, heats_with(DEAD_HEAT))
    assert marks(result)["SANTOS-GRISWOLD Kristen"] == marks(result)["SCHULTING Suzanne"] == "Q"
    assert len(result.to(QF)) == 21  # 20 planned and one extra


def test_a_dead_heat_decided_by_lot_is_the_same_for_the_same_seed():
    result = advance(HEATS_1000, heats_with(DEAD_HEAT), rules=LOT, seed=2023)
    again = advance(HEATS_1000, heats_with(DEAD_HEAT), rules=LOT, seed=2023)
    assert result == again
    (lot,) = result.lots
    assert lot.tied == ("SANTOS-GRISWOLD Kristen", "SCHULTING Suzanne")
    assert lot.places == 1
    loser = next(name for name in lot.tied if name not in lot.winners)
    assert marks(result)[lot.winners[0]] == "Q"
    # The loser counts as 3rd, and 1:29.245 is the fastest 3rd of all the heats.
    assert marks(result)[loser] == "q"
    assert len(result.to(QF)) == 20


def test_equal_times_for_the_last_place_by_time_send_both_on():
    races = heats_with(tuple(line(f"H1-{p}", p, f"1:3{p}.999") for p in range(1, 6)))
    # The 3rd places of heats 2-7 skate 1:33.002 to 1:33.007; heat 1's 3rd place equals the
    # sixth fastest, 1:33.007, so seven thirds go on where six were planned.
    races[0] = races[0][:2] + (line("H1-3", 3, "1:33.007"),) + races[0][3:]
    result = advance(HEATS_1000, races)
    assert marks(result)["H1-3"] == marks(result)["H7-3"] == "q"
    assert len(result.to(QF)) == 21


def test_a_lot_without_a_seed_says_so():
    with pytest.raises(
        AdvancementError,
        match=r"a lot must decide the dead heat for place 2, race 1 between "
        r"SANTOS-GRISWOLD Kristen, SCHULTING Suzanne: give the seed",
    ):
        advance(HEATS_1000, heats_with(DEAD_HEAT), rules=LOT)


# --- semifinals into the finals -----------------------------------------------------------

SEMIS = plan_for(SEASON, "W500", 20).round(SF)  # 2 races of 5: QA top 2, QB places 3-4


SLC_SEMIS = [
    (
        line("VELZEBOER Xandra", 1, "42.010"),
        line("BOUTIN Kim", 2, "42.120"),
        line("FONTANA Arianna", 3, "42.300"),
        line("KIM Gil-li", 4, "42.350"),
        line("SANTOS-GRISWOLD Kristen", None, None, DNF, adv=True),
    ),
    (
        line("SCHULTING Suzanne", 1, "42.200"),
        line("MALISZEWSKA Natalia", 2, "42.250"),
        line("DESMET Hanne", 3, "42.400"),
        line("SAROULT Courtney", 4, "42.500"),
        line("CHOI Min-jeong", 5, "42.900"),
    ),
]


def test_semifinals_send_qa_and_qb_and_an_adv_goes_to_final_a():
    result = advance(SEMIS, SLC_SEMIS)
    assert [q.entrant for q in result.to(FINAL_A)] == [
        "VELZEBOER Xandra",
        "BOUTIN Kim",
        "SCHULTING Suzanne",
        "MALISZEWSKA Natalia",
        "SANTOS-GRISWOLD Kristen",
    ]
    assert marks(result)["SANTOS-GRISWOLD Kristen"] == "ADV"
    assert {q.mark for q in result.to(FINAL_B)} == {Mark.QB}
    assert len(result.to(FINAL_B)) == 4


CRASH = [
    (
        line("A1", 1, "42.800"),
        line("A2", 2, "42.900"),
        line("A3", None, None, DNF),
        line("A4", None, None, DNF),
        line("A5", None, "43.000", PEN),
    ),
    SLC_SEMIS[1],
]


def test_places_a_crash_leaves_empty_go_to_the_fastest_other_finishers():
    result = advance(SEMIS, CRASH)
    assert len(result.to(FINAL_A)) == 4
    assert [(q.entrant, q.mark.value) for q in result.to(FINAL_B)] == [
        ("DESMET Hanne", "QB"),
        ("SAROULT Courtney", "QB"),
        ("CHOI Min-jeong", "QB"),  # 5th in her semifinal, the only other finisher
    ]
    assert result.vacant == {FINAL_B: 1}


def test_a_semifinalist_harmed_on_the_way_to_final_a_goes_there_not_to_final_b():
    """3rd in a semifinal (QB) after being brought down from 2nd: the referee's ADV puts
    her in Final A as an extra starter, and her Final B place stays empty."""
    semifinal = (
        RaceLine("SCHULTING Suzanne", 1, 88_100),
        RaceLine("SANTOS Kristen", 2, 88_200),
        RaceLine("KIM Gil-li", 3, 88_900, advanced=True),
        RaceLine("DESMET Hanne", 4, 89_400),
    )
    plan = RoundPlan(
        RoundKind.SEMIFINALS,
        (4,),
        (
            Advancement(Mark.QA, FINAL_A, (1, 2)),
            Advancement(Mark.QB, FINAL_B, (3, 4)),
        ),
    )
    result = advance(plan, [semifinal])
    assert [(q.entrant, q.mark.value) for q in result.to(FINAL_A)] == [
        ("SCHULTING Suzanne", "QA"),
        ("SANTOS Kristen", "QA"),
        ("KIM Gil-li", "ADV"),
    ]
    assert [q.entrant for q in result.to(FINAL_B)] == ["DESMET Hanne"]
    assert result.vacant == {FINAL_B: 1}


def test_a_season_may_leave_those_places_empty():
    rules = ProgressionRules(vacancies=Ruled("leave_empty", "P"))
    result = advance(SEMIS, CRASH, rules=rules)
    assert len(result.to(FINAL_B)) == 2
    assert result.vacant == {FINAL_B: 2}


# --- every plan, skated with every skater finishing -----------------------------------------


def skate_to_the_end(starters: list[str], number: int, adv_last: bool) -> tuple[RaceLine, ...]:
    """Race ``number``, which everyone finishes in the order given, no two times of the
    round equal; the last may be advanced by the referee."""
    return tuple(
        RaceLine(e, p, 60_000 + 100 * p + number, advanced=adv_last and p == len(starters) > 1)
        for p, e in enumerate(starters, start=1)
    )


@pytest.mark.parametrize("adv", [False, True], ids=["clean", "adv-in-race-1"])
def test_every_default_plan_fills_exactly_its_next_rounds(adv: bool):
    for dist in DISTANCES.values():
        for entries in range(4, (32 if dist.relay else 130) + 1):
            plan = plan_for(SEASON, dist, entries)
            drawn = draw_first_round(
                [Entry(f"E{i:03d}") for i in range(entries)], plan.rounds[0].races, seed=entries
            )
            pending: dict[RoundKind, list] = {}
            vacated: dict[RoundKind, int] = {}
            for index, round_plan in enumerate(plan.rounds):
                if index:
                    drawn = draw_next_round(pending[round_plan.kind], round_plan.races, seed=index)
                races = [
                    skate_to_the_end(
                        [s.entrant for s in sorted(race.starters, key=lambda s: s.seed)],
                        race.number,
                        adv and race.number == 1 and bool(round_plan.targets),
                    )
                    for race in drawn.races
                ]
                sizes = sorted(len(r) for r in races)
                planned = sorted(round_plan.race_sizes)
                extras = sum(1 for q in pending.get(round_plan.kind, ()) if q.mark is Mark.ADV)
                empty = vacated.get(round_plan.kind, 0)
                assert sum(sizes) == sum(planned) + extras - empty
                assert sum(a != b for a, b in zip(sizes, planned, strict=True)) <= extras + empty
                result = advance(round_plan, races)
                for target in round_plan.targets:
                    sent = result.to(target)
                    adv_count = sum(1 for q in sent if q.mark is Mark.ADV)
                    moved_up = result.vacant.get(target, 0)  # an ADV from a QB place
                    assert len(sent) - adv_count + moved_up == round_plan.sends(target)
                    assert adv_count <= 1
                    pending.setdefault(target, []).extend(sent)
                    vacated[target] = vacated.get(target, 0) + moved_up


# --- a whole distance with whatever happens in the races ------------------------------------

STATUSES = (FINISHED,) * 10 + (PEN, DNF, DNS, YC, RC)
SIZES = [
    (key, n)
    for key in DISTANCES
    for n in ((4, 6, 9, 13, 16, 24, 32) if DISTANCES[key].relay else (4, 7, 11, 23, 35, 48, 110))
]


def race_results(rng: random.Random, starters: list[str], final: bool) -> tuple[RaceLine, ...]:
    """A result sheet: finishers by place (now and then a dead heat), PEN, YC, RC, DNF,
    DNS; times close enough to tie; in a qualifying round the odd ADV."""
    lines: list[RaceLine] = []
    place = 0
    for position, entrant in enumerate(rng.sample(starters, len(starters))):
        status = rng.choice(STATUSES)
        time = 60_000 + rng.randint(0, 6)
        advanced = not final and status in (FINISHED, DNF) and rng.randint(0, 12) == 0
        if status is FINISHED:
            tie = place > 0 and rng.randint(0, 6) == 0
            place = place if tie else position + 1
            lines.append(RaceLine(entrant, place, time, status, advanced, tie))
        else:
            lines.append(RaceLine(entrant, None, time, status, advanced))
    return tuple(lines)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SIZES), st.integers(0, 2**32), st.integers(0, 2**32))
def test_a_whole_distance_nobody_advances_twice_nobody_is_lost_final_a_as_planned(
    size, seed, races_seed
):
    key, entries = size
    rng = random.Random(races_seed)  # the race results; cheap to draw for a field of 110
    plan: ProgressionPlan = plan_for(SEASON, key, entries)
    everyone = [f"{key}-{i:03d}" for i in range(entries)]
    pending: dict[RoundKind, list] = {}
    skated: dict[RoundKind, list[tuple[RaceLine, ...]]] = {}
    advancements: dict[RoundKind, RoundAdvancement] = {}
    short = False  # some round had too few qualifiers for its planned races
    for index, round_plan in enumerate(plan.rounds):
        if index == 0:
            drawn = draw_first_round([Entry(e) for e in everyone], round_plan.races, seed)
        else:
            qualifiers = pending.get(round_plan.kind, [])
            entrants = [q.entrant for q in qualifiers]
            assert len(entrants) == len(set(entrants)), "nobody is sent to a round twice"
            if len(qualifiers) < round_plan.races:
                short = True
                if not qualifiers:
                    continue
                round_plan = dataclasses.replace(
                    round_plan, race_sizes=race_sizes(len(qualifiers), len(qualifiers))
                )
            drawn = draw_next_round(qualifiers, round_plan.races, seed)
            assert sorted(drawn.order) == sorted(entrants)
        races = [
            race_results(rng, [s.entrant for s in race.starters], round_plan.kind.final)
            for race in drawn.races
        ]
        skated[round_plan.kind] = races
        result = advance(round_plan, races, rules=LOT, seed=seed)
        advancements[round_plan.kind] = result
        for name, happened in (
            ("ADV", any(q.mark is Mark.ADV for q in result.qualifiers)),
            ("lot", bool(result.lots)),
            ("vacant place", bool(result.vacant)),
        ):
            if happened:
                event(name)
        going = [q.entrant for q in result.qualifiers]
        assert len(going) == len(set(going)), "nobody qualifies twice from one round"
        by_entrant = {ln.entrant: ln for race in races for ln in race}
        for q in result.qualifiers:
            status = by_entrant[q.entrant].status
            assert status is FINISHED or (status is DNF and q.mark is Mark.ADV)
        for target in round_plan.targets:
            pending.setdefault(target, []).extend(result.to(target))

    event(f"{len(plan.rounds)} rounds")
    rounds = [RoundResult(kind, tuple(races)) for kind, races in skated.items()]
    ranking = final_ranking(rounds)
    assert Counter(r.entrant for r in ranking) == Counter(everyone), "everyone ranked once"

    feeders = plan.feeders(FINAL_A)
    semifinal = feeders[0].kind if feeders else None
    if semifinal in advancements and not short:
        sent = advancements[semifinal].to(FINAL_A)
        extras = sum(1 for q in sent if q.mark is Mark.ADV)
        vacant = advancements[semifinal].vacant.get(FINAL_A, 0)
        assert len(sent) == plan.round(FINAL_A).capacity + extras - vacant
        if vacant:  # only when no other finisher was left to take the place
            taken = {q.entrant for q in sent}
            assert all(
                ln.entrant in taken
                for race in skated[semifinal]
                for ln in race
                if ln.status is FINISHED and not ln.advanced
            )
