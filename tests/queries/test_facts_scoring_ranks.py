"""Whether every rank that scores World Cup points is known for a distance (standings facts
need it) is judged with the season's own points table: 24 scoring ranks from 2022/23 on, 32
in 2019/20, so ranks held beyond a season's table never make up for ranks it lacks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shorttrack.queries.facts import forget_loaded_facts, load_history
from shorttrack.rules.season import season_rules
from shorttrack.store import models

pytestmark = pytest.mark.django_db

OFFICIAL = datetime(2023, 10, 22, 20, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_facts():
    forget_loaded_facts()
    yield
    forget_loaded_facts()


def distance_ranked(season_key: str, ranks: list[int]) -> tuple[models.Season, int]:
    """A women's 500m of ``season_key`` whose imported ranking holds only these ranks."""
    season = models.Season.objects.create(key=season_key, name=season_key, rules_key=season_key)
    competition = models.Competition.objects.create(
        season=season,
        number=1,
        city="Montreal",
        country="CAN",
        time_zone="America/Toronto",
        start_date=date(2023, 10, 20),
        end_date=date(2023, 10, 22),
    )
    race = models.DistanceRace.objects.create(competition=competition, distance="W500")
    revision = models.Revision.objects.create(
        recorded_at=OFFICIAL, source="test", reason="ranks from the press"
    )
    ranking = models.Ranking.objects.create(
        distance_race=race,
        number=1,
        revision=revision,
        official_at=OFFICIAL,
        basis="imported",
        complete=False,
    )
    member, _ = models.Member.objects.get_or_create(code="NED", defaults={"name": "Netherlands"})
    for rank in ranks:
        skater = models.Skater.objects.create(
            key=f"{season_key}-{rank}",
            given_name="Anna",
            family_name=f"SKATER{rank}",
            gender="women",
            member=member,
        )
        models.RankingLine.objects.create(ranking=ranking, rank=rank, skater=skater, member=member)
    return season, race.pk


def scoring_known(season_key: str, ranks: list[int]) -> bool:
    season, race = distance_ranked(season_key, ranks)
    return load_history(season, [race]).races[race].scoring_known


def test_the_tables_the_test_relies_on():
    assert len(season_rules("2022/23").points) == 24
    assert len(season_rules("2019/20").points) == 32


def test_ranks_beyond_a_24_place_table_do_not_stand_in_for_missing_scoring_ranks():
    # 1-20 and 25-32: 28 ranks held, but 21-24, which score in 2022/23, are not known.
    assert not scoring_known("2022/23", [*range(1, 21), *range(25, 33)])


def test_the_24_scoring_ranks_of_2022_23_are_enough():
    assert scoring_known("2022/23", list(range(1, 25)))


def test_2019_20_scores_to_rank_32():
    assert not scoring_known("2019/20", list(range(1, 25)))


def test_the_32_scoring_ranks_of_2019_20_are_enough():
    assert scoring_known("2019/20", list(range(1, 33)))
