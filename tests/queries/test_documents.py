"""The results version changes when a result is added or a change is published, and each
page document says which scopes of the results it shows (what the page cache keeps and
revalidates a page by: site/page_cache.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shorttrack.queries import documents
from shorttrack.store import models

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Toronto")


def test_each_document_names_the_scopes_it_shows(small_competition):
    season = small_competition.season_id
    race = models.Race.objects.filter(round__distance_race__competition=small_competition)[0]
    ito = models.Skater.objects.get(family_name="Ito")
    shown = [("competition", documents.competition_document("2023-24", 1))]
    assert documents.scopes_shown(shown) == ["global", f"competition:{small_competition.pk}"]
    # A race: its own, its number in the programme (the schedule), and, as it has a
    # history, the check of its competition's chain.
    shown = [("race", documents.race_document(race.pk))]
    assert documents.scopes_shown(shown) == [
        "global",
        f"competition:{small_competition.pk}",
        f"race:{race.pk}",
        f"schedule:{small_competition.pk}",
    ]
    # Facts: of the competition, found in the history up to its season.
    shown = [("competition-facts", documents.competition_facts_document("2023-24", 1))]
    assert documents.scopes_shown(shown) == [
        "global",
        f"competition:{small_competition.pk}",
        f"history:{season}",
    ]
    shown = [("skater", documents.skater_document(ito.pk))]
    assert documents.scopes_shown(shown) == ["global", "calendar", f"season:{season}"]
    shown = [("standings", documents.standings_document("2023-24", "1000m-women"))]
    assert documents.scopes_shown(shown) == ["global", f"season:{season}"]
    assert documents.scopes_shown([("seasons", documents.seasons_document())]) == [
        "global",
        "calendar",
    ]
    # What no family names, or nothing at all: every scope.
    assert documents.scopes_shown([("a-page-of-its-own", {})]) is None
    assert documents.scopes_shown([]) is None


def test_a_new_official_result_changes_the_version_and_the_page(client, small_competition):
    url = "/seasons/2023-24/standings/1000m-women.json"
    before = client.get(url).json()
    version = documents.results_version()
    dr = models.DistanceRace.objects.get(competition=small_competition, distance="W1000")
    ito = models.Skater.objects.get(family_name="Ito")
    ranking = models.Ranking.objects.create(
        distance_race=dr,
        number=2,
        revision=models.Revision.objects.create(
            recorded_at=datetime(2023, 10, 21, 16, 0, tzinfo=MONTREAL),
            source="console",
            reason="correction",
        ),
        official_at=datetime(2023, 10, 21, 16, 0, tzinfo=MONTREAL),
        basis="races",
    )
    models.RankingLine.objects.create(ranking=ranking, rank=1, skater=ito, member=ito.member)
    assert documents.results_version() != version
    after = client.get(url).json()
    assert before["rows"][0]["name"] == "ERIKSEN Ida"
    assert [(r["name"], r["points"]) for r in after["rows"]] == [("ITO Yui", 100)]


def test_unpublishing_changes_the_version(small_competition):
    version = documents.results_version()
    models.Competition.objects.filter(pk=small_competition.pk).update(published=False)
    assert documents.results_version() != version


def test_a_change_of_a_season_reaches_the_history_of_every_season_from_it(small_competition):
    older = models.Season.objects.create(key="2019/20", name="2019/20", rules_key="2022/23")
    later = models.Season.objects.create(key="2025/26", name="2025/26", rules_key="2025/26")
    season = small_competition.season
    assert documents.histories_reached(f"season:{season.pk}") == [
        f"history:{season.pk}",
        f"history:{later.pk}",
    ]
    assert documents.histories_reached(f"season:{later.pk}") == [f"history:{later.pk}"]
    assert documents.histories_reached(f"season:{older.pk}") == [
        f"history:{s}" for s in sorted([older.pk, season.pk, later.pk])
    ]
    assert documents.histories_reached(f"competition:{small_competition.pk}") == []


def test_the_histories_of_several_seasons_are_found_in_one_query(
    small_competition, django_assert_num_queries
):
    older = models.Season.objects.create(key="2019/20", name="2019/20", rules_key="2022/23")
    later = models.Season.objects.create(key="2025/26", name="2025/26", rules_key="2025/26")
    season = small_competition.season
    with django_assert_num_queries(1):
        reached = documents.histories_reached(
            f"season:{later.pk}", "race:1", f"season:{season.pk}", "season:999999"
        )
    # From the earliest season named on; a season gone keeps its own scope.
    assert reached == [f"history:{s}" for s in sorted([season.pk, later.pk, 999999])]
    assert older.pk not in {int(scope.partition(":")[2]) for scope in reached}
    with django_assert_num_queries(0):
        assert documents.histories_reached("race:1", f"competition:{small_competition.pk}") == []


def test_the_announcements_of_a_drain_bump_their_scopes_once(
    small_competition, django_assert_num_queries
):
    from shorttrack import versions

    store = versions.LocalVersions()
    versions.use_store(store)
    try:
        season, competition = small_competition.season_id, small_competition.pk
        with django_assert_num_queries(1):  # the seasons, for both season topics
            sequence = documents.bump_version(
                [
                    ("race:7", {"kind": "official", "race": 7}),
                    (f"competition:{competition}", {"kind": "official", "race": 7}),
                    (f"season:{season}", {"kind": "official", "race": 7}),
                    (f"competition:{competition}", {"kind": "schedule"}),
                    (f"season:{season}", {"kind": "published"}),
                ]
            )
        assert sequence == store.sequence == 1
        bumped = {scope for scope, version in store._versions.items() if version.sequence == 1}
        assert bumped == {
            "race:7",
            f"competition:{competition}",
            f"season:{season}",
            versions.ANY_SEASON,
            versions.CALENDAR,
            f"schedule:{competition}",
            f"history:{season}",
        }
        assert documents.bump_version() == 2 and store.get(versions.GLOBAL).sequence == 2
    finally:
        versions.use_store(None)


def test_a_change_of_the_competition_naming_no_race_reaches_its_schedule():
    assert documents.schedules("competition:3", {"kind": "schedule"}) == ["schedule:3"]
    assert documents.schedules("competition:3", {"kind": "import"}) == ["schedule:3"]
    # A race's own change, a final ranking, a broadcaster: the programme stays.
    assert documents.schedules("competition:3", {"kind": "official", "race": 9}) == []
    assert documents.schedules("competition:3", {"kind": "ranking", "distance_race": 4}) == []
    assert documents.schedules("competition:3", {"kind": "broadcasters"}) == []
    assert documents.schedules("season:1", {"kind": "schedule"}) == []
