"""/api/head-to-head/<a>/<b>: the head-to-head page's document through the API, and its
errors in JSON."""

from __future__ import annotations

import pytest

from shorttrack.store.models import Skater

pytestmark = pytest.mark.django_db


def ids(*family_names: str) -> list[int]:
    return [Skater.objects.get(family_name=name).pk for name in family_names]


def test_adams_v_fontana_is_the_pages_document(client, small_competition):
    adams, fontana = ids("Adams", "Fontana")
    answer = client.get(f"/api/head-to-head/{adams}/{fontana}")
    assert answer.status_code == 200, answer.content[:300]
    doc = answer.json()
    assert doc == client.get(f"/head-to-head/{adams}/{fontana}.json").json()
    assert (doc["a"]["name"], doc["b"]["name"]) == ("ADAMS Alice", "FONTANA Sara")
    assert doc["totals"] == {"a": 2, "b": 0, "neither": 0, "races": 2}
    (season,) = doc["seasons"]
    semifinal, final = season["distances"][0]["races"]
    assert (semifinal["round"], semifinal["a"]["place"], semifinal["b"]["place"]) == (
        "Semifinals",
        1,
        2,
    )
    assert (final["round"], final["a"]["time"], final["b"]["status"]) == (
        "Final A",
        "1:28.020",
        "PEN",
    )
    assert doc["ranking_totals"] == {"a": 1, "b": 0, "neither": 0, "races": 1}


def test_errors_name_what_is_wrong(client, small_competition):
    (adams,) = ids("Adams")
    same = client.get(f"/api/head-to-head/{adams}/{adams}")
    assert same.status_code == 404
    assert same.json() == {"detail": "a head-to-head is of two different skaters"}
    unknown = client.get(f"/api/head-to-head/{adams}/999999")
    assert unknown.status_code == 404 and "999999" in unknown.json()["detail"]
    bad = client.get(f"/api/head-to-head/{adams}/fontana")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["path", "opponent_id"]


def test_the_openapi_document_describes_it(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/head-to-head/{skater_id}/{opponent_id}"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/HeadToHeadDocument"
    assert {"200", "400", "404", "422"} <= set(operation["responses"])
    race = schema["components"]["schemas"]["HeadToHeadRace"]
    assert {"race_id", "round", "a", "b", "ahead"} <= set(race["properties"])
