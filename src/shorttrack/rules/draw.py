"""Seeding and the draw of a round's races, with start positions (RULES.md section 2; how
the ISU seeds heats and assigns start positions was not found, so this is the [P] reading).

- First round: entries in order of World Cup rank (ranked before unranked), then season best
  time (a time before none), then by lot.
- Later rounds: the qualifiers in order of their position in their race, then their time,
  then by lot; the referee's extra starters (ADV, ADA, ADB) after them in the same order.
- Seeds spread serpentine over the races: seed 1 to race 1, ..., seed R to race R, seed R+1
  back to race R, ..., seed 2R to race 1, and so on. The top R seeds meet nobody of their
  own row before the later rounds, and race sizes differ by one at most.
- Start positions by lot in each race (season ``start_positions = lot``), or the best seed
  of a race inside (``seed``). Up to five start side by side; positions 6 and on use a second
  row behind.

Reproducible: every random choice comes from ``random.Random(seed)`` in a fixed order over
the entrants sorted by id, so the same entries (in any order) and the same seed give the
same draw; the service records the seed with the draw.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from shorttrack.rules.advancement import Qualifier
from shorttrack.rules.season import ProgressionRules

START_LINE_WIDTH = 5  # positions side by side on the start line


class DrawError(ValueError):
    """A draw that cannot be made, with the reason."""


@dataclass(frozen=True)
class Entry:
    """An entrant of the first round, with what seeds them."""

    entrant: str
    world_cup_rank: int | None = None
    season_best_ms: int | None = None


@dataclass(frozen=True)
class StartPosition:
    """A place on the start line: 1 is the innermost of the front row."""

    number: int

    @property
    def row(self) -> int:
        return (self.number - 1) // START_LINE_WIDTH + 1

    @property
    def slot(self) -> int:
        """The position within its row, 1 innermost."""
        return (self.number - 1) % START_LINE_WIDTH + 1

    @property
    def label(self) -> str:
        """'3', or '7 (second row)'."""
        return str(self.number) if self.row == 1 else f"{self.number} (second row)"


@dataclass(frozen=True)
class Starter:
    entrant: str
    seed: int  # the entrant's seed in the round, 1 the first
    start: StartPosition
    qualified_by: str  # "seed" in the first round, else the mark: Q, q, QA, QB, ADV


@dataclass(frozen=True)
class DrawnRace:
    number: int
    starters: tuple[Starter, ...]  # in start-position order


@dataclass(frozen=True)
class Draw:
    seed: int
    method: str  # how it was made, in words, to keep with the draw
    order: tuple[str, ...]  # the entrants in seeding order
    races: tuple[DrawnRace, ...]
    byes: tuple[str, ...] = ()  # the best seeds, straight into a later round (in seed order)

    def race_of(self, entrant: str) -> DrawnRace:
        for race in self.races:
            if any(s.entrant == entrant for s in race.starters):
                return race
        raise KeyError(entrant)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "method": self.method,
            "order": list(self.order),
            **({"byes": list(self.byes)} if self.byes else {}),
            "races": [
                {
                    "number": race.number,
                    "starters": [
                        {
                            "entrant": s.entrant,
                            "seed": s.seed,
                            "start_position": s.start.number,
                            "qualified_by": s.qualified_by,
                        }
                        for s in race.starters
                    ],
                }
                for race in self.races
            ],
        }


def serpentine(count: int, races: int) -> tuple[int, ...]:
    """The race (counted from 1) of each seed 1..count spread serpentine over ``races``."""
    if races < 1:
        raise DrawError(f"a round needs at least one race, not {races}")
    out = []
    for index in range(count):
        row, column = divmod(index, races)
        out.append(column + 1 if row % 2 == 0 else races - column)
    return tuple(out)


def draw_first_round(
    entries: Sequence[Entry],
    races: int,
    seed: int,
    *,
    rules: ProgressionRules | None = None,
    byes: int = 0,
) -> Draw:
    """Seed the entries and draw them into ``races`` races with start positions; the
    ``byes`` best seeds skip the round (they start in a later one: ``Draw.byes``)."""
    _check_unique([e.entrant for e in entries])
    if byes and not 0 < byes <= len(entries) - races:
        raise DrawError(f"{byes} byes leave too few of {len(entries)} entries for {races} races")
    rng = random.Random(seed)
    lots = _lots(rng, [e.entrant for e in entries])

    def key(entry: Entry) -> tuple:
        rank, best = entry.world_cup_rank, entry.season_best_ms
        return (rank is None, rank or 0, best is None, best or 0, lots[entry.entrant])

    order = [e.entrant for e in sorted(entries, key=key)]
    method = "World Cup rank, then season best time, then lot"
    if not byes:
        return _draw(order, {e: "seed" for e in order}, races, seed, rng, rules, method)
    method += f"; the best {byes} seeded straight into a later round"
    drawn = _draw(order[byes:], {e: "seed" for e in order}, races, seed, rng, rules, method)
    return replace(drawn, order=tuple(order), byes=tuple(order[:byes]))


def draw_next_round(
    qualifiers: Sequence[Qualifier],
    races: int,
    seed: int,
    *,
    rules: ProgressionRules | None = None,
) -> Draw:
    """Fill a later round's ``races`` from the qualifiers for it (see the module docstring)."""
    _check_unique([q.entrant for q in qualifiers])
    targets = {q.to for q in qualifiers}
    if len(targets) > 1:
        names = " and ".join(sorted(t.label for t in targets))
        raise DrawError(f"qualifiers for {names} given together: draw each round on its own")
    rng = random.Random(seed)
    lots = _lots(rng, [q.entrant for q in qualifiers])

    def key(q: Qualifier) -> tuple:
        position = q.position if q.position is not None else 10_000
        time = q.time_ms if q.time_ms is not None else 10**9
        return (q.mark.referee, position, time, lots[q.entrant])

    ordered = sorted(qualifiers, key=key)
    method = "place in the race before, then time, then lot; ADV after"
    return _draw(
        [q.entrant for q in ordered],
        {q.entrant: q.mark.value for q in ordered},
        races,
        seed,
        rng,
        rules,
        method,
    )


def _draw(
    order: list[str],
    qualified_by: dict[str, str],
    races: int,
    seed: int,
    rng: random.Random,
    rules: ProgressionRules | None,
    method: str,
) -> Draw:
    if len(order) < races:
        raise DrawError(
            f"{len(order)} entrants cannot fill {races} {'race' if races == 1 else 'races'}"
        )
    rules = rules or ProgressionRules()
    by_lot = rules.start_positions.value == "lot"
    seats: list[list[tuple[int, str]]] = [[] for _ in range(races)]
    for index, (entrant, race) in enumerate(zip(order, serpentine(len(order), races), strict=True)):
        seats[race - 1].append((index + 1, entrant))
    drawn = []
    for number, seeded in enumerate(seats, start=1):
        numbers = list(range(1, len(seeded) + 1))
        if by_lot:
            rng.shuffle(numbers)
        starters = [
            Starter(entrant, seed_no, StartPosition(position), qualified_by[entrant])
            for (seed_no, entrant), position in zip(seeded, numbers, strict=True)
        ]
        starters.sort(key=lambda s: s.start.number)
        drawn.append(DrawnRace(number, tuple(starters)))
    positions = "start positions by lot" if by_lot else "best seed inside"
    return Draw(
        seed,
        f"{method}; serpentine over {races} races; {positions}",
        tuple(order),
        tuple(drawn),
    )


def _lots(rng: random.Random, entrants: list[str]) -> dict[str, float]:
    """One lot per entrant, drawn in sorted order so the input order does not matter."""
    return {entrant: rng.random() for entrant in sorted(entrants)}


def _check_unique(entrants: list[str]) -> None:
    seen: set[str] = set()
    for entrant in entrants:
        if entrant in seen:
            raise DrawError(f"{entrant} is entered twice")
        seen.add(entrant)
