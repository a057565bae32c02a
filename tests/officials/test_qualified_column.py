"""The console's start list of a race says, once its result is official, who goes on and
how (the result's Q, q, QA, QB, ADV, ADA, ADB), beside why each skater started in it; before
official the column is empty and says when it fills."""

from __future__ import annotations

import html
import re

import pytest

from shorttrack.services.race_results import Decision
from tests.officials.conftest import helmets
from tests.services.montreal import finish, race_it, races_of

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<tr><td class="num">\d+</td><td class="num">(\d+)</td>.*?'
    r'<td>([^<]*)</td><td class="mark">([^<]*)</td></tr>',
    re.S,
)


def start_list(client, race) -> tuple[dict[int, tuple[str, str]], str]:
    """helmet -> (qualified by, qualified), and the start list section's text."""
    page = html.unescape(client.get(f"/officials/races/{race.pk}/").content.decode())
    section = page[page.index('<section id="start-list">') :]
    section = section[: section.index("</section>")]
    return {int(h): (by, mark) for h, by, mark in ROW.findall(section)}, section


def test_the_qualified_column_fills_from_the_official_result(w500, users, client_of, finished):
    referee = client_of(users["referee"])
    first, second, third, fourth = helmets(finished)

    rows, section = start_list(referee, finished)
    assert rows == {h: ("seeded", "") for h in (first, second, third, fourth)}
    assert "Qualified: filled in when the race is official." in section

    referee.post(f"/officials/races/{finished.pk}/official/")

    rows, section = start_list(referee, finished)
    # The first two to Final A, the third and fourth to Final B, by place.
    assert rows == {
        first: ("seeded", "QA"),
        second: ("seeded", "QA"),
        third: ("seeded", "QB"),
        fourth: ("seeded", "QB"),
    }
    assert "filled in when" not in section


def test_a_penalty_goes_without_a_mark_and_an_advancement_shows_it(w500, users, client_of):
    semifinal = races_of(w500, "semifinals")[1]
    first, second, third, fourth = helmets(semifinal)
    race_it(
        users,
        semifinal,
        finish(semifinal),
        decisions=[
            Decision(first, "PEN", "impeding"),
            Decision(fourth, "ADA"),
        ],
    )

    rows, _ = start_list(client_of(users["officer"]), semifinal)

    assert {helmet: mark for helmet, (_, mark) in rows.items()} == {
        first: "",
        second: "QA",
        third: "QA",
        fourth: "ADA",
    }
