"""The plain records a season's files are read into, one dataclass per kind of line.

Every record remembers the file and line it came from, so whatever later finds fault
with it (the import service, checking it against the database) can say where to look.
Distances are rule keys ("W1500"), times whole milliseconds, dates and datetimes Python
values: a record holds what the file said, already parsed, nothing resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from shorttrack.rules.distances import distance
from shorttrack.rules.ranking import RoundKind, Status


@dataclass(frozen=True)
class InputError:
    """One thing wrong with the input: ``file:line: field: reason``."""

    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class InputFile:
    """A file that was read: its name as given and the sha256 of its bytes."""

    path: str
    name: str
    sha256: str


@dataclass(frozen=True)
class SeasonRecord:
    key: str  # "2022/23"
    name: str  # blank: the name of its rule set
    rules: str  # the rule set (rules/seasons/*.toml); blank: the season's own
    file: str
    line: int


@dataclass(frozen=True)
class CompetitionRecord:
    season: str
    number: int
    city: str
    country: str
    venue: str
    time_zone: str  # IANA, "Europe/Berlin"
    start_date: date
    end_date: date
    file: str
    line: int


@dataclass(frozen=True)
class DistanceRaceRecord:
    """A distance raced at a competition; ``finals_at`` without a UTC offset is local time."""

    season: str
    competition: int
    distance: str  # rules key, "W1500"
    instance: int | None  # 1 or 2 when the distance is raced twice
    finals_at: datetime | None
    file: str
    line: int

    @property
    def label(self) -> str:
        return distance(self.distance).race_label(self.instance)


@dataclass(frozen=True)
class SkaterRecord:
    isu_id: str  # blank when unknown
    given_name: str
    family_name: str
    gender: str  # "women" or "men"
    birth_date: date | None
    member: str
    file: str
    line: int


@dataclass(frozen=True)
class RaceLineRecord:
    """A line of a race's result sheet. A relay line names its ``team`` and, where known,
    the ``skaters`` who skated this race for it (and their ``skater_isu_ids``, in the same
    order); an individual line its ``name``. Lap data is as the timing recorded it: per lap,
    the lap time, the elapsed time and the position in the race (1 = leading). Read from
    printed split pages, a lap the page leaves blank (or a figure it does not print) is
    None at that lap, so every printed figure keeps its lap."""

    season: str
    competition: int
    distance: str
    instance: int | None
    round: RoundKind
    race_no: int
    official_at: datetime | None  # when the race's result became official
    place: int | None
    start_position: int | None
    warnings: str
    helmet: int | None
    name: str
    isu_id: str
    member: str
    team: str
    skaters: tuple[str, ...]
    time_ms: int | None
    status: Status
    mark: str  # Q, q, QA, QB, qA, qB, ADV, ADA, ADB or blank
    laps_ms: tuple[int | None, ...]
    dead_heat: bool
    file: str
    line: int
    skater_isu_ids: tuple[str, ...] = ()
    lap_positions: tuple[int | None, ...] = ()
    lap_elapsed_ms: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class RoundRecord:
    """A round of a distance race as its page prints it, races aside: the progression
    text under it ("The first placed skater from each race ... qualify for Semifinals")
    and a note such as "this round has been cancelled"."""

    season: str
    competition: int
    distance: str
    instance: int | None
    round: RoundKind
    progression: str
    note: str
    file: str
    line: int


@dataclass(frozen=True)
class HistoryRecord:
    """Where a competition's tamper-evident history stood when it was exported: its number
    of links and the digest of the newest (services/history.py). An import says whether
    the database it goes into holds that same history."""

    season: str
    competition: int
    links: int
    head: str
    file: str
    line: int


@dataclass(frozen=True)
class RankingLineRecord:
    """A line of a final ranking known only as ranks (history, podiums). ``name`` blank and
    ``team`` blank: the line ranks a nation's relay team by its Member alone."""

    season: str
    competition: int
    distance: str
    instance: int | None
    official_at: datetime | None
    rank: int | None
    name: str
    isu_id: str
    member: str
    team: str
    final: str  # "A", "B", "C" or blank
    final_place: int | None
    time_ms: int | None
    status: Status
    note: str
    file: str
    line: int


@dataclass
class Records:
    """Everything read from a set of files, and what was wrong with it."""

    seasons: list[SeasonRecord] = field(default_factory=list)
    competitions: list[CompetitionRecord] = field(default_factory=list)
    distance_races: list[DistanceRaceRecord] = field(default_factory=list)
    skaters: list[SkaterRecord] = field(default_factory=list)
    race_lines: list[RaceLineRecord] = field(default_factory=list)
    rounds: list[RoundRecord] = field(default_factory=list)
    ranking_lines: list[RankingLineRecord] = field(default_factory=list)
    histories: list[HistoryRecord] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files: list[InputFile] = field(default_factory=list)

    def extend(self, other: Records) -> None:
        self.seasons += other.seasons
        self.competitions += other.competitions
        self.distance_races += other.distance_races
        self.skaters += other.skaters
        self.race_lines += other.race_lines
        self.rounds += other.rounds
        self.ranking_lines += other.ranking_lines
        self.histories += other.histories
        self.errors += other.errors
        self.files += other.files

    def add(self, record: object) -> None:
        """File a record in its list by its type."""
        lists = {
            SeasonRecord: self.seasons,
            CompetitionRecord: self.competitions,
            DistanceRaceRecord: self.distance_races,
            SkaterRecord: self.skaters,
            RaceLineRecord: self.race_lines,
            RoundRecord: self.rounds,
            RankingLineRecord: self.ranking_lines,
        }
        lists[type(record)].append(record)
