"""The documents of the public pages, cached by what they derive from.

Every public page is one JSON document built by one function of ``shorttrack.queries``;
the HTML view renders it, the JSON view and the API return it. This module names each
document by its family and parameters and keeps it in Django's cache under a key that
holds the *results version*: the newest id of every table a page can show (race results,
rankings, race events, revisions, entries, start lists, sessions, broadcasters,
competitions, live announcements), the number of published competitions, and a counter that
``shorttrack.live.publish`` bumps when a change is committed. Any new result, correction or
publication changes the version, so no page is served from before it; rows changed in
place without a publish (a calendar typo fixed in the admin) show when the entry expires
(``CACHES['default']['TIMEOUT']``, five minutes).

Each family's document is checked against its shape (``shapes``, the one declaration the
API and its OpenAPI document are made from) when it is built, so what the page, its JSON
twin and the API show is what the OpenAPI document describes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from pydantic import ValidationError

from shorttrack.queries import (
    calendar,
    competition,
    head_to_head,
    index,
    nation,
    press,
    public,
    race,
    search,
    shapes,
    skater,
    standings,
)
from shorttrack.store import models

LIVE_COUNTER = "live-version"

_TABLES = (
    models.RaceResult,
    models.Ranking,
    models.RaceEvent,
    models.Revision,
    models.Entry,
    models.StartListLine,
    models.Session,
    models.Broadcaster,
    models.Competition,
    models.Skater,
    models.Announcement,  # a change announced: fresh from its commit, even with Redis down
)


def _fingerprint_sql() -> str:
    parts = [f"(SELECT MAX(id) FROM {table._meta.db_table})" for table in _TABLES]
    competitions = models.Competition._meta.db_table
    parts.append(f"(SELECT COUNT(*) FROM {competitions} WHERE published)")
    return "SELECT " + ", ".join(parts)


def results_version() -> str:
    """What every public page derives from, as a short string: changes when anything a
    page shows is added, or when a service publishes a change (live.publish)."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        row = cursor.fetchone()
    counter = cache.get(LIVE_COUNTER, 0)
    return f"{counter}." + ".".join(str(value or 0) for value in row)


def bump_version() -> int:
    """Called by live.publish when a change is committed: every cached page is stale."""
    cache.add(LIVE_COUNTER, 0, timeout=None)
    try:
        return cache.incr(LIVE_COUNTER)
    except ValueError:  # evicted between add and incr
        cache.set(LIVE_COUNTER, 1, timeout=None)
        return 1


def cache_key(kind: str, params: tuple, version: str) -> str:
    digest = hashlib.sha1(repr(params).encode(), usedforsecurity=False).hexdigest()[:16]
    return f"page:{kind}:{version}:{digest}"


# The shape of each family's document.
SHAPES: dict[str, type[shapes.Shape]] = {
    "seasons": shapes.SeasonsDocument,
    "season": shapes.SeasonDocument,
    "standings": shapes.StandingsDocument,
    "competition": shapes.CompetitionDocument,
    "race": shapes.RaceDocument,
    "skater": shapes.SkaterDocument,
    "nation": shapes.NationDocument,
    "race-facts": shapes.RaceFactsDocument,
    "competition-facts": shapes.CompetitionFactsDocument,
    "skater-facts": shapes.SkaterFactsDocument,
    "summaries": shapes.SummariesDocument,
    "session-summary": shapes.SessionSummaryDocument,
    "globe": shapes.GlobeDocument,
    "search": shapes.SearchDocument,
}
# Pages of the site the API does not answer yet (the API's contract test pairs each of
# SHAPES with an endpoint).
SITE_SHAPES: dict[str, type[shapes.Shape]] = {
    "head-to-head": shapes.HeadToHeadDocument,
    "season-skaters": shapes.SeasonSkatersDocument,
    "nations": shapes.NationsDocument,
    "nation-skaters": shapes.NationSkatersDocument,
}


class DocumentShapeError(TypeError):
    """A query built a document its shape does not describe: a bug, found by any test
    that builds the page."""


def checked(kind: str, document: dict) -> dict:
    """``document`` itself once it fits the shape of its family, else DocumentShapeError
    naming each field that does not fit."""
    shape = SHAPES.get(kind) or SITE_SHAPES[kind]
    try:
        shape.model_validate(document)
    except ValidationError as error:
        raise DocumentShapeError(
            f"the {kind} document does not fit shapes.{shape.__name__} "
            f"(declare a new field there): {error}"
        ) from error
    return document


def cached(kind: str, params: tuple, build: Callable[[], dict], version: str | None = None):
    """The document ``build()`` returns, checked against its family's shape, from the
    cache when the results version is unchanged."""
    key = cache_key(kind, params, version or results_version())
    value = cache.get(key)
    if value is None:
        value = checked(kind, build())
        cache.set(key, value)
    return value


# The documents, one function per page family. Parameters are what the URL carries.


def seasons_document(*, version: str | None = None) -> dict:
    return cached("seasons", (), calendar.seasons_document, version)


def season_document(season_slug: str, *, version: str | None = None) -> dict:
    return cached(
        "season",
        (season_slug,),
        lambda: calendar.season_document(public.season_by_slug(season_slug)),
        version,
    )


def standings_document(
    season_slug: str,
    slug: str,
    as_of: str | None = None,
    after: str | None = None,
    before: str | None = None,
    *,
    version: str | None = None,
) -> dict:
    return cached(
        "standings",
        (season_slug, slug, as_of, after, before),
        lambda: standings.standings_page_document(
            public.season_by_slug(season_slug), slug, as_of, after, before
        ),
        version,
    )


def competition_document(season_slug: str, number: int, *, version: str | None = None) -> dict:
    return cached(
        "competition",
        (season_slug, number),
        lambda: competition.competition_document(
            public.competition_by_number(public.season_by_slug(season_slug), number)
        ),
        version,
    )


def race_document(race_id: int, *, version: str | None = None) -> dict:
    return cached(
        "race", (race_id,), lambda: race.race_document(public.public_race(race_id)), version
    )


def skater_document(skater_id: int, *, version: str | None = None) -> dict:
    return cached(
        "skater",
        (skater_id,),
        lambda: skater.skater_document(public.public_skater(skater_id)),
        version,
    )


def head_to_head_document(a_id: int, b_id: int, *, version: str | None = None) -> dict:
    return cached(
        "head-to-head",
        (a_id, b_id),
        lambda: head_to_head.head_to_head_document(
            public.public_skater(a_id), public.public_skater(b_id)
        ),
        version,
    )


def nation_document(season_slug: str, code: str, *, version: str | None = None) -> dict:
    return cached(
        "nation",
        (season_slug, code.upper()),
        lambda: nation.nation_document(public.season_by_slug(season_slug), code),
        version,
    )


# The press pages (queries/press.py): facts, session summaries, the race for the Globe.


def race_facts_document(
    season_slug: str, number: int, distance_race_id: int, *, version: str | None = None
) -> dict:
    return cached(
        "race-facts",
        (season_slug, number, distance_race_id),
        lambda: press.race_facts_document(
            public.competition_by_number(public.season_by_slug(season_slug), number),
            distance_race_id,
        ),
        version,
    )


def competition_facts_document(
    season_slug: str, number: int, *, version: str | None = None
) -> dict:
    return cached(
        "competition-facts",
        (season_slug, number),
        lambda: press.competition_facts_document(
            public.competition_by_number(public.season_by_slug(season_slug), number)
        ),
        version,
    )


def skater_facts_document(
    skater_id: int, season_slug: str | None = None, *, version: str | None = None
) -> dict:
    return cached(
        "skater-facts",
        (skater_id, season_slug),
        lambda: press.skater_facts_document(
            public.public_skater(skater_id),
            public.season_by_slug(season_slug) if season_slug else None,
        ),
        version,
    )


def summaries_document(season_slug: str, *, version: str | None = None) -> dict:
    return cached(
        "summaries",
        (season_slug,),
        lambda: press.summaries_document(public.season_by_slug(season_slug)),
        version,
    )


def session_summary_document(
    season_slug: str, number: int, day: str, *, version: str | None = None
) -> dict:
    return cached(
        "session-summary",
        (season_slug, number, day),
        lambda: press.session_summary_document(
            public.competition_by_number(public.season_by_slug(season_slug), number),
            press.parse_day(day),
        ),
        version,
    )


def globe_document(
    season_slug: str,
    slug: str,
    as_of: str | None = None,
    after: str | None = None,
    before: str | None = None,
    *,
    version: str | None = None,
) -> dict:
    return cached(
        "globe",
        (season_slug, slug, as_of, after, before),
        lambda: press.globe_document(
            public.season_by_slug(season_slug), slug, as_of, after, before
        ),
        version,
    )


def search_document(text: str, *, version: str | None = None) -> dict:
    """Skaters, nations and competitions by name (queries/search.py)."""
    text = " ".join(text.split())[: search.LONGEST_QUERY]
    return cached("search", (text,), lambda: search.search_document(text), version)


# The indexes (queries/index.py).


def season_skaters_document(season_slug: str, *, version: str | None = None) -> dict:
    return cached(
        "season-skaters",
        (season_slug,),
        lambda: index.season_skaters_document(public.season_by_slug(season_slug)),
        version,
    )


def nations_document(*, version: str | None = None) -> dict:
    return cached("nations", (), index.nations_document, version)


def nation_skaters_document(code: str, *, version: str | None = None) -> dict:
    return cached(
        "nation-skaters", (code.upper(),), lambda: index.nation_skaters_document(code), version
    )
