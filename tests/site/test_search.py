"""The search page: a plain form and its hits without JavaScript, the hits alone for the
search box of every page (?fragment=main), and its JSON twin."""

from __future__ import annotations

import pytest

from shorttrack.store import models

pytestmark = pytest.mark.django_db


def test_the_search_page_lists_the_skaters_found_with_links(read_page, season_2022_23):
    html, doc = read_page("/search/?q=desmet")
    hanne = models.Skater.objects.get(family_name__iexact="desmet", given_name="Hanne")
    assert [s["name"] for s in doc["skaters"]] == ["DESMET Hanne", "DESMET Stijn"]
    assert f'<a href="/skaters/{hanne.pk}/">DESMET Hanne</a>' in html
    assert '<h2 id="hits-skaters">Skaters</h2>' in html
    assert 'value="desmet"' in html  # the box says what was searched


def test_a_nation_links_to_its_season_and_a_competition_to_its_page(read_page, season_2022_23):
    html, doc = read_page("/search/?q=belgium")
    assert doc["nations"] == [{"code": "BEL", "name": "Belgium", "seasons": ["2022-23"]}]
    assert '<a href="/seasons/2022-23/nations/BEL/">Belgium</a>' in html
    html, doc = read_page("/search/?q=Montréal")
    [montreal] = doc["competitions"]
    assert f'<a href="/seasons/2022-23/competitions/{montreal["number"]}/">' in html


def test_the_json_twin_keeps_the_query(client, season_2022_23):
    doc = client.get("/search.json?q=kim+gil").json()
    assert doc["query"] == "kim gil"
    assert [s["name"] for s in doc["skaters"]] == ["KIM Gil Li"]
    assert client.get("/api/search?q=kim+gil").json()["skaters"] == doc["skaters"]


def test_nothing_found_is_said(read_page, season_2022_23):
    html, doc = read_page("/search/?q=zzzz")
    assert doc["counts"] == {"skaters": 0, "nations": 0, "competitions": 0}
    assert "No skater, nation or competition is called “zzzz”." in html


def test_the_search_page_without_a_query_explains_itself(read_page, season_2022_23):
    html, doc = read_page("/search/")
    assert doc["query"] == "" and doc["skaters"] == []
    assert "the words may come in any order" in html


def test_the_fragment_is_the_hits_alone_without_headings(client, season_2022_23):
    fragment = client.get("/search/?fragment=main&q=kim%20gil").text
    assert "KIM Gil Li" in fragment
    assert "<h2" not in fragment and "<html" not in fragment
    assert 'id="suggested-skaters"' in fragment


def test_every_page_has_the_search_box(client, season_2022_23):
    for url in ("/seasons/", "/seasons/2022-23/", "/seasons/2022-23/nations/KOR/"):
        html = client.get(url).text
        assert '<form class="search" role="search" action="/search/" method="get">' in html
        assert 'hx-get="/search/?fragment=main"' in html
        assert "htmx-2.0.11.min.js" in html
