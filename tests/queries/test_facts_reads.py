"""The facts of a page from the rows the page holds already: the same documents as when the
facts queries read those rows themselves, with fewer statements (each costs a round trip
and a plan on PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shorttrack.queries.facts import (
    competition_facts,
    forget_loaded_facts,
    race_index,
    session_summary,
    sessions,
    skater_facts,
)
from shorttrack.store.models import Competition, Season, Skater

pytestmark = pytest.mark.django_db

ALMATY_SATURDAY = date(2022, 12, 10)


@pytest.fixture(autouse=True)
def fresh_facts():
    forget_loaded_facts()
    yield
    forget_loaded_facts()


def _read(ask, moment=None):
    """A document and its statements, each asked of a new race index (nothing kept)."""
    forget_loaded_facts()
    index = race_index(moment)
    with CaptureQueriesContext(connection) as statements:
        document = ask(index)
    return document, len(statements)


def _almaty() -> Competition:
    return Competition.objects.select_related("season").get(season__key="2022/23", number=3)


def test_a_competition_s_facts_from_the_page_s_competition_are_the_same(season_2022_23):
    almaty = _almaty()
    read, by_id = _read(lambda index: competition_facts(almaty.pk, index=index))
    passed, by_row = _read(
        lambda index: competition_facts(almaty.pk, index=index, competition=almaty),
        datetime.fromisoformat(read["as_of"]),
    )
    assert passed == read and read["facts"]
    # The competition not read again (its races' ids are the index's either way).
    assert by_row == by_id - 1


def test_a_session_summary_finds_its_session_among_those_listed(season_2022_23):
    almaty = _almaty()
    alone, by_id = _read(lambda index: session_summary(almaty.pk, ALMATY_SATURDAY, index=index))

    def listed_first(index):
        sessions(almaty.season, index=index)  # as the summary's page lists them first
        return session_summary(almaty.pk, ALMATY_SATURDAY, index=index, competition=almaty)

    listed, by_row = _read(listed_first, datetime.fromisoformat(alone["as_of"]))
    assert listed == alone and listed["facts"]
    # The listing's two statements (competitions, finals days) stand for the summary's
    # competition and finals days: no more statements than the summary alone.
    assert by_row == by_id


def test_a_skater_s_facts_from_the_page_s_skater_and_seasons_are_the_same(season_2022_23):
    skater = Skater.objects.select_related("member").get(family_name__iexact="van 't Wout")
    seasons = list(Season.objects.filter(key="2022/23"))
    read, by_id = _read(lambda index: skater_facts(skater.pk))
    passed, by_row = _read(lambda index: skater_facts(skater.pk, skater=skater, seasons=seasons))
    assert {**passed, "as_of": None} == {**read, "as_of": None} and read["facts"]
    # Neither the skater nor the season read again.
    assert by_row == by_id - 2
