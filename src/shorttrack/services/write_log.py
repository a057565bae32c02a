"""One log line per write: who did what to which race of which competition, and how it went.

Every public service that writes (the results officer entering a finish, the referee's
decisions, a result made official or corrected, a rerun; entries, withdrawals, relay teams,
rounds planned and drawn; the organiser's set-up; officials appointed; imports) carries
``@logged_write``. When it returns or raises, one JSON object goes on one line of the logger
``shorttrack.writes``:

    {"time": "2025-10-18T14:03:12.481Z", "level": "INFO", "logger": "shorttrack.writes",
     "who": "oscar", "action": "race_results.enter_results", "competition_id": 1,
     "competition": "World Tour 1, Montreal", "race": 812, "race_result": 2204,
     "status": "unofficial", "outcome": "ok", "ms": 11.4}

- ``who``: the official's user name; without a user, the service's own name for whoever runs
  it (``"import"`` for files imported, ``"cli"`` for officials appointed at the server's
  command line, ``"simulator"``), or the one named by ``acting("...")`` around the calls.
- ``action``: the service and its function (``race_results.make_official``).
- ``competition_id`` and ``competition``: the competition written to, where there is one.
- the objects: ``race``, ``distance_race``, ``entry``, ``relay_team``, ``session``,
  ``broadcaster`` (ids), what was created (``race_result``, ``draw``, ``session`` ...), the
  race's ``status`` afterwards, ``reason`` where the official gave one.
- ``outcome``: ``ok``; ``refused`` with the ``reason`` (``Invalid``, ``NotPermitted``, an
  import refused: nothing was written); ``conflict`` with its ``reason`` when a correction
  was stored but changes who goes to a round already under way (the ``RaceEvent`` of kind
  "conflict", which the referee must settle); ``error`` with the exception (a bug, or the
  database failing): the transaction was rolled back.
- ``ms``: how long the service took, its transaction and commit included.

A write is one line however much it sets off: a result made official that fills the next
round and ranks the distance is logged once, as ``race_results.make_official`` (a logged
service called inside another is part of that write). Levels: ok and refused are INFO,
conflict WARNING, error ERROR. With the logger above INFO nothing is looked up or formatted
for an ok or refused write; with it above WARNING the services run undecorated.

What it costs (2 cores, other work running): about 14 µs a write with the logger at
WARNING, 150 µs at INFO with the JSON handler; a simulated competition (697 writes, 14-19 s)
pays about 0.1 s at INFO, within the noise of its run time. The simulator is better run with
the logger at WARNING all the same: its writes are no official's work, and hundreds of lines
a competition would bury its progress bars (conflicts and errors still show).

Sign-ins and failed sign-ins are not writes of the services: django-axes logs them.

``JsonLines`` formats this logger's records and any other (``django.request`` errors, with
the status code, method and path) as one JSON object per line, for settings.LOGGING. This
module imports no models at load time, because logging is configured before Django's apps.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError

logger = logging.getLogger("shorttrack.writes")

F = TypeVar("F", bound=Callable[..., Any])

# Arguments of the services, and the field each is logged as (ids of what is written to).
SUBJECTS = {
    "race": "race",
    "distance_race": "distance_race",
    "entry": "entry",
    "team": "relay_team",
    "session": "session",
    "broadcaster": "broadcaster",
}
MOST_FILES = 10


@dataclass
class _Write:
    """The write under way in this context: what a conflict noted during it adds."""

    conflicts: list[str] = field(default_factory=list)


_current: ContextVar[_Write | None] = ContextVar("shorttrack_write", default=None)
_acting: ContextVar[str | None] = ContextVar("shorttrack_acting", default=None)


@contextmanager
def acting(who: str) -> Iterator[None]:
    """Writes made without a user inside this block are logged as ``who`` ("simulator")."""
    token = _acting.set(who)
    try:
        yield
    finally:
        _acting.reset(token)


def logged_write(func: F | None = None, *, who: str = "cli") -> F | Callable[[F], F]:
    """Log one line per call of this service (``@logged_write``, or
    ``@logged_write(who="import")`` to name whoever calls it without a user)."""
    if func is None:
        return functools.partial(logged_write, who=who)
    action = f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"
    signature = inspect.signature(func)

    @functools.wraps(func)
    def write(*args, **kwargs):
        # Every service write passes here, so here it is chained too (services/history.py):
        # in the write's own transaction, whatever the logger's level.
        from shorttrack.services.history import sealing
        from shorttrack.store.authorship import writing_for

        if _current.get() is not None:
            return func(*args, **kwargs)  # part of the write that called it
        if not logger.isEnabledFor(logging.WARNING):
            user = signature.bind_partial(*args, **kwargs).arguments.get("user")
            with writing_for(user), sealing():
                return func(*args, **kwargs)
        _connect_conflicts()
        arguments = signature.bind_partial(*args, **kwargs).arguments
        # Ids before the call: a session or broadcaster removed has none afterwards.
        ids = {
            name: getattr(arguments[argument], "pk", None)
            for argument, name in SUBJECTS.items()
            if argument in arguments
        }
        state = _Write()
        token = _current.set(state)
        started = time.perf_counter()
        try:
            with writing_for(arguments.get("user")), sealing():
                result = func(*args, **kwargs)
        except Exception as error:
            ms = (time.perf_counter() - started) * 1000
            _current.reset(token)
            refusal = _refusal(error)
            if refusal is not None:
                if logger.isEnabledFor(logging.INFO):
                    _emit(logging.INFO, action, who, arguments, ids, None, "refused", refusal, ms)
            else:
                error_text = f"{type(error).__name__}: {error}"[:500]
                _emit(logging.ERROR, action, who, arguments, ids, None, "error", error_text, ms)
            raise
        ms = (time.perf_counter() - started) * 1000
        _current.reset(token)
        if state.conflicts:
            reason = " | ".join(state.conflicts)
            _emit(logging.WARNING, action, who, arguments, ids, result, "conflict", reason, ms)
        elif logger.isEnabledFor(logging.INFO):
            _emit(logging.INFO, action, who, arguments, ids, result, "ok", None, ms)
        return result

    write.logged_action = action
    return write


# -- what a line says -------------------------------------------------------------------


def _refusal(error: Exception) -> str | None:
    """Why the service refused, or None when the error is not a refusal."""
    from shorttrack.services.imports import ImportRejected

    if isinstance(error, ImportRejected):
        from shorttrack.interchange.error_groups import grouped_lines

        causes = grouped_lines(error.errors)
        shown = "; ".join(causes[:5])
        more = f"; ... and {len(causes) - 5} more" if len(causes) > 5 else ""
        return f"import refused, {len(error.errors)} error(s): {shown}{more}"
    if isinstance(error, PermissionDenied | ValidationError):
        return str(error) if not isinstance(error, ValidationError) else _validation(error)
    return None


def _validation(error: ValidationError) -> str:
    reasons = getattr(error, "reasons", None)
    if reasons is not None:
        return "; ".join(reasons)
    return "; ".join(error.messages)


def _emit(level, action, who, arguments, ids, result, outcome, reason, ms) -> None:
    line: dict[str, Any] = {"who": _who(arguments, who), "action": action}
    try:
        competition = _competition(arguments, result)
    except Exception:  # the database failing: the line is written without the name
        competition = None
    if competition is not None:
        line["competition_id"], line["competition"] = competition
    line.update((name, pk) for name, pk in ids.items() if pk is not None)
    line.update(_details(arguments))
    if outcome in ("ok", "conflict"):
        line.update(_made(result, line))
        race = arguments.get("race")
        if race is not None and getattr(race, "status", None):
            line["status"] = race.status
    line["outcome"] = outcome
    if reason is not None:
        line["reason"] = reason
    line["ms"] = round(ms, 1)
    logger.log(level, "%s by %s: %s", action, line["who"], outcome, extra={"write": line})


def _who(arguments: dict, default: str) -> str:
    user = arguments.get("user")
    if user is None:
        return _acting.get() or default
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    return user.get_username()


def _details(arguments: dict) -> Iterator[tuple[str, Any]]:
    """What the official said and named, beside the objects: roles, reasons, decisions."""
    for name in ("appointee",):
        if arguments.get(name) is not None:
            yield name, arguments[name].get_username()
    if arguments.get("username"):
        yield "appointee", str(arguments["username"]).strip()
    if arguments.get("role"):
        yield "role", arguments["role"]
    if arguments.get("member") is not None:
        yield "member", getattr(arguments["member"], "code", str(arguments["member"]))
    if arguments.get("season_key"):
        yield "season", arguments["season_key"]
    if arguments.get("decisions"):
        yield "decisions", [f"{d.kind.upper()} {d.helmet}" for d in arguments["decisions"]]
    if isinstance(arguments.get("reason"), str) and arguments["reason"].strip():
        yield "reason_given", arguments["reason"].strip()[:200]
    if arguments.get("paths"):
        paths = [str(p) for p in arguments["paths"]]
        yield (
            "files",
            paths[:MOST_FILES] + ([f"... {len(paths)} in all"] if paths[MOST_FILES:] else []),
        )


def _made(result, already: dict) -> Iterator[tuple[str, Any]]:
    """What the write made: the new revision, draw, session, team, appointment."""
    from django.db.models import Model

    from shorttrack.services.imports import ImportReport

    items = result if isinstance(result, tuple) else (result,)
    for item in items:
        if isinstance(item, ImportReport):
            yield "summary", item.summary()
        elif isinstance(item, list) and item and isinstance(item[0], Model):
            yield _field_name(item[0]) + "_count", len(item)
        elif isinstance(item, Model) and item.pk is not None:
            name = _field_name(item)
            if name not in already:
                yield name, item.pk


def _field_name(instance) -> str:
    name = type(instance).__name__
    known = {"RelayTeam": "relay_team", "CompetitionOfficial": "official"}
    if name in known:
        return known[name]
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


# -- which competition ----------------------------------------------------------------------


def _competition(arguments: dict, result) -> tuple[int, str] | None:
    """(id, name) of the competition written to, from the arguments' loaded relations where
    they are, else by one query per race, round or distance race, remembered."""
    competition = arguments.get("competition")
    if competition is not None:
        if competition.pk is None:
            return None
        if type(competition)._meta.get_field("season").is_cached(competition):
            return competition.pk, competition.name
        return _competition_by("pk", competition.pk)
    for argument in SUBJECTS:
        found = _through(arguments.get(argument))
        if found is not None:
            return found
    return None


def _through(instance) -> tuple[int, str] | None:
    """The competition of a race, distance race, entry, team, session or broadcaster."""
    if instance is None:
        return None
    name = type(instance).__name__
    if name == "Race":
        return _competition_by("distance_races__rounds", instance.round_id)
    if name in ("Entry", "RelayTeam"):
        return _competition_by("distance_races", instance.distance_race_id)
    if name in ("DistanceRace", "Session", "Broadcaster"):
        if instance.competition_id is None:
            return None
        return _competition_by("pk", instance.competition_id)
    return None


@functools.lru_cache(maxsize=4096)
def _competition_by(lookup: str, value: int) -> tuple[int, str] | None:
    """A race never changes competition, so the answer is kept (a renamed city shows in
    the log when the process starts again)."""
    from shorttrack.store.models import Competition

    found = Competition.objects.select_related("season").filter(**{lookup: value}).first()
    return (found.pk, found.name) if found is not None else None


# -- conflicts ------------------------------------------------------------------------------


@functools.cache
def _connect_conflicts() -> None:
    """Hear of every conflict a correction notes (``race_status.note`` of kind "conflict")."""
    from django.db.models.signals import post_save

    from shorttrack.store.models import RaceEvent

    post_save.connect(_conflict_noted, sender=RaceEvent, dispatch_uid="shorttrack.writes")


def _conflict_noted(sender, instance, created, **kwargs) -> None:
    state = _current.get()
    if state is not None and created and instance.kind == "conflict":
        state.conflicts.append(instance.reason)


# -- the format -----------------------------------------------------------------------------


class JsonLines(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, then a write's fields, or the
    message of any other record (with a request's status code, method and path, and the
    traceback of an exception)."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, Any] = {
            "time": moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
            "level": record.levelname,
            "logger": record.name,
        }
        write = getattr(record, "write", None)
        if isinstance(write, dict):
            line.update(write)
        else:
            line["message"] = record.getMessage()
            status = getattr(record, "status_code", None)
            if status is not None:
                line["status_code"] = status
            request = getattr(record, "request", None)
            if request is not None and hasattr(request, "method"):
                line["method"] = request.method
                line["path"] = getattr(request, "path", "")
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)
