"""The results officer types a finish with the keyboard: helmets in finish order, Enter,
then a time and perhaps a mark per line, Enter. Every mistake is shown beside the line
and field it is about, and nothing is saved until the whole finish is right."""

from __future__ import annotations

import html
import re

import pytest

from shorttrack.officials.finish import from_result, read_order
from shorttrack.services.race_results import start_race
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.officials.conftest import helmets, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(semifinal, users) -> models.Race:
    start_race(users["officer"], semifinal, based_on=version(semifinal))
    return semifinal


@pytest.fixture
def officer(client_of, users):
    return client_of(users["officer"])


def finish_url(race) -> str:
    return f"/officials/races/{race.pk}/finish/"


def lines_posted(order: list[int], places=None, times=(), marks=None) -> dict:
    """What the form posts: one line per helmet in the order shown."""
    data = {"order": " ".join(str(h) for h in order)}
    for index, helmet in enumerate(order):
        data |= {
            f"helmet-{index}": helmet,
            f"place-{index}": "" if places is None else places[index],
            f"time-{index}": times[index] if index < len(times) else "",
            f"mark-{index}": (marks or {}).get(helmet, ""),
        }
    return data


def sheet(race) -> list[tuple]:
    result = race.results.order_by("-number").first()
    return [
        (line.place, line.helmet, line.time, line.status, line.dead_heat)
        for line in result.lines.order_by("id")
    ]


def errors(response) -> list[str]:
    """The error texts on the page, in page order."""
    text = response.content.decode()
    return [
        html.unescape(re.sub(r"\s+", " ", e).strip())
        for e in re.findall(
            r'(?:class="error"[^>]*>|<li>)([^<]*(?:Finish order|Place|Time|Mark|Places|Lines)[^<]*)<',
            text,
        )
        if e.strip()
    ]


def test_the_order_typed_gives_the_lines_in_that_order_with_their_places(started, officer):
    first, second, third, fourth = helmets(started)

    response = officer.get(finish_url(started), {"order": f"{third} {first} {fourth} {second}"})

    assert response.status_code == 200
    text = response.content.decode()
    typed = re.findall(r'name="helmet-(\d)" value="(\d+)"', text)
    assert [int(h) for _, h in typed] == [third, first, fourth, second]
    places = re.findall(r'name="place-\d" value="(\d*)"', text)
    assert places == ["1", "2", "3", "4"]
    # The cursor waits in the first time.
    assert re.search(r'name="time-0"[^>]*autofocus', text)


def test_enter_saves_the_finish_with_its_times(started, officer):
    first, second, third, fourth = helmets(started)
    order = [third, first, fourth, second]

    response = officer.post(
        finish_url(started),
        lines_posted(order, [1, 2, 3, 4], ["43.512", "43.620", "44.001", "44.950"]),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/officials/races/{started.pk}/?saved=1"
    started.refresh_from_db()
    assert started.status == "unofficial"
    assert sheet(started) == [
        (1, third, "43.512", "finished", False),
        (2, first, "43.620", "finished", False),
        (3, fourth, "44.001", "finished", False),
        (4, second, "44.950", "finished", False),
    ]
    page = officer.get(response["Location"]).content.decode()
    assert "Finish of Women&#x27;s 500m Semifinal 1 entered: unofficial." in page
    assert "Unofficial result" in page


def test_a_dead_heat_is_typed_with_an_equals_sign(started, officer):
    first, second, third, fourth = helmets(started)

    form = officer.get(finish_url(started), {"order": f"{first} {second}={third} {fourth}"})
    text = form.content.decode()
    assert re.findall(r'name="place-\d" value="(\d*)"', text) == ["1", "2", "2", "4"]
    assert re.findall(r'name="mark-\d" value="(\w*)"', text) == ["", "DH", "DH", ""]

    response = officer.post(
        finish_url(started),
        lines_posted(
            [first, second, third, fourth],
            [1, 2, 2, 4],
            ["43.512", "43.620", "43.620", "44.001"],
            {second: "DH", third: "dh"},
        ),
    )

    assert response.status_code == 302
    assert sheet(started) == [
        (1, first, "43.512", "finished", False),
        (2, second, "43.620", "finished", True),
        (2, third, "43.620", "finished", True),
        (4, fourth, "44.001", "finished", False),
    ]


def test_starters_not_typed_follow_and_take_dnf_or_dns(started, officer):
    first, second, third, fourth = helmets(started)

    form = officer.get(finish_url(started), {"order": f"{second} {first}"})
    text = form.content.decode()
    assert [int(h) for h in re.findall(r'name="helmet-\d" value="(\d+)"', text)][:2] == [
        second,
        first,
    ]
    assert re.findall(r'name="place-\d" value="(\d*)"', text) == ["1", "2", "", ""]

    rest = [int(h) for h in re.findall(r'name="helmet-\d" value="(\d+)"', text)][2:]
    response = officer.post(
        finish_url(started),
        lines_posted(
            [second, first, *rest],
            [1, 2, "", ""],
            ["43.5", "43.6"],
            {rest[0]: "DNF", rest[1]: "dns"},
        ),
    )

    assert response.status_code == 302
    assert sheet(started) == [
        (1, second, "43.500", "finished", False),
        (2, first, "43.600", "finished", False),
        (None, rest[0], "", "DNF", False),
        (None, rest[1], "", "DNS", False),
    ]


def test_a_helmet_not_in_the_race_is_refused_beside_the_finish_order(started, officer):
    first, second, third, fourth = helmets(started)
    before = snapshot()

    response = officer.get(finish_url(started), {"order": f"{first} 99 {second}"})

    assert response.status_code == 422
    assert errors(response) == [
        f"Finish order: helmet 99 does not start in Women's 500m Semifinal 1 "
        f"(helmets {first}, {second}, {third}, {fourth})"
    ]
    assert 'aria-invalid="true"' in response.content.decode()
    assert snapshot() == before


def test_a_helmet_typed_twice_is_refused(started, officer):
    first, second, third, fourth = helmets(started)

    response = officer.get(finish_url(started), {"order": f"{first} {second} {first} x"})

    assert errors(response) == [
        f"Finish order: helmet {first} is typed twice (places 1 and 3)",
        "Finish order: 'x' is not a helmet number",
    ]


def test_the_same_place_twice_is_refused_on_both_lines_and_nothing_is_saved(started, officer):
    first, second, third, fourth = helmets(started)
    before = snapshot()

    response = officer.post(
        finish_url(started),
        lines_posted(
            [first, second, third, fourth], [1, 2, 2, 4], ["43.5", "43.6", "43.7", "43.8"]
        ),
    )

    assert response.status_code == 422
    reason = (
        f"Place: place 2 is given to helmets {second} and {third}: "
        "mark them as a dead heat, or correct one"
    )
    assert errors(response) == [reason, reason]
    text = response.content.decode()
    assert re.search(r'name="place-1"[^>]*aria-invalid="true"[^>]*autofocus', text)
    assert snapshot() == before
    started.refresh_from_db()
    assert started.status == "started"


def test_a_time_out_of_order_with_the_places_is_refused(started, officer):
    first, second, third, fourth = helmets(started)
    before = snapshot()

    response = officer.post(
        finish_url(started),
        lines_posted(
            [first, second, third, fourth], [1, 2, 3, 4], ["43.512", "43.620", "43.401", "44.0"]
        ),
    )

    assert response.status_code == 422
    assert errors(response) == [
        f"Time: helmet {third}, placed 3, has 43.401: faster than helmet {second}, placed 2, "
        "in 43.620; correct the place or the time (a penalised skater is marked PEN by the referee)"
    ]
    assert re.search(r'name="time-2"[^>]*aria-invalid="true"', response.content.decode())
    assert snapshot() == before


def test_each_line_is_checked_and_every_mistake_shown_at_once(started, officer):
    first, second, third, fourth = helmets(started)
    before = snapshot()

    response = officer.post(
        finish_url(started),
        lines_posted(
            [first, second, third, fourth],
            [1, "2nd", "", 3],
            ["43.5", "43.6", "", "44.0"],
            {first: "PEN", fourth: "DNF"},
        ),
    )

    assert response.status_code == 422
    assert errors(response) == [
        "Mark: mark 'PEN': the results officer enters DNF, DNS or DH (dead heat); "
        "PEN, YC, RC and ADV are the referee's",
        "Place: place '2nd' is not a place (1, 2, 3 ...)",
        f"Place: helmet {third} is not in the finish order: give its place, or DNF or DNS",
        f"Time: helmet {fourth} is DNF: leave the time empty",
    ]
    assert snapshot() == before


def test_a_time_that_is_not_a_time_is_named_on_its_line(started, officer):
    first, second, third, fourth = helmets(started)

    response = officer.post(
        finish_url(started),
        lines_posted([first, second, third, fourth], [1, 2, 3, 4], ["43.5", "43,6x"]),
    )

    assert response.status_code == 422
    assert errors(response) == [
        f"Time: helmet {second}: '43,6x' is not a time: "
        "expected seconds as 41.416 or minutes as 1:23.456"
    ]


def test_a_place_nobody_has_is_named_above_the_lines(started, officer):
    first, second, third, fourth = helmets(started)

    response = officer.post(
        finish_url(started), lines_posted([first, second, third, fourth], [1, 2, 4, 5])
    )

    assert response.status_code == 422
    assert errors(response) == ["Places: no finisher has place 3"]


def test_a_race_not_started_takes_no_finish(semifinal, officer):
    first, second, third, fourth = helmets(semifinal)
    before = snapshot()

    response = officer.post(
        finish_url(semifinal), lines_posted([first, second, third, fourth], [1, 2, 3, 4])
    )

    assert response.status_code == 422
    assert "the race is scheduled" in response.content.decode()
    assert snapshot() == before


def test_entering_again_before_official_starts_from_the_finish_entered(finished, officer):
    first, second, third, fourth = helmets(finished)

    page = officer.get(f"/officials/races/{finished.pk}/").content.decode()
    assert f'value="{first} {second} {third} {fourth}"' in page

    response = officer.post(
        finish_url(finished),
        lines_posted(
            [second, first, third, fourth], [1, 2, 3, 4], ["43.0", "43.1", "43.3", "43.4"]
        ),
    )

    assert response.status_code == 302
    assert finished.results.count() == 2
    assert [line[1] for line in sheet(finished)] == [second, first, third, fourth]


def test_the_form_reads_back_a_result_with_a_dead_heat_and_marks(started, users):
    from shorttrack.services.race_results import enter_results, finish_order

    first, second, third, fourth = helmets(started)
    result = enter_results(
        users["officer"],
        started,
        finish_order([(first, second), third], ["43.5", "43.5", "44.0"], dns=[fourth]),
        based_on=version(started),
    )

    form = from_result(started, result)

    assert form.order == f"{first}={second} {third}"
    assert [(r.helmet, r.place, r.time, r.mark) for r in form.rows] == [
        (first, "1", "43.500", "DH"),
        (second, "1", "43.500", "DH"),
        (third, "3", "44.000", ""),
        (fourth, "", "", "DNS"),
    ]
    assert read_order(started, form.order).rows[3].helmet == fourth


def test_a_tick_without_a_reason_comes_back_as_the_confirmation_step(finished, officer):
    """The service refuses a removal without a reason (``Removal``); the form shows it as
    the step that lists what would go, beside the tick, and saves nothing."""
    first, second, third, fourth = helmets(finished)
    form = lines_posted([first, second, third, fourth], [1, 2, 3, 4], ["43.101", "43.202"])
    form |= {"based_on": str(finished.events.order_by("-id").first().pk)}
    before = snapshot()

    ticked = officer.post(finish_url(finished), form | {"confirm_removal": "yes"})

    assert ticked.status_code == 422
    assert snapshot() == before
    text = html.unescape(ticked.content.decode())
    assert f"helmet {third}: time 43.303 removed" in text
    assert f"helmet {fourth}: time 43.404 removed" in text
    assert "tick that it is on purpose and give a reason, or put them back" in text

    saved = officer.post(
        finish_url(finished),
        form | {"confirm_removal": "yes", "reason": "the last two times were misread"},
    )
    assert saved.status_code == 302
    assert [t for _, _, t, _, _ in sheet(finished)] == ["43.101", "43.202", "", ""]
    assert finished.results.order_by("-number").first().revision.reason == (
        "the last two times were misread"
    )
