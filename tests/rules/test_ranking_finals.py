"""Who ranks where among the finalists (RULES.md section 2): Final A, then Final B, then a
skater penalised in Final A ("ranked after the Final B skaters"), then Final C; in every
final PEN, DNF and DNS come after its finishers; a card anywhere in the distance unranks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.ranking import (
    RaceLine,
    RoundKind,
    RoundResult,
    Status,
    final_ranking,
    ranking_without_finals,
)
from shorttrack.rules.season import season_rules
from tests.rules.strategies import race

FINAL_A, FINAL_B, FINAL_C = RoundKind.FINAL_A, RoundKind.FINAL_B, RoundKind.FINAL_C
SEMIFINALS = RoundKind.SEMIFINALS
FINISHED, PEN, DNF, DNS, YC, RC = (
    Status.FINISHED,
    Status.PEN,
    Status.DNF,
    Status.DNS,
    Status.YC,
    Status.RC,
)


def final(kind: RoundKind, *lines: RaceLine) -> RoundResult:
    return RoundResult(kind, (lines,))


def ranks(rounds: list[RoundResult], **rules: str) -> dict[str, int | None]:
    return {r.entrant: r.rank for r in final_ranking(rounds, **rules)}


FINAL_B_WITH_PEN = final(
    FINAL_B, RaceLine("b1", 1, 42_100), RaceLine("b2", 2, 42_200), RaceLine("bp", None, None, PEN)
)
FINAL_A_WITH_PEN = final(
    FINAL_A, RaceLine("a1", 1, 41_100), RaceLine("a2", 2, 41_200), RaceLine("ap", None, None, PEN)
)
FINAL_C_OF_TWO = final(FINAL_C, RaceLine("c1", 1, 43_100), RaceLine("c2", 2, 43_200))


def test_a_penalty_in_final_b_ranks_before_a_penalty_in_final_a():
    # bp is the last of Final B ("PEN after the finishers of that round"); ap is "ranked
    # after the Final B skaters", bp among them.
    ranking = ranks([FINAL_B_WITH_PEN, FINAL_A_WITH_PEN])
    assert ranking == {"a1": 1, "a2": 2, "b1": 3, "b2": 4, "bp": 5, "ap": 6}
    points = season_rules("2024/25").points_for
    assert (points(ranking["bp"]), points(ranking["ap"])) == (50, 44)


def test_with_a_final_c_a_penalty_in_final_a_still_ranks_before_it():
    assert ranks([FINAL_C_OF_TWO, FINAL_B_WITH_PEN, FINAL_A_WITH_PEN]) == {
        "a1": 1,
        "a2": 2,
        "b1": 3,
        "b2": 4,
        "bp": 5,
        "ap": 6,
        "c1": 7,
        "c2": 8,
    }


def test_a_penalty_in_final_c_is_the_last_of_final_c():
    final_c = final(FINAL_C, RaceLine("cp", None, 43_000, PEN), RaceLine("c1", 1, 43_100))
    semifinals = final(SEMIFINALS, RaceLine("out", 5, 44_000))
    assert ranks([semifinals, final_c, FINAL_B_WITH_PEN, FINAL_A_WITH_PEN]) == {
        "a1": 1,
        "a2": 2,
        "b1": 3,
        "b2": 4,
        "bp": 5,
        "ap": 6,
        "c1": 7,
        "cp": 8,
        "out": 9,
    }


def test_a_fall_or_a_no_start_in_a_final_ranks_last_of_that_final():
    # Only a penalty in Final A leaves it: DNF and DNS are "after the finishers of that round".
    final_a = final(
        FINAL_A,
        RaceLine("a1", 1, 41_100),
        RaceLine("a-dnf", None, None, DNF),
        RaceLine("a-dns", None, None, DNS),
        RaceLine("ap", None, None, PEN),
    )
    final_b = final(
        FINAL_B,
        RaceLine("b-dns", None, None, DNS),
        RaceLine("b-dnf", None, None, DNF),
        RaceLine("bp", None, None, PEN),
        RaceLine("b1", 1, 42_100),
    )
    assert ranks([FINAL_C_OF_TWO, final_b, final_a]) == {
        "a1": 1,
        "a-dnf": 2,
        "a-dns": 3,
        "b1": 4,
        "bp": 5,
        "b-dnf": 6,
        "b-dns": 7,
        "ap": 8,
        "c1": 9,
        "c2": 10,
    }


def test_a_yellow_card_in_final_b_unranks_and_the_places_close_up():
    final_b = final(
        FINAL_B,
        RaceLine("b1", 1, 42_100),
        RaceLine("b-yc", None, None, YC),
        RaceLine("bp", None, None, PEN),
    )
    assert ranks([FINAL_C_OF_TWO, final_b, FINAL_A_WITH_PEN]) == {
        "a1": 1,
        "a2": 2,
        "b1": 3,
        "bp": 4,
        "ap": 5,
        "c1": 6,
        "c2": 7,
        "b-yc": None,
    }


def test_a_season_keeping_a_final_a_penalty_last_of_final_a():
    assert ranks(
        [FINAL_C_OF_TWO, FINAL_B_WITH_PEN, FINAL_A_WITH_PEN], final_a_penalty="last_of_final"
    ) == {"a1": 1, "a2": 2, "ap": 3, "b1": 4, "b2": 5, "bp": 6, "c1": 7, "c2": 8}


def test_without_its_final_b_a_final_a_penalty_ranks_after_the_unranked_final_b_skaters():
    semifinals = final(
        SEMIFINALS,
        RaceLine("a1", 1),
        RaceLine("a2", 2),
        RaceLine("ap", 3),
        RaceLine("b1", 4),
        RaceLine("b2", 5),
        RaceLine("c1", 6),
        RaceLine("c2", 7),
    )
    ranking = ranking_without_finals(
        [semifinals, FINAL_C_OF_TWO, FINAL_A_WITH_PEN], {"b1": FINAL_B, "b2": FINAL_B}
    )
    assert [(r.entrant, r.rank) for r in ranking] == [
        ("b1", None),
        ("b2", None),
        ("a1", 1),
        ("a2", 2),
        ("ap", 5),
        ("c1", 6),
        ("c2", 7),
    ]


# --- properties --------------------------------------------------------------------------


@st.composite
def finals_of_a_distance(draw) -> list[RoundResult]:
    """Semifinals, then Final C (sometimes), Final B (sometimes, always with a Final C) and
    Final A, in the order they are skated; each final's sheet with any of PEN, DNF, DNS, YC,
    RC and dead heats."""
    pool = [f"S{i:02d}" for i in range(draw(st.integers(1, 22)))]
    pool = list(draw(st.permutations(pool)))
    sizes = [draw(st.integers(1, 6))]
    if draw(st.booleans()):
        sizes.append(draw(st.integers(1, 6)))
        if draw(st.booleans()):
            sizes.append(draw(st.integers(1, 6)))
    finals, at = [], 0
    for kind, size in zip((FINAL_A, FINAL_B, FINAL_C), sizes, strict=False):
        entrants = pool[at : at + size]
        at += size
        if entrants:
            finals.append(RoundResult(kind, (draw(race(entrants)),)))
    semifinalists = pool[:]  # everyone skated the semifinals; those left over went out there
    count = draw(st.integers(1, min(3, len(semifinalists))))
    semifinals = RoundResult(
        SEMIFINALS, tuple(draw(race(semifinalists[i::count])) for i in range(count))
    )
    return [semifinals, *reversed(finals)]


def last_lines(rounds: list[RoundResult]) -> dict[str, tuple[RoundKind, RaceLine]]:
    last = {}
    for rnd in rounds:
        for lines in rnd.races:
            for line in lines:
                last[line.entrant] = (rnd.kind, line)
    return last


def carded(rounds: list[RoundResult]) -> set[str]:
    return {
        line.entrant
        for rnd in rounds
        for lines in rnd.races
        for line in lines
        if line.status in (YC, RC)
    }


@settings(max_examples=300, deadline=None)
@given(finals_of_a_distance())
def test_the_finals_rank_a_then_b_then_a_penalty_in_a_then_c(rounds):
    rank = ranks(rounds)
    last = last_lines(rounds)
    out = carded(rounds)

    # Everyone once; a card anywhere unranks, nothing else does.
    assert rank.keys() == last.keys()
    assert {e for e, r in rank.items() if r is None} == out

    # A permutation with ties: 1, 2, 2, 4 ... (a shared rank skips the ranks it takes).
    given_ranks = sorted(r for r in rank.values() if r is not None)
    assert given_ranks == [given_ranks.index(r) + 1 for r in given_ranks]

    ranked = [e for e in rank if e not in out]

    def who(kind: RoundKind, *statuses: Status) -> list[str]:
        return [e for e in ranked if last[e][0] is kind and last[e][1].status in statuses]

    a_not_pen = who(FINAL_A, FINISHED, DNF, DNS)
    a_pen = who(FINAL_A, PEN)
    b_all = who(FINAL_B, FINISHED, PEN, DNF, DNS)
    c_all = who(FINAL_C, FINISHED, PEN, DNF, DNS)
    eliminated = who(SEMIFINALS, FINISHED, PEN, DNF, DNS)
    # The rule book's order, block by block: each ranks ahead of every later one.
    blocks = [a_not_pen, b_all, a_pen, c_all, eliminated]
    for i, ahead in enumerate(blocks):
        for behind in blocks[i + 1 :]:
            assert all(rank[x] < rank[y] for x in ahead for y in behind)

    # Within each final: finishers, then PEN, DNF, DNS (Final A's PEN left above).
    for kind in (FINAL_A, FINAL_B, FINAL_C):
        order = [who(kind, FINISHED), who(kind, PEN), who(kind, DNF), who(kind, DNS)]
        if kind is FINAL_A:
            order.pop(1)
        for i, ahead in enumerate(order):
            for behind in order[i + 1 :]:
                assert all(rank[x] < rank[y] for x in ahead for y in behind)
        # Finishers by their place; the same place (a dead heat) the same rank.
        for x in who(kind, FINISHED):
            for y in who(kind, FINISHED):
                px, py = last[x][1].place, last[y][1].place
                if px < py:
                    assert rank[x] < rank[y]
                elif px == py:
                    assert rank[x] == rank[y]


@settings(max_examples=300, deadline=None)
@given(finals_of_a_distance())
def test_a_skater_s_rank_is_monotone_in_the_final_reached(rounds):
    """Whoever reached a better final ranks better, penalties in Final A aside; a Final B
    skater never ranks below a skater penalised in Final A."""
    rank = ranks(rounds)
    last = last_lines(rounds)
    reached = {FINAL_A: 0, FINAL_B: 1, FINAL_C: 2, SEMIFINALS: 3}
    ranked = [e for e in rank if rank[e] is not None]
    penalised_in_a = {e for e in ranked if last[e][0] is FINAL_A and last[e][1].status is PEN}
    for x in ranked:
        for y in ranked:
            if x in penalised_in_a or y in penalised_in_a:
                continue
            if reached[last[x][0]] < reached[last[y][0]]:
                assert rank[x] < rank[y]
    for p in penalised_in_a:
        assert all(rank[b] < rank[p] for b in ranked if last[b][0] is FINAL_B)
        assert all(rank[p] < rank[c] for c in ranked if last[c][0] in (FINAL_C, SEMIFINALS))


@settings(max_examples=200, deadline=None)
@given(finals_of_a_distance())
def test_last_of_final_keeps_every_finalist_in_the_final_reached(rounds):
    rank = ranks(rounds, final_a_penalty="last_of_final")
    last = last_lines(rounds)
    reached = {FINAL_A: 0, FINAL_B: 1, FINAL_C: 2, SEMIFINALS: 3}
    ranked = [e for e in rank if rank[e] is not None]
    for x in ranked:
        for y in ranked:
            if reached[last[x][0]] < reached[last[y][0]]:
                assert rank[x] < rank[y]
