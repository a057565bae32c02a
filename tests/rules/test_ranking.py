"""The final ranking of a distance at a competition (RULES.md section 2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from shorttrack.rules.ranking import (
    FinalRank,
    RaceLine,
    RoundKind,
    RoundResult,
    Status,
    dead_heat_between,
    final_ranking,
)
from shorttrack.rules.season import season_rules
from tests.rules.strategies import distance_at_competition

FINISHED, PEN, DNF, DNS, YC, RC = (
    Status.FINISHED,
    Status.PEN,
    Status.DNF,
    Status.DNS,
    Status.YC,
    Status.RC,
)


def ranks(ranking: tuple[FinalRank, ...]) -> dict[str, int | None]:
    return {r.entrant: r.rank for r in ranking}


def one_race(kind: RoundKind, *lines: RaceLine) -> RoundResult:
    return RoundResult(kind, (lines,))


# Salt Lake City, World Cup 2, 5 Nov 2022, women's 500m (1). Kim Boutin, Natalia
# Maliszewska and Kristen Santos finished Final A; Xandra Velzeboer and Suzanne Schulting
# were penalised in it. With a Final B of four they ranked 8th and 9th: 36 and 32 points
# (research notes 1.1). The Final B and semifinal skaters are stand-ins.
SLC_SEMIFINALS = RoundResult(
    RoundKind.SEMIFINALS,
    (
        (
            RaceLine("VELZEBOER Xandra", 1, 42_010),
            RaceLine("BOUTIN Kim", 2, 42_120),
            RaceLine("B-1", 3, 42_300),
            RaceLine("B-2", 4, 42_350),
            RaceLine("SEMI-1", 5, 42_900),
        ),
        (
            RaceLine("SCHULTING Suzanne", 1, 42_200),
            RaceLine("MALISZEWSKA Natalia", 2, 42_250),
            RaceLine("SANTOS Kristen", 3, 42_260),
            RaceLine("B-3", 4, 42_400),
            RaceLine("B-4", 5, 42_500),
            RaceLine("SEMI-2", None, None, DNF),
        ),
    ),
)
SLC_FINAL_B = one_race(
    RoundKind.FINAL_B,
    RaceLine("B-1", 1, 43_001),
    RaceLine("B-2", 2, 43_100),
    RaceLine("B-3", 3, 43_200),
    RaceLine("B-4", 4, 43_300),
)
SLC_FINAL_A = one_race(
    RoundKind.FINAL_A,
    RaceLine("BOUTIN Kim", 1, 42_600),
    RaceLine("MALISZEWSKA Natalia", 2, 42_700),
    RaceLine("SANTOS Kristen", 3, 42_800),
    RaceLine("VELZEBOER Xandra", None, None, PEN),
    RaceLine("SCHULTING Suzanne", None, None, PEN),
)


def test_penalised_a_finalists_rank_after_final_b():
    ranking = final_ranking([SLC_SEMIFINALS, SLC_FINAL_B, SLC_FINAL_A])
    assert ranks(ranking) == {
        "BOUTIN Kim": 1,
        "MALISZEWSKA Natalia": 2,
        "SANTOS Kristen": 3,
        "B-1": 4,
        "B-2": 5,
        "B-3": 6,
        "B-4": 7,
        "VELZEBOER Xandra": 8,
        "SCHULTING Suzanne": 9,
        "SEMI-1": 10,
        "SEMI-2": 11,
    }
    velzeboer = ranking[7]
    assert (velzeboer.round, velzeboer.status) == (RoundKind.FINAL_A, PEN)


def test_salt_lake_city_points_36_and_32():
    rules = season_rules("2022/23")
    points = {
        r.entrant: rules.points_for(r.rank)
        for r in final_ranking([SLC_SEMIFINALS, SLC_FINAL_B, SLC_FINAL_A])
    }
    assert points["BOUTIN Kim"] == 100
    assert points["VELZEBOER Xandra"] == 36
    assert points["SCHULTING Suzanne"] == 32


def test_penalty_last_of_final_keeps_a_finalists_ahead_of_final_b():
    ranking = final_ranking(
        [SLC_SEMIFINALS, SLC_FINAL_B, SLC_FINAL_A], final_a_penalty="last_of_final"
    )
    assert ranks(ranking)["VELZEBOER Xandra"] == 4
    assert ranks(ranking)["SCHULTING Suzanne"] == 5
    assert ranks(ranking)["B-1"] == 6


def test_penalised_skaters_with_times_are_ordered_by_time():
    final_a = one_race(
        RoundKind.FINAL_A,
        RaceLine("BOUTIN Kim", 1, 42_600),
        RaceLine("SCHULTING Suzanne", None, 42_650, PEN),
        RaceLine("VELZEBOER Xandra", None, 42_550, PEN),
    )
    assert ranks(final_ranking([final_a]))["VELZEBOER Xandra"] == 2
    assert ranks(final_ranking([final_a]))["SCHULTING Suzanne"] == 3


def test_a_dead_heat_shares_the_place_and_the_points_of_the_better_place():
    final_a = one_race(
        RoundKind.FINAL_A,
        RaceLine("A", 1, 41_900),
        RaceLine("B", 2, 42_000, dead_heat=True),
        RaceLine("C", 2, 42_000, dead_heat=True),
        RaceLine("D", 4, 42_300),
    )
    ranking = final_ranking([final_a])
    assert ranks(ranking) == {"A": 1, "B": 2, "C": 2, "D": 4}
    rules = season_rules("2024/25")
    assert [rules.points_for(r.rank) for r in ranking] == [100, 80, 80, 60]


def test_equal_lines_in_one_race_without_a_dead_heat_keep_the_sheet_order():
    heat = one_race(
        RoundKind.HEATS,
        RaceLine("A", 1, 43_000),
        RaceLine("B", None, None, DNS),
        RaceLine("C", None, None, DNS),
    )
    assert ranks(final_ranking([heat])) == {"A": 1, "B": 2, "C": 3}


def test_eliminated_skaters_rank_by_round_then_place_then_time():
    quarterfinals = RoundResult(
        RoundKind.QUARTERFINALS,
        (
            (RaceLine("Q1-1", 1, 41_000), RaceLine("Q1-3", 3, 42_500), RaceLine("Q1-4", 4, 43_000)),
            (RaceLine("Q2-1", 1, 41_100), RaceLine("Q2-3", 3, 42_400), RaceLine("Q2-4", 4, 43_000)),
        ),
    )
    final_a = one_race(RoundKind.FINAL_A, RaceLine("Q2-1", 1, 41_500), RaceLine("Q1-1", 2, 41_600))
    assert ranks(final_ranking([quarterfinals, final_a])) == {
        "Q2-1": 1,
        "Q1-1": 2,
        "Q2-3": 3,
        "Q1-3": 4,  # both 3rd in their quarterfinal: the faster first
        "Q1-4": 5,
        "Q2-4": 5,  # both 4th in 43.000: nothing tells them apart
    }


def test_pen_dnf_dns_come_after_the_finishers_of_their_round():
    heats = RoundResult(
        RoundKind.HEATS,
        (
            (
                RaceLine("H1", 1, 44_000),
                RaceLine("H-DNS", None, None, DNS),
                RaceLine("H-PEN", None, 44_100, PEN),
            ),
            (
                RaceLine("H2", 1, 44_200),
                RaceLine("H-slow", 2, 49_000),
                RaceLine("H-DNF", None, None, DNF),
            ),
        ),
    )
    final_a = one_race(RoundKind.FINAL_A, RaceLine("H2", 1, 43_000), RaceLine("H1", 2, 43_100))
    ranking = final_ranking([heats, final_a])
    assert [r.entrant for r in ranking] == ["H2", "H1", "H-slow", "H-PEN", "H-DNF", "H-DNS"]
    assert [r.rank for r in ranking] == [1, 2, 3, 4, 5, 6]


def test_a_card_anywhere_in_the_distance_leaves_the_skater_unranked():
    semifinals = one_race(
        RoundKind.SEMIFINALS,
        RaceLine("A", 1, 41_000),
        RaceLine("B", 2, 41_100),
        RaceLine("CARDED", None, None, YC),
        RaceLine("EXCLUDED", None, None, RC),
    )
    final_a = one_race(RoundKind.FINAL_A, RaceLine("A", 1, 41_000), RaceLine("B", 2, 41_100))
    ranking = final_ranking([semifinals, final_a])
    assert ranks(ranking) == {"A": 1, "B": 2, "CARDED": None, "EXCLUDED": None}
    assert ranking[-1] == FinalRank("EXCLUDED", None, RoundKind.SEMIFINALS, RC)
    assert season_rules("2022/23").points_for(ranks(ranking)["CARDED"]) == 0


def test_a_card_in_the_final_after_clean_earlier_rounds_still_unranks():
    heats = one_race(RoundKind.HEATS, RaceLine("A", 1, 44_000), RaceLine("B", 2, 44_100))
    final_a = one_race(RoundKind.FINAL_A, RaceLine("A", 1, 43_000), RaceLine("B", None, None, YC))
    ranking = final_ranking([heats, final_a])
    assert ranks(ranking) == {"A": 1, "B": None}
    assert ranking[1].status is YC


def test_a_skater_advanced_by_the_referee_is_ranked_by_the_next_round():
    heats = one_race(
        RoundKind.HEATS,
        RaceLine("A", 1, 44_000),
        RaceLine("B", 2, 44_100),
        RaceLine("FELL", None, None, DNF, advanced=True),
    )
    final_a = one_race(
        RoundKind.FINAL_A,
        RaceLine("FELL", 1, 43_000),
        RaceLine("A", 2, 43_100),
        RaceLine("B", 3, 43_200),
    )
    assert ranks(final_ranking([heats, final_a])) == {"FELL": 1, "A": 2, "B": 3}


def test_relay_teams_are_ranked_by_the_same_rules():
    semifinals = RoundResult(
        RoundKind.SEMIFINALS,
        (
            (RaceLine("KOR", 1, 244_000), RaceLine("CAN", 2, 244_500), RaceLine("ITA", 3, 245_000)),
            (
                RaceLine("NED", 1, 243_000),
                RaceLine("CHN", 2, 243_500),
                RaceLine("USA", None, None, YC),
            ),
        ),
    )
    final_a = one_race(
        RoundKind.FINAL_A,
        RaceLine("KOR", 1, 242_900),
        RaceLine("CAN", 2, 243_000),
        RaceLine("CHN", 3, 243_100),
        RaceLine("NED", None, None, DNF),
    )
    assert ranks(final_ranking([semifinals, final_a])) == {
        "KOR": 1,
        "CAN": 2,
        "CHN": 3,
        "NED": 4,
        "ITA": 5,
        "USA": None,
    }


def test_unknown_rules_are_refused():
    with pytest.raises(ValueError, match="unknown rule for a penalty in Final A: 'ignore'"):
        final_ranking([], final_a_penalty="ignore")
    with pytest.raises(ValueError, match="unknown rule for cards: 'forgive'"):
        final_ranking([], cards="forgive")


def test_round_labels():
    assert RoundKind.FINAL_A.label == "Final A"
    assert RoundKind.QUARTERFINALS.label == "Quarterfinals"
    assert RoundKind.FINAL_B.final and not RoundKind.SEMIFINALS.final


# --- properties --------------------------------------------------------------------------


def last_lines(rounds: list[RoundResult]) -> dict[str, tuple[int, int, RaceLine]]:
    """Each entrant's last line: (round index, race number, line)."""
    last = {}
    for index, rnd in enumerate(rounds):
        for race_no, race in enumerate(rnd.races):
            for line in race:
                last[line.entrant] = (index, race_no, line)
    return last


def competition_ranks(sorted_ranks: list[int]) -> list[int]:
    """1, 2, 2, 4: each rank is one more than the number of entrants ranked ahead."""
    return [sorted_ranks.index(r) + 1 for r in sorted_ranks]


@settings(max_examples=200, deadline=None)
@given(distance_at_competition())
def test_final_ranking_properties(rounds):
    ranking = final_ranking(rounds)
    last = last_lines(rounds)
    kind = {e: rounds[i].kind for e, (i, _, _) in last.items()}
    carded = {
        line.entrant
        for rnd in rounds
        for race in rnd.races
        for line in race
        if line.status in (YC, RC)
    }

    # Every entrant exactly once; the carded ones unranked, everybody else ranked.
    assert sorted(r.entrant for r in ranking) == sorted(last)
    assert {r.entrant for r in ranking if r.rank is None} == carded

    # Competition ranking, in the order given: 1, 2, 2, 4, ...
    ranked = [r for r in ranking if r.rank is not None]
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
    assert [r.rank for r in ranked] == competition_ranks([r.rank for r in ranked])

    # A shared rank: a marked dead heat in one race, or lines of different races of one
    # round that nothing tells apart.
    for a in ranked:
        for b in ranked:
            if a.entrant >= b.entrant or a.rank != b.rank:
                continue
            (round_a, race_a, line_a), (round_b, race_b, line_b) = last[a.entrant], last[b.entrant]
            assert round_a == round_b
            if race_a == race_b:
                assert dead_heat_between(line_a, line_b)
            else:
                assert (line_a.status, line_a.place, line_a.time_ms) == (
                    line_b.status,
                    line_b.place,
                    line_b.time_ms,
                )

    # Final A finishers, then Final B finishers, then those eliminated before the finals,
    # the later round first.
    rank = {r.entrant: r.rank for r in ranked}
    a_finishers = [
        e for e in rank if kind[e] is RoundKind.FINAL_A and last[e][2].status is FINISHED
    ]
    b_finishers = [
        e for e in rank if kind[e] is RoundKind.FINAL_B and last[e][2].status is FINISHED
    ]
    eliminated = [e for e in rank if not kind[e].final]
    assert all(rank[a] < rank[b] for a in a_finishers for b in b_finishers + eliminated)
    assert all(rank[b] < rank[e] for b in b_finishers for e in eliminated)
    for later in eliminated:
        for earlier in eliminated:
            if last[later][0] > last[earlier][0]:
                assert rank[later] < rank[earlier]


@settings(max_examples=100, deadline=None)
@given(distance_at_competition())
def test_a_penalty_in_final_a_ranks_after_final_b_or_last_of_final_a(rounds):
    after_final_b = ranks(final_ranking(rounds))
    last_of_final = ranks(final_ranking(rounds, final_a_penalty="last_of_final"))
    assert after_final_b.keys() == last_of_final.keys()
    last = last_lines(rounds)
    in_final = {
        e: (rounds[i].kind, line.status)
        for e, (i, _, line) in last.items()
        if rounds[i].kind.final and after_final_b[e] is not None
    }
    penalised_in_a = [e for e, k in in_final.items() if k == (RoundKind.FINAL_A, PEN)]
    final_b = [e for e, (kind, _) in in_final.items() if kind is RoundKind.FINAL_B]  # PEN too
    assert all(after_final_b[p] > after_final_b[b] for p in penalised_in_a for b in final_b)
    assert all(last_of_final[p] < last_of_final[b] for p in penalised_in_a for b in final_b)
