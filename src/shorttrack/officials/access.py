"""Who may open which page of the officials' console.

Every console page belongs to one competition and names the roles that may use it there.
Nobody signed in is sent to the sign-in page (a form posted without signing in changes
nothing); a signed-in user without one of those roles at that competition gets 403,
whatever roles they hold elsewhere. The services check the role again before writing:
the console only decides what to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404

from shorttrack.rules.race_lifecycle import RaceAction, Role, allowed_actions
from shorttrack.services.officials import ROLE_NAMES, require_role, roles_at
from shorttrack.store.models import Competition, DistanceRace, Race

EVERY_ROLE = tuple(ROLE_NAMES)


@dataclass(frozen=True)
class Official:
    """The signed-in user at one competition: the roles they hold there."""

    user: object
    competition: Competition
    roles: frozenset[str]

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def organiser(self) -> bool:
        return "organiser" in self.roles

    @property
    def role_names(self) -> list[str]:
        return [ROLE_NAMES[r] for r in EVERY_ROLE if r in self.roles]

    def actions(self, race: Race) -> set[RaceAction]:
        """What this official may do to the race as it stands: the console's buttons."""
        return {
            action for role in self.roles for action in allowed_actions(race.status, Role(role))
        }


def official_page(*roles: str, of: Callable[..., Competition], doing: str):
    """A console view for ``roles`` at the competition ``of(**kwargs)`` finds; the view
    is called with ``official`` (an ``Official``) added. ``doing`` ends the 403 message
    ('only an organiser of ... may <doing>')."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, **kwargs):
            # Nobody signed in learns nothing, not even whether the page exists.
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            competition = of(**kwargs)
            require_role(request.user, competition, *roles, action=doing)
            official = Official(
                request.user, competition, frozenset(roles_at(request.user, competition))
            )
            return view(request, official=official, **kwargs)

        return wrapper

    return decorate


def lookup(model, kwarg: str, to_competition: str = "") -> Callable[..., Competition]:
    """How a page's URL leads to its competition: the ``model`` row named by the URL's
    ``kwarg``, then the path of relations to its competition ("round__distance_race__
    competition"); no path for a competition itself."""
    related = f"{to_competition}__season" if to_competition else "season"

    def find(**kwargs) -> Competition:
        row = get_object_or_404(model.objects.select_related(related), pk=kwargs[kwarg])
        for name in filter(None, to_competition.split("__")):
            row = getattr(row, name)
        return row

    return find


competition_of = lookup(Competition, "competition_id")
competition_of_distance = lookup(DistanceRace, "distance_race_id", "competition")
competition_of_race = lookup(Race, "race_id", "round__distance_race__competition")
