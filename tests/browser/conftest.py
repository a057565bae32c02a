"""Browser tests: a real uvicorn server on its own SQLite file, driven by Debian's chromium
through Playwright. Never `playwright install`: the browser is /usr/bin/chromium.

The server runs in a subprocess, as in production, so live updates travel the real path
(ASGI, server-sent events). When Redis answers at ``LIVE_REDIS_URL`` the server uses it,
as several workers would, so that a change made official by another process (the
officials' services run from a test) reaches its live pages. These tests build their own
database, so they run once, in the SQLite pass of `make test`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.servers import app_process
from tests.support import REPO, shared_data

CHROMIUM = os.environ.get("SHORTTRACK_CHROMIUM", "/usr/bin/chromium")
LIVE_REDIS_URL = "redis://127.0.0.1:6379/15"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.sqlite_only)


def shorttrack(env: dict[str, str], *args: str) -> str:
    """Run the `shorttrack` command line against the test server's database."""
    done = subprocess.run(
        [sys.executable, "-m", "shorttrack.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise AssertionError(f"shorttrack {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        return False


class SiteServer:
    def __init__(self, url: str, env: dict[str, str]):
        self.url = url
        self.env = env

    def shorttrack(self, *args: str) -> str:
        return shorttrack(self.env, *args)

    @property
    def live_across_processes(self) -> bool:
        """Whether a change committed by another process reaches this server's live pages."""
        return "REDIS_URL" in self.env

    def race_day(self, *args: str) -> str:
        """Run tests/browser/race_day.py against this server's database."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.browser.race_day", *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode:
            raise AssertionError(f"race_day {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout


@pytest.fixture(scope="session")
def site_server(tmp_path_factory) -> SiteServer:
    """uvicorn serving a database with the real 2022/23 season."""
    folder = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "SHORTTRACK_VAR": str(folder),
        "DJANGO_SETTINGS_MODULE": "shorttrack.settings",
    }
    env.pop("REDIS_URL", None)
    if redis_answers(LIVE_REDIS_URL):
        env["REDIS_URL"] = LIVE_REDIS_URL
    # The real 2022/23 season alone: `setup-demo` would also simulate a whole season (slow).
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=REPO, check=True
    )
    shorttrack(env, "import", str(shared_data("worldcup-2022-23", "results.csv")))
    with app_process(env, "--log-level", "warning") as url:
        yield SiteServer(url, env)


@pytest.fixture(scope="session")
def race_day(site_server) -> dict:
    """A competition of a simulated 2023/24 season raced through the officials' services
    (tests/browser/race_day.py): ids of its season, competition, finals and skaters."""
    return json.loads(site_server.race_day("build"))


# Package scope: Playwright's synchronous API keeps an event loop running in the main
# thread while the browser is open, and Django refuses to open a database connection
# there (SynchronousOnlyOperation); the tests after this package must not inherit it.
@pytest.fixture(scope="package")
def chromium():
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install chromium`)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A tab; a test fails if anything on its pages broke the Content-Security-Policy
    (the pages' own scripts, htmx and its SSE extension, must run under it)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not violations, f"the Content-Security-Policy blocked: {violations}"
