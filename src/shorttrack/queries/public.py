"""What the public may see, in one place: every public query goes through these.

A competition is public when it is published. A race's result is public from the moment
its newest revision became official (``RaceResult.official_at``); a revision that is not
official (being entered, under review, a draft correction) shows nowhere, and while a new
revision is being reviewed the last official one stands. A final ranking is public from
its ``official_at`` likewise. Start lists and entry lists of a published competition are
public as soon as they exist: they are what the press prints before the racing.

The rules are written once, as the store's queryset methods (``shorttrack.store.visibility``:
``Competition.objects.public()``, ``RaceResult.objects.official_at(moment)`` ...); the
helpers here and every query, stream and feed read through them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from shorttrack.rules.competition_status import Progress
from shorttrack.rules.competition_status import competition_status as status_of
from shorttrack.store.models import (
    Competition,
    DistanceRace,
    Race,
    RaceResult,
    Ranking,
    Season,
    Skater,
)


class NotFound(LookupError):
    """A page asked for something that does not exist or is not public."""


def season_slug(key: str) -> str:
    """'2022/23' -> '2022-23', the form a URL carries."""
    return key.replace("/", "-")


def season_by_slug(slug: str) -> Season:
    try:
        return Season.objects.get(key=slug.replace("-", "/"))
    except Season.DoesNotExist:
        raise NotFound(f"no season {slug}") from None


def current_season() -> Season | None:
    """The season a visitor of the home page wants: the newest real season with a published
    competition, else the newest season of any kind."""
    with_competitions = Season.objects.public()
    return (
        with_competitions.filter(simulated=False).order_by("-key").first()
        or with_competitions.order_by("-key").first()
        or Season.objects.order_by("-key").first()
    )


def published_competitions(season: Season):
    return Competition.objects.public().filter(season=season).order_by("number")


def competition_by_number(season: Season, number: int) -> Competition:
    try:
        return (
            Competition.objects.public().select_related("season").get(season=season, number=number)
        )
    except Competition.DoesNotExist:
        raise NotFound(f"no competition {number} in {season.key}") from None


def public_race(race_id: int) -> Race:
    try:
        return (
            Race.objects.public()
            .select_related("round__distance_race__competition__season", "session")
            .get(pk=race_id)
        )
    except Race.DoesNotExist:
        raise NotFound(f"no race {race_id}") from None


def public_skater(skater_id: int) -> Skater:
    try:
        return Skater.objects.select_related("member").get(pk=skater_id)
    except Skater.DoesNotExist:
        raise NotFound(f"no skater {skater_id}") from None


def now() -> datetime:
    return timezone.now()


def official_results(races: Iterable[int], as_of: datetime | None = None) -> dict[int, RaceResult]:
    """race id -> its newest revision official at ``as_of`` (now when None)."""
    moment = as_of or now()
    current: dict[int, RaceResult] = {}
    for result in (
        RaceResult.objects.official_at(moment)
        .filter(race_id__in=list(races))
        .select_related("revision", "revision__recorded_by")
        .order_by("race_id", "number")
    ):
        current[result.race_id] = result
    return current


def official_rankings(
    distance_races: Iterable[int], as_of: datetime | None = None
) -> dict[int, Ranking]:
    """distance race id -> its newest ranking revision official at ``as_of`` (now when None)."""
    moment = as_of or now()
    current: dict[int, Ranking] = {}
    for ranking in (
        Ranking.objects.official_at(moment)
        .filter(distance_race_id__in=list(distance_races))
        .order_by("distance_race_id", "number")
    ):
        current[ranking.distance_race_id] = ranking
    return current


def competition_status(competition: Competition, today: date | None = None) -> str:
    """'upcoming', 'live' or 'finished' by what has been skated in it
    (``rules.competition_status``), on ``today`` at the venue (now when None)."""
    return competition_statuses([competition], today)[competition.pk]


def competition_statuses(
    competitions: Iterable[Competition], today: date | None = None
) -> dict[int, str]:
    """``competition_status`` of each competition, by id: three queries for a season's
    calendar, not three per competition."""
    competitions = list(competitions)
    ids = [c.pk for c in competitions]
    distances: dict[int, int] = {}
    for competition_id in (
        DistanceRace.objects.public()
        .filter(competition_id__in=ids)
        .values_list("competition_id", flat=True)
    ):
        distances[competition_id] = distances.get(competition_id, 0) + 1
    ranked: dict[int, int] = {}
    # A distance race is ranked when a revision of its ranking is official now.
    for competition_id, _ in (
        Ranking.objects.official_at(now())
        .filter(distance_race__competition_id__in=ids)
        .order_by()
        .values_list("distance_race__competition_id", "distance_race_id")
        .distinct()
    ):
        ranked[competition_id] = ranked.get(competition_id, 0) + 1
    started = set(
        Race.objects.public()
        .filter(round__distance_race__competition_id__in=ids)
        .exclude(status="scheduled")
        .order_by()
        .values_list("round__distance_race__competition_id", flat=True)
        .distinct()
    )
    statuses = {}
    for competition in competitions:
        progress = Progress(
            distances=distances.get(competition.pk, 0),
            ranked=ranked.get(competition.pk, 0),
            race_started=competition.pk in started,
        )
        local_today = today or now().astimezone(ZoneInfo(competition.time_zone)).date()
        statuses[competition.pk] = status_of(
            progress, local_today, competition.start_date, competition.end_date
        )
    return statuses


def local_iso(moment: datetime | None, time_zone: str) -> str | None:
    """An aware moment as ISO 8601 in the venue's time zone: '2022-10-29T14:00:00-04:00'."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(time_zone)).isoformat()


def utc_iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo("UTC")).isoformat()
