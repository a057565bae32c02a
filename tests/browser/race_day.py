"""A small race day for the browser tests, run as the officials would run it: a World Cup
competition in Montreal, in a simulated 2023/24 season, where five fictional women skate
the 1000m and the 500m, each a Final A alone.

The 1000m final is official with every lap recorded (the race page draws its lap chart).
The 500m final is entered but not official: the live test has the referee make it
official from another process, and KIM Seo-yeon, second in the 1000m, takes the lead of
the overall standings from DUBOIS Camille (100 + 50 = 150 against 80 + 100 = 180).

Building again adds another such competition to the season (bench/site.py makes one
for each race it makes official). Run against the database in DATABASE_URL (the test
server's), from the repository::

    python -m tests.browser.race_day build    # prints the ids the tests need, as JSON
    python -m tests.browser.race_day final RACE_ID   # the referee makes the 500m final official
    python -m tests.browser.race_day final RACE_ID 2023-10-21T14:45-04:00   # ... at that moment

Everything goes through the services, so each change is announced on the live bus
(across processes when REDIS_URL is set) exactly as on a real race day.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SEASON = "2023/24"
VENUE = ZoneInfo("America/Toronto")
SEED = 20231021  # the draws are made again exactly from it
REFEREE_NAME = "race-day-referee"

# family name, given name, Member, birth date
WOMEN = [
    ("Dubois", "Camille", "CAN", date(2001, 4, 12)),
    ("Kim", "Seo-yeon", "KOR", date(2003, 1, 30)),
    ("de Vries", "Lotte", "NED", date(1999, 9, 5)),
    ("Rossi", "Giulia", "ITA", date(2000, 6, 21)),
    ("Miller", "Grace", "USA", date(2002, 11, 2)),
]
MEMBER_NAMES = {
    "CAN": "Canada",
    "KOR": "Republic of Korea",
    "NED": "Netherlands",
    "ITA": "Italy",
    "USA": "United States of America",
}

# The 1000m Final A (9 laps): family name -> time, position after each lap.
FINAL_1000M = {
    "Dubois": ("1:28.512", [3, 3, 2, 2, 2, 2, 1, 1, 1]),
    "Kim": ("1:28.640", [1, 1, 1, 1, 1, 1, 2, 2, 2]),
    "de Vries": ("1:28.903", [2, 2, 3, 3, 3, 3, 3, 3, 3]),
    "Rossi": ("1:29.377", [4, 4, 4, 5, 5, 4, 4, 4, 4]),
    "Miller": ("1:30.115", [5, 5, 5, 4, 4, 5, 5, 5, 5]),
}
# The 500m Final A, in finish order.
FINAL_500M = {
    "Kim": "42.871",
    "de Vries": "42.990",
    "Rossi": "43.204",
    "Miller": "43.518",
    "Dubois": "43.760",
}
FIRST_LAP_MS = 12_800  # from the start line: a longer first lap


def lap_times(total_ms: int, laps: int) -> list[int]:
    """A plausible split of ``total_ms``: a slow first lap, the rest even, summing exactly."""
    rest = total_ms - FIRST_LAP_MS
    each, left = divmod(rest, laps - 1)
    return [FIRST_LAP_MS] + [each] * (laps - 2) + [each + left]


def day(number: int, hour: int, minute: int) -> datetime:
    """A moment of the competition on the venue's clock: day 1 is 20 October 2023."""
    return datetime(2023, 10, 19 + number, hour, minute, tzinfo=VENUE)


def build() -> dict:
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    from shorttrack.rules.times import parse_time
    from shorttrack.services import clock, race_results
    from shorttrack.services.draws import draw_first_round
    from shorttrack.services.entries import enter_skaters
    from shorttrack.services.officials import ORGANISER, REFEREE, RESULTS_OFFICER, appoint
    from shorttrack.services.race_results import FinishLine
    from shorttrack.services.race_status import version
    from shorttrack.services.setup import RaceSlot, add_session, schedule_races
    from shorttrack.store import models

    # What the series administrator sets up before the officials take over (the season,
    # the competition and its distances, the officials' accounts, the skaters' records).
    User = get_user_model()

    def account(username: str, **extra):
        return User.objects.get_or_create(username=username, defaults=extra)[0]

    admin = account("race-day-admin", is_superuser=True, is_staff=True)
    organiser = account("race-day-organiser")
    officer = account("race-day-officer")
    referee = account(REFEREE_NAME)
    season, _ = models.Season.objects.get_or_create(
        key=SEASON,
        defaults={
            "name": "ISU World Cup Short Track 2023/24",
            "rules_key": SEASON,
            "simulated": True,
        },
    )
    taken = season.competitions.aggregate(Max("number"))["number__max"] or 0
    competition = models.Competition.objects.create(
        season=season,
        number=taken + 1,
        city="Montreal",
        country="CAN",
        venue="Maurice-Richard Arena",
        time_zone=str(VENUE),
        start_date=date(2023, 10, 20),
        end_date=date(2023, 10, 22),
    )
    distances = {
        key: models.DistanceRace.objects.create(
            competition=competition,
            distance=key,
            finals_at=datetime(2023, 10, 21, hour, minute, tzinfo=VENUE),
        )
        for key, hour, minute in (("W1000", 14, 10), ("W500", 14, 40))
    }
    members = {
        code: models.Member.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in MEMBER_NAMES.items()
    }
    skaters = {
        family: models.Skater.objects.get_or_create(
            key=f"race-day-{member}-{family}".lower().replace(" ", "-"),
            defaults={
                "given_name": given,
                "family_name": family,
                "gender": "women",
                "birth_date": born,
                "member": members[member],
                "fictional": True,
            },
        )[0]
        for family, given, member, born in WOMEN
    }

    with clock.at(day(1, 18, 0)):  # the evening before the finals
        appoint(admin, competition, organiser, ORGANISER)
        appoint(organiser, competition, officer, RESULTS_OFFICER)
        appoint(organiser, competition, referee, REFEREE)
        finals = add_session(
            organiser, competition, day=2, name="Finals", starts=time(13, 30), ends=time(16, 0)
        )
        races = {}
        for key, race in distances.items():
            enter_skaters(organiser, race, list(skaters.values()))
            draw_first_round(organiser, race, seed=SEED)
            races[key] = models.Race.objects.get(round__distance_race=race)
        schedule_races(
            organiser,
            competition,
            [
                RaceSlot(races["W1000"], finals, time(14, 10)),
                RaceSlot(races["W500"], finals, time(14, 40)),
            ],
        )

    def helmet(race, family: str) -> int:
        return race.start_list.get(skater=skaters[family]).helmet

    w1000 = races["W1000"]
    with clock.at(day(2, 14, 10)):
        race_results.start_race(officer, w1000, based_on=version(w1000))
    with clock.at(day(2, 14, 12)):
        race_results.enter_results(
            officer,
            w1000,
            [
                FinishLine(
                    helmet(w1000, family),
                    place,
                    result,
                    laps_ms=lap_times(parse_time(result), len(positions)),
                    lap_positions=positions,
                )
                for place, (family, (result, positions)) in enumerate(FINAL_1000M.items(), 1)
            ],
            based_on=version(w1000),
        )
    with clock.at(day(2, 14, 15)):
        race_results.make_official(referee, w1000, based_on=version(w1000))

    w500 = races["W500"]
    with clock.at(day(2, 14, 40)):
        race_results.start_race(officer, w500, based_on=version(w500))
    with clock.at(day(2, 14, 41)):
        race_results.enter_results(
            officer,
            w500,
            [
                FinishLine(helmet(w500, family), place, result)
                for place, (family, result) in enumerate(FINAL_500M.items(), 1)
            ],
            based_on=version(w500),
        )
    return {
        "season": season.key.replace("/", "-"),
        "competition": competition.number,
        "final_1000m": w1000.pk,
        "final_500m": w500.pk,
        "skaters": {family: skater.pk for family, skater in skaters.items()},
    }


def make_final_official(race_id: int, at: datetime | None = None) -> None:
    """The referee makes the women's 500m Final A official, now or at the moment ``at``."""
    from contextlib import nullcontext

    from django.contrib.auth import get_user_model

    from shorttrack.services import clock, race_results
    from shorttrack.services.race_status import version
    from shorttrack.store import models

    referee = get_user_model().objects.get(username=REFEREE_NAME)
    with clock.at(at) if at else nullcontext():
        final = models.Race.objects.get(pk=race_id)
        race_results.make_official(referee, final, based_on=version(final))


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv == ["build"]:
        print(json.dumps(build()))
    elif len(argv) in (2, 3) and argv[0] == "final":
        moment = datetime.fromisoformat(argv[2]) if len(argv) == 3 else None
        make_final_official(int(argv[1]), moment)
    else:
        sys.exit("usage: python -m tests.browser.race_day build | final RACE_ID [ISO_MOMENT]")


if __name__ == "__main__":
    main(sys.argv[1:])
