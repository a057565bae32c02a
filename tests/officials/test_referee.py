"""The referee's buttons and forms on a race page: decisions (PEN with the infringement,
YC, RC, ADV), under review, official, a correction after official with its reason, a
rerun; each refused with its reason beside the field when it cannot be, nothing changed."""

from __future__ import annotations

import html
import re

import pytest

from shorttrack.services.race_results import make_official
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.officials.conftest import helmets, snapshot
from tests.services.montreal import race_it, races_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def referee(client_of, users):
    return client_of(users["referee"])


def page_of(client, race) -> str:
    return html.unescape(client.get(f"/officials/races/{race.pk}/").content.decode())


def latest(race) -> list[tuple]:
    result = race.results.order_by("-number").first()
    return [
        (line.place, line.helmet, line.status, line.mark, line.warnings)
        for line in result.lines.order_by("id")
    ]


def test_the_referees_buttons_follow_the_status_of_the_race(finished, referee, client_of, users):
    text = page_of(referee, finished)
    assert "Take under review" in text
    assert "Record decision" in text
    assert "Make official" in text
    assert "Order a rerun" in text
    assert "Start race" not in text
    # The results officer sees none of the referee's buttons on the same race.
    officer = page_of(client_of(users["officer"]), finished)
    assert "Make official" not in officer and "Record decision" not in officer
    assert "Finish order" in officer


def test_a_pen_with_its_infringement_moves_the_others_up(finished, referee):
    first, second, third, fourth = helmets(finished)

    response = referee.post(
        f"/officials/races/{finished.pk}/decide/",
        {"helmet": first, "decision": "PEN", "infringement": "impeding"},
    )

    assert response.status_code == 302
    finished.refresh_from_db()
    assert finished.status == "under_review"
    assert latest(finished) == [
        (1, second, "finished", "", ""),
        (2, third, "finished", "", ""),
        (3, fourth, "finished", "", ""),
        (None, first, "PEN", "", "impeding"),
    ]
    assert f"referee: PEN helmet {first} (impeding) recorded" in page_of(referee, finished)


def test_a_pen_without_the_infringement_is_refused_beside_its_field(finished, referee):
    first = helmets(finished)[0]
    before = snapshot()

    response = referee.post(
        f"/officials/races/{finished.pk}/decide/", {"helmet": first, "decision": "PEN"}
    )

    assert response.status_code == 422
    text = html.unescape(response.content.decode())
    assert f"Infringement: PEN for helmet {first}: name the infringement" in text
    assert snapshot() == before


def test_a_decision_on_a_helmet_not_in_the_race_is_refused(finished, referee):
    first, second, third, fourth = helmets(finished)
    before = snapshot()

    response = referee.post(
        f"/officials/races/{finished.pk}/decide/",
        {"helmet": 77, "decision": "YC", "infringement": "kicking out"},
    )

    assert response.status_code == 422
    text = html.unescape(response.content.decode())
    assert (
        f"Helmet: helmet 77 is not in Women's 500m Semifinal 1 "
        f"(helmets {first}, {second}, {third}, {fourth})" in text
    )
    assert snapshot() == before


def test_yellow_and_red_cards_and_adv(finished, referee):
    first, second, third, fourth = helmets(finished)
    url = f"/officials/races/{finished.pk}/decide/"

    referee.post(url, {"helmet": second, "decision": "YC", "infringement": "kicking out"})
    referee.post(url, {"helmet": third, "decision": "RC", "infringement": "unsporting"})
    referee.post(url, {"helmet": fourth, "decision": "ADV", "infringement": "impeded by 2"})

    assert latest(finished) == [
        (1, first, "finished", "", ""),
        (2, fourth, "finished", "ADV", "impeded by 2"),
        (None, second, "YC", "", "kicking out"),
        (None, third, "RC", "", "unsporting"),
    ]


def test_review_then_official_fills_the_finals_when_the_round_is_done(
    finished, w500, referee, users
):
    other = races_of(w500, "semifinals")[1]
    race_it(users, other)

    assert referee.post(f"/officials/races/{finished.pk}/review/").status_code == 302
    finished.refresh_from_db()
    assert finished.status == "under_review"
    response = referee.post(f"/officials/races/{finished.pk}/official/")

    assert response.status_code == 302
    finished.refresh_from_db()
    assert finished.status == "official"
    text = page_of(referee, finished)
    assert "Official result" in text
    assert "Women's 500m Final A" in text
    final_a = races_of(w500, "final_a")[0]
    names = [line.skater.name for line in final_a.start_list.select_related("skater")]
    assert len(names) == 4
    next_round = text[text.index('id="next-round"') :]
    for name in names:
        assert name in next_round


def test_a_correction_after_official_needs_a_reason(finished, referee, users):
    make_official(users["referee"], finished, based_on=version(finished))
    first = helmets(finished)[0]
    before = snapshot()

    refused = referee.post(
        f"/officials/races/{finished.pk}/decide/",
        {"helmet": first, "decision": "PEN", "infringement": "off-track"},
    )

    assert refused.status_code == 422
    assert "Reason:" in html.unescape(refused.content.decode())
    assert snapshot() == before

    taken = referee.post(
        f"/officials/races/{finished.pk}/decide/",
        {
            "helmet": first,
            "decision": "PEN",
            "infringement": "off-track",
            "reason": "video review after the protest of CHN",
        },
    )

    assert taken.status_code == 302
    result = finished.results.order_by("-number").first()
    assert result.official_at is not None
    assert "video review after the protest of CHN" in result.revision.reason
    assert models.RaceEvent.objects.filter(race=finished, kind="correction").exists()


def test_the_finish_of_an_official_race_is_corrected_line_by_line(finished, referee, users):
    make_official(users["referee"], finished, based_on=version(finished))
    first, second, third, fourth = helmets(finished)

    form = html.unescape(referee.get(f"/officials/races/{finished.pk}/correct/").content.decode())
    assert "Correct the official finish" in form
    assert re.findall(r'name="time-\d" value="([\d.]*)"', form) == [
        "43.101",
        "43.202",
        "43.303",
        "43.404",
    ]

    data = {"order": "", "reason": "photo finish: 2 and 3 the other way round"}
    for index, (helmet, place, time) in enumerate(
        [(first, 1, "43.101"), (third, 2, "43.202"), (second, 3, "43.303"), (fourth, 4, "43.404")]
    ):
        data |= {
            f"helmet-{index}": helmet,
            f"place-{index}": place,
            f"time-{index}": time,
            f"mark-{index}": "",
        }
    response = referee.post(f"/officials/races/{finished.pk}/correct/", data)

    assert response.status_code == 302
    assert [line[1] for line in latest(finished)] == [first, third, second, fourth]
    assert finished.results.order_by("-number").first().official_at is not None


def test_a_correction_that_changes_nothing_is_refused(finished, referee, users):
    make_official(users["referee"], finished, based_on=version(finished))
    first = helmets(finished)[0]
    before = snapshot()

    response = referee.post(
        f"/officials/races/{finished.pk}/decide/",
        {"helmet": first, "decision": "CLEAR", "reason": "checking the winner"},
    )

    assert response.status_code == 422
    assert "the correction changes nothing in the official Women's 500m Semifinal 1" in (
        html.unescape(response.content.decode())
    )
    assert snapshot() == before


def test_a_rerun_needs_its_reason_and_sets_the_finish_aside(finished, referee):
    before = snapshot()
    refused = referee.post(f"/officials/races/{finished.pk}/rerun/", {"reason": " "})
    assert refused.status_code == 422
    assert snapshot() == before

    response = referee.post(
        f"/officials/races/{finished.pk}/rerun/", {"reason": "a fall caused by a broken block"}
    )

    assert response.status_code == 302
    finished.refresh_from_db()
    assert finished.status == "scheduled"
    assert latest(finished) == []
    assert "a fall caused by a broken block" in page_of(referee, finished)


def test_making_official_twice_says_why_not(finished, referee, users):
    make_official(users["referee"], finished, based_on=version(finished))
    before = snapshot()

    response = referee.post(f"/officials/races/{finished.pk}/official/")

    assert response.status_code == 422
    assert "race is official: a change needs a correction with a reason" in (
        html.unescape(response.content.decode())
    )
    assert snapshot() == before
