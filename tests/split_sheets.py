"""A men's 5000m relay Final A with every one of its 45 laps recorded as the ISU timing
records them, built straight in the store for the tests of the split sheet (the race page
in tests/site, the browser in tests/browser).

The timing's clock runs to the thousandth; elapsed times are printed cut to the
hundredth, lap times are their differences, the last elapsed time is the finish to the
thousandth, and positions rank the clock. CAN and NED finish 4 ms apart, both 6:50.12 to
the hundredth: recorded, they are 2nd and 3rd after lap 45; worked out from lap times they
would share 2nd. ITA falls and stops after lap 30. Each team's skaters in this race are
not its roster: KOR's reserve skated, CAN's second skater did not.

Against the database in DATABASE_URL (the browser tests' server's), from the repository::

    python -m tests.split_sheets build 2023-24 1    # in competition 1 of 2023/24: prints the race id
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

LAPS = 45
FIRST_LAP_MS = 12_400
# Member, finish in ms (None: did not finish), laps recorded, the roster (the last the
# reserve) and who skated this race.
TEAMS = [
    (
        "KOR",
        409_652,
        45,
        ["PARK Jun-ho", "LEE Min-jae", "KIM Tae-yang", "CHOI Woo-jin", "HAN Seung-woo"],
        ["PARK Jun-ho", "LEE Min-jae", "KIM Tae-yang", "HAN Seung-woo"],
    ),
    (
        "CAN",
        410_124,
        45,
        ["TREMBLAY Luc", "GAGNON Marc", "ROY Olivier", "COTE Samuel", "PELLETIER Alex"],
        ["TREMBLAY Luc", "ROY Olivier", "COTE Samuel", "PELLETIER Alex"],
    ),
    (
        "NED",
        410_128,
        45,
        ["BOER Jens", "BAKKER Sven", "VISSER Daan", "SMIT Ruben", "MEIJER Bram"],
        ["BOER Jens", "BAKKER Sven", "VISSER Daan", "SMIT Ruben"],
    ),
    (
        "ITA",
        None,
        30,
        ["ROSSI Marco", "BIANCHI Luca", "RICCI Paolo", "MARINO Dario", "GRECO Enzo"],
        ["ROSSI Marco", "BIANCHI Luca", "RICCI Paolo", "MARINO Dario"],
    ),
]
ITA_PACE_MS = 412_000  # the pace ITA kept until its fall


def clock(team: int, total_ms: int) -> list[int]:
    """The timing's clock after each lap: a slow first lap, then even laps with a wiggle
    that makes the teams change places, the finish exactly ``total_ms``."""
    rest = total_ms - FIRST_LAP_MS
    times = []
    for k in range(1, LAPS + 1):
        even = FIRST_LAP_MS + rest * (k - 1) // (LAPS - 1)
        if k == 1:
            wiggle = team * 53  # the start: in the order of the start line
        elif k == LAPS:
            wiggle = 0
        else:
            wiggle = ((k * 37 + team * 91) % 17 - 8) * 60
        times.append(even + wiggle)
    return times


def team_laps() -> dict[str, dict]:
    """Member -> laps_ms, lap_elapsed_ms, lap_positions and time_ms, as recorded."""
    clocks = {}
    for i, (code, finish, laps, _, _) in enumerate(TEAMS):
        clocks[code] = clock(i, finish or ITA_PACE_MS)[:laps]
    lines = {}
    for code, finish, laps, _, _ in TEAMS:
        own = clocks[code]
        elapsed = [t - t % 10 for t in own]
        if finish is not None:
            elapsed[-1] = finish
        cut = [t - t % 10 for t in own]
        lap_times = [cut[0]] + [b - a for a, b in zip(cut, cut[1:], strict=False)]
        positions = [
            1 + sum(1 for other in clocks.values() if len(other) > k and other[k] < own[k])
            for k in range(laps)
        ]
        lines[code] = {
            "laps_ms": lap_times,
            "lap_elapsed_ms": elapsed,
            "lap_positions": positions,
            "time_ms": finish,
        }
    return lines


def relay_final(competition):
    """The men's 5000m relay of ``competition``, its Final A official with every lap."""
    from shorttrack.store import models

    distance_race = models.DistanceRace.objects.create(
        competition=competition,
        distance="M5000R",
        finals_at=datetime.combine(
            competition.end_date, datetime.min.time(), tzinfo=competition_tz(competition)
        )
        + timedelta(hours=15),
    )
    round_ = models.Round.objects.create(distance_race=distance_race, kind="final_a", order=1)
    race = models.Race.objects.create(round=round_, number=1, status="official")
    official_at = distance_race.finals_at + timedelta(minutes=12)
    revision = models.Revision.objects.create(
        recorded_at=official_at, source="tests/split_sheets.py", reason="the split sheet test"
    )
    result = models.RaceResult.objects.create(
        race=race, number=1, revision=revision, official_at=official_at
    )
    recorded = team_laps()
    place = 0
    for start, (code, finish, _, roster, skated) in enumerate(TEAMS, 1):
        member, _ = models.Member.objects.get_or_create(code=code, defaults={"name": code})
        team = models.RelayTeam.objects.create(
            distance_race=distance_race, member=member, name=code
        )
        skaters = {}
        for order, name in enumerate(roster, 1):
            family, given = name.rsplit(" ", 1)
            skaters[name] = models.Skater.objects.create(
                key=f"{code}-split-sheet-{order}-{competition.pk}",
                given_name=given,
                family_name=family.title(),
                gender="men",
                member=member,
                fictional=competition.season.simulated,
            )
            models.RelayTeamSkater.objects.create(
                team=team, skater=skaters[name], order=order, reserve=order == len(roster)
            )
        place += finish is not None
        line = models.RaceResultLine.objects.create(
            result=result,
            place=place if finish is not None else None,
            team=team,
            member=member,
            status="finished" if finish is not None else "DNF",
            start_position=start,
            **recorded[code],
        )
        for order, name in enumerate(skated, 1):
            models.RaceLineSkater.objects.create(line=line, skater=skaters[name], order=order)
    return race


def competition_tz(competition):
    from zoneinfo import ZoneInfo

    return ZoneInfo(competition.time_zone)


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.db import transaction

    from shorttrack.store.models import Competition

    if len(argv) == 3 and argv[0] == "build":
        season, number = argv[1].replace("-", "/"), int(argv[2])
        with transaction.atomic():
            competition = Competition.objects.get(season__key=season, number=number)
            print(relay_final(competition).pk)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
