"""A visitor opens a competition's overview or a skater's page in a real browser: the page
comes without its facts, then its facts panel arrives (fetched from the competition's facts
page, the skater page's ?fragment=facts) with the rarest five; without JavaScript the panel
is a link to the facts page."""

from __future__ import annotations

import json
import urllib.request

URL = "/seasons/2022-23/competitions/3/"


def test_the_overview_fetches_its_facts_panel_once_shown(site_server, page):
    page.goto(site_server.url + URL)
    panel = page.locator("#facts")
    panel.locator("ul.list li").first.wait_for()
    assert panel.locator("ul.list li").count() == 5
    summary = panel.locator('a[href="/seasons/2022-23/competitions/3/summaries/2022-12-10/"]')
    assert summary.inner_text().startswith("finals of")
    link = panel.get_by_role("link", name="facts of the competition")
    assert link.get_attribute("href") == "/seasons/2022-23/competitions/3/facts/"


def test_without_javascript_the_panel_is_a_link(site_server, chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server.url + URL)
    panel = page.locator("#facts")
    assert panel.locator("li").count() == 0
    link = panel.get_by_role("link", name="The facts of the competition")
    assert link.get_attribute("href") == "/seasons/2022-23/competitions/3/facts/"
    context.close()


def test_a_skater_page_fetches_its_facts_panel_once_shown(site_server, page):
    with urllib.request.urlopen(site_server.url + "/seasons/2022-23/skaters.json") as answer:
        nations = json.load(answer)["nations"]
    skater = next(s for n in nations for s in n["skaters"] if s["name"] == "van 't WOUT Jens")
    page.goto(site_server.url + f"/skaters/{skater['id']}/")
    panel = page.locator("#facts")
    panel.locator("ul.list li").first.wait_for()
    assert panel.get_by_role("heading").inner_text() == "Facts of 2022/23"
    assert panel.locator("ul.list li").count() >= 3  # his three wins of the season, at least
    link = panel.get_by_role("link", name="facts of 2022/23")
    assert link.get_attribute("href") == f"/skaters/{skater['id']}/facts/"
