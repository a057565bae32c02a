"""The moment services stamp on what they record: now, or a simulated moment.

Every revision, race event, entry and draw records when it was made. At the rink that is
the wall clock. The season simulator runs weekends of the past or the future through the
same services, so it sets the moment each step happens (``at``), and the standings as of
any simulated moment come out as they would have on the day.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_moment: ContextVar[datetime | None] = ContextVar("shorttrack_clock", default=None)


def now() -> datetime:
    """The simulated moment inside ``at``, else the current time."""
    return _moment.get() or timezone.now()


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Services called inside this block record ``moment`` (timezone-aware) as their time."""
    if timezone.is_naive(moment):
        raise ValueError(f"the simulated moment {moment} needs a time zone")
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
