"""Race results as the officials make them: the finish, the referee's decisions, official,
corrections and reruns.

A race goes scheduled -> started -> unofficial -> under review -> official, or back to
scheduled for a rerun (``rules.race_lifecycle`` says which role may make each move). The
results officer starts the race and enters the finish: helmet numbers in finish order,
then times, DNF and DNS (``finish_order`` builds the lines from that keyboard form). The
referee decides (PEN or YC with the infringement, RC, ADV, ADA or ADB, or CLEAR to lift a
decision), makes the result official, orders reruns and corrects official results with a
reason.

Every entry and every decision is a new ``RaceResult`` revision; stored lines are never
changed. Each line keeps the finish as entered (``finish_place``) beside the place after
the decisions, so a PEN moves the others up and lifting it puts everyone back. Every move
is a ``RaceEvent``, and the latest one's id is the race's version: each write takes
``based_on``, the version the official's form was made from, and a write based on an
older one is refused with ``Conflict`` naming what changed since. Every write starts
with the same preamble (``acting_on``): the race locked, the move allowed from the
version the write is based on, the latest result read. What follows a result becoming
official (qualification marks, the next round, the final ranking, and after a
correction re-derivation or a conflict) is in ``services.advancement``, run in the same
transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q

from shorttrack.queries.race_names import race_name
from shorttrack.rules.cards import Card, second_yellow_cards
from shorttrack.rules.race_lifecycle import Move, RaceAction
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.records import implausible_time
from shorttrack.rules.result_sheet import (
    SheetLine,
    place_findings,
    status_findings,
    time_findings,
)
from shorttrack.rules.times import format_time, parse_time
from shorttrack.services import advancement, clock, race_status
from shorttrack.services.draws import stored_plan
from shorttrack.services.entries import exclude_from_competition
from shorttrack.services.errors import Checks, Invalid, Removal
from shorttrack.services.result_lines import (
    ADVANCED_TO,
    CARDS,
    ENTERED,
    Line,
    entrant_key,
    latest_result,
    lines_of,
    same_sheet,
    save_revision,
    settle,
)
from shorttrack.services.write_log import logged_write
from shorttrack.store.compiled import Compiled
from shorttrack.store.models import Race, RaceResult, RaceResultLine, StartListLine

CONSOLE = "officials' console"
DECISIONS = CARDS + tuple(ADVANCED_TO) + ("CLEAR",)


@dataclass(frozen=True)
class FinishLine:
    """One starter's finish as the results officer enters it.

    ``status`` is "finished", "DNF" or "DNS"; a finisher has a ``place`` (two finishers
    share one only as a marked ``dead_heat``); ``time`` as '1:23.456' or milliseconds.
    ``on_purpose``: the official confirms that this line may take away what the current
    revision holds for the starter (``removals``); the save then needs a reason.
    """

    helmet: int
    place: int | None = None
    time: str | int | None = None
    status: str = "finished"
    dead_heat: bool = False
    laps_ms: Sequence[int] = ()
    lap_positions: Sequence[int] = ()
    on_purpose: bool = False


@dataclass(frozen=True)
class Decision:
    """A referee's decision on one starter: PEN, YC or RC with the infringement, ADV
    (advanced to the next round as an extra starter; from the semifinals, Final A), ADA or
    ADB (advanced to Final A or Final B, from a round that sends skaters to both), or CLEAR
    (every decision on this starter lifted)."""

    helmet: int
    kind: str
    infringement: str = ""


def finish_order(
    order: Sequence[int | Sequence[int]],
    times: Sequence[str | int | None] = (),
    *,
    dnf: Sequence[int] = (),
    dns: Sequence[int] = (),
) -> list[FinishLine]:
    """The finish as typed at the rink: helmets in finish order (a tuple of helmets for a
    dead heat), their times in the same order, then who did not finish or start.

    ``finish_order([12, (7, 31), 4], ["41.902", "42.010", "42.010", "42.377"], dnf=[9])``
    places 12 first, 7 and 31 second in a dead heat, 4 fourth, and 9 did not finish.
    """
    lines: list[FinishLine] = []
    position = 0
    for item in order:
        helmets = [item] if isinstance(item, int) else list(item)
        place = position + 1
        for helmet in helmets:
            time = times[position] if position < len(times) else None
            lines.append(FinishLine(helmet, place, time, dead_heat=len(helmets) > 1))
            position += 1
    lines += [FinishLine(h, status="DNF") for h in dnf]
    lines += [FinishLine(h, status="DNS") for h in dns]
    return lines


# -- the preamble of every write ---------------------------------------------------------


class Acting:
    """A write to a race as it is now: the race, locked; the move the acting official may
    make; its latest result (None before the first), read when first asked for (starting
    a race or taking it under review needs none)."""

    def __init__(self, race: Race, move: Move) -> None:
        self.race, self.move = race, move

    @cached_property
    def previous(self) -> RaceResult | None:
        return latest_result(self.race)

    @property
    def next_number(self) -> int:
        """The number of the revision this write saves: the race is locked, so no other
        can come between."""
        return self.previous.number + 1 if self.previous is not None else 1


@contextmanager
def acting_on(
    user,
    race: Race,
    action: RaceAction | Callable[[Race], RaceAction],
    reason: str = "",
    *,
    based_on: int | None,
    needs_result: str = "",
) -> Iterator[Acting]:
    """Lock the race, then refuse the write unless the user may make this move from the
    version it is ``based_on`` (``Conflict`` naming what changed since, who and when);
    ``needs_result``: the refusal when the race has no result with lines yet.

    ``based_on`` is the race's version the write was made from, as its caller read it:
    the console's form, the simulator before each step, the import when it validated.
    Every public write requires it, so a caller that forgets it fails at once. ``None``,
    said explicitly, acts on the race as it is under this lock: for a script that holds
    the race in its own transaction, never for a form. ``action`` may depend on the race as it is now (laps: an
    entry before official, a correction after)."""
    with race_status.locked(race, user) as current:
        chosen = action(current) if callable(action) else action
        acting = Acting(
            current, race_status.allow(user, current, chosen, reason, based_on=based_on)
        )
        if needs_result and (acting.previous is None or not acting.previous.lines.exists()):
            raise Invalid("race", f"{race_name(current)} {needs_result}")
        yield acting


# -- the results officer ----------------------------------------------------------------


@logged_write
def start_race(user, race: Race, *, based_on: int | None) -> Race:
    """The starter's gun: the race is under way."""
    with acting_on(user, race, RaceAction.START, based_on=based_on) as acting:
        race_status.record(acting.race, acting.move, user, reason="started")
    return race


@logged_write
def enter_results(
    user,
    race: Race,
    lines: Sequence[FinishLine],
    *,
    reason: str = "",
    source: str = CONSOLE,
    based_on: int | None,
) -> RaceResult:
    """The finish of a started race, every starter on a line; entering it again before
    the race is official makes a new revision. Decisions the referee already made on the
    race stand (a lifted one with CLEAR)."""
    with acting_on(user, race, RaceAction.ENTER_RESULTS, based_on=based_on) as acting:
        current, move, previous = acting.race, acting.move, acting.previous
        worked = _entered(current, _starters(current), lines)
        if previous is not None:
            _carry_decisions(worked, lines_of(previous))
            _carry_laps(worked, lines_of(previous))
            refuse_removals(current, lines_of(previous), worked, _on_purpose(lines), reason=reason)
        _settle(worked)
        now = clock.now()
        result = save_revision(
            current,
            worked,
            user,
            source,
            reason or "finish entered by the results officer",
            at=now,
            number=acting.next_number,
        )
        race_status.record(current, move, user, result=result, at=now)
    return result


# -- the referee ------------------------------------------------------------------------


@logged_write
def decide(
    user,
    race: Race,
    decisions: Sequence[Decision],
    *,
    reason: str = "",
    source: str = CONSOLE,
    based_on: int | None,
) -> RaceResult:
    """The referee's decisions on an unofficial race, as a new revision; the race is then
    under review until it is made official."""
    with acting_on(
        user,
        race,
        RaceAction.DECIDE,
        based_on=based_on,
        needs_result="has no finish to decide on yet",
    ) as acting:
        current, move, previous = acting.race, acting.move, acting.previous
        if not decisions:
            raise Invalid("decisions", "no decision given")
        worked = lines_of(previous)
        notes = _apply_decisions(current, worked, decisions)
        _settle(worked)
        now = clock.now()
        why = "; ".join([reason or describe(decisions), *notes])
        result = save_revision(
            current, worked, user, source, why, at=now, number=acting.next_number
        )
        race_status.record(current, move, user, result=result, at=now)
    return result


@logged_write
def open_review(user, race: Race, reason: str = "", *, based_on: int | None) -> Race:
    """The referee takes the race under review (video); nothing is official meanwhile."""
    with acting_on(user, race, RaceAction.REVIEW, reason, based_on=based_on) as acting:
        race_status.record(acting.race, acting.move, user, reason=reason or "under review")
    return race


@logged_write
def make_official(user, race: Race, *, source: str = CONSOLE, based_on: int | None) -> RaceResult:
    """Make the latest result official. In the same transaction: the qualification
    marks, the next round when this race completes its round, the final ranking when it
    completes the finals (``services.advancement``)."""
    with acting_on(
        user,
        race,
        RaceAction.MAKE_OFFICIAL,
        based_on=based_on,
        needs_result="has no result to make official",
    ) as acting:
        current, move, previous = acting.race, acting.move, acting.previous
        now = clock.now()
        result = advancement.after_official(current, previous, user, now, source)
        race_status.record(current, move, user, result=result, reason="made official", at=now)
        _exclude_red_cards(current, lines_of(previous), user, now)
        advancement.after_round(current, user, now, source)
    return result


@logged_write
def correct_results(
    user,
    race: Race,
    *,
    reason: str,
    lines: Sequence[FinishLine] | None = None,
    decisions: Sequence[Decision] = (),
    source: str = CONSOLE,
    based_on: int | None,
) -> RaceResult:
    """Correct an official result with a new finish (``lines``), decisions, or both.

    The correction is official at once. What depends on it follows in the same
    transaction (``services.advancement``): the qualifiers of the next round are
    re-derived while it has not started, or a conflict is flagged; the final ranking is
    computed again, a new revision when it changed.
    """
    with acting_on(user, race, RaceAction.CORRECT, reason, based_on=based_on) as acting:
        current, move, previous = acting.race, acting.move, acting.previous
        if lines is None and not decisions:
            raise Invalid("lines", "nothing to correct: give a new finish, decisions, or both")
        if lines is not None:
            worked = _entered(current, _starters(current), lines)
            _carry_decisions(worked, lines_of(previous))
            _carry_laps(worked, lines_of(previous))
            refuse_removals(current, lines_of(previous), worked, _on_purpose(lines), reason=reason)
        else:
            worked = lines_of(previous)
        notes = _apply_decisions(current, worked, decisions)
        _settle(worked)
        if same_sheet(worked, previous.lines.all(), laps=True, marks=lines is None):
            raise Invalid(
                "lines", f"the correction changes nothing in the official {race_name(current)}"
            )
        why = "; ".join([move.reason, *notes])
        now = clock.now()
        result = advancement.after_correction(
            current, worked, user, now, source, why, number=acting.next_number
        )
        race_status.record(current, move, user, result=result, reason=why, at=now)
        _exclude_red_cards(current, worked, user, now)
        advancement.after_round(current, user, now, source, correction=why)
    return result


@logged_write
def rerun(user, race: Race, reason: str, *, based_on: int | None) -> Race:
    """The race is skated again: it is scheduled once more and the results entered so far
    are set aside by an empty revision (they stay on record); the start list stands."""
    with acting_on(user, race, RaceAction.RERUN, reason, based_on=based_on) as acting:
        current, move, previous = acting.race, acting.move, acting.previous
        now = clock.now()
        result = None
        if previous is not None and previous.lines.exists():
            result = save_revision(
                current,
                [],
                user,
                CONSOLE,
                f"rerun: {move.reason}",
                at=now,
                number=acting.next_number,
            )
        race_status.record(current, move, user, result=result, at=now)
    return race


def _exclude_red_cards(race: Race, lines: Sequence[Line], user, at) -> None:
    """A red card in an official result (its ``lines``) excludes the skater from the
    competition."""
    competition = race.round.distance_race.competition
    for skater_id in sorted(
        {line.skater_id for line in lines if line.status == "RC" and line.skater_id}
    ):
        exclude_from_competition(
            user, skater_id, competition, at, f"red card (RC) in {race_name(race)}"
        )


def describe(decisions: Sequence[Decision]) -> str:
    """'referee: PEN helmet 7 (impeding); ADV helmet 12' for the revision's reason."""
    parts = []
    for d in decisions:
        text = f"{d.kind.upper()} helmet {d.helmet}"
        parts.append(f"{text} ({d.infringement.strip()})" if d.infringement.strip() else text)
    return "referee: " + "; ".join(parts)


# -- checking what was entered ----------------------------------------------------------


def _starters(race: Race) -> dict[int, StartListLine]:
    starters = {}
    for line in _START_LIST.objects(race=race.pk):
        StartListLine.race.field.set_cached_value(line, race)
        starters[line.helmet] = line
    return starters


# Read at every finish entered: compiled once (store/compiled.py). Unordered: keyed by
# helmet (the model's ordering would join five tables to sort).
_START_LIST = Compiled(lambda race: StartListLine.objects.filter(race_id=race).order_by())


def _entered(
    race: Race, starters: dict[int, StartListLine], lines: Sequence[FinishLine]
) -> list[Line]:
    """A finish as entered, checked against the start list; every problem is reported."""
    checks = Checks()
    name = race_name(race)
    distance = race.round.distance_race.rules_distance
    if not starters:
        raise Invalid("race", f"{name} has no start list yet")
    counts = Counter(line.helmet for line in lines)
    reported: set[int] = set()
    worked: list[Line] = []
    for index, line in enumerate(lines):
        where = f"lines[{index}]"
        starter = starters.get(line.helmet)
        if starter is None:
            helmets = ", ".join(str(h) for h in sorted(starters))
            checks.add(where, f"helmet {line.helmet} does not start in {name} (helmets {helmets})")
            continue
        if counts[line.helmet] > 1:
            if line.helmet not in reported:
                checks.add(where, f"helmet {line.helmet} is entered {counts[line.helmet]} times")
                reported.add(line.helmet)
            continue
        if line.status not in ENTERED:
            checks.add(
                where,
                f"helmet {line.helmet}: {line.status!r} is not entered by the results officer "
                "(finished, DNF or DNS); PEN, YC and RC are the referee's",
            )
            continue
        time_ms = None
        if line.time not in (None, ""):
            try:
                time_ms = parse_time(line.time) if isinstance(line.time, str) else int(line.time)
            except ValueError as error:
                checks.add(where, f"helmet {line.helmet}: {error}")
                continue
            wrong = implausible_time(distance, time_ms)
            if wrong:
                checks.add(where, f"helmet {line.helmet}: {wrong}")
                continue
        if line.status == "finished" and (line.place is None or line.place < 1):
            checks.add(where, f"helmet {line.helmet} finished: give its place")
            continue
        wrong = status_findings(
            [SheetLine(str(line.helmet), line.place, False, time_ms, line.status)], "helmet"
        )
        if wrong:
            checks.add(where, wrong[0].reason)
            continue
        if len(line.lap_positions) not in (0, len(line.laps_ms)):
            checks.add(
                where,
                f"helmet {line.helmet}: {len(line.laps_ms)} lap times but "
                f"{len(line.lap_positions)} lap positions",
            )
        worked.append(
            Line(
                helmet=line.helmet,
                start_position=starter.start_position,
                skater_id=starter.skater_id,
                team_id=starter.team_id,
                member_id=starter.member_id,
                entered=line.status,
                finish_place=line.place,
                dead_heat=line.dead_heat,
                time_ms=time_ms,
                laps_ms=[int(t) for t in line.laps_ms],
                lap_positions=[int(p) for p in line.lap_positions],
            )
        )
    for helmet in sorted(set(starters) - set(counts)):
        checks.add(
            "lines",
            f"helmet {helmet} starts in {name} but is not in the result: "
            "give its place, DNF or DNS",
        )
    checks.done()  # places are checked only among lines that are right on their own
    _check_places(checks, [line for line in worked if line.entered == "finished"])
    checks.done()
    return worked


def _check_places(checks: Checks, finishers: list[Line]) -> None:
    """The finish places as the results officer numbered them (``rules.result_sheet``):
    every place filled, shared only as a marked dead heat."""
    sheet = [SheetLine(str(line.helmet), line.finish_place, line.dead_heat) for line in finishers]
    for finding in place_findings(sheet, "helmet"):
        checks.add(finding.field, finding.reason)


def _settle(worked: list[Line]) -> None:
    """The places after the decisions, and finishers' times in the order of their places
    (``rules.result_sheet``): a faster time behind a slower one is a typing error unless
    the referee marked it."""
    settle(worked)
    checks = Checks()
    sheet = [
        SheetLine(str(line.helmet), line.place, line.dead_heat, line.time_ms, line.status)
        for line in worked
    ]
    for finding in time_findings(sheet, "helmet"):
        checks.add(finding.field, finding.reason)
    checks.done()


# -- what a save takes away -------------------------------------------------------------


def removals(before: Sequence[Line], after: Sequence[Line]) -> dict[int, list[str]]:
    """What the new lines take away from the current revision's, by helmet: a time it
    holds, a place it holds, its laps ('helmet 7: time 43.100 removed'). A starter
    missing from ``after`` loses all of it."""
    by_helmet = {line.helmet: line for line in after}
    gone: dict[int, list[str]] = {}
    for old in before:
        if old.helmet is None:
            continue
        new = by_helmet.get(old.helmet)
        texts = []
        if old.time_ms is not None and (new is None or new.time_ms is None):
            texts.append(f"helmet {old.helmet}: time {format_time(old.time_ms)} removed")
        if old.entered == "finished" and old.finish_place is not None:
            if new is None or new.entered != "finished":
                now = f" ({new.entered} now)" if new is not None else ""
                texts.append(f"helmet {old.helmet}: place {old.finish_place} removed{now}")
        if old.laps_ms and (new is None or not new.laps_ms):
            texts.append(f"helmet {old.helmet}: its {len(old.laps_ms)} laps removed")
        if texts:
            gone[old.helmet] = texts
    return gone


def refuse_removals(
    race: Race,
    before: Sequence[Line],
    after: Sequence[Line],
    on_purpose: set[int],
    *,
    reason: str,
) -> None:
    """Refuse a save that takes away what the current revision holds (``removals``)
    unless each such line is confirmed ``on_purpose`` and the save gives a reason:
    ``Removal`` names every time, place and lap it would take."""
    gone = removals(before, after)
    unconfirmed = _unconfirmed(gone, on_purpose)
    if unconfirmed:
        raise Removal(race_name(race), unconfirmed)
    if gone and not reason.strip():
        raise Removal(race_name(race), [text for texts in gone.values() for text in texts])


def unconfirmed_removals(race: Race, lines: Sequence[FinishLine]) -> list[str]:
    """What entering ``lines`` would take away from the race's current revision without
    the official confirming it on purpose: the texts the save's ``Removal`` names, for a
    form to ask before it sends. [] when nothing, or when the lines are refused for
    another reason (the save says which)."""
    previous = latest_result(race)
    if previous is None:
        return []
    try:
        worked = _entered(race, _starters(race), lines)
    except Invalid:
        return []
    _carry_laps(worked, lines_of(previous))
    return _unconfirmed(removals(lines_of(previous), worked), _on_purpose(lines))


def _unconfirmed(gone: dict[int, list[str]], on_purpose: set[int]) -> list[str]:
    return [text for helmet, texts in gone.items() if helmet not in on_purpose for text in texts]


def _on_purpose(lines: Sequence[FinishLine]) -> set[int]:
    return {line.helmet for line in lines if line.on_purpose}


# -- decisions --------------------------------------------------------------------------


def _carry_decisions(worked: list[Line], earlier: list[Line]) -> None:
    """The referee's decisions stand when the finish is entered again (not for a starter
    now entered as DNS, who did not race)."""
    by_helmet = {line.helmet: line for line in earlier}
    for line in worked:
        before = by_helmet.get(line.helmet)
        if before is not None and line.entered != "DNS":
            line.decision, line.advanced, line.advanced_to, line.warnings = (
                before.decision,
                before.advanced,
                before.advanced_to,
                before.warnings,
            )


def _carry_laps(worked: list[Line], earlier: list[Line]) -> None:
    """The laps the timing gave (``services.laps``) stay when the finish is typed again
    without them: retyping a time must not wipe the lap chart (not for a DNS, who did not
    race)."""
    by_helmet = {line.helmet: line for line in earlier}
    for line in worked:
        before = by_helmet.get(line.helmet)
        if before is not None and line.entered != "DNS" and not line.laps_ms:
            line.laps_ms = before.laps_ms
            line.lap_elapsed_ms = before.lap_elapsed_ms
            line.lap_positions = before.lap_positions


def _apply_decisions(race: Race, worked: list[Line], decisions: Sequence[Decision]) -> list[str]:
    """Apply the decisions to the lines, or refuse them all; notes on what followed."""
    checks = Checks()
    name = race_name(race)
    by_helmet = {line.helmet: line for line in worked}
    final = RoundKind(race.round.kind).final
    plan = stored_plan(race.round)
    targets = plan.targets if plan is not None else None  # None: a round imported as printed
    counts = Counter(d.helmet for d in decisions)
    for index, decision in enumerate(decisions):
        where = f"decisions[{index}]"
        line = by_helmet.get(decision.helmet)
        kind = decision.kind.strip().upper()
        infringement = decision.infringement.strip()
        if line is None:
            helmets = ", ".join(str(h) for h in sorted(by_helmet))
            checks.add(where, f"helmet {decision.helmet} is not in {name} (helmets {helmets})")
        elif kind not in DECISIONS:
            checks.add(
                where,
                f"unknown decision {decision.kind!r}: expected PEN, YC, RC, ADV, ADA, ADB or CLEAR",
            )
        elif counts[decision.helmet] > 1:
            checks.add(
                where,
                f"helmet {decision.helmet} is given {counts[decision.helmet]} decisions at once",
            )
        elif kind == "CLEAR":
            line.decision, line.advanced, line.warnings = "", False, ""
        elif line.entered == "DNS":
            checks.add(where, f"helmet {decision.helmet} did not start {name}: no decision applies")
        elif kind in ADVANCED_TO:
            to = ADVANCED_TO[kind]
            if final:
                checks.add(where, f"{name} is a final: there is no next round to advance to")
            elif to is not None and targets is not None and to not in targets:
                checks.add(
                    where,
                    f"{kind} advances to {to.label}, but {name} sends skaters to "
                    + " and ".join(target.label for target in targets)
                    + ": give ADV",
                )
            elif line.decision:
                checks.add(
                    where,
                    f"helmet {decision.helmet} has a {line.decision} in this race and cannot "
                    "be advanced",
                )
            else:
                line.advanced, line.advanced_to = True, to
                line.warnings = infringement[:40] or line.warnings
        elif not infringement:
            checks.add(where, f"{kind} for helmet {decision.helmet}: name the infringement")
        elif line.decision and CARDS.index(line.decision) > CARDS.index(kind):
            checks.add(
                where, f"helmet {decision.helmet} already has a {line.decision}, more than a {kind}"
            )
        else:
            line.decision, line.advanced, line.warnings = kind, False, infringement[:40]
    checks.done()
    return _second_yellow_cards(race, worked)


def _second_yellow_cards(race: Race, worked: list[Line]) -> list[str]:
    """Two yellow cards at one competition make a red card (``rules.cards``): the cards
    standing in the competition's other races, then this race's; says whose. A relay
    team is carded as the team (RULES.md section 2), across the rounds of its relay."""
    carded = {line.entrant: line for line in worked if line.decision == "YC"}
    if not carded:
        return []
    competition = race.round.distance_race.competition
    skaters = [line.skater_id for line in carded.values() if line.skater_id]
    teams = [line.team_id for line in carded.values() if not line.skater_id and line.team_id]
    earlier = (
        RaceResultLine.objects.filter(Q(skater_id__in=skaters) | Q(team_id__in=teams))
        .filter(
            status__in=("YC", "RC"),
            result__race__round__distance_race__competition=competition,
        )
        .exclude(result__race=race)
        .select_related("result__race__round__distance_race__competition")
        .order_by("result__race__scheduled_at", "result__race_id", "pk")
    )
    standing = []
    for row in earlier:
        latest = latest_result(row.result.race)
        if latest is None or latest.pk != row.result_id:
            continue  # that card was lifted since
        standing.append(Card(entrant_key(row), row.status, race_name(row.result.race)))
    now = [Card(entrant, "YC", race_name(race)) for entrant in carded]
    notes: list[str] = []
    for second in second_yellow_cards(standing + now):
        if second.card not in now:
            continue  # a card of another race, decided there
        line = carded[second.card.entrant]
        line.decision = "RC"
        line.warnings = f"{line.warnings}; 2nd YC"[-40:] if line.warnings else "2nd YC"
        notes.append(f"helmet {line.helmet}: {second.reason}")
    return notes
