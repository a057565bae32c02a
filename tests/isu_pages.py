"""A small reader of the ISU results round pages of ../shared/data/isu-results-2019-20
(``round/*.html``), for tests that replay the real rounds: every race's lines (place,
name, ISU id, time, mark) and the progression text printed under the round.

A test helper, not the project's importer (``shorttrack.interchange`` is): a few regular
expressions over one page layout, enough to compare the project's advancement with what
the ISU printed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shorttrack.rules.ranking import RaceLine, RoundKind, Status
from shorttrack.rules.times import parse_time

# <season>-<competition>-<distance>-<gender>-<round>.html
_FILE = re.compile(
    r"^(?P<season>\d{4}-\d{4})-ISUWorldCup2019_20-(?P<competition>.+)-"
    r"(?P<distance>\d+m(?:Relay)?(?:\(\d\))?)-(?P<gender>[wmx])-(?P<round>[A-Za-z.]+)\.html$"
)
_ROUND_FILE_WORDS = {
    "Heats": RoundKind.HEATS,
    "Repechage": RoundKind.REPECHAGE,
    "Rep.Quarterfinals": RoundKind.REP_QUARTERFINALS,
    "Rep.Semifinals": RoundKind.REP_SEMIFINALS,
    "Quarterfinals": RoundKind.QUARTERFINALS,
    "Semifinals": RoundKind.SEMIFINALS,
    "FinalB": RoundKind.FINAL_B,
    "FinalA": RoundKind.FINAL_A,
}
_RACE = re.compile(r"<div id='race(\d+)' class=\"tabletitle\">(.*?)</table>", re.S)
# Result lines: "tablecoleven", "tablecolodd", and "leader" (the World Cup leader's line).
_ROW = re.compile(r"<tr class=\"(?:tablecoleven|tablecolodd|leader)\"[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
_ATHLETE = re.compile(r"ath=(\d+)")
_LEGEND = re.compile(r'class="legend">(.*?)</div>', re.S)
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TIME = re.compile(r"^\d+:\d{2}\.\d{3}$|^\d+\.\d{3}$")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@dataclass(frozen=True)
class PageLine:
    """One line of a race as printed: a skater, or a relay team (``name`` the team's)."""

    place: int | None
    name: str
    athlete: str  # the ISU id in the name's link ("ath=7218"); the team's for a relay
    member: str
    result: str  # as printed: "1:29.318", "41.936 WR", "PEN", "no time", ""
    mark: str  # the Qual. column: Q, q, QA, QB, qA, qB, ADV, ADA, ADB, or ""

    @property
    def time_ms(self) -> int | None:
        first = self.result.split(" ")[0] if self.result else ""
        return parse_time(first) if _TIME.match(first) else None

    @property
    def status(self) -> str:
        """FINISHED, or the word printed in the result column (PEN, DNF, DNS, YC...)."""
        if self.time_ms is not None:
            return "FINISHED"
        if not self.result or self.result.lower().startswith("no time"):
            return "NO TIME"
        return self.result.split(" ")[0].upper()

    def race_line(self) -> RaceLine:
        """The line as the rules core takes it: "no time" is a finish without a time (those
        skaters are placed and go on to the repechage); ADV, ADA and ADB are the referee's
        advancement (``advanced``), ADB into Final B (``advanced_to``)."""
        status = {"FINISHED": Status.FINISHED, "NO TIME": Status.FINISHED}.get(self.status)
        return RaceLine(
            self.athlete or self.name,
            self.place,
            self.time_ms,
            status or Status(self.status),
            advanced=self.mark in ("ADV", "ADA", "ADB"),
            advanced_to=RoundKind.FINAL_B if self.mark == "ADB" else None,
        )


@dataclass(frozen=True)
class RoundPage:
    path: Path
    competition: str  # "Dordrecht(NED)" as in the file name
    distance: str  # "1000m(1)", "3000mRelay"
    gender: str  # w, m, x
    kind: RoundKind
    races: tuple[tuple[PageLine, ...], ...]
    progression: str  # the legend text, one line; "" when none is printed

    @property
    def event(self) -> tuple[str, str, str]:
        """The distance at one competition this round belongs to."""
        return (self.competition, self.distance, self.gender)

    @property
    def relay(self) -> bool:
        return "Relay" in self.distance

    @property
    def name(self) -> str:
        return f"{self.competition} {self.distance} {self.gender} {self.kind.label}"


def read_page(path: Path) -> RoundPage:
    match = _FILE.match(path.name)
    if match is None:
        raise ValueError(f"not a round page name: {path.name}")
    text = path.read_text(encoding="utf-8")
    races = []
    for _number, body in _RACE.findall(text):
        lines = []
        for row in _ROW.findall(body):
            cells = _CELL.findall(row)
            place = _text(cells[0])
            athlete = _ATHLETE.search(cells[4])
            lines.append(
                PageLine(
                    int(place) if place.isdigit() else None,
                    _text(cells[4]),
                    athlete.group(1) if athlete else "",
                    _text(cells[5]),
                    _text(cells[6]),
                    _text(cells[8]),
                )
            )
        races.append(tuple(lines))
    legend = _LEGEND.search(text)
    paragraphs = [_text(p) for p in _PARAGRAPH.findall(legend.group(1))] if legend else []
    return RoundPage(
        path,
        match["competition"],
        match["distance"],
        match["gender"],
        _ROUND_FILE_WORDS[match["round"]],
        tuple(races),
        " ".join(p for p in paragraphs if p),
    )


@cache
def read_pages(folder: Path) -> tuple[RoundPage, ...]:
    """Every round page of the folder (``.../isu-results-2019-20``), in file-name order."""
    return tuple(read_page(path) for path in sorted((folder / "round").glob("*.html")))
