"""The organiser's set-up of a competition: its sessions by day, when each race is skated,
and who broadcasts it; and appointing officials from the server's command line.

Times are typed as the venue's clock shows them ("14:30" on day 2) and stored as moments
in the competition's time zone, so the public schedule, the iCalendar feed and the board
of the officials' console all agree. Sessions of one day may not overlap (one rink), a
race is scheduled inside its session and not before the rounds its starters come from.
Entries and draws are ``services.entries``, ``services.relays`` and ``services.draws``.

Every change is announced on the live bus, which also makes cached public pages fresh.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from shorttrack import live
from shorttrack.queries.race_names import race_name
from shorttrack.services import clock
from shorttrack.services.entries import competition_locked
from shorttrack.services.errors import Checks, Invalid
from shorttrack.services.officials import ORGANISER, ROLE_NAMES, require_role
from shorttrack.services.write_log import logged_write
from shorttrack.store.authorship import changed_by
from shorttrack.store.models import (
    Broadcaster,
    Competition,
    CompetitionOfficial,
    Race,
    Session,
)

MEMBER_CODE = re.compile(r"^[A-Z]{3}$")


# -- sessions -------------------------------------------------------------------------


def competition_day(competition: Competition, day: int) -> date:
    """The date of day ``day`` (1, 2, 3) of the competition."""
    return competition.start_date + timedelta(days=day - 1)


def days_of(competition: Competition) -> int:
    return (competition.end_date - competition.start_date).days + 1


def local_moment(competition: Competition, day: int, clock_time: time) -> datetime:
    """Day 2 at 14:30 on the venue's clock, as a moment."""
    return datetime.combine(
        competition_day(competition, day), clock_time, ZoneInfo(competition.time_zone)
    )


@logged_write
def add_session(
    user,
    competition: Competition,
    *,
    day: int,
    name: str,
    starts: time,
    ends: time | None = None,
) -> Session:
    """A session on day ``day`` from ``starts`` to ``ends`` (venue time; ``ends`` may be
    left open)."""
    require_role(user, competition, ORGANISER, action="set up sessions")
    with competition_locked(competition):
        values = _session_values(competition, None, day, name, starts, ends)
        session = Session.objects.create(competition=competition, **values)
        _announce(competition, "schedule")
    return session


@logged_write
def change_session(
    user, session: Session, *, day: int, name: str, starts: time, ends: time | None = None
) -> Session:
    """Move or rename a session. Its races keep their clock times only if they still fit:
    otherwise the change is refused, naming them."""
    competition = session.competition
    require_role(user, competition, ORGANISER, action="set up sessions")
    with competition_locked(competition):
        values = _session_values(competition, session, day, name, starts, ends)
        checks = Checks()
        for race in session.races.exclude(scheduled_at=None).select_related("round__distance_race"):
            at = race.scheduled_at.astimezone(ZoneInfo(competition.time_zone)).time()
            moment = local_moment(competition, values["day"], at)
            if moment < values["starts_at"] or (values["ends_at"] and moment > values["ends_at"]):
                checks.add(
                    "starts",
                    f"{race_name(race)} is scheduled at {at:%H:%M}, outside the changed session: "
                    "schedule it again first",
                )
        checks.done()
        for field, value in values.items():
            setattr(session, field, value)
        session.save()
        # A race keeps its clock time on the session's (perhaps new) day.
        for race in session.races.exclude(scheduled_at=None):
            at = race.scheduled_at.astimezone(ZoneInfo(competition.time_zone)).time()
            race.scheduled_at = local_moment(competition, session.day, at)
            race.save(update_fields=["scheduled_at"])
        _announce(competition, "schedule")
    return session


def session_version(race_ids: Sequence[int]) -> str:
    """What a session's removal is decided on, as the organiser's page carries it: the
    races in it (their ids, in any order)."""
    return ",".join(str(pk) for pk in sorted(race_ids)) or "-"


@logged_write
def remove_session(user, session: Session, *, based_on: str | None = None) -> None:
    """Remove a session whose races have not started; they are left unscheduled.
    ``based_on``: ``session_version`` as the page showed it (None: as it is now)."""
    competition = session.competition
    require_role(user, competition, ORGANISER, action="set up sessions")
    with competition_locked(competition):
        races = list(session.races.all())
        if based_on is not None and based_on != session_version([r.pk for r in races]):
            raise Invalid(
                "based_on",
                f"{session.name} on day {session.day} changed since this page was opened: it "
                f"holds {len(races)} race{'s' if len(races) != 1 else ''} now; nothing was "
                "removed: look at it as it is now",
            )
        under_way = [race for race in races if race.status != "scheduled"]
        if under_way:
            names = ", ".join(race_name(race) for race in under_way[:3])
            raise Invalid(
                "session",
                f"{session.name} on day {session.day} has races already skated or under way "
                f"({names}): it stays",
            )
        for race in races:
            race.session, race.scheduled_at = None, None
        bulk_update_with_history(
            races, Race, ["session", "scheduled_at"], default_user=changed_by()
        )
        session.delete()
        _announce(competition, "schedule")


def _session_values(
    competition: Competition,
    session: Session | None,
    day: int,
    name: str,
    starts: time,
    ends: time | None,
) -> dict:
    checks = Checks()
    name = (name or "").strip()
    days = days_of(competition)
    if not name:
        checks.add("name", "name the session (Qualifying, World Cup session)")
    elif len(name) > 80:
        checks.add("name", f"at most 80 characters ({len(name)} given)")
    if not 1 <= day <= days:
        checks.add(
            "day",
            f"day {day} is not a day of {competition.name}: it has {days} days "
            f"({competition.start_date:%d %b} to {competition.end_date:%d %b %Y})",
        )
    if ends is not None and ends <= starts:
        checks.add(
            "ends", f"the session ends at {ends:%H:%M}, not after it starts ({starts:%H:%M})"
        )
    checks.done()
    starts_at = local_moment(competition, day, starts)
    ends_at = local_moment(competition, day, ends) if ends is not None else None
    others = Session.objects.filter(competition=competition, day=day)
    if session is not None:
        others = others.exclude(pk=session.pk)
    for other in others:
        other_end = other.ends_at or other.starts_at
        mine_end = ends_at or starts_at
        if starts_at <= other_end and other.starts_at <= mine_end:
            zone = ZoneInfo(competition.time_zone)
            span = f"{other.starts_at.astimezone(zone):%H:%M}"
            if other.ends_at:
                span += f"-{other.ends_at.astimezone(zone):%H:%M}"
            checks.add("starts", f"overlaps {other.name} on day {day} ({span})")
    checks.done()
    return {"day": day, "name": name, "starts_at": starts_at, "ends_at": ends_at}


# -- the schedule of races ------------------------------------------------------------


@dataclass(frozen=True)
class RaceSlot:
    """When a race is skated: in ``session`` at ``at`` on the venue's clock; a slot with
    no session leaves the race unscheduled."""

    race: Race
    session: Session | None
    at: time | None = None
    # slot_version(race) as the form showed it; None: whatever it is now (a caller at the
    # server). A race moved since is a conflict, never a silent overwrite.
    based_on: str | None = None


def slot_version(race: Race) -> str:
    """Where a race stands in the schedule, as a form carries it: '12@2025-10-18T14:30:00+00:00'."""
    at = race.scheduled_at.isoformat() if race.scheduled_at else ""
    return f"{race.session_id or ''}@{at}"


@logged_write
def schedule_races(user, competition: Competition, slots: Sequence[RaceSlot]) -> list[Race]:
    """Put races into sessions, all of them or none. Only races not yet started move."""
    require_role(user, competition, ORGANISER, action="schedule races")
    with competition_locked(competition):
        checks = Checks()
        moments: dict[int, datetime | None] = {}
        stored = (
            Race.objects.select_related("round__distance_race", "session")
            .order_by()
            .in_bulk({slot.race.pk for slot in slots})
        )
        for index, slot in enumerate(slots):
            field = f"slots[{index}]"
            race = stored.get(slot.race.pk)
            if race is None:
                checks.add(field, f"race {slot.race.pk} no longer exists")
                continue
            name = race_name(race)
            if race.round.distance_race.competition_id != competition.pk:
                checks.add(field, f"{name} is not a race of {competition.name}")
                continue
            if race.status != "scheduled":
                checks.add(field, f"{name} is {race.get_status_display()}: its time is history")
                continue
            if slot.based_on is not None and slot.based_on != slot_version(race):
                now = (
                    f"now {race.session.name} at "
                    f"{race.scheduled_at.astimezone(ZoneInfo(competition.time_zone)):%H:%M}"
                    if race.session_id and race.scheduled_at
                    else "now not scheduled"
                )
                checks.add(
                    field,
                    f"{name} was rescheduled since this form was opened ({now}); nothing was "
                    "saved: start again from the schedule as it is now",
                )
                continue
            session = slot.session
            if session is None:
                moments[race.pk] = None
                continue
            if session.competition_id != competition.pk:
                checks.add(field, f"{session.name} is not a session of {competition.name}")
                continue
            if slot.at is None:
                checks.add(field, f"{name}: give the time it starts in {session.name}")
                continue
            moment = local_moment(competition, session.day, slot.at)
            if moment < session.starts_at or (session.ends_at and moment > session.ends_at):
                zone = ZoneInfo(competition.time_zone)
                span = f"{session.starts_at.astimezone(zone):%H:%M}"
                span += f"-{session.ends_at.astimezone(zone):%H:%M}" if session.ends_at else " on"
                checks.add(field, f"{name} at {slot.at:%H:%M} is outside {session.name} ({span})")
                continue
            moments[race.pk] = moment
        checks.done()
        races = list(Race.objects.filter(pk__in=moments).select_related("round__distance_race"))
        sessions = {slot.race.pk: slot.session for slot in slots}
        for race in races:
            race.session = sessions[race.pk]
            race.scheduled_at = moments[race.pk]
        _check_round_order(checks, races)
        checks.done()
        bulk_update_with_history(
            races, Race, ["session", "scheduled_at"], default_user=changed_by()
        )
        _announce(competition, "schedule")
    return races


def _check_round_order(checks: Checks, changed: list[Race]) -> None:
    """A round is skated after the rounds that send it skaters: its earliest race may not
    start before the latest race of an earlier round of the distance."""
    by_pk = {race.pk: race for race in changed}
    distances = {race.round.distance_race_id for race in changed}
    everything = [
        by_pk.get(race.pk, race)
        for race in Race.objects.filter(round__distance_race_id__in=distances).select_related(
            "round__distance_race"
        )
    ]
    rounds: dict[tuple[int, int], list[Race]] = {}
    for race in everything:
        if race.scheduled_at is not None:
            rounds.setdefault((race.round.distance_race_id, race.round.order), []).append(race)
    for (distance_id, order), races in rounds.items():
        first = min(races, key=lambda r: r.scheduled_at)
        for (other_distance, other_order), earlier in rounds.items():
            if other_distance != distance_id or other_order >= order:
                continue
            last = max(earlier, key=lambda r: r.scheduled_at)
            if first.scheduled_at <= last.scheduled_at and (first.pk in by_pk or last.pk in by_pk):
                checks.add(
                    "slots",
                    f"{race_name(first)} would start before {race_name(last)}, "
                    "whose round sends it its skaters",
                )


# -- broadcasters ---------------------------------------------------------------------


@logged_write
def add_broadcaster(
    user,
    competition: Competition,
    *,
    name: str,
    country: str = "",
    url: str = "",
    live_stream: bool = False,
    covers: str = "",
) -> Broadcaster:
    """Where to watch this competition: a broadcaster in a country (``country`` blank:
    worldwide), or a live stream, perhaps of some rounds only (``covers``)."""
    require_role(user, competition, ORGANISER, action="add broadcasters")
    checks = Checks()
    name, country, url, covers = name.strip(), country.strip().upper(), url.strip(), covers.strip()
    if not name:
        checks.add("name", "name the broadcaster or the stream")
    elif len(name) > 120:
        checks.add("name", f"at most 120 characters ({len(name)} given)")
    if country and not MEMBER_CODE.match(country):
        checks.add("country", f"{country!r} is not a country code: three letters, as KOR")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            checks.add("url", f"{url!r} is not a web address (https://...)")
    if len(covers) > 120:
        checks.add("covers", f"at most 120 characters ({len(covers)} given)")
    checks.done()
    with competition_locked(competition):
        if Broadcaster.objects.filter(competition=competition, name=name, country=country).exists():
            where = country or "worldwide"
            raise Invalid("name", f"{name} ({where}) already broadcasts {competition.name}")
        broadcaster = Broadcaster.objects.create(
            season=competition.season,
            competition=competition,
            name=name,
            country=country,
            url=url,
            live_stream=live_stream,
            covers=covers,
        )
        _announce(competition, "broadcasters")
    return broadcaster


@logged_write
def remove_broadcaster(user, broadcaster: Broadcaster) -> None:
    """Remove a broadcaster of one competition (the season's own are the series'
    administrator's, in the admin)."""
    competition = broadcaster.competition
    if competition is None:
        raise Invalid(
            "broadcaster", f"{broadcaster} covers the whole season: the series administrator's"
        )
    require_role(user, competition, ORGANISER, action="remove broadcasters")
    with transaction.atomic():
        broadcaster.delete()
        _announce(competition, "broadcasters")


# -- officials appointed at the server ------------------------------------------------


@logged_write(who="cli")
def appoint_from_server(
    competition: Competition, username: str, role: str, *, password: str | None = None
) -> tuple[CompetitionOfficial, bool]:
    """Appoint ``username`` to ``role`` at the competition from the server's command line,
    creating the account when it does not exist (with ``password``, else one that cannot
    sign in until a password is set). Returns the appointment and whether the account is
    new. Whoever runs commands on the server administers the series, so nobody is recorded
    as appointing; in the console, organisers appoint with ``officials.appoint``."""
    checks = Checks()
    username = username.strip()
    if role not in ROLE_NAMES:
        checks.add("role", f"unknown role {role!r}: expected one of {', '.join(ROLE_NAMES)}")
    if not username:
        checks.add("username", "give the official's user name")
    if password is not None and len(password) < 8:
        checks.add("password", "at least 8 characters")
    checks.done()
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        if password is not None:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        if not user.is_active:
            raise Invalid("username", f"the account {username} is inactive")
        user.save()
        if CompetitionOfficial.objects.filter(
            competition=competition, user=user, role=role
        ).exists():
            raise Invalid("role", f"{username} is already {ROLE_NAMES[role]} of {competition.name}")
        official = CompetitionOfficial.objects.create(
            competition=competition, user=user, role=role, appointed_at=clock.now()
        )
    return official, created


def _announce(competition: Competition, kind: str) -> None:
    live.publish_all(
        [
            (f"competition:{competition.pk}", {"kind": kind}),
            (f"season:{competition.season_id}", {"kind": kind}),
        ]
    )
