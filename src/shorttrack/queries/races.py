"""Finding a distance race the way people name it, its final ranking with points, and a
race's number in its competition's programme.

"Salt Lake City, 500m (1)" with gender women names the women's 500m (1) at Salt Lake City;
a city that hosted two competitions of a season takes the competition number too
("Almaty 4, 500m (1)" or "4, 500m (1)").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min
from django.utils import timezone

from shorttrack.rules.distances import Gender, find_distance, parse_race_label
from shorttrack.rules.programme import ScheduledRace
from shorttrack.rules.programme import programme_numbers as numbered
from shorttrack.rules.season import season_rules, shared_ranks
from shorttrack.rules.times import format_time
from shorttrack.store.models import Competition, DistanceRace, Race, Ranking, Season


def find_competition(season: Season, reference: str) -> Competition:
    """A competition of the season by city, by number, or by 'city number'."""
    text = reference.strip()
    head, _, tail = text.rpartition(" ")
    competitions = season.competitions.all()
    if text.isdigit():
        found = [c for c in competitions if c.number == int(text)]
    elif tail.isdigit():
        found = [
            c for c in competitions if c.number == int(tail) and c.city.lower() == head.lower()
        ]
    else:
        found = [c for c in competitions if c.city.lower() == text.lower()]
    if len(found) == 1:
        return found[0]
    options = "; ".join(f"{c.city} {c.number}" for c in competitions)
    if not found:
        raise ValueError(
            f"no competition {reference!r} in {season.key}: the calendar has {options}"
        )
    raise ValueError(
        f"{reference!r} names {len(found)} competitions of {season.key}: add the number, one of "
        + ", ".join(f"'{c.city} {c.number}'" for c in found)
    )


def find_distance_race(season: Season, reference: str, gender: str | None) -> DistanceRace:
    """'Salt Lake City, 500m (1)' (+ gender) -> that distance race."""
    if "," not in reference:
        raise ValueError(
            f"race {reference!r}: write it as 'CITY, DISTANCE', e.g. 'Salt Lake City, 500m (1)'"
        )
    where, _, label = reference.rpartition(",")
    competition = find_competition(season, where)
    distance_text, instance = parse_race_label(label)
    wanted_gender = Gender.MIXED if "mixed" in distance_text.lower() else gender
    if wanted_gender is None:
        raise ValueError(f"race {reference!r} needs a gender: women or men")
    distance = find_distance(wanted_gender, distance_text)
    try:
        return DistanceRace.objects.select_related("competition__season").get(
            competition=competition, distance=distance.key, instance=instance
        )
    except DistanceRace.DoesNotExist:
        held = ", ".join(dr.title for dr in competition.distance_races.all())
        raise ValueError(
            f"no {distance.race_label(instance)} for {distance.gender.value} at {competition.city} "
            f"{competition.number}: held there were {held}"
        ) from None


def current_ranking(race: DistanceRace, as_of: datetime | None = None) -> Ranking | None:
    """The newest ranking revision of a distance race official at ``as_of`` (now if None)."""
    return race.rankings.official_at(as_of or timezone.now()).order_by("-number").first()


def first_official_at(race: DistanceRace, as_of: datetime | None = None) -> datetime | None:
    """When the final ranking of a distance race was first official, by ``as_of`` (now if
    None; None if not yet): the race's place in the season. A correction (a newer revision,
    ``current_ranking``) keeps it: just before and just after the race mean this moment,
    when the first revision is what stood."""
    official = race.rankings.official_at(as_of or timezone.now())
    return official.aggregate(first=Min("official_at"))["first"]


IMPORTED_PART = "only the places an imported record gives are known"


def incomplete_reason(ranking: Ranking | None) -> str:
    """Why a ranking is incomplete, in words for a reader; '' for a complete one.

    A ranking computed from races says which finals the results lack
    (``rules.ranking.missing_rounds``); an imported one holds the places its source gave."""
    if ranking is None or ranking.complete:
        return ""
    return ranking.incomplete_reason or IMPORTED_PART


def latest_ranking(race: DistanceRace) -> Ranking | None:
    """The newest ranking revision of a distance race, official or not."""
    return race.rankings.order_by("-number").first()


def official_moment(race: DistanceRace) -> datetime:
    """When the final ranking of a distance race was first official (``first_official_at``):
    the moment 'after this race' means, whenever its ranking was corrected."""
    moment = first_official_at(race)
    if moment is None:
        raise ValueError(f"{race} has no official ranking yet")
    return moment


@dataclass(frozen=True)
class RankingRow:
    rank: int | None
    name: str
    nation: str
    final: str
    final_place: int | None
    time: str
    status: str
    points: int
    points_provisional: bool
    skater_id: int | None = None  # links a row to its skater's page
    fictional: bool = False  # a skater the simulator made up


def ranking_rows(
    race: DistanceRace, as_of: datetime | None = None, ranking: Ranking | None = None
) -> list[RankingRow]:
    """The final ranking of a distance race with the World Cup points each rank gives
    (the one official at ``as_of``, or the revision ``ranking`` given)."""
    ranking = ranking or current_ranking(race, as_of)
    if ranking is None:
        return []
    rules = season_rules(race.competition.season.rules_key)
    lines = list(ranking.lines.select_related("skater", "member", "team").order_by("rank", "id"))
    # Points of a relay or of a dead heat rest on those rules too: provisional where they are.
    relay, dead_heats = race.rules_distance.relay, shared_ranks(line.rank for line in lines)
    rows = []
    for line in lines:
        name = (
            line.skater.name if line.skater else (line.team.name if line.team else line.member.name)
        )
        rows.append(
            RankingRow(
                rank=line.rank,
                name=name,
                nation=line.member.code,
                final=line.final,
                final_place=line.final_place,
                time=format_time(line.time_ms),
                status="" if line.status == "finished" else line.status,
                points=rules.points_for(line.rank),
                points_provisional=rules.points_provisional(
                    line.rank, relay=relay, dead_heat=line.rank in dead_heats
                ),
                skater_id=line.skater_id,
                fictional=bool(line.skater and line.skater.fictional),
            )
        )
    # Known ranks first; lines with an unknown rank (a partial record) after them.
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0))


def programme_numbers(competition_id: int) -> dict[int, int]:
    """race id -> the race's number in its competition's programme ("Race 23" on the start
    list and the result sheet), as ``rules.programme`` orders the races from the schedule;
    a race the schedule does not place yet has none.
    Distances are in the order of the competition page: by their finals, then distance."""
    distances = list(
        DistanceRace.objects.filter(competition_id=competition_id)
        .order_by("finals_at", "distance", "instance")
        .values_list("pk", flat=True)
    )
    place = {pk: index for index, pk in enumerate(distances)}
    races = Race.objects.filter(round__distance_race_id__in=distances).values_list(
        "pk",
        "session_id",
        "session__starts_at",
        "scheduled_at",
        "round__order",
        "round__distance_race_id",
        "number",
    )
    return numbered(
        ScheduledRace(pk, starts_at, session, at, order, place[distance], number)
        for pk, session, starts_at, at, order, distance, number in races
    )


def programme_number(race: Race) -> int | None:
    """The race's number in its competition's programme (``programme_numbers``); None
    while the schedule does not place it."""
    return programme_numbers(race.round.distance_race.competition_id).get(race.pk)
