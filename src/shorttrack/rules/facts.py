"""Facts for the press: what a race made true, each fact carrying the results that prove it.

A press officer's sentence "his third World Cup win of the season" is a count over final
ranks; "her first individual medal since a silver in Dordrecht in 2019/20" is a search
back through them. This module finds such facts in plain data (a ``History``: distance
races, their final ranks, result sheets, skaters) and returns ``Fact`` values naming the
ranking lines, result-sheet lines and distance races behind them, so that every claim
can be checked against the results it came from.

What is found for one race (``race_facts``):

- the podium, the winning margin, penalties, cards and retirements in Final A;
- counts: nth individual win of the season, nth win at the distance this season, nth
  World Cup medal and win; first medal, first win, first Final A; the first medal (or
  win) since one in an earlier season; streaks of wins at a distance and of medals;
- age ("the 21-year-old") and the youngest or oldest winner of the season; a nation's
  first medal or win of the season, a nation's sweep of the podium.

Records from times are in ``rules.bests``, standings effects in ``rules.leaders``.

A fact is produced only when the data proves it. Counts over a season need the podium of
every earlier race of the season; career facts (first medal, nth medal) need the podium of
every earlier race held, and are never made in the first season held, where the careers
before it are unknown; a first Final A needs complete rankings. Career facts are true of
the results held (``History.seasons``): pages that show them say from which season.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from shorttrack.rules.distances import Distance, distance
from shorttrack.rules.records import WorldRecord
from shorttrack.rules.season import SeasonRules
from shorttrack.rules.standings import RankedResult

MEDAL_RANKS = (1, 2, 3)


class Proof(NamedTuple):
    """A row a fact rests on: ``kind`` is 'ranking_line', 'race_result_line',
    'distance_race' or 'skater' (for a birth date); ``id`` its primary key."""

    kind: str
    id: int


@dataclass(frozen=True)
class Fact:
    """One verified statement about a race.

    ``subject`` is who it is about: an entrant key ('s12' a skater, 't4' a relay team,
    'nKOR' a nation's team) or a nation code for nation facts. ``values`` holds the numbers
    and keys the statement needs, JSON-ready. ``rarity`` orders facts for a summary: higher
    is rarer (docs/facts.md gives the scale). ``at`` is when the fact became true.
    """

    kind: str
    race: int
    subject: str
    values: Mapping[str, Any]
    proof: tuple[Proof, ...]
    rarity: float
    at: datetime

    @property
    def key(self) -> str:
        """Stable id of the fact within its race: kind, race, subject and what tells two
        facts of one kind apart (a classification, a round)."""
        extra = self.values.get("classification") or self.values.get("round") or ""
        return f"{self.kind}:{self.race}:{self.subject}" + (f":{extra}" if extra else "")


@dataclass(frozen=True)
class RaceOnRecord:
    """One distance at one competition ('Men's 1000m' at Almaty, World Cup 3)."""

    id: int
    season: str
    competition: int
    city: str
    venue: str
    time_zone: str
    distance: str
    instance: int | None
    finals_at: datetime | None
    official_at: datetime | None  # its current final ranking became official; None: not yet
    podium_known: bool = True  # ranks 1-3 are all known
    complete: bool = False  # every rank is known (computed from its races)
    country: str = ""
    scoring_known: bool = True  # every rank that scores World Cup points is known

    @property
    def rules_distance(self) -> Distance:
        return distance(self.distance)

    @property
    def label(self) -> str:
        """'1000m (2)'"""
        return self.rules_distance.race_label(self.instance)

    @property
    def individual(self) -> bool:
        return self.rules_distance.individual

    @property
    def gender(self) -> str:
        return self.rules_distance.gender.value

    @property
    def order(self) -> tuple:
        """Races in the order their rankings became official; not yet official ones last."""
        return (self.official_at is None, self.official_at or self.finals_at, self.id)

    def local_date(self, moment: datetime | None = None) -> date | None:
        when = moment or self.official_at or self.finals_at
        return when.astimezone(ZoneInfo(self.time_zone)).date() if when else None


class Placing(NamedTuple):
    """A line of a final ranking: who finished where in a distance race."""

    line: int  # ranking line id
    race: int
    entrant: str
    skater: str | None
    nation: str
    rank: int | None
    final: str = ""  # 'A', 'B', 'C' where known
    final_place: int | None = None
    time_ms: int | None = None
    status: str = "finished"


class SheetLine(NamedTuple):
    """A line of one race's result sheet (heat, quarterfinal, ..., Final A)."""

    line: int  # race result line id
    race: int  # the distance race
    round: str  # RoundKind value
    race_no: int
    official_at: datetime
    entrant: str
    skater: str | None
    nation: str
    place: int | None
    time_ms: int | None
    status: str = "finished"
    warnings: str = ""


@dataclass(frozen=True)
class Person:
    """A skater, relay team or nation as facts name them."""

    key: str
    name: str  # 'PARK Ji Won' as on the result sheet (the season's convention); a team: 'KOR'
    press_name: str  # 'Park Ji Won', 'Jens van 't Wout', a nation as in a sentence: 'Korea'
    nation: str
    gender: str | None = None  # 'women' or 'men' for a skater
    birth_date: date | None = None
    skater_id: int | None = None
    family: str = ""  # as stored ('Park', "van 't Wout"): what a sentence says after the first


class Mark(NamedTuple):
    """A best time: which line set it."""

    time_ms: int
    line: int
    entrant: str
    race: int


@dataclass(frozen=True)
class Bests:
    """Best times standing before a moment: world (per distance, from the results held),
    per venue, per skater and of the season (per distance)."""

    world: Mapping[str, Mark] = field(default_factory=dict)
    track: Mapping[tuple[str, str], Mark] = field(default_factory=dict)
    personal: Mapping[tuple[str, str], Mark] = field(default_factory=dict)
    season: Mapping[str, Mark] = field(default_factory=dict)


class RankingRevision(NamedTuple):
    """A revision of a distance race's final ranking, as the standings read it."""

    race: int
    number: int
    official_at: datetime
    results: tuple[RankedResult, ...]


@dataclass(frozen=True)
class History:
    """Everything the facts are found in.

    ``races`` are the distance races held (of every season in ``seasons``, oldest first);
    ``placings`` the current final ranking of each, all lines for the seasons in
    ``full_seasons`` and at least the lines of every skater a fact may be about for the
    others. ``revisions`` are the ranking revisions of the full seasons, for the standings
    at any moment; ``sheets`` the result sheets of the races whose times are looked at,
    and ``bests`` the best times standing before the first of them.
    """

    seasons: tuple[str, ...]
    rules: Mapping[str, SeasonRules]
    races: Mapping[int, RaceOnRecord]
    placings: Mapping[int, tuple[Placing, ...]]
    people: Mapping[str, Person]
    full_seasons: frozenset[str] = frozenset()
    revisions: Mapping[str, tuple[RankingRevision, ...]] = field(default_factory=dict)
    sheets: Mapping[int, tuple[SheetLine, ...]] = field(default_factory=dict)
    bests: Bests = field(default_factory=Bests)
    world_records: Mapping[str, WorldRecord] = field(default_factory=dict)

    def race(self, race_id: int) -> RaceOnRecord:
        return self.races[race_id]

    @cached_property
    def ordered(self) -> tuple[RaceOnRecord, ...]:
        """Races with an official ranking, in the order they became official."""
        official = (r for r in self.races.values() if r.official_at is not None)
        return tuple(sorted(official, key=lambda r: r.order))

    @cached_property
    def _position(self) -> dict[int, int]:
        return {race.id: i for i, race in enumerate(self.ordered)}

    @cached_property
    def _lines(self) -> dict[tuple[int, str], Placing]:
        return {(p.race, p.entrant): p for lines in self.placings.values() for p in lines}

    @cached_property
    def _careers(self) -> dict[str, tuple[Placing, ...]]:
        careers: dict[str, list[Placing]] = {}
        for race in self.ordered:
            for p in self.placings.get(race.id, ()):
                careers.setdefault(p.entrant, []).append(p)
        return {entrant: tuple(lines) for entrant, lines in careers.items()}

    @cached_property
    def _pools(self) -> dict[str | None, tuple[list[RaceOnRecord], list[int]]]:
        """Official races by gender (individual distances) and all of them (None), each
        with their positions in ``ordered``."""
        pools: dict[str | None, list[RaceOnRecord]] = {None: list(self.ordered)}
        for race in self.ordered:
            if race.individual:
                pools.setdefault(race.gender, []).append(race)
        return {key: (races, [self._position[r.id] for r in races]) for key, races in pools.items()}

    def before(
        self, race: RaceOnRecord, *, season: str | None = None, individual: bool = True
    ) -> list[RaceOnRecord]:
        """Official races before this one, in official order: of its gender's individual
        distances (or all), of one season or of all held."""
        races, positions = self._pools.get(race.gender if individual else None, ([], []))
        found = races[: bisect.bisect_left(positions, self._position[race.id])]
        if season is None:
            return found
        start = len(found)
        while start and found[start - 1].season == season:
            start -= 1
        return found[start:]

    @cached_property
    def _seasons(self) -> dict[str, list[RaceOnRecord]]:
        grouped: dict[str, list[RaceOnRecord]] = {}
        for race in self.races.values():
            grouped.setdefault(race.season, []).append(race)
        return grouped

    def season_races(self, season: str) -> list[RaceOnRecord]:
        """Every race of a season held, official or not."""
        return self._seasons.get(season, [])

    def position(self, race_id: int) -> int:
        """Where a race stands in the official order (``ordered``)."""
        return self._position[race_id]

    def official_races(self, until: RaceOnRecord | None = None) -> tuple[RaceOnRecord, ...]:
        """Races with an official ranking, in official order, up to and including ``until``."""
        if until is None:
            return self.ordered
        return self.ordered[: self._position[until.id] + 1]

    def line_of(self, race_id: int, entrant: str) -> Placing | None:
        return self._lines.get((race_id, entrant))

    def career(self, entrant: str, before: RaceOnRecord) -> list[Placing]:
        """The entrant's placings in races that became official before ``before``."""
        limit = self._position[before.id]
        return [p for p in self._careers.get(entrant, ()) if self._position[p.race] < limit]

    def season_index(self, season: str) -> int:
        return self.seasons.index(season)

    def person(self, key: str) -> Person:
        if key in self.people:
            return self.people[key]
        code = key[1:] if key[:1] == "n" else ""
        return Person(key, code or key, code or key, code)


# --- race facts ---------------------------------------------------------------------------


def race_facts(history: History, race_id: int) -> list[Fact]:
    """Every fact of one distance race found in its final ranking and the history before it
    (records and standings effects come from ``rules.bests`` and ``rules.leaders``)."""
    race = history.race(race_id)
    placings = history.placings.get(race_id, ())
    if race.official_at is None or not placings:
        return []
    facts: list[Fact] = []
    facts += podium_facts(history, race, placings)
    facts += final_a_incidents(race, placings, history.sheets.get(race_id, ()))
    if race.individual:
        facts += season_count_facts(history, race, placings)
        facts += career_facts(history, race, placings)
        facts += streak_facts(history, race, placings)
        facts += age_facts(history, race, placings)
    facts += nation_facts(history, race, placings)
    return facts


def medallists(placings: Iterable[Placing]) -> list[Placing]:
    return sorted((p for p in placings if p.rank in MEDAL_RANKS), key=lambda p: (p.rank, p.line))


def podium_facts(history: History, race: RaceOnRecord, placings) -> list[Fact]:
    """The podium (one fact, about the winner) and the winning margin in Final A."""
    podium = medallists(placings)
    winners = [p for p in podium if p.rank == 1]
    if not winners:
        return []
    at = race.official_at
    facts = [
        Fact(
            "podium",
            race.id,
            winners[0].entrant,
            {"places": [{"rank": p.rank, "entrant": p.entrant} for p in podium]},
            tuple(Proof("ranking_line", p.line) for p in podium),
            0.0,
            at,
        )
    ]
    seconds = [p for p in podium if p.rank == 2]
    if len(winners) == 1 and len(seconds) == 1:
        first, second = winners[0], seconds[0]
        if (
            first.final == second.final == "A"
            and first.time_ms is not None
            and second.time_ms is not None
            and second.time_ms >= first.time_ms
        ):
            margin = second.time_ms - first.time_ms
            facts.append(
                Fact(
                    "margin",
                    race.id,
                    first.entrant,
                    {
                        "margin_ms": margin,
                        "time_ms": first.time_ms,
                        "second": second.entrant,
                    },
                    (Proof("ranking_line", first.line), Proof("ranking_line", second.line)),
                    margin_rarity(margin),
                    at,
                )
            )
    return facts


def margin_rarity(margin_ms: int) -> float:
    """A photo finish (20 ms or less) or a win by more than a second is worth telling."""
    if margin_ms <= 20:
        return 4.0
    if margin_ms >= 1000:
        return 3.0
    return 0.5


INCIDENTS = {"PEN": ("final_penalty", 2.5), "YC": ("final_card", 3.5), "RC": ("final_card", 4.0)}
INCIDENTS |= {"DNF": ("final_dnf", 2.0), "DNS": ("final_dns", 1.5)}


def final_a_incidents(race: RaceOnRecord, placings, sheets) -> list[Fact]:
    """Penalties, cards, retirements and non-starts in Final A, from its result sheet when
    held (with the referee's note), else from the final ranking."""
    facts = []
    lines = [s for s in sheets if s.round == "final_a" and s.status in INCIDENTS]
    if lines:
        for s in lines:
            kind, rarity = INCIDENTS[s.status]
            values = {"status": s.status, "warnings": s.warnings}
            facts.append(
                Fact(
                    kind,
                    race.id,
                    s.entrant,
                    values,
                    (Proof("race_result_line", s.line),),
                    rarity,
                    race.official_at,
                )
            )
        return facts
    if any(s.round == "final_a" for s in sheets):
        return []
    for p in placings:
        if p.final == "A" and p.status in INCIDENTS:
            kind, rarity = INCIDENTS[p.status]
            values = {"status": p.status, "warnings": "", "rank": p.rank}
            facts.append(
                Fact(
                    kind,
                    race.id,
                    p.entrant,
                    values,
                    (Proof("ranking_line", p.line),),
                    rarity,
                    race.official_at,
                )
            )
    return facts


# --- counts over the season and the career ------------------------------------------------


def earlier_races(
    history: History, race: RaceOnRecord, *, season: str | None = None, individual: bool = True
) -> list[RaceOnRecord]:
    """Official races of the race's gender before it (in official order), of one season or
    all held; individual distances only unless ``individual`` is False."""
    return history.before(race, season=season, individual=individual)


def season_count_facts(history: History, race: RaceOnRecord, placings) -> list[Fact]:
    """nth individual win of the season and nth win at this distance this season."""
    if race.season not in history.full_seasons:
        return []
    before = earlier_races(history, race, season=race.season)
    if not all(r.podium_known for r in before):
        return []
    facts = []
    for winner in (p for p in placings if p.rank == 1 and p.skater):
        wins = [
            line
            for r in before
            if (line := history.line_of(r.id, winner.entrant)) and line.rank == 1
        ]
        n = len(wins) + 1
        proof = tuple(Proof("ranking_line", w.line) for w in wins) + (
            Proof("ranking_line", winner.line),
        )
        facts.append(
            Fact(
                "season_wins",
                race.id,
                winner.entrant,
                {"n": n, "season": race.season},
                proof,
                # A first win is news only well into the season.
                1.0 + 1.2 * math.log2(n) if n > 1 else min(1.5, 0.08 * len(before)),
                race.official_at,
            )
        )
        at_distance = [w for w in wins if history.race(w.race).distance == race.distance]
        if at_distance:
            m = len(at_distance) + 1
            facts.append(
                Fact(
                    "season_distance_wins",
                    race.id,
                    winner.entrant,
                    {"n": m, "season": race.season, "distance": race.distance},
                    tuple(Proof("ranking_line", w.line) for w in at_distance)
                    + (Proof("ranking_line", winner.line),),
                    1.2 + 1.2 * math.log2(m),
                    race.official_at,
                )
            )
    return facts


def career_known(history: History, race: RaceOnRecord, before: list[RaceOnRecord]) -> bool:
    """Can a career count be trusted here? Not in the first season held (what came before
    it is unknown), and only when every earlier podium is known."""
    return (
        bool(history.seasons)
        and race.season != history.seasons[0]
        and all(r.podium_known for r in before)
    )


MILESTONES = {5, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100}


def career_facts(history: History, race: RaceOnRecord, placings) -> list[Fact]:
    """nth World Cup medal and win; first medal, first win, first Final A; the first medal
    or win since one in an earlier season."""
    before = earlier_races(history, race)
    facts: list[Fact] = []
    known = career_known(history, race, before)
    at = race.official_at
    for placing in medallists(placings):
        if not placing.skater:
            continue
        earlier = [
            line
            for r in before
            if (line := history.line_of(r.id, placing.entrant)) and line.rank in MEDAL_RANKS
        ]
        own = Proof("ranking_line", placing.line)
        if known:
            n = len(earlier) + 1
            if n == 1:
                facts.append(Fact("first_medal", race.id, placing.entrant, {}, (own,), 4.0, at))
            else:
                facts.append(
                    Fact(
                        "career_medals",
                        race.id,
                        placing.entrant,
                        {"n": n},
                        tuple(Proof("ranking_line", e.line) for e in earlier) + (own,),
                        3.5 if n in MILESTONES else 0.3,
                        at,
                    )
                )
            if placing.rank == 1:
                wins = [e for e in earlier if e.rank == 1]
                w = len(wins) + 1
                if w == 1:
                    facts.append(Fact("first_win", race.id, placing.entrant, {}, (own,), 5.0, at))
                else:
                    facts.append(
                        Fact(
                            "career_wins",
                            race.id,
                            placing.entrant,
                            {"n": w},
                            tuple(Proof("ranking_line", e.line) for e in wins) + (own,),
                            4.0 if w in MILESTONES else 0.5,
                            at,
                        )
                    )
        facts += since_facts(history, race, placing, before, earlier)
    facts += first_final_a_facts(history, race, placings, before, known)
    return facts


def since_facts(
    history: History,
    race: RaceOnRecord,
    placing: Placing,
    before: list[RaceOnRecord],
    earlier_medals: list[Placing],
) -> list[Fact]:
    """First medal (and first win) since one in an earlier season, named by its race."""
    facts = []
    levels = [("first_medal_since", earlier_medals, 2.0)]
    if placing.rank == 1:
        levels.append(("first_win_since", [e for e in earlier_medals if e.rank == 1], 2.5))
    for kind, previous_ones, base in levels:
        if not previous_ones:
            continue
        previous = previous_ones[-1]
        previous_race = history.race(previous.race)
        if previous_race.season == race.season:
            continue
        between = [r for r in before if r.order > previous_race.order]
        if not all(r.podium_known for r in between):
            continue
        gap = history.season_index(race.season) - history.season_index(previous_race.season)
        facts.append(
            Fact(
                kind,
                race.id,
                placing.entrant,
                {
                    "previous_race": previous.race,
                    "previous_rank": previous.rank,
                    "seasons": gap,
                    "races_between": len(between),
                },
                (Proof("ranking_line", previous.line), Proof("ranking_line", placing.line)),
                min(base + 1.5 * gap, 9.0),
                race.official_at,
            )
        )
    return facts


def first_final_a_facts(
    history: History, race: RaceOnRecord, placings, before: list[RaceOnRecord], known: bool
) -> list[Fact]:
    """A skater's first Final A: only where every earlier ranking of the gender is complete."""
    if not known or not all(r.complete for r in before):
        return []
    facts = []
    for p in placings:
        if p.final != "A" or not p.skater:
            continue
        if any((line := history.line_of(r.id, p.entrant)) and line.final == "A" for r in before):
            continue
        facts.append(
            Fact(
                "first_final_a",
                race.id,
                p.entrant,
                {"rank": p.rank},
                (Proof("ranking_line", p.line),),
                3.0,
                race.official_at,
            )
        )
    return facts


def streak_facts(history: History, race: RaceOnRecord, placings) -> list[Fact]:
    """Wins in consecutive races of this distance, and medals in consecutive individual races
    of the gender, ending with this race (across seasons held)."""
    facts = []
    before = earlier_races(history, race)
    for placing in medallists(placings):
        if not placing.skater:
            continue
        if placing.rank == 1:
            same = [r for r in before if r.distance == race.distance]
            streak = _streak(history, placing, same, lambda p: p.rank == 1)
            if streak is not None and len(streak) >= 1:
                k = len(streak) + 1
                facts.append(
                    Fact(
                        "win_streak",
                        race.id,
                        placing.entrant,
                        {"n": k, "distance": race.distance},
                        tuple(Proof("ranking_line", s.line) for s in streak)
                        + (Proof("ranking_line", placing.line),),
                        1.0 + 1.2 * (k - 1),
                        race.official_at,
                    )
                )
        streak = _streak(history, placing, before, lambda p: p.rank in MEDAL_RANKS)
        if streak is not None and len(streak) + 1 >= 4:
            k = len(streak) + 1
            facts.append(
                Fact(
                    "medal_streak",
                    race.id,
                    placing.entrant,
                    {"n": k},
                    tuple(Proof("ranking_line", s.line) for s in streak)
                    + (Proof("ranking_line", placing.line),),
                    0.6 * k,
                    race.official_at,
                )
            )
    return facts


def _streak(history: History, placing: Placing, before: list[RaceOnRecord], keeps) -> list | None:
    """The placings of the unbroken run just before this race (oldest first); None when
    the run reaches a race whose podium is unknown (its length cannot be told)."""
    run: list[Placing] = []
    for r in reversed(before):
        line = history.line_of(r.id, placing.entrant)
        if line is not None and keeps(line):
            run.append(line)
            continue
        if not r.podium_known:
            return None
        break
    else:
        if before and before[0].season == history.seasons[0] and run:
            # The run reaches back to the first season held: it may be longer than we know.
            return None
    return list(reversed(run))


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_facts(history: History, race: RaceOnRecord, placings) -> list[Fact]:
    """The age of each medallist with a birth date; the youngest or oldest winner of an
    individual race of the gender this season (when every winner's birth date is known)."""
    facts = []
    day = race.local_date()
    for placing in medallists(placings):
        person = history.people.get(placing.entrant)
        if not person or not person.birth_date or not person.skater_id:
            continue
        age = age_on(person.birth_date, day)
        facts.append(
            Fact(
                "age",
                race.id,
                placing.entrant,
                {"age": age, "rank": placing.rank},
                (Proof("skater", person.skater_id), Proof("ranking_line", placing.line)),
                3.0 if age <= 18 or age >= 33 else 0.2,
                race.official_at,
            )
        )
    if race.season not in history.full_seasons:
        return facts
    winners = [p for p in placings if p.rank == 1 and p.skater]
    if len(winners) != 1:
        return facts
    winner = winners[0]
    person = history.people.get(winner.entrant)
    if not person or not person.birth_date:
        return facts
    before = earlier_races(history, race, season=race.season)
    others = []
    for r in before:
        for p in history.placings.get(r.id, ()):
            if p.rank == 1 and p.skater and p.entrant != winner.entrant:
                other = history.people.get(p.entrant)
                if not other or not other.birth_date:
                    return facts
                others.append((age_days(other.birth_date, r.local_date()), p, other))
        if not any(p.rank == 1 for p in history.placings.get(r.id, ())):
            return facts
    if not others:
        return facts
    mine = age_days(person.birth_date, day)
    for kind, wins in (
        ("youngest_winner", all(mine < a for a, _, _ in others)),
        ("oldest_winner", all(mine > a for a, _, _ in others)),
    ):
        if wins:
            facts.append(
                Fact(
                    kind,
                    race.id,
                    winner.entrant,
                    {"age": age_on(person.birth_date, day), "winners": len(others) + 1},
                    (Proof("skater", person.skater_id), Proof("ranking_line", winner.line))
                    + tuple(Proof("ranking_line", p.line) for _, p, _ in others),
                    3.5 if kind == "youngest_winner" else 3.0,
                    race.official_at,
                )
            )
    return facts


def age_days(birth_date: date, day: date) -> int:
    return (day - birth_date).days


def nation_facts(history: History, race: RaceOnRecord, placings) -> list[Fact]:
    """A nation's first medal (or win) of the season, in any distance; a sweep of the podium.
    A first of the season is rarer the more races of the season came before it."""
    facts = []
    podium = medallists(placings)
    at = race.official_at
    nations = {p.nation for p in podium}
    if len(podium) == 3 and len(nations) == 1 and [p.rank for p in podium] == [1, 2, 3]:
        facts.append(
            Fact(
                "nation_sweep",
                race.id,
                podium[0].nation,
                {"nation": podium[0].nation},
                tuple(Proof("ranking_line", p.line) for p in podium),
                3.5,
                at,
            )
        )
    if race.season not in history.full_seasons:
        return facts
    before = earlier_races(history, race, season=race.season, individual=False)
    if not all(r.podium_known for r in before):
        return facts
    earlier = [p for r in before for p in history.placings.get(r.id, ()) if p.rank in MEDAL_RANKS]
    for nation in sorted(nations):
        own = [p for p in podium if p.nation == nation]
        best = own[0]
        won = [p for p in earlier if p.nation == nation and p.rank == 1]
        medalled = [p for p in earlier if p.nation == nation]
        proofs = tuple(Proof("ranking_line", p.line) for p in own) + tuple(
            Proof("distance_race", r.id) for r in before
        )
        if best.rank == 1 and not won:
            facts.append(
                Fact(
                    "nation_first_win",
                    race.id,
                    nation,
                    {"nation": nation, "entrant": best.entrant, "season": race.season},
                    proofs,
                    min(3.5, 0.12 * len(before)),
                    at,
                )
            )
        if not medalled:
            facts.append(
                Fact(
                    "nation_first_medal",
                    race.id,
                    nation,
                    {
                        "nation": nation,
                        "entrant": best.entrant,
                        "rank": best.rank,
                        "season": race.season,
                    },
                    proofs,
                    min(3.0, 0.1 * len(before)),
                    at,
                )
            )
    return facts
