"""The rounds of a distance and the draws that fill their races.

``plan_rounds`` turns the season's progression table (or a copy the organiser edited) into
the rounds and races of a distance for its number of entries; each round keeps its plan
(``Round.plan``: races, their sizes, who advances). Until the first round is drawn the
rounds can be planned again.

``draw_first_round`` seeds the entries by World Cup rank in the distance's classification
at the moment of the draw (``queries.standings``), then season best time, then lot,
spreads them serpentine over the races and draws start positions (``rules.draw``). Later
rounds fill themselves from the qualifiers (``fill_round``, called by
``services.advancement``). Every draw is a ``Draw`` row with its seed, method and reason,
and the start list lines it wrote: the same entries and seed give the same draw.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db.models import Min

from shorttrack import live
from shorttrack.queries.standings import standings
from shorttrack.rules import draw as drawing
from shorttrack.rules.advancement import Qualifier
from shorttrack.rules.progression import (
    Mark,
    NoPlanError,
    ProgressionPlan,
    ProgressionTable,
    ProgressionTableError,
    RoundPlan,
    plan_for,
    read_table,
)
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.season import season_rules
from shorttrack.services import clock
from shorttrack.services.entries import competition_locked
from shorttrack.services.errors import Invalid
from shorttrack.services.officials import ORGANISER, require_role
from shorttrack.services.result_lines import round_name
from shorttrack.services.write_log import logged_write
from shorttrack.store.compiled import insert_all
from shorttrack.store.models import (
    DistanceRace,
    Draw,
    Entry,
    Race,
    RaceResultLine,
    Round,
    StartListLine,
)

# Where new seeds come from: the system's randomness at the rink; the simulator's own
# generator inside ``seeded`` so that a simulated season is the same for the same seed.
_seed_source: ContextVar[random.Random | None] = ContextVar("shorttrack_draw_seeds", default=None)


def new_seed() -> int:
    """A fresh seed for a draw, recorded with it so the draw can be made again."""
    source = _seed_source.get()
    return source.randrange(2**31) if source is not None else secrets.randbelow(2**31)


@contextmanager
def seeded(source: random.Random) -> Iterator[None]:
    """Draws made inside this block take their seeds from ``source``."""
    token = _seed_source.set(source)
    try:
        yield
    finally:
        _seed_source.reset(token)


@logged_write
def plan_rounds(
    user,
    distance_race: DistanceRace,
    *,
    table: ProgressionTable | str | None = None,
    based_on: str | None = None,
) -> ProgressionPlan:
    """Plan the rounds and races of the distance for its entries, from the season's
    progression table or ``table`` (an edited copy, as a table or its TOML text).
    ``based_on``: ``setup_version`` as the organiser's page showed it (None: as it is)."""
    require_role(user, distance_race.competition, ORGANISER, action="plan rounds")
    with competition_locked(distance_race.competition):
        _check_not_drawn(distance_race)
        _check_based_on(distance_race, based_on)
        plan = _plan(distance_race, table)
        _write_rounds(distance_race, plan)
        return plan


@logged_write
def draw_first_round(
    user,
    distance_race: DistanceRace,
    *,
    seed: int | None = None,
    table: ProgressionTable | str | None = None,
    based_on: str | None = None,
) -> Draw:
    """Draw the first round of the distance (planning the rounds first if they are not).

    Entries close with the draw. ``seed`` makes the draw again exactly as before; a new
    one is chosen and recorded when none is given.
    """
    require_role(user, distance_race.competition, ORGANISER, action="make draws")
    with competition_locked(distance_race.competition):
        _check_not_drawn(distance_race)
        _check_based_on(distance_race, based_on)
        entries = _active_entries(distance_race)
        rounds = list(distance_race.rounds.order_by("order"))
        plan = None
        if not rounds or table is not None:
            plan = _plan(distance_race, table)
        else:
            planned = rounds[0].plan.get("entries")
            if planned != len(entries):
                raise Invalid(
                    "entries",
                    f"the rounds of the {distance_race.title} were planned for {planned} entries; "
                    f"{len(entries)} are entered now: plan the rounds again",
                )
        seed = new_seed() if seed is None else seed
        rules = season_rules(distance_race.competition.season.rules_key)
        now = clock.now()
        if plan is not None:
            _write_rounds(distance_race, plan)
        first = distance_race.rounds.order_by("order").first()
        races = first.races.count()
        seeding = _seeding(distance_race, entries, now)
        later = [r for r in distance_race.rounds.order_by("order") if r.plan.get("seeded")]
        byes = later[0].plan["seeded"] if later else 0
        drawn = drawing.draw_first_round(seeding, races, seed, rules=rules.progression, byes=byes)
        reason = f"first round: {len(entries)} entries"
        if byes:
            # The best seeds start in the later round: kept with its plan until it fills.
            later[0].plan = {**later[0].plan, "seeded_entrants": list(drawn.byes)}
            later[0].save(update_fields=["plan"])
            reason += f", the best {byes} seeded into {round_name(later[0].kind)}"
        return write_draw(first, drawn, user, now, reason)


def fill_round(
    round_: Round,
    qualifiers: Sequence[Qualifier],
    seed: int,
    user,
    at: datetime,
    reason: str,
) -> Draw | None:
    """Fill a later round from its qualifiers, replacing its start lists if it had them
    (only while none of its races has started). Fewer qualifiers than races (falls,
    penalties, an ADV moved up) fill the first races only; a race nobody qualified for is
    not skated, and a round nobody qualified for stays empty (None)."""
    rules = season_rules(round_.distance_race.competition.season.rules_key)
    races = min(round_.races.count(), len(qualifiers))
    StartListLine.objects.filter(race__round=round_).delete()
    if races == 0:
        return None
    drawn = drawing.draw_next_round(qualifiers, races, seed, rules=rules.progression)
    return write_draw(round_, drawn, user, at, reason)


def write_draw(round_: Round, drawn: drawing.Draw, user, at: datetime, reason: str) -> Draw:
    """Store a draw of the rules core: the Draw row and a start list line per starter."""
    distance_race = round_.distance_race
    draw = Draw.objects.create(
        round=round_,
        seed=drawn.seed,
        method=drawn.method[:200],
        reason=reason,
        drawn_at=at,
        drawn_by=user,
    )
    # The columns a line copies, not the entries: a fill reads its distance's every entry.
    entries = {
        (f"s{skater}" if skater else f"t{team}"): (skater, team, member, helmet)
        for skater, team, member, helmet in Entry.objects.filter(
            distance_race=distance_race
        ).values_list("skater_id", "team_id", "member_id", "helmet")
    }
    races = {race.number: race for race in round_.races.all()}
    lines = []
    for drawn_race in drawn.races:
        for starter in drawn_race.starters:
            skater, team, member, helmet = entries[starter.entrant]
            lines.append(
                StartListLine(
                    race=races[drawn_race.number],
                    draw=draw,
                    skater_id=skater,
                    team_id=team,
                    member_id=member,
                    start_position=starter.start.number,
                    helmet=helmet,
                    qualified_by=starter.qualified_by,
                )
            )
    insert_all(lines)
    live.publish_all(
        (topic, {"race": race.pk, "kind": "start_list", "status": race.status})
        for race in races.values()
        for topic in live.race_topics(race)
    )
    return draw


def seeded_into(round_: Round) -> tuple[Qualifier, ...]:
    """The entries the first round's draw seeded straight into this round (a bye), as
    qualifiers for its fill, in seed order; none for most rounds."""
    kind = RoundKind(round_.kind)
    return tuple(
        Qualifier(entrant, Mark.SEED, kind, 0, 0, None)
        for entrant in round_.plan.get("seeded_entrants", ())
    )


def stored_plan(round_: Round) -> RoundPlan | None:
    """The plan a round was created with; None for rounds imported from result sheets."""
    return RoundPlan.from_dict(round_.plan) if round_.plan.get("race_sizes") else None


# -- helpers --------------------------------------------------------------------------


def setup_version(distance_race: DistanceRace) -> str:
    """What a plan or a draw is decided on, as the organiser's page carries it: the
    rounds planned and the entries standing. A re-plan makes new rounds; an entry added
    or withdrawn changes the entries."""
    rounds = sorted(distance_race.rounds.values_list("pk", flat=True))
    entries = sorted(
        Entry.objects.filter(distance_race=distance_race, withdrawn_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    text = f"{rounds}|{entries}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_based_on(distance_race: DistanceRace, based_on: str | None) -> None:
    if based_on is None or based_on == setup_version(distance_race):
        return
    entries = _active_entries(distance_race)
    rounds = list(distance_race.rounds.order_by("order"))
    planned = (
        f"rounds planned for {rounds[0].plan.get('entries')} entries"
        if rounds
        else "no rounds planned"
    )
    raise Invalid(
        "based_on",
        f"the {distance_race.title} changed since this page was opened (now {len(entries)} "
        f"entries, {planned}); nothing was done: look at it as it is now and choose again",
    )


def _check_not_drawn(distance_race: DistanceRace) -> None:
    draw = Draw.objects.filter(round__distance_race=distance_race).order_by("drawn_at").first()
    if draw is not None:
        raise Invalid(
            "distance_race",
            f"the first round of the {distance_race.title} was drawn on "
            f"{draw.drawn_at:%Y-%m-%d %H:%M}: its rounds and entries are fixed",
        )


def _active_entries(distance_race: DistanceRace) -> list[Entry]:
    return list(
        Entry.objects.filter(distance_race=distance_race, withdrawn_at__isnull=True).order_by("id")
    )


def _plan(distance_race: DistanceRace, table: ProgressionTable | str | None) -> ProgressionPlan:
    entries = len(_active_entries(distance_race))
    rules = season_rules(distance_race.competition.season.rules_key)
    try:
        source = read_table(table, "the edited table") if isinstance(table, str) else table
        return plan_for(source or rules, distance_race.distance, entries)
    except NoPlanError as error:
        raise Invalid("entries", str(error)) from None
    except ProgressionTableError as error:
        raise Invalid("table", str(error)) from None


def _write_rounds(distance_race: DistanceRace, plan: ProgressionPlan) -> None:
    """The rounds and races of the plan, replacing rounds planned before (never drawn)."""
    old = list(distance_race.rounds.all())
    if old:
        Race.objects.filter(round__in=old).delete()
        Round.objects.filter(pk__in=[r.pk for r in old]).delete()
    for order, round_plan in enumerate(plan.rounds, start=1):
        round_ = Round.objects.create(
            distance_race=distance_race,
            kind=round_plan.kind.value,
            order=order,
            plan=round_plan.to_dict()
            | {"entries": plan.entries, "source": plan.source, "mark": plan.mark},
        )
        Race.objects.bulk_create(
            Race(round=round_, number=number) for number in range(1, round_plan.races + 1)
        )


def _seeding(distance_race: DistanceRace, entries: list[Entry], now: datetime):
    """Each entry with its World Cup rank in the distance at ``now`` and its season best."""
    season = distance_race.competition.season
    table, _ = standings(season, distance_race.distance, now)
    relay = distance_race.rules_distance.relay
    ranks: dict[str, int] = {}
    for row in table.rows:
        ranks.setdefault(row.nation if relay else row.entrant, row.rank)
    bests = _season_bests(distance_race, entries, now)
    seeding = []
    for entry in entries:
        key = f"t{entry.team_id}" if relay else f"s{entry.skater_id}"
        rank = ranks.get(entry.member.code if relay else key)
        known = [t for t in (entry.season_best_ms, bests.get(key)) if t is not None]
        seeding.append(drawing.Entry(key, rank, min(known) if known else None))
    return seeding


def _season_bests(distance_race: DistanceRace, entries: list[Entry], now: datetime):
    """The best official time of each entrant in this distance this season, before now.
    A relay team's is its Member's best."""
    lines = RaceResultLine.objects.filter(
        result__official_at__lte=now,
        result__race__round__distance_race__distance=distance_race.distance,
        result__race__round__distance_race__competition__season=distance_race.competition.season,
        status="finished",
        time_ms__isnull=False,
    )
    if distance_race.rules_distance.relay:
        by_member = dict(
            lines.filter(member_id__in=[e.member_id for e in entries])
            .order_by()
            .values_list("member_id")
            .annotate(best=Min("time_ms"))
        )
        return {
            f"t{e.team_id}": by_member[e.member_id] for e in entries if e.member_id in by_member
        }
    found = (
        lines.filter(skater_id__in=[e.skater_id for e in entries])
        .order_by()
        .values_list("skater_id")
        .annotate(best=Min("time_ms"))
    )
    return {f"s{skater}": best for skater, best in found}
