"""Public pages: parse the request, run a query, render."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from shorttrack.queries import standings as q
from shorttrack.store.models import Season


def home(request):
    """The standings tables of a season (the newest one unless ?season=2022-23)."""
    seasons = list(Season.objects.order_by("-key"))
    wanted = request.GET.get("season", "").replace("-", "/")
    season = next((s for s in seasons if s.key == wanted), seasons[0] if seasons else None)
    if wanted and season.key != wanted:
        raise Http404(f"no season {wanted}")
    documents = []
    if season is not None:
        tables, loaded = q.every_standings(season)
        # Overall first, then distances in the order of the rule book, nations last.
        documents = [
            q.standings_document(tables[spec.key], loaded) for spec in loaded.rules.classifications
        ]
        documents.sort(
            key=lambda d: (
                d["classification"] != "overall-women",
                d["classification"] != "overall-men",
            )
        )
    return render(
        request,
        "site/home.html",
        {"seasons": seasons, "season": season, "documents": documents},
    )
