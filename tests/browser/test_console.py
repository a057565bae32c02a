"""The officials' console in a real browser, keyboard first.

The competition comes in the way a federation would set one up: its calendar and skaters
imported with `shorttrack import`, its three officials appointed with `shorttrack
official`. Then, in chromium: the organiser enters six skaters in the women's 500m and
draws it (two semifinals of three); the results officer starts each semifinal and types
its finish with the keyboard alone (Final A cannot be started yet, and says why); the
referee gives a PEN in semifinal 1 and makes both official; Final A then shows its
qualifiers, without the penalised skater.

Then two results officers and two referees on Final B at once, a stray Enter after a
save and a form the Back button shows: each lands in a conflict or goes to the next
race, never in an overwrite, and no time is lost.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.browser.conftest import shorttrack
from tests.support import FIXTURES, REPO

PASSWORD = "blades-on-ice-2024"
SEASON, COMPETITION = "2024/25", "1"


# The skaters are made up, so their season is labelled simulated (services.simulated), as
# the site labels the simulator's: the public home page keeps showing the real season.
LABEL_SIMULATED = """
import django
django.setup()
from shorttrack.services.simulated import label_simulated
from shorttrack.store.models import Skater
keys = [
    Skater.objects.get(gender="women", member__code=code, family_name=family, given_name=given).key
    for code, family, given in [
        ("KOR", "Han", "Seo-yun"), ("NED", "Visser", "Lotte"), ("CAN", "Tremblay", "Maude"),
        ("ITA", "Bianchi", "Chiara"), ("GER", "Schmidt", "Emma"), ("JPN", "Sato", "Yuna"),
    ]
]
label_simulated("2024/25", keys)
"""


@pytest.fixture(scope="module")
def heerenveen(site_server):
    shorttrack(site_server.env, "import", *(str(p) for p in FIXTURES.glob("console-competition/*")))
    subprocess.run(
        [sys.executable, "-c", LABEL_SIMULATED], env=site_server.env, cwd=REPO, check=True
    )
    env = {**site_server.env, "OFFICIAL_PASSWORD": PASSWORD}
    for username, role in (
        ("olga", "organiser"),
        ("oscar", "results_officer"),
        ("rita", "referee"),
    ):
        out = shorttrack(
            env,
            "official",
            username,
            "--season",
            SEASON,
            "--competition",
            COMPETITION,
            "--role",
            role,
            "--password-env",
            "OFFICIAL_PASSWORD",
        )
        assert "Heerenveen" in out
    return site_server


def sign_in(page, server, username: str) -> None:
    page.goto(server.url + "/officials/login/")
    # The user name field takes the focus (autofocus) once the page is in: a loaded
    # machine may still be laying it out when the keys come.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your competitions").wait_for()


def open_race(page, server, name: str) -> None:
    page.goto(server.url + "/officials/")
    page.get_by_role("link", name="Heerenveen").click()
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", name=re.compile(name)).wait_for()


def start_list(page) -> dict[int, str]:
    """helmet -> name, from the race page's start list."""
    rows = page.locator("#start-list tbody tr")
    found = {}
    for index in range(rows.count()):
        cells = rows.nth(index).locator("td").all_inner_texts()
        found[int(cells[1])] = cells[2]
    return found


def type_finish(page, order: list[int], times: list[str]) -> None:
    """Keyboard alone: start the race (unless started), the helmets in finish order,
    Enter, each time, Enter."""
    if page.locator("#race-status").inner_text() == "scheduled":
        page.keyboard.press("Enter")  # "Start race" has the focus
        page.get_by_label("Finish order").wait_for()
    page.keyboard.type(" ".join(str(h) for h in order))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Times and marks").wait_for()
    for index, time in enumerate(times):
        if index:
            page.keyboard.press("Tab")  # mark of the line before
            page.keyboard.press("Tab")  # place of this line
            page.keyboard.press("Tab")  # its time
        page.keyboard.type(time)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("Unofficial result")).wait_for()


def test_officials_run_the_semifinals_and_final_a_shows_the_qualifiers(heerenveen, chromium):
    server = heerenveen

    # The organiser enters the six skaters and draws the women's 500m.
    organiser = chromium.new_context().new_page()
    sign_in(organiser, server, "olga")
    organiser.get_by_role("link", name="Set-up").first.click()
    organiser.get_by_role("link", name="Women's 500m").click()
    for name in ("HAN Seo-yun", "VISSER Lotte", "TREMBLAY Maude"):
        organiser.get_by_label(name, exact=True).check()
    for name in ("BIANCHI Chiara", "SCHMIDT Emma", "SATO Yuna"):
        organiser.get_by_label(name, exact=True).check()
    organiser.get_by_role("button", name="Enter the ticked skaters").click()
    organiser.get_by_text("6 entered in the Women's 500m").wait_for()
    organiser.get_by_label("Seed").fill("7")
    organiser.get_by_role("button", name="Draw the first round").click()
    organiser.get_by_text("drawn with seed 7").wait_for()
    organiser.context.close()

    # The results officer types both semifinals, lowest helmet first.
    officer = chromium.new_context().new_page()
    sign_in(officer, server, "oscar")
    finishes = {}
    for race in ("Women's 500m Semifinal 1", "Women's 500m Semifinal 2"):
        open_race(officer, server, race)
        starters = start_list(officer)
        order = sorted(starters)
        if race.endswith("1"):
            # A helmet typed wrong is refused beside the field, which keeps the focus.
            officer.keyboard.press("Enter")
            officer.get_by_label("Finish order").wait_for()
            officer.keyboard.type(f"{order[0]} {order[1]} 99")
            officer.keyboard.press("Enter")
            officer.get_by_text("Finish order: helmet 99 does not start in").wait_for()
            assert officer.locator("#race-status").inner_text() == "started"
        type_finish(officer, order, ["44.101", "44.202", "44.303"])
        assert officer.locator("#race-status").inner_text() == "unofficial"
        finishes[race] = [starters[h] for h in order]

    # Final A has nobody to start yet, and says what it waits for.
    open_race(officer, server, "Women's 500m Final A")
    assert officer.locator("#cannot-start").inner_text() == (
        "Not to be started: nobody starts in it yet. "
        "Filled when every race of the semifinals is official (0 of 2 official)."
    )
    assert officer.get_by_role("button", name="Start race").count() == 0
    officer.context.close()

    # The referee penalises the winner of semifinal 1 and makes both semifinals official.
    referee = chromium.new_context().new_page()
    sign_in(referee, server, "rita")
    open_race(referee, server, "Women's 500m Semifinal 1")
    winner_helmet = min(start_list(referee))
    referee.get_by_label("Helmet").fill(str(winner_helmet))
    referee.get_by_label("Decision").select_option("PEN")
    referee.get_by_label("Infringement").fill("impeding")
    referee.get_by_role("button", name="Record decision").click()
    referee.get_by_text("PEN helmet").first.wait_for()
    assert referee.locator("#race-status").inner_text() == "under review"
    referee.get_by_role("button", name="Make official").click()
    referee.get_by_role("heading", name=re.compile("Official result")).wait_for()
    open_race(referee, server, "Women's 500m Semifinal 2")
    referee.get_by_role("button", name="Make official").click()
    referee.get_by_role("heading", name=re.compile("Official result")).wait_for()

    # Final A: the first two of each semifinal once the PEN is applied.
    final_a = referee.locator("#next-round .race-card", has_text="Final A")
    penalised, *others = finishes["Women's 500m Semifinal 1"]
    expected = others[:2] + finishes["Women's 500m Semifinal 2"][:2]
    for name in expected:
        assert name in final_a.inner_text()
    assert penalised not in final_a.inner_text()
    final_b = referee.locator("#next-round .race-card", has_text="Final B")
    assert finishes["Women's 500m Semifinal 2"][2] in final_b.inner_text()
    referee.get_by_role("link", name="Women's 500m Final A", exact=True).click()
    assert sorted(start_list(referee).values()) == sorted(expected)
    referee.context.close()


def appoint(server, username: str, role: str) -> None:
    env = {**server.env, "OFFICIAL_PASSWORD": PASSWORD}
    shorttrack(
        env,
        "official",
        username,
        "--season",
        SEASON,
        "--competition",
        COMPETITION,
        "--role",
        role,
        "--password-env",
        "OFFICIAL_PASSWORD",
    )


def result_times(page) -> list[str]:
    """The times of the race page's result table, in its order."""
    return page.locator("#result tbody tr td:nth-child(7)").all_inner_texts()


def test_two_officials_on_one_race_stray_enters_and_the_back_button(heerenveen, chromium):
    """Runs after the test above: Final B has its starters."""
    server = heerenveen
    appoint(server, "otto", "results_officer")
    appoint(server, "rui", "referee")
    race = "Women's 500m Final B"
    oscar = chromium.new_context().new_page()
    otto = chromium.new_context().new_page()
    sign_in(oscar, server, "oscar")
    sign_in(otto, server, "otto")

    # Both open Final B; oscar starts it. Otto's tab still shows "Start race": Enter there
    # lands in the conflict, which says oscar started it.
    open_race(oscar, server, race)
    open_race(otto, server, race)
    order = sorted(start_list(oscar))
    oscar.keyboard.press("Enter")
    oscar.get_by_label("Finish order").wait_for()
    otto.keyboard.press("Enter")
    otto.locator("#conflict").wait_for()
    assert "started by oscar" in otto.locator("#conflict").inner_text()

    # Both type the finish from forms opened at once: oscar saves first, otto's save is
    # refused with oscar's finish shown to start again from.
    otto.keyboard.type(" ".join(str(h) for h in reversed(order)))
    otto.keyboard.press("Enter")
    otto.get_by_role("heading", name="Times and marks").wait_for()
    times = ["45.101", "45.202"][: len(order)] + ["45.303", "45.404"][: max(0, len(order) - 2)]
    type_finish(oscar, order, times)
    otto.keyboard.type("46.000")
    otto.keyboard.press("Enter")
    otto.locator("#conflict").wait_for()
    assert (
        "finish entered by the results officer by oscar" in otto.locator("#conflict").inner_text()
    )
    assert otto.locator("input[name=time-0]").input_value() == times[0]  # pre-filled
    assert result_times(oscar) == times

    # After the save the cursor is on "Next race": two stray Enters go to the next race
    # and submit nothing there.
    assert oscar.evaluate("document.activeElement.id") == "next-race"
    oscar.keyboard.press("Enter")
    oscar.wait_for_url(re.compile(r"from=next"))
    assert oscar.evaluate("document.activeElement.tagName") == "BODY"
    oscar.keyboard.press("Enter")
    oscar.go_back()
    oscar.go_back()  # the Back button again: the times form of the started race
    oscar.get_by_role("heading", name="Times and marks").wait_for()
    for index in range(1, len(order)):
        oscar.locator(f"input[name=time-{index}]").fill("")
    oscar.locator("input[name=time-0]").fill(times[0])
    oscar.locator("input[name=time-0]").press("Enter")
    oscar.locator("#conflict").wait_for()
    assert result_times(oscar) == times  # no time lost
    assert oscar.locator("#race-status").inner_text() == "unofficial"

    # Two referees: rita makes Final B official; rui's tab, opened before, cannot.
    rita = chromium.new_context().new_page()
    rui = chromium.new_context().new_page()
    sign_in(rita, server, "rita")
    sign_in(rui, server, "rui")
    open_race(rita, server, race)
    open_race(rui, server, race)
    rita.get_by_role("button", name="Make official").click()
    rita.get_by_role("heading", name=re.compile("Official result")).wait_for()
    rui.get_by_role("button", name="Make official").click()
    rui.locator("#conflict").wait_for()
    assert "made official by rita" in rui.locator("#conflict").inner_text()
    assert result_times(rui) == times
    for page in (oscar, otto, rita, rui):
        page.context.close()
