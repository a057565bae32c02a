"""The season page: the calendar with local session times and status, the standings menu,
where to watch, and the nations' medal table; also the list of seasons.

The same document feeds the HTML page, its JSON twin, the API and the iCalendar feed.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from shorttrack.queries.nation import season_medal_table
from shorttrack.queries.public import (
    competition_statuses,
    local_iso,
    now,
    published_competitions,
    season_slug,
)
from shorttrack.queries.references import season_ref
from shorttrack.queries.standings import (
    classification_slug,
    leader_row,
    season_results,
    standings_menu,
)
from shorttrack.rules.season import season_rules
from shorttrack.rules.standings import classify
from shorttrack.store.models import Broadcaster, Competition, DistanceRace, Season, Session


def seasons_document() -> dict:
    """Every season with a published competition, newest first."""
    seasons = Season.objects.public().order_by("-key")
    return {"seasons": [season_ref(season) for season in seasons]}


def competition_days(
    competition: Competition, sessions: list[Session], finals: list[DistanceRace]
) -> list:
    zone = ZoneInfo(competition.time_zone)
    days = []
    day = competition.start_date
    number = 1
    while day <= competition.end_date:
        days.append(
            {
                "day": number,
                "date": day.isoformat(),
                "sessions": [
                    {
                        "id": s.pk,
                        "name": s.name,
                        "starts_at": local_iso(s.starts_at, competition.time_zone),
                        "ends_at": local_iso(s.ends_at, competition.time_zone),
                    }
                    for s in sessions
                    if s.starts_at.astimezone(zone).date() == day
                ],
                "finals": [
                    {
                        "distance_race_id": dr.pk,
                        "title": dr.title,
                        "finals_at": local_iso(dr.finals_at, competition.time_zone),
                    }
                    for dr in finals
                    if dr.finals_at and dr.finals_at.astimezone(zone).date() == day
                ],
            }
        )
        day += timedelta(days=1)
        number += 1
    return days


def competition_summary(competition: Competition, sessions, finals, status: str) -> dict:
    return {
        "number": competition.number,
        "name": competition.name,
        "city": competition.city,
        "country": competition.country,
        "venue": competition.venue,
        "time_zone": competition.time_zone,
        "start_date": competition.start_date.isoformat(),
        "end_date": competition.end_date.isoformat(),
        "status": status,
        "days": competition_days(competition, sessions, finals),
    }


LEADERS_SHOWN = 5


def season_leaders(season: Season) -> list[dict]:
    """The top of the overall classifications now: what a fan looks for first. Only the
    rows shown are named (a whole standings document names every result of every row)."""
    loaded = season_results(season)
    leaders = []
    for spec in loaded.rules.classifications:
        if spec.kind != "overall":
            continue
        table = classify(loaded.rules, spec, loaded.results)
        leaders.append(
            {
                "classification": spec.key,
                "slug": classification_slug(spec.key),
                "title": spec.title,
                "provisional": table.provisional,
                "rows": [leader_row(row, loaded) for row in table.rows[:LEADERS_SHOWN]],
            }
        )
    return leaders


def season_document(season: Season, today: date | None = None) -> dict:
    """Everything the season page shows. ``today`` (at each venue when None) decides each
    competition's status."""
    competitions = list(published_competitions(season).select_related("season"))
    ids = [c.pk for c in competitions]
    statuses = competition_statuses(competitions, today)
    sessions: dict[int, list[Session]] = {}
    for session in Session.objects.public().filter(competition_id__in=ids).order_by("starts_at"):
        sessions.setdefault(session.competition_id, []).append(session)
    finals: dict[int, list[DistanceRace]] = {}
    for dr in (
        DistanceRace.objects.public().filter(competition_id__in=ids).order_by("finals_at", "id")
    ):
        finals.setdefault(dr.competition_id, []).append(dr)
    broadcasters = (
        Broadcaster.objects.public()
        .filter(season=season)
        .select_related("competition")
        .order_by("country", "name")
    )
    return {
        "season": season_ref(season),
        "start_date": competitions[0].start_date.isoformat() if competitions else None,
        "end_date": max(c.end_date for c in competitions).isoformat() if competitions else None,
        "competitions": [
            competition_summary(c, sessions.get(c.pk, []), finals.get(c.pk, []), statuses[c.pk])
            for c in competitions
        ],
        "standings": standings_menu(season_rules(season.rules_key)),
        "leaders": season_leaders(season),
        "broadcasters": [
            {
                "country": b.country,
                "name": b.name,
                "url": b.url,
                "live_stream": b.live_stream,
                "covers": b.covers,
                "competition": b.competition.number if b.competition_id else None,
            }
            for b in broadcasters
        ],
        "medals": season_medal_table(season),
        "updated_at": now().isoformat(),
        "slug": season_slug(season.key),
    }
