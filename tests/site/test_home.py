"""The home page: the standings tables of the newest season, readable without JavaScript."""

from __future__ import annotations

import pytest

from shorttrack.services.imports import import_paths

pytestmark = pytest.mark.django_db


def test_an_empty_site_says_how_to_import(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No season yet" in response.text


def test_the_home_page_shows_every_classification_of_the_season(client, data_2022_23):
    import_paths([data_2022_23])
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    assert "ISU World Cup Short Track 2022/23" in page
    # Overall first, with the Crystal Globe winners on top.
    assert page.index("Women&#x27;s overall (Crystal Globe)") < page.index("Women&#x27;s 500m")
    assert '<td>SCHULTING Suzanne</td><td>NED</td><td class="num">1062</td>' in page
    for title in ("Men&#x27;s 5000m relay", "Mixed 2000m relay", "Men&#x27;s 1500m"):
        assert f">{title}</h2>" in page
    assert "provisional rules" in page


def test_an_unknown_season_is_not_found(client, data_2022_23):
    import_paths([data_2022_23])
    assert client.get("/?season=1999-00").status_code == 404
