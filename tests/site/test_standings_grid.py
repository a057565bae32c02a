"""The grid page of a classification, as the ISU classification sheets print it: a column
per race of the season ("500m (1)", "500m (2)") grouped by competition, then the total,
dropped results in brackets; its JSON twin carries the same grid. The standings page
links to it ("Points per race") and carries no grid itself."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from shorttrack.queries.races import find_distance_race
from shorttrack.queries.standings import grid_rows_per_page, standings
from shorttrack.services.imports import import_paths
from tests.queries.simulated_seasons import SimulatedSeason

pytestmark = pytest.mark.django_db
URL = "/seasons/2022-23/standings/overall-women/grid/"
FIELD = ["ADAMS Alice", "BAKER Beth", "CHOI Ha-eun", "DEKKER Femke", "ERIKSEN Ida"]


def by_name(doc):
    return {row["name"]: row for row in doc["rows"]}


def test_a_column_per_race_grouped_by_competition(read_page, season_2022_23):
    html, doc = read_page(URL)
    grid = doc["grid"]
    assert [(c["number"], c["city"], c["races"]) for c in grid["competitions"]] == [
        (1, "Montreal", 4),
        (2, "Salt Lake City", 4),
        (3, "Almaty", 4),
        (4, "Almaty", 4),
        (5, "Dresden", 4),
        (6, "Dordrecht", 4),
    ]
    assert [c["label"] for c in grid["columns"][:8]] == [
        "1500m",
        "1000m (1)",
        "500m",
        "1000m (2)",
        "500m (1)",
        "1500m",
        "500m (2)",
        "1000m",
    ]
    assert '<th scope="col" colspan="4" class="competition">2. Salt Lake City</th>' in html
    column = grid["columns"][6]
    assert (column["name"], column["competition"]) == ("Salt Lake City, Women's 500m (2)", 2)
    # Each column's heading leads to that distance's final ranking.
    assert (
        f'title="Salt Lake City, Women&#x27;s 500m (2)"><a href="/seasons/2022-23/competitions/2/'
        f'distances/{column["race_id"]}/">500m (2)</a>'
    ) in html


def test_each_cell_holds_the_points_of_that_race_and_the_cells_add_up(read_page, season_2022_23):
    html, doc = read_page(URL)
    columns = [c["name"] for c in doc["grid"]["columns"]]
    rows = by_name(doc)
    schulting, velzeboer = rows["SCHULTING Suzanne"], rows["VELZEBOER Xandra"]
    for row in doc["rows"]:
        assert len(row["cells"]) == len(columns)
        assert sum(c["points"] for c in row["cells"] if c) == row["points"]
    # A cell for each race of hers the classification counts or drops.
    table, _ = standings(season_2022_23, "overall-women", timezone.now())
    listed = next(row for row in table.rows if row.entrant == f"s{velzeboer['skater_id']}")
    assert sum(c is not None for c in velzeboer["cells"]) == len(listed.results) == 7
    salt_lake = velzeboer["cells"][columns.index("Salt Lake City, Women's 500m (1)")]
    assert salt_lake == {"points": 36, "dropped_points": 0, "rank": 8, "provisional": False}
    assert velzeboer["cells"][columns.index("Montreal, Women's 1500m")] is None
    assert schulting["cells"][columns.index("Montreal, Women's 1500m")]["points"] == 100
    assert '<td class="num counted" title="rank 8">36</td>' in html
    assert '<td class="num total">1062</td>' in html


@pytest.fixture
def eight_500m(tmp_path):
    """Four competitions of two women's 500m each under the 2022/23 rules, whose Crystal
    Globe counts at most six results per distance: Alice Adams wins six, is second and
    fourth in the other two."""
    season = SimulatedSeason("2036/37", rules="2022/23")
    places = iter([1, 2, 1, 1, 4, 1, 1, 1])
    for number, (city, start) in enumerate(
        [
            ("Montreal", date(2024, 10, 24)),
            ("Salt Lake City", date(2024, 10, 31)),
            ("Dresden", date(2024, 11, 14)),
            ("Montreal", date(2024, 12, 5)),
        ],
        start=1,
    ):
        competition = season.competition(number, city, start)
        for instance, day in ((1, 2), (2, 3)):
            adams = next(places)
            others = [n for n in FIELD if n != "ADAMS Alice"]
            order = others[: adams - 1] + ["ADAMS Alice"] + others[adams - 1 :]
            competition.final("women", f"500m ({instance})", day, "14:00", order)
    import_paths([season.write(tmp_path)])
    return season


def test_results_the_counting_rule_drops_are_marked(read_page, eight_500m):
    html, doc = read_page("/seasons/2036-37/standings/overall-women/grid/")
    adams = by_name(doc)["ADAMS Alice"]
    assert adams["points"] == 600  # six wins count; the 80 and the 60 are dropped
    assert [(c["points"], c["dropped_points"]) for c in adams["cells"]] == [
        (100, 0),
        (0, 80),
        (100, 0),
        (100, 0),
        (0, 60),
        (100, 0),
        (100, 0),
        (100, 0),
    ]
    assert [c["label"] for c in doc["grid"]["columns"]] == ["500m (1)", "500m (2)"] * 4
    assert '<td class="num dropped" title="rank 2"> <span class="dropped">(80)</span></td>' in html
    # Every place of every race is known: no note of missing results.
    assert doc["coverage"]["complete"] is True and doc["coverage"]["note"] is None
    assert "Incomplete results" not in html


def test_the_500m_classification_counts_every_race(read_page, eight_500m):
    _, doc = read_page("/seasons/2036-37/standings/500m-women/grid/")
    adams = by_name(doc)["ADAMS Alice"]
    assert adams["points"] == 740
    assert all(c["dropped_points"] == 0 for c in adams["cells"])


def test_relay_points_are_marked_provisional_in_their_cells(read_page, season_2022_23):
    # The relays' points table of 2022/23 is not confirmed (P): every relay cell says so.
    html, doc = read_page("/seasons/2022-23/standings/relay-women/grid/")
    assert [c["label"] for c in doc["grid"]["columns"]] == ["3000m relay"] * 6
    cells = [c for row in doc["rows"] for c in row["cells"] if c]
    assert cells and all(c["provisional"] for c in cells)
    first = doc["rows"][0]
    assert sum(c["points"] for c in first["cells"] if c) == first["points"]
    assert '<span class="provisional" title="points value not yet confirmed">P</span>' in html


def test_the_grid_of_a_moment_has_the_races_official_then(read_page, season_2022_23):
    race = find_distance_race(season_2022_23, "Salt Lake City, 500m (1)", "women")
    html, doc = read_page(f"{URL}?after={race.pk}")
    assert [c["name"] for c in doc["grid"]["columns"]][-2:] == [
        "Montreal, Women's 1000m (2)",
        "Salt Lake City, Women's 500m (1)",
    ]
    assert [(c["city"], c["races"]) for c in doc["grid"]["competitions"]] == [
        ("Montreal", 4),
        ("Salt Lake City", 1),
    ]
    velzeboer = by_name(doc)["VELZEBOER Xandra"]
    assert [c and c["points"] for c in velzeboer["cells"]] == [None, 100, 100, None, 36]
    assert velzeboer["points"] == 236
    assert '<caption id="grid-caption">Points of each race, by competition, as of' in html


def test_the_standings_page_links_to_its_grid_and_carries_none(read_page, season_2022_23):
    html, doc = read_page("/seasons/2022-23/standings/overall-women/")
    assert "grid" not in doc and all("cells" not in row for row in doc["rows"])
    assert 'id="classification-grid"' not in html
    assert '<a href="/seasons/2022-23/standings/overall-women/grid/">Points per race</a>' in html
    race = find_distance_race(season_2022_23, "Salt Lake City, 500m (1)", "women")
    html, _ = read_page(f"/seasons/2022-23/standings/overall-women/?after={race.pk}")
    assert f'href="/seasons/2022-23/standings/overall-women/grid/?after={race.pk}"' in html
    # The grid page leads back to the standings of the same moment.
    html, grid = read_page(f"{URL}?after={race.pk}")
    assert f'href="/seasons/2022-23/standings/overall-women/?after={race.pk}"' in html
    assert grid["moment"]["after"]["name"] == "Salt Lake City, Women's 500m (1)"


def test_a_classification_the_season_does_not_have_is_not_found(client, season_2022_23):
    assert client.get("/seasons/2022-23/standings/overall-juniors/grid/").status_code == 404
    answer = client.get("/api/seasons/2022-23/standings/overall-juniors/grid")
    assert answer.status_code == 404 and "overall-juniors" in answer.json()["detail"]


def test_a_season_s_grid_comes_in_pages_of_rows_by_rank(
    read_page, client, season_2022_23, monkeypatch
):
    """24 races a row: at most 1,200 cells a page, in tens of rows, the leaders first;
    the pages together hold every row of the standings once, in rank order."""
    whole = client.get("/seasons/2022-23/standings/overall-women.json").json()["rows"]
    assert grid_rows_per_page(24) == 50  # 1,200 cells of 24 races
    assert grid_rows_per_page(25) == 40 and grid_rows_per_page(500) == 10

    # Ten rows a page (120 cells a page asked for), so this season's grid has several.
    monkeypatch.setattr("shorttrack.queries.standings.GRID_PAGE_CELLS", 240)
    pages, number = [], 1
    while number is not None:
        url = URL if number == 1 else f"{URL}?page={number}"
        html, doc = read_page(url)
        assert doc["page"]["number"] == number and doc["page"]["rows_per_page"] == 10
        assert len(doc["rows"]) <= 10 and doc["page"]["rows"] == len(whole)
        assert all(len(row["cells"]) == len(doc["grid"]["columns"]) for row in doc["rows"])
        pages.append(doc)
        number = doc["page"]["next"]
    count = len(pages)
    assert count == -(-len(whole) // 10) > 1
    assert [(row["rank"], row["name"], row["points"]) for doc in pages for row in doc["rows"]] == [
        (row["rank"], row["name"], row["points"]) for row in whole
    ]
    assert [(p["first_rank"], p["last_rank"]) for p in pages[0]["pages"]] == [
        (doc["rows"][0]["rank"], doc["rows"][-1]["rank"]) for doc in pages
    ]
    assert pages[1]["page"]["previous"] == 1 and pages[-1]["page"]["next"] is None

    # The Link header of a page in the middle, on the page and on its JSON twin.
    for url in (f"{URL}?page=2", URL.rstrip("/") + ".json?page=2"):
        link = client.get(url)["Link"]
        assert f'page={count}>; rel="last"' in link and 'rel="first"' in link, link
        assert 'rel="prev"' in link and ('page=3>; rel="next"' in link) == (count > 2)
    # The API's page is the site's.
    api = client.get("/api/seasons/2022-23/standings/overall-women/grid?page=2").json()
    assert api["rows"] == pages[1]["rows"]
    assert client.get(f"{URL}?page={count + 1}").status_code == 404
    assert client.get(f"{URL}?page=x").status_code == 400
