"""The board of a competition: what is pending by day and session, and its refresh."""

from __future__ import annotations

import html
import re
from datetime import time

import pytest

from shorttrack.officials.board import board, next_race
from shorttrack.services.draws import draw_first_round
from shorttrack.services.setup import RaceSlot, add_session, schedule_races
from tests.services.montreal import distance_race, enter_field, race_it, races_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_two(montreal, users, w500):
    """Qualifying on day 2 with both semifinals of the women's 500m."""
    session = add_session(
        users["organiser"], montreal, day=2, name="Qualifying", starts=time(10), ends=time(12)
    )
    first, second = races_of(w500, "semifinals")
    schedule_races(
        users["organiser"],
        montreal,
        [RaceSlot(first, session, time(10, 15)), RaceSlot(second, session, time(10, 21))],
    )
    return session


def test_races_are_grouped_by_day_and_session_in_running_order(montreal, day_two, finished):
    found = board(montreal)

    assert [d.day for d in found.days] == [1, 2, 3]
    qualifying = found.days[1].sessions[0]
    assert qualifying.name == "Qualifying"
    assert [(r.name, r.status, f"{r.at:%H:%M}", r.starters) for r in qualifying.races] == [
        ("Women's 500m Semifinal 1", "unofficial", "10:15", 4),
        ("Women's 500m Semifinal 2", "scheduled", "10:21", 4),
    ]
    assert found.days[1].pending == 2
    # Final B and Final A are not in a session yet: they are listed apart, with what they
    # wait for.
    assert [(r.name, r.waiting) for g in found.unscheduled for r in g.races] == [
        (name, "Filled when every race of the semifinals is official (0 of 2 official).")
        for name in ("Women's 500m Final B", "Women's 500m Final A")
    ]
    assert qualifying.races[0].waiting == ""
    assert found.counts == {
        "scheduled": 3,
        "started": 0,
        "unofficial": 1,
        "under review": 0,
        "official": 0,
    }


def test_an_official_race_leaves_the_pending_list(montreal, day_two, users, w500):
    race_it(users, races_of(w500, "semifinals")[0])

    qualifying = board(montreal).days[1].sessions[0]

    assert [r.name for r in qualifying.pending] == ["Women's 500m Semifinal 2"]
    assert [r.name for r in qualifying.done] == ["Women's 500m Semifinal 1"]


def test_the_board_page_refreshes_itself(client_of, users, montreal, day_two, finished):
    response = client_of(users["officer"]).get(f"/officials/competitions/{montreal.pk}/")

    page = html.unescape(response.content.decode())
    assert f'hx-get="/officials/competitions/{montreal.pk}/board/"' in page
    assert 'hx-trigger="every 5s"' in page
    assert "Day 2 · Saturday 18 Oct" in page
    assert "unofficial: 1" in page
    part = html.unescape(
        client_of(users["officer"])
        .get(f"/officials/competitions/{montreal.pk}/board/")
        .content.decode()
    )
    assert part.startswith('<section id="board"')
    assert "Women's 500m Semifinal 1" in part


def test_each_session_sums_up_its_races_in_words(client_of, users, montreal, day_two, finished):
    found = board(montreal)

    assert found.days[1].sessions[0].summary == "1 scheduled, 1 unofficial"
    assert [group.summary for group in found.unscheduled] == ["2 scheduled"]
    part = html.unescape(
        client_of(users["officer"])
        .get(f"/officials/competitions/{montreal.pk}/board/")
        .content.decode()
    )
    assert "· 1 scheduled, 1 unofficial</span>" in part
    assert "· 2 scheduled</span>" in part
    assert not re.search(r"scheduled,\s*</span>", part)


def test_the_next_race_is_the_next_by_the_schedule_whatever_its_distance(
    montreal, users, skaters, w500, day_two
):
    m1000 = distance_race(montreal, "M1000")
    enter_field(users, m1000, skaters, 8)
    draw_first_round(users["organiser"], m1000, seed=5)
    first, second = races_of(w500, "semifinals")
    men = min(m1000.rounds.all(), key=lambda r: r.order).races.order_by("number").first()
    schedule_races(
        users["organiser"],
        montreal,
        [RaceSlot(second, day_two, time(10, 30)), RaceSlot(men, day_two, time(10, 20))],
    )

    assert next_race(first) == men
    assert next_race(men) == second
    # The last race of the sessions is followed by the races not in one yet.
    assert next_race(second).session_id is None
