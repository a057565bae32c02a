"""The console's race page says whether the race's history verifies, and names each row of
it changed behind the application (services/history.py, queries/history.py)."""

from __future__ import annotations

import html

import pytest
from django.db import connection

from shorttrack.services.race_results import make_official
from shorttrack.services.race_status import version
from shorttrack.store import models

pytestmark = pytest.mark.django_db


def page_of(client, race) -> str:
    return html.unescape(client.get(f"/officials/races/{race.pk}/").content.decode())


def test_the_race_page_says_history_verified_then_names_a_time_changed_by_sql(
    finished, client_of, users
):
    result = make_official(users["referee"], finished, based_on=version(finished))
    referee = client_of(users["referee"])
    text = page_of(referee, finished)
    assert "History verified:" in text
    assert "History not verified" not in text

    winner = result.lines.get(place=1)
    table = connection.ops.quote_name(models.RaceResultLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET time_ms = time_ms - 900 WHERE id = %s", [winner.pk])
    text = page_of(referee, finished)
    assert "History not verified: changed outside the results system." in text
    assert (
        f"race result {result.pk} (Women's 500m Semifinal 1, revision {result.number}): "
        "changed behind the application"
    ) in text
