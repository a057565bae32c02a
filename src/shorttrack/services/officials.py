"""Officials of a competition and what each role may do there.

Three roles, held per competition (``CompetitionOfficial``): the organiser sets the
competition up, takes entries and makes the draws; the results officer enters race
results; the referee decides (PEN, YC, RC, ADV), makes results official, corrects them
and orders reruns. Every writing service calls ``require_role`` first, so a user without
the role, or signed in for another competition, is refused before anything is read or
written. The series administrator (a Django superuser) appoints the first organiser.
"""

from __future__ import annotations

from django.db import transaction

from shorttrack.services import clock
from shorttrack.services.errors import Invalid, NotPermitted
from shorttrack.services.write_log import logged_write
from shorttrack.store.compiled import Compiled
from shorttrack.store.models import OFFICIAL_ROLES, Competition, CompetitionOfficial

ORGANISER = "organiser"
RESULTS_OFFICER = "results_officer"
REFEREE = "referee"
ROLE_NAMES = dict(OFFICIAL_ROLES)


def signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def roles_at(user, competition: Competition) -> set[str]:
    """The roles this user holds at the competition (none for an anonymous user)."""
    if not signed_in(user):
        return set()
    return set(_ROLES.rows(competition=competition.pk, user=user.pk))


# Read at every write by an official: compiled once (store/compiled.py).
_ROLES = Compiled(
    lambda competition, user: CompetitionOfficial.objects.filter(
        competition_id=competition, user_id=user
    ).values_list("role", flat=True)
)


def require_role(user, competition: Competition, *roles: str, action: str) -> None:
    """Refuse unless the user holds one of ``roles`` at this competition.

    ``action`` completes the sentence 'only a referee of <competition> may ...'.
    """
    wanted = " or ".join(_with_article(ROLE_NAMES[r]) for r in roles)
    if not signed_in(user):
        raise NotPermitted(f"sign in as {wanted} of {competition.name} to {action}")
    held = roles_at(user, competition)
    if held & set(roles):
        return
    if held:
        has = ", ".join(ROLE_NAMES[r] for r in sorted(held))
        raise NotPermitted(
            f"only {wanted} of {competition.name} may {action}; {user.get_username()} is {has} there"
        )
    raise NotPermitted(
        f"only {wanted} of {competition.name} may {action}; "
        f"{user.get_username()} holds no role at this competition"
    )


def _with_article(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


@logged_write
def appoint(user, competition: Competition, appointee, role: str) -> CompetitionOfficial:
    """Give ``appointee`` a role at the competition. The organiser appoints the officials;
    the series administrator (superuser) appoints anyone, the first organiser included."""
    if not (signed_in(user) and user.is_superuser):
        require_role(user, competition, ORGANISER, action="appoint officials")
    if role not in ROLE_NAMES:
        raise Invalid("role", f"unknown role {role!r}: expected one of {', '.join(ROLE_NAMES)}")
    if not signed_in(appointee) or not appointee.is_active:
        raise Invalid("user", "only an active user account can be appointed")
    if CompetitionOfficial.objects.filter(
        competition=competition, user=appointee, role=role
    ).exists():
        raise Invalid(
            "role",
            f"{appointee.get_username()} is already {ROLE_NAMES[role]} of {competition.name}",
        )
    with transaction.atomic():
        return CompetitionOfficial.objects.create(
            competition=competition,
            user=appointee,
            role=role,
            appointed_at=clock.now(),
            appointed_by=user,
        )
