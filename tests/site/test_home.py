"""The home page leads to the current season; an empty site says how to import one."""

from __future__ import annotations

import pytest

from shorttrack.store.models import Season

pytestmark = pytest.mark.django_db


def test_an_empty_site_says_how_to_import(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No season yet" in response.text


def test_the_home_page_leads_to_the_current_season(client, season_2022_23, small_competition):
    # 2023/24 is newer than 2022/23 and real: it is the current season.
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/seasons/2023-24/"


def test_a_simulated_season_is_not_current_while_a_real_one_exists(client, season_2022_23):
    Season.objects.create(
        key="2030/31", name="Simulated 2030/31", rules_key="2025/26", simulated=True
    )
    assert client.get("/")["Location"] == "/seasons/2022-23/"


def test_a_season_asked_for_by_name(client, season_2022_23):
    assert client.get("/?season=2022-23")["Location"] == "/seasons/2022-23/"
    assert client.get("/?season=1999-00").status_code == 404
