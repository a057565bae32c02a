"""The race for the Crystal Globe: who is out, who has clinched, which finishes clinch it.

The examples are small seasons a reader can add up; the property test tries every outcome
of the remaining races (three contenders and a skater without points, two races to go)
and holds the calculator's verdicts against what really happens in each.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.globe import (
    FIELD,
    RemainingRace,
    RivalLimit,
    decided,
    outlook,
    satisfies,
)
from shorttrack.rules.season import ClassificationSpec, CountingRule, Ruled, season_rules
from shorttrack.rules.standings import RankedResult, classify

START = datetime(2025, 2, 1, 14, 0, tzinfo=UTC)
RULES_2022_23 = season_rules("2022/23")
MEN_OVERALL = RULES_2022_23.classification("overall-men")


def result(race: str, skater: str, rank: int | None, hours: int, distance: str = "M500"):
    nation = {"PARK": "KOR", "DUBOIS": "CAN", "KRUZBERGS": "LAT"}.get(skater, "NED")
    return RankedResult(
        race, distance, skater, nation, rank, START + timedelta(hours=hours), skater
    )


def remaining(*labels: str, distance: str = "M500") -> list[RemainingRace]:
    return [
        RemainingRace(f"next-{i}", distance, label, START + timedelta(days=1, hours=i))
        for i, label in enumerate(labels)
    ]


def test_a_leader_out_of_reach_has_clinched_with_one_race_to_go():
    # Park 300, Dubois 180: one 500m left is worth 100, so Dubois can reach 280 at most.
    results = [
        result("r1", "PARK", 1, 1),
        result("r2", "PARK", 1, 2),
        result("r3", "PARK", 1, 3),
        result("r1", "DUBOIS", 2, 1),
        result("r2", "DUBOIS", 2, 2),
    ]
    race = outlook(RULES_2022_23, MEN_OVERALL, results, remaining("500m (2)"))
    park, dubois = race.contender("PARK"), race.contender("DUBOIS")
    assert (park.points, park.verdict) == (300, "clinched")
    assert (dubois.points, dubois.max_points, dubois.verdict) == (160, 260, "out")
    assert race.points_available == 100
    assert race.clinches == ()


def test_level_on_points_with_one_race_left_he_clinches_by_finishing_ahead():
    # Park 180 and Dubois 180, one 500m left, no tie-break in 2022/23: whoever finishes
    # ahead of the other wins the Globe; if neither scores they share it.
    results = [
        result("r1", "PARK", 1, 1),
        result("r2", "PARK", 2, 2),
        result("r1", "DUBOIS", 2, 1),
        result("r2", "DUBOIS", 1, 2),
    ]
    race = outlook(RULES_2022_23, MEN_OVERALL, results, remaining("500m (2)"))
    assert [(c.entrant, c.points, c.rank, c.verdict) for c in race.contenders] == [
        ("DUBOIS", 180, 1, "alive"),
        ("PARK", 180, 1, "alive"),
    ]
    park = next(c for c in race.clinches if c.entrant == "PARK")
    assert [(r.place, r.rivals) for r in park.requirements] == [
        (p, (RivalLimit("DUBOIS", p + 1),)) for p in range(1, 25)
    ]
    assert satisfies(park, 1, {"DUBOIS": 2})
    assert satisfies(park, 3, {"DUBOIS": 5})
    assert satisfies(park, 24, {})  # 1 point to none
    assert not satisfies(park, 4, {"DUBOIS": 3})
    assert not satisfies(park, None, {})


def test_with_a_40_point_lead_what_park_needs_depends_on_where_dubois_finishes():
    results = [
        result("r1", "PARK", 1, 1),
        result("r2", "PARK", 1, 2),
        result("r1", "DUBOIS", 2, 1),
        result("r2", "DUBOIS", 2, 2),
    ]
    race = outlook(RULES_2022_23, MEN_OVERALL, results, remaining("500m (2)"))
    park = next(c for c in race.clinches if c.entrant == "PARK")
    # 200 + 70 for 3rd beats 160 + 100; 200 + 60 for 4th only draws level.
    assert satisfies(park, 3, {"DUBOIS": 1})
    assert not satisfies(park, 4, {"DUBOIS": 1})
    assert satisfies(park, 4, {"DUBOIS": 2})
    # Park scoring nothing keeps 200: Dubois 7th (160 + 40) draws level, 8th (+ 36) does not.
    assert not satisfies(park, None, {"DUBOIS": 7})
    assert satisfies(park, None, {"DUBOIS": 8})
    assert park.requirements[-1].rivals == (RivalLimit("DUBOIS", 8),)


def test_two_entrants_level_after_the_last_race_share_the_globe():
    results = [result("r1", "PARK", 1, 1), result("r2", "DUBOIS", 1, 2)]
    race = outlook(RULES_2022_23, MEN_OVERALL, results, [])
    assert [(c.entrant, c.verdict) for c in race.contenders] == [
        ("DUBOIS", "shared"),
        ("PARK", "shared"),
    ]


def test_the_counting_rule_limits_what_a_contender_can_still_reach():
    # Best 2 results per distance: Dubois's two 500m wins already count; a third adds nothing,
    # so only the 1000m can still raise him.
    rules = dataclasses.replace(
        RULES_2022_23,
        classifications=(
            dataclasses.replace(MEN_OVERALL, counting=Ruled(CountingRule("best_per_distance", 2))),
        ),
    )
    spec = rules.classifications[0]
    results = [
        result("r1", "DUBOIS", 1, 1),
        result("r2", "DUBOIS", 1, 2),
        result("r3", "PARK", 1, 3, "M1000"),
    ]
    races = remaining("500m (3)") + remaining("1000m (2)", distance="M1000")
    race = outlook(rules, spec, results, races)
    assert race.contender("DUBOIS").max_points == 300
    assert race.contender("PARK").max_points == 300
    assert race.points_available == 200


# --- brute force ---------------------------------------------------------------------------

CONTENDERS = ("A", "B", "C")
OUTSIDER = "X"
UNPLACED = 4  # ranked below the three-place points table: no points, but a race skated
PLACES = (1, 2, 3, UNPLACED, None)  # None: does not race


def small_rules(counting: CountingRule, tie_break: str):
    """A season with three scoring places (100, 80, 70), so that every outcome can be tried."""
    points = tuple(Ruled(p) for p in (100, 80, 70))
    spec = ClassificationSpec(
        "overall-men",
        "overall",
        "Men's overall",
        None,
        ("M500", "M1000"),
        "skater",
        Ruled(counting),
    )
    rules = dataclasses.replace(
        RULES_2022_23, points=points, tie_break=Ruled(tie_break), classifications=(spec,)
    )
    return rules, spec


COUNTING = st.sampled_from(
    [
        CountingRule("all"),
        CountingRule("best_per_distance", 1),
        CountingRule("best_per_distance", 2),
        CountingRule("best", 2),
        CountingRule("best", 2, 3),
        CountingRule("best", 1, 2),
    ]
)


@st.composite
def small_season(draw):
    """Past results of three contenders over up to four races, and one or two races left."""
    past = []
    for number in range(draw(st.integers(1, 4))):
        distance = draw(st.sampled_from(["M500", "M1000"]))
        skaters = draw(st.lists(st.sampled_from(CONTENDERS), unique=True, min_size=1))
        ranks = draw(st.permutations([1, 2, 3, 4, None][: len(skaters) + 1]))
        for skater, rank in zip(skaters, ranks, strict=False):
            past.append(
                RankedResult(
                    f"p{number}", distance, skater, "NED", rank, START + timedelta(hours=number)
                )
            )
    left = [
        RemainingRace(
            f"n{i}",
            draw(st.sampled_from(["M500", "M1000"])),
            f"race {i}",
            START + timedelta(days=1, hours=i),
        )
        for i in range(draw(st.integers(1, 2)))
    ]
    return past, left


def race_outcomes(entrants):
    """Every way to give the entrants places in one race: 1st-3rd to one entrant each, any
    number of them ranked without points, or not racing."""
    for places in itertools.product(PLACES, repeat=len(entrants)):
        podium = [p for p in places if p in (1, 2, 3)]
        if len(podium) == len(set(podium)):
            yield tuple(zip(entrants, places, strict=True))


class Oracle:
    """Who is first after an outcome, from each entrant's own total and, on equal points
    under countback, the rule book's "more wins, then more second places"."""

    def __init__(self, rules, spec, past, left):
        self.rules, self.spec, self.past, self.left = rules, spec, past, left
        self.cache = {}

    def standing(self, entrant, places):
        key = (entrant, places)
        if key not in self.cache:
            own = [r for r in self.past if r.entrant == entrant]
            for number, (race, place) in enumerate(zip(self.left, places, strict=True)):
                if place is not None:
                    # Two entrants ranked without points get ranks of their own below the table.
                    rank = place if place != UNPLACED else UNPLACED + number
                    own.append(
                        RankedResult(race.race, race.distance, entrant, "NED", rank, race.at)
                    )
            rows = classify(self.rules, self.spec, own).rows
            if not rows:
                self.cache[key] = None
            else:
                counted = [s.result.rank for s in rows[0].counted]
                countback = tuple(counted.count(p) for p in (1, 2, 3))
                self.cache[key] = (rows[0].points, countback)
        return self.cache[key]

    def firsts(self, outcome):
        per_entrant = {}
        for i, entrant in enumerate((*CONTENDERS, OUTSIDER)):
            places = tuple(race[i][1] for race in outcome)
            standing = self.standing(entrant, places)
            if standing is not None:
                if self.rules.tie_break.value == "none":
                    standing = (standing[0],)
                per_entrant[entrant] = standing
        if not per_entrant:
            return frozenset()
        top = max(per_entrant.values())
        return frozenset(e for e, s in per_entrant.items() if s == top)


@settings(max_examples=30, deadline=None)
@given(small_season(), COUNTING, st.sampled_from(["none", "countback"]))
def test_verdicts_and_clinching_finishes_agree_with_every_outcome(season, counting, tie_break):
    past, left = season
    rules, spec = small_rules(counting, tie_break)
    race = outlook(rules, spec, past, left)
    oracle = Oracle(rules, spec, past, left)
    per_race = list(race_outcomes((*CONTENDERS, OUTSIDER)))
    outcomes = list(itertools.product(per_race, repeat=len(left)))
    leaders = {o: oracle.firsts(o) for o in outcomes}
    by_first = {}
    for o in outcomes:
        by_first.setdefault(o[0], []).append(leaders[o])

    for c in race.contenders:
        first_somewhere = any(c.entrant in top for top in leaders.values())
        alone_everywhere = all(top == {c.entrant} for top in leaders.values())
        always_first = all(c.entrant in top for top in leaders.values())
        assert (c.verdict == "out") == (not first_somewhere), c
        assert (c.verdict == "clinched") == alone_everywhere, c
        assert c.assured_share == always_first, c

    clinches = {c.entrant: c for c in race.clinches}
    ranked = {row.entrant for row in classify(rules, spec, past).rows}
    for c in race.contenders:
        if c.verdict != "alive":
            continue
        for first in per_race:
            clinched = all(top == {c.entrant} for top in by_first[first])
            places = dict(first)
            rivals = {e: p for e, p in first if e in ranked}
            # FIELD stands for every skater without points: the best placed of them counts.
            field = [p for e, p in first if e not in ranked and p is not None]
            rivals[FIELD] = min(field) if field else None
            mine = places[c.entrant] if places[c.entrant] != UNPLACED else None
            promised = c.entrant in clinches and satisfies(clinches[c.entrant], mine, rivals)
            assert promised == clinched, (c.entrant, first)


@settings(max_examples=40, deadline=None)
@given(small_season(), COUNTING, st.sampled_from(["none", "countback"]), st.booleans())
def test_decided_from_the_table_names_the_leaders_the_outlook_says_are_through(
    season, counting, tie_break, last_race_run
):
    """``decided`` as the facts ask it (the table and each entrant's results given, read
    from the top only) finds the leaders who won, share or clinched, as ``outlook`` says."""
    past, left = season
    left = [] if last_race_run else left
    rules, spec = small_rules(counting, tie_break)
    table = classify(rules, spec, past)
    by_entrant = {}
    for r in past:
        by_entrant.setdefault(r.entrant, []).append(r)
    order = [(row.rank, row.entrant, row.points) for row in table.rows]
    through = [c for c in outlook(rules, spec, past, left).contenders if c.verdict != "alive"]
    found = decided(rules, spec, by_entrant, left, order)
    assert [c for c, _ in found] == [c for c in through if c.verdict != "out"]


def test_a_nation_can_still_win_with_three_skaters_in_the_last_race():
    """2024/25 Team Crystal Globe: all points of a nation's skaters, three per distance (no
    extra for the host in the season's data). Canada 278, Korea 96, one 500m left: either
    can add 100 + 80 + 70 = 250 at most."""
    rules = season_rules("2024/25")
    nations = rules.classification("nations")
    results = [
        RankedResult("r1", "M1000", "DUBOIS", "CAN", 1, START),
        RankedResult("r1", "M1000", "DION", "CAN", 2, START),
        RankedResult("r1", "M1000", "LAOUN", "CAN", 3, START),
        RankedResult("r1", "M1000", "PIERRE-GILLES", "CAN", 10, START),
        RankedResult("r1", "M1000", "PARK", "KOR", 4, START),
        RankedResult("r1", "M1000", "HONG", "KOR", 8, START),
    ]
    last = [RemainingRace("r2", "M500", "500m in Montreal", START + timedelta(days=1), "CAN")]
    race = outlook(rules, nations, results, last)
    canada, korea = race.contenders
    assert (canada.entrant, canada.points, canada.max_points) == ("CAN", 278, 528)
    assert (korea.entrant, korea.points, korea.max_points, korea.verdict) == (
        "KOR",
        96,
        346,
        "alive",
    )
    assert race.points_available == 250
    assert race.clinches == ()  # clinching finishes are for skaters and relay teams
