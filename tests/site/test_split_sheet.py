"""The split sheet of the race page: per lap and entrant the position, the lap time and the
elapsed time, as the timing recorded them; and the lap chart drawn from the positions as
recorded, worked out from lap times only for a source that has lap times alone."""

from __future__ import annotations

import re

import pytest

from shorttrack.queries.race import positions_from_lap_times
from shorttrack.store import models
from tests.split_sheets import relay_final

pytestmark = pytest.mark.django_db


@pytest.fixture
def relay(small_competition):
    """A men's 5000m relay Final A at Montreal with all 45 laps (tests/split_sheets.py)."""
    return relay_final(small_competition)


def cell(doc, lap: int, team: str):
    sheet = doc["split_sheet"]
    column = [c["display"] for c in sheet["columns"]].index(team)
    return sheet["rows"][lap - 1]["cells"][column]


def test_the_split_sheet_of_a_relay(read_page, relay):
    html, doc = read_page(f"/races/{relay.pk}/")
    sheet = doc["split_sheet"]
    assert sheet["laps"] == 45 and len(sheet["rows"]) == 45
    assert sheet["positions_from"] == "recorded"
    assert [(c["display"], c["place"], c["time"]) for c in sheet["columns"]] == [
        ("KOR", 1, "6:49.652"),
        ("CAN", 2, "6:50.124"),
        ("NED", 3, "6:50.128"),
        ("ITA", None, ""),
    ]
    # Who skated this race, not the team's roster: KOR's reserve HAN skated, CHOI did not.
    assert sheet["columns"][0]["skaters"] == [
        "PARK Jun Ho",
        "LEE Min Jae",
        "KIM Tae Yang",
        "HAN Seung Woo",
    ]
    assert cell(doc, 1, "KOR") == {"position": 1, "lap": "12.40", "elapsed": "12.40"}
    assert cell(doc, 2, "NED") == {"position": 1, "lap": "8.51", "elapsed": "21.01"}
    assert cell(doc, 7, "CAN")["elapsed"] == "1:06.75"  # minutes as ISU sheets print them
    # At the finish: the elapsed time to the thousandth, the lap time to the hundredth;
    # CAN and NED 6:50.12 both at 1/100 s, 2nd and 3rd as the timing recorded them.
    assert cell(doc, 45, "CAN") == {"position": 2, "lap": "9.40", "elapsed": "6:50.124"}
    assert cell(doc, 45, "NED") == {"position": 3, "lap": "9.04", "elapsed": "6:50.128"}
    # ITA fell: 30 laps, no cells after.
    assert cell(doc, 30, "ITA")["position"] == 4
    assert [cell(doc, lap, "ITA") for lap in (31, 45)] == [None, None]

    table = html[
        html.index('<table class="splits"') : html.index(
            "</table>", html.index('<table class="splits"')
        )
    ]
    assert (
        '<caption id="split-caption">Men&#x27;s 5000m relay, Final A, split times</caption>'
        in table
    )
    assert '<th scope="col" class="lap">Lap</th>' in table
    assert table.count('<th scope="row" class="lap">') == 45
    assert re.search(
        r'<span class="pos">\[2\]</span> <span class="elapsed">6:50.124</span> '
        r'<span class="lap-time">\(9.40\)</span>',
        table,
    )
    assert "PARK Jun Ho, LEE Min Jae, KIM Tae Yang, HAN Seung Woo" in table
    assert "CHOI Woo Jin" not in table
    # The result sheet names the race's skaters too.
    result = html[html.index('<table class="result"') :]
    assert (
        "PARK Jun Ho, LEE Min Jae, KIM Tae Yang, HAN Seung Woo"
        in result[: result.index("</table>")]
    )
    assert 'style="' not in table and "<script" not in table


def test_the_chart_draws_the_positions_as_recorded(read_page, relay):
    """Equal elapsed times at 1/100 s with different positions: the chart keeps them."""
    _, doc = read_page(f"/races/{relay.pk}/")
    chart = doc["lap_chart"]
    assert chart["positions_from"] == "recorded"
    finish = {row["name"]: row["positions"][44] for row in chart["rows"]}
    assert finish == {"KOR": 1, "CAN": 2, "NED": 3, "ITA": None}
    # Worked out from the lap times, CAN and NED would share 2nd: both sum to 6:50.12.
    lines = {line["name"]: line for line in doc["result"]["lines"]}
    worked_out = positions_from_lap_times([lines[t]["laps_ms"] for t in ("KOR", "CAN", "NED")])
    assert [p[44] for p in worked_out] == [1, 2, 2]


def test_lap_times_alone_give_worked_out_positions(read_page, relay):
    result = relay.results.get()
    result.lines.update(lap_positions=[], lap_elapsed_ms=[])
    html, doc = read_page(f"/races/{relay.pk}/")
    assert doc["lap_chart"]["positions_from"] == "lap times"
    assert doc["split_sheet"]["positions_from"] == "lap times"
    assert [cell(doc, 45, team)["position"] for team in ("KOR", "CAN", "NED")] == [1, 2, 2]
    # Elapsed times not recorded: the running sum of the lap times, to the hundredth.
    assert cell(doc, 45, "KOR")["elapsed"] == "6:49.65"
    assert not any(c["elapsed_recorded"] for c in doc["split_sheet"]["columns"])
    assert "positions worked out from the lap times" in html
    assert "Worked out from the lap times." in html


def test_a_photo_finish_position_left_open(read_page, relay):
    """The timing prints [0] for a finish the photo decides: not known, shown as a dash."""
    line = relay.results.get().lines.get(team__name="CAN")
    line.lap_positions = line.lap_positions[:-1] + [0]
    line.save()
    html, doc = read_page(f"/races/{relay.pk}/")
    assert cell(doc, 45, "CAN")["position"] is None
    assert {r["name"]: r["positions"][44] for r in doc["lap_chart"]["rows"]}["CAN"] is None
    assert '<span class="pos">[–]</span> <span class="elapsed">6:50.124</span>' in html


def test_crossings_the_timing_missed(read_page, relay):
    """A lap the timing did not record is None in the lists: an empty cell; after it the
    elapsed time as recorded, the lap time left blank as ISU pages leave it."""
    line = relay.results.get().lines.get(team__name="NED")
    line.laps_ms[9] = line.laps_ms[10] = None
    line.lap_elapsed_ms[9] = None
    line.lap_positions[9] = None
    line.save()
    html, doc = read_page(f"/races/{relay.pk}/")
    assert cell(doc, 10, "NED") is None
    elapsed = line.lap_elapsed_ms[10]
    assert cell(doc, 11, "NED") == {
        "position": line.lap_positions[10],
        "lap": "",
        "elapsed": f"{elapsed // 60000}:{elapsed % 60000 / 1000:05.2f}",
    }
    assert f'<span class="pos">[{line.lap_positions[10]}]</span> <span class="elapsed">' in html
    assert "()" not in html


def test_positions_worked_out_stop_at_a_lap_not_recorded(read_page, relay):
    """From lap times, NED's position is known until its first lap not recorded."""
    line = relay.results.get().lines.get(team__name="NED")
    line.laps_ms[9] = None
    line.save()
    relay.results.get().lines.update(lap_positions=[])
    _, doc = read_page(f"/races/{relay.pk}/")
    ned = next(r for r in doc["lap_chart"]["rows"] if r["name"] == "NED")
    assert ned["positions"][8] is not None and ned["positions"][9:] == [None] * 36
    assert cell(doc, 45, "NED")["elapsed"] == "6:50.128"  # as recorded


def test_a_relay_without_race_skaters_shows_its_roster(read_page, relay):
    models.RaceLineSkater.objects.filter(line__result__race=relay).delete()
    _, doc = read_page(f"/races/{relay.pk}/")
    assert doc["split_sheet"]["columns"][0]["skaters"] == [
        "PARK Jun Ho",
        "LEE Min Jae",
        "KIM Tae Yang",
        "CHOI Woo Jin",
        "HAN Seung Woo",
    ]


def test_a_race_without_lap_times_has_no_split_sheet(read_page, small_competition):
    race = models.Race.objects.get(round__kind="final_a", round__distance_race__distance="W3000R")
    html, doc = read_page(f"/races/{race.pk}/")
    assert doc["split_sheet"] is None and 'id="split-sheet"' not in html
