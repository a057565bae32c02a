"""The race for the Globe page: what each contender needs, points still available, who is
out, what clinches it in the next race, at any moment as on the standings pages; on the
real 2022/23 season and on small simulated seasons."""

from __future__ import annotations

from datetime import date

import pytest

from shorttrack.queries.races import find_distance_race
from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.queries.simulated_seasons import SimulatedSeason

pytestmark = pytest.mark.django_db
MEN = "/seasons/2022-23/globe/overall-men/"


def by_name(doc):
    return {c["name"]: c for c in doc["contenders"]}


def test_after_dresden_park_clinches_by_finishing_ahead_of_hong(read_page, season_2022_23):
    dresden = find_distance_race(season_2022_23, "Dresden, 1500m (2)", "men")
    html, doc = read_page(f"{MEN}?after={dresden.pk}")

    assert doc["moment"]["after"] == {"id": dresden.pk, "name": "Dresden, Men's 1500m (2)"}
    assert doc["race_for"] == "the men's Crystal Globe"
    contenders = by_name(doc)
    park, hong = contenders["PARK Ji Won"], contenders["HONG Kyung Hwan"]
    park_ji_won = models.Skater.objects.get(family_name="Park", given_name="Ji-won")
    assert (park["points"], park["verdict"], park["skater_id"]) == (780, "alive", park_ji_won.pk)
    assert (hong["points"], hong["max_points"], hong["behind_leader"]) == (480, 880, 300)
    assert contenders["DUBOIS Steven"]["verdict"] == "out"
    assert doc["points_available"] == 400 and doc["field_max"] == 400
    assert [(r["race"], r["finals_at"][:10]) for r in doc["remaining"]] == [
        ("1000m (1) in Dordrecht", "2023-02-11"),
        ("1500m in Dordrecht", "2023-02-11"),
        ("1000m (2) in Dordrecht", "2023-02-12"),
        ("500m in Dordrecht", "2023-02-12"),
    ]
    clinch = doc["clinches"][0]
    assert clinch["text"] == (
        "Park Ji Won clinches the men's Crystal Globe in the 1000m (1) in Dordrecht if he "
        "finishes ahead of Hong Kyung Hwan."
    )
    assert clinch["requirements"][0] == {
        "place": 1,
        "rivals": [{"name": "Hong Kyung Hwan", "at_best": 2, "may_miss": True}],
    }

    assert "<h1>The race for the men&#x27;s Crystal Globe</h1>" in html
    assert "Park Ji Won clinches the men&#x27;s Crystal Globe in the 1000m (1) in Dordrecht" in html
    assert "4 races to go: winning all of them is worth 400 points" in html
    assert "provisional rules" in html  # 2022/23 counting is provisional
    assert "only the podiums of some were published" in html  # scoring_known is false
    assert f'<a href="/skaters/{park["skater_id"]}/">PARK Ji Won</a>' in html
    assert "<td>cannot win it</td>" in html
    assert f'<option value="{dresden.pk}" selected>' in html


def test_at_the_end_of_the_season_park_has_won_it(read_page, season_2022_23):
    html, doc = read_page(MEN)
    assert doc["remaining"] == [] and doc["moment"]["as_of"] is None
    park = doc["contenders"][0]
    assert (park["name"], park["points"], park["verdict"]) == ("PARK Ji Won", 980, "won")
    # Podiums alone held for 2022/23: the total is said to be of the places known.
    assert (
        "Park Ji Won won the men&#x27;s Crystal Globe with 980 points from the places known."
        in html
    )
    assert "Every race of this classification is official." in html


def test_a_distance_classification_and_the_menu(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/globe/1000m-women/")
    assert doc["race_for"] == "the women's 1000m World Cup title"
    assert doc["classification"] == "W1000"
    assert {item["slug"] for item in doc["menu"]} >= {"overall-women", "overall-men", "500m-men"}
    assert '<a href="/seasons/2022-23/globe/overall-men/">' in html


def test_the_standings_page_leads_to_it(client, season_2022_23):
    html = client.get("/seasons/2022-23/standings/overall-men/").text
    assert '<a href="/seasons/2022-23/globe/overall-men/">The race for it' in html


@pytest.fixture
def four_wins(tmp_path):
    """A simulated season dated in the past, so that its results are official now: Adams
    wins four races; behind her the places rotate among three others; the 1000m in Dresden
    is still to come."""
    season = SimulatedSeason("2033/34")
    montreal = season.competition(1, "Montreal", date(2024, 10, 18))
    order = ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke"]
    montreal.final("women", "500m", 2, "14:00", order)
    montreal.final("women", "1000m", 2, "14:30", [order[0], order[2], order[3], order[1]])
    montreal.final("women", "1500m", 3, "14:00", [order[0], order[3], order[1], order[2]])
    dresden = season.competition(2, "Dresden", date(2024, 11, 1))
    dresden.final("women", "500m", 2, "14:00", order)
    dresden.scheduled("women", "1000m", 3, "14:00")
    import_paths([season.write(tmp_path)])
    models.Season.objects.filter(key="2033/34").update(simulated=True)
    return season


def test_clinched_with_one_race_to_go(read_page, four_wins):
    html, doc = read_page("/seasons/2033-34/globe/overall-women/")
    adams, baker = doc["contenders"][:2]
    assert (adams["points"], adams["verdict"]) == (400, "clinched")
    assert (baker["points"], baker["max_points"], baker["verdict"]) == (290, 390, "out")
    assert [r["race"] for r in doc["remaining"]] == ["1000m in Dresden"]
    assert doc["scoring_known"] is True and doc["simulated"] is True
    assert "Alice Adams has clinched the women&#x27;s Crystal Globe with 1 race to go." in html
    assert "<td>has clinched it</td>" in html
    assert "simulated season" in html
    assert "only the podiums" not in html


def test_what_clinches_it_two_races_from_the_end(read_page, four_wins):
    """Just before the Dresden 500m: Adams 300, the three others 210 each, 200 points left."""
    season = models.Season.objects.get(key="2033/34")
    dresden_500 = find_distance_race(season, "Dresden, 500m", "women")
    html, doc = read_page(f"/seasons/2033-34/globe/overall-women/?before={dresden_500.pk}")
    assert [(c["name"], c["points"], c["max_points"]) for c in doc["contenders"]] == [
        ("ADAMS Alice", 300, 500),
        ("BAKER Beth", 210, 410),
        ("CHOI Ha Eun", 210, 410),
        ("DEKKER Femke", 210, 410),
    ]
    clinch = doc["clinches"][0]
    assert clinch["text"].startswith(
        "Alice Adams clinches the women's Crystal Globe in the 500m in Dresden if she wins, "
        "finishes 2nd with Beth Baker, Choi Ha Eun and Femke Dekker 4th or worse"
    )
    assert "<caption>Alice Adams clinches it in the 500m in Dresden with any of these" in html
    assert "Beth Baker 4th or worse (or not racing)" in html
    assert "(joint 2nd, 210 points) is 90 behind and can reach 410." in html


@pytest.fixture
def level_at_the_end(tmp_path):
    season = SimulatedSeason("2034/35")
    montreal = season.competition(1, "Montreal", date(2024, 10, 18))
    montreal.final(
        "women", "500m", 2, "14:00", ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke"]
    )
    montreal.final(
        "women", "1000m", 3, "14:00", ["BAKER Beth", "ADAMS Alice", "CHOI Ha-eun", "DEKKER Femke"]
    )
    import_paths([season.write(tmp_path)])
    return season


def test_level_after_the_last_race_they_share_it(read_page, level_at_the_end):
    html, doc = read_page("/seasons/2034-35/globe/overall-women/")
    shared = [(c["name"], c["points"]) for c in doc["contenders"] if c["verdict"] == "shared"]
    assert shared == [("ADAMS Alice", 180), ("BAKER Beth", 180)]
    assert html.count("<td>shares it</td>") == 2


def test_a_later_moment_shows_only_what_is_official_now(read_page, tmp_path):
    """A season simulated ahead, dated 2036: its results carry moments still to come, and no
    moment asked for shows them before then."""
    season = SimulatedSeason("2035/36")
    montreal = season.competition(1, "Montreal", date(2035, 10, 19))
    montreal.final("women", "500m", 2, "14:00", ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun"])
    montreal.scheduled("women", "1000m", 3, "14:00")
    import_paths([season.write(tmp_path)])
    _, doc = read_page("/seasons/2035-36/globe/overall-women/?as_of=2036-06-01T00:00")
    assert doc["contenders"] == []
    assert [r["race"] for r in doc["remaining"]] == ["500m in Montreal", "1000m in Montreal"]
    assert doc["moment"]["as_of"] == "2036-06-01T00:00:00+00:00"


def test_unknown_classifications_and_malformed_moments(client, season_2022_23):
    assert client.get("/seasons/2022-23/globe/overall-juniors/").status_code == 404
    assert client.get("/seasons/2022-23/globe/nations/").status_code == 404  # not in 2022/23
    assert client.get(f"{MEN}?as_of=yesterday").status_code == 400
    assert client.get(f"{MEN}?after=999999").status_code == 400
    assert client.get(f"{MEN}?after=1&before=2").status_code == 400
    bad = client.get("/seasons/2022-23/globe/overall-men.json?as_of=yesterday")
    assert bad.status_code == 400 and "is not a moment" in bad.json()["error"]
