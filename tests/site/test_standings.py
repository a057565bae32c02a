"""Standings pages: points, gaps, the way to the races behind every total (the grid page),
the leaders' chart, and the standings at any moment of the 2022/23 season (checks.csv
C03, C04)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shorttrack.queries.races import find_distance_race
from shorttrack.store.models import Season
from tests.queries.corrected_season import MONDAY, SATURDAY, montreal_weekend

pytestmark = pytest.mark.django_db
URL = "/seasons/2022-23/standings/overall-women/"


def rows_by_name(doc):
    return {row["name"]: row for row in doc["rows"]}


def test_the_crystal_globe_table_with_gaps(read_page, season_2022_23):
    html, doc = read_page(URL)
    assert doc["title"] == "Women's overall (Crystal Globe)"
    assert doc["provisional"] is True
    first, second, third = doc["rows"][:3]
    assert (first["name"], first["points"], first["behind_leader"]) == (
        "SCHULTING Suzanne",
        1062,
        0,
    )
    assert (second["name"], second["points"]) == ("VELZEBOER Xandra", 586)
    assert (second["behind_leader"], second["behind_next"]) == (476, 476)
    assert (third["name"], third["behind_leader"], third["behind_next"]) == ("KIM Gil Li", 512, 36)
    assert "<caption>Women&#x27;s overall (Crystal Globe)</caption>" in html
    assert '<th scope="col" class="num">Behind next</th>' in html
    assert "provisional rules" in html
    assert f'<a href="/skaters/{first["skater_id"]}/">SCHULTING Suzanne</a> (NED)' in html


def test_the_races_behind_each_total_are_on_the_grid_page(read_page, season_2022_23):
    """A row is its rank, total and gaps; the points race by race are the grid's, linked
    from under the table (a row's list of races made a season's nations standings
    363 KB of JSON)."""
    html, doc = read_page(URL)
    velzeboer = rows_by_name(doc)["VELZEBOER Xandra"]
    assert set(velzeboer) == {
        "rank",
        "name",
        "nation",
        "points",
        "behind_leader",
        "behind_next",
        "skater_id",
        "fictional",
    }
    assert '<a href="/seasons/2022-23/standings/overall-women/grid/">Points per race</a>' in html
    _, grid = read_page(f"{URL}grid/")
    columns = [c["name"] for c in grid["grid"]["columns"]]
    cells = rows_by_name(grid)["VELZEBOER Xandra"]["cells"]
    assert sum(c["points"] for c in cells if c) == velzeboer["points"] == 586
    salt_lake = cells[columns.index("Salt Lake City, Women's 500m (1)")]
    assert (salt_lake["rank"], salt_lake["points"]) == (8, 36)


def test_the_leaders_chart_and_its_table(read_page, season_2022_23):
    html, doc = read_page(URL)
    chart = doc["chart"]
    assert [s["name"] for s in chart["series"]][:2] == ["SCHULTING Suzanne", "VELZEBOER Xandra"]
    schulting = chart["series"][0]["points"]
    assert len(schulting) == len(chart["after"])
    assert schulting[-1] == 1062
    assert schulting == sorted(schulting)  # all results count in 2022/23: totals only grow
    after_dresden = max(
        i for i, step in enumerate(chart["after"]) if step["race"].startswith("Dresden")
    )
    assert schulting[after_dresden] == 912  # C04
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert "<caption>Points after each final</caption>" in html


def test_just_after_a_final(read_page, season_2022_23):
    race = find_distance_race(season_2022_23, "Salt Lake City, 500m (1)", "women")
    html, doc = read_page(f"{URL}?after={race.pk}")
    assert doc["moment"]["after"] == {"id": race.pk, "name": "Salt Lake City, Women's 500m (1)"}
    rows = rows_by_name(doc)
    assert rows["VELZEBOER Xandra"]["points"] == 236
    assert "just after <strong>Salt Lake City, Women&#x27;s 500m (1)</strong>" in html
    assert "sse-connect" not in html  # a moment in the past does not change


def test_just_before_a_final_and_as_of_a_moment(read_page, season_2022_23):
    race = find_distance_race(season_2022_23, "Salt Lake City, 500m (1)", "women")
    _, before = read_page(f"{URL}?before={race.pk}")
    assert rows_by_name(before)["VELZEBOER Xandra"]["points"] == 200
    _, as_of = read_page(f"{URL}?as_of=2022-11-07T12:00")
    # C03: after Salt Lake City Velzeboer leads Schulting by four points.
    assert [(r["name"], r["points"]) for r in as_of["rows"][:2]] == [
        ("VELZEBOER Xandra", 336),
        ("SCHULTING Suzanne", 332),
    ]
    assert as_of["moment"]["as_of"] == "2022-11-07T12:00:00+00:00"


def test_the_finals_to_pick_a_moment_from(read_page, season_2022_23):
    html, doc = read_page(URL)
    names = [f["name"] for f in doc["finals"]]
    assert names[0] == "Montreal, Women's 1500m"
    assert all("Men's" not in name and "relay" not in name for name in names)
    assert '<select name="after" id="pick-after">' in html


def test_relay_standings_rank_nations(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/standings/relay-women/")
    assert doc["title"] == "Women's 3000m relay"
    assert all(row["skater_id"] is None for row in doc["rows"])
    assert doc["rows"][0]["nation"] in {"NED", "KOR", "CAN"}


def test_the_nations_classification_where_the_season_has_one(read_page):
    Season.objects.create(
        key="2025/26", name="ISU World Cup Short Track 2025/26", rules_key="2025/26"
    )
    _, doc = read_page("/seasons/2025-26/standings/nations/")
    assert doc["classification"] == "nations" and doc["rows"] == []


def test_the_live_fragment_is_the_main_table(client, season_2022_23):
    html = client.get(f"{URL}?fragment=main").text
    assert html.startswith('<section id="standings-main"')
    assert 'hx-get="/seasons/2022-23/standings/overall-women/?fragment=main"' in html
    assert 'hx-trigger="sse:update"' in html and 'id="last-updated"' in html
    page = client.get(URL).text
    season = Season.objects.get(key="2022/23")
    assert f'sse-connect="/live/season:{season.pk}/"' in page
    assert "htmx-2.0.11.min.js" in page and "htmx-ext-sse-2.2.4.min.js" in page


def test_wrong_requests(client, season_2022_23):
    assert client.get("/seasons/2022-23/standings/overall-juniors/").status_code == 404
    assert client.get("/seasons/2022-23/standings/nations/").status_code == 404
    bad = client.get(f"{URL}?as_of=yesterday")
    assert bad.status_code == 400 and "is not a moment" in bad.text
    assert client.get(f"{URL.rstrip('/')}.json?after=999999").status_code == 400


def test_a_corrected_final_keeps_its_place_on_the_page(read_page):
    """Issue 12: the 1000m official Saturday, the 500m Sunday, the 1000m corrected Monday.
    The finals list and the chart place the 1000m on Saturday and say when it was
    corrected; just before it, neither final counts."""
    weekend = montreal_weekend()
    url = "/seasons/2025-26/standings/overall-women/"
    html, doc = read_page(url)
    assert [(f["name"], f["corrected_at"]) for f in doc["finals"]] == [
        ("Montreal, Women's 1000m", MONDAY.isoformat()),
        ("Montreal, Women's 500m", None),
    ]
    assert (
        'Montreal, Women&#x27;s 1000m <span class="muted">official 18 Oct 2025 20:00 UTC, '
        "corrected 20 Oct 2025 20:00 UTC</span>"
    ) in html
    assert [step["race"] for step in doc["chart"]["after"]] == [
        "Montreal, Women's 1000m",
        "Montreal, Women's 500m",
    ]
    _, before = read_page(f"{url}?before={weekend['w1000'].pk}")
    assert before["moment"]["as_of"] == (SATURDAY - timedelta(microseconds=1)).isoformat()
    assert before["rows"] == []
    _, after = read_page(f"{url}?after={weekend['w1000'].pk}")
    assert [(r["name"], r["points"]) for r in after["rows"]] == [
        ("ERIKSEN Ida", 100),
        ("ITO Yui", 80),
    ]
