"""Two officials on one race, a stray Enter, the Back button: the console never silently
replaces newer data and never loses a time. Each form carries the race's version in a
hidden ``based_on``; a form opened before someone else's write lands in the conflict
(409), which names who changed what and when and shows the race as it is now, its
forms pre-filled to start again. A save that takes away a time or a place waits for a
tick and a reason; a finish that lost its times is flagged before "Make official"."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model

from shorttrack.services.officials import REFEREE, RESULTS_OFFICER, appoint
from shorttrack.services.race_results import make_official, start_race
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.officials.conftest import helmets, snapshot

pytestmark = pytest.mark.django_db

TIMES = ["43.512", "43.620", "44.001", "44.950"]


@pytest.fixture
def started(semifinal, users) -> models.Race:
    start_race(users["officer"], semifinal, based_on=version(semifinal))
    return semifinal


@pytest.fixture
def second(montreal, users) -> dict:
    """A second results officer and a second referee at Montreal."""
    User = get_user_model()
    people = {
        "officer": User.objects.create_user("olga"),
        "referee": User.objects.create_user("rui"),
    }
    appoint(users["admin"], montreal, people["officer"], RESULTS_OFFICER)
    appoint(users["admin"], montreal, people["referee"], REFEREE)
    return people


def url(race, what: str = "") -> str:
    return f"/officials/races/{race.pk}/" + (f"{what}/" if what else "")


def based_on(page) -> str:
    """The version the page's forms carry (the same in each form of a page)."""
    found = set(re.findall(r'name="based_on" value="(-?\d+)"', page.content.decode()))
    assert len(found) == 1, found
    return found.pop()


def typed(page) -> dict:
    """What the times form posts as it is shown (its hidden and pre-filled fields)."""
    text = page.content.decode()
    form = re.search(r'<form method="post"[^>]*id="finish-lines".*?</form>', text, re.S)[0]
    data = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([\w-]+)" value="([^"]*)"', form)
    }
    data.pop("csrfmiddlewaretoken", None)
    return data


def times(race) -> list[tuple]:
    result = race.results.order_by("-number").first()
    return [(line.place, line.helmet, line.time) for line in result.lines.order_by("place", "id")]


def text(page) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode())))


def test_two_results_officers_post_a_finish_from_forms_opened_at_once(
    started, users, second, client_of
):
    a, b, c, d = helmets(started)
    oscar, olga = client_of(users["officer"]), client_of(second["officer"])
    forms = [
        who.get(
            url(started, "finish"), {"order": order, "based_on": based_on(who.get(url(started)))}
        )
        for who, order in ((oscar, f"{a} {b} {c} {d}"), (olga, f"{d} {c} {b} {a}"))
    ]
    first, late = (typed(form) for form in forms)
    first |= {f"time-{i}": t for i, t in enumerate(TIMES)}

    assert oscar.post(url(started, "finish"), first).status_code == 302
    before = snapshot()
    conflict = olga.post(url(started, "finish"), late)

    assert conflict.status_code == 409
    assert snapshot() == before  # olga's finish is not saved, oscar's stands
    assert times(started) == [
        (1, a, TIMES[0]),
        (2, b, TIMES[1]),
        (3, c, TIMES[2]),
        (4, d, TIMES[3]),
    ]
    shown = text(conflict)
    assert "Not saved: Women's 500m Semifinal 1 changed since your form was opened" in shown
    assert re.search(r"finish entered by the results officer by oscar at \d\d:\d\d:\d\d", shown)
    # The form shown is the current finish, pre-filled, based on the current version.
    again = typed(conflict)
    assert [again[f"time-{i}"] for i in range(4)] == TIMES
    assert based_on(conflict) == str(models.RaceEvent.objects.filter(race=started).latest("id").pk)
    assert olga.post(url(started, "finish"), again | {"time-3": "44.900"}).status_code == 302
    assert times(started)[3] == (4, d, "44.900")


def test_two_referees_correct_the_same_official_race(started, users, second, client_of):
    a, b, c, d = helmets(started)
    client_of(users["officer"]).post(
        url(started, "finish"),
        typed(
            client_of(users["officer"]).get(url(started, "finish"), {"order": f"{a} {b} {c} {d}"})
        )
        | {f"time-{i}": t for i, t in enumerate(TIMES)},
    )
    make_official(users["referee"], started, based_on=version(started))
    rita, rui = client_of(users["referee"]), client_of(second["referee"])
    swap = typed(rita.get(url(started, "correct"))) | {"place-0": "2", "place-1": "1"}
    swap |= {"time-0": TIMES[1], "time-1": TIMES[0], "reason": "photo finish"}
    other = typed(rui.get(url(started, "correct"))) | {"time-3": "44.990", "reason": "typing"}

    assert rita.post(url(started, "correct"), swap).status_code == 302
    before = snapshot()
    conflict = rui.post(url(started, "correct"), other)

    assert conflict.status_code == 409
    assert snapshot() == before
    assert times(started)[:2] == [(1, b, TIMES[0]), (2, a, TIMES[1])]  # the swap stands
    assert "photo finish by rita at" in text(conflict)
    assert "Correct the official finish" in text(conflict)  # pre-filled with the swap


def test_a_form_that_does_not_say_its_version_is_a_conflict(started, users, client_of):
    before = snapshot()
    response = client_of(users["referee"]).post(
        url(started, "rerun"), {"reason": "fall", "based_on": ""}
    )

    assert response.status_code == 409
    assert snapshot() == before


def test_after_a_save_the_cursor_is_on_next_race_and_stray_enters_lose_no_time(
    started, users, client_of
):
    a, b, c, d = helmets(started)
    oscar = client_of(users["officer"])
    form = typed(oscar.get(url(started, "finish"), {"order": f"{a} {b} {c} {d}"}))
    saved = oscar.post(url(started, "finish"), form | {f"time-{i}": t for i, t in enumerate(TIMES)})
    assert saved["Location"] == url(started) + "?saved=1"

    page = oscar.get(saved["Location"]).content.decode()
    autofocus = re.findall(r"<(\w+)[^>]*\bautofocus\b[^>]*>", page)
    assert autofocus == ["a"]  # the "Next race" link, no field of a form
    link = re.search(r'<a href="(/officials/races/\d+/\?from=next)" id="next-race"[^>]*>Next', page)
    # Followed by a second stray Enter, the next race's page has no button in focus.
    following = oscar.get(html.unescape(link[1])).content.decode()
    assert "autofocus" not in following

    # The stray Enters: the order sent again keeps the times, saving changes nothing lost.
    again = typed(oscar.get(url(started, "finish"), {"order": f"{a} {b} {c} {d}"}))
    assert [again[f"time-{i}"] for i in range(4)] == TIMES


def test_a_save_that_removes_times_needs_a_tick_and_a_reason(started, users, client_of):
    a, b, c, d = helmets(started)
    oscar = client_of(users["officer"])
    form = typed(oscar.get(url(started, "finish"), {"order": f"{a} {b} {c} {d}"}))
    oscar.post(url(started, "finish"), form | {f"time-{i}": t for i, t in enumerate(TIMES)})
    blank = typed(oscar.get(url(started, "finish"), {"order": f"{a} {b} {c} {d}"}))
    blank |= {f"time-{i}": "" for i in range(4)}

    before = snapshot()
    held = oscar.post(url(started, "finish"), blank)
    assert held.status_code == 422
    assert snapshot() == before
    shown = text(held)
    assert f"helmet {a}: time {TIMES[0]} removed" in shown
    assert "tick that it is on purpose and give a reason" in shown
    assert oscar.post(url(started, "finish"), blank | {"confirm_removal": "yes"}).status_code == 422
    assert snapshot() == before

    done = oscar.post(
        url(started, "finish"), blank | {"confirm_removal": "yes", "reason": "clock failed"}
    )
    assert done.status_code == 302
    assert [t for _, _, t in times(started)] == ["", "", "", ""]
    # Flagged to the results officer, and to the referee before "Make official".
    assert "4 of 4 finishers have no time" in text(oscar.get(done["Location"]))
    referee = client_of(users["referee"]).get(url(started)).content.decode()
    flag = re.search(r'id="official-flag">([^<]*)<', referee)[1]
    assert flag == (
        "Before making it official: 4 of 4 finishers have no time; "
        "fewer times than revision 1 (4, now 0)."
    )


def test_a_stale_started_form_from_the_back_button_lands_in_the_conflict(started, users, client_of):
    a, b, c, d = helmets(started)
    oscar = client_of(users["officer"])
    stale = typed(oscar.get(url(started, "finish"), {"order": f"{a} {b} {c} {d}"}))
    oscar.post(url(started, "finish"), stale | {f"time-{i}": t for i, t in enumerate(TIMES)})
    make_official(users["referee"], started, based_on=version(started))

    # Back: the form as it was when the race was started, one time typed.
    before = snapshot()
    response = oscar.post(url(started, "finish"), stale | {"time-0": TIMES[0]})

    assert response.status_code == 409
    assert snapshot() == before
    assert [t for _, _, t in times(started)] == TIMES


def test_a_stale_started_form_before_official_lands_in_the_conflict(started, users, client_of):
    a, b, c, d = helmets(started)
    oscar = client_of(users["officer"])
    stale = typed(oscar.get(url(started, "finish"), {"order": f"{a} {b} {c} {d}"}))
    oscar.post(url(started, "finish"), stale | {f"time-{i}": t for i, t in enumerate(TIMES)})

    before = snapshot()
    response = oscar.post(url(started, "finish"), stale | {"time-0": TIMES[0]})

    assert response.status_code == 409
    assert snapshot() == before
    assert [t for _, _, t in times(started)] == TIMES
    assert "finish entered by the results officer by oscar" in text(response)
