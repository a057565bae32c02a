"""The organiser's set-up of a competition: sessions by day, broadcasters, officials, and
the distances with their entries (each distance has its own page, ``views.distances``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shorttrack.officials.access import competition_of, official_page
from shorttrack.officials.board import board as board_of
from shorttrack.officials.forms import AppointForm, BroadcasterForm, SessionForm, show_refusal
from shorttrack.services import setup
from shorttrack.services.errors import Invalid
from shorttrack.services.officials import ORGANISER, ROLE_NAMES, appoint
from shorttrack.store.models import Broadcaster, CompetitionOfficial, DistanceRace, Session

SET_UP = "set up the competition"


def _page(request, official, status=200, **forms):
    competition = official.competition
    distances = (
        DistanceRace.objects.filter(competition=competition)
        .annotate(
            entered=Count("entries", filter=Q(entries__withdrawn_at__isnull=True), distinct=True),
            drawn=Count("rounds__draws", distinct=True),
            races=Count("rounds__races", distinct=True),
        )
        .order_by("finals_at", "distance", "instance")
    )
    context = {
        "official": official,
        "competition": competition,
        "days": board_of(competition).days,
        "broadcasters": Broadcaster.objects.filter(competition=competition),
        "season_broadcasters": Broadcaster.objects.filter(
            season=competition.season, competition__isnull=True
        ),
        "officials": CompetitionOfficial.objects.filter(competition=competition)
        .select_related("user", "appointed_by")
        .order_by("role", "user__username"),
        "role_names": ROLE_NAMES,
        "distances": distances,
        "session_form": forms.get("session_form") or SessionForm(),
        "broadcaster_form": forms.get("broadcaster_form") or BroadcasterForm(),
        "appoint_form": forms.get("appoint_form") or AppointForm(),
        "problem": forms.get("problem"),
    }
    return render(request, "officials/setup.html", context, status=status)


@official_page(ORGANISER, of=competition_of, doing=SET_UP)
def setup_page(request, competition_id: int, official):
    return _page(request, official)


@require_POST
@official_page(ORGANISER, of=competition_of, doing="set up sessions")
def add_session(request, competition_id: int, official):
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = setup.add_session(request.user, official.competition, **form.cleaned_data)
        except Invalid as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{session.name} added on day {session.day}.")
            return redirect("officials:setup", competition_id=competition_id)
    return _page(request, official, 422, session_form=form)


@require_POST
@official_page(ORGANISER, of=competition_of, doing="set up sessions")
def remove_session(request, competition_id: int, session_id: int, official):
    session = get_object_or_404(Session, pk=session_id, competition_id=competition_id)
    try:
        setup.remove_session(request.user, session, based_on=request.POST.get("based_on") or None)
    except Invalid as refused:
        changed = any(field == "based_on" for field, _ in refused.problems)
        return _page(request, official, 409 if changed else 422, problem=str(refused))
    messages.success(request, f"{session.name} on day {session.day} removed.")
    return redirect("officials:setup", competition_id=competition_id)


@require_POST
@official_page(ORGANISER, of=competition_of, doing="add broadcasters")
def add_broadcaster(request, competition_id: int, official):
    form = BroadcasterForm(request.POST)
    if form.is_valid():
        try:
            broadcaster = setup.add_broadcaster(
                request.user, official.competition, **form.cleaned_data
            )
        except Invalid as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{broadcaster} added.")
            return redirect("officials:setup", competition_id=competition_id)
    return _page(request, official, 422, broadcaster_form=form)


@require_POST
@official_page(ORGANISER, of=competition_of, doing="remove broadcasters")
def remove_broadcaster(request, competition_id: int, broadcaster_id: int, official):
    broadcaster = get_object_or_404(Broadcaster, pk=broadcaster_id, competition_id=competition_id)
    setup.remove_broadcaster(request.user, broadcaster)
    messages.success(request, f"{broadcaster} removed.")
    return redirect("officials:setup", competition_id=competition_id)


@require_POST
@official_page(ORGANISER, of=competition_of, doing="appoint officials")
def appoint_official(request, competition_id: int, official):
    form = AppointForm(request.POST)
    if form.is_valid():
        User = get_user_model()
        appointee = User.objects.filter(username=form.cleaned_data["username"]).first()
        if appointee is None:
            form.add_error(
                "username",
                f"no account {form.cleaned_data['username']!r}: the series administrator "
                "creates accounts (`shorttrack official`)",
            )
        else:
            try:
                appoint(request.user, official.competition, appointee, form.cleaned_data["role"])
            except Invalid as refused:
                show_refusal(form, refused, {"user": "username"})
            else:
                role = ROLE_NAMES[form.cleaned_data["role"]]
                messages.success(request, f"{appointee.get_username()} appointed {role}.")
                return redirect("officials:setup", competition_id=competition_id)
    return _page(request, official, 422, appoint_form=form)
