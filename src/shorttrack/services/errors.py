"""Why a service refused to act: bad input (``Invalid``), the wrong person
(``NotPermitted``), a write based on a state that is no longer current (``Conflict``), or
a save that would take away a time, a place or laps without saying so (``Removal``).

Both are raised before anything is written, so a refused call leaves the store as it was.
``Invalid`` is a Django ``ValidationError`` keyed by field, so a form can show each reason
beside its field; ``NotPermitted`` is a Django ``PermissionDenied``, which a view turns
into a 403 page without further code.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError


class Invalid(ValidationError):
    """The input was refused; ``problems`` lists every (field, reason) found."""

    def __init__(self, field: str, reason: str, *, more: Iterable[tuple[str, str]] = ()):
        self.problems: tuple[tuple[str, str], ...] = ((field, reason), *more)
        by_field: dict[str, list[str]] = {}
        for name, text in self.problems:
            by_field.setdefault(name, []).append(text)
        super().__init__(by_field)

    @classmethod
    def of(cls, problems: Iterable[tuple[str, str]]) -> Invalid:
        """All the problems found, at least one."""
        (field, reason), *rest = problems
        return cls(field, reason, more=rest)

    @property
    def reasons(self) -> list[str]:
        """Every problem as 'field: reason', in the order found."""
        return [f"{name}: {text}" for name, text in self.problems]

    def __str__(self) -> str:
        return "; ".join(self.reasons)


class Conflict(Invalid):
    """The write was based on an older version of what it changes: someone changed it
    since. ``changes`` says what changed, who changed it and when, one text each, oldest
    first; ``current`` is the version to start again from; ``read`` when the writer read
    what it based the write on (a form opened, an import checked). Nothing was written.

    A kind of ``Invalid`` (on the field ``based_on``), so a caller that knows only
    refusals still refuses, and the write log counts it as one.
    """

    def __init__(
        self,
        subject: str,
        changes: Iterable[str],
        current: int,
        *,
        read: str = "this form was opened",
    ):
        self.subject = subject
        self.changes: tuple[str, ...] = tuple(changes)
        self.current = current
        since = "; ".join(self.changes) or "its version is not the one the form was made from"
        super().__init__(
            "based_on",
            f"{subject} changed since {read} ({since}); nothing was saved: "
            "start again from it as it is now",
        )


class Removal(Invalid):
    """The save would take away what the current revision holds: ``removed`` says each
    time, place or lap it would take ('helmet 7: time 43.100 removed'). Saved only when
    the official confirms each of them is on purpose and gives a reason; nothing was
    written. A kind of ``Invalid`` (on the field ``lines``)."""

    def __init__(self, subject: str, removed: Iterable[str]):
        self.subject = subject
        self.removed: tuple[str, ...] = tuple(removed)
        super().__init__(
            "lines",
            f"this save removes what the current result of {subject} holds ("
            + "; ".join(self.removed)
            + "): confirm that it is on purpose and give a reason, or put them back",
        )


class Checks:
    """Problems found while validating one input; ``done`` refuses the input if any."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def add(self, field: str, reason: str) -> None:
        self.problems.append((field, reason))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def done(self) -> None:
        if self.problems:
            raise Invalid.of(self.problems)


class NotPermitted(PermissionDenied):
    """The acting user may not do this here; the message says which role it takes."""
