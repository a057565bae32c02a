"""Small simulated seasons in the interchange format (docs/formats.md), for the facts tests.

    season = SimulatedSeason("2031/32")
    montreal = season.competition(1, "Montreal", date(2031, 10, 24))
    montreal.final("women", "500m", day=2, at="14:00", places=[("ADAMS Alice", "42.350"), ...])
    import_paths([season.write(tmp_path)])

Seasons are keyed 2031/32 onwards (never a real one) and run under the 2023/24 rule set.
Every final is a Final A whose ranking the import computes from the race (basis "races",
complete), official ten minutes after it starts; heats may be added before it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

VENUES = {
    "Montreal": ("CAN", "Maurice-Richard Arena", "America/Toronto"),
    "Salt Lake City": ("USA", "Utah Olympic Oval", "America/Denver"),
    "Dresden": ("GER", "JOYNEXT Arena", "Europe/Berlin"),
}
SKATERS = {
    # sheet name: (gender, member, birth date)
    "ADAMS Alice": ("women", "CAN", "2000-03-14"),
    "BAKER Beth": ("women", "USA", "1999-07-02"),
    "CHOI Ha-eun": ("women", "KOR", "2004-01-20"),
    "DEKKER Femke": ("women", "NED", "1996-11-30"),
    "ERIKSEN Ida": ("women", "NOR", "2001-05-05"),
    "FONTANA Sara": ("women", "ITA", "1998-09-09"),
    "GARCIA Lucia": ("women", "ESP", "2002-02-02"),
}


@dataclass
class SimulatedCompetition:
    number: int
    city: str
    start: date
    races: list[dict] = field(default_factory=list)  # calendar entries
    results: list[dict] = field(default_factory=list)  # race_results sets

    def day(self, day: int) -> date:
        return self.start + timedelta(days=day - 1)

    def scheduled(self, gender: str, race: str, day: int, at: str) -> None:
        """A final in the calendar, not skated yet."""
        self.races.append(
            {"gender": gender, "race": race, "finals_at": f"{self.day(day).isoformat()}T{at}"}
        )

    def final(
        self,
        gender: str,
        race: str,
        day: int,
        at: str,
        places: list,
        heats: list[list] | None = None,
        heats_at: str = "11:00",
    ) -> None:
        """A distance race skated: its Final A (and heats). ``places`` lists the finishers
        in order as sheet names or (name, time) or (name, time, status) tuples."""
        self.scheduled(gender, race, day, at)
        rounds = []
        if heats:
            rounds.append(
                {
                    "round": "heats",
                    "races": [
                        self._race(n, self.day(1), heats_at, lines, minutes=5 * n)
                        for n, lines in enumerate(heats, start=1)
                    ],
                }
            )
        rounds.append({"round": "final_a", "races": [self._race(1, self.day(day), at, places)]})
        self.results.append(
            {
                "kind": "race_results",
                "competition": self.number,
                "gender": gender,
                "race": race,
                "rounds": rounds,
            }
        )

    def _race(self, number: int, day: date, at: str, places: list, minutes: int = 0) -> dict:
        """One race, official ten minutes after ``at`` (and ``minutes`` later still)."""
        starts = datetime.combine(day, time.fromisoformat(at))
        official_at = starts + timedelta(minutes=10 + minutes)
        lines = []
        place = 0
        for entry in places:
            name, time_text, status = (
                *((entry,) if isinstance(entry, str) else entry),
                None,
                None,
            )[:3]
            line = {"name": name, "member": SKATERS[name][1]}
            if status:
                line["mark"] = status
            else:
                place += 1
                line["place"] = place
            if time_text:
                line["time"] = time_text
            lines.append(line)
        return {
            "race_no": number,
            "official_at": official_at.isoformat(timespec="minutes"),
            "lines": lines,
        }


class SimulatedSeason:
    def __init__(self, key: str, rules: str = "2023/24"):
        self.key = key
        self.rules = rules
        self.competitions: list[SimulatedCompetition] = []

    def competition(self, number: int, city: str, start: date) -> SimulatedCompetition:
        competition = SimulatedCompetition(number, city, start)
        self.competitions.append(competition)
        return competition

    def document(self) -> dict:
        calendar = []
        for c in self.competitions:
            country, venue, zone = VENUES[c.city]
            calendar.append(
                {
                    "competition": c.number,
                    "city": c.city,
                    "country": country,
                    "venue": venue,
                    "time_zone": zone,
                    "start_date": c.start.isoformat(),
                    "end_date": c.day(3).isoformat(),
                    "races": c.races,
                }
            )
        skaters = [
            {
                "given_name": name.split(" ", 1)[1],
                "family_name": name.split(" ", 1)[0].capitalize(),
                "gender": gender,
                "member": member,
                "birth_date": born,
            }
            for name, (gender, member, born) in SKATERS.items()
        ]
        results = [
            {"season": self.key, **result} for c in self.competitions for result in c.results
        ]
        return {
            "format": "shorttrack-interchange",
            "version": 1,
            "sets": [
                {
                    "kind": "calendar",
                    "season": self.key,
                    "season_name": f"Simulated season {self.key}",
                    "rules": self.rules,
                    "competitions": calendar,
                },
                {"kind": "skaters", "skaters": skaters},
                *results,
            ],
        }

    def write(self, directory: Path) -> Path:
        path = directory / f"season-{self.key.replace('/', '-')}.json"
        path.write_text(json.dumps(self.document(), indent=1))
        return path
