"""The final ranking of a distance once its finals are official, its World Cup points in
the standings, and a correction after official ranking it again."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.utils import timezone

from shorttrack.queries.races import ranking_rows
from shorttrack.queries.standings import standings
from shorttrack.services.draws import draw_first_round
from shorttrack.services.errors import Invalid
from shorttrack.services.race_results import (
    Decision,
    correct_results,
    finish_order,
)
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import (
    distance_race,
    enter_field,
    finish,
    race_it,
    races_of,
    skate_round,
    time_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w500(montreal, users, skaters) -> models.DistanceRace:
    """The women's 500m with 8 entries, semifinals skated: Final B and Final A to go."""
    race = distance_race(montreal, "W500")
    enter_field(users, race, skaters, 8)
    draw_first_round(users["organiser"], race, seed=11)
    skate_round(users, race, "semifinals")
    return race


def final(race: models.DistanceRace, kind: str) -> tuple[models.Race, list[int]]:
    (only,) = races_of(race, kind)
    return only, sorted(only.start_list.values_list("helmet", flat=True))


def ranking(race: models.DistanceRace) -> list[tuple]:
    return [
        (row.rank, row.final, row.final_place, row.status, row.points) for row in ranking_rows(race)
    ]


def points(race: models.DistanceRace) -> dict[str, int]:
    table, _ = standings(race.competition.season, race.distance)
    names = {f"s{s.pk}": str(s) for s in models.Skater.objects.filter(entry__distance_race=race)}
    return {names[row.entrant]: row.points for row in table.rows}


def test_no_ranking_until_final_a_is_official(w500, users):
    final_b, _ = final(w500, "final_b")
    race_it(users, final_b)
    assert w500.rankings.count() == 0


def test_the_ranking_of_the_finals_gives_world_cup_points(w500, users):
    race_it(users, final(w500, "final_b")[0])
    final_a, _ = final(w500, "final_a")
    race_it(users, final_a)

    stored = w500.rankings.get()
    assert (stored.basis, stored.number, stored.official_at is not None) == ("races", 1, True)
    assert ranking(w500) == [
        (1, "A", 1, "", 100),
        (2, "A", 2, "", 80),
        (3, "A", 3, "", 70),
        (4, "A", 4, "", 60),
        (5, "B", 1, "", 50),
        (6, "B", 2, "", 44),
        (7, "B", 3, "", 40),
        (8, "B", 4, "", 36),
    ]
    winner = final_a.start_list.order_by("helmet").first().skater
    assert points(w500)[str(winner)] == 100


def test_a_penalty_in_final_a_ranks_the_skater_after_final_b(w500, users):
    race_it(users, final(w500, "final_b")[0])
    final_a, (a, b, c, d) = final(w500, "final_a")
    race_it(users, final_a, decisions=[Decision(a, "PEN", "impeding")])

    assert ranking(w500) == [
        (1, "A", 1, "", 100),
        (2, "A", 2, "", 80),
        (3, "A", 3, "", 70),
        (4, "B", 1, "", 60),
        (5, "B", 2, "", 50),
        (6, "B", 3, "", 44),
        (7, "B", 4, "", 40),
        (8, "A", None, "PEN", 36),
    ]


def test_a_dead_heat_and_a_dns_in_final_a(w500, users):
    race_it(users, final(w500, "final_b")[0])
    final_a, (a, b, c, d) = final(w500, "final_a")
    times = [time_of(final_a, a), time_of(final_a, b), time_of(final_a, b)]
    race_it(users, final_a, finish_order([a, (b, c)], times, dns=[d]))

    assert ranking(w500)[:4] == [
        (1, "A", 1, "", 100),
        (2, "A", 2, "", 80),
        (2, "A", 2, "", 80),
        (4, "A", None, "DNS", 60),
    ]


def test_a_correction_after_official_ranks_again_and_moves_the_standings(w500, users):
    race_it(users, final(w500, "final_b")[0])
    final_a, (a, b, c, d) = final(w500, "final_a")
    race_it(users, final_a)
    before_correction = timezone.now()
    skater = {line.helmet: str(line.skater) for line in final_a.start_list.all()}
    assert (points(w500)[skater[a]], points(w500)[skater[b]]) == (100, 80)

    correct_results(
        users["referee"],
        final_a,
        reason="photo finish: helmet order of the first two read again",
        lines=finish_order([b, a, c, d], [time_of(final_a, a)] * 2 + [time_of(final_a, c)] * 2),
        based_on=version(final_a),
    )

    assert w500.rankings.count() == 2
    latest = w500.rankings.order_by("number").last()
    assert latest.revision.reason == (
        "ranking again after the correction of Women's 500m Final A: "
        "photo finish: helmet order of the first two read again"
    )
    assert latest.revision.recorded_by == users["referee"]
    assert (points(w500)[skater[b]], points(w500)[skater[a]]) == (100, 80)
    # The standings just before the correction still show what was official then.
    table, _ = standings(w500.competition.season, "W500", before_correction)
    earlier = {row.entrant: row.points for row in table.rows}
    assert earlier[f"s{final_a.start_list.get(helmet=a).skater_id}"] == 100


def test_a_correction_that_changes_nothing_ranked_keeps_the_ranking(w500, users):
    race_it(users, final(w500, "final_b")[0])
    final_a, (a, b, c, d) = final(w500, "final_a")
    race_it(users, final_a)

    correct_results(
        users["referee"],
        final_a,
        reason="infringement noted",
        decisions=[Decision(d, "YC", "kicking out")],
        based_on=version(final_a),
    )
    assert w500.rankings.count() == 2  # the yellow card leaves the skater unranked

    correct_results(
        users["referee"],
        final_a,
        reason="a warning only",
        decisions=[Decision(d, "CLEAR")],
        based_on=version(final_a),
    )
    assert w500.rankings.count() == 3  # ranked again as first

    with_laps = [
        replace(line, laps_ms=[9_100, 8_400, 8_500, 8_600, 8_400 + line.helmet])
        for line in finish(final_a)
    ]
    correct_results(
        users["referee"],
        final_a,
        reason="lap times added",
        lines=with_laps,
        based_on=version(final_a),
    )
    assert final_a.results.count() == 4
    assert w500.rankings.count() == 3  # nothing ranked changed: no new revision

    with pytest.raises(Invalid, match="^lines: the correction changes nothing"):
        correct_results(
            users["referee"], final_a, reason="again", lines=with_laps, based_on=version(final_a)
        )
