"""A visitor looks a skater up from the search box in the masthead: with JavaScript the
hits appear under the box as the name is typed; without it the box is a plain form whose
answer is the search page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture
def page_without_javascript(chromium):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def dandjinou(site_server, tmp_path_factory):
    """A skater of later seasons, known to the server by name only (no result yet)."""
    skaters = tmp_path_factory.mktemp("search") / "skaters.csv"
    skaters.write_text(
        "isu_id,given_name,family_name,gender,birth_date,member\n,William,Dandjinou,men,,CAN\n",
        encoding="utf-8",
    )
    site_server.shorttrack("import", str(skaters))


def test_a_skater_appears_under_the_box_as_his_name_is_typed(site_server, page, dandjinou):
    page.goto(site_server.url + "/seasons/2022-23/standings/overall-men/")
    page.get_by_role(
        "searchbox", name="Search skaters, nations and competitions"
    ).press_sequentially("dandj", delay=50)
    hits = page.locator("#search-suggestions")
    expect(hits.get_by_role("link")).to_have_text(["DANDJINOU William"])
    hits.get_by_role("link", name="DANDJINOU William").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DANDJINOU William")


def test_the_hits_appear_as_the_visitor_types(site_server, page):
    page.goto(site_server.url + "/seasons/2022-23/")
    box = page.get_by_role("searchbox", name="Search skaters, nations and competitions")
    box.press_sequentially("desm", delay=50)
    hits = page.locator("#search-suggestions")
    expect(hits.get_by_role("link", name="DESMET Hanne")).to_be_visible()
    expect(hits.get_by_role("link", name="DESMET Stijn")).to_be_visible()
    expect(page).to_have_url(site_server.url + "/seasons/2022-23/")  # no page was left
    box.press_sequentially(" han", delay=50)
    expect(hits.get_by_role("link")).to_have_count(1)
    hits.get_by_role("link", name="DESMET Hanne").click()
    expect(page).to_have_url(re.compile(r"/skaters/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("DESMET Hanne")


def test_without_javascript_the_box_answers_with_the_search_page(
    site_server, page_without_javascript
):
    page = page_without_javascript
    page.goto(site_server.url + "/seasons/2022-23/")
    box = page.get_by_role("searchbox", name="Search skaters, nations and competitions")
    box.fill("gil KIM")
    box.press("Enter")
    expect(page).to_have_url(site_server.url + "/search/?q=gil+KIM")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    skaters = page.get_by_role("region", name="Skaters")
    expect(skaters.get_by_role("link")).to_have_text(["KIM Gil Li"])
    expect(page.get_by_role("searchbox", name="Skater, nation or competition")).to_have_value(
        "gil KIM"
    )
