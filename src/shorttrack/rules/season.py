"""One season's rule set, loaded from ``seasons/<yyyy-yy>.toml``.

Every value the rule book marks provisional carries that mark here (``Ruled.provisional``),
so a page that shows a classification computed from it can say so. A new season's
regulation is a new file, never an ``if season >= ...`` in the code.

A file is checked whole when it loads (``parse_season``): an unknown key, a value of the
wrong shape or a rule value the code does not apply (``RULE_CHOICES``) is refused with the
file, the key and the reason, so no value is read and then silently not applied.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from shorttrack.rules.distances import ALL_DISTANCES, DISTANCES, Distance, Gender
from shorttrack.rules.press_names import KOREAN_GIVEN
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
    # How Korean given names print ("Ji Won" or as stored): ``[names] korean_given``.
    korean_given: Ruled[str] = Ruled("as_stored", "P")

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
        """World Cup points for a final rank; nothing below the table or without a rank.
        Entrants tied on a rank hold that (better) rank, so each gets its points: the
        ``ties`` rule ``better_place``, the only one a season file may name; relays score
        the same table (``relay`` rule ``individual``)."""
        if rank is None or rank < 1 or rank > len(self.points):
            return 0
        return self.points[rank - 1].value

    def points_provisional(
        self, rank: int | None, *, relay: bool = False, dead_heat: bool = False
    ) -> bool:
        """True when the points of a rank rest on a provisional value: its place in the
        points table, the rule that relays score that table (``relay``: a relay's rank), or
        the rule for tied ranks (``dead_heat``: another entrant holds the same rank)."""
        if rank is None or rank < 1 or rank > len(self.points):
            return False
        return (
            self.points[rank - 1].provisional
            or (relay and self.relay_points.provisional)
            or (dead_heat and self.tie_points.provisional)
        )

    def classification_provisional(self, spec: ClassificationSpec) -> bool:
        """True when a value this classification depends on is provisional."""
        marks = [spec.counting, self.tie_points, self.final_a_penalty, self.cards, self.tie_break]
        if spec.relay:
            marks.append(self.relay_points)
        return any(m.provisional for m in marks) or any(p.provisional for p in self.points)


def shared_ranks(ranks: Iterable[int | None]) -> set[int]:
    """The ranks of one distance race that more than one entrant holds (a dead heat): their
    points follow the season's ``ties`` rule (``SeasonRules.points_provisional``)."""
    seen: set[int] = set()
    shared: set[int] = set()
    for rank in ranks:
        if rank is not None:
            (shared if rank in seen else seen).add(rank)
    return shared


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


class SeasonFileError(ValueError):
    """A season file with a key or value that cannot be applied: the message names the file,
    the key and the reason ("2022-23.toml: [points] ties: ...")."""

    def __init__(self, source: str, key: str, reason: str):
        super().__init__(f"{source}: {key}: {reason}")
        self.source, self.key, self.reason = source, key, reason


# The rule values the code applies, each with what it means. A season file naming any other
# value is refused when it loads: a rule the code does not implement would otherwise be
# read and silently not applied. ``rules.ranking.final_ranking`` applies final_a_penalty
# and cards, ``rules.standings`` the tie-break, ``points_for`` the tie and relay rules.
RULE_CHOICES: dict[tuple[str, str], dict[str, str]] = {
    ("points", "ties"): {
        "better_place": "entrants tied on a rank each get the points of that (better) rank",
    },
    ("points", "relay"): {
        "individual": "relays and the mixed relay score the individual points table",
    },
    ("ranking", "final_a_penalty"): {
        "after_final_b": "a skater penalised in Final A is ranked after the Final B skaters",
        "last_of_final": "a skater penalised in Final A is ranked last of Final A",
    },
    ("ranking", "cards"): {
        "not_ranked": "a yellow or red card in any race of the distance: not ranked, no points",
    },
    ("standings", "tie_break"): {
        "none": "equal points share a rank",
        "countback": "equal points: more wins first, then more second places, and so on",
    },
    # How the season prints names (rules.press_names.given_name applies it).
    ("names", "korean_given"): dict(KOREAN_GIVEN),
}
# The field that holds each rule's value: ``relay = { table = "individual" }``.
RULE_FIELDS = {("points", "relay"): "table"}
COUNTING_RULES = ("all", "best", "best_per_distance")
# The entry quotas the services apply (services.entries).
QUOTAS = {
    "per_member_per_distance": "start places per ISU Member in an individual distance",
    "host_extra": "extra start places for the host ISU Member",
    "relay_teams_per_member": "relay teams per ISU Member in a relay",
    "races_per_skater": "individual races a skater may skate in the season",
}
SECTIONS = {
    "points": ("places", "relay", "ties"),
    "ranking": ("final_a_penalty", "cards"),
    "standings": ("tie_break",),
}
TOP_LEVEL = (
    "key",
    "name",
    "series",
    "distances",
    "rounds",
    *SECTIONS,
    "classification",
    "entries",
    "progression",
    "names",
)
# Optional sections: each key has a default (``SeasonRules``) when the file leaves it out.
OPTIONAL_SECTIONS = {"names": ("korean_given",)}


@cache
def season_rules(key: str) -> SeasonRules:
    """The rule set of a season such as '2022/23'; a clear error for an unknown season or a
    season file with a key or value that cannot be applied."""
    path = season_file(key)
    if not path.exists():
        raise ValueError(
            f"unknown season {key!r}: rule sets exist for {', '.join(known_seasons())}"
        )
    rules = parse_season(_with_base(_read(path), key), source=path.name)
    if rules.key != key:
        raise SeasonFileError(path.name, "key", f"{rules.key!r} in the file of season {key}")
    return rules


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path.name} is not valid TOML: {error}") from None


def _with_base(raw: dict[str, Any], key: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """A season file may say ``extends = "2019/20"``: it is that season's rule set with
    the tables and values this file gives replacing its own (a season known from its
    results only, whose regulation is taken as the nearest one known, marked so). The
    season extended is checked on its own first, so a mistake in it names its file."""
    base_key = raw.pop("extends", None)
    if base_key is None:
        return raw
    if not isinstance(base_key, str):
        raise SeasonFileError(
            season_file(key).name, "extends", f'must name a season, as "2019/20", not {base_key!r}'
        )
    if base_key in seen or base_key == key:
        raise ValueError(f"season {key}: 'extends' goes round in a circle through {base_key}")
    path = season_file(base_key)
    if not path.exists():
        raise ValueError(f"season {key} extends {base_key!r}, which has no rule set")
    base = _with_base(_read(path), base_key, (*seen, key))
    parse_season(base, source=path.name)
    return {**base, **raw}


def _ruled(entry: dict[str, Any], name: str = "rule") -> Ruled:
    return Ruled(entry[name], entry.get("mark", "C"))


class _Checker:
    """Checks the keys and values of one season file, naming the file and the key of the
    first mistake."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, reason: str) -> SeasonFileError:
        return SeasonFileError(self.source, key, reason)

    def keys(self, where: str, table: Any, allowed: Iterable[str], required=()) -> None:
        """A table with only ``allowed`` keys and every ``required`` one."""
        allowed = tuple(allowed)
        if not isinstance(table, dict):
            raise self.fail(where, f"must be a table of {', '.join(allowed)}")
        for name in table:
            if name not in allowed:
                raise self.fail(
                    f"{where} {name}".strip(),
                    f"unknown key: expected {', '.join(allowed)}",
                )
        for name in required:
            if name not in table:
                raise self.fail(f"{where} {name}".strip(), "missing")

    def ruled(self, where: str, entry: Any, field: str, extra: tuple[str, ...] = ()) -> None:
        """``{ <field> = ..., mark = "P" }`` (and the ``extra`` keys a counting rule has)."""
        if not isinstance(entry, dict) or field not in entry:
            raise self.fail(where, f'must be written {{ {field} = ..., mark = "P" }}')
        self.keys(where, entry, (field, *extra, "mark"))
        self.mark(where, entry)

    def mark(self, where: str, entry: dict[str, Any]) -> None:
        mark = entry.get("mark", "C")
        if mark not in MARKS:
            known = ", ".join(f"{m} ({meaning})" for m, meaning in MARKS.items())
            raise self.fail(f"{where} mark", f"unknown mark {mark!r}: expected {known}")

    def whole(self, where: str, value: Any, least: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise self.fail(where, f"must be a whole number of at least {least}, not {value!r}")
        return value

    def text(self, where: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"must be text, not {value!r}")
        return value

    def wrapped(self, key: str, read, raw):
        """``read(raw)``, its error naming the file and the key."""
        try:
            return read(raw)
        except SeasonFileError:
            raise
        except ValueError as error:
            raise self.fail(key, str(error)) from None

    def season(self, raw: dict[str, Any]) -> None:
        """Every key of a season file, before anything is read from it."""
        self.keys("", raw, TOP_LEVEL, ("key", "name", *SECTIONS, "classification"))
        key = self.text("key", raw["key"])
        if not re.fullmatch(r"\d{4}/\d{2}", key):
            raise self.fail("key", f'must be a season as "2022/23", not {key!r}')
        self.text("name", raw["name"])
        if "series" in raw:
            self.text("series", raw["series"])
        for section, names in SECTIONS.items():
            self.keys(f"[{section}]", raw[section], names, names)
            for name in names:
                if (section, name) in RULE_CHOICES:
                    self.rule(section, name, raw[section][name])
        for section, names in OPTIONAL_SECTIONS.items():
            if section in raw:
                self.keys(f"[{section}]", raw[section], names)
                for name in raw[section]:
                    self.rule(section, name, raw[section][name])
        self.places(raw["points"]["places"])
        self.classifications(raw["classification"])
        entries = raw.get("entries", {})
        self.keys("[entries]", entries, QUOTAS)
        for name, entry in entries.items():
            self.ruled(f"[entries] {name}", entry, "value")
            self.whole(f"[entries] {name}", entry["value"], 0)
        for name, entry in raw.get("progression", {}).items():
            if isinstance(entry, dict):
                self.mark(f"[progression] {name}", entry)
        table = raw.get("progression", {}).get("table")
        if isinstance(table, dict) and "value" in table:
            name = table["value"]
            if not isinstance(name, str) or not (SEASONS_DIR / name).is_file():
                raise self.fail(
                    "[progression] table", f"no progression table {name!r} in {SEASONS_DIR}"
                )

    def rule(self, section: str, name: str, entry: Any) -> None:
        """A rule value the code applies; any other is refused with the ones it knows."""
        where = f"[{section}] {name}"
        field = RULE_FIELDS.get((section, name), "rule")
        self.ruled(where, entry, field)
        choices = RULE_CHOICES[(section, name)]
        value = entry[field]
        if value not in choices:
            known = "; ".join(f"{v!r} ({meaning})" for v, meaning in choices.items())
            only = "the only one" if len(choices) == 1 else "the ones"
            raise self.fail(
                where,
                f"{field} {value!r} is not a rule shorttrack applies: {only} it applies: {known}",
            )

    def places(self, places: Any) -> None:
        where = "[points] places"
        if not isinstance(places, list) or not places:
            raise self.fail(where, 'must be a list of places, as [{ points = 100, mark = "C" }]')
        previous = None
        for number, place in enumerate(places, start=1):
            here = f"{where} {number}"
            self.ruled(here, place, "points")
            points = self.whole(here, place["points"], 0)
            if previous is not None and points > previous:
                raise self.fail(
                    here, f"{points} points is more than place {number - 1}'s {previous}"
                )
            previous = points

    def classifications(self, raw: Any) -> None:
        if not isinstance(raw, list) or not raw:
            raise self.fail("[[classification]]", "the season needs at least one classification")
        kinds: list[str] = []
        extra = {"distance": (), "overall": ("title",), "nations": ("title", "relays")}
        for number, entry in enumerate(raw, start=1):
            where = f"[[classification]] {number}"
            if not isinstance(entry, dict):
                raise self.fail(where, "must be a table")
            kind = entry.get("kind")
            if kind not in extra:
                raise self.fail(
                    f"{where} kind",
                    f"unknown classification kind {kind!r}: expected {', '.join(extra)}",
                )
            if kind in kinds:
                raise self.fail(f"{where} kind", f"a second {kind!r} classification")
            kinds.append(kind)
            self.keys(where, entry, ("kind", "counting", *extra[kind]), ("kind", "counting"))
            if "title" in entry:
                self.text(f"{where} title", entry["title"])
            if "relays" in entry:
                self.ruled(f"{where} relays", entry["relays"], "value")
                if not isinstance(entry["relays"]["value"], bool):
                    raise self.fail(f"{where} relays", "value must be true or false")
            self.counting(f"{where} counting", entry["counting"])

    def counting(self, where: str, entry: Any) -> None:
        self.ruled(where, entry, "rule", ("best", "of_at_most"))
        rule = entry["rule"]
        if rule not in COUNTING_RULES:
            raise self.fail(
                where, f"unknown counting rule {rule!r}: expected {', '.join(COUNTING_RULES)}"
            )
        allowed = {"all": (), "best": ("best", "of_at_most"), "best_per_distance": ("best",)}
        for name in ("best", "of_at_most"):
            if name in entry and name not in allowed[rule]:
                raise self.fail(f"{where} {name}", f"not used by the counting rule {rule!r}")
        if rule != "all":
            if "best" not in entry:
                raise self.fail(f"{where} best", f"the counting rule {rule!r} needs it")
            best = self.whole(f"{where} best", entry["best"], 1)
            if "of_at_most" in entry:
                self.whole(f"{where} of_at_most", entry["of_at_most"], best)


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


def parse_season(raw: dict[str, Any], source: str = "season data") -> SeasonRules:
    """A season's rule set from the TOML of its file (``source`` names it in errors). Every
    key is checked first: an unknown key, a value of the wrong shape or a rule the code
    does not apply is refused here, not when a distance is ranked."""
    check = _Checker(source)
    check.season(raw)
    points = raw["points"]
    distances = check.wrapped("distances", _distances, raw)
    rounds = check.wrapped("rounds", _rounds, raw)
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
        progression=check.wrapped("[progression]", _progression, raw.get("progression", {})),
        distances=distances,
        rounds=rounds,
        **(
            {"korean_given": _ruled(raw["names"]["korean_given"])}
            if "korean_given" in raw.get("names", {})
            else {}
        ),
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
