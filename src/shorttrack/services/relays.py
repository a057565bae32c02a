"""Relay teams: entered per ISU Member, with the skaters who race named.

Four skaters of the team's Member race; a fifth may be named as reserve. The women's
3000m relay takes women, the men's 5000m relay men, and the mixed 2000m relay two women
and two men (its reserve may be either). A skater races in one team of a distance race.
The team is what races, so a card given in a relay applies to the whole team.

The line-up may change until the team's first race starts; after that the named skaters
are part of the record of the races already skated, so they stay.
"""

from __future__ import annotations

from collections.abc import Sequence

from shorttrack.rules.distances import Gender
from shorttrack.services import clock
from shorttrack.services.entries import check_entries_open, competition_locked, entry_quota
from shorttrack.services.errors import Checks, Invalid
from shorttrack.services.officials import ORGANISER, require_role
from shorttrack.services.write_log import logged_write
from shorttrack.store.models import (
    DistanceRace,
    Entry,
    Member,
    RaceResultLine,
    RelayTeam,
    RelayTeamSkater,
    Skater,
    StartListLine,
)


@logged_write
def enter_relay_team(
    user,
    distance_race: DistanceRace,
    member: Member,
    skaters: Sequence[Skater],
    *,
    reserve: Skater | None = None,
    helmet: int | None = None,
) -> RelayTeam:
    """Enter a relay team of ``member`` with its four skaters (and a reserve) named.

    The team is named after its Member ("KOR"); a second team of the same Member, where the
    season allows one, is "KOR 2". ``helmet`` is the team's number in the start lists (the
    next free one when not given).
    """
    require_role(user, distance_race.competition, ORGANISER, action="take entries")
    with competition_locked(distance_race.competition):
        distance = distance_race.rules_distance
        if not distance.relay:
            raise Invalid(
                "distance_race", f"the {distance.label} is an individual distance: enter skaters"
            )
        check_entries_open(distance_race)
        checks = Checks()
        _check_line_up(checks, distance_race, member, skaters, reserve, team=None)
        entries = Entry.objects.filter(distance_race=distance_race, team__isnull=False)
        active = [e for e in entries if e.withdrawn_at is None]
        quota = entry_quota(distance_race)[None]
        teams_of_member = sum(1 for e in active if e.member_id == member.pk)
        if teams_of_member + 1 > quota:
            checks.add(
                "member",
                f"{member.code} already has {teams_of_member} team(s) in the {distance.label}: "
                f"the season allows {quota} per ISU Member",
            )
        helmets = {e.helmet for e in active if e.helmet is not None}
        if helmet is not None and (helmet < 1 or helmet in helmets):
            checks.add(
                "helmet",
                f"helmet {helmet} is already a team's number in the {distance.label}"
                if helmet >= 1
                else f"helmet number {helmet} must be 1 or more",
            )
        checks.done()

        names = set(
            RelayTeam.objects.filter(distance_race=distance_race).values_list("name", flat=True)
        )
        name, number = member.code, 1
        while name in names:
            number += 1
            name = f"{member.code} {number}"
        team = RelayTeam.objects.create(distance_race=distance_race, member=member, name=name)
        _save_line_up(team, skaters, reserve)
        Entry.objects.create(
            distance_race=distance_race,
            team=team,
            member=member,
            helmet=helmet
            if helmet is not None
            else max((e.helmet or 0 for e in entries), default=0) + 1,
            entered_at=clock.now(),
            entered_by=user,
        )
        return team


@logged_write
def name_relay_skaters(
    user, team: RelayTeam, skaters: Sequence[Skater], *, reserve: Skater | None = None
) -> RelayTeam:
    """Change who races for a team, until the team's first race starts."""
    distance_race = team.distance_race
    require_role(user, distance_race.competition, ORGANISER, action="name relay skaters")
    with competition_locked(distance_race.competition):
        raced = (
            StartListLine.objects.filter(team=team).exclude(race__status="scheduled").exists()
            or RaceResultLine.objects.filter(team=team).exists()
        )
        if raced:
            raise Invalid(
                "team",
                f"{team.name} has raced in the {distance_race.title}: its skaters are part of "
                "that record and can no longer change",
            )
        checks = Checks()
        _check_line_up(checks, distance_race, team.member, skaters, reserve, team=team)
        checks.done()
        team.skaters.all().delete()
        _save_line_up(team, skaters, reserve)
        return team


def _save_line_up(team: RelayTeam, skaters: Sequence[Skater], reserve: Skater | None) -> None:
    rows = [
        RelayTeamSkater(team=team, skater=skater, order=order, reserve=False)
        for order, skater in enumerate(skaters, start=1)
    ]
    if reserve is not None:
        rows.append(RelayTeamSkater(team=team, skater=reserve, order=5, reserve=True))
    RelayTeamSkater.objects.bulk_create(rows)


def _check_line_up(
    checks: Checks,
    distance_race: DistanceRace,
    member: Member,
    skaters: Sequence[Skater],
    reserve: Skater | None,
    *,
    team: RelayTeam | None,
) -> None:
    """Four skaters of the Member race, the right genders, nobody twice or in two teams."""
    distance = distance_race.rules_distance
    if len(skaters) != 4:
        checks.add(
            "skaters",
            f"a relay team races with 4 skaters, {len(skaters)} named"
            + ("" if reserve else "; a 5th may be named as reserve"),
        )
        return
    everyone = list(skaters) + ([reserve] if reserve is not None else [])
    ids = [s.pk for s in everyone]
    if len(set(ids)) != len(ids):
        twice = next(s for s in everyone if ids.count(s.pk) > 1)
        checks.add("skaters", f"{twice} is named twice")
        return
    for skater in everyone:
        if skater.member_id != member.pk:
            checks.add(
                "skaters",
                f"{skater} skates for {skater.member.code}: a team of {member.code} takes "
                f"skaters of {member.code} only",
            )
    if distance.gender is Gender.MIXED:
        women = sum(1 for s in skaters if s.gender == "women")
        if women != 2:
            checks.add(
                "skaters",
                f"the {distance.label} is raced by 2 women and 2 men; "
                f"{_people(women, 'woman', 'women')} and {_people(4 - women, 'man', 'men')} "
                "were named",
            )
    else:
        for skater in everyone:
            if skater.gender != distance.gender.value:
                checks.add(
                    "skaters" if skater is not reserve else "reserve",
                    f"{skater} skates with the {skater.gender}, not in the {distance.label}",
                )
    others = (
        RelayTeamSkater.objects.filter(team__distance_race=distance_race, skater_id__in=ids)
        .exclude(team__entry__withdrawn_at__isnull=False)
        .select_related("team", "skater")
    )
    if team is not None:
        others = others.exclude(team=team)
    for other in others:
        checks.add("skaters", f"{other.skater} is already named in team {other.team.name}")


def _people(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
