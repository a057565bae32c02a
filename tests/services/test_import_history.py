"""History known only as ranks (podiums) imports from one JSON document."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shorttrack import live
from shorttrack.services.imports import import_paths
from shorttrack.store import models
from tests.support import FIXTURES, table_counts

pytestmark = pytest.mark.django_db

PODIUMS = FIXTURES / "history" / "podiums.json"


def test_podiums_become_incomplete_imported_rankings():
    report = import_paths([PODIUMS])

    assert report.created["rankings"] == 2
    women_500 = models.Ranking.objects.get(
        distance_race__distance="W500", distance_race__instance=1
    )
    assert (women_500.basis, women_500.complete) == ("imported", False)
    assert women_500.official_at == datetime(2023, 12, 9, 19, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    lines = women_500.lines.select_related("skater").order_by("rank")
    assert [(line.rank, line.skater.family_name, line.time_ms) for line in lines] == [
        (1, "Velzeboer", 42104),
        (2, "Boutin", None),
        (3, "Kim", None),
    ]
    assert women_500.revision.source.startswith("import podiums.json sha256:")


def test_a_relay_podium_ranks_nations():
    import_paths([PODIUMS])

    relay = models.Ranking.objects.get(distance_race__distance="M5000R")
    assert [(line.rank, line.member.code, line.team) for line in relay.lines.order_by("rank")] == [
        (1, "CAN", None),
        (2, "KOR", None),
    ]
    assert models.Member.objects.get(code="KOR").name == "Republic of Korea"


def test_a_changed_podium_is_a_new_revision(tmp_path):
    import_paths([PODIUMS])
    before = table_counts()
    changed = tmp_path / "podiums-corrected.json"
    changed.write_text(PODIUMS.read_text().replace('"time": "42.104"', '"time": "42.140"'))

    report = import_paths([changed])

    assert (report.created["rankings"], report.unchanged["rankings"]) == (1, 1)
    assert table_counts()["Ranking"] == before["Ranking"] + 1
    latest = (
        models.Ranking.objects.filter(distance_race__distance="W500").order_by("-number").first()
    )
    assert (latest.number, latest.revision.reason) == (2, "import of podiums-corrected.json")


def test_an_import_announces_its_changed_results_to_live_pages_once(monkeypatch, data_2022_23):
    announced = []
    monkeypatch.setattr(live, "publish", lambda topic, payload: announced.append((topic, payload)))

    import_paths([data_2022_23])

    season = models.Season.objects.get(key="2022/23")
    competitions = [f"competition:{c.pk}" for c in season.competitions.order_by("pk")]
    assert [topic for topic, _ in announced] == [*competitions, f"season:{season.pk}"]
    assert {payload["kind"] for _, payload in announced} == {"import"}

    announced.clear()
    import_paths([data_2022_23])  # nothing changed: nothing to announce
    assert announced == []
