"""The laps of a race as the timing printed them, entered in the console: per starter the
lap time, the elapsed time and the position after each lap, stored on the lines of the
race's result exactly as an import of the ISU split pages stores them
(``RaceResultLine.laps_ms``, ``lap_elapsed_ms``, ``lap_positions``), so the public race page
draws its split sheet and lap chart from them.

Laps come after the finish: the race needs a result with its lines. While the race is
unofficial or under review the results officer enters them (the lifecycle's "entering
results"); once official, a change of laps is a correction, the referee's, with a reason,
official at once. Either way it is a new ``RaceResult`` revision (who, when, why) that
keeps every place, time, mark and decision of the one before, and the laps given replace
the race's lap data. A starter whose stored laps the entry would take away (not given,
or given none) is refused as a ``Removal`` unless it is given ``on_purpose`` and the
entry has a reason. A write names the race's version it was based on (``based_on``) and
one based on an older version is refused as a conflict.

What the laps must be is ``rules.laps``: a finisher records its distance's laps rounded up
(14 for a 1500 m of 13.5 laps), lap times summing to its finish time within 9 ms, elapsed
times their running sum, positions ranking the skaters after each lap. Every problem is
reported, naming the helmet; nothing is saved unless all of it is right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from shorttrack.queries.race_names import race_name
from shorttrack.rules.laps import line_lap_problems, race_lap_problems
from shorttrack.rules.race_lifecycle import RaceAction, RaceStatus
from shorttrack.services import clock, race_status
from shorttrack.services.errors import Checks, Invalid
from shorttrack.services.race_results import acting_on, refuse_removals
from shorttrack.services.result_lines import lines_of, save_revision
from shorttrack.services.write_log import logged_write
from shorttrack.store.models import Race, RaceResult

CONSOLE = "officials' console"
FIELD_NAMES = {"laps": "lap times", "lap_elapsed": "elapsed times", "lap_positions": "positions"}


@dataclass(frozen=True)
class StarterLaps:
    """One starter's laps, first lap first, in ms; None: the timing printed nothing there.
    ``elapsed_ms`` or ``positions`` empty: not recorded."""

    helmet: int
    laps_ms: Sequence[int | None]
    elapsed_ms: Sequence[int | None] = ()
    positions: Sequence[int | None] = ()
    on_purpose: bool = False  # the official confirms this starter's stored laps may go


@logged_write
def enter_laps(
    user,
    race: Race,
    laps: Sequence[StarterLaps],
    *,
    reason: str = "",
    source: str = CONSOLE,
    based_on: int | None,
) -> RaceResult:
    """The race's laps as a new revision of its result; every other figure stays."""
    with acting_on(
        user,
        race,
        _laps_action,
        reason,
        based_on=based_on,
        needs_result="has no finish yet: enter the finish, then the laps",
    ) as acting:
        current, move, previous = acting.race, acting.move, acting.previous
        official = move.action is RaceAction.CORRECT
        worked = lines_of(previous)
        _apply(current, worked, laps)
        confirmed = {given.helmet for given in laps if given.on_purpose}
        refuse_removals(current, lines_of(previous), worked, confirmed, reason=reason)
        count = max((len(given.laps_ms) for given in laps), default=0)
        why = (reason.strip() or "laps entered from the timing") + (
            f" ({len(laps)} skaters, {count} laps)"
        )
        now = clock.now()
        result = save_revision(
            current,
            worked,
            user,
            source,
            f"correction: {why}" if official else why,
            official_at=now if official else None,
            at=now,
            number=acting.next_number,
        )
        race_status.record(current, move, user, result=result, reason=why, at=now)
    return result


def _laps_action(race: Race) -> RaceAction:
    """Laps before official are an entry of the results officer's; after, a correction."""
    official = race.status == RaceStatus.OFFICIAL.value
    return RaceAction.CORRECT if official else RaceAction.ENTER_RESULTS


def _apply(race: Race, worked: list, laps: Sequence[StarterLaps]) -> None:
    """Put the laps on the lines, or refuse them all with every reason."""
    checks = Checks()
    name = race_name(race)
    distance = race.round.distance_race.rules_distance
    by_helmet = {line.helmet: line for line in worked}
    counts = Counter(given.helmet for given in laps)
    if not laps:
        raise Invalid("laps", f"no laps given for {name}")
    for index, given in enumerate(laps):
        where = f"laps[{index}]"
        line = by_helmet.get(given.helmet)
        if line is None:
            helmets = ", ".join(str(h) for h in sorted(h for h in by_helmet if h is not None))
            checks.add(where, f"helmet {given.helmet} does not start in {name} (helmets {helmets})")
            continue
        if counts[given.helmet] > 1:
            checks.add(where, f"helmet {given.helmet} is given laps {counts[given.helmet]} times")
            continue
        if line.entered == "DNS" and given.laps_ms:
            checks.add(where, f"helmet {given.helmet} did not start {name}: it has no laps")
            continue
        for field, reason in line_lap_problems(
            distance,
            finished=line.finished,
            time_ms=line.time_ms,
            laps_ms=list(given.laps_ms),
            elapsed_ms=list(given.elapsed_ms),
            positions=list(given.positions),
        ):
            checks.add(where, f"helmet {given.helmet}, {FIELD_NAMES.get(field, field)}: {reason}")
    checks.done()
    given_by_helmet = {given.helmet: given for given in laps}
    for line in worked:
        given = given_by_helmet.get(line.helmet)
        line.laps_ms = list(given.laps_ms) if given else []
        line.lap_elapsed_ms = list(given.elapsed_ms) if given else []
        line.lap_positions = list(given.positions) if given else []
    raced = [line for line in worked if line.laps_ms or line.lap_positions]
    for index, reason in race_lap_problems(
        [(line.finished, line.laps_ms, line.lap_elapsed_ms, line.lap_positions) for line in raced]
    ):
        checks.add("lap_positions", f"helmet {raced[index].helmet}: {reason}")
    checks.done()
