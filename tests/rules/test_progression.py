"""Progression plans from the season's table (RULES.md section 2, research notes 4.2)."""

from __future__ import annotations

import tomllib

import pytest

from shorttrack.rules.distances import DISTANCES
from shorttrack.rules.progression import (
    Advancement,
    Mark,
    NoPlanError,
    ProgressionPlan,
    ProgressionTableError,
    RoundPlan,
    load_table,
    plan_for,
    race_sizes,
    read_table,
    table_for,
)
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.season import (
    SEASONS_DIR,
    ProgressionRules,
    Ruled,
    known_seasons,
    parse_season,
    season_file,
    season_rules,
)

SEASON = season_rules("2023/24")
DEFAULT = load_table("progression-default.toml")
HEATS, QF, SF = RoundKind.HEATS, RoundKind.QUARTERFINALS, RoundKind.SEMIFINALS
FINAL_A, FINAL_B = RoundKind.FINAL_A, RoundKind.FINAL_B


def shape(plan: ProgressionPlan) -> list[tuple[str, tuple[int, ...]]]:
    return [(r.kind.value, r.race_sizes) for r in plan.rounds]


def test_seoul_2023_mens_1500m_quarterfinals_top_3_and_the_fastest_4th():
    plan = plan_for(SEASON, "M1500", 45)
    quarterfinals = plan.round(QF)
    assert quarterfinals.race_sizes == (8, 8, 8, 7, 7, 7)
    assert quarterfinals.advancement == (
        Advancement(Mark.Q, SF, (1, 3)),
        Advancement(Mark.q, SF, (4, 4), fastest=1),
    )
    assert quarterfinals.sends(SF) == 19
    assert shape(plan) == [
        ("quarterfinals", (8, 8, 8, 7, 7, 7)),
        ("semifinals", (7, 6, 6)),
        ("final_b", (6,)),
        ("final_a", (6,)),
    ]
    assert plan.describe()[0] == (
        "Quarterfinals: 6 races of 7-8; top 3 of each race to the semifinals (Q); "
        "the fastest 4th place to the semifinals (q)"
    )


def test_seoul_2023_relay_quarterfinals_top_2_to_two_semifinals_then_top_2_to_final_a():
    for key in ("W3000R", "M5000R", "X2000R"):
        plan = plan_for(SEASON, key, 16)
        assert shape(plan) == [
            ("quarterfinals", (4, 4, 4, 4)),
            ("semifinals", (4, 4)),
            ("final_b", (4,)),
            ("final_a", (4,)),
        ]
        assert plan.round(SF).advancement[0] == Advancement(Mark.QA, FINAL_A, (1, 2))


def test_seoul_2017_womens_1000m_heats_top_2_and_the_6_fastest_thirds():
    plan = plan_for(SEASON, "W1000", 35)
    heats = plan.round(HEATS)
    assert heats.race_sizes == (5,) * 7
    assert heats.describe() == (
        "Heats: 7 races of 5; top 2 of each race to the quarterfinals (Q); "
        "the 6 fastest 3rd places to the quarterfinals (q)"
    )
    assert plan.round(QF).race_sizes == (5, 5, 5, 5)


def test_seoul_2017_mens_1000m_heats_top_2_and_the_4_fastest_thirds():
    heats = plan_for(SEASON, "M1000", 40).round(HEATS)
    assert heats.races == 8
    assert heats.sends(QF) == 16 + 4


def test_a_field_of_110_skates_preliminaries_heats_quarterfinals_semifinals_and_finals():
    plan = plan_for(SEASON, "M1000", 110)
    assert plan.kinds == (
        RoundKind.PRELIMINARIES,
        HEATS,
        QF,
        SF,
        FINAL_B,
        FINAL_A,
    )
    assert plan.rounds[0].race_sizes == (5,) * 22
    assert plan.round(HEATS).capacity == 50
    assert plan.provisional
    assert plan.source == "progression-default.toml, plan 22 (500m, 1000m; 106-110 entries)"


def test_a_small_field_skates_final_a_alone():
    plan = plan_for(SEASON, "W500", 5)
    assert shape(plan) == [("final_a", (5,))]
    assert plan.round(FINAL_A).advancement == ()


def test_six_in_the_500m_skate_two_semifinals_of_three():
    plan = plan_for(SEASON, "W500", 6)
    assert shape(plan) == [("semifinals", (3, 3)), ("final_b", (2,)), ("final_a", (4,))]


def test_asking_for_a_round_the_plan_does_not_have():
    with pytest.raises(ValueError, match=r"Women's 500m with 6 entries has no heats"):
        plan_for(SEASON, "W500", 6).round(HEATS)


def test_no_plan_past_the_table_says_what_it_covers():
    with pytest.raises(
        NoPlanError,
        match=r"no plan for 131 entries in Men's 500m: progression-default.toml covers 4-130",
    ):
        plan_for(SEASON, "M500", 131)
    with pytest.raises(NoPlanError, match=r"Mixed 2000m relay: .* covers 4-32 entries"):
        plan_for(SEASON, "X2000R", 33)
    with pytest.raises(NoPlanError, match=r"needs at least 2 entries"):
        plan_for(SEASON, "W1500", 1)


def test_a_round_plan_keeps_as_json_for_the_store():
    plan = plan_for(SEASON, "M1500", 45)
    for round_plan in plan.rounds:
        assert RoundPlan.from_dict(round_plan.to_dict()) == round_plan
    assert ProgressionPlan.from_dict(plan.to_dict()) == plan


def test_every_season_since_2022_23_names_the_default_table_as_provisional():
    for key in [k for k in known_seasons() if k >= "2022/23"]:
        rules = season_rules(key)
        assert rules.progression.table == Ruled("progression-default.toml", "P")
        assert table_for(rules) is DEFAULT


def test_a_season_choice_outside_the_known_ones_is_refused():
    with pytest.raises(ValueError, match=r"progression vacancies must be fill_by_time or"):
        ProgressionRules(vacancies=Ruled("replace", "P"))


def test_race_sizes_are_as_even_as_possible():
    assert race_sizes(19, 3) == (7, 6, 6)
    assert race_sizes(110, 22) == (5,) * 22
    assert race_sizes(11, 3) == (4, 4, 3)


# --- an organiser's edited table ----------------------------------------------------------

MONTREAL_2019 = """
# Montreal 2019, men's 1000m: 10 heats, "1 + 8": the heat winners and the 8 fastest others.
[[plan]]
distances = ["M1000"]
entries = [46, 50]
rounds = [
  { kind = "heats", races = 10, Q = 1, q = { fastest = 8, places = [2, 5] } },
  { kind = "quarterfinals", races = 4, Q = 2, q = 2 },
  { kind = "semifinals", races = 2, QA = 2, QB = 2 },
]
"""


def edited(extra: str) -> str:
    """The default table with a row an organiser added at the end."""
    return (SEASONS_DIR / DEFAULT.name).read_text() + extra


def test_an_edited_row_for_one_distance_wins_over_the_default():
    table = read_table(edited(MONTREAL_2019), "montreal-2019.toml")
    heats = plan_for(table, "M1000", 48).round(HEATS)
    assert heats.describe() == (
        "Heats: 10 races of 4-5; the winner of each race to the quarterfinals (Q); "
        "the 8 fastest of places 2-5 to the quarterfinals (q)"
    )
    assert plan_for(table, "M1000", 48).round(QF).race_sizes == (5, 5, 4, 4)
    assert plan_for(table, "W1000", 48).round(HEATS).sends(QF) == 20


BAD_ROWS = [
    (
        'distances = ["500m"]\nentries = [21, 25]\nrounds = [\n'
        '  { kind = "quarterfinals", races = 5, Q = 2, q = 6 },\n'
        '  { kind = "semifinals", races = 2, QA = 2 },\n]',
        r"plan 1 \(500m; 21-25 entries\): quarterfinals: the 6 fastest 3rd places are "
        r"asked for, but only 5 skaters hold those places \(Women's 500m, 21 entries\)",
    ),
    (
        'distances = ["500m"]\nentries = [21, 25]\nrounds = [\n'
        '  { kind = "semifinals", races = 2, QA = 2 },\n'
        '  { kind = "quarterfinals", races = 5, Q = 2 },\n]',
        r"rounds must be in the order they are skated",
    ),
    (
        'distances = ["500m"]\nentries = [21, 25]\nrounds = [\n'
        '  { kind = "quarterfinals", races = 5, QA = 2 },\n'
        '  { kind = "semifinals", races = 2, QA = 2 },\n]',
        r"QA belongs to the last round",
    ),
    (
        'distances = ["400m"]\nentries = [21, 25]\nrounds = []',
        r"unknown distance '400m'",
    ),
    (
        'distances = ["500m"]\nentries = [21, 25]\nrounds = [\n'
        '  { kind = "semifinals", races = 2, QA = 2 },\n]',
        r"semifinals: 2 races of 21 skaters give races of 10-11, outside 3-5",
    ),
    (
        'distances = ["500m"]\nentries = [21, 25]\nrounds = [\n'
        '  { kind = "final_a", races = 1 },\n]',
        r"a round's kind must be one of preliminaries, heats, rep_heats, repechage, "
        r"rep_quarterfinals, rep_semifinals, quarterfinals, semifinals, "
        r"not 'final_a'",
    ),
    (
        'distances = ["500m"]\nentries = [12, 15]\nrounds = [\n'
        '  { kind = "semifinals", races = 3, QA = 3 },\n]',
        r"Final A of 9 is more than 5 in one race",
    ),
    (
        'distances = ["500m"]\nentries = [10, 12]\nrounds = [\n'
        '  { kind = "semifinals", races = 3, QA = 1 },\n]\n\n'
        '[[plan]]\ndistances = ["500m"]\nentries = [12, 15]\nrounds = [\n'
        '  { kind = "semifinals", races = 3, QA = 1 },\n]',
        r"plan 1 \(500m; 10-12 entries\) and plan 2 \(500m; 12-15 entries\) both plan 500m "
        r"with 12 entries",
    ),
]


@pytest.mark.parametrize(("row", "error"), BAD_ROWS)
def test_a_table_with_a_mistake_says_which_row_and_why(row: str, error: str):
    text = f'[race_size]\n"500m" = [3, 5]\n\n[[plan]]\n{row}\n'
    with pytest.raises(ProgressionTableError, match=error):
        read_table(text, "edited.toml")


def test_a_table_that_is_not_toml():
    with pytest.raises(ProgressionTableError, match=r"edited.toml is not valid TOML"):
        read_table("[[plan]\n", "edited.toml")


# --- every plan of the default table ------------------------------------------------------

USUAL_SIZES = {"500m": (4, 5), "1000m": (4, 5), "1500m": (6, 8)}


def every_default_plan():
    for dist in DISTANCES.values():
        top = 32 if dist.relay else 130
        for entries in range(4, top + 1):
            yield dist, entries, plan_for(SEASON, dist, entries)


def test_every_round_of_every_default_plan_holds_what_the_rounds_before_send():
    count = 0
    for dist, entries, plan in every_default_plan():
        assert plan.rounds[0].capacity == entries
        assert plan.rounds[-1].kind is FINAL_A
        for later in plan.rounds[1:]:
            sent = sum(r.sends(later.kind) for r in plan.feeders(later.kind))
            assert sent == later.capacity, (dist.key, entries, later.kind)
        count += 1
    assert count == 6 * 127 + 3 * 29


def test_default_races_hold_4_5_in_the_500m_and_1000m_6_8_in_the_1500m_4_teams_in_relays():
    for dist, entries, plan in every_default_plan():
        for round_plan in plan.rounds:
            if dist.relay:
                assert max(round_plan.race_sizes) <= (5 if entries <= 5 else 4)
                continue
            low, high = USUAL_SIZES[dist.short_label]
            assert max(round_plan.race_sizes) <= high
            big_enough = entries >= (16 if high == 5 else 25)
            if big_enough and not round_plan.kind.final:
                assert min(round_plan.race_sizes) >= low, (dist.key, entries, round_plan)


# --- the season's [progression] section and quotas ------------------------------------------


def season_toml(key: str) -> dict:
    return tomllib.loads(season_file(key).read_text())


def test_a_season_may_choose_lots_for_ties_and_short_rounds():
    raw = season_toml("2025/26")
    raw["progression"]["dead_heat"] = {"value": "lot", "mark": "P"}
    raw["progression"]["vacancies"] = {"value": "leave_empty", "mark": "P"}
    rules = parse_season(raw).progression
    assert rules.dead_heat == Ruled("lot", "P")
    assert rules.vacancies.value == "leave_empty"
    assert rules.time_tie.value == "both_advance"


@pytest.mark.parametrize(
    ("section", "error"),
    [
        ({"tabel": {"value": "x.toml"}}, r"unknown \[progression\] key 'tabel'"),
        ({"table": "x.toml"}, r"\[progression\] table must be written \{ value = \.\.\."),
        ({"time_tie": {"value": "coin"}}, r"progression time_tie must be both_advance or lot"),
    ],
)
def test_a_season_progression_section_with_a_mistake(section, error):
    raw = season_toml("2025/26")
    raw["progression"] = section
    with pytest.raises(ValueError, match=error):
        parse_season(raw)


def test_entry_quotas_of_a_season():
    rules = season_rules("2024/25")
    assert rules.quota("per_member_per_distance") == Ruled(3, "C")
    assert rules.quota("host_extra").provisional
    with pytest.raises(ValueError, match=r"season 2024/25 has no entry quota 'per_skater'"):
        rules.quota("per_skater")
