"""The page of a distance race: the women's 1000m (1) at Montreal, its rounds folded with
each race's winner and who went on, its medalists and final ranking with World Cup
points; before a ranking, its entry list."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shorttrack.store import models

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Toronto")


def url(distance_race: models.DistanceRace) -> str:
    return f"/seasons/2023-24/competitions/1/distances/{distance_race.pk}/"


@pytest.fixture
def women_1000m(small_competition):
    return small_competition.distance_races.get(distance="W1000")


def outcome(race: dict) -> list[tuple]:
    return [(ln["place"], ln["name"], ln["time"], ln["mark"]) for ln in race["lines"]]


def test_each_round_folded_with_its_winners_and_qualifiers(read_page, women_1000m):
    html, doc = read_page(url(women_1000m))
    assert doc["distance_race"]["title"] == "Women's 1000m (1)"
    assert doc["competition"]["city"] == "Montreal"
    heats, semis, final_b, final_a = doc["rounds"]
    assert [r["label"] for r in doc["rounds"]] == ["Heats", "Semifinals", "Final B", "Final A"]
    assert {r["status"] for r in doc["rounds"]} == {"official"}
    assert heats["races"][1]["title"] == "Women's 1000m (1), Heats, race 2"
    # Who went on: Q and q; the fourth (a penalty) and a third without a mark do not show.
    assert outcome(heats["races"][1]) == [
        (1, "ERIKSEN Ida", "1:29.010", "Q"),
        (2, "FONTANA Sara", "1:29.150", "Q"),
        (3, "GARCIA Lucia", "1:29.800", "q"),
    ]
    assert outcome(heats["races"][2]) == [
        (1, "ITO Yui", "1:29.600", "Q"),
        (2, "JANSEN Anouk", "1:29.700", "Q"),
    ]
    assert [ln["mark"] for ln in semis["races"][0]["lines"]] == ["QA", "QA", "QB", "QB"]
    # A final shows its first three: the dead heat for second in Final B. Names print as
    # the season prints them: a Korean given name spaced ("Ha-eun" stored).
    assert [(ln["place"], ln["dead_heat"], ln["name"]) for ln in final_b["races"][0]["lines"]] == [
        (1, False, "CHOI Ha Eun"),
        (2, True, "BAKER Beth"),
        (2, True, "JANSEN Anouk"),
    ]
    assert outcome(final_a["races"][0])[0] == (1, "ERIKSEN Ida", "1:27.950", "")

    assert f'<details class="round" id="round-{heats["id"]}">' in html
    assert html.count('<details class="round"') == 4
    assert f'href="{url(women_1000m)}rounds/{heats["id"]}/">Every result of the Heats</a>' in html
    assert '<span class="mark mark-q">q</span>' in html
    assert '2 <abbr title="dead heat">DH</abbr>. ' in html


def test_a_skater_advanced_without_a_place_shows_after_the_placed(read_page, women_1000m):
    """LEE fell in heat 3 and the referee advanced her (ADV): she went on, so she shows,
    after those with a place, as the ISU sheet prints the unplaced."""
    models.RaceResultLine.objects.filter(
        result__race__round__kind="heats", skater__family_name="Lee"
    ).update(mark="ADV")
    _, doc = read_page(url(women_1000m))
    assert [(ln["place"], ln["name"]) for ln in doc["rounds"][0]["races"][2]["lines"]] == [
        (1, "ITO Yui"),
        (2, "JANSEN Anouk"),
        (None, "LEE Seo Yeon"),
    ]


def test_medalists_and_final_ranking_with_points(read_page, women_1000m):
    html, doc = read_page(url(women_1000m))
    assert [(m["rank"], m["name"], m["points"]) for m in doc["medalists"]] == [
        (1, "ERIKSEN Ida", 100),
        (2, "ADAMS Alice", 80),
        (3, "ITO Yui", 70),
    ]
    ranking = doc["ranking"]
    assert ranking["basis"] == "races" and ranking["official_at"] == "2023-10-21T18:12:00+00:00"
    fontana = next(r for r in ranking["rows"] if r["name"] == "FONTANA Sara")
    assert (fontana["rank"], fontana["final"], fontana["status"], fontana["points"]) == (
        8,
        "A",
        "PEN",
        36,
    )
    # Once ranked, the ranking names everyone: no entry list.
    assert doc["entries"] == []
    assert "<caption>Women&#x27;s 1000m (1), final ranking with World Cup points</caption>" in html


def test_a_relay_final_names_each_team_s_skaters(read_page, small_competition):
    relay = small_competition.distance_races.get(distance="W3000R")
    html, doc = read_page(url(relay))
    (final,) = doc["rounds"][0]["races"]
    assert [(ln["display"], ln["time"]) for ln in final["lines"]] == [
        ("NED", "4:05.120"),
        ("KOR", "4:05.300"),
    ]
    assert final["lines"][0]["team_skaters"][:3] == ["DEKKER Femke", "JANSEN Anouk", "VISSER Noor"]


def test_before_its_ranking_the_entry_list(read_page, small_competition):
    women_500 = models.DistanceRace.objects.create(
        competition=small_competition,
        distance="W500",
        instance=None,
        finals_at=datetime(2023, 10, 22, 14, 30, tzinfo=MONTREAL),
    )
    for helmet, name in ((11, "Baker"), (12, "Adams")):
        skater = models.Skater.objects.get(family_name=name)
        models.Entry.objects.create(
            distance_race=women_500,
            skater=skater,
            member=skater.member,
            helmet=helmet,
            season_best_ms=42_790 + helmet,
            entered_at=datetime(2023, 10, 18, tzinfo=MONTREAL),
        )
    models.Entry.objects.filter(skater__family_name="Adams").update(
        withdrawn_at=datetime(2023, 10, 21, tzinfo=MONTREAL), withdrawn_reason="injury"
    )
    html, doc = read_page(url(women_500))
    assert doc["ranking"] is None and doc["rounds"] == [] and doc["medalists"] == []
    assert [(e["helmet"], e["name"], e["season_best"], e["withdrawn"]) for e in doc["entries"]] == [
        (11, "BAKER Beth", "42.801", False),
        (12, "ADAMS Alice", "42.802", True),
    ]
    assert "withdrawn: injury" in html
    assert "No rounds drawn yet; finals at 14:30 local time." in html


def test_a_distance_of_another_competition_is_not_found(client, women_1000m):
    assert client.get(url(women_1000m).replace("/1/", "/2/")).status_code == 404
    assert client.get("/seasons/2023-24/competitions/1/distances/999999/").status_code == 404
    answer = client.get("/seasons/2023-24/competitions/1/distances/999999.json")
    assert answer.status_code == 404


def test_an_imported_distance_has_its_ranking_and_no_races(read_page, season_2022_23):
    """The real 2022/23 Salt Lake City: the published places of the women's 500m (1)."""
    distance = models.DistanceRace.objects.get(
        competition__season__key="2022/23", competition__number=2, distance="W500", instance=1
    )
    html, doc = read_page(f"/seasons/2022-23/competitions/2/distances/{distance.pk}/")
    rows = {r["name"]: r for r in doc["ranking"]["rows"]}
    assert (rows["VELZEBOER Xandra"]["rank"], rows["VELZEBOER Xandra"]["points"]) == (8, 36)
    assert doc["ranking"]["complete"] is False and doc["rounds"] == []
    assert "Incomplete: only the places an imported record gives are known." in html
    assert "No race of this distance is held here, only its final ranking." in html


def test_each_race_not_yet_raced_by_its_programme_number_session_and_day(
    read_page, small_competition
):
    """The women's 500m heats in Sunday's finals session, heat 2 skated first at 13:34:
    it is Race 1 of the programme and heat 1, at 13:38, Race 2, as their race pages say."""
    finals = models.Session.objects.create(
        competition=small_competition,
        day=3,
        name="Finals",
        starts_at=datetime(2023, 10, 22, 13, 30, tzinfo=MONTREAL),
    )
    women_500 = models.DistanceRace.objects.create(
        competition=small_competition, distance="W500", instance=None
    )
    heats = models.Round.objects.create(distance_race=women_500, kind="heats", order=1)
    heat_1, heat_2 = (
        models.Race.objects.create(
            round=heats,
            number=number,
            session=finals,
            scheduled_at=datetime(2023, 10, 22, 13, minute, tzinfo=MONTREAL),
        )
        for number, minute in ((1, 38), (2, 34))
    )

    html, doc = read_page(url(women_500))

    (round_,) = doc["rounds"]
    assert [(r["number"], r["programme_number"], r["session"]) for r in round_["races"]] == [
        (1, 2, "Finals"),
        (2, 1, "Finals"),
    ]
    assert (
        f'<li><a href="/races/{heat_1.pk}/">Race 2</a> <span class="muted">scheduled, Finals, '
        'Sun 22 Oct 2023, <time datetime="2023-10-22T13:38:00-04:00">13:38 EDT</time></span></li>'
    ) in html
    assert f'<a href="/races/{heat_2.pk}/">Race 1</a>' in html
