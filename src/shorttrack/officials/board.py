"""The board of a competition for its officials: what is pending, by day and session.

Each session lists its races in running order with their status; the races not yet
official are what the officials still have to do (scheduled, started, unofficial, under
review). Races not put into a session yet are listed apart, by distance and round, so
that nothing is forgotten. The board reads everything, official or not: it is only
shown to the competition's officials.

Two questions the console's pages ask of the running order are answered here too: which
race comes next by the schedule (``next_race``, the one key away after a save), and why a
race has no starters yet (``waiting_for``: the round before is not official yet, nobody
was eligible, or the organiser has not drawn it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from shorttrack.rules.race_lifecycle import RaceStatus
from shorttrack.rules.ranking import RoundKind
from shorttrack.services.draws import stored_plan
from shorttrack.services.result_lines import race_name, round_name
from shorttrack.services.setup import competition_day, days_of, session_version
from shorttrack.store.models import Competition, Race, Round, Session

PENDING = tuple(s.value for s in RaceStatus if s is not RaceStatus.OFFICIAL)


@dataclass
class BoardRace:
    race: Race
    name: str
    status: str
    at: datetime | None  # local time at the venue
    starters: int

    @property
    def pending(self) -> bool:
        return self.status != RaceStatus.OFFICIAL.value

    @property
    def status_label(self) -> str:
        return RaceStatus(self.status).label


@dataclass
class BoardSession:
    name: str
    starts_at: datetime | None
    ends_at: datetime | None
    races: list[BoardRace] = field(default_factory=list)
    session: Session | None = None

    @property
    def version(self) -> str:
        """The races it holds, as a removal from this page is based on."""
        return session_version([item.race.pk for item in self.races])

    @property
    def counts(self) -> dict[str, int]:
        """Races per status, every status present (0 where none)."""
        found = Counter(race.status for race in self.races)
        return {status.label: found[status.value] for status in RaceStatus}

    @property
    def summary(self) -> str:
        """The statuses present, in the order of the lifecycle: '3 scheduled, 1 official'."""
        return ", ".join(f"{count} {label}" for label, count in self.counts.items() if count)

    @property
    def pending(self) -> list[BoardRace]:
        return [race for race in self.races if race.pending]

    @property
    def done(self) -> list[BoardRace]:
        return [race for race in self.races if not race.pending]


@dataclass
class BoardDay:
    day: int
    date: date
    sessions: list[BoardSession]

    @property
    def pending(self) -> int:
        return sum(len(session.pending) for session in self.sessions)


@dataclass
class Board:
    competition: Competition
    days: list[BoardDay]
    unscheduled: list[BoardSession]  # one per distance, its races not in a session

    @property
    def counts(self) -> dict[str, int]:
        found: Counter[str] = Counter()
        for group in [s for d in self.days for s in d.sessions] + self.unscheduled:
            found.update(group.counts)
        return {status.label: found[status.label] for status in RaceStatus}


def board(competition: Competition) -> Board:
    zone = ZoneInfo(competition.time_zone)
    races = list(
        Race.objects.filter(round__distance_race__competition=competition)
        .select_related("round__distance_race")
        .prefetch_related("start_list")
        .order_by("scheduled_at", "round__distance_race_id", "round__order", "number")
    )
    sessions = list(Session.objects.filter(competition=competition).order_by("starts_at"))
    in_session: dict[int, list[BoardRace]] = {}
    apart: dict[int, BoardSession] = {}
    for race in races:
        entry = BoardRace(
            race=race,
            name=race_name(race),
            status=race.status,
            at=race.scheduled_at.astimezone(zone) if race.scheduled_at else None,
            starters=len(race.start_list.all()),
        )
        if race.session_id:
            in_session.setdefault(race.session_id, []).append(entry)
        else:
            distance_race = race.round.distance_race
            group = apart.setdefault(
                distance_race.pk, BoardSession(distance_race.title, None, None)
            )
            group.races.append(entry)
    days = []
    for day in range(1, days_of(competition) + 1):
        days.append(
            BoardDay(
                day,
                competition_day(competition, day),
                [
                    BoardSession(
                        s.name,
                        s.starts_at.astimezone(zone),
                        s.ends_at.astimezone(zone) if s.ends_at else None,
                        in_session.get(s.pk, []),
                        s,
                    )
                    for s in sessions
                    if s.day == day
                ],
            )
        )
    for group in apart.values():
        group.races.sort(key=lambda r: (r.race.round.order, r.race.number))
    return Board(competition, days, list(apart.values()))


def _running_key(race: Race) -> tuple:
    """A race's place in the running order: by scheduled time, the races not scheduled
    after them by distance, round and number."""
    return (
        race.scheduled_at is None,
        race.scheduled_at.timestamp() if race.scheduled_at else 0.0,
        race.round.distance_race_id,
        race.round.order,
        race.number,
    )


def next_race(race: Race) -> Race | None:
    """The race after this one in the competition's running order; None after the last."""
    races = sorted(
        Race.objects.filter(
            round__distance_race__competition_id=race.round.distance_race.competition_id
        ).select_related("round__distance_race"),
        key=_running_key,
    )
    at = next((k for k, other in enumerate(races) if other.pk == race.pk), None)
    return races[at + 1] if at is not None and at + 1 < len(races) else None


def _feeders(round_: Round) -> list[Round]:
    """The rounds that send skaters to this one, in the order they are skated."""
    kind = RoundKind(round_.kind)
    return [
        other
        for other in round_.distance_race.rounds.order_by("order")
        if (plan := stored_plan(other)) is not None and kind in plan.targets
    ]


def waiting_for(race: Race) -> str:
    """Why a race has no start list, as a sentence; '' when it has one."""
    if race.start_list.exists():
        return ""
    round_ = race.round
    kind = RoundKind(round_.kind)
    feeders = _feeders(round_)
    if not feeders:
        return "Not drawn yet: the organiser draws the first round when the entries close."
    races = list(Race.objects.filter(round__in=feeders).only("status"))
    official = sum(1 for other in races if other.status == RaceStatus.OFFICIAL.value)
    names = " and ".join(round_name(feeder.kind) for feeder in feeders)
    if not races or official < len(races):
        return (
            f"Filled when every race of {names} is official ({official} of {len(races)} official)."
        )
    if kind.final:
        return f"No {kind.label}: nobody was eligible from {names}."
    if round_.races.filter(start_list__isnull=False).exists():
        return (
            f"Not skated: {names} sent too few qualifiers to fill every race of the {kind.label}."
        )
    return f"No {kind.label}: nobody qualified from {names}."
