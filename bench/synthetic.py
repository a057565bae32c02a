"""A synthetic World Cup history in the interchange format (docs/formats.md), for benchmarks.

Each season: 6 competitions of three days, one distance raced twice at each (so 8 races
per individual distance per gender), 120 skaters per gender with a complete ranking of
every race, and the three relays with 16 nations each. Skaters carry over between
seasons with a fifth of them new each year. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

NATIONS = [
    "KOR",
    "CAN",
    "NED",
    "CHN",
    "ITA",
    "USA",
    "HUN",
    "JPN",
    "KAZ",
    "POL",
    "BEL",
    "GER",
    "FRA",
    "GBR",
    "LAT",
    "AUS",
    "UKR",
    "CZE",
    "AUT",
    "SUI",
]
CITIES = [
    ("Montreal", "CAN", "America/Toronto"),
    ("Salt Lake City", "USA", "America/Denver"),
    ("Beijing", "CHN", "Asia/Shanghai"),
    ("Seoul", "KOR", "Asia/Seoul"),
    ("Dresden", "GER", "Europe/Berlin"),
    ("Dordrecht", "NED", "Europe/Amsterdam"),
]
DOUBLED = ["1000m", "500m", "1500m", "500m", "1500m", "1000m"]
SKATERS_PER_GENDER = 120
RELAY_TEAMS = 16


def skater(gender: str, number: int) -> dict:
    return {
        "isu_id": f"{gender[0].upper()}{number:06d}",
        "given_name": f"Skater{number}",
        "family_name": f"{gender.capitalize()}{number:05d}",
        "gender": gender,
        "member": NATIONS[number % len(NATIONS)],
    }


def season_document(index: int, seed: int = 7) -> dict:
    """The whole of one synthetic season: calendar, skaters, rankings."""
    rng = random.Random(seed * 1000 + index)
    year = 1990 + index
    key = f"{year}/{(year + 1) % 100:02d}"
    first = date(year, 10, 20)
    competitions, ranking_sets = [], []
    roster = {
        g: [index * SKATERS_PER_GENDER // 5 + i for i in range(SKATERS_PER_GENDER)]
        for g in ("women", "men")
    }
    for number, (city, country, tz) in enumerate(CITIES, start=1):
        start = first + timedelta(days=14 * (number - 1))
        races = []
        for day, labels in ((1, ["500m", "1000m", "1500m"]), (2, [DOUBLED[number - 1]])):
            for distance in labels:
                instance = "" if distance != DOUBLED[number - 1] else f" ({day})"
                for gender in ("women", "men"):
                    races.append((gender, f"{distance}{instance}", start + timedelta(days=day)))
        for gender, relay in (
            ("women", "3000m relay"),
            ("men", "5000m relay"),
            ("mixed", "2000m mixed relay"),
        ):
            races.append((gender, relay, start + timedelta(days=2)))
        calendar_races = []
        for minute, (gender, label, day) in enumerate(races):
            finals_at = f"{day.isoformat()}T{14 + minute // 4:02d}:{(minute % 4) * 15:02d}"
            calendar_races.append({"gender": gender, "race": label, "finals_at": finals_at})
            if "relay" in label:
                nations = rng.sample(NATIONS, RELAY_TEAMS)
                lines = [{"rank": r, "member": n} for r, n in enumerate(nations, start=1)]
            else:
                order = rng.sample(roster[gender], len(roster[gender]))
                lines = []
                for rank, number_ in enumerate(order, start=1):
                    s = skater(gender, number_)
                    lines.append(
                        {
                            "rank": rank,
                            "name": f"{s['family_name'].upper()} {s['given_name']}",
                            "isu_id": s["isu_id"],
                            "member": s["member"],
                        }
                    )
            ranking_sets.append(
                {
                    "kind": "rankings",
                    "season": key,
                    "competition": number,
                    "gender": gender,
                    "race": label,
                    "official_at": finals_at,
                    "lines": lines,
                }
            )
        competitions.append(
            {
                "competition": number,
                "city": city,
                "country": country,
                "venue": f"{city} Arena",
                "time_zone": tz,
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=2)).isoformat(),
                "races": calendar_races,
            }
        )
    skaters = [skater(g, n) for g in ("women", "men") for n in roster[g]]
    return {
        "format": "shorttrack-interchange",
        "version": 1,
        "sets": [
            {
                "kind": "calendar",
                "season": key,
                "season_name": f"Synthetic season {key}",
                "rules": "2022/23",
                "competitions": competitions,
            },
            {"kind": "skaters", "skaters": skaters},
            *ranking_sets,
        ],
    }


def write_history(directory: Path, seasons: int = 30, seed: int = 7) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(seasons):
        document = season_document(index, seed)
        key = document["sets"][0]["season"].replace("/", "-")
        path = directory / f"synthetic-{key}.json"
        path.write_text(json.dumps(document))
        paths.append(path)
    return paths
