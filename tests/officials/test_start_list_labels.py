"""Start lists say why each skater starts in words, on the public race page and in the
console: "seeded" in the first round, "repechage" for one the heats sent to a repechage
round, the mark (Q, q) for a qualifier; never the stored "seed" or "rep"."""

from __future__ import annotations

import html
import re

import pytest

from shorttrack.rules.progression import Mark, load_table, start_list_label
from shorttrack.services.draws import draw_first_round
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, races_of, skate_round

pytestmark = pytest.mark.django_db

QUALIFIED_CELL = re.compile(r"<td>([^<>]*)</td></tr>")


@pytest.fixture
def m500(montreal, users, skaters) -> models.DistanceRace:
    """The men's 500 m with 36 entries on the 2019/20 table: 8 heats, the non-qualifiers
    to 4 Rep. Quarterfinals."""
    race = distance_race(montreal, "M500")
    enter_field(users, race, skaters, 36)
    draw_first_round(
        users["organiser"], race, seed=2019, table=load_table("progression-2019-20.toml")
    )
    return race


def public_cells(client, race: models.Race) -> list[str]:
    """The 'Qualified by' column of the race's public start list."""
    text = html.unescape(client.get(f"/races/{race.pk}/").content.decode())
    table = text[text.index('<table class="start-list">') :]
    table = table[: table.index("</table>")]
    return [cell.strip() for cell in QUALIFIED_CELL.findall(table)]


def test_the_labels():
    assert [start_list_label(m) for m in ("seed", "rep", "Q", "q", "QA", "ADB", "")] == [
        "seeded",
        "repechage",
        "Q",
        "q",
        "QA",
        "ADB",
        "",
    ]
    assert all(start_list_label(m.value) == m.printed for m in Mark if m.printed)


def test_public_and_console_start_lists_say_seeded_and_repechage(m500, users, client, client_of):
    heat = races_of(m500, "heats")[0]
    assert set(public_cells(client, heat)) == {"seeded"}

    skate_round(users, m500, "heats")

    rep_quarterfinal = races_of(m500, "rep_quarterfinals")[0]
    assert set(public_cells(client, rep_quarterfinal)) == {"repechage"}
    console = html.unescape(
        client_of(users["referee"]).get(f"/officials/races/{rep_quarterfinal.pk}/").content.decode()
    )
    start_list = console[console.index('<section id="start-list">') :]
    start_list = start_list[: start_list.index("</section>")]
    assert "<td>repechage</td>" in start_list and "<td>rep</td>" not in start_list
    heat_page = html.unescape(
        client_of(users["referee"]).get(f"/officials/races/{heat.pk}/").content.decode()
    )
    assert "<td>seeded</td>" in heat_page and "<td>seed</td>" not in heat_page
