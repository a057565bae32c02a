"""A race's latest result as every write reads it: the newest revision with its lines in
place order, the very rows the ORM gives, read in one statement."""

from __future__ import annotations

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from shorttrack.services.draws import draw_first_round
from shorttrack.services.result_lines import latest_result, lines_by_place
from shorttrack.store.models import RaceResult, Revision
from tests.services.montreal import distance_race, enter_field, race_it, races_of

pytestmark = pytest.mark.django_db


def stored(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def semifinal(montreal, users, skaters):
    w500 = distance_race(montreal, "W500")
    enter_field(users, w500, skaters, 8)
    draw_first_round(users["organiser"], w500, seed=1)
    return races_of(w500, "semifinals")[0]


def test_the_latest_result_is_the_newest_revision_with_its_lines_in_one_statement(
    users, semifinal, django_assert_num_queries
):
    assert latest_result(semifinal) is None
    race_it(users, semifinal)  # the finish entered (revision 1), then made official (2)

    with django_assert_num_queries(1):
        latest = latest_result(semifinal)
        lines = list(latest.lines.all())
        assert latest.race is semifinal
        assert all(line.result is latest for line in lines)

    by_place = Prefetch("lines", queryset=lines_by_place())
    expected = semifinal.results.order_by("-number").prefetch_related(by_place).first()
    assert (latest.number, latest.official_at is not None) == (2, True)
    assert stored(latest) == stored(expected)
    assert [stored(line) for line in lines] == [stored(line) for line in expected.lines.all()]
    assert [line.place for line in lines] == [1, 2, 3, 4]


def test_a_newest_revision_without_lines_is_the_latest_all_the_same(users, semifinal):
    race_it(users, semifinal)
    revision = Revision.objects.create(
        recorded_at=timezone.now(), recorded_by=users["officer"], source="test", reason="empty"
    )
    empty = RaceResult.objects.create(race=semifinal, number=3, revision=revision)

    latest = latest_result(semifinal)
    assert (latest.pk, latest.number) == (empty.pk, 3)
    assert list(latest.lines.all()) == []
