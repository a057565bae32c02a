"""Progression plans: for a distance and a number of entries, the rounds to skate, the races
of each round, how many start in each race, and who advances to which round.

RULES.md section 2: the ISU's progression tables were not found [P], so plans are data. A
season names its table in its ``[progression]`` section (``seasons/progression-default.toml``
for every season so far); an organiser may edit a copy before the draw, and
``read_table`` checks an edited table and says what is wrong with it, row by row.

A table row covers a range of entries for some distances and lists the qualifying rounds in
the order they are skated, each with its number of races and who goes on:

- ``Q = 2``: the first two of each race go to the next round;
- ``q = 4``: then the four fastest of the next place (here the 3rd places) across all races;
  ``q = { fastest = 8, places = [2, 5] }`` takes the eight fastest of places 2 to 5;
  ``q = { fastest = 4, less_adv = true }``: "up to a maximum of four", each ADV of the
  round taking one of the four; ``qB = { fastest = 2, fill_to = 7 }``: by time until Final
  B holds seven (those in it by place and the referee's ADB counted);
- ``QA = 2, QB = 2`` (last round only): the first two of each race to Final A, places 3-4
  to Final B; ``qA = 1`` and ``qB = 2`` add the fastest of the next place to each final;
- ``repechage = "all"`` (or ``[3, 5]``): the finishers of each race (of those places) who
  did not qualify go to the next repechage round listed after this one (mark ``rep``, which
  the sheet does not print);
- ``to = "quarterfinals"``: where Q and q go, when not the round the row implies (the next
  main round after a main round, the next round listed after a repechage round);
- ``seeded = 10`` (a later main round): the ten best-seeded entries start there and skip
  the rounds before it, which the other entries skate (the 2019/20 relays: a Repechage for
  the teams not seeded into the quarterfinals).

Rows list their rounds in the order they are skated, which depends on the distance: the
2019/20 individual distances skated Heats, Rep. Quarterfinals, Rep. Semifinals,
Quarterfinals (fed by the heats and the Rep. Semifinals), while the 1500 m skated
Quarterfinals, Rep. Quarterfinals, Rep. Semifinals, Semifinals (docs/rules.md,
"Repechage").

Final A, and Final B when the last round names QB, are one race each and follow from the
last round; a row with no rounds is Final A alone. Every other round holds exactly the
qualifiers the rounds before it send (its capacity: a quarterfinal fed by the heats and by
the Rep. Semifinals holds both), spread over its races as evenly as the numbers allow. ADV (the referee's advancement), dead heats and ties on time at the last
qualifying place add extra starters on top of a plan; ``advancement`` handles those.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from shorttrack.rules.distances import DISTANCES, Distance, distance
from shorttrack.rules.ranking import ROUND_SEQUENCE, RoundKind
from shorttrack.rules.season import SEASONS_DIR, SeasonRules


class Mark(StrEnum):
    """Why a skater is in the next round, as the result sheet prints it."""

    Q = "Q"  # by place
    q = "q"  # by time
    QA = "QA"  # by place into Final A
    QB = "QB"  # by place into Final B
    qA = "qA"  # by time into Final A
    qB = "qB"  # by time into Final B
    ADV = "ADV"  # advanced by the referee, an extra starter
    ADA = "ADA"  # advanced by the referee into Final A
    ADB = "ADB"  # advanced by the referee into Final B
    REP = "rep"  # not qualified, sent to a repechage round; the sheet prints nothing
    SEED = "seed"  # seeded straight into a later round (a bye); the sheet prints nothing

    @property
    def printed(self) -> str:
        """The mark as the result sheet prints it ('' for a skater sent to a repechage)."""
        return "" if self in (Mark.REP, Mark.SEED) else self.value

    @property
    def referee(self) -> bool:
        return self in (Mark.ADV, Mark.ADA, Mark.ADB)

    @property
    def start_list(self) -> str:
        """Why an entrant starts in a race, as a start list says it: 'seeded' (the first
        round's seeding, or a bye into a later round), 'repechage' (sent there by the round
        before), else the mark (Q, q, QA, ADV...)."""
        return {Mark.SEED: "seeded", Mark.REP: "repechage"}.get(self, self.value)


def start_list_label(qualified_by: str) -> str:
    """A start list line's ``qualified_by`` as a start list shows it (``Mark.start_list``);
    '' for none, and anything else as stored."""
    try:
        return Mark(qualified_by).start_list
    except ValueError:
        return qualified_by


# The qualifying rounds a table may plan. A row lists its rounds in the order they are
# skated; main rounds keep this order among themselves, and so do repechage rounds.
QUALIFYING_ROUNDS = tuple(kind for kind in ROUND_SEQUENCE if not kind.final)
# "All the places" of a race, for a repechage rule that takes every other finisher.
ALL_PLACES = 99
FINALS = (RoundKind.FINAL_B, RoundKind.FINAL_A)  # the order they are skated


class ProgressionTableError(ValueError):
    """A progression table that cannot be used, with the row and the reason."""


class NoPlanError(ValueError):
    """The table has no plan for this distance and number of entries."""


@dataclass(frozen=True)
class Advancement:
    """One rule of who goes on from a round: skaters whose position in their race is within
    ``places`` (first, last), either all of them (by place) or only the ``fastest`` n of
    them across the races of the round (by time)."""

    mark: Mark
    to: RoundKind
    places: tuple[int, int]
    fastest: int | None = None
    # "up to a maximum of n fastest": each skater the referee advanced (ADV) in the round
    # to the same round takes one of the n places (the 2019/20 sheets, docs/rules.md
    # "Repechage") [P]
    less_adv: bool = False
    # By time until the target round holds this many (those qualified for it before and
    # the referee's advancements to it counted): Final B "filled" to the size of Final A
    fill_to: int | None = None

    @property
    def by_time(self) -> bool:
        return self.fastest is not None

    def candidates(self, race_sizes: Sequence[int]) -> int:
        """How many starters of races of these sizes hold the places of this rule."""
        first, last = self.places
        return sum(max(0, min(size, last) - first + 1) for size in race_sizes)

    def count(self, race_sizes: Sequence[int]) -> int:
        """How many this rule sends on when every race is skated to the end."""
        candidates = self.candidates(race_sizes)
        return candidates if self.fastest is None else min(self.fastest, candidates)

    @property
    def who(self) -> str:
        """'top 2 of each race', 'the 4 fastest 3rd places', 'places 3-4 of each race'."""
        first, last = self.places
        if self.mark is Mark.REP:
            if last >= ALL_PLACES:
                return "the other finishers of each race"
            return f"the others of places {first}-{last} of each race"
        if self.fastest is None:
            if first == last == 1:
                return "the winner of each race"
            if first == 1:
                return f"top {last} of each race"
            if first == last:
                return f"{_ordinal(first)} of each race"
            return f"places {first}-{last} of each race"
        if first != last:
            return f"the {self.fastest} fastest of places {first}-{last}"
        if self.fastest == 1:
            return f"the fastest {_ordinal(first)} place"
        return f"the {self.fastest} fastest {_ordinal(first)} places"

    def describe(self) -> str:
        """'top 2 of each race to the quarterfinals (Q)'."""
        if self.to.final:
            to = self.to.label
        else:
            to = f"the {self.to.label}" if self.to.repechage else f"the {self.to.value}"
        return f"{self.who} to {to} ({self.mark})"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mark": self.mark.value,
            "to": self.to.value,
            "places": list(self.places),
        }
        if self.fastest is not None:
            out["fastest"] = self.fastest
        if self.less_adv:
            out["less_adv"] = True
        if self.fill_to is not None:
            out["fill_to"] = self.fill_to
        return out

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Advancement:
        first, last = raw["places"]
        return cls(
            Mark(raw["mark"]),
            RoundKind(raw["to"]),
            (first, last),
            raw.get("fastest"),
            bool(raw.get("less_adv", False)),
            raw.get("fill_to"),
        )


@dataclass(frozen=True)
class RoundPlan:
    """One round of a plan: its races (the number of starters planned in each) and who
    advances from it. ``race_sizes`` are as even as possible, larger races first; the draw
    spreads the same sizes over the races (perhaps in another order)."""

    kind: RoundKind
    race_sizes: tuple[int, ...]
    advancement: tuple[Advancement, ...] = ()
    # The best-seeded entries that start in this round without the rounds before it (a
    # bye: ten relay teams straight into the 2019/20 quarterfinals, the others skating the
    # Repechage) [P]
    seeded: int = 0

    @property
    def races(self) -> int:
        return len(self.race_sizes)

    @property
    def capacity(self) -> int:
        """Starters planned in the whole round, before extra starters (ADV)."""
        return sum(self.race_sizes)

    @property
    def targets(self) -> tuple[RoundKind, ...]:
        """The rounds this round sends skaters to, the first of them the main one (where an
        ADV goes)."""
        return tuple(dict.fromkeys(rule.to for rule in self.advancement))

    def sends(self, to: RoundKind) -> int:
        """How many this round sends to ``to`` when every race is skated to the end."""
        return sum(n for rule, n in nominal(self.advancement, self.race_sizes) if rule.to is to)

    @property
    def repechage_to(self) -> RoundKind | None:
        """The repechage round this round's non-qualifiers go to, if any."""
        return next((rule.to for rule in self.advancement if rule.mark is Mark.REP), None)

    def describe(self) -> str:
        """'8 races of 4-5: top 2 of each race to the quarterfinals (Q); ...'."""
        low, high = min(self.race_sizes), max(self.race_sizes)
        size = str(low) if low == high else f"{low}-{high}"
        races = "1 race" if self.races == 1 else f"{self.races} races"
        head = f"{self.kind.label}: {races} of {size}"
        if self.seeded:
            head += f" ({self.seeded} seeded straight in)"
        if not self.advancement:
            return head
        return f"{head}; " + "; ".join(rule.describe() for rule in self.advancement)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form kept with a round in the store."""
        out: dict[str, Any] = {
            "kind": self.kind.value,
            "race_sizes": list(self.race_sizes),
            "advancement": [rule.to_dict() for rule in self.advancement],
        }
        if self.seeded:
            out["seeded"] = self.seeded
        return out

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> RoundPlan:
        return cls(
            RoundKind(raw["kind"]),
            tuple(raw["race_sizes"]),
            tuple(Advancement.from_dict(rule) for rule in raw.get("advancement", ())),
            raw.get("seeded", 0),
        )


@dataclass(frozen=True)
class ProgressionPlan:
    """The rounds of one distance at one competition for a number of entries, in the order
    they are skated (Final B before Final A)."""

    distance: str  # distance key, "M1000"
    entries: int
    rounds: tuple[RoundPlan, ...]
    mark: str = "P"
    source: str = ""  # the table and row the plan came from

    @property
    def provisional(self) -> bool:
        return self.mark == "P"

    @property
    def kinds(self) -> tuple[RoundKind, ...]:
        return tuple(r.kind for r in self.rounds)

    def round(self, kind: RoundKind | str) -> RoundPlan:
        kind = RoundKind(kind)
        for plan in self.rounds:
            if plan.kind is kind:
                return plan
        planned = ", ".join(k.label for k in self.kinds)
        raise ValueError(
            f"{distance(self.distance).label} with {self.entries} entries has no "
            f"{kind.label.lower()}: the plan is {planned}"
        )

    def feeders(self, kind: RoundKind) -> tuple[RoundPlan, ...]:
        """The rounds that send skaters to ``kind``."""
        return tuple(r for r in self.rounds if kind in r.targets)

    def describe(self) -> tuple[str, ...]:
        """One line per round, for a start list header or the organiser's check."""
        return tuple(r.describe() for r in self.rounds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "distance": self.distance,
            "entries": self.entries,
            "mark": self.mark,
            "source": self.source,
            "rounds": [r.to_dict() for r in self.rounds],
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ProgressionPlan:
        return cls(
            raw["distance"],
            raw["entries"],
            tuple(RoundPlan.from_dict(r) for r in raw["rounds"]),
            raw.get("mark", "P"),
            raw.get("source", ""),
        )


@dataclass(frozen=True)
class TableRound:
    """A qualifying round as a table row states it, before the entries are known."""

    kind: RoundKind
    races: int
    advancement: tuple[Advancement, ...]
    seeded: int = 0


@dataclass(frozen=True)
class TableRow:
    number: int  # its place in the file, counted from 1, for error messages
    distances: tuple[str, ...]  # as written: "W500", "500m", "relay", "individual"
    entries: tuple[int, int]
    rounds: tuple[TableRound, ...]

    def describe(self) -> str:
        low, high = self.entries
        return f"plan {self.number} ({', '.join(self.distances)}; {low}-{high} entries)"


@dataclass(frozen=True)
class ProgressionTable:
    """A whole table: the rows, and for each distance the smallest and largest race it
    may plan (before extra starters). Built by ``parse_table``, which checks every plan."""

    name: str
    mark: str
    race_size: Mapping[str, tuple[int, int]]
    rows: tuple[TableRow, ...]

    def limits(self, dist: Distance) -> tuple[int, int]:
        for name in _names(dist):
            if name in self.race_size:
                return self.race_size[name]
        raise ProgressionTableError(f"{self.name}: [race_size] has no entry for {dist.label}")

    def row_for(self, dist: Distance | str, entries: int) -> TableRow:
        dist = dist if isinstance(dist, Distance) else distance(dist)
        for name in _names(dist):
            for row in self.rows:
                if name in row.distances and row.entries[0] <= entries <= row.entries[1]:
                    return row
        covered = self.coverage(dist)
        ranges = ", ".join(f"{low}-{high}" for low, high in covered) or "no number"
        raise NoPlanError(
            f"no plan for {entries} entries in {dist.label}: {self.name} covers {ranges} entries"
        )

    def coverage(self, dist: Distance) -> list[tuple[int, int]]:
        """The numbers of entries the table has a plan for, as merged ranges."""
        numbers = sorted(
            {
                n
                for row in self.rows
                if set(row.distances) & set(_names(dist))
                for n in range(row.entries[0], row.entries[1] + 1)
            }
        )
        ranges: list[tuple[int, int]] = []
        for n in numbers:
            if ranges and ranges[-1][1] == n - 1:
                ranges[-1] = (ranges[-1][0], n)
            else:
                ranges.append((n, n))
        return ranges

    def plan(self, dist: Distance | str, entries: int) -> ProgressionPlan:
        dist = dist if isinstance(dist, Distance) else distance(dist)
        if entries < 2:
            raise NoPlanError(f"{dist.label} needs at least 2 entries to be skated, not {entries}")
        row = self.row_for(dist, entries)
        return _build(self, row, dist, entries)


def nominal(rules: Sequence[Advancement], sizes: Sequence[int]) -> list[tuple[Advancement, int]]:
    """How many each rule sends on when every race is skated to the end, applying the rules
    as ``advancement.advance`` does (target by target in order, nobody twice): a rule by
    time takes the first of its places still free, a repechage rule all the places left."""
    free = {place: sum(1 for size in sizes if size >= place) for place in range(1, max(sizes) + 1)}
    order = list(dict.fromkeys(rule.to for rule in rules))
    sent: dict[int, int] = {}
    for target in order:
        for index, rule in enumerate(rules):
            if rule.to is not target:
                continue
            first, last = rule.places
            places = [p for p in free if first <= p <= last]
            if rule.fastest is None:
                sent[index] = sum(free[p] for p in places)
                for p in places:
                    free[p] = 0
            else:
                wanted = min(rule.fastest, sum(free[p] for p in places))
                sent[index] = wanted
                for p in places:
                    took = min(wanted, free[p])
                    free[p] -= took
                    wanted -= took
    return [(rule, sent[index]) for index, rule in enumerate(rules)]


def race_sizes(capacity: int, races: int) -> tuple[int, ...]:
    """``capacity`` starters over ``races`` races, as even as possible, larger races first."""
    base, extra = divmod(capacity, races)
    return tuple(base + 1 if i < extra else base for i in range(races))


def plan_for(
    rules_or_table: SeasonRules | ProgressionTable, dist: Distance | str, entries: int
) -> ProgressionPlan:
    """The progression plan of a distance for a number of entries, from a season's table
    (or a table an organiser edited); a clear error when the table has none."""
    table = (
        rules_or_table
        if isinstance(rules_or_table, ProgressionTable)
        else table_for(rules_or_table)
    )
    return table.plan(dist, entries)


def table_for(rules: SeasonRules) -> ProgressionTable:
    """The progression table a season names (``[progression] table``)."""
    return load_table(rules.progression.table.value)


@cache
def load_table(name: str) -> ProgressionTable:
    """A table shipped in ``seasons/``, such as 'progression-default.toml'."""
    path = SEASONS_DIR / name
    if not path.is_file():
        raise ProgressionTableError(f"no progression table {name!r} in {SEASONS_DIR}")
    return read_table(path.read_text(encoding="utf-8"), name)


def read_table(text: str, name: str = "progression table") -> ProgressionTable:
    """Read and check a table's TOML text (an organiser's edited copy, say)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProgressionTableError(f"{name} is not valid TOML: {error}") from None
    return parse_table(raw, name)


def parse_table(raw: Mapping[str, Any], name: str = "progression table") -> ProgressionTable:
    """Check a table and every plan it can give; the first problem found is the error."""
    unknown = set(raw) - {"mark", "race_size", "plan"}
    if unknown:
        raise ProgressionTableError(
            f"{name}: unknown key {sorted(unknown)[0]!r}: expected mark, race_size, plan"
        )
    mark = raw.get("mark", "P")
    if mark not in ("C", "D", "P"):
        raise ProgressionTableError(f"{name}: mark must be C, D or P, not {mark!r}")
    race_size: dict[str, tuple[int, int]] = {}
    for key, value in raw.get("race_size", {}).items():
        _check_names(name, "[race_size]", [key])
        if not _is_pair(value) or not 1 <= value[0] <= value[1]:
            raise ProgressionTableError(
                f"{name}: race_size for {key!r} must be [smallest, largest], as [4, 5]"
            )
        race_size[key] = (value[0], value[1])
    rows = tuple(
        _parse_row(name, number, entry) for number, entry in enumerate(raw.get("plan", []), start=1)
    )
    if not rows:
        raise ProgressionTableError(f"{name}: no [[plan]] rows")
    table = ProgressionTable(name, mark, race_size, rows)
    _check_overlaps(table)
    for row in rows:
        for dist in _distances_named(row.distances):
            for entries in range(row.entries[0], row.entries[1] + 1):
                _build(table, row, dist, entries)
    return table


# --- building a plan ---------------------------------------------------------------------


def _build(table: ProgressionTable, row: TableRow, dist: Distance, entries: int) -> ProgressionPlan:
    low, high = table.limits(dist)

    def fail(reason: str) -> ProgressionTableError:
        return ProgressionTableError(
            f"{table.name}, {row.describe()}: {reason} ({dist.label}, {entries} entries)"
        )

    inflow: dict[RoundKind, int] = {}
    rounds: list[RoundPlan] = []
    byes = sum(planned.seeded for planned in row.rounds)
    for index, planned in enumerate(row.rounds):
        capacity = entries - byes if index == 0 else inflow.get(planned.kind, 0) + planned.seeded
        label = planned.kind.label.lower()
        if index and not capacity - planned.seeded:
            raise fail(f"{label}: no round before it sends skaters there")
        if capacity < planned.races:
            raise fail(f"{label}: {capacity} skaters cannot fill {planned.races} races")
        sizes = race_sizes(capacity, planned.races)
        if sizes[-1] < low or sizes[0] > high:
            raise fail(
                f"{label}: {planned.races} races of {capacity} skaters give races of "
                f"{sizes[-1]}-{sizes[0]}, outside {low}-{high}"
            )
        for rule in planned.advancement:
            if rule.fastest is not None and rule.candidates(sizes) < rule.fastest:
                raise fail(
                    f"{label}: {rule.who} are asked for, but only "
                    f"{rule.candidates(sizes)} skaters hold those places"
                )
        sent = nominal(planned.advancement, sizes)
        for rule, count in sent:
            inflow[rule.to] = inflow.get(rule.to, 0) + count
        if any(count == 0 for _, count in sent):
            raise fail(f"{label}: a rule sends nobody on")
        rounds.append(RoundPlan(planned.kind, sizes, planned.advancement, planned.seeded))
    if not row.rounds:
        inflow[RoundKind.FINAL_A] = entries
    for kind in FINALS:
        if kind not in inflow:
            continue
        if inflow[kind] > high:
            raise fail(f"{kind.label} of {inflow[kind]} is more than {high} in one race")
        rounds.append(RoundPlan(kind, (inflow[kind],)))
    return ProgressionPlan(
        dist.key,
        entries,
        tuple(rounds),
        table.mark,
        f"{table.name}, {row.describe()}",
    )


# --- reading rows ------------------------------------------------------------------------


def _names(dist: Distance) -> tuple[str, ...]:
    """The names a table may use for a distance, most specific first."""
    return (dist.key, dist.short_label, "relay" if dist.relay else "individual")


def _distances_named(names: Sequence[str]) -> list[Distance]:
    return [d for d in DISTANCES.values() if set(names) & set(_names(d))]


def _check_names(table: str, where: str, names: Sequence[str]) -> None:
    known = {n for d in DISTANCES.values() for n in _names(d)}
    for name in names:
        if name not in known:
            raise ProgressionTableError(
                f"{table}, {where}: unknown distance {name!r}: use a key (W500), a distance "
                f"('500m', '3000m relay', '2000m mixed relay'), 'individual' or 'relay'"
            )


def _is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)


def _parse_row(table: str, number: int, raw: Mapping[str, Any]) -> TableRow:
    where = f"plan {number}"
    unknown = set(raw) - {"distances", "entries", "rounds"}
    if unknown:
        raise ProgressionTableError(
            f"{table}, {where}: unknown key {sorted(unknown)[0]!r}: "
            "expected distances, entries, rounds"
        )
    names = raw.get("distances")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ProgressionTableError(
            f"{table}, {where}: distances must be a list such as ['500m', '1000m']"
        )
    _check_names(table, where, names)
    entries = raw.get("entries")
    if not _is_pair(entries) or not 2 <= entries[0] <= entries[1]:
        raise ProgressionTableError(
            f"{table}, {where}: entries must be [fewest, most], at least 2, as [31, 35]"
        )
    row = TableRow(number, tuple(names), (entries[0], entries[1]), ())
    raw_rounds = raw.get("rounds", [])
    if not isinstance(raw_rounds, list):
        raise ProgressionTableError(f"{table}, {row.describe()}: rounds must be a list")
    kinds: list[RoundKind] = []
    for entry in raw_rounds:
        kind = entry.get("kind") if isinstance(entry, dict) else None
        if kind not in {k.value for k in QUALIFYING_ROUNDS}:
            allowed = ", ".join(k.value for k in QUALIFYING_ROUNDS)
            raise ProgressionTableError(
                f"{table}, {row.describe()}: a round's kind must be one of {allowed}, "
                f"not {kind!r} (finals follow from the last round's QA and QB)"
            )
        kinds.append(RoundKind(kind))
    for bracket in (False, True):
        order = [QUALIFYING_ROUNDS.index(k) for k in kinds if k.repechage is bracket]
        if order != sorted(set(order)):
            raise ProgressionTableError(
                f"{table}, {row.describe()}: rounds must be in the order they are skated "
                f"({', '.join(k.value for k in QUALIFYING_ROUNDS if k.repechage is bracket)}), "
                "each once"
            )
    if kinds and kinds[-1].repechage:
        raise ProgressionTableError(
            f"{table}, {row.describe()}: the last round, {kinds[-1].value}, must be a main "
            "round that sends skaters to the finals"
        )
    rounds = tuple(_parse_round(table, row, entry, kinds, i) for i, entry in enumerate(raw_rounds))
    if sum(1 for r in rounds if r.seeded) > 1:
        raise ProgressionTableError(f"{table}, {row.describe()}: seeded entries start in one round")
    return TableRow(number, tuple(names), (entries[0], entries[1]), rounds)


def _default_target(kinds: Sequence[RoundKind], index: int) -> RoundKind | None:
    """Where a round's Q and q go unless it says ``to``: after a repechage round the next
    round listed, after a main round the next main round; None for the last main round."""
    if kinds[index].repechage:
        return kinds[index + 1]
    return next((k for k in kinds[index + 1 :] if not k.repechage), None)


def _parse_round(
    table: str, row: TableRow, raw: Mapping[str, Any], kinds: Sequence[RoundKind], index: int
) -> TableRound:
    kind = kinds[index]
    where = f"{table}, {row.describe()}, {kind.value}"
    keys = {"kind", "races", "Q", "q", "QA", "qA", "QB", "qB", "repechage", "to", "seeded"}
    unknown = set(raw) - keys
    if unknown:
        raise ProgressionTableError(
            f"{where}: unknown key {sorted(unknown)[0]!r}: expected "
            "kind, races, Q, q, QA, qA, QB, qB, repechage, to, seeded"
        )
    seeded = raw.get("seeded", 0)
    if not isinstance(seeded, int) or seeded < 0:
        raise ProgressionTableError(f"{where}: seeded must be a whole number, not {seeded!r}")
    if seeded and (index == 0 or kind.repechage):
        raise ProgressionTableError(
            f"{where}: seeded entries start in a later main round, not in the first round "
            "or a repechage"
        )
    races = raw.get("races")
    if not isinstance(races, int) or races < 1:
        raise ProgressionTableError(f"{where}: races must be a whole number, at least 1")

    def count(key: str) -> int:
        value = raw.get(key, 0)
        if not isinstance(value, int) or value < 0:
            raise ProgressionTableError(f"{where}: {key} must be a whole number, not {value!r}")
        return value

    later = kinds[index + 1 :]
    next_kind = _default_target(kinds, index)
    if "to" in raw:
        to = raw["to"]
        if to not in {k.value for k in later}:
            raise ProgressionTableError(
                f"{where}: to must name a round listed after this one, not {to!r}"
            )
        next_kind = RoundKind(to)
    rules: list[Advancement] = []
    if next_kind is None:
        if "Q" in raw or "q" in raw or "repechage" in raw:
            raise ProgressionTableError(
                f"{where}: the last round sends skaters to the finals with QA, qA, QB and qB, "
                "not Q, q or repechage"
            )
        qa, qb = count("QA"), count("QB")
        if qa < 1:
            raise ProgressionTableError(f"{where}: the last round needs QA, at least 1")
        rules.append(Advancement(Mark.QA, RoundKind.FINAL_A, (1, qa)))
        rules += _by_time(where, raw, "qA", qa, Mark.qA, RoundKind.FINAL_A)
        if qb:
            rules.append(Advancement(Mark.QB, RoundKind.FINAL_B, (qa + 1, qa + qb)))
        rules += _by_time(where, raw, "qB", qa + qb, Mark.qB, RoundKind.FINAL_B)
        if "qB" in raw and not qb:
            raise ProgressionTableError(f"{where}: qB needs QB")
        return TableRound(kind, races, tuple(rules), seeded)

    finals = {"QA", "qA", "QB", "qB"} & set(raw)
    if finals:
        raise ProgressionTableError(
            f"{where}: {sorted(finals)[0]} belongs to the last round; this one sends skaters to "
            f"the {next_kind.value} with Q and q"
        )
    q_by_place = count("Q")
    if q_by_place:
        rules.append(Advancement(Mark.Q, next_kind, (1, q_by_place)))
    rules += _by_time(where, raw, "q", q_by_place, Mark.q, next_kind)
    if not rules:
        raise ProgressionTableError(f"{where}: nobody goes on: give Q, q or both")
    if "repechage" in raw:
        if kind.repechage:
            raise ProgressionTableError(
                f"{where}: a repechage round sends its others nowhere: no repechage key"
            )
        to_rep = next((k for k in later if k.repechage), None)
        if to_rep is None:
            raise ProgressionTableError(
                f"{where}: repechage needs a repechage round listed after this one"
            )
        value = raw["repechage"]
        if value == "all":
            places = (q_by_place + 1, ALL_PLACES)
        elif _is_pair(value) and q_by_place < value[0] <= value[1]:
            places = (value[0], value[1])
        else:
            raise ProgressionTableError(
                f'{where}: repechage must be "all" or places after the Q places, as [3, 5]'
            )
        rules.append(Advancement(Mark.REP, to_rep, places))
    return TableRound(kind, races, tuple(rules), seeded)


def _by_time(
    where: str, raw: Mapping[str, Any], key: str, after: int, mark: Mark, to: RoundKind
) -> list[Advancement]:
    """``q = 4`` (the fastest 4 of the next place) or ``q = { fastest = 8, places = [2, 5] }``."""
    by_time = raw.get(key, 0)
    if isinstance(by_time, dict):
        extra = set(by_time) - {"fastest", "places", "less_adv", "fill_to"}
        fastest = by_time.get("fastest")
        places = by_time.get("places", [after + 1, after + 1])
        less_adv = by_time.get("less_adv", False)
        fill_to = by_time.get("fill_to")
        if (
            extra
            or not isinstance(fastest, int)
            or fastest < 1
            or not _is_pair(places)
            or not isinstance(less_adv, bool)
            or not (fill_to is None or (isinstance(fill_to, int) and fill_to >= 1))
        ):
            raise ProgressionTableError(
                f"{where}: {key} must be a number or "
                "{ fastest = 8, places = [2, 5], less_adv = true, fill_to = 7 } "
                "(places, less_adv and fill_to optional)"
            )
        if not after < places[0] <= places[1]:
            raise ProgressionTableError(
                f"{where}: {key} places {places} must come after the places before (1-{after})"
            )
        return [Advancement(mark, to, (places[0], places[1]), fastest, less_adv, fill_to)]
    if not isinstance(by_time, int) or by_time < 0:
        raise ProgressionTableError(f"{where}: {key} must be a whole number, not {by_time!r}")
    if by_time:
        return [Advancement(mark, to, (after + 1, after + 1), by_time)]
    return []


def _check_overlaps(table: ProgressionTable) -> None:
    """Two rows naming a distance the same way may not share a number of entries; a row
    for a distance key (W500) may override one for '500m' or 'individual'."""
    seen: dict[tuple[str, int], TableRow] = {}
    for row in table.rows:
        for name in row.distances:
            for entries in range(row.entries[0], row.entries[1] + 1):
                other = seen.get((name, entries))
                if other is not None:
                    raise ProgressionTableError(
                        f"{table.name}: {other.describe()} and {row.describe()} both plan "
                        f"{name} with {entries} entries"
                    )
                seen[(name, entries)] = row


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
