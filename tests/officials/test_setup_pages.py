"""The organiser's set-up pages: sessions, broadcasters and officials, with the service's
reasons shown beside the fields when something is refused."""

from __future__ import annotations

import html

import pytest

from shorttrack.store import models
from tests.officials.conftest import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client_of, users):
    return client_of(users["organiser"])


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_organiser_adds_a_session_by_day_at_the_venues_clock(organiser, montreal):
    response = organiser.post(
        f"/officials/competitions/{montreal.pk}/sessions/",
        {"day": 3, "name": "World Cup session", "starts": "14:00", "ends": "17:30"},
    )

    assert response.status_code == 302
    session = models.Session.objects.get()
    assert (session.day, session.name) == (3, "World Cup session")
    page = text(organiser.get(response["Location"]))
    assert "World Cup session added on day 3." in page
    assert "Day 3 · Sunday 19 Oct" in page
    assert "14:00" in page and "17:30" in page


def test_a_session_refused_shows_why_beside_each_field(organiser, montreal):
    before = snapshot()

    response = organiser.post(
        f"/officials/competitions/{montreal.pk}/sessions/",
        {"day": 5, "name": "Finals", "starts": "18:00", "ends": "17:00"},
    )

    assert response.status_code == 422
    page = text(response)
    assert "Day: day 5 is not a day of ISU Short Track World Tour 1, Montreal" in page
    assert "Ends (venue time): the session ends at 17:00, not after it starts (18:00)" in page
    assert snapshot() == before


def test_a_time_that_is_not_a_time_of_day_is_refused_by_the_form(organiser, montreal):
    response = organiser.post(
        f"/officials/competitions/{montreal.pk}/sessions/",
        {"day": 1, "name": "Qualifying", "starts": "half past ten"},
    )

    assert response.status_code == 422
    assert "Starts (venue time): Enter a valid time." in text(response)
    assert not models.Session.objects.exists()


def test_broadcasters_are_added_and_removed(organiser, montreal):
    url = f"/officials/competitions/{montreal.pk}/broadcasters/"
    organiser.post(url, {"name": "CBC Sports", "country": "CAN", "url": "https://www.cbc.ca"})
    organiser.post(url, {"name": "ISU Skating Channel", "live_stream": "on", "covers": "heats"})

    page = text(organiser.get(f"/officials/competitions/{montreal.pk}/setup/"))
    assert "CBC Sports" in page and "ISU Skating Channel" in page and "live stream" in page

    refused = organiser.post(url, {"name": "TVA", "country": "qc"})
    assert refused.status_code == 422
    assert "Country: 'QC' is not a country code: three letters, as KOR" in text(refused)

    cbc = models.Broadcaster.objects.get(name="CBC Sports")
    organiser.post(f"/officials/competitions/{montreal.pk}/broadcasters/{cbc.pk}/remove/")
    assert list(models.Broadcaster.objects.values_list("name", flat=True)) == [
        "ISU Skating Channel"
    ]


def test_the_organiser_appoints_an_official(organiser, montreal, users):
    response = organiser.post(
        f"/officials/competitions/{montreal.pk}/officials/",
        {"username": "fred", "role": "results_officer"},
    )

    assert response.status_code == 302
    appointment = models.CompetitionOfficial.objects.get(user=users["fan"])
    assert (appointment.role, appointment.appointed_by) == ("results_officer", users["organiser"])

    unknown = organiser.post(
        f"/officials/competitions/{montreal.pk}/officials/",
        {"username": "nobody", "role": "referee"},
    )
    assert unknown.status_code == 422
    assert "User name: no account 'nobody'" in text(unknown)
    twice = organiser.post(
        f"/officials/competitions/{montreal.pk}/officials/",
        {"username": "rita", "role": "referee"},
    )
    assert "Role: rita is already referee of ISU Short Track World Tour 1, Montreal" in text(twice)


def test_the_set_up_lists_the_distances_with_their_entries(organiser, montreal, w500):
    page = text(organiser.get(f"/officials/competitions/{montreal.pk}/setup/"))

    assert "Women's 500m" in page and "Men's 5000m relay" in page
    row = page[page.index("Women's 500m</a>") :]
    assert '<td class="num">8</td>' in row[:200]
    assert "drawn" in row[:300]


def test_a_session_removed_from_a_page_older_than_its_races_lands_in_the_conflict(
    organiser, montreal, users, w500
):
    """The set-up page shows Qualifying empty; meanwhile a semifinal is put into it. A
    "Remove" from that page would unschedule a race it never showed: refused, 409."""
    import re
    from datetime import time

    from shorttrack.services.setup import RaceSlot, add_session, schedule_races
    from tests.services.montreal import races_of

    qualifying = add_session(
        users["organiser"], montreal, day=2, name="Qualifying", starts=time(10), ends=time(12)
    )
    url = f"/officials/competitions/{montreal.pk}/setup/"
    page = organiser.get(url).content.decode()
    stale = re.search(r'name="based_on" value="([^"]+)"', page)[1]
    semifinal = races_of(w500, "semifinals")[0]
    schedule_races(users["organiser"], montreal, [RaceSlot(semifinal, qualifying, time(10, 30))])

    removal = f"/officials/competitions/{montreal.pk}/sessions/{qualifying.pk}/remove/"
    refused = organiser.post(removal, {"based_on": stale})

    assert refused.status_code == 409
    assert "Qualifying on day 2 changed since this page was opened: it holds 1 race now" in text(
        refused
    )
    assert models.Session.objects.filter(pk=qualifying.pk).exists()
    fresh = re.search(r'name="based_on" value="([^"]+)"', refused.content.decode())[1]
    assert organiser.post(removal, {"based_on": fresh}).status_code == 302
    assert not models.Session.objects.filter(pk=qualifying.pk).exists()
