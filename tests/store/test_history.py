"""What a history digest covers: every field of the rows it fingerprints. A field added to
one of these models fails here until store/history.CONTENT says whether it is covered."""

from __future__ import annotations

import pytest

from shorttrack.store import models
from shorttrack.store.history import CONTENT, link_digest


@pytest.mark.parametrize("name", sorted(CONTENT))
def test_the_digest_names_every_field_of_the_rows_it_covers(name):
    fields = {f.attname for f in getattr(models, name)._meta.concrete_fields}
    assert set(CONTENT[name]) == fields


def test_a_link_digest_depends_on_the_link_before_the_subject_and_the_content():
    base = link_digest("", "race_result", 7, "a" * 64)
    assert len(base) == 64
    assert link_digest("0" * 64, "race_result", 7, "a" * 64) != base
    assert link_digest("", "race_event", 7, "a" * 64) != base
    assert link_digest("", "race_result", 8, "a" * 64) != base
    assert link_digest("", "race_result", 7, "b" * 64) != base


def test_an_event_is_sealed_from_memory_only_as_its_row_reads_back():
    from datetime import UTC, datetime

    from shorttrack.store.history import event_digest

    def event(**changes):
        values = dict(id=1, race_id=2, kind="status", status="started", reason="", by_id=None)
        values |= dict(result_id=None, at=datetime(2025, 10, 24, 9, 30, 0, 250, tzinfo=UTC))
        return models.RaceEvent(**(values | changes))

    assert len(event_digest(event())) == 64
    assert event_digest(event(by_id=3)) != event_digest(event())
    assert event_digest(event(race_id="2")) is None  # the row reads back 2
    assert event_digest(event(at=datetime(2025, 10, 24, 9, 30))) is None  # a naive moment
