"""An import while Redis is down: committed, exit code 0, and a note that live pages are
told later; `shorttrack announce` sends what is pending once Redis is back."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shorttrack import live, versions
from shorttrack.cli import app
from shorttrack.store.models import Announcement, Competition
from tests.services.test_official_while_redis_is_down import (
    REDIS_BACK,
    closed_port_url,
    redis_is_back,
)
from tests.support import SMALL_COMPETITION

# Transactional: the import commits, and what follows its commit runs, as in a terminal.
pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


@pytest.fixture
def bus_from_settings():
    """The live bus and the pages' versions, each chosen again from settings.REDIS_URL
    (both go to Redis, and a process keeps the first it chose)."""
    live.use_bus(None)
    versions.use_store(None)
    yield
    live.use_bus(None)
    versions.use_store(None)


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_an_import_while_redis_is_down_is_committed_and_its_announcement_pending(
    settings, bus_from_settings
):
    settings.REDIS_URL = closed_port_url()
    result = runner.invoke(app, ["import", str(SMALL_COMPETITION)])

    assert result.exit_code == 0, result.output
    assert Competition.objects.count() == 1
    assert "created 1 season, 1 competition" in one_line(result.stdout)
    assert "note: 2 live announcement(s) pending: the live bus (Redis at REDIS_URL) could not" in (
        one_line(result.stderr)
    )
    assert "error" not in result.stderr

    again = runner.invoke(app, ["announce"])  # Redis still down
    assert again.exit_code == 2
    assert one_line(again.stdout) == "sent 0 live announcement(s), 2 pending"
    assert "error: cannot send live announcements: ConnectionError: Error 111" in one_line(
        again.stderr
    )
    assert Announcement.objects.filter(sent__isnull=True).count() == 2

    if not redis_is_back():
        pytest.skip("no Redis at 127.0.0.1:6379 to come back")
    settings.REDIS_URL = REDIS_BACK
    live.use_bus(None)
    versions.use_store(None)
    back = runner.invoke(app, ["announce"])
    assert back.exit_code == 0, back.output
    assert one_line(back.stdout) == "sent 2 live announcement(s), 0 pending"
    assert not Announcement.objects.filter(sent__isnull=True).exists()
