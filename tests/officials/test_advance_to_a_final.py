"""The referee's ADA and ADB on a race page: offered beside ADV where the race's round sends
skaters to Final A and Final B (a semifinal), not elsewhere; given, the sheet prints it and
the final's start list takes the skater."""

from __future__ import annotations

import html

import pytest

from shorttrack.services.draws import draw_first_round
from shorttrack.services.race_results import enter_results, finish_order, start_race
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.officials.conftest import helmets
from tests.services.montreal import distance_race, enter_field, race_it, races_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def referee(client_of, users):
    return client_of(users["referee"])


def page_of(client, race) -> str:
    return html.unescape(client.get(f"/officials/races/{race.pk}/").content.decode())


def test_a_semifinal_offers_ada_and_adb_beside_adv(finished, referee):
    text = page_of(referee, finished)

    assert '<option value="ADV">ADV: advanced by the referee</option>' in text
    assert '<option value="ADA">ADA: advanced by the referee to Final A</option>' in text
    assert '<option value="ADB">ADB: advanced by the referee to Final B</option>' in text


def test_a_heat_offers_adv_only(montreal, users, skaters, referee):
    m1000 = distance_race(montreal, "M1000")
    enter_field(users, m1000, skaters, 35)  # heats, then the quarterfinals
    draw_first_round(users["organiser"], m1000, seed=1017)
    heat = races_of(m1000, "heats")[0]
    start_race(users["officer"], heat, based_on=version(heat))
    enter_results(users["officer"], heat, finish_order(helmets(heat)), based_on=version(heat))

    text = page_of(referee, heat)

    assert '<option value="ADV">' in text
    assert 'value="ADA"' not in text and 'value="ADB"' not in text


def test_adb_from_the_form_sends_the_skater_to_final_b(w500, users, referee):
    first, second = races_of(w500, "semifinals")
    a, b, c, d = helmets(first)
    start_race(users["officer"], first, based_on=version(first))
    enter_results(
        users["officer"], first, finish_order([a, b, d], dnf=[c]), based_on=version(first)
    )

    response = referee.post(
        f"/officials/races/{first.pk}/decide/",
        {"helmet": c, "decision": "ADB", "infringement": "brought down"},
    )

    assert response.status_code == 302
    lines = first.results.order_by("-number").first().lines
    assert (lines.get(helmet=c).status, lines.get(helmet=c).mark) == ("DNF", "ADB")
    assert f"referee: ADB helmet {c} (brought down) recorded" in page_of(referee, first)
    assert referee.post(f"/officials/races/{first.pk}/official/").status_code == 302
    race_it(users, second)
    final_b = races_of(w500, "final_b")[0]
    assert final_b.start_list.get(helmet=c).qualified_by == "ADB"
    assert not models.StartListLine.objects.filter(race__round__kind="final_a", helmet=c).exists()
