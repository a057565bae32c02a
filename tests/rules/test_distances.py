"""The nine World Cup distances, the individual 3000 m of earlier seasons, and how the sport
labels them (RULES.md section 1)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.distances import (
    DISTANCES,
    TRACK_LENGTH_M,
    Gender,
    distance,
    find_distance,
    parse_race_label,
)


@pytest.mark.parametrize(
    ("key", "metres", "laps", "label"),
    [
        ("W500", 500, 4.5, "Women's 500m"),
        ("M500", 500, 4.5, "Men's 500m"),
        ("W1000", 1000, 9, "Women's 1000m"),
        ("M1000", 1000, 9, "Men's 1000m"),
        ("W1500", 1500, 13.5, "Women's 1500m"),
        ("M1500", 1500, 13.5, "Men's 1500m"),
        ("W3000R", 3000, 27, "Women's 3000m relay"),
        ("M5000R", 5000, 45, "Men's 5000m relay"),
        ("X2000R", 2000, 18, "Mixed 2000m relay"),
    ],
)
def test_the_nine_distances(key, metres, laps, label):
    d = distance(key)
    assert (d.metres, d.laps, d.label, str(d)) == (metres, laps, label, label)


def test_there_are_nine_distances():
    assert len(DISTANCES) == 9
    assert sum(d.relay for d in DISTANCES.values()) == 3


@pytest.mark.parametrize("d", DISTANCES.values(), ids=str)
def test_laps_are_the_distance_over_the_111_12_m_track_to_the_half_lap(d):
    assert round(d.metres / TRACK_LENGTH_M * 2) / 2 == d.laps


def test_relays_are_teams_of_four():
    assert distance("W3000R").team_size == 4
    assert distance("X2000R").team_size == 4
    assert distance("M1500").team_size == 1
    assert distance("X2000R").mixed and distance("X2000R").relay
    assert distance("W500").individual and not distance("W500").mixed


def test_a_distance_raced_twice_is_labelled_by_its_instance():
    assert distance("W1500").race_label() == "1500m"
    assert distance("W1500").race_label(1) == "1500m (1)"
    assert distance("M1500").race_label(2) == "1500m (2)"
    assert distance("M5000R").race_label() == "5000m relay"
    assert distance("X2000R").race_label(2) == "2000m mixed relay (2)"


def test_unknown_distance_key_names_the_key_and_the_known_ones():
    with pytest.raises(
        ValueError, match=r"unknown distance 'W400': expected one of W500, W1000, .*X2000R"
    ):
        distance("W400")
    with pytest.raises(ValueError, match="unknown distance 'w500'"):
        distance("w500")


@pytest.mark.parametrize(
    ("gender", "text", "key"),
    [
        ("women", "1500m", "W1500"),
        ("men", "500", "M500"),
        ("ladies", "1000 m", "W1000"),
        ("M", "5000m relay", "M5000R"),
        ("W", "relay", "W3000R"),
        ("mixed", "2000m mixed relay", "X2000R"),
        (Gender.MEN, "1000m (2)", "M1000"),
        # The individual 3000 m of earlier seasons; with "relay", the women's relay.
        ("women", "3000m", "W3000"),
        ("men", "3000 m", "M3000"),
        ("women", "3000m relay", "W3000R"),
    ],
)
def test_find_distance_from_result_file_words(gender, text, key):
    assert find_distance(gender, text).key == key


def test_find_distance_refuses_what_is_not_raced():
    with pytest.raises(ValueError, match="unknown distance '5000m relay' for women"):
        find_distance("women", "5000m relay")
    with pytest.raises(ValueError, match="unknown distance '500m' for mixed"):
        find_distance("mixed", "500m")
    with pytest.raises(ValueError, match="unknown gender 'juniors': expected women, men or mixed"):
        find_distance("juniors", "500m")


def test_gender_parse_and_possessive():
    assert Gender.parse(" Ladies ") is Gender.WOMEN
    assert Gender.parse("X") is Gender.MIXED
    assert Gender.MEN.possessive == "Men's"


@pytest.mark.parametrize(
    ("label", "parsed"),
    [
        ("1500m (2)", ("1500m", 2)),
        ("500m(2)", ("500m", 2)),  # as the ISU sometimes writes it
        (" 1000m ", ("1000m", None)),
        ("2000m mixed relay", ("2000m mixed relay", None)),
    ],
)
def test_parse_race_label(label, parsed):
    assert parse_race_label(label) == parsed


def test_parse_race_label_refuses_an_instance_that_is_not_a_number():
    with pytest.raises(ValueError, match=r"race label '1500m \(b\)': instance must be a number"):
        parse_race_label("1500m (b)")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(list(DISTANCES.values())), st.one_of(st.none(), st.integers(1, 9)))
def test_race_labels_read_back(d, instance):
    assert parse_race_label(d.race_label(instance)) == (d.short_label, instance)
    assert find_distance(d.gender, d.race_label(instance)) == d
