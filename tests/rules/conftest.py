"""The rules core is pure Python (no database): its tests run once, in the SQLite pass of
`make test`, not again on PostgreSQL, where they would test nothing new."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/rules/" in str(item.fspath) and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.sqlite_only)
