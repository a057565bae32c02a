"""Facts on the public site: the facts panels of the race, competition and skater pages,
and the facts pages they lead to (a distance race's, a competition's, a skater's), each
fact with the results that prove it, on the real 2022/23 season and the small Montreal
competition of 2023/24."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shorttrack.queries.races import find_distance_race
from shorttrack.store import models

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Toronto")


def facts_of(facts, kind, subject=None):
    return [
        f
        for f in facts
        if f["kind"] == kind and (subject is None or f["subject"]["press_name"] == subject)
    ]


def only(facts, kind, subject=None):
    found = facts_of(facts, kind, subject)
    assert len(found) == 1, [f["text"] for f in facts if f["kind"] == kind]
    return found[0]


def almaty_men_1000(season):
    return find_distance_race(season, "Almaty 3, 1000m", "men")


def test_van_t_wout_s_third_win_of_the_season_with_its_proof(read_page, season_2022_23):
    race = almaty_men_1000(season_2022_23)
    html, doc = read_page(f"/seasons/2022-23/competitions/3/facts/{race.pk}/")

    assert doc["title"] == "Almaty, Men's 1000m: facts"
    assert [(p["rank"], p["press_name"]) for p in doc["podium"]] == [
        (1, "Jens van 't Wout"),
        (2, "Pascal Dion"),
        (3, "Jordan Pierre-Gilles"),
    ]
    third = only(doc["facts"], "season_wins", "Jens van 't Wout")
    assert third["values"]["n"] == 3
    assert [p["text"] for p in third["proof"]] == [
        "Salt Lake City 2022/23, Men's 1500m, final ranking: 1. van 't WOUT Jens (NED)",
        "Salt Lake City 2022/23, Men's 500m (2), final ranking: 1. van 't WOUT Jens (NED)",
        "Almaty 2022/23, Men's 1000m, final ranking: 1. van 't WOUT Jens (NED)",
    ]
    # Each proof row links to the final ranking it is a line of.
    first = third["proof"][0]
    salt_lake_1500 = find_distance_race(season_2022_23, "Salt Lake City, 1500m", "men")
    assert (first["season_slug"], first["competition"], first["distance_race_id"]) == (
        "2022-23",
        2,
        salt_lake_1500.pk,
    )
    assert f'href="/seasons/2022-23/competitions/2/#distance-{salt_lake_1500.pk}"' in html
    assert "Jens van &#x27;t Wout (NED) won his third individual World Cup race" in html
    # Rarest first.
    rarities = [f["rarity"] for f in doc["facts"]]
    assert rarities == sorted(rarities, reverse=True)
    assert "Career counts and records are of the results held here, from 2022/23." in html


def test_the_competition_page_loads_its_rarest_facts_and_its_sessions(client, season_2022_23):
    page = client.get("/seasons/2022-23/competitions/3/")
    # The overview finds no fact: it links to the facts page and fetches the panel after.
    later = page.context["facts_panel"]
    assert later["later"] == "/seasons/2022-23/competitions/3/facts/?fragment=main"
    html = page.text
    assert '<section class="facts-panel" id="facts"' in html
    assert 'hx-get="/seasons/2022-23/competitions/3/facts/?fragment=main"' in html
    assert 'href="/seasons/2022-23/competitions/3/facts/"' in html
    fragment = client.get(later["later"])
    panel = fragment.context["facts_panel"]
    assert panel["title"] == "Facts"
    assert len(panel["facts"]) == 5
    assert [f["rarity"] for f in panel["facts"]] == sorted(
        (f["rarity"] for f in panel["facts"]), reverse=True
    )
    assert [s["day"] for s in panel["sessions"]] == ["2022-12-10", "2022-12-11"]
    assert fragment.text.lstrip().startswith('<section class="facts-panel" id="facts"')
    assert "<html" not in fragment.text
    assert 'href="/seasons/2022-23/competitions/3/summaries/2022-12-10/"' in fragment.text
    count = client.get("/seasons/2022-23/competitions/3/facts.json").json()["count"]
    assert f"All {count} facts of the competition" in fragment.text
    # The competition page's own document is unchanged: the panel has its own JSON.
    assert "facts" not in client.get("/seasons/2022-23/competitions/3.json").json()


def test_the_competition_facts_page_is_an_index_of_its_distance_races(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/competitions/3/facts/")
    by_title = {d["title"]: d for d in doc["distances"]}
    men_1000 = by_title["Men's 1000m"]
    assert only(men_1000["facts"], "season_wins", "Jens van 't Wout")["values"]["n"] == 3
    # Each distance race's rarest three, and how many it has: all on its own page.
    for distance in doc["distances"]:
        _, own = read_page(f"/seasons/2022-23/competitions/3/facts/{distance['id']}/")
        assert distance["count"] == len(own["facts"])
        assert distance["facts"] == own["facts"][:3]
    assert (
        f'<a href="/seasons/2022-23/competitions/3/facts/{men_1000["id"]}/">'
        f"All {men_1000['count']} facts of the Men&#x27;s 1000m</a>"
    ) in html
    assert doc["count"] == sum(d["count"] for d in doc["distances"])
    assert all(len(d["facts"]) == min(d["count"], 3) for d in doc["distances"])
    # The competition's rarest, each linked to its fact on its distance race's page.
    rarities = [f["rarity"] for f in doc["notable"]]
    assert len(rarities) == 5 and rarities == sorted(rarities, reverse=True)
    every = [f["rarity"] for d in doc["distances"] for f in d["facts"]]
    assert rarities[0] == max(every)
    first = doc["notable"][0]
    assert f'{first["race"]["id"]}/#fact-{first["key"]}"' in html
    assert [s["day"] for s in doc["sessions"]] == ["2022-12-10", "2022-12-11"]
    assert f'id="facts-{men_1000["id"]}"' in html
    assert doc["people"]["s" + str(men_1000["facts"][0]["subject"]["skater_id"])]


def test_a_distance_race_with_more_facts_shows_its_rarest_three(read_page, small_competition):
    _, doc = read_page("/seasons/2023-24/competitions/1/facts/")
    most = max(doc["distances"], key=lambda d: d["count"])
    _, own = read_page(f"/seasons/2023-24/competitions/1/facts/{most['id']}/")
    assert most["count"] == len(own["facts"]) > 3
    assert most["facts"] == own["facts"][:3]


def test_the_skater_page_panel_and_the_skater_s_facts(read_page, client, season_2022_23):
    skater = models.Skater.objects.get(family_name__iexact="van 't Wout")
    page = client.get(f"/skaters/{skater.pk}/")
    # The page finds no fact: it links to the skater's facts and fetches its panel after.
    assert page.context["facts_panel"]["later"] == f"/skaters/{skater.pk}/?fragment=facts"
    assert f'hx-get="/skaters/{skater.pk}/?fragment=facts"' in page.text
    assert f'href="/skaters/{skater.pk}/facts/"' in page.text
    fragment = client.get(f"/skaters/{skater.pk}/?fragment=facts")
    panel = fragment.context["facts_panel"]
    assert panel["title"] == "Facts of 2022/23"
    assert all(f["subject"]["skater_id"] == skater.pk for f in panel["facts"])
    assert fragment.text.lstrip().startswith('<section class="facts-panel" id="facts"')
    assert "<html" not in fragment.text
    assert f'href="/skaters/{skater.pk}/facts/"' in fragment.text
    # The skater's JSON is the skater's document, whatever fragment is asked for.
    assert client.get(f"/skaters/{skater.pk}.json?fragment=facts").json()["id"] == skater.pk

    html, doc = read_page(f"/skaters/{skater.pk}/facts/")
    assert doc["season"]["key"] == "2022/23" and [s["key"] for s in doc["seasons"]] == ["2022/23"]
    assert {f["subject"]["skater_id"] for f in doc["facts"]} == {skater.pk}
    wins = facts_of(doc["facts"], "season_wins")
    assert sorted(f["values"]["n"] for f in wins) == [1, 2, 3]
    _, named = read_page(f"/skaters/{skater.pk}/facts/?season=2022-23")
    assert named["facts"] == doc["facts"]
    assert client.get(f"/skaters/{skater.pk}/facts/?season=1999-00").status_code == 404


def test_a_final_a_page_shows_the_distance_race_s_facts(client, small_competition):
    final = models.Race.objects.get(round__kind="final_a", round__distance_race__distance="W1000")
    distance_race = final.round.distance_race_id
    page = client.get(f"/races/{final.pk}/")
    assert page.context["facts_panel"]["later"] == f"/races/{final.pk}/?fragment=facts"
    assert f'href="/seasons/2023-24/competitions/1/facts/{distance_race}/"' in page.text
    assert "track record" not in page.text  # found when the panel is fetched
    panel = client.get(f"/races/{final.pk}/?fragment=facts").context["facts_panel"]
    assert panel["title"] == "Facts of the Women's 1000m (1)"
    texts = [f["text"] for f in panel["facts"]]
    assert "Ida Eriksen (NOR) set a track record for Maurice-Richard Arena of 1:27.950 in the " in (
        "\n".join(texts)
    )
    assert panel["url"] == f"/seasons/2023-24/competitions/1/facts/{distance_race}/"


def test_a_semifinal_page_shows_the_records_set_in_it(read_page, client, small_competition):
    """Adams's 1:28.450 in the semifinals was a track record; the Final A's facts are not
    facts of the semifinal."""
    semifinal = models.Race.objects.get(
        round__kind="semifinals", number=1, round__distance_race__distance="W1000"
    )
    page = client.get(f"/races/{semifinal.pk}/?fragment=facts")
    html, panel = page.text, page.context["facts_panel"]
    assert panel["title"] == "Facts of this race"
    texts = [f["text"] for f in panel["facts"]]
    assert (
        "Alice Adams (CAN) set a track record for Maurice-Richard Arena of 1:28.450 in the "
        "semifinals of the women's 1000m (1) (before: 1:29.010)." in texts
    )
    assert not any("Eriksen" in text for text in texts)
    assert "Facts of this race" in html
    heat = models.Race.objects.get(
        round__kind="heats", number=1, round__distance_race__distance="W1000"
    )
    heat_panel = client.get(f"/races/{heat.pk}/?fragment=facts")
    assert heat_panel.context["facts_panel"] is None
    assert heat_panel.text.strip() == ""  # the page's link to the facts goes, nothing comes

    _, doc = read_page(f"/seasons/2023-24/competitions/1/facts/{semifinal.round.distance_race_id}/")
    track = only(doc["facts"], "track_record", "Alice Adams")
    record, beaten = track["proof"]
    assert record["race_id"] == semifinal.pk
    assert record["text"] == (
        "Montreal 2023/24, Women's 1000m (1), Semifinals, race 1: 1. ADAMS Alice (CAN), 1:28.450"
    )
    assert beaten["text"].endswith("1:29.010")
    assert only(doc["facts"], "age", "Ida Eriksen")["proof"][0]["text"] == (
        "ERIKSEN Ida (NOR), born 30 November 2001"
    )


def test_the_live_fragment_of_a_race_carries_no_panel(client, small_competition):
    final = models.Race.objects.get(round__kind="final_a", round__distance_race__distance="W1000")
    fragment = client.get(f"/races/{final.pk}/?fragment=main")
    assert fragment.context["facts_panel"] is None
    assert "facts-panel" not in fragment.text


def test_facts_pages_of_a_simulated_season_say_so(read_page, small_competition):
    models.Season.objects.filter(key="2023/24").update(simulated=True)
    distance_race = models.DistanceRace.objects.get(distance="W1000", competition=small_competition)
    html, doc = read_page(f"/seasons/2023-24/competitions/1/facts/{distance_race.pk}/")
    assert doc["season"]["simulated"] is True
    assert "simulated season" in html
    html, _ = read_page("/seasons/2023-24/competitions/1/facts/")
    assert "simulated season" in html


def test_unknown_or_unpublished_is_not_found(client, season_2022_23, small_competition):
    race = almaty_men_1000(season_2022_23)
    assert client.get(f"/seasons/2022-23/competitions/4/facts/{race.pk}/").status_code == 404
    assert client.get("/seasons/2022-23/competitions/99/facts/").status_code == 404
    assert client.get("/skaters/999999/facts/").status_code == 404
    assert client.get("/skaters/999999/?fragment=facts").status_code == 404
    assert client.get("/races/999999/?fragment=facts").status_code == 404

    small_competition.published = False
    small_competition.save()
    eriksen = models.Skater.objects.get(family_name="Eriksen")
    for url in (
        "/seasons/2023-24/competitions/1/facts/",
        "/seasons/2023-24/competitions/1/facts.json",
        "/api/seasons/2023-24/competitions/1/facts",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/skaters/{eriksen.pk}/facts/", f"/skaters/{eriksen.pk}/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "Montreal" not in page.text and "1:27.950" not in page.text, url
    assert client.get(f"/skaters/{eriksen.pk}/facts.json").json()["facts"] == []


def test_a_draft_correction_changes_no_fact(client, small_competition):
    """A corrected result and ranking entered but not official yet: every facts page still
    tells the official result."""
    final = models.Race.objects.get(round__kind="final_a", round__distance_race__distance="W1000")
    ito = models.Skater.objects.get(family_name="Ito")
    revision = models.Revision.objects.create(
        recorded_at=datetime(2023, 10, 21, 15, 0, tzinfo=MONTREAL),
        source="console",
        reason="draft: Ito first after review",
    )
    draft = models.RaceResult.objects.create(
        race=final, number=2, revision=revision, official_at=None
    )
    for line in final.results.get(number=1).lines.all():
        line.pk, line.result = None, draft
        if line.skater_id == ito.pk:
            line.place, line.time_ms = 1, 87_001
        line.save()
    ranking = models.Ranking.objects.create(
        distance_race=final.round.distance_race,
        number=2,
        revision=revision,
        official_at=None,
        basis="races",
    )
    models.RankingLine.objects.create(
        ranking=ranking, rank=1, skater=ito, member=ito.member, time_ms=87_001
    )
    distance_race = final.round.distance_race_id
    for url in (
        f"/seasons/2023-24/competitions/1/facts/{distance_race}/",
        "/seasons/2023-24/competitions/1/facts/",
        f"/skaters/{ito.pk}/facts/",
        f"/races/{final.pk}/",
    ):
        for form in (url, url.rstrip("/") + ".json"):
            body = client.get(form).content.decode()
            # As a number, not inside a digest (the race page's history head is hex).
            assert "1:27.001" not in body and not re.search(
                r"(?<![0-9a-f])87001(?![0-9a-f])", body
            ), form
            assert "draft: Ito" not in body, form
    doc = client.get(f"/seasons/2023-24/competitions/1/facts/{distance_race}.json").json()
    assert only(doc["facts"], "podium")["subject"]["press_name"] == "Ida Eriksen"
