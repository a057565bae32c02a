"""Facts for the press, as the site and the API get them: on the real 2022/23 season and on
small simulated seasons built for one story each (tests/queries/simulated_seasons.py).

Every summary here is also checked fact by fact against the store (fact_checks.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shorttrack.queries.facts import (
    NotPublic,
    competition_facts,
    forget_loaded_facts,
    race_facts,
    season_summaries,
    session_facts,
    session_summary,
    sessions,
    skater_facts,
)
from shorttrack.queries.races import find_distance_race
from shorttrack.services.imports import import_paths
from shorttrack.store.models import Competition, Race, RankingLine, Session, Skater
from tests.queries.fact_checks import check
from tests.queries.simulated_seasons import SimulatedSeason

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_facts():
    forget_loaded_facts()
    yield
    forget_loaded_facts()


def facts_of(document, kind, race=None, subject=None, classification=None):
    return [
        f
        for f in document["facts"]
        if f["kind"] == kind
        and (race is None or f["race"]["name"] == race)
        and (subject is None or f["subject"]["press_name"] == subject)
        and (classification is None or f["values"].get("classification") == classification)
    ]


def only(document, kind, race=None, subject=None, classification=None):
    found = facts_of(document, kind, race, subject, classification)
    assert len(found) == 1, [f["text"] for f in document["facts"] if f["kind"] == kind]
    return found[0]


def assert_every_fact_backed(document):
    """The facts of a summary, each re-derived from the store; every sentence from facts."""
    keys = {f["key"] for f in document["facts"]}
    for fact in document["facts"]:
        check(fact)
    for sentence in document.get("sentences", []):
        assert sentence["facts"], sentence["text"]
        assert set(sentence["facts"]) <= keys, sentence


def competition(season, number):
    return Competition.objects.get(season__key=season, number=number)


# --- the real 2022/23 season -----------------------------------------------------------------

ALMATY_SATURDAY = date(2022, 12, 10)


def test_van_t_wout_s_almaty_1000m_win_is_his_third_of_the_season(season_2022_23):
    almaty = competition("2022/23", 3)
    document = session_summary(almaty.pk, ALMATY_SATURDAY)

    fact = only(document, "season_wins", "Almaty, Men's 1000m")
    assert fact["subject"]["press_name"] == "Jens van 't Wout"
    assert fact["values"]["n"] == 3
    won = RankingLine.objects.filter(pk__in=[p["id"] for p in fact["proof"]]).select_related(
        "ranking__distance_race__competition"
    )
    assert sorted(
        (line.ranking.distance_race.competition.city, line.ranking.distance_race.label)
        for line in won
    ) == [("Almaty", "1000m"), ("Salt Lake City", "1500m"), ("Salt Lake City", "500m (2)")]
    assert (
        "Jens van 't Wout (NED) won the men's 1000m, his third World Cup win of the season, "
        "ahead of Pascal Dion (CAN) and Jordan Pierre-Gilles (CAN)." in document["text"]
    )


def test_hong_s_1500m_1_win_is_a_fact_of_the_same_session(season_2022_23):
    document = session_summary(competition("2022/23", 3).pk, ALMATY_SATURDAY)

    podium = only(document, "podium", "Almaty, Men's 1500m (1)")
    # 2022/23 prints Korean given names spaced, as the ISU did: "HONG Kyung Hwan".
    assert podium["subject"]["press_name"] == "Hong Kyung Hwan"
    assert podium["subject"]["name"] == "HONG Kyung Hwan"
    assert (
        "Hong Kyung Hwan (KOR) took the men's 1500m (1) ahead of Stijn Desmet (BEL) and "
        "Kim Tae Sung (KOR)." in document["text"]
    )
    assert [r["name"] for r in document["session"]["races"]] == [
        "Almaty, Women's 1500m (1)",
        "Almaty, Men's 1500m (1)",
        "Almaty, Women's 1000m",
        "Almaty, Men's 1000m",
    ]


def test_podiums_alone_make_no_standings_facts(season_2022_23):
    """Places 4-24 are mostly unknown in 2022/23: a lead computed from podiums is no fact."""
    document = session_facts(competition("2022/23", 3).pk, ALMATY_SATURDAY)
    kinds = {f["kind"] for f in document["facts"]}
    assert kinds.isdisjoint({"lead", "new_leader", "lead_ended", "standing", "clinched"})
    assert document["records_from"] == "2022/23"


def test_the_penalties_in_the_salt_lake_city_500m_1_final(season_2022_23):
    race = find_distance_race(season_2022_23, "Salt Lake City, 500m (1)", "women")
    document = race_facts(race.pk)
    assert sorted(f["text"] for f in facts_of(document, "final_penalty")) == [
        "Suzanne Schulting (NED) was penalised in the Final A of the women's 500m (1).",
        "Xandra Velzeboer (NED) was penalised in the Final A of the women's 500m (1).",
    ]


def test_every_summary_of_the_season_is_backed_by_the_data(season_2022_23):
    listed = sessions("2022/23")
    assert len(listed) == 12
    for session in listed:
        document = session_summary(session["competition"]["id"], date.fromisoformat(session["day"]))
        assert len(document["notable"]) <= 6
        assert_every_fact_backed(document)


def test_a_skater_s_facts_are_about_that_skater(season_2022_23):
    park = Skater.objects.get(family_name="Park", given_name="Ji-won")
    document = skater_facts(park.pk)
    assert document["season"] == "2022/23"
    assert {f["subject"]["key"] for f in document["facts"]} == {f"s{park.pk}"}
    wins = facts_of(document, "season_wins")
    assert [f["values"]["n"] for f in wins] == list(range(1, 10))


def test_a_day_without_finals_is_refused_with_the_days_there_are(season_2022_23):
    with pytest.raises(ValueError, match="finals days are 2022-12-10, 2022-12-11"):
        session_summary(competition("2022/23", 3).pk, date(2022, 12, 9))


# --- simulated seasons ---------------------------------------------------------------------------

W = "women"
LATER = datetime(2036, 1, 1, tzinfo=UTC)  # after every simulated season: all of it official


@pytest.fixture
def lead_change(tmp_path):
    """Adams leads after Montreal; in Salt Lake City Baker takes the lead with the 1500m
    and loses it 45 minutes later to Adams in the 1000m."""
    season = SimulatedSeason("2031/32")
    montreal = season.competition(1, "Montreal", date(2031, 10, 24))
    montreal.final(
        W, "500m", 2, "14:00", ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke"]
    )
    montreal.final(
        W, "1000m", 3, "14:00", ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke"]
    )
    slc = season.competition(2, "Salt Lake City", date(2031, 10, 31))
    slc.final(
        W,
        "1500m",
        2,
        "14:00",
        ["BAKER Beth", "CHOI Ha-eun", "DEKKER Femke", "ERIKSEN Ida", "ADAMS Alice"],
    )
    slc.final(W, "1000m", 2, "14:45", ["ADAMS Alice", "CHOI Ha-eun", "BAKER Beth", "DEKKER Femke"])
    slc.scheduled(W, "500m", 3, "14:00")
    import_paths([season.write(tmp_path)])
    return competition("2031/32", 2)


def test_a_lead_that_lasted_45_minutes_between_two_finals_of_one_day(lead_change):
    document = session_summary(lead_change.pk, date(2031, 11, 1), as_of=LATER)

    overall = "overall-women"
    took = only(document, "new_leader", "Salt Lake City, Women's 1500m", "Beth Baker", overall)
    assert (took["values"]["points"], took["values"]["gap"]) == (260, 10)
    back = only(document, "new_leader", "Salt Lake City, Women's 1000m", "Alice Adams", overall)
    assert back["values"]["first_time"] is False
    ended = only(document, "lead_ended", "Salt Lake City, Women's 1000m", "Beth Baker", overall)
    assert ended["values"]["seconds"] == 45 * 60
    # Each named in full, then by the family name, then as ISU news goes on: "the
    # American", or "she" for the one the sentence before was about.
    assert [s["text"] for s in document["sentences"][:7]] == [
        "Beth Baker (USA) won the women's 1500m in Salt Lake City ahead of Choi Ha Eun (KOR) "
        "and Femke Dekker (NED).",
        "Alice Adams (CAN) took the women's 1000m, her third World Cup win of the season, "
        "ahead of Choi and Baker.",
        "The American won the women's 1500m World Cup title with 100 points.",
        "She took the lead in the women's overall standings from Adams, whose lead had lasted "
        "7 days.",
        "The Canadian won the women's 1000m World Cup title with 200 points.",
        "She took the lead in the women's overall standings from the winner of the "
        "women's 1500m, whose lead had lasted 45 minutes.",
        "She leads the women's overall standings with 350 points, 20 ahead of the "
        "bronze medallist in the women's 1000m.",
    ]
    # A lead of 45 minutes is rarer than one of a week.
    week = only(document, "lead_ended", subject="Alice Adams", classification=overall)
    assert ended["rarity"] > week["rarity"]
    assert_every_fact_backed(document)


@pytest.fixture
def two_seasons(tmp_path):
    """Eriksen's silver in Montreal 2031/32, then nothing until a bronze in 2032/33; times
    throughout, with a world record in the 2032/33 500m final."""
    first = SimulatedSeason("2031/32")
    montreal = first.competition(1, "Montreal", date(2031, 10, 24))
    montreal.final(
        W,
        "500m",
        2,
        "14:00",
        [
            ("ADAMS Alice", "42.500"),
            ("ERIKSEN Ida", "42.610"),
            ("CHOI Ha-eun", "42.700"),
            ("DEKKER Femke", "42.800"),
        ],
        heats=[
            [("ADAMS Alice", "42.900"), ("DEKKER Femke", "43.010")],
            [("ERIKSEN Ida", "42.950"), ("CHOI Ha-eun", "43.100")],
        ],
    )
    montreal.final(
        W,
        "1000m",
        3,
        "14:00",
        ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke", "ERIKSEN Ida"],
    )
    second = SimulatedSeason("2032/33")
    again = second.competition(1, "Montreal", date(2032, 10, 22))
    again.final(
        W,
        "500m",
        2,
        "14:00",
        [
            ("BAKER Beth", "41.300"),
            ("ADAMS Alice", "42.450"),
            ("ERIKSEN Ida", "42.600"),
            ("DEKKER Femke", "42.900"),
        ],
        heats=[
            [("ADAMS Alice", "42.400"), ("DEKKER Femke", "43.000")],
            [("BAKER Beth", "42.480"), ("ERIKSEN Ida", "42.990")],
        ],
    )
    again.final(
        W, "1000m", 3, "14:00", ["ADAMS Alice", "BAKER Beth", "FONTANA Sara", "DEKKER Femke"]
    )
    import_paths([first.write(tmp_path), second.write(tmp_path)])
    return competition("2032/33", 1)


def test_a_first_medal_since_a_silver_a_season_earlier(two_seasons):
    document = session_summary(two_seasons.pk, date(2032, 10, 23), as_of=LATER)

    since = only(document, "first_medal_since", subject="Ida Eriksen")
    assert (since["values"]["previous_rank"], since["values"]["seasons"]) == (2, 1)
    assert since["text"] == (
        "Ida Eriksen (NOR) won her first individual World Cup medal since a silver in the "
        "women's 500m in Montreal in 2031/32."
    )
    assert_every_fact_backed(document)


def test_records_beaten_in_the_heats_and_the_final(two_seasons):
    document = session_facts(two_seasons.pk, date(2032, 10, 23), as_of=LATER)

    world = only(document, "world_record")
    assert world["text"] == (
        "Beth Baker (USA) set a world record of 41.300 in the Final A of the women's 500m, "
        "beating the 41.416 of Xandra Velzeboer (NED) from 2022."
    )
    # Adams's 42.400 in the heats beat her own 42.500 of 2031/32, the Montreal best;
    # Baker's 41.300 in the final beat that again.
    adams = only(document, "personal_best", subject="Alice Adams")
    assert (
        adams["values"]["time_ms"],
        adams["values"]["previous_ms"],
        adams["values"]["round"],
    ) == (
        42400,
        42500,
        "heats",
    )
    track = facts_of(document, "track_record")
    assert [
        (f["subject"]["press_name"], f["values"]["time_ms"], f["values"]["previous_ms"])
        for f in track
    ] == [
        ("Alice Adams", 42400, 42500),
        ("Beth Baker", 41300, 42400),
    ]
    assert only(document, "season_best", subject="Beth Baker")["values"]["previous_ms"] == 42400
    assert facts_of(document, "margin")[0]["values"]["margin_ms"] == 1150
    assert_every_fact_backed(document)


def test_career_facts_say_from_when_the_results_are_held(two_seasons):
    document = session_summary(two_seasons.pk, date(2032, 10, 24), as_of=LATER)
    assert only(document, "first_medal", subject="Sara Fontana")["text"] == (
        "Sara Fontana (ITA) won her first World Cup medal."
    )
    assert document["footnote"] == (
        "Career counts and records are of the results held here, from 2031/32."
    )
    assert_every_fact_backed(document)


@pytest.fixture
def clinched_with_one_to_go(tmp_path):
    """Adams wins four races in a row; the places behind her rotate among three others, so
    after the fourth nobody can reach her with one race left."""
    season = SimulatedSeason("2033/34")
    montreal = season.competition(1, "Montreal", date(2033, 10, 21))
    order = ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke"]
    montreal.final(W, "500m", 2, "14:00", order)
    montreal.final(
        W, "1000m", 2, "14:30", ["ADAMS Alice", "CHOI Ha-eun", "DEKKER Femke", "BAKER Beth"]
    )
    montreal.final(
        W, "1500m", 3, "14:00", ["ADAMS Alice", "DEKKER Femke", "BAKER Beth", "CHOI Ha-eun"]
    )
    dresden = season.competition(2, "Dresden", date(2033, 11, 4))
    dresden.final(W, "500m", 2, "14:00", order)
    dresden.scheduled(W, "1000m", 3, "14:00")
    import_paths([season.write(tmp_path)])
    return competition("2033/34", 2)


def test_a_globe_clinched_with_one_race_to_go(clinched_with_one_to_go):
    document = session_summary(clinched_with_one_to_go.pk, date(2033, 11, 5), as_of=LATER)

    fact = only(document, "clinched", subject="Alice Adams", classification="overall-women")
    assert fact["values"] | {} == {
        "classification": "overall-women",
        "verdict": "clinched",
        "points": 400,
        "races_left": 1,
        "best_rival": 390,
    }
    assert (
        "Adams won the women's 500m World Cup title with 200 points. She clinched the women's "
        "Crystal Globe with 1 race to go: 400 points, more than any rival can reach (390)."
        in document["text"]
    )
    # Two facts about her, one sentence and both its facts.
    joined = document["sentences"][3]
    assert joined["text"] == "She won gold at 33 and her second 500m of the season."
    assert [k.split(":")[0] for k in joined["facts"]] == ["age", "season_distance_wins"]
    assert_every_fact_backed(document)


@pytest.fixture
def level_at_the_end(tmp_path):
    season = SimulatedSeason("2034/35")
    montreal = season.competition(1, "Montreal", date(2034, 10, 20))
    montreal.final(
        W, "500m", 2, "14:00", ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke"]
    )
    montreal.final(
        W, "1000m", 3, "14:00", ["BAKER Beth", "ADAMS Alice", "CHOI Ha-eun", "DEKKER Femke"]
    )
    import_paths([season.write(tmp_path)])
    return competition("2034/35", 1)


def test_level_on_points_after_the_last_race_they_share_the_globe(level_at_the_end):
    document = session_summary(level_at_the_end.pk, date(2034, 10, 22), as_of=LATER)

    drew = only(document, "new_leader", subject="Beth Baker", classification="overall-women")
    lead = only(document, "lead", classification="overall-women")
    assert drew["values"]["shared_with"] == [lead["values"]["leaders"][0]]
    shared = facts_of(document, "clinched", classification="overall-women")
    assert sorted((f["subject"]["press_name"], f["values"]["verdict"]) for f in shared) == [
        ("Alice Adams", "shared"),
        ("Beth Baker", "shared"),
    ]
    assert (
        "Baker won the women's 1000m World Cup title with 100 points. "
        "Adams and the American share the women's Crystal Globe with 180 points."
        in (document["text"])
    )
    assert_every_fact_backed(document)


def test_competition_facts_hold_every_race_of_it(level_at_the_end):
    document = competition_facts(level_at_the_end.pk, as_of=LATER)
    assert {f["race"]["name"] for f in document["facts"]} == {
        "Montreal, Women's 500m",
        "Montreal, Women's 1000m",
    }


def test_a_final_linked_to_a_session_belongs_to_that_session_s_day(small_competition):
    """Montreal 2023/24: the women's 1000m (1) final on Saturday, the relay on Sunday,
    unless the schedule puts the relay final in Saturday's session."""
    saturday, sunday = date(2023, 10, 21), date(2023, 10, 22)
    assert [s["day"] for s in sessions("2023/24")] == [saturday.isoformat(), sunday.isoformat()]

    relay_final = Race.objects.get(round__distance_race__distance="W3000R", round__kind="final_a")
    # Set up as the organiser's console would (services.setup): a World Cup session.
    session = Session.objects.create(
        competition=small_competition,
        day=2,
        name="World Cup session",
        starts_at=datetime(2023, 10, 21, 17, 0, tzinfo=UTC),
    )
    relay_final.session = session
    relay_final.save()

    document = session_summary(small_competition.pk, saturday)
    assert [r["name"] for r in document["session"]["races"]] == [
        "Montreal, Women's 1000m (1)",
        "Montreal, Women's 3000m relay",
    ]
    assert document["text"].startswith(
        "Ida Eriksen (NOR) won the women's 1000m (1) in Montreal ahead of Alice Adams (CAN) "
        "and Yui Ito (JPN)."
    )
    assert_every_fact_backed(document)


# --- only what the public may see ----------------------------------------------------------------


def test_an_unpublished_competition_has_no_facts_and_counts_for_none(season_2022_23):
    """Almaty withdrawn from publication: its races have no facts, and van 't Wout's wins
    of the season are the two of Salt Lake City."""
    almaty = competition("2022/23", 3)
    van_t_wout = Skater.objects.get(family_name__iexact="van 't Wout")
    seen = skater_facts(van_t_wout.pk)  # loads and keeps the season's rankings
    assert [f["values"]["n"] for f in facts_of(seen, "season_wins")] == [1, 2, 3]

    Competition.objects.filter(pk=almaty.pk).update(published=False)

    men_1000 = find_distance_race(season_2022_23, "Almaty 3, 1000m", "men")
    for ask in (
        lambda: race_facts(men_1000.pk),
        lambda: competition_facts(almaty.pk),
        lambda: session_summary(almaty.pk, ALMATY_SATURDAY),
    ):
        with pytest.raises(NotPublic):
            ask()
    wins = facts_of(skater_facts(van_t_wout.pk), "season_wins")
    assert [f["race"]["name"] for f in wins] == [
        "Salt Lake City, Men's 1500m",
        "Salt Lake City, Men's 500m (2)",
    ]
    listed = sessions("2022/23")
    assert [s["day"] for s in listed if s["competition"]["number"] == 3] == []
    # The next competition's facts rest on no row of Almaty 3.
    after = next(s for s in listed if s["competition"]["number"] == 4)
    document = session_summary(after["competition"]["id"], date.fromisoformat(after["day"]))
    proofs = [p["id"] for f in document["facts"] for p in f["proof"] if p["kind"] == "ranking_line"]
    assert proofs
    assert not RankingLine.objects.filter(
        pk__in=proofs, ranking__distance_race__competition=almaty
    ).exists()
    assert_every_fact_backed(document)


def test_times_of_an_unpublished_competition_are_no_record_to_beat(two_seasons):
    """Without Montreal 2031/32 published, Adams's 42.400 in the 2032/33 heats beats no
    earlier time of hers: no personal best, and the track record is Baker's alone."""
    Competition.objects.filter(season__key="2031/32").update(published=False)
    document = session_facts(two_seasons.pk, date(2032, 10, 23), as_of=LATER)

    assert facts_of(document, "personal_best", subject="Alice Adams") == []
    assert [
        (f["subject"]["press_name"], f["values"]["previous_ms"])
        for f in facts_of(document, "track_record")
    ] == [("Beth Baker", 42400)]
    assert facts_of(document, "first_medal_since") == []
    assert_every_fact_backed(document)


def test_withdrawing_a_competition_changes_the_standings_facts_at_once(lead_change):
    """The standings behind the facts are kept between calls; withdrawing Montreal from
    publication must not leave its points in them. Without Montreal, Baker leads after
    both Salt Lake City finals (170 to Adams's 150) and no lead of hers ended."""
    saturday = date(2031, 11, 1)
    before = session_summary(lead_change.pk, saturday, as_of=LATER)
    assert only(before, "lead_ended", "Salt Lake City, Women's 1000m", "Beth Baker")

    Competition.objects.filter(season__key="2031/32", number=1).update(published=False)
    after = session_summary(lead_change.pk, saturday, as_of=LATER)

    assert facts_of(after, "lead_ended") == []
    lead = only(after, "lead", "Salt Lake City, Women's 1000m", classification="overall-women")
    assert lead["subject"]["press_name"] == "Beth Baker"
    assert lead["values"]["points"] == 170
    assert_every_fact_backed(after)


def test_a_season_s_summaries_at_once_are_each_session_s_summary(season_2022_23):
    """The summaries page and the feed ask for every summary at once; one pass of the
    finders over the season must write each as the session's own summary does."""
    moment = datetime(2023, 6, 1, tzinfo=UTC)
    together = season_summaries("2022/23", moment)
    apart = [
        session_summary(s["competition"]["id"], date.fromisoformat(s["day"]), moment)
        for s in sessions("2022/23", moment)
    ]
    assert len(together) == 12
    assert together == apart


def test_the_summaries_page_s_summaries_list_their_notable_facts_only(season_2022_23):
    """As the summaries page and the feed ask for them: each summary as the session's own,
    its facts the notable ones and its people those they name."""
    moment = datetime(2023, 6, 1, tzinfo=UTC)
    full = season_summaries("2022/23", moment)
    light = season_summaries("2022/23", moment, all_facts=False)
    assert len(light) == len(full) == 12
    for whole, notable in zip(full, light, strict=True):
        assert notable["facts"] == notable["notable"] == whole["notable"]
        assert len(whole["facts"]) > len(notable["facts"])
        named = {f["subject"]["key"] for f in notable["facts"]}
        assert named <= set(notable["people"]) <= set(whole["people"])
        for key in ("title", "text", "sentences", "footnote", "session", "records_from"):
            assert notable[key] == whole[key]


def test_summaries_at_once_with_records_and_careers(two_seasons):
    for key in ("2031/32", "2032/33"):
        together = season_summaries(key, LATER)
        apart = [
            session_summary(s["competition"]["id"], date.fromisoformat(s["day"]), LATER)
            for s in sessions(key, LATER)
        ]
        assert together == apart and together
    assert any(f["kind"] == "world_record" for s in together for f in s["facts"])


def test_summaries_at_once_with_lead_changes(lead_change):
    together = season_summaries("2031/32", LATER)
    apart = [
        session_summary(s["competition"]["id"], date.fromisoformat(s["day"]), LATER)
        for s in sessions("2031/32", LATER)
        if s["official"]  # the Salt Lake City 500m on Sunday is still to come
    ]
    assert together == apart
    assert any(f["kind"] == "lead_ended" for s in together for f in s["facts"])
