"""A visitor reads the public site in a real browser: the season, the Crystal Globe
standings, a skater, a competition, a race with its lap chart and a nation. Every page
is built from captioned tables and headings in order, its charts have a table of their
numbers, it reads the same without JavaScript, and on a phone it does not scroll
sideways."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser import page_structure

PAGES = ("season", "standings", "competition", "race", "skater", "nation")


@pytest.fixture(scope="module")
def paths(site_server, race_day) -> dict[str, str]:
    """The main pages, one of each kind: the real 2022/23 season and the race day."""
    twin = f"{site_server.url}/seasons/2022-23/standings/overall-women.json"
    with urllib.request.urlopen(twin, timeout=10) as response:
        leader = json.load(response)["rows"][0]
    return {
        "season": "/seasons/2022-23/",
        "standings": "/seasons/2022-23/standings/overall-women/",
        "competition": f"/seasons/{race_day['season']}/competitions/{race_day['competition']}/",
        "race": f"/races/{race_day['final_1000m']}/",
        "skater": f"/skaters/{leader['skater_id']}/",
        "nation": "/seasons/2022-23/nations/NED/",
    }


@pytest.fixture
def page_without_javascript(chromium):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def test_a_visitor_goes_from_the_season_to_the_crystal_globe_leader(site_server, page):
    page.goto(site_server.url + "/seasons/")
    page.get_by_role("link", name="ISU World Cup Short Track 2022/23").click()
    expect(page).to_have_url(site_server.url + "/seasons/2022-23/")
    calendar = page.get_by_role("table", name="Competitions of the 2022/23 season")
    expect(calendar.get_by_role("rowheader")).to_have_count(6)
    expect(calendar.get_by_role("rowheader").first).to_contain_text("Montreal")

    page.locator("#leaders-overall-women").get_by_role("link", name="Full standings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Women's overall (Crystal Globe)")
    standings = page.get_by_role("table", name="Women's overall (Crystal Globe)")
    leader = standings.get_by_role("row").nth(1)
    expect(leader.get_by_role("rowheader")).to_have_text("SCHULTING Suzanne (NED)")
    expect(leader.get_by_role("cell").nth(1)).to_have_text("1062")

    leader.get_by_role("link", name="SCHULTING Suzanne").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SCHULTING Suzanne")
    expect(page.get_by_role("heading", name="Personal bests")).to_be_visible()


def test_a_visitor_reads_the_lap_chart_of_a_final(site_server, race_day, page):
    page.goto(
        f"{site_server.url}/seasons/{race_day['season']}/competitions/{race_day['competition']}/"
    )
    page.get_by_role("link", name="Women's 1000m, Final A: lap chart and history").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Women's 1000m, Final A")

    result = page.get_by_role("table", name="Women's 1000m, Final A, official result")
    # The ISU's columns: Place, Start Pos., Warn., #, Name, ISU Member, Results, Qual.
    expect(result.get_by_role("columnheader")).to_have_text(
        ["Place", "Start Pos.", "Warn.", "#", "Name", "ISU Member", "Results", "Qual."]
    )
    winner = result.get_by_role("row").nth(1)
    expect(winner.get_by_role("rowheader").get_by_role("link")).to_have_text("DUBOIS Camille")
    expect(winner.get_by_role("cell").nth(0)).to_have_text("1")
    expect(winner.get_by_role("cell").nth(4)).to_have_text("CAN")
    expect(winner.get_by_role("cell").nth(5)).to_have_text("1:28.512")

    chart = page.get_by_role("img", name="Women's 1000m, Final A: position after each lap")
    expect(chart).to_be_visible()
    laps = page.get_by_role("table", name="Position after each lap (text of the lap chart)")
    expect(laps.get_by_role("columnheader")).to_have_count(1 + 9)
    dubois = laps.get_by_role("row").filter(has_text="DUBOIS Camille")
    expect(dubois.get_by_role("cell")).to_have_text(["3", "3", "2", "2", "2", "2", "1", "1", "1"])
    # Stored "Seo-yeon"; the season prints Korean given names spaced, as the ISU does.
    kim = laps.get_by_role("row").filter(has_text="KIM Seo Yeon")
    expect(kim.get_by_role("cell")).to_have_text(["1", "1", "1", "1", "1", "1", "2", "2", "2"])


@pytest.mark.parametrize("kind", PAGES)
def test_each_page_reads_as_headings_and_captioned_tables(site_server, paths, page, kind):
    page.goto(site_server.url + paths[kind])
    assert page_structure.problems(page) == []


@pytest.mark.parametrize("kind", PAGES)
def test_each_page_shows_the_same_tables_without_javascript(
    site_server, paths, page, page_without_javascript, kind
):
    page.goto(site_server.url + paths[kind])
    page_without_javascript.goto(site_server.url + paths[kind])
    with_script = page_structure.tables(page)
    assert with_script, "every main page shows at least one table"
    assert page_structure.tables(page_without_javascript) == with_script


@pytest.mark.parametrize("kind", PAGES)
def test_on_a_phone_no_page_scrolls_sideways(site_server, paths, phone, kind):
    phone.goto(site_server.url + paths[kind])
    assert page_structure.sideways_overflow(phone) == 0


def test_the_standings_of_a_moment_are_a_plain_form_without_javascript(
    site_server, page_without_javascript
):
    page = page_without_javascript
    page.goto(site_server.url + "/seasons/2022-23/standings/overall-women/")
    page.get_by_label("Just after").select_option(label="Montreal, Women's 1000m (1)")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/standings/overall-women/\?after=[0-9]+$"))
    expect(page.locator(".moment")).to_contain_text(
        "just after Montreal, Women's 1000m (1) became official"
    )
    # The first World Cup final of the season: two skaters share the lead with 100 points.
    standings = page.get_by_role("table", name="Women's overall (Crystal Globe), as of 29 Oct")
    expect(standings.get_by_role("row").nth(1)).to_contain_text("100")
    expect(standings.get_by_role("row").nth(3)).to_contain_text("SHIM Suk Hee (KOR)")
