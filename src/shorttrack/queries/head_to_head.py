"""The head-to-head page: every official race two skaters both skated, who finished ahead in
each, by season and distance, with the totals; and the final rankings of the distance races
both were ranked in, with who ranked higher. Only official results of published
competitions count (the newest official revision of each race and ranking); who finished
ahead is rules.head_to_head. Names print as the newest season prints them
(``queries.skater_names``): the page spans seasons, and reads as the current race pages; a
penalised, unfinished or non-starting line prints its mark in place of a time
(``rules.isu_sheet.printed_time``)."""

from __future__ import annotations

from django.db.models import Count

from shorttrack.queries import coverage
from shorttrack.queries.public import NotFound, now, official_rankings
from shorttrack.queries.references import competition_ref, round_label, season_ref
from shorttrack.queries.skater_names import current_convention, printed_skater_ref
from shorttrack.rules.distances import ALL_DISTANCES, distance
from shorttrack.rules.head_to_head import ahead
from shorttrack.rules.isu_sheet import printed_time
from shorttrack.rules.times import format_time
from shorttrack.store.models import (
    DistanceRace,
    RaceResult,
    RaceResultLine,
    RankingLine,
    Season,
    Skater,
)

RIVALS = 5  # the skaters a skater's page offers a head-to-head with


def _line(line) -> dict:
    status = "" if line.status == "finished" else line.status
    return {
        "place": line.place,
        "time": printed_time(status, format_time(line.time_ms)),
        "status": status,
        "mark": line.mark,
    }


def _tally(rows: list[dict]) -> dict:
    return {
        "a": sum(r["ahead"] == "a" for r in rows),
        "b": sum(r["ahead"] == "b" for r in rows),
        "neither": sum(r["ahead"] is None for r in rows),
        "races": len(rows),
    }


def _races(a: Skater, b: Skater) -> list[dict]:
    """Every race whose standing result has a line for each of them."""
    results = RaceResult.objects.newest_official().filter(lines__skater=a).filter(lines__skater=b)
    lines = (
        RaceResultLine.objects.public()
        .filter(result__in=results.values("pk"), skater__in=[a, b])
        .select_related("result__race__round__distance_race__competition__season")
    )
    by_race: dict[int, dict] = {}
    for line in lines:
        race = line.result.race
        row = by_race.setdefault(
            race.pk,
            {"race": race, "official_at": line.result.official_at},
        )
        row["a" if line.skater_id == a.pk else "b"] = line
    races = []
    for row in by_race.values():
        race, line_a, line_b = row["race"], row["a"], row["b"]
        dr = race.round.distance_race
        races.append(
            {
                "race_id": race.pk,
                "season": dr.competition.season,
                "distance": dr.distance,
                "competition": competition_ref(dr.competition),
                "distance_race_id": dr.pk,
                "title": dr.title,
                "round": round_label(race.round.kind),
                "race_number": race.number,
                "a": _line(line_a),
                "b": _line(line_b),
                "ahead": ahead(line_a.place, line_b.place),
                "_order": (row["official_at"], race.round.order, race.number),
            }
        )
    races.sort(key=lambda r: r["_order"])
    return races


def _ranked(line: RankingLine) -> dict:
    return {"rank": line.rank, "time": printed_time(line.status, format_time(line.time_ms))}


def _rankings(a: Skater, b: Skater) -> list[dict]:
    """The final ranking of each distance race both were ranked in, individually."""
    candidates = (
        DistanceRace.objects.public()
        .filter(rankings__lines__skater=a)
        .filter(rankings__lines__skater=b)
    )
    races = {dr.pk: dr for dr in candidates.distinct().select_related("competition__season")}
    rankings = official_rankings(races)
    lines = RankingLine.objects.public().filter(
        ranking_id__in=[r.pk for r in rankings.values()], skater__in=[a, b]
    )
    by_ranking: dict[int, dict] = {}
    for line in lines:
        by_ranking.setdefault(line.ranking_id, {})["a" if line.skater_id == a.pk else "b"] = line
    distance_of = {r.pk: r.distance_race_id for r in rankings.values()}
    rows = []
    for ranking_id, pair in by_ranking.items():
        if len(pair) < 2:
            continue  # one of them is only in an earlier revision of the ranking
        dr = races[distance_of[ranking_id]]
        rows.append(
            {
                "distance_race_id": dr.pk,
                "season": dr.competition.season.key,
                "competition": competition_ref(dr.competition),
                "distance": dr.distance,
                "title": dr.title,
                "a": _ranked(pair["a"]),
                "b": _ranked(pair["b"]),
                "ahead": ahead(pair["a"].rank, pair["b"].rank),
                "_order": (
                    dr.competition.start_date,
                    dr.finals_at.isoformat() if dr.finals_at else "~",
                    dr.pk,
                ),
            }
        )
    rows.sort(key=lambda r: r["_order"])
    for row in rows:
        row.pop("_order")
    return rows


def head_to_head_document(a: Skater, b: Skater) -> dict:
    """Everything the head-to-head page of ``a`` and ``b`` shows, as one JSON document."""
    if a.pk == b.pk:
        raise NotFound("a head-to-head is of two different skaters")
    races = _races(a, b)
    seasons: dict[str, dict] = {}
    for race in races:
        season = race.pop("season")
        race.pop("_order")
        entry = seasons.setdefault(season.key, {"season": season, "distances": {}})
        entry["distances"].setdefault(race["distance"], []).append(race)
    season_docs = []
    for key in sorted(seasons, reverse=True):
        distances = seasons[key]["distances"]
        season_races = [r for d in distances.values() for r in d]
        season_docs.append(
            {
                "season": season_ref(seasons[key]["season"]),
                "totals": _tally(season_races),
                "distances": [
                    {
                        "distance": d,
                        "title": distance(d).label,
                        "totals": _tally(distances[d]),
                        "races": distances[d],
                    }
                    for d in ALL_DISTANCES
                    if d in distances
                ],
            }
        )
    rankings = _rankings(a, b)
    convention = current_convention()
    return {
        "a": printed_skater_ref(a, convention),
        "b": printed_skater_ref(b, convention),
        "totals": _tally(races),
        "seasons": season_docs,
        "rankings": rankings,
        "ranking_totals": _tally(rankings),
        "coverage": _incomplete_seasons(a, b),
        "updated_at": now().isoformat(),
    }


def _incomplete_seasons(a: Skater, b: Skater) -> list[dict]:
    """The seasons either skater was ranked in whose results the store holds only in
    part (queries/coverage.py), newest first: there "no race together" is not known."""
    seasons = Season.objects.public().filter(
        competitions__distance_races__rankings__lines__skater__in=[a, b]
    )
    held = [(season, coverage.of_season(season)) for season in seasons.distinct()]
    return [
        {"season": season_ref(season), "coverage": of}
        for season, of in sorted(held, key=lambda h: h[0].key, reverse=True)
        if not of["complete"]
    ]


def rivals(skater: Skater, limit: int = RIVALS) -> list[dict]:
    """The skaters ``skater`` met most, for the head-to-heads their page links to: by the
    official races both skated, then by the final rankings both were ranked in (a season
    imported from podiums has rankings but no races), then by name; names as the newest
    season prints them (``queries.skater_names``)."""
    results = RaceResult.objects.newest_official().filter(lines__skater=skater)
    races = dict(
        RaceResultLine.objects.public()
        .filter(result__in=results.values("pk"), skater__isnull=False)
        .exclude(skater=skater)
        .values("skater")
        .annotate(met=Count("result__race", distinct=True))
        .values_list("skater", "met")
    )
    ranked_in = (
        DistanceRace.objects.public().filter(rankings__lines__skater=skater).order_by().distinct()
    )
    current = [r.pk for r in official_rankings(ranked_in.values_list("pk", flat=True)).values()]
    current_with = RankingLine.objects.public().filter(ranking_id__in=current, skater=skater)
    rankings = dict(
        RankingLine.objects.public()
        .filter(ranking_id__in=current_with.values("ranking_id"), skater__isnull=False)
        .exclude(skater=skater)
        .values("skater")
        .annotate(met=Count("ranking__distance_race", distinct=True))
        .values_list("skater", "met")
    )
    others = Skater.objects.filter(pk__in=set(races) | set(rankings)).select_related("member")
    ordered = sorted(
        others, key=lambda o: (-races.get(o.pk, 0), -rankings.get(o.pk, 0), o.name, o.pk)
    )
    convention = current_convention()
    return [
        {
            **printed_skater_ref(other, convention),
            "races": races.get(other.pk, 0),
            "rankings": rankings.get(other.pk, 0),
        }
        for other in ordered[:limit]
    ]
