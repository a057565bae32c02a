"""How much of a season's or a competition's results the store holds, and the words the
pages say it in.

A season imported from published reports (the real 2022/23: podiums and a few places from
the press) holds final rankings that know only some places, and few races with a result
sheet. Its standings, skater and competition pages must not look complete: World Cup
points that need an unknown place are missing, so its totals are lower than those
published. This module is the one place that decides what is incomplete and how that is
said; the pages show its ``note`` (site/coverage_note.html) and their JSON twins carry the
whole ``coverage`` object.

Only what the public may see counts: the current official ranking of each distance race
of the published competitions, and the official race results.
"""

from __future__ import annotations

from dataclasses import dataclass

from shorttrack.queries.public import official_rankings
from shorttrack.store.models import Competition, DistanceRace, RaceResult, Season


@dataclass(frozen=True)
class Holdings:
    """What the store holds of some distance races."""

    final_rankings: int  # distance races with an official final ranking
    partial_rankings: int  # of those, rankings that know only some places
    imported_partial: int  # of those, ranks imported from published reports (podiums, ...)
    with_race_results: int  # of those, distance races with an official result of a race

    @property
    def totals_complete(self) -> bool:
        return self.partial_rankings == 0

    @property
    def complete(self) -> bool:
        return self.totals_complete and self.with_race_results == self.final_rankings


def holdings(distance_races) -> Holdings:
    """What the store holds of ``distance_races`` (a queryset of public distance races)."""
    rankings = official_rankings(distance_races.values_list("pk", flat=True))
    ranked = list(rankings)
    with_results = (
        RaceResult.objects.official_at()  # now, as the rankings are
        .filter(race__round__distance_race_id__in=ranked)
        .order_by()  # the default ordering's columns would join the DISTINCT
        .values_list("race__round__distance_race_id", flat=True)
        .distinct()
    )
    return Holdings(
        final_rankings=len(ranked),
        partial_rankings=sum(not ranking.complete for ranking in rankings.values()),
        imported_partial=sum(
            not ranking.complete and ranking.basis == "imported" for ranking in rankings.values()
        ),
        with_race_results=len(set(with_results)),
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def note(scope: str, held: Holdings) -> str | None:
    """What a reader must know of ``held`` before reading totals, in words; None when
    nothing is missing. ``scope`` is "season" or "competition"."""
    if held.complete:
        return None
    subject = f"This {scope}"
    sentences = []
    if not held.totals_complete:
        which = (
            f"its {_count(held.final_rankings, 'distance race')}"
            if held.partial_rankings == held.final_rankings
            else f"{held.partial_rankings} of its {held.final_rankings} distance races"
        )
        # Imported ranks are what was published (podiums, a few more places); a ranking
        # computed from races is partial where a race's result is missing.
        if held.imported_partial == held.partial_rankings:
            known = f"holds the places published for {which} (the podiums and a few more)"
        else:
            known = f"holds only some of the places of {which}"
        sentences.append(
            f"{subject} {known}, not every place: World Cup totals that need an unknown "
            "place are incomplete, lower than the published ones."
        )
    missing = held.final_rankings - held.with_race_results
    if missing == held.final_rankings:
        sentences.append("None of its races has a result sheet: no race pages, no times.")
    elif missing:
        whose = "its" if sentences else f"this {scope}'s"
        sentences.append(
            f"{missing} of {whose} {held.final_rankings} distance races "
            f"{'has' if missing == 1 else 'have'} no result sheets of "
            f"{'its' if missing == 1 else 'their'} heats and finals: no race pages, no times there."
        )
    return " ".join(sentences)


def coverage_document(scope: str, held: Holdings) -> dict:
    """The ``coverage`` object of a page's JSON document."""
    return {
        "complete": held.complete,
        "totals_complete": held.totals_complete,
        "final_rankings": held.final_rankings,
        "partial_rankings": held.partial_rankings,
        "imported_partial": held.imported_partial,
        "with_race_results": held.with_race_results,
        "note": note(scope, held),
    }


def of_season(season: Season) -> dict:
    """The coverage of a season's published competitions."""
    return coverage_document(
        "season", holdings(DistanceRace.objects.public().filter(competition__season=season))
    )


def of_competition(competition: Competition) -> dict:
    """The coverage of one competition."""
    return coverage_document(
        "competition", holdings(DistanceRace.objects.public().filter(competition=competition))
    )
