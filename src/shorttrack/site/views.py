"""Public pages: parse the request, get the page's document, render it.

Each page is one document from ``shorttrack.queries.documents``. The HTML view renders it;
the same URL with ``.json`` (or ``?format=json``) returns it as it is; ``?fragment=main``
renders only the page's main table, which live pages fetch again when the live stream says
something changed. Pages are kept, revalidated and compressed in front of Django
(``site.page_cache``), by the versions of what their documents show: a page is rendered
once per change of what it shows, not once per reader, so nothing is cached here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from shorttrack.queries import documents
from shorttrack.queries.public import NotFound, current_season, season_slug
from shorttrack.site import charts, feeds, paging, panels, share

JSON_OPTIONS = {"ensure_ascii": False}


def _document(build: Callable[..., dict], *args) -> dict:
    try:
        return build(*args)
    except NotFound as error:
        raise Http404(str(error)) from None


def _full_page(request) -> bool:
    """Not the live fragment: the facts panels are outside the main part."""
    return request.GET.get("fragment") != "main"


def _facts_panel(request, fmt: str | None, panel: Callable[[], dict | None]):
    """``?fragment=facts`` of a race or skater page: its facts panel alone, which the page
    fetches once it is shown (site/panels.py); None for anything else asked."""
    if request.GET.get("fragment") != "facts" or wants_json(request, fmt):
        return None
    return render(request, "site/facts_panel.html", {"facts_panel": _document(panel)})


def wants_json(request, fmt: str | None) -> bool:
    return fmt == "json" or request.GET.get("format") == "json"


def json_url(request) -> str:
    """The JSON twin of the page asked for: /seasons/2022-23/ -> /seasons/2022-23.json."""
    query = request.GET.copy()
    query.pop("fragment", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return request.path.rstrip("/") + ".json" + suffix


def respond(
    request,
    build: Callable[[str], dict],
    template: str,
    fmt: str | None = None,
    *,
    fragment: str | None = None,
    extra: Callable[[dict], dict] | None = None,
):
    """The page in the format asked for: JSON, the main fragment, or the whole HTML page."""
    try:
        doc = _document(build, None)
    except ValueError as error:
        if wants_json(request, fmt):
            return JsonResponse({"error": str(error)}, status=400)
        return HttpResponseBadRequest(
            render_to_string("site/error.html", {"message": str(error)}, request)
        )
    if wants_json(request, fmt):
        return JsonResponse(doc, json_dumps_params=JSON_OPTIONS)
    part = fragment if request.GET.get("fragment") == "main" and fragment else template
    context = {"doc": doc, "json_url": json_url(request), **(extra(doc) if extra else {})}
    return render(request, part, context)


def moment_params(request) -> dict[str, str | None]:
    """The moment a standings, grid or Globe page is read at: ?as_of=, ?after= or ?before=
    a final (none: now)."""
    return {name: request.GET.get(name) or None for name in ("as_of", "after", "before")}


def home(request):
    """The current season's page; ?season=2022-23 names another."""
    wanted = request.GET.get("season")
    if wanted:
        slug = season_slug(wanted)
        _document(lambda: documents.season_document(slug))
        return HttpResponseRedirect(reverse("site:season", args=[slug]))
    season = current_season()
    if season is None:
        return render(request, "site/home.html", {})
    return HttpResponseRedirect(reverse("site:season", args=[season_slug(season.key)]))


def seasons(request, fmt: str | None = None):
    return respond(
        request, lambda v: documents.seasons_document(version=v), "site/seasons.html", fmt
    )


def season(request, season: str, fmt: str | None = None):
    def extra(doc: dict) -> dict:
        by_country: dict[str, list[dict]] = {}
        for broadcaster in doc["broadcasters"]:
            by_country.setdefault(broadcaster["country"] or "", []).append(broadcaster)
        return {"broadcasters_by_country": sorted(by_country.items(), key=lambda i: i[0] or "~")}

    return respond(
        request,
        lambda v: documents.season_document(season, version=v),
        "site/season.html",
        fmt,
        extra=extra,
    )


def standings(request, season: str, classification: str, fmt: str | None = None):
    params = moment_params(request)

    def extra(doc: dict) -> dict:
        chart = doc["chart"]
        return {
            "chart_svg": charts.points_chart_svg(chart, f"{doc['title']}: leaders' points")
            if chart["after"] and chart["series"]
            else "",
            "live_topic": None if doc["moment"]["as_of"] else f"season:{doc['season_id']}",
        }

    return respond(
        request,
        lambda v: documents.standings_document(season, classification, **params, version=v),
        "site/standings.html",
        fmt,
        fragment="site/standings_main.html",
        extra=extra,
    )


def standings_grid(request, season: str, classification: str, fmt: str | None = None):
    """A page of a classification race by race (the ISU classification sheet), at a moment
    as the standings page takes it; ``?page=`` (site/paging.py), named in a Link header."""
    params = moment_params(request)
    built: list[dict] = []

    def build(version):
        built.append(
            documents.standings_grid_document(
                season, classification, **params, page=request.GET.get("page"), version=version
            )
        )
        return built[-1]

    response = respond(
        request,
        build,
        "site/standings_grid.html",
        fmt,
        fragment="site/standings_grid_main.html",
        extra=lambda doc: {
            "live_topic": None if doc["moment"]["as_of"] else f"season:{doc['season_id']}"
        },
    )
    if built and response.status_code == 200:
        response["Link"] = paging.link_header(request, built[-1]["page"])
    return response


def competition(request, season: str, number: int, fmt: str | None = None):
    return respond(
        request,
        lambda v: documents.competition_document(season, number, version=v),
        "site/competition.html",
        fmt,
        fragment="site/competition_main.html",
        extra=lambda doc: {
            "live_topic": f"competition:{doc['id']}",
            "facts_panel": panels.competition_later(doc) if _full_page(request) else None,
        },
    )


def distance(request, season: str, number: int, distance_race_id: int, fmt: str | None = None):
    return respond(
        request,
        lambda v: documents.distance_document(season, number, distance_race_id, version=v),
        "site/distance.html",
        fmt,
        fragment="site/distance_main.html",
        extra=lambda doc: {"live_topic": f"competition:{doc['competition']['id']}"},
    )


def round_page(
    request, season: str, number: int, distance_race_id: int, round_id: int, fmt: str | None = None
):
    """A round's page (``round`` would hide Python's own)."""
    return respond(
        request,
        lambda v: documents.round_document(season, number, distance_race_id, round_id, version=v),
        "site/round.html",
        fmt,
        fragment="site/round_main.html",
        extra=lambda doc: {"live_topic": f"competition:{doc['competition']['id']}"},
    )


def race(request, race_id: int, fmt: str | None = None):
    panel = _facts_panel(request, fmt, lambda: panels.race_panel(documents.race_document(race_id)))
    if panel is not None:
        return panel

    def extra(doc: dict) -> dict:
        chart = doc["lap_chart"]
        return {
            "chart_svg": charts.lap_chart_svg(chart, f"{doc['title']}: position after each lap")
            if chart
            else "",
            "live_topic": f"race:{doc['id']}",
            "facts_panel": panels.race_later(doc) if _full_page(request) else None,
        }

    return respond(
        request,
        lambda v: documents.race_document(race_id, version=v),
        "site/race.html",
        fmt,
        fragment="site/race_main.html",
        extra=extra,
    )


def skater(request, skater_id: int, fmt: str | None = None):
    panel = _facts_panel(request, fmt, lambda: panels.skater_panel(skater_id))
    if panel is not None:
        return panel
    return respond(
        request,
        lambda v: documents.skater_document(skater_id, version=v),
        "site/skater.html",
        fmt,
        extra=lambda doc: {"facts_panel": panels.skater_later(doc)},
    )


def head_to_head(request, skater_id: int, opponent_id: int, fmt: str | None = None):
    return respond(
        request,
        lambda v: documents.head_to_head_document(skater_id, opponent_id, version=v),
        "site/head_to_head.html",
        fmt,
    )


def nation(request, season: str, code: str, fmt: str | None = None):
    if code != code.upper():
        return HttpResponseRedirect(reverse("site:nation", args=[season, code.upper()]))
    return respond(
        request,
        lambda v: documents.nation_document(season, code, version=v),
        "site/nation.html",
        fmt,
    )


def search(request, fmt: str | None = None):
    """/search/?q=kim+gil: the whole page without JavaScript; ?fragment=main is its list
    of hits alone, which the search box of every page fetches as the visitor types."""
    text = request.GET.get("q", "")
    return respond(
        request,
        lambda v: documents.search_document(text, version=v),
        "site/search.html",
        fmt,
        fragment="site/search_main.html",
        extra=lambda doc: {"full_page": _full_page(request)},
    )


# The indexes: a season's skaters by nation, the nations, a nation's skaters.


def skaters(request):
    """/skaters/: the skaters of the current season (each index lists its season's)."""
    season = current_season()
    if season is None:
        return HttpResponseRedirect(reverse("site:nations"))
    return HttpResponseRedirect(reverse("site:season-skaters", args=[season_slug(season.key)]))


def season_skaters(request, season: str, fmt: str | None = None):
    return respond(
        request,
        lambda v: documents.season_skaters_document(season, version=v),
        "site/season_skaters.html",
        fmt,
    )


def nations(request, fmt: str | None = None):
    return respond(
        request, lambda v: documents.nations_document(version=v), "site/nations.html", fmt
    )


def nation_skaters(request, code: str, fmt: str | None = None):
    if code != code.upper():
        return HttpResponseRedirect(reverse("site:nation-skaters", args=[code.upper()]))
    return respond(
        request,
        lambda v: documents.nation_skaters_document(code, version=v),
        "site/nation_skaters.html",
        fmt,
    )


def calendar_ics(request, season: str):
    doc = _document(lambda: documents.season_document(season))
    page = request.build_absolute_uri(reverse("site:season", args=[season]))
    body = share.calendar_ics(doc, page, request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="shorttrack-{season}.ics"'
    return response


def banner(request, season: str):
    doc = _document(lambda: documents.season_document(season))
    return HttpResponse(share.banner_svg(doc), content_type="image/svg+xml")


def qr(request, season: str):
    _document(lambda: documents.season_document(season))
    page = request.build_absolute_uri(reverse("site:season", args=[season]))
    return HttpResponse(share.qr_svg(page), content_type="image/svg+xml")


# The press pages: facts, session summaries and their feed, the race for the Globe.


def race_facts(request, season: str, number: int, distance_race_id: int, fmt: str | None = None):
    return respond(
        request,
        lambda v: documents.race_facts_document(season, number, distance_race_id, version=v),
        "site/race_facts.html",
        fmt,
    )


def competition_facts(request, season: str, number: int, fmt: str | None = None):
    """The index of a competition's facts; ?fragment=main is its facts panel alone, which
    the competition's overview fetches once it is shown."""
    return respond(
        request,
        lambda v: documents.competition_facts_document(season, number, version=v),
        "site/competition_facts.html",
        fmt,
        fragment="site/facts_panel.html",
        extra=lambda doc: {"facts_panel": panels.competition_panel(doc)},
    )


def skater_facts(request, skater_id: int, fmt: str | None = None):
    """?season=2022-23 names the season; the skater's latest by default."""
    wanted = request.GET.get("season") or None
    return respond(
        request,
        lambda v: documents.skater_facts_document(skater_id, wanted, version=v),
        "site/skater_facts.html",
        fmt,
    )


def summaries(request, season: str, fmt: str | None = None):
    return respond(
        request,
        lambda v: documents.summaries_document(season, version=v),
        "site/summaries.html",
        fmt,
    )


def summaries_atom(request, season: str):
    """The season's session summaries as an Atom feed, kept like the pages."""
    doc = _document(lambda: documents.summaries_document(season))
    body = feeds.summaries_atom(doc, request.build_absolute_uri)
    return HttpResponse(body, content_type=feeds.CONTENT_TYPE)


def session_summary(request, season: str, number: int, day: str, fmt: str | None = None):
    return respond(
        request,
        lambda v: documents.session_summary_document(season, number, day, version=v),
        "site/session_summary.html",
        fmt,
        extra=lambda doc: {"facts_by_key": {f["key"]: f for f in doc["facts"]}},
    )


def globe(request, season: str, classification: str, fmt: str | None = None):
    """The race for the Globe now, or at a moment: ?as_of=, ?after= or ?before= a final, as
    on the standings pages."""
    params = moment_params(request)
    return respond(
        request,
        lambda v: documents.globe_document(season, classification, **params, version=v),
        "site/globe.html",
        fmt,
    )
