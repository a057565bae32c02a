"""Names in the press text of the real 2022/23 season as the ISU printed them: "Park Ji Won"
(stored "Ji-won", the season's [names] korean_given = "spaced"), named at most twice in a
summary, nations as ISU news writes them; the race for the Globe names through the same
rules (rules.press_names)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from shorttrack.queries.facts import forget_loaded_facts, session_summary, sessions, skater_facts
from shorttrack.queries.globe import race_for_the_globe
from shorttrack.queries.races import find_distance_race, official_moment
from shorttrack.rules.press_names import surname
from shorttrack.services.imports import import_paths
from shorttrack.store.models import Competition, Skater
from tests.queries.simulated_seasons import SimulatedSeason

pytestmark = pytest.mark.django_db

MONTREAL_SATURDAY = date(2022, 10, 29)
W = "women"


@pytest.fixture(autouse=True)
def fresh_facts():
    forget_loaded_facts()
    yield
    forget_loaded_facts()


def test_park_stored_ji_won_is_park_ji_won_in_the_montreal_summary(season_2022_23):
    park = Skater.objects.get(family_name="Park", given_name="Ji-won")
    montreal = Competition.objects.get(season__key="2022/23", number=1)

    document = session_summary(montreal.pk, MONTREAL_SATURDAY)

    assert [s["text"] for s in document["sentences"]] == [
        "Suzanne Schulting (NED) won the women's 1500m in Montreal ahead of Kim Gil Li (KOR) "
        "and Kristen Santos (USA).",
        "Park Ji Won (KOR) took the men's 1500m ahead of Steven Dubois (CAN) and Hong Kyung "
        "Hwan (KOR).",
        "In the women's 1000m (1), Xandra Velzeboer (NED) beat Shim Suk Hee (KOR) and Seo Whi "
        "Min (KOR).",
        "Roberts Kruzbergs (LAT) won the men's 1000m (1) ahead of Lim Yong Jin (KOR) and Teun "
        "Boer (NED).",
        "Korea took the mixed 2000m relay ahead of Belgium and Canada.",
    ]
    person = document["people"][f"s{park.pk}"]
    assert (person["name"], person["press_name"]) == ("PARK Ji Won", "Park Ji Won")
    assert document["people"]["KOR"]["press_name"] == "Korea"


def test_relay_teams_and_nations_as_isu_news_names_them_on_the_montreal_sunday(season_2022_23):
    montreal = Competition.objects.get(season__key="2022/23", number=1)

    document = session_summary(montreal.pk, date(2022, 10, 30))

    assert [s["text"] for s in document["sentences"][4:]] == [
        "The Netherlands took the women's 3000m relay ahead of Canada and Italy.",
        "In the men's 5000m relay, Korea beat Kazakhstan and Canada.",
        "Kazakhstan won its first medal of the season.",
        "Canada won a race for the first time this season.",
        "Italy won its first medal of the season.",
    ]
    kinds = [[k.split(":")[0] for k in s["facts"]] for s in document["sentences"][4:]]
    assert kinds == [
        ["podium"],
        ["podium"],
        ["nation_first_medal"],
        ["nation_first_win"],
        ["nation_first_medal"],
    ]


def test_no_summary_of_the_season_names_a_skater_more_than_twice(season_2022_23):
    """Counted by family name where no one else in the summary's people shares it, else by
    the full name."""
    for listed in sessions("2022/23"):
        document = session_summary(listed["competition"]["id"], date.fromisoformat(listed["day"]))
        text = document["text"]
        skaters = [p for k, p in document["people"].items() if k.startswith("s")]
        stored = dict(
            Skater.objects.filter(pk__in=[int(p["key"][1:]) for p in skaters]).values_list(
                "pk", "family_name"
            )
        )
        for skater in skaters:
            family = surname(stored[int(skater["key"][1:])])  # "van 't Wout", "Park"
            others = [p["press_name"] for p in document["people"].values() if p is not skater]
            alone = not any(family.lower() in other.lower() for other in others)
            said = family if alone else skater["press_name"]
            found = re.findall(rf"(?<![\w']){re.escape(said)}(?![\w'])", text, re.IGNORECASE)
            assert len(found) <= 2, (said, text)
        assert "Republic of Korea" not in text and "Ji-won" not in text


def test_a_skater_s_facts_page_names_them_as_their_season_prints_names(season_2022_23):
    park = Skater.objects.get(family_name="Park", given_name="Ji-won")

    document = skater_facts(park.pk)

    assert document["skater"] | {} == {
        "id": park.pk,
        "name": "PARK Ji Won",
        "press_name": "Park Ji Won",
        "nation": "KOR",
    }
    assert document["facts"][0]["text"].startswith("Park Ji Won (KOR) ")


def test_the_race_for_the_globe_names_park_as_the_season_prints_him(season_2022_23):
    """After Dresden (podiums alone): Park 780, four races left."""
    moment = official_moment(find_distance_race(season_2022_23, "Dresden, 1500m (2)", "men"))

    document = race_for_the_globe("2022/23", "overall-men", moment)

    park = document["contenders"][0]
    assert park["press_name"] == "Park Ji Won"
    assert park["text"] == (
        "Park Ji Won leads with 780 points from the places known; 400 are still available."
    )


# --- a simulated season -----------------------------------------------------------------------

LATER = datetime(2036, 1, 1, tzinfo=UTC)  # after the simulated season: all of it official


@pytest.fixture
def two_wins_in_a_day(tmp_path):
    """Montreal, then Choi wins the 500m and the 1000m of the Salt Lake City Saturday."""
    season = SimulatedSeason("2031/32")
    montreal = season.competition(1, "Montreal", date(2031, 10, 24))
    montreal.final(W, "500m", 2, "14:00", ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun"])
    montreal.final(W, "1000m", 2, "14:30", ["BAKER Beth", "ADAMS Alice", "DEKKER Femke"])
    slc = season.competition(2, "Salt Lake City", date(2031, 10, 31))
    slc.final(W, "500m", 2, "14:00", ["CHOI Ha-eun", "ADAMS Alice", "DEKKER Femke"])
    slc.final(W, "1000m", 2, "14:30", ["CHOI Ha-eun", "BAKER Beth", "ERIKSEN Ida"])
    slc.scheduled(W, "1500m", 3, "14:00")
    import_paths([season.write(tmp_path)])
    return Competition.objects.get(season__key="2031/32", number=2)


def test_a_skater_winning_two_finals_of_a_session(two_wins_in_a_day):
    document = session_summary(two_wins_in_a_day.pk, date(2031, 11, 1), as_of=LATER)

    # Overall (100, 80, 70 for the podium): Choi 70 + 100 + 100 = 270; Adams 100 + 80 + 80
    # and Baker 80 + 100 + 80 = 260. The 500m and 1000m had two races each: decided.
    assert [s["text"] for s in document["sentences"]] == [
        "Choi Ha Eun (KOR) won the women's 500m in Salt Lake City ahead of Alice Adams (CAN) "
        "and Femke Dekker (NED).",
        "Choi also won the women's 1000m, her second World Cup win of the season, ahead of "
        "Beth Baker (USA) and Ida Eriksen (NOR).",
        "Adams won the women's 500m World Cup title with 180 points.",
        "Baker won the women's 1000m World Cup title with 180 points.",
        "The Korean took the lead in the women's overall standings from the Canadian, whose "
        "lead had lasted 7 days.",
        # A description is said once: "the Canadian" again would read as a list.
        "She leads the women's overall standings with 270 points, 10 ahead of the runner-up in "
        "the women's 500m and the American.",
        "At 27, she is the youngest winner of a women's individual race this season.",
        "Dekker won bronze at 34.",
        "The runner-up in the women's 1000m lost her share of the lead in the women's overall "
        "standings after 7 days.",
    ]
    assert "Choi Ha-eun" not in document["text"]
    for family in ("Choi", "Adams", "Baker", "Dekker", "Eriksen"):
        assert len(re.findall(rf"\b{family}\b", document["text"])) <= 2, document["text"]
    keys = {f["key"] for f in document["facts"]}
    for sentence in document["sentences"]:
        assert sentence["facts"] and set(sentence["facts"]) <= keys
