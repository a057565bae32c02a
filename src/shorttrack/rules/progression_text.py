"""The progression text an ISU results page prints under a round, read into the project's
advancement rules (``progression.Advancement``).

The 2019/20 pages print one sentence (or two) per round, such as

    The first placed skater from each race and up to a maximum of four fastest second
    place skaters qualify for Rep Semifinals.
    The first and second placed teams from each race qualify for Final A, the third and
    fourth placed teams from each race qualify for Final B.
    The first and second placed skaters from each race and up to a maximum of one fastest
    third place skater qualify for Final A. Remainder may qualify for Final B.

``parse_progression`` turns a text into a ``PrintedProgression``: the rules by place (Q,
QA, QB) and by time (q, qA, qB) it states, in the order ``advancement.advance`` applies
them. "Remainder may qualify for Final B" names no number: it is read [P] as places 3-4
of each race not in Final A by place (QB), then the fastest of the next place (qB) until
Final B is as large as Final A is planned (``PrintedProgression.for_races``), which is what
the printed Final B marks of 2019/20 show (docs/rules.md, "Repechage"). "Up to a maximum
of n fastest" is ``less_adv``: each ADV into that round takes one of the n places.
Who is sent to a repechage round is never printed: the progression table says it.

A text it does not know is a ValueError quoting it. Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from shorttrack.rules.progression import Advancement, Mark
from shorttrack.rules.ranking import RoundKind

_NUMBERS = {
    word: n
    for n, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), start=1
    )
}
_ORDINALS = {
    word: n
    for n, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1
    )
}
_WHO = r"(?:skaters?|teams?)"
_ORDINAL = "|".join(_ORDINALS)
# "first", "first and second", "third and fourth", "first, second and third"
_PLACES = rf"(?:{_ORDINAL})(?:(?:, | and )(?:{_ORDINAL}))*"
_CLAUSE = re.compile(
    rf"the (?P<places>{_PLACES}) placed {_WHO} from each race"
    rf"(?: and up to a maximum of (?P<fastest>\w+) fastest (?P<next>{_ORDINAL}) place {_WHO})?"
    rf" qualify for (?P<to>[A-Za-z. ]+?)$"
)
_REMAINDER = "Remainder may qualify for Final B."
_CANCELLED = "this round has been cancelled"


@dataclass(frozen=True)
class PrintedProgression:
    """What a round's printed text says: its rules, and whether the round was cancelled."""

    text: str
    rules: tuple[Advancement, ...]
    cancelled: bool = False
    remainder: bool = False  # "Remainder may qualify for Final B": the qB part is [P]

    @property
    def targets(self) -> tuple[RoundKind, ...]:
        return tuple(dict.fromkeys(rule.to for rule in self.rules))

    def for_races(self, races: int) -> tuple[Advancement, ...]:
        """The rules for a round of ``races`` races: after "Remainder may qualify for Final
        B", Final B is filled by time to the size Final A is planned for (2 a race and the
        fastest third: 5 from two semifinals, 7 from three), the referee's ADB counted
        [P: what the 2019/20 Final B marks show]."""
        if not self.remainder:
            return self.rules
        final_a = sum(
            rule.fastest
            if rule.fastest is not None
            else (rule.places[1] - rule.places[0] + 1) * races
            for rule in self.rules
            if rule.to is RoundKind.FINAL_A
        )
        return tuple(
            replace(rule, fill_to=final_a) if rule.mark is Mark.qB else rule for rule in self.rules
        )


def parse_progression(text: str) -> PrintedProgression:
    """Read a printed progression text; a ValueError quoting a text it does not know."""
    flat = " ".join(text.split())
    if flat.lower() == _CANCELLED:
        return PrintedProgression(flat, (), cancelled=True)
    body, remainder = flat, False
    if body.endswith(" " + _REMAINDER):
        body, remainder = body[: -len(_REMAINDER) - 1], True
    if not body.endswith(".") or not body.startswith("The "):
        raise _unknown(text)
    rules: list[Advancement] = []
    for clause in body[:-1].split(", "):
        match = _CLAUSE.fullmatch(clause[0].lower() + clause[1:])
        if match is None:
            raise _unknown(text)
        rules += _clause_rules(match, text)
    if remainder:
        if not rules or rules[-1].to is not RoundKind.FINAL_A or len(rules) > 2:
            raise _unknown(text)
        after = rules[0].places[1]  # the last place into Final A by place
        rules.append(Advancement(Mark.QB, RoundKind.FINAL_B, (after + 1, after + 2)))
        rules.append(Advancement(Mark.qB, RoundKind.FINAL_B, (after + 3, after + 3), 2))
    _check_places(rules, text)
    return PrintedProgression(flat, tuple(rules), remainder=remainder)


def _clause_rules(match: re.Match[str], text: str) -> list[Advancement]:
    words = re.split(r", | and ", match["places"])
    places = [_ORDINALS[w] for w in words]
    if places != list(range(places[0], places[0] + len(places))):
        raise _unknown(text)
    try:
        to = RoundKind.parse(match["to"])
    except ValueError:
        raise _unknown(text) from None
    if to.final and to is not RoundKind.FINAL_A and to is not RoundKind.FINAL_B:
        raise _unknown(text)
    by_place, by_time = {
        RoundKind.FINAL_A: (Mark.QA, Mark.qA),
        RoundKind.FINAL_B: (Mark.QB, Mark.qB),
    }.get(to, (Mark.Q, Mark.q))
    rules = [Advancement(by_place, to, (places[0], places[-1]))]
    if match["fastest"] is not None:
        fastest = _NUMBERS.get(match["fastest"])
        next_place = _ORDINALS[match["next"]]
        if fastest is None or next_place != places[-1] + 1:
            raise _unknown(text)
        # "up to a maximum of": each ADV (ADA) of the round takes one of these places (the
        # 2019/20 sheets, docs/rules.md "Repechage") [P]
        rules.append(Advancement(by_time, to, (next_place, next_place), fastest, True))
    return rules


def _check_places(rules: list[Advancement], text: str) -> None:
    """Each clause takes up where the one before stopped (Final B's places by place start
    after Final A's by place: a place taken by time into Final A is not there)."""
    last, by_place = 0, 0
    for rule in rules:
        if rule.places[0] != last + 1 and not (
            rule.mark is Mark.QB and rule.places[0] == by_place + 1
        ):
            raise _unknown(text)
        last = rule.places[1]
        if not rule.by_time:
            by_place = rule.places[1]


def _unknown(text: str) -> ValueError:
    return ValueError(f"unknown progression text: {text!r}")
