"""Adapter for the podiums of the real 2019/20 World Cup (shared/data/worldcup-2019-20/podiums.csv).

The ISU results pages of 2019/20 (shared/data/isu-results-2019-20, read by
``isu_results``) hold every round but the individual Final A pages and most Final B pages,
so the rankings computed from them are incomplete ("no Final A in the results"). The
press reports gathered in podiums.csv give Final A places 1-3 where known, some 4th places,
Final B places, penalties. This module reads them into ranking lines (``RankingLineRecord``)
of the distance races the pages hold; import the pages first: the lines name skaters and
competitions the pages brought (no calendar or skater records are made here).

One row, one line:

- Final A with a place: rank = that place, ``final`` A, ``final_place`` the place.
- Final A without a place (order not stated, "last in Final A"): ``final`` A, no rank.
- Final B with a place: ``final`` B, ``final_place`` the place, no rank (the ranks of a
  Final B follow the Final A skaters, whose number the report does not give).
- status PEN, DNF as given; DQ (a disqualification, which in short track is a penalty) is PEN.
- Relay rows name the nation ("China", CHN): a line of the member's team.
- Names: "Suzanne Schulting", "Park Ji Won": family name first for KOR and CHN, and for the
  spellings in ``FAMILY_NAME_FIRST``; else the last word with its particles
  ("Yara van Kerkhof": family "van Kerkhof"). The line's name is the sheet form,
  "SCHULTING Suzanne", found among the skaters of its member as names are (docs/formats.md);
  the few the press spells otherwise than the ISU pages are in ``ISU_SPELLING``.

Each row's sources and note go to the line's ``note``; two rows of one skater in one final
(two sources) are one line. No times of day are known: lines are
not marked official.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from shorttrack.interchange.csv_tables import read_table
from shorttrack.interchange.names import check_member_code, sheet_name
from shorttrack.interchange.records import InputError, RankingLineRecord, Records
from shorttrack.interchange.worldcup_2022_23 import split_name
from shorttrack.rules.distances import Gender, find_distance, parse_race_label
from shorttrack.rules.ranking import Status
from shorttrack.rules.records import implausible_time
from shorttrack.rules.times import parse_time

SEASON = "2019/20"
PODIUMS_HEADER = (
    "season,event_no,city,country,gender,distance,race_label,final,place,skater,nation,time,"
    "status,source_ids,note"
)
# Written family name first although the member is neither KOR nor CHN.
FAMILY_NAME_FIRST = {"Liu Shaoang", "Liu Shaolin Sandor"}
# The press's spelling -> (family, given) as the ISU pages of 2019/20 print the skater, where
# the two do not read the same (names are compared ignoring case, hyphens and spaces, not
# these): found by importing the pages and then this file.
ISU_SPELLING = {
    "Han Yutong": ("HAN", "Yu Tong"),
    "Kim A-lang": ("KIM", "Alang"),
    "Kim Da-gyeom": ("KIM", "Dagyeom"),
    "Noh Ah-reum": ("NOH", "Ah Rum"),
    "Cedric Blais": ("BLAIS", "Cedrik"),
    "Courtney Sarault": ("SARAULT", "Courtney Lee"),
}
STATUSES = {"": Status.FINISHED, "PEN": Status.PEN, "DQ": Status.PEN, "DNF": Status.DNF}


def is_podiums_file(path: Path) -> bool:
    if not path.is_file() or path.suffix != ".csv":
        return False
    with path.open(encoding="utf-8-sig") as handle:
        return handle.readline().strip() == PODIUMS_HEADER


def is_data_folder(folder: Path) -> bool:
    """Is this the shared 2019/20 podiums folder (podiums.csv with its header)?"""
    return is_podiums_file(folder / "podiums.csv")


def read_folder(folder: Path) -> Records:
    return read_file(folder / "podiums.csv")


def read_file(path: Path) -> Records:
    records = Records()
    table = read_table(path, records)
    if table is None:
        return records
    header, rows = table
    if ",".join(header) != PODIUMS_HEADER:
        records.errors.append(
            InputError(str(path), 1, "header", f"expected the podiums header {PODIUMS_HEADER}")
        )
        return records
    for line, row in rows:
        _read_row(row, str(path), line, records)
    records.ranking_lines = _one_line_each(records.ranking_lines)
    return records


def _one_line_each(lines: list[RankingLineRecord]) -> list[RankingLineRecord]:
    """Two rows of one skater in one final (two sources, one with the place): one line, the
    one that gives the most, the other's note added to it."""
    kept: dict[tuple, RankingLineRecord] = {}
    for line in lines:
        key = (line.competition, line.distance, line.instance, line.member, line.name)
        earlier = kept.get(key)
        if earlier is None:
            kept[key] = line
            continue
        better, other = (earlier, line) if earlier.rank or not line.rank else (line, earlier)
        note = "; ".join(part for part in (better.note, other.note) if part)[:200]
        kept[key] = replace(better, note=note)
    return list(kept.values())


def _read_row(row: dict[str, str], file: str, line: int, records: Records) -> None:
    def error(field: str, reason: str) -> None:
        records.errors.append(InputError(file, line, field, reason))

    if row["season"].strip() != SEASON:
        error("season", f"{row['season']!r} is not {SEASON}: this adapter reads {SEASON} only")
        return
    try:
        gender = Gender.parse(row["gender"])
        text, instance = parse_race_label(row["race_label"])
        distance = find_distance(gender, text)
    except ValueError as problem:
        error("race_label", str(problem))
        return
    try:
        member = check_member_code(row["nation"])
    except ValueError as problem:
        error("nation", str(problem))
        return
    final = row["final"].strip().upper()
    if final not in ("A", "B"):
        error("final", f"{row['final']!r}: expected A or B")
        return
    place = row["place"].strip()
    if place and not place.isdigit():
        error("place", f"{place!r} is not a place")
        return
    status_text = row["status"].strip().upper()
    if status_text not in STATUSES:
        error("status", f"{row['status']!r}: expected blank, PEN, DQ or DNF")
        return
    status = STATUSES[status_text]
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
        written = row["skater"].strip()
        if written in ISU_SPELLING:
            family, given = ISU_SPELLING[written]
        elif written in FAMILY_NAME_FIRST:
            family, _, given = written.partition(" ")
        else:
            given, family = split_name(written, member)
        name = sheet_name(family, given)
    final_place = int(place) if place and status is Status.FINISHED else None
    notes = [row["note"].strip()] if row["note"].strip() else []
    if status_text == "DQ":
        notes.append("DQ in the source")
    notes.append(f"source {row['source_ids']}")
    records.add(
        RankingLineRecord(
            season=SEASON,
            competition=int(row["event_no"]),
            distance=distance.key,
            instance=instance,
            official_at=None,
            rank=final_place if final == "A" else None,
            name=name,
            isu_id="",
            member=member,
            team="",
            final=final,
            final_place=final_place,
            time_ms=time_ms,
            status=status,
            note="; ".join(notes)[:200],
            file=file,
            line=line,
        )
    )
