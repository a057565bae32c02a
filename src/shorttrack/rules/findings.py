"""All the facts of a set of races (a session, a competition): every finder, one pass.

``rules.facts`` finds what a race's ranking and the history before it make true,
``rules.bests`` the records beaten in its rounds, ``rules.leaders`` its standings effects.
The standings trails those need are computed once per classification for the whole set.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from shorttrack.rules.bests import record_facts
from shorttrack.rules.facts import Fact, History, race_facts
from shorttrack.rules.leaders import Trail, classifications_of, clinch_facts, standings_facts, trail


def trails_for(
    history: History, race_ids: Iterable[int], until: datetime | None = None
) -> dict[str, dict[str, Trail]]:
    """season -> classification key -> its trail, for the classifications of these races."""
    trails: dict[str, dict[str, Trail]] = {}
    for race_id in race_ids:
        race = history.race(race_id)
        rules = history.rules[race.season]
        own = trails.setdefault(race.season, {})
        for spec in classifications_of(rules, race.distance):
            if spec.key not in own:
                own[spec.key] = trail(rules, spec, history.revisions.get(race.season, ()), until)
    return trails


def find_facts(
    history: History,
    race_ids: Iterable[int],
    until: datetime | None = None,
    *,
    standing: bool = True,
) -> list[Fact]:
    """Every fact of these races, in the order the races became official; without
    ``standing``, none of the medallists' standing after a race (what no summary tells)."""
    ids = sorted(
        (r for r in set(race_ids) if history.race(r).official_at is not None),
        key=lambda r: history.race(r).order,
    )
    # A race's standings effects need the trail up to its own moment only: the standings
    # after the last of these races are of no fact of theirs.
    last = max((history.race(r).official_at for r in ids), default=until)
    trails = trails_for(history, ids, min(until, last) if until else last)
    records: dict[int, list[Fact]] = {}
    for fact in record_facts(history, ids):
        records.setdefault(fact.race, []).append(fact)
    facts: list[Fact] = []
    for race_id in ids:
        race = history.race(race_id)
        season_trails = trails.get(race.season, {})
        facts += race_facts(history, race_id)
        facts += records.get(race_id, [])
        facts += standings_facts(history, race, season_trails, standing)
        facts += clinch_facts(history, race, season_trails)
    return facts
