"""A World Tour competition ready to run: nine distances, forty ISU Members with five women
and five men each, and its three officials appointed."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from shorttrack.rules.distances import DISTANCES
from shorttrack.services.officials import ORGANISER, REFEREE, RESULTS_OFFICER, appoint
from shorttrack.store import models

# Forty ISU Members, the host (CAN) first.
MEMBERS = (
    "CAN KOR CHN NED ITA USA HUN JPN FRA GER GBR POL BEL KAZ LAT AUS AUT BUL CZE EST "
    "FIN ISR LTU NOR NZL PHI ROU SGP SLO SRB SUI SVK SWE TPE TUR UKR ESP MGL HKG UZB"
).split()
FAMILY = ["Adler", "Berg", "Costa", "Dahl", "Eklund"]
WOMEN = ["Anna", "Britt", "Clara", "Dora", "Elin"]
MEN = ["Aron", "Bram", "Cem", "Dario", "Emil"]


@pytest.fixture
def users():
    """The series administrator, the three officials of the competition, and a fan."""
    User = get_user_model()
    return {
        "admin": User.objects.create_superuser("admin", password=None),
        "organiser": User.objects.create_user("olivia"),
        "officer": User.objects.create_user("oscar"),
        "referee": User.objects.create_user("rita"),
        "fan": User.objects.create_user("fred"),
    }


@pytest.fixture
def montreal(users) -> models.Competition:
    """World Tour 1, Montreal (2025/26), each of the nine distances raced once."""
    season = models.Season.objects.create(
        key="2025/26", name="ISU Short Track World Tour 2025/26", rules_key="2025/26"
    )
    competition = models.Competition.objects.create(
        season=season,
        number=1,
        city="Montreal",
        country="CAN",
        venue="Maurice-Richard Arena",
        time_zone="America/Toronto",
        start_date=date(2025, 10, 17),
        end_date=date(2025, 10, 19),
    )
    models.DistanceRace.objects.bulk_create(
        models.DistanceRace(competition=competition, distance=key) for key in DISTANCES
    )
    appoint(users["admin"], competition, users["organiser"], ORGANISER)
    appoint(users["organiser"], competition, users["officer"], RESULTS_OFFICER)
    appoint(users["organiser"], competition, users["referee"], REFEREE)
    return competition


@pytest.fixture
def skaters(montreal) -> dict[str, list[models.Skater]]:
    """Member code -> its ten skaters: five women (Anna ... Elin), then five men."""
    members = models.Member.objects.bulk_create(
        models.Member(code=code, name=code) for code in MEMBERS
    )
    rows = []
    for member in members:
        for gender, given_names in (("women", WOMEN), ("men", MEN)):
            for family, given in zip(FAMILY, given_names, strict=True):
                rows.append(
                    models.Skater(
                        key=f"{member.code}-{family}-{given}".lower(),
                        given_name=given,
                        family_name=family,
                        gender=gender,
                        member=member,
                        fictional=True,
                    )
                )
    models.Skater.objects.bulk_create(rows)
    by_member: dict[str, list[models.Skater]] = {code: [] for code in MEMBERS}
    for skater in models.Skater.objects.select_related("member").order_by("pk"):
        by_member[skater.member.code].append(skater)
    return by_member


@pytest.fixture(autouse=True)
def fresh_standings_cache():
    """The standings cache is keyed by row counts and ids; SQLite hands out the ids of a
    rolled-back test again, so each test starts with an empty cache."""
    from shorttrack.queries import standings

    standings._loaded_rankings.clear()
