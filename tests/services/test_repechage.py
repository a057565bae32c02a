"""A distance with a repechage, run through the services: the heats' non-qualifiers fill
the Rep. Quarterfinals, their qualifiers the Rep. Semifinals, whose qualifiers join the
heats' in the quarterfinals; the final ranking places each where they went out."""

from __future__ import annotations

from collections import Counter

import pytest

from shorttrack.rules.progression import load_table
from shorttrack.services.draws import draw_first_round
from shorttrack.services.race_results import Decision
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, race_it, races_of, skate_round

pytestmark = pytest.mark.django_db

TABLE = load_table("progression-2019-20.toml")


@pytest.fixture
def m500(montreal, users, skaters) -> models.DistanceRace:
    """The men's 500 m with 36 entries on the 2019/20 table: 8 heats (top 2 and the two
    fastest 3rd places to the quarterfinals, the others to 4 Rep. Quarterfinals), 1 Rep.
    Semifinal (its winner and fastest second to the quarterfinals), 4 quarterfinals."""
    race = distance_race(montreal, "M500")
    enter_field(users, race, skaters, 36)
    draw_first_round(users["organiser"], race, seed=2019, table=TABLE)
    return race


def entrants(race: models.DistanceRace, kind: str) -> dict[int, str]:
    return dict(
        models.StartListLine.objects.filter(
            race__round__distance_race=race, race__round__kind=kind
        ).values_list("helmet", "qualified_by")
    )


def test_the_rounds_are_planned_with_the_repechage_in_skating_order(m500):
    assert list(m500.rounds.order_by("order").values_list("kind", "order")) == [
        ("heats", 1),
        ("rep_quarterfinals", 2),
        ("rep_semifinals", 3),
        ("quarterfinals", 4),
        ("semifinals", 5),
        ("final_b", 6),
        ("final_a", 7),
    ]
    assert [r.races.count() for r in m500.rounds.order_by("order")] == [8, 4, 1, 4, 2, 1, 1]


def test_who_races_which_round_from_the_heats_to_the_final_ranking(m500, users):
    heats = races_of(m500, "heats")
    in_heats = {
        race.number: sorted(race.start_list.values_list("helmet", flat=True)) for race in heats
    }
    penalised = in_heats[1][-1]  # the last of heat 1 is penalised: out, not to the repechage
    for race in heats:
        decisions = [Decision(penalised, "PEN", "impeding")] if race.number == 1 else ()
        race_it(users, race, decisions=decisions)

    # The quarterfinals wait for the repechage; the Rep. Quarterfinals fill at once.
    assert entrants(m500, "quarterfinals") == {}
    rep_qf = entrants(m500, "rep_quarterfinals")
    firsts_and_seconds = {h for helmets in in_heats.values() for h in helmets[:2]}
    thirds = sorted(h for helmets in in_heats.values() for h in helmets[2:3])
    # Fixed racing: times grow with the helmet, so the two fastest thirds are the lowest.
    to_qf_from_heats = firsts_and_seconds | set(thirds[:2])
    everyone = {h for helmets in in_heats.values() for h in helmets}
    assert set(rep_qf) == everyone - to_qf_from_heats - {penalised}
    assert set(rep_qf.values()) == {"rep"}
    assert len(rep_qf) == 36 - 18 - 1
    # The heats' sheet prints nothing for those sent to the repechage.
    heat = heats[1]
    marks = [ln.mark for ln in heat.results.order_by("-number").first().lines.order_by("place")]
    assert "rep" not in marks

    skate_round(users, m500, "rep_quarterfinals")
    rep_sf = entrants(m500, "rep_semifinals")
    assert Counter(rep_sf.values()) == {"Q": 4, "q": 2}
    assert entrants(m500, "quarterfinals") == {}

    skate_round(users, m500, "rep_semifinals")
    quarterfinals = entrants(m500, "quarterfinals")
    from_repechage = sorted(rep_sf)[:2]  # the winner and the fastest second
    assert set(quarterfinals) == to_qf_from_heats | set(from_repechage)
    assert len(quarterfinals) == 20
    draw = models.Draw.objects.get(round__distance_race=m500, round__kind="quarterfinals")
    assert draw.reason == "qualifiers of the heats and the Rep. Semifinals"

    for kind in ("quarterfinals", "semifinals", "final_b", "final_a"):
        skate_round(users, m500, kind)
    ranking = m500.rankings.order_by("-number").first()
    rank_of = {line.skater_id: line.rank for line in ranking.lines.all()}
    helmet_of = dict(
        models.Entry.objects.filter(distance_race=m500).values_list("skater_id", "helmet")
    )
    rank = {helmet_of[skater]: r for skater, r in rank_of.items()}
    out_in_qf = set(quarterfinals) - set(entrants(m500, "semifinals"))
    out_in_rep_sf = set(rep_sf) - set(quarterfinals)
    out_in_rep_qf = set(rep_qf) - set(rep_sf)
    # Latest round out first: quarterfinals, Rep. Semifinals, Rep. Quarterfinals, heats.
    assert max(rank[h] for h in out_in_qf) < min(rank[h] for h in out_in_rep_sf)
    assert max(rank[h] for h in out_in_rep_sf) < min(rank[h] for h in out_in_rep_qf)
    assert max(rank[h] for h in out_in_rep_qf) < rank[penalised]
    assert rank[penalised] == 36


@pytest.fixture
def w3000r(montreal, users, skaters) -> models.DistanceRace:
    """The women's relay with 13 teams on the 2019/20 table: the ten best seeds straight
    into the quarterfinals, the other three skate the Repechage for two places."""
    race = distance_race(montreal, "W3000R")
    enter_field(users, race, skaters, 13)
    draw_first_round(users["organiser"], race, seed=2020, table=TABLE)
    return race


def teams(race: models.DistanceRace, kind: str) -> dict[int, str]:
    return dict(
        models.StartListLine.objects.filter(
            race__round__distance_race=race, race__round__kind=kind
        ).values_list("team_id", "qualified_by")
    )


def test_a_relay_repechage_for_the_teams_not_seeded_into_the_quarterfinals(w3000r, users):
    assert list(w3000r.rounds.order_by("order").values_list("kind", flat=True))[:2] == [
        "repechage",
        "quarterfinals",
    ]
    repechage = teams(w3000r, "repechage")
    assert len(repechage) == 3 and teams(w3000r, "quarterfinals") == {}
    first = models.Draw.objects.get(round__distance_race=w3000r, round__kind="repechage")
    assert first.reason == "first round: 13 entries, the best 10 seeded into the quarterfinals"

    skate_round(users, w3000r, "repechage")

    quarterfinals = teams(w3000r, "quarterfinals")
    assert Counter(quarterfinals.values()) == {"seed": 10, "Q": 1, "q": 1}
    entered = set(
        models.Entry.objects.filter(distance_race=w3000r).values_list("team_id", flat=True)
    )
    seeded = {team for team, mark in quarterfinals.items() if mark == "seed"}
    assert seeded | set(repechage) == entered and not seeded & set(repechage)
    assert {team for team, mark in quarterfinals.items() if mark != "seed"} < set(repechage)
    assert [r.start_list.count() for r in races_of(w3000r, "quarterfinals")] == [4, 4, 4]
    draw = models.Draw.objects.get(round__distance_race=w3000r, round__kind="quarterfinals")
    assert draw.reason == "10 seeded and the qualifiers of the Repechage"

    for kind in ("quarterfinals", "semifinals", "final_b", "final_a"):
        skate_round(users, w3000r, kind)
    ranking = w3000r.rankings.order_by("-number").first()
    assert ranking.lines.count() == 13
    out_in_repechage = set(repechage) - set(quarterfinals)
    ranks = dict(ranking.lines.values_list("team_id", "rank"))
    assert {ranks[team] for team in out_in_repechage} == {13}
