"""A visitor reads the split sheet of a 45-lap men's 5000m relay: on a 1280 px screen and
on a phone the page never scrolls sideways; the sheet scrolls inside its own box, laps
down and teams across as the ISU prints it, the lap numbers and the teams' names staying
in view however far it is scrolled."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser import page_structure
from tests.support import REPO


@pytest.fixture(scope="module")
def relay_race(site_server, race_day) -> int:
    """The relay final of tests/split_sheets.py, in the race day's competition."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.split_sheets",
            "build",
            race_day["season"],
            str(race_day["competition"]),
        ],
        env=site_server.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


# How far the sheet's box scrolls, and where the lap column and the box are on screen.
_GEOMETRY = """() => {
  const box = document.querySelector('.splits-scroll');
  const lap = document.querySelector('.splits tbody th.lap');
  const name = document.querySelector('.splits thead th:nth-child(2)');
  return {
    scrollable: box.scrollWidth - box.clientWidth,
    tall: box.scrollHeight - box.clientHeight,
    boxLeft: box.getBoundingClientRect().left,
    boxTop: box.getBoundingClientRect().top,
    lapLeft: lap.getBoundingClientRect().left,
    nameTop: name.getBoundingClientRect().top,
    boxRight: box.getBoundingClientRect().right,
  };
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_split_sheet_of_a_45_lap_relay_fits_the_screen(
    site_server, relay_race, chromium, width, height
):
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        page.goto(f"{site_server.url}/races/{relay_race}/")
        sheet = page.get_by_role("table", name="Men's 5000m relay, Final A, split times")
        expect(sheet).to_be_visible()
        expect(sheet.locator("tbody tr")).to_have_count(45)
        expect(sheet.get_by_role("columnheader")).to_have_count(1 + 4)
        last = sheet.locator("tbody tr").nth(44)
        expect(last.get_by_role("rowheader")).to_have_text("45")
        expect(last.get_by_role("cell").nth(1)).to_have_text("[2] 6:50.124 (9.40)")
        expect(last.get_by_role("cell").nth(2)).to_have_text("[3] 6:50.128 (9.04)")
        assert page_structure.sideways_overflow(page) == 0
        assert page_structure.problems(page) == []
        geometry = page.evaluate(_GEOMETRY)
        assert geometry["boxRight"] <= width
        # 45 laps are taller than the box: it scrolls down, the teams' names stay on top.
        assert geometry["tall"] > 0
        page.locator(".splits-scroll").evaluate("(box) => { box.scrollTop = box.scrollHeight; }")
        down = page.evaluate(_GEOMETRY)
        assert abs(down["nameTop"] - down["boxTop"]) <= 2, down
        if width < 400:  # four teams are wider than a phone: the box scrolls sideways
            assert geometry["scrollable"] > 0
        if geometry["scrollable"] > 0:  # the sheet scrolls in its box: the laps stay in view
            page.locator(".splits-scroll").evaluate(
                "(box) => { box.scrollLeft = box.scrollWidth; }"
            )
            moved = page.evaluate(_GEOMETRY)
            assert abs(moved["lapLeft"] - moved["boxLeft"]) <= 2, moved
            assert page_structure.sideways_overflow(page) == 0
        assert not blocked, f"the Content-Security-Policy blocked: {blocked}"
    finally:
        context.close()
