"""Finding a skater, a nation or a competition by what a visitor types.

Names are compared as ``interchange.names.name_key`` compares them: accents, case and
hyphens do not count ('desmet' finds DESMET Hanne, 'dandjinou' DANDJINOU William,
'yilmaz' YILMAZ Emir). Each word typed must begin a word of the name, in any order, so
'kim gil' and 'gil kim' both find KIM Gil-li; a hyphenated name is also one word
('gilli'). Skaters and nations are public by name; competitions only when published.
A skater found prints as the newest season prints names ("KIM Gil Li",
``queries.skater_names``); the search reads the stored name.
"""

from __future__ import annotations

from shorttrack.interchange.names import name_key
from shorttrack.queries.public import now, season_slug
from shorttrack.queries.references import competition_ref
from shorttrack.queries.skater_names import current_convention, printed_skater_ref
from shorttrack.store.models import Competition, Member, RankingLine, Skater

LIMIT = 20  # hits of each kind shown; the counts say how many there are
LONGEST_QUERY = 100


def words(text: str) -> list[str]:
    """The words a text is searched by: 'Gil-li' gives gil, li and gilli; '2022/23' 2022 and 23."""
    found = []
    for part in text.replace("/", " ").split():
        key = name_key(part)
        found.extend(key.split())
        joined = key.replace(" ", "")
        if " " in key:
            found.append(joined)
    return found


def matches(query: list[str], name: list[str]) -> bool:
    """Whether every word of the query begins a word of the name."""
    return bool(query) and all(any(w.startswith(q) for w in name) for q in query)


def _skaters(query: list[str]) -> list[Skater]:
    hits = [
        skater
        for skater in Skater.objects.select_related("member")
        if matches(query, words(f"{skater.family_name} {skater.given_name}"))
    ]
    # A family name begun by the first word first: 'kim' lists the KIMs before KIM-less
    # skaters called Kimberley.
    first = query[0]
    return sorted(
        hits,
        key=lambda s: (
            not any(w.startswith(first) for w in words(s.family_name)),
            name_key(s.family_name),
            name_key(s.given_name),
        ),
    )


def _nation_seasons() -> dict[str, list[str]]:
    """nation code -> the seasons (as slugs, newest first) with a public final ranking of it."""
    seasons: dict[str, set[str]] = {}
    for code, key in (
        RankingLine.objects.public()
        .order_by()  # the default ordering's columns would join the DISTINCT: a row per line
        .values_list("member__code", "ranking__distance_race__competition__season__key")
        .distinct()
    ):
        seasons.setdefault(code, set()).add(key)
    return {
        code: [season_slug(k) for k in sorted(keys, reverse=True)] for code, keys in seasons.items()
    }


def _nations(query: list[str]) -> list[dict]:
    hits = [
        member
        for member in Member.objects.order_by("code")
        if matches(query, [name_key(member.code), *words(member.name)])
    ]
    seasons = _nation_seasons() if hits else {}
    return [
        {"code": member.code, "name": member.name, "seasons": seasons.get(member.code, [])}
        for member in hits
    ]


def _competitions(query: list[str]) -> list[Competition]:
    return [
        competition
        for competition in Competition.objects.public()
        .select_related("season")
        .order_by("-season__key", "number")
        if matches(
            query,
            [
                *words(competition.city),
                name_key(competition.country),
                *words(competition.season.name),
                *words(competition.season.key),
            ],
        )
    ]


def search_document(text: str) -> dict:
    """The skaters, nations and competitions whose names the words of ``text`` begin."""
    text = " ".join(text.split())[:LONGEST_QUERY]
    query = words(text)
    skaters = _skaters(query) if query else []
    nations = _nations(query) if query else []
    competitions = _competitions(query) if query else []
    convention = current_convention()
    return {
        "query": text,
        "skaters": [
            {**printed_skater_ref(skater, convention), "gender": skater.gender}
            for skater in skaters[:LIMIT]
        ],
        "nations": nations[:LIMIT],
        "competitions": [competition_ref(c) for c in competitions[:LIMIT]],
        "counts": {
            "skaters": len(skaters),
            "nations": len(nations),
            "competitions": len(competitions),
        },
        "updated_at": now().isoformat(),
    }
