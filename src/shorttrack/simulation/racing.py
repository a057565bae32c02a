"""One simulated race: who finishes where, in what time, lap by lap, and what went wrong.

The model is simple and tuned to real orders of magnitude: a men's 1000m final is won in
about 1:24-1:27, a women's 500m in 42-44 s; places follow strength plus the luck of the
day; about one skater in thirty falls, one race in ten has a penalty, and a skater brought
down from a qualifying place by a penalised rival is advanced by the referee (ADV).
The result is plain data, a sheet ``rules.result_sheet`` finds nothing wrong with (a race
larger than the start line is refused); the season driver hands it to the same services
officials use.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from shorttrack.rules.distances import Distance
from shorttrack.rules.ranking import RoundKind, Status
from shorttrack.rules.result_sheet import SheetLine, sheet_findings

# Winning time of an ordinary field (strength 0) and how much the best field takes off, in s.
WINNING_TIME = {
    "W500": (43.9, 1.6),
    "M500": (41.6, 1.4),
    "W1000": (91.8, 3.4),
    "M1000": (87.8, 3.4),
    "W1500": (152.0, 9.0),
    "M1500": (143.0, 9.0),
    "W3000R": (253.0, 7.0),
    "M5000R": (412.0, 16.0),
    "X2000R": (162.0, 5.5),
}
INFRINGEMENTS = [
    "impeding",
    "off-track",
    "assistance",
    "kicking out",
    "false start",
    "cross-tracking",
]
FALL_PER_SKATER = 0.03
PENALTY_PER_RACE = 0.10
YELLOW_CARD_PER_RACE = 0.006
DNS_PER_SKATER = 0.008


@dataclass(frozen=True)
class Starter:
    entrant: str
    strength: float  # 0..1
    start_position: int


@dataclass(frozen=True)
class SimulatedLine:
    """One starter's race. A penalised line (PEN, YC) has no place but keeps the time in
    which the skater crossed the line, if they did: the finish the officer enters."""

    entrant: str
    place: int | None
    time_ms: int | None
    status: Status
    laps_ms: tuple[int, ...]
    lap_positions: tuple[int, ...]
    infringement: str = ""
    fell: bool = False
    advanced: bool = False  # the referee's ADV: harmed while in a qualifying place


@dataclass(frozen=True)
class SimulatedRace:
    lines: tuple[SimulatedLine, ...]  # finishers in place order, then PEN, YC, DNF, DNS

    def line(self, entrant: str) -> SimulatedLine:
        return next(line for line in self.lines if line.entrant == entrant)

    def sheet(self) -> list[SheetLine]:
        """The race's result sheet as ``rules.result_sheet`` checks it."""
        return [
            SheetLine(line.entrant, line.place, False, line.time_ms, line.status.value)
            for line in self.lines
        ]


def simulate_race(
    distance: Distance,
    kind: RoundKind,
    starters: Sequence[Starter],
    rng: random.Random,
    qualifying_places: int = 2,
) -> SimulatedRace:
    """Race ``starters`` over ``distance`` in a round of ``kind``; a field the start line
    cannot hold is refused (ValueError), as is any sheet the model got wrong."""
    laps = _lap_lengths(distance)
    dns = {
        s.entrant
        for s in starters
        if kind is not RoundKind.FINAL_A and rng.random() < DNS_PER_SKATER
    }
    racing = [s for s in starters if s.entrant not in dns]
    # The order skaters would finish in without incident: strength, the day's form, the start.
    form = {
        s.entrant: s.strength + rng.gauss(0, 0.11) + (5 - min(s.start_position, 5)) * 0.008
        for s in racing
    }
    order = sorted(racing, key=lambda s: -form[s.entrant])
    base, span = WINNING_TIME[distance.key]
    tactical = 1.012 if kind.final and distance.metres == 1500 else 1.0
    winner_s = (base - span * max((s.strength for s in racing), default=0)) * tactical
    winner_s += rng.gauss(0, span * 0.06)

    totals: dict[str, float] = {}
    elapsed = winner_s
    for position, s in enumerate(order):
        if position:
            gap = rng.expovariate(1 / (0.12 if distance.individual else 0.5))
            gap += max(0.0, form[order[position - 1].entrant] - form[s.entrant]) * (
                1.5 if distance.metres <= 500 else 4
            )
            elapsed += gap
        totals[s.entrant] = elapsed

    fallen = {
        s.entrant for s in racing if rng.random() < FALL_PER_SKATER * (1.6 if distance.relay else 1)
    }
    penalised: dict[str, str] = {}
    carded: set[str] = set()
    if len(racing) > 1 and rng.random() < PENALTY_PER_RACE:
        culprit = rng.choice(order[: max(2, len(order) // 2 + 1)]).entrant
        penalised[culprit] = rng.choice(INFRINGEMENTS)
        if rng.random() < YELLOW_CARD_PER_RACE / PENALTY_PER_RACE:
            carded.add(culprit)
        # Often the penalty is for bringing someone down.
        victims = [s.entrant for s in order if s.entrant != culprit]
        if victims and rng.random() < 0.5:
            fallen.add(rng.choice(victims[: qualifying_places + 1]))
    qualifying_before = {s.entrant for s in order[:qualifying_places]}

    lines: list[SimulatedLine] = []
    fall_lap: dict[str, int] = {}
    for entrant in sorted(fallen):
        fall_lap[entrant] = rng.randrange(len(laps))
        if rng.random() < 0.55:
            totals[entrant] = math.inf  # does not finish
        else:
            totals[entrant] += rng.uniform(3.0, 9.0)
    lap_times = {
        e: _split(totals[e] if math.isfinite(totals[e]) else winner_s * 1.1, laps, distance, rng)
        for e in totals
    }
    stopped = {e for e in totals if not math.isfinite(totals[e]) and e not in penalised}
    positions = _positions(lap_times, fall_lap, stopped)

    finishers = sorted(
        (e for e in totals if math.isfinite(totals[e]) and e not in penalised),
        key=lambda e: totals[e],
    )
    for place, entrant in enumerate(finishers, start=1):
        lines.append(
            SimulatedLine(
                entrant,
                place,
                round(totals[entrant] * 1000),
                Status.FINISHED,
                tuple(lap_times[entrant]),
                tuple(positions[entrant]),
                fell=entrant in fallen,
                advanced=_advanced(
                    entrant, kind, fallen, penalised, qualifying_before, place, qualifying_places
                ),
            )
        )
    for entrant, infringement in penalised.items():
        # The penalised skater crossed the line (or fell): the officer enters that finish,
        # then the referee's decision takes the place away.
        crossed = round(totals[entrant] * 1000) if math.isfinite(totals[entrant]) else None
        lines.append(
            SimulatedLine(
                entrant,
                None,
                crossed,
                Status.YC if entrant in carded else Status.PEN,
                tuple(lap_times[entrant]),
                tuple(positions[entrant]),
                infringement=infringement,
                fell=entrant in fallen,
            )
        )
    for entrant in sorted(e for e in totals if not math.isfinite(totals[e]) and e not in penalised):
        cut = fall_lap[entrant] + 1
        lines.append(
            SimulatedLine(
                entrant,
                None,
                None,
                Status.DNF,
                tuple(lap_times[entrant][:cut]),
                tuple(positions[entrant][:cut]),
                fell=True,
                advanced=_advanced(
                    entrant, kind, fallen, penalised, qualifying_before, None, qualifying_places
                ),
            )
        )
    for s in starters:
        if s.entrant in dns:
            lines.append(SimulatedLine(s.entrant, None, None, Status.DNS, (), ()))
    race = SimulatedRace(tuple(lines))
    wrong = sheet_findings(race.sheet(), "starter")
    if wrong:
        raise ValueError(f"no such race can be skated: {wrong[0].reason}")
    return race


def _advanced(
    entrant, kind, fallen, penalised, qualifying_before, place, qualifying_places
) -> bool:
    """ADV: brought down by a penalised rival while in a qualifying place, and not
    qualified anyway. Not in finals: there is no next round to advance to."""
    return (
        not kind.final
        and bool(penalised)
        and entrant in fallen
        and entrant in qualifying_before
        and (place is None or place > qualifying_places)
    )


def _lap_lengths(distance: Distance) -> list[float]:
    """Lap fractions: 4.5 laps of the 500m are a half lap from the start, then four laps."""
    whole = int(distance.laps)
    part = distance.laps - whole
    return ([part] if part else []) + [1.0] * whole


def _split(total_s: float, laps: list[float], distance: Distance, rng: random.Random) -> list[int]:
    """Lap times in ms summing to the total: a slow start, a tactical middle in the long
    races, the fastest laps at the end."""
    count = len(laps)
    weights = []
    for i, length in enumerate(laps):
        pace = 1.0
        if i == 0:
            pace = 1.45 if length < 1 else 1.25
        elif distance.metres >= 1500 and i < count * 0.6:
            pace = 1.08
        elif i >= count - 3:
            pace = 0.96
        weights.append(length * pace * rng.uniform(0.985, 1.015))
    scale = total_s / sum(weights)
    times = [round(w * scale * 1000) for w in weights]
    times[-1] += round(total_s * 1000) - sum(times)
    return times


def _positions(
    lap_times: dict[str, list[int]], fall_lap: dict[str, int], stopped: set[str]
) -> dict[str, list[int]]:
    """Position after each lap from elapsed times; a skater who fell drops to the back.
    As the timing records it, a lap ranks only those who completed it: one who does not
    finish records no laps after the fall, and the others rank among themselves."""
    count = len(next(iter(lap_times.values()), []))
    positions: dict[str, list[int]] = {e: [] for e in lap_times}
    elapsed = {e: 0 for e in lap_times}
    for lap in range(count):
        for e in lap_times:
            elapsed[e] += lap_times[e][lap]

        down = {e for e in lap_times if e in fall_lap and lap >= fall_lap[e]}
        racing = [e for e in lap_times if e not in stopped or lap <= fall_lap[e]]
        running_order = sorted(racing, key=lambda e: (e in down, elapsed[e]))
        for position, e in enumerate(running_order, start=1):
            positions[e].append(position)
    return positions
