"""The JSON API returns the documents of the public pages through their OpenAPI schemas,
losing nothing on the way."""

from __future__ import annotations

import pytest

from shorttrack.store.models import Race, Skater

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_seasons(season_2022_23, small_competition):
    return None


def api_and_page(client, api: str, page: str):
    answer = client.get(api)
    assert answer.status_code == 200, answer.content[:300]
    return answer.json(), client.get(page).json()


@pytest.mark.parametrize(
    "api, page",
    [
        ("/api/seasons", "/seasons.json"),
        ("/api/seasons/2022-23", "/seasons/2022-23.json"),
        (
            "/api/seasons/2022-23/standings/overall-men",
            "/seasons/2022-23/standings/overall-men.json",
        ),
        (
            "/api/seasons/2022-23/standings/overall-women?after=1",
            "/seasons/2022-23/standings/overall-women.json?after=1",
        ),
        (
            "/api/seasons/2022-23/standings/overall-women/grid?after=1",
            "/seasons/2022-23/standings/overall-women/grid.json?after=1",
        ),
        ("/api/seasons/2023-24/competitions/1", "/seasons/2023-24/competitions/1.json"),
        ("/api/seasons/2022-23/nations/KOR", "/seasons/2022-23/nations/KOR.json"),
    ],
)
def test_each_endpoint_is_the_pages_document(client, both_seasons, api, page):
    if "after=1" in api:
        from shorttrack.queries.races import find_distance_race
        from shorttrack.store.models import Season

        race = find_distance_race(Season.objects.get(key="2022/23"), "Montreal, 1500m", "women")
        api, page = (
            api.replace("after=1", f"after={race.pk}"),
            page.replace("after=1", f"after={race.pk}"),
        )
    from_api, from_page = api_and_page(client, api, page)
    assert from_api == from_page


def test_race_and_skater_endpoints(client, both_seasons):
    race = Race.objects.get(round__kind="final_a", round__distance_race__distance="W1000")
    from_api, from_page = api_and_page(client, f"/api/races/{race.pk}", f"/races/{race.pk}.json")
    assert from_api == from_page and from_api["title"] == "Women's 1000m (1), Final A"
    skater = Skater.objects.get(family_name="Schulting")
    from_api, from_page = api_and_page(
        client, f"/api/skaters/{skater.pk}", f"/skaters/{skater.pk}.json"
    )
    assert from_api == from_page and from_api["medals"]["wins"] == 8


def test_errors_name_what_is_wrong(client, both_seasons):
    missing = client.get("/api/seasons/2022-23/standings/overall-juniors")
    assert missing.status_code == 404 and "overall-juniors" in missing.json()["detail"]
    bad = client.get("/api/seasons/2022-23/standings/overall-men?as_of=soon")
    assert bad.status_code == 400 and "is not a moment" in bad.json()["detail"]
    assert client.get("/api/races/999999").status_code == 404
    assert client.get("/api/seasons/22-23").status_code == 422


def test_the_openapi_document_describes_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/seasons",
        "/api/seasons/{season}",
        "/api/seasons/{season}/standings/{classification}",
        "/api/seasons/{season}/standings/{classification}/grid",
        "/api/seasons/{season}/competitions/{number}",
        # a competition's distances and rounds (test_competition_endpoints.py)
        "/api/seasons/{season}/competitions/{number}/distances/{distance_race_id}",
        "/api/seasons/{season}/competitions/{number}/distances/{distance_race_id}"
        "/rounds/{round_id}",
        "/api/seasons/{season}/nations/{code}",
        "/api/races/{race_id}",
        "/api/skaters/{skater_id}",
        "/api/head-to-head/{skater_id}/{opponent_id}",
        "/api/search",
        # the press endpoints (test_press_endpoints.py)
        "/api/seasons/{season}/summaries",
        "/api/seasons/{season}/competitions/{number}/summaries/{day}",
        "/api/seasons/{season}/competitions/{number}/facts",
        "/api/seasons/{season}/competitions/{number}/facts/{distance_race_id}",
        "/api/skaters/{skater_id}/facts",
        "/api/seasons/{season}/globe/{classification}",
    }
    assert "StandingsDocument" in schema["components"]["schemas"]
    assert client.get("/api/docs").status_code == 200
