"""A race's name as the sheets, the console and the history print it: "Men's 1000m Heat 3",
"Women's 500m Final A".

One definition read by the services (their refusals name the race) and the queries (the
history names the rows it checks); both sit above the store and may use it.
"""

from __future__ import annotations

from shorttrack.rules.ranking import RoundKind
from shorttrack.store.models import Race


def race_name(race: Race) -> str:
    """ "Men's 1000m Heat 3", "Women's 500m Final A"."""
    kind = RoundKind(race.round.kind)
    title = race.round.distance_race.title
    if kind.final:
        return f"{title} {kind.label}"
    return f"{title} {kind.singular} {race.number}"
