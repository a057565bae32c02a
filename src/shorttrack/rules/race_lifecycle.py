"""The life of one race, as a state machine: events in, the next status out.

    scheduled --start--> started --enter_results--> unofficial --review--> under_review
                                                        |                      |
                                                        +----make_official-----+--> official
    started / unofficial / under_review --rerun--> scheduled (results discarded, a revision)
    official --correct--> official (a new revision with a reason)

The results officer starts races and enters finish order, times, DNF and DNS; the referee
enters decisions (PEN with the infringement, YC, RC, ADV), takes a race under review, makes
it official, orders a rerun and corrects an official race. Only an official race is public.
What follows a move (advancement, rankings, live pages) is for the services: a ``Move`` says
whether the results were discarded or changed as a new revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RaceStatus(StrEnum):
    SCHEDULED = "scheduled"
    STARTED = "started"
    UNOFFICIAL = "unofficial"
    UNDER_REVIEW = "under_review"
    OFFICIAL = "official"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def public(self) -> bool:
        """Nothing unofficial is public."""
        return self is RaceStatus.OFFICIAL


class Role(StrEnum):
    """An official's role at one competition."""

    ORGANISER = "organiser"
    RESULTS_OFFICER = "results_officer"
    REFEREE = "referee"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class RaceAction(StrEnum):
    START = "start"
    ENTER_RESULTS = "enter_results"  # finish order, times, DNF, DNS
    REVIEW = "review"
    DECIDE = "decide"  # PEN (with the infringement), YC, RC, ADV
    MAKE_OFFICIAL = "make_official"
    RERUN = "rerun"
    CORRECT = "correct"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    RaceAction.START: "starting the race",
    RaceAction.ENTER_RESULTS: "entering results",
    RaceAction.REVIEW: "taking the race under review",
    RaceAction.DECIDE: "a referee decision (PEN, YC, RC, ADV)",
    RaceAction.MAKE_OFFICIAL: "making the race official",
    RaceAction.RERUN: "a rerun",
    RaceAction.CORRECT: "a correction",
}


class RaceStatusError(ValueError):
    """A move the race's status or the official's role does not allow, with the reason."""


@dataclass(frozen=True)
class Transition:
    action: RaceAction
    sources: frozenset[RaceStatus]
    target: RaceStatus | None  # None: the status stays what it was
    roles: frozenset[Role]
    needs_reason: bool = False
    discards_results: bool = False  # the results so far are set aside (kept as a revision)
    new_revision: bool = False  # the results change as a new revision


S, R = RaceStatus, Role
TRANSITIONS: dict[RaceAction, Transition] = {
    t.action: t
    for t in (
        Transition(
            RaceAction.START,
            frozenset({S.SCHEDULED}),
            S.STARTED,
            frozenset({R.RESULTS_OFFICER, R.REFEREE}),
        ),
        Transition(
            RaceAction.ENTER_RESULTS,
            frozenset({S.STARTED, S.UNOFFICIAL, S.UNDER_REVIEW}),
            None,
            frozenset({R.RESULTS_OFFICER}),
            new_revision=True,
        ),
        Transition(
            RaceAction.REVIEW, frozenset({S.UNOFFICIAL}), S.UNDER_REVIEW, frozenset({R.REFEREE})
        ),
        Transition(
            RaceAction.DECIDE,
            frozenset({S.UNOFFICIAL, S.UNDER_REVIEW}),
            S.UNDER_REVIEW,
            frozenset({R.REFEREE}),
            new_revision=True,
        ),
        Transition(
            RaceAction.MAKE_OFFICIAL,
            frozenset({S.UNOFFICIAL, S.UNDER_REVIEW}),
            S.OFFICIAL,
            frozenset({R.REFEREE}),
        ),
        Transition(
            RaceAction.RERUN,
            frozenset({S.STARTED, S.UNOFFICIAL, S.UNDER_REVIEW}),
            S.SCHEDULED,
            frozenset({R.REFEREE}),
            needs_reason=True,
            discards_results=True,
        ),
        Transition(
            RaceAction.CORRECT,
            frozenset({S.OFFICIAL}),
            None,
            frozenset({R.REFEREE}),
            needs_reason=True,
            new_revision=True,
        ),
    )
}
del S, R


@dataclass(frozen=True)
class Move:
    """One accepted move of a race, for the service to record (a ``RaceEvent``)."""

    action: RaceAction
    before: RaceStatus
    after: RaceStatus
    role: Role
    reason: str = ""
    discards_results: bool = False
    new_revision: bool = False


def target_of(status: RaceStatus, action: RaceAction) -> RaceStatus:
    """The status after ``action``; entering results on a started race makes it unofficial."""
    transition = TRANSITIONS[action]
    if action is RaceAction.ENTER_RESULTS and status is RaceStatus.STARTED:
        return RaceStatus.UNOFFICIAL
    return transition.target or status


def move(
    status: RaceStatus | str, action: RaceAction | str, role: Role | str, reason: str = ""
) -> Move:
    """The move ``role`` asks for, or a ``RaceStatusError`` saying why it is refused."""
    status, action, role = RaceStatus(status), RaceAction(action), Role(role)
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        if status is RaceStatus.OFFICIAL:
            raise RaceStatusError("race is official: a change needs a correction with a reason")
        allowed = ", ".join(a.label for a in allowed_actions(status)) or "nothing"
        raise RaceStatusError(
            f"{action.label} is not possible: the race is {status.label} (possible now: {allowed})"
        )
    if role not in transition.roles:
        who = " or the ".join(r.label for r in sorted(transition.roles))
        raise RaceStatusError(f"{action.label} is for the {who}, not the {role.label}")
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise RaceStatusError(f"{action.label} needs a reason")
    return Move(
        action,
        status,
        target_of(status, action),
        role,
        reason,
        transition.discards_results,
        transition.new_revision,
    )


def allowed_actions(
    status: RaceStatus | str, role: Role | str | None = None
) -> tuple[RaceAction, ...]:
    """What may be done to a race in this status (by this role), for the console's buttons."""
    status = RaceStatus(status)
    return tuple(
        t.action
        for t in TRANSITIONS.values()
        if status in t.sources and (role is None or Role(role) in t.roles)
    )
