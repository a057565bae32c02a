"""The head-to-head page of two skaters and its JSON twin: every race both skated, who
finished ahead, by season and distance."""

from __future__ import annotations

import pytest

from shorttrack.store.models import RaceResultLine, Skater

pytestmark = pytest.mark.django_db


def ids(*family_names: str) -> list[int]:
    return [Skater.objects.get(family_name=name).pk for name in family_names]


def test_adams_v_fontana_in_montreal(read_page, small_competition):
    adams, fontana = ids("Adams", "Fontana")
    # Her time kept with the penalty, as the simulator keeps it (read "– PEN 1:26.460").
    RaceResultLine.objects.filter(skater_id=fontana, status="PEN").update(time_ms=86_460)
    html, doc = read_page(f"/head-to-head/{adams}/{fontana}/")
    assert doc["totals"] == {"a": 2, "b": 0, "neither": 0, "races": 2}
    assert (
        f'<h1><a href="/skaters/{adams}/">ADAMS Alice</a> <span class="muted">(CAN)</span> v '
        f'<a href="/skaters/{fontana}/">FONTANA Sara</a> <span class="muted">(ITA)</span></h1>'
        in html
    )
    assert "<caption>Women&#x27;s 1000m: ADAMS Alice 2, FONTANA Sara 0</caption>" in html
    # The final ranking: Adams second, Fontana eighth after her penalty in the Final A.
    assert '<td class="num">2</td><td class="num">8</td>' in html
    race = doc["seasons"][0]["distances"][0]["races"][1]
    assert (race["round"], race["b"]["status"]) == ("Final A", "PEN")
    # The city with the competition's number: a season may race twice in one city.
    assert f'href="/races/{race["race_id"]}/">Montreal (1), Final A</a>' in html
    # Fontana penalised: PEN where her time would be, as the ISU prints it (no "– PEN 1:29").
    assert '<td>– <span class="mark mark-PEN">PEN</span> </td>' in html


def test_the_other_way_round_counts_for_the_other_skater(read_page, small_competition):
    adams, fontana = ids("Adams", "Fontana")
    _, doc = read_page(f"/head-to-head/{fontana}/{adams}/")
    assert doc["totals"] == {"a": 0, "b": 2, "neither": 0, "races": 2}
    assert doc["ranking_totals"] == {"a": 0, "b": 1, "neither": 0, "races": 1}


def test_skaters_who_never_raced_each_other(read_page, small_competition):
    dekker, kovacs = ids("Dekker", "Kovacs")
    html, doc = read_page(f"/head-to-head/{dekker}/{kovacs}/")
    assert doc["seasons"] == []
    assert "They have skated no official World Cup race together." in html


def test_an_unknown_skater_or_the_same_skater_twice_is_not_found(client, small_competition):
    (adams,) = ids("Adams")
    missing = max(Skater.objects.values_list("pk", flat=True)) + 1
    for url in (
        f"/head-to-head/{adams}/{missing}/",
        f"/head-to-head/{missing}/{adams}.json",
        f"/head-to-head/{adams}/{adams}/",
        f"/head-to-head/{adams}/{adams}.json",
    ):
        assert client.get(url).status_code == 404, url


def test_a_skater_page_links_to_the_head_to_heads_with_the_rivals_met_most(
    read_page, small_competition
):
    adams, choi, fontana = ids("Adams", "Choi", "Fontana")
    html, doc = read_page(f"/skaters/{adams}/")
    assert [(r["id"], r["races"]) for r in doc["rivals"][:2]] == [(choi, 2), (fontana, 2)]
    link = f'<a href="/head-to-head/{adams}/{fontana}/">ADAMS Alice v FONTANA Sara (ITA)</a>'
    assert link in html
    assert "2 races together, ranked in 1 distance race together" in html
    # The link leads to the head-to-head of the two, the skater of the page first.
    _, head_to_head = read_page(f"/head-to-head/{adams}/{fontana}/")
    assert head_to_head["a"]["id"] == adams and head_to_head["totals"]["races"] == 2


def test_a_season_of_podiums_says_that_no_race_together_is_not_known(read_page, season_2022_23):
    schulting = Skater.objects.get(family_name="Schulting").pk
    velzeboer = Skater.objects.get(family_name="Velzeboer", given_name="Xandra").pk
    html, doc = read_page(f"/head-to-head/{schulting}/{velzeboer}/")
    assert doc["totals"]["races"] == 0 and doc["ranking_totals"]["races"] == 2
    (held,) = doc["coverage"]
    assert held["season"]["key"] == "2022/23" and held["coverage"]["with_race_results"] == 0
    name = held["season"]["name"]
    assert f"<strong>Incomplete results of {name}.</strong> This season holds" in html
    assert "None of its races has a result sheet" in html
    # Not "they have skated no race together": that is not known.
    assert "They have skated no official World Cup race together." not in html
    assert "No official World Cup race of them both is known" in html


def test_a_competition_raced_race_by_race_needs_no_note(read_page, small_competition):
    adams, fontana = ids("Adams", "Fontana")
    html, doc = read_page(f"/head-to-head/{adams}/{fontana}/")
    assert doc["coverage"] == [] and "coverage-note" not in html
