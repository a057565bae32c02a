"""The progression texts of the 2019/20 result pages, copied as printed, read into rules."""

from __future__ import annotations

import pytest

from shorttrack.rules.advancement import advance
from shorttrack.rules.progression import Advancement, Mark, RoundPlan
from shorttrack.rules.progression_text import parse_progression
from shorttrack.rules.ranking import RaceLine, RoundKind, Status
from shorttrack.rules.times import parse_time

QF, SF, REP_SF = RoundKind.QUARTERFINALS, RoundKind.SEMIFINALS, RoundKind.REP_SEMIFINALS
A, B = RoundKind.FINAL_A, RoundKind.FINAL_B


def test_winners_and_the_fastest_seconds_to_the_rep_semifinals():
    text = (
        "The first placed skater from each race and up to a maximum of four fastest second "
        "place skaters qualify for Rep Semifinals."
    )
    assert parse_progression(text).rules == (
        Advancement(Mark.Q, REP_SF, (1, 1)),
        Advancement(Mark.q, REP_SF, (2, 2), 4, less_adv=True),
    )


def test_a_relay_semifinal_to_final_a_and_final_b():
    text = (
        "The first and second placed teams from each race qualify for Final A, the third and "
        "fourth placed teams from each race qualify for Final B."
    )
    assert parse_progression(text).rules == (
        Advancement(Mark.QA, A, (1, 2)),
        Advancement(Mark.QB, B, (3, 4)),
    )


def test_remainder_may_qualify_for_final_b_is_read_as_places_3_4_and_two_fastest_fifths():
    text = (
        "The first and second placed skaters from each race and up to a maximum of one "
        "fastest third place skater qualify for Final A. Remainder may qualify for Final B."
    )
    printed = parse_progression(text)
    assert printed.remainder
    assert printed.rules == (
        Advancement(Mark.QA, A, (1, 2)),
        Advancement(Mark.qA, A, (3, 3), 1, less_adv=True),
        Advancement(Mark.QB, B, (3, 4)),
        Advancement(Mark.qB, B, (5, 5), 2),
    )


def test_the_heats_of_several_spellings():
    for text, to in [
        ("The first placed skater from each race qualify for Quarterfinals.", QF),
        ("The first placed team from each race qualify for Quarterfinals.", QF),
        (
            "The first and second placed skaters from each race and up to a maximum of two "
            "fastest third place skaters qualify for Rep. Semifinals.",
            REP_SF,
        ),
        (
            "The first placed skater from each race and up to a maximum of one fastest second "
            "place skater qualify for Semifinals.",
            SF,
        ),
    ]:
        assert parse_progression(text).targets == (to,)


def test_a_cancelled_round():
    printed = parse_progression("this round has been cancelled")
    assert printed.cancelled and printed.rules == ()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The best skaters qualify for Quarterfinals.",
        "The first placed skater from each race qualify for Final Z.",
        "The first placed skater from each race and up to a maximum of four fastest third "
        "place skaters qualify for Quarterfinals.",
        "The first placed skater from each race qualify for Final A. Remainder may qualify for "
        "Final C.",
    ],
)
def test_an_unknown_text_is_an_error_quoting_it(text: str):
    with pytest.raises(ValueError, match="unknown progression text") as error:
        parse_progression(text)
    assert repr(text) in str(error.value)


def line(entrant: str, place: int, time: str, advanced: bool = False) -> RaceLine:
    return RaceLine(entrant, place, parse_time(time), advanced=advanced)


def test_an_adv_takes_one_of_the_places_up_to_a_maximum():
    """Montreal 2019, women's 1000 m (1), Rep. Semifinal: one race, the winner and up to
    one fastest second place; lines as printed (a second place ADV'd would take it)."""
    text = (
        "The first placed skater from each race and up to a maximum of one fastest second "
        "place skater qualify for Quarterfinals."
    )
    plan = RoundPlan(RoundKind.REP_SEMIFINALS, (3,), parse_progression(text).rules)
    race = (line("a", 1, "1:33.612"), line("b", 2, "1:33.748"), line("c", 3, "1:34.737"))
    assert advance(plan, [race]).marks == {"a": Mark.Q, "b": Mark.q}
    harmed = (race[0], race[1], line("c", 3, "1:34.737", advanced=True))
    assert advance(plan, [harmed]).marks == {"a": Mark.Q, "c": Mark.ADV}


def sheet(race: int, rows: list[tuple[int | None, str, str]]) -> tuple[RaceLine, ...]:
    """A race as printed: (place, result, Qual.) per line."""
    lines = []
    for n, (place, result, mark) in enumerate(rows, start=1):
        status = Status.PEN if result == "PEN" else Status.FINISHED
        time = parse_time(result) if result[0].isdigit() else None
        lines.append(
            RaceLine(
                f"r{race}-{n}",
                place,
                time,
                status,
                advanced=mark in ("ADA", "ADB"),
                advanced_to=RoundKind.FINAL_B if mark == "ADB" else None,
            )
        )
    return tuple(lines)


def test_the_shanghai_womens_1500m_semifinals_as_printed():
    """Shanghai 2019, women's 1500 m semifinals: two ADA take Final A's place by time, an
    ADB one of Final B's seven, filled by the fastest fifth."""
    text = (
        "The first and second placed skaters from each race and up to a maximum of one "
        "fastest third place skater qualify for Final A. Remainder may qualify for Final B."
    )
    printed = [
        [(1, "2:46.651", "QA"), (2, "2:46.778", "QA"), (3, "2:46.860", "QB"),
         (4, "2:46.998", "QB"), (5, "2:47.492", ""), (6, "no time", "ADB"), (None, "PEN", "")],
        [(1, "2:22.847", "QA"), (2, "2:23.994", "QA"), (3, "2:25.554", "QB"),
         (4, "2:34.360", "ADA"), (5, "2:36.842", "qB"), (6, "2:37.715", "ADA"),
         (None, "PEN", "")],
        [(1, "2:39.464", "QA"), (2, "2:39.737", "QA"), (3, "2:39.747", "QB"),
         (4, "2:39.827", "QB"), (5, "2:39.957", ""), (6, "2:40.120", ""), (7, "2:40.288", "")],
    ]  # fmt: skip
    races = [sheet(n, rows) for n, rows in enumerate(printed, start=1)]
    rules = parse_progression(text).for_races(3)
    assert rules[-1].fill_to == 7  # Final B as large as Final A's 2 x 3 + 1
    decided = advance(RoundPlan(RoundKind.SEMIFINALS, (7, 7, 7), rules), races)
    marks = {q.entrant: q.mark.value for q in decided.qualifiers}
    for race, rows in zip(races, printed, strict=True):
        for line, (_, _, mark) in zip(race, rows, strict=True):
            expected = {"ADA": "ADV", "ADB": "ADB"}.get(mark, mark)
            assert marks.get(line.entrant, "") == expected, line
    assert len(decided.to(RoundKind.FINAL_A)) == 8 and len(decided.to(RoundKind.FINAL_B)) == 7
