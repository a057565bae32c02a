"""The finish of a race as the results officer types it, keyboard only.

First one field: the helmet numbers in finish order, ``12 4 7 1``, a dead heat joined
with ``=`` (``12 7=31 4``). Then one line per starter, in that order and the starters
not typed after them: place (filled in from the order), time, and a mark the results
officer gives (DNF, DNS, or DH for a dead heat). Enter sends the whole finish.

The form starts from the current revision: typed again, the order keeps each helmet's
time and DNF or DNS (``keep_current``). A save that would take away what the current
revision holds, a time, a place or laps, is refused by the service (``Removal``) until the
official ticks that it is on purpose and gives a reason; this module shows that refusal
as the confirmation step (``ask_to_confirm``) and lets the form ask before it sends
(``removed``). A finish with finishers but no times, or fewer times than the revision
before, is flagged to both officials (``times_flag``).

This module turns what was typed into ``services.race_results.FinishLine`` rows and puts
every problem beside the line and the field it is about: the console's own reading of
the order (a helmet not in the race, a helmet typed twice), and the service's refusals
(the same place twice, a time out of order with the places), which name helmets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from shorttrack.queries.race_names import race_name
from shorttrack.rules.times import format_time
from shorttrack.services import race_results
from shorttrack.services.errors import Invalid, Removal
from shorttrack.services.race_results import FinishLine
from shorttrack.store.models import Race, RaceResult, StartListLine

MARKS = ("DNF", "DNS", "DH")
HELMETS_NAMED = re.compile(r"\bhelmets? (\d+(?:(?:, | and )\d+)*)")
FIELD_LABELS = {
    "order": "Finish order",
    "place": "Places",
    "time": "Times",
    "dead_heat": "Dead heat",
    "lines": "Lines",
    "race": "Race",
    "reason": "Reason",
    "decisions": "Decisions",
}


@dataclass
class Row:
    """One line of the finish form: a starter and what was typed for them."""

    helmet: int
    name: str = ""
    member: str = ""
    start_position: int | None = None
    place: str = ""
    time: str = ""
    mark: str = ""
    errors: list[str] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)  # the fields in error: place, time, mark

    def refuse(self, column: str, reason: str) -> None:
        """A problem with this line's ``column`` (place, time, mark), named in the text."""
        self.errors.append(f"{column.capitalize()}: {reason}")
        self.invalid.add(column)


@dataclass
class FinishForm:
    """The two steps of the finish form and the problems found in them."""

    order: str = ""
    rows: list[Row] = field(default_factory=list)
    order_errors: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole finish, with a label
    removing: list[str] = field(default_factory=list)  # what the save would take away
    on_purpose: bool = False  # ticked: what the save takes away goes on purpose

    @property
    def valid(self) -> bool:
        return not (self.order_errors or self.errors or any(row.errors for row in self.rows))

    @property
    def focus(self) -> tuple[int, str]:
        """Where the cursor goes: the first field in error, else the first time."""
        for index, row in enumerate(self.rows):
            for column in ("place", "time", "mark"):
                if column in row.invalid:
                    return index, column
        return 0, "time"

    def problem(self, field_name: str, reason: str) -> None:
        self.errors.append(f"{FIELD_LABELS.get(field_name, field_name.capitalize())}: {reason}")


def starters(race: Race) -> list[StartListLine]:
    return list(race.start_list.select_related("skater", "team", "member"))


def _row(line: StartListLine) -> Row:
    entrant = line.skater or line.team
    return Row(
        helmet=line.helmet,
        name=entrant.name if line.skater else str(entrant),
        member=line.member.code,
        start_position=line.start_position,
    )


def read_order(race: Race, order: str) -> FinishForm:
    """The lines of the form for a typed finish order, or the problems with the order."""
    form = FinishForm(order=order.strip())
    lines = starters(race)
    by_helmet = {line.helmet: line for line in lines}
    placed: dict[int, int] = {}
    dead_heats: set[int] = set()
    position = 0
    for token in form.order.replace(",", " ").split():
        group = token.split("=")
        place = position + 1
        for text in group:
            position += 1
            if not text.isdigit():
                form.order_errors.append(f"{text!r} is not a helmet number")
                continue
            helmet = int(text)
            if helmet not in by_helmet:
                known = ", ".join(str(h) for h in sorted(by_helmet))
                form.order_errors.append(
                    f"helmet {helmet} does not start in {race_name(race)} (helmets {known})"
                )
            elif helmet in placed:
                form.order_errors.append(
                    f"helmet {helmet} is typed twice (places {placed[helmet]} and {place})"
                )
            else:
                placed[helmet] = place
                if len(group) > 1:
                    dead_heats.add(helmet)
    if not form.order and not form.order_errors:
        form.order_errors.append("type the helmet numbers in finish order, as 12 4 7 1")
    if form.order_errors:
        return form
    ordered = sorted(placed, key=lambda h: placed[h])
    rest = sorted(
        (h for h in by_helmet if h not in placed), key=lambda h: by_helmet[h].start_position
    )
    for helmet in ordered + rest:
        row = _row(by_helmet[helmet])
        if helmet in placed:
            row.place = str(placed[helmet])
            row.mark = "DH" if helmet in dead_heats else ""
        form.rows.append(row)
    return form


def read_rows(race: Race, data: Mapping[str, str]) -> FinishForm:
    """The lines as posted (``helmet-0``, ``place-0``, ``time-0``, ``mark-0``, ...)."""
    form = FinishForm(order=data.get("order", ""), on_purpose=data.get("confirm_removal") == "yes")
    by_helmet = {line.helmet: line for line in starters(race)}
    count = sum(1 for key in data if key.startswith("helmet-"))
    for index in range(count):
        text = data.get(f"helmet-{index}", "")
        line = by_helmet.get(int(text)) if text.isdigit() else None
        if line is None:
            form.problem(
                "lines", f"line {index + 1}: {text!r} is not a helmet of {race_name(race)}"
            )
            continue
        row = _row(line)
        row.place = data.get(f"place-{index}", "").strip()
        row.time = data.get(f"time-{index}", "").strip()
        row.mark = data.get(f"mark-{index}", "").strip().upper()
        form.rows.append(row)
    return form


def finish_lines(form: FinishForm) -> list[FinishLine]:
    """The rows as the service takes them; problems found on the way go on the rows."""
    lines = []
    for row in form.rows:
        if row.mark and row.mark not in MARKS:
            row.refuse(
                "mark",
                f"mark {row.mark!r}: the results officer enters DNF, DNS or DH (dead heat); "
                "PEN, YC, RC and ADV are the referee's",
            )
            continue
        if row.mark in ("DNF", "DNS"):
            if row.time:
                row.refuse("time", f"helmet {row.helmet} is {row.mark}: leave the time empty")
                continue
            lines.append(FinishLine(row.helmet, status=row.mark, on_purpose=form.on_purpose))
            continue
        if not row.place:
            row.refuse(
                "place",
                f"helmet {row.helmet} is not in the finish order: give its place, or DNF or DNS",
            )
            continue
        if not row.place.isdigit() or int(row.place) < 1:
            row.refuse("place", f"place {row.place!r} is not a place (1, 2, 3 ...)")
            continue
        lines.append(
            FinishLine(
                row.helmet,
                place=int(row.place),
                time=row.time or None,
                dead_heat=row.mark == "DH",
                on_purpose=form.on_purpose,
            )
        )
    return lines


def refused(form: FinishForm, invalid: Invalid) -> None:
    """Put the service's reasons beside the lines they are about (the finish was sent with
    every row, in order, so ``lines[i]`` is row i; other reasons name helmets); a
    ``Removal`` is the confirmation step (``ask_to_confirm``)."""
    if isinstance(invalid, Removal):
        ask_to_confirm(form, invalid)
        return
    by_helmet = {row.helmet: row for row in form.rows}
    for name, reason in invalid.problems:
        index = re.fullmatch(r"lines\[(\d+)\]", name)
        if index and int(index[1]) < len(form.rows):
            row = form.rows[int(index[1])]
            row.refuse(_column(reason), reason)
            continue
        helmets = _helmets_named(reason)
        if name == "time":
            helmets = helmets[:1]  # the one out of order; the other is the reference
        rows = [by_helmet[h] for h in helmets if h in by_helmet]
        if name in ("place", "dead_heat", "time") and rows:
            column = {"place": "place", "dead_heat": "mark", "time": "time"}[name]
            for row in rows:
                row.refuse(column, reason)
        else:
            form.problem(name, reason)


def _helmets_named(reason: str) -> list[int]:
    found = HELMETS_NAMED.search(reason)
    if not found:
        return []
    return [int(h) for h in re.split(r", | and ", found[1])]


def _column(reason: str) -> str:
    if "time" in reason or "record" in reason:
        return "time"
    if "place" in reason:
        return "place"
    return "mark"


def from_result(race: Race, result: RaceResult | None) -> FinishForm:
    """The form filled in with a result already entered (to enter again or to correct)."""
    if result is None or not result.lines.exists():
        return FinishForm()
    by_helmet = {line.helmet: line for line in starters(race)}
    rows, order = [], []
    stored = sorted(
        result.lines.all(),
        key=lambda x: (x.finish_place or x.place or 99, x.status == "DNS", x.helmet or 0),
    )
    for line in stored:
        start = by_helmet.get(line.helmet)
        if start is None:
            continue
        row = _row(start)
        place = line.finish_place or line.place
        if line.status in ("DNF", "DNS"):
            row.mark = line.status
        elif place is not None:
            row.place = str(place)
            row.mark = "DH" if line.dead_heat else ""
            order.append((place, line.helmet))
        else:
            row.mark = "DNF"  # a card on a skater who had not finished
        row.time = format_time(line.time_ms)
        rows.append(row)
    groups: dict[int, list[int]] = {}
    for place, helmet in order:
        groups.setdefault(place, []).append(helmet)
    text = " ".join("=".join(str(h) for h in groups[p]) for p in sorted(groups))
    return FinishForm(order=text, rows=rows)


def _stored(result: RaceResult | None) -> dict[int, object]:
    if result is None:
        return {}
    return {line.helmet: line for line in result.lines.all() if line.helmet is not None}


def keep_current(form: FinishForm, result: RaceResult | None) -> FinishForm:
    """The order typed again over a finish already entered: each helmet keeps its time
    (when it still has a place) and its DNF or DNS (when it is not in the order), so a
    finish order typed again never blanks the times beside it."""
    stored = _stored(result)
    for row in form.rows:
        line = stored.get(row.helmet)
        if line is None:
            continue
        if row.place and not row.time and line.time_ms is not None and line.status != "DNS":
            row.time = format_time(line.time_ms)
        elif not row.place and not row.mark and line.status in ("DNF", "DNS"):
            row.mark = line.status
    return form


def removed(lines: list[FinishLine], result: RaceResult | None) -> list[str]:
    """What saving ``lines`` would take away from the current revision without the tick,
    one text each ('helmet 7: time 43.100 removed'), so the form asks before it sends.
    The service decides (``race_results.unconfirmed_removals``, refused as ``Removal``)."""
    if result is None:
        return []
    return race_results.unconfirmed_removals(result.race, lines)


def ask_to_confirm(form: FinishForm, removal: Removal) -> None:
    """The service's ``Removal`` as the form's confirmation step: what would go, listed
    beside the tick, and how to go on."""
    form.removing = list(removal.removed)
    form.problem(
        "lines",
        "this save removes what the current result holds ("
        + "; ".join(removal.removed)
        + "): tick that it is on purpose and give a reason, or put them back",
    )


def times_flag(race: Race, result: RaceResult | None) -> str:
    """'3 of 4 finishers have no time' or 'fewer times than revision 2 (4, now 1)': a
    finish that may have lost its times, for the officials to look at before official;
    '' when nothing looks lost."""
    if result is None:
        return ""
    lines = list(result.lines.all())
    finishers = [line for line in lines if line.place is not None]
    timed = sum(1 for line in lines if line.time_ms is not None)
    untimed = sum(1 for line in finishers if line.time_ms is None)
    flags = []
    if finishers and untimed:
        flags.append(f"{untimed} of {len(finishers)} finishers have no time")
    before = (
        race.results.filter(number__lt=result.number, lines__isnull=False)
        .order_by("-number")
        .first()
    )
    if before is not None:
        earlier = before.lines.filter(time_ms__isnull=False).count()
        if timed < earlier:
            flags.append(f"fewer times than revision {before.number} ({earlier}, now {timed})")
    return "; ".join(flags)
