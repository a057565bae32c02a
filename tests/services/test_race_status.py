"""Each move of a race is recorded and announced to live pages once it is committed: status
moves, a round filled, a final ranking made official. Each write is checked against the
version it is based on and the roles its official holds as they are under the race's lock;
a copy of a race knows the version its own last write left."""

from __future__ import annotations

from collections import Counter

import pytest

from shorttrack import live
from shorttrack.services.draws import draw_first_round
from shorttrack.services.errors import Conflict, Invalid, NotPermitted
from shorttrack.services.officials import appoint
from shorttrack.services.race_results import enter_results, finish_order, start_race
from shorttrack.services.race_status import known_version, version
from shorttrack.store.models import Race
from tests.services.montreal import distance_race, enter_field, finish, race_it, races_of


class Recorder(live.LocalBus):
    """A bus that keeps what it is sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[live.Message] = []

    def send(self, message: live.Message) -> None:
        self.sent.append(message)


@pytest.fixture
def bus():
    recorder = Recorder()
    live.use_bus(recorder)
    yield recorder
    live.use_bus(None)


def drawn_w500(montreal, users, skaters):
    """The women's 500 m with eight entered and drawn: two semifinals, then the finals."""
    w500 = distance_race(montreal, "W500")
    enter_field(users, w500, skaters, 8)
    draw_first_round(users["organiser"], w500, seed=1)
    return w500


@pytest.mark.django_db(transaction=True)
def test_a_distance_raced_to_its_ranking_is_announced(montreal, users, skaters, bus):
    w500 = drawn_w500(montreal, users, skaters)
    semifinal = races_of(w500, "semifinals")[0]
    with pytest.raises(Invalid):
        enter_results(
            users["officer"], semifinal, finish_order([1, 2, 3, 4]), based_on=version(semifinal)
        )
    assert bus.sent == [m for m in bus.sent if m.payload["kind"] == "start_list"]

    for kind in ("semifinals", "final_b", "final_a"):
        for race in races_of(w500, kind):
            race_it(users, race)

    on_race_pages = Counter(
        m.payload["kind"] for m in bus.sent if m.topic == f"race:{semifinal.pk}"
    )
    assert on_race_pages == {"start_list": 1, "status": 2, "results": 1}
    final_a = races_of(w500, "final_a")[0]
    assert {m.topic for m in bus.sent if m.payload.get("race") == final_a.pk} == {
        f"race:{final_a.pk}",
        f"competition:{montreal.pk}",
        f"season:{montreal.season_id}",
    }
    rankings = [m for m in bus.sent if m.payload["kind"] == "ranking"]
    assert {m.topic for m in rankings} == {
        f"competition:{montreal.pk}",
        f"season:{montreal.season_id}",
    }


@pytest.mark.django_db
def test_a_copy_of_a_race_knows_the_version_its_own_write_left(montreal, users, skaters):
    w500 = drawn_w500(montreal, users, skaters)
    first, second = races_of(w500, "semifinals")
    assert known_version(first) == version(first)

    start_race(users["officer"], first, based_on=known_version(first))
    assert known_version(first) == version(first) > 0
    enter_results(users["officer"], first, finish(first), based_on=known_version(first))
    assert known_version(first) == version(first)


@pytest.mark.django_db
def test_a_copy_that_did_not_see_another_write_is_refused(montreal, users, skaters):
    w500 = drawn_w500(montreal, users, skaters)
    race = races_of(w500, "semifinals")[0]
    start_race(users["officer"], race, based_on=version(race))
    elsewhere = Race.objects.get(pk=race.pk)  # another official's page
    enter_results(users["officer"], elsewhere, finish(elsewhere), based_on=version(race))

    with pytest.raises(Conflict, match="finish entered"):
        enter_results(users["officer"], race, finish(race), based_on=known_version(race))


@pytest.mark.django_db
def test_a_role_given_after_a_refusal_counts_at_the_next_write(montreal, users, skaters):
    w500 = drawn_w500(montreal, users, skaters)
    race = races_of(w500, "semifinals")[0]
    with pytest.raises(NotPermitted, match="holds no role"):
        start_race(users["fan"], race, based_on=version(race))
    appoint(users["organiser"], montreal, users["fan"], "results_officer")

    start_race(users["fan"], race, based_on=version(race))
    assert Race.objects.get(pk=race.pk).status == "started"


@pytest.mark.django_db
def test_the_officials_roles_come_with_the_races_lock_and_a_role_taken_away_counts(
    montreal, users, skaters
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shorttrack.store.models import CompetitionOfficial

    w500 = drawn_w500(montreal, users, skaters)
    first, second = races_of(w500, "semifinals")
    with CaptureQueriesContext(connection) as queries:
        start_race(users["officer"], first, based_on=version(first))
    reading_roles = [q["sql"] for q in queries if "store_competitionofficial" in q["sql"]]
    assert len(reading_roles) == 1  # one statement: the lock itself
    assert reading_roles[0].startswith('SELECT "store_race"."id"')
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in reading_roles[0]

    CompetitionOfficial.objects.filter(user=users["officer"], competition=montreal).delete()
    with pytest.raises(NotPermitted, match="holds no role"):
        start_race(users["officer"], second, based_on=version(second))
    assert Race.objects.get(pk=second.pk).status == "scheduled"


@pytest.mark.django_db
def test_a_races_version_is_its_newest_events_id_kept_on_its_row(montreal, users, skaters):
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from shorttrack.services.race_status import stamp_versions

    w500 = drawn_w500(montreal, users, skaters)
    first, second = races_of(w500, "semifinals")
    race_it(users, first)
    with CaptureQueriesContext(connection) as queries:
        start_race(users["officer"], second, based_on=version(second))
    # The version came with the lock: no write reads the race's events back.
    assert not [q for q in queries if q["sql"].startswith('SELECT "store_raceevent"')]

    def newest_events():
        return dict(
            Race.objects.filter(round__distance_race=w500)
            .annotate(newest=Max("events__id"))
            .values_list("pk", "newest")
        )

    newest = newest_events()
    stored = dict(Race.objects.filter(round__distance_race=w500).values_list("pk", "version"))
    assert stored == {pk: n or 0 for pk, n in newest.items()}
    assert stored[second.pk] > stored[first.pk] > 0 and known_version(second) == stored[second.pk]

    # A database from before versions were stored (migration 0012) takes them from events.
    Race.objects.update(version=0)
    assert stamp_versions() == 2
    assert dict(Race.objects.filter(round__distance_race=w500).values_list("pk", "version")) == (
        stored
    )
