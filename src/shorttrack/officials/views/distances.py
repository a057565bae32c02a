"""A distance of the competition: its entries (skaters, or relay teams with their skaters),
withdrawals, its rounds as planned for the entries, the draw, when each race is skated,
and the start lists. Every official of the competition may look; the organiser acts."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shorttrack.officials.access import EVERY_ROLE, competition_of_distance, official_page
from shorttrack.officials.board import waiting_for
from shorttrack.officials.forms import (
    DrawForm,
    PlanForm,
    RelayTeamForm,
    WithdrawForm,
    show_refusal,
)
from shorttrack.rules.progression import NoPlanError, plan_for
from shorttrack.rules.season import season_rules
from shorttrack.services.draws import draw_first_round, plan_rounds, setup_version, stored_plan
from shorttrack.services.entries import SkaterEntry, enter_skaters, withdraw
from shorttrack.services.errors import Invalid
from shorttrack.services.officials import ORGANISER
from shorttrack.services.relays import enter_relay_team
from shorttrack.services.result_lines import race_name
from shorttrack.services.setup import RaceSlot, schedule_races, slot_version
from shorttrack.store.models import (
    DistanceRace,
    Draw,
    Entry,
    Member,
    Race,
    Session,
    Skater,
)

TAKE_ENTRIES = "take entries"


def _distance(distance_race_id: int) -> DistanceRace:
    return get_object_or_404(
        DistanceRace.objects.select_related("competition__season"), pk=distance_race_id
    )


def _eligible(distance_race: DistanceRace, member: str):
    """Skaters who may still be entered in the distance (by gender), perhaps of one Member."""
    distance = distance_race.rules_distance
    skaters = Skater.objects.select_related("member").order_by("member__code", "family_name")
    if distance.relay:
        if not distance.mixed:
            skaters = skaters.filter(gender=distance.gender.value)
    else:
        entered = Entry.objects.filter(distance_race=distance_race, skater__isnull=False)
        skaters = skaters.filter(gender=distance.gender.value).exclude(
            pk__in=entered.values("skater_id")
        )
    if member:
        skaters = skaters.filter(member__code=member)
    return skaters


def _rounds(distance_race: DistanceRace) -> list[dict]:
    zone = ZoneInfo(distance_race.competition.time_zone)
    rounds = []
    for round_ in distance_race.rounds.order_by("order").prefetch_related(
        "races__start_list__skater", "races__start_list__team", "races__start_list__member"
    ):
        plan = stored_plan(round_)
        rounds.append(
            {
                "round": round_,
                "plan": plan.describe() if plan else "",
                "races": [
                    {
                        "race": race,
                        "name": race_name(race),
                        "at": race.scheduled_at.astimezone(zone) if race.scheduled_at else None,
                        "version": slot_version(race),
                        "start_list": starters,
                        "waiting": "" if starters else waiting_for(race),
                    }
                    for race in round_.races.all()
                    for starters in [list(race.start_list.all())]
                ],
            }
        )
    return rounds


def _page(request, official, distance_race, status=200, **extra):
    competition = official.competition
    distance = distance_race.rules_distance
    entries = list(
        Entry.objects.filter(distance_race=distance_race)
        .select_related("skater", "team", "member")
        .prefetch_related("team__skaters__skater")
        .order_by("withdrawn_at", "member__code", "helmet")
    )
    active = sum(1 for e in entries if e.withdrawn_at is None)
    drawn = Draw.objects.filter(round__distance_race=distance_race).order_by("drawn_at")
    preview, preview_error = None, ""
    if not drawn and active:
        try:
            rules = season_rules(competition.season.rules_key)
            preview = plan_for(rules, distance_race.distance, active).describe()
        except NoPlanError as error:
            preview_error = str(error)
    member = request.GET.get("member", "").upper()
    eligible = list(_eligible(distance_race, member)) if official.organiser else []
    problems = list(extra.get("problems", []))
    # Reasons about rows or forms the page no longer shows go above it.
    shown = {s.pk for s in eligible}
    entry_errors = extra.get("entry_errors", {})
    problems += [r for pk, reasons in entry_errors.items() if pk not in shown for r in reasons]
    if drawn:
        for form in (extra.get("plan_form"), extra.get("draw_form")):
            if form is not None:
                problems += [r for reasons in form.errors.values() for r in reasons]
    version = setup_version(distance_race)
    context = {
        "official": official,
        "competition": competition,
        "distance_race": distance_race,
        "relay": distance.relay,
        "entries": entries,
        "active": active,
        "draws": list(drawn.select_related("round", "drawn_by")),
        "rounds": _rounds(distance_race),
        "preview": preview,
        "preview_error": preview_error,
        "eligible": eligible,
        "member": member,
        "members": Member.objects.filter(pk__in=Skater.objects.values("member_id")).order_by(
            "code"
        ),
        "sessions": Session.objects.filter(competition=competition).order_by("starts_at"),
        "plan_form": extra.get("plan_form") or PlanForm(initial={"based_on": version}),
        "draw_form": extra.get("draw_form") or DrawForm(initial={"based_on": version}),
        "team_form": extra.get("team_form")
        or RelayTeamForm(members=_team_members(), skaters=eligible),
        "withdraw_form": WithdrawForm(),
        "entry_errors": entry_errors,
        "schedule_errors": extra.get("schedule_errors", {}),
        "problems": problems,
        "posted": extra.get("posted", {}),
    }
    return render(request, "officials/distance.html", context, status=status)


def _changed_since(refused: Invalid) -> bool:
    return any(field == "based_on" for field, _ in refused.problems)


def _team_members():
    return Member.objects.filter(pk__in=Skater.objects.values("member_id")).order_by("code")


@official_page(*EVERY_ROLE, of=competition_of_distance, doing="see the distances")
def distance_page(request, distance_race_id: int, official):
    return _page(request, official, _distance(distance_race_id))


@require_POST
@official_page(ORGANISER, of=competition_of_distance, doing=TAKE_ENTRIES)
def enter(request, distance_race_id: int, official):
    """Enter the ticked skaters, each with a helmet number and season best if typed."""
    distance_race = _distance(distance_race_id)
    ids = [int(pk) for pk in request.POST.getlist("skater") if pk.isdigit()]
    skaters = Skater.objects.in_bulk(ids)
    wanted = [
        SkaterEntry(
            skaters[pk],
            helmet=int(request.POST[f"helmet-{pk}"])
            if request.POST.get(f"helmet-{pk}", "").isdigit()
            else None,
            season_best=request.POST.get(f"best-{pk}", "").strip() or None,
        )
        for pk in ids
        if pk in skaters
    ]
    try:
        entered = enter_skaters(request.user, distance_race, wanted)
    except Invalid as refused:
        errors: dict[int, list[str]] = {}
        problems = []
        for field, reason in refused.problems:
            index = re.fullmatch(r"entries\[(\d+)\]", field)
            if index and int(index[1]) < len(wanted):
                errors.setdefault(wanted[int(index[1])].skater.pk, []).append(reason)
            else:
                problems.append(reason)
        return _page(
            request,
            official,
            distance_race,
            422,
            entry_errors=errors,
            problems=problems,
            posted={"skaters": set(ids), "data": request.POST},
        )
    messages.success(request, f"{len(entered)} entered in the {distance_race.title}.")
    return redirect("officials:distance", distance_race_id=distance_race_id)


@require_POST
@official_page(ORGANISER, of=competition_of_distance, doing=TAKE_ENTRIES)
def enter_team(request, distance_race_id: int, official):
    distance_race = _distance(distance_race_id)
    eligible = list(_eligible(distance_race, ""))
    form = RelayTeamForm(request.POST, members=_team_members(), skaters=eligible)
    if form.is_valid():
        data = form.cleaned_data
        by_pk = {str(s.pk): s for s in eligible}
        try:
            team = enter_relay_team(
                request.user,
                distance_race,
                Member.objects.get(code=data["member"]),
                [by_pk[data[name]] for name in RelayTeamForm.RACERS],
                reserve=by_pk.get(data["reserve"]),
            )
        except Invalid as refused:
            show_refusal(form, refused, {"skaters": "__all__"})
        else:
            messages.success(request, f"Team {team.name} entered in the {distance_race.title}.")
            return redirect("officials:distance", distance_race_id=distance_race_id)
    return _page(request, official, distance_race, 422, team_form=form)


@require_POST
@official_page(ORGANISER, of=competition_of_distance, doing="withdraw entries")
def withdraw_entry(request, distance_race_id: int, entry_id: int, official):
    distance_race = _distance(distance_race_id)
    entry = get_object_or_404(Entry, pk=entry_id, distance_race=distance_race)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(
                "reason", "say why the entry is withdrawn (illness, injury, team decision)"
            )
        withdraw(request.user, entry, form.cleaned_data["reason"])
    except Invalid as refused:
        return _page(request, official, distance_race, 422, problems=refused.reasons)
    messages.success(request, f"{entry.skater or entry.team} withdrawn.")
    return redirect("officials:distance", distance_race_id=distance_race_id)


@require_POST
@official_page(ORGANISER, of=competition_of_distance, doing="plan rounds")
def plan(request, distance_race_id: int, official):
    distance_race = _distance(distance_race_id)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            planned = plan_rounds(
                request.user,
                distance_race,
                table=form.cleaned_data["table"].strip() or None,
                based_on=form.cleaned_data["based_on"] or None,
            )
        except Invalid as refused:
            if _changed_since(refused):  # a fresh form, on the page as it is now
                return _page(request, official, distance_race, 409, problems=[str(refused)])
            show_refusal(form, refused, {"entries": "__all__", "distance_race": "__all__"})
        else:
            messages.success(
                request, f"{len(planned.rounds)} rounds planned for {planned.entries} entries."
            )
            return redirect("officials:distance", distance_race_id=distance_race_id)
    return _page(request, official, distance_race, 422, plan_form=form)


@require_POST
@official_page(ORGANISER, of=competition_of_distance, doing="make draws")
def draw(request, distance_race_id: int, official):
    distance_race = _distance(distance_race_id)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            made = draw_first_round(
                request.user,
                distance_race,
                seed=form.cleaned_data["seed"],
                based_on=form.cleaned_data["based_on"] or None,
            )
        except Invalid as refused:
            if _changed_since(refused):
                return _page(request, official, distance_race, 409, problems=[str(refused)])
            show_refusal(form, refused, {"entries": "__all__", "distance_race": "__all__"})
        else:
            messages.success(
                request, f"{made.round} drawn with seed {made.seed}: the start lists are out."
            )
            return redirect("officials:distance", distance_race_id=distance_race_id)
    return _page(request, official, distance_race, 422, draw_form=form)


@require_POST
@official_page(ORGANISER, of=competition_of_distance, doing="schedule races")
def schedule(request, distance_race_id: int, official):
    """Each race of the distance not yet started: its session and its time."""
    distance_race = _distance(distance_race_id)
    sessions = Session.objects.in_bulk(
        [int(v) for k, v in request.POST.items() if k.startswith("session-") and v.isdigit()]
    )
    slots, errors = [], {}
    for race in Race.objects.filter(round__distance_race=distance_race, status="scheduled"):
        key = f"session-{race.pk}"
        if key not in request.POST:
            continue
        session = sessions.get(int(request.POST[key])) if request.POST[key].isdigit() else None
        text = request.POST.get(f"at-{race.pk}", "").strip()
        at = None
        if text:
            try:
                at = datetime.strptime(text, "%H:%M").time()
            except ValueError:
                errors[race.pk] = [f"{text!r} is not a time of day: write 14:30"]
                continue
        slots.append(RaceSlot(race, session, at, based_on=request.POST.get(f"was-{race.pk}")))
    if not errors:
        try:
            schedule_races(request.user, official.competition, slots)
        except Invalid as refused:
            problems = []
            for field, reason in refused.problems:
                index = re.fullmatch(r"slots\[(\d+)\]", field)
                if index and int(index[1]) < len(slots):
                    errors.setdefault(slots[int(index[1])].race.pk, []).append(reason)
                else:
                    problems.append(reason)
            return _page(
                request,
                official,
                distance_race,
                422,
                schedule_errors=errors,
                problems=problems,
                posted={"data": request.POST},
            )
        else:
            messages.success(request, f"Schedule of the {distance_race.title} saved.")
            return redirect("officials:distance", distance_race_id=distance_race_id)
    return _page(
        request,
        official,
        distance_race,
        422,
        schedule_errors=errors,
        posted={"data": request.POST},
    )
