"""The indexes: the skaters of a season by nation, the nations with their seasons, a
nation's skaters of every season. The real 2022/23 season and the Montreal 2023/24
competition (tests/fixtures/small-competition)."""

from __future__ import annotations

import pytest

from shorttrack.queries import index
from shorttrack.queries.public import NotFound
from shorttrack.store import models

pytestmark = pytest.mark.django_db


def test_a_season_lists_its_skaters_nation_by_nation(season_2022_23):
    document = index.season_skaters_document(season_2022_23)
    assert document["count"] == 48
    assert [n["code"] for n in document["nations"]][:3] == ["BEL", "CAN", "CHN"]
    belgium = document["nations"][0]
    assert belgium["name"] == "Belgium"
    assert [s["name"] for s in belgium["skaters"]] == ["DESMET Hanne", "DESMET Stijn"]
    assert sum(len(n["skaters"]) for n in document["nations"]) == 48


def test_a_skater_of_an_unpublished_competition_alone_is_in_no_season(small_competition):
    assert index.season_skaters_document(small_competition.season)["count"] > 0
    models.Competition.objects.filter(pk=small_competition.pk).update(published=False)
    assert index.season_skaters_document(small_competition.season)["nations"] == []


def test_the_nations_with_the_seasons_their_skaters_were_in(season_2022_23, small_competition):
    nations = {n["code"]: n for n in index.nations_document()["nations"]}
    assert nations["KOR"] == {
        "code": "KOR",
        "name": "Republic of Korea",
        "seasons": ["2023-24", "2022-23"],
        "skaters": 14,
    }
    assert nations["BEL"]["seasons"] == ["2022-23"]
    assert nations["NOR"]["seasons"] == ["2023-24"]


def test_a_nation_lists_its_skaters_of_every_season(season_2022_23, small_competition):
    document = index.nation_skaters_document("kor")
    assert document["nation"] == {"code": "KOR", "name": "Republic of Korea"}
    assert document["seasons"] == ["2023-24", "2022-23"]
    by_name = {s["name"]: s["seasons"] for s in document["skaters"]}
    assert by_name["KIM Gil Li"] == ["2022-23"]
    assert by_name["CHOI Ha Eun"] == ["2023-24"]
    assert len(by_name) == 14


def test_no_such_nation():
    with pytest.raises(NotFound):
        index.nation_skaters_document("XYZ")
