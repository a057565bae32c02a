"""The skater page: who they are, each season's results per distance, World Cup medals and
wins, personal bests with where and when, and their standings positions after each
competition. Only official results of published competitions count. The page spans
seasons: the skater's name prints as the newest season prints names ("LEE Do Yun",
``queries.skater_names``), as the current race pages do; the stored given and family
names are given as stored."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count

from shorttrack.queries import coverage, head_to_head
from shorttrack.queries.public import now, official_rankings
from shorttrack.queries.references import competition_ref, moment, round_label, season_ref
from shorttrack.queries.skater_names import current_convention, printed_skater_name
from shorttrack.queries.standings import classification_slug, season_results
from shorttrack.rules.distances import ALL_DISTANCES, distance
from shorttrack.rules.season import season_rules
from shorttrack.rules.standings import classify
from shorttrack.rules.times import format_time
from shorttrack.store.models import (
    Competition,
    DistanceRace,
    RaceResult,
    RaceResultLine,
    RankingLine,
    RelayTeamSkater,
    Season,
    Skater,
)

MEDALS = {1: "gold", 2: "silver", 3: "bronze"}


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _medals(ranks: list[int | None]) -> dict:
    counts = Counter(MEDALS[r] for r in ranks if r in MEDALS)
    return {
        "gold": counts["gold"],
        "silver": counts["silver"],
        "bronze": counts["bronze"],
        "total": sum(counts.values()),
        "wins": counts["gold"],
    }


def _ranking_results(skater: Skater) -> list[dict]:
    """Every official final rank of the skater, individual and in relay teams."""
    teams = set(
        RelayTeamSkater.objects.public().filter(skater=skater).values_list("team_id", flat=True)
    )
    candidates = DistanceRace.objects.public().filter(
        rankings__lines__skater=skater
    ) | DistanceRace.objects.public().filter(rankings__lines__team__in=teams)
    races = {dr.pk: dr for dr in candidates.distinct().select_related("competition__season")}
    rankings = official_rankings(races)
    ids = [r.pk for r in rankings.values()]
    lines = RankingLine.objects.public().filter(
        ranking_id__in=ids, skater=skater
    ) | RankingLine.objects.public().filter(ranking_id__in=ids, team__in=teams)
    by_ranking = {r.pk: r for r in rankings.values()}
    # Ranks held twice in a ranking: a dead heat, whose points the season's tie rule gives.
    dead_heats = set(
        RankingLine.objects.public()
        .filter(ranking_id__in=list(by_ranking), rank__isnull=False)
        .order_by()
        .values("ranking_id", "rank")
        .annotate(held=Count("id"))
        .filter(held__gt=1)
        .values_list("ranking_id", "rank")
    )
    results = []
    for line in lines.select_related("team"):
        ranking = by_ranking[line.ranking_id]
        dr = races[ranking.distance_race_id]
        season = dr.competition.season
        rules = season_rules(season.rules_key)
        results.append(
            {
                "season": season.key,
                "competition": competition_ref(dr.competition),
                "distance_race_id": dr.pk,
                "distance": dr.distance,
                "title": dr.title,
                "relay": distance(dr.distance).relay,
                "team": line.team.name if line.team_id else None,
                "rank": line.rank,
                "points": rules.points_for(line.rank),
                "points_provisional": rules.points_provisional(
                    line.rank,
                    relay=distance(dr.distance).relay,
                    dead_heat=(line.ranking_id, line.rank) in dead_heats,
                ),
                "final": line.final,
                "final_place": line.final_place,
                "time": format_time(line.time_ms),
                "status": "" if line.status == "finished" else line.status,
                "official_at": moment(ranking.official_at),
                "_time_ms": line.time_ms,
                "_when": ranking.official_at,
                "_competition": dr.competition,
            }
        )
    results.sort(key=lambda r: (r["season"], r["_when"], r["distance_race_id"]))
    return results


def _race_times(skater: Skater) -> list[dict]:
    """Times from the official race results of the skater: where personal bests come from.
    Values, not lines: a skater of a few seasons has hundreds of timed lines."""
    lines = (
        RaceResultLine.objects.public()
        .filter(
            # The result standing now of each race: one query, no revision loaded.
            result__in=RaceResult.objects.newest_official().filter(lines__skater=skater),
            skater=skater,
            time_ms__isnull=False,
            status="finished",
        )
        .order_by("time_ms")
        .values_list(
            "result__race__round__distance_race__distance",
            "time_ms",
            "result__official_at",
            "result__race__round__distance_race__competition_id",
            "result__race_id",
            "result__race__round__kind",
        )
    )
    return [
        {
            "distance": distance_key,
            "time_ms": time_ms,
            "when": official_at,
            "competition": competition_id,
            "race_id": race_id,
            "round": round_label(kind),
        }
        for distance_key, time_ms, official_at, competition_id, race_id, kind in lines
    ]


def personal_bests(skater: Skater, ranked: list[dict]) -> list[dict]:
    """The fastest official time per individual distance, with where and when."""
    candidates: dict[str, list[dict]] = {}
    for t in _race_times(skater):
        candidates.setdefault(t["distance"], []).append(t)
    held = {r["_competition"].pk: r["_competition"] for r in ranked}
    for r in ranked:
        if r["_time_ms"] and not r["relay"]:
            candidates.setdefault(r["distance"], []).append(
                {
                    "distance": r["distance"],
                    "time_ms": r["_time_ms"],
                    "when": r["_when"],
                    "competition": r["_competition"].pk,
                    "race_id": None,
                    "round": "Final" if r["final"] else "",
                }
            )
    best_of = {
        key: min(candidates[key], key=lambda t: (t["time_ms"], t["when"]))
        for key in ALL_DISTANCES
        if key in candidates
    }
    # Only the competitions of the bests are named: a race's line gives its id alone.
    missing = {best["competition"] for best in best_of.values()} - set(held)
    held |= Competition.objects.public().select_related("season").in_bulk(missing)
    bests = []
    for key, best in best_of.items():
        competition = held[best["competition"]]
        zone = competition.time_zone
        bests.append(
            {
                "distance": key,
                "title": distance(key).short_label,
                "time": format_time(best["time_ms"]),
                "time_ms": best["time_ms"],
                "season": competition.season.key,
                "competition": competition_ref(competition),
                "date": best["when"].astimezone(ZoneInfo(zone)).date().isoformat(),
                "race_id": best["race_id"],
                "round": best["round"],
            }
        )
    return bests


def standings_positions(skater: Skater, season: Season) -> list[dict]:
    """The skater's rank and points in each classification they are in, after each
    competition of the season that gave them a result."""
    loaded = season_results(season)
    entrant = f"s{skater.pk}"
    own = [r for r in loaded.results if r.skater == entrant]
    if not own:
        return []
    # Each competition's results become part of the standings when its last ranking is
    # first official: a race keeps its place in the season, whenever it was corrected.
    ends: dict[int, tuple[datetime, object]] = {}
    for result in loaded.results:
        competition = loaded.races[result.race].competition
        known = ends.get(competition.pk)
        if known is None or result.season_moment > known[0]:
            ends[competition.pk] = (result.season_moment, competition)
    raced = {r.distance for r in own}
    specs = [
        spec
        for spec in loaded.rules.classifications
        if spec.entrant == "skater" and raced & set(spec.distances)
    ]
    specs.sort(key=lambda s: (s.kind != "overall", s.key))
    first = min(r.season_moment for r in own)
    moments = sorted(((at, c) for at, c in ends.values() if at >= first), key=lambda m: m[0])
    # The rankings that stood just after each competition (a later correction not known yet).
    stood = {at: loaded.as_of(at).results for at, _ in moments}
    positions = []
    for spec in specs:
        points = []
        for at, competition in moments:
            row = classify(loaded.rules, spec, stood[at]).row(entrant)
            if row is not None:
                points.append(
                    {
                        "after": competition.city,
                        "competition": competition.number,
                        "at": at.isoformat(),
                        "rank": row.rank,
                        "points": row.points,
                    }
                )
        if points:
            positions.append(
                {
                    "classification": spec.key,
                    "slug": classification_slug(spec.key),
                    "title": spec.title,
                    "positions": points,
                }
            )
    return positions


def skater_document(skater: Skater, today: date | None = None) -> dict:
    """Everything the skater page shows, as one JSON document."""
    day = today or now().date()
    ranked = _ranking_results(skater)
    seasons: dict[str, list[dict]] = {}
    for r in ranked:
        seasons.setdefault(r["season"], []).append(r)
    season_rows = {s.key: s for s in Season.objects.public().filter(key__in=seasons)}
    bests = personal_bests(skater, ranked)
    for r in ranked:
        for private in ("_time_ms", "_when", "_competition"):
            r.pop(private)
    season_docs = []
    for key in sorted(seasons, reverse=True):
        season = season_rows[key]
        distances: dict[str, list[dict]] = {}
        for r in seasons[key]:
            distances.setdefault(r["distance"], []).append(r)
        season_docs.append(
            {
                "season": season_ref(season),
                "coverage": coverage.of_season(season),
                "distances": [
                    {
                        "distance": d,
                        "title": distance(d).label,
                        "results": distances[d],
                    }
                    for d in ALL_DISTANCES
                    if d in distances
                ],
                "standings": standings_positions(skater, season),
            }
        )
    individual = [r["rank"] for r in ranked if not r["relay"]]
    relay = [r["rank"] for r in ranked if r["relay"]]
    return {
        "id": skater.pk,
        "name": printed_skater_name(skater, current_convention()),
        "given_name": skater.given_name,
        "family_name": skater.family_name,
        "isu_id": skater.isu_id,
        "gender": skater.gender,
        "nation": {"code": skater.member.code, "name": skater.member.name},
        "birth_date": skater.birth_date.isoformat() if skater.birth_date else None,
        "age": age_on(skater.birth_date, day),
        "fictional": skater.fictional,
        "medals": _medals(individual),
        "relay_medals": _medals(relay),
        "personal_bests": bests,
        "seasons": season_docs,
        "rivals": head_to_head.rivals(skater),
        "updated_at": now().isoformat(),
    }
