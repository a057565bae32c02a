"""A race without starters says why: the round before is not official yet (and how far it
is), or nobody was eligible once it is; on the race page's cards of the next round, its
own start list and the distance page. The women's 500m of 8: two semifinals of 4, their
first two to Final A, their third and fourth to Final B."""

from __future__ import annotations

import html
import re

import pytest

from shorttrack.officials.board import waiting_for
from shorttrack.services.draws import plan_rounds
from shorttrack.services.race_results import finish_order
from tests.officials.conftest import helmets
from tests.services.montreal import distance_race, enter_field, race_it, races_of

pytestmark = pytest.mark.django_db


def card(page: str, title: str) -> str:
    """The text of the race card headed ``title`` on a console page."""
    text = html.unescape(page)
    start = text.index(f">{title}</a>")
    return re.sub(r"<[^>]+>|\s+", " ", text[start : text.index("</div>", start)])


def two_finish_two_fall(race):
    """The two lowest helmets finish; the other two do not: nobody left for Final B."""
    first, second, *fallen = helmets(race)
    return finish_order([first, second], ["43.101", "43.202"], dnf=fallen)


def test_the_finals_wait_for_both_semifinals_and_say_how_far_they_are(w500, users, client_of):
    first, second = races_of(w500, "semifinals")
    final_b = races_of(w500, "final_b")[0]
    assert waiting_for(final_b) == (
        "Filled when every race of the semifinals is official (0 of 2 official)."
    )

    race_it(users, first)

    page = client_of(users["referee"]).get(f"/officials/races/{first.pk}/").content.decode()
    assert "Filled when every race of the semifinals is official (1 of 2 official)." in card(
        page, "Women's 500m Final B"
    )
    assert "filled when every race of this round is official" not in page.lower()


def test_no_final_b_when_nobody_was_eligible_for_it(w500, users, client_of):
    first, second = races_of(w500, "semifinals")
    race_it(users, first, two_finish_two_fall(first))
    race_it(users, second, two_finish_two_fall(second))
    final_a, final_b = races_of(w500, "final_a")[0], races_of(w500, "final_b")[0]

    assert final_a.start_list.count() == 4 and final_b.start_list.count() == 0
    said = "No Final B: nobody was eligible from the semifinals."
    assert waiting_for(final_b) == said
    referee = client_of(users["referee"])
    semifinal_page = referee.get(f"/officials/races/{second.pk}/").content.decode()
    assert said in card(semifinal_page, "Women's 500m Final B")
    assert waiting_for(final_a) == ""
    final_b_page = html.unescape(referee.get(f"/officials/races/{final_b.pk}/").content.decode())
    assert said in final_b_page
    # Nobody to start: the page says so in place of the "Start race" button.
    assert "Not to be started: nobody starts in it yet. " + said in final_b_page
    assert "Start race</button>" not in final_b_page
    distance_page = referee.get(f"/officials/distances/{w500.pk}/").content.decode()
    assert said in card(distance_page, "Women's 500m Final B")


def test_a_first_round_planned_but_not_drawn_waits_for_the_organiser(montreal, users, skaters):
    m1000 = distance_race(montreal, "M1000")
    enter_field(users, m1000, skaters, 8)
    plan_rounds(users["organiser"], m1000)
    first_round = min(m1000.rounds.all(), key=lambda r: r.order).races.first()

    assert waiting_for(first_round) == (
        "Not drawn yet: the organiser draws the first round when the entries close."
    )
