"""The page of a round: every race's official result with its marks and times, each
linking to its race page; a race not raced yet shows its start list."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shorttrack.store import models

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Toronto")


def url(round_: models.Round) -> str:
    return (
        f"/seasons/2023-24/competitions/1/distances/{round_.distance_race_id}/rounds/{round_.pk}/"
    )


def round_of(competition, distance: str, kind: str) -> models.Round:
    return models.Round.objects.get(
        distance_race__competition=competition, distance_race__distance=distance, kind=kind
    )


def test_every_race_of_the_heats_with_marks_and_times(read_page, small_competition):
    heats = round_of(small_competition, "W1000", "heats")
    html, doc = read_page(url(heats))
    assert (doc["round"]["label"], doc["round"]["status"]) == ("Heats", "official")
    assert [r["label"] for r in doc["rounds"]] == ["Heats", "Semifinals", "Final B", "Final A"]
    assert [race["title"] for race in doc["races"]] == [
        "Women's 1000m (1), Heats, race 1",
        "Women's 1000m (1), Heats, race 2",
        "Women's 1000m (1), Heats, race 3",
    ]
    heat_2 = doc["races"][1]
    assert [
        (line["place"], line["name"], line["time"], line["mark"], line["warnings"])
        for line in heat_2["result"]["lines"]
    ] == [
        (1, "ERIKSEN Ida", "1:29.010", "Q", ""),
        (2, "FONTANA Sara", "1:29.150", "Q", ""),
        (3, "GARCIA Lucia", "1:29.800", "q", ""),
        (None, "HOFMANN Lena", "", "PEN", "impeding"),
    ]
    # Raced: the result's lines say where each started; no start list is read.
    assert heat_2["start_list"] == [] and heat_2["result"]["lines"][0]["start_position"] == 3
    assert "<caption>Women&#x27;s 1000m (1), Heats, race 2</caption>" in html
    # Imported with no session and no time: the schedule does not place them in the
    # competition's programme, so no race number.
    assert [race["programme_number"] for race in doc["races"]] == [None, None, None]
    heat_2_race = models.Race.objects.get(round=heats, number=2)
    assert (
        f'Not yet scheduled · <a href="/races/{heat_2_race.pk}/">Women&#x27;s 1000m (1), '
        "Heats, race 2: lap chart and history</a>"
    ) in html
    heat_1, heat_3 = doc["races"][0]["result"]["lines"], doc["races"][2]["result"]["lines"]
    assert heat_1[2]["display"] == "CHOI Ha Eun (KOR)"  # as the season prints "Ha-eun"
    # The unplaced last, as the ISU sheet prints them: LEE fell (DNF).
    assert [(ln["place"], ln["name"], ln["mark"]) for ln in heat_3][2:] == [
        (3, "KOVACS Reka", ""),
        (None, "LEE Seo Yeon", "DNF"),
    ]
    for mark in ("Q", "q", "PEN", "DNF"):
        assert f'<span class="mark mark-{mark}">{mark}</span>' in html
    assert '<strong aria-current="page">Heats</strong>' in html


def test_a_final_b_with_a_dead_heat_and_a_relay_final(read_page, small_competition):
    html, doc = read_page(url(round_of(small_competition, "W1000", "final_b")))
    (final_b,) = doc["races"]
    assert final_b["title"] == "Women's 1000m (1), Final B"
    lines = final_b["result"]["lines"]
    assert [(ln["place"], ln["dead_heat"]) for ln in lines] == [
        (1, False),
        (2, True),
        (2, True),
        (4, False),
    ]
    assert '2 <abbr title="dead heat">DH</abbr>' in html

    html, doc = read_page(url(round_of(small_competition, "W3000R", "final_a")))
    line = doc["races"][0]["result"]["lines"][0]
    assert (line["display"], line["time"]) == ("NED", "4:05.120")
    assert line["team_skaters"] == [
        "DEKKER Femke",
        "JANSEN Anouk",
        "VISSER Noor",
        "BOS Lotte",
        "SMIT Eva",
    ]


def test_a_round_not_raced_yet_shows_its_start_lists(read_page, small_competition):
    """The women's 500m heat 1 in Sunday's finals session, as its race page names it."""
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
    race = models.Race.objects.create(
        round=heats,
        number=1,
        session=finals,
        scheduled_at=datetime(2023, 10, 22, 13, 34, tzinfo=MONTREAL),
    )
    for position, name in ((1, "Baker"), (2, "Adams")):
        skater = models.Skater.objects.get(family_name=name)
        models.StartListLine.objects.create(
            race=race,
            skater=skater,
            member=skater.member,
            start_position=position,
            helmet=10 + position,
            qualified_by="seed",
        )
    html, doc = read_page(url(heats))
    (start,) = doc["races"]
    assert (doc["round"]["status"], start["status"], start["result"]) == (
        "scheduled",
        "scheduled",
        None,
    )
    assert [(s["start_position"], s["name"], s["helmet"]) for s in start["start_list"]] == [
        (1, "BAKER Beth", 11),
        (2, "ADAMS Alice", 12),
    ]
    # Timed at 13:34, the only race the schedule places: Race 1 of the programme.
    assert start["programme_number"] == 1
    assert "<caption>Women&#x27;s 500m, Heats, start list</caption>" in html
    assert (start["session"], start["scheduled_zone"]) == ("Finals", "EDT")
    assert (
        '<p class="programme">Race 1 · Finals · Sun 22 Oct 2023, '
        '<time datetime="2023-10-22T13:34:00-04:00">13:34 EDT</time> · Scheduled · '
        f'<a href="/races/{race.pk}/">race page</a></p>'
    ) in html


def test_a_round_of_another_distance_is_not_found(client, small_competition):
    heats = round_of(small_competition, "W1000", "heats")
    relay = small_competition.distance_races.get(distance="W3000R")
    wrong = f"/seasons/2023-24/competitions/1/distances/{relay.pk}/rounds/{heats.pk}/"
    assert client.get(wrong).status_code == 404
    assert client.get(url(heats)).status_code == 200
    fragment = client.get(f"{url(heats)}?fragment=main").text
    assert fragment.startswith('<section id="round-results"')
    assert f'sse-connect="/live/competition:{small_competition.pk}/"' in client.get(url(heats)).text


def test_round_and_distance_pages_are_kept_under_their_competition(small_competition):
    """The page cache keeps them by what they show: a result of this competition (and
    nothing of another) makes them stale (site/page_cache.py)."""
    from shorttrack import versions
    from shorttrack.queries import documents

    heats = round_of(small_competition, "W1000", "heats")
    shown = [
        ("round", documents.round_document("2023-24", 1, heats.distance_race_id, heats.pk)),
        ("distance", documents.distance_document("2023-24", 1, heats.distance_race_id)),
    ]
    assert documents.scopes_shown(shown) == [
        versions.GLOBAL,
        f"competition:{small_competition.pk}",
    ]
