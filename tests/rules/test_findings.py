"""All the facts of a set of races in one pass (rules.findings)."""

from __future__ import annotations

from shorttrack.rules.findings import find_facts, trails_for
from tests.rules.histories import Book

SEASON = "2031/32"


def test_the_facts_of_a_session_come_race_by_race_in_official_order():
    book = Book()
    first = book.race(SEASON, "M1500", ["WOUT", "PARK", "HONG", "DUBOIS"], day=1, hours=1)
    second = book.race(SEASON, "M500", ["PARK", "WOUT", "HONG", "DUBOIS"], day=1)
    pending = book.race(SEASON, "M1000", [], day=2, official=False)
    history = book.history()

    facts = find_facts(history, [first, second, pending])

    assert [f.race for f in facts] == sorted((f.race for f in facts), key=[second, first].index)
    assert {"podium", "lead", "standing", "new_leader"} <= {f.kind for f in facts}


def test_one_trail_per_classification_of_the_races():
    book = Book()
    race = book.race(SEASON, "M1500", ["WOUT", "PARK", "HONG"], day=1)
    trails = trails_for(book.history(), [race])
    assert sorted(trails[SEASON]) == ["M1500", "overall-men"]


def test_a_race_s_facts_are_the_same_found_alone_or_with_the_races_after_it():
    """The standings after a race are all its facts need: later races, which the trail of
    a set of races reaches, change none of them."""
    book = Book()
    first = book.race(SEASON, "M1500", ["WOUT", "PARK", "HONG", "DUBOIS"], day=1, hours=1)
    second = book.race(SEASON, "M500", ["PARK", "WOUT", "HONG", "DUBOIS"], day=1, hours=2)
    third = book.race(SEASON, "M1000", ["HONG", "DUBOIS", "PARK", "WOUT"], day=8)
    history = book.history()

    together = find_facts(history, [first, second, third])

    for race in (first, second, third):
        alone = find_facts(history, [race])
        assert alone == [f for f in together if f.race == race]
        assert {"lead", "standing"} <= {f.kind for f in alone}
    assert {"new_leader", "lead_ended"} <= {f.kind for f in together}


def test_without_standing_every_fact_but_the_medallists_standing():
    book = Book()
    first = book.race(SEASON, "M1500", ["WOUT", "PARK", "HONG", "DUBOIS"], day=1, hours=1)
    second = book.race(SEASON, "M500", ["PARK", "WOUT", "HONG", "DUBOIS"], day=1, hours=2)
    history = book.history()

    every = find_facts(history, [first, second])

    assert any(f.kind == "standing" for f in every)
    assert find_facts(history, [first, second], standing=False) == [
        f for f in every if f.kind != "standing"
    ]
