"""No public page is over 150 KB of HTML, and neither is its JSON twin or its API answer,
on the heaviest competition there is: all nine distances with every nation entering its
full quota (110+ skaters a distance), raced lap by lap through the officials' services as
the demo is. The competition page is an overview; a distance's page and a round's page
carry the results (bench/cold_pages.py times them). A standings page links to its points
per race (the grid page), which carries the races behind each total; the competition's
facts page is an index of its distance races' rarest facts."""

from __future__ import annotations

import pytest
from django.db.models import Count

from shorttrack.simulation.season import simulate_season
from shorttrack.store.models import Competition, Entry, Race

LIMIT = 150 * 1024
SEASON = "/seasons/2025-26"


@pytest.mark.django_db
# A whole full-quota competition through every service: its pages weigh the same on
# either database, and simulating it twice would take make test past its 20 minutes.
@pytest.mark.sqlite_only
def test_no_public_page_of_a_full_quota_competition_is_over_150_kb(client):
    simulate_season("2025/26", seed=7, competitions=1, per_gender=130, full_fields=True)
    competition = Competition.objects.get(season__key="2025/26", number=1)
    men_1000 = competition.distance_races.get(distance="M1000")
    assert Entry.objects.filter(distance_race=men_1000, withdrawn_at__isnull=True).count() > 110

    weights: dict[str, int] = {}

    def weigh(path: str) -> dict:
        """The page, its JSON twin and its API answer are weighed; the twin returned."""
        twin = path.rstrip("/") + ".json"
        answers = {url: client.get(url) for url in (path, twin, "/api" + path.rstrip("/"))}
        for url, answer in answers.items():
            assert answer.status_code == 200, url
            weights[url] = len(answer.content)
        return answers[twin].json()

    overview = weigh(f"{SEASON}/competitions/1/")
    assert len(overview["distances"]) == 9
    for distance in overview["distances"]:
        page = weigh(f"{SEASON}/competitions/1/distances/{distance['id']}/")
        assert page["ranking"]["rows"], distance["title"]
        for round_ in distance["rounds"]:
            weigh(f"{SEASON}/competitions/1/distances/{distance['id']}/rounds/{round_['id']}/")
    # The races with the longest sheets: each distance's Final A, and the most lines.
    races = Race.objects.filter(round__distance_race__competition=competition)
    busiest = races.annotate(lines=Count("results__lines")).order_by("-lines").first()
    finals = races.filter(round__kind="final_a").values_list("pk", flat=True)
    for race_id in {busiest.pk, *finals}:
        weigh(f"/races/{race_id}/")
    weigh(f"{SEASON}/")
    women = weigh(f"{SEASON}/standings/overall-women/")
    assert len(women["rows"]) > 110
    weigh(f"{SEASON}/standings/overall-women/grid/")
    for classification in ("overall-men", "1000m-men", "nations"):
        weigh(f"{SEASON}/standings/{classification}/")
        weigh(f"{SEASON}/standings/{classification}/grid/")
    facts = weigh(f"{SEASON}/competitions/1/facts/")
    assert facts["count"] > sum(len(d["facts"]) for d in facts["distances"])
    for distance in facts["distances"]:
        weigh(f"{SEASON}/competitions/1/facts/{distance['id']}/")
    weigh(f"/skaters/{women['rows'][0]['skater_id']}/")
    for session in facts["sessions"]:
        weigh(f"{SEASON}/competitions/1/summaries/{session['day']}/")

    heavy = {path: round(size / 1024) for path, size in weights.items() if size > LIMIT}
    assert heavy == {}, f"pages, JSON twins or API answers over 150 KB (KB): {heavy}"
