"""A relay team's cards: two yellow cards for one team at a competition make a red card, as
for a skater (RULES.md section 2: in relays a card applies to the team)."""

from __future__ import annotations

import pytest

from shorttrack.services.draws import draw_first_round
from shorttrack.services.race_results import (
    Decision,
    correct_results,
    decide,
    enter_results,
    start_race,
)
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, finish, race_it, races_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def relay(montreal, users, skaters) -> models.DistanceRace:
    """The women's 3000m relay with eight teams: two semifinals, then Finals A and B."""
    race = distance_race(montreal, "W3000R")
    enter_field(users, race, skaters, 8)
    draw_first_round(users["organiser"], race, seed=3)
    return race


def test_a_second_yellow_card_for_a_relay_team_is_a_red_card(relay, users):
    semifinals = races_of(relay, "semifinals")
    for race in semifinals:
        race_it(users, race)
    final_a = races_of(relay, "final_a")[0]
    team = final_a.start_list.order_by("helmet").first()
    start_race(users["officer"], final_a, based_on=version(final_a))
    # The video of its semifinal, reviewed once Final A is under way: a yellow card for the
    # team in a correction (Final A has started, so it is not drawn again).
    semifinal = next(r for r in semifinals if r.start_list.filter(team=team.team).exists())
    helmet = semifinal.start_list.get(team=team.team).helmet
    correct_results(
        users["referee"],
        semifinal,
        reason="video review: cross tracking at the exchange",
        decisions=[Decision(helmet, "YC", "cross tracking")],
        based_on=version(semifinal),
    )
    enter_results(users["officer"], final_a, finish(final_a), based_on=version(final_a))

    result = decide(
        users["referee"],
        final_a,
        [Decision(team.helmet, "YC", "impeding")],
        based_on=version(final_a),
    )

    line = result.lines.get(helmet=team.helmet)
    assert (line.status, line.warnings) == ("RC", "impeding; 2nd YC")
    assert result.revision.reason == (
        f"referee: YC helmet {team.helmet} (impeding); helmet {team.helmet}: a second yellow "
        "card at this competition (the first in Women's 3000m relay Semifinal "
        f"{semifinal.number}) makes a red card (RC)"
    )


def test_one_yellow_card_for_each_of_two_teams_stays_yellow(relay, users):
    first, second = races_of(relay, "semifinals")
    a = first.start_list.order_by("helmet").first().helmet
    b = second.start_list.order_by("helmet").first().helmet
    race_it(users, first, decisions=[Decision(a, "YC", "impeding")])
    result = race_it(users, second, decisions=[Decision(b, "YC", "impeding")])
    assert result.lines.get(helmet=b).status == "YC"
