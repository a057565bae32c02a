"""A read compiled once gives the rows the ORM gives, decoded alike, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shorttrack.store.compiled import Compiled
from shorttrack.store.models import Announcement

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox():
    moment = datetime(2025, 10, 18, 14, 3, 7, 250000, tzinfo=UTC)
    return [
        Announcement.objects.create(
            topic=f"race:{n}",
            payload={"kind": "official", "race": n, "lines": [n, None]},
            created=moment,
            sent=moment if n % 2 else None,
        )
        for n in range(1, 6)
    ]


def test_a_compiled_read_gives_the_orms_rows_json_and_moments_decoded(outbox):
    def unsent_after(after):
        return (
            Announcement.objects.filter(id__gt=after, sent__isnull=True)
            .order_by("id")
            .values_list("id", "topic", "payload", "created", "sent")
        )

    read = Compiled(unsent_after)

    after = outbox[0].pk
    assert read.rows(after=after) == list(unsent_after(after))
    assert read.rows(after=after)[0][2] == {"kind": "official", "race": 2, "lines": [2, None]}
    assert read.rows(after=after)[0][3] == datetime(2025, 10, 18, 14, 3, 7, 250000, tzinfo=UTC)
    assert read.rows(after=outbox[-1].pk) == []


def test_it_is_built_and_compiled_once_then_only_run(outbox):
    built = []

    def topics(first, last):
        built.append((first, last))
        return Announcement.objects.filter(id__gte=first, id__lte=last).values_list(
            "topic", flat=True
        )

    read = Compiled(topics)
    with CaptureQueriesContext(connection) as queries:
        seen = [read.rows(first=outbox[0].pk, last=outbox[n].pk) for n in range(5)]

    assert [len(found) for found in seen] == [1, 2, 3, 4, 5]
    assert seen[-1] == sorted(f"race:{n}" for n in range(1, 6))
    assert len(queries) == 5  # one statement a call
    assert len(built) == 1  # built with stand-ins once, not at each call


def test_an_argument_the_sql_does_not_take_is_refused_at_once():
    read = Compiled(lambda race: Announcement.objects.values_list("id", flat=True))

    with pytest.raises(ValueError, match=r"\['race'\] not in its SQL"):
        read.rows(race=1)
