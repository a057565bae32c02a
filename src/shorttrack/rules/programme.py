"""A competition's programme: the race numbers of its start lists and result sheets.

The store numbers a race within its round (Heats, race 3); ISU start lists and result
sheets number the races of the whole competition in the order they are skated ("Race 23"),
so an official, a coach and a fan calling "race 23" mean the same race. That number is
derived here from the schedule, never stored: a change of schedule renumbers the
programme at once, as the printed programme would be.

The order: by session (the earlier session first), then by scheduled time within it (a
race of the session without a time after the timed ones), then by the round's order in
its distance (heats before quarterfinals), then by the distance's place in the
competition, then by the race's number in its round. A race with neither a session nor a
time is not in the programme yet and has no number: a number made up from the rounds
alone would name another race than the one the rink announces (an imported season
without its schedule has none).

Pure: no Django.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ScheduledRace:
    """What the programme knows of one race."""

    key: Hashable  # whatever the caller names the race by (its id)
    session_starts_at: datetime | None  # None: the race is in no session
    session_key: Hashable | None  # tells apart two sessions starting together
    scheduled_at: datetime | None
    round_order: int  # 1 for the first round of its distance
    distance_order: int  # the distance's place in the competition
    number: int  # the race's number within its round


def in_programme(race: ScheduledRace) -> bool:
    """Whether the schedule places the race: in a session, or at a time."""
    return race.session_starts_at is not None or race.scheduled_at is not None


def _order(race: ScheduledRace) -> tuple:
    in_session = race.session_starts_at is not None
    timed = race.scheduled_at is not None
    # A timed race in no session goes by its time among the sessions' starts.
    starts = race.session_starts_at if in_session else race.scheduled_at
    return (
        starts.timestamp(),
        str(race.session_key) if in_session else "",
        not timed,
        race.scheduled_at.timestamp() if timed else 0.0,
        race.round_order,
        race.distance_order,
        race.number,
    )


def programme_numbers(races: Iterable[ScheduledRace]) -> dict[Hashable, int]:
    """Each race's number in the competition's programme, 1 for the first skated; a race
    not in the programme yet (``in_programme``) is left out.

    Two races given under one key are a caller's mistake, refused naming the key."""
    listed = list(races)
    doubled = [key for key, n in Counter(race.key for race in listed).items() if n > 1]
    if doubled:
        raise ValueError(f"programme: race {doubled[0]} is listed twice")
    placed = sorted(filter(in_programme, listed), key=_order)
    return {race.key: number for number, race in enumerate(placed, start=1)}
