"""The competition's overview of the small Montreal competition: each distance with its
podium, its rounds and a link to its page; the schedule by day and session with each
round's races; what is on now and next. It reads no result line: those are on the
distance and round pages (test_competition_distance.py, test_competition_round.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models.signals import post_init

from shorttrack.store import models

pytestmark = pytest.mark.django_db
URL = "/seasons/2023-24/competitions/1/"
MONTREAL = ZoneInfo("America/Toronto")


def women_1000m(doc):
    return next(d for d in doc["distances"] if d["title"] == "Women's 1000m (1)")


def test_each_distance_with_its_podium_rounds_and_final(read_page, small_competition):
    html, doc = read_page(URL)
    assert doc["name"] == "ISU World Cup Short Track 1, Montreal"
    distance = women_1000m(doc)
    assert distance["status"] == "official" and distance["entries"] == 0
    assert [(r["label"], len(r["races"])) for r in distance["rounds"]] == [
        ("Heats", 3),
        ("Semifinals", 2),
        ("Final B", 1),
        ("Final A", 1),
    ]
    assert {race["status"] for r in distance["rounds"] for race in r["races"]} == {"official"}
    assert [(p["rank"], p["display"], p["time"]) for p in distance["podium"]] == [
        (1, "ERIKSEN Ida (NOR)", "1:27.950"),
        (2, "ADAMS Alice (CAN)", "1:28.020"),
        (3, "ITO Yui (JPN)", "1:28.400"),
    ]
    final_a = models.Race.objects.get(round__kind="final_a", round__distance_race__distance="W1000")
    assert distance["final_race_id"] == final_a.pk
    ranking = distance["ranking"]
    assert (ranking["basis"], ranking["complete"]) == ("races", True)
    assert ranking["official_at"] == "2023-10-21T18:12:00+00:00"

    relay = next(d for d in doc["distances"] if d["relay"])
    assert [(p["rank"], p["display"]) for p in relay["podium"]] == [(1, "NED"), (2, "KOR")]
    assert relay["podium"][0]["team_skaters"][:2] == ["DEKKER Femke", "JANSEN Anouk"]

    # The distance's page and each round's, linked from the row the old anchors point at.
    page = f"{URL}distances/{distance['id']}/"
    assert f'<tr id="distance-{distance["id"]}">' in html
    assert f'<a href="{page}">Women&#x27;s 1000m (1)</a>' in html
    heats = distance["rounds"][0]["id"]
    assert f'<a href="{page}rounds/{heats}/">Heats</a>' in html
    assert (
        f'<a class="race-link" href="/races/{final_a.pk}/" aria-label="Women&#x27;s 1000m (1), '
        'Final A: lap chart and history">Final A: lap chart and history</a>'
    ) in html
    assert (
        "<caption>Distances of the Montreal competition: finals, podiums and rounds</caption>"
        in html
    )
    assert "No finals this day." in html  # Friday: heats, no session set up


def test_the_overview_builds_no_result_line(client, small_competition):
    """Its document, that is (the JSON twin): the facts panel of the page reads the facts."""
    made: list[str] = []

    def count(sender, **kwargs):
        made.append(sender.__name__)

    post_init.connect(count)
    try:
        assert client.get("/seasons/2023-24/competitions/1.json").status_code == 200
    finally:
        post_init.disconnect(count)
    assert "RaceResultLine" not in made and "StartListLine" not in made
    assert made.count("RankingLine") == 5  # the podiums: three skaters, two relay teams


@pytest.fixture
def race_day(small_competition):
    """Sunday's session with the women's 500m heats: race 1 started, race 2 drawn, race 3
    to be drawn."""
    session = models.Session.objects.create(
        competition=small_competition,
        day=3,
        name="Finals",
        starts_at=datetime(2023, 10, 22, 13, 30, tzinfo=MONTREAL),
        ends_at=datetime(2023, 10, 22, 16, 0, tzinfo=MONTREAL),
    )
    women_500 = models.DistanceRace.objects.create(
        competition=small_competition,
        distance="W500",
        instance=None,
        finals_at=datetime(2023, 10, 22, 14, 30, tzinfo=MONTREAL),
    )
    heats = models.Round.objects.create(distance_race=women_500, kind="heats", order=1)
    races = [
        models.Race.objects.create(
            round=heats,
            number=n,
            session=session,
            scheduled_at=datetime(2023, 10, 22, 13, 30 + 4 * n, tzinfo=MONTREAL),
            status="started" if n == 1 else "scheduled",
        )
        for n in (1, 2, 3)
    ]
    for race, skater in zip(races[:2], ("Adams", "Baker"), strict=True):
        skater = models.Skater.objects.get(family_name=skater)
        models.StartListLine.objects.create(
            race=race, skater=skater, member=skater.member, start_position=1, helmet=11
        )
        models.Entry.objects.create(
            distance_race=women_500,
            skater=skater,
            member=skater.member,
            helmet=11,
            entered_at=datetime(2023, 10, 18, tzinfo=MONTREAL),
        )
    return races


def test_schedule_by_session_and_what_is_on_now_and_next(read_page, race_day):
    html, doc = read_page(URL)
    sunday = doc["schedule"][2]
    assert (sunday["day"], sunday["date"]) == (3, "2023-10-22")
    session = sunday["sessions"][0]
    assert (session["name"], session["starts_at"]) == ("Finals", "2023-10-22T13:30:00-04:00")
    women_500 = next(d for d in doc["distances"] if d["distance"] == "W500")
    assert session["rounds"] == [
        {
            "round_id": women_500["rounds"][0]["id"],
            "distance_race_id": women_500["id"],
            "title": "Women's 500m, Heats",
            "races": 3,
            "official": 0,
            "first_at": "2023-10-22T13:34:00-04:00",
            "last_at": "2023-10-22T13:42:00-04:00",
        }
    ]
    assert (women_500["status"], women_500["entries"], women_500["podium"]) == ("racing", 2, [])
    assert [(r["title"], r["status"]) for r in doc["on_now"]] == [
        ("Women's 500m, Heats, race 1", "started")
    ]
    # Race 3 has nobody drawn into it yet: not next. In the programme the Sunday session
    # comes first: the imported races belong to no session.
    assert doc["up_next"] == [
        {
            "race_id": race_day[1].pk,
            "programme_number": 2,
            "title": "Women's 500m, Heats, race 2",
            "scheduled_at": "2023-10-22T13:38:00-04:00",
            "status": "scheduled",
        }
    ]
    assert "13:30–16:00 Finals" in html
    assert "Women&#x27;s 500m, Heats</a>: 3 races</li>" in html
    now = f'Race 1 · <a href="/races/{race_day[0].pk}/">Women&#x27;s 500m, Heats, race 1</a>'
    assert now in html


def test_an_imported_ranking_says_it_is_incomplete(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/competitions/2/")
    distance = next(d for d in doc["distances"] if d["title"] == "Women's 500m (1)")
    reason = "only the places an imported record gives are known"
    assert distance["ranking"]["complete"] is False
    assert distance["ranking"]["incomplete_reason"] == reason
    assert [p["rank"] for p in distance["podium"]] == [1, 2, 3]
    assert f"Incomplete: {reason}." in html


def test_live_fragment_and_unknown_competitions(client, small_competition):
    fragment = client.get(f"{URL}?fragment=main").text
    assert fragment.startswith('<section id="competition-results"')
    assert f'sse-connect="/live/competition:{small_competition.pk}/"' in client.get(URL).text
    assert client.get("/seasons/2023-24/competitions/9/").status_code == 404


def test_a_competition_is_finished_when_its_distances_are_ranked_not_by_its_date(
    read_page, small_competition
):
    """Montreal 2023/24 has the women's 1000m and the relay ranked: finished. Dordrecht,
    a week later and as long ago, is drawn (a heat of the women's 500m at 09:30) but no
    race has started: it is upcoming, not finished, though its last day has passed."""
    dordrecht = models.Competition.objects.create(
        season=small_competition.season,
        number=2,
        city="Dordrecht",
        country="NED",
        time_zone="Europe/Amsterdam",
        start_date=datetime(2023, 10, 27).date(),
        end_date=datetime(2023, 10, 29).date(),
    )
    women_500 = models.DistanceRace.objects.create(
        competition=dordrecht, distance="W500", instance=None
    )
    heats = models.Round.objects.create(distance_race=women_500, kind="heats", order=1)
    models.Race.objects.create(
        round=heats,
        number=1,
        scheduled_at=datetime(2023, 10, 27, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )

    assert read_page(URL)[1]["status"] == "finished"
    html, doc = read_page("/seasons/2023-24/competitions/2/")
    assert doc["status"] == "upcoming"
    assert '<span class="status status-upcoming">upcoming</span>' in html


def test_a_competition_with_a_race_started_is_live_long_after_its_dates(read_page, race_day):
    """The women's 500m heat 1 started, its other heats not skated: live, in 2023 or now."""
    assert read_page(URL)[1]["status"] == "live"
