"""Standings effects of a race: new leaders, how long a lead lasted, gaps, a Globe clinched.

The standings of a classification are a pure function of the rankings official at a
moment (``rules.standings.classify``), so the leaders over a season are that function
evaluated at each moment a ranking revision of its distances became official: a
``Trail``. A lead is a run of moments with the same leaders; a skater who led from the
1500m final at 14:25 until the 1000m final at 15:10 of the same day led for 45 minutes.

Standings facts are made only when every scoring place of every race behind the standings
is known (``RaceOnRecord.scoring_known``): from podiums alone a lead is not a fact.

Facts found for a race, in every classification its distance belongs to:

- ``new_leader``: an entrant first (alone or shared) after the race who was not before;
  with the points, the previous leaders, the gap, and whether they led before this season;
- ``lead_ended``: a leader who lost first place, with when their lead began and how long
  it lasted;
- ``lead``: who leads after the race, by how many points over the next;
- ``standing``: each medallist's rank and points after the race, behind the leader and
  behind the entrant just above;
- ``clinched``: the classification decided by this race (``rules.globe``): clinched with
  races to go, or won (or shared) with the last one.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from shorttrack.rules.facts import MEDAL_RANKS, Fact, History, Proof, RaceOnRecord, RankingRevision
from shorttrack.rules.globe import RemainingRace, decided
from shorttrack.rules.season import ClassificationSpec, CountingRule, SeasonRules
from shorttrack.rules.standings import RankedResult, classify, in_season_order


class Moment:
    """The standings just after ``races`` became official at ``at``: every entrant's
    points (``totals``), who led, and on demand the order of the whole table."""

    def __init__(self, at, races, snapshot, totals, rules, spec, by_entrant):
        self.at: datetime = at
        self.races: tuple[int, ...] = races
        self._snapshot: dict[int, tuple[RankedResult, ...]] = snapshot
        self.totals: dict[str, int] = totals
        # Each entrant's results at this moment, in season order (as the tallies hold them).
        self.by_entrant: Mapping[str, Sequence[RankedResult]] = by_entrant
        self._rules, self._spec = rules, spec
        self._counted: dict[str, tuple] = {}
        self.leaders: frozenset[str] = frozenset(e for rank, e, _ in self._top_group() if rank == 1)

    @cached_property
    def results(self) -> tuple[RankedResult, ...]:
        """Every result official at this moment (the newest revision of each race)."""
        return tuple(r for rs in self._snapshot.values() for r in rs)

    @property
    def races_held(self):
        """The races whose rankings make these standings."""
        return self._snapshot.keys()

    def _group_ranks(self, entrants: list[str], first: int) -> list[tuple[int, str, int]]:
        """Ranks of entrants level on points: shared, or separated by the tie-break."""
        points = self.totals[entrants[0]]
        if len(entrants) == 1 or self._rules.tie_break.value == "none":
            return [(first, e, points) for e in sorted(entrants)]
        table = classify(self._rules, self._spec, [r for e in entrants for r in self.by_entrant[e]])
        return [(first + row.rank - 1, row.entrant, row.points) for row in table.rows]

    def _top_group(self) -> list[tuple[int, str, int]]:
        if not self.totals:
            return []
        top = max(self.totals.values())
        return self._group_ranks([e for e, p in self.totals.items() if p == top], 1)

    @cached_property
    def order(self) -> list[tuple[int, str, int]]:
        """(rank, entrant, points) of the whole table, as ``classify`` ranks it."""
        ranked: list[tuple[int, str, int]] = []
        by_points: dict[int, list[str]] = {}
        for entrant, points in self.totals.items():
            by_points.setdefault(points, []).append(entrant)
        for points in sorted(by_points, reverse=True):
            ranked += self._group_ranks(by_points[points], len(ranked) + 1)
        return ranked

    def row(self, entrant: str) -> tuple[int, str, int] | None:
        return next((r for r in self.order if r[1] == entrant), None)

    def counted(self, entrant: str):
        """The entrant's results that count at this moment (with their points)."""
        if entrant not in self._counted:
            table = classify(self._rules, self._spec, self.by_entrant.get(entrant, []))
            self._counted[entrant] = table.rows[0].counted if table.rows else ()
        return self._counted[entrant]


@dataclass(frozen=True)
class Trail:
    """A classification's leaders at every moment one of its rankings became official."""

    spec: ClassificationSpec
    moments: tuple[Moment, ...]

    def index_of(self, race_id: int) -> int | None:
        """The moment at which this race's current ranking became official."""
        for i in range(len(self.moments) - 1, -1, -1):
            if race_id in self.moments[i].races:
                return i
        return None

    def lead_began(self, entrant: str, index: int) -> Moment | None:
        """The moment the entrant's unbroken run at the top that includes ``index`` began."""
        began = None
        i = index
        while i >= 0 and entrant in self.moments[i].leaders:
            began = self.moments[i]
            i -= 1
        return began

    def led_before(self, entrant: str, index: int) -> bool:
        return any(entrant in m.leaders for m in self.moments[:index])

    def until(self, moment: datetime | None) -> Trail:
        """The trail as it stood at ``moment``: the moments up to it."""
        if moment is None:
            return self
        return Trail(self.spec, tuple(m for m in self.moments if m.at <= moment))


def race_key(race_id: int) -> str:
    """The opaque race id the standings see (as ``queries.standings.race_key``)."""
    return f"{race_id:09d}"


def trail(
    rules: SeasonRules,
    spec: ClassificationSpec,
    revisions: Sequence[RankingRevision],
    until: datetime | None = None,
) -> Trail:
    """The standings of ``spec`` at each moment a revision of one of its distances became
    official (up to ``until``); a newer revision of a race replaces the older one.

    Only the entrants a moment's races touch are counted again (``_Tally``, which follows
    ``season.CountingRule`` as ``classify`` does: tests hold the two together); the leaders
    are those with the most points, separated by ``classify`` under a tie-break."""
    wanted = set(spec.distances)
    relevant = sorted(
        (
            r
            for r in revisions
            if r.results
            and r.results[0].distance in wanted
            and (until is None or r.official_at <= until)
        ),
        key=lambda r: (r.official_at, r.race, r.number),
    )

    def key(result: RankedResult) -> str:
        return result.nation if spec.entrant == "nation" else result.entrant

    counting = spec.counting.value
    current: dict[int, tuple[RankedResult, ...]] = {}
    tallies: dict[str, _Tally] = {}
    totals: dict[str, int] = {}
    held: dict[str, tuple[RankedResult, ...]] = {}  # each entrant's results, as tallied
    moments = []
    i = 0
    while i < len(relevant):
        at = relevant[i].official_at
        races, touched = [], set()
        while i < len(relevant) and relevant[i].official_at == at:
            revision = relevant[i]
            for result in current.get(revision.race, ()):
                entrant = key(result)
                touched.add(entrant)
                tallies[entrant].remove(revision.race)
            current[revision.race] = revision.results
            for result in revision.results:
                entrant = key(result)
                touched.add(entrant)
                tally = tallies.get(entrant)
                if tally is None:
                    tally = tallies[entrant] = _Tally(rules, counting)
                tally.add(result)
            races.append(revision.race)
            i += 1
        for entrant in touched:
            tally = tallies[entrant]
            if tally.results:
                totals[entrant] = tally.value
                held[entrant] = tuple(tally.results)
            else:
                totals.pop(entrant, None)
                held.pop(entrant, None)
        moments.append(
            Moment(at, tuple(races), dict(current), dict(totals), rules, spec, dict(held))
        )
    return Trail(spec, tuple(moments))


class _Tally:
    """One entrant's points as results are added in season order (``in_season_order``, as
    ``classify`` counts them); a result taken away or placed before the last (a race's
    ranking revised: the race keeps its place in the season) means counting again from
    the start."""

    def __init__(self, rules: SeasonRules, counting: CountingRule):
        self.rules, self.counting = rules, counting
        self.results: list[RankedResult] = []
        self.value = 0
        self._points: dict[str, list[int]] = {}  # per distance, or "" for all
        self._counted: dict[str, int] = {}  # the points that count of each group

    def add(self, result: RankedResult) -> None:
        if self.results and in_season_order(result) < in_season_order(self.results[-1]):
            self._count_again([*self.results, result])
        else:
            self._append(result)

    def _append(self, result: RankedResult) -> None:
        self.results.append(result)
        counting = self.counting
        if (
            counting.rule == "best"
            and counting.of_at_most
            and len(self.results) > counting.of_at_most
        ):
            return  # beyond the races that may count
        points = self.rules.points_for(result.rank)
        group = result.distance if counting.rule == "best_per_distance" else ""
        if counting.rule == "all":
            self.value += points
            return
        ps = self._points.setdefault(group, [])
        bisect.insort(ps, -points)
        # Only this result's group counts differently: the others' sums stand.
        counted = -sum(ps[: counting.best] if counting.best is not None else ps)
        self.value += counted - self._counted.get(group, 0)
        self._counted[group] = counted

    def remove(self, race: int) -> None:
        self._count_again([r for r in self.results if int(r.race) != race])

    def _count_again(self, results: list[RankedResult]) -> None:
        self.results, self.value, self._points, self._counted = [], 0, {}, {}
        for result in sorted(results, key=in_season_order):
            self._append(result)


def scoring_known(history: History, moment: Moment) -> bool:
    """Are all points behind these standings known (every scoring place of every race)?"""
    return all(history.races[r].scoring_known for r in moment.races_held if r in history.races)


def classifications_of(rules: SeasonRules, distance: str) -> list[ClassificationSpec]:
    return [spec for spec in rules.classifications if distance in spec.distances]


def standings_facts(
    history: History, race: RaceOnRecord, trails: Mapping[str, Trail], standing: bool = True
) -> list[Fact]:
    """New leaders, ended leads, the lead and (``standing``) the medallists' standing after
    the race."""
    rules = history.rules[race.season]
    facts: list[Fact] = []
    for spec in classifications_of(rules, race.distance):
        path = trails.get(spec.key)
        index = path.index_of(race.id) if path else None
        if index is None:
            continue
        after = path.moments[index]
        before = path.moments[index - 1] if index else None
        if not scoring_known(history, after) or (before and not scoring_known(history, before)):
            continue
        facts += _lead_changes(history, race, spec, path, index, before, after)
        facts += _lead(history, race, spec, after)
        if standing:
            facts += _standings_of_medallists(history, race, spec, after)
    return facts


def _proof_of_row(history: History, race: RaceOnRecord, moment: Moment, entrant: str):
    """The ranking lines behind an entrant's counted results at a moment."""
    proof = [Proof("distance_race", race.id)]
    for scored in moment.counted(entrant):
        line = history.line_of(int(scored.result.race), scored.result.entrant)
        if line is not None:
            proof.append(Proof("ranking_line", line.line))
    return tuple(proof)


def _lead_changes(history, race, spec, path: Trail, index, before, after) -> list[Fact]:
    facts = []
    old = before.leaders if before else frozenset()
    new = after.leaders
    if old == new:
        return facts
    at = after.at
    top = after.order[0][2] if after.order else 0
    next_points = next((points for rank, _, points in after.order if rank != 1), None)
    for entrant in sorted(new - old):
        first_time = not path.led_before(entrant, index)
        facts.append(
            Fact(
                "new_leader",
                race.id,
                entrant,
                {
                    "classification": spec.key,
                    "points": top,
                    "previous": sorted(old),
                    "shared_with": sorted(new - {entrant}),
                    "gap": top - next_points if next_points is not None else None,
                    "first_time": first_time,
                },
                _proof_of_row(history, race, after, entrant),
                (3.5 if first_time else 3.0) if old else 1.0,
                at,
            )
        )
    for entrant in sorted(old - new):
        began = path.lead_began(entrant, index - 1)
        lasted = (at - began.at).total_seconds()
        facts.append(
            Fact(
                "lead_ended",
                race.id,
                entrant,
                {
                    "classification": spec.key,
                    "since": began.at.isoformat(),
                    "since_races": list(began.races),
                    "seconds": int(lasted),
                    "shared": len(old) > 1,
                    "new_leaders": sorted(new),
                },
                (Proof("distance_race", race.id),)
                + tuple(Proof("distance_race", r) for r in began.races),
                _lead_rarity(lasted),
                at,
            )
        )
    return facts


def _lead_rarity(seconds: float) -> float:
    """A lead that lasted less than a day (between two finals of one session, say) is rare;
    the shorter, the rarer."""
    hours = seconds / 3600
    if hours < 24:
        return 5.0 + 2.0 * (1 - hours / 24)
    if hours < 24 * 7:
        return 3.0
    return 2.0


def _lead(history, race, spec, after: Moment) -> list[Fact]:
    order = after.order
    if not order:
        return []
    leaders = [e for rank, e, _ in order if rank == 1]
    chasers = [(rank, e, points) for rank, e, points in order if rank != 1]
    second = [e for rank, e, _ in chasers if rank == chasers[0][0]] if chasers else []
    top = order[0][2]
    return [
        Fact(
            "lead",
            race.id,
            leaders[0],
            {
                "classification": spec.key,
                "leaders": leaders,
                "points": top,
                "gap": top - chasers[0][2] if chasers else None,
                "second": second,
            },
            _proof_of_row(history, race, after, leaders[0]),
            1.0,
            after.at,
        )
    ]


def _standings_of_medallists(history, race, spec, after: Moment) -> list[Fact]:
    facts = []
    order = after.order
    for placing in history.placings.get(race.id, ()):
        if placing.rank not in MEDAL_RANKS:
            continue
        entrant = placing.nation if spec.entrant == "nation" else placing.entrant
        row = after.row(entrant)
        if row is None or any(f.subject == entrant for f in facts):
            continue
        rank, _, points = row
        above = [o for o in order if o[2] > points]
        facts.append(
            Fact(
                "standing",
                race.id,
                entrant,
                {
                    "classification": spec.key,
                    "rank": rank,
                    "points": points,
                    "behind_leader": order[0][2] - points,
                    "behind_next": (above[-1][2] - points) if above else None,
                    "next": above[-1][1] if above else None,
                },
                _proof_of_row(history, race, after, entrant),
                0.3,
                after.at,
            )
        )
    return facts


def remaining_races(history: History, season: str, spec: ClassificationSpec, at: datetime):
    """The races of the season in this classification without an official ranking at ``at``."""
    wanted = set(spec.distances)
    left = []
    for race in history.season_races(season):
        if race.distance not in wanted:
            continue
        if race.official_at is not None and race.official_at <= at:
            continue
        when = race.finals_at or race.official_at or at
        label = f"{race.city}, {race.label}"
        left.append(RemainingRace(race_key(race.id), race.distance, label, when, race.country))
    return left


def clinch_facts(history: History, race: RaceOnRecord, trails: Mapping[str, Trail]) -> list[Fact]:
    """A classification decided by this race: nobody can catch the leader any more."""
    rules = history.rules[race.season]
    facts = []
    for spec in classifications_of(rules, race.distance):
        if spec.kind == "nations":
            continue
        path = trails.get(spec.key)
        index = path.index_of(race.id) if path else None
        if index is None:
            continue
        after = path.moments[index]
        if not scoring_known(history, after):
            continue
        left = remaining_races(history, race.season, spec, after.at)
        found = decided(rules, spec, after.by_entrant, left, after.order)
        if not found:
            continue
        if index:
            before = path.moments[index - 1]
            earlier = remaining_races(history, race.season, spec, before.at)
            if any(
                c.verdict == "clinched"
                for c, _ in decided(rules, spec, before.by_entrant, earlier, before.order)
            ):
                continue  # decided before this race
        for contender, rival_best in found:
            facts.append(
                Fact(
                    "clinched",
                    race.id,
                    contender.entrant,
                    {
                        "classification": spec.key,
                        "verdict": contender.verdict,
                        "points": contender.points,
                        "races_left": len(left),
                        "best_rival": rival_best,
                    },
                    _proof_of_row(history, race, after, contender.entrant)
                    + tuple(Proof("distance_race", _distance_race_id(r)) for r in left),
                    6.0 if left else 5.0,
                    after.at,
                )
            )
    return facts


def _distance_race_id(remaining: RemainingRace) -> int:
    """The distance race behind a remaining race's opaque key."""
    return int(remaining.race)
