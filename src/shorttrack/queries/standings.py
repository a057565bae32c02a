"""World Cup standings of a season at any moment, from the rankings in the store.

A ranking revision counts from its ``official_at``; for each distance race the newest
revision official at the moment is used, so a correction made official later never
changes the standings shown for an earlier moment.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from shorttrack.rules.season import SeasonRules, season_rules
from shorttrack.rules.standings import RankedResult, Standings, all_classifications, classify
from shorttrack.store.models import DistanceRace, Member, Ranking, RankingLine, Season, Skater


@dataclass(frozen=True)
class Entrant:
    """Who a standings row is about, ready to print."""

    key: str
    name: str  # "PARK Ji-won" or "Republic of Korea"
    nation: str

    @property
    def display(self) -> str:
        return f"{self.name} ({self.nation})" if self.name != self.nation else self.name


@dataclass(frozen=True)
class SeasonResults:
    season: Season
    rules: SeasonRules
    results: tuple[RankedResult, ...]
    races: dict[str, DistanceRace]  # RankedResult.race -> distance race
    entrants: dict[str, Entrant]


def race_key(distance_race_id: int) -> str:
    """The opaque race id the rules core sees; zero-padded so that it sorts as it was created."""
    return f"{distance_race_id:09d}"


def get_season(key: str) -> Season:
    try:
        return Season.objects.get(key=key)
    except Season.DoesNotExist:
        known = ", ".join(Season.objects.values_list("key", flat=True)) or "none imported"
        raise ValueError(f"unknown season {key!r}: seasons in the database are {known}") from None


@dataclass(frozen=True)
class _SeasonRankings:
    """Every ranking revision of a season, ready for the rules core: (distance race id,
    revision number, official_at, its results), in revision order."""

    revisions: tuple[tuple[int, int, datetime, tuple[RankedResult, ...]], ...]


# Loaded rankings per season, keyed by what they derive from: ranking revisions are only
# ever added (never updated), so their count and newest id identify the set.
_loaded_rankings: dict[int, tuple[tuple, _SeasonRankings]] = {}


def _season_rankings(season: Season, races: dict[str, DistanceRace]) -> _SeasonRankings:
    revisions = Ranking.objects.filter(
        distance_race__competition__season=season, official_at__isnull=False
    )
    fingerprint = (
        revisions.count(),
        revisions.aggregate(last=Max("id"))["last"],
        tuple(sorted(races)),
    )
    cached = _loaded_rankings.get(season.pk)
    if cached and cached[0] == fingerprint:
        return cached[1]

    members = dict(Member.objects.values_list("id", "code"))
    heads = {
        ranking_id: (race_id, number, official_at)
        for ranking_id, race_id, number, official_at in revisions.filter(
            distance_race_id__in=[dr.pk for dr in races.values()]
        ).values_list("id", "distance_race_id", "number", "official_at")
    }
    lines: dict[int, list[RankedResult]] = {ranking_id: [] for ranking_id in heads}
    for ranking_id, rank, skater_id, team_id, member_id in RankingLine.objects.filter(
        ranking_id__in=heads
    ).values_list("ranking_id", "rank", "skater_id", "team_id", "member_id"):
        race_id, _, official_at = heads[ranking_id]
        nation = members[member_id]
        if skater_id:
            entrant = skater = f"s{skater_id}"
        else:
            entrant, skater = (f"t{team_id}" if team_id else f"n{nation}"), None
        key = race_key(race_id)
        lines[ranking_id].append(
            RankedResult(key, races[key].distance, entrant, nation, rank, official_at, skater)
        )
    loaded = _SeasonRankings(
        tuple(
            (race_id, number, official_at, tuple(lines[ranking_id]))
            for ranking_id, (race_id, number, official_at) in sorted(
                heads.items(), key=lambda h: (h[1][0], h[1][1])
            )
        )
    )
    _loaded_rankings[season.pk] = (fingerprint, loaded)
    # The cache is long-lived and free of reference cycles: moving it out of the collector's
    # generations stops full collections from walking it on every standings request
    # (measured: p95 of all classifications 70 ms -> 23 ms, bench/standings.py).
    gc.freeze()
    return loaded


def season_results(season: Season | str, as_of: datetime | None = None) -> SeasonResults:
    """Every final rank of the season that was official at ``as_of`` (now when None)."""
    if isinstance(season, str):
        season = get_season(season)
    moment = as_of or timezone.now()
    races = {
        race_key(dr.pk): dr
        for dr in DistanceRace.objects.filter(
            competition__season=season, competition__published=True
        ).select_related("competition")
    }
    # The newest revision of each distance race that was official at the moment.
    current: dict[int, tuple[RankedResult, ...]] = {}
    for race_id, _, official_at, results in _season_rankings(season, races).revisions:
        if official_at <= moment:
            current[race_id] = results
    results = tuple(r for race_results in current.values() for r in race_results)

    skater_ids = {int(r.skater[1:]) for r in results if r.skater}
    entrants = {
        f"s{pk}": Entrant(f"s{pk}", f"{family.upper()} {given}", code)
        for pk, family, given, code in Skater.objects.filter(pk__in=skater_ids).values_list(
            "pk", "family_name", "given_name", "member__code"
        )
    }
    for code, name in Member.objects.values_list("code", "name"):
        entrants[code] = Entrant(code, name, code)
    return SeasonResults(season, season_rules(season.rules_key), results, races, entrants)


def standings(
    season: Season | str, classification: str, as_of: datetime | None = None
) -> tuple[Standings, SeasonResults]:
    """One classification ('overall-women', 'M1000', 'W3000R', 'nations') at ``as_of``."""
    loaded = season_results(season, as_of)
    spec = loaded.rules.classification(classification)
    return classify(loaded.rules, spec, loaded.results, as_of), loaded


def every_standings(
    season: Season | str, as_of: datetime | None = None
) -> tuple[dict[str, Standings], SeasonResults]:
    loaded = season_results(season, as_of)
    return all_classifications(loaded.rules, loaded.results, as_of), loaded


def classification_key(classification: str, gender: str | None) -> str:
    """The key of a classification from the words a person types:
    ('overall', 'women') -> 'overall-women'; ('1500m', 'men') -> 'M1500';
    ('relay', 'women') -> 'W3000R'; ('mixed-relay', None) -> 'X2000R'; ('nations', None)."""
    from shorttrack.rules.distances import Gender, find_distance

    word = classification.strip().lower()
    if word in ("nations", "team", "nation"):
        return "nations"
    if word in ("mixed-relay", "mixed relay", "mixed"):
        return "X2000R"
    if gender is None:
        raise ValueError(f"classification {classification!r} needs a gender: women or men")
    g = Gender.parse(gender)
    if word == "overall":
        return f"overall-{g.value}"
    return find_distance(g, word).key


def race_name(race: DistanceRace) -> str:
    """'Montreal, Men's 1000m (2)' — how a race is named in a standings breakdown."""
    return f"{race.competition.city}, {race.title}"


def standings_document(table: Standings, loaded: SeasonResults) -> dict:
    """The JSON form of a classification, shared by the CLI, the site and the API."""
    leader_points = table.rows[0].points if table.rows else 0
    rows = []
    for i, row in enumerate(table.rows):
        entrant = loaded.entrants.get(row.entrant) or Entrant(row.entrant, row.entrant, row.nation)
        rows.append(
            {
                "rank": row.rank,
                "name": entrant.name,
                "nation": row.nation,
                "points": row.points,
                "behind_leader": leader_points - row.points,
                "behind_next": (table.rows[i - 1].points - row.points) if i else 0,
                "results": [
                    {
                        "race": race_name(loaded.races[s.result.race]),
                        "rank": s.result.rank,
                        "points": s.points,
                        "counted": s.counted,
                        "official_at": s.result.official_at.isoformat(),
                    }
                    for s in row.results
                ],
            }
        )
    spec = table.spec
    return {
        "season": loaded.season.key,
        "classification": spec.key,
        "title": spec.title,
        "counting": spec.counting.value.describe(),
        "provisional": table.provisional,
        "as_of": table.as_of.isoformat() if table.as_of else None,
        "rows": rows,
    }
