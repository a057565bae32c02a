"""Who may move a race through its life, and the record of each move.

``allow`` asks the lifecycle (``rules.race_lifecycle``) whether the acting user, with the
roles they hold at the race's competition, may take this action on the race as it is now:
a user without such a role gets ``NotPermitted``, a move the status does not allow gets
``Invalid``, and a write based on an older version of the race gets ``Conflict``.
A race's version is the id of its latest ``RaceEvent`` (``version``), kept on the race's
row with each event, so that the statement that locks the race reads it as it is now:
every write to a race records one, so a form made from the race carries its version and
a write from a form opened before someone else's write is refused, naming it.
``record`` writes the move as a ``RaceEvent`` (who, when, why, the result it came with)
and announces it to live pages once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

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
    sees all the others and fills the next round. Yields the race as stored now, its
    version too (a statement that waited for a lock reads the locked rows as the write it
    waited for left them); the caller's copy gets its new status and version at the end
    (``known_version``).

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
    race.status, race.version = current.status, current.version


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


def version(race: Race) -> int:
    """The race's version as stored now: the id of its latest event, 0 before the first.
    Events of one race are written only under its lock (``locked``), so it only grows."""
    stored = _VERSION.rows(race=race.pk)
    if not stored:
        raise Race.DoesNotExist(f"race {race.pk} no longer exists")
    return stored[0]


# Read by every form made from a race: compiled once (store/compiled.py).
_VERSION = Compiled(lambda race: Race.objects.filter(pk=race).values_list("version", flat=True))


def known_version(race: Race) -> int:
    """The version this copy of the race was last seen at: as it was read, or as its own
    last write left it (``locked``). What a caller writing race after race passes as
    ``based_on``, as a form passes the version it was made from; someone else's write
    since is still refused as a ``Conflict``."""
    return race.version


def stamp_versions(store=None) -> int:
    """Give every race the version its events say (the newest one's id): what a database
    from before versions were stored holds (migration 0012). ``store``: the migration's
    models. Returns how many races have events."""
    from shorttrack.store import models

    store = store or models
    newest = store.RaceEvent.objects.filter(race=OuterRef("pk")).order_by("-id").values("id")[:1]
    store.Race.objects.update(version=Coalesce(Subquery(newest), 0))
    return store.Race.objects.filter(version__gt=0).count()


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
    """The roles the user holds at the race's competition and the race's version, both
    as the race's lock read them (``locked``); the roles are read now when the lock was
    not taken for this user (``officials.roles_at``)."""
    user_id, held = race.__dict__.get(_ROLES_HELD, (None, None))
    if held is None or user_id != getattr(user, "pk", None):
        held = roles_at(user, race.round.distance_race.competition)
    return held, race.version


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
    moved = race.status != move.after.value
    race.status = move.after.value
    kind = EVENT_KINDS[move.action]
    return note(
        race,
        kind,
        user,
        reason or move.reason or (result.revision.reason if result is not None else ""),
        result=result,
        at=at,
        moved=moved,
    )


def note(
    race: Race,
    kind: str,
    user,
    reason: str,
    *,
    result: RaceResult | None = None,
    at: datetime | None = None,
    moved: bool = False,
) -> RaceEvent:
    """An event in the race's life (a status move, a correction, a conflict), announced;
    the race's version is the event's from now on. ``moved``: the race's status is new
    too (``record``), saved with the version."""
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
    race.version = event.pk
    if moved:
        update(race, "status", "version")
    else:
        update(race, "version")
    live.publish_race(race, {"kind": kind, "status": race.status})
    return event
