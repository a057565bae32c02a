"""The individual 3000 m of earlier seasons: stored and imported from a round page in the
shape of the ISU results pages when the season's rule set names it, shown as "Women's
3000m"; refused, naming the line, for a season whose rules do not."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from shorttrack.rules import season
from shorttrack.services.imports import ImportRejected, import_paths
from shorttrack.store import models

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures"
PAGES = FIXTURES / "isu-results-3000m"  # the women's 3000 m Final A of a test season 2008/09
PAGE = "2008-2009-ISUWorldCup2008_09-Dresden(GER)-3000m-w-FinalA.html"


@pytest.fixture
def rule_sets(tmp_path, monkeypatch):
    """The project's rule sets and, beside them, a test season file: 2008/09, which names
    the individual 3000 m (tests/fixtures/seasons/2008-09.toml)."""
    folder = tmp_path / "seasons"
    shutil.copytree(season.SEASONS_DIR, folder)
    monkeypatch.setattr(season, "SEASONS_DIR", folder)
    season.season_rules.cache_clear()
    yield folder
    season.season_rules.cache_clear()


def install_test_season(folder: Path) -> None:
    shutil.copy(FIXTURES / "seasons" / "2008-09.toml", folder)
    season.season_rules.cache_clear()


def test_a_3000m_page_imports_when_the_seasons_rules_name_it(rule_sets, client):
    install_test_season(rule_sets)

    import_paths([PAGES])

    race = models.DistanceRace.objects.get(competition__season__key="2008/09")
    assert race.distance == "W3000"
    assert race.title == "Women's 3000m"
    assert race.rules_distance.laps == 27
    assert race.get_distance_display() == "Women's 3000m"
    final = models.Race.objects.get(round__distance_race=race, round__kind="final_a")
    lines = final.results.get().lines.order_by("id")
    assert [
        (line.place, line.skater.family_name, line.skater.isu_id, line.time_ms, line.status)
        for line in lines
    ] == [
        (1, "ANDERS", "990001", 301_112, "finished"),
        (2, "BERG", "990002", 301_356, "finished"),
        (3, "CORMIER", "990003", 301_536, "finished"),
        (4, "DOBOS", "990004", 301_912, "finished"),
        (5, "EGOROVA", "990005", 301_984, "finished"),
        (6, "FAURE", "990006", 304_191, "finished"),
        (None, "HOLM", "990007", None, "PEN"),
    ]
    ranking = models.Ranking.objects.get(distance_race=race)
    assert [line.rank for line in ranking.lines.order_by("rank")][:3] == [1, 2, 3]
    page = client.get(reverse("site:race", kwargs={"race_id": final.pk}))
    assert page.status_code == 200
    assert "<h1>Women's 3000m, Final A</h1>" in html.unescape(page.content.decode())


def test_a_3000m_page_of_a_season_that_does_not_name_it_is_refused(rule_sets, tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    page = (folder / "round" / PAGE).read_text(encoding="utf-8")
    (folder / "round" / PAGE).unlink()
    # The same page as of 2019/20, whose rules name the nine distances of today.
    (
        folder / "round" / PAGE.replace("2008-2009", "2019-2020").replace("2008_09", "2019_20")
    ).write_text(
        page.replace("ISU World Cup 2008/09 - Dresden", "ISU World Cup 2019/20 - Dresden"),
        encoding="utf-8",
    )

    with pytest.raises(ImportRejected) as refused:
        import_paths([folder])

    reasons = [e.reason for e in refused.value.errors if e.field == "race"]
    assert reasons and reasons[0].startswith(
        "the 2019/20 season has no Women's 3000m: its rules name Women's 500m"
    )
    assert not models.DistanceRace.objects.exists()
