"""Facts of a race found in its final ranking and the history before it (rules.facts)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.facts import Person, Proof, SheetLine, race_facts
from tests.rules.histories import PEOPLE, Book

FIRST, SECOND, THIRD = "2030/31", "2031/32", "2032/33"


def kinds(facts, kind, subject=None):
    return [f for f in facts if f.kind == kind and (subject is None or f.subject == subject)]


def test_third_win_of_the_season_rests_on_the_three_winning_lines():
    book = Book()
    a = book.race(SECOND, "M1500", ["WOUT", "PARK", "HONG"], day=1)
    b = book.race(SECOND, "M500", ["WOUT", "DUBOIS", "SIGHEL"], day=2)
    book.race(SECOND, "M1000", ["PARK", "WOUT", "HONG"], day=3)
    c = book.race(SECOND, "M1000", ["WOUT", "DUBOIS", "HONG"], day=4)

    facts = race_facts(book.history(), c)

    (wins,) = kinds(facts, "season_wins", "sWOUT")
    assert wins.values["n"] == 3
    assert wins.proof == tuple(Proof("ranking_line", book.line(r, "WOUT")) for r in (a, b, c))
    # His first 1000m win: no count at the distance.
    assert kinds(facts, "season_distance_wins") == []


def test_a_race_whose_podium_is_unknown_stops_the_counting():
    book = Book()
    book.race(SECOND, "M1500", ["WOUT", "PARK", "HONG"], day=1)
    book.race(SECOND, "M500", [None, "DUBOIS", "SIGHEL"], day=2, podium_known=False)
    last = book.race(SECOND, "M1000", ["WOUT", "DUBOIS", "HONG"], day=3)
    assert kinds(race_facts(book.history(), last), "season_wins") == []


def test_no_career_facts_in_the_first_season_held():
    book = Book((FIRST, SECOND))
    first = book.race(FIRST, "M500", ["LAOUN", "PARK", "HONG"], day=1)
    later = book.race(SECOND, "M500", ["DESMET", "LAOUN", "PARK"], day=400)
    history = book.history()

    assert kinds(race_facts(history, first), "first_medal") == []
    facts = race_facts(history, later)
    assert [f.subject for f in kinds(facts, "first_medal")] == ["sDESMET"]
    assert [f.subject for f in kinds(facts, "first_win")] == ["sDESMET"]
    assert [(f.subject, f.values["n"]) for f in kinds(facts, "career_medals")] == [
        ("sLAOUN", 2),
        ("sPARK", 2),
    ]


def test_a_first_medal_since_a_silver_two_seasons_earlier():
    book = Book((FIRST, SECOND, THIRD))
    silver = book.race(FIRST, "M500", ["PARK", "DESMET", "HONG"], day=1)
    book.race(SECOND, "M500", ["PARK", "HONG", "DUBOIS"], day=400)
    bronze = book.race(THIRD, "M1500", ["HONG", "PARK", "DESMET"], day=800)

    facts = race_facts(book.history(), bronze)

    (since,) = kinds(facts, "first_medal_since", "sDESMET")
    assert since.values == {
        "previous_race": silver,
        "previous_rank": 2,
        "seasons": 2,
        "races_between": 1,
    }
    assert since.proof == (
        Proof("ranking_line", book.line(silver, "DESMET")),
        Proof("ranking_line", book.line(bronze, "DESMET")),
    )
    # Two seasons without a medal is rarer than one.
    assert since.rarity == 5.0


def test_three_wins_in_a_row_at_one_distance_across_seasons():
    book = Book((FIRST, SECOND))
    book.race(FIRST, "M1000", ["SIGHEL", "PARK", "DUBOIS"], day=1)
    book.race(FIRST, "M1000", ["PARK", "HONG", "DUBOIS"], day=2)
    book.race(FIRST, "M500", ["DUBOIS", "HONG", "SIGHEL"], day=3)  # another distance
    book.race(SECOND, "M1000", ["PARK", "DUBOIS", "HONG"], day=400)
    third = book.race(SECOND, "M1000", ["PARK", "SIGHEL", "HONG"], day=401)

    (streak,) = kinds(race_facts(book.history(), third), "win_streak")
    assert (streak.subject, streak.values["n"]) == ("sPARK", 3)
    # Hong's medals in the last four men's races, none in the one before.
    (medals,) = kinds(race_facts(book.history(), third), "medal_streak")
    assert (medals.subject, medals.values["n"]) == ("sHONG", 4)


def test_a_streak_reaching_back_to_the_first_race_held_is_no_fact():
    book = Book()
    book.race(SECOND, "M1000", ["PARK", "HONG", "DUBOIS"], day=1)
    second = book.race(SECOND, "M1000", ["PARK", "HONG", "DUBOIS"], day=2)
    assert kinds(race_facts(book.history(), second), "win_streak") == []


def test_a_nation_sweeps_the_podium_with_its_first_win_of_the_season():
    book = Book()
    for day in range(1, 11):
        book.race(SECOND, "M500", ["DUBOIS", "WOUT", "SIGHEL"], day=day)
    sweep = book.race(SECOND, "M1500", ["PARK", "HONG", "LEE"], day=12)

    facts = race_facts(book.history(), sweep)

    assert [f.subject for f in kinds(facts, "nation_sweep")] == ["KOR"]
    (first_win,) = kinds(facts, "nation_first_win")
    assert (first_win.subject, first_win.values["entrant"]) == ("KOR", "sPARK")
    # Ten races into the season, a first win is rare; on the first day it would not be.
    assert first_win.rarity > 1


def test_no_first_of_the_season_after_a_race_whose_podium_is_unknown():
    book = Book()
    book.race(SECOND, "M500", ["DUBOIS", "WOUT", None], day=1, podium_known=False)
    kor = book.race(SECOND, "M1000", ["HONG", "PARK", "DUBOIS"], day=2)
    facts = race_facts(book.history(), kor)
    assert kinds(facts, "nation_first_medal") == kinds(facts, "nation_first_win") == []


def test_the_youngest_winner_of_the_season_needs_every_winner_s_birth_date():
    book = Book()
    book.race(SECOND, "M500", ["PARK", "HONG", "DUBOIS"], day=1)
    book.race(SECOND, "M1500", ["HONG", "PARK", "DUBOIS"], day=2)
    young = book.race(SECOND, "M1000", ["WOUT", "PARK", "HONG"], day=3)
    facts = race_facts(book.history(), young)
    (youngest,) = kinds(facts, "youngest_winner")
    assert (youngest.subject, youngest.values["age"]) == ("sWOUT", 29)
    assert kinds(facts, "age", "sWOUT")[0].values == {"age": 29, "rank": 1}

    unknown = book.race(SECOND, "M500", ["DESMET", "PARK", "HONG"], day=4)  # no birth date
    later = book.race(SECOND, "M1000", ["WOUT", "PARK", "HONG"], day=5)
    history = book.history()
    assert kinds(race_facts(history, later), "youngest_winner") == []
    assert kinds(race_facts(history, unknown), "age", "sDESMET") == []


def test_a_penalty_in_final_a_from_the_result_sheet_with_the_referee_s_note():
    book = Book()
    race = book.race(SECOND, "M500", ["PARK", "HONG", "DUBOIS", "SIGHEL"], day=1)
    start = book.races[race].official_at
    sheet = (
        SheetLine(
            91,
            race,
            "final_a",
            1,
            start,
            "sSIGHEL",
            "sSIGHEL",
            "ITA",
            None,
            None,
            "PEN",
            "impeding",
        ),
    )
    facts = race_facts(book.history(sheets={race: sheet}), race)
    (penalty,) = kinds(facts, "final_penalty")
    assert penalty.values == {"status": "PEN", "warnings": "impeding"}
    assert penalty.proof == (Proof("race_result_line", 91),)


# --- properties ------------------------------------------------------------------------------

MEN = [k for k, v in PEOPLE.items() if v[3] == "men"]


@st.composite
def season_of_podiums(draw):
    book = Book((FIRST, SECOND))
    for day in range(draw(st.integers(1, 12))):
        season = FIRST if day < 4 else SECOND
        order = draw(st.permutations(MEN))[:4]
        distance = draw(st.sampled_from(["M500", "M1000", "M1500"]))
        book.race(season, distance, order, day=day * 30)
    return book


@settings(max_examples=60, deadline=None)
@given(season_of_podiums())
def test_every_count_is_the_number_of_lines_it_rests_on(book):
    history = book.history()
    lines = {p.line: p for ps in history.placings.values() for p in ps}
    for race_id in history.races:
        race = history.race(race_id)
        for fact in race_facts(history, race_id):
            if fact.kind not in ("season_wins", "season_distance_wins", "career_medals"):
                continue
            proved = [lines[p.id] for p in fact.proof]
            assert len(proved) == fact.values["n"]
            assert all(p.entrant == fact.subject for p in proved)
            assert proved[-1].race == race_id
            for p in proved:
                other = history.race(p.race)
                assert other.official_at <= race.official_at
                if fact.kind != "career_medals":
                    assert other.season == race.season and p.rank == 1
            # Nothing left out: every such line of the subject before the race is proof.
            wanted = [
                p
                for r in history.official_races(until=race)
                for p in history.placings[r.id]
                if p.entrant == fact.subject
                and (p.rank == 1 if fact.kind != "career_medals" else p.rank <= 3)
                and (fact.kind == "career_medals" or r.season == race.season)
                and (fact.kind != "season_distance_wins" or r.distance == race.distance)
            ]
            assert [p.line for p in wanted] == [p.line for p in proved]


def test_a_nation_without_a_name_held_is_named_by_its_code():
    assert Book().history().person("nKAZ") == Person("nKAZ", "KAZ", "KAZ", "KAZ")
