"""The interchange format: the four kinds of records, their CSV headers, and how one
line of a file (a CSV row, or a JSON object flattened to the same fields) becomes a record.

docs/formats.md describes the format for people; this module is the same thing for code.
A CSV row and a JSON line share field names, so both are parsed here by the same
functions, and every value that cannot be read becomes an ``InputError`` naming its field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shorttrack.interchange.names import check_member_code
from shorttrack.interchange.records import (
    CompetitionRecord,
    DistanceRaceRecord,
    InputError,
    RaceLineRecord,
    RankingLineRecord,
    RoundRecord,
    SeasonRecord,
    SkaterRecord,
)
from shorttrack.rules.distances import Distance, Gender, find_distance, parse_race_label
from shorttrack.rules.ranking import RoundKind, Status
from shorttrack.rules.records import implausible_time
from shorttrack.rules.season import season_rules
from shorttrack.rules.times import format_time, parse_time

FORMAT_NAME = "shorttrack-interchange"
# Version 2 added per-race relay line-ups (skater_isu_ids), lap positions and elapsed
# times, and the rounds kind; a version 1 file reads as it always did.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)

CALENDAR = "calendar"
SKATERS = "skaters"
RACE_RESULTS = "race_results"
RANKINGS = "rankings"
ROUNDS = "rounds"

# The exact header of each kind of CSV file, column for column.
CSV_HEADERS: dict[str, tuple[str, ...]] = {
    CALENDAR: (
        "season",
        "season_name",
        "rules",
        "competition",
        "city",
        "country",
        "venue",
        "time_zone",
        "start_date",
        "end_date",
        "gender",
        "race",
        "finals_at",
    ),
    SKATERS: ("isu_id", "given_name", "family_name", "gender", "birth_date", "member"),
    RACE_RESULTS: (
        "season",
        "competition",
        "gender",
        "race",
        "round",
        "race_no",
        "official_at",
        "place",
        "start_position",
        "warnings",
        "helmet",
        "name",
        "isu_id",
        "member",
        "team",
        "skaters",
        "skater_isu_ids",
        "time",
        "mark",
        "laps",
        "lap_elapsed",
        "lap_positions",
        "dead_heat",
    ),
    ROUNDS: ("season", "competition", "gender", "race", "round", "progression", "note"),
    RANKINGS: (
        "season",
        "competition",
        "gender",
        "race",
        "official_at",
        "rank",
        "name",
        "isu_id",
        "member",
        "team",
        "final",
        "final_place",
        "time",
        "status",
        "note",
    ),
}

# Q/QA/QB by place (to the next round, Final A, Final B), q/qA/qB by time, ADV/ADA/ADB
# advanced by the referee (to the next round, Final A, Final B).
QUALIFICATION_MARKS = ("Q", "q", "QA", "QB", "qA", "qB", "ADV", "ADA", "ADB")
STATUS_MARKS = ("PEN", "YC", "RC", "DNF", "DNS")
DEAD_HEAT = "DH"
LIST_SEPARATOR = ";"
SEASON_KEY = re.compile(r"^(\d{4})/(\d{2})$")

T = TypeVar("T")


class Row:
    """One line of input, field name to text, with the errors found reading it."""

    def __init__(self, values: dict[str, str], file: str, line: int):
        self.values = values
        self.file = file
        self.line = line
        self.errors: list[InputError] = []

    def error(self, field: str, reason: str) -> None:
        self.errors.append(InputError(self.file, self.line, field, reason))

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.values.get(name, "").strip()
        if any(unicodedata.category(c) == "Cc" for c in value):
            # a newline or a NUL inside a name would break every sheet that prints it
            self.error(name, "a control character (newline, tab, NUL) inside the value")
            return ""
        if "<" in value or ">" in value:
            self.error(name, "markup (< or >) is not a value of this format")
            return ""
        if required and not value:
            self.error(name, "missing: a value is required")
        return value

    def parsed(self, name: str, parse: Callable[[str], T], *, required: bool = False) -> T | None:
        """``parse`` the field's text; blank gives None (or an error when required)."""
        value = self.text(name, required=required)
        if not value:
            return None
        try:
            return parse(value)
        except ValueError as error:
            self.error(name, str(error))
            return None


def parse_season_key(text: str) -> str:
    match = SEASON_KEY.match(text)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"season {text!r} is not written as 2022/23")
    return text


def parse_rules_key(text: str) -> str:
    season_rules(text)  # raises "unknown season ..." when there is no rule set
    return text


# Headers of earlier versions that still read: kind -> columns.
OLDER_CSV_HEADERS: dict[str, tuple[str, ...]] = {
    RACE_RESULTS: tuple(
        c
        for c in CSV_HEADERS[RACE_RESULTS]
        if c not in ("skater_isu_ids", "lap_elapsed", "lap_positions")
    ),
}


# Places, helmets, race numbers and competitions are small: a larger number is a typo or
# an attack, and would overflow the database's small integer columns.
LARGEST_NUMBER = 9999


def parse_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise ValueError(f"{text!r} is not a whole number of 1 or more")
    if int(text) > LARGEST_NUMBER:
        raise ValueError(f"{text} is more than {LARGEST_NUMBER}")
    return int(text)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date written as 2022-10-28") from None


def parse_birth_date(text: str) -> date:
    """A skater's birth date: in the past, and no earlier than 1900."""
    born = parse_date(text)
    if born > date.today() or born.year < 1900:
        raise ValueError(f"{text} is not a birth date of a living skater")
    return born


def parse_datetime(text: str) -> datetime:
    """'2022-10-29T15:30' (local time of the venue) or with a UTC offset."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time written as 2022-10-29T15:30 (local) "
            "or 2022-10-29T15:30:00-04:00"
        ) from None


def parse_time_zone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{text!r} is not an IANA time zone such as Europe/Berlin") from None
    return text


def parse_skater_gender(text: str) -> str:
    gender = Gender.parse(text)
    if gender is Gender.MIXED:
        raise ValueError("a skater's gender is women or men")
    return gender.value


def parse_round(text: str) -> RoundKind:
    """'heats', 'final_a' or the way sheets write it, 'Final A', 'Rep. Semifinals'."""
    return RoundKind.parse(text)


def parse_mark(text: str) -> tuple[Status, str]:
    """A qualification mark (Q, q, QA, QB, qA, qB, ADV, ADA, ADB) or a status (PEN, YC, RC,
    DNF, DNS)."""
    if text in QUALIFICATION_MARKS:
        return Status.FINISHED, text
    if text.upper() in STATUS_MARKS:
        return Status(text.upper()), ""
    known = ", ".join(QUALIFICATION_MARKS + STATUS_MARKS)
    raise ValueError(f"unknown mark {text!r}: expected one of {known}")


def parse_status(text: str) -> Status:
    if text.upper() in STATUS_MARKS:
        return Status(text.upper())
    raise ValueError(
        f"unknown status {text!r}: expected blank (finished) or one of {', '.join(STATUS_MARKS)}"
    )


def parse_dead_heat(text: str) -> bool:
    if text.upper() != DEAD_HEAT:
        raise ValueError(f"dead heat mark {text!r}: write DH or leave it blank")
    return True


def parse_final(text: str) -> str:
    if text.upper() not in ("A", "B", "C"):
        raise ValueError(f"final {text!r}: expected A, B, C or blank")
    return text.upper()


def parse_list(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(LIST_SEPARATOR) if item.strip())


# A 5000 m relay is 45 laps; a list far longer is not lap data.
LONGEST_LAP_LIST = 100


def parse_laps(text: str) -> tuple[int | None, ...]:
    """'13.13; 9.53; 9.55'; an empty item ('13.13; ; 9.55') is a lap whose figure the
    timing did not record (the ISU split sheets leave such cells blank)."""
    items = _lap_items(text)
    return tuple(parse_time(item) if item else None for item in items)


def parse_positions(text: str) -> tuple[int | None, ...]:
    """'1; 1; 2'; 0 is a place at the finish the photo finish decides, as the ISU timing
    prints it; an empty item a position not recorded."""
    items = _lap_items(text)
    return tuple(None if not p else 0 if p == "0" else parse_number(p) for p in items)


def _lap_items(text: str) -> list[str]:
    items = [item.strip() for item in text.split(LIST_SEPARATOR)]
    if len(items) > LONGEST_LAP_LIST:
        raise ValueError(f"{len(items)} laps: no race has more than {LONGEST_LAP_LIST}")
    return items if any(items) else []


def format_laps(laps_ms: list[int | None] | tuple[int | None, ...]) -> str:
    return LIST_SEPARATOR.join(format_time(ms) for ms in laps_ms)


def format_positions(positions: list[int | None] | tuple[int | None, ...]) -> str:
    return LIST_SEPARATOR.join("" if p is None else str(p) for p in positions)


def _distance(row: Row) -> tuple[Distance, int | None] | None:
    """The distance race named by the ``gender`` and ``race`` fields: women, '1500m (2)'."""
    gender = row.text("gender", required=True)
    label = row.text("race", required=True)
    if not gender or not label:
        return None
    try:
        text, instance = parse_race_label(label)
        distance = find_distance(gender, text)
    except ValueError as error:
        row.error("race", str(error))
        return None
    if instance is not None and instance not in (1, 2):
        row.error("race", f"race {label!r}: a distance raced twice is (1) or (2)")
        return None
    return distance, instance


def _time(row: Row, distance: Distance | None) -> int | None:
    time_ms = row.parsed("time", parse_time)
    if time_ms is not None and distance is not None:
        reason = implausible_time(distance, time_ms)
        if reason:
            row.error("time", reason)
            return None
    return time_ms


def _competition(row: Row) -> tuple[str | None, int | None]:
    return (
        row.parsed("season", parse_season_key, required=True),
        row.parsed("competition", parse_number, required=True),
    )


def read_calendar_row(row: Row) -> list[object]:
    """A calendar line: the season, its competition, and (when gender and race are given)
    one distance race held there."""
    season = row.parsed("season", parse_season_key, required=True)
    rules = row.parsed("rules", parse_rules_key)
    if season and not rules:
        rules = row.parsed("season", parse_rules_key)
    number = row.parsed("competition", parse_number, required=True)
    competition = dict(
        city=row.text("city", required=True),
        country=row.parsed("country", check_member_code, required=True),
        venue=row.text("venue"),
        time_zone=row.parsed("time_zone", parse_time_zone, required=True),
        start_date=row.parsed("start_date", parse_date, required=True),
        end_date=row.parsed("end_date", parse_date, required=True),
    )
    start, end = competition["start_date"], competition["end_date"]
    if start and end and end < start:
        row.error("end_date", f"{end} is before the start date {start}")
    distance = None
    if row.text("gender") or row.text("race"):
        distance = _distance(row)
    finals_at = row.parsed("finals_at", parse_datetime)
    if row.errors:
        return []
    records: list[object] = [
        SeasonRecord(season, row.text("season_name"), rules, row.file, row.line),
        CompetitionRecord(season, number, **competition, file=row.file, line=row.line),
    ]
    if distance:
        records.append(
            DistanceRaceRecord(
                season, number, distance[0].key, distance[1], finals_at, row.file, row.line
            )
        )
    return records


def read_skater_row(row: Row) -> list[object]:
    record = SkaterRecord(
        isu_id=row.text("isu_id"),
        given_name=row.text("given_name", required=True),
        family_name=row.text("family_name", required=True),
        gender=row.parsed("gender", parse_skater_gender, required=True),
        birth_date=row.parsed("birth_date", parse_birth_date),
        member=row.parsed("member", check_member_code, required=True),
        file=row.file,
        line=row.line,
    )
    return [] if row.errors else [record]


def _entrant(row: Row, distance: Distance | None, *, race_line: bool) -> dict:
    """Who the line is about: a skater by name (and ISU id), or a relay team by Member
    and team name, with its skaters on a race line."""
    member = row.parsed("member", check_member_code, required=True)
    entrant = dict(
        name=row.text("name"),
        isu_id=row.text("isu_id"),
        member=member,
        team=row.text("team"),
    )
    if race_line:
        entrant["skaters"] = parse_list(row.text("skaters"))
        entrant["skater_isu_ids"] = parse_list(row.text("skater_isu_ids"))
        if entrant["skater_isu_ids"] and len(entrant["skater_isu_ids"]) != len(entrant["skaters"]):
            row.error(
                "skater_isu_ids",
                f"{len(entrant['skater_isu_ids'])} ISU ids for {len(entrant['skaters'])} skaters: "
                "give one per skater, in the same order, or none",
            )
    if distance is None:
        return entrant
    if distance.relay:
        if entrant["name"] or entrant["isu_id"]:
            row.error("name", "a relay line names its team in 'team' and its skaters in 'skaters'")
        if race_line and not entrant["team"] and member:
            entrant["team"] = member
    else:
        if not entrant["name"]:
            row.error("name", "missing: an individual line names its skater")
        if entrant["team"] or entrant.get("skaters") or entrant.get("skater_isu_ids"):
            row.error("team", "only a relay line names a team and its skaters")
    return entrant


def read_race_line_row(row: Row) -> list[object]:
    season, number = _competition(row)
    found = _distance(row)
    distance, instance = found if found else (None, None)
    round_kind = row.parsed("round", parse_round, required=True)
    race_no = row.parsed("race_no", parse_number, required=True)
    official_at = row.parsed("official_at", parse_datetime)
    mark = row.parsed("mark", parse_mark)
    status, mark_text = mark if mark else (Status.FINISHED, "")
    place = row.parsed("place", parse_number)
    if place is None and status is Status.FINISHED and not row.text("place"):
        row.error("place", "missing: a skater who finished has a place")
    values = dict(
        start_position=row.parsed("start_position", parse_number),
        warnings=row.text("warnings"),
        helmet=row.parsed("helmet", parse_number),
        **_entrant(row, distance, race_line=True),
        time_ms=_time(row, distance),
        laps_ms=row.parsed("laps", parse_laps) or (),
        lap_elapsed_ms=row.parsed("lap_elapsed", parse_laps) or (),
        lap_positions=row.parsed("lap_positions", parse_positions) or (),
        dead_heat=bool(row.parsed("dead_heat", parse_dead_heat)),
    )
    if row.errors:
        return []
    return [
        RaceLineRecord(
            season,
            number,
            distance.key,
            instance,
            round_kind,
            race_no,
            official_at,
            place,
            status=status,
            mark=mark_text,
            file=row.file,
            line=row.line,
            **values,
        )
    ]


def read_round_row(row: Row) -> list[object]:
    """A round as its page prints it, races aside: the progression text and a note."""
    season, number = _competition(row)
    found = _distance(row)
    distance, instance = found if found else (None, None)
    round_kind = row.parsed("round", parse_round, required=True)
    progression, note = row.text("progression"), row.text("note")
    for name, text, longest in (("progression", progression, 1000), ("note", note, 200)):
        if len(text) > longest:
            row.error(name, f"{len(text)} characters: at most {longest}")
    if row.errors:
        return []
    return [
        RoundRecord(
            season,
            number,
            distance.key,
            instance,
            round_kind,
            progression,
            note,
            row.file,
            row.line,
        )
    ]


def read_ranking_row(row: Row) -> list[object]:
    season, number = _competition(row)
    found = _distance(row)
    distance, instance = found if found else (None, None)
    values = dict(
        official_at=row.parsed("official_at", parse_datetime),
        rank=row.parsed("rank", parse_number),
        **_entrant(row, distance, race_line=False),
        final=row.parsed("final", parse_final) or "",
        final_place=row.parsed("final_place", parse_number),
        time_ms=_time(row, distance),
        status=row.parsed("status", parse_status) or Status.FINISHED,
        note=row.text("note"),
    )
    if row.errors:
        return []
    return [
        RankingLineRecord(
            season, number, distance.key, instance, file=row.file, line=row.line, **values
        )
    ]


READERS: dict[str, Callable[[Row], list[object]]] = {
    CALENDAR: read_calendar_row,
    SKATERS: read_skater_row,
    RACE_RESULTS: read_race_line_row,
    ROUNDS: read_round_row,
    RANKINGS: read_ranking_row,
}
