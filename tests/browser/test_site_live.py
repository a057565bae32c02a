"""A fan watches the Crystal Globe standings and the women's 500m final while the referee,
in another process, makes the final official: the result and the new leader appear on
the open pages, without a reload. Until then the unofficial result shows nowhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

# The htmx SSE extension announces its open stream; the mark lasts as long as the page is
# not reloaded, and so does the flag the test sets once the page is open. A mark in the
# page, not a predicate to evaluate: the site's CSP allows no string evaluated as script.
LISTEN_FOR_THE_STREAM = (
    "document.addEventListener('htmx:sseOpen', () => "
    "{ document.documentElement.dataset.liveStream = 'open'; });"
)


def open_live(context, url: str) -> Page:
    page = context.new_page()
    page.add_init_script(LISTEN_FOR_THE_STREAM)
    page.goto(url)
    page.locator("html[data-live-stream=open]").wait_for(state="attached")
    page.evaluate("window.sameDocument = true")
    return page


def test_the_result_and_the_new_leader_appear_when_the_final_is_made_official(
    site_server, race_day, chromium
):
    if not site_server.live_across_processes:
        pytest.skip("no Redis at 127.0.0.1:6379: a change in another process cannot reach the page")
    fan = chromium.new_context(viewport={"width": 1280, "height": 900})
    season = f"{site_server.url}/seasons/{race_day['season']}"
    standings_page = open_live(fan, f"{season}/standings/overall-women/")
    race_page = open_live(fan, f"{site_server.url}/races/{race_day['final_500m']}/")

    # After the 1000m, which DUBOIS Camille won. The 500m final is entered, not official:
    # its page shows the start list and none of the times.
    standings = standings_page.locator("#standings-main")
    leader = standings.get_by_role("row").nth(1)
    expect(leader.get_by_role("rowheader")).to_have_text("DUBOIS Camille (CAN) fictional")
    expect(leader.get_by_role("cell").nth(1)).to_have_text("100")
    expect(standings).to_contain_text("updates live")
    updated = standings_page.locator("#last-updated time").get_attribute("datetime")
    result = race_page.locator("#race-result")
    expect(result.locator(".status")).to_have_text("unofficial")
    expect(result).to_contain_text("No official result yet.")
    expect(race_page.get_by_text("42.871")).to_have_count(0)  # KIM Seo-yeon's time

    site_server.race_day("final", str(race_day["final_500m"]))  # the referee, elsewhere

    # KIM Seo-yeon: 80 (1000m) + 100 (500m) = 180; DUBOIS Camille 100 + 50 and
    # DE VRIES Lotte 70 + 80 share second place with 150.
    expect(leader.get_by_role("rowheader")).to_have_text(
        "KIM Seo Yeon (KOR) fictional", timeout=15_000
    )
    expect(leader.get_by_role("cell").nth(1)).to_have_text("180")
    for row in (2, 3):
        cells = standings.get_by_role("row").nth(row).get_by_role("cell")
        expect(cells.nth(0)).to_have_text("2")
        expect(cells.nth(1)).to_have_text("150")
        expect(cells.nth(2)).to_have_text("−30")
    expect(standings_page.locator("#last-updated time")).not_to_have_attribute("datetime", updated)

    official = race_page.get_by_role("table", name="Women's 500m, Final A, official result")
    # The ISU's columns: the name, then the member in its own column.
    expect(official.get_by_role("row").nth(1)).to_contain_text("KIM Seo Yeon")
    expect(official.get_by_role("row").nth(1)).to_contain_text("KOR")
    expect(official.get_by_role("row").nth(1)).to_contain_text("42.871")
    expect(result.locator(".status")).to_have_text("official")

    for page in (standings_page, race_page):
        assert page.evaluate("window.sameDocument") is True, f"{page.url} was reloaded"
    fan.close()
