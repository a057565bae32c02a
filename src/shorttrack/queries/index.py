"""The indexes: the skaters of a season by nation, the nations, a nation's skaters.

A skater is in a season when the season's published competitions show them: entered in a
distance race, on an official result sheet or in an official final ranking. A nation is
listed with the seasons its skaters were in.

Names print as a season prints them (``queries.skater_names``): a season's skater index as
that season's rules say ("LEE Do Yun"), a nation's skaters of every season as the newest
season's rules say.
"""

from __future__ import annotations

from shorttrack.interchange.names import name_key
from shorttrack.queries.public import NotFound, now, season_slug
from shorttrack.queries.references import season_ref
from shorttrack.queries.skater_names import (
    current_convention,
    printed_skater_ref,
    season_convention,
)
from shorttrack.store.models import Entry, Member, RaceResultLine, RankingLine, Season, Skater


def _appearances(season: Season | None = None, member: Member | None = None) -> dict[int, set[str]]:
    """skater id -> the keys of the seasons they were in (of ``season`` alone, of the
    skaters of ``member`` alone, if given)."""
    seasons: dict[int, set[str]] = {}
    rows = (
        (Entry.objects.public(), "distance_race__competition__season"),
        (
            RaceResultLine.objects.public(),
            "result__race__round__distance_race__competition__season",
        ),
        (RankingLine.objects.public(), "ranking__distance_race__competition__season"),
    )
    for queryset, lookup in rows:
        if season is not None:
            queryset = queryset.filter(**{lookup: season})
        if member is not None:
            queryset = queryset.filter(skater__member=member)
        # No ordering: the models' default one would join its columns into the DISTINCT,
        # a row per line instead of one per skater and season.
        for skater_id, key in (
            queryset.filter(skater__isnull=False)
            .order_by()
            .values_list("skater_id", f"{lookup}__key")
            .distinct()
        ):
            seasons.setdefault(skater_id, set()).add(key)
    return seasons


def _slugs(keys: set[str]) -> list[str]:
    return [season_slug(key) for key in sorted(keys, reverse=True)]


def _skater(skater: Skater, convention: str) -> dict:
    return {**printed_skater_ref(skater, convention), "gender": skater.gender}


def _by_name(skater: Skater) -> tuple:
    return (name_key(skater.family_name), name_key(skater.given_name))


def season_skaters_document(season: Season) -> dict:
    """The season's skaters, nation by nation (nations by code, skaters by name)."""
    seasons = _appearances(season=season)
    by_nation: dict[str, list[Skater]] = {}
    for skater in Skater.objects.filter(pk__in=seasons).select_related("member"):
        by_nation.setdefault(skater.member.code, []).append(skater)
    names = dict(Member.objects.values_list("code", "name"))
    convention = season_convention(season)
    return {
        "season": season_ref(season),
        "nations": [
            {
                "code": code,
                "name": names[code],
                "skaters": [_skater(s, convention) for s in sorted(by_nation[code], key=_by_name)],
            }
            for code in sorted(by_nation)
        ],
        "count": len(seasons),
        "updated_at": now().isoformat(),
    }


def nations_document() -> dict:
    """Every nation whose skaters were in a season, with those seasons and how many skaters."""
    seasons = _appearances()
    nations: dict[str, dict] = {}
    for skater_id, code, name in Skater.objects.filter(pk__in=seasons).values_list(
        "pk", "member__code", "member__name"
    ):
        row = nations.setdefault(code, {"code": code, "name": name, "keys": set(), "skaters": 0})
        row["keys"] |= seasons[skater_id]
        row["skaters"] += 1
    return {
        "nations": [
            {
                "code": row["code"],
                "name": row["name"],
                "seasons": _slugs(row["keys"]),
                "skaters": row["skaters"],
            }
            for row in sorted(nations.values(), key=lambda r: r["code"])
        ],
        "updated_at": now().isoformat(),
    }


def nation_skaters_document(code: str) -> dict:
    """A nation's skaters of every season, by name, each with the seasons they were in."""
    try:
        member = Member.objects.get(code=code.upper())
    except Member.DoesNotExist:
        raise NotFound(f"no nation {code}") from None
    seasons = _appearances(member=member)
    skaters = sorted(
        Skater.objects.filter(pk__in=seasons, member=member).select_related("member"),
        key=_by_name,
    )
    keys = set().union(*(seasons[s.pk] for s in skaters))
    convention = current_convention()
    return {
        "nation": {"code": member.code, "name": member.name},
        "seasons": _slugs(keys),
        "skaters": [{**_skater(s, convention), "seasons": _slugs(seasons[s.pk])} for s in skaters],
        "updated_at": now().isoformat(),
    }
