"""The head-to-head of two skaters in the small competition (Montreal, 2023/24, the women's
1000m from heats to Final A): who finished ahead in each race both skated, by season and
distance, and in the final ranking."""

from __future__ import annotations

import pytest

from shorttrack.queries.head_to_head import head_to_head_document, rivals
from shorttrack.queries.public import NotFound
from shorttrack.store import models

pytestmark = pytest.mark.django_db


def skater(family_name: str) -> models.Skater:
    return models.Skater.objects.select_related("member").get(family_name=family_name)


def test_adams_finished_ahead_of_fontana_in_both_races_they_skated(small_competition):
    doc = head_to_head_document(skater("Adams"), skater("Fontana"))
    assert (doc["a"]["name"], doc["b"]["name"]) == ("ADAMS Alice", "FONTANA Sara")
    (season,) = doc["seasons"]
    assert season["season"]["key"] == "2023/24"
    (women_1000,) = season["distances"]
    assert women_1000["distance"] == "W1000"
    races = [
        (r["round"], r["a"]["place"], r["a"]["time"], r["b"]["place"], r["b"]["status"], r["ahead"])
        for r in women_1000["races"]
    ]
    # Semi-final 1: Adams first in 1:28.450, Fontana second; Final A: Fontana penalised.
    assert races == [
        ("Semifinals", 1, "1:28.450", 2, "", "a"),
        ("Final A", 2, "1:28.020", None, "PEN", "a"),
    ]
    assert women_1000["races"][0]["b"]["mark"] == "QA"
    # Fontana's Final A: PEN in place of a time, as the ISU prints it.
    assert women_1000["races"][1]["b"]["time"] == ""
    expected = {"a": 2, "b": 0, "neither": 0, "races": 2}
    assert doc["totals"] == season["totals"] == women_1000["totals"] == expected
    # The final ranking: Adams second, Fontana below her.
    (ranking,) = doc["rankings"]
    assert (ranking["title"], ranking["a"]["rank"], ranking["ahead"]) == (
        women_1000["races"][0]["title"],
        2,
        "a",
    )
    assert doc["ranking_totals"] == {"a": 1, "b": 0, "neither": 0, "races": 1}


def test_a_dead_heat_puts_no_one_ahead(small_competition):
    # Final B: Baker and Jansen both second in 1:30.200; their only race together.
    doc = head_to_head_document(skater("Baker"), skater("Jansen"))
    (race,) = doc["seasons"][0]["distances"][0]["races"]
    assert (race["round"], race["a"]["place"], race["b"]["place"], race["ahead"]) == (
        "Final B",
        2,
        2,
        None,
    )
    assert doc["totals"] == {"a": 0, "b": 0, "neither": 1, "races": 1}


def test_the_second_skater_ahead_is_counted_for_b(small_competition):
    # Heat 2: Eriksen first, Hofmann penalised.
    doc = head_to_head_document(skater("Hofmann"), skater("Eriksen"))
    assert doc["totals"] == {"a": 0, "b": 1, "neither": 0, "races": 1}
    assert doc["seasons"][0]["distances"][0]["races"][0]["a"]["status"] == "PEN"


def test_skaters_who_never_met_have_no_races(small_competition):
    # Dekker went out in heat 1; Kovacs skated heat 3.
    doc = head_to_head_document(skater("Dekker"), skater("Kovacs"))
    assert doc["seasons"] == [] and doc["rankings"] != []
    assert doc["totals"] == {"a": 0, "b": 0, "neither": 0, "races": 0}


def test_a_skater_against_themself_is_not_a_head_to_head(small_competition):
    with pytest.raises(NotFound):
        head_to_head_document(skater("Adams"), skater("Adams"))


def test_schulting_and_velzeboer_in_the_final_rankings_of_2022_23(season_2022_23):
    # The 2022/23 data gives final rankings only (no race results). Both were penalised in
    # the Final A of the 500m (1) in Salt Lake City (World Cup 2): Xandra Velzeboer ranked
    # 8th, Schulting 9th (checks C03/C04); in Dresden (World Cup 5) Schulting won the 500m
    # with Velzeboer second. Elsewhere the data ranks one of them and not the other.
    schulting = skater("Schulting")
    velzeboer = models.Skater.objects.select_related("member").get(
        family_name="Velzeboer", given_name="Xandra"
    )
    doc = head_to_head_document(schulting, velzeboer)
    assert doc["seasons"] == [] and doc["totals"]["races"] == 0
    ranked = [
        (r["competition"]["number"], r["title"], r["a"]["rank"], r["b"]["rank"], r["ahead"])
        for r in doc["rankings"]
    ]
    assert ranked == [(2, "Women's 500m (1)", 9, 8, "b"), (5, "Women's 500m", 1, 2, "a")]
    assert doc["ranking_totals"] == {"a": 1, "b": 1, "neither": 0, "races": 2}


def test_the_rivals_adams_met_most_in_montreal(small_competition):
    # Adams skated heat 1 (Baker, Choi, Dekker), semifinal 1 (Fontana, Choi, Jansen) and
    # the Final A (Eriksen, Ito, Fontana): Choi and Fontana twice, the others once; every
    # one of them is in the final ranking of the 1000m with her.
    met = [(r["name"], r["races"], r["rankings"]) for r in rivals(skater("Adams"))]
    assert met == [
        ("CHOI Ha Eun", 2, 1),
        ("FONTANA Sara", 2, 1),
        ("BAKER Beth", 1, 1),
        ("DEKKER Femke", 1, 1),
        ("ERIKSEN Ida", 1, 1),
    ]


def test_rivals_in_a_season_of_final_rankings_alone(season_2022_23):
    # 2022/23 holds no race results: Schulting's rivals are who shared the published
    # rankings (podiums, a few places) with her most, equal counts by name.
    schulting = skater("Schulting")
    met = [(r["name"], r["races"], r["rankings"]) for r in rivals(schulting)]
    assert met == [
        ("KIM Gil Li", 0, 5),
        ("SANTOS Kristen", 0, 5),
        ("CHOI Min Jeong", 0, 4),
        ("DESMET Hanne", 0, 3),
        ("BOUTIN Kim", 0, 2),
    ]
    kim = models.Skater.objects.select_related("member").get(pk=rivals(schulting)[0]["id"])
    assert head_to_head_document(schulting, kim)["ranking_totals"]["races"] == 5


def test_choi_prints_as_the_newest_season_prints_korean_given_names(small_competition):
    # Stored "Choi" / "Ha-eun"; 2023/24, the newest season here, prints them spaced.
    doc = head_to_head_document(skater("Choi"), skater("Adams"))
    assert (doc["a"]["name"], doc["b"]["name"]) == ("CHOI Ha Eun", "ADAMS Alice")
    assert skater("Choi").name == "CHOI Ha-eun"  # the stored name is not rewritten
