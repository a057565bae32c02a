"""What follows a race result becoming official: qualification marks, the next round, the
final ranking; and, after a correction, what can still follow and what is flagged.

- A race made official gets the marks its own places decide (Q, QA, QB) on the revision
  made official (a new revision only when marks are added).
- When every race of a round is official, ``rules.advancement.advance`` names the
  qualifiers with the round's stored plan and the season's rules; races whose marks
  change (q by time, vacancies) get a new official revision with them, and each round
  the round sends skaters to fills itself (``draws.fill_round``) once every round feeding
  it is official (the quarterfinals wait for the heats and the Rep. Semifinals; the
  heats' non-qualifiers fill the Rep. Quarterfinals at once): the qualifiers in the
  documented order (place, then time, then lot; the referee's ADV, ADA and ADB as extra
  starters after them, each in the final the referee named), with
  a ``Draw`` row whose seed also decided any lot in the advancement.
- When the finals are official the distance is ranked (``rankings.rank_distance``).
- A correction of an official race re-derives the qualifiers of its round. A next round
  whose races are all still scheduled is filled again (a new ``Draw``); one already under
  way keeps its start lists, and the correction is flagged on the corrected race as a
  ``RaceEvent`` of kind "conflict" saying who would be in and out. The ranking of the
  distance is computed again; a new revision is stored only when it changed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.db.models import Exists, OuterRef

from shorttrack.rules.advancement import AdvancementError, RoundAdvancement, advance
from shorttrack.rules.progression import Mark, RoundPlan
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.season import Ruled, season_rules
from shorttrack.services import race_status, rankings
from shorttrack.services.draws import fill_round, new_seed, seeded_into, stored_plan
from shorttrack.services.errors import Invalid
from shorttrack.services.result_lines import (
    Line,
    entrant_key,
    from_rows,
    lines_by_place,
    lines_of,
    race_name,
    round_name,
    same_sheet,
    save_revision,
)
from shorttrack.store.compiled import Compiled
from shorttrack.store.models import (
    Draw,
    Race,
    RaceResult,
    RaceResultLine,
    RelayTeam,
    Round,
    Skater,
    StartListLine,
)


def after_official(race: Race, result: RaceResult, user, at: datetime, source: str) -> RaceResult:
    """Make ``result`` official at ``at``, with the marks the race's own places decide."""
    lines = lines_of(result)
    plan = stored_plan(race.round)
    if plan is not None and plan.targets:
        _mark(lines, _place_marks(race, plan, lines))
    if same_sheet(lines, result.lines.all()):
        result.official_at = at
        result.save(update_fields=["official_at"])
        return result
    return save_revision(
        race,
        lines,
        user,
        source,
        "made official with the qualification marks",
        official_at=at,
        at=at,
        number=result.number + 1,  # ``result`` is the race's latest, read under its lock
    )


def after_correction(
    race: Race,
    lines: list[Line],
    user,
    at: datetime,
    source: str,
    reason: str,
    *,
    number: int | None = None,
) -> RaceResult:
    """Store the corrected lines as an official revision (``number``: its number, when
    the caller holds the latest), marked as the round now decides."""
    plan = stored_plan(race.round)
    if plan is not None and plan.targets:
        races = _official_lines(race.round, override=(race.pk, lines))
        if races is not None:
            decided = _advance(race.round, plan, races, _seed_of(race.round, plan))
            _mark(lines, decided.marks)
        else:
            _mark(lines, _place_marks(race, plan, lines))
    return save_revision(
        race, lines, user, source, f"correction: {reason}", official_at=at, at=at, number=number
    )


def after_round(race: Race, user, at: datetime, source: str, *, correction: str = "") -> None:
    """When the race completes its round: marks, the next round, the final ranking."""
    round_ = race.round
    distance_race = round_.distance_race
    plan = stored_plan(round_)
    if plan is not None and plan.targets:
        races = _official_lines(round_)
        if races is not None:
            _go_on(race, round_, plan, races, user, at, source, correction)
    # A race of a round that sends skaters on is made official before any final has
    # starters: the finals are asked after the finals themselves, a correction, or a
    # round imported as printed (no plan to wait for).
    finals_may_be_done = correction or plan is None or not plan.targets
    if finals_may_be_done and rankings.finals_official(distance_race):
        why = (
            f"ranking again after the correction of {race_name(race)}: {correction}"
            if correction
            else "final ranking: the finals are official"
        )
        rankings.rank_distance(distance_race, user, at, why, source)


# -- the round's advancement ----------------------------------------------------------


def _go_on(
    race: Race,
    round_: Round,
    plan: RoundPlan,
    races: dict[Race, list[Line]],
    user,
    at: datetime,
    source: str,
    correction: str,
) -> None:
    seed = _seed_of(round_, plan)
    seed = new_seed() if seed is None else seed
    decided = _advance(round_, plan, races, seed)
    what = (
        f"qualification marks after the correction of {race_name(race)}"
        if correction
        else f"qualification marks of {round_name(round_.kind)}"
    )
    for other, lines in races.items():
        stored = [replace(line) for line in lines]
        _mark(lines, decided.marks)
        if any(a.mark != b.mark for a, b in zip(lines, stored, strict=True)):
            save_revision(other, lines, user, source, what, official_at=at, at=at)
    lots = "; ".join(
        f"lot for the {lot.reason}: {', '.join(_names(lot.winners))} of {', '.join(_names(lot.tied))}"
        for lot in decided.lots
    )
    for target in plan.targets:
        target_round = round_.distance_race.rounds.get(kind=target.value)
        feeders = _qualifiers_for(round_, target, decided)
        if feeders is None:
            continue  # another round feeding it (a repechage, the heats) is not official yet
        seeded = seeded_into(target_round)
        qualifiers = seeded + tuple(q for _, found in feeders for q in found)
        current = list(StartListLine.objects.filter(race__round=target_round))
        fill = f"qualifiers of {' and '.join(round_name(r.kind) for r, _ in feeders)}"
        if seeded:
            fill = f"{len(seeded)} seeded and the {fill}"
        fill += f"; {lots}" if lots else ""
        if not current:
            fill_round(target_round, qualifiers, seed, user, at, fill)
            continue
        now_in = {q.entrant: q.mark.value for q in qualifiers}
        was_in = {entrant_key(line): line.qualified_by for line in current}
        if now_in == was_in:
            continue
        started = target_round.races.exclude(status="scheduled").exists()
        if not started:
            fill_round(
                target_round,
                qualifiers,
                seed,
                user,
                at,
                f"filled again after the correction of {race_name(race)}: {correction}",
            )
        elif set(now_in) != set(was_in):
            race_status.note(
                race,
                "conflict",
                user,
                _conflict(race, target, set(now_in) - set(was_in), set(was_in) - set(now_in)),
                at=at,
            )


def _qualifiers_for(
    round_: Round, target: RoundKind, decided: RoundAdvancement
) -> list[tuple[Round, tuple]] | None:
    """Every round that sends skaters to ``target`` (the heats and the Rep. Semifinals both
    feed the quarterfinals) with its qualifiers for it, in the order the rounds are skated;
    None while one of them is not complete and official."""
    found: list[tuple[Round, tuple]] = []
    for other in round_.distance_race.rounds.order_by("order"):
        if other.pk == round_.pk:
            found.append((round_, decided.to(target)))
            continue
        other_plan = stored_plan(other)
        if other_plan is None or target not in other_plan.targets:
            continue
        races = _official_lines(other)
        if races is None or not races:
            return None
        other_decided = _advance(other, other_plan, races, _seed_of(other, other_plan))
        found.append((other, other_decided.to(target)))
    return found


def _conflict(race: Race, target: RoundKind, gained: set[str], lost: set[str]) -> str:
    target_name = round_name(target.value)
    parts = []
    if gained:
        parts.append(f"now qualified: {', '.join(_names(gained))}")
    if lost:
        parts.append(f"no longer qualified: {', '.join(_names(lost))}")
    return (
        f"the correction of {race_name(race)} changes who goes to {target_name} "
        f"({'; '.join(parts)}), but {target_name} "
        + (
            "has already started: its start list stands"
            if target.final
            else "have already started: their start lists stand"
        )
        + ", and the referee decides what follows"
    )


def _advance(
    round_: Round, plan: RoundPlan, races: dict[Race, list[Line]], seed: int | None
) -> RoundAdvancement:
    rules = season_rules(round_.distance_race.competition.season.rules_key).progression
    ordered = [races[r] for r in sorted(races, key=lambda r: r.number)]
    try:
        return advance(
            plan,
            [tuple(line.race_line() for line in lines) for lines in ordered],
            rules=rules,
            seed=seed,
        )
    except AdvancementError as error:
        raise Invalid("race", f"{round_name(round_.kind)}: {error}") from None


def _place_marks(race: Race, plan: RoundPlan, lines: list[Line]) -> dict[str, Mark]:
    """The marks this race's places decide on their own (Q, QA, QB); times across the
    round (q) and vacancies wait until every race of the round is official."""
    by_place = tuple(rule for rule in plan.advancement if not rule.by_time)
    if not by_place:
        return {}
    alone = replace(plan, race_sizes=(len(lines),), advancement=by_place)
    rules = season_rules(race.round.distance_race.competition.season.rules_key).progression
    rules = replace(rules, vacancies=Ruled("leave_empty", rules.vacancies.mark))
    try:
        decided = advance(alone, [tuple(line.race_line() for line in lines)], rules=rules)
    except AdvancementError:
        return {}  # a lot decides a dead heat: marks when the round is complete
    return decided.marks


def _mark(lines: list[Line], marks: dict[str, Mark]) -> None:
    """Qualification marks on the lines; the referee's ADV, ADA and ADB are kept apart
    (``advanced``, ``advanced_to``)."""
    for line in lines:
        mark = marks.get(line.entrant)
        line.mark = mark.printed if mark is not None and not mark.referee else ""


def _official_lines(
    round_: Round, override: tuple[int, list[Line]] | None = None
) -> dict[Race, list[Line]] | None:
    """Every race of the round with the lines of its newest official revision, or None
    while a race of the round is not official. A race without starters is not skated."""
    races = _SKATED_RACES.objects(round=round_.pk)
    for race in races:
        Race.round.field.set_cached_value(race, round_)
    if any(r.status != "official" for r in races):
        return None
    newest: dict[int, tuple[int, int]] = {}  # race id -> (result id, revision number)
    skated = {race.pk for race in races}
    for race_id, result_id, number in _OFFICIAL_RESULTS.rows(round=round_.pk):
        if race_id not in skated:
            continue
        if race_id not in newest or number > newest[race_id][1]:
            newest[race_id] = (result_id, number)
    rows: dict[int, list[RaceResultLine]] = {result_id: [] for result_id, _ in newest.values()}
    for row in lines_by_place().filter(result_id__in=rows):
        rows[row.result_id].append(row)
    found = {}
    for race in races:
        if override is not None and race.pk == override[0]:
            found[race] = override[1]
        else:
            found[race] = from_rows(rows[newest[race.pk][0]])
    return found


# Read at every race made official: compiled once (store/compiled.py).
_SKATED_RACES = Compiled(
    lambda round: Race.objects.filter(
        Exists(StartListLine.objects.filter(race=OuterRef("pk"))), round_id=round
    ).order_by("number")
)
_OFFICIAL_RESULTS = Compiled(
    lambda round: (
        RaceResult.objects.filter(race__round_id=round, official_at__isnull=False)
        .order_by()
        .values_list("race_id", "id", "number")
    )
)


def _seed_of(round_: Round, plan: RoundPlan) -> int | None:
    """The seed recorded when the round's qualifiers were first drawn into a round it sends
    skaters to (the heats' into the Rep. Quarterfinals, before the quarterfinals are
    drawn); a draw made again after a correction keeps it."""
    draw = (
        Draw.objects.filter(
            round__distance_race=round_.distance_race,
            round__kind__in=[kind.value for kind in plan.targets],
        )
        .order_by("drawn_at", "id")
        .first()
    )
    return draw.seed if draw else None


def _names(entrants) -> list[str]:
    """'ADLER Anna (NED)' for skaters, the team name for relay teams, in a stable order."""
    skaters = {
        f"s{s.pk}": str(s)
        for s in Skater.objects.filter(
            pk__in=[int(e[1:]) for e in entrants if e.startswith("s")]
        ).select_related("member")
    }
    teams = {
        f"t{t.pk}": t.name
        for t in RelayTeam.objects.filter(
            pk__in=[int(e[1:]) for e in entrants if e.startswith("t")]
        )
    }
    return sorted(skaters.get(e) or teams.get(e) or e for e in entrants)
