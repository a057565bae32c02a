"""A race's result lines while a service works on them, and how they become a revision.

``Line`` holds the finish as the results officer entered it (``entered``, ``finish_place``,
time) apart from the referee's decisions (``decision``: PEN, YC, RC; ``advanced``: ADV,
or ADA / ADB with ``advanced_to`` Final A / Final B) and the qualification mark the round gave (Q, q, QA, QB). ``settle`` derives the places
the sheet shows: the finishers in finish order, dead heats sharing, a penalised skater's
rivals moving up. ``save_revision`` writes them as a new ``RaceResult`` revision; stored
lines are never changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Subquery

from shorttrack.queries.race_names import race_name  # noqa: F401  (read from here too)
from shorttrack.rules.ranking import RaceLine, RoundKind, Status
from shorttrack.services import clock, history
from shorttrack.store.compiled import Compiled, insert, insert_all
from shorttrack.store.models import Race, RaceResult, RaceResultLine, Revision

ENTERED = ("finished", "DNF", "DNS")
CARDS = ("PEN", "YC", "RC")  # decisions that take a starter out of the race, mildest first
# The referee's advancement as the sheet prints it: ADV to the round's first target (the
# next round; from the semifinals Final A), ADA to Final A, ADB to Final B.
ADVANCED_TO: dict[str, RoundKind | None] = {
    "ADV": None,
    "ADA": RoundKind.FINAL_A,
    "ADB": RoundKind.FINAL_B,
}


@dataclass
class Line:
    """One starter's line of a race result being worked on."""

    helmet: int | None
    start_position: int | None
    skater_id: int | None
    team_id: int | None
    member_id: int
    entered: str = "finished"  # finished, DNF, DNS: as the results officer entered it
    finish_place: int | None = None
    dead_heat: bool = False
    time_ms: int | None = None
    decision: str = ""  # PEN, YC, RC
    advanced: bool = False  # ADV, ADA, ADB
    advanced_to: RoundKind | None = None  # None: the round's first target (ADV)
    warnings: str = ""
    mark: str = ""  # Q, q, QA, QB
    laps_ms: list[int] = field(default_factory=list)
    lap_positions: list[int] = field(default_factory=list)
    lap_elapsed_ms: list[int | None] = field(default_factory=list)  # as the timing printed it
    place: int | None = None  # after the decisions, as the sheet shows it

    @property
    def status(self) -> str:
        return self.decision or self.entered

    @property
    def advanced_mark(self) -> str:
        """ADV, ADA or ADB for a skater the referee advanced, else ''."""
        if not self.advanced:
            return ""
        return next(mark for mark, to in ADVANCED_TO.items() if to is self.advanced_to)

    @property
    def finished(self) -> bool:
        return self.status == Status.FINISHED.value

    @property
    def entrant(self) -> str:
        """The opaque id the rules core sees: 's<skater id>' or 't<team id>'."""
        return f"s{self.skater_id}" if self.skater_id else f"t{self.team_id}"

    def race_line(self) -> RaceLine:
        return RaceLine(
            self.entrant,
            self.place,
            self.time_ms,
            Status(self.status),
            self.advanced,
            self.dead_heat,
            self.advanced_to if self.advanced else None,
        )


def entrant_key(row) -> str:
    """'s<skater id>' or 't<team id>' for anything with skater_id and team_id."""
    return f"s{row.skater_id}" if row.skater_id else f"t{row.team_id}"


def round_name(kind: str) -> str:
    """'the quarterfinals', 'the Rep. Quarterfinals', 'Final A'."""
    rk = RoundKind(kind)
    if rk.final:
        return rk.label
    return f"the {rk.label}" if rk.repechage else f"the {rk.value}"


def latest_result(race: Race) -> RaceResult | None:
    """The race's newest revision, its lines read with it (every caller reads them), as
    ``race.results.order_by("-number").prefetch_related(Prefetch("lines",
    lines_by_place())).first()`` gives them. Every write to a race reads it: one compiled
    read (store/compiled.py) of the lines with their result, and a second, of the result
    alone, only when it has no lines (or there is none)."""
    lines = _NEWEST_LINES.objects(race=race.pk)
    if lines:
        result = RaceResultLine.result.field.get_cached_value(lines[0])
    else:
        found = _NEWEST_RESULT.objects(race=race.pk)
        if not found:
            return None
        result = found[0]
    RaceResult.race.field.set_cached_value(result, race)
    cached = RaceResultLine.result.field.set_cached_value
    for line in lines:
        cached(line, result)
    prefetched = result.lines.get_queryset()
    prefetched._result_cache, prefetched._prefetch_done = lines, True
    result._prefetched_objects_cache = {"lines": prefetched}
    return result


def lines_by_place():
    """Lines in their result's order (Meta.ordering's, by place), for the lines of one
    result: the model's ordering starts with the result's own (race, round, distance race,
    competition, season), which joins five tables to sort rows that share them all."""
    return RaceResultLine.objects.order_by("place")


def _newest(race):
    return RaceResult.objects.filter(race_id=race).order_by("-number")


_NEWEST_RESULT = Compiled(lambda race: _newest(race)[:1])
_NEWEST_LINES = Compiled(
    lambda race: (
        lines_by_place()
        .select_related("result")
        .filter(result_id=Subquery(_newest(race).values("id")[:1]))
    )
)


def lines_of(result: RaceResult) -> list[Line]:
    return from_rows(result.lines.all())


def from_rows(rows: Iterable[RaceResultLine]) -> list[Line]:
    """The working form of stored lines."""
    lines = []
    for row in rows:
        if row.status in ENTERED:
            entered = row.status
        else:
            # A decision hides what was entered: a finish if it had a place, else a fall.
            entered = "finished" if (row.finish_place or row.place) is not None else "DNF"
        lines.append(
            Line(
                helmet=row.helmet,
                start_position=row.start_position,
                skater_id=row.skater_id,
                team_id=row.team_id,
                member_id=row.member_id,
                entered=entered,
                finish_place=row.finish_place if row.finish_place is not None else row.place,
                dead_heat=row.dead_heat,
                time_ms=row.time_ms,
                decision=row.status if row.status in CARDS else "",
                advanced=row.mark in ADVANCED_TO,
                advanced_to=ADVANCED_TO.get(row.mark),
                warnings=row.warnings,
                mark="" if row.mark in ADVANCED_TO else row.mark,
                laps_ms=list(row.laps_ms),
                lap_positions=list(row.lap_positions),
                lap_elapsed_ms=list(row.lap_elapsed_ms),
                place=row.place,
            )
        )
    return lines


def settle(lines: Sequence[Line]) -> None:
    """Places after the decisions: finishers in finish order, the others moving up past a
    penalised skater, dead heats sharing a place; no place for anyone else."""
    finishers = sorted((line for line in lines if line.finished), key=lambda x: x.finish_place)
    counts = Counter(line.finish_place for line in finishers)
    place, previous = 0, None
    for position, line in enumerate(finishers, start=1):
        if line.finish_place != previous:
            place, previous = position, line.finish_place
        line.place = place
        line.dead_heat = counts[line.finish_place] > 1
    for line in lines:
        if not line.finished:
            line.place, line.dead_heat = None, False
            line.mark = ""


def same_sheet(
    lines: Sequence[Line], rows: Iterable[RaceResultLine], *, laps=False, marks=True
) -> bool:
    """Whether these lines say what the stored rows say (nothing to revise); ``laps``
    compares the lap times and positions too; ``marks=False`` leaves out the
    qualification marks, which the round decides, not the person typing the sheet."""
    return sorted(_sheet(line, laps, marks) for line in lines) == sorted(
        _sheet(line, laps, marks) for line in from_rows(rows)
    )


def _sheet(line: Line, laps: bool = False, marks: bool = True) -> tuple:
    extra = (
        (tuple(line.laps_ms), tuple(line.lap_positions), tuple(line.lap_elapsed_ms)) if laps else ()
    )
    return extra + (
        line.helmet,
        line.place,
        line.finish_place if line.entered == "finished" else None,
        line.dead_heat,
        line.time_ms,
        line.status,
        line.advanced_mark,
        line.mark if marks else "",
        line.warnings,
    )


def save_revision(
    race: Race,
    lines: Sequence[Line],
    user,
    source: str,
    reason: str,
    *,
    official_at: datetime | None = None,
    at: datetime | None = None,
    number: int | None = None,
) -> RaceResult:
    """A new revision of the race's result with these lines."""
    now = at or clock.now()
    if number is None:
        number = (
            race.results.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
    revision = insert(
        Revision(recorded_at=now, recorded_by=user, source=source[:300], reason=reason)
    )
    result = insert(
        RaceResult(race=race, number=number, revision=revision, official_at=official_at)
    )
    saved = insert_all(
        [
            RaceResultLine(
                result=result,
                place=line.place,
                dead_heat=line.dead_heat,
                finish_place=line.finish_place if line.entered == "finished" else None,
                start_position=line.start_position,
                helmet=line.helmet,
                skater_id=line.skater_id,
                team_id=line.team_id,
                member_id=line.member_id,
                time_ms=line.time_ms,
                status=line.status,
                mark=line.advanced_mark or line.mark,
                warnings=line.warnings,
                laps_ms=line.laps_ms,
                lap_positions=line.lap_positions,
                lap_elapsed_ms=line.lap_elapsed_ms,
            )
            for line in sorted(lines, key=sheet_order)
        ]
    )
    history.saved_lines(result, saved)  # sealed from these, not read back
    return result


def sheet_order(line: Line) -> tuple:
    """Result sheet order: places, then PEN, DNF, DNS, then cards."""
    rank = {"finished": 0, "PEN": 1, "DNF": 2, "DNS": 3, "YC": 4, "RC": 5}[line.status]
    return (rank, line.place or 0, line.finish_place or 0, line.helmet or 0)
