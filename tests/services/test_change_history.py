"""Skaters, the calendar, entries and officials' appointments keep a history of who changed
what and when (django-simple-history), written by the services that change them."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import pytest

from shorttrack.services import entries, setup
from shorttrack.services.draws import draw_first_round, plan_rounds
from shorttrack.services.errors import Invalid
from shorttrack.services.imports import import_paths
from shorttrack.services.officials import appoint
from shorttrack.services.race_results import start_race
from shorttrack.services.race_status import version
from shorttrack.store import models
from shorttrack.store.authorship import writing_for
from tests.services.montreal import distance_race, enter_field, races_of, women
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


def test_every_skater_an_import_creates_has_its_creation_in_the_history(users):
    files = [SMALL_COMPETITION / n for n in ("calendar.csv", "skaters.csv", "race-results.csv")]
    report = import_paths(files, user=users["admin"])
    created = report.created["skaters"]
    assert created == models.Skater.objects.count() > 1
    for skater in models.Skater.objects.all():
        (record,) = skater.history.all()
        assert record.history_type == "+" and record.history_user == users["admin"]
        assert (record.key, record.given_name, record.family_name, record.member_id) == (
            skater.key,
            skater.given_name,
            skater.family_name,
            skater.member_id,
        )


def test_a_refused_appointment_writes_no_history(montreal, users):
    before = models.CompetitionOfficial.history.count()
    with pytest.raises(Invalid, match="role"):
        appoint(users["organiser"], montreal, users["fan"], "captain")
    assert models.CompetitionOfficial.history.count() == before


def test_a_race_moved_in_the_schedule_keeps_where_it_was_and_who_moved_it(montreal, users, skaters):
    w1000 = distance_race(montreal, "W1000")
    enter_field(users, w1000, skaters, 12)
    plan_rounds(users["organiser"], w1000)
    organiser = users["organiser"]
    qualifying = setup.add_session(
        organiser, montreal, day=2, name="Qualifying", starts=time(10), ends=time(13)
    )
    race = races_of(w1000, "quarterfinals")[0]
    assert not race.history.exists()  # drawn unscheduled: nothing to tell yet

    setup.schedule_races(organiser, montreal, [setup.RaceSlot(race, qualifying, time(10, 30))])
    setup.schedule_races(organiser, montreal, [setup.RaceSlot(race, qualifying, time(11, 15))])
    setup.change_session(organiser, qualifying, day=3, name="Qualifying", starts=time(10))

    rows = list(race.history.order_by("history_id"))
    zone = ZoneInfo(montreal.time_zone)
    assert [
        (r.history_type, r.session_id, f"{r.scheduled_at.astimezone(zone):%d %H:%M}") for r in rows
    ] == [
        ("~", qualifying.pk, "18 10:30"),
        ("~", qualifying.pk, "18 11:15"),
        ("~", qualifying.pk, "19 11:15"),  # the session moved to day 3, the race with it
    ]
    assert {r.history_user for r in rows} == {organiser}
    assert rows[0].history_date <= rows[1].history_date <= rows[2].history_date

    setup.remove_session(organiser, qualifying)
    unscheduled = race.history.order_by("-history_id").first()
    assert (unscheduled.session_id, unscheduled.scheduled_at) == (None, None)
    assert unscheduled.history_user == organiser


def test_a_race_started_adds_no_schedule_history(montreal, users, skaters):
    w500 = distance_race(montreal, "W500")
    enter_field(users, w500, skaters, 8)
    draw_first_round(users["organiser"], w500, seed=3)
    race = races_of(w500, "semifinals")[0]
    start_race(users["officer"], race, based_on=version(race))
    assert not race.history.exists()  # its status moves are its race events


def test_a_broadcaster_added_and_removed_names_the_organiser(montreal, users):
    organiser = users["organiser"]
    broadcaster = setup.add_broadcaster(
        organiser, montreal, name="CBC Gem", country="CAN", url="https://gem.cbc.ca"
    )
    pk = broadcaster.pk
    setup.remove_broadcaster(organiser, broadcaster)

    rows = models.Broadcaster.history.filter(id=pk).order_by("history_id")
    assert [(r.history_type, r.name, r.country, r.history_user) for r in rows] == [
        ("+", "CBC Gem", "CAN", organiser),
        ("-", "CBC Gem", "CAN", organiser),
    ]


def test_an_officials_account_keeps_its_history_but_never_its_password(montreal):
    official, created = setup.appoint_from_server(
        montreal, "ria", "referee", password="correct horse battery"
    )
    account = official.user
    assert created
    setup.appoint_from_server(montreal, "ria", "results_officer", password="staple 2 battery")
    account.refresh_from_db()
    account.last_login = account.date_joined  # a sign-in is no change of the account
    account.save(update_fields=["last_login"])

    rows = list(account.history.order_by("history_id"))
    assert [(r.history_type, r.username, r.is_active) for r in rows] == [
        ("+", "ria", True),
        ("~", "ria", True),  # its password set again from the server
    ]
    assert {r.history_user for r in rows} == {None}  # the server's command line
    assert all(r.history_date for r in rows)
    fields = {f.name for f in type(rows[0])._meta.fields}
    assert "password" not in fields and "last_login" not in fields


def test_an_account_changed_for_an_official_names_them(montreal, users):
    fred = users["fan"]
    with writing_for(users["admin"]):
        fred.first_name = "Fred"
        fred.save()
    newest = fred.history.order_by("-history_id").first()
    assert (newest.history_type, newest.first_name, newest.history_user) == (
        "~",
        "Fred",
        users["admin"],
    )
