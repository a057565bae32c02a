"""The competition's overview, a distance's and a round's documents over the API: the
pages' own documents, and a 404 in JSON for what the competition does not hold."""

from __future__ import annotations

import pytest

from shorttrack.store.models import Round

pytestmark = pytest.mark.django_db
API = "/api/seasons/2023-24/competitions/1"
SITE = "/seasons/2023-24/competitions/1"


def both(client, path: str) -> dict:
    answer = client.get(f"{API}{path}")
    assert answer.status_code == 200, answer.content[:300]
    assert answer.json() == client.get(f"{SITE}{path}.json").json()
    return answer.json()


def test_the_overview_distance_and_round_are_the_pages_documents(client, small_competition):
    overview = both(client, "")
    distance = next(d for d in overview["distances"] if d["distance"] == "W1000")
    assert [p["name"] for p in distance["podium"]] == ["ERIKSEN Ida", "ADAMS Alice", "ITO Yui"]

    page = both(client, f"/distances/{distance['id']}")
    assert [r["label"] for r in page["rounds"]] == ["Heats", "Semifinals", "Final B", "Final A"]
    assert page["ranking"]["rows"][0]["points"] == 100

    semifinals = next(r for r in distance["rounds"] if r["kind"] == "semifinals")
    round_page = both(client, f"/distances/{distance['id']}/rounds/{semifinals['id']}")
    assert [race["result"]["lines"][0]["name"] for race in round_page["races"]] == [
        "ADAMS Alice",
        "ERIKSEN Ida",
    ]


def test_a_round_or_distance_the_competition_does_not_hold_is_a_json_404(client, small_competition):
    other = Round.objects.get(distance_race__distance="W3000R", kind="final_a")
    heats = Round.objects.get(distance_race__distance="W1000", kind="heats")
    answer = client.get(f"{API}/distances/{other.distance_race_id}/rounds/{heats.pk}")
    assert answer.status_code == 404
    assert answer.json() == {"detail": f"no round {heats.pk} of the Women's 3000m relay"}
    answer = client.get(f"{API}/distances/999999")
    assert answer.status_code == 404
    assert answer.json()["detail"].startswith("no distance race 999999 at ")
