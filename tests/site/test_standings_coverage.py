"""Honest history: the pages of the real 2022/23 season (podiums and a few places from the
press) say that its totals are incomplete, on the standings, season, skater and
competition pages alike, and their JSON twins carry the same ``coverage``; a competition
run race by race says nothing of the kind."""

from __future__ import annotations

import pytest

from shorttrack.store.models import Skater

pytestmark = pytest.mark.django_db
NOTE = '<p class="coverage-note" role="note"><strong>Incomplete results.</strong> '
SAID = (
    "This season holds the places published for its 62 distance races (the podiums and a few more)"
)


def test_the_standings_say_their_totals_are_incomplete(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/standings/overall-women/")
    assert doc["coverage"]["complete"] is False
    assert doc["coverage"]["note"].startswith(SAID)
    assert NOTE + SAID in html
    # Said before the table, so that no total is read without it.
    assert html.index(NOTE) < html.index('<table class="standings"')
    # And on the page of points per race, before its grid.
    html, doc = read_page("/seasons/2022-23/standings/overall-women/grid/")
    assert doc["coverage"]["complete"] is False
    assert html.index(NOTE + SAID) < html.index('id="classification-grid"')


def test_the_season_page_says_it_above_its_leaders(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/")
    assert doc["coverage"]["final_rankings"] == 62
    assert html.index(NOTE + SAID) < html.index('id="standings-menu"')


def test_a_skater_page_says_it_in_the_season_it_concerns(read_page, season_2022_23):
    schulting = Skater.objects.get(family_name__iexact="Schulting")
    html, doc = read_page(f"/skaters/{schulting.pk}/")
    (season,) = doc["seasons"]
    assert season["coverage"]["partial_rankings"] == 62
    assert html.count(NOTE) == 1
    assert html.index('id="season-2022-23"') < html.index(NOTE + SAID)


def test_a_competition_page_says_it_of_its_own_races(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/competitions/5/")
    assert doc["coverage"]["final_rankings"] == 10
    assert NOTE + "This competition holds the places published for its 10 distance races" in html


def test_a_competition_raced_race_by_race_carries_no_note(read_page, small_competition):
    html, doc = read_page("/seasons/2023-24/competitions/1/")
    assert doc["coverage"]["complete"] is True and doc["coverage"]["note"] is None
    assert "coverage-note" not in html
