"""Start lists and result sheets of races as PDF, to print at the rink (WeasyPrint).

The columns are those of ISU sheets: a start list gives start position, helmet (#), name,
ISU Member and why the entrant starts (Qualified by), and once the race is official its
marks (Qual.); a result sheet gives Place, Start Pos., Warn., #,
Name, ISU Member, Results and Qual. (Q, q, QA, QB, ADV, ADA, ADB), with PEN, YC, RC, DNF,
DNS printed in the place and in the results where a time would be. Names are written as
the season prints them ("PARK Ji Won", ``rules.isu_sheet.printed_name``), relay teams with
their skaters in order.

Each sheet names the race as the programme numbers it ("Race 23", ``rules.programme``),
its session and its scheduled time at the venue with the zone, the competition's referee
and officials, and ends with the line the referee signs.

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

from shorttrack.queries.races import programme_numbers
from shorttrack.rules.isu_sheet import printed_name, sheet_order
from shorttrack.rules.progression import start_list_label
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.season import season_rules
from shorttrack.rules.times import format_time
from shorttrack.services import clock
from shorttrack.services.result_lines import latest_result, race_name
from shorttrack.simulation.season import SIMULATOR
from shorttrack.store.models import Competition, CompetitionOfficial, Race, RaceResult, RelayTeam

# The officials a sheet names, in the order it names them: the referee first, who signs.
ROLES_ON_SHEETS = ("referee", "results_officer", "organiser")


@dataclass(frozen=True)
class SheetLine:
    place: str  # "1", "2 DH"; "" for a skater with a status (the sheet prints the status)
    start_position: str
    warnings: str
    helmet: str
    name: str
    skaters: str  # a relay team's skaters in order, "" for a skater
    member: str
    time: str
    status: str  # PEN, YC, RC, DNF, DNS; "" for a finisher
    qualification: str  # Q, q, QA, ADV...; on a start list why the entrant starts
    mark: str = ""  # on a start list once the race is official: the result's Q, q, QA, ADV...


@dataclass(frozen=True)
class Officials:
    """A role and who holds it at the competition: ("Referee", ["Rita Moreau"])."""

    role: str
    names: list[str]


@dataclass
class RaceSheet:
    race: Race
    title: str  # "Women's 500m Semifinal 1"
    public_url: str
    qr: str  # a PNG data URI of the QR code to public_url
    lines: list[SheetLine]
    scheduled_at: datetime | None
    programme_number: int | None  # "Race 23" of the programme; None: not scheduled yet
    session: str  # "" when the race is in no session
    officials: list[Officials]
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


def _convention(race: Race) -> str:
    """How the race's season prints Korean given names (``[names] korean_given``)."""
    return season_rules(race.round.distance_race.competition.season.rules_key).korean_given.value


def _team_skaters(team: RelayTeam | None, convention: str) -> str:
    if team is None:
        return ""
    return ", ".join(
        printed_name(s.skater.name, team.member.code, convention)
        + (" (reserve)" if s.reserve else "")
        for s in team.skaters.select_related("skater", "team__member").order_by("order")
    )


def _name(row, convention: str) -> str:
    if row.skater_id:
        return printed_name(row.skater.name, row.member.code, convention)
    return row.team.name if row.team_id else ""


def is_machine_account(user) -> bool:
    """Whether the account is a program's, not a person's: the season simulator's
    (``simulation.season.SIMULATOR``), which it appoints to every role through
    ``services.setup.appoint_from_server`` with no password, so nobody can sign in with
    it. No flag on accounts marks a program, and an official appointed from the server
    without a password until they set one is in the same state, so the simulator's is
    known by its name together with its unusable password."""
    return user.get_username() == SIMULATOR and not user.has_usable_password()


def officials_of(competition: Competition) -> list[Officials]:
    """The competition's referee, results officers and organisers, referee first, each by
    the person's full name ("Rita Moreau"), by the account's name when none is given;
    a machine account is no official a sheet names."""
    labels = dict(CompetitionOfficial._meta.get_field("role").choices)
    names: dict[str, list[str]] = {}
    for official in (
        CompetitionOfficial.objects.filter(competition=competition)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    ):
        user = official.user
        if is_machine_account(user):
            continue
        names.setdefault(official.role, []).append(user.get_full_name() or user.get_username())
    return [
        Officials(labels[role].capitalize(), names[role])
        for role in ROLES_ON_SHEETS
        if role in names
    ]


def start_list_sheet(
    race: Race, public_url: str, numbers: dict[int, int] | None = None
) -> RaceSheet:
    """The race's start list; once its result is official, each entrant's mark from it
    (Q, q, QA, QB, ADV) in a Qual. column after the Qualified by one, as the console shows."""
    convention = _convention(race)
    result = latest_result(race)
    marks: dict[tuple[int | None, int | None], str] = {}
    if result is not None and result.official_at is not None:
        marks = {(ln.skater_id, ln.team_id): ln.mark for ln in result.lines.all()}
    lines = [
        SheetLine(
            place="",
            start_position=str(line.start_position),
            warnings="",
            helmet=str(line.helmet or ""),
            name=_name(line, convention),
            skaters=_team_skaters(line.team, convention),
            member=line.member.code,
            time="",
            status="",
            qualification=start_list_label(line.qualified_by),
            mark=marks.get((line.skater_id, line.team_id), ""),
        )
        for line in race.start_list.select_related("skater", "team__member", "member")
    ]
    sheet = _sheet(race, public_url, lines, numbers)
    sheet.result = result if marks else None
    return sheet


def result_sheet(race: Race, public_url: str) -> RaceSheet | None:
    """The latest result of the race, official or not; None before any is entered."""
    result = latest_result(race)
    if result is None or not result.lines.exists():
        return None
    convention = _convention(race)
    lines = []
    ordered = sorted(
        result.lines.select_related("skater", "team__member", "member").order_by("id"),
        key=lambda x: sheet_order(x.place, "" if x.status == "finished" else x.status, x.helmet),
    )
    for line in ordered:
        status = "" if line.status == "finished" else line.status
        lines.append(
            SheetLine(
                place=f"{line.place}{' DH' if line.dead_heat else ''}" if line.place else "",
                start_position=str(line.start_position or ""),
                warnings=line.warnings,
                helmet=str(line.helmet or ""),
                name=_name(line, convention),
                skaters=_team_skaters(line.team, convention),
                member=line.member.code,
                time=format_time(line.time_ms),
                status=status,
                qualification=line.mark,  # a penalised skater the referee advanced: ADV
            )
        )
    sheet = _sheet(race, public_url, lines)
    sheet.result = result
    if result.official_at is not None:
        zone = ZoneInfo(race.round.distance_race.competition.time_zone)
        sheet.official_at = result.official_at.astimezone(zone)
    sheet.notes = [f"Revision {result.number}: {result.revision.reason}"]
    return sheet


def _sheet(
    race: Race, public_url: str, lines: list[SheetLine], numbers: dict[int, int] | None = None
) -> RaceSheet:
    competition = race.round.distance_race.competition
    zone = ZoneInfo(competition.time_zone)
    numbers = numbers or programme_numbers(competition.pk)
    return RaceSheet(
        race=race,
        title=race_name(race),
        public_url=public_url,
        qr=qr_code(public_url),
        lines=lines,
        scheduled_at=race.scheduled_at.astimezone(zone) if race.scheduled_at else None,
        programme_number=numbers.get(race.pk),
        session=race.session.name if race.session_id else "",
        officials=officials_of(competition),
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
    numbers = programme_numbers(races[0].round.distance_race.competition_id) if races else {}
    sheets = [start_list_sheet(race, public_url(race), numbers) for race in races]
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
