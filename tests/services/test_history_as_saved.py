"""A revision a write creates with lines its service names (``history.saved_lines``) is
sealed from the instances as saved, not read back: its link's content must be the digest
reading the rows back gives, on SQLite and PostgreSQL alike, for results with places,
dead heats, laps and relay teams, and for rankings. Anything written again, or a value
not plainly what the database gives back, is read back instead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shorttrack.queries.history import verify
from shorttrack.services import clock
from shorttrack.services.history import saved_lines, sealing
from shorttrack.store import models
from shorttrack.store.history import RACE_RESULT, RANKING, content_fields, contents
from tests.services import test_history
from tests.services.test_history import digest_table_by_table

# The competition of test_history: heats raced and one corrected, a relay final ranked.
heats, relay_final = test_history.heats, test_history.relay_final

pytestmark = pytest.mark.django_db


def newest_link(subject: str, pk: int) -> models.HistoryLink:
    return models.HistoryLink.objects.filter(subject=subject, subject_id=pk).latest("sequence")


def revision_like(user, race: models.Race, result: models.RaceResult):
    """A new revision of the race with the lines of ``result``, each with laps, the second
    a dead heat: as result_lines.save_revision writes one (the race's round and distance
    race at hand)."""
    revision = models.Revision.objects.create(
        recorded_at=clock.now(), recorded_by=user, source="console", reason="again, with laps"
    )
    copied = models.RaceResult.objects.create(
        race=race,
        number=result.number + 10,
        revision=revision,
        official_at=clock.now() + timedelta(microseconds=7),
    )
    fields = [n for n in content_fields(models.RaceResultLine) if n not in ("id", "result_id")]
    lines = []
    for n, line in enumerate(result.lines.order_by("pk")):
        values = {name: getattr(line, name) for name in fields}
        values |= {"laps_ms": [9_800 + n, 8_700], "lap_elapsed_ms": [9_800 + n, 18_500 + n]}
        values |= {"lap_positions": [n + 1, 1], "dead_heat": n == 1, "warnings": "" if n else "PEN"}
        lines.append(models.RaceResultLine(result=copied, **values))
    return copied, models.RaceResultLine.objects.bulk_create(lines)


def with_race_at_hand(race: models.Race) -> models.Race:
    return models.Race.objects.select_related("round__distance_race").get(pk=race.pk)


@pytest.mark.parametrize("relay", [False, True])
def test_a_new_revision_is_sealed_as_reading_it_back_gives(users, heats, relay_final, relay):
    race = (
        models.Race.objects.filter(round__distance_race=relay_final).first() if relay else heats[1]
    )
    race = with_race_at_hand(race)
    result = models.RaceResult.objects.filter(race=race).latest("number")
    with CaptureQueriesContext(connection) as queries, sealing():
        copied, lines = revision_like(users["referee"], race, result)
        saved_lines(copied, lines)
    assert not [q for q in queries if "store_racelineskater" in q["sql"]]  # not read back
    assert all(line.team_id for line in lines) == relay
    content = newest_link(RACE_RESULT, copied.pk).content
    assert content == contents(RACE_RESULT, [copied.pk])[copied.pk]
    assert content == digest_table_by_table(RACE_RESULT, copied.pk)
    assert verify(race.round.distance_race.competition_id).intact


def test_a_new_ranking_is_sealed_as_reading_it_back_gives(users, relay_final):
    ranking = relay_final.rankings.latest("number")
    distance = models.DistanceRace.objects.get(pk=relay_final.pk)
    fields = [n for n in content_fields(models.RankingLine) if n not in ("id", "ranking_id")]
    rows = [{name: getattr(line, name) for name in fields} for line in ranking.lines.order_by("pk")]
    with CaptureQueriesContext(connection) as queries, sealing():
        revision = models.Revision.objects.create(
            recorded_at=clock.now(), recorded_by=None, source="races", reason=""
        )
        again = models.Ranking.objects.create(
            distance_race=distance,
            number=ranking.number + 1,
            revision=revision,
            official_at=clock.now(),
            basis="races",
            complete=False,
            incomplete_reason="a Final B still to skate",
        )
        lines = models.RankingLine.objects.bulk_create(
            models.RankingLine(ranking=again, **row) for row in rows
        )
        saved_lines(again, lines)
    assert lines
    assert not [
        q for q in queries if q["sql"].startswith("SELECT") and "store_rankingline" in q["sql"]
    ]
    content = newest_link(RANKING, again.pk).content
    assert content == contents(RANKING, [again.pk])[again.pk]
    assert content == digest_table_by_table(RANKING, again.pk)
    assert verify(relay_final.competition_id).intact


def test_what_the_write_changes_after_naming_its_lines_is_read_back(users, heats, relay_final):
    """A line saved again, a skater named for a relay line, a number given as text: the
    revision is read back, and its link is what the rows hold at the write's end."""
    relay_race = with_race_at_hand(
        models.Race.objects.filter(round__distance_race=relay_final).first()
    )
    made = []
    with sealing():
        copied, lines = revision_like(
            users["referee"], heats[1], models.RaceResult.objects.filter(race=heats[1]).first()
        )
        saved_lines(copied, lines)
        lines[0].time_ms -= 900
        lines[0].save()
        made.append(copied)

        copied, lines = revision_like(
            users["referee"], relay_race, models.RaceResult.objects.filter(race=relay_race).first()
        )
        saved_lines(copied, lines)
        team = models.RelayTeam.objects.get(pk=lines[0].team_id)
        models.RaceLineSkater.objects.create(
            line_id=lines[0].pk, skater=team.skaters.first().skater, order=1
        )
        made.append(copied)

        copied, lines = revision_like(
            users["referee"], heats[2], models.RaceResult.objects.filter(race=heats[2]).first()
        )
        lines[1].time_ms = str(lines[1].time_ms)  # saved as the number, held as text
        saved_lines(copied, lines)
        made.append(copied)
    for result in made:
        assert newest_link(RACE_RESULT, result.pk).content == digest_table_by_table(
            RACE_RESULT, result.pk
        )
    assert models.RaceLineSkater.objects.filter(line__result=made[1]).exists()
    assert verify(heats[1].round.distance_race.competition_id).intact


def test_lines_named_outside_a_write_or_for_a_row_it_did_not_create_are_ignored(users, heats):
    result = models.RaceResult.objects.filter(race=heats[1]).latest("number")
    saved_lines(result, list(result.lines.all()))  # outside a write: nothing to seal
    with sealing():
        result.official_at = result.official_at + timedelta(seconds=1)
        result.save()
        saved_lines(result, [])  # not created by this write: read back
    assert newest_link(RACE_RESULT, result.pk).content == digest_table_by_table(
        RACE_RESULT, result.pk
    )
