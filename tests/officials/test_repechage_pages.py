"""The console shows a distance with repechage rounds by their labels: the distance page,
a heat's page (the rounds it sends skaters to), the board, the start lists and sheets."""

from __future__ import annotations

import html

import pytest

from shorttrack.rules.progression import load_table
from shorttrack.services.draws import draw_first_round
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, race_it, races_of, skate_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def m500(montreal, users, skaters) -> models.DistanceRace:
    race = distance_race(montreal, "M500")
    enter_field(users, race, skaters, 36)
    draw_first_round(
        users["organiser"], race, seed=2019, table=load_table("progression-2019-20.toml")
    )
    return race


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_console_shows_the_repechage_rounds(client_of, users, m500, montreal):
    organiser = client_of(users["organiser"])
    page = text(organiser.get(f"/officials/distances/{m500.pk}/"))
    assert "Rep. Quarterfinals" in page and "Rep. Semifinals" in page
    headings = [h for h in page.split("<h3>")[1:]]
    order = [h.split(" <a")[0] for h in headings if "start lists (PDF)" in h.split("</h3>")[0]]
    assert order[:4] == ["Heats", "Rep. Quarterfinals", "Rep. Semifinals", "Quarterfinals"]

    skate_round(users, m500, "heats")
    heat = races_of(m500, "heats")[0]
    referee = client_of(users["referee"])
    race_page = text(referee.get(f"/officials/races/{heat.pk}/"))
    assert "Men's 500m Rep. Quarterfinal 1" in race_page
    assert "Men's 500m Quarterfinal 1" in race_page  # the round its qualifiers wait for
    assert "Men's 500m Semifinal 1" not in race_page

    rep = races_of(m500, "rep_quarterfinals")[0]
    assert "Men's 500m Rep. Quarterfinal 1" in text(referee.get(f"/officials/races/{rep.pk}/"))
    race_it(users, rep)
    text(referee.get(f"/officials/competitions/{montreal.pk}/"))
    for path in (
        f"/officials/rounds/{rep.round_id}/start-lists.pdf",
        f"/officials/races/{rep.pk}/start-list.pdf",
        f"/officials/races/{heat.pk}/results.pdf",
    ):
        response = referee.get(path)
        assert response.status_code == 200, path
