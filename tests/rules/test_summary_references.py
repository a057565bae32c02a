"""How a session summary refers to skaters and nations (rules.summary): a skater named in
full once, then by the family name, never a third time; nations as ISU news names them;
names as the season prints them; every sentence written from facts."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.facts import Bests, History, Mark, Person
from shorttrack.rules.findings import find_facts
from shorttrack.rules.press_names import press_name
from shorttrack.rules.summary import Writer, summarise
from tests.rules.histories import PEOPLE, Book
from tests.rules.test_bests import sheet

SEASON = "2031/32"  # the Book's seasons follow the 2023/24 rules: korean_given "spaced"


def as_printed(history: History) -> History:
    """The Book's skaters named as the loader names them: the season's convention applied
    (queries.facts does this from the store), the family name kept as stored."""
    convention = history.rules[SEASON].korean_given.value
    people = dict(history.people)
    for key, (given_name, family, nation, *_) in PEOPLE.items():
        people[f"s{key}"] = replace(
            people[f"s{key}"],
            press_name=press_name(given_name, family, nation, convention),
            family=family,
        )
    return replace(history, people=people)


def season_to_come(book: Book, day: int) -> None:
    """Races still to be skated, so that nothing is decided yet."""
    for distance in ("M500", "M1000", "M1500"):
        book.race(SEASON, distance, [], day=day, official=False)


def namings(text: str, family: str) -> int:
    """How often a sentence names the skater: the family name, in full or alone."""
    return len(re.findall(rf"(?<![\w']){re.escape(family)}(?![\w'])", text, re.IGNORECASE))


def test_a_skater_winning_two_finals_is_named_in_full_then_by_surname_then_not_at_all():
    book = Book()
    book.race(SEASON, "M1500", ["WOUT", "PARK", "HONG", "DUBOIS"], day=1)
    book.race(SEASON, "M500", ["DUBOIS", "WOUT", "SIGHEL", "PARK"], day=2)
    saturday = [
        book.race(SEASON, "M1500", ["PARK", "WOUT", "DUBOIS", "HONG"], day=8),
        book.race(SEASON, "M1000", ["PARK", "WOUT", "SIGHEL", "DESMET"], day=8, hours=0.5),
    ]
    season_to_come(book, day=15)
    history = as_printed(book.history())

    summary = summarise(history, saturday, find_facts(history, saturday))

    assert [s.text for s in summary.sentences[:2]] == [
        "Park Ji Won (KOR) won the men's 1500m in Montreal ahead of Jens van 't Wout (NED) "
        "and Steven Dubois (CAN).",
        "Park also won the men's 1000m, his second World Cup win of the season, ahead of "
        "van 't Wout and Pietro Sighel (ITA).",
    ]
    assert summary.sentences[2].text == (
        "He drew level at the top of the men's 1500m standings with the Dutch skater."
    )
    # Each description once: "the Dutch skater", then his podiums of the session.
    assert summary.sentences[3].text == (
        "He drew level at the top of the men's overall standings with the runner-up in the "
        "men's 1500m."
    )
    assert summary.sentences[4].text.startswith(
        "The Korean and the runner-up in the men's 1000m share the lead in the men's overall "
        "standings"
    )
    assert "At 35, the winner of the men's 1500m is the oldest winner of a men's individual " in (
        summary.text
    )
    for family in ("Park", "van 't Wout", "Dubois"):
        assert namings(summary.text, family) == 2, family


def test_the_season_s_convention_prints_ji_won_as_ji_won():
    book = Book()
    final = book.race(SEASON, "M1000", ["PARK", "LEE", "DUBOIS"], day=1)
    season_to_come(book, day=8)
    history = as_printed(book.history())

    summary = summarise(history, [final], find_facts(history, [final]))

    assert summary.sentences[0].text == (
        "Park Ji Won (KOR) won the men's 1000m in Montreal ahead of Lee June Seo (KOR) and "
        "Steven Dubois (CAN)."
    )
    assert "Ji-won" not in summary.text and "June-seo" not in summary.text


def test_nations_are_named_as_in_running_text_never_the_republic_of_korea():
    book = Book()
    book.race(SEASON, "M500", ["DUBOIS", "WOUT", "SIGHEL"], day=1)
    sweep = book.race(SEASON, "M1000", ["HONG", "PARK", "LEE", "DUBOIS"], day=2)
    season_to_come(book, day=8)
    history = as_printed(book.history())
    facts = find_facts(history, [sweep])

    summary = summarise(history, [sweep], facts)

    assert "Korea took all three medals in the men's 1000m." in summary.text
    assert "Republic of Korea" not in summary.text
    sentence = next(s for s in summary.sentences if s.text.startswith("Korea took"))
    assert sentence.facts == (next(f.key for f in facts if f.kind == "nation_sweep"),)


def test_a_third_podium_sentence_varies_its_wording():
    book = Book()
    saturday = [
        book.race(SEASON, "M500", ["DUBOIS", "WOUT", "SIGHEL"], day=1),
        book.race(SEASON, "M1000", ["HONG", "LAOUN", "DESMET"], day=1, hours=0.5),
        book.race(SEASON, "M1500", ["LEE", "PARK", "WOUT"], day=1, hours=1),
    ]
    season_to_come(book, day=8)
    history = as_printed(book.history())

    summary = summarise(history, saturday, find_facts(history, saturday))

    assert [s.text for s in summary.sentences[:3]] == [
        "Steven Dubois (CAN) won the men's 500m in Montreal ahead of Jens van 't Wout (NED) "
        "and Pietro Sighel (ITA).",
        "Hong Kyung Hwan (KOR) took the men's 1000m ahead of Maxime Laoun (CAN) and Stijn "
        "Desmet (BEL).",
        "In the men's 1500m, Lee June Seo (KOR) beat Park Ji Won (KOR) and van 't Wout.",
    ]


SKATERS = sorted(PEOPLE)


@st.composite
def sessions(draw):
    """A season of up to six earlier races and a session of one to four finals, each ranked
    in a drawn order of three to eight of the Book's men, some with a dead heat for first;
    sometimes races still to come."""
    book = Book()
    distances = st.sampled_from(["M500", "M1000", "M1500"])
    orders = st.permutations(SKATERS).flatmap(
        lambda order: st.integers(3, len(order)).map(lambda n: list(order[:n]))
    )
    for day in range(draw(st.integers(0, 6))):
        book.race(SEASON, draw(distances), draw(orders), day=day)
    session = [
        book.race(SEASON, draw(distances), draw(orders), day=10, hours=i / 2)
        for i in range(draw(st.integers(1, 4)))
    ]
    for race in session:
        if draw(st.booleans()):  # a dead heat for first: the second's line ranks 1 too
            second = book.placings[race][1].entrant
            book.placings[race] = tuple(
                p._replace(rank=1) if p.entrant == second else p for p in book.placings[race]
            )
    if draw(st.booleans()):
        season_to_come(book, day=20)
    return as_printed(book.history()), session


@settings(max_examples=150, deadline=None)
@given(sessions())
def test_no_summary_names_a_skater_more_than_twice_and_every_sentence_is_of_facts(drawn):
    history, session = drawn
    facts = find_facts(history, session)
    keys = {f.key for f in facts}

    summary = summarise(history, session, facts)

    for key, (_, family, *_) in PEOPLE.items():
        assert namings(summary.text, family) <= 2, (key, summary.text)
    for sentence in summary.sentences:
        assert sentence.facts and set(sentence.facts) <= keys, sentence
    written = [key for sentence in summary.sentences for key in sentence.facts]
    assert len(written) == len(set(written)), summary.text  # a fact is said once
    assert "Republic of" not in summary.text and "\x00" not in summary.text
    assert not re.search(r"\b[A-Z][a-z]+-[a-z]+", summary.text)  # "Ji Won", not "Ji-won"


def test_a_world_record_names_the_holder_beaten_as_the_season_prints_names():
    book = Book()
    race = book.race(SEASON, "M1000", ["PARK", "HONG", "DUBOIS"], day=1)
    season_to_come(book, day=8)
    final = book.races[race].official_at
    lines = sheet(race, "final_a", final, (1, "PARK", 80_800), (2, "HONG", 80_950))
    history = as_printed(book.history(sheets={race: lines}))
    facts = find_facts(history, [race])

    summary = summarise(history, [race], facts)

    # Named twice by then, Park is "he": the subject of the sentence before.
    assert [s.text for s in summary.sentences[1:4]] == [
        "Park leads the men's overall standings with 100 points, 20 ahead of Hong.",
        "He set a world record of 1:20.800 in the Final A of the men's 1000m, beating the "
        "1:20.875 of Hwang Dae Heon (KOR) from 2016.",
        "He won gold at 35.",
    ]
    record = next(f for f in facts if f.kind == "world_record")
    assert summary.sentences[2].facts == (record.key,)


def test_a_skater_of_a_nation_without_a_word_for_its_skaters():
    book = Book()
    book.race(SEASON, "M500", ["DESMET", "PARK", "DUBOIS"], day=1)
    history = as_printed(book.history())
    people = dict(history.people)
    people["sDESMET"] = replace(people["sDESMET"], nation="LUX")
    people["nLUX"] = Person("nLUX", "LUX", "Luxembourg", "LUX")
    history = replace(history, people=people)
    writer = Writer(history)

    assert [writer.name("sDESMET") for _ in range(3)] == [
        "Stijn Desmet (LUX)",
        "Desmet",
        "the skater from Luxembourg",
    ]


def test_track_records_beaten_one_after_another_in_a_race_are_one_sentence():
    book = Book()
    race = book.race(SEASON, "M1000", ["PARK", "HONG", "DUBOIS"], day=1)
    season_to_come(book, day=8)
    final = book.races[race].official_at
    heats = final - timedelta(hours=4)
    lines = sheet(race, "heats", heats, (1, "LEE", 84_900), (2, "SIGHEL", 85_500), race_no=1)
    lines += sheet(
        race, "heats", heats + timedelta(minutes=5), (3, "DESMET", 84_500), (4, "LAOUN", 85_600)
    )
    lines += sheet(race, "final_a", final, (5, "PARK", 84_300), (6, "HONG", 84_600))
    bests = Bests(track={("M1000", "Montreal Arena"): Mark(85_000, 99, "sWOUT", 98)})
    history = as_printed(book.history(sheets={race: lines}, bests=bests))
    facts = find_facts(history, [race])

    summary = summarise(history, [race], facts)

    records = [f.key for f in facts if f.kind == "track_record"]
    (sentence,) = [s for s in summary.sentences if "track record" in s.text]
    assert sentence.text == (
        "The track record for Montreal Arena fell three times in the men's 1000m: to 1:24.900 "
        "in the heats by Lee June Seo (KOR), 1:24.500 in the heats by Stijn Desmet (BEL) and "
        "1:24.300 in the Final A by the winner of the men's 1000m (before: 1:25.000)."
    )
    assert sorted(sentence.facts) == sorted(records) and len(records) == 3


def test_two_skaters_drawing_level_at_the_top_is_one_fact_said_once():
    book = Book()
    book.race(SEASON, "M1500", ["DESMET", "PARK", "HONG", "WOUT"], day=1)
    # Park 80 + 80 and van 't Wout 60 + 100: level on 160, past Desmet's 100 + 50.
    saturday = [book.race(SEASON, "M1500", ["WOUT", "PARK", "SIGHEL", "LEE", "DESMET"], day=8)]
    season_to_come(book, day=15)
    history = as_printed(book.history())
    facts = find_facts(history, saturday)

    summary = summarise(history, saturday, facts)

    assert summary.sentences[1].text == (
        "Park and van 't Wout now share the lead in the men's 1500m standings; Stijn Desmet "
        "(BEL) had held it for 7 days."
    )
    assert sorted(summary.sentences[1].facts) == sorted(
        f.key
        for f in facts
        if f.kind in ("new_leader", "lead_ended") and f.values["classification"] == "M1500"
    )
    # Their overall lead after the race is in the same sentence, not said again after it.
    assert summary.sentences[2].text == (
        "The Korean and the Dutch skater now share the lead in the men's overall standings "
        "with 160 points, 10 ahead of Desmet, who had held it for 7 days."
    )
    assert len(summary.sentences) == 4
    assert "drew level" not in summary.text
    written = [key for s in summary.sentences for key in s.facts]
    assert len(written) == len(set(written))  # each fact said once


def test_first_medals_of_several_skaters_are_one_sentence():
    book = Book(seasons=("2030/31", SEASON))
    book.race("2030/31", "M500", ["PARK", "SIGHEL", "LAOUN"], day=-300)
    saturday = [
        book.race(SEASON, "M1000", ["PARK", "HONG", "DUBOIS"], day=1),
        book.race(SEASON, "M1500", ["PARK", "WOUT", "DESMET"], day=1, hours=1),
        book.race(SEASON, "M500", ["PARK", "LEE", "SIGHEL"], day=1, hours=2),
    ]
    season_to_come(book, day=20)
    history = as_printed(book.history())
    facts = find_facts(history, saturday)

    summary = summarise(history, saturday, facts)

    (sentence,) = [s for s in summary.sentences if "first World Cup medal" in s.text]
    # In the order the podiums named them; Hong and Lee were named twice by then.
    assert sentence.text == (
        "The runner-up in the men's 1000m, Dubois, the Dutch skater, Desmet and the runner-up "
        "in the men's 500m won their first World Cup medals."
    )
    assert sorted(sentence.facts) == sorted(f.key for f in facts if f.kind == "first_medal")
    assert len(sentence.facts) == 5


def test_a_record_in_a_heat_says_the_round_before_its_setter():
    book = Book()
    m500 = book.race(SEASON, "M500", ["LEE", "HONG", "DUBOIS"], day=1)
    m1000 = book.race(SEASON, "M1000", ["PARK", "HONG", "DUBOIS"], day=1, hours=1)
    season_to_come(book, day=8)
    final = book.races[m1000].official_at
    heats = final - timedelta(hours=4)
    lines = sheet(m1000, "heats", heats, (1, "LEE", 84_900), (2, "SIGHEL", 85_500), race_no=1)
    lines += sheet(m1000, "final_a", final, (5, "PARK", 84_300), (6, "HONG", 84_600))
    bests = Bests(track={("M1000", "Montreal Arena"): Mark(85_000, 99, "sLAOUN", 98)})
    history = as_printed(book.history(sheets={m1000: lines}, bests=bests))
    session = [m500, m1000]
    facts = find_facts(history, session)

    summary = summarise(history, session, facts)

    (sentence,) = [s for s in summary.sentences if "track record" in s.text]
    # Not "by the winner of the men's 500m in the heats" of the 1000m; three Koreans named.
    assert sentence.text == (
        "The track record for Montreal Arena fell twice in the men's 1000m: to 1:24.900 in the "
        "heats by the winner of the men's 500m and 1:24.300 in the Final A by Park (before: "
        "1:25.000)."
    )


def test_a_skater_said_four_times_is_never_described_the_same_way_twice():
    book = Book()
    book.race(SEASON, "M500", ["DESMET", "PARK", "DUBOIS"], day=1)
    history = as_printed(book.history())
    writer = Writer(history)
    saturday = [history.race(1)]
    podium = next(f for f in find_facts(history, [1]) if f.kind == "podium")
    writer.podium(saturday[0], podium, (), where=False)
    writer.name("sLAOUN")  # another Canadian: "the Canadian" would not tell them apart

    assert [writer.name("sDUBOIS") for _ in range(2)] == [
        "Dubois",
        "the bronze medallist in the men's 500m",
    ]
    assert [writer.name("sDESMET") for _ in range(3)] == [
        "Desmet",
        "the Belgian",
        "the winner of the men's 500m",
    ]
