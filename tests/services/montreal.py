"""The test competition of ``conftest.py`` by the names tests use, and a simple, fixed way
to race it: in every race the lowest helmet number wins, and a skater's time is a base
time for the distance plus 7 ms per helmet number, so places and times always agree and
no two times are equal."""

from __future__ import annotations

from collections.abc import Callable

from shorttrack.services import race_results
from shorttrack.services.entries import enter_skaters
from shorttrack.services.race_results import FinishLine
from shorttrack.services.race_status import version
from shorttrack.services.relays import enter_relay_team
from shorttrack.store import models

BASE_MS = {
    "W500": 43_000,
    "M500": 41_000,
    "W1000": 88_000,
    "M1000": 85_000,
    "W1500": 140_000,
    "M1500": 135_000,
    "W3000R": 250_000,
    "M5000R": 410_000,
    "X2000R": 160_000,
}


def distance_race(competition: models.Competition, key: str) -> models.DistanceRace:
    return competition.distance_races.get(distance=key)


def women(skaters, code: str) -> list[models.Skater]:
    return [s for s in skaters[code] if s.gender == "women"]


def men(skaters, code: str) -> list[models.Skater]:
    return [s for s in skaters[code] if s.gender == "men"]


def enter_field(users, race: models.DistanceRace, skaters, count: int) -> None:
    """Enter ``count`` skaters (three per Member, Members in order) or relay teams."""
    distance = race.rules_distance
    if distance.relay:
        for code in list(skaters)[:count]:
            member = skaters[code][0].member
            if distance.mixed:
                line_up = women(skaters, code)[:2] + men(skaters, code)[:2]
            else:
                line_up = (women if distance.gender.value == "women" else men)(skaters, code)[:4]
            enter_relay_team(users["organiser"], race, member, line_up)
        return
    pick = women if distance.gender.value == "women" else men
    chosen = [s for code in skaters for s in pick(skaters, code)[:3]][:count]
    enter_skaters(users["organiser"], race, chosen)


def time_of(race: models.Race, helmet: int) -> int:
    return BASE_MS[race.round.distance_race.distance] + 7 * helmet


def finish(race: models.Race, **changes: Callable) -> list[FinishLine]:
    """The finish of a race the fixed way: lowest helmet first."""
    helmets = sorted(race.start_list.values_list("helmet", flat=True))
    return [
        FinishLine(helmet, place, time_of(race, helmet)) for place, helmet in enumerate(helmets, 1)
    ]


def race_it(users, race: models.Race, lines: list[FinishLine] | None = None, decisions=()):
    """Start, enter, decide (if asked) and make official, as the officials would."""
    race_results.start_race(users["officer"], race, based_on=version(race))
    race_results.enter_results(
        users["officer"], race, lines or finish(race), based_on=version(race)
    )
    if decisions:
        race_results.decide(users["referee"], race, decisions, based_on=version(race))
    return race_results.make_official(users["referee"], race, based_on=version(race))


def races_of(race: models.DistanceRace, kind: str) -> list[models.Race]:
    return list(models.Race.objects.filter(round__distance_race=race, round__kind=kind))


def skate_round(users, race: models.DistanceRace, kind: str) -> None:
    for each in races_of(race, kind):
        race_it(users, each)
