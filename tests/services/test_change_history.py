"""Skaters, the calendar, entries and officials' appointments keep a history of who changed
what and when (django-simple-history), written by the services that change them."""

from __future__ import annotations

from datetime import time

import pytest

from shorttrack.services import entries, setup
from shorttrack.services.errors import Invalid
from shorttrack.services.imports import import_paths
from shorttrack.services.officials import appoint
from shorttrack.store import models
from tests.services.montreal import distance_race, women
from tests.support import SMALL_COMPETITION

pytestmark = pytest.mark.django_db


def test_an_appointment_records_who_made_it(montreal, users):
    [organiser] = models.CompetitionOfficial.history.filter(
        competition=montreal, user=users["organiser"]
    )
    assert organiser.history_type == "+"
    assert organiser.history_user == users["admin"]
    referee = models.CompetitionOfficial.history.get(competition=montreal, user=users["referee"])
    assert referee.history_user == users["organiser"]


def test_entries_and_a_withdrawal_record_who_and_when(montreal, users, skaters):
    w500 = distance_race(montreal, "W500")
    [entry, *_] = entries.enter_skaters(users["organiser"], w500, women(skaters, "CAN")[:3])
    created = entry.history.get()
    assert (created.history_type, created.history_user, created.helmet) == (
        "+",
        users["organiser"],
        entry.helmet,
    )
    entries.withdraw(users["organiser"], entry, "injured in training")
    newest, first = entry.history.order_by("-history_date")
    assert newest.history_type == "~"
    assert newest.history_user == users["organiser"]
    assert (first.withdrawn_reason, newest.withdrawn_reason) == ("", "injured in training")
    assert newest.history_date >= first.history_date


def test_a_session_moved_keeps_the_time_it_had(montreal, users):
    session = setup.add_session(
        users["organiser"], montreal, day=2, name="Session 2", starts=time(13, 0)
    )
    setup.change_session(users["organiser"], session, day=2, name="Session 2", starts=time(14, 30))
    moved, added = session.history.order_by("-history_date")
    assert [h.history_type for h in (added, moved)] == ["+", "~"]
    assert moved.starts_at > added.starts_at
    assert {added.history_user, moved.history_user} == {users["organiser"]}


def test_a_skater_changed_by_an_import_keeps_the_name_it_had(tmp_path):
    files = [SMALL_COMPETITION / n for n in ("calendar.csv", "skaters.csv", "race-results.csv")]
    import_paths(files)
    text = (SMALL_COMPETITION / "skaters.csv").read_text(encoding="utf-8")
    header, first, *rest = text.splitlines()
    assert "birth_date" in header, header
    columns = header.split(",")
    values = first.split(",")
    skater = models.Skater.objects.get(
        given_name=values[columns.index("given_name")],
        family_name=values[columns.index("family_name")],
    )
    values[columns.index("birth_date")] = "1999-02-03"
    changed = tmp_path / "skaters.csv"
    changed.write_text("\n".join([header, ",".join(values), *rest]) + "\n", encoding="utf-8")
    import_paths([changed])
    newest, *older = skater.history.order_by("-history_date")
    assert str(newest.birth_date) == "1999-02-03"
    assert older and str(older[0].birth_date) != "1999-02-03"
    assert newest.history_user is None  # an import: no official behind it


def test_a_refused_appointment_writes_no_history(montreal, users):
    before = models.CompetitionOfficial.history.count()
    with pytest.raises(Invalid, match="role"):
        appoint(users["organiser"], montreal, users["fan"], "captain")
    assert models.CompetitionOfficial.history.count() == before
