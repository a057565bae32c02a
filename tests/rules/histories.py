"""Hand-built histories for the facts rules: races with their final ranks, in ten lines.

    book = Book()
    first = book.race("2031/32", "M1000", ["PARK", "DUBOIS", "HONG"], day=1)
    history = book.history()

Skaters are named by a short key ('PARK'); ``people`` gives each a nation, a gender and
(for some) a birth date. Line ids count up from 1 in the order lines are added, so a test
can name the lines a fact must rest on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shorttrack.rules.facts import History, Person, Placing, RaceOnRecord, RankingRevision
from shorttrack.rules.leaders import race_key
from shorttrack.rules.records import world_records
from shorttrack.rules.season import season_rules
from shorttrack.rules.standings import RankedResult

START = datetime(2031, 10, 25, 18, 0, tzinfo=UTC)
PEOPLE = {
    # key: (given, family, nation, gender, birth date)
    "PARK": ("Ji-won", "Park", "KOR", "men", date(1996, 6, 2)),
    "HONG": ("Kyung-hwan", "Hong", "KOR", "men", date(1999, 5, 2)),
    "DUBOIS": ("Steven", "Dubois", "CAN", "men", date(1997, 9, 16)),
    "WOUT": ("Jens", "van 't Wout", "NED", "men", date(2001, 12, 6)),
    "DESMET": ("Stijn", "Desmet", "BEL", "men", None),
    "LAOUN": ("Maxime", "Laoun", "CAN", "men", date(1996, 1, 1)),
    "SIGHEL": ("Pietro", "Sighel", "ITA", "men", date(1999, 7, 15)),
    "LEE": ("June-seo", "Lee", "KOR", "men", date(2001, 1, 1)),
}


class Book:
    """Races added in the order they became official, one a day unless told."""

    def __init__(self, seasons: tuple[str, ...] = ("2031/32",)):
        self.seasons = seasons
        self.races: dict[int, RaceOnRecord] = {}
        self.placings: dict[int, tuple[Placing, ...]] = {}
        self.next_line = 1

    def race(
        self,
        season: str,
        distance: str,
        order: list[str | None],
        day: int,
        *,
        city: str = "Montreal",
        hours: float = 0,
        podium_known: bool = True,
        finals: str = "A",
        statuses: dict[str, str] | None = None,
        official: bool = True,
    ) -> int:
        """A distance race ranked in ``order`` (None: a rank nobody is known to hold)."""
        race_id = len(self.races) + 1
        at = START + timedelta(days=day, hours=hours)
        self.races[race_id] = RaceOnRecord(
            race_id,
            season,
            1 + day // 7,
            city,
            f"{city} Arena",
            "America/Toronto",
            distance,
            None,
            at - timedelta(minutes=10),
            at if official else None,
            podium_known=podium_known,
            complete=podium_known and None not in order,
            scoring_known=podium_known and None not in order,
        )
        if not official:
            return race_id
        lines = []
        for rank, key in enumerate(order, start=1):
            if key is None:
                continue
            status = (statuses or {}).get(key, "finished")
            lines.append(
                Placing(
                    self.next_line,
                    race_id,
                    f"s{key}",
                    f"s{key}",
                    PEOPLE[key][2],
                    rank,
                    finals if rank <= 5 else "B",
                    rank,
                    None,
                    status,
                )
            )
            self.next_line += 1
        self.placings[race_id] = tuple(lines)
        return race_id

    def history(self, **extra) -> History:
        people = {
            f"s{key}": Person(
                f"s{key}",
                f"{family.upper()} {given}",
                f"{given} {family}" if nation not in ("KOR", "CHN") else f"{family} {given}",
                nation,
                gender,
                born,
                number,
            )
            for number, (key, (given, family, nation, gender, born)) in enumerate(
                PEOPLE.items(), start=1
            )
        }
        for code, name in (("KOR", "Republic of Korea"), ("CAN", "Canada"), ("NED", "Netherlands")):
            people[f"n{code}"] = Person(f"n{code}", code, name, code)
        revisions = {}
        for season in self.seasons:
            revisions[season] = tuple(
                RankingRevision(
                    race.id,
                    1,
                    race.official_at,
                    tuple(
                        RankedResult(
                            race_key(race.id),
                            race.distance,
                            p.entrant,
                            p.nation,
                            p.rank,
                            race.official_at,
                            p.skater,
                        )
                        for p in self.placings[race.id]
                    ),
                )
                for race in self.races.values()
                if race.season == season and race.official_at
            )
        values = dict(
            seasons=self.seasons,
            rules={s: season_rules("2023/24") for s in self.seasons},
            races=self.races,
            placings=self.placings,
            people=people,
            full_seasons=frozenset(self.seasons),
            revisions=revisions,
            world_records=world_records(),
        )
        return History(**(values | extra))

    def line(self, race_id: int, key: str) -> int:
        return next(p.line for p in self.placings[race_id] if p.entrant == f"s{key}")
