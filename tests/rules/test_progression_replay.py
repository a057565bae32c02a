"""Replay of every real round of the 2019/20 World Cup (../shared/data/isu-results-2019-20):
the project's advancement (``rules.advancement.advance``) with the rules read from the
progression text printed under the round (``rules.progression_text``), applied to the
printed results, against the printed marks Q, q, QA, QB, qA, qB. ADV, ADA and ADB are the
referee's and are counted apart. The figures are in docs/rules.md ("Repechage").
"""

from __future__ import annotations

from collections import Counter

from shorttrack.rules.advancement import advance, positions
from shorttrack.rules.progression import RoundPlan
from shorttrack.rules.progression_text import parse_progression
from shorttrack.rules.season import ProgressionRules, Ruled
from tests.isu_pages import RoundPage, read_pages
from tests.support import shared_data

REFEREE = ("ADV", "ADA", "ADB")
# 2019/20 left a place empty when a race had too few finishers for it (Nagoya, men's
# 500 m semifinal 2: two PEN, no fourth place to Final B, nobody by time instead).
RULES_2019_20 = ProgressionRules(vacancies=Ruled("leave_empty", "P"))


def replay(page: RoundPage) -> list[tuple[str, str, str]]:
    """(entrant, printed mark, the project's mark) for every line of the round but the
    referee's."""
    printed = parse_progression(page.progression)
    races = [tuple(line.race_line() for line in race) for race in page.races]
    plan = RoundPlan(page.kind, tuple(len(race) for race in races), printed.for_races(len(races)))
    decided = advance(plan, races, rules=RULES_2019_20)
    marks = {q.entrant: q.mark.printed for q in decided.qualifiers}
    return [
        (line.race_line().entrant, line.mark, marks.get(line.race_line().entrant, ""))
        for race in page.races
        for line in race
        if line.mark not in REFEREE
    ]


def why_missed(page: RoundPage, printed: str, ours: str) -> str:
    """The explained kinds of disagreement (docs/rules.md, "Repechage")."""
    remainder = "Remainder may qualify for Final B" in page.progression
    if remainder and (printed, ours) == ("QB", "qB"):
        return "final_b_by_time_printed_QB"
    if (printed, ours) == ("qA", "QB") and any(
        line.mark == "ADA" for race in page.races for line in race
    ):
        return "qA_beside_an_ADA"
    rules = parse_progression(page.progression).rules
    by_time = [rule for rule in rules if rule.by_time and rule.mark.value == printed]
    if printed == "q" and ours == "" and by_time:
        first, last = by_time[0].places
        for race in page.races:
            lines = [line.race_line() for line in race]
            where = positions(lines)
            if any(line.advanced and first <= where.get(line.entrant, 0) <= last for line in lines):
                return "adv_at_time_place"
    return "unexplained"


def test_the_printed_marks_of_every_real_round_follow_from_the_printed_progression_text():
    pages = read_pages(shared_data("isu-results-2019-20"))
    counts: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    for page in pages:
        if not page.progression:
            counts["final pages"] += 1
            continue
        if parse_progression(page.progression).cancelled:
            counts["cancelled rounds"] += 1
            continue
        counts["rounds"] += 1
        counts["referee lines"] += sum(
            1 for race in page.races for line in race if line.mark in REFEREE
        )
        for _entrant, printed, ours in replay(page):
            counts["lines"] += 1
            if printed == ours:
                counts["agree"] += 1
            else:
                misses[why_missed(page, printed, ours)] += 1
    assert counts == {
        "final pages": 18,
        "cancelled rounds": 1,
        "rounds": 273,
        "referee lines": 134,
        "lines": 5306,
        "agree": 5294,
    }
    assert misses == {
        "final_b_by_time_printed_QB": 8,
        "qA_beside_an_ADA": 1,
        "adv_at_time_place": 3,
    }
