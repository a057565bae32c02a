"""The board of a competition for its officials: what is pending, by day and session.

Each session lists its races in running order with their status; the races not yet
official are what the officials still have to do (scheduled, started, unofficial, under
review). Races not put into a session yet are listed apart, by distance and round, so
that nothing is forgotten. The board reads everything, official or not: it is only
shown to the competition's officials.

Two questions the console's pages ask of the running order are answered here too: which
race comes next by the schedule (``next_race``, the one key away after a save), and why a
race has no starters yet (``waiting_for``: the round before is not official yet, nobody
was eligible, or the organiser has not drawn it), which the board says beside each such
race from what it has read already.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count

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
    waiting: str = ""  # why it has no starters yet (``waiting_for``)

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
    starters = {race.pk: len(race.start_list.all()) for race in races}
    of_distance: dict[int, list[Race]] = defaultdict(list)
    for race in races:
        of_distance[race.round.distance_race_id].append(race)
    rounds = {
        key: list({race.round_id: race.round for race in group}.values())
        for key, group in of_distance.items()
    }
    for race in races:
        key = race.round.distance_race_id
        entry = BoardRace(
            race=race,
            name=race_name(race),
            status=race.status,
            at=race.scheduled_at.astimezone(zone) if race.scheduled_at else None,
            starters=starters[race.pk],
            waiting=_waiting(race, rounds[key], of_distance[key], starters)
            if not starters[race.pk]
            else "",
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


def waiting_for(race: Race) -> str:
    """Why a race has no start list, as a sentence; '' when it has one."""
    distance_race = race.round.distance_race
    races = list(
        Race.objects.filter(round__distance_race=distance_race)
        .select_related("round")
        .annotate(starters=Count("start_list"))
    )
    return _waiting(
        race,
        list(distance_race.rounds.order_by("order")),
        races,
        {other.pk: other.starters for other in races},
    )


def _waiting(race: Race, rounds: list[Round], races: list[Race], starters: dict[int, int]) -> str:
    """``waiting_for`` from the distance's rounds, its races and their starters counted."""
    if starters.get(race.pk):
        return ""
    round_ = race.round
    kind = RoundKind(round_.kind)
    feeders = [
        other
        for other in sorted(rounds, key=lambda r: r.order)
        if (plan := stored_plan(other)) is not None and kind in plan.targets
    ]
    if not feeders:
        return "Not drawn yet: the organiser draws the first round when the entries close."
    feeding = [other for other in races if other.round_id in {f.pk for f in feeders}]
    official = sum(1 for other in feeding if other.status == RaceStatus.OFFICIAL.value)
    names = " and ".join(round_name(feeder.kind) for feeder in feeders)
    if not feeding or official < len(feeding):
        return f"Filled when every race of {names} is official ({official} of {len(feeding)} official)."
    if kind.final:
        return f"No {kind.label}: nobody was eligible from {names}."
    if any(starters.get(other.pk) for other in races if other.round_id == round_.pk):
        return (
            f"Not skated: {names} sent too few qualifiers to fill every race of the {kind.label}."
        )
    return f"No {kind.label}: nobody qualified from {names}."
