"""A visitor opens the site in a real browser and finds the standings."""

from __future__ import annotations


def test_a_visitor_sees_the_crystal_globe_standings(site_server, page):
    page.goto(site_server.url + "/")
    page.get_by_role("heading", name="Women's overall (Crystal Globe)").first.wait_for()
    assert "SCHULTING Suzanne" in page.content()
