"""The ETags of the facts pages follow the history their facts are found in: the results of
their own season and of every season before it (queries/documents.py ``history``). A
result made official in 2025/26 changes the facts of 2025/26 and leaves those of 2023/24
as they were; a correction of 2023/24 changes the facts of 2023/24 and of every season
after it. A race page's number in the programme follows its competition's schedule.

The seasons: the services' Montreal (2025/26), its women's 500m of 8 in two semifinals,
semifinal 1 entered and not yet official (tests/site/test_http_caching.py); the small
Montreal competition of 2023/24, imported from its sheets, Eriksen winning the 1000m."""

from __future__ import annotations

import shutil
from datetime import time

import pytest

from shorttrack.services.imports import import_paths
from shorttrack.services.race_results import make_official
from shorttrack.services.race_status import version
from shorttrack.services.setup import RaceSlot, add_session, schedule_races
from shorttrack.store import models
from tests.services import conftest as services
from tests.site import test_http_caching, test_page_cache
from tests.site.test_http_caching import etags, skater_of
from tests.site.test_page_cache import get
from tests.support import SMALL_COMPETITION

pytestmark = pytest.mark.django_db(transaction=True)

users, montreal, skaters = services.users, services.montreal, services.skaters
cached_pages = test_page_cache.cached_pages
semifinals = test_http_caching.semifinals


def facts_of_2023_24() -> list[str]:
    """The facts pages of 2023/24: the competition's, its 1000m's, its session summaries,
        Eriksen's (her latest season, and named), and the facts panels of the race and skater
    pages (fetched after the page, which finds no fact)."""
    competition = models.Competition.objects.get(season__key="2023/24", number=1)
    w1000 = competition.distance_races.get(distance="W1000")
    final = models.Race.objects.get(round__distance_race=w1000, round__kind="final_a")
    eriksen = models.Skater.objects.get(family_name="Eriksen").pk
    pages = [
        "/seasons/2023-24/competitions/1/facts/",
        "/seasons/2023-24/competitions/1/facts.json",
        f"/seasons/2023-24/competitions/1/facts/{w1000.pk}/",
        f"/api/seasons/2023-24/competitions/1/facts/{w1000.pk}",
        "/seasons/2023-24/competitions/1/summaries/2023-10-21/",
        "/seasons/2023-24/summaries.json",
        "/seasons/2023-24/summaries.atom",
        f"/skaters/{eriksen}/facts.json",
        f"/api/skaters/{eriksen}/facts?season=2023-24",
        f"/skaters/{eriksen}/?fragment=facts",  # the skater page's panel: of 2023/24
        f"/races/{final.pk}/?fragment=facts",  # the race page's panel: of the 1000m
    ]
    return pages


def facts_of_2025_26(w500: models.DistanceRace, second: models.Race) -> list[str]:
    return [
        "/seasons/2025-26/competitions/1/facts/",
        "/seasons/2025-26/competitions/1/facts.json",
        f"/seasons/2025-26/competitions/1/facts/{w500.pk}/",
        f"/api/seasons/2025-26/competitions/1/facts/{w500.pk}",
        "/seasons/2025-26/summaries/",
        f"/races/{second.pk}/?fragment=facts",  # the race page's panel: of the women's 500m
    ]


def what_django_shows(client, path: str):
    """The document at ``path`` now, without the moments it was built at."""
    answer = client.get(path)
    assert answer.status_code == 200, path
    return {k: v for k, v in answer.json().items() if k not in {"updated_at", "as_of"}}


def test_a_result_of_2025_26_changes_its_facts_pages_and_not_those_of_2023_24(
    cached_pages, semifinals, small_competition, users, client
):
    first, second = semifinals
    w500 = first.round.distance_race
    # And the page of a skater of semifinal 1: its time is her personal best, in a season
    # no final ranking of hers names yet.
    changing = facts_of_2025_26(w500, second) + [f"/skaters/{skater_of(first)}.json"]
    staying = facts_of_2023_24()
    before = etags(cached_pages, changing + staying)
    assert before == etags(cached_pages, changing + staying)
    documents = {p: what_django_shows(client, p) for p in staying if p.endswith(".json")}

    make_official(users["referee"], first, based_on=version(first))

    after = etags(cached_pages, changing + staying)
    assert [path for path in changing if after[path] == before[path]] == []
    assert [path for path in staying if after[path] != before[path]] == []
    # And they stayed rightly: Django, asked past the cache, shows the same documents.
    assert {p: what_django_shows(client, p) for p in documents} == documents


def corrected_sheets(folder) -> list:
    """The 2023/24 sheets with the 1000m's Final A corrected: Adams, second, finished in
    1:28.060, not 1:28.020 (the ranking stands, her time does not)."""
    for name in ("calendar.csv", "skaters.csv", "race-results.csv"):
        shutil.copy(SMALL_COMPETITION / name, folder / name)
    sheet = folder / "race-results.csv"
    text = sheet.read_text()
    assert text.count("1:28.020") == 1
    sheet.write_text(text.replace("1:28.020", "1:28.060"))
    return [folder / n for n in ("calendar.csv", "skaters.csv", "race-results.csv")]


def test_a_correction_of_2023_24_changes_the_facts_pages_of_2025_26(
    cached_pages, semifinals, small_competition, tmp_path
):
    first, second = semifinals
    w500 = first.round.distance_race
    changing = facts_of_2025_26(w500, second) + facts_of_2023_24()
    # Pages of 2025/26 that do not compare with the seasons before.
    staying = [
        "/seasons/2025-26/",
        "/seasons/2025-26/standings/500m-women/",
        "/seasons/2025-26/competitions/1.json",
        f"/races/{second.pk}.json",
    ]
    before = etags(cached_pages, changing + staying)

    import_paths(corrected_sheets(tmp_path))

    after = etags(cached_pages, changing + staying)
    assert [path for path in changing if after[path] == before[path]] == []
    assert [path for path in staying if after[path] != before[path]] == []


def test_a_race_page_changes_with_its_competitions_schedule(cached_pages, semifinals, users):
    """The programme numbers the races of the competition from its schedule: semifinal 2
    put into a session is Race 1, and its page says so, a new page under a new ETag."""
    first, second = semifinals
    race = f"/races/{second.pk}.json"
    status, before, body = get(cached_pages, race)
    assert status == 200 and b'"programme_number": null' in body
    competition = first.round.distance_race.competition

    session = add_session(users["organiser"], competition, day=2, name="Day 2", starts=time(13))
    schedule_races(users["organiser"], competition, [RaceSlot(second, session, time(14))])

    status, after, body = get(cached_pages, race)
    assert status == 200 and b'"programme_number": 1' in body
    assert after[b"etag"] != before[b"etag"]
