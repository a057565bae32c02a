"""The calendar of a simulated season, in the interchange format (docs/formats.md).

2025/26 follows the real World Tour calendar of the Olympic season (RULES.md, research
notes 6.4): four competitions, no distance raced twice, the three relays at each. Finals
are on the second and third days at local times the way World Tour weekends run them.
"""

from __future__ import annotations

from datetime import date, timedelta

# (city, country, venue, time zone, first day) per season.
CALENDARS: dict[str, list[tuple[str, str, str, str, date]]] = {
    "2025/26": [
        ("Montreal", "CAN", "Maurice-Richard Arena", "America/Toronto", date(2025, 10, 10)),
        ("Montreal", "CAN", "Maurice-Richard Arena", "America/Toronto", date(2025, 10, 17)),
        ("Gdansk", "POL", "Hala Olivia", "Europe/Warsaw", date(2025, 11, 21)),
        ("Dordrecht", "NED", "Sportboulevard", "Europe/Amsterdam", date(2025, 11, 28)),
    ],
}
# Finals per day of the weekend (day 1 is all qualifying), in the order they are skated.
FINALS_DAYS = {
    2: [
        ("women", "1500m"),
        ("men", "1500m"),
        ("women", "500m"),
        ("men", "500m"),
        ("mixed", "2000m mixed relay"),
    ],
    3: [("women", "1000m"), ("men", "1000m"), ("women", "3000m relay"), ("men", "5000m relay")],
}
FIRST_FINAL = (15, 0)  # local time of the first final of a day
BETWEEN_FINALS = timedelta(minutes=12)


def calendar_document(season: str, name: str | None = None) -> dict:
    """The calendar record set of a simulated season, ready for `import_paths`."""
    if season not in CALENDARS:
        raise ValueError(
            f"no simulated calendar for {season!r}: there is one for {', '.join(CALENDARS)}"
        )
    competitions = []
    for number, (city, country, venue, time_zone, first_day) in enumerate(
        CALENDARS[season], start=1
    ):
        races = []
        for day, finals in FINALS_DAYS.items():
            hour, minute = FIRST_FINAL
            for i, (gender, race) in enumerate(finals):
                moment = timedelta(days=day - 1, hours=hour, minutes=minute) + BETWEEN_FINALS * i
                local = f"{first_day + timedelta(days=moment.days)}T{_clock(moment)}"
                races.append({"gender": gender, "race": race, "finals_at": local})
        competitions.append(
            {
                "competition": number,
                "city": city,
                "country": country,
                "venue": venue,
                "time_zone": time_zone,
                "start_date": first_day.isoformat(),
                "end_date": (first_day + timedelta(days=2)).isoformat(),
                "races": races,
            }
        )
    return {
        "kind": "calendar",
        "season": season,
        "season_name": name or f"ISU Short Track World Tour {season} (simulated)",
        "rules": season,
        "competitions": competitions,
    }


def _clock(moment: timedelta) -> str:
    seconds = moment.seconds
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
