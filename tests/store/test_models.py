"""What the database itself guarantees, whichever service writes to it."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from shorttrack.store.models import Competition, DistanceRace, Member, Season, Skater

pytestmark = pytest.mark.django_db


@pytest.fixture
def montreal():
    season = Season.objects.create(
        key="2022/23", name="ISU World Cup Short Track 2022/23", rules_key="2022/23"
    )
    return Competition.objects.create(
        season=season,
        number=1,
        city="Montreal",
        country="CAN",
        venue="Maurice-Richard Arena",
        time_zone="America/Toronto",
        start_date=date(2022, 10, 28),
        end_date=date(2022, 10, 30),
    )


def test_a_distance_raced_once_exists_once_per_competition(montreal):
    DistanceRace.objects.create(competition=montreal, distance="M500")
    with pytest.raises(IntegrityError), transaction.atomic():
        DistanceRace.objects.create(competition=montreal, distance="M500")


def test_a_distance_raced_twice_has_instances_one_and_two_once_each(montreal):
    first = DistanceRace.objects.create(competition=montreal, distance="W1000", instance=1)
    second = DistanceRace.objects.create(competition=montreal, distance="W1000", instance=2)
    assert (first.title, second.label) == ("Women's 1000m (1)", "1000m (2)")
    with pytest.raises(IntegrityError), transaction.atomic():
        DistanceRace.objects.create(competition=montreal, distance="W1000", instance=2)


def test_a_skater_is_written_as_on_isu_sheets():
    korea = Member.objects.create(code="KOR", name="Republic of Korea")
    park = Skater.objects.create(
        key="KOR-park-ji-won", given_name="Ji-won", family_name="Park", gender="men", member=korea
    )
    assert str(park) == "PARK Ji-won (KOR)"
