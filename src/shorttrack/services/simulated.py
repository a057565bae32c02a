"""Labelling what the simulator made: a simulated season and its fictional skaters.

Simulated data shows wherever it appears as such (``Season.simulated``,
``Skater.fictional``); this is the one place that sets those marks.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from shorttrack.services.errors import Invalid
from shorttrack.services.write_log import logged_write
from shorttrack.store.models import Season, Skater


@logged_write(who="simulator")
def label_simulated(season_key: str, skater_keys: Sequence[str]) -> None:
    """Mark the season simulated and its skaters fictional, all or nothing."""
    with transaction.atomic():
        season = Season.objects.filter(key=season_key).first()
        if season is None:
            raise Invalid("season", f"no season {season_key!r} to label as simulated")
        found = Skater.objects.filter(key__in=skater_keys)
        if found.count() != len(set(skater_keys)):
            missing = set(skater_keys) - set(found.values_list("key", flat=True))
            raise Invalid("skaters", f"{len(missing)} skaters to label are not in the database")
        season.simulated = True
        season.save(update_fields=["simulated"])
        found.update(fictional=True)
