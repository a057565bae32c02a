"""Run a simulated season, competition by competition, through the officials' services.

Nothing here writes to the database itself: the calendar and the fictional skaters come in
through the import service (and are labelled simulated), then every competition is run
as at the rink: officials appointed, sessions set up, entries taken within the quotas,
rounds planned and drawn, and every race started, its finish entered, the referee's
decisions made and the result made official, at the moment it would happen on the day
(``services.clock.at``). Rounds fill themselves and final rankings give World Cup points
because the services do that for the officials too.
"""

from __future__ import annotations

import json
import random
import tempfile
import time as wallclock
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects

from shorttrack.rules.progression import Mark
from shorttrack.rules.ranking import RoundKind, Status
from shorttrack.rules.season import season_rules
from shorttrack.services import clock, draws, race_results, race_status, setup
from shorttrack.services.entries import SkaterEntry, enter_skaters
from shorttrack.services.errors import Invalid
from shorttrack.services.imports import import_paths
from shorttrack.services.race_results import Decision, FinishLine
from shorttrack.services.relays import enter_relay_team
from shorttrack.services.simulated import label_simulated
from shorttrack.simulation.calendar import calendar_document
from shorttrack.simulation.pool import NATION_STRENGTH, FictionalSkater, skater_pool
from shorttrack.simulation.racing import SimulatedRace, Starter, simulate_race
from shorttrack.store.compiled import Compiled
from shorttrack.store.models import (
    Competition,
    DistanceRace,
    Race,
    RelayTeamSkater,
    Season,
    Skater,
    StartListLine,
)

SIMULATOR = "simulator"
ROLES = ("organiser", "results_officer", "referee")
# Rounds before the quarterfinals are skated on day 1 (with a repechage that feeds the
# quarterfinals, and the quarterfinals too when a repechage follows them); quarterfinals on
# the morning of the finals day; semifinals early in its World Cup session; then Final B
# and Final A.
SESSIONS = {
    1: [("Qualifying", time(9, 0), time(19, 0))],
    2: [("Qualifying", time(9, 0), time(12, 30)), ("World Cup session", time(13, 0), time(18, 30))],
    3: [("Qualifying", time(9, 0), time(12, 30)), ("World Cup session", time(13, 0), time(18, 30))],
}
RACE_EVERY = timedelta(minutes=3)

Progress = Callable[[str, int, int], None]


@dataclass
class SimulationReport:
    season: str
    competitions: int = 0
    races: int = 0
    skaters: int = 0
    seconds: float = 0.0
    prepared: list[int] = field(default_factory=list)  # competitions drawn, not raced

    def summary(self) -> str:
        prepared = f", {len(self.prepared)} drawn but not raced" if self.prepared else ""
        return (
            f"simulated {self.season}: {self.competitions} competitions, {self.races} races"
            f"{prepared}, {self.skaters} fictional skaters in {self.seconds:.1f} s"
        )


def simulate_season(
    season_key: str = "2025/26",
    seed: int = 7,
    *,
    competitions: int | None = None,
    per_gender: int = 180,
    full_fields: bool = False,
    unraced: int = 0,
    progress: Progress | None = None,
) -> SimulationReport:
    """Create the simulated season and run its competitions (the first ``competitions``).
    The last ``unraced`` of them are only prepared, as on the eve of racing: officials
    appointed, sessions set up, entries taken, first rounds drawn, races scheduled."""
    started = wallclock.perf_counter()
    report = SimulationReport(season_key)
    if Season.objects.filter(key=season_key).exists():
        raise Invalid(
            "season", f"{season_key} is already in the database: simulate into an empty one"
        )
    pool = skater_pool(seed, per_gender)
    _import_season(season_key, pool)
    label_simulated(season_key, [s.key for s in pool])
    report.skaters = len(pool)
    strengths = {s.key: s for s in pool}
    rng = random.Random(seed)
    season = Season.objects.get(key=season_key)
    chosen = list(season.competitions.order_by("number"))[:competitions]
    raced = len(chosen) - unraced
    with draws.seeded(rng), _commits_without_waiting():
        for index, competition in enumerate(chosen):
            if index >= raced:
                prepare_competition(competition, strengths, rng, full_fields=full_fields)
                report.prepared.append(competition.pk)
                continue
            report.races += run_competition(
                competition, strengths, rng, full_fields=full_fields, progress=progress
            )
            report.competitions += 1
    report.seconds = wallclock.perf_counter() - started
    return report


@contextmanager
def _commits_without_waiting() -> Iterator[None]:
    """On PostgreSQL, don't wait for each of the simulator's thousand commits to reach the
    disk (``synchronous_commit = off``): a crash could lose the last moment of a simulated
    season, never corrupt it; one full-quota competition took 9.4 s instead of 10.1 s
    (bench/competition.py). Officials' writes at the rink keep the server's setting."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def run_competition(
    competition: Competition,
    strengths: dict[str, FictionalSkater],
    rng: random.Random,
    *,
    full_fields: bool = False,
    progress: Progress | None = None,
) -> int:
    """Run one competition from appointments to final rankings; the number of races."""
    user = prepare_competition(competition, strengths, rng, full_fields=full_fields)
    races = list(
        Race.objects.filter(round__distance_race__competition=competition)
        .select_related("round__distance_race")
        .order_by("scheduled_at", "pk")
    )
    for done, race in enumerate(races, start=1):
        _race(user, race, strengths, rng)
        if progress:
            progress(f"{competition.city} {competition.number}", done, len(races))
    return len(races)


def prepare_competition(
    competition: Competition,
    strengths: dict[str, FictionalSkater],
    rng: random.Random,
    *,
    full_fields: bool = False,
):
    """Everything before the first race: appointments, sessions, entries, the first rounds
    drawn and every race scheduled. Returns the simulator's account."""
    user = _appoint_simulator(competition)
    eve = _local(competition, 1, time(8, 0)) - timedelta(days=3)
    with clock.at(eve):
        sessions = _set_up_sessions(user, competition)
        for distance_race in competition.distance_races.all():
            _enter(user, distance_race, strengths, rng, full_fields)
    with clock.at(_local(competition, 1, time(7, 30))):
        for distance_race in competition.distance_races.all():
            draws.draw_first_round(user, distance_race, seed=rng.randrange(2**31))
        _schedule(user, competition, sessions)
    return user


# -- set-up ---------------------------------------------------------------------------


def _import_season(season_key: str, pool: list[FictionalSkater]) -> None:
    skaters = [
        {
            "isu_id": s.key,
            "given_name": s.given_name,
            "family_name": s.family_name,
            "gender": s.gender,
            "birth_date": s.birth_date.isoformat(),
            "member": s.member,
        }
        for s in pool
    ]
    document = {
        "format": "shorttrack-interchange",
        "version": 1,
        "sets": [calendar_document(season_key), {"kind": "skaters", "skaters": skaters}],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"simulated-{season_key.replace('/', '-')}.json"
        path.write_text(json.dumps(document, ensure_ascii=False))
        import_paths([path])


def _appoint_simulator(competition: Competition):
    official = None
    for role in ROLES:
        try:
            official, _ = setup.appoint_from_server(competition, SIMULATOR, role)
        except Invalid:
            continue  # already appointed: a competition run again
    return official.user if official else _simulator_user()


def _simulator_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=SIMULATOR)


def _local(competition: Competition, day: int, clock_time: time) -> datetime:
    return setup.local_moment(competition, day, clock_time)


def _set_up_sessions(user, competition: Competition) -> dict[tuple[int, str], object]:
    sessions = {}
    for day, blocks in SESSIONS.items():
        for name, starts, ends in blocks:
            sessions[(day, name)] = setup.add_session(
                user, competition, day=day, name=name, starts=starts, ends=ends
            )
    return sessions


def _enter(user, distance_race: DistanceRace, strengths, rng: random.Random, full: bool) -> None:
    """Each Member enters its best skaters for the distance, up to the season's quota; the
    smaller nations send fewer unless ``full``."""
    rules = season_rules(distance_race.competition.season.rules_key)
    quota = rules.quota("per_member_per_distance").value
    distance = distance_race.rules_distance
    by_member: dict[str, list[Skater]] = {}
    gender_filter = {} if distance.mixed else {"gender": distance.gender.value}
    for skater in (
        Skater.objects.filter(fictional=True, **gender_filter)
        .select_related("member")
        .order_by("key")
    ):
        if skater.key in strengths:
            by_member.setdefault(skater.member.code, []).append(skater)

    def ability(skater: Skater) -> float:
        return strengths[skater.key].strength(distance.metres)

    if distance.relay:
        # Relay fields are smaller than individual ones: the strongest nations that can
        # field a team (16, or 32 with full fields; the progression table covers 32).
        nations = sorted(by_member, key=lambda c: (-NATION_STRENGTH.get(c, 0), c))
        for code in nations[: 32 if full else 16]:
            skaters = by_member[code]
            if distance.mixed:
                women = sorted(
                    (s for s in skaters if s.gender == "women"), key=ability, reverse=True
                )
                men = sorted((s for s in skaters if s.gender == "men"), key=ability, reverse=True)
                if len(women) < 2 or len(men) < 2:
                    continue
                line_up, reserve = women[:2] + men[:2], None
            else:
                ranked = sorted(skaters, key=ability, reverse=True)
                if len(ranked) < 4:
                    continue
                line_up, reserve = ranked[:4], (ranked[4] if len(ranked) > 4 else None)
            enter_relay_team(user, distance_race, line_up[0].member, line_up, reserve=reserve)
        return
    chosen: list[SkaterEntry] = []
    for code, skaters in sorted(by_member.items()):
        ranked = sorted(skaters, key=ability, reverse=True)
        count = quota
        if not full and NATION_STRENGTH.get(code, 0) < 0.5:
            count = rng.randint(1, quota)
        chosen += [SkaterEntry(s) for s in ranked[:count]]
    enter_skaters(user, distance_race, chosen)


def _schedule(user, competition: Competition, sessions) -> None:
    """Every race into its session: early rounds on day 1, quarterfinals on the morning of
    the finals day, semifinals early in its World Cup session, Final B and A at the time
    the calendar gives the final. Day 1 races follow each other every 3 minutes, closer
    when there are more than its session holds (the repechage rounds add many)."""
    zone = ZoneInfo(competition.time_zone)
    day1 = _local(competition, 1, time(9, 30))
    morning: dict[int, datetime] = {}
    afternoon: dict[int, datetime] = {}
    slots = []
    distance_races = list(competition.distance_races.order_by("finals_at", "pk"))
    rounds = {
        distance_race.pk: list(distance_race.rounds.order_by("order"))
        for distance_race in distance_races
    }
    on_day1 = sum(
        round_.races.count()
        for distance_race in distance_races
        for round_ in rounds[distance_race.pk]
        if _on_day_one(RoundKind(round_.kind), rounds[distance_race.pk])
    )
    day1_every = min(RACE_EVERY, timedelta(hours=9, minutes=25) / max(on_day1, 1))
    for distance_race in distance_races:
        final_a = distance_race.finals_at
        finals_day = (final_a.astimezone(zone).date() - competition.start_date).days + 1
        morning.setdefault(finals_day, _local(competition, finals_day, time(9, 30)))
        afternoon.setdefault(finals_day, _local(competition, finals_day, time(13, 15)))
        for round_ in rounds[distance_race.pk]:
            kind = RoundKind(round_.kind)
            for race in round_.races.order_by("number"):
                if kind is RoundKind.FINAL_A:
                    moment, session = final_a, sessions[(finals_day, "World Cup session")]
                elif kind is RoundKind.FINAL_B:
                    moment = final_a - timedelta(minutes=5)
                    session = sessions[(finals_day, "World Cup session")]
                elif kind is RoundKind.SEMIFINALS:
                    moment, session = (
                        afternoon[finals_day],
                        sessions[(finals_day, "World Cup session")],
                    )
                    afternoon[finals_day] += RACE_EVERY
                elif not _on_day_one(kind, rounds[distance_race.pk]):
                    moment, session = morning[finals_day], sessions[(finals_day, "Qualifying")]
                    morning[finals_day] += RACE_EVERY
                else:
                    moment, session = day1, sessions[(1, "Qualifying")]
                    day1 += day1_every
                slots.append(
                    setup.RaceSlot(
                        race, session, moment.astimezone(zone).time().replace(microsecond=0)
                    )
                )
    setup.schedule_races(user, competition, slots)


def _on_day_one(kind: RoundKind, rounds) -> bool:
    """Rounds before the quarterfinals; the quarterfinals too when a repechage follows
    them (the 1500 m of 2019/20), so that the whole repechage is skated on day 1."""
    if kind.final or kind is RoundKind.SEMIFINALS:
        return False
    if kind is not RoundKind.QUARTERFINALS:
        return True
    kinds = [RoundKind(r.kind) for r in rounds]
    return any(k.repechage for k in kinds[kinds.index(RoundKind.QUARTERFINALS) :])


# -- racing ---------------------------------------------------------------------------


def _race(user, race: Race, strengths, rng: random.Random) -> None:
    start_list = _START_LIST.objects(race=race.pk)
    teams = [line.team for line in start_list if line.team_id is not None]
    if teams:
        skating = RelayTeamSkater.objects.filter(reserve=False).select_related("skater")
        prefetch_related_objects(teams, Prefetch("skaters", skating, to_attr="line_up"))
    if not start_list:
        return  # a round left empty (too few qualifiers): nothing to skate
    distance = race.round.distance_race.rules_distance
    kind = RoundKind(race.round.kind)
    starters = [
        Starter(str(line.helmet), _strength(line, distance.metres, strengths), line.start_position)
        for line in start_list
    ]
    simulated = simulate_race(
        distance, kind, starters, rng, qualifying_places=_qualifying_places(race)
    )
    gun = race.scheduled_at
    finish_at = (
        gun
        + timedelta(milliseconds=max((ln.time_ms or 0) for ln in simulated.lines))
        + timedelta(seconds=20)
    )
    # Each step names the race's version as the simulator last saw it, as an official's
    # form does: read with the competition's races, then the one its own write left.
    with clock.at(gun):
        race_results.start_race(user, race, based_on=race_status.known_version(race))
    with clock.at(finish_at):
        race_results.enter_results(
            user, race, _finish_lines(simulated), based_on=race_status.known_version(race)
        )
    decisions = _decisions(simulated)
    if decisions:
        with clock.at(finish_at + timedelta(seconds=70)):
            race_results.decide(user, race, decisions, based_on=race_status.known_version(race))
    with clock.at(finish_at + timedelta(seconds=100 if decisions else 40)):
        race_results.make_official(user, race, based_on=race_status.known_version(race))


# Read before every race: compiled once (store/compiled.py).
_START_LIST = Compiled(
    lambda race: (
        StartListLine.objects.filter(race_id=race)
        .select_related("skater", "team")
        .order_by("start_position")
    )
)


def _qualifying_places(race: Race) -> int:
    """How many of a race qualify by place (the harm that earns an ADV is losing one);
    being sent to a repechage round is not qualifying."""
    plan = draws.stored_plan(race.round)
    by_place = (
        [a for a in plan.advancement if a.fastest is None and a.mark is not Mark.REP]
        if plan
        else []
    )
    return by_place[-1].places[1] if by_place else 0


def _strength(line, metres: int, strengths: dict[str, FictionalSkater]) -> float:
    if line.skater_id:
        return strengths[line.skater.key].strength(metres)
    members = [s.skater for s in line.team.line_up]
    values = [strengths[m.key].strength(metres) for m in members if m.key in strengths]
    return sum(values) / len(values) if values else 0.3


def _finish_lines(race: SimulatedRace) -> list[FinishLine]:
    """What the results officer types: everyone who crossed the line in crossing order
    (the penalised too), then DNF and DNS."""
    crossed = sorted((ln for ln in race.lines if ln.time_ms is not None), key=lambda ln: ln.time_ms)
    lines = [
        FinishLine(
            int(ln.entrant), place, ln.time_ms, laps_ms=ln.laps_ms, lap_positions=ln.lap_positions
        )
        for place, ln in enumerate(crossed, start=1)
    ]
    for ln in race.lines:
        if ln.time_ms is None and ln.status in (Status.DNF, Status.PEN, Status.YC):
            lines.append(
                FinishLine(
                    int(ln.entrant),
                    status="DNF",
                    laps_ms=ln.laps_ms,
                    lap_positions=ln.lap_positions,
                )
            )
        elif ln.status is Status.DNS:
            lines.append(FinishLine(int(ln.entrant), status="DNS"))
    return lines


def _decisions(race: SimulatedRace) -> list[Decision]:
    decisions = []
    for ln in race.lines:
        if ln.status in (Status.PEN, Status.YC):
            decisions.append(Decision(int(ln.entrant), ln.status.value, ln.infringement))
        if ln.advanced:
            decisions.append(Decision(int(ln.entrant), "ADV"))
    return decisions
