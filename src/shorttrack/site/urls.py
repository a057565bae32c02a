"""Public URLs. Every page has a JSON twin: the page's URL without its trailing slash plus
``.json`` (/seasons/2022-23.json), or ``?format=json``."""

from django.urls import path, register_converter

from shorttrack.site import stream, views


class SeasonConverter:
    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class NationConverter(SeasonConverter):
    regex = r"[A-Za-z]{3}"


class DayConverter(SeasonConverter):
    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


register_converter(SeasonConverter, "season")
register_converter(NationConverter, "nation")
register_converter(DayConverter, "day")

app_name = "site"


def page(route: str, view, name: str) -> list:
    """The HTML page at ``route/`` and its JSON twin at ``route.json``."""
    return [
        path(f"{route}/", view, name=name),
        path(f"{route}.json", view, {"fmt": "json"}, name=f"{name}-json"),
    ]


urlpatterns = [
    path("", views.home, name="home"),
    *page("seasons", views.seasons, "seasons"),
    *page("seasons/<season:season>", views.season, "season"),
    path("seasons/<season:season>/calendar.ics", views.calendar_ics, name="calendar"),
    path("seasons/<season:season>/banner.svg", views.banner, name="banner"),
    path("seasons/<season:season>/qr.svg", views.qr, name="qr"),
    *page("seasons/<season:season>/standings/<slug:classification>", views.standings, "standings"),
    *page(
        "seasons/<season:season>/standings/<slug:classification>/grid",
        views.standings_grid,
        "standings-grid",
    ),
    *page("seasons/<season:season>/competitions/<int:number>", views.competition, "competition"),
    *page(
        "seasons/<season:season>/competitions/<int:number>/distances/<int:distance_race_id>",
        views.distance,
        "distance",
    ),
    *page(
        "seasons/<season:season>/competitions/<int:number>/distances/<int:distance_race_id>"
        "/rounds/<int:round_id>",
        views.round_page,
        "round",
    ),
    *page("seasons/<season:season>/nations/<nation:code>", views.nation, "nation"),
    *page("seasons/<season:season>/summaries", views.summaries, "summaries"),
    path("seasons/<season:season>/summaries.atom", views.summaries_atom, name="summaries-atom"),
    *page(
        "seasons/<season:season>/competitions/<int:number>/summaries/<day:day>",
        views.session_summary,
        "session-summary",
    ),
    *page(
        "seasons/<season:season>/competitions/<int:number>/facts",
        views.competition_facts,
        "competition-facts",
    ),
    *page(
        "seasons/<season:season>/competitions/<int:number>/facts/<int:distance_race_id>",
        views.race_facts,
        "race-facts",
    ),
    *page("seasons/<season:season>/globe/<slug:classification>", views.globe, "globe"),
    *page("races/<int:race_id>", views.race, "race"),
    *page("skaters/<int:skater_id>", views.skater, "skater"),
    *page("skaters/<int:skater_id>/facts", views.skater_facts, "skater-facts"),
    *page("head-to-head/<int:skater_id>/<int:opponent_id>", views.head_to_head, "head-to-head"),
    *page("search", views.search, "search"),
    *page("seasons/<season:season>/skaters", views.season_skaters, "season-skaters"),
    path("skaters/", views.skaters, name="skaters"),
    *page("nations", views.nations, "nations"),
    *page("nations/<nation:code>", views.nation_skaters, "nation-skaters"),
    path("live/<str:topic>/", stream.stream, name="live"),
]
