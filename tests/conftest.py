"""Fixtures shared by the whole suite: where the real data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import cache

from shorttrack.queries.facts import forget_loaded_facts
from shorttrack.queries.standings import forget_loaded_rankings
from tests.support import shared_data


@pytest.fixture(autouse=True)
def fresh_cache():
    """Page caches are keyed by row ids, which a rolled-back test database hands out again:
    every test starts with an empty cache."""
    cache.clear()
    forget_loaded_rankings()
    forget_loaded_facts()
    yield
    cache.clear()
    forget_loaded_rankings()
    forget_loaded_facts()


@pytest.fixture
def data_2022_23() -> Path:
    """The real 2022/23 folder: $SHORTTRACK_DATA_2022_23, else shared/data/worldcup-2022-23."""
    if "SHORTTRACK_DATA_2022_23" in os.environ:
        return Path(os.environ["SHORTTRACK_DATA_2022_23"])
    return shared_data("worldcup-2022-23", "results.csv")
