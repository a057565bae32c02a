"""The 2019/20 rule set (seasons/2019-20.toml): its distances, rounds, points and
classifications, and what a season's own list of distances changes."""

from __future__ import annotations

import tomllib

import pytest

from shorttrack.rules.distances import ALL_DISTANCES, DISTANCES, EARLIER_DISTANCES, distance
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.season import Ruled, parse_season, season_file, season_rules

NINE = ["W500", "W1000", "W1500", "M500", "M1000", "M1500", "W3000R", "M5000R", "X2000R"]


def test_2019_20_raced_the_nine_distances_of_today():
    rules = season_rules("2019/20")
    assert rules.name == "ISU World Cup Short Track 2019/20"
    assert list(rules.distances) == NINE
    assert rules.races_distance("X2000R") and not rules.races_distance("W3000")


def test_2019_20_rounds_are_those_of_the_isu_pages_and_the_finals():
    rules = season_rules("2019/20")
    assert [k.value for k in rules.rounds] == [
        "heats",
        "rep_quarterfinals",
        "rep_semifinals",
        "repechage",
        "quarterfinals",
        "semifinals",
        "final_b",
        "final_a",
    ]
    assert rules.skates_round("rep_semifinals") and rules.skates_round(RoundKind.FINAL_A)
    assert not rules.skates_round(RoundKind.FINAL_C)
    assert not rules.skates_round(RoundKind.PRELIMINARIES)


def test_2019_20_points_are_on_the_old_scale_of_ten_thousand_for_a_win():
    rules = season_rules("2019/20")
    assert [rules.points_for(rank) for rank in (1, 2, 3, 4, 7)] == [10000, 8000, 6400, 5120, 2621]
    assert rules.points[0] == Ruled(10000, "D")
    assert all(p.provisional for p in rules.points[1:])
    assert len(rules.points) == 32 and rules.points_for(33) == 0
    # The stated season totals fit: Park Ji-won's men's 1500 m, three wins + a win + a 7th.
    assert 3 * 10000 + rules.points_for(1) + rules.points_for(7) == 42621
    # Lee June-seo: 3rd, 2nd, 1st, 2nd (podiums.csv) and two 7th places.
    places = (3, 2, 1, 2, 7, 7)
    assert sum(rules.points_for(p) for p in places) == 37642


def test_2019_20_has_one_classification_per_distance_and_no_crystal_globe():
    rules = season_rules("2019/20")
    assert [spec.key for spec in rules.classifications] == NINE
    assert rules.classification("X2000R").relay
    with pytest.raises(ValueError, match="has no classification 'overall-women'"):
        rules.classification("overall-women")
    assert rules.classification_provisional(rules.classification("W500"))


def test_2019_20_plans_its_rounds_with_repechage_and_leaves_an_empty_place_empty():
    progression = season_rules("2019/20").progression
    assert progression.table == Ruled("progression-2019-20.toml", "P")
    assert progression.vacancies == Ruled("leave_empty", "P")


def test_seasons_without_the_lists_mean_the_nine_distances_and_every_round():
    rules = season_rules("2022/23")
    assert list(rules.distances) == NINE == list(DISTANCES)
    assert set(rules.rounds) == set(RoundKind)
    assert [spec.key for spec in rules.classifications][:9] == NINE


def test_the_individual_3000m_of_earlier_seasons():
    assert list(EARLIER_DISTANCES) == ["W3000", "M3000"]
    w3000 = distance("W3000")
    assert (w3000.metres, w3000.laps, w3000.relay, w3000.label) == (
        3000,
        27,
        False,
        "Women's 3000m",
    )
    assert "W3000" not in DISTANCES and "W3000" in ALL_DISTANCES


def raw_2022_23() -> dict:
    return tomllib.loads(season_file("2022/23").read_text())


def test_a_season_that_raced_the_3000m_classifies_it_and_only_its_own_distances():
    raw = raw_2022_23()
    raw["distances"] = ["W500", "W1000", "W1500", "W3000", "M500", "M1000", "M1500", "M3000"]
    rules = parse_season(raw)
    keys = [spec.key for spec in rules.classifications]
    assert keys == [*raw["distances"], "overall-women", "overall-men"]
    assert rules.classification("overall-women").distances == ("W500", "W1000", "W1500", "W3000")
    assert not rules.classification("M3000").relay
    assert rules.classification("M3000").title == "Men's 3000m"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("distances", ["W500", "W400"], "unknown distance 'W400' in distances"),
        ("distances", ["W500", "W500"], "distances names a distance twice"),
        ("distances", [], "distances must be a list"),
        ("rounds", ["heats", "round_of_16"], "unknown round 'round_of_16' in rounds"),
        ("rounds", ["heats", "heats"], "rounds names a round twice"),
    ],
)
def test_a_wrong_list_of_distances_or_rounds_is_refused(field, value, message):
    raw = raw_2022_23()
    raw[field] = value
    with pytest.raises(ValueError, match=message):
        parse_season(raw)


def test_a_season_known_from_its_pages_only_takes_the_2019_20_rules_as_provisional():
    earlier = season_rules("2018/19")
    assert (earlier.key, earlier.name) == ("2018/19", "ISU World Cup Short Track 2018/19")
    assert earlier.points == season_rules("2019/20").points
    assert RoundKind.PRELIMINARIES in earlier.rounds  # any round its pages print
    assert earlier.progression.table == Ruled("progression-2019-20.toml", "P")


def test_a_season_extending_one_without_a_rule_set_is_refused(tmp_path, monkeypatch):
    from shorttrack.rules import season

    monkeypatch.setattr(season, "SEASONS_DIR", tmp_path)
    (tmp_path / "2015-16.toml").write_text('extends = "2014/15"\nkey = "2015/16"\n')
    with pytest.raises(
        ValueError, match=r"season 2015/16 extends '2014/15', which has no rule set"
    ):
        season.season_rules.__wrapped__("2015/16")
