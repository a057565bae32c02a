"""The summaries page's summaries (``season_summaries(all_facts=False)``), written without
looking for personal bests unless one may be among a summary's notable facts, are the
summaries of every fact: the same title, text, sentences, footnote and notable facts, on
seasons with times in heats and finals, lead changes, a Globe decided, and final rankings
corrected after later finals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shorttrack.queries.facts import season_summaries
from shorttrack.store.models import Ranking, RankingLine, Revision
from tests.queries.corrected_season import montreal_weekend, thirteen_races
from tests.queries.test_facts import (  # noqa: F401 (fixtures)
    LATER,
    clinched_with_one_to_go,
    lead_change,
    level_at_the_end,
    two_seasons,
)

pytestmark = pytest.mark.django_db


def assert_notable_only_as_of_every_fact(key: str, moment: datetime) -> list[dict]:
    whole = season_summaries(key, moment)
    light = season_summaries(key, moment, all_facts=False)
    assert len(light) == len(whole) > 0
    for every, notable in zip(whole, light, strict=True):
        assert notable["facts"] == notable["notable"] == every["notable"]
        for field in every.keys() - {"facts", "people"}:
            assert notable[field] == every[field], field
        assert notable["people"].items() <= every["people"].items()
        assert {f["subject"]["key"] for f in notable["facts"]} <= notable["people"].keys()
    return light


@pytest.mark.parametrize(
    ("fixture", "seasons"),
    [
        ("two_seasons", ("2031/32", "2032/33")),
        ("lead_change", ("2031/32",)),
        ("clinched_with_one_to_go", ("2033/34",)),
        ("level_at_the_end", ("2034/35",)),
    ],
)
def test_the_notable_facts_only_as_of_every_fact(request, fixture, seasons):
    request.getfixturevalue(fixture)
    for key in seasons:
        assert_notable_only_as_of_every_fact(key, LATER)


def test_with_a_final_ranking_corrected_after_later_finals():
    montreal_weekend()
    assert_notable_only_as_of_every_fact("2025/26", datetime(2025, 10, 25, tzinfo=UTC))


def test_with_a_first_win_corrected_after_the_13th_race():
    thirteen_races()
    assert_notable_only_as_of_every_fact("2025/26", datetime(2025, 12, 1, tzinfo=UTC))


def test_with_times_and_a_final_ranking_corrected_after_later_finals(request):
    """The 2032/33 Montreal 500m (a world record in its final, track records in its heats)
    corrected the day after the 1000m: its first two swap places."""
    montreal = request.getfixturevalue("two_seasons")
    w500 = montreal.distance_races.get(distance="W500")
    last = Ranking.objects.filter(distance_race__competition=montreal).latest("official_at")
    ranked = w500.rankings.latest("number")
    moment = last.official_at + timedelta(days=1)
    corrected = Ranking.objects.create(
        distance_race=w500,
        number=ranked.number + 1,
        revision=Revision.objects.create(
            recorded_at=moment, source="console", reason="corrected after review"
        ),
        official_at=moment,
        basis=ranked.basis,
    )
    swap = {1: 2, 2: 1}
    for line in ranked.lines.all():
        line.pk, line.ranking = None, corrected
        line.rank = swap.get(line.rank, line.rank)
        line.save()
    assert RankingLine.objects.filter(ranking=corrected, rank=1).exists()
    light = assert_notable_only_as_of_every_fact("2032/33", LATER)
    assert any(f["kind"] == "world_record" for s in light for f in s["notable"])
