"""One season's rule set, loaded from ``seasons/<yyyy-yy>.toml``.

Every value the rule book marks provisional carries that mark here (``Ruled.provisional``),
so a page that shows a classification computed from it can say so. A new season's
regulation is a new file, never an ``if season >= ...`` in the code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from shorttrack.rules.distances import ALL_DISTANCES, DISTANCES, Distance, Gender
from shorttrack.rules.ranking import RoundKind

SEASONS_DIR = Path(__file__).parent / "seasons"
MARKS = {"C": "confirmed", "D": "derived from published totals", "P": "provisional"}

T = TypeVar("T")


@dataclass(frozen=True)
class Ruled(Generic[T]):
    """A rule value with the mark saying how sure we are of it."""

    value: T
    mark: str = "C"

    @property
    def provisional(self) -> bool:
        return self.mark == "P"


@dataclass(frozen=True)
class CountingRule:
    """Which results count toward a classification.

    ``all``: every result. ``best``: the ``best`` highest-scoring results, taken from at
    most the first ``of_at_most`` races the entrant skated. ``best_per_distance``: the
    ``best`` highest-scoring results of each distance.
    """

    rule: str
    best: int | None = None
    of_at_most: int | None = None

    def describe(self) -> str:
        if self.rule == "all":
            return "all results count"
        if self.rule == "best_per_distance":
            return f"best {self.best} results per distance count"
        limit = f" of at most {self.of_at_most} races" if self.of_at_most else ""
        return f"best {self.best} results{limit} count"


@dataclass(frozen=True)
class ClassificationSpec:
    """One World Cup classification of a season: who is ranked, from which distances, how."""

    key: str  # "W500", "W3000R", "overall-women", "nations"
    kind: str  # "distance" | "overall" | "nations"
    title: str
    gender: Gender | None
    distances: tuple[str, ...]
    entrant: str  # "skater" or "nation"
    counting: Ruled[CountingRule]

    @property
    def relay(self) -> bool:
        return all(ALL_DISTANCES[d].relay for d in self.distances)


@dataclass(frozen=True)
class ProgressionRules:
    """How a season runs its rounds (RULES.md section 2, all provisional until the ISU text
    is known): which progression table plans them, and the choices the table cannot hold.

    - ``table``: a file in ``seasons/`` (see ``rules.progression``).
    - ``dead_heat``: a dead heat for the last place that qualifies by place:
      ``both_advance`` (the next round gets an extra starter) or ``lot``.
    - ``time_tie``: equal times for the last place that qualifies by time: ``both_advance``
      or ``lot``.
    - ``vacancies``: places a race leaves empty (too few skaters finished without a
      penalty): ``fill_by_time`` (the fastest other finishers of the round take them) or
      ``leave_empty``.
    - ``start_positions``: ``lot`` (drawn in every round) or ``seed`` (the best seed of a
      race starts on the inside).
    """

    table: Ruled[str] = Ruled("progression-default.toml", "P")
    dead_heat: Ruled[str] = Ruled("both_advance", "P")
    time_tie: Ruled[str] = Ruled("both_advance", "P")
    vacancies: Ruled[str] = Ruled("fill_by_time", "P")
    start_positions: Ruled[str] = Ruled("lot", "P")

    CHOICES = {
        "dead_heat": ("both_advance", "lot"),
        "time_tie": ("both_advance", "lot"),
        "vacancies": ("fill_by_time", "leave_empty"),
        "start_positions": ("lot", "seed"),
    }

    def __post_init__(self) -> None:
        for name, allowed in self.CHOICES.items():
            value = getattr(self, name).value
            if value not in allowed:
                raise ValueError(
                    f"progression {name} must be {' or '.join(allowed)}, not {value!r}"
                )


@dataclass(frozen=True)
class SeasonRules:
    key: str
    name: str
    series: str
    points: tuple[Ruled[int], ...]
    relay_points: Ruled[str]
    tie_points: Ruled[str]
    final_a_penalty: Ruled[str]
    cards: Ruled[str]
    tie_break: Ruled[str]
    classifications: tuple[ClassificationSpec, ...]
    entries: dict[str, Ruled[int]] = field(default_factory=dict)
    progression: ProgressionRules = field(default_factory=ProgressionRules)
    # The distances the season raced (rule keys, in the file's order) and the rounds it
    # skated: a file without them means today's nine distances and every round.
    distances: tuple[str, ...] = tuple(DISTANCES)
    rounds: tuple[RoundKind, ...] = tuple(RoundKind)

    def races_distance(self, key: str) -> bool:
        return key in self.distances

    def skates_round(self, kind: RoundKind | str) -> bool:
        return RoundKind(kind) in self.rounds

    def season_distances(self) -> list[Distance]:
        """The distances of the season, as ``Distance`` values, in the file's order."""
        return [ALL_DISTANCES[key] for key in self.distances]

    def quota(self, name: str) -> Ruled[int]:
        """An entry quota of the season, such as 'per_member_per_distance'."""
        try:
            return self.entries[name]
        except KeyError:
            known = ", ".join(sorted(self.entries)) or "none"
            raise ValueError(
                f"season {self.key} has no entry quota {name!r}: it has {known}"
            ) from None

    def classification(self, key: str) -> ClassificationSpec:
        for spec in self.classifications:
            if spec.key == key:
                return spec
        known = ", ".join(s.key for s in self.classifications)
        raise ValueError(
            f"season {self.key} has no classification {key!r}: expected one of {known}"
        )

    def points_for(self, rank: int | None) -> int:
        """World Cup points for a final rank; nothing below the table or without a rank."""
        if rank is None or rank < 1 or rank > len(self.points):
            return 0
        return self.points[rank - 1].value

    def points_provisional(self, rank: int | None) -> bool:
        if rank is None or rank < 1 or rank > len(self.points):
            return False
        return self.points[rank - 1].provisional

    def classification_provisional(self, spec: ClassificationSpec) -> bool:
        """True when a value this classification depends on is provisional."""
        marks = [spec.counting, self.tie_points, self.final_a_penalty, self.cards, self.tie_break]
        if spec.relay:
            marks.append(self.relay_points)
        return any(m.provisional for m in marks) or any(p.provisional for p in self.points)


def season_file(key: str) -> Path:
    """'2022/23' -> seasons/2022-23.toml."""
    return SEASONS_DIR / f"{key.replace('/', '-')}.toml"


def known_seasons() -> list[str]:
    """The seasons with a rule set: files named like 2022-23.toml (other files in seasons/
    are tables the seasons refer to)."""
    return sorted(
        p.stem.replace("-", "/")
        for p in SEASONS_DIR.glob("*.toml")
        if re.fullmatch(r"\d{4}-\d{2}", p.stem)
    )


@cache
def season_rules(key: str) -> SeasonRules:
    """The rule set of a season such as '2022/23'; a clear error for an unknown season."""
    path = season_file(key)
    if not path.exists():
        raise ValueError(
            f"unknown season {key!r}: rule sets exist for {', '.join(known_seasons())}"
        )
    return parse_season(_with_base(tomllib.loads(path.read_text()), key))


def _with_base(raw: dict[str, Any], key: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """A season file may say ``extends = "2019/20"``: it is that season's rule set with
    the tables and values this file gives replacing its own (a season known from its
    results only, whose regulation is taken as the nearest one known, marked so)."""
    base_key = raw.pop("extends", None)
    if base_key is None:
        return raw
    if base_key in seen or base_key == key:
        raise ValueError(f"season {key}: 'extends' goes round in a circle through {base_key}")
    path = season_file(base_key)
    if not path.exists():
        raise ValueError(f"season {key} extends {base_key!r}, which has no rule set")
    base = _with_base(tomllib.loads(path.read_text()), base_key, (*seen, key))
    return {**base, **raw}


def _ruled(entry: dict[str, Any], name: str = "rule") -> Ruled:
    return Ruled(entry[name], entry.get("mark", "C"))


def _classifications(
    raw: list[dict[str, Any]], season: list[Distance] | None = None
) -> tuple[ClassificationSpec, ...]:
    """The classifications of the season, one per distance of ``season`` (the season's own
    distances; today's nine when not given) for a ``distance`` entry."""
    season = list(DISTANCES.values()) if season is None else season
    specs: list[ClassificationSpec] = []
    individual = [d for d in season if d.individual]
    for entry in raw:
        c = entry["counting"]
        counting = Ruled(
            CountingRule(c["rule"], c.get("best"), c.get("of_at_most")), c.get("mark", "C")
        )
        kind = entry["kind"]
        if kind == "distance":
            for d in season:
                specs.append(
                    ClassificationSpec(
                        d.key,
                        kind,
                        d.label,
                        d.gender,
                        (d.key,),
                        "nation" if d.relay else "skater",
                        counting,
                    )
                )
        elif kind == "overall":
            for gender in (Gender.WOMEN, Gender.MEN):
                keys = tuple(d.key for d in individual if d.gender is gender)
                specs.append(
                    ClassificationSpec(
                        f"overall-{gender.value}",
                        kind,
                        f"{gender.possessive} {entry.get('title', 'overall')}",
                        gender,
                        keys,
                        "skater",
                        counting,
                    )
                )
        elif kind == "nations":
            with_relays = entry.get("relays", {}).get("value", False)
            keys = tuple(d.key for d in season if with_relays or d.individual)
            specs.append(
                ClassificationSpec(
                    "nations", kind, entry.get("title", "Nations"), None, keys, "nation", counting
                )
            )
        else:
            raise ValueError(f"unknown classification kind {kind!r}")
    return tuple(specs)


def parse_season(raw: dict[str, Any]) -> SeasonRules:
    points = raw["points"]
    distances = _distances(raw)
    rounds = _rounds(raw)
    return SeasonRules(
        key=raw["key"],
        name=raw["name"],
        series=raw.get("series", "World Cup"),
        points=tuple(Ruled(p["points"], p.get("mark", "C")) for p in points["places"]),
        relay_points=_ruled(points["relay"], "table"),
        tie_points=_ruled(points["ties"]),
        final_a_penalty=_ruled(raw["ranking"]["final_a_penalty"]),
        cards=_ruled(raw["ranking"]["cards"]),
        tie_break=_ruled(raw["standings"]["tie_break"]),
        classifications=_classifications(
            raw["classification"], [ALL_DISTANCES[k] for k in distances]
        ),
        entries={k: _ruled(v, "value") for k, v in raw.get("entries", {}).items()},
        progression=_progression(raw.get("progression", {})),
        distances=distances,
        rounds=rounds,
    )


def _distances(raw: dict[str, Any]) -> tuple[str, ...]:
    """``distances = ["W500", ...]``: rule keys, each once; absent: today's nine."""
    if "distances" not in raw:
        return tuple(DISTANCES)
    keys = raw["distances"]
    if not isinstance(keys, list) or not keys:
        raise ValueError('distances must be a list of distance keys, as ["W500", "M500"]')
    for key in keys:
        if key not in ALL_DISTANCES:
            known = ", ".join(ALL_DISTANCES)
            raise ValueError(f"unknown distance {key!r} in distances: expected one of {known}")
    if len(set(keys)) != len(keys):
        raise ValueError("distances names a distance twice")
    return tuple(keys)


def _rounds(raw: dict[str, Any]) -> tuple[RoundKind, ...]:
    """``rounds = ["heats", ...]``: RoundKind values, in the file's order; absent: every
    round."""
    if "rounds" not in raw:
        return tuple(RoundKind)
    names = raw["rounds"]
    if not isinstance(names, list) or not names:
        raise ValueError('rounds must be a list of round kinds, as ["heats", "final_a"]')
    kinds = []
    for name in names:
        try:
            kinds.append(RoundKind(name))
        except ValueError:
            known = ", ".join(k.value for k in RoundKind)
            raise ValueError(f"unknown round {name!r} in rounds: expected one of {known}") from None
    if len(set(kinds)) != len(kinds):
        raise ValueError("rounds names a round twice")
    return tuple(kinds)


def _progression(raw: dict[str, Any]) -> ProgressionRules:
    names = {"table", *ProgressionRules.CHOICES}
    unknown = set(raw) - names
    if unknown:
        raise ValueError(
            f"unknown [progression] key {sorted(unknown)[0]!r}: expected {', '.join(sorted(names))}"
        )
    for key, value in raw.items():
        if not isinstance(value, dict) or "value" not in value:
            raise ValueError(f'[progression] {key} must be written {{ value = ..., mark = "P" }}')
    return ProgressionRules(**{k: _ruled(v, "value") for k, v in raw.items()})
