"""Whether a competition is upcoming, live or finished, by what has been skated in it.

A competition is finished when every one of its distances has its final ranking (an
imported season of podiums holds rankings without a single race sheet: finished too);
live once a race has started or a distance is ranked; upcoming before then, whatever
its dates say: a competition set up and drawn but not raced is not finished because its
last day has passed. The day at the venue only bounds this when a page looks back at
an earlier day: nothing is skated before the first day, and the rankings of the last
day are not all known before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

UPCOMING = "upcoming"
LIVE = "live"
FINISHED = "finished"


@dataclass(frozen=True)
class Progress:
    """What has been skated in a competition: its distances, how many of them have an
    official final ranking, and whether any of its races has started."""

    distances: int
    ranked: int
    race_started: bool


def competition_status(progress: Progress, today: date, first_day: date, last_day: date) -> str:
    """'upcoming', 'live' or 'finished' on ``today`` (the date at the venue)."""
    if today < first_day:
        return UPCOMING
    all_ranked = progress.distances > 0 and progress.ranked >= progress.distances
    imported = progress.ranked > 0 and not progress.race_started
    if (all_ranked or imported) and today >= last_day:
        return FINISHED
    if progress.race_started or progress.ranked:
        return LIVE
    return UPCOMING
