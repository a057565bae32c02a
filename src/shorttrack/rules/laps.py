"""Lap data as the timing recorded it: per lap of a line, the lap time, the elapsed time and
the position in the race (1 = leading), and the checks that it is what the timing can give.

What the timing gives, measured on the 1,079 split pages of the ISU World Cup 2019/20
(``../shared/data/isu-results-2019-20/split``):

- one row per lap crossing of the finish line: 5 for a 500 m (4.5 laps: a half lap from
  the start, then 4 laps), 9 for a 1000 m, 14 for a 1500 m (13.5 laps), 18, 27 and 45 for
  the 2000 m, 3000 m and 5000 m relays: the distance's laps rounded up (``timed_laps``);
- elapsed times are the timing's clock cut (not rounded) to the hundredth, and each lap
  time is the difference of two of them: the elapsed time after every lap but the last is
  exactly the running sum of the lap times (4,865 of 4,865 complete finishers), and the
  sum of the lap times is the finish time cut to the hundredth, 0 to 9 ms under it; the
  last elapsed time is the finish time itself (to the thousandth) or that cut;
- positions after a lap rank the elapsed times: equal elapsed times at 1/100 s may share
  a position (1, 2, 2, 4: 391 laps) or not, as the timing saw them; at the finish the
  timing may leave a position 0 for skaters the photo finish separates (186 lines);
- a skater who falls or does not finish records fewer laps; a skater penalised usually
  records them all; no line records more than its distance's laps, except on one page
  that printed its race twice (Dresden, women's 500 m heat 1: the issue's "10 laps
  summing to 88 s for a finish of 43.982"), refused;
- the timing misses crossings (558 lines of 5,438): a row left empty, a lap time or an
  elapsed time not printed. Read as the reader reads them (interchange/isu_results.py),
  None at that lap, every such line passes; the positions printed around them may be out
  of step (64 laps, reported by ``race_position_problems``).

A list that is empty was not recorded and is not checked; a None in it, that lap's figure.
Reasons are sentences a results officer can act on; the field is the column of the result
files ("laps", "lap_elapsed", "lap_positions", "time").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from shorttrack.rules.distances import Distance
from shorttrack.rules.distances import distance as distance_by_key
from shorttrack.rules.times import format_time

# The sum of a line's lap times and its last elapsed time may fall short of, or pass, the
# finish time by at most 9 ms: the timing prints 1/100 s cut from its clock, so the printed
# laps sum to the finish time less 0..9 ms (all 4,865 complete finishers of 2019/20: 495 at
# 0 ms, 444 at 9 ms, none beyond); a source that rounds instead is within 5 ms. A lap more
# or less, or a lap time mistyped by a tenth, is 100 ms or more away.
FINISH_TOLERANCE_MS = 9

# The elapsed time after each lap may differ from the running sum of the lap times by as
# much, for the same reason: on the ISU pages it is exact after every lap but the last,
# whose elapsed time is the finish to the thousandth while its lap time is to 1/100 s.
ELAPSED_TOLERANCE_MS = 9


def timed_laps(distance: Distance | str) -> int:
    """How many lap times the timing records for a finisher: the distance's laps rounded up,
    since a 500 m's and a 1500 m's half lap from the start is timed as a lap (5 and 14)."""
    d = distance if isinstance(distance, Distance) else distance_by_key(distance)
    return math.ceil(d.laps)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive(value: object) -> bool:
    return _whole(value) and value > 0


def _seconds(ms: int) -> str:
    """87960 -> '87.96 s'; 43982 -> '43.982 s'."""
    return f"{ms / 1000:.2f} s" if ms % 10 == 0 else f"{ms / 1000:.3f} s"


def _laps(n: int) -> str:
    return f"{n} lap" if n == 1 else f"{n} laps"


def _counted(d: Distance) -> str:
    """'a 500m has 4.5 laps (5 recorded)'; 'a 1000m has 9 laps'."""
    timed = timed_laps(d)
    laps = f"{d.laps:g}"
    tail = f" ({timed} recorded)" if timed != d.laps else ""
    return f"a {d.short_label} has {laps} laps{tail}"


def line_lap_problems(
    distance: Distance | str,
    *,
    finished: bool,
    time_ms: int | None,
    laps_ms: Sequence[int | None],
    elapsed_ms: Sequence[int | None],
    positions: Sequence[int | None],
) -> list[tuple[str, str]]:
    """What is wrong with one line's lap data, as (field, reason) pairs; [] when nothing.

    ``finished``: the line finished (not PEN, DNF, DNS...); ``time_ms`` its finish time or
    None. Empty ``laps_ms``, ``elapsed_ms`` or ``positions``: not recorded, not checked; a
    None in one: that lap's figure not recorded (the timing missed the crossing, or the page
    left it blank), every other figure keeping its lap.
    Checks: the number of laps fits the distance (a finisher records exactly its laps, any
    other line at most as many); elapsed times and positions, where recorded, come one per
    lap; lap times are positive; elapsed times increase and are the running sum of the lap
    times within ``ELAPSED_TOLERANCE_MS`` (after a lap not recorded: each the one before
    plus its lap time); a finisher's laps and last elapsed time agree with its finish time
    within ``FINISH_TOLERANCE_MS``; positions are whole numbers from 1, or 0 at a
    finisher's finish (a place the photo finish decides).
    """
    d = distance if isinstance(distance, Distance) else distance_by_key(distance)
    timed = timed_laps(d)
    laps, elapsed, places = list(laps_ms), list(elapsed_ms), list(positions)
    n = len(laps)

    bad = next((k for k, ms in enumerate(laps, 1) if ms is not None and not _positive(ms)), None)
    if bad is not None:
        reason = (
            f"lap {bad} has a time of {laps[bad - 1]!r} ms: a lap time is a positive number of ms"
        )
        return [("laps", reason)]
    problems: list[tuple[str, str]] = []
    bad = next((k for k, ms in enumerate(elapsed, 1) if ms is not None and not _positive(ms)), None)
    if bad is not None:
        reason = f"elapsed time {elapsed[bad - 1]!r} ms after lap {bad}: a positive number of ms"
        problems.append(("lap_elapsed", reason))
        elapsed = []

    known = None not in laps
    total = sum(lap for lap in laps if lap is not None)
    finish = format_time(time_ms) if time_ms is not None else None
    if n:
        timed_count = sum(1 for lap in laps if lap is not None)
        of_them = "" if known else f", {timed_count} of them timed,"
        summing = f"{_laps(n)}{of_them} summing to {_seconds(total)}"
        if finished and n != timed:
            of = f" for a finish of {finish}" if finish else ""
            problems.append(("laps", f"{summing}{of}: {_counted(d)}"))
        elif not finished and n > timed:
            problems.append(
                ("laps", f"{summing} for a line that did not finish: {_counted(d)}, no more")
            )

    if elapsed and len(elapsed) != n:
        problems.append(
            (
                "lap_elapsed",
                f"{len(elapsed)} elapsed times for {_laps(n)}: one elapsed time per lap",
            )
        )
    elif elapsed:
        problem = _elapsed_problem(laps, elapsed)
        if problem:
            problems.append(("lap_elapsed", problem))

    if finished and time_ms is not None and n == timed:
        if known and abs(total - time_ms) > FINISH_TOLERANCE_MS:
            problems.append(
                (
                    "laps",
                    f"{_laps(n)} summing to {_seconds(total)} for a finish of {finish}: "
                    f"they may differ by {FINISH_TOLERANCE_MS} ms at most",
                )
            )
        last = elapsed[-1] if elapsed and len(elapsed) == n else None
        if last is not None and abs(last - time_ms) > FINISH_TOLERANCE_MS:
            problems.append(
                (
                    "lap_elapsed",
                    f"elapsed {_seconds(last)} at the finish for a finish of {finish}: "
                    f"they may differ by {FINISH_TOLERANCE_MS} ms at most",
                )
            )

    if places and len(places) != n:
        problems.append(
            ("lap_positions", f"{len(places)} positions for {_laps(n)}: one position per lap")
        )
    elif places:
        for k, p in enumerate(places, 1):
            if p is None:
                continue
            at_finish = finished and k == n == timed
            if not _whole(p) or p < 0 or (p == 0 and not at_finish):
                problems.append(
                    (
                        "lap_positions",
                        f"position {p!r} after lap {k}: positions are whole numbers from 1 "
                        "(0 only at a finisher's finish, where the photo finish decides)",
                    )
                )
                break
    return problems


def _elapsed_problem(laps: list[int | None], elapsed: list[int | None]) -> str:
    """The first elapsed time that does not follow from the lap times, in words; '' when
    they all do. While every lap so far is recorded an elapsed time is their running sum;
    after a lap not recorded, it is the elapsed time before plus its lap time."""
    running: int | None = 0
    before: tuple[int, int] | None = None  # (lap, elapsed) of the last elapsed time recorded
    for k, (lap, at) in enumerate(zip(laps, elapsed, strict=True), 1):
        running = running + lap if running is not None and lap is not None else None
        if at is None:
            continue
        if before is not None and at <= before[1]:
            return (
                f"elapsed {_seconds(at)} after lap {k} is not after "
                f"{_seconds(before[1])} after lap {before[0]}: elapsed times increase"
            )
        if running is not None:
            if abs(at - running) > ELAPSED_TOLERANCE_MS:
                return (
                    f"elapsed {_seconds(at)} after lap {k} for laps summing to "
                    f"{_seconds(running)}: they may differ by {ELAPSED_TOLERANCE_MS} ms at most"
                )
        elif before is not None and before[0] == k - 1 and lap is not None:
            if abs(at - before[1] - lap) > ELAPSED_TOLERANCE_MS:
                return (
                    f"elapsed {_seconds(at)} after lap {k} is {_seconds(at - before[1])} after "
                    f"{_seconds(before[1])}, for a lap time of {_seconds(lap)}: they may differ "
                    f"by {ELAPSED_TOLERANCE_MS} ms at most"
                )
        before = (k, at)
    return ""


def _ranking_fits(positions: Sequence[int | None]) -> bool:
    """Whether these positions after one lap rank their skaters: 1 + how many are ahead, so
    1, 2, 3 or with a tie 1, 2, 2, 4 (never 1, 2, 2, 3 nor a gap), a 0 or None standing for
    any one position not recorded."""
    known = sorted(p for p in positions if p)
    free = len(positions) - len(known)
    previous, j = 0, 0
    for i in range(1, len(positions) + 1):
        if j < len(known) and known[j] in (i, previous):
            previous = known[j]
            j += 1
        elif free:
            free -= 1
            previous = i
        else:
            return False
    return True


def race_position_problems(lines: Sequence[Sequence[int | None]]) -> list[tuple[int, str]]:
    """What is wrong with the positions of a race's lines, as (index of the line, reason).

    ``lines``: each line's position after each lap, lap 1 first; a line records the laps its
    list is long. After each lap the positions of the n lines that recorded it rank them:
    1 to n, where equal elapsed times may share a position as in 1, 2, 2, 4 (the timing
    ranks elapsed times to 1/100 s), and 0 or None is a position the timing did not give
    (0 at the finish, for skaters the photo finish separates: ``line_lap_problems`` says
    where 0 may stand). A lap whose positions do not fit is reported once, on the first line that does
    not fit: a position beyond n, or a position shared by more lines than its tie allows.

    Give every line that raced, in the order of its laps: a line whose positions are not
    known at some lap the timing missed counts there as None, or the others' positions, which
    the timing ranks among all the skaters, show a gap. On the ISU pages of 2019/20 the
    positions fit after every lap of every race whose timing missed no crossing, but one
    (Shanghai, men's 1500 m quarterfinal 3: a skater timed a lap apart from the others).
    """
    problems: list[tuple[int, str]] = []
    count = max((len(line) for line in lines), default=0)
    for k in range(count):
        racing = [(i, line[k]) for i, line in enumerate(lines) if len(line) > k]
        values = [p for _, p in racing]
        if any(p is not None and (not _whole(p) or p < 0) for p in values):
            i, p = next((i, p) for i, p in racing if p is not None and (not _whole(p) or p < 0))
            problems.append((i, f"position {p!r} after lap {k + 1}: positions are whole numbers"))
            continue
        if _ranking_fits(values):
            continue
        n = len(values)
        shown = ", ".join(str(p) for p in sorted(p for p in values if p))
        unknown = sum(1 for p in values if not p)
        if unknown:
            shown += f" and {unknown} not recorded"
        culprit = _first_misfit(racing)
        problems.append(
            (
                culprit,
                f"positions {shown} after lap {k + 1} for the {n} lines that recorded it: "
                f"they rank 1 to {n}, a tie as in 1, 2, 2, 4",
            )
        )
    return problems


def race_lap_problems(
    lines: Sequence[tuple[bool, Sequence[int | None], Sequence[int | None], Sequence[int | None]]],
) -> list[tuple[int, str]]:
    """What is wrong with the positions of a race's lines, as (index of the line, reason).

    ``lines``: per line, whether it finished with a time, and its lap times, elapsed times
    and positions. Where every line with lap data finished and the timing recorded every
    lap (no None), the positions must rank the skaters after each lap
    (``race_position_problems``). Otherwise the positions printed around a gap or a skater
    who stopped may be out of step (70 laps of 2019/20: 64 around missed crossings, 6 of a
    skater who did not finish timed apart from the race) and only
    ``position_range_problems`` holds."""
    ranked = all(
        (finished or not (laps or elapsed or positions))
        and None not in (*laps, *elapsed, *positions)
        for finished, laps, elapsed, positions in lines
    )
    check = race_position_problems if ranked else position_range_problems
    return check([positions for *_, positions in lines])


def position_range_problems(lines: Sequence[Sequence[int | None]]) -> list[tuple[int, str]]:
    """The check positions meet however the timing fared: whole numbers from 1 to the number
    of lines of the race, 0 at the finish (the photo finish); shared positions and gaps
    stand as printed. (index of the line, reason)."""
    n = len(lines)
    problems = []
    for i, line in enumerate(lines):
        for k, p in enumerate(line):
            if p is not None and (
                not _whole(p) or not 0 <= p <= n or (p == 0 and k + 1 < len(line))
            ):
                problems.append(
                    (
                        i,
                        f"position {p!r} after lap {k + 1}: a race of {n} lines has positions 1 to {n}",
                    )
                )
                break
    return problems


def _first_misfit(racing: list[tuple[int, int]]) -> int:
    """The first line whose position, were it not recorded, would let the lap's positions
    fit; the first line when no one line would."""
    values = [p for _, p in racing]
    for j, (i, _) in enumerate(racing):
        if _ranking_fits(values[:j] + [0] + values[j + 1 :]):
            return i
    return racing[0][0]
