"""Best times beaten in any round: world records, track records, season bests, personal bests.

The result sheets of a competition are walked in the order their races became official.
Each race's fastest finisher is compared with the best time standing just before that race:

- world record: the record from ``world_records.toml`` when it was set in an earlier year
  than the race (a record from the same or a later year says nothing about the record
  standing then), or a faster time held in the results since;
- track record: the fastest time at the venue in the results held; a claim needs an
  earlier time there;
- season best: the fastest time of the season at the distance, once one was skated before;
- personal best: a skater's own fastest time at the distance, once they had one.

Only finishers count (a penalised skater's time is no record). One fact per kind, skater
and distance race: their fastest record-beating time there, with the mark standing just
before the race it was skated in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shorttrack.rules.facts import Fact, History, Mark, Proof, SheetLine

RARITY = {"world_record": 10.0, "track_record": 5.0, "season_best": 2.5, "personal_best": 1.5}


@dataclass
class _Standing:
    """The marks standing while the sheets are walked."""

    world: dict
    track: dict
    personal: dict
    season: dict


def record_facts(history: History, race_ids: Iterable[int]) -> list[Fact]:
    """Records beaten in the races of these distance races, found in ``history.sheets``
    (which also holds the other races of the same distances skated in between)."""
    wanted = set(race_ids)
    standing = _Standing(
        dict(history.bests.world),
        dict(history.bests.track),
        dict(history.bests.personal),
        dict(history.bests.season),
    )
    by_race: dict[tuple, list[SheetLine]] = {}
    for lines in history.sheets.values():
        for line in lines:
            if line.status == "finished" and line.time_ms:
                key = (line.official_at, line.race, line.round, line.race_no)
                by_race.setdefault(key, []).append(line)
    found: dict[tuple[str, str, int], Fact] = {}
    for key in sorted(by_race):
        lines = sorted(by_race[key], key=lambda s: (s.time_ms, s.line))
        race = history.race(key[1])
        emit = race.id in wanted
        fastest = lines[0]
        for kind, table, mark_key in (
            ("world_record", standing.world, race.distance),
            ("track_record", standing.track, (race.distance, race.venue or race.city)),
            ("season_best", standing.season, race.distance),
        ):
            previous = table.get(mark_key)
            official = None
            if kind == "world_record":
                official = history.world_records.get(race.distance)
                if official is None or official.year >= fastest.official_at.year:
                    # The record standing then is unknown: no claim, but keep the best held.
                    _keep_faster(table, mark_key, fastest)
                    continue
                if previous is None or official.time_ms <= previous.time_ms:
                    previous = None
                    beaten_ms = official.time_ms
                else:
                    beaten_ms = previous.time_ms
            else:
                if previous is None:
                    table[mark_key] = _mark(fastest)
                    continue
                beaten_ms = previous.time_ms
            if fastest.time_ms < beaten_ms:
                if emit:
                    _found(found, kind, fastest, beaten_ms, previous, official)
                table[mark_key] = _mark(fastest)
        for line in lines:
            if not line.skater:
                continue
            mark_key = (race.distance, line.entrant)
            previous = standing.personal.get(mark_key)
            if previous is None:
                standing.personal[mark_key] = _mark(line)
            elif line.time_ms < previous.time_ms:
                if emit:
                    _found(found, "personal_best", line, previous.time_ms, previous, None)
                standing.personal[mark_key] = _mark(line)
    return list(found.values())


def _mark(line: SheetLine) -> Mark:
    return Mark(line.time_ms, line.line, line.entrant, line.race)


def _keep_faster(table: dict, key, line: SheetLine) -> None:
    if key not in table or line.time_ms < table[key].time_ms:
        table[key] = _mark(line)


def _found(found: dict, kind: str, line: SheetLine, beaten_ms: int, previous, official) -> None:
    values = {
        "time_ms": line.time_ms,
        "previous_ms": beaten_ms,
        "round": line.round,
        "race_no": line.race_no,
    }
    proof = [Proof("race_result_line", line.line)]
    if previous is not None:
        values |= {"previous_entrant": previous.entrant, "previous_race": previous.race}
        proof.append(Proof("race_result_line", previous.line))
    elif official is not None:
        values |= {"previous_holder": official.holder, "previous_year": official.year}
    # A faster improvement later in the same distance race replaces the earlier one.
    found[(kind, line.entrant, line.race)] = Fact(
        kind, line.race, line.entrant, values, tuple(proof), RARITY[kind], line.official_at
    )
