"""After a save (a finish, laps, a decision, official) the race page offers the next race
by the schedule, focused, one key away (accesskey n); a link, never a control that would
submit again. Starting a race is not a save: the cursor stays for the finish."""

from __future__ import annotations

import html
import re

import pytest

from tests.officials.conftest import helmets

pytestmark = pytest.mark.django_db

NEXT = re.compile(
    r'<a href="([^"]+)" id="next-race" accesskey="n" data-focus-after-save autofocus>([^<]+)</a>'
)


def after(response, client) -> str:
    """The page a save sends the browser to."""
    assert response.status_code == 302, response.status_code
    return html.unescape(client.get(response["Location"]).content.decode())


def test_after_a_decision_and_after_official_the_next_race_is_focused(finished, client_of, users):
    referee = client_of(users["referee"])
    second_semifinal = finished.round.races.get(number=2)

    decided = after(
        referee.post(
            f"/officials/races/{finished.pk}/decide/",
            {"helmet": helmets(finished)[0], "decision": "YC", "infringement": "impeding"},
        ),
        referee,
    )
    link, text = NEXT.search(decided).groups()
    assert text == "Next race: Women's 500m Semifinal 2"
    assert link == f"/officials/races/{second_semifinal.pk}/?from=next"

    official = after(referee.post(f"/officials/races/{finished.pk}/official/"), referee)
    assert NEXT.search(official)[2] == "Next race: Women's 500m Semifinal 2"
    # Nothing else on the page takes the focus from it.
    assert official.count("autofocus") == 1


def test_starting_a_race_is_not_a_save(semifinal, client_of, users):
    officer = client_of(users["officer"])

    page = html.unescape(
        officer.get(
            officer.post(f"/officials/races/{semifinal.pk}/start/")["Location"]
        ).content.decode()
    )

    assert not NEXT.search(page)
    assert re.search(r'id="order"[^>]*autofocus', page)


def test_the_next_race_starts_with_one_key_but_never_from_a_stray_enter(
    semifinal, client_of, users
):
    officer = client_of(users["officer"])
    page = html.unescape(
        officer.get(f"/officials/races/{semifinal.pk}/?from=next").content.decode()
    )
    # Reached by "Next race": nothing has the focus, so a second Enter starts nothing...
    assert "autofocus" not in page
    # ...and accesskey s starts it, as n went to it.
    assert re.search(r'<button type="submit" accesskey="s" *>Start race</button>', page)
