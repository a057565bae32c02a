"""The press endpoints of the JSON API (facts, session summaries, the race for the Globe)
return the documents of their pages through their OpenAPI schemas, losing nothing."""

from __future__ import annotations

import pytest

from shorttrack.queries.races import find_distance_race
from shorttrack.store.models import Season, Skater

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
        ("/api/seasons/2022-23/summaries", "/seasons/2022-23/summaries.json"),
        (
            "/api/seasons/2022-23/competitions/3/summaries/2022-12-10",
            "/seasons/2022-23/competitions/3/summaries/2022-12-10.json",
        ),
        ("/api/seasons/2022-23/competitions/3/facts", "/seasons/2022-23/competitions/3/facts.json"),
        ("/api/seasons/2023-24/competitions/1/facts", "/seasons/2023-24/competitions/1/facts.json"),
        ("/api/seasons/2022-23/globe/overall-men", "/seasons/2022-23/globe/overall-men.json"),
        ("/api/seasons/2023-24/globe/relay-women", "/seasons/2023-24/globe/relay-women.json"),
        (
            "/api/seasons/2022-23/globe/overall-women?as_of=2022-12-11T00:00",
            "/seasons/2022-23/globe/overall-women.json?as_of=2022-12-11T00:00",
        ),
    ],
)
def test_each_endpoint_is_the_pages_document(client, both_seasons, api, page):
    from_api, from_page = api_and_page(client, api, page)
    assert from_api == from_page


def test_race_facts_skater_facts_and_the_globe_after_a_final(client, both_seasons):
    season = Season.objects.get(key="2022/23")
    almaty = find_distance_race(season, "Almaty 3, 1000m", "men")
    from_api, from_page = api_and_page(
        client,
        f"/api/seasons/2022-23/competitions/3/facts/{almaty.pk}",
        f"/seasons/2022-23/competitions/3/facts/{almaty.pk}.json",
    )
    assert from_api == from_page
    third = next(f for f in from_api["facts"] if f["kind"] == "season_wins")
    assert (third["subject"]["press_name"], third["values"]["n"]) == ("Jens van 't Wout", 3)

    eriksen = Skater.objects.get(family_name="Eriksen")
    for query in ("", "?season=2023-24"):
        from_api, from_page = api_and_page(
            client,
            f"/api/skaters/{eriksen.pk}/facts{query}",
            f"/skaters/{eriksen.pk}/facts.json{query}",
        )
        assert from_api == from_page and from_api["season"]["key"] == "2023/24"
    track = next(f for f in from_api["facts"] if f["kind"] == "track_record")
    assert track["proof"][0]["text"].endswith("ERIKSEN Ida (NOR), 1:27.950")

    dresden = find_distance_race(season, "Dresden, 1500m (2)", "men")
    from_api, from_page = api_and_page(
        client,
        f"/api/seasons/2022-23/globe/overall-men?after={dresden.pk}",
        f"/seasons/2022-23/globe/overall-men.json?after={dresden.pk}",
    )
    assert from_api == from_page and from_api["points_available"] == 400


def test_errors_name_what_is_wrong(client, both_seasons):
    missing = client.get("/api/seasons/2022-23/competitions/3/summaries/2022-12-09")
    assert missing.status_code == 404 and "finals days are" in missing.json()["detail"]
    assert client.get("/api/seasons/2022-23/competitions/3/summaries/10-12-2022").status_code == 422
    assert client.get("/api/seasons/2022-23/globe/overall-juniors").status_code == 404
    bad = client.get("/api/seasons/2022-23/globe/overall-men?as_of=soon")
    assert bad.status_code == 400 and "is not a moment" in bad.json()["detail"]
    assert client.get("/api/seasons/2022-23/competitions/3/facts/999999").status_code == 404
    assert client.get("/api/skaters/999999/facts").status_code == 404


def test_the_openapi_document_describes_the_press_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert {
        "/api/seasons/{season}/summaries",
        "/api/seasons/{season}/competitions/{number}/summaries/{day}",
        "/api/seasons/{season}/competitions/{number}/facts",
        "/api/seasons/{season}/competitions/{number}/facts/{distance_race_id}",
        "/api/skaters/{skater_id}/facts",
        "/api/seasons/{season}/globe/{classification}",
    } <= set(schema["paths"])
    components = schema["components"]["schemas"]
    for name in ("SessionSummaryDocument", "GlobeDocument", "RaceFactsDocument", "Fact"):
        assert name in components
    assert set(components["Fact"]["properties"]) == {
        "key",
        "kind",
        "text",
        "rarity",
        "at",
        "race",
        "subject",
        "values",
        "proof",
    }
