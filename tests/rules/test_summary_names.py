"""Names as the ISU prints them (rules.press_names): the season's convention, nations in text."""

from __future__ import annotations

import pytest

from shorttrack.rules.press_names import given_name, nation_in_text, press_name, skater_of
from shorttrack.rules.season import season_rules


def test_a_skater_stored_ji_won_prints_ji_won_spaced_where_the_season_says_so():
    convention = season_rules("2019/20").korean_given.value  # the ISU pages: "PARK Ji Won"
    assert convention == "spaced"
    assert given_name("Ji-won", "KOR", convention) == "Ji Won"
    assert press_name("Ji-won", "PARK", "KOR", convention) == "Park Ji Won"
    assert press_name("June-seo", "Lee", "KOR", convention) == "Lee June Seo"
    # Only Korean given names: a hyphen elsewhere is part of the name.
    assert press_name("Anne-Marie", "DE BOER-SMIT", "NED", convention) == "Anne-Marie De Boer-Smit"
    assert press_name("Tianyu", "HAN", "CHN", convention) == "Han Tianyu"


def test_under_a_season_that_keeps_names_as_stored_ji_won_is_unchanged():
    assert given_name("Ji-won", "KOR", "as_stored") == "Ji-won"
    assert press_name("Ji-won", "PARK", "KOR") == "Park Ji-won"
    assert press_name("Jens", "van 'T WOUT", "NED") == "Jens van 't Wout"


def test_an_unknown_convention_is_refused_with_the_ones_there_are():
    with pytest.raises(ValueError, match="'dashed' is not a convention: spaced, as_stored"):
        given_name("Ji-won", "KOR", "dashed")


def test_nations_in_running_text_as_isu_news_writes_them():
    assert [nation_in_text(c) for c in ("KOR", "CHN", "NED", "USA", "CAN")] == [
        "Korea",
        "China",
        "the Netherlands",
        "the United States",
        "Canada",
    ]
    assert nation_in_text("LUX", "Luxembourg") == "Luxembourg"  # not in the table
    assert skater_of("CAN") == "Canadian" and skater_of("NED") == "Dutch skater"
