"""A season file is checked whole when it loads (rules.season): every key known, every value
of the shape and among the rules the code applies, a mistake named by file and key."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules import season
from shorttrack.rules.ranking import RaceLine, RoundKind, RoundResult, Status, final_ranking
from shorttrack.rules.season import (
    RULE_CHOICES,
    RULE_FIELDS,
    SeasonFileError,
    parse_season,
    season_file,
    season_rules,
)
from shorttrack.rules.standings import RankedResult, classify

# A small season as an organiser writes one: four places score, one classification.
SEASON = """
key = "2031/32"
name = "ISU World Tour 2031/32"
series = "World Tour"

[points]
places = [
  { points = 100, mark = "C" }, { points = 80, mark = "C" }, { points = 70, mark = "P" },
  { points = 60, mark = "P" },
]
relay = { table = "individual", mark = "P" }
ties = { rule = "better_place", mark = "P" }

[ranking]
final_a_penalty = { rule = "after_final_b", mark = "P" }
cards = { rule = "not_ranked", mark = "P" }

[standings]
tie_break = { rule = "none", mark = "P" }

[[classification]]
kind = "distance"
counting = { rule = "all", mark = "C" }

[entries]
per_member_per_distance = { value = 3, mark = "C" }
"""

C1 = "[[classification]] 1"


def load(text: str = SEASON):
    return parse_season(tomllib.loads(text), source="2031-32.toml")


def test_the_small_season_loads():
    rules = load()
    assert (rules.key, rules.series, rules.points_for(2)) == ("2031/32", "World Tour", 80)
    assert rules.quota("per_member_per_distance").value == 3


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        # Rules the code does not apply: refused, with the ones it does.
        (
            'ties = { rule = "better_place"',
            'ties = { rule = "shared_points"',
            "[points] ties",
            r"rule 'shared_points' is not a rule shorttrack applies: the only one it applies: "
            r"'better_place' \(entrants tied on a rank each get the points",
        ),
        (
            'relay = { table = "individual"',
            'relay = { table = "relay_table"',
            "[points] relay",
            r"table 'relay_table' is not a rule shorttrack applies: .*'individual'",
        ),
        (
            'final_a_penalty = { rule = "after_final_b"',
            'final_a_penalty = { rule = "disqualified"',
            "[ranking] final_a_penalty",
            r"rule 'disqualified' .*the ones it applies: 'after_final_b' .*'last_of_final'",
        ),
        (
            'cards = { rule = "not_ranked"',
            'cards = { rule = "last_place"',
            "[ranking] cards",
            r"rule 'last_place' is not a rule shorttrack applies: .*'not_ranked'",
        ),
        (
            'tie_break = { rule = "none"',
            'tie_break = { rule = "coin"',
            "[standings] tie_break",
            r"rule 'coin' .*'none' .*'countback'",
        ),
        (
            'counting = { rule = "all"',
            'counting = { rule = "worst"',
            C1 + " counting",
            "unknown counting rule 'worst'",
        ),
        # Keys the code would read past.
        ('series = "World Tour"', 'serie = "World Tour"', "serie", "unknown key"),
        ("[standings]", "[standings]\nbonus = 50", "[standings] bonus", "unknown key"),
        (
            'ties = { rule = "better_place", mark',
            'ties = { rule = "better_place", note',
            "[points] ties note",
            "unknown key: expected rule, mark",
        ),
        ('kind = "distance"', 'kind = "distance"\ntitle = "Cups"', C1 + " title", "unknown key"),
        ("per_member_per_distance", "per_member", "[entries] per_member", "unknown key"),
        # Values of the wrong shape.
        (
            '{ points = 70, mark = "P" }',
            '{ points = 70, mark = "P" }, { points = 75 }',
            "[points] places 4",
            "75 points is more than place 3's 70",
        ),
        (
            '{ points = 80, mark = "C" }',
            '{ points = "80", mark = "C" }',
            "[points] places 2",
            "whole",
        ),
        (
            '{ points = 70, mark = "P" }',
            '{ points = 70, mark = "X" }',
            "[points] places 3 mark",
            "'X'",
        ),
        (
            'rule = "all", mark = "C" }',
            'rule = "best", mark = "C" }',
            C1 + " counting best",
            "needs it",
        ),
        (
            'rule = "all", mark = "C" }',
            'rule = "all", best = 3 }',
            C1 + " counting best",
            "not used",
        ),
        ("value = 3,", "value = -1,", "[entries] per_member_per_distance", "at least 0"),
        ('key = "2031/32"', 'key = "2031"', "key", 'must be a season as "2022/23"'),
        ('kind = "distance"', 'kind = "juniors"', C1 + " kind", "unknown classification kind"),
        ("[standings]\n", "[standing]\n", "standing", "unknown key"),
    ],
)
def test_a_mistake_is_refused_at_load_with_its_file_and_key(old, new, key, reason):
    assert old in SEASON
    with pytest.raises(SeasonFileError, match=r"^2031-32\.toml: ") as error:
        load(SEASON.replace(old, new, 1))
    assert error.value.key == key
    assert re.search(reason, error.value.reason), error.value.reason


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(sorted(RULE_CHOICES)),
    st.one_of(
        st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=20),
        # The values of the other rules: 'countback' is no rule for cards.
        st.sampled_from(sorted({value for known in RULE_CHOICES.values() for value in known})),
    ),
)
def test_any_rule_value_the_code_does_not_apply_is_refused(rule, value):
    section, name = rule
    raw = tomllib.loads(SEASON)
    field = RULE_FIELDS.get(rule, "rule")
    raw.setdefault(section, {})[name] = {field: value, "mark": "P"}
    if value in RULE_CHOICES[rule]:
        assert getattr(parse_season(raw), _FIELD_OF[rule]).value == value
        return
    with pytest.raises(SeasonFileError) as error:
        parse_season(raw, source="2031-32.toml")
    assert error.value.key == f"[{section}] {name}"
    assert repr(value) in error.value.reason


# The SeasonRules field each rule is read into.
_FIELD_OF = {
    ("points", "ties"): "tie_points",
    ("points", "relay"): "relay_points",
    ("ranking", "final_a_penalty"): "final_a_penalty",
    ("ranking", "cards"): "cards",
    ("names", "korean_given"): "korean_given",
    ("standings", "tie_break"): "tie_break",
}


def test_a_season_without_a_section_is_refused():
    text = SEASON[: SEASON.index("[ranking]")] + SEASON[SEASON.index("[standings]") :]
    with pytest.raises(SeasonFileError, match=r"2031-32\.toml: ranking: missing"):
        load(text)


def test_a_season_file_with_a_mistake_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr(season, "SEASONS_DIR", tmp_path)
    (tmp_path / "2031-32.toml").write_text(SEASON.replace('"not_ranked"', '"last_place"'))
    with pytest.raises(ValueError, match=r"^2031-32\.toml: \[ranking\] cards: rule 'last_place'"):
        season_rules.__wrapped__("2031/32")


def test_a_season_extending_one_names_the_file_that_holds_the_mistake(tmp_path, monkeypatch):
    monkeypatch.setattr(season, "SEASONS_DIR", tmp_path)
    (tmp_path / "2030-31.toml").write_text(
        SEASON.replace("2031/32", "2030/31").replace('"better_place"', '"split"')
    )
    (tmp_path / "2031-32.toml").write_text(
        'extends = "2030/31"\nkey = "2031/32"\nname = "ISU World Tour 2031/32"\n'
    )
    with pytest.raises(ValueError, match=r"^2030-31\.toml: \[points\] ties: rule 'split'"):
        season_rules.__wrapped__("2031/32")
    (tmp_path / "2030-31.toml").write_text(SEASON.replace("2031/32", "2030/31"))
    (tmp_path / "2031-32.toml").write_text('extends = "2030/31"\nkey = "2031/32"\nties = 1\n')
    with pytest.raises(ValueError, match=r"^2031-32\.toml: ties: unknown key"):
        season_rules.__wrapped__("2031/32")


def test_a_file_whose_key_is_another_season_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(season, "SEASONS_DIR", tmp_path)
    (tmp_path / "2031-32.toml").write_text(SEASON.replace('key = "2031/32"', 'key = "2032/33"'))
    with pytest.raises(ValueError, match=r"2031-32\.toml: key: '2032/33' in the file of season"):
        season_rules.__wrapped__("2031/32")


def test_every_rule_a_season_may_name_is_one_the_ranking_applies():
    """RULE_CHOICES and rules.ranking agree: each value allowed at load ranks a distance, and
    a value refused at load is refused by the ranking too."""
    rounds = [RoundResult(RoundKind.FINAL_A, ((RaceLine("sA", 1, 40_000),),))]
    for value in RULE_CHOICES[("ranking", "final_a_penalty")]:
        assert final_ranking(rounds, final_a_penalty=value)
    for value in RULE_CHOICES[("ranking", "cards")]:
        assert final_ranking(rounds, cards=value)
    with pytest.raises(ValueError):
        final_ranking(rounds, cards="last_place")


# --- a value the season names changes the outcome where it is applied -----------------------

SALT_LAKE_CITY = [  # a 1000m: Final B of two, Final A of three with a penalty
    RoundResult(RoundKind.FINAL_B, ((RaceLine("sB1", 1, 86_100), RaceLine("sB2", 2, 86_400)),)),
    RoundResult(
        RoundKind.FINAL_A,
        (
            (
                RaceLine("sA1", 1, 85_900),
                RaceLine("sA2", 2, 86_000),
                RaceLine("sA3", 3, None, Status.PEN),
            ),
        ),
    ),
]


@pytest.mark.parametrize(
    ("rule", "penalised_rank"),
    [("after_final_b", 5), ("last_of_final", 3)],
)
def test_the_final_a_penalty_rule_of_the_season_ranks_the_penalised_skater(rule, penalised_rank):
    text = SEASON.replace(
        'final_a_penalty = { rule = "after_final_b"', f'final_a_penalty = {{ rule = "{rule}"'
    )
    rules = load(text)
    ranks = final_ranking(
        SALT_LAKE_CITY, final_a_penalty=rules.final_a_penalty.value, cards=rules.cards.value
    )
    assert {r.entrant: r.rank for r in ranks}["sA3"] == penalised_rank
    assert rules.points_for(penalised_rank) == {5: 0, 3: 70}[penalised_rank]


def test_the_tie_break_of_the_season_separates_equal_points():
    at = datetime(2031, 11, 1, tzinfo=UTC)
    results = [  # 160 points each: a win and a 4th place against two second places
        RankedResult("r1", "W500", "sA", "NED", 1, at),
        RankedResult("r1", "W500", "sB", "CAN", 2, at),
        RankedResult("r2", "W500", "sB", "CAN", 2, at),
        RankedResult("r2", "W500", "sA", "NED", 4, at),
    ]
    for rule, ranks in (("none", [1, 1]), ("countback", [1, 2])):
        rules = load(
            SEASON.replace('tie_break = { rule = "none"', f'tie_break = {{ rule = "{rule}"')
        )
        rows = classify(rules, rules.classification("W500"), results).rows
        assert [(r.entrant, r.points, r.rank) for r in rows] == [
            ("sA", 160, ranks[0]),
            ("sB", 160, ranks[1]),
        ]


def test_the_shipped_seasons_load():
    for key in season.known_seasons():
        assert season_rules(key).key == key
        assert season_file(key).exists()
