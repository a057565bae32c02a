"""What the public may see, decided once: the querysets every public read goes through.

A competition is public when it is published, and so is what belongs to it: its distance
races, rounds, races, sessions, entries, start lists, relay teams, broadcasters and race
events. A revision of a race's result or of a final ranking is public once it is official
(``official_at``) in a published competition; a revision that is not official (being
entered, under review, a draft correction) shows nowhere. A result or ranking line is
public with its revision. Which revision stands at a moment (the newest official at it)
is ``official_at(moment)`` with the newest per race or distance race taken by the reader,
or ``newest_official`` for race results in one query.

Each model's manager is its queryset's (``QuerySet.as_manager()``), so the methods chain
from ``Model.objects`` and from related managers alike (``season.competitions.public()``).
Skaters and nations are not filtered: a name is public, their results are not until
official. tests/store/test_visibility.py fails when public code reads these models
without these methods.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone


class CompetitionQuerySet(models.QuerySet):
    def public(self):
        """Published competitions: the one place the rule is written."""
        return self.filter(published=True)


def _public_competitions():
    from shorttrack.store.models import Competition

    return Competition.objects.public()


class SeasonQuerySet(models.QuerySet):
    def public(self):
        """Seasons with a published competition (a season itself is only a name: its pages
        exist either way and show what is public of it)."""
        return self.filter(pk__in=_public_competitions().values("season_id"))


class InCompetitionQuerySet(models.QuerySet):
    """Rows that belong to a competition, public when it is published."""

    competition = "competition"  # the lookup from a row to its competition

    def public(self):
        return self.filter(**{f"{self.competition}__in": _public_competitions()})


class DistanceRaceQuerySet(InCompetitionQuerySet):
    competition = "competition"


class RoundQuerySet(InCompetitionQuerySet):
    competition = "distance_race__competition"


class RaceQuerySet(InCompetitionQuerySet):
    competition = "round__distance_race__competition"


class SessionQuerySet(InCompetitionQuerySet):
    competition = "competition"


class EntryQuerySet(InCompetitionQuerySet):
    competition = "distance_race__competition"


class RelayTeamQuerySet(InCompetitionQuerySet):
    competition = "distance_race__competition"


class RelayTeamSkaterQuerySet(InCompetitionQuerySet):
    competition = "team__distance_race__competition"


class StartListLineQuerySet(InCompetitionQuerySet):
    competition = "race__round__distance_race__competition"


class RaceEventQuerySet(InCompetitionQuerySet):
    competition = "race__round__distance_race__competition"


class BroadcasterQuerySet(InCompetitionQuerySet):
    def public(self):
        """A broadcaster of the whole season, or of a published competition."""
        return self.filter(Q(competition__isnull=True) | Q(competition__in=_public_competitions()))


class OfficialQuerySet(InCompetitionQuerySet):
    """Revisions (race results, rankings) and their lines: public once the revision is
    official, in a published competition."""

    revision = ""  # the lookup prefix from a row to its revision ("result__" for a line)

    def public(self):
        return super().public().filter(**{f"{self.revision}official_at__isnull": False})

    def official_at(self, moment: datetime | None = None):
        """Public and official at ``moment`` at the latest (now when None)."""
        return self.public().filter(
            **{f"{self.revision}official_at__lte": moment or timezone.now()}
        )

    def official_before(self, moment: datetime):
        """Public and official before ``moment``."""
        return self.public().filter(**{f"{self.revision}official_at__lt": moment})


class RaceResultQuerySet(OfficialQuerySet):
    competition = "race__round__distance_race__competition"

    def newest_official(self, at_most: datetime | None = None, before: datetime | None = None):
        """The result of each race: its newest revision official at ``at_most`` at the latest
        (now when None), or before ``before``; one query."""
        when = (
            Q(official_at__lt=before) if before else Q(official_at__lte=at_most or timezone.now())
        )
        # Correlated on the outer row's race, which public() has already kept.
        newest = (
            self.model.objects.filter(when, race=OuterRef("race"))
            .order_by("-number")
            .values("number")[:1]
        )
        return (
            self.public().filter(when).annotate(newest=Subquery(newest)).filter(number=F("newest"))
        )


class RaceResultLineQuerySet(OfficialQuerySet):
    revision = "result__"
    competition = "result__race__round__distance_race__competition"


class RaceLineSkaterQuerySet(OfficialQuerySet):
    revision = "line__result__"
    competition = "line__result__race__round__distance_race__competition"


class RankingQuerySet(OfficialQuerySet):
    competition = "distance_race__competition"


class RankingLineQuerySet(OfficialQuerySet):
    revision = "ranking__"
    competition = "ranking__distance_race__competition"
