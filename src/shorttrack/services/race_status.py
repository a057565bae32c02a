"""Who may move a race through its life, and the record of each move.

``allow`` asks the lifecycle (``rules.race_lifecycle``) whether the acting user, with the
roles they hold at the race's competition, may take this action on the race as it is now:
a user without such a role gets ``NotPermitted``, a move the status does not allow gets
``Invalid``, and a write based on an older version of the race gets ``Conflict``.
A race's version is the id of its latest ``RaceEvent`` (``version``): every write to a
race records one, so a form made from the race carries its version and a write from a
form opened before someone else's write is refused, naming it. ``record`` writes the
move as a ``RaceEvent`` (who, when, why, the result it came with) and announces it to
live pages once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef

from shorttrack import live
from shorttrack.rules import race_lifecycle
from shorttrack.rules.race_lifecycle import Move, RaceAction, RaceStatusError
from shorttrack.services import clock
from shorttrack.services.errors import Conflict, Invalid
from shorttrack.services.officials import require_role, roles_at, signed_in
from shorttrack.services.result_lines import race_name
from shorttrack.store.compiled import Compiled, insert, update
from shorttrack.store.models import (
    OFFICIAL_ROLES,
    CompetitionOfficial,
    Race,
    RaceEvent,
    RaceResult,
)

# What each action is, completing 'only a referee of <competition> may ...'.
DOING = {
    RaceAction.START: "start races",
    RaceAction.ENTER_RESULTS: "enter race results",
    RaceAction.REVIEW: "take races under review",
    RaceAction.DECIDE: "decide on races (PEN, YC, RC, ADV)",
    RaceAction.MAKE_OFFICIAL: "make results official",
    RaceAction.RERUN: "order reruns",
    RaceAction.CORRECT: "correct official results",
}
# The RaceEvent kind each action is recorded as.
EVENT_KINDS = {
    RaceAction.START: "status",
    RaceAction.ENTER_RESULTS: "results",
    RaceAction.REVIEW: "status",
    RaceAction.DECIDE: "decision",
    RaceAction.MAKE_OFFICIAL: "status",
    RaceAction.RERUN: "rerun",
    RaceAction.CORRECT: "correction",
}


@contextmanager
def locked(race: Race, user=None) -> Iterator[Race]:
    """One transaction over the race, its round locked: two officials acting on races of
    one round at once are taken one after the other, so the last race made official
    sees all the others and fills the next round. Yields the race as stored now; the
    caller's copy gets its new status and version at the end (``known_version``).

    The round and the race are locked by one statement, the round first as the imports
    lock them (``OF`` names the order), and only they: the rows joined for the race's
    competition are read, not locked. The block joins a transaction already open without
    a savepoint of its own: every write runs inside the one its write boundary opened
    (``services.history.sealing``), which rolls back to its own. ``user``: the roles this
    official holds at the race's competition are read by the same statement (``allow``)."""
    with transaction.atomic(savepoint=False):
        if signed_in(user):
            found = _LOCKED_FOR.objects(race=race.pk, user=user.pk)
        else:
            found = _LOCKED.objects(race=race.pk)
        if not found:
            raise Race.DoesNotExist(f"race {race.pk} no longer exists")
        current = found[0]
        if signed_in(user):
            held = {role for role, _ in OFFICIAL_ROLES if getattr(current, f"holds_{role}")}
            current.__dict__[_ROLES_HELD] = (user.pk, held)
        yield current
    race.status = current.status
    if _VERSION in current.__dict__:
        race.__dict__[_VERSION] = current.__dict__[_VERSION]


def _locking(race: int):
    return (
        Race.objects.select_for_update(of=("round", "self"))
        .select_related("round__distance_race__competition__season")
        .filter(pk=race)
        .order_by()
    )


def _locking_for(race: int, user: int):
    """The race locked, with whether the user holds each role at its competition."""
    held = {
        f"holds_{role}": Exists(
            CompetitionOfficial.objects.filter(
                competition_id=OuterRef("round__distance_race__competition_id"),
                user_id=user,
                role=role,
            )
        )
        for role, _ in OFFICIAL_ROLES
    }
    return _locking(race).annotate(**held)


# Read at every write to a race: compiled once (store/compiled.py).
_LOCKED = Compiled(_locking)
_LOCKED_FOR = Compiled(_locking_for)
# Where the locked race keeps (user id, the roles they hold there), for ``allow``.
_ROLES_HELD = "_roles_held"

# Where a copy of a race keeps the version its last write left (``known_version``).
_VERSION = "_known_version"


def version(race: Race) -> int:
    """The race's version: the id of its latest event, 0 before the first. Events of one
    race are written only under its lock (``locked``), so the version only grows."""
    newest = _NEWEST_EVENT.rows(race=race.pk)
    return newest[0] if newest else 0


# Read at every write to a race: compiled once (store/compiled.py).
_NEWEST_EVENT = Compiled(
    lambda race: (
        RaceEvent.objects.filter(race_id=race).order_by("-id").values_list("id", flat=True)[:1]
    )
)


def known_version(race: Race) -> int:
    """The version this copy of the race was last seen at: the one its own last write
    left (``locked``) or ``remember_versions`` read, else read now (``version``). What a
    caller writing race after race passes as ``based_on``, as a form passes the version
    it was made from; someone else's write since is still refused as a ``Conflict``."""
    known = race.__dict__.get(_VERSION)
    return version(race) if known is None else known


def remember_versions(races: Sequence[Race]) -> None:
    """Read the version of every race in one query, for ``known_version``."""
    newest = dict(
        RaceEvent.objects.filter(race__in=races)
        .order_by()
        .values_list("race_id")
        .annotate(newest=Max("id"))
    )
    for race in races:
        race.__dict__[_VERSION] = newest.get(race.pk, 0)


def check_based_on(race: Race, based_on: int | None, *, current: int | None = None) -> None:
    """Refuse a write based on another version of the race than the current one, saying
    what happened since. ``None``: the caller holds the current state (a server-side
    caller that read the race in this transaction, never a form). ``current``: the
    version as the caller read it under the race's lock."""
    if based_on is None:
        return
    current = version(race) if current is None else current
    if based_on == current:
        return
    zone = race.round.distance_race.competition.time_zone
    since = RaceEvent.objects.filter(race=race, id__gt=based_on).select_related("by", "result")
    changes = [_change(event, zone) for event in since.order_by("id")]
    raise Conflict(race_name(race), changes[-5:] if len(changes) > 5 else changes, current)


def _change(event: RaceEvent, zone: str) -> str:
    """'finish entered by oscar at 16:20:05 (revision 2, unofficial)'."""
    from zoneinfo import ZoneInfo

    at = (
        event.at.astimezone(ZoneInfo(zone)).strftime("%H:%M:%S") if zone else f"{event.at:%H:%M:%S}"
    )
    who = event.by.get_username() if event.by else "the system"
    what = event.reason or event.kind
    revision = f"revision {event.result.number}, " if event.result else ""
    return f"{what} by {who} at {at} ({revision}{event.status or event.kind})"


def allow(
    user, race: Race, action: RaceAction, reason: str = "", *, based_on: int | None = None
) -> Move:
    """The move the user asks for, or the reason it is refused: role first, then the
    version the write is based on (``check_based_on``), then status."""
    competition = race.round.distance_race.competition
    transition = race_lifecycle.TRANSITIONS[action]
    held, current = _standing(user, race)
    roles = sorted(r for r in transition.roles if r.value in held)
    if not roles:
        require_role(
            user, competition, *sorted(r.value for r in transition.roles), action=DOING[action]
        )
    check_based_on(race, based_on, current=current)
    try:
        return race_lifecycle.move(race.status, action, roles[0], reason)
    except RaceStatusError as refused:
        field = "reason" if "needs a reason" in str(refused) else "race"
        raise Invalid(field, f"{race_name(race)}: {refused}") from None


def _standing(user, race: Race) -> tuple[set[str], int]:
    """The roles the user holds at the race's competition and the race's version
    (``version``). The roles came with the race's lock when it was taken for this user
    (``locked``), else are read now (``officials.roles_at``). The version is read by a
    statement of its own after the lock, so that it is as it is now: the statement that
    waited for the lock sees the race's row as the write it waited for left it, but its
    events as they were before (PostgreSQL's READ COMMITTED)."""
    user_id, held = race.__dict__.get(_ROLES_HELD, (None, None))
    if held is None or user_id != getattr(user, "pk", None):
        held = roles_at(user, race.round.distance_race.competition)
    return held, version(race)


def record(
    race: Race,
    move: Move,
    user,
    *,
    result: RaceResult | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> RaceEvent:
    """Apply the move to the race and record it."""
    if race.status != move.after.value:
        race.status = move.after.value
        update(race, "status")
    kind = EVENT_KINDS[move.action]
    return note(
        race,
        kind,
        user,
        reason or move.reason or (result.revision.reason if result is not None else ""),
        result=result,
        at=at,
    )


def note(
    race: Race,
    kind: str,
    user,
    reason: str,
    *,
    result: RaceResult | None = None,
    at: datetime | None = None,
) -> RaceEvent:
    """An event in the race's life (a status move, a correction, a conflict), announced."""
    event = insert(
        RaceEvent(
            race=race,
            kind=kind,
            status=race.status,
            at=at or clock.now(),
            by=user,
            reason=reason,
            result=result,
        )
    )
    race.__dict__[_VERSION] = event.pk
    live.publish_race(race, {"kind": kind, "status": race.status})
    return event
