"""Session summaries in the house style (rules.summary): names, numbers, notable facts."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.facts import Fact
from shorttrack.rules.findings import find_facts
from shorttrack.rules.summary import (
    HEADLINE_KINDS,
    IMPLIES,
    count_word,
    duration_words,
    notable,
    summarise,
)
from tests.rules.histories import Book
from tests.rules.test_summary_references import as_printed

SEASON = "2031/32"


def test_numbers_and_durations_in_words():
    assert [count_word(n) for n in (1, 3, 10, 11, 12, 21, 22, 23)] == [
        "first",
        "third",
        "tenth",
        "11th",
        "12th",
        "21st",
        "22nd",
        "23rd",
    ]
    assert duration_words(47 * 60) == "47 minutes"
    assert duration_words(60) == "1 minute"
    assert duration_words(90 * 60) == "1 hour and 30 minutes"
    assert duration_words(3 * 86400 + 5) == "3 days"


def test_a_session_in_the_house_style():
    book = Book()
    book.race(SEASON, "M1500", ["WOUT", "PARK", "HONG", "DUBOIS"], day=1)
    book.race(SEASON, "M500", ["WOUT", "DUBOIS", "SIGHEL", "PARK"], day=2)
    saturday = [
        book.race(SEASON, "M1500", ["HONG", "DESMET", "LEE", "PARK"], day=3),
        book.race(SEASON, "M1000", ["WOUT", "DUBOIS", "LAOUN", "PARK"], day=3, hours=0.5),
    ]
    history = as_printed(book.history())

    summary = summarise(history, saturday, find_facts(history, saturday))

    assert summary.sentences[0].text == (
        "Hong Kyung Hwan (KOR) won the men's 1500m in Montreal ahead of Stijn Desmet (BEL) "
        "and Lee June Seo (KOR)."
    )
    assert summary.sentences[1].text == (
        "Jens van 't Wout (NED) took the men's 1000m, his third World Cup win of the season, "
        "ahead of Steven Dubois (CAN) and Maxime Laoun (CAN)."
    )
    # Park's 60 points for 4th drew him level (200); the 1000m, the last race of this little
    # season, gave van 't Wout the 1000m title and the Globe: said of him, named twice
    # already, as "the Dutch skater", then "he".
    assert (
        "Park Ji Won (KOR) drew level at the top of the men's overall standings with van 't Wout."
        in summary.text
    )
    assert (
        "The Dutch skater won the men's 1000m World Cup title with 100 points. "
        "He won the men's Crystal Globe with 300 points."
    ) in summary.text
    assert (
        "Park lost his share of the lead in the men's overall standings after 30 minutes."
        in summary.text
    )
    # Hong, named twice, is no longer "the Korean" with Park and Lee named too.
    assert (
        "At 32, the winner of the men's 1500m is the oldest winner of a men's individual race "
        "this season." in summary.text
    )
    assert all(sentence.facts for sentence in summary.sentences)
    assert 3 <= len(summary.notable) <= 6


def fact(kind, rarity, subject="sPARK", race=1):
    return Fact(kind, race, subject, {}, (), rarity, datetime(2031, 11, 1, tzinfo=UTC))


KINDS = sorted(
    {
        "podium",
        "lead",
        "standing",
        "margin",
        "age",
        *IMPLIES,
        *(k for v in IMPLIES.values() for k in v),
    }
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(KINDS),
            st.floats(0, 10, allow_nan=False),
            st.sampled_from(["sPARK", "sHONG"]),
            st.integers(1, 2),
        ),
        max_size=20,
    )
)
def test_notable_facts_are_the_rarest_news_and_say_nothing_twice(drawn):
    facts = [fact(kind, rarity, subject, race) for kind, rarity, subject, race in drawn]
    chosen = notable(facts)
    assert len(chosen) <= 6
    assert [f.rarity for f in chosen] == sorted((f.rarity for f in chosen), reverse=True)
    present = {(f.kind, f.subject, f.race) for f in facts}
    for f in chosen:
        assert f.kind not in HEADLINE_KINDS
        assert not any(
            (stronger, f.subject, f.race) in present
            for stronger, weaker in IMPLIES.items()
            if f.kind in weaker
        )
    # One fact of a kind per subject ("the oldest winner" is said once a session).
    assert len({(f.kind, f.subject) for f in chosen}) == len(chosen)
    # Every fact rare enough is chosen while there is room, unless it is said already.
    said = {(f.kind, f.subject) for f in chosen}
    rare = [
        f for f in facts if f.rarity >= 2.0 and f not in chosen and f.kind not in HEADLINE_KINDS
    ]
    for f in rare:
        implied = any((s, f.subject, f.race) in present for s, w in IMPLIES.items() if f.kind in w)
        assert implied or (f.kind, f.subject) in said or len(chosen) == 6


def test_winners_of_a_dead_heat_each_get_their_own_count_of_wins():
    book = Book()
    book.race(SEASON, "M1500", ["WOUT", "PARK", "HONG", "DUBOIS"], day=1)
    book.race(SEASON, "M500", ["WOUT", "DUBOIS", "SIGHEL", "PARK"], day=2)
    book.race(SEASON, "M1000", ["PARK", "DUBOIS", "LAOUN", "WOUT"], day=3)
    final = book.race(SEASON, "M1500", ["WOUT", "PARK", "HONG", "DUBOIS"], day=4)
    # A dead heat for first: Park's line takes rank 1 beside van 't Wout's.
    book.placings[final] = tuple(
        p._replace(rank=1) if p.entrant == "sPARK" else p for p in book.placings[final]
    )
    history = as_printed(book.history())

    summary = summarise(history, [final], find_facts(history, [final]))

    assert summary.sentences[0].text == (
        "Jens van 't Wout (NED) and Park Ji Won (KOR) shared first place in the men's 1500m "
        "in Montreal, van 't Wout's third and Park's second World Cup win of the season, "
        "ahead of Hong Kyung Hwan (KOR)."
    )
    wins = {f.subject: f for f in find_facts(history, [final]) if f.kind == "season_wins"}
    assert (wins["sWOUT"].values["n"], wins["sPARK"].values["n"]) == (3, 2)
    assert set(summary.sentences[0].facts) == {
        f"podium:{final}:sWOUT",
        wins["sWOUT"].key,
        wins["sPARK"].key,
    }
