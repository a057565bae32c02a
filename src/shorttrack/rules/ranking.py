"""The final ranking of one distance at one competition, from all of its races.

RULES.md section 2 (provisional where marked in the season data): Final A places, then
Final B (then C) places, then skaters eliminated in the latest round first; within one
round by place in their race, then by time; PEN, DNF and DNS after the finishers of that
round, a final being a round of its own. A skater penalised in Final A is ranked after the
Final B skaters (Final B's own PEN, DNF and DNS included) and before Final C (season rule
``final_a_penalty``). A yellow or red card anywhere in the distance leaves the skater
unranked. Dead heats (``dead_heat_between``, the one definition the advancement uses too)
share the place; entrants of different races that nothing tells apart share a rank too.

Entrants are opaque strings (a skater's or a relay team's id): the same rules rank both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """How a race ended for one entrant; the qualification mark is kept apart."""

    FINISHED = "finished"
    PEN = "PEN"
    DNF = "DNF"
    DNS = "DNS"
    YC = "YC"
    RC = "RC"

    @property
    def finished(self) -> bool:
        return self is Status.FINISHED


class RoundKind(StrEnum):
    """The rounds a distance may skate, in the words of the ISU results pages. A repechage
    round races skaters eliminated earlier for places in a later round: "Rep.
    Quarterfinals" is the repechage bracket's quarterfinal, not a second quarterfinal."""

    PRELIMINARIES = "preliminaries"
    HEATS = "heats"
    REP_HEATS = "rep_heats"
    REPECHAGE = "repechage"
    REP_QUARTERFINALS = "rep_quarterfinals"
    REP_SEMIFINALS = "rep_semifinals"
    QUARTERFINALS = "quarterfinals"
    SEMIFINALS = "semifinals"
    FINAL_B = "final_b"
    FINAL_A = "final_a"
    FINAL_C = "final_c"

    @property
    def label(self) -> str:
        """As the sheets print the round: 'Rep. Quarterfinals', 'Final A'."""
        return _ROUND_WORDS[self][0]

    @property
    def singular(self) -> str:
        """One race of the round: 'Heat 3', 'Rep. Quarterfinal 2', 'Final A'."""
        return _ROUND_WORDS[self][1]

    @property
    def prose(self) -> str:
        """The round in a sentence: 'out in the quarterfinals', 'fourth in Final A'."""
        return _ROUND_WORDS[self][2]

    @property
    def final(self) -> bool:
        return self.value.startswith("final_")

    @property
    def repechage(self) -> bool:
        return self.value.startswith("rep")

    @classmethod
    def parse(cls, text: str) -> RoundKind:
        """'heats', 'final_a', or as a sheet prints it: 'Final A', 'Rep. Semifinals'."""
        key = " ".join(text.replace(".", " ").replace("_", " ").lower().split())
        for kind in cls:
            if key in (
                kind.value.replace("_", " "),
                " ".join(kind.label.replace(".", " ").lower().split()),
            ):
                return kind
        known = ", ".join(k.label for k in ROUND_SEQUENCE)
        raise ValueError(f"unknown round {text!r}: expected one of {known}")


# label, one race of it, in prose
_ROUND_WORDS = {
    RoundKind.PRELIMINARIES: ("Preliminaries", "Preliminary", "preliminaries"),
    RoundKind.HEATS: ("Heats", "Heat", "heats"),
    RoundKind.REP_HEATS: ("Rep. Heats", "Rep. Heat", "repechage heats"),
    RoundKind.REPECHAGE: ("Repechage", "Repechage", "repechage"),
    RoundKind.REP_QUARTERFINALS: (
        "Rep. Quarterfinals",
        "Rep. Quarterfinal",
        "repechage quarterfinals",
    ),
    RoundKind.REP_SEMIFINALS: ("Rep. Semifinals", "Rep. Semifinal", "repechage semifinals"),
    RoundKind.QUARTERFINALS: ("Quarterfinals", "Quarterfinal", "quarterfinals"),
    RoundKind.SEMIFINALS: ("Semifinals", "Semifinal", "semifinals"),
    RoundKind.FINAL_C: ("Final C", "Final C", "Final C"),
    RoundKind.FINAL_B: ("Final B", "Final B", "Final B"),
    RoundKind.FINAL_A: ("Final A", "Final A", "Final A"),
}

# Rounds in the order they are skated. The 2019/20 pages show the repechage bracket
# between the heats and the quarterfinals, and a relay "Repechage" sending its winners
# into the quarterfinals.
ROUND_SEQUENCE = (
    RoundKind.PRELIMINARIES,
    RoundKind.HEATS,
    RoundKind.REP_HEATS,
    RoundKind.REPECHAGE,
    RoundKind.REP_QUARTERFINALS,
    RoundKind.REP_SEMIFINALS,
    RoundKind.QUARTERFINALS,
    RoundKind.SEMIFINALS,
    RoundKind.FINAL_C,
    RoundKind.FINAL_B,
    RoundKind.FINAL_A,
)

# A repechage bracket races the skaters out of the first main round and sends its
# qualifiers to the next one: after the heats where there are heats (500 m, 1000 m of
# 2019/20), else after the quarterfinals (1500 m).
_BRACKET = (RoundKind.REP_HEATS, RoundKind.REP_QUARTERFINALS, RoundKind.REP_SEMIFINALS)
_BRACKET_FOLLOWS = (
    RoundKind.HEATS,
    RoundKind.QUARTERFINALS,
    RoundKind.SEMIFINALS,
    RoundKind.PRELIMINARIES,
)


def skating_order(kinds: Iterable[RoundKind]) -> tuple[RoundKind, ...]:
    """The rounds of one distance race in the order they are skated: ``ROUND_SEQUENCE``,
    with a repechage bracket (Rep. Heats, Rep. Quarterfinals, Rep. Semifinals) right after
    the first main round it takes its skaters from. On the 2019/20 pages: Heats, Rep.
    Quarterfinals, Rep. Semifinals, Quarterfinals, ... and Quarterfinals, Rep.
    Quarterfinals, Rep. Semifinals, Semifinals, ...; a relay's Repechage before its
    quarterfinals."""
    present = set(kinds)
    main = [k for k in ROUND_SEQUENCE if k in present and k not in _BRACKET]
    bracket = [k for k in _BRACKET if k in present]
    follows = next((k for k in _BRACKET_FOLLOWS if k in main), None)
    if not bracket or follows is None:
        return tuple(bracket + main)
    at = main.index(follows) + 1
    return tuple(main[:at] + bracket + main[at:])


# Finals are ranked A, then B, then C; other rounds by their order in the competition.
FINAL_ORDER = (RoundKind.FINAL_A, RoundKind.FINAL_B, RoundKind.FINAL_C)
# After the finishers of a round: penalties, then did not finish, then did not start.
_AFTER_FINISHERS = {Status.FINISHED: 0, Status.PEN: 1, Status.DNF: 2, Status.DNS: 3}


@dataclass(frozen=True)
class RaceLine:
    """One entrant's line in one race: place as the referee confirmed it."""

    entrant: str
    place: int | None
    time_ms: int | None = None
    status: Status = Status.FINISHED
    advanced: bool = False  # ADV: put into the next round by the referee
    # DH as the sheet prints it. The rules read a dead heat from the places
    # (``dead_heat_between``); the result-sheet checks see that the mark agrees.
    dead_heat: bool = False
    # Where an ADV goes when not the round's first target (ADB on the sheets: Final B)
    advanced_to: RoundKind | None = None


def dead_heat_between(line: RaceLine, other: RaceLine) -> bool:
    """Whether two lines of one race are a dead heat: both finished and the referee gave
    them the same place (a line is in a dead heat with itself once it has a place).

    A dead heat shares its place (RULES.md section 2) whatever the times say: Dresden
    2019/20, men's 1000 m heat 7 has two 3rd places in 1:27.935 and 1:30.345. The
    advancement gives a dead heat one position (``advancement.positions``), the final
    ranking one rank. A penalised, carded or fallen skater shares no place: the finishers
    behind move up instead.
    """
    return (
        line.status is Status.FINISHED
        and other.status is Status.FINISHED
        and line.place is not None
        and line.place == other.place
    )


@dataclass(frozen=True)
class RoundResult:
    """A round of a distance, its races in race-number order. Rounds are given to
    ``final_ranking`` in the order they were skated."""

    kind: RoundKind
    races: tuple[tuple[RaceLine, ...], ...]


@dataclass(frozen=True)
class FinalRank:
    entrant: str
    rank: int | None  # None: not ranked (yellow or red card)
    round: RoundKind  # the round the entrant was last in
    status: Status = Status.FINISHED


def final_ranking(
    rounds: Sequence[RoundResult],
    *,
    final_a_penalty: str = "after_final_b",
    cards: str = "not_ranked",
) -> tuple[FinalRank, ...]:
    """Rank every entrant of a distance; see the module docstring for the order.

    ``final_a_penalty`` (season rule data, RULES.md section 2 [P]): ``after_final_b`` ranks
    a skater penalised in Final A after every Final B skater (its PEN, DNF and DNS too) and
    before Final C; ``last_of_final`` after Final A's finishers, before its DNF and DNS.
    A PEN in Final B or C comes after that final's finishers either way."""
    if final_a_penalty not in ("after_final_b", "last_of_final"):
        raise ValueError(f"unknown rule for a penalty in Final A: {final_a_penalty!r}")
    if cards != "not_ranked":
        raise ValueError(f"unknown rule for cards: {cards!r}")

    card: dict[str, Status] = {}
    last: dict[str, tuple[int, RoundKind, tuple[int, int], RaceLine]] = {}
    for index, rnd in enumerate(rounds):
        for race_no, race in enumerate(rnd.races):
            for line_no, line in enumerate(race):
                last[line.entrant] = (index, rnd.kind, (race_no, line_no), line)
                if line.status is Status.RC or (
                    line.status is Status.YC and line.entrant not in card
                ):
                    card[line.entrant] = line.status

    groups: dict[tuple[int, int], list[_Item]] = {}
    for entrant, (index, kind, position, line) in last.items():
        if entrant in card:
            continue
        block = _block(kind, line.status, final_a_penalty)
        # Out before the finals: the later round first.
        groups.setdefault((block, 0 if kind.final else -index), []).append((position, line, kind))

    ranked: list[FinalRank] = []
    for group in sorted(groups):
        previous_key, previous_rank = None, 0
        for key, line, kind in _in_ranking_order(groups[group]):
            rank = previous_rank if key == previous_key else len(ranked) + 1
            ranked.append(FinalRank(line.entrant, rank, kind, line.status))
            previous_key, previous_rank = key, rank
    for entrant in sorted(card):
        ranked.append(FinalRank(entrant, None, last[entrant][1], card[entrant]))
    return tuple(ranked)


# One entrant to rank: (race number, line number in the race), line, round kind.
_Item = tuple[tuple[int, int], RaceLine, RoundKind]

# The blocks of the ranking, in order: Final A, Final B, penalised in Final A (rule
# ``after_final_b``: "ranked after the Final B skaters"), Final C, out before the finals.
_FINAL_BLOCK = {RoundKind.FINAL_A: 0, RoundKind.FINAL_B: 1, RoundKind.FINAL_C: 3}
_PENALISED_IN_FINAL_A, _ELIMINATED = 2, 4


def _block(kind: RoundKind, status: Status, final_a_penalty: str) -> int:
    """The block of the ranking an entrant's last round and status put it in."""
    if not kind.final:
        return _ELIMINATED
    if kind is RoundKind.FINAL_A and status is Status.PEN and final_a_penalty == "after_final_b":
        return _PENALISED_IN_FINAL_A
    return _FINAL_BLOCK[kind]


def _in_ranking_order(group: list[_Item]) -> list[tuple[tuple, RaceLine, RoundKind]]:
    """One round's entrants (or one block) in ranking order, each with the key that decides
    a shared rank.

    Finishers by place then time, then PEN, DNF, DNS (each by the place the referee gave,
    if any, then time). A dead heat (``dead_heat_between``) is one key, its faster time
    placing it among the other races' lines. Lines of different races whose keys agree
    share a rank: nothing tells them apart. Two lines of one race with equal keys that are
    not a dead heat (two DNS) keep the order of the sheet: the k-th of each race forms
    tier k.
    """
    by_race: dict[int, list[RaceLine]] = {}
    for (race_no, _), line, _ in group:
        by_race.setdefault(race_no, []).append(line)

    def key(race_no: int, line: RaceLine) -> tuple:
        tied = [other for other in by_race[race_no] if dead_heat_between(line, other)]
        place = line.place if line.place is not None else 10_000
        time = min(_time(other) for other in tied or [line])
        return (_AFTER_FINISHERS[line.status], place, time)

    keyed = sorted(
        ((key(position[0], line), position, line, kind) for position, line, kind in group),
        key=lambda item: (item[0], item[1]),
    )
    before: dict[tuple[int, tuple], tuple[int, RaceLine]] = {}
    tiered = []
    for line_key, (race_no, line_no), line, kind in keyed:
        previous = before.get((race_no, line_key))
        if previous is None:
            tier = 0
        else:
            tier = previous[0] if dead_heat_between(previous[1], line) else previous[0] + 1
        before[(race_no, line_key)] = (tier, line)
        tiered.append(((line_key, tier), (race_no, line_no), line, kind))
    tiered.sort(key=lambda item: (item[0], item[1]))
    return [(tier_key, line, kind) for tier_key, _, line, kind in tiered]


def _time(line: RaceLine) -> int:
    return line.time_ms if line.time_ms is not None else 10**9


# -- a distance whose finals are not in the results ------------------------------------------

# The qualification marks that send an entrant to a final, as the ISU pages print them. A
# plain Q, q or ADV sends it to the next round: from the last round before the finals, the
# Final A.
_MARK_FINALS = {
    "QA": RoundKind.FINAL_A,
    "qA": RoundKind.FINAL_A,
    "ADA": RoundKind.FINAL_A,
    "QB": RoundKind.FINAL_B,
    "qB": RoundKind.FINAL_B,
    "ADB": RoundKind.FINAL_B,
    "QC": RoundKind.FINAL_C,
    "qC": RoundKind.FINAL_C,
    "ADC": RoundKind.FINAL_C,
}
_NEXT_ROUND_MARKS = {"Q", "q", "ADV"}


def final_of_mark(mark: str, last_round: bool) -> RoundKind | None:
    """The final a qualification mark sends an entrant to: QA/qA/ADA Final A, QB/qB/ADB
    Final B; Q, q or ADV in the last round before the finals, Final A; else None."""
    mark = mark.strip()
    if mark in _MARK_FINALS:
        return _MARK_FINALS[mark]
    if last_round and mark in _NEXT_ROUND_MARKS:
        return RoundKind.FINAL_A
    return None


def missing_rounds(
    kinds_present: Sequence[RoundKind] | set[RoundKind],
    qualified_for: Sequence[RoundKind] | set[RoundKind] = (),
) -> str | None:
    """Why a ranking computed from these rounds is incomplete, or None when it is not.

    ``kinds_present``: the rounds in the results; ``qualified_for``: the finals the marks
    of the rounds send entrants to. A distance race without its Final A, or whose rounds
    qualify entrants for a final that is absent, is incomplete: the ranking holds the
    entrants eliminated before the missing finals, the finalists are unranked.
    """
    present = {RoundKind(k) for k in kinds_present}
    wanted = {RoundKind.FINAL_A} | {RoundKind(k) for k in qualified_for}
    missing = [k for k in FINAL_ORDER if k in wanted and k not in present]
    if not missing:
        return None
    names = " or ".join(k.label for k in missing)
    if RoundKind.FINAL_A in missing:
        them = "it" if len(missing) == 1 else "them"
        return f"no {names} in the results: the ranking holds the skaters eliminated before {them}"
    return f"no {names} in the results: the skaters who qualified for it are not ranked"


def ranking_without_finals(
    rounds: Sequence[RoundResult],
    qualified: dict[str, RoundKind],
    *,
    final_a_penalty: str = "after_final_b",
    cards: str = "not_ranked",
) -> tuple[FinalRank, ...]:
    """The final ranking when some finals are not in the results.

    ``qualified``: entrant -> the absent final its last round's mark sent it to. Those
    entrants come first, unranked (rank None, their last round kept), in the order of
    their rounds and races; everyone else is ranked by ``final_ranking`` as if the absent
    finals had been skated: places after a missing final start after the entrants who
    qualified for it (a Final A of 6 missing, the Final B winner is 7th, the best skater
    eliminated in the semifinals after the Final B). A carded entrant stays unranked.
    """
    reduced = tuple(
        RoundResult(
            rnd.kind,
            tuple(
                tuple(line for line in race if line.entrant not in qualified) for race in rnd.races
            ),
        )
        for rnd in rounds
    )
    ranks = final_ranking(reduced, final_a_penalty=final_a_penalty, cards=cards)
    count = {k: sum(1 for f in qualified.values() if f is k) for k in FINAL_ORDER}

    def ahead(rank: FinalRank) -> int:
        """How many entrants of the absent finals rank ahead of this one."""
        block = _block(rank.round, rank.status, final_a_penalty)
        return sum(n for k, n in count.items() if _FINAL_BLOCK[k] < block)

    last_round: dict[str, RoundKind] = {}
    for rnd in rounds:
        for race in rnd.races:
            for line in race:
                if line.entrant in qualified:
                    last_round[line.entrant] = rnd.kind
    unranked = [
        FinalRank(entrant, None, last_round[entrant])
        for entrant in sorted(qualified, key=lambda e: FINAL_ORDER.index(qualified[e]))
        if entrant in last_round
    ]
    shifted = [
        FinalRank(
            r.entrant,
            None if r.rank is None else r.rank + ahead(r),
            r.round,
            r.status,
        )
        for r in ranks
    ]
    return (*unranked, *shifted)


def fill_known_places(
    ranks: Sequence[FinalRank], known: dict[str, int]
) -> tuple[tuple[FinalRank, ...], list[str]]:
    """Give unranked finalists the ranks another source knows (a podium: entrant -> rank).

    Returns the ranks, in rank order with the still unknown first, and the entrants of
    ``known`` that are not unranked finalists here (the caller says so). A rank another
    entrant already holds is not given twice.
    """
    taken = {r.rank for r in ranks if r.rank is not None}
    unranked = {r.entrant for r in ranks if r.rank is None and r.status is Status.FINISHED}
    filled, unused = [], []
    for entrant, rank in known.items():
        if entrant not in unranked or rank in taken:
            unused.append(entrant)
    out = []
    for r in ranks:
        rank = known.get(r.entrant)
        if r.rank is None and r.entrant in unranked and rank is not None and rank not in taken:
            r = FinalRank(r.entrant, rank, r.round, r.status)
            filled.append(r)
        out.append(r)
    unknown = [r for r in out if r.rank is None and r.status is Status.FINISHED]
    rest = sorted((r for r in out if r not in unknown), key=lambda r: (r.rank is None, r.rank or 0))
    return (*unknown, *rest), unused
