"""The race for the Crystal Globe as the site and the API get it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shorttrack.queries.globe import race_for_the_globe
from shorttrack.queries.races import find_distance_race, official_moment
from shorttrack.services.imports import import_paths
from tests.queries.simulated_seasons import SimulatedSeason

pytestmark = pytest.mark.django_db


def after(season, race, gender):
    return official_moment(find_distance_race(season, race, gender))


def test_park_clinches_if_he_finishes_ahead_of_hong_in_dordrecht(season_2022_23):
    """From podiums alone (places 4-24 unknown), after Dresden: Park 780, Hong 480, four
    races left. Hong winning all three others reaches 780 plus his 1000m (1) points."""
    document = race_for_the_globe(
        "2022/23", "overall-men", after(season_2022_23, "Dresden, 1500m (2)", "men")
    )
    park, hong, dubois = document["contenders"][:3]
    assert (park["name"], park["points"], park["verdict"]) == ("PARK Ji Won", 780, "alive")
    assert (hong["name"], hong["points"], hong["max_points"]) == ("HONG Kyung Hwan", 480, 880)
    assert (dubois["name"], dubois["verdict"]) == ("DUBOIS Steven", "out")
    assert [r["race"] for r in document["remaining"]] == [
        "1000m (1) in Dordrecht",
        "1500m in Dordrecht",
        "1000m (2) in Dordrecht",
        "500m in Dordrecht",
    ]
    assert document["points_available"] == 400
    # Places 4-24 unknown: the text says the totals are incomplete, as the JSON does.
    assert document["scoring_known"] is False
    assert park["text"] == (
        "Park Ji Won leads with 780 points from the places known; 400 are still available."
    )
    assert document["text"].startswith(
        "The totals are incomplete: not every place that scores points is known in the races "
        "behind these standings. Park Ji Won leads with 780 points from the places known"
    )
    assert document["clinches"][0]["text"] == (
        "Park Ji Won clinches the men's Crystal Globe in the 1000m (1) in Dordrecht if he "
        "finishes ahead of Hong Kyung Hwan."
    )


def test_after_the_last_race_the_winner_has_won_it(season_2022_23):
    document = race_for_the_globe("2022/23", "overall-women")
    assert document["remaining"] == []
    winner = document["contenders"][0]
    assert (winner["name"], winner["verdict"]) == ("SCHULTING Suzanne", "won")
    assert document["scoring_known"] is False  # the podiums of 2022/23 alone
    assert winner["text"] == (
        "Suzanne Schulting won the women's Crystal Globe with 1062 points from the places known."
    )
    assert all(c["verdict"] == "out" for c in document["contenders"][1:])


LATER = datetime(2036, 1, 1, tzinfo=UTC)


@pytest.fixture
def four_wins(tmp_path):
    """Adams wins four races; behind her the places rotate among three others."""
    season = SimulatedSeason("2033/34")
    montreal = season.competition(1, "Montreal", date(2033, 10, 21))
    order = ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke"]
    montreal.final("women", "500m", 2, "14:00", order)
    montreal.final("women", "1000m", 2, "14:30", [order[0], order[2], order[3], order[1]])
    montreal.final("women", "1500m", 3, "14:00", [order[0], order[3], order[1], order[2]])
    dresden = season.competition(2, "Dresden", date(2033, 11, 4))
    dresden.final("women", "500m", 2, "14:00", order)
    dresden.scheduled("women", "1000m", 3, "14:00")
    import_paths([season.write(tmp_path)])
    return season


def test_two_races_to_go_she_clinches_by_winning_with_the_others_behind(four_wins):
    # After Montreal: Adams 300; Baker, Choi and Dekker 210 each; 200 points still to race.
    document = race_for_the_globe("2033/34", "overall-women", datetime(2033, 10, 24, tzinfo=UTC))
    assert [(c["name"], c["points"], c["max_points"]) for c in document["contenders"]] == [
        ("ADAMS Alice", 300, 500),
        ("BAKER Beth", 210, 410),
        ("CHOI Ha Eun", 210, 410),
        ("DEKKER Femke", 210, 410),
    ]
    clinch = document["clinches"][0]
    assert clinch["name"] == "Alice Adams" and clinch["race"] == "500m in Dresden"
    # 300 + 100 beats 210 + 80 + 100; 300 + 80 against 210 + q + 100 needs q worth under 70.
    first, second = clinch["requirements"][:2]
    assert first["place"] == 1 and {r["at_best"] for r in first["rivals"]} == {2}
    assert second["place"] == 2 and {r["at_best"] for r in second["rivals"]} == {4}
    assert clinch["text"] == (
        "Alice Adams clinches the women's Crystal Globe in the 500m in Dresden if she wins, "
        "finishes 2nd with Beth Baker, Choi Ha Eun and Femke Dekker 4th or worse, or finishes "
        "3rd with them 5th or worse; lower finishes need the rivals further back."
    )


def test_with_one_race_to_go_nobody_can_reach_her(four_wins):
    document = race_for_the_globe("2033/34", "overall-women", LATER)
    adams, baker = document["contenders"][:2]
    assert (adams["points"], adams["verdict"]) == (400, "clinched")
    assert (baker["points"], baker["max_points"], baker["verdict"]) == (290, 390, "out")
    assert document["scoring_known"] is True
    assert adams["text"] == "Alice Adams has clinched the women's Crystal Globe with 1 race to go."
    assert "incomplete" not in document["text"] and "places known" not in document["text"]
