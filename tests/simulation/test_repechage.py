"""A simulated competition on a table with repechage rounds (the 2019/20 table): every
distance is raced to its ranking, and each skater races the rounds the rules send them to."""

from __future__ import annotations

import pytest

from shorttrack.rules import progression
from shorttrack.simulation.season import simulate_season
from shorttrack.store.models import DistanceRace, Race, RaceResultLine, StartListLine


def starters(distance_race: DistanceRace, kind: str) -> set[int]:
    return set(
        StartListLine.objects.filter(
            race__round__distance_race=distance_race, race__round__kind=kind
        ).values_list("skater_id", flat=True)
    )


def official_lines(distance_race: DistanceRace, kind: str) -> list[RaceResultLine]:
    """The newest official line of each race of the round."""
    lines = []
    for race in Race.objects.filter(round__distance_race=distance_race, round__kind=kind):
        result = race.results.filter(official_at__isnull=False).order_by("-number").first()
        if result is not None:
            lines += list(result.lines.all())
    return lines


def went_on(distance_race: DistanceRace, kind: str) -> set[int]:
    """Who the round's sheets mark as going on (Q, q, ADV)."""
    return {
        ln.skater_id for ln in official_lines(distance_race, kind) if ln.mark in ("Q", "q", "ADV")
    }


@pytest.mark.django_db
# A whole simulated competition through every service: its database work is the
# same on both kinds, and twice would take make test past its 20 minutes; run once.
@pytest.mark.sqlite_only
def test_a_simulated_competition_races_the_repechage_rounds(monkeypatch):
    table = progression.load_table("progression-2019-20.toml")
    monkeypatch.setattr(progression, "table_for", lambda rules: table)
    simulate_season("2025/26", seed=11, competitions=1, per_gender=130)

    skated = Race.objects.filter(start_list__isnull=False).distinct()
    assert set(skated.values_list("status", flat=True)) == {"official"}
    raced = DistanceRace.objects.filter(competition__number=1)
    for distance_race in raced:
        assert distance_race.rankings.exists(), distance_race

    m500 = raced.get(distance="M500")
    kinds = list(m500.rounds.order_by("order").values_list("kind", flat=True))
    assert kinds[:4] == ["heats", "rep_quarterfinals", "rep_semifinals", "quarterfinals"]
    heats = starters(m500, "heats")
    rep_qf, rep_sf = starters(m500, "rep_quarterfinals"), starters(m500, "rep_semifinals")
    # The repechage races those the heats did not send to the quarterfinals ...
    assert rep_qf and rep_qf <= heats - went_on(m500, "heats")
    assert rep_sf == went_on(m500, "rep_quarterfinals")
    # ... and the quarterfinals hold the qualifiers of the heats and of the repechage.
    assert starters(m500, "quarterfinals") == went_on(m500, "heats") | went_on(
        m500, "rep_semifinals"
    )
    assert starters(m500, "quarterfinals") & rep_sf

    w1500 = raced.get(distance="W1500")
    kinds = list(w1500.rounds.order_by("order").values_list("kind", flat=True))
    assert kinds[:4] == ["quarterfinals", "rep_quarterfinals", "rep_semifinals", "semifinals"]
    last_qf = max(
        Race.objects.filter(round__distance_race=w1500, round__kind="quarterfinals").values_list(
            "scheduled_at", flat=True
        )
    )
    first_rep = min(
        Race.objects.filter(
            round__distance_race=w1500, round__kind="rep_quarterfinals"
        ).values_list("scheduled_at", flat=True)
    )
    assert last_qf < first_rep
    assert starters(w1500, "semifinals") == went_on(w1500, "quarterfinals") | went_on(
        w1500, "rep_semifinals"
    )

    # Relays: the ten best-seeded teams straight into the quarterfinals, the others in
    # the Repechage.
    relays = [
        race
        for race in DistanceRace.objects.filter(competition__number=1)
        if race.rules_distance.relay and race.rounds.filter(kind="repechage").exists()
    ]
    assert relays
    for relay in relays:
        assert relay.rankings.exists()
        kinds = list(relay.rounds.order_by("order").values_list("kind", flat=True))
        assert kinds[:2] == ["repechage", "quarterfinals"]
        quarterfinals = StartListLine.objects.filter(
            race__round__distance_race=relay, race__round__kind="quarterfinals"
        )
        repechage = set(
            StartListLine.objects.filter(
                race__round__distance_race=relay, race__round__kind="repechage"
            ).values_list("team_id", flat=True)
        )
        seeded = set(quarterfinals.filter(qualified_by="seed").values_list("team_id", flat=True))
        assert len(seeded) == 10 and not seeded & repechage
        others = set(quarterfinals.exclude(qualified_by="seed").values_list("team_id", flat=True))
        assert others and others <= repechage
