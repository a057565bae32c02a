"""Finding skaters, nations and competitions by what a visitor types: accents, case and
hyphens do not count, and the words may come in any order."""

from __future__ import annotations

import pytest

from shorttrack.queries.search import matches, search_document, words
from shorttrack.services.imports import import_paths
from shorttrack.store import models

pytestmark = pytest.mark.django_db


@pytest.fixture
def more_skaters(tmp_path):
    """Skaters of the 2023/24 World Cup whose names carry accents and a hyphen."""
    skaters = tmp_path / "skaters.csv"
    skaters.write_text(
        "isu_id,given_name,family_name,gender,birth_date,member\n"
        ",William,Dandjinou,men,,CAN\n"
        ",Félix,Roussel,men,,CAN\n"
        ",Émilie,Côté,women,,CAN\n",
        encoding="utf-8",
    )
    import_paths([skaters])


def names(document: dict) -> list[str]:
    return [skater["name"] for skater in document["skaters"]]


def test_a_family_name_is_found_whatever_its_case(season_2022_23):
    found = names(search_document("desmet"))
    assert found == ["DESMET Hanne", "DESMET Stijn"]
    assert names(search_document("DESMET")) == found
    assert names(search_document("  Desmet ")) == found


def test_given_and_family_name_in_any_order_each_word_beginning_a_name(season_2022_23):
    assert names(search_document("kim gil")) == ["KIM Gil Li"]
    assert names(search_document("gil kim")) == ["KIM Gil Li"]
    assert names(search_document("Gilli")) == ["KIM Gil Li"]  # the hyphen does not count
    assert names(search_document("kim gil xyz")) == []


def test_accents_do_not_count_either_way(more_skaters):
    assert names(search_document("Dandjinou")) == ["DANDJINOU William"]
    assert names(search_document("felix")) == ["ROUSSEL Félix"]
    assert names(search_document("cote émilie")) == ["CÔTÉ Émilie"]


def test_a_skater_hit_names_the_skater_as_every_page_does(season_2022_23):
    [hit] = search_document("kim gil")["skaters"]
    kim = models.Skater.objects.get(family_name__iexact="kim", given_name="Gil-li")
    assert hit == {
        "id": kim.pk,
        "name": "KIM Gil Li",  # as 2022/23, the newest season here, prints it
        "nation": "KOR",
        "fictional": False,
        "gender": kim.gender,
    }


def test_nations_by_code_or_name_with_the_seasons_they_were_ranked_in(season_2022_23):
    document = search_document("bel")
    assert document["nations"] == [{"code": "BEL", "name": "Belgium", "seasons": ["2022-23"]}]
    assert [n["code"] for n in search_document("nether")["nations"]] == ["NED"]


def test_competitions_by_city_or_season(season_2022_23):
    assert [c["city"] for c in search_document("montr")["competitions"]] == ["Montreal"]
    season = search_document("2022/23")["competitions"]
    assert [c["number"] for c in season] == [1, 2, 3, 4, 5, 6]
    assert search_document("2022/23")["counts"]["competitions"] == 6


def test_an_unpublished_competition_is_not_found(season_2022_23):
    models.Competition.objects.filter(season=season_2022_23, city="Montreal").update(
        published=False
    )
    assert search_document("montreal")["competitions"] == []


def test_nothing_typed_finds_nothing(season_2022_23):
    document = search_document("   ")
    assert document["query"] == ""
    assert document["counts"] == {"skaters": 0, "nations": 0, "competitions": 0}


def test_every_word_typed_must_begin_a_word_of_the_name():
    name = words("van 't WOUT Jens")
    assert matches(words("wout jen"), name)
    assert matches(words("jens van"), name)
    assert not matches(words("out"), name)  # inside a word, not at its start
    assert not matches([], name)
