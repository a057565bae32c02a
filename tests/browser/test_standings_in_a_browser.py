"""A visitor opens the site in a real browser and finds the standings: the Crystal Globe
table, then its points per race as the ISU classification sheet prints them, a column per
race by competition, on a desktop and on a phone, where the grid scrolls inside its box and
the rank and the name stay in view."""

from __future__ import annotations

import pytest

from tests.browser import page_structure

URL = "/seasons/2022-23/standings/overall-women/"
GRID = URL + "grid/"

# Where the first row's rank, name and total are, and how the grid's box scrolls.
_GRID = """() => {
  const box = document.querySelector('.grid-scroll');
  const row = document.querySelector('#classification-grid tbody tr');
  const at = (node) => node.getBoundingClientRect();
  return {
    box: {left: at(box).left, right: at(box).right, scrollWidth: box.scrollWidth, clientWidth: box.clientWidth},
    rank: at(row.querySelector('.rank')),
    name: at(row.querySelector('.entrant')),
    total: at(row.querySelector('.total')),
  };
}"""


def test_a_visitor_sees_the_crystal_globe_standings(site_server, page):
    page.goto(site_server.url + "/")
    page.get_by_role("heading", name="Women's overall (Crystal Globe)").first.wait_for()
    assert "SCHULTING Suzanne" in page.content()


def test_the_classification_grid_on_a_desktop(site_server, page):
    page.goto(site_server.url + URL)
    assert page_structure.problems(page) == []
    summary = page_structure.tables(page)[0]
    assert summary["caption"] == "Women's overall (Crystal Globe)"
    page.get_by_role("link", name="Points per race").click()
    page.wait_for_url(f"**{GRID}")
    assert page_structure.problems(page) == []
    grid = page_structure.tables(page)[0]
    assert grid["caption"] == "Points of each race, by competition"
    headers = [text for text, _ in grid["columns"]]
    # Rank, Name, the six competitions, the total, then a column per race under them.
    assert headers[:9] == [
        "Rank",
        "Name",
        "1. Montreal",
        "2. Salt Lake City",
        "3. Almaty",
        "4. Almaty",
        "5. Dresden",
        "6. Dordrecht",
        "Total",
    ]
    assert headers[9:13] == ["1500m", "1000m (1)", "500m", "1000m (2)"]
    assert len(headers) == 9 + 24
    first = page.locator("#classification-grid tbody tr").first
    cells = first.locator("td").all_inner_texts()
    assert (cells[0], cells[1], cells[-1]) == ("1", "100", "1062")  # Montreal's 1500m won
    assert len(cells) == 1 + 24 + 1
    assert first.locator("th").inner_text() == "SCHULTING Suzanne (NED)"
    # The season holds podiums from the press: said above the table, in words.
    note = page.get_by_role("note")
    assert note.inner_text().startswith("Incomplete results. This season holds the places")
    assert note.bounding_box()["y"] < page.locator("#classification-grid").bounding_box()["y"]


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def test_on_a_phone_the_grid_scrolls_in_its_box_and_keeps_the_names(site_server, phone):
    phone.goto(site_server.url + GRID)
    assert page_structure.sideways_overflow(phone) == 0
    before = phone.evaluate(_GRID)
    box = before["box"]
    assert box["scrollWidth"] > box["clientWidth"]  # the 24 races do not fit: it scrolls
    assert before["total"]["left"] > box["right"]  # the total is out of view at first
    phone.locator(".grid-scroll").evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
    after = phone.evaluate(_GRID)
    # Scrolled to the end: the total in view, the rank and the name where they were.
    assert box["left"] <= after["total"]["left"] and after["total"]["right"] <= box["right"] + 1
    assert abs(after["rank"]["left"] - before["rank"]["left"]) < 1
    assert abs(after["name"]["left"] - before["name"]["left"]) < 1
    assert after["name"]["left"] >= after["rank"]["right"] - 1  # side by side, not on top
    assert page_structure.sideways_overflow(phone) == 0
