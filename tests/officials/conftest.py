"""The console's tests run the Montreal competition of the services' tests: its officials,
its skaters, and a women's 500m of 8 drawn into two semifinals of 4, with the laps of
semifinal 1 as the timing prints them; plus a second competition with officials of its
own, who may not touch Montreal. Every write names the version of the race it is based
on, as the console's forms do."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from shorttrack.rules.times import format_split
from shorttrack.services.draws import draw_first_round
from shorttrack.services.officials import ORGANISER, REFEREE, RESULTS_OFFICER, appoint
from shorttrack.services.race_results import enter_results, finish_order, start_race
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.conftest import montreal, skaters, users  # noqa: F401  (fixtures)
from tests.services.montreal import distance_race, enter_field, races_of

PASSWORD = "ice-and-blades-2025"


RACE_WRITE = re.compile(
    r"^/officials/races/(\d+)/(start|finish|laps|review|decide|official|rerun|correct)/$"
)


class Console(Client):
    """A browser session on the console. Like a browser that holds the race page as it is
    now, a write to a race that does not say ``based_on`` sends the race's current version
    (the hidden field of the page's forms); the tests of conflicts give theirs."""

    def post(self, path, data=None, *args, **kwargs):
        race = RACE_WRITE.match(path)
        if race and isinstance(data, dict | None) and "based_on" not in (data or {}):
            current = models.Race.objects.filter(pk=race[1]).first()
            if current is not None:
                data = {**(data or {}), "based_on": version(current)}
        return super().post(path, data, *args, **kwargs)


@pytest.fixture
def client_of():
    """A browser session signed in as the user (None: nobody signed in)."""

    def signed_in(user=None, *, csrf: bool = False) -> Client:
        client = Console(enforce_csrf_checks=csrf)
        if user is not None:
            client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def w500(montreal, users, skaters) -> models.DistanceRace:  # noqa: F811
    """The women's 500m with 8 entries: two semifinals of 4, then Final B and Final A."""
    race = distance_race(montreal, "W500")
    enter_field(users, race, skaters, 8)
    draw_first_round(users["organiser"], race, seed=3)
    return race


@pytest.fixture
def semifinal(w500) -> models.Race:
    return races_of(w500, "semifinals")[0]


def helmets(race: models.Race) -> list[int]:
    return sorted(race.start_list.values_list("helmet", flat=True))


@pytest.fixture
def finished(semifinal, users) -> models.Race:  # noqa: F811
    """Semifinal 1 started and its finish entered (lowest helmet first): unofficial."""
    order = helmets(semifinal)
    start_race(users["officer"], semifinal, based_on=version(semifinal))
    enter_results(
        users["officer"],
        semifinal,
        finish_order(order, ["43.101", "43.202", "43.303", "43.404"]),
        based_on=version(semifinal),
    )
    semifinal.refresh_from_db()
    return semifinal


@pytest.fixture
def dresden(users, montreal):  # noqa: F811
    """World Tour 2 in Dresden with its own three officials."""
    competition = models.Competition.objects.create(
        season=montreal.season,
        number=2,
        city="Dresden",
        country="GER",
        time_zone="Europe/Berlin",
        start_date=date(2025, 10, 24),
        end_date=date(2025, 10, 26),
    )
    models.DistanceRace.objects.create(competition=competition, distance="W500")
    User = get_user_model()
    for name, role in (("doris", ORGANISER), ("dieter", RESULTS_OFFICER), ("dana", REFEREE)):
        user = User.objects.create_user(name)
        users[name] = user
        appoint(users["admin"], competition, user, role)
    return competition


def snapshot() -> dict:
    """Everything a console page could change: rows of every table the services write,
    and each race's status."""
    tables = [
        models.Session,
        models.Broadcaster,
        models.CompetitionOfficial,
        models.Entry,
        models.Round,
        models.Race,
        models.Draw,
        models.StartListLine,
        models.RaceEvent,
        models.Revision,
        models.RaceResult,
        models.RaceResultLine,
        models.Ranking,
        models.RelayTeam,
    ]
    return {
        "rows": {table.__name__: table.objects.count() for table in tables},
        "races": list(models.Race.objects.order_by("pk").values_list("pk", "status", "session_id")),
        "withdrawn": list(
            models.Entry.objects.exclude(withdrawn_at=None).values_list("pk", flat=True)
        ),
    }


# The laps of semifinal 1 (``finished``: 5 laps timed, 43.101 to 43.404, lowest helmet
# first) as the timing would print them; each skater keeps their place every lap.


def laps_of(k: int) -> list[int]:
    """The lap times of the skater finishing k-th (0 first), in ms: they sum to the finish
    cut to the hundredth (43.10, 43.20 ...)."""
    return [10_500 + 10 * k, 8_400, 8_200, 8_000, 8_000 + 90 * k]


def elapsed_of(k: int) -> list[int]:
    laps = laps_of(k)
    running = [sum(laps[: n + 1]) for n in range(len(laps))]
    return running[:-1] + [43_101 + 101 * k]


def typed_grid(race, **changes) -> dict:
    """The grid as the officer types it; ``changes``: posted name -> text."""
    data = {"entry": "grid"}
    for k, helmet in enumerate(helmets(race)):
        for lap, (ms, at) in enumerate(zip(laps_of(k), elapsed_of(k), strict=True), 1):
            data |= {
                f"position-{helmet}-{lap}": str(k + 1),
                f"elapsed-{helmet}-{lap}": format_split(at),
                f"lap-{helmet}-{lap}": format_split(ms),
            }
    return data | changes
