"""The race page: the official result, the lap chart with its table, and the history of
the result once official: every official revision with who, when and why, and its events."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from shorttrack.store import models

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Toronto")

# Women's 1000m Final A, 9 laps: Adams leads early, Eriksen passes her with three to go.
LAPS = {
    "Eriksen": [13_210, 9_012, 8_950, 8_870, 8_812, 8_790, 8_801, 8_755, 8_750],
    "Adams": [13_100, 9_050, 8_960, 8_880, 8_830, 8_800, 8_850, 8_800, 8_750],
    "Ito": [13_300, 9_100, 9_000, 8_900, 8_850, 8_850, 8_850, 8_800, 8_750],
}


def final_a():
    return models.Race.objects.get(round__kind="final_a", round__distance_race__distance="W1000")


def add_laps():
    result = final_a().results.get()
    for name, laps in LAPS.items():
        result.lines.filter(skater__family_name=name).update(laps_ms=laps)
    return result


def test_the_result_sheet(read_page, small_competition):
    race = final_a()
    html, doc = read_page(f"/races/{race.pk}/")
    assert doc["title"] == "Women's 1000m (1), Final A"
    assert doc["status"] == "official"
    assert [
        (line["place"], line["display"], line["time"], line["mark"])
        for line in doc["result"]["lines"]
    ] == [
        (1, "ERIKSEN Ida (NOR)", "1:27.950", ""),
        (2, "ADAMS Alice (CAN)", "1:28.020", ""),
        (3, "ITO Yui (JPN)", "1:28.400", ""),
        (None, "FONTANA Sara (ITA)", "", "PEN"),
    ]
    assert doc["lap_chart"] is None  # only the winner's laps are on the sheet
    assert "<caption>Women&#x27;s 1000m (1), Final A, official result</caption>" in html
    assert "lap-chart" not in html


def test_the_lap_chart_from_lap_times(read_page, small_competition):
    add_laps()
    race = final_a()
    html, doc = read_page(f"/races/{race.pk}/")
    chart = doc["lap_chart"]
    assert chart["laps"] == 9
    positions = {row["name"]: row["positions"] for row in chart["rows"]}
    assert positions["ADAMS Alice"][:3] == [1, 1, 1]
    assert positions["ERIKSEN Ida"][:3] == [2, 2, 2]
    assert positions["ERIKSEN Ida"][-1] == 1 and positions["ITO Yui"][-1] == 3
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert '<title id="lap-chart-title">' in html
    assert "<caption>Position after each lap (text of the lap chart)</caption>" in html
    assert '<th scope="col" class="num">Lap 9</th>' in html


def test_recorded_lap_positions_come_first(read_page, small_competition):
    result = final_a().results.get()
    result.lines.filter(skater__family_name="Fontana").update(lap_positions=[1, 1, 2, 4])
    result.lines.filter(skater__family_name="Eriksen").update(lap_positions=[3, 2, 1, 1, 1])
    _, doc = read_page(f"/races/{final_a().pk}/")
    rows = {row["name"]: row["positions"] for row in doc["lap_chart"]["rows"]}
    assert rows == {"FONTANA Sara": [1, 1, 2, 4, None], "ERIKSEN Ida": [3, 2, 1, 1, 1]}


def test_the_history_of_a_corrected_result(read_page, small_competition):
    race = final_a()
    referee = get_user_model().objects.create_user("referee", first_name="Jana", last_name="Novak")
    first = race.results.get()
    correction = models.Revision.objects.create(
        recorded_at=datetime(2023, 10, 21, 15, 0, tzinfo=MONTREAL),
        recorded_by=referee,
        source="console",
        reason="video review: Ito's time was 1:28.410",
    )
    second = models.RaceResult.objects.create(
        race=race,
        number=2,
        revision=correction,
        official_at=datetime(2023, 10, 21, 15, 5, tzinfo=MONTREAL),
    )
    for line in first.lines.all():
        line.pk = None
        line.result = second
        if line.skater.family_name == "Ito":
            line.time_ms = 88_410
        line.save()
    models.RaceEvent.objects.create(
        race=race,
        kind="correction",
        status="official",
        at=second.official_at,
        by=referee,
        reason="video review",
        result=second,
    )
    html, doc = read_page(f"/races/{race.pk}/")
    assert doc["result"]["revision"] == 2
    assert [line["time"] for line in doc["result"]["lines"]][2] == "1:28.410"
    assert [(r["revision"], r["current"], r["recorded_by"]) for r in doc["revisions"]] == [
        (1, False, ""),
        (2, True, "Jana Novak"),
    ]
    assert doc["revisions"][0]["lines"][2]["time"] == "1:28.400"
    assert doc["events"] == [
        {
            "kind": "correction",
            "status": "official",
            "at": "2023-10-21T19:05:00+00:00",
            "by": "Jana Novak",
            "reason": "video review",
        }
    ]
    assert "<strong>Revision 2</strong> (current)" in html
    assert "video review: Ito&#x27;s time was 1:28.410" in html


def test_a_race_before_its_result_shows_its_start_list(read_page, small_competition):
    race = final_a()
    distance_race = race.round.distance_race
    rerun = models.Race.objects.create(round=race.round, number=2, status="scheduled")
    adams = models.Skater.objects.get(family_name="Adams")
    models.StartListLine.objects.create(
        race=rerun, skater=adams, member=adams.member, start_position=1
    )
    html, doc = read_page(f"/races/{rerun.pk}/")
    assert doc["result"] is None and doc["revisions"] == [] and doc["events"] == []
    assert doc["start_list"][0]["name"] == "ADAMS Alice"
    assert "No official result yet." in html
    assert distance_race.title in doc["title"]


def test_unknown_races(client, small_competition):
    assert client.get("/races/999999/").status_code == 404
    assert client.get("/races/999999.json").status_code == 404


def test_the_page_says_whether_the_history_verifies(read_page, small_competition):
    """Imported through the services, the final's history verifies; a time changed by
    plain SQL afterwards, the page says the history does not, without saying what."""
    from django.core.cache import cache
    from django.db import connection

    race = final_a()
    html, doc = read_page(f"/races/{race.pk}/")
    assert doc["history"]["verified"] is True
    assert doc["history"]["breaks"] == 0
    assert doc["history"]["links"] > 0 and len(doc["history"]["head"]) == 64
    assert "History verified" in html

    line = race.results.get().lines.get(place=1)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(models.RaceResultLine._meta.db_table)
        cursor.execute(f"UPDATE {table} SET time_ms = time_ms - 900 WHERE id = %s", [line.pk])
    cache.clear()  # SQL behind the application does not tell the page caches
    html, doc = read_page(f"/races/{race.pk}/")
    assert doc["history"] == {**doc["history"], "verified": False, "breaks": 1}
    assert "History not verified: 1 record of this race" in html
