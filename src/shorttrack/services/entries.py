"""Entries of skaters in the individual distances of a competition, and withdrawals.

The season's rules set the quotas (``[entries]`` of ``rules/seasons/*.toml``): start places
per ISU Member per distance, extra places for the host nation, and the most individual
races a skater may enter in a season. A skater keeps one helmet number for the whole
competition: the first entry gives it (the next free number unless one is asked for) and
later entries reuse it. Entries close when the first round of the distance is drawn.
A withdrawal keeps the entry, marked with who withdrew it, when and why.

Relay teams are entered in ``services.relays``, which shares the quota checks here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from shorttrack.rules.records import implausible_time
from shorttrack.rules.season import season_rules
from shorttrack.rules.times import format_time, parse_time
from shorttrack.services import clock
from shorttrack.services.errors import Checks, Invalid
from shorttrack.services.officials import ORGANISER, require_role
from shorttrack.services.write_log import logged_write
from shorttrack.store.authorship import changed_by
from shorttrack.store.models import Competition, DistanceRace, Draw, Entry, Member, Skater


@dataclass(frozen=True)
class SkaterEntry:
    """One skater to enter; ``season_best`` as '1:23.456' or milliseconds."""

    skater: Skater
    helmet: int | None = None
    season_best: str | int | None = None


@logged_write
def enter_skaters(
    user, distance_race: DistanceRace, entries: Sequence[SkaterEntry | Skater]
) -> list[Entry]:
    """Enter skaters in an individual distance, all of them or none."""
    require_role(user, distance_race.competition, ORGANISER, action="take entries")
    with competition_locked(distance_race.competition):
        return _enter_skaters(user, distance_race, entries)


def _enter_skaters(user, distance_race, entries) -> list[Entry]:
    competition = distance_race.competition
    wanted = [e if isinstance(e, SkaterEntry) else SkaterEntry(e) for e in entries]
    checks = Checks()
    distance = distance_race.rules_distance
    if distance.relay:
        raise Invalid(
            "distance_race", f"the {distance.label} takes relay teams: enter them as teams"
        )
    check_entries_open(distance_race)
    if not wanted:
        raise Invalid("entries", "no skater to enter")

    rules = season_rules(competition.season.rules_key)
    existing = {
        e.skater_id: e
        for e in Entry.objects.filter(distance_race=distance_race, skater__isnull=False)
    }
    helmets = competition_helmets(competition)
    taken = {helmet: skater for skater, helmet in helmets.items()}
    seen: set[int] = set()
    per_member = Counter(
        Entry.objects.filter(distance_race=distance_race, withdrawn_at__isnull=True).values_list(
            "member_id", flat=True
        )
    )
    new_helmets: dict[int, int] = {}
    season_bests: dict[int, int | None] = {}
    for index, entry in enumerate(wanted):
        field = f"entries[{index}]"
        skater = entry.skater
        if skater.pk in seen:
            checks.add(field, f"{skater} is entered twice in this list")
            continue
        seen.add(skater.pk)
        if skater.gender != distance.gender.value:
            checks.add(
                field, f"{skater} skates with the {skater.gender}, not in the {distance.label}"
            )
            continue
        if skater.pk in existing:
            earlier = existing[skater.pk]
            if earlier.withdrawn_at:
                checks.add(
                    field,
                    f"{skater} was withdrawn from the {distance.label} on "
                    f"{earlier.withdrawn_at:%Y-%m-%d %H:%M} ({earlier.withdrawn_reason}) "
                    "and cannot be entered again",
                )
            else:
                checks.add(field, f"{skater} is already entered in the {distance.label}")
            continue
        per_member[skater.member_id] += 1
        helmet = _helmet(checks, field, skater, entry.helmet, helmets, taken)
        if helmet is not None:
            new_helmets[skater.pk] = helmet
            taken[helmet] = skater.pk
        season_bests[skater.pk] = _season_best(checks, field, distance_race, entry.season_best)

    quota = entry_quota(distance_race)
    for member_id, count in per_member.items():
        if count > quota.get(member_id, quota[None]):
            member = next(e.skater.member for e in wanted if e.skater.member_id == member_id)
            allowed = quota.get(member_id, quota[None])
            checks.add(
                "entries",
                f"{member.code} would have {count} skaters in the {distance.label}: "
                f"the {rules.key} quota is {allowed} per ISU Member",
            )
    _check_races_per_skater(checks, competition, [e.skater for e in wanted], rules)
    checks.done()

    now = clock.now()
    return bulk_create_with_history(
        [
            Entry(
                distance_race=distance_race,
                skater=entry.skater,
                member_id=entry.skater.member_id,
                helmet=new_helmets[entry.skater.pk],
                season_best_ms=season_bests[entry.skater.pk],
                entered_at=now,
                entered_by=user,
            )
            for entry in wanted
        ],
        Entry,
        default_user=changed_by(),
        default_date=now,
    )


@logged_write
def withdraw(user, entry: Entry, reason: str) -> Entry:
    """Withdraw an entry. Before the draw the skater or team is simply out; after it, the
    start list stands and the results officer records DNS for the race."""
    competition = entry.distance_race.competition
    require_role(user, competition, ORGANISER, action="withdraw entries")
    if entry.withdrawn_at:
        raise Invalid(
            "entry",
            f"{entry.skater or entry.team} was already withdrawn on {entry.withdrawn_at:%Y-%m-%d %H:%M}",
        )
    if not reason.strip():
        raise Invalid("reason", "say why the entry is withdrawn (illness, injury, team decision)")
    with competition_locked(competition):
        entry.refresh_from_db(fields=["withdrawn_at"])
        if entry.withdrawn_at:
            raise Invalid("entry", f"{entry.skater or entry.team} was withdrawn meanwhile")
        entry.withdrawn_at = clock.now()
        entry.withdrawn_by = user
        entry.withdrawn_reason = reason.strip()[:200]
        entry.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    return entry


def exclude_from_competition(
    user, skater_id: int, competition: Competition, at, reason: str
) -> list[Entry]:
    """A red card excludes a skater from the rest of the competition: their entries in
    the distances whose finals are not yet official are withdrawn with the reason. (Called
    by the referee's services in their transaction; the referee's role was checked there.)
    A start list already drawn stands, and the skater is recorded DNS there."""
    entries = list(
        Entry.objects.filter(
            distance_race__competition=competition, skater_id=skater_id, withdrawn_at__isnull=True
        ).exclude(distance_race__rankings__official_at__isnull=False)
    )
    for entry in entries:
        entry.withdrawn_at, entry.withdrawn_by, entry.withdrawn_reason = at, user, reason[:200]
    bulk_update_with_history(
        entries,
        Entry,
        ["withdrawn_at", "withdrawn_by", "withdrawn_reason"],
        default_user=changed_by(),
        default_date=at,
    )
    return entries


# -- shared with relays and draws ---------------------------------------------------------


@contextmanager
def competition_locked(competition: Competition) -> Iterator[None]:
    """One transaction with the competition's row locked: entries and draws of one
    competition are taken one after the other, so quotas and helmet numbers hold."""
    with transaction.atomic():
        list(Competition.objects.select_for_update().filter(pk=competition.pk).values_list("pk"))
        yield


def check_entries_open(distance_race: DistanceRace) -> None:
    if Draw.objects.filter(round__distance_race=distance_race).exists():
        raise Invalid(
            "distance_race",
            f"entries for the {distance_race.title} closed when its first round was drawn",
        )


def entry_quota(distance_race: DistanceRace) -> dict[int | None, int]:
    """Start places per Member in this distance: member id -> places, None for any Member.

    Individual distances: ``per_member_per_distance``, plus ``host_extra`` for the host
    nation; relays: ``relay_teams_per_member``.
    """
    competition = distance_race.competition
    rules = season_rules(competition.season.rules_key)
    if distance_race.rules_distance.relay:
        return {None: rules.quota("relay_teams_per_member").value}
    places = rules.quota("per_member_per_distance").value
    quota: dict[int | None, int] = {None: places}
    host_id = Member.objects.filter(code=competition.country).values_list("pk", flat=True).first()
    if host_id is not None:
        quota[host_id] = places + rules.quota("host_extra").value
    return quota


def competition_helmets(competition: Competition) -> dict[int, int]:
    """skater id -> helmet number at this competition (individual distances)."""
    return dict(
        Entry.objects.filter(
            distance_race__competition=competition, skater__isnull=False, helmet__isnull=False
        ).values_list("skater_id", "helmet")
    )


def _helmet(checks, field, skater, asked, helmets, taken) -> int | None:
    """The helmet number of a new entry: the skater's at this competition, the one asked
    for if free, else the next free number."""
    own = helmets.get(skater.pk)
    if asked is not None:
        if asked < 1:
            checks.add(field, f"helmet number {asked} must be 1 or more")
            return None
        if own is not None and asked != own:
            checks.add(field, f"{skater} wears helmet {own} at this competition, not {asked}")
            return None
        holder = taken.get(asked)
        if holder is not None and holder != skater.pk:
            checks.add(
                field,
                f"helmet {asked} is worn by {Skater.objects.get(pk=holder)} at this competition",
            )
            return None
        return asked
    if own is not None:
        return own
    return max(taken, default=0) + 1


def _season_best(checks, field, distance_race: DistanceRace, given) -> int | None:
    if given is None or given == "":
        return None
    try:
        ms = parse_time(given) if isinstance(given, str) else int(given)
    except ValueError as error:
        checks.add(field, f"season best: {error}")
        return None
    wrong = implausible_time(distance_race.rules_distance, ms)
    if wrong:
        checks.add(field, f"season best {format_time(max(ms, 0))}: {wrong}")
        return None
    return ms


def _check_races_per_skater(checks, competition: Competition, skaters, rules) -> None:
    """At most ``races_per_skater`` individual races per skater in a season (World Tour)."""
    limit = rules.entries.get("races_per_skater")
    if limit is None:
        return
    ids = [s.pk for s in skaters]
    counts = Counter(
        Entry.objects.filter(
            distance_race__competition__season=competition.season,
            skater_id__in=ids,
            withdrawn_at__isnull=True,
        ).values_list("skater_id", flat=True)
    )
    for skater in skaters:
        if counts[skater.pk] + 1 > limit.value:
            checks.add(
                "entries",
                f"{skater} is already entered in {counts[skater.pk]} individual races of "
                f"{competition.season.key}: the season allows at most {limit.value}",
            )
