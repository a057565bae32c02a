"""Write a season from the store back to interchange files (docs/formats.md).

``export_season`` reads (never writes) the database and writes the season's calendar,
its skaters, the latest result of every race, and the latest imported ranking of each
distance race (rankings computed from races are not written: an import computes them
again from the race results). Importing what it writes into the same database changes
nothing; importing it into an empty database gives the same standings.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from shorttrack.interchange.formats import (
    CALENDAR,
    CSV_HEADERS,
    FORMAT_NAME,
    FORMAT_VERSION,
    LIST_SEPARATOR,
    RACE_RESULTS,
    RANKINGS,
    ROUNDS,
    SKATERS,
    format_laps,
    format_positions,
)
from shorttrack.interchange.names import sheet_name
from shorttrack.interchange.reading import JSON_LEVELS
from shorttrack.interchange.spreadsheet import guarded_row
from shorttrack.rules.ranking import Status
from shorttrack.rules.times import format_time
from shorttrack.store import models

Row = dict[str, str]

NUMBER_FIELDS = {
    "competition",
    "race_no",
    "place",
    "start_position",
    "helmet",
    "rank",
    "final_place",
}
LIST_FIELDS = {"skaters", "skater_isu_ids", "laps", "lap_elapsed", "lap_positions"}


def export_season(season_key: str, directory: Path, fmt: str = "json") -> list[Path]:
    """Write the season as one JSON document or as CSV files, one per kind; the paths written."""
    if fmt not in ("json", "csv"):
        raise ValueError(f"unknown export format {fmt!r}: expected json or csv")
    season = models.Season.objects.filter(key=season_key).first()
    if season is None:
        raise ValueError(f"unknown season {season_key!r}: not in the database")
    rows = season_rows(season)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"season-{season_key.replace('/', '-')}"
    if fmt == "json":
        path = directory / f"{stem}.json"
        write_json(rows, path, history_heads(season))
        return [path]
    paths = []
    for kind, kind_rows in rows.items():
        if kind_rows:
            path = directory / f"{stem}-{kind.replace('_', '-')}.csv"
            write_csv(kind, kind_rows, path)
            paths.append(path)
    return paths


def write_csv(kind: str, rows: list[Row], path: Path) -> None:
    columns = CSV_HEADERS[kind]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(guarded_row(row.get(column, "") for column in columns))


def history_heads(season: models.Season) -> list[dict]:
    """Where each competition's tamper-evident history stands (services/history.py): its
    number of links and the newest one's digest, for a later import to compare."""
    heads = []
    for competition in season.competitions.order_by("number"):
        newest = (
            models.HistoryLink.objects.filter(competition=competition)
            .order_by("-sequence")
            .values_list("sequence", "digest")
            .first()
        )
        if newest:
            heads.append(
                {
                    "season": season.key,
                    "competition": competition.number,
                    "links": newest[0],
                    "head": newest[1],
                }
            )
    return heads


def write_json(rows: dict[str, list[Row]], path: Path, history: list[dict] = ()) -> None:
    sets = []
    for kind, kind_rows in rows.items():
        if kind_rows:
            sets += nest(kind, kind_rows)
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "sets": sets}
    if history:
        document["history"] = list(history)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def nest(kind: str, rows: list[Row]) -> list[dict]:
    """Flat rows to the nested record sets of a JSON document: consecutive rows that
    agree on a level's fields share that level's object."""
    levels = JSON_LEVELS[kind]

    def build(group_rows: list[Row], depth: int) -> list[dict]:
        fields, below = levels[depth]
        groups: list[tuple[tuple, list[Row]]] = []
        for row in group_rows:
            key = tuple(row.get(f, "") for f in fields if f != "kind")
            if below and groups and groups[-1][0] == key:
                groups[-1][1].append(row)
            else:
                groups.append((key, [row]))
        objects = []
        for _, members in groups:
            obj = {"kind": kind} if "kind" in fields else {}
            for name in fields:
                if name != "kind" and (value := json_value(name, members[0].get(name, ""))) not in (
                    None,
                    [],
                    False,
                ):
                    obj[name] = value
            if below:
                obj[below] = build(members, depth + 1)
            if obj or below:
                objects.append(obj)
        return objects

    return build(rows, 0)


def json_value(name: str, text: str):
    if text == "":
        return None
    if name in NUMBER_FIELDS:
        return int(text)
    if name in LIST_FIELDS:
        # an empty item is a lap figure not recorded: null in JSON
        return [item.strip() or None for item in text.split(LIST_SEPARATOR)]
    if name == "dead_heat":
        return True
    return text


def local_text(moment: datetime | None, time_zone: str) -> str:
    # "auto": sub-second times of day (an official result at 13:34:28.412) read back exactly
    return moment.astimezone(ZoneInfo(time_zone)).isoformat() if moment else ""


def season_rows(season: models.Season) -> dict[str, list[Row]]:
    """The season as flat rows per kind, in the columns of the CSV files."""
    rows: dict[str, list[Row]] = {
        CALENDAR: [],
        SKATERS: [],
        ROUNDS: [],
        RACE_RESULTS: [],
        RANKINGS: [],
    }
    skaters: dict[int, models.Skater] = {}
    competitions = season.competitions.order_by("number")
    for competition in competitions:
        base = dict(
            season=season.key,
            season_name=season.name,
            rules=season.rules_key,
            competition=str(competition.number),
            city=competition.city,
            country=competition.country,
            venue=competition.venue,
            time_zone=competition.time_zone,
            start_date=competition.start_date.isoformat(),
            end_date=competition.end_date.isoformat(),
        )
        distance_races = list(
            competition.distance_races.order_by("finals_at", "distance", "instance")
        )
        if not distance_races:
            rows[CALENDAR].append(base)
        for distance_race in distance_races:
            distance = distance_race.rules_distance
            race = dict(
                season=season.key,
                competition=str(competition.number),
                gender=distance.gender.value,
                race=distance_race.label,
            )
            rows[CALENDAR].append(
                {
                    **base,
                    **race,
                    "finals_at": local_text(distance_race.finals_at, competition.time_zone),
                }
            )
            rows[ROUNDS] += [
                dict(race, round=r.kind, progression=r.progression, note=r.note)
                for r in distance_race.rounds.order_by("order")
                if r.progression or r.note
            ]
            rows[RACE_RESULTS] += _race_rows(distance_race, race, competition.time_zone, skaters)
            latest = distance_race.rankings.order_by("-number").first()
            if latest is not None and latest.basis == "imported":
                rows[RANKINGS] += _ranking_rows(latest, race, competition.time_zone, skaters)
    for skater in sorted(
        skaters.values(), key=lambda s: (s.member.code, s.family_name, s.given_name, s.key)
    ):
        rows[SKATERS].append(
            dict(
                isu_id=skater.isu_id or "",
                given_name=skater.given_name,
                family_name=skater.family_name,
                gender=skater.gender,
                birth_date=skater.birth_date.isoformat() if skater.birth_date else "",
                member=skater.member.code,
            )
        )
    return rows


def _relay_skaters(line: models.RaceResultLine, skaters: dict[int, models.Skater]) -> dict:
    """Who skated this race for the line's team (else the team's roster), then the team's
    reserves."""
    roster = list(line.team.skaters.select_related("skater__member").order_by("order"))
    racing = [p.skater for p in line.skaters.select_related("skater__member").order_by("order")]
    if not racing:
        racing = [p.skater for p in roster if not p.reserve]
    named = racing + [p.skater for p in roster if p.reserve and p.skater not in racing]
    for skater in named:
        skaters[skater.id] = skater
    return dict(
        skaters=f"{LIST_SEPARATOR} ".join(sheet_name(s.family_name, s.given_name) for s in named),
        skater_isu_ids=f"{LIST_SEPARATOR} ".join(s.isu_id for s in named)
        if all(s.isu_id for s in named)
        else "",
    )


def _sort_key(line) -> tuple:
    return (line.place is None, line.place or 0, line.id)


def _race_rows(distance_race: models.DistanceRace, race: Row, time_zone: str, skaters) -> list[Row]:
    rows = []
    for round_ in distance_race.rounds.order_by("order"):
        for race_row in round_.races.order_by("number"):
            result = race_row.results.order_by("-number").first()
            if result is None:
                continue
            lines = result.lines.select_related("skater__member", "team", "member")
            for line in sorted(lines, key=_sort_key):
                status = Status(line.status)
                row = dict(
                    race,
                    round=round_.kind,
                    race_no=str(race_row.number),
                    official_at=local_text(result.official_at, time_zone),
                    place=str(line.place or ""),
                    start_position=str(line.start_position or ""),
                    warnings=line.warnings,
                    helmet=str(line.helmet or ""),
                    member=line.member.code,
                    time=format_time(line.time_ms),
                    mark=line.mark if status.finished else status.value,
                    laps=format_laps(line.laps_ms),
                    lap_elapsed=format_laps(line.lap_elapsed_ms),
                    lap_positions=format_positions(line.lap_positions),
                    dead_heat="DH" if line.dead_heat else "",
                )
                if line.skater:
                    skaters[line.skater.id] = line.skater
                    row.update(
                        name=sheet_name(line.skater.family_name, line.skater.given_name),
                        isu_id=line.skater.isu_id or "",
                    )
                if line.team:
                    row.update(team=line.team.name, **_relay_skaters(line, skaters))
                rows.append(row)
    return rows


def _ranking_rows(ranking: models.Ranking, race: Row, time_zone: str, skaters) -> list[Row]:
    rows = []
    lines = ranking.lines.select_related("skater__member", "team", "member")
    for line in sorted(lines, key=lambda x: (x.rank is None, x.rank or 0, x.id)):
        status = Status(line.status)
        row = dict(
            race,
            official_at=local_text(ranking.official_at, time_zone),
            rank=str(line.rank or ""),
            member=line.member.code,
            team=line.team.name if line.team else "",
            final=line.final,
            final_place=str(line.final_place or ""),
            time=format_time(line.time_ms),
            status="" if status.finished else status.value,
            note=line.note,
        )
        if line.skater:
            skaters[line.skater.id] = line.skater
            row.update(
                name=sheet_name(line.skater.family_name, line.skater.given_name),
                isu_id=line.skater.isu_id or "",
            )
        rows.append(row)
    return rows
