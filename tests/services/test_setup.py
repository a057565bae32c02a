"""The organiser's set-up: sessions by day at the venue's clock, races put into them,
broadcasters; and officials appointed from the server's command line. Each refusal names
the field and the reason and changes nothing."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from shorttrack.services.draws import plan_rounds
from shorttrack.services.errors import Invalid, NotPermitted
from shorttrack.services.race_results import start_race
from shorttrack.services.race_status import version
from shorttrack.services.setup import (
    RaceSlot,
    add_broadcaster,
    add_session,
    appoint_from_server,
    change_session,
    remove_broadcaster,
    remove_session,
    schedule_races,
)
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, races_of

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def sessions(montreal, users):
    """Day 2 (18 Oct 2025): qualifying 10:00-13:00, the World Cup session 15:00-18:00."""
    organiser = users["organiser"]
    return (
        add_session(organiser, montreal, day=2, name="Qualifying", starts=time(10), ends=time(13)),
        add_session(
            organiser, montreal, day=2, name="World Cup session", starts=time(15), ends=time(18)
        ),
    )


@pytest.fixture
def w1000(montreal, users, skaters):
    """The women's 1000m with 12 entries, planned: quarterfinals, semifinals, Final B, Final A."""
    race = distance_race(montreal, "W1000")
    enter_field(users, race, skaters, 12)
    plan_rounds(users["organiser"], race)
    return race


def test_a_session_is_kept_at_the_venues_clock(sessions):
    qualifying, finals = sessions

    assert qualifying.starts_at == datetime(2025, 10, 18, 10, 0, tzinfo=TORONTO)
    assert qualifying.ends_at == datetime(2025, 10, 18, 13, 0, tzinfo=TORONTO)
    assert finals.day == 2 and finals.name == "World Cup session"


def test_a_session_must_fit_the_competition_and_its_day(montreal, users, sessions):
    organiser = users["organiser"]
    with pytest.raises(Invalid) as refused:
        add_session(organiser, montreal, day=4, name=" ", starts=time(12), ends=time(11))

    assert refused.value.problems == (
        ("name", "name the session (Qualifying, World Cup session)"),
        (
            "day",
            "day 4 is not a day of ISU Short Track World Tour 1, Montreal: it has 3 days "
            "(17 Oct to 19 Oct 2025)",
        ),
        ("ends", "the session ends at 11:00, not after it starts (12:00)"),
    )
    with pytest.raises(Invalid, match=r"starts: overlaps Qualifying on day 2 \(10:00-13:00\)"):
        add_session(organiser, montreal, day=2, name="Repechage", starts=time(12, 30))
    assert models.Session.objects.count() == 2


def test_only_the_organiser_sets_up_sessions(montreal, users):
    with pytest.raises(NotPermitted, match="only an organiser of .* may set up sessions"):
        add_session(users["referee"], montreal, day=1, name="Qualifying", starts=time(10))
    assert not models.Session.objects.exists()


def test_races_are_scheduled_inside_a_session_and_after_the_rounds_before(
    montreal, users, sessions, w1000
):
    qualifying, finals = sessions
    quarterfinals = races_of(w1000, "quarterfinals")
    semifinals = races_of(w1000, "semifinals")
    slots = [RaceSlot(race, qualifying, time(10, 5 * n)) for n, race in enumerate(quarterfinals)]
    slots += [RaceSlot(race, finals, time(15, 5 * n)) for n, race in enumerate(semifinals)]

    schedule_races(users["organiser"], montreal, slots)

    first = models.Race.objects.get(pk=quarterfinals[0].pk)
    assert first.session == qualifying
    assert first.scheduled_at == datetime(2025, 10, 18, 10, 0, tzinfo=TORONTO)
    assert models.Race.objects.filter(session=finals).count() == 2


def test_a_schedule_that_cannot_be_is_refused_whole(montreal, users, sessions, w1000):
    qualifying, finals = sessions
    quarterfinals = races_of(w1000, "quarterfinals")
    semifinal = races_of(w1000, "semifinals")[0]

    with pytest.raises(Invalid) as refused:
        schedule_races(
            users["organiser"],
            montreal,
            [
                RaceSlot(quarterfinals[0], qualifying, time(9, 30)),
                RaceSlot(quarterfinals[1], finals),
                RaceSlot(quarterfinals[2], qualifying, time(11)),
                RaceSlot(semifinal, qualifying, time(10, 30)),
            ],
        )

    assert refused.value.problems == (
        ("slots[0]", "Women's 1000m Quarterfinal 1 at 09:30 is outside Qualifying (10:00-13:00)"),
        ("slots[1]", "Women's 1000m Quarterfinal 2: give the time it starts in World Cup session"),
    )
    with pytest.raises(Invalid) as refused:
        schedule_races(
            users["organiser"],
            montreal,
            [
                RaceSlot(quarterfinals[0], qualifying, time(11)),
                RaceSlot(semifinal, qualifying, time(10, 30)),
            ],
        )
    assert refused.value.problems == (
        (
            "slots",
            "Women's 1000m Semifinal 1 would start before Women's 1000m Quarterfinal 1, "
            "whose round sends it its skaters",
        ),
    )
    assert not models.Race.objects.exclude(session=None).exists()


def test_a_schedule_naming_a_race_gone_since_is_refused_whole(montreal, users, sessions, w1000):
    """A form opened before a round was drawn again names races no longer stored."""
    qualifying, _ = sessions
    quarterfinals = races_of(w1000, "quarterfinals")
    gone = models.Race(pk=quarterfinals[-1].pk + 1000)

    with pytest.raises(Invalid) as refused:
        schedule_races(
            users["organiser"],
            montreal,
            [
                RaceSlot(quarterfinals[0], qualifying, time(11)),
                RaceSlot(gone, qualifying, time(11)),
            ],
        )

    assert refused.value.problems == (("slots[1]", f"race {gone.pk} no longer exists"),)
    assert not models.Race.objects.exclude(session=None).exists()


def test_a_session_with_a_race_under_way_stays(montreal, users, sessions, w500_drawn):
    qualifying, _ = sessions
    semifinal = races_of(w500_drawn, "semifinals")[0]
    schedule_races(users["organiser"], montreal, [RaceSlot(semifinal, qualifying, time(10, 10))])
    start_race(users["officer"], semifinal, based_on=version(semifinal))

    with pytest.raises(Invalid, match="has races already skated or under way"):
        remove_session(users["organiser"], qualifying)

    assert models.Session.objects.filter(pk=qualifying.pk).exists()


def test_removing_a_session_leaves_its_races_unscheduled(montreal, users, sessions, w1000):
    qualifying, _ = sessions
    race = races_of(w1000, "quarterfinals")[0]
    schedule_races(users["organiser"], montreal, [RaceSlot(race, qualifying, time(10, 30))])

    remove_session(users["organiser"], qualifying)

    race.refresh_from_db()
    assert (race.session, race.scheduled_at) == (None, None)


def test_a_session_moved_to_another_day_takes_its_races_along(montreal, users, sessions, w1000):
    qualifying, _ = sessions
    race = races_of(w1000, "quarterfinals")[0]
    schedule_races(users["organiser"], montreal, [RaceSlot(race, qualifying, time(10, 30))])

    change_session(
        users["organiser"], qualifying, day=1, name="Qualifying", starts=time(9), ends=time(12)
    )

    race.refresh_from_db()
    assert race.scheduled_at == datetime(2025, 10, 17, 10, 30, tzinfo=TORONTO)
    with pytest.raises(Invalid, match="scheduled at 10:30, outside the changed session"):
        change_session(users["organiser"], qualifying, day=1, name="Qualifying", starts=time(11))


def test_broadcasters_of_a_competition(montreal, users):
    organiser = users["organiser"]
    cbc = add_broadcaster(
        organiser, montreal, name="CBC Sports", country="can", url="https://www.cbc.ca/sports"
    )
    add_broadcaster(
        organiser,
        montreal,
        name="ISU Skating Channel",
        live_stream=True,
        covers="qualifying and repechage rounds",
    )

    assert (cbc.country, cbc.season, cbc.competition) == ("CAN", montreal.season, montreal)
    with pytest.raises(Invalid) as refused:
        add_broadcaster(organiser, montreal, name="", country="Canada", url="cbc dot ca")
    assert [field for field, _ in refused.value.problems] == ["name", "country", "url"]
    with pytest.raises(Invalid, match="CBC Sports \\(CAN\\) already broadcasts"):
        add_broadcaster(organiser, montreal, name="CBC Sports", country="CAN")

    remove_broadcaster(organiser, cbc)
    assert list(montreal.broadcasters.values_list("name", flat=True)) == ["ISU Skating Channel"]


def test_the_server_appoints_a_new_official_with_a_password(montreal):
    official, created = appoint_from_server(
        montreal, "paula", "referee", password="six-skaters-on-ice"
    )

    assert created
    assert (official.role, official.competition, official.appointed_by) == (
        "referee",
        montreal,
        None,
    )
    assert official.user.check_password("six-skaters-on-ice")


def test_the_server_gives_an_existing_user_another_role(montreal, users):
    official, created = appoint_from_server(montreal, "rita", "results_officer")

    assert not created
    assert set(users["referee"].roles.values_list("role", flat=True)) == {
        "referee",
        "results_officer",
    }
    assert official.user.has_usable_password() == users["referee"].has_usable_password()


def test_the_server_refuses_a_role_held_already_or_unknown(montreal, users):
    with pytest.raises(Invalid, match="rita is already referee of"):
        appoint_from_server(montreal, "rita", "referee", password="a-new-password")
    users["referee"].refresh_from_db()
    assert not users["referee"].check_password("a-new-password")
    with pytest.raises(Invalid) as refused:
        appoint_from_server(montreal, "nina", "judge", password="short")
    assert [field for field, _ in refused.value.problems] == ["role", "password"]
    assert not get_user_model().objects.filter(username="nina").exists()


@pytest.fixture
def w500_drawn(montreal, users, skaters):
    from shorttrack.services.draws import draw_first_round

    race = distance_race(montreal, "W500")
    enter_field(users, race, skaters, 8)
    draw_first_round(users["organiser"], race, seed=3)
    return race


def test_two_organisers_scheduling_one_race_the_second_is_told_not_overwritten(
    montreal, users, sessions, w1000
):
    """Two tabs open on the schedule: the first moves the race, the second's form still
    shows where it was. The second save is refused for that race; nothing of it is saved."""
    from shorttrack.services.setup import slot_version

    qualifying, _ = sessions
    race, other = races_of(w1000, "quarterfinals")[:2]
    opened = {r.pk: slot_version(r) for r in (race, other)}  # both forms show this

    schedule_races(
        users["organiser"],
        montreal,
        [RaceSlot(race, qualifying, time(10, 15), based_on=opened[race.pk])],
    )
    with pytest.raises(Invalid) as refused:
        schedule_races(
            users["organiser"],
            montreal,
            [
                RaceSlot(other, qualifying, time(10, 0), based_on=opened[other.pk]),
                RaceSlot(race, qualifying, time(10, 45), based_on=opened[race.pk]),
            ],
        )
    assert refused.value.problems == (
        (
            "slots[1]",
            "Women's 1000m Quarterfinal 1 was rescheduled since this form was opened "
            "(now Qualifying at 10:15); nothing was saved: start again from the schedule as "
            "it is now",
        ),
    )
    race.refresh_from_db()
    other.refresh_from_db()
    assert race.scheduled_at == datetime(2025, 10, 18, 10, 15, tzinfo=TORONTO)
    assert other.scheduled_at is None  # all or nothing
