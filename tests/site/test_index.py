"""The index pages and their JSON twins: /seasons/2022-23/skaters/, /nations/,
/nations/KOR/."""

from __future__ import annotations

import pytest

from shorttrack.store import models

pytestmark = pytest.mark.django_db


def test_the_skaters_of_a_season_by_nation(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/skaters/")
    assert doc["count"] == 48
    hanne = models.Skater.objects.get(family_name__iexact="desmet", given_name="Hanne")
    assert f'<a href="/skaters/{hanne.pk}/">DESMET Hanne</a>' in html
    assert '<h2 id="nation-BEL-heading"><a href="/seasons/2022-23/nations/BEL/">Belgium</a>' in html
    assert '<a href="#nation-KOR">KOR</a>' in html


def test_the_nations_link_to_their_skaters_and_seasons(read_page, season_2022_23):
    html, doc = read_page("/nations/")
    assert [n["code"] for n in doc["nations"]][:2] == ["BEL", "CAN"]
    assert '<a href="/nations/BEL/">Belgium</a>' in html
    assert '<a href="/seasons/2022-23/nations/BEL/">2022-23</a>' in html


def test_a_nation_lists_its_skaters_with_their_seasons(read_page, client, season_2022_23):
    html, doc = read_page("/nations/KOR/")
    assert doc["nation"]["code"] == "KOR" and len(doc["skaters"]) == 12
    assert '<a href="/seasons/2022-23/skaters/#nation-KOR">2022-23</a>' in html
    assert client.get("/nations/kor/").url == "/nations/KOR/"
    assert client.get("/nations/XYZ/").status_code == 404
    assert client.get("/nations/XYZ.json").status_code == 404


def test_the_season_index_prints_korean_given_names_as_the_season_does(read_page, season_2022_23):
    _, doc = read_page("/seasons/2022-23/skaters/")
    (korea,) = [n for n in doc["nations"] if n["code"] == "KOR"]
    assert "KIM Gil Li" in {s["name"] for s in korea["skaters"]}


def test_a_fan_finds_the_indexes_from_every_page(read_page, client, season_2022_23):
    # The site's menu, on every page, leads to the skaters and the nations.
    html, _ = read_page("/seasons/2022-23/standings/overall-women/")
    assert '<a href="/skaters/">Skaters</a> <a href="/nations/">Nations</a></nav>' in html
    # /skaters/ is the current season's index; the season page links to its own.
    assert client.get("/skaters/").url == "/seasons/2022-23/skaters/"
    html, _ = read_page("/seasons/2022-23/")
    assert '<a href="/seasons/2022-23/skaters/">Every skater of the season</a>' in html


def test_without_a_season_skaters_leads_to_the_nations(client, db):
    assert client.get("/skaters/").url == "/nations/"
