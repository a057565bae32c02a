"""Fixtures of the public site's tests: the real 2022/23 season, the small hand-made
competition of 2023/24, and a reader of pages that checks each page's JSON twin."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.support import SMALL_COMPETITION

SMALL_FILES = [SMALL_COMPETITION / n for n in ("calendar.csv", "skaters.csv", "race-results.csv")]


@pytest.fixture
def season_2022_23(data_2022_23):
    import_paths([data_2022_23])
    return models.Season.objects.get(key="2022/23")


@pytest.fixture
def small_competition():
    """Montreal, 2023/24: the women's 1000m (1) from heats to Final A, and a relay final."""
    import_paths(SMALL_FILES)
    return models.Competition.objects.get(season__key="2023/24", number=1)


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.levels.append(int(tag[1]))


def heading_levels(html: str) -> list[int]:
    parser = Headings()
    parser.feed(html)
    return parser.levels


def assert_headings_in_order(html: str) -> None:
    """One h1 first, and no heading deeper than one level below the one before it."""
    levels = heading_levels(html)
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


def json_url(url: str) -> str:
    path, _, query = url.partition("?")
    return path.rstrip("/") + ".json" + (f"?{query}" if query else "")


@pytest.fixture
def read_page(client):
    """GET an HTML page and its JSON twin; checks that the JSON is the very document the
    HTML was rendered from, that ?format=json gives it too, and that headings are in order."""

    def read(url: str):
        page = client.get(url)
        assert page.status_code == 200, page.content[:500]
        twin = client.get(json_url(url))
        assert twin.status_code == 200
        assert twin["Content-Type"] == "application/json"
        document = twin.json()
        assert json.loads(json.dumps(page.context["doc"])) == document
        sep = "&" if "?" in url else "?"
        assert client.get(f"{url}{sep}format=json").json() == document
        assert_headings_in_order(page.text)
        return page.text, document

    return read
