"""Page documents are cached by the results version: served again while nothing changed,
built anew when a result is added or a change is published."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shorttrack.queries import documents
from shorttrack.store import models

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Toronto")


def test_a_document_is_built_once_per_results_version(small_competition):
    first = documents.competition_document("2023-24", 1)
    assert documents.competition_document("2023-24", 1) is not first  # a copy from the cache
    assert documents.competition_document("2023-24", 1)["updated_at"] == first["updated_at"]


def test_a_new_official_result_changes_the_version_and_the_page(client, small_competition):
    url = "/seasons/2023-24/standings/1000m-women.json"
    before = client.get(url).json()
    version = documents.results_version()
    dr = models.DistanceRace.objects.get(competition=small_competition, distance="W1000")
    ito = models.Skater.objects.get(family_name="Ito")
    ranking = models.Ranking.objects.create(
        distance_race=dr,
        number=2,
        revision=models.Revision.objects.create(
            recorded_at=datetime(2023, 10, 21, 16, 0, tzinfo=MONTREAL),
            source="console",
            reason="correction",
        ),
        official_at=datetime(2023, 10, 21, 16, 0, tzinfo=MONTREAL),
        basis="races",
    )
    models.RankingLine.objects.create(ranking=ranking, rank=1, skater=ito, member=ito.member)
    assert documents.results_version() != version
    after = client.get(url).json()
    assert before["rows"][0]["name"] == "ERIKSEN Ida"
    assert [(r["name"], r["points"]) for r in after["rows"]] == [("ITO Yui", 100)]


def test_unpublishing_changes_the_version(small_competition):
    version = documents.results_version()
    models.Competition.objects.filter(pk=small_competition.pk).update(published=False)
    assert documents.results_version() != version


def test_the_rendered_page_is_served_from_the_cache(
    client, small_competition, django_assert_max_num_queries
):
    url = "/seasons/2023-24/competitions/1/"
    first = client.get(url)
    with django_assert_max_num_queries(1):  # the results version, nothing else
        second = client.get(url)
    assert second.content == first.content
