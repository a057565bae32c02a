"""The race for the Crystal Globe: what each contender still needs, at any moment.

Given the results official at a moment and the races of the classification still to be
skated, say for every entrant how many points they can still reach, who is mathematically
out, who has clinched it, and which finishes in the next race clinch it ("Park clinches
the Globe if he finishes ahead of Dubois in the 500m (2)"), honouring the season's
counting rule (best N of M) and points table through ``rules.standings.classify``.

An outcome of the remaining races gives each entrant a place in each race, a place below
the points table (a race skated, no points) or nothing (not racing). Two facts make the
verdicts exact without trying every outcome:

- Totals never fall when results are added (a counting rule only keeps the best), and a
  better place never scores less. So an entrant's best case against everyone at once is
  to win every remaining race while nobody else scores; their worst is to score nothing.
- Hence X can still finish first (alone or shared) if and only if X, winning every
  remaining race, is not behind anyone's current total; and the leader has clinched if
  and only if no rival, winning every remaining race, would draw level or pass while the
  leader scores nothing. A skater without points yet (``FIELD``) is a rival too.

Clinching in the next race compares the contender with each rival separately: after the
next race the contender (placed p, then scoring nothing) must stay ahead of the rival
(placed q, then winning every race left). For each p that is a threshold on q, the best
place the rival may take, and whether the rival may also not race: under "best N of at
most M races" a finish without points uses up one of the M, so not racing can leave a rival
better off than finishing last. Ties on points share a rank unless the season's tie-break
(countback) separates them; a shared first place is no clinch.

Nations classifications (many skaters of one nation in a race) get verdicts with the
nation's best case taken as the top places its entry quota allows; clinching conditions
are given for classifications of skaters or relay teams only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import NamedTuple

from shorttrack.rules.distances import distance
from shorttrack.rules.season import ClassificationSpec, SeasonRules
from shorttrack.rules.standings import RankedResult, classify

FIELD = "field"  # any entrant without a result yet


@dataclass(frozen=True)
class RemainingRace:
    """A race of the classification without an official ranking at the moment."""

    race: str  # the opaque race id the standings use
    distance: str
    label: str  # how a sentence names it: "500m (2)" or "Dordrecht, 500m (2)"
    at: datetime  # when it is expected; orders the remaining races
    host: str = ""  # the host nation (a nation may enter more skaters at home)


@dataclass(frozen=True)
class Contender:
    entrant: str
    nation: str
    rank: int
    points: int
    max_points: int  # winning every remaining race, through the counting rule
    behind_leader: int
    verdict: str  # 'won', 'shared', 'clinched', 'alive' or 'out'
    assured_share: bool  # first (at least shared) whatever happens


class RivalLimit(NamedTuple):
    """The best place a rival may take: ``at_best`` or worse (a place below the points
    table is ``len(points) + 1``); ``may_miss``: the rival may also not race at all. Under
    "best N of at most M races" a finish without points uses up one of the M, so not racing
    can leave a rival better placed than finishing last."""

    rival: str
    at_best: int
    may_miss: bool = True


@dataclass(frozen=True)
class Requirement:
    """With the contender placed ``place`` (None: no points) in the next race, each rival
    named must keep to its limit; rivals not named do not matter."""

    place: int | None
    rivals: tuple[RivalLimit, ...]


@dataclass(frozen=True)
class Clinch:
    """How ``entrant`` clinches in ``race``: any one of ``requirements`` does it; none
    listed means it cannot be clinched there."""

    entrant: str
    race: RemainingRace
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Outlook:
    spec: ClassificationSpec
    as_of: datetime | None
    remaining: tuple[RemainingRace, ...]
    points_available: int  # what winning every remaining race is worth, before counting
    field_max: int  # the most a skater without points yet can reach
    contenders: tuple[Contender, ...]
    clinches: tuple[Clinch, ...]

    def contender(self, entrant: str) -> Contender | None:
        return next((c for c in self.contenders if c.entrant == entrant), None)

    @property
    def decided(self) -> bool:
        return any(c.verdict in ("won", "clinched", "shared") for c in self.contenders)


def outlook(
    rules: SeasonRules,
    spec: ClassificationSpec,
    results: Iterable[RankedResult],
    remaining: Sequence[RemainingRace],
    as_of: datetime | None = None,
    conditions: bool = True,
) -> Outlook:
    """The race for this classification after the results given (those official at
    ``as_of``), with ``remaining`` still to be skated; ``conditions``: also work out what
    clinches it in the next race."""
    calc = _Calculator(rules, spec, results, remaining)
    rows = calc.rows
    leader_points = rows[0].points if rows else 0
    contenders = tuple(
        Contender(
            row.entrant,
            row.nation,
            row.rank,
            row.points,
            calc.best_points(row.entrant),
            leader_points - row.points,
            calc.verdict(row.entrant),
            calc.assured_share(row.entrant),
        )
        for row in rows
    )
    clinches: tuple[Clinch, ...] = ()
    if conditions and calc.remaining and spec.kind != "nations":
        found = (calc.clinch(c.entrant) for c in contenders if c.verdict == "alive")
        clinches = tuple(c for c in found if c.requirements)
    return Outlook(
        spec,
        as_of,
        calc.remaining,
        sum(calc.race_max(r) for r in calc.remaining),
        calc.score(FIELD, calc.best),
        contenders,
        clinches,
    )


def decided(
    rules: SeasonRules,
    spec: ClassificationSpec,
    by_entrant: Mapping[str, list[RankedResult]],
    remaining: Sequence[RemainingRace],
    order: Sequence[tuple[int, str, int]],
) -> list[tuple[Contender, int]]:
    """The leaders who have won, share or have clinched the classification, each with the
    most any rival can still reach; from each entrant's results (``by_entrant``) and the
    standings as (rank, entrant, points), best first."""
    calc = _Calculator(rules, spec, (), remaining, order, by_entrant)
    found = []
    for rank, entrant, points in calc.order:
        if rank != 1:
            break
        verdict = calc.verdict(entrant)
        if verdict in ("won", "shared", "clinched"):
            contender = Contender(
                entrant,
                calc.nation(entrant),
                rank,
                points,
                calc.best_points(entrant),
                0,
                verdict,
                calc.assured_share(entrant),
            )
            found.append((contender, calc.rival_best(entrant)))
    return found


Places = tuple  # an entrant's place in each remaining race, in order (None: no points)


class _Row(NamedTuple):
    rank: int
    entrant: str
    nation: str
    points: int


class _Calculator:
    def __init__(self, rules, spec, results, remaining, order=None, by_entrant=None):
        self.rules = rules
        self.spec = spec
        wanted = set(spec.distances)
        own = [r for r in results if r.distance in wanted]
        self.own: Mapping[str, list[RankedResult]] = by_entrant or {}
        if by_entrant is None:
            for r in own:
                key = r.nation if spec.entrant == "nation" else r.entrant
                self.own.setdefault(key, []).append(r)
        self._nations: dict[str, str] | None = None  # from the table, when classified here
        if order is None:
            table = classify(rules, spec, own)
            self.rows = [_Row(r.rank, r.entrant, r.nation, r.points) for r in table.rows]
            self._nations = {row.entrant: row.nation for row in self.rows}
            order = [(row.rank, row.entrant, row.points) for row in self.rows]
        # (rank, entrant, points), best first: what the verdicts read. ``decided`` asks
        # about the leaders of a table of every skater with points, so a row with its
        # nation is only made for the whole table when it is read (``rows``).
        self.order: Sequence[tuple[int, str, int]] = order
        self.remaining = tuple(
            sorted((r for r in remaining if r.distance in wanted), key=lambda r: (r.at, r.race))
        )
        n = len(self.remaining)
        self.best: Places = (1,) * n
        self.current: Places = (None,) * n
        self._scores: dict[tuple[str, Places], int] = {}
        self.points = {entrant: points for _, entrant, points in order}
        self.ranks = {entrant: rank for rank, entrant, _ in order}
        self.leader_points = order[0][2] if order else 0
        # What winning every remaining race adds at most, before any counting rule.
        self.available = sum(self.race_max(r) for r in self.remaining)

    @cached_property
    def rows(self) -> list[_Row]:
        return [_Row(rank, e, self.nation(e), points) for rank, e, points in self.order]

    def nation(self, entrant: str) -> str:
        """An entrant's nation: a row's, else the entrant itself in a nations
        classification (or none)."""
        if entrant not in self.points:
            return entrant if self.spec.entrant == "nation" else ""
        if self._nations is not None:
            return self._nations[entrant]
        return self.own[entrant][0].nation

    def rival_best(self, entrant: str) -> int:
        """The most any rival of the entrant can still reach (one without points too);
        rivals who cannot pass the best found so far even winning everything are skipped."""
        best = self.score(FIELD, self.best)
        for row in self.rows:
            if row.entrant == entrant:
                continue
            if row.points + self.available <= best:
                break
            best = max(best, self.score(row.entrant, self.best))
        return best

    def results(self, entrant: str, places: Places) -> list[RankedResult]:
        """The entrant's results with these places added."""
        found = list(self.own.get(entrant, ()))
        nation = self.nation(entrant)
        for race, place in zip(self.remaining, places, strict=True):
            if place is None:
                continue
            if self.spec.entrant == "nation" and not distance(race.distance).relay:
                for p in range(place, place + self.quota(entrant, race)):
                    found.append(
                        RankedResult(race.race, race.distance, f"{entrant}#{p}", nation, p, race.at)
                    )
            else:
                found.append(
                    RankedResult(race.race, race.distance, entrant, nation, place, race.at, entrant)
                )
        return found

    def score(self, entrant: str, places: Places) -> int:
        key = (entrant, places)
        if key not in self._scores:
            table = classify(self.rules, self.spec, self.results(entrant, places))
            self._scores[key] = table.rows[0].points if table.rows else 0
        return self._scores[key]

    def quota(self, nation: str, race: RemainingRace) -> int:
        entries = self.rules.entries
        quota = (
            entries["per_member_per_distance"].value if "per_member_per_distance" in entries else 1
        )
        if race.host and race.host == nation and "host_extra" in entries:
            quota += entries["host_extra"].value
        return quota

    def race_max(self, race: RemainingRace) -> int:
        """The most one entrant can score in a race (a host nation's extra skater counted)."""
        if self.spec.entrant == "nation" and not distance(race.distance).relay:
            places = self.quota(race.host, race) if race.host else self.quota("", race)
            return sum(self.rules.points_for(p) for p in range(1, places + 1))
        return self.rules.points_for(1)

    def compare(self, a: str, a_places: Places, b: str, b_places: Places) -> int:
        """1 when a ranks ahead of b, 0 when they share a rank, -1 when behind."""
        a_points, b_points = self.score(a, a_places), self.score(b, b_places)
        if a_points != b_points:
            return 1 if a_points > b_points else -1
        a_results, b_results = self.results(a, a_places), self.results(b, b_places)
        if self.rules.tie_break.value == "none" or not a_results or not b_results:
            return 0
        # Rank the two together under other names, so that a and b cannot collide.
        if self.spec.entrant == "nation":
            together = [r._replace(nation="a") for r in a_results]
            together += [r._replace(nation="b") for r in b_results]
            a_key, b_key = "a", "b"
        else:
            together = [r._replace(entrant="a") for r in a_results]
            together += [r._replace(entrant="b") for r in b_results]
            a_key, b_key = "a", "b"
        table = classify(self.rules, self.spec, together)
        rank_a, rank_b = table.row(a_key).rank, table.row(b_key).rank
        return (rank_a < rank_b) - (rank_a > rank_b)

    def rivals(self, entrant: str, at_least: int | None = None) -> list[str]:
        """The entrant's rivals, best first, ``FIELD`` last; with ``at_least``, only those
        with that many points now or more (the table is best first: read until the first
        with fewer)."""
        found = []
        for _, rival, points in self.order:
            if at_least is not None and points < at_least:
                break
            if rival != entrant:
                found.append(rival)
        if at_least is None or self.current_points(FIELD) >= at_least:
            found.append(FIELD)
        return found

    def best_points(self, entrant: str) -> int:
        """The most the entrant can reach: winning every remaining race."""
        return self.score(entrant, self.best)

    def current_points(self, entrant: str) -> int:
        return self.points.get(entrant, 0)

    def verdict(self, entrant: str) -> str:
        if not self.remaining:
            leaders = [e for rank, e, _ in self.order if rank == 1]
            if entrant not in leaders:
                return "out"
            return "won" if len(leaders) == 1 else "shared"
        # Best case: the entrant wins every remaining race and nobody else scores. Only
        # rivals with at least as many points as that can be ahead of it then. That best
        # is never below the entrant's points now (totals never fall): without a rival
        # level with the entrant or ahead, it need not be counted.
        mine = self.current_points(entrant)
        if mine + self.available < self.leader_points:
            return "out"
        if self.rivals(entrant, at_least=mine):
            best = self.score(entrant, self.best)
            if any(
                self.compare(entrant, self.best, rival, self.current) < 0
                for rival in self.rivals(entrant, at_least=best)
            ):
                return "out"
        # Worst case against each rival: nothing more, while the rival wins every race.
        # Only a leader can be clear of everyone then; rivals who cannot reach it are.
        if self.ranks.get(entrant, 1) != 1:
            return "alive"
        if all(
            self.compare(entrant, self.current, rival, self.best) > 0
            for rival in self.rivals(entrant, at_least=mine - self.available)
        ):
            return "clinched"
        return "alive"

    def assured_share(self, entrant: str) -> bool:
        if self.ranks.get(entrant, 1) != 1:
            return False
        mine = self.current_points(entrant)
        return all(
            self.compare(entrant, self.current, rival, self.best) >= 0
            for rival in self.rivals(entrant, at_least=mine - self.available)
        )

    def clinch(self, entrant: str) -> Clinch:
        """The finishes of ``entrant`` and its rivals in the next race after which it has
        clinched (first alone whatever happens in the races after it)."""
        race = self.remaining[0]
        rest = len(self.remaining) - 1
        unplaced = len(self.rules.points) + 1  # ranked below the points table
        numeric = list(range(1, unplaced + 1))

        def mine(p):  # placed p in the next race, nothing after it
            return (p,) + (None,) * rest

        def theirs(q):  # placed q in the next race (None: not racing), then winning every race
            return (q,) + (1,) * rest

        binding = []
        for rival in self.rivals(entrant):
            if self.compare(entrant, mine(None), rival, theirs(1)) > 0:
                continue  # ahead of this rival whatever happens
            if self.compare(entrant, mine(1), rival, theirs(unplaced)) <= 0:
                return Clinch(entrant, race, ())  # cannot get clear of this rival here
            binding.append(rival)
        requirements = []
        for p in [*range(1, unplaced), None]:
            limits = []
            for rival in binding:
                at_best = _threshold(
                    numeric,
                    lambda q, p=p, rival=rival: (
                        self.compare(entrant, mine(p), rival, theirs(q)) > 0
                    ),
                )
                may_miss = self.compare(entrant, mine(p), rival, theirs(None)) > 0
                if at_best is _NEVER or (rival == FIELD and not may_miss):
                    # Every skater without points racing is no condition a sentence can set.
                    break
                if at_best != 1 or not may_miss:
                    limits.append(RivalLimit(rival, at_best, may_miss))
            else:
                requirements.append(Requirement(p, tuple(limits)))
        return Clinch(entrant, race, tuple(requirements))


_NEVER = object()


def _threshold(places: list[int], ahead) -> object:
    """The best place q from which ``ahead(q)`` holds for q and every worse place;
    ``_NEVER`` when not even the worst will do. A worse place never scores more, so
    ``ahead`` only turns from False to True going down the places: a binary search."""
    if not ahead(places[-1]):
        return _NEVER
    lo, hi = 0, len(places) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if ahead(places[mid]):
            hi = mid
        else:
            lo = mid + 1
    return places[hi]


def satisfies(clinch: Clinch, place: int | None, rival_places: dict[str, int | None]) -> bool:
    """Do these finishes in the race clinch it? ``place`` is the contender's (None: no
    points); ``rival_places`` gives each rival's place, None or absent for a rival that
    does not race; for ``FIELD``, the best place taken by a skater without points yet."""
    for requirement in clinch.requirements:
        if requirement.place != place:
            continue
        for limit in requirement.rivals:
            q = rival_places.get(limit.rival)
            if q is None and not limit.may_miss:
                return False
            if q is not None and q < limit.at_best:
                return False
        return True
    return False


# --- sentences -----------------------------------------------------------------------------


def place_words(place: int) -> str:
    """1 -> '1st', 2 -> '2nd', 23 -> '23rd'."""
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


def clinch_sentence(
    clinch: Clinch, names: dict[str, str], pronoun: str, scoring_places: int, title: str
) -> str:
    """'Park Ji-won clinches the men's Crystal Globe in the 500m (2) in Dordrecht if he
    finishes ahead of Steven Dubois.' ``names`` names the entrants (``FIELD`` too);
    ``pronoun`` is 'he', 'she' or 'it'; ``scoring_places`` the length of the points table.
    At most three finishes are spelt out; lower ones only need the rivals further back."""
    who, race = names[clinch.entrant], clinch.race.label
    head = f"{who} clinches {title} in the {race} if {pronoun}"
    requirements = [r for r in clinch.requirements if r.place is not None]
    rivals = {limit.rival for r in clinch.requirements for limit in r.rivals}
    best_needed = max((r.place for r in requirements), default=None)
    no_points_ok = any(r.place is None for r in clinch.requirements)
    if not rivals:
        if no_points_ok:
            return f"{who} has clinched {title}."
        return f"{head} {_finishes(best_needed, scoring_places)}."
    ahead = _ahead_of(clinch.requirements)
    if ahead and not no_points_ok:
        text = f"{head} finishes ahead of {names[ahead]}"
        if best_needed < scoring_places:
            text += f" and {_finishes(best_needed, scoring_places)}"
        return text + "."
    clauses, previous = [], None
    for requirement in clinch.requirements[:3]:
        groups: dict[str, list[str]] = {}
        for limit in requirement.rivals:
            if requirement.place == 1 and limit.at_best == 2 and limit.may_miss:
                continue  # behind a winner anyway
            groups.setdefault(_limit(limit, scoring_places), []).append(limit.rival)
        parts = []
        for phrase, group in groups.items():
            them = "them" if group == previous and len(group) > 1 else _and(names, group)
            parts.append(f"{them} {phrase}")
            previous = group
        place = _finishes(requirement.place, scoring_places, alone=True)
        clauses.append(f"{place} with {' and '.join(parts)}" if parts else place)
    text = f"{head} " + (
        clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + ", or " + clauses[-1]
    )
    if len(clinch.requirements) > 3:
        text += "; lower finishes need the rivals further back"
    return text + "."


def _and(names: dict[str, str], entrants: list[str]) -> str:
    named = [names[e] for e in entrants]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _finishes(place: int | None, scoring_places: int, alone: bool = False) -> str:
    if place is None:
        return "does not score"
    if alone:
        return "wins" if place == 1 else f"finishes {place_words(place)}"
    if place == 1:
        return "wins it"
    if place >= scoring_places:
        return "scores"
    return f"finishes {place_words(place)} or better"


def _limit(limit: RivalLimit, scoring_places: int) -> str:
    text = (
        "without points"
        if limit.at_best > scoring_places
        else f"{place_words(limit.at_best)} or worse"
    )
    return text if limit.may_miss else text + " (having raced)"


def _ahead_of(requirements: Sequence[Requirement]) -> str | None:
    """The one rival that the contender only has to finish ahead of, if that is all."""
    rivals = {limit.rival for r in requirements for limit in r.rivals}
    if len(rivals) != 1:
        return None
    for r in requirements:
        if r.place is None:
            continue
        if len(r.rivals) != 1 or r.rivals[0].at_best != r.place + 1 or not r.rivals[0].may_miss:
            return None
    return rivals.pop()
