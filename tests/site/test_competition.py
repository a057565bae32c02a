"""The competition page of the small Montreal competition: schedule, entry and start lists,
every race of every round with its marks and times, medalists, the final ranking with points."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shorttrack.store import models

pytestmark = pytest.mark.django_db
URL = "/seasons/2023-24/competitions/1/"
MONTREAL = ZoneInfo("America/Toronto")


def women_1000m(doc):
    return next(d for d in doc["distances"] if d["title"] == "Women's 1000m (1)")


def test_every_round_and_race_with_marks_and_times(read_page, small_competition):
    html, doc = read_page(URL)
    assert doc["name"] == "ISU World Cup Short Track 1, Montreal"
    distance = women_1000m(doc)
    assert [r["label"] for r in distance["rounds"]] == ["Heats", "Semifinals", "Final B", "Final A"]
    heat_2 = distance["rounds"][0]["races"][1]
    assert heat_2["title"] == "Women's 1000m (1), Heats, race 2"
    assert [
        (line["place"], line["name"], line["time"], line["mark"])
        for line in heat_2["result"]["lines"]
    ] == [
        (1, "ERIKSEN Ida", "1:29.010", "Q"),
        (2, "FONTANA Sara", "1:29.150", "Q"),
        (3, "GARCIA Lucia", "1:29.800", "q"),
        (None, "HOFMANN Lena", "", "PEN"),
    ]
    final_b = distance["rounds"][2]["races"][0]["result"]["lines"]
    assert [(line["place"], line["dead_heat"]) for line in final_b[1:3]] == [(2, True), (2, True)]
    for mark in ("Q", "q", "QA", "QB", "PEN", "DNF"):
        assert f'<span class="mark mark-{mark}">{mark}</span>' in html
    assert "<caption>Women&#x27;s 1000m (1), Final A</caption>" in html
    assert '2 <abbr title="dead heat">DH</abbr>' in html


def test_medalists_and_final_ranking_with_points(read_page, small_competition):
    html, doc = read_page(URL)
    distance = women_1000m(doc)
    assert [(m["rank"], m["name"], m["points"]) for m in distance["medalists"]] == [
        (1, "ERIKSEN Ida", 100),
        (2, "ADAMS Alice", 80),
        (3, "ITO Yui", 70),
    ]
    ranking = distance["ranking"]
    assert ranking["basis"] == "races" and ranking["official_at"] == "2023-10-21T18:12:00+00:00"
    fontana = next(r for r in ranking["rows"] if r["name"] == "FONTANA Sara")
    assert (fontana["rank"], fontana["final"], fontana["status"], fontana["points"]) == (
        8,
        "A",
        "PEN",
        36,
    )
    relay = next(d for d in doc["distances"] if d["relay"])
    line = relay["rounds"][0]["races"][0]["result"]["lines"][0]
    assert (line["display"], line["time"]) == ("NED", "4:05.120")
    assert line["team_skaters"] == [
        "DEKKER Femke",
        "JANSEN Anouk",
        "VISSER Noor",
        "BOS Lotte",
        "SMIT Eva",
    ]
    assert "with World Cup points</caption>" in html


def test_schedule_entries_and_start_lists(read_page, small_competition):
    session = models.Session.objects.create(
        competition=small_competition,
        day=3,
        name="Finals",
        starts_at=datetime(2023, 10, 22, 13, 30, tzinfo=MONTREAL),
    )
    women_500 = models.DistanceRace.objects.create(
        competition=small_competition,
        distance="W500",
        instance=None,
        finals_at=datetime(2023, 10, 22, 14, 30, tzinfo=MONTREAL),
    )
    heats = models.Round.objects.create(distance_race=women_500, kind="heats", order=1)
    race = models.Race.objects.create(
        round=heats,
        number=1,
        session=session,
        scheduled_at=datetime(2023, 10, 22, 13, 34, tzinfo=MONTREAL),
    )
    adams = models.Skater.objects.get(family_name="Adams")
    baker = models.Skater.objects.get(family_name="Baker")
    for position, skater in enumerate((baker, adams), start=1):
        models.Entry.objects.create(
            distance_race=women_500,
            skater=skater,
            member=skater.member,
            helmet=10 + position,
            season_best_ms=42_800 + position,
            entered_at=datetime(2023, 10, 18, tzinfo=MONTREAL),
        )
        models.StartListLine.objects.create(
            race=race,
            skater=skater,
            member=skater.member,
            start_position=position,
            helmet=10 + position,
            qualified_by="seed",
        )
    models.Entry.objects.filter(skater=adams).update(
        withdrawn_at=datetime(2023, 10, 21, tzinfo=MONTREAL), withdrawn_reason="injury"
    )
    html, doc = read_page(URL)
    sunday = doc["schedule"][2]
    assert sunday["sessions"][0]["name"] == "Finals"
    assert sunday["sessions"][0]["races"] == [
        {
            "race_id": race.pk,
            "title": "Women's 500m, Heats",
            "scheduled_at": "2023-10-22T13:34:00-04:00",
            "status": "scheduled",
        }
    ]
    distance = next(d for d in doc["distances"] if d["distance"] == "W500")
    assert [(e["name"], e["season_best"], e["withdrawn"]) for e in distance["entries"]] == [
        ("BAKER Beth", "42.801", False),
        ("ADAMS Alice", "42.802", True),
    ]
    start = distance["rounds"][0]["races"][0]
    assert start["result"] is None
    assert [(s["start_position"], s["name"], s["qualified_by"]) for s in start["start_list"]] == [
        (1, "BAKER Beth", "seed"),
        (2, "ADAMS Alice", "seed"),
    ]
    assert "13:30 Finals" in html and "withdrawn: injury" in html
    assert "<caption>Women&#x27;s 500m, Heats, start list</caption>" in html
    assert "Women&#x27;s 3000m relay" in html


def test_the_2022_23_competitions_show_imported_rankings(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/competitions/2/")
    distance = next(d for d in doc["distances"] if d["title"] == "Women's 500m (1)")
    rows = {r["name"]: r for r in distance["ranking"]["rows"]}
    assert (rows["VELZEBOER Xandra"]["rank"], rows["VELZEBOER Xandra"]["points"]) == (8, 36)
    assert distance["ranking"]["complete"] is False
    reason = "only the places an imported record gives are known"
    assert distance["ranking"]["incomplete_reason"] == reason
    assert f"Incomplete: {reason}." in html


def test_live_fragment_and_unknown_competitions(client, small_competition):
    fragment = client.get(f"{URL}?fragment=main").text
    assert fragment.startswith('<section id="competition-results"')
    assert f'sse-connect="/live/competition:{small_competition.pk}/"' in client.get(URL).text
    assert client.get("/seasons/2023-24/competitions/9/").status_code == 404
