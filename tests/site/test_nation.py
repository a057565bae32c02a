"""The nation page: a nation's skaters in a season and its medals by distance."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_netherlands_in_2022_23(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/nations/NED/")
    assert doc["nation"] == {"code": "NED", "name": "Netherlands"}
    assert doc["medals"]["total"] == {"gold": 18, "silver": 7, "bronze": 5, "total": 30}
    assert sum(row["total"] for row in doc["medals"]["distances"]) == 30
    skaters = {s["name"]: s for s in doc["skaters"]}
    assert skaters["SCHULTING Suzanne"]["medals"]["total"] == 11
    assert skaters["SCHULTING Suzanne"]["best_rank"] == 1
    assert len(doc["podiums"]) == 30
    assert "<caption>Medals of NED by distance</caption>" in html
    assert '<th scope="row">All distances</th>' in html


def test_a_nation_code_in_lower_case_redirects(client, season_2022_23):
    response = client.get("/seasons/2022-23/nations/ned/")
    assert response.status_code == 302 and response["Location"] == "/seasons/2022-23/nations/NED/"
    assert client.get("/seasons/2022-23/nations/XYZ/").status_code == 404


def test_korea_in_2022_23_prints_given_names_as_that_season_does(read_page, season_2022_23):
    # 2022/23's rules space Korean given names, as its ISU sheets: stored "Gil-li".
    html, doc = read_page("/seasons/2022-23/nations/KOR/")
    names = {s["name"] for s in doc["skaters"]}
    assert "KIM Gil Li" in names and "KIM Gil-li" not in names
    assert "CHOI Min Jeong" in {p["name"] for p in doc["podiums"]}
    assert ">KIM Gil Li</a>" in html and "Gil-li" not in html
