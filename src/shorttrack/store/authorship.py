"""Who a change of the calendar, the skaters, the entries or the officials is made by, for
their history tables (django-simple-history's ``Historical...`` models, store.models).

The services are the only writers, and each write passes one boundary
(services/write_log.py), which says here for whom it writes (``writing_for``); the history
tables read it (``history_user``) when a row is saved. A change made with no official
behind it (an import, the simulator, the server's command line) is recorded with no user;
the history row still says when and what.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_writing_for: ContextVar[object | None] = ContextVar("shorttrack_writing_for", default=None)


@contextmanager
def writing_for(user) -> Iterator[None]:
    """The rows saved inside this block are changed by ``user`` (a User, or None)."""
    token = _writing_for.set(user if getattr(user, "pk", None) else None)
    try:
        yield
    finally:
        _writing_for.reset(token)


def history_user(instance=None, request=None, **kwargs):
    """django-simple-history's ``get_user``: the official of the write under way."""
    return _writing_for.get()


def changed_by():
    """The official the write under way is made for, or None."""
    return _writing_for.get()
