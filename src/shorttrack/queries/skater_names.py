"""How the public pages name a skater: as a season's convention prints the name.

A page of one season (a nation's season, the season's skater index) names skaters as that
season's rules say (``[names] korean_given``: "LEE Do Yun" where Korean given names print
spaced). A page of no one season (a skater's own page, a head-to-head across seasons, the
search results, a nation's skaters of every season) names them as the newest public
season's rules say: the convention the site prints today, so a skater reads the same
there as on the current race pages. The stored name is never rewritten (``interchange``
imports and exports it as stored).
"""

from __future__ import annotations

from shorttrack.interchange.names import sheet_name
from shorttrack.queries.references import skater_ref
from shorttrack.rules.press_names import given_name
from shorttrack.rules.season import season_rules
from shorttrack.store.models import Season, Skater


def season_convention(season: Season) -> str:
    """How ``season`` prints Korean given names: 'spaced' or 'as_stored'."""
    return season_rules(season.rules_key).korean_given.value


def current_convention() -> str:
    """The convention of the newest season with a published competition; 'as_stored'
    while there is none."""
    newest = Season.objects.public().order_by("-key").first()
    return season_convention(newest) if newest else "as_stored"


def printed_skater_name(skater: Skater, convention: str) -> str:
    """'LEE Do-yun' stored, KOR, under 'spaced' -> 'LEE Do Yun' (rules.press_names)."""
    return printed_name(skater.family_name, skater.given_name, skater.member.code, convention)


def printed_name(family_name: str, given: str, nation: str, convention: str) -> str:
    """``printed_skater_name`` from the stored names and the skater's nation, for a query
    that reads values rather than skaters."""
    return sheet_name(family_name, given_name(given, nation, convention))


def printed_skater_ref(skater: Skater, convention: str) -> dict:
    """``references.skater_ref`` with the name as the convention prints it."""
    return {**skater_ref(skater), "name": printed_skater_name(skater, convention)}
