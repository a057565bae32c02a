"""The JSON API under /api/ (OpenAPI at /api/docs, schema at /api/openapi.json).

Each endpoint returns the document of one public page, built and cached by the same code
as the page (``shorttrack.queries.documents``): /api/seasons/2022-23 is the season page,
/api/races/12 the race page. docs/api.md lists them with examples. Their response schemas
are the documents' shapes (``shorttrack.queries.shapes``), the one declaration the pages
are checked against; the errors' bodies are declared here, each status an endpoint can
answer with in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Path, Query, Swagger

from shorttrack.queries import documents, shapes
from shorttrack.queries.public import NotFound

api = NinjaAPI(
    title="shorttrack public results",
    version="1",
    description=(
        "Results, final rankings, World Cup standings, skaters and nations of the short track "
        "World Cup: the JSON twins of the public pages. Only published competitions and "
        "official results appear. Live changes: subscribe to `/live/<topic>/` (server-sent "
        "events) and fetch the document again."
    ),
    urls_namespace="api",
    # Swagger UI from django-ninja's static files ("ninja" in INSTALLED_APPS): no CDN, and
    # nothing inline under the site's Content-Security-Policy. No validator badge: it would
    # send the schema's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


class Error(shapes.Shape):
    """404: no such season, competition, race, skater, nation or classification (or not
    public); 400: a parameter of the right form that names nothing usable ('soon' as a
    moment, both as_of and after, a distance race with no official ranking)."""

    detail: str


class Problem(shapes.Shape):
    """One parameter that is not of its declared form, as django-ninja (pydantic) words it."""

    type: str
    loc: list[str | int]  # where: ["path", "season"], ["query", "as_of"]
    msg: str
    ctx: dict[str, Any] | None = None  # the rule broken, e.g. {"pattern": "^[0-9]{4}-[0-9]{2}$"}


class ValidationErrors(shapes.Shape):
    """422: parameters not of their declared form (a season not written 2022-23, a race
    id that is not a number); each one said."""

    detail: list[Problem]


def moment(as_of: str | None, after: int | None, before: int | None) -> tuple:
    """The moment parameters as the pages take them from a URL (and key their cache by)."""
    return as_of, str(after) if after else None, str(before) if before else None


SEASON = Path(..., pattern=r"^[0-9]{4}-[0-9]{2}$", description="season as in URLs: 2022-23")
ERRORS = {400: Error, 404: Error, 422: ValidationErrors}


@api.exception_handler(NotFound)
def not_found(request, error):
    return api.create_response(request, {"detail": str(error)}, status=404)


@api.exception_handler(ValueError)
def bad_request(request, error):
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.get("/seasons", response=shapes.SeasonsDocument, tags=["seasons"])
def seasons(request):
    """Every season with a published competition, newest first."""
    return documents.seasons_document()


@api.get("/seasons/{season}", response={200: shapes.SeasonDocument, **ERRORS}, tags=["seasons"])
def season(request, season: str = SEASON):
    """The season page: calendar with local session times and status, standings menu,
    broadcasters, medal table."""
    return documents.season_document(season)


@api.get(
    "/seasons/{season}/standings/{classification}",
    response={200: shapes.StandingsDocument, **ERRORS},
    tags=["standings"],
)
def standings(
    request,
    season: str = SEASON,
    classification: str = Path(
        ..., description="overall-women, 500m-men, relay-women, mixed-relay, nations, ..."
    ),
    as_of: str | None = Query(None, description="ISO 8601 moment; UTC unless it has an offset"),
    after: int | None = Query(
        None, ge=1, description="distance race id: just after it was official"
    ),
    before: int | None = Query(
        None, ge=1, description="distance race id: just before it was official"
    ),
):
    """One classification at a moment (now by default): each row's rank, points and gaps,
    the leaders' points after each final, the finals a moment can be picked from, and
    ``coverage``: whether the season's results are complete (the 2022/23 podiums are not),
    said in words. The races behind each total, counted and dropped: ``.../grid``."""
    return documents.standings_document(season, classification, *moment(as_of, after, before))


@api.get(
    "/seasons/{season}/standings/{classification}/grid",
    response={200: shapes.StandingsGridDocument, **ERRORS},
    tags=["standings"],
)
def standings_grid(
    request,
    season: str = SEASON,
    classification: str = Path(
        ..., description="overall-women, 500m-men, relay-women, mixed-relay, nations, ..."
    ),
    as_of: str | None = Query(None, description="ISO 8601 moment; UTC unless it has an offset"),
    after: int | None = Query(
        None, ge=1, description="distance race id: just after it was official"
    ),
    before: int | None = Query(
        None, ge=1, description="distance race id: just before it was official"
    ),
    page: int = Query(1, ge=1, description="page of rows by rank, the leaders' first"),
):
    """One classification race by race at a moment, as the ISU classification sheet
    prints it: a column per race of the season by competition (``grid``), each row's
    rank, total and ``cells`` (points counted, points dropped by the counting rule, best
    rank, provisional) in the order of the columns; in pages of rows by rank (``page``:
    this one and the next and previous, ``pages``: the ranks each holds)."""
    return documents.standings_grid_document(
        season, classification, *moment(as_of, after, before), page=page
    )


@api.get(
    "/seasons/{season}/competitions/{number}",
    response={200: shapes.CompetitionDocument, **ERRORS},
    tags=["competitions"],
)
def competition(request, number: int, season: str = SEASON):
    """A competition's overview: schedule by day and session (each round's races in a
    session), the races on now and up next, each distance's rounds, podium and ranking
    state. The results are in each distance's and round's document."""
    return documents.competition_document(season, number)


@api.get(
    "/seasons/{season}/competitions/{number}/distances/{distance_race_id}",
    response={200: shapes.DistanceDocument, **ERRORS},
    tags=["competitions"],
)
def distance(request, number: int, distance_race_id: int, season: str = SEASON):
    """A distance race of a competition (its id as in ``distances[].id``): entry list,
    rounds in order with each race's winner and who went on, medalists, final ranking
    with World Cup points."""
    return documents.distance_document(season, number, distance_race_id)


@api.get(
    "/seasons/{season}/competitions/{number}/distances/{distance_race_id}/rounds/{round_id}",
    response={200: shapes.RoundDocument, **ERRORS},
    tags=["competitions"],
)
def round_results(request, number: int, distance_race_id: int, round_id: int, season: str = SEASON):
    """A round of a distance race (its id as in ``rounds[].id``): the official result of
    each of its races, or its start list before it is raced."""
    return documents.round_document(season, number, distance_race_id, round_id)


@api.get(
    "/seasons/{season}/nations/{code}",
    response={200: shapes.NationDocument, **ERRORS},
    tags=["nations"],
)
def nation(request, code: str, season: str = SEASON):
    """A nation's season: skaters, medals by distance, podiums."""
    return documents.nation_document(season, code)


@api.get("/races/{race_id}", response={200: shapes.RaceDocument, **ERRORS}, tags=["races"])
def race(request, race_id: int):
    """A race: official result, lap chart data, start list, revision history."""
    return documents.race_document(race_id)


@api.get("/skaters/{skater_id}", response={200: shapes.SkaterDocument, **ERRORS}, tags=["skaters"])
def skater(request, skater_id: int):
    """A skater: results per season and distance (with each season's ``coverage``),
    medals, personal bests, standings positions after each competition, and the rivals
    met most (a head-to-head with each: /api/head-to-head/{skater_id}/{opponent_id})."""
    return documents.skater_document(skater_id)


@api.get(
    "/head-to-head/{skater_id}/{opponent_id}",
    response={200: shapes.HeadToHeadDocument, **ERRORS},
    tags=["skaters"],
)
def head_to_head(request, skater_id: int, opponent_id: int):
    """Two skaters: every official race both skated and who finished ahead, by season and
    distance, with the totals, and the final rankings both were ranked in (404 when they
    are the same skater)."""
    return documents.head_to_head_document(skater_id, opponent_id)


# The press pages: facts with their proof, session summaries, the race for the Globe.

DAY = Path(..., pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="local day: 2022-12-10")


@api.get(
    "/seasons/{season}/competitions/{number}/facts",
    response={200: shapes.CompetitionFactsDocument, **ERRORS},
    tags=["facts"],
)
def competition_facts(request, number: int, season: str = SEASON):
    """The index of a competition's facts: its rarest (``notable``), each distance race's
    rarest three with how many it has (``count``; all of them, with its podium, at
    ``.../facts/{distance_race_id}``), each fact with the results that prove it; the
    competition's sessions with finals."""
    return documents.competition_facts_document(season, number)


@api.get(
    "/seasons/{season}/competitions/{number}/facts/{distance_race_id}",
    response={200: shapes.RaceFactsDocument, **ERRORS},
    tags=["facts"],
)
def race_facts(request, number: int, distance_race_id: int, season: str = SEASON):
    """The facts of one distance race (its id as in ``distance_race.id``), rarest first,
    each with the results that prove it, and its podium."""
    return documents.race_facts_document(season, number, distance_race_id)


@api.get(
    "/skaters/{skater_id}/facts",
    response={200: shapes.SkaterFactsDocument, **ERRORS},
    tags=["facts"],
)
def skater_facts(
    request,
    skater_id: int,
    season: str | None = Query(
        None, pattern=r"^[0-9]{4}-[0-9]{2}$", description="2022-23; the skater's latest by default"
    ),
):
    """The facts about one skater in a season: from every race they won a medal or
    skated Final A in."""
    return documents.skater_facts_document(skater_id, season)


@api.get(
    "/seasons/{season}/summaries",
    response={200: shapes.SummariesDocument, **ERRORS},
    tags=["summaries"],
)
def summaries(request, season: str = SEASON):
    """Every session of finals of the season with its summary: title, text, notable
    facts. Also an Atom feed: /seasons/{season}/summaries.atom."""
    return documents.summaries_document(season)


@api.get(
    "/seasons/{season}/competitions/{number}/summaries/{day}",
    response={200: shapes.SessionSummaryDocument, **ERRORS},
    tags=["summaries"],
)
def session_summary(request, number: int, season: str = SEASON, day: str = DAY):
    """A session's summary in the house style of ISU news: each sentence with the facts
    it was written from, the notable facts ranked by rarity, every fact with its proof."""
    return documents.session_summary_document(season, number, day)


@api.get(
    "/seasons/{season}/globe/{classification}",
    response={200: shapes.GlobeDocument, **ERRORS},
    tags=["standings"],
)
def globe(
    request,
    season: str = SEASON,
    classification: str = Path(..., description="overall-women, overall-men, 500m-men, ..."),
    as_of: str | None = Query(None, description="ISO 8601 moment; UTC unless it has an offset"),
    after: int | None = Query(
        None, ge=1, description="distance race id: just after it was official"
    ),
    before: int | None = Query(
        None, ge=1, description="distance race id: just before it was official"
    ),
):
    """The race for the Globe of a classification at a moment (now by default): points
    still available, who is out, who has clinched it, which finishes in the next race
    clinch it."""
    return documents.globe_document(season, classification, *moment(as_of, after, before))


@api.get("/search", response=shapes.SearchDocument, tags=["search"])
def search(request, q: str = Query("", description="words of a name: kim gil")):
    """Skaters, nations and competitions whose names the words of ``q`` begin, in any
    order; accents and case do not count."""
    return documents.search_document(q)


@api.get("/{path:rest}", include_in_schema=False)
def no_such_endpoint(request, rest: str):
    """Any other address under /api/ (a season with a slash in it, a mistyped path)
    answers 404 in JSON too, not with the site's HTML page."""
    raise NotFound(f"no endpoint /api/{rest}: /api/docs lists them")
