"""The console's front pages: an official's competitions, and a competition's board of
what is pending by day and session (refreshed every few seconds while open)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shorttrack.officials.access import EVERY_ROLE, competition_of, official_page
from shorttrack.officials.board import board as board_of
from shorttrack.services.officials import ROLE_NAMES
from shorttrack.store.models import CompetitionOfficial

REFRESH_SECONDS = 5


@login_required
def home(request):
    """The competitions where the signed-in user holds a role, newest first."""
    held: dict[int, dict] = {}
    for appointment in (
        CompetitionOfficial.objects.filter(user=request.user)
        .select_related("competition__season")
        .order_by("-competition__start_date", "role")
    ):
        row = held.setdefault(
            appointment.competition_id, {"competition": appointment.competition, "roles": []}
        )
        row["roles"].append(ROLE_NAMES[appointment.role])
    return render(request, "officials/home.html", {"competitions": list(held.values())})


@official_page(*EVERY_ROLE, of=competition_of, doing="see the board of the competition")
def board(request, competition_id: int, official):
    return render(
        request,
        "officials/board.html",
        {
            "official": official,
            "competition": official.competition,
            "board": board_of(official.competition),
            "refresh": REFRESH_SECONDS,
        },
    )


@official_page(*EVERY_ROLE, of=competition_of, doing="see the board of the competition")
def board_part(request, competition_id: int, official):
    """The board alone, for the page to swap in as it refreshes."""
    return render(
        request,
        "officials/board_part.html",
        {
            "official": official,
            "competition": official.competition,
            "board": board_of(official.competition),
            "refresh": REFRESH_SECONDS,
        },
    )
