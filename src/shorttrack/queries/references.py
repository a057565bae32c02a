"""How public documents name the things they mention: a season, a competition, a distance
race, a skater or relay team, and the lines of result sheets and start lists.

Every document names a thing the same way, so a client that reads one page's JSON can
follow its ids to another page (docs/api.md).
"""

from __future__ import annotations

from shorttrack.queries.public import local_iso, season_slug, utc_iso
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.times import format_time
from shorttrack.store.models import (
    Competition,
    DistanceRace,
    RaceResultLine,
    Season,
    Skater,
    StartListLine,
)


def season_ref(season: Season) -> dict:
    return {
        "id": season.pk,
        "key": season.key,
        "slug": season_slug(season.key),
        "name": season.name,
        "simulated": season.simulated,
    }


def competition_ref(competition: Competition) -> dict:
    return {
        "id": competition.pk,
        "number": competition.number,
        "name": competition.name,
        "city": competition.city,
        "country": competition.country,
        "season": competition.season.key,
        "season_slug": season_slug(competition.season.key),
    }


def distance_race_ref(distance_race: DistanceRace) -> dict:
    return {
        "id": distance_race.pk,
        "distance": distance_race.distance,
        "instance": distance_race.instance,
        "title": distance_race.title,
        "relay": distance_race.rules_distance.relay,
        "finals_at": local_iso(distance_race.finals_at, distance_race.competition.time_zone),
    }


def skater_ref(skater: Skater) -> dict:
    return {
        "id": skater.pk,
        "name": skater.name,
        "nation": skater.member.code,
        "fictional": skater.fictional,
    }


def display_name(name: str, nation: str) -> str:
    """'PARK Ji-won (KOR)'; a relay team or nation is its own name ('KOR', 'NED 2')."""
    return name if name == nation or name.startswith(f"{nation} ") else f"{name} ({nation})"


def entrant(line, team_skaters: dict[int, list[str]] | None = None) -> dict:
    """Who a line is about: a skater, a relay team, or a nation known only by name."""
    nation = line.member.code
    if line.skater_id:
        name = line.skater.name
    elif line.team_id:
        name = line.team.name
    else:
        name = nation
    return {
        "name": name,
        "nation": nation,
        "display": display_name(name, nation),
        "skater_id": line.skater_id,
        "fictional": bool(line.skater_id and line.skater.fictional),
        "team": line.team.name if line.team_id else None,
        "team_skaters": (team_skaters or {}).get(line.team_id, []) if line.team_id else [],
    }


def mark(status: str, qualification: str) -> str:
    """What the sheet's mark column shows: the status when the skater did not simply finish
    (PEN, YC, RC, DNF, DNS), else the qualification mark (Q, q, QA, QB, ADV) or nothing."""
    return status if status and status != "finished" else qualification


def result_line(
    line: RaceResultLine,
    team_skaters: dict[int, list[str]],
    race_skaters: dict[int, list[str]] | None = None,
) -> dict:
    """A line of a result sheet. A relay line names the skaters who skated this race for
    its team (``race_skaters``) where the sheet says, and always its team's roster."""
    status = "" if line.status == "finished" else line.status
    return {
        "place": line.place,
        "dead_heat": line.dead_heat,
        "start_position": line.start_position,
        "helmet": line.helmet,
        **entrant(line, team_skaters),
        "time": format_time(line.time_ms),
        "time_ms": line.time_ms,
        "status": status,
        "qualification": line.mark,
        "mark": mark(status, line.mark),
        "warnings": line.warnings,
        "laps": [format_time(ms) for ms in line.laps_ms or []],
        "laps_ms": list(line.laps_ms or []),
        "lap_elapsed_ms": list(getattr(line, "lap_elapsed_ms", None) or []),
        "lap_positions": list(line.lap_positions or []),
        "race_skaters": (race_skaters or {}).get(line.pk, []) if line.team_id else [],
    }


def start_line(line: StartListLine, team_skaters: dict[int, list[str]]) -> dict:
    return {
        "start_position": line.start_position,
        "helmet": line.helmet,
        **entrant(line, team_skaters),
        "qualified_by": line.qualified_by,
    }


def round_label(kind: str) -> str:
    return RoundKind(kind).label


def moment(value) -> str | None:
    """Moments of record (when something became official) in UTC."""
    return utc_iso(value)


def team_rosters(team_ids) -> dict[int, list[str]]:
    """relay team id -> its skaters in order, as 'PARK Ji-won'; the reserve last."""
    from shorttrack.store.models import RelayTeamSkater

    rosters: dict[int, list[str]] = {}
    for team_skater in (
        RelayTeamSkater.objects.public()
        .filter(team_id__in=set(team_ids))
        .select_related("skater")
        .order_by("team_id", "reserve", "order")
    ):
        rosters.setdefault(team_skater.team_id, []).append(team_skater.skater.name)
    return rosters


def race_skaters(line_ids) -> dict[int, list[str]]:
    """result line id -> the skaters who skated that race for its relay team, in order, as
    'PARK Ji-won'; lines without them are left out."""
    from shorttrack.store.models import RaceLineSkater

    skaters: dict[int, list[str]] = {}
    for line_skater in (
        RaceLineSkater.objects.public()
        .filter(line_id__in=set(line_ids))
        .select_related("skater")
        .order_by("line_id", "order")
    ):
        skaters.setdefault(line_skater.line_id, []).append(line_skater.skater.name)
    return skaters
