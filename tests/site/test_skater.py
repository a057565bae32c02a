"""The skater page: results per season and distance, World Cup medals and wins, personal
bests with where and when, and the standings positions after each competition."""

from __future__ import annotations

from datetime import date

import pytest

from shorttrack.queries.skater import age_on, skater_document
from shorttrack.store import models
from shorttrack.store.models import Skater

pytestmark = pytest.mark.django_db


def test_schulting_in_2022_23(read_page, season_2022_23):
    schulting = Skater.objects.get(family_name="Schulting")
    html, doc = read_page(f"/skaters/{schulting.pk}/")
    assert (doc["name"], doc["nation"]["code"]) == ("SCHULTING Suzanne", "NED")
    assert doc["medals"] == {"gold": 8, "silver": 2, "bronze": 1, "total": 11, "wins": 8}
    season = doc["seasons"][0]
    assert season["season"]["key"] == "2022/23"
    assert [(d["distance"], len(d["results"])) for d in season["distances"]] == [
        ("W500", 4),
        ("W1000", 5),
        ("W1500", 3),
    ]
    overall = season["standings"][0]
    assert overall["slug"] == "overall-women"
    # C03 and C04: second after Salt Lake City with 332, first with 912 after Dresden.
    assert [(p["after"], p["rank"], p["points"]) for p in overall["positions"]] == [
        ("Montreal", 1, 200),
        ("Salt Lake City", 2, 332),
        ("Almaty", 1, 512),
        ("Almaty", 1, 712),
        ("Dresden", 1, 912),
        ("Dordrecht", 1, 1062),
    ]
    assert '<h1>SCHULTING Suzanne <span class="muted">(NED)</span></h1>' in html
    assert "8 gold, 2 silver, 1 bronze (8 wins)" in html
    assert "<caption>Women&#x27;s 1000m</caption>" in html


def test_personal_bests_with_where_and_when(read_page, small_competition):
    adams = Skater.objects.get(family_name="Adams")
    html, doc = read_page(f"/skaters/{adams.pk}/")
    assert doc["personal_bests"] == [
        {
            "distance": "W1000",
            "title": "1000m",
            "time": "1:28.020",
            "time_ms": 88_020,
            "season": "2023/24",
            "competition": doc["personal_bests"][0]["competition"],
            "date": "2023-10-21",
            "race_id": doc["personal_bests"][0]["race_id"],
            "round": "Final A",
        }
    ]
    assert doc["personal_bests"][0]["competition"]["city"] == "Montreal"
    assert doc["birth_date"] == "2000-03-14"
    assert doc["age"] == age_on(date(2000, 3, 14), date.today())
    assert doc["medals"]["silver"] == 1
    assert "Personal bests" in html and "1:28.020" in html


def test_age_on_a_day():
    assert age_on(date(2000, 3, 14), date(2023, 3, 13)) == 22
    assert age_on(date(2000, 3, 14), date(2023, 3, 14)) == 23
    assert age_on(None, date(2023, 3, 14)) is None


def test_relay_skaters_see_their_team_results(small_competition):
    visser = Skater.objects.get(family_name="Visser")
    doc = skater_document(visser, today=date(2023, 10, 22))
    relay = doc["seasons"][0]["distances"][0]
    assert relay["distance"] == "W3000R"
    assert [(r["team"], r["rank"]) for r in relay["results"]] == [("NED", 1)]
    assert doc["relay_medals"]["gold"] == 1 and doc["medals"]["total"] == 0


def test_a_fictional_skater_is_labelled(read_page, small_competition):
    skater = Skater.objects.get(family_name="Kovacs")
    skater.fictional = True
    skater.save()
    html, doc = read_page(f"/skaters/{skater.pk}/")
    assert doc["fictional"] is True and "fictional skater" in html
    heats = models.Round.objects.get(distance_race__distance="W1000", kind="heats")
    _, page = read_page(
        f"/seasons/2023-24/competitions/1/distances/{heats.distance_race_id}/rounds/{heats.pk}/"
    )
    heat = page["races"][2]["result"]["lines"]
    assert next(line for line in heat if line["name"] == "KOVACS Reka")["fictional"] is True


def test_unknown_skater(client):
    assert client.get("/skaters/424242/").status_code == 404


def test_a_korean_skater_is_named_as_the_newest_season_prints_it(read_page, small_competition):
    # Stored "LEE" / "Seo-yeon"; 2023/24 prints Korean given names spaced.
    lee = Skater.objects.get(family_name="Lee", given_name="Seo-yeon")
    html, doc = read_page(f"/skaters/{lee.pk}/")
    assert (doc["name"], doc["given_name"]) == ("LEE Seo Yeon", "Seo-yeon")
    assert "<h1>LEE Seo Yeon " in html
