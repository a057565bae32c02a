"""A small 2025/26 season in the store whose final rankings are corrected after later
finals (issue 12): the women's 1000m official on Saturday, the 500m on Sunday, the 1000m
corrected on Monday; and a men's season of 13 races whose first win is corrected after
the 13th."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shorttrack.store.models import (
    Competition,
    DistanceRace,
    Member,
    Ranking,
    RankingLine,
    Revision,
    Season,
    Skater,
)

SATURDAY = datetime(2025, 10, 18, 20, 0, tzinfo=UTC)
SUNDAY = SATURDAY + timedelta(days=1)
MONDAY = SATURDAY + timedelta(days=2)


def season_2025_26() -> Season:
    return Season.objects.create(
        key="2025/26", name="ISU Short Track World Tour 2025/26", rules_key="2025/26"
    )


def competition(season: Season, number: int, city: str, day: date) -> Competition:
    return Competition.objects.create(
        season=season,
        number=number,
        city=city,
        country="CAN",
        time_zone="America/Toronto",
        start_date=day,
        end_date=day + timedelta(days=2),
    )


def skater(family: str, given: str, gender: str, code: str, name: str) -> Skater:
    member, _ = Member.objects.get_or_create(code=code, defaults={"name": name})
    return Skater.objects.create(
        key=f"{code}-{family}", given_name=given, family_name=family, gender=gender, member=member
    )


def ranking(
    distance_race: DistanceRace, number: int, official_at: datetime, *ranked: tuple[Skater, int]
) -> Ranking:
    """A revision of the distance's final ranking, official at ``official_at``."""
    revision = Revision.objects.create(
        recorded_at=official_at,
        source="console",
        reason="ranked" if number == 1 else "corrected after review",
    )
    made = Ranking.objects.create(
        distance_race=distance_race,
        number=number,
        revision=revision,
        official_at=official_at,
        basis="races",
    )
    for who, rank in ranked:
        RankingLine.objects.create(ranking=made, rank=rank, skater=who, member=who.member)
    return made


def montreal_weekend() -> dict:
    """W1000 official Saturday (Eriksen 1st, Ito 2nd), W500 Sunday (Ito 1st, Eriksen 2nd),
    the W1000 corrected Monday (Ito 1st, Eriksen 2nd)."""
    season = season_2025_26()
    montreal = competition(season, 1, "Montreal", SATURDAY.date() - timedelta(days=1))
    eriksen = skater("Eriksen", "Ida", "women", "NOR", "Norway")
    ito = skater("Ito", "Yui", "women", "JPN", "Japan")
    w1000 = DistanceRace.objects.create(competition=montreal, distance="W1000", finals_at=SATURDAY)
    w500 = DistanceRace.objects.create(competition=montreal, distance="W500", finals_at=SUNDAY)
    ranking(w1000, 1, SATURDAY, (eriksen, 1), (ito, 2))
    ranking(w500, 1, SUNDAY, (ito, 1), (eriksen, 2))
    ranking(w1000, 2, MONDAY, (ito, 1), (eriksen, 2))
    return {"season": season, "w1000": w1000, "w500": w500, "eriksen": eriksen, "ito": ito}


def thirteen_races() -> dict:
    """Five competitions of the 500m, 1000m and 1500m (13 distance races): race 0 a win,
    corrected (still a win) after race 12; every other race a 10th place."""
    season = season_2025_26()
    park = skater("Park", "Ji-won", "men", "KOR", "Republic of Korea")
    start = datetime(2025, 10, 17, 20, 0, tzinfo=UTC)
    races = []
    for i in range(13):
        number, which = divmod(i, 3)
        if which == 0:
            held = competition(
                season, number + 1, f"City {number + 1}", (start + timedelta(days=i)).date()
            )
        dr = DistanceRace.objects.create(
            competition=held, distance=("M500", "M1000", "M1500")[which]
        )
        ranking(dr, 1, start + timedelta(days=i), (park, 1 if i == 0 else 10))
        races.append(dr)
    ranking(races[0], 2, start + timedelta(days=20), (park, 1))
    return {"season": season, "races": races, "park": park}
