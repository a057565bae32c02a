"""The race page: one race's official result sheet in the ISU's columns, its split sheet
(per lap and skater the position, the lap time and the elapsed time), each skater's
position after each lap, its start list with its number in the competition's programme,
session and scheduled time at the venue, and once official the history of its result:
every official revision with who recorded it, when and why, and the race's events up to
the last official one. Names print as the season's convention writes them ("PARK Ji Won")."""

from __future__ import annotations

from datetime import datetime
from itertools import accumulate, takewhile
from zoneinfo import ZoneInfo

from shorttrack.queries.competition import (
    RaceSheets,
    printed_entrant,
    public_status,
    race_title,
)
from shorttrack.queries.history import verify
from shorttrack.queries.public import local_iso, now
from shorttrack.queries.races import programme_number
from shorttrack.queries.references import (
    competition_ref,
    distance_race_ref,
    moment,
    race_skaters,
    result_line,
    round_label,
    season_ref,
    team_rosters,
)
from shorttrack.rules.isu_sheet import sheet_order
from shorttrack.rules.season import season_rules
from shorttrack.rules.times import format_split, split_digits
from shorttrack.store.models import Race, RaceEvent, RaceResult, RaceResultLine


def positions_from_lap_times(laps: list[list[int]]) -> list[list[int | None]]:
    """Each entrant's position after each lap from their lap times: after lap k the entrants
    who completed k laps are ordered by their time so far. An entrant who stopped has no
    position after their last lap; equal times share a position."""
    count = max((len(own) for own in laps), default=0)
    totals = [[sum(own[: k + 1]) for k in range(len(own))] for own in laps]
    positions: list[list[int | None]] = [[None] * count for _ in laps]
    for k in range(count):
        times = sorted(t[k] for t in totals if len(t) > k)
        for i, own in enumerate(totals):
            if len(own) > k:
                positions[i][k] = times.index(own[k]) + 1
    return positions


# Where a race's positions after each lap come from (``lap_positions``).
RECORDED = "recorded"
FROM_LAP_TIMES = "lap times"


def lap_positions(lines: list[dict]) -> tuple[str, list[tuple[dict, list[int | None]]]] | None:
    """The one place that decides where the positions after each lap come from, for the
    lap chart and the split sheet alike: (source, [(line, positions)]), None without data.

    Positions as the timing recorded them, for each line that has them (a 0, a position
    the timing left to the photo finish, is None: not known); equal times at 1/100 s may
    have different positions there, and those stand. Worked out from lap times only when
    no line of the race has recorded positions (a source with lap times alone), and then
    only when every finisher has lap times."""
    recorded = [line for line in lines if line["lap_positions"]]
    if recorded:
        return RECORDED, [(line, [p or None for p in line["lap_positions"]]) for line in recorded]
    timed = [line for line in lines if line["laps_ms"]]
    finishers = [line for line in lines if not line["status"]]
    if len(timed) < 2 or any(not line["laps_ms"] for line in finishers):
        return None
    positions = positions_from_lap_times([_known_laps(line["laps_ms"]) for line in timed])
    return FROM_LAP_TIMES, list(zip(timed, positions, strict=True))


def _known_laps(laps: list[int | None]) -> list[int]:
    """A line's lap times up to the first the timing did not record (None): where its time
    so far, and so its position, is known."""
    return list(takewhile(lambda lap: lap is not None, laps))


def lap_chart(lines: list[dict]) -> dict | None:
    """The position of each entrant after each lap (``lap_positions``). None without data."""
    decided = lap_positions(lines)
    if decided is None:
        return None
    source, rows = decided
    count = max(len(p) for _, p in rows)
    return {
        "laps": count,
        "positions_from": source,
        "rows": [
            {
                "name": line["name"],
                "nation": line["nation"],
                "display": line["display"],
                "helmet": line["helmet"],
                "place": line["place"],
                "mark": line["mark"],
                "positions": positions + [None] * (count - len(positions)),
                "lap_times": line["laps"],
            }
            for line, positions in rows
        ],
    }


def elapsed_times(line: dict) -> list[int | None]:
    """A line's elapsed time after each lap: as the timing recorded it, else (not recorded)
    the running sum of its lap times while they are all known; None where neither is."""
    laps = line["laps_ms"]
    recorded = line["lap_elapsed_ms"] if len(line["lap_elapsed_ms"]) == len(laps) else []
    known = _known_laps(laps)
    summed = list(accumulate(known)) + [None] * (len(laps) - len(known))
    return [
        recorded[k] if recorded and recorded[k] is not None else summed[k] for k in range(len(laps))
    ]


def _split_cell(
    position: int | None,
    lap: int | None,
    elapsed: int | None,
    digits: int,
    elapsed_digits: int,
) -> dict | None:
    """A cell of the split sheet, its figures at the sheet's precision (``digits``; the
    finish's elapsed time at ``elapsed_digits``); None where the timing recorded nothing
    at that lap."""
    if position is None and lap is None and elapsed is None:
        return None
    return {
        "position": position,
        "lap": format_split(lap, digits),
        "elapsed": format_split(elapsed, elapsed_digits),
    }


def _finish(line: dict, elapsed: list[int | None]) -> int | None:
    """The lap whose elapsed time is the line's result time (its finish), else None."""
    last = len(elapsed) - 1
    if last >= 0 and elapsed[last] is not None and elapsed[last] == line["time_ms"]:
        return last
    return None


def split_sheet(lines: list[dict]) -> dict | None:
    """The split sheet: per lap and entrant, the position after the lap, the lap time and
    the elapsed time, as ISU sheets print them ('9.32', '1:01.83'), every figure at the
    sheet's precision (``split_digits``); entrants in the order of the result, one column
    each. None when no line has lap times."""
    timed = [line for line in lines if line["laps_ms"]]
    if not timed:
        return None
    decided = lap_positions(lines)
    source, rows = decided if decided else (None, [])
    positions = {id(line): p for line, p in rows}
    count = max(len(line["laps_ms"]) for line in timed)
    elapsed_of = {id(line): elapsed_times(line) for line in timed}
    finishes = {id(line): _finish(line, elapsed_of[id(line)]) for line in timed}
    # Every figure of the sheet at one precision: thousandths if any has them. The finish
    # is the result's time and prints to the thousandth, as on the ISU's sheets.
    digits = split_digits(
        ms
        for line in timed
        for ms in (
            *line["laps_ms"],
            *(e for k, e in enumerate(elapsed_of[id(line)]) if k != finishes[id(line)]),
        )
    )
    columns, cells = [], []
    for line in timed:
        own = positions.get(id(line), [])
        elapsed = elapsed_of[id(line)]
        columns.append(
            {
                "name": line["name"],
                "nation": line["nation"],
                "display": line["display"],
                "team": line["team"],
                "skaters": line["race_skaters"] or line["team_skaters"],
                "place": line["place"],
                "mark": line["mark"],
                "time": line["time"],
                "elapsed_recorded": len(line["lap_elapsed_ms"]) == len(line["laps_ms"]),
            }
        )
        cells.append(
            [
                _split_cell(
                    own[k] if k < len(own) else None,
                    lap,
                    elapsed[k],
                    digits,
                    3 if k == finishes[id(line)] else digits,
                )
                for k, lap in enumerate(line["laps_ms"])
            ]
        )
    return {
        "laps": count,
        "positions_from": source,
        "columns": columns,
        "rows": [
            {"lap": k + 1, "cells": [own[k] if k < len(own) else None for own in cells]}
            for k in range(count)
        ],
    }


def in_sheet_order(lines: list[dict]) -> list[dict]:
    """Result lines in the order an ISU result sheet prints them (``sheet_order``)."""
    return sorted(lines, key=lambda x: sheet_order(x["place"], x["status"], x["helmet"]))


def print_names(lines: list[dict], convention: str) -> list[dict]:
    """Result or start list lines with their skaters' names as the season prints them."""
    return [printed_entrant(line, convention) for line in lines]


def zone_name(moment: datetime | None, time_zone: str) -> str | None:
    """The venue's zone as a clock there reads at that moment: 'CET', 'EST', '+05'."""
    return moment.astimezone(ZoneInfo(time_zone)).tzname() if moment else None


def _by(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def history(race: Race) -> tuple[list[dict], list[dict]]:
    """The official revisions of a race's result, oldest first, and its events up to the
    moment the current revision (the newest official now) became official. Nothing before
    a result is official."""
    # Every revision official now, read once: the current is the last of them.
    official = list(
        RaceResult.objects.official_at(now())
        .filter(race=race)
        .select_related("revision__recorded_by")
        .order_by("number")
    )
    if not official:
        return [], []
    current = official[-1]
    revisions = [r for r in official if r.official_at <= current.official_at]
    lines: dict[int, list[RaceResultLine]] = {}
    for line in (
        RaceResultLine.objects.public()
        .filter(result__in=revisions)
        .select_related("skater", "member", "team")
        .order_by("result_id", "place", "id")
    ):
        lines.setdefault(line.result_id, []).append(line)
    rosters = team_rosters({line.team_id for ls in lines.values() for line in ls} - {None})
    skaters = race_skaters(line.pk for ls in lines.values() for line in ls if line.team_id)
    revision_docs = [
        {
            "revision": result.number,
            "current": result.pk == current.pk,
            "official_at": moment(result.official_at),
            "recorded_at": moment(result.revision.recorded_at),
            "recorded_by": _by(result.revision.recorded_by),
            "source": result.revision.source,
            "reason": result.revision.reason,
            "lines": [
                result_line(line, rosters, skaters)
                for line in sorted(
                    lines.get(result.pk, []), key=lambda x: (x.place is None, x.place or 0)
                )
            ],
        }
        for result in revisions
    ]
    events = [
        {
            "kind": event.kind,
            "status": event.status,
            "at": moment(event.at),
            "by": _by(event.by),
            "reason": event.reason,
        }
        for event in RaceEvent.objects.public()
        .filter(race=race, at__lte=current.official_at)
        .select_related("by")
        .order_by("at", "id")
    ]
    return revision_docs, events


def race_document(race: Race) -> dict:
    """Everything the race page shows, as one JSON document."""
    round_ = race.round
    distance_race = round_.distance_race
    competition = distance_race.competition
    races_in_round = round_.races.public().count()
    sheets = RaceSheets([race])
    result = sheets.result(race)
    revisions, events = history(race)
    convention = season_rules(competition.season.rules_key).korean_given.value
    if result:
        result = {**result, "lines": in_sheet_order(print_names(result["lines"], convention))}
    for revision in revisions:
        revision["lines"] = in_sheet_order(print_names(revision["lines"], convention))
    chart = lap_chart(result["lines"]) if result else None
    splits = split_sheet(result["lines"]) if result else None
    return {
        "id": race.pk,
        "season": season_ref(competition.season),
        "competition": competition_ref(competition),
        "distance_race": distance_race_ref(distance_race),
        "round": {"kind": round_.kind, "label": round_label(round_.kind)},
        "number": race.number,
        "programme_number": programme_number(race),
        "title": race_title(distance_race, round_.kind, race.number, races_in_round),
        "status": public_status(race, result is not None),
        "scheduled_at": local_iso(race.scheduled_at, competition.time_zone),
        "scheduled_zone": zone_name(race.scheduled_at, competition.time_zone),
        "session": race.session.name if race.session_id else None,
        "start_list": print_names(sheets.start_list(race), convention),
        "result": result,
        "lap_chart": chart,
        "split_sheet": splits,
        "revisions": revisions,
        "events": events,
        "history": history_check(competition.pk, race.pk) if revisions else None,
        "updated_at": now().isoformat(),
    }


def history_check(competition_id: int, race_id: int) -> dict:
    """Whether the race's history reads back as the services wrote it (queries/history.py):
    the public sees that it does, or how many rows do not; which rows, the results team
    sees with `shorttrack audit verify`."""
    checked = verify(competition_id, race_id=race_id)
    return {
        "verified": checked.intact,
        "links": checked.links,
        "head": checked.head,
        "breaks": len(checked.breaks),
    }
