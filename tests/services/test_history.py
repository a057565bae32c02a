"""The tamper-evident history: what the services write is chained; what plain SQL changes,
adds or removes behind them, `shorttrack audit verify` names, row by row."""

from __future__ import annotations

import pytest
from django.db import connection
from typer.testing import CliRunner

from shorttrack.cli import app
from shorttrack.queries.history import verify
from shorttrack.services import race_results, race_status
from shorttrack.services.draws import draw_first_round
from shorttrack.services.errors import Invalid
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, finish, race_it, races_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def heats(montreal, users, skaters) -> list[models.Race]:
    """The Women's 500m quarterfinals of Montreal (16 skaters), official, the first corrected."""
    w500 = distance_race(montreal, "W500")
    enter_field(users, w500, skaters, 16)
    draw_first_round(users["organiser"], w500, seed=3)
    heats = races_of(w500, "quarterfinals")
    for heat in heats:
        race_it(users, heat)
    first = heats[0]
    race_results.correct_results(
        users["referee"],
        first,
        reason="photo finish: 2 crossed first",
        lines=swapped(finish(first), 0, 1),
        based_on=race_status.version(first),
    )
    return heats


def swapped(lines: list[race_results.FinishLine], a: int, b: int):
    """The finish with the skaters of lines a and b the other way round, times kept."""
    lines = list(lines)
    first, second = lines[a], lines[b]
    lines[a] = race_results.FinishLine(second.helmet, first.place, first.time)
    lines[b] = race_results.FinishLine(first.helmet, second.place, second.time)
    return lines


def sql(statement: str, *parameters) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        return cursor.rowcount


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def official_winner(race: models.Race) -> models.RaceResultLine:
    newest = models.RaceResult.objects.filter(race=race).latest("number")
    return newest.lines.get(place=1)


def audit(*args: str):
    return CliRunner().invoke(app, ["audit", "verify", *args])


def test_what_the_services_wrote_verifies(montreal, heats):
    checked = verify(montreal.pk)
    assert checked.intact, [b.line() for b in checked.breaks]
    subjects = set(
        models.HistoryLink.objects.filter(competition=montreal).values_list("subject", flat=True)
    )
    assert subjects == {"race_result", "race_event"}
    # Every revision and every event of the quarterfinals has a link.
    for model, subject in ((models.RaceResult, "race_result"), (models.RaceEvent, "race_event")):
        rows = set(model.objects.filter(race__in=heats).values_list("pk", flat=True))
        linked = set(
            models.HistoryLink.objects.filter(subject=subject).values_list("subject_id", flat=True)
        )
        assert rows and rows <= linked
    result = audit("--season", montreal.season.key, "--competition", str(montreal.number))
    assert result.exit_code == 0, result.output
    assert "history verified" in result.output


def test_an_official_time_shaved_by_sql_is_named(montreal, heats):
    winner = official_winner(heats[1])
    assert sql(
        f"UPDATE {table(models.RaceResultLine)} SET time_ms = time_ms - 900 WHERE id = %s",
        winner.pk,
    )
    checked = verify(montreal.pk)
    assert [(b.kind, b.subject, b.subject_id) for b in checked.breaks] == [
        ("changed", "race_result", winner.result_id)
    ]
    assert "Quarterfinal 2" in checked.breaks[0].what
    result = audit()
    assert result.exit_code == 1
    assert f"race result {winner.result_id} (" in result.output
    assert "changed behind the application" in result.output


def test_a_revision_s_author_and_reason_rewritten_are_named(montreal, heats, users):
    correction = models.RaceResult.objects.get(race=heats[0], number=2)
    assert sql(
        f"UPDATE {table(models.Revision)} SET reason = %s, recorded_by_id = %s WHERE id = %s",
        "typing error",
        users["officer"].pk,
        correction.revision_id,
    )
    checked = verify(montreal.pk)
    assert ("changed", "race_result", correction.pk) in [
        (b.kind, b.subject, b.subject_id) for b in checked.breaks
    ]


def test_deleted_correction_events_are_named_one_by_one(montreal, heats):
    events = list(
        models.RaceEvent.objects.filter(race=heats[0], kind="correction").values_list(
            "pk", flat=True
        )
    )
    assert events
    sql(
        f"DELETE FROM {table(models.RaceEvent)} WHERE race_id = %s AND kind = 'correction'",
        heats[0].pk,
    )
    checked = verify(montreal.pk)
    assert sorted((b.kind, b.subject_id) for b in checked.breaks) == [
        ("removed", pk) for pk in sorted(events)
    ]
    # The race's own check, as its page makes it, finds them too.
    assert not verify(montreal.pk, race_id=heats[0].pk).intact
    assert verify(montreal.pk, race_id=heats[1].pk).intact


def test_an_event_inserted_by_sql_is_named(montreal, heats):
    sql(
        f"INSERT INTO {table(models.RaceEvent)} (race_id, kind, status, at, reason) "
        "VALUES (%s, 'decision', 'official', %s, 'PEN for 3 withdrawn')",
        heats[2].pk,
        "2025-10-18 12:00:00+00:00",
    )
    added = models.RaceEvent.objects.order_by("-pk").first()
    checked = verify(montreal.pk)
    assert [(b.kind, b.subject, b.subject_id) for b in checked.breaks] == [
        ("added", "race_event", added.pk)
    ]


def test_a_link_rewritten_to_hide_a_change_breaks_the_chain(montreal, heats):
    winner = official_winner(heats[1])
    sql(
        f"UPDATE {table(models.RaceResultLine)} SET time_ms = time_ms - 900 WHERE id = %s",
        winner.pk,
    )
    from shorttrack.store.history import contents

    forged = contents("race_result", [winner.result_id])[winner.result_id]
    link = models.HistoryLink.objects.filter(
        subject="race_result", subject_id=winner.result_id
    ).latest("sequence")
    sql(f"UPDATE {table(models.HistoryLink)} SET content = %s WHERE id = %s", forged, link.pk)
    checked = verify(montreal.pk)
    assert [(b.kind, b.subject_id) for b in checked.breaks] == [("link", link.sequence)]


def test_a_change_through_the_services_is_a_new_link_not_a_break(montreal, heats, users):
    before = models.HistoryLink.objects.filter(competition=montreal).count()
    race_results.correct_results(
        users["referee"],
        heats[1],
        reason="timing: the photo finish read again, 3 and 4 the other way",
        lines=swapped(finish(heats[1]), 2, 3),
        based_on=race_status.version(heats[1]),
    )
    assert models.HistoryLink.objects.filter(competition=montreal).count() > before
    assert verify(montreal.pk).intact


def test_a_write_that_is_refused_leaves_no_link(montreal, heats, users):
    before = models.HistoryLink.objects.count()
    with pytest.raises(Invalid):
        race_results.correct_results(
            users["referee"], heats[1], reason="nothing", based_on=race_status.version(heats[1])
        )
    assert models.HistoryLink.objects.count() == before


def test_a_database_upgraded_to_the_history_starts_from_what_it_holds(montreal, heats):
    """What migration 0008 does: rows from before the history get their first links."""
    from shorttrack.services.history import chain_existing

    models.HistoryLink.objects.all().delete()
    checked = verify(montreal.pk)
    assert {b.kind for b in checked.breaks} == {"added"}
    rows = models.RaceResult.objects.count() + models.RaceEvent.objects.count()
    assert len(checked.breaks) == rows

    assert chain_existing() == rows
    assert verify(montreal.pk).intact
    assert chain_existing() == 0  # nothing twice


@pytest.fixture
def relay_final(montreal, users, skaters) -> models.DistanceRace:
    """The women's 3000m relay of Montreal, four teams: one final, official, ranked."""
    relay = distance_race(montreal, "W3000R")
    enter_field(users, relay, skaters, 4)
    draw_first_round(users["organiser"], relay, seed=3)
    for kind in models.Round.objects.filter(distance_race=relay).values_list("kind", flat=True):
        for race in races_of(relay, kind):
            race_it(users, race)
    return relay


def digest_table_by_table(subject: str, pk: int) -> str:
    """A revision's content digest read the plain way, one table at a time: what
    store.history.contents must give, whatever it reads in one query."""
    from shorttrack.store.history import RACE_RESULT, _sha256, content_fields

    model, line_model = (
        (models.RaceResult, models.RaceResultLine)
        if subject == RACE_RESULT
        else (models.Ranking, models.RankingLine)
    )

    def rows(model, **where):
        return list(model.objects.filter(**where).order_by("pk").values(*content_fields(model)))

    (row,) = rows(model, pk=pk)
    (revision,) = rows(models.Revision, pk=row["revision_id"])
    lines = rows(
        line_model,
        **{
            line_model._meta.get_field(
                "ranking" if subject != RACE_RESULT else "result"
            ).attname: pk
        },
    )
    skaters = [
        skater
        for line in lines
        if subject == RACE_RESULT and line["team_id"]
        for skater in rows(models.RaceLineSkater, line_id=line["id"])
    ]
    return _sha256({"row": row, "revision": revision, "lines": lines, "skaters": skaters})


def test_a_revision_s_digest_is_that_of_its_tables_read_one_by_one(montreal, heats, relay_final):
    from shorttrack.store.history import RACE_RESULT, RANKING, contents

    # The skaters of each relay line, as an imported sheet names them (last to first).
    for line in models.RaceResultLine.objects.filter(team__isnull=False):
        for member in line.team.skaters.order_by("-order"):
            models.RaceLineSkater.objects.create(
                line=line, skater_id=member.skater_id, order=member.order
            )
    # A stray skater on a line of no team is outside the digest, as it always was.
    line = models.RaceResultLine.objects.filter(team__isnull=True).first()
    models.RaceLineSkater.objects.create(line=line, skater_id=line.skater_id, order=1)
    results = list(models.RaceResult.objects.values_list("pk", flat=True))
    rankings = list(models.Ranking.objects.values_list("pk", flat=True))
    assert models.RaceLineSkater.objects.filter(line__team__isnull=False).count() >= 16
    assert rankings

    owners: dict = {}
    digests = contents(RACE_RESULT, results, owners=owners)
    assert digests == {pk: digest_table_by_table(RACE_RESULT, pk) for pk in results}
    assert contents(RANKING, rankings) == {
        pk: digest_table_by_table(RANKING, pk) for pk in rankings
    }
    assert {competition for competition, _ in owners.values()} == {montreal.pk}


def test_a_row_written_again_is_chained_where_its_link_put_it(montreal, heats):
    """A row a write changes is chained in the competition and race of its newest link,
    read without joining its way to the competition."""
    from django.test.utils import CaptureQueriesContext

    from shorttrack.services.history import sealing

    result = models.RaceResult.objects.filter(race=heats[1]).latest("number")
    linked = models.HistoryLink.objects.filter(subject="race_result", subject_id=result.pk)
    before = linked.count()
    with CaptureQueriesContext(connection) as queries, sealing():
        result.official_at = result.official_at.replace(microsecond=0)
        result.save()
    newest = linked.latest("sequence")
    assert linked.count() == before + 1
    assert (newest.competition_id, newest.race_id) == (montreal.pk, heats[1].pk)
    assert not [q for q in queries if "store_distancerace" in q["sql"]]
    assert verify(montreal.pk).intact


def test_a_new_row_whose_competition_is_not_at_hand_is_read_with_it(montreal, heats, users):
    """A row created from ids alone (no race object to say where it is) is placed by the
    read back."""
    from shorttrack.services.history import sealing

    with sealing():
        event = models.RaceEvent.objects.create(
            race_id=heats[2].pk, kind="conflict", status="official", at=heats[2].events.first().at
        )
        result = models.RaceResult.objects.create(
            race_id=heats[2].pk,
            number=9,
            revision=models.RaceResult.objects.filter(race=heats[2]).first().revision,
        )
    for subject, pk in (("race_event", event.pk), ("race_result", result.pk)):
        link = models.HistoryLink.objects.get(subject=subject, subject_id=pk)
        assert (link.competition_id, link.race_id) == (montreal.pk, heats[2].pk)
    assert verify(montreal.pk).intact


def test_a_row_created_and_removed_in_one_write_leaves_no_link(montreal, heats):
    from shorttrack.services.history import sealing

    before = models.HistoryLink.objects.count()
    with sealing():
        event = race_status.note(heats[0], "conflict", None, "noted, then taken back")
        event.delete()
    assert models.HistoryLink.objects.count() == before
    assert verify(montreal.pk).intact


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="one writer at a time on SQLite")
def test_two_officials_writing_at_once_append_to_one_chain(montreal, users, skaters):
    """Each write takes the competition's chain in turn: no link number twice, none lost,
    every link following the one before, whichever write committed first."""
    import threading

    from django.db import connections

    from shorttrack.services.history import sealing

    w500 = distance_race(montreal, "W500")
    enter_field(users, w500, skaters, 16)
    draw_first_round(users["organiser"], w500, seed=3)
    first, second = races_of(w500, "quarterfinals")[:2]
    before = models.HistoryLink.objects.filter(competition=montreal).count()
    start, failures = threading.Barrier(2), []

    def official(race: models.Race) -> None:
        try:
            start.wait()
            for n in range(15):
                with sealing():
                    race_status.note(race, "conflict", None, f"note {n}")
        except Exception as error:  # reported below: a thread's error is lost otherwise
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=official, args=(race,)) for race in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    sequences = list(
        models.HistoryLink.objects.filter(competition=montreal).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, before + 31))
    assert verify(montreal.pk).intact
