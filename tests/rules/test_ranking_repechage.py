"""The final ranking of a distance with repechage rounds (docs/rules.md, "Repechage"
[P]): the latest round a skater went out in ranks first, in the order the rounds were
skated, so a skater out in the Rep. Semifinals ranks after those out in the quarterfinals
(500 m, 1000 m) and before those out in the Rep. Quarterfinals and the heats."""

from __future__ import annotations

from shorttrack.rules.ranking import (
    RaceLine,
    RoundKind,
    RoundResult,
    Status,
    final_ranking,
    skating_order,
)

K = RoundKind


def rnd(kind: RoundKind, *races: tuple[str, ...]) -> RoundResult:
    return RoundResult(
        kind,
        tuple(
            tuple(RaceLine(e, place, 40_000 + place) for place, e in enumerate(race, 1))
            for race in races
        ),
    )


def test_500m_repechage_losers_rank_after_the_quarterfinals_and_before_the_heats():
    rounds = [
        rnd(K.HEATS, ("a", "b", "c", "d"), ("e", "f", "g", "h")),
        rnd(K.REP_QUARTERFINALS, ("c", "d"), ("g", "h")),
        rnd(K.REP_SEMIFINALS, ("c", "g")),
        rnd(K.QUARTERFINALS, ("a", "b", "c", "e", "f")),
        rnd(K.FINAL_A, ("a", "e", "b")),
    ]
    ranked = {r.entrant: (r.rank, r.round) for r in final_ranking(rounds)}
    assert ranked == {
        "a": (1, K.FINAL_A),
        "e": (2, K.FINAL_A),
        "b": (3, K.FINAL_A),
        "c": (4, K.QUARTERFINALS),  # from the repechage into the quarterfinals
        "f": (5, K.QUARTERFINALS),
        "g": (6, K.REP_SEMIFINALS),
        "d": (7, K.REP_QUARTERFINALS),  # 2nd in their Rep. Quarterfinal
        "h": (7, K.REP_QUARTERFINALS),
    }


def test_1500m_the_repechage_after_the_quarterfinals_ranks_its_losers_before_the_quarterfinals_penalties():
    penalised = RaceLine("p", None, None, Status.PEN)
    rounds = [
        RoundResult(
            K.QUARTERFINALS,
            (
                (RaceLine("a", 1, 1), RaceLine("b", 2, 2), RaceLine("c", 3, 3), penalised),
                (RaceLine("d", 1, 1), RaceLine("e", 2, 2), RaceLine("f", 3, 3)),
            ),
        ),
        rnd(K.REP_QUARTERFINALS, ("c", "f")),
        rnd(K.REP_SEMIFINALS, ("c",)),
        rnd(K.SEMIFINALS, ("a", "d", "c", "b", "e")),
        rnd(K.FINAL_A, ("d", "a")),
    ]
    order = [(r.entrant, r.rank) for r in final_ranking(rounds)]
    assert order == [("d", 1), ("a", 2), ("c", 3), ("b", 4), ("e", 5), ("f", 6), ("p", 7)]


def test_a_repechage_bracket_is_skated_after_the_first_main_round():
    """The order the 2019/20 pages list their rounds in."""
    K = RoundKind
    assert skating_order({K.FINAL_A, K.QUARTERFINALS, K.REP_SEMIFINALS, K.HEATS,
                          K.REP_QUARTERFINALS, K.SEMIFINALS}) == (
        K.HEATS, K.REP_QUARTERFINALS, K.REP_SEMIFINALS, K.QUARTERFINALS, K.SEMIFINALS, K.FINAL_A,
    )  # fmt: skip
    assert skating_order({K.SEMIFINALS, K.REP_SEMIFINALS, K.REP_QUARTERFINALS,
                          K.QUARTERFINALS, K.FINAL_B}) == (
        K.QUARTERFINALS, K.REP_QUARTERFINALS, K.REP_SEMIFINALS, K.SEMIFINALS, K.FINAL_B,
    )  # fmt: skip
    assert skating_order({K.FINAL_A, K.FINAL_B, K.SEMIFINALS, K.QUARTERFINALS, K.REPECHAGE}) == (
        K.REPECHAGE, K.QUARTERFINALS, K.SEMIFINALS, K.FINAL_B, K.FINAL_A,
    )  # fmt: skip
