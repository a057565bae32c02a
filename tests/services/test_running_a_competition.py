"""A whole World Tour competition run through the officials' services: all nine distances
from entries to final rankings and World Cup points, with the things that happen on a
real weekend (a PEN in Final A, an ADV in a semifinal, a yellow card, a dead heat, a DNS
in a final, corrections after official)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shorttrack.queries.standings import standings
from shorttrack.services.draws import draw_first_round
from shorttrack.services.race_results import Decision, correct_results, finish_order
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, finish, race_it, time_of

pytestmark = pytest.mark.django_db

FIELDS = {  # entries per distance
    "W500": 20,
    "M500": 110,
    "W1000": 35,
    "M1000": 24,
    "W1500": 30,
    "M1500": 40,
    "W3000R": 12,
    "M5000R": 8,
    "X2000R": 10,
}


def helmets(race: models.Race) -> list[int]:
    return sorted(race.start_list.values_list("helmet", flat=True))


def pen_to_the_winner(race):
    return None, [Decision(helmets(race)[0], "PEN", "impeding")]


def adv_after_a_fall(race):
    first, second, third, *rest = helmets(race)
    times = [time_of(race, h) for h in (first, second, *rest)]
    return finish_order([first, second, *rest], times, dnf=[third]), [
        Decision(third, "ADV", "brought down")
    ]


def yellow_card(race):
    return None, [Decision(helmets(race)[1], "YC", "kicking out")]


def dead_heat_for_second(race):
    a, b, c, *rest = helmets(race)
    times = [
        time_of(race, a),
        time_of(race, b),
        time_of(race, b),
        *(time_of(race, h) for h in rest),
    ]
    return finish_order([a, (b, c), *rest], times), []


def dns_in_the_final(race):
    *raced, last = helmets(race)
    return finish_order(raced, [time_of(race, h) for h in raced], dns=[last]), []


# (distance, round kind, race number) -> what happens in that race
WEEKEND = {
    ("W500", "final_a", 1): pen_to_the_winner,
    ("W1000", "semifinals", 1): adv_after_a_fall,
    ("M1500", "quarterfinals", 2): yellow_card,
    ("W1500", "final_a", 1): dead_heat_for_second,
    ("M1000", "final_a", 1): dns_in_the_final,
    ("X2000R", "semifinals", 2): yellow_card,
}


def skate(users, race: models.DistanceRace) -> None:
    for round_ in race.rounds.order_by("order"):
        for each in round_.races.order_by("number"):
            happening = WEEKEND.get((race.distance, round_.kind, each.number))
            lines, decisions = happening(each) if happening else (None, [])
            race_it(users, each, lines or finish(each), decisions)


def ranking(race: models.DistanceRace) -> list[models.RankingLine]:
    latest = race.rankings.order_by("-number").first()
    return list(latest.lines.select_related("skater", "team").order_by("id"))


def points(season, classification: str, as_of=None) -> dict[str, int]:
    """Entrant ('s<skater id>', or the nation for relays and nations) -> points."""
    table, _ = standings(season, classification, as_of)
    return {row.entrant: row.points for row in table.rows}


@pytest.fixture
def weekend(montreal, users, skaters) -> dict[str, models.DistanceRace]:
    races = {key: distance_race(montreal, key) for key in FIELDS}
    for key, count in FIELDS.items():
        enter_field(users, races[key], skaters, count)
        draw_first_round(users["organiser"], races[key], seed=2025)
    for race in races.values():
        skate(users, race)
    return races


def test_every_distance_is_ranked_from_its_races_and_scores(montreal, weekend):
    for key, race in weekend.items():
        (stored,) = race.rankings.all()
        assert (stored.basis, stored.official_at is not None) == ("races", True), key
        assert len(ranking(race)) == FIELDS[key], key
    assert models.Race.objects.exclude(status="official").count() == 0
    # 110 entries: preliminaries, heats, quarterfinals, semifinals, Final B, Final A.
    m500 = weekend["M500"]
    assert [(r.kind, r.races.count()) for r in m500.rounds.order_by("order")] == [
        ("preliminaries", 22),
        ("heats", 10),
        ("quarterfinals", 4),
        ("semifinals", 2),
        ("final_b", 1),
        ("final_a", 1),
    ]
    assert [line.rank for line in ranking(m500)] == list(range(1, 111))
    # World Cup points reach the standings: every distance, the overall and the nations.
    season = montreal.season
    assert max(points(season, "M500").values()) == 100
    assert sorted(points(season, "W3000R").values(), reverse=True)[:3] == [100, 80, 70]
    assert points(season, "nations")["CAN"] > 0
    assert max(points(season, "overall-men").values()) == 300  # one man won all three


def test_the_weekend_s_incidents_show_in_the_rankings(weekend):
    # PEN in Final A: ranked after the Final B skaters (women's 500m: 4 in A, 4 in B).
    penalised = [line for line in ranking(weekend["W500"]) if line.status == "PEN"]
    assert [(line.rank, line.final) for line in penalised] == [(8, "A")]
    # ADV in a semifinal: the fallen skater starts in Final A as a fifth starter.
    final_a = models.Race.objects.get(round__distance_race=weekend["W1000"], round__kind="final_a")
    assert sorted(final_a.start_list.values_list("qualified_by", flat=True)) == ["ADV"] + ["QA"] * 4
    # A yellow card: out of the distance and not ranked; in a relay, the whole team.
    carded = [line for line in ranking(weekend["M1500"]) if line.rank is None]
    assert [line.status for line in carded] == ["YC"]
    teams = [line for line in ranking(weekend["X2000R"]) if line.rank is None]
    assert [(line.status, line.team is not None) for line in teams] == [("YC", True)]
    # A dead heat for second in Final A: both second, both 80 points.
    assert [line.rank for line in ranking(weekend["W1500"])[:4]] == [1, 2, 2, 4]
    # A DNS in Final A: after the finishers of Final A, ahead of Final B.
    assert [(line.rank, line.final, line.status) for line in ranking(weekend["M1000"])[:5]] == [
        (1, "A", "finished"),
        (2, "A", "finished"),
        (3, "A", "finished"),
        (4, "A", "DNS"),
        (5, "B", "finished"),
    ]


def test_a_correction_after_official_moves_the_standings(montreal, users, weekend):
    season = montreal.season
    final_a = models.Race.objects.get(round__distance_race=weekend["W1000"], round__kind="final_a")
    first, second, *rest = [
        line.helmet for line in final_a.results.order_by("-number").first().lines.order_by("id")
    ]
    names = {line.helmet: f"s{line.skater_id}" for line in final_a.start_list.all()}
    before = timezone.now()
    assert (points(season, "W1000")[names[first]], points(season, "W1000")[names[second]]) == (
        100,
        80,
    )
    overall = points(season, "overall-women")

    correct_results(
        users["referee"],
        final_a,
        reason="photo finish read again: helmet order of the first two",
        lines=finish_order(
            [second, first, *rest],
            [time_of(final_a, first)] * 2 + [time_of(final_a, h) for h in rest],
        ),
        based_on=version(final_a),
    )

    assert (points(season, "W1000")[names[second]], points(season, "W1000")[names[first]]) == (
        100,
        80,
    )
    after = points(season, "overall-women")
    assert after[names[second]] - overall[names[second]] == 20
    assert after[names[first]] - overall[names[first]] == -20
    assert points(season, "W1000", before)[names[first]] == 100


def test_a_correction_after_the_next_round_was_raced_is_flagged(users, weekend):
    m500 = weekend["M500"]
    preliminary = models.Race.objects.get(
        round__distance_race=m500, round__kind="preliminaries", number=1
    )
    winner, *others = helmets(preliminary)
    heats_before = sorted(
        models.StartListLine.objects.filter(
            race__round__distance_race=m500, race__round__kind="heats"
        ).values_list("helmet", flat=True)
    )
    skater = preliminary.start_list.get(helmet=winner).skater
    rank_before = next(line.rank for line in ranking(m500) if line.skater == skater)

    correct_results(
        users["referee"],
        preliminary,
        reason="false start missed by the starter",
        decisions=[Decision(winner, "PEN", "false start")],
        based_on=version(preliminary),
    )

    (conflict,) = preliminary.events.filter(kind="conflict")
    assert "changes who goes to the heats" in conflict.reason
    assert "but the heats have already started" in conflict.reason
    heats_after = sorted(
        models.StartListLine.objects.filter(
            race__round__distance_race=m500, race__round__kind="heats"
        ).values_list("helmet", flat=True)
    )
    assert heats_after == heats_before
    # The ranking follows what was raced: the penalised winner of the preliminary keeps the
    # rank his later rounds gave him, and the skaters out in the preliminary move up.
    assert m500.rankings.count() == 2
    assert next(line.rank for line in ranking(m500) if line.skater == skater) == rank_before
