"""Read a folder of saved ISU results pages into records: every race, every line and
every lap exactly as the pages print them, nothing dropped and nothing invented.

The folder (shaped like ``../shared/data/isu-results-2019-20``) holds

- ``round/``: one page per round of a distance at a competition
  (``<season>-<series>-<place>-<distance>-<w|m|x>-<round>.html``). From the page itself:
  the season and competition (event head "ISU World Cup 2019/20 - Dordrecht (NED)"), the
  gender and distance (the expanded entry "1000 m (1)" of the navigation under Ladies, Men
  or Mixed), the round (the selected tab, "Rep. Quarterfinals"), each race ("Heat 3") with
  its lines (Place, Start Pos., Warn. or the relay's skaters, #, Name with the ISU id of
  its Bio.aspx link, ISU Member, Results, Qual.) and the legend under the round (its
  progression text, or a note such as "this round has been cancelled"). The file name is
  only checked against the page.
- ``split/``: one page per race (``<round page name>-race_<n>-splits.html``), a column per
  skater (relays: per team, by the team's printed name) and a row per lap: the position
  "[2]", the elapsed time and "(the lap time)". A cell the timing left empty, or an elapsed
  or lap time it did not print, is ``None`` at that lap in ``lap_positions``,
  ``lap_elapsed_ms`` and ``laps_ms`` (which are as long as the laps the column prints,
  counted to its last printed lap), so every printed figure stays at its lap; laps go by
  their printed number (one page prints its table twice, laps 1-5 and 10-14: 14 laps).
  Every column must be a line of the race (matched by name in either order); a line the
  page prints no column for (DNS, PEN, 'no time', once a finisher) has no laps.
- ``calendar.csv``: the competitions (number, city, country, venue, time zone, dates) the
  pages do not carry, matched to the pages by ``file_tag`` ("Dordrecht(NED)").

Anything a page does not say the way this reader understands becomes an ``InputError``
naming file, line (of the HTML), field and reason, and none of that round's records are
kept; a page is never half read. ``read_folder`` is the entry point; ``is_results_folder``
tells such a folder apart (``reading.read_paths`` asks it). A whole season is read on two
processes (``_Worker``): html.parser is most of the time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from html.parser import HTMLParser
from pathlib import Path

from shorttrack.interchange.formats import (
    QUALIFICATION_MARKS,
    STATUS_MARKS,
    parse_date,
    parse_number,
    parse_time_zone,
)
from shorttrack.interchange.names import (
    check_member_code,
    full_name_key,
    name_key,
    sheet_name,
    split_printed_name,
)
from shorttrack.interchange.records import (
    CompetitionRecord,
    DistanceRaceRecord,
    InputError,
    InputFile,
    RaceLineRecord,
    Records,
    RoundRecord,
    SeasonRecord,
    SkaterRecord,
)
from shorttrack.rules.distances import Distance, Gender, find_distance
from shorttrack.rules.ranking import RoundKind, Status
from shorttrack.rules.times import parse_time

Progress = Callable[[str, int, int], None]
PROGRESS_LABEL = "reading ISU pages"

ROUND_FOLDER = "round"
SPLIT_FOLDER = "split"
CALENDAR = "calendar.csv"
CALENDAR_HEADER = (
    "competition",
    "city",
    "country",
    "venue",
    "time_zone",
    "start_date",
    "end_date",
    "file_tag",
)
# A saved results page is some 50 kB; anything far larger is not one.
LARGEST_PAGE = 8 * 1024 * 1024

# A whole season's folder is read on two processes; a few pages are read in this one.
PARALLEL_FROM = 40
LONGEST_RACE_LAPS = 100  # a 5000 m relay is 45
LEADER_LEGEND = "Yellow highlighting marks World Cup leader."
RECORD_MARKS = ("WR", "WJR", "OR", "TR")  # printed after a time: '41.xxx WR'
NO_TIME = "no time"

_ROUND_FILE = re.compile(
    r"^(?P<season>\d{4}-\d{4})-(?P<series>[^-]+)-(?P<place>[^-]+)-"
    r"(?P<distance>\d+m(?:Relay)?(?:\(\d\))?)-(?P<gender>[wmx])-(?P<round>[A-Za-z.]+)\.html$"
)
_SPLIT_FILE = re.compile(r"^(?P<stem>.+)-race_(?P<race>\d+)-splits\.html$")
_EVENT = re.compile(r"^(?P<series>.*?(?P<season>\d{4}/\d{2}))\s+-\s+(?P<place>.+)$")
_DISTANCE = re.compile(r"^(?P<metres>\d+)\s*m(?P<relay>\s+Relay)?(?:\s*\((?P<instance>\d)\))?$")
_RACE_ID = re.compile(r"^race(\d+)$")
_RACE_TITLE = re.compile(r"^[A-Za-z. ]+\s(\d+)$")
_RAC = re.compile(r"[?&]rac=(\d+)")
_ATHLETE = re.compile(r"[?&]ath=(\d+)")
_RESULT = re.compile(r"^(?P<time>\d+(?::\d+)?\.\d+)(?:\s+(?P<record>[A-Z]{2,3}))?$")
_TEAM = re.compile(r"^(?P<member>[A-Z]{3})(?:\s+(?P<number>\d))?$")
# '[2] 1:02.33 (9.17)': position, elapsed time, lap time (either time may be missing)
_LAP_CELL = re.compile(
    r"^\[(\d+)\]\s*(?:(?:(\d{1,2}):)?(\d{1,2})\.(\d{1,3}))?\s*\((?:(?:(\d{1,2}):)?(\d{1,2})\.(\d{1,3}))?\)$",
    re.ASCII,
)
# Attributes this reader never looks at, and the coloured span around a lap position:
# taken out before parsing (a regular expression is far faster than the parser at it);
# newlines stay, so line numbers stay.
_NOISE = re.compile(
    r'\s(?:style|valign|scope|cellspacing|cellpadding|align|border|target|width)="[^"\n]*"'
)
_POSITION_SPAN = re.compile(r"<span>(\[\d+\])</span>")
_ROW_CLASSES = ("tablecoleven", "tablecolodd", "leader")
_MARKED = frozenset(("div", "span", "tr"))
_VOID = frozenset(("br", "img", "input", "meta", "link", "hr", "col", "area", "base", "wbr"))


# -- a tolerant tree of a page ---------------------------------------------------------


class _Element:
    __slots__ = ("tag", "attrs", "children", "line")

    def __init__(self, tag: str, attrs: dict[str, str | None], line: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Element | str] = []
        self.line = line

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()

    def iter(self) -> Iterator[_Element]:
        """This element and every element inside it, in document order (no recursion:
        a hostile page may nest deeper than Python's stack)."""
        stack: list[_Element] = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(c for c in reversed(element.children) if isinstance(c, _Element))

    def text(self) -> str:
        children = self.children
        if len(children) == 1 and isinstance(children[0], str):
            return " ".join(children[0].split())
        parts: list[str] = []
        stack: list[_Element | str] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                parts.append(node)
            else:
                stack.extend(reversed(node.children))
        return " ".join(" ".join(parts).split())

    def elements(self, tag: str) -> list[_Element]:
        """The child elements with this tag."""
        return [c for c in self.children if isinstance(c, _Element) and c.tag == tag]


class _TreeBuilder(HTMLParser):
    """Builds the tree whatever the markup: an end tag closes the nearest open element of
    its name, a stray end tag is ignored, what is left open at the end is closed. The open
    elements are counted by tag, so a stray end tag costs nothing and no page, however it
    nests, costs more than its elements (an end tag pops what it searches past)."""

    def __init__(self, line_offset: int) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#document", {}, line_offset)
        self.stack = [self.root]
        self.open: dict[str, int] = {}  # tag -> elements of it in the stack
        self.marked: list[_Element] = []  # the divs, spans and rows, in document order
        self.first_line = line_offset

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, dict(attrs), self.getpos()[0] + self.first_line)
        self.stack[-1].children.append(element)
        if tag in _MARKED:
            self.marked.append(element)
        if tag not in _VOID:
            self.stack.append(element)
            self.open[tag] = self.open.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(
            _Element(tag, dict(attrs), self.getpos()[0] + self.first_line)
        )

    def handle_endtag(self, tag: str) -> None:
        if not self.open.get(tag):
            return
        while True:
            element = self.stack.pop()
            self.open[element.tag] -= 1
            if element.tag == tag:
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


class PageError(Exception):
    """What makes a page unreadable: its line, field and reason."""

    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.line, self.field, self.reason = line, field, reason


FOOTER = '<div id="footer">'
CONTENT = '<div id="contentrightlarge">'
EVENT_LINE = '<div id="eventline">'
NAVIGATION = '<div id="navileft">'
NAVI_GROUP = '<div class="navilevel0"'
NAVI_SELECTED = "naviexpanded1"


def _tree(text: str, *, navigation: bool) -> list[_Element]:
    """The divs, spans and rows, in document order, of what the reader needs of a page:
    its content up to the footer and, for a round page, the event head and the part of
    the navigation with the selected distance (the rest of a page is the site's menus,
    scripts and lists of seasons, most of its bytes). Each part is parsed on its own into
    a tree; lines are the file's."""
    content = text.find(CONTENT)
    if content < 0:
        raise PageError(1, "page", "not an ISU results page: no results content")
    end = text.find(FOOTER, content)
    if end < 0:
        line = text.count("\n") + 1
        raise PageError(line, "page", "the page ends before its footer: truncated?")
    parts = [(content, end)]
    if navigation:
        head = text.find(EVENT_LINE, 0, content)
        nav = text.find(NAVIGATION, head if head >= 0 else 0, content)
        if head < 0 or nav < 0:
            raise PageError(1, "page", "not an ISU round page: no event head or navigation")
        parts.insert(0, (head, nav))
        selected = text.find(NAVI_SELECTED, nav, content)
        if selected >= 0:
            group = text.rfind(NAVI_GROUP, nav, selected)
            after = text.find(NAVI_GROUP, selected, content)
            parts.insert(1, (group if group >= 0 else nav, after if after >= 0 else content))
    marked: list[_Element] = []
    for start, stop in parts:
        builder = _TreeBuilder(text.count("\n", 0, start))
        builder.feed(_POSITION_SPAN.sub(r"\1", _NOISE.sub("", text[start:stop])))
        builder.close()
        marked += builder.marked
    return marked


# -- what a round page prints -----------------------------------------------------------


@dataclass
class _Row:
    line: int
    cells: dict[str, str]  # header -> text
    name_link: str  # the ath= of the Name column's link
    team_members: list[tuple[str, str, int]]  # (printed name, ath, line) of a relay line


@dataclass
class _Race:
    number: int
    line: int
    splits_rac: int | None
    header: list[str] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)


@dataclass
class _RoundPage:
    event: str = ""
    event_line: int = 0
    group: str = ""  # Ladies, Men, Mixed
    distance_text: str = ""
    distance_line: int = 0
    round_text: str = ""
    round_line: int = 0
    nav_round: str = ""
    races: list[_Race] = field(default_factory=list)
    legend: list[tuple[int, str]] = field(default_factory=list)
    legend_line: int = 0


def _read_round_tree(marked: list[_Element]) -> _RoundPage:
    page = _RoundPage()
    group = ""
    race: _Race | None = None
    in_tabs = False
    for element in marked:
        tag = element.tag
        if tag == "span" and element.has_class("eventhead") and not page.event:
            page.event, page.event_line = element.text(), element.line
        elif tag == "div":
            classes = (element.attrs.get("class") or "").split()
            if "navilevel0" in classes:
                group = element.text()
            elif "naviexpanded1" in classes:
                if page.distance_text:
                    raise PageError(
                        element.line, "distance", "two distances selected in the navigation"
                    )
                page.group, page.distance_text, page.distance_line = (
                    group,
                    element.text(),
                    element.line,
                )
            elif "naviselected3" in classes:
                page.nav_round = element.text()
            elif element.attrs.get("id") == "heattabs":
                in_tabs = True
            elif "tabbuttonsel" in classes and in_tabs and not page.round_text:
                page.round_text, page.round_line = element.text(), element.line
            elif "legend" in classes:
                page.legend_line = element.line
                page.legend += [(p.line, p.text()) for p in element.elements("p") if p.text()]
            elif "tabletitle" in classes:
                race = _race_title(element)
                page.races.append(race)
        elif tag == "tr":
            classes = (element.attrs.get("class") or "").split()
            if "tablehead" in classes:
                if race is None:
                    raise PageError(
                        element.line, "race", "a table of results before any race title"
                    )
                race.header = [th.text() for th in element.elements("th")]
            elif any(c in classes for c in _ROW_CLASSES):
                if race is None or not race.header:
                    raise PageError(element.line, "race", "a result line outside a race's table")
                race.rows.append(_row(element, race.header))
    return page


def _race_title(element: _Element) -> _Race:
    match = _RACE_ID.match(element.attrs.get("id") or "")
    bold = next((e for e in element.iter() if e.tag == "b"), None)
    title = bold.text() if bold is not None else ""
    number = _RACE_TITLE.match(title)
    if not match or not number:
        raise PageError(element.line, "race", f"race title {title!r}: expected 'Heat 1'")
    if int(match[1]) != int(number[1]):
        raise PageError(element.line, "race", f"race title {title!r} in the box of race {match[1]}")
    rac = None
    for link in element.iter():
        if link.tag == "a" and link.text() == "[Splits]":
            found = _RAC.search(link.attrs.get("href") or "")
            rac = int(found[1]) if found else None
    if rac is not None and rac != int(number[1]):
        raise PageError(element.line, "race", f"{title}: its [Splits] link is of race {rac}")
    return _Race(int(number[1]), element.line, rac)


def _row(element: _Element, header: list[str]) -> _Row:
    cells = element.elements("td")
    if len(cells) != len(header):
        raise PageError(
            element.line, "line", f"{len(cells)} cells in a table of {len(header)} columns"
        )
    row = _Row(element.line, {}, "", [])
    for column, cell in zip(header, cells, strict=True):
        row.cells[column] = cell.text()
        for link in cell.iter():
            if link.tag != "a":
                continue
            ath = _ATHLETE.search(link.attrs.get("href") or "")
            if column == "Name" and ath:
                row.name_link = ath[1]
            elif link.has_class("teamMember"):
                row.team_members.append((link.text(), ath[1] if ath else "", link.line))
    return row


# -- what a split page prints -----------------------------------------------------------


@dataclass
class _Column:
    name: str
    positions: list[int | None]
    elapsed: list[int | None]
    laps: list[int | None]


@dataclass
class _SplitPage:
    title: str
    line: int
    columns: list[_Column]
    cells: int  # printed lap cells


def _read_split_tree(marked: list[_Element]) -> _SplitPage:
    title, title_line = "", 0
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    for element in marked:
        if element.tag == "div" and element.has_class("tabletitle") and not title:
            title, title_line = element.text(), element.line
        elif element.tag == "tr":
            if element.has_class("tablehead"):
                if header is not None:
                    raise PageError(element.line, "splits", "two tables of splits on one page")
                header = [th.text() for th in element.elements("th")]
                header_line = element.line
            elif any(element.has_class(c) for c in _ROW_CLASSES):
                rows.append((element.line, [td.text() for td in element.elements("td")]))
    if header is None:
        raise PageError(title_line or 1, "splits", "no table of splits")
    names = header[1:]
    columns = [_Column(name, [], [], []) for name in names]
    if len(set(map(name_key, names))) != len(names):
        raise PageError(header_line, "splits", f"a column named twice: {', '.join(names)}")
    cells = 0
    lap = 0
    once = _printed_once(list(_printed_rows(rows, len(names))))
    for line, texts in once:
        # Laps by their printed number: rows left blank (a lap number skipped) are laps
        # with nothing printed, None in every column.
        if not (texts[0].isascii() and texts[0].isdigit()) or int(texts[0]) <= lap:
            raise PageError(line, "lap", f"lap {texts[0]!r} after lap {lap}")
        if int(texts[0]) > LONGEST_RACE_LAPS:
            raise PageError(line, "lap", f"lap {texts[0]}: no race has {LONGEST_RACE_LAPS} laps")
        for _ in range(int(texts[0]) - lap - 1):
            for column in columns:
                for values in (column.positions, column.elapsed, column.laps):
                    values.append(None)
        lap = int(texts[0])
        for column, text in zip(columns, texts[1:], strict=True):
            position = elapsed = lap_ms = None
            if text:
                match = _LAP_CELL.match(text)
                if not match:
                    raise PageError(
                        line,
                        "splits",
                        f"{column.name}, lap {lap}: {text!r} is not '[2] 22.63 (9.79)'",
                    )
                minutes, seconds, fraction = match[2], match[3], match[4]
                position = int(match[1])  # [0] too: as the timing printed it
                try:
                    elapsed = _ms(minutes, seconds, fraction) if seconds else None
                    lap_ms = _ms(match[5], match[6], match[7]) if match[6] else None
                except ValueError as error:
                    raise PageError(line, "splits", f"{column.name}, lap {lap}: {error}") from None
                cells += 1
            column.positions.append(position)
            column.elapsed.append(elapsed)
            column.laps.append(lap_ms)
    if len(once) < len(rows):
        _keep_lap_times_that_agree(columns)
    for column in columns:  # count to the column's last printed lap
        while column.positions and column.positions[-1] is None:
            for values in (column.positions, column.elapsed, column.laps):
                values.pop()
    return _SplitPage(title, title_line, columns, cells)


def _ms(minutes: str | None, seconds: str, fraction: str) -> int:
    """('1', '02', '33') -> 62330: a time of a split cell (what rules.times.parse_time
    reads, taken apart by the cell's pattern already: 120,000 of them in a season)."""
    if int(seconds) >= 60:
        raise ValueError(f"{seconds} seconds: a minute and more is written 1:02.33")
    whole = int(minutes or 0) * 60 + int(seconds)
    return whole * 1000 + int(fraction) * 10 ** (3 - len(fraction))


def _lap_part(text: str) -> str:
    """A split cell without its elapsed time: '[2] 22.63 (9.79)' -> '[2] (9.79)'."""
    match = _LAP_CELL.match(text)
    return f"[{match[1]}] {match[5] or ''}:{match[6] or ''}.{match[7] or ''}" if match else text


def _printed_once(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The rows of a race, its table read once where the page printed it twice.

    One page of 2019/20 (Dresden, women's 500 m heat 1) prints laps 1-5, then as laps 10-14
    the same positions and lap times again, with elapsed times summed from the lap times:
    the race printed twice, not a race of 14 laps. A second block after a jump in the lap
    numbers that repeats the first block's positions and lap times cell for cell is that;
    anything else is read as printed (and the lap checks judge it)."""
    numbers = [int(t[0]) if t[0].isascii() and t[0].isdigit() else None for _, t in rows]
    for cut in range(1, len(rows)):
        if None in numbers[cut - 1 : cut + 1] or numbers[cut] <= numbers[cut - 1] + 1:
            continue
        first, second = rows[:cut], rows[cut:]
        if len(first) == len(second) and all(
            [_lap_part(c) for c in a[1:]] == [_lap_part(c) for c in b[1:]]
            for (_, a), (_, b) in zip(first, second, strict=True)
        ):
            return first
    return rows


# A lap time and the elapsed times around it, both cut to 1/100 s, differ by less.
_CUT_MS = 10


def _keep_lap_times_that_agree(columns: list[_Column]) -> None:
    """In a table printed twice the lap times are the second printing's (their sums are its
    elapsed times) while the first printing's elapsed times end at the finish: a lap time
    that contradicts the first printing's elapsed times is no figure of that race and is
    left unrecorded (None); positions and elapsed times stay as printed."""
    for column in columns:
        before = 0
        for k, (lap, elapsed) in enumerate(zip(column.laps, column.elapsed, strict=True)):
            if elapsed is None:
                before = None
                continue
            if lap is not None and before is not None and abs(elapsed - before - lap) >= _CUT_MS:
                column.laps[k] = None
            before = elapsed


def _printed_rows(
    rows: list[tuple[int, list[str]]], columns: int
) -> Iterator[tuple[int, list[str]]]:
    for line, texts in rows:
        if not any(texts):
            continue  # a row with nothing printed in it (a race without splits)
        if len(texts) != columns + 1:
            raise PageError(
                line, "splits", f"{len(texts)} cells in a table of {columns + 1} columns"
            )
        yield line, texts


# -- from pages to records --------------------------------------------------------------


@dataclass
class _Calendar:
    by_tag: dict[str, CompetitionRecord]
    by_city: dict[str, CompetitionRecord]


@dataclass
class _Seen:
    """A skater as the lines give them, before a gender is known for everyone."""

    isu_id: str
    given: str
    family: str
    member: str
    genders: set[str]
    file: str
    line: int


@dataclass
class _Line:
    """A line read from a round page: its record, the skaters it names as (ISU id, given
    name, family name, HTML line), and what its split column may be named."""

    record: RaceLineRecord
    people: list[tuple[str, str, str, int]]
    keys: tuple[str, ...]


class _Reader:
    def __init__(self, folder: Path, progress: Progress | None) -> None:
        self.folder = folder
        self.progress = progress
        self.records = Records()
        self.season = ""
        self.season_at: tuple[str, int] = ("", 0)
        self.skaters: dict[object, _Seen] = {}
        self.distance_races: dict[tuple[int, str, int | None], DistanceRaceRecord] = {}
        self.calendar: _Calendar | None = None

    def error(self, file: Path | str, line: int, field: str, reason: str) -> None:
        self.records.errors.append(InputError(str(file), line, field, reason))

    def read(self) -> Records:
        round_pages = _html_files(self.folder / ROUND_FOLDER, self)
        split_pages = _html_files(self.folder / SPLIT_FOLDER, self)
        splits_of: dict[str, dict[int, Path]] = {}
        for path in split_pages:
            match = _SPLIT_FILE.match(path.name)
            if not match:
                self.error(path, 0, "file", "not named <round page>-race_<n>-splits.html")
                continue
            splits_of.setdefault(match["stem"], {})[int(match["race"])] = path
        stems = {path.stem for path in round_pages}
        for stem, races in sorted(splits_of.items()):
            if stem not in stems:
                for path in races.values():
                    self.error(
                        path,
                        0,
                        "file",
                        f"split page of a round with no page in round/ ({stem}.html)",
                    )
        calendar = self.read_calendar()
        self.calendar = calendar
        total = len(round_pages) + len(split_pages) + 1
        done = 1
        self.report(done, total)
        jobs = [(path, splits_of.get(path.stem, {})) for path in round_pages]
        for (_, splits), unit in zip(jobs, _read_units(jobs, calendar), strict=True):
            self.merge(unit)
            done += 1 + len(splits)
            self.report(done, total)
        self.finish()
        return self.records

    def report(self, done: int, total: int) -> None:
        if self.progress:
            self.progress(PROGRESS_LABEL, done, total)

    # -- calendar.csv

    def read_calendar(self) -> _Calendar | None:
        path = self.folder / CALENDAR
        data = _read_bytes(path, self)
        if data is None:
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.error(path, 1, "file", f"not UTF-8 text ({error.reason})")
            return None
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error as error:
            self.error(path, 0, "file", f"not a CSV file: {error}")
            return None
        if not rows or tuple(c.strip() for c in rows[0]) != CALENDAR_HEADER:
            self.error(path, 1, "header", f"expected the columns {','.join(CALENDAR_HEADER)}")
            return None
        calendar = _Calendar({}, {})
        for line, cells in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(CALENDAR_HEADER):
                self.error(
                    path,
                    line,
                    "columns",
                    f"{len(cells)} columns where the header has {len(CALENDAR_HEADER)}",
                )
                continue
            row = dict(zip(CALENDAR_HEADER, (c.strip() for c in cells), strict=True))
            try:
                competition = CompetitionRecord(
                    season="",  # the season is the pages'
                    number=_field("competition", row, parse_number),
                    city=row["city"],
                    country=_field("country", row, check_member_code),
                    venue=row["venue"],
                    time_zone=_field("time_zone", row, parse_time_zone),
                    start_date=_field("start_date", row, parse_date),
                    end_date=_field("end_date", row, parse_date),
                    file=str(path),
                    line=line,
                )
            except _FieldError as error:
                self.error(path, line, error.field, error.reason)
                continue
            tag = re.sub(r"\s+", "", row["file_tag"])
            if tag in calendar.by_tag:
                self.error(path, line, "file_tag", f"{row['file_tag']!r} is on two lines")
                continue
            calendar.by_tag[tag] = competition
            calendar.by_city[name_key(row["city"])] = competition
        return calendar

    # -- a round page and its split pages

    def merge(self, unit: _Unit) -> None:
        records = unit.records
        if unit.season and self.season and unit.season != self.season:
            self.error(
                records.rounds[0].file,
                unit.season_line,
                "season",
                f"season {unit.season}, where the other pages are of {self.season}",
            )
            self.records.files += records.files
            return
        self.records.extend(records)
        if records.errors or not unit.season:
            return
        if not self.season:
            self.season, self.season_at = unit.season, (records.rounds[0].file, unit.season_line)
        race = unit.distance_race
        key = (race.competition, race.distance, race.instance)
        self.distance_races.setdefault(key, race)
        for line in unit.lines:
            self.note_skaters(line, unit.distance)

    # -- skaters

    def note_skaters(self, line: _Line, distance: Distance) -> None:
        gender = "" if distance.mixed else distance.gender.value
        record = line.record
        for isu_id, given, family, html_line in line.people:
            key: object = isu_id or (record.member, full_name_key(family, given))
            seen = self.skaters.get(key)
            if seen is None:
                seen = _Seen(isu_id, given, family, record.member, set(), record.file, html_line)
                self.skaters[key] = seen
            if gender:
                seen.genders.add(gender)

    def finish(self) -> None:
        if self.season:
            file, line = self.season_at
            self.records.seasons.append(SeasonRecord(self.season, "", "", file, line))
        if self.calendar is not None:  # its rows take the pages' season
            self.records.competitions += [
                replace(c, season=self.season) for c in self.calendar.by_tag.values()
            ]
        self.records.distance_races += self.distance_races.values()
        self.records.race_lines = _official_by_the_end(
            self.records.race_lines, self.records.competitions
        )
        for seen in self.skaters.values():
            who = f"{seen.family} {seen.given} ({seen.member}{', ISU id ' + seen.isu_id if seen.isu_id else ''})"
            if len(seen.genders) != 1:
                reason = (
                    f"{who}: skates only in mixed relays in these pages, so women or men is not known"
                    if not seen.genders
                    else f"{who}: skates in both women's and men's races"
                )
                self.error(seen.file, seen.line, "gender", reason)
                continue
            self.records.skaters.append(
                SkaterRecord(
                    seen.isu_id,
                    seen.given,
                    seen.family,
                    next(iter(seen.genders)),
                    None,
                    seen.member,
                    seen.file,
                    seen.line,
                )
            )


# The pages print no time a result became official; the results site publishes official
# results, so each is official by the end of the competition's last day, local time.
OFFICIAL_BY = time(23, 59)


def _official_by_the_end(
    lines: list[RaceLineRecord], competitions: list[CompetitionRecord]
) -> list[RaceLineRecord]:
    ends = {c.number: datetime.combine(c.end_date, OFFICIAL_BY) for c in competitions}
    return [
        replace(line, official_at=ends[line.competition]) if line.competition in ends else line
        for line in lines
    ]


@dataclass
class _Unit:
    """What one round page and its split pages give: records (or the errors that stop
    them), the lines with their skaters, and what the page says about its season and
    distance race. Made apart from every other page, so pages may be read in parallel."""

    records: Records
    lines: list[_Line] = field(default_factory=list)
    season: str = ""
    season_line: int = 0
    distance_race: DistanceRaceRecord | None = None
    distance: Distance | None = None


def _read_unit(path: Path, splits: dict[int, Path], calendar: _Calendar | None) -> _Unit:
    unit = _Unit(Records())
    try:
        _read_round(path, splits, calendar, unit)
    except PageError as error:
        file = error.file if isinstance(error, _SplitError) else path
        unit.records.errors.append(InputError(str(file), error.line, error.field, error.reason))
    except Exception as error:  # noqa: BLE001 - a hostile page is an error, never a traceback
        unit.records.errors.append(InputError(str(path), 0, "page", f"cannot be read: {error!r}"))
    if unit.records.errors:  # a page is never half read
        kept = unit.records.files
        unit = _Unit(Records(errors=unit.records.errors, files=kept))
    return unit


def _read_units(
    jobs: list[tuple[Path, dict[int, Path]]], calendar: _Calendar | None
) -> Iterator[_Unit]:
    """The units of these round pages, in order, as each is read. When there are many, a
    second process (``_Worker``) reads every other one meanwhile: html.parser is most of
    the time, and pages are read apart from each other."""
    worker = None
    if len(jobs) >= PARALLEL_FROM and _spare_core():
        worker = _Worker.start(jobs[1::2], calendar)
    try:
        for i, (path, splits) in enumerate(jobs):
            if i % 2 and worker is not None:
                unit = worker.next_unit()
                if unit is not None:
                    yield unit
                    continue
                worker = None  # it failed: what it had left is read here
            yield _read_unit(path, splits, calendar)
    finally:
        if worker is not None:
            worker.close()


def _spare_core() -> bool:
    """Would a second process get a core of its own? Not when other work keeps the
    machine's cores busy (the last minute's load average): then the worker only shares
    this process's core, and its start and the pickling make the reading slower."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    return cores > 1 and load <= cores - 1


class _Worker:
    """A new interpreter (``python -m shorttrack.interchange.isu_results``) reading round
    pages: the jobs go in pickled on its stdin, a pickled ``_Unit`` per job comes back on
    its stdout, in order. Not a fork: forking a process that runs threads (a progress
    bar's, a server's) may deadlock the child; nor multiprocessing's spawn, which runs the
    caller's main module again. Anything wrong with it, and the caller reads the pages."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process

    @classmethod
    def start(cls, jobs: list[tuple[Path, dict[int, Path]]], calendar: _Calendar | None):
        if not sys.executable:
            return None
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            return None
        worker = cls(process)
        try:
            pickle.dump((jobs, calendar), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.close()
        except (OSError, pickle.PicklingError):
            worker.close()
            return None
        return worker

    def next_unit(self) -> _Unit | None:
        try:
            unit = pickle.load(self.process.stdout)
        except Exception:  # noqa: BLE001 - it died, or wrote something else: read here
            self.close()
            return None
        return unit if isinstance(unit, _Unit) else None

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.process.stdout.close()


def _worker_main() -> None:
    """The worker's side of ``_Worker``."""
    jobs, calendar = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    for path, splits in jobs:
        pickle.dump(_read_unit(path, splits, calendar), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


def _read_round(
    path: Path, splits: dict[int, Path], calendar: _Calendar | None, unit: _Unit
) -> None:
    text = _page_text(path, unit.records)
    if text is None:
        return
    page = _read_round_tree(_tree(text, navigation=True))
    event = _EVENT.match(page.event)
    if not event:
        raise PageError(
            page.event_line or 1,
            "competition",
            f"event head {page.event!r}: expected 'ISU World Cup 2019/20 - Dordrecht (NED)'",
        )
    season = event["season"]
    distance, instance = _page_distance(page)
    try:
        round_kind = RoundKind.parse(page.round_text)
    except ValueError as error:
        raise PageError(page.round_line or 1, "round", str(error)) from None
    if page.nav_round and _letters(page.nav_round) != _letters(page.round_text):
        raise PageError(
            page.round_line,
            "round",
            f"tab {page.round_text!r} but navigation {page.nav_round!r}",
        )
    _check_file_name(path, event["place"], distance, instance, page.round_text)
    competition = _competition(calendar, event["place"], page.event_line)

    progression = " ".join(
        t for _, t in page.legend if t != LEADER_LEGEND and "qualif" in t.lower()
    )
    note = " ".join(t for _, t in page.legend if t != LEADER_LEGEND and "qualif" not in t.lower())
    unit.records.rounds.append(
        RoundRecord(
            season,
            competition.number,
            distance.key,
            instance,
            round_kind,
            progression,
            note,
            str(path),
            page.legend_line or page.round_line,
        )
    )
    numbers = [race.number for race in page.races]
    if len(set(numbers)) != len(numbers):
        raise PageError(page.round_line, "race", f"a race number twice: {numbers}")
    for number, split_path in sorted(splits.items()):
        if number not in numbers:
            raise _SplitError(
                split_path,
                0,
                "race",
                f"a split page of race {number}, which {path.name} does not hold",
            )
    lines: list[_Line] = []
    for race in page.races:
        race_lines = [
            _race_line(row, race, path, season, competition.number, distance, instance, round_kind)
            for row in race.rows
        ]
        race_lines = _dead_heats(race_lines)
        if race.number in splits:
            race_lines = _add_splits(splits[race.number], race_lines, page, unit.records)
        lines += race_lines
    unit.records.race_lines += [line.record for line in lines]
    unit.lines = lines
    unit.season, unit.season_line, unit.distance = season, page.event_line, distance
    unit.distance_race = DistanceRaceRecord(
        season, competition.number, distance.key, instance, None, str(path), page.distance_line
    )


def _race_line(
    row: _Row,
    race: _Race,
    path: Path,
    season: str,
    competition: int,
    distance: Distance,
    instance: int | None,
    round_kind: RoundKind,
) -> _Line:
    cells = row.cells
    wanted = ("Place", "Start Pos.", "#", "Name", "ISU Member", "Results", "Qual.")
    wanted += ("Relay Team",) if distance.relay else ("Warn.",)
    missing = [c for c in wanted if c not in cells]
    if missing:
        raise PageError(
            row.line, "columns", f"no column {', '.join(missing)} for a {distance.short_label}"
        )

    def error(field: str, reason: str) -> PageError:
        return PageError(row.line, field, reason)

    place_text = cells["Place"]
    status = Status.FINISHED
    place = None
    if place_text in STATUS_MARKS:
        status = Status(place_text)
    elif place_text:
        try:
            place = parse_number(place_text)
        except ValueError as e:
            raise error("place", str(e)) from None
    time_ms = None
    result = cells["Results"]
    if result in STATUS_MARKS:
        if status is not Status(result):
            raise error("time", f"result {result} on a line placed {place_text or 'blank'}")
    elif result and result != NO_TIME:
        match = _RESULT.match(result)
        if not match or (match["record"] and match["record"] not in RECORD_MARKS):
            raise error("time", f"{result!r} is not a time such as 1:29.318, 'no time' or a status")
        try:
            time_ms = parse_time(match["time"])
        except ValueError as e:
            raise error("time", str(e)) from None
    if status is not Status.FINISHED and result not in STATUS_MARKS:
        raise error("time", f"result {result!r} on a line placed {place_text}")
    if status is Status.FINISHED and place is None:
        raise error("place", "blank: a line without a status has a place")
    mark = cells["Qual."]
    if mark and mark not in QUALIFICATION_MARKS:
        raise error(
            "mark", f"unknown mark {mark!r}: expected one of {', '.join(QUALIFICATION_MARKS)}"
        )
    try:
        start_position = parse_number(cells["Start Pos."]) if cells["Start Pos."] else None
        helmet = parse_number(cells["#"]) if cells["#"] else None
    except ValueError as e:
        raise error("start_position" if "Start" in str(e) else "helmet", str(e)) from None
    member_text = cells["ISU Member"]
    team_match = _TEAM.match(member_text)
    if not team_match:
        raise error(
            "member", f"member code {member_text!r} is not three capital letters, as in NED"
        )
    member = team_match["member"]
    name, isu_id, team = "", "", ""
    skaters: tuple[str, ...] = ()
    skater_ids: tuple[str, ...] = ()
    people: list[tuple[str, str, str, int]] = []
    if distance.relay:
        number = team_match["number"] or _team_number(cells["Name"])
        team = f"{member} {number}" if number else member
        keys = (name_key(cells["Name"]),)
        printed = []
        for text, ath, line in row.team_members:
            try:
                given, family = split_printed_name(text)
            except ValueError as e:
                raise PageError(line, "skaters", str(e)) from None
            printed.append(sheet_name(family, given))
            people.append((ath, given, family, line))
        skaters = tuple(printed)
        skater_ids = tuple(ath for _, ath, _ in row.team_members)
        if any(skater_ids) and not all(skater_ids):
            raise error("skaters", "some skaters of the team have an ISU id and some none")
        if not any(skater_ids):
            skater_ids = ()
    else:
        if team_match["number"]:
            raise error("member", f"{member_text!r}: a team on an individual line")
        try:
            given, family = split_printed_name(cells["Name"])
        except ValueError as e:
            raise error("name", str(e)) from None
        name, isu_id = sheet_name(family, given), row.name_link
        people.append((isu_id, given, family, row.line))
        keys = (name_key(cells["Name"]), name_key(name))
    record = RaceLineRecord(
        season=season,
        competition=competition,
        distance=distance.key,
        instance=instance,
        round=round_kind,
        race_no=race.number,
        official_at=None,
        place=place,
        start_position=start_position,
        warnings=cells.get("Warn.", ""),
        helmet=helmet,
        name=name,
        isu_id=isu_id,
        member=member,
        team=team,
        skaters=skaters,
        time_ms=time_ms,
        status=status,
        mark=mark,
        laps_ms=(),
        dead_heat=False,
        file=str(path),
        line=row.line,
        skater_isu_ids=skater_ids,
    )
    return _Line(record, people, keys)


def _add_splits(
    path: Path,
    lines: list[_Line],
    page: _RoundPage,
    unit: Records,
) -> list[_Line]:
    try:
        text = _page_text(path, unit)
        if text is None:
            raise _SplitError(path, 0, "file", "cannot be read")
        split = _read_split_tree(_tree(text, navigation=False))
    except PageError as error:
        raise _SplitError(path, error.line, error.field, error.reason) from None
    expected = " - ".join((page.event, page.distance_text, page.round_text, page.group))
    if " ".join(split.title.split()) != expected:
        raise _SplitError(
            path,
            split.line,
            "race",
            f"titled {split.title!r}, but its round page is {expected!r}",
        )
    if not split.columns:
        return lines  # the timing printed no splits for this race
    keys: dict[str, int] = {}
    for i, line in enumerate(lines):
        for key in line.keys:
            if key in keys and keys[key] != i:
                raise _SplitError(
                    path,
                    split.line,
                    "splits",
                    f"two lines of the race read {key!r}: which column is whose?",
                )
            keys[key] = i
    columns: dict[int, _Column] = {}
    for column in split.columns:
        i = next((keys[k] for k in _column_keys(column.name) if k in keys), None)
        if i is None:
            raise _SplitError(
                path,
                split.line,
                "splits",
                f"column {column.name!r} is no line of its race on the round page",
            )
        if i in columns:
            raise _SplitError(
                path,
                split.line,
                "splits",
                f"columns {columns[i].name!r} and {column.name!r} are one line",
            )
        columns[i] = column
    filled = []
    for i, line in enumerate(lines):
        column = columns.get(i)
        if column is None:
            # Not printed on the split page: lines without a time (DNS, PEN, DNF, YC,
            # 'no time'), and rarely a finisher the timing missed. Every column was
            # matched to a line above, so nothing printed is left out.
            filled.append(line)
            continue
        record = replace(
            line.record,
            laps_ms=tuple(column.laps),
            lap_elapsed_ms=tuple(column.elapsed),
            lap_positions=tuple(column.positions),
        )
        filled.append(replace(line, record=record))
    return filled


# The family name of a skater as the records keep it is the printed one ("de VRIES"); a
# line's ``name`` is ``sheet_name`` of it, as printed ("de VRIES Rianne").


class _FieldError(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


class _SplitError(PageError):
    def __init__(self, file: Path, line: int, field: str, reason: str) -> None:
        super().__init__(line, field, reason)
        self.file = file


def _field(name: str, row: dict[str, str], parse: Callable[[str], object]):
    try:
        return parse(row[name])
    except ValueError as error:
        raise _FieldError(name, str(error)) from None


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _team_number(team_name: str) -> str:
    """'NETHERLANDS 2' -> '2': a Member's second team in one distance."""
    match = re.search(r"\s(\d)$", team_name)
    return match[1] if match else ""


def _page_distance(page: _RoundPage) -> tuple[Distance, int | None]:
    line = page.distance_line or 1
    try:
        gender = Gender.parse(page.group)
    except ValueError:
        raise PageError(
            line, "gender", f"distance under {page.group!r}: expected Ladies, Men or Mixed"
        ) from None
    match = _DISTANCE.match(page.distance_text)
    if not match:
        raise PageError(
            line, "distance", f"{page.distance_text!r}: expected '1000 m (1)' or '3000 m Relay'"
        )
    try:
        distance = find_distance(gender, f"{match['metres']}m{' relay' if match['relay'] else ''}")
    except ValueError as error:
        raise PageError(line, "distance", str(error)) from None
    instance = int(match["instance"]) if match["instance"] else None
    if instance not in (None, 1, 2):
        raise PageError(
            line, "distance", f"{page.distance_text!r}: a distance is raced once or twice"
        )
    return distance, instance


def _check_file_name(
    path: Path, place: str, distance: Distance, instance: int | None, round_text: str
) -> None:
    match = _ROUND_FILE.match(path.name)
    if not match:
        return  # a page saved under another name: the page says what it is
    printed = f"{distance.metres}m{'Relay' if distance.relay else ''}{f'({instance})' if instance else ''}"
    problems = []
    if match["distance"] != printed:
        problems.append(f"distance {match['distance']} (the page: {printed})")
    if Gender.parse(match["gender"]) is not distance.gender:
        problems.append(f"gender {match['gender']} (the page: {distance.gender.value})")
    if _letters(match["round"]) != _letters(round_text):
        problems.append(f"round {match['round']} (the page: {round_text})")
    if match["place"] != re.sub(r"\s+", "", place):
        problems.append(f"competition {match['place']} (the page: {place})")
    if problems:
        raise PageError(1, "file name", "the file name says " + ", ".join(problems))


def _competition(calendar: _Calendar | None, place: str, line: int) -> CompetitionRecord:
    if calendar is None:
        raise PageError(line, "competition", f"{place}: no {CALENDAR} to give its number and dates")
    found = calendar.by_tag.get(re.sub(r"\s+", "", place))
    if found is None:
        city = re.split(r"[,(]", place, maxsplit=1)[0]
        found = calendar.by_city.get(name_key(city))
    if found is None:
        raise PageError(
            line, "competition", f"{place!r} is in no line of {CALENDAR} (file_tag or city)"
        )
    return found


def _column_keys(printed: str) -> list[str]:
    """A split column's name as printed ('Davide VISCARDI') and family name first."""
    keys = [name_key(printed)]
    try:
        given, family = split_printed_name(printed)
    except ValueError:
        return keys
    return keys + [name_key(sheet_name(family, given))]


def _dead_heats(lines: list[_Line]) -> list[_Line]:
    """A place printed twice in a race is a tie: both lines carry ``dead_heat``."""
    places = [line.record.place for line in lines if line.record.place is not None]
    shared = {p for p in places if places.count(p) > 1}
    return [
        replace(line, record=replace(line.record, dead_heat=True))
        if line.record.place in shared
        else line
        for line in lines
    ]


def _html_files(folder: Path, reader: _Reader) -> list[Path]:
    if not folder.is_dir():
        reader.error(folder, 0, "file", "no such folder")
        return []
    files = []
    try:
        listed = sorted(folder.iterdir())
    except OSError as error:
        reader.error(folder, 0, "file", f"cannot be read ({error.strerror})")
        return []
    for path in listed:
        if path.suffix.lower() != ".html":
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
            reader.error(path, 0, "file", "a link to outside the folder")
            continue
        files.append(path)
    return files


def _read_bytes(path: Path, records_or_reader) -> bytes | None:
    """The file's bytes, or None with an error: a folder, pipe or device is no page."""
    errors = (
        records_or_reader.records.errors
        if isinstance(records_or_reader, _Reader)
        else records_or_reader.errors
    )
    files = (
        records_or_reader.records.files
        if isinstance(records_or_reader, _Reader)
        else records_or_reader.files
    )
    try:
        status = path.stat()
    except OSError as error:
        errors.append(InputError(str(path), 0, "file", f"cannot be read ({error.strerror})"))
        return None
    if not stat.S_ISREG(status.st_mode):
        errors.append(InputError(str(path), 0, "file", "not a regular file"))
        return None
    if status.st_size > LARGEST_PAGE:
        errors.append(
            InputError(
                str(path), 0, "file", f"{status.st_size} bytes: larger than any results page"
            )
        )
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        errors.append(InputError(str(path), 0, "file", f"cannot be read ({error.strerror})"))
        return None
    files.append(InputFile(str(path), path.name, hashlib.sha256(data).hexdigest()))
    return data


def _page_text(path: Path, unit: Records) -> str | None:
    data = _read_bytes(path, unit)
    if data is None:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PageError(1, "file", f"not UTF-8 text ({error.reason})") from None


def is_results_folder(folder: Path) -> bool:
    """Is this a folder of saved ISU results pages (round/ and split/ holding .html pages)?"""
    rounds, splits = folder / ROUND_FOLDER, folder / SPLIT_FOLDER
    if not (rounds.is_dir() and splits.is_dir()):
        return False
    try:
        return any(p.suffix.lower() == ".html" for p in rounds.iterdir())
    except OSError:
        return False


def read_folder(folder: Path, progress: Progress | None = None) -> Records:
    """Every round page of ``folder/round`` with its split pages, and the calendar."""
    return _Reader(Path(folder), progress).read()


if __name__ == "__main__":
    # Run as ``python -m``: this file is ``__main__``; the worker's records must be of the
    # module's own classes, which the caller unpickles.
    from shorttrack.interchange.isu_results import _worker_main as worker_main

    worker_main()
