"""Who advances from a round, and with which mark (RULES.md section 2).

Given a round's plan (``progression.RoundPlan``) and its race results as the referee made
them official (``ranking.RaceLine``), ``advance`` names every qualifier, the round each goes
to and the mark for the result sheet. The rules, in the order they are applied:

1. Only a finisher can qualify by place or time: PEN, YC, RC, DNF and DNS do not advance.
   A skater's *position* in a race is 1 + the number of such finishers placed ahead, so the
   finishers behind a penalised skater move up whether or not the sheet moved them already;
   a dead heat (``ranking.dead_heat_between``: finishers given the same place) shares a
   position, and nothing else does.
2. Target by target, in the plan's order (Final A before Final B), nobody qualifying twice:

   a. by place (Q, QA, QB): every finisher whose position is within the rule's places. A
      dead heat across the last such place: both go on, the next round getting an extra
      starter (season ``dead_heat = both_advance``), or a lot decides and the loser counts as
      the next place (``lot``);
   b. by time (q): the fastest of the finishers holding the rule's places in every race. Equal
      times across the last such place: both go on (``time_tie = both_advance``) or a lot.
      A rule "up to a maximum of n" (``less_adv``) takes n less one per ADV of the round;
   c. vacant places (a race with too few finishers for its places): the fastest other
      finishers of the round take them, marked q (QA, QB into a final), with ties as in b
      (``vacancies = fill_by_time``), or the next round runs short (``leave_empty``).
   d. repechage (``rep``, the plan's last rule): the other finishers of the places named go
      to the repechage round; nothing is vacant there, however many they are.
3. ADV: a skater the referee advanced goes to the round's first target (from the
   semifinals: Final A) as an extra starter, whatever their place (or to the target the
   line names, ``advanced_to``: ADA, Final A; ADB, Final B); one who had qualified
   only for a lower target (QB) goes up, and that lower place stays empty.
   An advanced finisher keeps their position (nobody moves up for an ADV) but takes no
   place by time. ADV is refused with PEN, YC, RC or DNS, and in a final.

Lots are drawn with ``random.Random(seed)`` from the seed the service records, over the tied
entrants in sorted order, so the same results and seed always give the same qualifiers.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shorttrack.rules.progression import Advancement, Mark, RoundPlan
from shorttrack.rules.ranking import RaceLine, RoundKind, Status, dead_heat_between
from shorttrack.rules.season import ProgressionRules

# ADV may go with a finish (a skater harmed but still over the line) or a fall (DNF).
_ADVANCEABLE = (Status.FINISHED, Status.DNF)
# The mark of a skater the referee advanced to a named final (ADA, ADB); else ADV.
_REFEREE_MARKS = {RoundKind.FINAL_A: Mark.ADA, RoundKind.FINAL_B: Mark.ADB}


class AdvancementError(ValueError):
    """Race results that cannot be advanced from, with the reason."""


@dataclass(frozen=True)
class Qualifier:
    """One skater (or relay team) going on, as the result sheet and the next draw need it."""

    entrant: str
    mark: Mark
    to: RoundKind
    race: int  # the race of this round they qualified from, counted from 1
    position: int | None  # among the finishers who could qualify; None for an ADV who fell
    time_ms: int | None


@dataclass(frozen=True)
class Lot:
    """A tie decided by lot: who was tied, how many of them could go on, who did."""

    tied: tuple[str, ...]
    places: int
    winners: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class RoundAdvancement:
    """Who advances from one round. ``qualifiers`` are in the order they qualified."""

    round: RoundKind
    qualifiers: tuple[Qualifier, ...]
    vacant: Mapping[RoundKind, int] = field(default_factory=dict)  # places left empty
    lots: tuple[Lot, ...] = ()

    def to(self, kind: RoundKind) -> tuple[Qualifier, ...]:
        """The qualifiers for one round (Final A, the quarterfinals...)."""
        return tuple(q for q in self.qualifiers if q.to is kind)

    @property
    def marks(self) -> dict[str, Mark]:
        """The qualification mark of each entrant who goes on, for the result sheet (``rep``
        for one sent to a repechage round, which the sheet does not print)."""
        return {q.entrant: q.mark for q in self.qualifiers}

    def sheet_mark(self, line: RaceLine) -> str:
        """The mark column of a result sheet: Q, q, QA, QB or ADV for those who go on, else
        PEN, YC, RC, DNF or DNS, else nothing."""
        for qualifier in self.qualifiers:
            if qualifier.entrant == line.entrant and qualifier.mark is not Mark.REP:
                return qualifier.mark.value
        return "" if line.status is Status.FINISHED else line.status.value


def eligible(line: RaceLine) -> bool:
    """A line that can qualify by place or time: a finish without a penalty or a card."""
    return line.status is Status.FINISHED


def positions(race: Sequence[RaceLine]) -> dict[str, int]:
    """Each eligible finisher's position in the race (see rule 1 of the module): 1, 2, 2, 4
    for a dead heat in 2nd. A finisher the sheet gives no place comes after those placed,
    by time, as in the final ranking."""
    order = sorted(
        (line for line in race if eligible(line)), key=lambda ln: (_place_key(ln), _time_key(ln))
    )
    position: dict[str, int] = {}
    previous: RaceLine | None = None
    for number, line in enumerate(order, start=1):
        if previous is not None and dead_heat_between(previous, line):
            position[line.entrant] = position[previous.entrant]
        else:
            position[line.entrant] = number
        previous = line
    return position


def advance(
    plan: RoundPlan,
    races: Sequence[Sequence[RaceLine]],
    *,
    rules: ProgressionRules | None = None,
    seed: int | None = None,
) -> RoundAdvancement:
    """Who goes on from a round (see the module docstring for the rules).

    ``races`` are the round's races in race-number order, each its official lines.
    ``seed`` is needed only when the season decides ties by lot and a tie needs one.
    """
    rules = rules or ProgressionRules()
    _check(plan, races)
    state = _Round(plan, races, rules, seed)
    for target in plan.targets:
        state.fill(target)
    state.advanced_by_referee()
    return RoundAdvancement(plan.kind, tuple(state.qualifiers), state.vacant, tuple(state.lots))


def _check(plan: RoundPlan, races: Sequence[Sequence[RaceLine]]) -> None:
    label = plan.kind.label
    if len(races) != plan.races:
        raise AdvancementError(
            f"{label} is planned as {plan.races} races; results of {len(races)} were given"
        )
    seen: dict[str, int] = {}
    for number, race in enumerate(races, start=1):
        for line in race:
            if line.entrant in seen:
                raise AdvancementError(
                    f"{label}: {line.entrant} is in race {seen[line.entrant]} and race {number}"
                )
            seen[line.entrant] = number
            if line.advanced and not plan.targets:
                raise AdvancementError(
                    f"{label}, race {number}: ADV for {line.entrant}, but a final has no next round"
                )
            if line.advanced and line.advanced_to and line.advanced_to not in plan.targets:
                raise AdvancementError(
                    f"{label}, race {number}: {line.entrant} advanced to "
                    f"{line.advanced_to.label}, which this round does not send skaters to"
                )
            if line.advanced and line.status not in _ADVANCEABLE:
                raise AdvancementError(
                    f"{label}, race {number}: {line.entrant} has {line.status.value} and "
                    "cannot also be advanced (ADV)"
                )


def _place_key(line: RaceLine) -> int:
    return line.place if line.place is not None else 10_000


def _time_key(line: RaceLine) -> int:
    return line.time_ms if line.time_ms is not None else 10**9


class _Round:
    """The working state of ``advance``: positions, who has qualified, lots drawn."""

    def __init__(
        self,
        plan: RoundPlan,
        races: Sequence[Sequence[RaceLine]],
        rules: ProgressionRules,
        seed: int | None,
    ) -> None:
        self.plan, self.races, self.rules, self.seed = plan, races, rules, seed
        self.position: dict[str, int] = {}
        self.race_of: dict[str, int] = {}
        for number, race in enumerate(races, start=1):
            self.position.update(positions(race))
            for line in race:
                self.race_of[line.entrant] = number
        self.qualifiers: list[Qualifier] = []
        self.qualified: set[str] = set()
        self.vacant: dict[RoundKind, int] = {}
        self.lots: list[Lot] = []
        self._rng: random.Random | None = None

    # -- the rules ------------------------------------------------------------------------

    def fill(self, target: RoundKind) -> None:
        shortfall = 0
        for rule in self.plan.advancement:
            if rule.to is not target:
                continue
            if rule.by_time:
                shortfall += self._by_time(rule)
            elif rule.mark is Mark.REP:
                self._by_place(rule)  # the others, however many: no place is left vacant
            else:
                shortfall += self._by_place(rule)
        if shortfall and self.rules.vacancies.value == "fill_by_time":
            shortfall -= self._vacancies(target, shortfall)
        if shortfall:
            self.vacant[target] = shortfall

    def _by_place(self, rule: Advancement) -> int:
        """Qualify by place in every race; return the places left empty."""
        first, last = rule.places
        shortfall = 0
        for number, race in enumerate(self.races, start=1):
            holding = [
                line
                for line in sorted(race, key=lambda ln: self.position.get(ln.entrant, 10_000))
                if first <= self.position.get(line.entrant, 0) <= last
                and line.entrant not in self.qualified
            ]
            across = [ln for ln in holding if self._tie_across(race, ln, last)]
            if across and self.rules.dead_heat.value == "lot":
                places = last - self.position[across[0].entrant] + 1
                winners = self._lot(across, places, f"dead heat for place {last}, race {number}")
                for line in across:
                    if line.entrant not in winners:
                        self.position[line.entrant] = last + 1
                holding = [ln for ln in holding if ln not in across or ln.entrant in winners]
            for line in holding:
                self._qualify(line, rule.mark, rule.to)
            expected = max(0, min(len(race), last) - first + 1)
            shortfall += max(0, expected - len(holding))
        return shortfall

    def _tie_across(self, race: Sequence[RaceLine], line: RaceLine, last: int) -> bool:
        """Whether this skater shares a position with others running past ``last``."""
        position = self.position[line.entrant]
        sharing = sum(1 for ln in race if self.position.get(ln.entrant) == position)
        return sharing > 1 and position + sharing - 1 > last

    def _by_time(self, rule: Advancement) -> int:
        first, last = rule.places
        candidates = [
            line
            for race in self.races
            for line in race
            if first <= self.position.get(line.entrant, 0) <= last
            and line.entrant not in self.qualified
            and not line.advanced
        ]
        assert rule.fastest is not None
        fastest = rule.fastest
        advanced_there = [
            ln for race in self.races for ln in race if ln.advanced and self._adv_to(ln) is rule.to
        ]
        if rule.less_adv:
            fastest = max(0, fastest - len(advanced_there))
        if rule.fill_to is not None:
            elsewhere = {
                ln.entrant
                for race in self.races
                for ln in race
                if ln.advanced and self._adv_to(ln) is not rule.to
            }  # qualified here by place, but the referee sends them to another round
            holding = {q.entrant for q in self.qualifiers if q.to is rule.to} - elsewhere
            holding |= {ln.entrant for ln in advanced_there}
            fastest = max(0, rule.fill_to - len(holding))
        taken = self._fastest(candidates, fastest, f"{rule.mark} by time", rule.to)
        for line in taken:
            self._qualify(line, rule.mark, rule.to)
        return max(0, fastest - len(taken))

    def _vacancies(self, target: RoundKind, places: int) -> int:
        """Fill vacant places with the fastest other finishers; return how many were."""
        candidates = [
            line
            for race in self.races
            for line in race
            if eligible(line) and line.entrant not in self.qualified and not line.advanced
        ]
        mark = {RoundKind.FINAL_A: Mark.QA, RoundKind.FINAL_B: Mark.QB}.get(target, Mark.q)
        taken = self._fastest(candidates, places, "vacant place", target)
        for line in taken:
            self._qualify(line, mark, target)
        return min(places, len(taken))

    def _fastest(
        self, candidates: list[RaceLine], count: int, why: str, to: RoundKind
    ) -> list[RaceLine]:
        """The ``count`` fastest, with a tie across the last place per ``time_tie``."""
        candidates = sorted(candidates, key=lambda ln: (_time_key(ln), ln.entrant))
        if count <= 0:
            return []
        if len(candidates) <= count:
            return candidates
        cut = _time_key(candidates[count - 1])
        if _time_key(candidates[count]) != cut:
            return candidates[:count]
        ahead = [ln for ln in candidates if _time_key(ln) < cut]
        tied = [ln for ln in candidates if _time_key(ln) == cut]
        if self.rules.time_tie.value == "both_advance":
            return ahead + tied
        winners = self._lot(tied, count - len(ahead), f"equal times for {why} to {to.label}")
        return ahead + [ln for ln in tied if ln.entrant in winners]

    def _adv_to(self, line: RaceLine) -> RoundKind:
        return line.advanced_to or self.plan.targets[0]

    def advanced_by_referee(self) -> None:
        if not self.plan.targets:
            return
        for race in self.races:
            for line in race:
                if not line.advanced:
                    continue
                to = self._adv_to(line)
                earlier = next((q for q in self.qualifiers if q.entrant == line.entrant), None)
                targets = self.plan.targets
                if earlier is not None and (
                    earlier.to is to
                    or (earlier.to in targets and targets.index(earlier.to) < targets.index(to))
                ):
                    continue  # there already, or higher (an ADB who made Final A by place)
                if earlier is not None:
                    # Harmed on the way to the first target (Final A), qualified only for a
                    # lower one (Final B): the referee's ADV puts the skater where the harm
                    # cost them the place; the lower place stays empty.
                    self.qualifiers.remove(earlier)
                    self.qualified.discard(line.entrant)
                    if earlier.mark is not Mark.REP:
                        self.vacant[earlier.to] = self.vacant.get(earlier.to, 0) + 1
                self._qualify(line, _REFEREE_MARKS.get(line.advanced_to, Mark.ADV), to)

    # -- bookkeeping ----------------------------------------------------------------------

    def _qualify(self, line: RaceLine, mark: Mark, to: RoundKind) -> None:
        self.qualified.add(line.entrant)
        self.qualifiers.append(
            Qualifier(
                line.entrant,
                mark,
                to,
                self.race_of[line.entrant],
                self.position.get(line.entrant),
                line.time_ms,
            )
        )

    def _lot(self, tied: list[RaceLine], places: int, reason: str) -> set[str]:
        names = sorted(line.entrant for line in tied)
        if self.seed is None:
            raise AdvancementError(
                f"{self.plan.kind.label}: a lot must decide the {reason} between "
                f"{', '.join(names)}: give the seed to draw it with"
            )
        if self._rng is None:
            self._rng = random.Random(self.seed)
        winners = tuple(sorted(self._rng.sample(names, places)))
        self.lots.append(Lot(tuple(names), places, winners, reason))
        return set(winners)
