"""Plans with repechage rounds (seasons/progression-2019-20.toml), and advancement into and
out of them."""

from __future__ import annotations

import pytest

from shorttrack.rules.advancement import advance
from shorttrack.rules.progression import (
    Mark,
    ProgressionTableError,
    load_table,
    read_table,
)
from shorttrack.rules.ranking import RaceLine, RoundKind, Status

K = RoundKind
TABLE = "progression-2019-20.toml"


def test_the_500m_of_48_skaters_skates_the_repechage_between_heats_and_quarterfinals():
    """Montreal 2019, men's 500 m: 10 heats, the winners and 8 fastest seconds to the
    quarterfinals, the others to 6 Rep. Quarterfinals, their winners and 4 fastest seconds
    to 2 Rep. Semifinals, whose winners complete the quarterfinals."""
    plan = load_table(TABLE).plan("M500", 48)
    assert plan.kinds == (
        K.HEATS,
        K.REP_QUARTERFINALS,
        K.REP_SEMIFINALS,
        K.QUARTERFINALS,
        K.SEMIFINALS,
        K.FINAL_B,
        K.FINAL_A,
    )
    heats = plan.round(K.HEATS)
    assert heats.targets == (K.QUARTERFINALS, K.REP_QUARTERFINALS)
    assert heats.repechage_to is K.REP_QUARTERFINALS
    assert heats.sends(K.QUARTERFINALS) == 18 and heats.sends(K.REP_QUARTERFINALS) == 30
    assert plan.round(K.REP_QUARTERFINALS).race_sizes == (5,) * 6
    assert plan.round(K.REP_SEMIFINALS).sends(K.QUARTERFINALS) == 2
    assert [r.kind for r in plan.feeders(K.QUARTERFINALS)] == [K.HEATS, K.REP_SEMIFINALS]
    assert plan.round(K.QUARTERFINALS).capacity == 20
    assert plan.provisional
    assert plan.describe()[0].endswith(
        "the other finishers of each race to the Rep. Quarterfinals (rep)"
    )


def test_the_1500m_skates_the_repechage_after_the_quarterfinals():
    plan = load_table(TABLE).plan("W1500", 43)
    assert plan.kinds[:4] == (K.QUARTERFINALS, K.REP_QUARTERFINALS, K.REP_SEMIFINALS, K.SEMIFINALS)
    assert [r.kind for r in plan.feeders(K.SEMIFINALS)] == [K.QUARTERFINALS, K.REP_SEMIFINALS]
    assert plan.round(K.SEMIFINALS).race_sizes == (7, 7, 7)


def test_a_plan_round_trips_through_its_stored_form():
    from shorttrack.rules.progression import ProgressionPlan

    plan = load_table(TABLE).plan("M1000", 57)
    assert ProgressionPlan.from_dict(plan.to_dict()) == plan


def test_heats_send_their_others_to_the_repechage_but_not_a_penalty_or_a_fall():
    plan = load_table(TABLE).plan("M500", 48).round(K.HEATS)
    races = [
        (
            RaceLine(f"h{n}a", 1, 41_000 + n),
            RaceLine(f"h{n}b", 2, 42_000 + n),
            RaceLine(f"h{n}c", 3, 43_000 + n),
            RaceLine(f"h{n}d", None, None, Status.PEN if n == 1 else Status.FINISHED),
            RaceLine(f"h{n}e", None, None, Status.DNF),
        )[: 5 if n < 9 else 4]
        for n in range(1, 11)
    ]
    decided = advance(plan, races)
    to_qf = {q.entrant for q in decided.to(K.QUARTERFINALS)}
    to_rep = {q.entrant for q in decided.to(K.REP_QUARTERFINALS)}
    assert len(to_qf) == 18 and {f"h{n}a" for n in range(1, 11)} <= to_qf
    assert {"h9b", "h10b"} <= to_rep  # the two slowest seconds
    assert "h1d" not in to_rep and "h2d" in to_rep  # PEN out; a finisher without a time in
    assert not any(q.entrant.endswith("e") for q in decided.qualifiers)  # DNF
    assert all(q.mark is Mark.REP for q in decided.to(K.REP_QUARTERFINALS))
    assert decided.vacant == {}
    assert decided.sheet_mark(races[1][2]) == ""  # the sheet prints nothing for the repechage


def test_an_adv_in_the_heats_goes_to_the_quarterfinals_not_the_repechage():
    plan = load_table(TABLE).plan("M500", 48).round(K.HEATS)
    races = [
        (
            RaceLine(f"h{n}a", 1, 41_000),
            RaceLine(f"h{n}b", 2, 42_000 + n),
            RaceLine(f"h{n}c", 3, 43_000, advanced=n == 1),
            RaceLine(f"h{n}d", 4, 44_000),
            RaceLine(f"h{n}e", 5, 45_000),
        )[: 5 if n < 9 else 4]
        for n in range(1, 11)
    ]
    decided = advance(plan, races)
    assert decided.marks["h1c"] is Mark.ADV
    assert {q.entrant for q in decided.to(K.QUARTERFINALS) if q.mark is Mark.q} == {
        f"h{n}b" for n in range(1, 8)
    }  # "up to a maximum of eight": the ADV takes one of them
    assert decided.vacant == {}


ROW = '[race_size]\n"500m" = [3, 7]\n\n[[plan]]\ndistances = ["500m"]\nentries = [30, 30]\n'


@pytest.mark.parametrize(
    ("rounds", "error"),
    [
        (
            '{ kind = "heats", races = 6, Q = 2, repechage = "all" },\n'
            '{ kind = "semifinals", races = 2, QA = 2 }',
            "repechage needs a repechage round listed after this one",
        ),
        (
            '{ kind = "heats", races = 6, Q = 2 },\n'
            '{ kind = "rep_quarterfinals", races = 2, Q = 2 },\n'
            '{ kind = "semifinals", races = 2, QA = 2 }',
            "rep. quarterfinals: no round before it sends skaters there",
        ),
        (
            '{ kind = "heats", races = 6, Q = 2, repechage = "all" },\n'
            '{ kind = "rep_quarterfinals", races = 3, Q = 2 }',
            "must be a main round that sends skaters to the finals",
        ),
        (
            '{ kind = "heats", races = 6, Q = 2, repechage = [1, 4] },\n'
            '{ kind = "rep_quarterfinals", races = 3, Q = 2 },\n'
            '{ kind = "semifinals", races = 3, QA = 2 }',
            'repechage must be "all" or places after the Q places',
        ),
        (
            '{ kind = "heats", races = 6, Q = 2, seeded = 4 },\n'
            '{ kind = "semifinals", races = 3, QA = 2 }',
            "seeded entries start in a later main round",
        ),
        (
            '{ kind = "heats", races = 6, Q = 2, to = "heats" },\n'
            '{ kind = "semifinals", races = 3, QA = 2 }',
            "to must name a round listed after this one",
        ),
    ],
)
def test_a_repechage_plan_with_a_mistake_says_why(rounds: str, error: str):
    with pytest.raises(ProgressionTableError, match=error):
        read_table(f"{ROW}rounds = [\n{rounds},\n]\n", "edited.toml")


def test_a_relay_of_18_teams_seeds_ten_into_the_quarterfinals_and_the_rest_skate_the_repechage():
    """Dordrecht 2020, men's 5000 m relay: 8 teams in 2 Repechages, their winners with the
    ten seeded teams in 3 quarterfinals of 4."""
    plan = load_table(TABLE).plan("M5000R", 18)
    assert plan.kinds[:2] == (K.REPECHAGE, K.QUARTERFINALS)
    assert plan.round(K.REPECHAGE).race_sizes == (4, 4)
    quarterfinals = plan.round(K.QUARTERFINALS)
    assert quarterfinals.seeded == 10 and quarterfinals.race_sizes == (4, 4, 4)
    assert "(10 seeded straight in)" in quarterfinals.describe()


def test_the_2019_20_table_plans_only_the_rounds_the_2019_20_season_names():
    from shorttrack.rules.distances import DISTANCES
    from shorttrack.rules.season import season_rules

    allowed = set(season_rules("2019/20").rounds)
    table = load_table(TABLE)
    for key, dist in DISTANCES.items():
        for low, high in table.coverage(dist):
            for entries in range(max(low, 2), high + 1):
                assert set(table.plan(key, entries).kinds) <= allowed, (key, entries)
