"""Who may open which console page and post which form: nobody signed in is sent to sign
in, a user without the role at this competition (a fan, an official of another
competition, an official with another role) is refused with 403, and a refused post
changes nothing."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from shorttrack.services.race_results import make_official
from shorttrack.services.race_status import version
from shorttrack.services.setup import add_broadcaster, add_session
from shorttrack.store import models
from tests.officials.conftest import helmets, snapshot, typed_grid
from tests.services.montreal import distance_race, enter_field, races_of

pytestmark = pytest.mark.django_db

ORGANISER, OFFICER, REFEREE = "organiser", "officer", "referee"
EVERYONE = (ORGANISER, OFFICER, REFEREE)


@pytest.fixture
def place(montreal, users, w500, finished):
    """The objects every console URL names: Montreal, its women's 500m, semifinal 1 with
    its finish entered, a session, a broadcaster and an entry."""
    session = add_session(users["organiser"], montreal, day=1, name="Qualifying", starts=time(10))
    broadcaster = add_broadcaster(users["organiser"], montreal, name="CBC Sports", country="CAN")
    return {
        "competition_id": montreal.pk,
        "distance_race_id": w500.pk,
        "race_id": finished.pk,
        "round_id": finished.round_id,
        "session_id": session.pk,
        "broadcaster_id": broadcaster.pk,
        "entry_id": w500.entries.first().pk,
        "helmets": helmets(finished),
        "scheduled_race_id": races_of(w500, "semifinals")[1].pk,
    }


# (URL name, its arguments, the roles that may open it)
PAGES = [
    ("board", ("competition_id",), EVERYONE),
    ("board-part", ("competition_id",), EVERYONE),
    ("setup", ("competition_id",), (ORGANISER,)),
    ("distance", ("distance_race_id",), EVERYONE),
    ("race", ("race_id",), EVERYONE),
    ("start-list", ("race_id",), EVERYONE),
    ("result-sheet", ("race_id",), EVERYONE),
    ("round-start-lists", ("round_id",), EVERYONE),
    ("correct", ("race_id",), (REFEREE,)),
    ("laps", ("race_id",), (OFFICER, REFEREE)),
]


def post_data(place) -> dict[str, dict]:
    """A post each form would accept from the right official."""
    first, second, third, fourth = place["helmets"]
    finish = {"order": f"{first} {second} {third} {fourth}"}
    for index, helmet in enumerate(place["helmets"]):
        finish |= {f"helmet-{index}": helmet, f"place-{index}": index + 1, f"time-{index}": ""}
    # The times of the finish entered are taken away: on purpose, with a reason.
    finish |= {"confirm_removal": "yes", "reason": "times to be typed from the photo finish"}
    return {
        "add-session": {"day": 2, "name": "World Cup session", "starts": "14:00"},
        "remove-session": {},
        "add-broadcaster": {"name": "NOS", "country": "NED"},
        "remove-broadcaster": {},
        "appoint": {"username": "fred", "role": "referee"},
        "enter": {
            "skater": [
                s.pk for s in models.Skater.objects.filter(gender="women", member__code="USA")[:2]
            ]
        },
        "withdraw": {"reason": "injury"},
        "plan": {"table": ""},
        "draw": {"seed": "5"},
        "schedule": {
            f"session-{place['scheduled_race_id']}": place["session_id"],
            f"at-{place['scheduled_race_id']}": "10:30",
        },
        "start": {},
        "finish": finish,
        "review": {},
        "decide": {"helmet": first, "decision": "PEN", "infringement": "impeding"},
        "official": {},
        "rerun": {"reason": "a fall caused by broken ice"},
        "correct": finish | {"reason": "photo finish"},
        "laps": typed_grid(models.Race.objects.get(pk=place["race_id"])),
    }


# (URL name, its arguments, the roles that may post to it)
FORMS = [
    ("add-session", ("competition_id",), (ORGANISER,)),
    ("remove-session", ("competition_id", "session_id"), (ORGANISER,)),
    ("add-broadcaster", ("competition_id",), (ORGANISER,)),
    ("remove-broadcaster", ("competition_id", "broadcaster_id"), (ORGANISER,)),
    ("appoint", ("competition_id",), (ORGANISER,)),
    ("enter", ("distance_race_id",), (ORGANISER,)),
    ("withdraw", ("distance_race_id", "entry_id"), (ORGANISER,)),
    ("plan", ("distance_race_id",), (ORGANISER,)),
    ("draw", ("distance_race_id",), (ORGANISER,)),
    ("schedule", ("distance_race_id",), (ORGANISER,)),
    ("start", ("race_id",), (OFFICER, REFEREE)),
    ("finish", ("race_id",), (OFFICER,)),
    ("review", ("race_id",), (REFEREE,)),
    ("decide", ("race_id",), (REFEREE,)),
    ("official", ("race_id",), (REFEREE,)),
    ("rerun", ("race_id",), (REFEREE,)),
    ("correct", ("race_id",), (REFEREE,)),
    ("laps", ("race_id",), (OFFICER,)),
]


def url(name: str, args: tuple[str, ...], place) -> str:
    return reverse(f"officials:{name}", kwargs={arg: place[arg] for arg in args})


@pytest.mark.parametrize("name, args, roles", PAGES, ids=[p[0] for p in PAGES])
def test_nobody_signed_in_is_sent_to_sign_in(client_of, place, name, args, roles):
    page = url(name, args, place)

    response = client_of().get(page)

    assert response.status_code == 302
    assert response["Location"] == f"/officials/login/?next={page}"


@pytest.mark.parametrize("name, args, roles", FORMS, ids=[f[0] for f in FORMS])
def test_a_post_without_signing_in_changes_nothing(client_of, place, name, args, roles):
    before = snapshot()

    response = client_of().post(url(name, args, place), post_data(place)[name])

    assert response.status_code == 302
    assert response["Location"].startswith("/officials/login/?next=")
    assert snapshot() == before


@pytest.mark.parametrize("name, args, roles", PAGES, ids=[p[0] for p in PAGES])
def test_pages_open_to_their_roles_only(client_of, users, dresden, place, name, args, roles):
    page = url(name, args, place)
    for who in EVERYONE:
        expected = 200 if who in roles else 403
        assert client_of(users[who]).get(page).status_code == expected, who
    for outsider in ("fan", "doris", "dieter", "dana"):
        assert client_of(users[outsider]).get(page).status_code == 403, outsider


@pytest.mark.parametrize("name, args, roles", FORMS, ids=[f[0] for f in FORMS])
def test_a_post_by_the_wrong_role_changes_nothing(
    client_of, users, dresden, place, name, args, roles
):
    """Officials of Montreal without the role, Dresden's officials of every role (their
    competition is another), and a fan signed in."""
    outsiders = [who for who in EVERYONE if who not in roles] + ["fan", "doris", "dieter", "dana"]
    data = post_data(place)[name]
    before = snapshot()
    for who in outsiders:
        response = client_of(users[who]).post(url(name, args, place), data)

        assert response.status_code == 403, who
        assert snapshot() == before, who


@pytest.mark.parametrize("name, args, roles", FORMS, ids=[f[0] for f in FORMS])
def test_the_same_post_by_the_right_role_is_taken(
    client_of, users, skaters, montreal, place, name, args, roles
):
    """The posts the tests above refuse are good ones: from the right official they act."""
    data = post_data(place)[name]
    if name == "start":
        place = place | {"race_id": place["scheduled_race_id"]}
    if name in ("enter", "plan", "draw"):  # the 500m is drawn: its entries are closed
        w1000 = distance_race(montreal, "W1000")
        if name != "enter":
            enter_field(users, w1000, skaters, 8)
        place = place | {"distance_race_id": w1000.pk}
    if name == "correct":
        race = models.Race.objects.get(pk=place["race_id"])
        make_official(users["referee"], race, based_on=version(race))
        last = len(place["helmets"]) - 1
        data = data | {"place-0": last + 1, f"place-{last}": 1}
    before = snapshot()

    response = client_of(users[roles[0]]).post(url(name, args, place), data)

    assert response.status_code == 302
    assert not response["Location"].startswith("/officials/login/")
    assert snapshot() != before or name == "plan"  # planning again the same plan


def test_the_refusal_says_which_role_it_takes(client_of, users, dresden, place):
    response = client_of(users["dieter"]).post(url("official", ("race_id",), place))

    assert response.status_code == 403
    text = response.content.decode()
    assert (
        "only a referee of ISU Short Track World Tour 1, Montreal may make results official" in text
    )
    assert "dieter holds no role at this competition" in text


def test_a_post_without_the_csrf_token_is_refused(client_of, users, place):
    before = snapshot()

    response = client_of(users["referee"], csrf=True).post(url("official", ("race_id",), place))

    assert response.status_code == 403
    assert snapshot() == before


def test_the_home_page_lists_only_the_users_own_competitions(client_of, users, montreal, dresden):
    text = client_of(users["dieter"]).get("/officials/").content.decode()

    assert "World Tour 2, Dresden" in text
    assert "results officer" in text
    assert "Montreal" not in text


def test_an_organiser_cannot_reach_another_competitions_rows_through_their_own(
    client_of, users, dresden, place
):
    """Dresden's organiser names a Montreal session, broadcaster and entry under Dresden's
    own URLs: not found, nothing changed."""
    doris = client_of(users["doris"])
    dresden_500 = dresden.distance_races.get()
    before = snapshot()

    for path in (
        f"/officials/competitions/{dresden.pk}/sessions/{place['session_id']}/remove/",
        f"/officials/competitions/{dresden.pk}/broadcasters/{place['broadcaster_id']}/remove/",
        f"/officials/distances/{dresden_500.pk}/entries/{place['entry_id']}/withdraw/",
    ):
        assert doris.post(path, {"reason": "injury"}).status_code == 404, path
    assert snapshot() == before


def test_nobody_signed_in_cannot_tell_which_races_exist(client_of):
    assert client_of().get("/officials/races/999999/")["Location"].startswith("/officials/login/")
