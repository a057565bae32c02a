"""A distance whose finals are not in the results: incomplete, with the reason, and ranked
as far as the races tell (rules.ranking.missing_rounds, ranking_without_finals)."""

from __future__ import annotations

from shorttrack.rules.ranking import (
    FinalRank,
    RaceLine,
    RoundKind,
    RoundResult,
    Status,
    fill_known_places,
    final_of_mark,
    missing_rounds,
    ranking_without_finals,
)

A, B = RoundKind.FINAL_A, RoundKind.FINAL_B
NO_FINAL_A = "no Final A in the results: the ranking holds the skaters eliminated before it"


def test_a_distance_with_its_final_a_is_complete():
    assert missing_rounds([RoundKind.HEATS, RoundKind.SEMIFINALS, B, A], [A, B]) is None
    assert missing_rounds([RoundKind.HEATS, A]) is None


def test_without_its_final_a_it_holds_the_skaters_eliminated_before_it():
    assert missing_rounds([RoundKind.HEATS, RoundKind.SEMIFINALS, B], [A, B]) == NO_FINAL_A
    assert missing_rounds({RoundKind.QUARTERFINALS}) == NO_FINAL_A
    assert missing_rounds([RoundKind.SEMIFINALS], [A, B]) == (
        "no Final A or Final B in the results: the ranking holds the skaters eliminated before them"
    )


def test_a_final_b_qualified_for_and_absent_is_said():
    assert missing_rounds([RoundKind.SEMIFINALS, A], [A, B]) == (
        "no Final B in the results: the skaters who qualified for it are not ranked"
    )


def test_marks_name_the_final_they_send_to():
    assert [final_of_mark(m, False) for m in ("QA", "qA", "ADA", "QB", "qB", "ADB")] == [
        A,
        A,
        A,
        B,
        B,
        B,
    ]
    assert final_of_mark("Q", True) is A and final_of_mark("Q", False) is None
    assert final_of_mark("", True) is None


def line(entrant, place, time_ms=None, status=Status.FINISHED):
    return RaceLine(entrant, place, time_ms, status)


def semifinals_and_final_b():
    """Two semifinals: first two of each QA, 3rd and 4th QB, 5th out; Final B skated."""
    semis = RoundResult(
        RoundKind.SEMIFINALS,
        (
            (line("a1", 1), line("a2", 2), line("b1", 3), line("b2", 4), line("x1", 5, 90_000)),
            (line("a3", 1), line("a4", 2), line("b3", 3), line("b4", 4), line("x2", 5, 91_000)),
        ),
    )
    final_b = RoundResult(B, ((line("b3", 1), line("b1", 2), line("b4", 3), line("b2", 4)),))
    qualified = {"a1": A, "a2": A, "a3": A, "a4": A}
    return [semis, final_b], qualified


def test_the_final_a_skaters_are_unranked_and_everyone_after_them_keeps_their_place():
    rounds, qualified = semifinals_and_final_b()
    ranks = ranking_without_finals(rounds, qualified)
    assert [(r.entrant, r.rank) for r in ranks] == [
        ("a1", None),
        ("a2", None),
        ("a3", None),
        ("a4", None),
        ("b3", 5),
        ("b1", 6),
        ("b4", 7),
        ("b2", 8),
        ("x1", 9),
        ("x2", 10),
    ]
    assert ranks[0].round is RoundKind.SEMIFINALS


def test_without_the_final_b_its_skaters_are_unranked_too():
    rounds, qualified = semifinals_and_final_b()
    qualified |= {"b1": B, "b2": B, "b3": B, "b4": B}
    ranks = ranking_without_finals(rounds[:1], qualified)
    assert [r.rank for r in ranks] == [None] * 8 + [9, 10]
    assert [r.entrant for r in ranks[4:8]] == ["b1", "b2", "b3", "b4"]


def test_a_podium_fills_the_places_it_knows_and_the_rest_stay_unknown():
    rounds, qualified = semifinals_and_final_b()
    ranks = ranking_without_finals(rounds, qualified)
    filled, unused = fill_known_places(ranks, {"a3": 1, "a1": 2, "a4": 3, "nobody": 4})
    assert [(r.entrant, r.rank) for r in filled][:5] == [
        ("a2", None),
        ("a3", 1),
        ("a1", 2),
        ("a4", 3),
        ("b3", 5),
    ]
    assert unused == ["nobody"]


def test_a_podium_never_takes_a_place_the_races_gave():
    ranks = (FinalRank("a", None, RoundKind.SEMIFINALS), FinalRank("b", 5, B))
    filled, unused = fill_known_places(ranks, {"a": 5, "b": 1})
    assert [(r.entrant, r.rank) for r in filled] == [("a", None), ("b", 5)]
    assert unused == ["a", "b"]
