"""The documents of the public pages, and what each one shows of the results.

Every public page is one JSON document built by one function of ``shorttrack.queries``;
the HTML view renders it, the JSON view and the API return it. This module names each
document by its family and parameters, checks it against its shape when it is built
(``shapes``, the one declaration the API and its OpenAPI document are made from), so what
the page, its JSON twin and the API show is what the OpenAPI document describes, and
says which *scopes* of the results it shows (``SCOPES``: a race, a competition, a season,
the calendar). The page cache in front of Django (``site.page_cache``) keeps each page
under the versions of its scopes (``shorttrack.versions``) and revalidates it by them.

Documents are still cached here under the whole results version, so that a page, its
fragment, its JSON twin and the API share one build (and one "updated at").
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from pydantic import ValidationError

from shorttrack import versions
from shorttrack.queries import (
    calendar,
    competition,
    coverage,
    distance,
    head_to_head,
    index,
    nation,
    press,
    public,
    race,
    round_results,
    search,
    shapes,
    skater,
    standings,
)
from shorttrack.store import models
from shorttrack.store.compiled import Compiled

# What changes when a row is added: the newest id of each table a page shows from, and
# the published competitions. The newest announcement is apart: a change announced is
# bumped by its scopes, one nobody announced by the fingerprint alone (site.page_cache).
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
)


def _fingerprint_sql() -> str:
    parts = [f"(SELECT MAX(id) FROM {table._meta.db_table})" for table in _TABLES]
    competitions = models.Competition._meta.db_table
    parts.append(f"(SELECT COUNT(*) FROM {competitions} WHERE published)")
    parts.append(f"(SELECT MAX(id) FROM {models.Announcement._meta.db_table})")
    return "SELECT " + ", ".join(parts)


def fingerprint() -> tuple[str, int]:
    """The newest rows a page can show, as a short string, and the newest announcement's
    id (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        *rows, announced = cursor.fetchone()
    return ".".join(str(value or 0) for value in rows), announced or 0


def results_version() -> str:
    """What every public page derives from, as a short string: changes when anything a
    page shows is added, or when a service publishes a change (live.publish)."""
    rows, announced = fingerprint()
    return f"{versions.store().sequence}.{rows}.{announced}"


def bump_version(announced: Iterable[tuple[str, dict]] | None = None) -> int:
    """Called by live.drain when announcements (topic, payload) go out: the pages of their
    scopes are stale, bumped at once (one bump, one query for the histories of all the
    seasons named). Without announcements (a restore, a change nobody announced): every
    page. Returns the bump's sequence number."""
    if announced is None:
        return versions.store().bump([versions.GLOBAL])
    announced = list(announced)
    scopes = []
    for topic, payload in announced:
        scopes += versions.scopes_of_announcement(topic, payload)
        scopes += schedules(topic, payload)
    scopes += histories_reached(*(topic for topic, _ in announced))
    return versions.store().bump(list(dict.fromkeys(scopes)))


# Two scopes of what pages show beyond a race, competition or season:
# - "history:<season id>": the results of that season and of every season before it, which
#   the facts of its races are found in (a first medal, a record, a career count). A change
#   in a season bumps the history of that season and of every later one (by key, as the
#   history is read), so a result of 2025/26 leaves the facts of 2022/23 as they were while a
#   correction of 2022/23 reaches the facts of 2025/26. The seasons are looked up when the
#   change is announced: a season imported later with an earlier key is reached too.
# - "schedule:<competition id>": the competition's schedule (its sessions and the races'
#   times), which numbers every race of its programme ("Race 136"): a race page shows it.


def history(season_id: int) -> str:
    return f"history:{season_id}"


def histories_reached(*topics: str) -> list[str]:
    """The history scopes changes announced on ``topics`` reach: of each season named (a
    ``season:<id>`` topic) and of every later season; none for another topic. One query,
    the key of every season (a few dozen rows; cheaper than a subquery to build and plan)."""
    named = {int(pk) for kind, _, pk in (t.partition(":") for t in topics) if kind == "season"}
    if not named:
        return []
    keys = dict(_SEASON_KEYS.rows())
    earliest = min((keys[pk] for pk in named if pk in keys), default=None)
    reached = {pk for pk, key in keys.items() if earliest is not None and key >= earliest}
    # A season gone since its announcement still has its own history scope.
    return [history(season_id) for season_id in sorted(reached | named)]


# Read at every drain of the live outbox: compiled once (store/compiled.py).
_SEASON_KEYS = Compiled(lambda: models.Season.objects.order_by().values_list("pk", "key"))


# What a competition announces that names no race and leaves its schedule as it was.
NOT_THE_SCHEDULE = {"ranking", "broadcasters"}


def schedules(topic: str, payload: dict) -> list[str]:
    """The schedule scope a change announced on ``topic`` reaches: a competition's change
    that names no race (a session added or moved, races scheduled, an import), unless it
    is one known to leave the schedule alone (a final ranking, a broadcaster)."""
    kind, _, pk = topic.partition(":")
    if kind != "competition" or "race" in payload or payload.get("kind") in NOT_THE_SCHEDULE:
        return []
    return [f"schedule:{pk}"]


# The shape of each family's document.
SHAPES: dict[str, type[shapes.Shape]] = {
    "seasons": shapes.SeasonsDocument,
    "season": shapes.SeasonDocument,
    "standings": shapes.StandingsDocument,
    "standings-grid": shapes.StandingsGridDocument,
    "competition": shapes.CompetitionDocument,
    "distance": shapes.DistanceDocument,
    "round": shapes.RoundDocument,
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
    "head-to-head": shapes.HeadToHeadDocument,
}
# Pages of the site the API does not answer yet (the API's contract test pairs each of
# SHAPES with an endpoint).
SITE_SHAPES: dict[str, type[shapes.Shape]] = {
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


# The scopes each family's document shows, from the document itself; every page shows
# versions.GLOBAL too. A family not named here shows every scope (any change is a change).
def _season(doc: dict) -> list[str]:
    return [f"season:{doc['season']['id']}"]


def _competition(doc: dict) -> list[str]:
    return [f"competition:{doc['competition']['id']}"]


def _facts(doc: dict) -> list[str]:
    """Facts compare with the seasons before: the history up to the document's season."""
    return [*_competition(doc), history(doc["season"]["id"])]


def _race(doc: dict) -> list[str]:
    """The race, its number in the programme (the competition's schedule), and, once it
    has a history, the check of its competition's whole chain (its newest link)."""
    competition = doc["competition"]["id"]
    scopes = [f"race:{doc['id']}", f"schedule:{competition}"]
    if doc["history"] is not None:
        scopes.append(f"competition:{competition}")
    return scopes


SCOPES: dict[str, Callable[[dict], list[str]]] = {
    "seasons": lambda doc: [versions.CALENDAR],
    "season": _season,
    "standings": lambda doc: [f"season:{doc['season_id']}"],
    "standings-grid": lambda doc: [f"season:{doc['season_id']}"],
    "globe": lambda doc: [f"season:{doc['season_id']}"],
    "competition": lambda doc: [f"competition:{doc['id']}"],
    "distance": _competition,
    "round": _competition,
    "race": _race,
    # Every season the skater has raced in (results, standings positions, medals) and the
    # calendar (entered in a new one); with "skater-seasons", shown with it: each season
    # the skater is entered, raced or ranked in (personal bests and rivals come from race
    # results of seasons no final ranking of theirs names yet).
    "skater": lambda doc: (
        [f"season:{s['season']['id']}" for s in doc["seasons"]] + [versions.CALENDAR]
    ),
    "skater-seasons": lambda doc: [f"season:{pk}" for pk in doc["seasons"]],
    "nation": _season,
    # Each session's notable facts (the history holds the season itself).
    "summaries": lambda doc: [history(doc["season"]["id"])],
    "season-skaters": lambda doc: [*_season(doc), versions.CALENDAR],
    "race-facts": _facts,
    "competition-facts": _facts,
    "session-summary": _facts,
    # The facts of the season shown (the skater's latest by default) and the seasons the
    # skater is ranked in: a final ranking, of any season, changes the calendar.
    "skater-facts": lambda doc: (
        ([history(doc["season"]["id"])] if doc["season"] else []) + [versions.CALENDAR]
    ),
    # Two skaters may meet in any season.
    "head-to-head": lambda doc: [versions.ANY_SEASON, versions.CALENDAR],
    "search": lambda doc: [versions.CALENDAR],
    "nations": lambda doc: [versions.CALENDAR],
    "nation-skaters": lambda doc: [versions.CALENDAR],
}

# The documents the current request has shown: (family, document), appended by cached().
# The page cache sets a fresh list before it hands a request to Django and reads it when
# the response starts (a list is shared with the request's thread; a value set there is
# not seen back here).
SHOWN: contextvars.ContextVar[list | None] = contextvars.ContextVar("shown", default=None)


def scopes_shown(shown: list[tuple[str, dict]]) -> list[str] | None:
    """The scopes of what a request showed, sorted, GLOBAL first; None when one of its
    documents shows every scope, or when it showed none (a page not built from a
    document: take any change as a change)."""
    if not shown:
        return None
    scopes = set()
    for kind, doc in shown:
        of = SCOPES.get(kind)
        if of is None:
            return None
        scopes.update(of(doc))
    return [versions.GLOBAL, *sorted(scopes)]


def cached(kind: str, params: tuple, build: Callable[[], dict], version: str | None = None):
    """The document ``build()`` returns, checked against its family's shape, from the
    cache when the results version is unchanged, noted as shown by the current request.
    (Kept while the page, its fragment, its JSON twin and the API share one build.)"""
    digest = hashlib.sha1(repr(params).encode(), usedforsecurity=False).hexdigest()[:16]
    key = f"page:{kind}:{version or results_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = checked(kind, build())
        cache.set(key, value)
    shown = SHOWN.get()
    if shown is not None:
        shown.append((kind, value))
    return value


# The documents, one function per page family. Parameters are what the URL carries.


def seasons_document(*, version: str | None = None) -> dict:
    return cached("seasons", (), calendar.seasons_document, version)


def season_document(season_slug: str, *, version: str | None = None) -> dict:
    return cached(
        "season",
        (season_slug,),
        lambda: _season_with_coverage(public.season_by_slug(season_slug)),
        version,
    )


def _season_with_coverage(season: models.Season) -> dict:
    """The season's document and what it holds of its results (queries/coverage.py)."""
    return {**calendar.season_document(season), "coverage": coverage.of_season(season)}


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
        lambda: _classification(
            standings.standings_page_document(
                public.season_by_slug(season_slug), slug, as_of, after, before
            )
        ),
        version,
    )


def _classification(document: dict) -> dict:
    """The standings page's document: each row's rank, total and gaps. The races behind
    each total are the grid page's (``standings_grid_document``, a cell per race): a row's
    list of its results made the demo's nations standings 363 KB of JSON, and their HTML
    149 KB; each race's official and corrected moments are in ``finals``."""
    rows = [{k: v for k, v in row.items() if k != "results"} for row in document["rows"]]
    return document | {"rows": rows}


def standings_grid_document(
    season_slug: str,
    slug: str,
    as_of: str | None = None,
    after: str | None = None,
    before: str | None = None,
    *,
    page: str | int | None = None,
    version: str | None = None,
) -> dict:
    """A page of a classification's grid (``?page=``, the first by default): a whole
    season's is 24 races a row, over 150 KB on one page (queries/standings.py)."""
    number = standings.grid_page_number(page)
    return cached(
        "standings-grid",
        (season_slug, slug, as_of, after, before, number),
        lambda: standings.grid_page_document(
            public.season_by_slug(season_slug), slug, as_of, after, before, number
        ),
        version,
    )


def competition_document(season_slug: str, number: int, *, version: str | None = None) -> dict:
    return cached(
        "competition",
        (season_slug, number),
        lambda: _with_coverage(
            public.competition_by_number(public.season_by_slug(season_slug), number)
        ),
        version,
    )


def _with_coverage(held: models.Competition) -> dict:
    """The competition's document and what it holds of its results (queries/coverage.py)."""
    return {**competition.competition_document(held), "coverage": coverage.of_competition(held)}


def distance_document(
    season_slug: str, number: int, distance_race_id: int, *, version: str | None = None
) -> dict:
    return cached(
        "distance",
        (season_slug, number, distance_race_id),
        lambda: distance.distance_document(
            public.competition_by_number(public.season_by_slug(season_slug), number),
            distance_race_id,
        ),
        version,
    )


def round_document(
    season_slug: str,
    number: int,
    distance_race_id: int,
    round_id: int,
    *,
    version: str | None = None,
) -> dict:
    return cached(
        "round",
        (season_slug, number, distance_race_id, round_id),
        lambda: round_results.round_document(
            public.competition_by_number(public.season_by_slug(season_slug), number),
            distance_race_id,
            round_id,
        ),
        version,
    )


def race_document(race_id: int, *, version: str | None = None) -> dict:
    return cached(
        "race", (race_id,), lambda: race.race_document(public.public_race(race_id)), version
    )


def skater_document(skater_id: int, *, version: str | None = None) -> dict:
    document = cached(
        "skater",
        (skater_id,),
        lambda: skater.skater_document(public.public_skater(skater_id)),
        version,
    )
    shown = SHOWN.get()
    if shown is not None:
        shown.append(("skater-seasons", {"seasons": seasons_of_skater(skater_id)}))
    return document


def seasons_of_skater(skater_id: int) -> list[int]:
    """The seasons a skater is entered, raced or ranked in, by id: their page's personal
    bests and rivals come from race results, before a final ranking names the season
    (one query, for the page cache's scopes: not shown)."""
    of = "distance_race__competition__season_id"
    seasons = (
        models.Season.objects.filter(
            Q(pk__in=models.Entry.objects.public().filter(skater=skater_id).values(of))
            | Q(
                pk__in=models.RelayTeamSkater.objects.public()
                .filter(skater=skater_id)
                .values(f"team__{of}")
            )
            | Q(
                pk__in=models.RaceResultLine.objects.public()
                .filter(skater=skater_id)
                .values(f"result__race__round__{of}")
            )
            | Q(
                pk__in=models.RaceLineSkater.objects.public()
                .filter(skater=skater_id)
                .values(f"line__result__race__round__{of}")
            )
            | Q(
                pk__in=models.RankingLine.objects.public()
                .filter(skater=skater_id)
                .values(f"ranking__{of}")
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(seasons)


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
