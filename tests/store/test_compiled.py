"""A read compiled once gives the rows the ORM gives, decoded alike, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shorttrack.store.compiled import Compiled
from shorttrack.store.models import Announcement

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox():
    moment = datetime(2025, 10, 18, 14, 3, 7, 250000, tzinfo=UTC)
    return [
        Announcement.objects.create(
            topic=f"race:{n}",
            payload={"kind": "official", "race": n, "lines": [n, None]},
            created=moment,
            sent=moment if n % 2 else None,
        )
        for n in range(1, 6)
    ]


def test_a_compiled_read_gives_the_orms_rows_json_and_moments_decoded(outbox):
    def unsent_after(after):
        return (
            Announcement.objects.filter(id__gt=after, sent__isnull=True)
            .order_by("id")
            .values_list("id", "topic", "payload", "created", "sent")
        )

    read = Compiled(unsent_after)

    after = outbox[0].pk
    assert read.rows(after=after) == list(unsent_after(after))
    assert read.rows(after=after)[0][2] == {"kind": "official", "race": 2, "lines": [2, None]}
    assert read.rows(after=after)[0][3] == datetime(2025, 10, 18, 14, 3, 7, 250000, tzinfo=UTC)
    assert read.rows(after=outbox[-1].pk) == []


def test_it_is_built_and_compiled_once_then_only_run(outbox):
    built = []

    def topics(first, last):
        built.append((first, last))
        return Announcement.objects.filter(id__gte=first, id__lte=last).values_list(
            "topic", flat=True
        )

    read = Compiled(topics)
    with CaptureQueriesContext(connection) as queries:
        seen = [read.rows(first=outbox[0].pk, last=outbox[n].pk) for n in range(5)]

    assert [len(found) for found in seen] == [1, 2, 3, 4, 5]
    assert seen[-1] == sorted(f"race:{n}" for n in range(1, 6))
    assert len(queries) == 5  # one statement a call
    assert len(built) == 1  # built with stand-ins once, not at each call


def test_an_argument_the_sql_does_not_take_is_refused_at_once():
    read = Compiled(lambda race: Announcement.objects.values_list("id", flat=True))

    with pytest.raises(ValueError, match=r"\['race'\] not in its SQL"):
        read.rows(race=1)


# -- model instances ------------------------------------------------------------------


@pytest.fixture
def races(montreal):
    from shorttrack.store.models import Race, Round

    distance = montreal.distance_races.get(distance="W500")
    heats = Round.objects.create(
        distance_race=distance, kind="Heats", order=1, plan={"races": [4, 4]}
    )
    return [
        Race.objects.create(round=heats, number=n, status=status)
        for n, status in ((1, "official"), (2, "started"))
    ]


def _fields(instance) -> dict:
    return {name: value for name, value in instance.__dict__.items() if name != "_state"}


def test_compiled_instances_are_the_orms_with_what_they_select_related(races):
    from django.db import transaction

    from shorttrack.store.models import Race

    def locked(race):
        return (
            Race.objects.select_for_update(of=("self",))
            .select_related("round__distance_race__competition__season")
            .filter(pk=race)
        )

    read = Compiled(locked)
    with transaction.atomic():
        (compiled,) = read.objects(race=races[1].pk)
        (orm,) = locked(races[1].pk)
        with CaptureQueriesContext(connection) as queries:
            chain = [
                compiled,
                compiled.round,
                compiled.round.distance_race,
                compiled.round.distance_race.competition,
                compiled.round.distance_race.competition.season,
            ]
    assert len(queries) == 0  # everything on the way to the season came with the race
    expected = [orm, orm.round, orm.round.distance_race]
    expected += [expected[-1].competition, expected[-1].competition.season]
    assert [_fields(got) for got in chain] == [_fields(want) for want in expected]
    assert compiled.status == "started" and compiled.round.plan == {"races": [4, 4]}
    assert chain[-1].key == "2025/26"
    assert not compiled._state.adding and compiled._state.db == "default"
    assert read.objects(race=races[1].pk + 100) == []
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in read._statement("default").sql


def test_a_compiled_read_of_instances_saves_as_the_orm_does(races):
    from shorttrack.store.models import Race

    read = Compiled(lambda round: Race.objects.filter(round_id=round).order_by("number"))
    first, second = read.objects(round=races[0].round_id)
    assert [first.number, second.number] == [1, 2]

    second.status = "unofficial"
    second.save(update_fields=["status"])
    assert Race.objects.get(pk=second.pk).status == "unofficial"


def test_values_and_prefetches_are_refused_by_the_reader_of_instances(races):
    from shorttrack.store.models import Race

    values = Compiled(lambda race: Race.objects.filter(pk=race).values_list("id", flat=True))
    with pytest.raises(TypeError, match="not a QuerySet of model instances"):
        values.objects(race=races[0].pk)
    prefetching = Compiled(lambda race: Race.objects.filter(pk=race).prefetch_related("results"))
    with pytest.raises(ValueError, match="takes no prefetch"):
        prefetching.objects(race=races[0].pk)


# -- new rows and changed fields ----------------------------------------------------------


def test_an_insert_saves_what_save_saves_with_its_signals(races):
    from django.db.models.signals import post_save, pre_save

    from shorttrack.store.compiled import insert
    from shorttrack.store.models import RaceEvent

    heard = []

    def hear(signal):
        return lambda sender, instance, **kwargs: heard.append(
            (signal, instance.pk, kwargs.get("created"))
        )

    before, after = hear("pre_save"), hear("post_save")
    pre_save.connect(before, sender=RaceEvent)
    post_save.connect(after, sender=RaceEvent)
    moment = datetime(2025, 10, 18, 14, 3, 7, 250000, tzinfo=UTC)
    try:
        ours = insert(RaceEvent(race=races[0], kind="status", status="started", at=moment))
        theirs = RaceEvent.objects.create(race=races[0], kind="status", status="started", at=moment)
    finally:
        pre_save.disconnect(before, sender=RaceEvent)
        post_save.disconnect(after, sender=RaceEvent)

    assert heard == [
        ("pre_save", None, None),
        ("post_save", ours.pk, True),
        ("pre_save", None, None),
        ("post_save", theirs.pk, True),
    ]
    assert ours.pk < theirs.pk and not ours._state.adding
    stored = RaceEvent.objects.filter(pk__in=[ours.pk, theirs.pk]).order_by("pk")
    rows = [{k: v for k, v in _fields(e).items() if k != "id"} for e in stored]
    assert rows[0] == rows[1] and rows[0]["at"] == moment and rows[0]["reason"] == ""


def test_insert_all_gives_every_row_its_id_a_hundred_rows_a_statement(races):
    from shorttrack.store.compiled import insert_all

    moment = datetime(2025, 10, 18, 14, 3, 7, tzinfo=UTC)
    rows = [
        Announcement(topic=f"race:{n}", payload={"race": n, "laps": [n, None]}, created=moment)
        for n in range(250)
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_all(rows)

    assert len(queries) == 3
    if connection.vendor == "postgresql":  # one statement of one array a column
        assert all("SELECT * FROM UNNEST(" in q["sql"] for q in queries)
    assert [row.pk for row in rows] == sorted(row.pk for row in rows)
    assert len({row.pk for row in rows}) == 250
    stored = dict(Announcement.objects.values_list("pk", "payload"))
    assert all(stored[row.pk] == {"race": n, "laps": [n, None]} for n, row in enumerate(rows))


def test_insert_all_of_a_few_rows_is_one_statement_of_values(races):
    """Three announcements (fifteen parameters): VALUES, which psycopg keeps converted and
    dumps in C, not arrays."""
    from shorttrack.store.compiled import _VALUES_AT_MOST, insert_all

    moment = datetime(2025, 10, 18, 14, 3, 7, tzinfo=UTC)
    rows = [Announcement(topic=f"race:{n}", payload={"race": n}, created=moment) for n in (1, 2, 3)]
    assert len(rows) * 5 <= _VALUES_AT_MOST
    with CaptureQueriesContext(connection) as queries:
        insert_all(rows)

    (query,) = queries
    assert " VALUES " in query["sql"] and "UNNEST" not in query["sql"]
    stored = Announcement.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk")
    assert [(a.topic, a.payload, a.created) for a in stored] == [
        (f"race:{n}", {"race": n}, moment) for n in (1, 2, 3)
    ]


def test_a_saved_instance_is_refused_by_insert_and_a_gone_one_by_update(races):
    from shorttrack.store.compiled import insert, update
    from shorttrack.store.models import Race

    with pytest.raises(ValueError, match="is saved already"):
        insert(races[0])
    races[1].status = "unofficial"
    update(races[1], "status")
    assert Race.objects.get(pk=races[1].pk).status == "unofficial"
    gone = Race(pk=races[1].pk + 100, round_id=races[1].round_id, number=9)
    with pytest.raises(Race.DoesNotExist):
        update(gone, "status")


def test_compiled_statements_share_the_connections_cursor_and_are_logged_all_the_same(races):
    """On PostgreSQL one psycopg cursor serves them all; on SQLite, where keeping one is the
    slower way (bench/compiled_reads.py), each gets its own."""
    from shorttrack.store.compiled import cursor_of

    kept = cursor_of(connection).cursor
    assert (cursor_of(connection).cursor is kept) == (connection.vendor == "postgresql")
    with CaptureQueriesContext(connection) as queries:
        cursor = cursor_of(connection)
        cursor.execute("SELECT 1")
        assert cursor.fetchall() == [(1,)]
    assert [q["sql"] for q in queries] == ["SELECT 1"]


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_gets_a_cursor_of_its_own():
    from shorttrack.store.compiled import cursor_of

    if connection.vendor != "postgresql":
        pytest.skip("the suite's SQLite is in memory: Django never closes it")
    kept = cursor_of(connection).cursor
    connection.close()
    cursor = cursor_of(connection)
    assert cursor.cursor is not kept
    cursor.execute("SELECT 1")
    assert cursor.fetchall() == [(1,)]


def test_insert_values_are_what_djangos_own_preparation_makes_field_by_field(races):
    """The short way of plain values (an int, a str, a bool) gives what Django's
    get_db_prep_save gives, type and all (psycopg's Int2/Int8 on PostgreSQL); None, JSON,
    moments and values of another type go Django's way."""
    from django.contrib.auth import get_user_model

    from shorttrack.store.compiled import _insert_statement, _values
    from shorttrack.store.models import RaceEvent, RaceResult, RaceResultLine, Revision

    race = races[0]
    moment = datetime(2025, 10, 18, 14, 3, 7, 250000, tzinfo=UTC)
    user = get_user_model().objects.create(username="preparation-check")
    revision = Revision(recorded_at=moment, recorded_by=user, source="console", reason="why")
    rows = [
        revision,
        RaceResult(race=race, number=2, revision_id=41, official_at=None),
        RaceEvent(race=race, kind="status", status="started", at=moment, by=None, reason=""),
        Announcement(topic="race:1", payload={"race": 1, "laps": [1, None]}, created=moment),
        RaceResultLine(
            result_id=5, place=1, dead_heat=False, finish_place=1, start_position=2,
            helmet=3, skater_id=None, team_id=None, member_id=race.pk, time_ms=41234,
            status="finished", mark="Q", warnings="", laps_ms=[9000, 8000],
            lap_elapsed_ms=[], lap_positions=[[1, 2]],
        ),
        RaceResultLine(result_id=5, place=True, dead_heat=0, helmet="4", status="DNF",
                       member_id=race.pk, time_ms=None),  # not of the field's own type
    ]  # fmt: skip

    def plain(value):
        return (type(value), getattr(value, "obj", value))

    for row in rows:
        statement = _insert_statement(type(row), "default")
        django = [
            plain(f.get_db_prep_save(f.pre_save(row, add=True), connection))
            for f in statement.fields
        ]
        assert [plain(v) for v in _values(statement, row, connection)] == django, row
