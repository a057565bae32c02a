"""A race's result sheet checked against itself: how many start, how the places run, dead
heats, and times in the order of the places.

The checks are the same wherever a sheet comes from: typed at the officials' console, read
from a file or a saved ISU page by the import, raced by the simulator. Each caller turns the
findings into its own errors (a form's field, a file's line); nothing here knows of either.

What a sheet cannot hold (RULES.md sections 1, 2 and 7):

- more starters than the start line takes: five side by side and a second row behind
  (``LARGEST_RACE``; no third row is described). The largest race of the 1,079 races on the
  2019/20 ISU pages has 9 (men's 1500 m semifinals);
- a place beyond the number of starters, or a place inside the dead heat before it: a dead
  heat shares its place and the next skater takes the place after all of them
  (1, 2, 2, 4; never 1, 2, 2, 3);
- a shared place not marked as a dead heat on every line of it, or a dead heat mark with
  nobody to share the place;
- a place or a time for a skater who did not finish or did not start (DNF, DNS);
- a finisher placed behind another and timed faster: places are the crossing order, and
  the time is the crossing. Equal times at different places are a photo finish; a time
  printed to the hundredth is the timing's clock cut (``rules.laps``), so it stands for any
  thousandth up to 9 ms after it.

One reading depends on who numbered the places. A results officer numbers them at the
console, and a place nobody has is a typing error. A sheet printed elsewhere is read as
printed: the ISU page of Dresden 2019/20, men's 1000 m heat 7, prints places 1, 3, 3 (the
second finisher advanced, place 2 left empty) and an import keeps that (``printed``).

Reasons are sentences an official can act on; each names lines by the caller's noun and
name ("helmet 7", "line 14"); a finding's field is the column ("place", "dead_heat",
"time", "lines").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from shorttrack.rules.draw import START_LINE_WIDTH
from shorttrack.rules.times import format_time

# The start line's rows: the front row of START_LINE_WIDTH positions and the second row
# behind it, used when more than five start (research-notes.md 4.4).
START_ROWS = 2
LARGEST_RACE = START_LINE_WIDTH * START_ROWS

# A time printed to the hundredth (a multiple of 10 ms) is the clock cut: the crossing was
# up to 9 ms later.
CUT_TO_HUNDREDTH_MS = 9


# Statuses of a line that crossed no finish: no place, no time.
NO_FINISH = ("DNF", "DNS")


@dataclass(frozen=True)
class SheetLine:
    """One line of a result sheet as the checks need it. ``name`` tells the line in a
    reason ("7" for helmet 7, "14" for line 14); ``status``: finished, PEN, YC, RC, DNF or
    DNS (only finishers are compared by time)."""

    name: str
    place: int | None = None
    dead_heat: bool = False
    time_ms: int | None = None
    status: str = "finished"

    @property
    def finished(self) -> bool:
        return self.status == "finished"


@dataclass(frozen=True)
class Finding:
    """What is wrong with a sheet: the line it is about (an index into the lines given; None
    for the race as a whole), the field, and the reason."""

    line: int | None
    field: str
    reason: str


def sheet_findings(
    lines: Sequence[SheetLine], noun: str = "line", *, printed: bool = False
) -> list[Finding]:
    """Every check of this module on one race's sheet, in the order of the lines."""
    return (
        size_findings(lines, noun)
        + status_findings(lines, noun)
        + place_findings(lines, noun, printed=printed)
        + time_findings(lines, noun)
    )


def size_findings(lines: Sequence[SheetLine], noun: str = "line") -> list[Finding]:
    """A race of more than the start line holds."""
    if len(lines) <= LARGEST_RACE:
        return []
    return [
        Finding(
            LARGEST_RACE,
            "lines",
            f"a race of {len(lines)} starters: the start line holds at most {LARGEST_RACE} "
            f"({START_LINE_WIDTH} side by side, and a second row); this is {noun} "
            f"{lines[LARGEST_RACE].name}, starter {LARGEST_RACE + 1}",
        )
    ]


def status_findings(lines: Sequence[SheetLine], noun: str = "line") -> list[Finding]:
    """A skater who did not finish or did not start has no place and no time."""
    return [
        Finding(
            index,
            "place" if line.place is not None else "time",
            f"{noun} {line.name} is {line.status}: it has no place and no time",
        )
        for index, line in enumerate(lines)
        if line.status in NO_FINISH and (line.place is not None or line.time_ms is not None)
    ]


def place_findings(
    lines: Sequence[SheetLine], noun: str = "line", *, printed: bool = False
) -> list[Finding]:
    """Places run 1, 2, 3 ... among the lines that have one; lines share a place only as a
    marked dead heat, and the places a dead heat takes are skipped (1, 2, 2, 4). With
    ``printed``, a place the sheet leaves empty stands as printed, but none lies beyond
    the number of lines."""
    by_place: dict[int, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        if line.place is not None:
            by_place[line.place].append(index)
    findings: list[Finding] = []
    expected = 1
    for place in sorted(by_place):
        group = by_place[place]
        names = " and ".join(lines[i].name for i in group)
        if printed and place > len(lines):  # numbered at the console, a gap says it
            findings.append(
                Finding(
                    group[0],
                    "place",
                    f"{noun} {lines[group[0]].name} has place {place} in a race of "
                    f"{len(lines)} starters",
                )
            )
        unmarked = [i for i in group if not lines[i].dead_heat]
        if len(group) > 1 and unmarked:
            findings.append(
                Finding(
                    unmarked[0],
                    "place",
                    f"place {place} is given to {noun}s {names}: "
                    "mark them as a dead heat, or correct one",
                )
            )
        elif len(group) == 1 and not unmarked:
            findings.append(
                Finding(
                    group[0],
                    "dead_heat",
                    f"{noun} {names} is marked as a dead heat but nobody else has place {place}",
                )
            )
        if place > expected and not printed:
            missing = ", ".join(str(p) for p in range(expected, place))
            findings.append(Finding(None, "place", f"no finisher has place {missing}"))
        elif place < expected:
            findings.append(
                Finding(
                    group[0],
                    "place",
                    f"place {place} is inside the dead heat before it: the next place is {expected}",
                )
            )
        expected = place + len(group)
    return findings


def time_findings(lines: Sequence[SheetLine], noun: str = "line") -> list[Finding]:
    """Finishers' times in the order of their places: a finisher placed behind another
    cannot have crossed the line before them."""
    timed = sorted(
        (
            i
            for i, line in enumerate(lines)
            if line.finished and line.place is not None and line.time_ms is not None
        ),
        key=lambda i: (lines[i].place, lines[i].time_ms),  # a dead heat's fastest first
    )
    findings: list[Finding] = []
    for before, after in zip(timed, timed[1:], strict=False):
        ahead, behind = lines[before], lines[after]
        if behind.place != ahead.place and _latest(behind.time_ms) < ahead.time_ms:
            findings.append(
                Finding(
                    after,
                    "time",
                    f"{noun} {behind.name}, placed {behind.place}, has "
                    f"{format_time(behind.time_ms)}: faster than {noun} {ahead.name}, placed "
                    f"{ahead.place}, in {format_time(ahead.time_ms)}; correct the place or the "
                    "time (a penalised skater is marked PEN by the referee)",
                )
            )
    return findings


def _latest(time_ms: int) -> int:
    """The latest crossing a printed time stands for."""
    return time_ms + (CUT_TO_HUNDREDTH_MS if time_ms % 10 == 0 else 0)
