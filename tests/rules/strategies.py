"""Hypothesis strategies shared by the rules tests: a distance skated at one competition
(rounds of races, entrants going through them) and a season's worth of final ranks."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from shorttrack.rules.ranking import RaceLine, RoundKind, RoundResult, Status
from shorttrack.rules.season import CountingRule, Ruled, known_seasons, season_rules
from shorttrack.rules.standings import RankedResult

ELIMINATION_ROUNDS = (
    RoundKind.PRELIMINARIES,
    RoundKind.HEATS,
    RoundKind.REPECHAGE,
    RoundKind.QUARTERFINALS,
    RoundKind.SEMIFINALS,
)
# Mostly finishers; the other endings often enough to meet each other.
STATUSES = (Status.FINISHED,) * 6 + (Status.PEN, Status.DNF, Status.DNS, Status.YC, Status.RC)
# A handful of times, so that equal times in different races happen.
TIMES = st.one_of(st.none(), st.integers(min_value=42_000, max_value=42_004))


@st.composite
def race(draw, entrants: list[str]) -> tuple[RaceLine, ...]:
    """One race as its result sheet lists it: finishers by place (dead heats share the
    place and are marked), then the skaters who did not finish it."""
    statuses = [draw(st.sampled_from(STATUSES)) for _ in entrants]
    finishers = [e for e, s in zip(entrants, statuses, strict=True) if s is Status.FINISHED]
    others = [(e, s) for e, s in zip(entrants, statuses, strict=True) if s is not Status.FINISHED]
    lines: list[RaceLine] = []
    for position, entrant in enumerate(finishers):
        if lines and draw(st.integers(0, 3)) == 0:  # a dead heat with the skater before
            before = lines[-1]
            lines[-1] = dataclasses.replace(before, dead_heat=True)
            lines.append(RaceLine(entrant, before.place, before.time_ms, dead_heat=True))
        else:
            lines.append(RaceLine(entrant, position + 1, draw(TIMES)))
    for entrant, status in others:
        # The referee places a penalised skater last; some sheets print that place.
        place = len(entrants) if status is Status.PEN and draw(st.booleans()) else None
        lines.append(RaceLine(entrant, place, draw(TIMES), status))
    return tuple(lines)


@st.composite
def distance_at_competition(draw) -> list[RoundResult]:
    """The rounds of one distance at one competition, in the order they were skated:
    some elimination rounds, then Final B (sometimes) and Final A."""
    pool = [f"S{i:02d}" for i in range(draw(st.integers(1, 24)))]
    kinds = sorted(
        draw(st.lists(st.sampled_from(ELIMINATION_ROUNDS), unique=True, max_size=3)),
        key=ELIMINATION_ROUNDS.index,
    )
    rounds: list[RoundResult] = []
    for kind in kinds:
        if len(pool) <= 2:
            break
        pool = draw(st.permutations(pool))
        count = draw(st.integers(1, min(4, len(pool))))
        races = [pool[i::count] for i in range(count)]
        raced = tuple(draw(race(entrants)) for entrants in races)
        rounds.append(RoundResult(kind, raced))
        # Who goes on: some of the finishers, and now and then a fallen skater advanced (ADV).
        going_on = [
            line.entrant
            for lines in raced
            for line in lines
            if line.status in (Status.FINISHED, Status.DNF) and draw(st.booleans())
        ]
        pool = going_on if len(going_on) >= 1 else pool[:1]
    pool = list(draw(st.permutations(pool)))
    size_a = draw(st.integers(1, max(1, min(8, len(pool)))))
    final_a, final_b = pool[:size_a], pool[size_a:]
    if final_b:
        rounds.append(RoundResult(RoundKind.FINAL_B, (draw(race(final_b)),)))
    rounds.append(RoundResult(RoundKind.FINAL_A, (draw(race(final_a)),)))
    return rounds


# --- standings ---------------------------------------------------------------------------

SEASONS = tuple(season_rules(key) for key in known_seasons())
SKATERS = {  # entrant -> nation, women and men
    "W-NED-1": "NED",
    "W-NED-2": "NED",
    "W-KOR-1": "KOR",
    "W-KOR-2": "KOR",
    "W-CAN-1": "CAN",
    "M-NED-1": "NED",
    "M-KOR-1": "KOR",
    "M-CAN-1": "CAN",
}
DISTANCE_KEYS = ("W500", "W1000", "W1500", "M1000", "W3000R", "X2000R")
SEASON_START = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)


@st.composite
def season_of_results(draw, distances: tuple[str, ...] = DISTANCE_KEYS) -> list[RankedResult]:
    """Final ranks of up to 30 races of these distances; several races may become official
    at one moment."""
    results: list[RankedResult] = []
    for number in range(draw(st.integers(0, 30))):
        key = draw(st.sampled_from(distances))
        official_at = SEASON_START + timedelta(hours=draw(st.integers(0, 60)))
        if key.endswith("R"):
            pool = sorted(set(SKATERS.values()))
        else:
            pool = [s for s in SKATERS if s.startswith(key[0])]
        entrants = draw(
            st.lists(st.sampled_from(pool), unique=True, min_size=1, max_size=len(pool))
        )
        for entrant in entrants:
            rank = draw(st.one_of(st.none(), st.integers(1, 30)))
            relay = key.endswith("R")
            nation = entrant if relay else SKATERS[entrant]
            skater = None if relay else entrant
            results.append(
                RankedResult(f"R{number:02d}", key, entrant, nation, rank, official_at, skater)
            )
    return results


COUNTING_RULES = st.one_of(
    st.just(CountingRule("all")),
    st.builds(
        CountingRule,
        st.just("best"),
        st.integers(1, 6),
        st.one_of(st.none(), st.integers(1, 8)),
    ),
    st.builds(CountingRule, st.just("best_per_distance"), st.integers(1, 4)),
)


@st.composite
def classification(draw):
    """A season and one of its classifications; now and then with another counting rule,
    so that small limits are reached by a few results."""
    rules = draw(st.sampled_from(SEASONS))
    spec = draw(st.sampled_from(rules.classifications))
    if draw(st.booleans()):
        spec = dataclasses.replace(spec, counting=Ruled(draw(COUNTING_RULES), "P"))
    return rules, spec


@st.composite
def classification_and_results(draw):
    """A classification and results mostly of its own distances, plus some of one it does
    not rank."""
    rules, spec = draw(classification())
    other = "M1000" if "M1000" not in spec.distances else "W1000"
    return rules, spec, draw(season_of_results(spec.distances + (other,)))


def moments(results: list[RankedResult]):
    """A moment to look at the standings: when some result became official, or any time."""
    times = sorted({r.official_at for r in results})
    anytime = st.integers(-2, 62).map(lambda h: SEASON_START + timedelta(hours=h))
    return st.one_of(st.sampled_from(times), anytime) if times else anytime
