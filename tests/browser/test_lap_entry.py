"""A results officer runs a race from the console with the keyboard alone, in chromium:
the women's 1000m Semifinal 1 of a competition in Calgary (8 fictional skaters, two
semifinals of 4 scheduled in one session). Enter starts it, the helmets and the times
give the finish, one Tab and Enter open its laps, the grid is typed as the timing
printout reads (position, elapsed time, lap time per skater, lap after lap), Enter saves,
and Enter again goes to the next race by the schedule. No mouse click on the way.

A second tab holding the laps form from before the save lands in the conflict, which
shows the laps as they are; nothing is overwritten. Made official, the public race page
draws the lap chart from the laps typed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from shorttrack.rules.times import format_split
from tests.support import REPO

PASSWORD = "laps-by-keyboard-2023"
OFFICER = "lap-officer"

# The competition, set up through the services as the organiser would: run in the test
# server's database; prints the ids the test needs.
BUILD = """
import json, sys
from datetime import date, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db.models import Max
from shorttrack.services.draws import draw_first_round
from shorttrack.services.entries import enter_skaters
from shorttrack.services.officials import ORGANISER, REFEREE, RESULTS_OFFICER, appoint
from shorttrack.services.setup import RaceSlot, add_session, schedule_races
from shorttrack.store import models

User = get_user_model()
admin = User.objects.get_or_create(username="lap-admin", defaults={"is_superuser": True})[0]
organiser = User.objects.get_or_create(username="lap-organiser")[0]
referee = User.objects.get_or_create(username="lap-referee")[0]
officer = User.objects.get_or_create(username=sys.argv[2])[0]
officer.set_password(sys.argv[3])
officer.save()
season = models.Season.objects.get(key=sys.argv[1])
number = (season.competitions.aggregate(Max("number"))["number__max"] or 0) + 1
competition = models.Competition.objects.create(
    season=season, number=number, city="Calgary", country="CAN", venue="Olympic Oval",
    time_zone="America/Edmonton", start_date=date(2023, 12, 8), end_date=date(2023, 12, 10),
)
w1000 = models.DistanceRace.objects.create(competition=competition, distance="W1000")
skaters = []
for k, (code, family, given) in enumerate([
    ("CAN", "Lavoie", "Emma"), ("NED", "Bakker", "Sanne"), ("KOR", "Choi", "Ha-eun"),
    ("ITA", "Ferrari", "Sofia"), ("USA", "Walker", "Ava"), ("JPN", "Ito", "Hina"),
    ("GER", "Wagner", "Lea"), ("FRA", "Moreau", "Chloe"),
]):
    member = models.Member.objects.get_or_create(code=code, defaults={"name": code})[0]
    skaters.append(models.Skater.objects.get_or_create(
        key=f"lap-entry-{code}-{family}".lower(),
        defaults={"given_name": given, "family_name": family, "gender": "women",
                  "birth_date": date(2000, 1, 1 + k), "member": member, "fictional": True},
    )[0])
appoint(admin, competition, organiser, ORGANISER)
appoint(organiser, competition, officer, RESULTS_OFFICER)
appoint(organiser, competition, referee, REFEREE)
enter_skaters(organiser, w1000, skaters)
draw_first_round(organiser, w1000, seed=1208)
first, second = models.Race.objects.filter(
    round__distance_race=w1000, round__kind="semifinals").order_by("number")
session = add_session(organiser, competition, day=1, name="Qualifying", starts=time(14))
schedule_races(organiser, competition,
               [RaceSlot(first, session, time(14, 0)), RaceSlot(second, session, time(14, 10))])
print(json.dumps({"first": first.pk, "second": second.pk}))
"""

MAKE_OFFICIAL = """
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from shorttrack.services.race_results import make_official
from shorttrack.services.race_status import version
from shorttrack.store.models import Race
race = Race.objects.get(pk=sys.argv[1])
referee = get_user_model().objects.get(username="lap-referee")
make_official(referee, race, based_on=version(race))
"""


def run(server, script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=server.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def calgary(site_server, race_day) -> dict:
    return json.loads(
        run(site_server, BUILD, race_day["season"].replace("-", "/"), OFFICER, PASSWORD)
    )


FINISH_MS = [88_101, 88_202, 88_303, 88_404]  # 1:28.101 ... in finish order


def laps_of(k: int) -> list[int]:
    """The 9 lap times of the skater finishing k-th (0 first): a slower lap from the
    start, summing to the finish cut to the hundredth."""
    return [12_800 + 10 * k] + [9_400] * 7 + [9_500 + 90 * k]


def elapsed_of(k: int) -> list[int]:
    laps = laps_of(k)
    return [sum(laps[: n + 1]) for n in range(len(laps) - 1)] + [FINISH_MS[k]]


def sign_in(page, server) -> None:
    page.goto(server.url + "/officials/login/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type(OFFICER)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your competitions").wait_for()


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.name || ''")


def helmets_in_start_list(page) -> list[int]:
    cells = page.locator("#start-list tbody tr td:nth-child(2)").all_inner_texts()
    return sorted(int(cell) for cell in cells)


def test_a_race_with_its_laps_by_keyboard_then_the_next_race(site_server, calgary, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, site_server)
    race_url = f"{site_server.url}/officials/races/{calgary['first']}/"
    page.goto(race_url)
    order = helmets_in_start_list(page)

    # Start, the finish order, the times: Enter, Tab and the keys of the figures only.
    page.wait_for_function("document.activeElement.textContent.trim() === 'Start race'")
    page.keyboard.press("Enter")
    page.get_by_label("Finish order").wait_for()
    page.keyboard.type(" ".join(map(str, order)))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Times and marks").wait_for()
    for index, ms in enumerate(FINISH_MS):
        if index:
            page.keyboard.press("Tab")  # the mark of the line before
            page.keyboard.press("Tab")  # the place of this line
            page.keyboard.press("Tab")  # its time
        page.keyboard.type(format_split(ms))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("Unofficial result")).wait_for()
    assert focused(page) == "next-race"

    # A second tab opens the laps before they are saved.
    stale = context.new_page()
    stale.goto(race_url + "laps/")
    stale.get_by_role("heading", name=re.compile("Laps of")).wait_for()

    # One Tab from "Next race" to the laps, Enter; the cursor waits in lap 1's position.
    page.keyboard.press("Tab")
    assert focused(page) == "laps-link"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("Laps of Women's 1000m Semifinal 1")).wait_for()
    assert focused(page) == f"position-{order[0]}-1"
    figures = [
        figure
        for lap in range(9)
        for k in range(4)
        for figure in (str(k + 1), format_split(elapsed_of(k)[lap]), format_split(laps_of(k)[lap]))
    ]
    for index, figure in enumerate(figures):
        if index:
            page.keyboard.press("Tab")
        page.keyboard.type(figure)
    assert focused(page) == f"lap-{order[3]}-9"
    page.keyboard.press("Enter")
    page.get_by_text("Laps of Women's 1000m Semifinal 1 saved: 4 skaters, 9 laps.").wait_for()

    # Enter again: the next race by the schedule.
    assert focused(page) == "next-race"
    assert page.locator("#next-race").inner_text() == "Next race: Women's 1000m Semifinal 2"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("Women's 1000m Semifinal 2")).wait_for()
    assert "from=next" in page.url

    # The stale tab's save is a conflict; the laps typed stand.
    stale.locator(f"input[name=lap-{order[0]}-2]").fill("9.99")
    stale.locator(f"input[name=lap-{order[0]}-2]").press("Enter")
    stale.locator("#conflict").wait_for()
    said = "laps entered from the timing (4 skaters, 9 laps) by lap-officer"
    assert said in stale.locator("#conflict").inner_text()
    assert stale.locator(f"input[name=lap-{order[0]}-2]").input_value() == "9.40"

    # Official, the public page draws the lap chart of the laps typed.
    run(site_server, MAKE_OFFICIAL, str(calgary["first"]))
    page.goto(f"{site_server.url}/races/{calgary['first']}/")
    chart = page.locator("#lap-positions tbody tr")
    assert chart.count() == 4
    assert chart.first.locator("td").all_inner_texts() == ["1"] * 9
    context.close()
