"""A visitor compares the winner and the runner-up of the race day's 1000m final race by race,
on a desktop and on a phone: each distance's table names both skaters' places and who
finished ahead, the tables sit inside the window, and the phone never scrolls sideways."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser import page_structure
from tests.browser.race_day import FINAL_1000M


def read_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def leaders(site_server, race_day) -> tuple[str, dict]:
    """The head-to-head page of the 1000m final's first and second, and its document."""
    first, second = (race_day["skaters"][family] for family in list(FINAL_1000M)[:2])
    path = f"/head-to-head/{first}/{second}/"
    return path, read_json(f"{site_server.url}{path.rstrip('/')}.json")


def tables_inside_the_window(page) -> list[str]:
    """Captions of the tables wider than the window (cut off or scrolled inside their box)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('table')]
          .filter((t) => t.getBoundingClientRect().right > window.innerWidth + 0.5
                         || t.parentElement.scrollWidth > t.parentElement.clientWidth)
          .map((t) => t.caption ? t.caption.textContent.trim() : '(no caption)')"""
    )


def test_the_leaders_race_by_race_on_a_desktop(site_server, leaders, page):
    path, doc = leaders
    page.goto(site_server.url + path)
    assert page_structure.problems(page) == []
    tables = page_structure.tables(page)
    races = [d for s in doc["seasons"] for d in s["distances"]]
    assert doc["totals"]["races"] > 0 and races
    # One table per distance raced together, then the final rankings.
    assert [t["caption"].split(":")[0] for t in tables] == [
        *(d["title"] for d in races),
        *(["Distance races both were ranked in"] if doc["rankings"] else []),
    ]
    # The final: the winner ahead of the runner-up.
    final = next(r for d in races for r in d["races"] if r["round"] == "Final A")
    assert (final["a"]["place"], final["b"]["place"], final["ahead"]) == (1, 2, "a")
    a, b = doc["a"]["name"], doc["b"]["name"]
    for table, distance in zip(tables, races, strict=False):
        assert [c for c, _ in table["columns"]] == ["Race", a, b, "Ahead"]
        assert len(table["rows"]) == len(distance["races"])
        totals = distance["totals"]
        assert table["caption"].endswith(f"{a} {totals['a']}, {b} {totals['b']}")
    assert tables_inside_the_window(page) == []


def test_on_a_phone_the_head_to_head_does_not_scroll_sideways(site_server, leaders, phone):
    path, _ = leaders
    phone.goto(site_server.url + path)
    assert page_structure.sideways_overflow(phone) == 0
    assert tables_inside_the_window(phone) == []


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def test_from_a_skaters_page_to_the_head_to_head_with_a_rival(site_server, leaders, page):
    """The winner's page offers the head-to-heads with the skaters met most; the first
    link opens the two skaters' races, the winner first."""
    _, doc = leaders
    winner = doc["a"]
    page.goto(f"{site_server.url}/skaters/{winner['id']}/")
    rivals = page.locator("#rivals li a")
    assert rivals.count() >= 1
    first = read_json(f"{site_server.url}/skaters/{winner['id']}.json")["rivals"][0]
    assert rivals.first.inner_text() == f"{winner['name']} v {first['name']} ({first['nation']})"
    rivals.first.click()
    page.wait_for_url(f"**/head-to-head/{winner['id']}/{first['id']}/")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"{winner['name']} ({winner['nation']}) v {first['name']} ({first['nation']})"
    races = page.locator("#head-to-head-totals dd").first.inner_text()
    assert int(races) == first["races"] > 0
