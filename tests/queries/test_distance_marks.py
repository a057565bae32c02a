"""The distance page's marks in place of a time (rules.isu_sheet.printed_time): the small
competition (Montreal, 2023/24), women's 1000m, where Fontana was penalised in the Final A
and ranked eighth
(a time kept for her, as the simulator keeps it: "1:26.460 PEN" read before)."""

from __future__ import annotations

import pytest

from shorttrack.queries.distance import distance_document
from shorttrack.store.models import DistanceRace, RankingLine

pytestmark = pytest.mark.django_db


def test_fontana_penalised_in_the_final_a_shows_pen_and_no_time(small_competition):
    women_1000 = DistanceRace.objects.get(competition=small_competition, distance="W1000")
    # The simulator and some timing files keep the time a penalised skater crossed in.
    RankingLine.objects.filter(skater__family_name="Fontana").update(time_ms=86_460)
    doc = distance_document(small_competition, women_1000.pk)
    ranked = {
        row["name"]: (row["rank"], row["time"], row["status"]) for row in doc["ranking"]["rows"]
    }
    assert ranked["FONTANA Sara"] == (8, "", "PEN")
    assert ranked["ADAMS Alice"][1] == "1:28.020"
