"""Start lists and result sheets of races as PDF, to print at the rink (WeasyPrint).

The columns are those of ISU sheets: a start list gives start position, helmet, name and
ISU Member; a result sheet gives place, start position, warnings, helmet, name, ISU
Member, time and mark (Q, q, QA, QB, ADV, ADA, ADB; PEN, YC, RC, DNF, DNS). Names are
written as ISU sheets write them, "PARK Ji-won", and relay teams with their skaters in
order.

Each race carries a QR code (segno) to its public page, where the result appears once it
is official. A result sheet printed before then says UNOFFICIAL in its title and on
every page: the public page never shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import segno
from django.template.loader import render_to_string

from shorttrack.rules.progression import start_list_label
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.times import format_time
from shorttrack.services import clock
from shorttrack.services.result_lines import ADVANCED_TO, latest_result, race_name
from shorttrack.store.models import Race, RaceResult, RelayTeam


@dataclass(frozen=True)
class SheetLine:
    place: str
    start_position: str
    warnings: str
    helmet: str
    name: str
    skaters: str  # a relay team's skaters in order, "" for a skater
    member: str
    time: str
    mark: str


@dataclass
class RaceSheet:
    race: Race
    title: str  # "Women's 500m Semifinal 1"
    public_url: str
    qr: str  # a PNG data URI of the QR code to public_url
    lines: list[SheetLine]
    scheduled_at: datetime | None
    result: RaceResult | None = None
    official_at: datetime | None = None  # local time at the venue
    notes: list[str] = field(default_factory=list)

    @property
    def official(self) -> bool:
        return self.result is not None and self.result.official_at is not None


def qr_code(url: str) -> str:
    """A QR code to ``url`` as a PNG data URI: a raster image any printer prints sharply
    at this size, and one a test can find in the PDF."""
    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


def _team_skaters(team: RelayTeam | None) -> str:
    if team is None:
        return ""
    return ", ".join(
        s.skater.name + (" (reserve)" if s.reserve else "")
        for s in team.skaters.select_related("skater").order_by("order")
    )


def _name(row) -> str:
    return row.skater.name if row.skater_id else (row.team.name if row.team_id else "")


def start_list_sheet(race: Race, public_url: str) -> RaceSheet:
    lines = [
        SheetLine(
            place="",
            start_position=str(line.start_position),
            warnings="",
            helmet=str(line.helmet or ""),
            name=_name(line),
            skaters=_team_skaters(line.team),
            member=line.member.code,
            time="",
            mark=start_list_label(line.qualified_by),
        )
        for line in race.start_list.select_related("skater", "team", "member")
    ]
    return _sheet(race, public_url, lines)


def result_sheet(race: Race, public_url: str) -> RaceSheet | None:
    """The latest result of the race, official or not; None before any is entered."""
    result = latest_result(race)
    if result is None or not result.lines.exists():
        return None
    lines = []
    for line in result.lines.select_related("skater", "team", "member").order_by("id"):
        mark = line.mark if line.status == "finished" else line.status
        if line.status != "finished" and line.mark in ADVANCED_TO:
            mark = f"{line.status} {line.mark}"
        lines.append(
            SheetLine(
                place=f"{line.place}{' DH' if line.dead_heat else ''}" if line.place else "",
                start_position=str(line.start_position or ""),
                warnings=line.warnings,
                helmet=str(line.helmet or ""),
                name=_name(line),
                skaters=_team_skaters(line.team),
                member=line.member.code,
                time=format_time(line.time_ms),
                mark=mark,
            )
        )
    sheet = _sheet(race, public_url, lines)
    sheet.result = result
    if result.official_at is not None:
        zone = ZoneInfo(race.round.distance_race.competition.time_zone)
        sheet.official_at = result.official_at.astimezone(zone)
    sheet.notes = [f"Revision {result.number}: {result.revision.reason}"]
    return sheet


def _sheet(race: Race, public_url: str, lines: list[SheetLine]) -> RaceSheet:
    zone = ZoneInfo(race.round.distance_race.competition.time_zone)
    return RaceSheet(
        race=race,
        title=race_name(race),
        public_url=public_url,
        qr=qr_code(public_url),
        lines=lines,
        scheduled_at=race.scheduled_at.astimezone(zone) if race.scheduled_at else None,
    )


def _render(kind: str, sheets: Sequence[RaceSheet], title: str) -> bytes:
    from weasyprint import HTML  # imported when a sheet is printed: it loads Pango

    race = sheets[0].race
    competition = race.round.distance_race.competition
    zone = ZoneInfo(competition.time_zone)
    official = all(s.official for s in sheets)
    html = render_to_string(
        "officials/sheets/sheet.html",
        {
            "kind": kind,
            "title": title,
            "sheets": sheets,
            "competition": competition,
            "page_header": _css_string(competition.name),
            "unofficial": kind == "results" and not official,
            "printed_at": clock.now().astimezone(zone),
            "relay": race.round.distance_race.rules_distance.relay,
        },
    )
    return HTML(string=html).write_pdf()


def start_list_pdf(races: Sequence[Race], public_url: Callable[[Race], str]) -> bytes:
    """The start list of one race, or of every race of a round (one page each)."""
    sheets = [start_list_sheet(race, public_url(race)) for race in races]
    return _render("start_list", sheets, _title(races, "Start list"))


def result_sheet_pdf(race: Race, public_url: str) -> bytes | None:
    """The result sheet of the race; None before a result is entered."""
    sheet = result_sheet(race, public_url)
    if sheet is None:
        return None
    label = "Results" if sheet.official else "UNOFFICIAL results"
    return _render("results", [sheet], f"{label}: {sheet.title}")


def _css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string (the page header of every page)."""
    return "".join(c if c.isalnum() or c in " ,.-()/" else f"\\{ord(c):x} " for c in text)


def _title(races: Sequence[Race], what: str) -> str:
    if len(races) == 1:
        return f"{what}: {race_name(races[0])}"
    round_ = races[0].round
    return f"{what}: {round_.distance_race.title} {RoundKind(round_.kind).label}"
