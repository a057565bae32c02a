"""Adapter for the shared real-data folder of the 2022/23 World Cup (events.csv, results.csv).

That folder was assembled from press reports, not written in our format: it names skaters
as "Lee June-seo" or "Jens van 't Wout", relay teams by their nation, and gives no times
of day. This module turns it into the same records our own files give: a calendar, the
skaters, and final rankings known only as ranks (basis "imported", not complete).

What it has to supply itself, and how:

- Time zones of the venues: ``TIME_ZONES``.
- When each final was skated: ``FINALS``, an APPROXIMATION. The day of each race label
  follows the press reports (Montreal: 1500m and 1000m (1) on Saturday, 500m and 1000m (2)
  on Sunday; Dresden: 1000m and 1500m (1) Saturday, 500m and 1500m (2) Sunday; Dordrecht:
  1000m (1) and 1500m Saturday, 1000m (2) and 500m Sunday; Almaty (December 9-11):
  1500m (1) and 1000m Saturday, 500m and 1500m (2) Sunday; elsewhere the doubled
  distance's (1) on Saturday and (2) on Sunday; relays on Sunday, the mixed relay on
  Saturday). The time of day is invented but orderly: the first final of a day at 14:00,
  then one final every 15 minutes in the order listed, women before men. Each ranking is
  official 10 minutes after its final.
- Names: family name first for KOR and CHN ("Kim Gil-li": family Kim); otherwise the last
  word is the family name, and Dutch and other particles belong to it ("Jens van 't Wout":
  family "van 't Wout").

A supplement in the project, ``interchange/supplements/worldcup-2022-23-supplement.csv`` (our rankings CSV
format, each row's source in its note), adds places derived in the research notes. When
this folder is imported, the reader adds that file too, and the import merges rankings of
one race given in several files into one ranking: the podium and the supplement lines
become one ranking revision.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from shorttrack.interchange.csv_tables import read_table
from shorttrack.interchange.names import check_member_code, sheet_name
from shorttrack.interchange.records import (
    CompetitionRecord,
    DistanceRaceRecord,
    InputError,
    RankingLineRecord,
    Records,
    SeasonRecord,
    SkaterRecord,
)
from shorttrack.rules.distances import Gender, find_distance, parse_race_label
from shorttrack.rules.ranking import Status
from shorttrack.rules.records import implausible_time
from shorttrack.rules.times import parse_time

SEASON = "2022/23"
EVENTS_HEADER = "season,event_no,city,country,venue,start_date,end_date,doubled_distance,source_ids"
RESULTS_HEADER = (
    "season,event_no,gender,distance,race_label,rank,skater,nation,points_if_known,points_basis,"
    "final,final_place,time,status,source_ids,note"
)
SUPPLEMENT = Path(__file__).resolve().parent / "supplements" / "worldcup-2022-23-supplement.csv"

TIME_ZONES = {
    "Montreal": "America/Toronto",
    "Salt Lake City": "America/Denver",
    "Almaty": "Asia/Almaty",
    "Dresden": "Europe/Berlin",
    "Dordrecht": "Europe/Amsterdam",
}

# Finals per competition and day, in the order they were skated (approximate, see above).
# An individual label stands for the women's final and then the men's.
MIXED_RELAY, WOMEN_RELAY, MEN_RELAY = "2000m mixed relay", "3000m relay", "5000m relay"
FINALS: dict[int, dict[str, list[str]]] = {
    1: {  # Montreal
        "2022-10-29": ["1500m", "1000m (1)", MIXED_RELAY],
        "2022-10-30": ["500m", "1000m (2)", WOMEN_RELAY, MEN_RELAY],
    },
    2: {  # Salt Lake City
        "2022-11-05": ["500m (1)", "1500m", MIXED_RELAY],
        "2022-11-06": ["500m (2)", "1000m", WOMEN_RELAY, MEN_RELAY],
    },
    3: {  # Almaty: the 1000m finals on Saturday, the 500m on Sunday (Eurosport 10 Dec 2022;
        # ISU news 14390: van 't Wout "winning the Men's 1000m in the Halyk Arena on Saturday")
        "2022-12-10": ["1500m (1)", "1000m"],
        "2022-12-11": ["500m", "1500m (2)", WOMEN_RELAY, MEN_RELAY],
    },
    4: {  # Almaty
        "2022-12-17": ["500m (1)", "1500m"],
        "2022-12-18": ["500m (2)", "1000m", WOMEN_RELAY, MEN_RELAY],
    },
    5: {  # Dresden
        "2023-02-04": ["1000m", "1500m (1)"],
        "2023-02-05": ["500m", "1500m (2)", WOMEN_RELAY, MEN_RELAY],
    },
    6: {  # Dordrecht
        "2023-02-11": ["1000m (1)", "1500m"],
        "2023-02-12": ["1000m (2)", "500m", WOMEN_RELAY, MEN_RELAY],
    },
}
FIRST_FINAL = time(14, 0)
BETWEEN_FINALS = timedelta(minutes=15)
OFFICIAL_AFTER_FINAL = timedelta(minutes=10)

FAMILY_NAME_FIRST = {"KOR", "CHN"}
PARTICLES = {
    "van",
    "von",
    "de",
    "der",
    "den",
    "ter",
    "te",
    "'t",
    "di",
    "da",
    "du",
    "del",
    "la",
    "le",
}


def finals_schedule() -> dict[tuple[int, str, str], datetime]:
    """(competition, gender, race label) -> local time of the final, from ``FINALS``."""
    schedule = {}
    for number, days in FINALS.items():
        for day, labels in days.items():
            at = datetime.combine(date.fromisoformat(day), FIRST_FINAL)
            for label in labels:
                if label == MIXED_RELAY:
                    genders = ["mixed"]
                elif label == WOMEN_RELAY:
                    genders = ["women"]
                elif label == MEN_RELAY:
                    genders = ["men"]
                else:
                    genders = ["women", "men"]
                for gender in genders:
                    schedule[(number, gender, label)] = at
                    at += BETWEEN_FINALS
    return schedule


def split_name(full_name: str, member: str) -> tuple[str, str]:
    """'Kim Gil-li' (KOR) -> ('Gil-li', 'Kim'); "Jens van 't Wout" -> ('Jens', "van 't Wout");
    returns (given name, family name)."""
    words = full_name.split()
    if len(words) < 2:
        return "", full_name.strip()
    if member in FAMILY_NAME_FIRST:
        return " ".join(words[1:]), words[0]
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in PARTICLES:
            return " ".join(words[:i]), " ".join(words[i:])
    return " ".join(words[:-1]), words[-1]


def is_adapter_header(header_line: str) -> bool:
    return header_line.strip().lstrip("\ufeff") in (EVENTS_HEADER, RESULTS_HEADER)


def is_data_folder(folder: Path) -> bool:
    """Is this the shared 2022/23 folder (events.csv and results.csv with their headers)?"""
    events, results = folder / "events.csv", folder / "results.csv"
    if not (events.is_file() and results.is_file()):
        return False
    return all(is_adapter_header(_first_line(p)) for p in (events, results))


def folder_files(folder: Path) -> list[Path]:
    """The files an import of the folder reads: its events and results, then the supplement."""
    files = [folder / "events.csv", folder / "results.csv"]
    return files + ([SUPPLEMENT] if SUPPLEMENT.is_file() else [])


def read_file(path: Path) -> Records:
    """events.csv or results.csv of the shared folder, told apart by the header."""
    records = Records()
    table = read_table(path, records)
    if table is None:
        return records
    header, rows = table
    read_row = _read_event if ",".join(header) == EVENTS_HEADER else _read_result
    for line, row in rows:
        read_row(row, str(path), line, records)
    return records


def _read_event(row: dict[str, str], file: str, line: int, records: Records) -> None:
    city = row["city"]
    if city not in TIME_ZONES:
        records.errors.append(InputError(file, line, "city", f"no time zone known for {city!r}"))
        return
    if reason := _other_season(row):
        records.errors.append(InputError(file, line, "season", reason))
        return
    number = int(row["event_no"])
    records.add(SeasonRecord(SEASON, "", SEASON, file, line))
    records.add(
        CompetitionRecord(
            SEASON,
            number,
            city,
            row["country"],
            row["venue"],
            TIME_ZONES[city],
            date.fromisoformat(row["start_date"]),
            date.fromisoformat(row["end_date"]),
            file,
            line,
        )
    )
    for (event, gender, label), finals_at in finals_schedule().items():
        if event == number:
            text, instance = parse_race_label(label)
            distance = find_distance(gender, text)
            records.add(
                DistanceRaceRecord(SEASON, number, distance.key, instance, finals_at, file, line)
            )


def _read_result(row: dict[str, str], file: str, line: int, records: Records) -> None:
    def error(field: str, reason: str) -> None:
        records.errors.append(InputError(file, line, field, reason))

    if reason := _other_season(row):
        error("season", reason)
        return
    number = int(row["event_no"])
    gender = Gender.parse(row["gender"])
    label = row["race_label"]
    finals_at = finals_schedule().get((number, gender.value, label))
    if finals_at is None:
        error(
            "race_label",
            f"no final of the {gender.value}'s {label} at World Cup {number} in the finals table",
        )
        return
    text, instance = parse_race_label(label)
    distance = find_distance(gender, text)
    try:
        member = check_member_code(row["nation"])
    except ValueError as problem:
        error("nation", str(problem))
        return
    try:
        time_ms = parse_time(row["time"]) if row["time"].strip() else None
    except ValueError as problem:
        error("time", str(problem))
        return
    if time_ms is not None and (reason := implausible_time(distance, time_ms)):
        error("time", reason)
        return
    name = ""
    if distance.individual:
        given, family = split_name(row["skater"], member)
        records.add(SkaterRecord("", given, family, gender.value, None, member, file, line))
        name = sheet_name(family, given)
    note = "; ".join(part for part in (row["note"], f"source {row['source_ids']}") if part.strip())
    records.add(
        RankingLineRecord(
            season=SEASON,
            competition=number,
            distance=distance.key,
            instance=instance,
            official_at=finals_at + OFFICIAL_AFTER_FINAL,
            rank=int(row["rank"]) if row["rank"] else None,
            name=name,
            isu_id="",
            member=member,
            team="",
            final=row["final"],
            final_place=int(row["final_place"]) if row["final_place"] else None,
            time_ms=time_ms,
            status=Status(row["status"]) if row["status"] else Status.FINISHED,
            note=note,
            file=file,
            line=line,
        )
    )


def _other_season(row: dict[str, str]) -> str:
    """The reason a row of another season is refused, or '' for a row of 2022/23.

    Nothing of such a row is kept: imported into 2022/23 it would replace the real
    rankings of the competition with the same number."""
    season = row["season"].strip()
    if season == SEASON:
        return ""
    return (
        f"{season!r} is not {SEASON}: this adapter reads the {SEASON} folder only "
        f"(import another season's rows in the interchange format)"
    )


def _first_line(path: Path) -> str:
    with path.open(encoding="utf-8-sig") as handle:
        return handle.readline()
