"""Standings effects of a race (rules.leaders): leaders over time, leads won and lost, gaps,
a classification decided."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.findings import find_facts, trails_for
from shorttrack.rules.leaders import standings_facts
from shorttrack.rules.season import CountingRule, Ruled, season_rules
from shorttrack.rules.standings import classify
from tests.rules.histories import PEOPLE, Book

SEASON = "2031/32"
MEN = [k for k, v in PEOPLE.items() if v[3] == "men"]


def kinds(facts, kind, classification="overall-men"):
    return [f for f in facts if f.kind == kind and f.values.get("classification") == classification]


def saturday():
    """Park leads after Friday's 500m; Hong's 1500m win at 14:00 puts him ahead; Park's
    1000m win 50 minutes later takes it back."""
    book = Book()
    book.race(SEASON, "M500", ["PARK", "HONG", "DUBOIS", "SIGHEL"], day=1)
    book.race(SEASON, "M1500", ["HONG", "DUBOIS", "SIGHEL", "PARK"], day=2)
    book.race(SEASON, "M1000", ["PARK", "SIGHEL", "HONG", "DUBOIS"], day=2, hours=50 / 60)
    return book


def test_a_lead_won_at_14_00_and_lost_50_minutes_later():
    book = saturday()
    history = book.history()
    facts = find_facts(history, history.races)

    hong, park = kinds(facts, "new_leader")[1:]
    assert (hong.subject, hong.race, hong.values["previous"], hong.values["points"]) == (
        "sHONG",
        2,
        ["sPARK"],
        180,
    )
    assert (park.subject, park.race, park.values["first_time"]) == ("sPARK", 3, False)
    ended = kinds(facts, "lead_ended")
    assert [(f.subject, f.values["seconds"]) for f in ended] == [
        ("sPARK", 24 * 3600),
        ("sHONG", 50 * 60),
    ]
    # The shorter lead is the rarer fact.
    assert ended[1].rarity > ended[0].rarity


def test_the_lead_and_the_medallists_standing_after_the_race():
    history = saturday().history()
    facts = find_facts(history, [3])
    (lead,) = kinds(facts, "lead")
    assert lead.values == {
        "classification": "overall-men",
        "leaders": ["sPARK"],
        "points": 260,
        "gap": 10,
        "second": ["sHONG"],
    }
    standing = {f.subject: f.values for f in kinds(facts, "standing")}
    assert (standing["sHONG"]["rank"], standing["sHONG"]["behind_next"]) == (2, 10)
    # Sighel (60 + 70 + 80) and Dubois (70 + 80 + 60) share third place.
    assert (standing["sSIGHEL"]["rank"], standing["sSIGHEL"]["points"]) == (3, 210)


def test_no_standings_facts_when_a_scoring_place_is_unknown():
    book = saturday()
    book.race(SEASON, "M500", ["HONG", None, "PARK"], day=3, podium_known=False)
    last = book.race(SEASON, "M1000", ["PARK", "HONG", "SIGHEL", "DUBOIS"], day=4)
    history = book.history()
    assert (
        kinds(
            standings_facts(history, history.race(last), trails_for(history, [last])[SEASON]),
            "lead",
        )
        == []
    )


def test_a_classification_clinched_with_one_race_to_go():
    book = Book()
    for day, order in enumerate(
        (
            ["PARK", "HONG", "DUBOIS", "SIGHEL"],
            ["PARK", "DUBOIS", "SIGHEL", "HONG"],
            ["PARK", "SIGHEL", "HONG", "DUBOIS"],
            ["PARK", "HONG", "DUBOIS", "SIGHEL"],
        ),
        start=1,
    ):
        book.race(SEASON, ["M500", "M1000", "M1500", "M500"][day - 1], order, day=day)
    book.race(SEASON, "M1000", [], day=5, official=False)
    history = book.history()

    facts = find_facts(history, history.races)

    (clinched,) = kinds(facts, "clinched")
    assert (clinched.subject, clinched.race) == ("sPARK", 4)
    assert clinched.values == {
        "classification": "overall-men",
        "verdict": "clinched",
        "points": 400,
        "races_left": 1,
        "best_rival": 390,
    }


# --- properties -----------------------------------------------------------------------------


@st.composite
def season_of_races(draw):
    book = Book()
    for day in range(1, draw(st.integers(2, 9))):
        order = draw(st.permutations(MEN))[: draw(st.integers(3, len(MEN)))]
        hours = draw(st.sampled_from([0, 0.5, 1]))
        book.race(
            SEASON,
            draw(st.sampled_from(["M500", "M1000", "M1500"])),
            order,
            day=day // 2,
            hours=day + hours,
        )
    return book


COUNTING = [
    CountingRule("all"),
    CountingRule("best_per_distance", 2),
    CountingRule("best", 3),
    CountingRule("best", 2, 3),
]


def with_rules(counting: CountingRule, tie_break: str):
    rules = season_rules("2023/24")
    specs = tuple(
        dataclasses.replace(spec, counting=Ruled(counting)) if spec.kind == "overall" else spec
        for spec in rules.classifications
    )
    return dataclasses.replace(rules, tie_break=Ruled(tie_break), classifications=specs)


@settings(max_examples=60, deadline=None)
@given(season_of_races(), st.sampled_from(COUNTING), st.sampled_from(["none", "countback"]))
def test_leads_agree_with_the_standings_at_every_moment(book, counting, tie_break):
    rules = with_rules(counting, tie_break)
    history = book.history(rules={SEASON: rules})
    spec = rules.classification("overall-men")
    path = trails_for(history, history.races)[SEASON]["overall-men"]
    every = [r for rev in history.revisions[SEASON] for r in rev.results]
    for moment in path.moments:
        direct = classify(rules, spec, every, moment.at)
        assert moment.leaders == {row.entrant for row in direct.leaders}
        assert sorted(moment.order) == sorted((r.rank, r.entrant, r.points) for r in direct.rows)

    for fact in find_facts(history, history.races):
        if fact.values.get("classification") != "overall-men":
            continue
        just_before = classify(rules, spec, every, fact.at - timedelta(microseconds=1))
        now = classify(rules, spec, every, fact.at)
        leaders_before = {row.entrant for row in just_before.leaders}
        leaders_now = {row.entrant for row in now.leaders}
        if fact.kind == "new_leader":
            assert fact.subject in leaders_now and fact.subject not in leaders_before
        if fact.kind == "lead_ended":
            assert fact.subject in leaders_before and fact.subject not in leaders_now
            since = fact.at - timedelta(seconds=fact.values["seconds"])
            held = [m for m in path.moments if since <= m.at < fact.at]
            assert held and all(fact.subject in m.leaders for m in held)
            earlier = [m for m in path.moments if m.at < since]
            assert not earlier or fact.subject not in earlier[-1].leaders


def test_a_win_corrected_after_the_13th_race_keeps_its_place_among_the_12_that_may_count():
    """Issue 12: best 9 of at most 12; Park wins race 1 and is second to Hong in the 12
    after it; race 1's ranking is corrected (still Park's win) after the 13th race. The
    win keeps its place: 100 + 8 × 80 = 740 after the correction, as before it (not 720,
    the win re-added as the 14th result, beyond the 12 races that may count)."""
    book = Book()
    book.race(SEASON, "M500", ["PARK", "HONG"], day=1)
    for day in range(2, 14):
        book.race(SEASON, ("M500", "M1000", "M1500")[day % 3], ["HONG", "PARK"], day=day)
    rules = with_rules(CountingRule("best", 9, 12), "none")
    history = book.history(rules={SEASON: rules})
    first = history.revisions[SEASON][0]
    correction = first._replace(
        number=2,
        official_at=first.official_at + timedelta(days=20),
        results=tuple(
            r._replace(
                official_at=first.official_at + timedelta(days=20), first_official_at=r.official_at
            )
            for r in first.results
        ),
    )
    history = dataclasses.replace(
        history, revisions={SEASON: (*history.revisions[SEASON], correction)}
    )
    path = trails_for(history, [1])[SEASON]["overall-men"]
    assert (rules.points_for(1), rules.points_for(2)) == (100, 80)
    assert [m.totals["sPARK"] for m in path.moments[-3:]] == [740, 740, 740]
    assert path.index_of(1) == len(path.moments) - 1 == 13
    current = [r for rev in history.revisions[SEASON][1:] for r in rev.results]
    table = classify(rules, rules.classification("overall-men"), current)
    assert path.moments[-1].order == [(r.rank, r.entrant, r.points) for r in table.rows]
