"""The results officer enters the laps of a race in the console, typed in the grid (a row
per lap, per skater position, elapsed time and lap time) or pasted from the timing's
printout; the public race page then draws the lap chart. Semifinal 1 of the women's 500m
(5 laps timed, 4 skaters, finished 43.101 to 43.404, lowest helmet first)."""

from __future__ import annotations

import html
import re

import pytest

from shorttrack.rules.times import format_split
from shorttrack.services.draws import draw_first_round
from shorttrack.services.race_results import make_official
from shorttrack.services.race_status import version
from tests.officials.conftest import elapsed_of, helmets, laps_of, snapshot, typed_grid
from tests.services.montreal import distance_race, enter_field, race_it, races_of

pytestmark = pytest.mark.django_db


def url(race) -> str:
    return f"/officials/races/{race.pk}/laps/"


def page_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def officer(client_of, users):
    return client_of(users["officer"])


def test_the_grid_opens_on_the_first_position_in_finish_order(finished, officer):
    first, second, third, fourth = helmets(finished)

    page = page_of(officer.get(url(finished)))

    columns = re.findall(r'<th colspan="3" scope="colgroup" class="skater">(\d+) ', page)
    assert [int(h) for h in columns] == [first, second, third, fourth]
    assert len(re.findall(r'name="lap-\d+-\d+"', page)) == 5 * 4
    # Tab follows the printout's line: position, elapsed, lap time, then the next skater.
    names = re.findall(r'<input name="((?:position|elapsed|lap)-\d+-1)"', page)
    assert names[:4] == [
        f"position-{first}-1",
        f"elapsed-{first}-1",
        f"lap-{first}-1",
        f"position-{second}-1",
    ]
    assert re.search(rf'name="position-{first}-1"[^>]*autofocus', page)
    assert (
        f"Lap {first} {second} {third} {fourth}\n" in page
    )  # the printout's header to paste under


def test_typed_laps_are_saved_and_the_next_race_is_one_key_away(finished, officer, users, client):
    first = helmets(finished)[0]

    response = officer.post(url(finished), typed_grid(finished))

    assert response.status_code == 302 and response["Location"].endswith("?saved=1")
    result = finished.results.order_by("-number").first()
    winner = result.lines.get(helmet=first)
    assert winner.laps_ms == laps_of(0)
    assert winner.lap_elapsed_ms == elapsed_of(0)
    assert winner.lap_positions == [1, 1, 1, 1, 1]
    assert result.revision.reason == "laps entered from the timing (4 skaters, 5 laps)"
    race_page = page_of(officer.get(response["Location"]))
    assert "Laps of Women's 500m Semifinal 1 saved: 4 skaters, 5 laps." in race_page
    assert re.search(
        r'<a href="[^"]+\?from=next" id="next-race" accesskey="n" data-focus-after-save autofocus>'
        r"Next race: Women's 500m Semifinal 2</a>",
        race_page,
    )
    # Opened again, the grid and the printout hold what is stored.
    again = page_of(officer.get(url(finished)))
    assert f'name="lap-{first}-2" value="8.40"' in again
    assert "1 [1] 10.50 (10.50)" in again

    make_official(users["referee"], finished, based_on=version(finished))
    public = page_of(client.get(f"/races/{finished.pk}/"))
    assert 'id="lap-chart"' in public
    chart = public[public.index('id="lap-positions"') :]
    assert [
        int(p)
        for p in re.findall(r'<td class="num">(\d)</td>', chart[: chart.index("</table>")])[:5]
    ] == [1] * 5


def test_the_printout_pasted_is_saved_as_the_grid_is(finished, officer):
    first, second, third, fourth = helmets(finished)
    rows = [f"Lap {first} {second} {third} {fourth}"]
    for lap in range(5):
        cells = [
            f"[{k + 1}] {format_split(elapsed_of(k)[lap])} ({format_split(laps_of(k)[lap])})"
            for k in range(4)
        ]
        rows.append(f"{lap + 1} " + "  ".join(cells))

    response = officer.post(url(finished), {"entry": "sheet", "sheet": "\n".join(rows)})

    assert response.status_code == 302
    line = finished.results.order_by("-number").first().lines.get(helmet=fourth)
    assert line.laps_ms == laps_of(3) and line.lap_positions == [4] * 5


def test_a_figure_that_is_not_a_time_is_named_beside_its_cell_and_nothing_is_saved(
    finished, officer
):
    first = helmets(finished)[0]
    before = snapshot()

    response = officer.post(url(finished), typed_grid(finished, **{f"lap-{first}-3": "8.2x"}))

    assert response.status_code == 422
    page = page_of(response)
    assert f"Lap 3, helmet {first}: lap time '8.2x' is not a time (9.32, 1:01.83)" in page
    assert re.search(
        rf'name="lap-{first}-3" value="8.2x"[^>]*aria-invalid="true"[^>]*autofocus', page
    )
    assert snapshot() == before


def test_laps_that_do_not_add_up_to_the_finish_are_refused_naming_the_helmet(finished, officer):
    second = helmets(finished)[1]
    before = snapshot()

    # Lap 4 of the second skater mistyped: 8.00 -> 8.90.
    response = officer.post(url(finished), typed_grid(finished, **{f"lap-{second}-4": "8.90"}))

    assert response.status_code == 422
    page = page_of(response)
    assert f"helmet {second}, " in page and "summing to" in page
    assert re.search(rf'name="position-{second}-1"[^>]*aria-invalid="true"[^>]*autofocus', page)
    assert snapshot() == before


def test_a_form_opened_before_another_save_is_a_conflict_not_an_overwrite(finished, officer, users):
    first = helmets(finished)[0]
    opened_on = version(finished)
    assert officer.post(url(finished), typed_grid(finished)).status_code == 302
    before = snapshot()

    stale = typed_grid(finished, **{f"lap-{first}-1": "", "based_on": opened_on})
    response = officer.post(url(finished), stale)

    assert response.status_code == 409
    page = page_of(response)
    assert "Not saved: Women's 500m Semifinal 1 changed since your form was opened" in page
    assert f'name="lap-{first}-1" value="10.50"' in page  # the laps as they are now
    assert snapshot() == before


def test_laps_wait_for_the_finish(semifinal, officer):
    page = page_of(officer.get(url(semifinal)))

    assert "No laps yet: laps come after the finish." in page
    assert "Save the laps" not in page
    assert "Enter the laps" not in page_of(officer.get(f"/officials/races/{semifinal.pk}/"))


def test_after_official_the_laps_are_the_referees_correction_with_a_reason(
    finished, officer, client_of, users
):
    make_official(users["referee"], finished, based_on=version(finished))
    assert "a change of its laps is a correction, the referee's" in page_of(
        officer.get(url(finished))
    )
    referee = client_of(users["referee"])

    refused = referee.post(url(finished), typed_grid(finished))
    corrected = referee.post(url(finished), typed_grid(finished, reason="laps from the timing"))

    assert refused.status_code == 422 and "needs a reason" in page_of(refused)
    assert corrected.status_code == 302
    result = finished.results.order_by("-number").first()
    assert result.official_at is not None and result.lines.get(place=1).laps_ms == laps_of(0)
    assert result.revision.reason.startswith("correction: laps from the timing")


def test_laps_taken_away_need_the_tick_and_a_reason(finished, officer):
    *_, third, fourth = helmets(finished)
    assert officer.post(url(finished), typed_grid(finished)).status_code == 302
    emptied = {
        name: ""
        for name in typed_grid(finished)
        if name.endswith(tuple(f"-{fourth}-{lap}" for lap in range(1, 6)))
    }
    before = snapshot()

    held = officer.post(url(finished), typed_grid(finished, **emptied))

    assert held.status_code == 422
    page = page_of(held)
    assert f"helmet {fourth}: its 5 laps removed" in page
    assert re.search(
        r'name="confirm_removal" value="yes" id="grid-confirm-removal" autofocus', page
    )
    assert snapshot() == before

    # The fourth's chip failed: the laps printed for her were another skater's.
    confirmed = officer.post(
        url(finished),
        typed_grid(finished, **emptied, confirm_removal="yes", reason="the timing lost her chip"),
    )

    assert confirmed.status_code == 302
    result = finished.results.order_by("-number").first()
    assert result.lines.get(helmet=fourth).laps_ms == []
    assert result.lines.get(helmet=third).laps_ms == laps_of(2)
    assert result.revision.reason.startswith("the timing lost her chip")


def test_a_relay_opens_with_27_laps_a_team_in_finish_order(montreal, users, skaters, client_of):
    relay = distance_race(montreal, "W3000R")
    enter_field(users, relay, skaters, 4)
    draw_first_round(users["organiser"], relay, seed=4)
    final = races_of(relay, "final_a")[0]
    race_it(users, final)  # official: the laps are the referee's correction

    page = page_of(client_of(users["referee"]).get(url(final)))

    teams = re.findall(r'<th colspan="3" scope="colgroup" class="skater">\d+ ([^<]+?) <', page)
    assert len(teams) == 4 and all(team.isupper() for team in teams)  # KOR, NED ...
    assert len(re.findall(r'name="lap-\d+-\d+"', page)) == 27 * 4
    assert re.search(r'name="lap-\d+-27"', page) and not re.search(r'name="lap-\d+-28"', page)
