"""Nothing unpublished or unofficial shows: an unpublished competition, a race whose result
is not official yet, a draft revision of an official result, and a ranking not yet
official appear on no page, in no JSON twin and in no API answer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shorttrack.store import models

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Toronto")


def every_page(season: str, competition: int, race_ids, skater_ids, nations) -> list[str]:
    urls = [
        f"/seasons/{season}/",
        f"/seasons/{season}/standings/overall-women/",
        f"/seasons/{season}/standings/1000m-women/",
        f"/seasons/{season}/competitions/{competition}/",
        *(f"/races/{pk}/" for pk in race_ids),
        *(f"/skaters/{pk}/" for pk in skater_ids),
        *(f"/seasons/{season}/nations/{code}/" for code in nations),
    ]
    return urls


def read_everything(client, urls) -> list[tuple[str, int, str]]:
    """Every page as HTML, as JSON, and from the API: (url, status, body)."""
    answers = []
    for url in urls:
        for form in (url, url.rstrip("/") + ".json", "/api" + url.rstrip("/")):
            response = client.get(form)
            answers.append((form, response.status_code, response.content.decode()))
    return answers


def final_a():
    return models.Race.objects.get(round__kind="final_a", round__distance_race__distance="W1000")


def test_an_unpublished_competition_shows_nowhere(client, small_competition):
    eriksen = models.Skater.objects.get(family_name="Eriksen")
    race = final_a()
    small_competition.published = False
    small_competition.save()
    answers = read_everything(client, every_page("2023-24", 1, [race.pk], [eriksen.pk], ["NOR"]))
    for url, status, body in answers:
        if "/competitions/" in url or "/races/" in url:
            assert status == 404, url
        else:
            assert status == 200, url
            assert "1:27.950" not in body and "Maurice-Richard" not in body, url
            assert "Montreal" not in body, url
    skater = client.get(f"/skaters/{eriksen.pk}.json").json()
    assert (
        skater["seasons"] == []
        and skater["personal_bests"] == []
        and skater["medals"]["total"] == 0
    )
    standings = client.get("/seasons/2023-24/standings/overall-women.json").json()
    assert standings["rows"] == [] and standings["finals"] == []
    assert client.get("/seasons.json").json()["seasons"] == []
    assert client.get(f"/live/competition:{small_competition.pk}/").status_code == 404
    assert client.get(f"/live/race:{race.pk}/").status_code == 404


def test_a_race_without_an_official_result_shows_no_result(client, small_competition):
    dr = models.DistanceRace.objects.get(competition=small_competition, distance="W1000")
    round_ = models.Round.objects.create(distance_race=dr, kind="final_c", order=9)
    race = models.Race.objects.create(round=round_, number=1, status="unofficial")
    kovacs = models.Skater.objects.get(family_name="Kovacs")
    revision = models.Revision.objects.create(
        recorded_at=datetime(2023, 10, 21, 14, 20, tzinfo=MONTREAL),
        source="console",
        reason="entered",
    )
    result = models.RaceResult.objects.create(
        race=race, number=1, revision=revision, official_at=None
    )
    models.RaceResultLine.objects.create(
        result=result, place=1, skater=kovacs, member=kovacs.member, time_ms=84_321
    )
    models.RaceEvent.objects.create(
        race=race,
        kind="results",
        status="unofficial",
        at=revision.recorded_at,
        reason="typed in",
        result=result,
    )
    answers = read_everything(client, every_page("2023-24", 1, [race.pk], [kovacs.pk], ["HUN"]))
    for url, status, body in answers:
        assert status == 200, url
        assert "1:24.321" not in body and "84321" not in body and "typed in" not in body, url
    doc = client.get(f"/races/{race.pk}.json").json()
    assert (doc["status"], doc["result"], doc["revisions"], doc["events"]) == (
        "unofficial",
        None,
        [],
        [],
    )


def test_a_draft_revision_of_an_official_result_shows_nowhere(client, small_competition):
    race = final_a()
    ito = models.Skater.objects.get(family_name="Ito")
    official = race.results.get()
    draft = models.RaceResult.objects.create(
        race=race,
        number=2,
        revision=models.Revision.objects.create(
            recorded_at=datetime(2023, 10, 21, 15, 0, tzinfo=MONTREAL),
            source="console",
            reason="draft: Ito first after review",
        ),
        official_at=None,
    )
    for line in official.lines.all():
        line.pk, line.result = None, draft
        if line.skater_id == ito.pk:
            line.place, line.time_ms = 1, 87_001
        line.save()
    race.status = "under_review"
    race.save()
    # a ranking revision that is not official yet either
    dr = race.round.distance_race
    ranking = models.Ranking.objects.create(
        distance_race=dr, number=2, revision=draft.revision, official_at=None, basis="races"
    )
    models.RankingLine.objects.create(
        ranking=ranking, rank=1, skater=ito, member=ito.member, time_ms=87_001
    )

    answers = read_everything(client, every_page("2023-24", 1, [race.pk], [ito.pk], ["JPN"]))
    for url, status, body in answers:
        assert status == 200, url
        assert "1:27.001" not in body and "87001" not in body and "draft: Ito" not in body, url
    doc = client.get(f"/races/{race.pk}.json").json()
    assert doc["status"] == "under review"
    assert doc["result"]["revision"] == 1 and [r["revision"] for r in doc["revisions"]] == [1]
    standings = client.get("/seasons/2023-24/standings/1000m-women.json").json()
    assert standings["rows"][0]["name"] == "ERIKSEN Ida"
    skater = client.get(f"/skaters/{ito.pk}.json").json()
    assert skater["personal_bests"][0]["time"] == "1:28.400"
    assert skater["medals"]["gold"] == 0 and skater["medals"]["bronze"] == 1
