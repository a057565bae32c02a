"""A nation's season: its skaters and their best places, its medal table by distance, and
the season's medal table of all nations. Medals are the places 1-3 of the official final
rankings of published competitions. Skaters' names print as the season prints them ("LEE
Do Yun" where its rules space Korean given names, ``queries.skater_names``)."""

from __future__ import annotations

from collections import Counter

from shorttrack.queries.public import NotFound, now, official_rankings
from shorttrack.queries.references import season_ref
from shorttrack.queries.skater_names import printed_name, printed_skater_ref, season_convention
from shorttrack.rules.distances import ALL_DISTANCES, distance
from shorttrack.store.models import (
    DistanceRace,
    Member,
    RaceResult,
    RaceResultLine,
    RankingLine,
    Season,
    Skater,
)

MEDALS = {1: "gold", 2: "silver", 3: "bronze"}


def _season_rankings(season: Season) -> tuple[dict[int, DistanceRace], dict]:
    races = {
        dr.pk: dr
        for dr in DistanceRace.objects.public()
        .filter(competition__season=season)
        .select_related("competition")
    }
    return races, official_rankings(races)


# What a podium line of the nation pages shows: values, not model objects (a season has
# hundreds of podium lines).
_PODIUM_COLUMNS = (
    "ranking_id",
    "rank",
    "member_id",
    "member__code",
    "skater_id",
    "skater__family_name",
    "skater__given_name",
    "skater__member__code",
    "team_id",
    "team__name",
)


def _podium_lines(races: dict[int, DistanceRace], rankings: dict) -> list[tuple]:
    """(distance race, podium line as a dict) of the season's official rankings."""
    by_ranking = {ranking.pk: races[race_id] for race_id, ranking in rankings.items()}
    lines = (
        RankingLine.objects.public()
        .filter(ranking_id__in=by_ranking, rank__in=MEDALS)
        .order_by("ranking_id", "rank", "id")
        .values(*_PODIUM_COLUMNS)
    )
    return [(by_ranking[line["ranking_id"]], line) for line in lines]


def _count(counter: Counter) -> dict:
    gold, silver, bronze = counter["gold"], counter["silver"], counter["bronze"]
    return {"gold": gold, "silver": silver, "bronze": bronze, "total": gold + silver + bronze}


def season_medal_table(season: Season) -> list[dict]:
    """Nations by gold, then silver, then bronze medals."""
    medals: dict[str, Counter] = {}
    names = dict(Member.objects.values_list("code", "name"))
    for _, line in _podium_lines(*_season_rankings(season)):
        medals.setdefault(line["member__code"], Counter())[MEDALS[line["rank"]]] += 1
    rows = [
        {"nation": code, "name": names.get(code, code), **_count(c)} for code, c in medals.items()
    ]
    rows.sort(key=lambda r: (-r["gold"], -r["silver"], -r["bronze"], r["nation"]))
    return rows


def nation_document(season: Season, code: str) -> dict:
    """A nation's season: skaters, medals by distance, every podium."""
    try:
        member = Member.objects.get(code=code.upper())
    except Member.DoesNotExist:
        raise NotFound(f"no nation {code}") from None

    races, rankings = _season_rankings(season)
    podiums = [
        (dr, line) for dr, line in _podium_lines(races, rankings) if line["member_id"] == member.pk
    ]
    by_distance: dict[str, Counter] = {}
    per_skater: dict[int, Counter] = {}
    for dr, line in podiums:
        by_distance.setdefault(dr.distance, Counter())[MEDALS[line["rank"]]] += 1
        if line["skater_id"]:
            per_skater.setdefault(line["skater_id"], Counter())[MEDALS[line["rank"]]] += 1

    ranked: dict[int, list[int | None]] = {}
    for skater_id, rank in (
        RankingLine.objects.public()
        .filter(
            ranking_id__in=[r.pk for r in rankings.values()], member=member, skater__isnull=False
        )
        .values_list("skater_id", "rank")
    ):
        ranked.setdefault(skater_id, []).append(rank)
    raced = set(
        RaceResultLine.objects.public()
        .filter(
            # The result standing now of each race: one query, no revision loaded.
            result__in=RaceResult.objects.newest_official()
            .filter(race__round__distance_race_id__in=races)
            .values("pk"),
            member=member,
            skater__isnull=False,
        )
        .values_list("skater_id", flat=True)
    )
    skaters = Skater.objects.filter(pk__in=set(ranked) | raced).select_related("member")
    total = Counter()
    for counter in by_distance.values():
        total.update(counter)
    convention = season_convention(season)

    return {
        "nation": {"code": member.code, "name": member.name},
        "season": season_ref(season),
        "skaters": [
            {
                **printed_skater_ref(skater, convention),
                "gender": skater.gender,
                "rankings": len(ranked.get(skater.pk, [])),
                "best_rank": min((r for r in ranked.get(skater.pk, []) if r), default=None),
                "medals": _count(per_skater.get(skater.pk, Counter())),
            }
            for skater in sorted(skaters, key=lambda s: (s.gender, s.family_name, s.given_name))
        ],
        "medals": {
            "distances": [
                {"distance": key, "title": distance(key).label, **_count(by_distance[key])}
                for key in ALL_DISTANCES
                if key in by_distance
            ],
            "total": _count(total),
        },
        "podiums": [
            {
                "competition": dr.competition.number,
                "city": dr.competition.city,
                "distance_race_id": dr.pk,
                "title": dr.title,
                "rank": line["rank"],
                "medal": MEDALS[line["rank"]],
                "name": printed_name(
                    line["skater__family_name"],
                    line["skater__given_name"],
                    line["skater__member__code"],
                    convention,
                )
                if line["skater_id"]
                else (line["team__name"] if line["team_id"] else member.code),
                "skater_id": line["skater_id"],
            }
            for dr, line in sorted(
                podiums,
                key=lambda p: (p[0].competition.number, p[0].finals_at or now(), p[1]["rank"]),
            )
        ],
        "updated_at": now().isoformat(),
    }
