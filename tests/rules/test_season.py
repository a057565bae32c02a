"""Each season's rule set, read from seasons/*.toml (RULES.md sections 3 and 4)."""

from __future__ import annotations

import dataclasses
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.season import (
    CountingRule,
    Ruled,
    known_seasons,
    parse_season,
    season_file,
    season_rules,
    shared_ranks,
)

SEASONS = known_seasons()
HUNDRED_POINT_SEASONS = [key for key in SEASONS if key >= "2022/23"]  # 100/80/70 ...


def test_the_seasons_with_rule_sets():
    assert SEASONS == [
        "2017/18",
        "2018/19",
        "2019/20",
        "2021/22",
        "2022/23",
        "2023/24",
        "2024/25",
        "2025/26",
    ]
    assert season_rules("2024/25").series == "World Tour"
    assert season_rules("2022/23").name == "ISU World Cup Short Track 2022/23"


def test_an_unknown_season_names_the_known_ones():
    with pytest.raises(
        ValueError,
        match=r"unknown season '2014/15': rule sets exist for 2017/18, 2018/19, 2019/20, 2021/22",
    ):
        season_rules("2014/15")


def test_season_file_for_a_key():
    assert season_file("2022/23").name == "2022-23.toml"


@pytest.mark.parametrize("key", HUNDRED_POINT_SEASONS)
def test_points_per_place(key):
    rules = season_rules(key)
    assert [rules.points_for(rank) for rank in (1, 2, 3)] == [100, 80, 70]
    assert rules.points_for(6) == 44
    assert (rules.points_for(8), rules.points_for(9)) == (36, 32)
    assert rules.points_for(24) == 1
    assert len(rules.points) == 24


@pytest.mark.parametrize("key", SEASONS)
def test_no_points_without_a_rank_or_below_the_table(key):
    rules = season_rules(key)
    assert rules.points_for(None) == 0
    assert rules.points_for(len(rules.points) + 1) == 0
    assert rules.points_for(0) == 0
    assert rules.points_for(-1) == 0


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SEASONS), st.integers(min_value=1, max_value=40))
def test_points_never_rise_with_place(key, rank):
    rules = season_rules(key)
    assert rules.points_for(rank + 1) <= rules.points_for(rank)
    assert rules.points_for(rank) >= 0


@pytest.mark.parametrize("key", SEASONS)
def test_the_whole_table_is_non_increasing(key):
    table = [season_rules(key).points_for(rank) for rank in range(1, 30)]
    assert table == sorted(table, reverse=True)


def test_marks_say_how_sure_each_value_is():
    rules = season_rules("2022/23")
    assert not rules.points_provisional(1)  # 100: confirmed
    assert rules.points_provisional(4)  # 60: the candidate table
    assert not rules.points_provisional(6)  # 44: derived from Dion's 144
    assert rules.points[5] == Ruled(44, "D")
    assert season_rules("2024/25").points_provisional(6)
    assert not rules.points_provisional(None)
    assert not rules.points_provisional(25)


def test_counting_rules_by_season():
    assert season_rules("2022/23").classification("W500").counting == Ruled(
        CountingRule("all"), "P"
    )
    assert season_rules("2022/23").classification("overall-women").counting == Ruled(
        CountingRule("best_per_distance", best=6), "P"
    )
    assert season_rules("2024/25").classification("overall-men").counting == Ruled(
        CountingRule("best", best=15, of_at_most=18), "C"
    )
    assert season_rules("2025/26").classification("M1000").counting == Ruled(
        CountingRule("best", best=3, of_at_most=4), "C"
    )
    assert season_rules("2025/26").classification("overall-women").counting == Ruled(
        CountingRule("best", best=9, of_at_most=12), "C"
    )


def test_counting_rules_describe_themselves():
    assert CountingRule("all").describe() == "all results count"
    assert (
        CountingRule("best_per_distance", best=6).describe() == "best 6 results per distance count"
    )
    assert (
        CountingRule("best", best=15, of_at_most=18).describe()
        == "best 15 results of at most 18 races count"
    )
    assert CountingRule("best", best=9).describe() == "best 9 results count"


def test_classifications_of_a_season():
    rules = season_rules("2022/23")
    keys = [spec.key for spec in rules.classifications]
    assert keys == [
        "W500",
        "W1000",
        "W1500",
        "M500",
        "M1000",
        "M1500",
        "W3000R",
        "M5000R",
        "X2000R",
        "overall-women",
        "overall-men",
    ]
    overall = rules.classification("overall-women")
    assert overall.title == "Women's overall (Crystal Globe)"
    assert overall.distances == ("W500", "W1000", "W1500")
    assert (overall.entrant, overall.relay) == ("skater", False)
    relay = rules.classification("M5000R")
    assert (relay.entrant, relay.relay, relay.title) == ("nation", True, "Men's 5000m relay")


def test_the_team_crystal_globe_from_2024_25():
    nations = season_rules("2024/25").classification("nations")
    assert nations.title == "Team Crystal Globe"
    assert nations.entrant == "nation"
    assert nations.distances == ("W500", "W1000", "W1500", "M500", "M1000", "M1500")
    assert nations.counting == Ruled(CountingRule("all"), "C")


def test_an_unknown_classification_names_the_known_ones():
    with pytest.raises(
        ValueError,
        match=r"season 2022/23 has no classification 'nations': expected one of W500, .*overall-men",
    ):
        season_rules("2022/23").classification("nations")


@pytest.mark.parametrize("key", SEASONS)
def test_ranking_and_standings_rules(key):
    rules = season_rules(key)
    assert rules.final_a_penalty == Ruled("after_final_b", "P")
    assert rules.cards == Ruled("not_ranked", "P")
    assert rules.tie_break == Ruled("none", "P")
    assert rules.tie_points == Ruled("better_place", "P")
    assert rules.relay_points == Ruled("individual", "P")


def test_entries():
    assert season_rules("2024/25").entries["races_per_skater"] == Ruled(18, "C")
    assert season_rules("2025/26").entries["races_per_skater"] == Ruled(12, "C")
    assert season_rules("2024/25").entries["per_member_per_distance"].value == 3


def test_a_classification_from_provisional_rules_says_so():
    rules = season_rules("2025/26")
    assert rules.classification_provisional(rules.classification("overall-women"))
    assert Ruled(1, "P").provisional and not Ruled(1, "D").provisional


def test_an_unknown_classification_kind_is_refused():
    raw = tomllib.loads(season_file("2024/25").read_text())
    raw["classification"].append({"kind": "juniors", "counting": {"rule": "all"}})
    with pytest.raises(ValueError, match="unknown classification kind 'juniors'"):
        parse_season(raw)


def test_a_season_file_parses_to_the_cached_rules():
    raw = tomllib.loads(season_file("2025/26").read_text())
    assert parse_season(raw) == season_rules("2025/26")
    assert season_rules("2025/26") is season_rules("2025/26")


def test_relay_and_dead_heat_points_are_provisional_where_their_rules_are():
    rules = season_rules("2022/23")  # 100 for a win: confirmed; relay and tie rules: P
    assert not rules.points_provisional(1)
    assert rules.points_provisional(1, relay=True)
    assert rules.points_provisional(1, dead_heat=True)
    assert not rules.points_provisional(25, relay=True, dead_heat=True)  # no points at all
    confirmed = dataclasses.replace(
        rules, relay_points=Ruled("individual", "C"), tie_points=Ruled("better_place", "C")
    )
    assert not confirmed.points_provisional(1, relay=True, dead_heat=True)
    assert confirmed.points_provisional(4, relay=True)  # 60: the candidate table


def test_shared_ranks_are_the_dead_heats_of_a_ranking():
    assert shared_ranks([1, 1, 3, 4, 5, 5, 5, None, None]) == {1, 5}
    assert shared_ranks([1, 2, 3, None]) == set()
