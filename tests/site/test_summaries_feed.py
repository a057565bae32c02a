"""Session summaries on the public site: the summary page of a competition day (the text,
each sentence with its facts, the notable facts ranked by rarity, the finals), the list of
a season's summaries and its Atom feed (RFC 4287), read with xml.etree."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest

from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.queries.fact_checks import check
from tests.queries.simulated_seasons import SimulatedSeason

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
ALMATY_SATURDAY = "/seasons/2022-23/competitions/3/summaries/2022-12-10/"


def read_feed(client, url="/seasons/2022-23/summaries.atom") -> ElementTree.Element:
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(answer.content)


def test_the_almaty_saturday_summary(read_page, season_2022_23):
    html, doc = read_page(ALMATY_SATURDAY)

    assert doc["title"] == "World Cup 3, Almaty: finals of Saturday 10 December 2022"
    assert (
        "Jens van 't Wout (NED) won the men's 1000m, his third World Cup win of the season, "
        "ahead of Pascal Dion (CAN) and Jordan Pierre-Gilles (CAN)." in doc["text"]
    )
    assert (
        "Hong Kyung Hwan (KOR) took the men's 1500m (1) ahead of Stijn Desmet (BEL) and "
        "Kim Tae Sung (KOR)." in doc["text"]
    )
    assert [f["name"] for f in doc["finals"]] == [
        "Almaty, Women's 1500m (1)",
        "Almaty, Men's 1500m (1)",
        "Almaty, Women's 1000m",
        "Almaty, Men's 1000m",
    ]
    assert doc["pending"] == [] and doc["updated"] == "2022-12-10T08:55:00+00:00"
    assert (doc["previous"]["city"], doc["previous"]["day"]) == ("Salt Lake City", "2022-11-06")
    assert (doc["next"]["competition"], doc["next"]["day"]) == (3, "2022-12-11")
    assert "Jens van &#x27;t Wout (NED) won the men&#x27;s 1000m, his third" in html
    assert 'rel="next" href="/seasons/2022-23/competitions/3/summaries/2022-12-11/"' in html


def test_every_sentence_is_written_from_facts_the_data_backs(read_page, season_2022_23):
    html, doc = read_page(ALMATY_SATURDAY)
    keys = {f["key"] for f in doc["facts"]}
    # The page lists the facts it tells, the notable ones among them; every fact of a
    # final is on that final's facts page.
    told = {key for sentence in doc["sentences"] for key in sentence["facts"]}
    assert keys == told | {f["key"] for f in doc["notable"]}
    assert "Every fact of a final, with its proof, is on its facts page" in html
    assert doc["sentences"]
    for sentence in doc["sentences"]:
        assert sentence["facts"] and set(sentence["facts"]) <= keys, sentence
    for fact in doc["facts"]:
        check(fact)
    third = next(
        f
        for f in doc["facts"]
        if f["key"]
        == f"season_wins:{doc['finals'][3]['id']}:s"
        + str(doc["finals"][3]["podium"][0]["skater_id"])
    )
    assert third["values"]["n"] == 3
    assert f'<a href="#fact-{third["key"]}">' in html and f'id="fact-{third["key"]}"' in html


def test_the_notable_facts_are_ranked_by_rarity(read_page, season_2022_23):
    _, doc = read_page(ALMATY_SATURDAY)
    notable = doc["notable"]
    assert 3 <= len(notable) <= 6
    assert [f["rarity"] for f in notable] == sorted((f["rarity"] for f in notable), reverse=True)
    assert notable[0]["text"] == "Suzanne Schulting (NED) won her second 1500m of the season."
    assert {f["key"] for f in notable} <= {f["key"] for f in doc["facts"]}


def test_the_season_s_summaries(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/summaries/")
    sessions = doc["sessions"]
    assert len(sessions) == 12 and all(s["official"] == s["finals"] for s in sessions)
    almaty = next(s for s in sessions if s["day"] == "2022-12-10")
    assert almaty["title"] == "World Cup 3, Almaty: finals of Saturday 10 December 2022"
    assert "his third World Cup win of the season" in almaty["text"]
    assert doc["updated"] == max(s["updated"] for s in sessions)
    assert f'<a href="{ALMATY_SATURDAY}">' in html
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'href="/seasons/2022-23/summaries.atom" title="Session summaries (Atom)">'
    ) in html


def test_the_atom_feed_of_the_season(client, season_2022_23):
    feed = read_feed(client)

    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "http://testserver/seasons/2022-23/summaries/"
    assert feed.findtext(f"{ATOM}title") == "Session summaries: ISU World Cup Short Track 2022/23"
    assert feed.findtext(f"{ATOM}updated") == "2023-02-12T14:25:00+00:00"
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name")
    links = {link.get("rel"): link for link in feed.findall(f"{ATOM}link")}
    assert links["alternate"].get("href") == "http://testserver/seasons/2022-23/summaries/"
    assert links["alternate"].get("type") == "text/html"
    assert links["self"].get("href") == "http://testserver/seasons/2022-23/summaries.atom"

    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 12
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 12
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        link = entry.find(f"{ATOM}link")
        assert link.get("rel") == "alternate" and link.get("href") == entry.findtext(f"{ATOM}id")
        assert entry.find(f"{ATOM}content").get("type") == "html"

    almaty = next(e for e in entries if e.findtext(f"{ATOM}id").endswith(ALMATY_SATURDAY))
    assert almaty.findtext(f"{ATOM}title") == (
        "World Cup 3, Almaty: finals of Saturday 10 December 2022"
    )
    assert almaty.findtext(f"{ATOM}updated") == "2022-12-10T08:55:00+00:00"
    content = almaty.findtext(f"{ATOM}content")
    assert content.startswith("<p>Suzanne Schulting (NED) won the women&#x27;s 1500m (1)")
    assert "Jens van &#x27;t Wout (NED) won the men&#x27;s 1000m, his third" in content
    assert "<ol><li>Suzanne Schulting (NED) won her second 1500m of the season.</li>" in content


def test_the_season_page_links_the_feed_and_the_press_pages(client, season_2022_23):
    html = client.get("/seasons/2022-23/").text
    assert (
        '<link rel="alternate" type="application/atom+xml" href="/seasons/2022-23/summaries.atom"'
        in html
    )
    assert '<a href="/seasons/2022-23/summaries/">Session summaries</a>' in html
    assert 'href="/seasons/2022-23/globe/overall-men/"' in html


def test_a_competition_withdrawn_leaves_the_feed_at_once(client, season_2022_23):
    assert len(read_feed(client).findall(f"{ATOM}entry")) == 12
    models.Competition.objects.filter(season__key="2022/23", number=6).update(published=False)
    entries = read_feed(client).findall(f"{ATOM}entry")
    assert len(entries) == 10
    assert not any("Dordrecht" in e.findtext(f"{ATOM}title") for e in entries)
    assert client.get("/seasons/2022-23/competitions/6/summaries/2023-02-11/").status_code == 404


@pytest.fixture
def lead_change(tmp_path):
    """A simulated season dated in the past, so that its results are official now (the
    public pages show what is official when they are read): Adams leads after Montreal; in
    Salt Lake City Baker takes the lead with the 1500m and loses it to Adams in the 1000m
    45 minutes later; the 500m on Sunday is still to come."""
    season = SimulatedSeason("2031/32")
    montreal = season.competition(1, "Montreal", date(2024, 10, 25))
    order = ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke"]
    montreal.final("women", "500m", 2, "14:00", order)
    montreal.final("women", "1000m", 3, "14:00", order)
    slc = season.competition(2, "Salt Lake City", date(2024, 11, 1))
    slc.final(
        "women",
        "1500m",
        2,
        "14:00",
        ["BAKER Beth", "CHOI Ha-eun", "DEKKER Femke", "ERIKSEN Ida", "ADAMS Alice"],
    )
    slc.final(
        "women", "1000m", 2, "14:45", ["ADAMS Alice", "CHOI Ha-eun", "BAKER Beth", "DEKKER Femke"]
    )
    slc.scheduled("women", "500m", 3, "14:00")
    import_paths([season.write(tmp_path)])
    models.Season.objects.filter(key="2031/32").update(simulated=True)
    return season


def test_a_lead_that_lasted_45_minutes_on_the_summary_page(read_page, lead_change):
    html, doc = read_page("/seasons/2031-32/competitions/2/summaries/2024-11-02/")
    assert (
        "She took the lead in the women's overall standings from the winner of the "
        "women's 1500m, whose lead had lasted 45 minutes." in doc["text"]
    )
    ended = next(
        f
        for f in doc["facts"]
        if f["kind"] == "lead_ended"
        and f["values"]["classification"] == "overall-women"
        and f["race"]["name"] == "Salt Lake City, Women's 1000m"
    )
    assert ended["values"]["seconds"] == 45 * 60
    told = next(s for s in doc["sentences"] if "45 minutes" in s["text"])
    assert ended["key"] in told["facts"]
    assert f'<a href="#fact-{ended["key"]}">' in html
    assert doc["season"]["simulated"] is True and "simulated season" in html
    for fact in doc["facts"]:
        check(fact)


def test_a_day_still_to_come_is_listed_but_not_in_the_feed(read_page, client, lead_change):
    _, doc = read_page("/seasons/2031-32/summaries/")
    sunday = doc["sessions"][-1]
    assert (sunday["day"], sunday["finals"], sunday["official"]) == ("2024-11-03", 1, 0)
    assert sunday["title"] == "World Cup 2, Salt Lake City: finals of Sunday 3 November 2024"
    assert sunday["text"] == "" and sunday["updated"] is None

    feed = read_feed(client, "/seasons/2031-32/summaries.atom")
    assert feed.findtext(f"{ATOM}title").endswith("(simulated season)")
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == [
        "Simulated: World Cup 2, Salt Lake City: finals of Saturday 2 November 2024",
        "Simulated: World Cup 1, Montreal: finals of Sunday 27 October 2024",
        "Simulated: World Cup 1, Montreal: finals of Saturday 26 October 2024",
    ]
    content = feed.find(f"{ATOM}entry").findtext(f"{ATOM}content")
    assert "<p><em>Simulated season: these results were made up by the simulator.</em></p>" in (
        content
    )
    _, upcoming = read_page("/seasons/2031-32/competitions/2/summaries/2024-11-03/")
    assert upcoming["text"] == "" and upcoming["pending"] == ["Salt Lake City, Women's 500m"]


def test_days_without_finals_and_malformed_days(client, season_2022_23):
    for url in (
        "/seasons/2022-23/competitions/3/summaries/2022-12-09/",
        "/seasons/2022-23/competitions/3/summaries/2022-12-09.json",
        "/api/seasons/2022-23/competitions/3/summaries/2022-12-09",
    ):
        answer = client.get(url)
        assert answer.status_code == 404, url
    detail = client.get("/api/seasons/2022-23/competitions/3/summaries/2022-12-09").json()
    assert detail["detail"].endswith("finals days are 2022-12-10, 2022-12-11")
    assert client.get("/seasons/2022-23/competitions/3/summaries/2022-13-10/").status_code == 400
    assert client.get("/seasons/1999-00/summaries.atom").status_code == 404
