"""World Cup classifications at any moment.

The standings as of a moment ``t`` are a pure function of the season's rules and the
final ranks that were official at ``t``: nothing is remembered between calls, so "who
led between the 1500m and the 1000m final?" is the same function with another ``t``.

Every row lists the results that earned its points and the ones a counting rule dropped,
so a total can always be checked against the races it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import NamedTuple

from shorttrack.rules.season import ClassificationSpec, CountingRule, SeasonRules


class RankedResult(NamedTuple):
    """One entrant's final rank in one race of the World Cup (a distance at a competition).

    ``race`` is an opaque id that orders races of one competition; ``skater`` is None for a
    relay team, whose ``entrant`` is the team. ``official_at`` is when this revision of the
    race's ranking became official; a result is part of the standings from that moment on.
    ``first_official_at`` is when the race's first ranking became official (None: this is
    that first revision): a correction keeps its race's place in the season.
    """

    race: str
    distance: str
    entrant: str
    nation: str
    rank: int | None
    official_at: datetime
    skater: str | None = None
    first_official_at: datetime | None = None

    @property
    def season_moment(self) -> datetime:
        """The race's place in the season: when its ranking was first official. Results
        count in this order ("best 9 of at most 12": the first 12 races skated), and a
        final is placed in time by it, whenever its ranking was corrected."""
        return self.first_official_at or self.official_at


class ScoredResult(NamedTuple):
    result: RankedResult
    points: int
    counted: bool  # False: dropped by the counting rule


@dataclass(frozen=True)
class StandingsRow:
    rank: int
    entrant: str
    nation: str
    points: int
    results: tuple[ScoredResult, ...]  # in season order: when each race was first official

    @property
    def counted(self) -> tuple[ScoredResult, ...]:
        return tuple(r for r in self.results if r.counted)

    @property
    def dropped(self) -> tuple[ScoredResult, ...]:
        return tuple(r for r in self.results if not r.counted)


@dataclass(frozen=True)
class Standings:
    spec: ClassificationSpec
    as_of: datetime | None
    rows: tuple[StandingsRow, ...]
    provisional: bool

    def row(self, entrant: str) -> StandingsRow | None:
        return next((r for r in self.rows if r.entrant == entrant), None)

    @property
    def leaders(self) -> tuple[StandingsRow, ...]:
        return tuple(r for r in self.rows if r.rank == 1)


def known_at(results: Iterable[RankedResult], as_of: datetime | None) -> list[RankedResult]:
    """The results that were official at ``as_of`` (all of them when it is None)."""
    if as_of is None:
        return list(results)
    return [r for r in results if r.official_at <= as_of]


def classify(
    rules: SeasonRules,
    spec: ClassificationSpec,
    results: Iterable[RankedResult],
    as_of: datetime | None = None,
) -> Standings:
    """The standings of one classification from the results known at ``as_of``."""
    wanted = set(spec.distances)
    by_entrant: dict[str, list[RankedResult]] = {}
    for result in known_at(results, as_of):
        if result.distance not in wanted:
            continue
        key = result.nation if spec.entrant == "nation" else result.entrant
        by_entrant.setdefault(key, []).append(result)

    scored_rows = []
    for entrant, own in by_entrant.items():
        own.sort(key=in_season_order)
        scored = _apply_counting(rules, spec.counting.value, own)
        total = sum(s.points for s in scored if s.counted)
        nation = own[0].nation
        scored_rows.append((entrant, nation, total, tuple(scored)))

    scored_rows.sort(key=lambda row: (-row[2], _tie_break(rules, row[3]), row[0]))
    rows: list[StandingsRow] = []
    for position, (entrant, nation, total, scored) in enumerate(scored_rows, start=1):
        rank = position
        if (
            rows
            and rows[-1].points == total
            and _tie_break(rules, rows[-1].results) == _tie_break(rules, scored)
        ):
            rank = rows[-1].rank
        rows.append(StandingsRow(rank, entrant, nation, total, scored))
    return Standings(spec, as_of, tuple(rows), rules.classification_provisional(spec))


# The order in which an entrant's results count and which of equal results is kept: the
# races as they were first official (then by race id), not when a correction came.
in_season_order = attrgetter("season_moment", "race")


def all_classifications(
    rules: SeasonRules, results: Iterable[RankedResult], as_of: datetime | None = None
) -> dict[str, Standings]:
    """Every classification of the season, keyed by classification key."""
    by_distance: dict[str, list[RankedResult]] = {}
    for result in known_at(results, as_of):
        by_distance.setdefault(result.distance, []).append(result)
    # Each classification sees only its own distances: one pass over the season, not one per table.
    return {
        spec.key: classify(
            rules, spec, [r for d in spec.distances for r in by_distance.get(d, ())], as_of
        )
        for spec in rules.classifications
    }


def _apply_counting(
    rules: SeasonRules, counting: CountingRule, own: list[RankedResult]
) -> list[ScoredResult]:
    points = [rules.points_for(r.rank) for r in own]
    counted = [True] * len(own)
    if counting.rule == "best":
        eligible = list(range(min(len(own), counting.of_at_most or len(own))))
        for i in range(len(eligible), len(own)):
            counted[i] = False
        _drop_all_but_best(points, eligible, counting.best, counted)
    elif counting.rule == "best_per_distance":
        per_distance: dict[str, list[int]] = {}
        for i, r in enumerate(own):
            per_distance.setdefault(r.distance, []).append(i)
        for indices in per_distance.values():
            _drop_all_but_best(points, indices, counting.best, counted)
    elif counting.rule != "all":
        raise ValueError(f"unknown counting rule {counting.rule!r}")
    return [ScoredResult(r, p, c) for r, p, c in zip(own, points, counted, strict=True)]


def _drop_all_but_best(
    points: list[int], indices: list[int], best: int | None, counted: list[bool]
) -> None:
    """Keep the ``best`` highest scores among ``indices``; on equal points the earlier
    result (in season order) is kept, so the same results always count."""
    if best is None:
        return
    keep = sorted(indices, key=lambda i: (-points[i], i))[:best]
    for i in indices:
        if i not in keep:
            counted[i] = False


def _tie_break(rules: SeasonRules, scored: tuple[ScoredResult, ...] | list[ScoredResult]) -> tuple:
    """Orders entrants on equal points. 'none' leaves them tied (they share the rank);
    'countback' prefers more wins, then more second places, and so on."""
    rule = rules.tie_break.value
    if rule == "none":
        return ()
    if rule == "countback":
        places = [s.result.rank for s in scored if s.counted and s.result.rank]
        return tuple(-places.count(p) for p in range(1, len(rules.points) + 1))
    raise ValueError(f"unknown tie-break rule {rule!r}")
