"""The season page: calendar with local times and status, the standings menu, where to
watch, the medal table, the banner, the QR code and the iCalendar feed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from shorttrack.queries.calendar import season_document
from shorttrack.store.models import Broadcaster, Competition, Season, Session

pytestmark = pytest.mark.django_db
SALT_LAKE = ZoneInfo("America/Denver")


def test_the_calendar_lists_every_competition_with_finals_times(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/")
    assert doc["season"]["name"] == "ISU World Cup Short Track 2022/23"
    assert [c["city"] for c in doc["competitions"]] == [
        "Montreal",
        "Salt Lake City",
        "Almaty",
        "Almaty",
        "Dresden",
        "Dordrecht",
    ]
    assert (doc["start_date"], doc["end_date"]) == ("2022-10-28", "2023-02-12")
    montreal = doc["competitions"][0]
    assert montreal["status"] == "finished"
    saturday = montreal["days"][1]
    assert saturday["date"] == "2022-10-29"
    assert saturday["finals"][0]["finals_at"] == "2022-10-29T14:00:00-04:00"
    assert "<caption>Competitions of the 2022/23 season</caption>" in html
    assert '<a href="/seasons/2022-23/competitions/2/">Salt Lake City</a>' in html
    assert "finals from 14:00" in html


def test_the_standings_menu_links_every_classification(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/")
    assert [item["slug"] for item in doc["standings"]] == [
        "overall-women",
        "500m-women",
        "1000m-women",
        "1500m-women",
        "relay-women",
        "overall-men",
        "500m-men",
        "1000m-men",
        "1500m-men",
        "relay-men",
        "mixed-relay",
    ]
    assert '<a href="/seasons/2022-23/standings/mixed-relay/">Mixed 2000m relay</a>' in html
    # 2022/23 has no nations classification; 2025/26's rules have one (see test_standings).


def test_the_overall_leaders_come_first(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/")
    women, men = doc["leaders"]
    assert women["title"] == "Women's overall (Crystal Globe)" and len(women["rows"]) == 5
    assert (women["rows"][0]["name"], women["rows"][0]["points"]) == ("SCHULTING Suzanne", 1062)
    assert men["slug"] == "overall-men"
    assert "<h3>Women&#x27;s overall (Crystal Globe)</h3>" in html


def test_the_medal_table_counts_podiums_by_nation(read_page, season_2022_23):
    _, doc = read_page("/seasons/2022-23/")
    assert doc["medals"][:3] == [
        {
            "nation": "KOR",
            "name": "Republic of Korea",
            "gold": 20,
            "silver": 19,
            "bronze": 18,
            "total": 57,
        },
        {"nation": "NED", "name": "Netherlands", "gold": 18, "silver": 7, "bronze": 5, "total": 30},
        {"nation": "CAN", "name": "Canada", "gold": 15, "silver": 13, "bronze": 8, "total": 36},
    ]


def test_status_follows_the_date_at_the_venue(season_2022_23):
    doc = season_document(season_2022_23, today=date(2022, 11, 5))
    statuses = [c["status"] for c in doc["competitions"]]
    assert statuses == ["finished", "live", "upcoming", "upcoming", "upcoming", "upcoming"]


def test_sessions_show_in_local_time_and_broadcasters_by_country(read_page, season_2022_23):
    salt_lake = Competition.objects.get(season=season_2022_23, number=2)
    Session.objects.create(
        competition=salt_lake,
        day=1,
        name="Qualifying",
        starts_at=datetime(2022, 11, 4, 9, 0, tzinfo=SALT_LAKE),
        ends_at=datetime(2022, 11, 4, 16, 30, tzinfo=SALT_LAKE),
    )
    Broadcaster.objects.create(
        season=season_2022_23, country="NED", name="NOS", url="https://nos.nl/sport"
    )
    Broadcaster.objects.create(
        season=season_2022_23,
        name="ISU Skating Channel",
        url="https://www.youtube.com/@ISUSkating",
        live_stream=True,
        covers="qualifying and repechage rounds",
    )
    html, doc = read_page("/seasons/2022-23/")
    friday = doc["competitions"][1]["days"][0]
    assert friday["sessions"] == [
        {
            "id": friday["sessions"][0]["id"],
            "name": "Qualifying",
            "starts_at": "2022-11-04T09:00:00-06:00",
            "ends_at": "2022-11-04T16:30:00-06:00",
        }
    ]
    assert "09:00–16:30 Qualifying" in html
    assert [b["name"] for b in doc["broadcasters"]] == ["ISU Skating Channel", "NOS"]
    assert ">Worldwide</th>" in html and ">NED</th>" in html
    assert "live stream</span>" in html and "qualifying and repechage rounds" in html


def test_the_icalendar_feed_has_an_event_per_day_or_session(client, season_2022_23):
    salt_lake = Competition.objects.get(season=season_2022_23, number=2)
    Session.objects.create(
        competition=salt_lake,
        day=2,
        name="Finals",
        starts_at=datetime(2022, 11, 5, 13, 30, tzinfo=SALT_LAKE),
    )
    response = client.get("/seasons/2022-23/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    # 6 competitions of 3 days; Salt Lake City's Saturday is one session instead of a day.
    assert len(events) == 18
    session = next(e for e in events if "Finals" in str(e["summary"]))
    assert session["dtstart"].params["TZID"] == "America/Denver"
    assert session["dtstart"].dt == datetime(2022, 11, 5, 13, 30, tzinfo=SALT_LAKE)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["America/Denver"]
    day = next(e for e in events if str(e["summary"]).endswith("Montreal, day 1"))
    assert day["dtstart"].dt == date(2022, 10, 28)
    assert len({str(e["uid"]) for e in events}) == 18


def test_banner_and_qr_code(client, season_2022_23):
    banner = client.get("/seasons/2022-23/banner.svg")
    assert banner["Content-Type"] == "image/svg+xml"
    svg = banner.text
    assert 'width="1280" height="200"' in svg
    assert "ISU World Cup Short Track 2022/23" in svg and "28 Oct 2022 – 12 Feb 2023" in svg
    assert "@font-face" not in svg and "http://fonts" not in svg
    qr = client.get("/seasons/2022-23/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.text.startswith("<?xml") and "<svg" in qr.text


def test_a_simulated_season_says_so(read_page, client):
    Season.objects.create(
        key="2031/32", name="Simulated World Cup 2031/32", rules_key="2025/26", simulated=True
    )
    html, doc = read_page("/seasons/2031-32/")
    assert doc["season"]["simulated"] is True
    assert "simulated season" in html
    assert "(simulated season)" in client.get("/seasons/2031-32/banner.svg").text


def test_an_unknown_season_is_not_found(client, season_2022_23):
    assert client.get("/seasons/1999-00/").status_code == 404
    assert client.get("/seasons/1999-00.json").status_code == 404
    assert client.get("/seasons/1999-00/calendar.ics").status_code == 404
