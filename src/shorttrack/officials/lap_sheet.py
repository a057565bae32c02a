"""The laps of a race as the results officer types them, or pastes them from the timing's
printout: the layout of the ISU split sheet, one line per lap, one column per skater.

    Lap  12               4                7
    1    [2] 10.57 (10.57) [3] 10.71 (10.71) [1] 10.42 (10.42)
    2    [2] 26.25 (15.68) [3] 26.41 (15.70) [1] 26.15 (15.73)
    ...
    14   [1] 2:29.941 (9.33) [2] 2:30.185 (9.44) -

The first line names the columns by helmet number ("Lap" first, as printed, is optional).
Each line after it is a lap: its number, then per column ``[position] elapsed (lap time)``
as the ISU prints a cell (``[]``: no position printed); either time may be left out (``[5] (10.85)``: the timing printed
no elapsed time), and ``-`` is a cell the timing left empty (a skater who stopped: their
column ends with ``-``, or the line simply ends). Laps go 1, 2, 3 ... without a gap. Blank
lines are skipped.

``read`` gives one ``services.laps.StarterLaps`` per column, or the problems, each naming
the line of the text and the reason; ``write`` prints a race's stored laps in the same
layout, so the field opens with what is stored and can be corrected in place.

Typed by hand the same sheet is a grid (``LapGrid``): a row per lap, per skater a cell of
three fields in the order the printout prints them, position, elapsed time, lap time, so
Tab follows the printout's line. ``grid`` opens it with what is stored; ``read_grid`` reads
what was posted, each problem beside its cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shorttrack.rules.times import format_split, parse_time
from shorttrack.services.laps import StarterLaps

_TOKEN = re.compile(r"\[(?P<position>[^\]]*)\]|\((?P<lap>[^)]*)\)|(?P<bare>[^\s\[\(]+)")


@dataclass
class _Column:
    helmet: int
    laps: list[int | None] = field(default_factory=list)
    elapsed: list[int | None] = field(default_factory=list)
    positions: list[int | None] = field(default_factory=list)

    def cell(self, position: int | None, elapsed: int | None, lap: int | None) -> None:
        self.positions.append(position)
        self.elapsed.append(elapsed)
        self.laps.append(lap)

    def starter_laps(self) -> StarterLaps | None:
        """The column's laps up to its last cell with a figure; None when it has none."""
        recorded = [
            k
            for k in range(len(self.laps))
            if (self.positions[k], self.elapsed[k], self.laps[k]) != (None, None, None)
        ]
        if not recorded:
            return None
        n = recorded[-1] + 1
        elapsed = self.elapsed[:n]
        positions = self.positions[:n]
        return StarterLaps(
            self.helmet,
            self.laps[:n],
            elapsed if any(e is not None for e in elapsed) else [],
            positions if any(p is not None for p in positions) else [],
        )


class LapSheetError(ValueError):
    """What is wrong with the typed laps: (line number, reason) each, in order."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("; ".join(f"line {n}: {reason}" for n, reason in problems))

    @property
    def lines(self) -> list[str]:
        return [f"Line {n}: {reason}" for n, reason in self.problems]


def _time(text: str, what: str) -> int:
    try:
        return parse_time(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a time (9.32, 1:01.83)") from None


def _cells(text: str) -> list[tuple[int | None, int | None, int | None]]:
    """The cells of one lap line after its number: (position, elapsed, lap time)."""
    cells: list[list] = []
    for match in _TOKEN.finditer(text):
        if match["position"] is not None:
            number = match["position"].strip()
            if not number:  # [] : the timing printed no position at this lap
                cells.append([None, None, None])
                continue
            if not number.isdigit():
                raise ValueError(f"position [{number}] is not a whole number")
            cells.append([int(number), None, None])
        elif match["bare"] == "-":
            cells.append([None, None, None, "empty"])
        elif not cells or len(cells[-1]) == 4:
            shown = match[0]
            raise ValueError(
                f"{shown!r} comes before any [position]: a cell is [2] 26.25 (15.68), or - when empty"
            )
        elif match["lap"] is not None:
            if cells[-1][2] is not None:
                raise ValueError(f"two lap times in one cell: ({match['lap']})")
            cells[-1][2] = _time(match["lap"].strip(), "lap time")
        else:
            if cells[-1][1] is not None or cells[-1][2] is not None:
                raise ValueError(
                    f"{match['bare']!r} after the cell's elapsed or lap time: "
                    "a cell is [2] 26.25 (15.68)"
                )
            cells[-1][1] = _time(match["bare"], "elapsed time")
    return [(c[0], c[1], c[2]) for c in cells]


def read(text: str) -> list[StarterLaps]:
    """The laps typed, per column of the header; ``LapSheetError`` naming each bad line."""
    problems: list[tuple[int, str]] = []
    numbered = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not numbered:
        raise LapSheetError([(1, "nothing typed: the helmet numbers first, then a line per lap")])
    header_number, header = numbered[0]
    words = header.split()
    if words and words[0].lower() in ("lap", "laps", "#"):
        words = words[1:]
    helmets = []
    for word in words:
        if not word.isdigit():
            problems.append(
                (
                    header_number,
                    f"{word!r} is not a helmet number: the first line names the columns, Lap 12 4 7",
                )
            )
        elif int(word) in helmets:
            problems.append((header_number, f"helmet {word} is named twice"))
        else:
            helmets.append(int(word))
    if not helmets and not problems:
        problems.append(
            (header_number, "no helmet numbers: the first line names the columns, Lap 12 4 7")
        )
    if problems:
        raise LapSheetError(problems)
    columns = [_Column(helmet) for helmet in helmets]
    expected = 1
    for number, line in numbered[1:]:
        lap_text, *more = line.split(maxsplit=1)
        rest = more[0] if more else ""
        if not lap_text.isdigit():
            problems.append(
                (
                    number,
                    f"{lap_text!r} is not a lap number: each line is a lap, 1 [2] 10.57 (10.57) ...",
                )
            )
            continue
        lap = int(lap_text)
        if lap != expected:
            problems.append(
                (number, f"lap {lap} after lap {expected - 1}: laps go 1, 2, 3 without a gap")
            )
            expected = lap + 1
            continue
        expected += 1
        try:
            cells = _cells(rest)
        except ValueError as error:
            problems.append((number, f"lap {lap}: {error}"))
            continue
        if len(cells) > len(columns):
            problems.append(
                (
                    number,
                    f"lap {lap} has {len(cells)} cells for {len(columns)} helmets ({' '.join(map(str, helmets))})",
                )
            )
            continue
        cells += [(None, None, None)] * (len(columns) - len(cells))
        for column, (position, elapsed, lap_ms) in zip(columns, cells, strict=True):
            column.cell(position, elapsed, lap_ms)
    if len(numbered) == 1:
        problems.append(
            (
                header_number,
                "no laps under the helmet numbers: a line per lap, 1 [2] 10.57 (10.57) ...",
            )
        )
    if problems:
        raise LapSheetError(problems)
    return [laps for column in columns if (laps := column.starter_laps()) is not None]


def write(lines: Sequence) -> str:
    """Stored lines with laps (``RaceResultLine``) in the layout ``read`` reads; '' when none."""
    timed = [line for line in lines if line.laps_ms and line.helmet is not None]
    if not timed:
        return ""
    count = max(len(line.laps_ms) for line in timed)
    rows = ["Lap " + " ".join(str(line.helmet) for line in timed)]
    for k in range(count):
        cells = []
        for line in timed:
            if k >= len(line.laps_ms):
                cells.append("-")
                continue
            position = line.lap_positions[k] if k < len(line.lap_positions) else None
            elapsed = line.lap_elapsed_ms[k] if k < len(line.lap_elapsed_ms) else None
            lap = line.laps_ms[k]
            cell = f"[{position if position is not None else ''}]"
            if position is None and elapsed is None and lap is None:
                cells.append("-")
                continue
            if elapsed is not None:
                cell += f" {format_split(elapsed)}"
            if lap is not None:
                cell += f" ({format_split(lap)})"
            cells.append(cell)
        rows.append(f"{k + 1} " + "  ".join(cells))
    return "\n".join(rows) + "\n"


# -- the grid typed by hand --------------------------------------------------------------

CELL_FIELDS = ("position", "elapsed", "lap")
CELL_WORDS = {"position": "position", "elapsed": "elapsed time", "lap": "lap time"}


def cell_name(part: str, helmet: int, lap: int) -> str:
    """The posted name of one field of a cell: 'position-12-3' (helmet 12, lap 3)."""
    return f"{part}-{helmet}-{lap}"


@dataclass
class GridCell:
    """One skater's figures at one lap, as typed."""

    helmet: int
    lap: int
    position: str = ""
    elapsed: str = ""
    lap_time: str = ""
    invalid: set[str] = field(default_factory=set)

    def name(self, part: str) -> str:
        return cell_name(part, self.helmet, self.lap)

    @property
    def names(self) -> dict[str, str]:
        """The posted name of each field: {'position': 'position-12-3', ...}."""
        return {part: self.name(part) for part in CELL_FIELDS}


@dataclass
class GridColumn:
    """A starter of the race who may have laps (not a DNS): helmet and column heading."""

    helmet: int
    heading: str
    detail: str = ""  # its place and time, to check against the printout


@dataclass
class LapGrid:
    columns: list[GridColumn]
    rows: list[list[GridCell]]  # rows[lap - 1][column]
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def focus(self) -> str:
        """The posted name of the field the cursor goes to: the first in error, else the
        first position of the first lap."""
        for row in self.rows:
            for cell in row:
                for part in CELL_FIELDS:
                    if part in cell.invalid:
                        return cell.name(part)
        first = self.rows[0][0] if self.rows and self.rows[0] else None
        return first.name("position") if first else ""

    def refuse_helmet(self, helmet: int) -> None:
        """Mark the column of a helmet the service refused at its first cell, where the
        cursor goes to correct it."""
        for cell in self.rows[0] if self.rows else []:
            if cell.helmet == helmet:
                cell.invalid.add("position")

    def starter_laps(self) -> list[StarterLaps]:
        """The laps typed, one per column with a figure; raise ValueError if not valid."""
        if not self.valid:
            raise ValueError("; ".join(self.errors))
        columns = {column.helmet: _Column(column.helmet) for column in self.columns}
        for row in self.rows:
            for cell in row:
                columns[cell.helmet].cell(
                    int(cell.position) if cell.position else None,
                    parse_time(cell.elapsed) if cell.elapsed else None,
                    parse_time(cell.lap_time) if cell.lap_time else None,
                )
        return [laps for column in columns.values() if (laps := column.starter_laps()) is not None]


def grid(columns: Sequence[GridColumn], laps: int, lines: Sequence = ()) -> LapGrid:
    """The grid of ``laps`` rows, filled with the stored laps of ``lines``
    (``RaceResultLine``) where they have them; more rows when they record more."""
    stored = {line.helmet: line for line in lines if line.helmet is not None}
    count = max([laps] + [len(line.laps_ms) for line in stored.values()])
    rows = []
    for k in range(count):
        row = []
        for column in columns:
            line = stored.get(column.helmet)
            cell = GridCell(column.helmet, k + 1)
            if line is not None:
                cell.position = _figure(line.lap_positions, k, str)
                cell.elapsed = _figure(line.lap_elapsed_ms, k, format_split)
                cell.lap_time = _figure(line.laps_ms, k, format_split)
            row.append(cell)
        rows.append(row)
    return LapGrid(list(columns), rows)


def _figure(values: Sequence, k: int, shown) -> str:
    return shown(values[k]) if k < len(values) and values[k] is not None else ""


def read_grid(columns: Sequence[GridColumn], laps: int, posted: Mapping[str, str]) -> LapGrid:
    """The grid as posted (``laps`` rows, or as many as were posted), each figure that is
    not one named beside its cell: 'Lap 3, helmet 12: elapsed time '26.2x' is not a time'."""
    count = laps
    while any(cell_name("lap", c.helmet, count + 1) in posted for c in columns):
        count += 1
    found = LapGrid(list(columns), [])
    for k in range(1, count + 1):
        row = []
        for column in columns:
            cell = GridCell(
                column.helmet,
                k,
                posted.get(cell_name("position", column.helmet, k), "").strip(),
                posted.get(cell_name("elapsed", column.helmet, k), "").strip(),
                posted.get(cell_name("lap", column.helmet, k), "").strip(),
            )
            where = f"Lap {k}, helmet {column.helmet}"
            if cell.position and not cell.position.isdigit():
                cell.invalid.add("position")
                found.errors.append(f"{where}: position {cell.position!r} is not a whole number")
            for part, text in (("elapsed", cell.elapsed), ("lap", cell.lap_time)):
                if text:
                    try:
                        _time(text, CELL_WORDS[part])
                    except ValueError as error:
                        cell.invalid.add(part)
                        found.errors.append(f"{where}: {error}")
            row.append(cell)
        found.rows.append(row)
    return found
