"""Planning the rounds of a distance and drawing its first round: seeded by World Cup rank,
then season best, then lot, serpentine over the races, reproducible from the seed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shorttrack.rules import draw as drawing
from shorttrack.services.draws import draw_first_round, plan_rounds
from shorttrack.services.entries import SkaterEntry, enter_skaters, withdraw
from shorttrack.services.errors import Invalid, NotPermitted
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, men
from tests.support import table_counts

pytestmark = pytest.mark.django_db


def start_lists(race: models.DistanceRace, kind: str) -> dict[int, list[tuple[int, int]]]:
    """race number -> [(start position, helmet)] of a round."""
    lists: dict[int, list[tuple[int, int]]] = {}
    for line in models.StartListLine.objects.filter(
        race__round__distance_race=race, race__round__kind=kind
    ).select_related("race"):
        lists.setdefault(line.race.number, []).append((line.start_position, line.helmet))
    return {number: sorted(lines) for number, lines in sorted(lists.items())}


def test_35_entries_in_the_1000m_skate_heats_quarterfinals_semifinals_and_two_finals(
    montreal, users, skaters
):
    m1000 = distance_race(montreal, "M1000")
    enter_field(users, m1000, skaters, 35)

    plan = plan_rounds(users["organiser"], m1000)

    assert plan.describe() == (
        "Heats: 7 races of 5; top 2 of each race to the quarterfinals (Q); "
        "the 6 fastest 3rd places to the quarterfinals (q)",
        "Quarterfinals: 4 races of 5; top 2 of each race to the semifinals (Q); "
        "the 2 fastest 3rd places to the semifinals (q)",
        "Semifinals: 2 races of 5; top 2 of each race to Final A (QA); "
        "places 3-4 of each race to Final B (QB)",
        "Final B: 1 race of 4",
        "Final A: 1 race of 4",
    )
    rounds = [(r.kind, r.races.count()) for r in m1000.rounds.order_by("order")]
    assert rounds == [
        ("heats", 7),
        ("quarterfinals", 4),
        ("semifinals", 2),
        ("final_b", 1),
        ("final_a", 1),
    ]
    assert m1000.rounds.get(kind="heats").plan["race_sizes"] == [5] * 7


def test_the_first_round_is_drawn_from_a_recorded_seed_and_can_be_drawn_again(
    montreal, users, skaters
):
    m500 = distance_race(montreal, "M500")
    enter_field(users, m500, skaters, 35)

    draw = draw_first_round(users["organiser"], m500, seed=20251017)

    assert (draw.seed, draw.drawn_by, draw.reason) == (
        20251017,
        users["organiser"],
        "first round: 35 entries",
    )
    assert draw.method == (
        "World Cup rank, then season best time, then lot; serpentine over 7 races; "
        "start positions by lot"
    )
    heats = start_lists(m500, "heats")
    assert [len(lines) for lines in heats.values()] == [5] * 7
    assert all(line.qualified_by == "seed" for line in models.StartListLine.objects.all())
    # The rules core gives the same draw again from the recorded seed.
    entries = [
        drawing.Entry(f"s{e.skater_id}", None, e.season_best_ms)
        for e in models.Entry.objects.filter(distance_race=m500)
    ]
    again = drawing.draw_first_round(entries, 7, draw.seed)
    helmets = {f"s{e.skater_id}": e.helmet for e in models.Entry.objects.filter(distance_race=m500)}
    assert {
        race.number: sorted((s.start.number, helmets[s.entrant]) for s in race.starters)
        for race in again.races
    } == heats


def test_world_cup_rank_seeds_first_then_season_best(montreal, users, skaters):
    """KOR's first man leads the World Cup 500m after a ranked competition before this
    one; two others bring season bests; they are the top three seeds, one per race."""
    earlier = models.Competition.objects.create(
        season=montreal.season,
        number=0,
        city="Seoul",
        country="KOR",
        time_zone="Asia/Seoul",
        start_date=montreal.start_date - timedelta(days=14),
        end_date=montreal.end_date - timedelta(days=14),
    )
    kor, ned, ita = men(skaters, "KOR")[0], men(skaters, "NED")[0], men(skaters, "ITA")[0]
    ranking = models.Ranking.objects.create(
        distance_race=models.DistanceRace.objects.create(competition=earlier, distance="M500"),
        number=1,
        revision=models.Revision.objects.create(
            recorded_at=timezone.now(), source="test", reason="ranked in Seoul"
        ),
        official_at=timezone.now() - timedelta(days=10),
        basis="imported",
    )
    models.RankingLine.objects.create(ranking=ranking, rank=1, skater=kor, member=kor.member)
    m500 = distance_race(montreal, "M500")
    field = [s for code in list(skaters)[5:15] for s in men(skaters, code)[:1]]
    enter_skaters(
        users["organiser"],
        m500,
        [
            SkaterEntry(ita, season_best="40.950"),
            *field,
            SkaterEntry(ned, season_best="40.870"),
            kor,
        ],
    )

    draw_first_round(users["organiser"], m500, seed=1)

    # 13 entries: three quarterfinals, the first round.
    quarterfinals = models.Race.objects.filter(
        round__distance_race=m500, round__kind="quarterfinals"
    )
    assert quarterfinals.count() == 3
    race_of = {
        line.skater: line.race.number
        for line in models.StartListLine.objects.filter(race__in=quarterfinals).select_related(
            "race"
        )
    }
    assert (race_of[kor], race_of[ned], race_of[ita]) == (1, 2, 3)


def test_entries_close_with_the_draw_and_the_plan_follows_withdrawals(montreal, users, skaters):
    m1500 = distance_race(montreal, "M1500")
    enter_field(users, m1500, skaters, 12)
    plan_rounds(users["organiser"], m1500)
    withdraw(users["organiser"], models.Entry.objects.filter(distance_race=m1500).first(), "ill")
    with pytest.raises(Invalid) as refused:
        draw_first_round(users["organiser"], m1500)
    assert refused.value.reasons == [
        "entries: the rounds of the Men's 1500m were planned for 12 entries; "
        "11 are entered now: plan the rounds again"
    ]

    plan_rounds(users["organiser"], m1500)
    draw_first_round(users["organiser"], m1500)

    before = table_counts()
    with pytest.raises(Invalid, match="entries for the Men's 1500m closed when its first round"):
        enter_field(users, m1500, {"KOR": skaters["KOR"]}, 1)
    with pytest.raises(Invalid, match="the first round of the Men's 1500m was drawn on"):
        draw_first_round(users["organiser"], m1500)
    assert table_counts() == before


def test_an_organiser_may_draw_from_an_edited_table(montreal, users, skaters):
    m1500 = distance_race(montreal, "M1500")
    enter_field(users, m1500, skaters, 12)
    table = """
    [race_size]
    "1500m" = [4, 8]
    [[plan]]
    distances = ["1500m"]
    entries = [9, 16]
    rounds = [{ kind = "semifinals", races = 2, QA = 4 }]
    """
    draw_first_round(users["organiser"], m1500, table=table)
    assert [(r.kind, r.races.count()) for r in m1500.rounds.order_by("order")] == [
        ("semifinals", 2),
        ("final_a", 1),
    ]

    with pytest.raises(Invalid, match="^table: the edited table: no \\[\\[plan\\]\\] rows"):
        plan_rounds(users["organiser"], distance_race(montreal, "W1500"), table="mark = 'P'")


def test_too_few_entries_and_the_wrong_role_are_refused(montreal, users, skaters):
    w500 = distance_race(montreal, "W500")
    with pytest.raises(Invalid, match="^entries: Women's 500m needs at least 2 entries"):
        draw_first_round(users["organiser"], w500)
    with pytest.raises(NotPermitted, match="only an organiser of .* may make draws"):
        draw_first_round(users["referee"], w500)


def test_a_draw_from_a_page_opened_before_a_re_plan_is_refused_not_made(montreal, users, skaters):
    """Two organisers on the Men's 1500m: one re-plans after a withdrawal while the other's
    page still shows the plan before it. The second's draw would use a plan they never saw."""
    from shorttrack.services.draws import setup_version

    m1500 = distance_race(montreal, "M1500")
    enter_field(users, m1500, skaters, 12)
    plan_rounds(users["organiser"], m1500)
    opened = setup_version(m1500)  # the second organiser's page

    withdraw(users["organiser"], models.Entry.objects.filter(distance_race=m1500).first(), "ill")
    plan_rounds(users["organiser"], m1500, based_on=setup_version(m1500))

    before = table_counts()
    with pytest.raises(Invalid) as refused:
        draw_first_round(users["organiser"], m1500, seed=7, based_on=opened)
    assert refused.value.problems == (
        (
            "based_on",
            "the Men's 1500m changed since this page was opened (now 11 entries, rounds "
            "planned for 11 entries); nothing was done: look at it as it is now and choose "
            "again",
        ),
    )
    assert table_counts() == before
    with pytest.raises(Invalid, match="changed since this page was opened"):
        plan_rounds(users["organiser"], m1500, based_on=opened)
    draw_first_round(users["organiser"], m1500, seed=7, based_on=setup_version(m1500))
    assert models.Draw.objects.filter(round__distance_race=m1500).count() == 1
