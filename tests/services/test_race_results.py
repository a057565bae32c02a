"""A race from the start to official: the finish as the results officer types it, the
referee's decisions, reruns; and every bad input refused with nothing changed."""

from __future__ import annotations

import pytest

from shorttrack.services.draws import draw_first_round
from shorttrack.services.errors import Invalid, NotPermitted
from shorttrack.services.officials import RESULTS_OFFICER, appoint
from shorttrack.services.race_results import (
    Decision,
    FinishLine,
    correct_results,
    decide,
    enter_results,
    finish_order,
    make_official,
    open_review,
    rerun,
    start_race,
)
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, race_it, races_of
from tests.support import table_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def w500(montreal, users, skaters) -> models.DistanceRace:
    """The women's 500m with 8 entries: two semifinals of 4, then Final B and Final A."""
    race = distance_race(montreal, "W500")
    enter_field(users, race, skaters, 8)
    draw_first_round(users["organiser"], race, seed=3)
    return race


@pytest.fixture
def semifinal(w500, users) -> models.Race:
    race = races_of(w500, "semifinals")[0]
    start_race(users["officer"], race, based_on=version(race))
    return race


def helmets(race: models.Race) -> list[int]:
    return sorted(race.start_list.values_list("helmet", flat=True))


def sheet(result: models.RaceResult) -> list[tuple]:
    """(place, helmet, time, status, mark, warnings) as the result sheet prints them."""
    return [
        (line.place, line.helmet, line.time, line.status, line.mark, line.warnings)
        for line in result.lines.order_by("id")
    ]


def counts() -> dict[str, int]:
    return table_counts() | {
        "RaceEvent": models.RaceEvent.objects.count(),
        "StartListLine": models.StartListLine.objects.count(),
        "Draw": models.Draw.objects.count(),
        "Entry": models.Entry.objects.count(),
    }


def test_the_results_officer_types_helmets_in_finish_order_then_times(semifinal, users):
    first, second, third, fourth = helmets(semifinal)

    result = enter_results(
        users["officer"],
        semifinal,
        finish_order([third, first, fourth], ["43.512", "43.620", "44.001"], dns=[second]),
        based_on=version(semifinal),
    )

    assert sheet(result) == [
        (1, third, "43.512", "finished", "", ""),
        (2, first, "43.620", "finished", "", ""),
        (3, fourth, "44.001", "finished", "", ""),
        (None, second, "", "DNS", "", ""),
    ]
    semifinal.refresh_from_db()
    assert semifinal.status == "unofficial"
    assert result.official_at is None
    assert result.revision.recorded_by == users["officer"]
    assert list(semifinal.events.values_list("kind", "status")) == [
        ("status", "started"),
        ("results", "unofficial"),
    ]


def test_a_dead_heat_shares_the_place_and_skips_the_next(semifinal, users):
    a, b, c, d = helmets(semifinal)
    result = enter_results(
        users["officer"],
        semifinal,
        finish_order([a, (b, c), d], ["43.500", "43.611", "43.611", "43.900"]),
        based_on=version(semifinal),
    )
    assert [(line.place, line.helmet, line.dead_heat) for line in result.lines.order_by("id")] == [
        (1, a, False),
        (2, b, True),
        (2, c, True),
        (4, d, False),
    ]


def test_bad_finishes_are_refused_with_every_reason_and_nothing_changes(semifinal, users):
    a, b, c, d = helmets(semifinal)
    before = counts()

    def refused(lines) -> list[str]:
        with pytest.raises(Invalid) as caught:
            enter_results(users["officer"], semifinal, lines, based_on=version(semifinal))
        return caught.value.reasons

    assert refused(finish_order([a, b, c, 99])) == [
        f"lines[3]: helmet 99 does not start in Women's 500m Semifinal 1 (helmets {a}, {b}, {c}, {d})",
        f"lines: helmet {d} starts in Women's 500m Semifinal 1 but is not in the result: "
        "give its place, DNF or DNS",
    ]
    assert refused([FinishLine(a, 1), FinishLine(b, 2), FinishLine(c, 2), FinishLine(d, 4)]) == [
        f"place: place 2 is given to helmets {b} and {c}: mark them as a dead heat, or correct one"
    ]
    assert refused(finish_order([a, b, c, d], ["43.500", "43.400", "43.700", "43.800"])) == [
        f"time: helmet {b}, placed 2, has 43.400: faster than helmet {a}, placed 1, in 43.500; "
        "correct the place or the time (a penalised skater is marked PEN by the referee)"
    ]
    assert refused([FinishLine(a, 1), FinishLine(b, 2), FinishLine(c, 4), FinishLine(d, 5)]) == [
        "place: no finisher has place 3"
    ]
    assert refused(
        [
            FinishLine(a, 1),
            FinishLine(b, 2),
            FinishLine(c, 3),
            FinishLine(d, time="44.100", status="DNF"),
        ]
    ) == [f"lines[3]: helmet {d} is DNF: it has no place and no time"]
    (typo,) = refused(finish_order([a, b, c, d], ["43.500", "43.600", "43.700", "3.800"]))
    assert typo.startswith(
        f"lines[3]: helmet {d}: time 3.800 is more than a second faster than the world record "
        "of the Women's 500m (41.416"
    )
    assert refused(finish_order([a, a, b, c, d])) == [f"lines[0]: helmet {a} is entered 2 times"]
    assert counts() == before


def test_a_race_is_started_before_its_finish_is_entered(w500, users):
    race = races_of(w500, "semifinals")[1]
    with pytest.raises(Invalid) as refused:
        enter_results(users["officer"], race, finish_order(helmets(race)), based_on=version(race))
    assert refused.value.reasons == [
        "race: Women's 500m Semifinal 2: entering results is not possible: the race is "
        "scheduled (possible now: starting the race)"
    ]


def test_a_penalty_places_the_skater_last_and_the_others_move_up(semifinal, users):
    a, b, c, d = helmets(semifinal)
    enter_results(
        users["officer"],
        semifinal,
        finish_order([a, b, c, d], ["43.5", "43.6", "43.7", "43.8"]),
        based_on=version(semifinal),
    )

    decided = decide(
        users["referee"], semifinal, [Decision(a, "PEN", "impeding")], based_on=version(semifinal)
    )

    assert sheet(decided) == [
        (1, b, "43.600", "finished", "", ""),
        (2, c, "43.700", "finished", "", ""),
        (3, d, "43.800", "finished", "", ""),
        (None, a, "43.500", "PEN", "", "impeding"),
    ]
    assert decided.number == 2
    assert decided.revision.reason == f"referee: PEN helmet {a} (impeding)"
    semifinal.refresh_from_db()
    assert semifinal.status == "under_review"

    official = make_official(users["referee"], semifinal, based_on=version(semifinal))

    assert sheet(official) == [
        (1, b, "43.600", "finished", "QA", ""),
        (2, c, "43.700", "finished", "QA", ""),
        (3, d, "43.800", "finished", "QB", ""),
        (None, a, "43.500", "PEN", "", "impeding"),
    ]
    assert official.official_at is not None


def test_a_decision_is_lifted_with_clear(semifinal, users):
    a, b, c, d = helmets(semifinal)
    enter_results(
        users["officer"], semifinal, finish_order([a, b, c, d]), based_on=version(semifinal)
    )
    decide(
        users["referee"], semifinal, [Decision(a, "PEN", "impeding")], based_on=version(semifinal)
    )

    lifted = decide(
        users["referee"], semifinal, [Decision(a, "CLEAR")], based_on=version(semifinal)
    )

    assert [(line.place, line.helmet, line.status) for line in lifted.lines.order_by("id")] == [
        (1, a, "finished"),
        (2, b, "finished"),
        (3, c, "finished"),
        (4, d, "finished"),
    ]


def test_decisions_are_checked_and_refused_as_a_whole(semifinal, users):
    a, b, c, d = helmets(semifinal)
    enter_results(
        users["officer"], semifinal, finish_order([a, b, c], dns=[d]), based_on=version(semifinal)
    )
    before = counts()
    with pytest.raises(Invalid) as refused:
        decide(
            users["referee"],
            semifinal,
            [
                Decision(a, "PEN"),
                Decision(d, "YC", "kicking out"),
                Decision(b, "DQ", "impeding"),
                Decision(42, "ADV"),
            ],
            based_on=version(semifinal),
        )
    assert refused.value.reasons == [
        f"decisions[0]: PEN for helmet {a}: name the infringement",
        f"decisions[1]: helmet {d} did not start Women's 500m Semifinal 1: no decision applies",
        "decisions[2]: unknown decision 'DQ': expected PEN, YC, RC, ADV, ADA, ADB or CLEAR",
        f"decisions[3]: helmet 42 is not in Women's 500m Semifinal 1 (helmets {a}, {b}, {c}, {d})",
    ]
    assert counts() == before


def test_each_step_belongs_to_one_role(semifinal, users):
    a, b, c, d = helmets(semifinal)
    before = counts()
    with pytest.raises(NotPermitted, match="only a results officer of .* may enter race results"):
        enter_results(
            users["referee"], semifinal, finish_order([a, b, c, d]), based_on=version(semifinal)
        )
    enter_results(
        users["officer"], semifinal, finish_order([a, b, c, d]), based_on=version(semifinal)
    )
    with pytest.raises(NotPermitted, match="only a referee of .* may make results official; oscar"):
        make_official(users["officer"], semifinal, based_on=version(semifinal))
    with pytest.raises(NotPermitted, match="fred holds no role"):
        decide(
            users["fan"], semifinal, [Decision(a, "PEN", "impeding")], based_on=version(semifinal)
        )
    with pytest.raises(NotPermitted, match="^sign in as a referee"):
        make_official(None, semifinal, based_on=version(semifinal))
    assert counts()["RaceResult"] == before["RaceResult"] + 1


def test_an_officer_of_another_competition_changes_nothing_here(montreal, semifinal, users):
    calgary = models.Competition.objects.create(
        season=montreal.season,
        number=2,
        city="Calgary",
        country="CAN",
        time_zone="America/Edmonton",
        start_date=montreal.start_date,
        end_date=montreal.end_date,
    )
    appoint(users["admin"], calgary, users["fan"], RESULTS_OFFICER)
    before = counts()
    with pytest.raises(NotPermitted) as refused:
        enter_results(
            users["fan"], semifinal, finish_order(helmets(semifinal)), based_on=version(semifinal)
        )
    assert str(refused.value) == (
        "only a results officer of ISU Short Track World Tour 1, Montreal may enter race "
        "results; fred holds no role at this competition"
    )
    assert counts() == before


def test_a_rerun_sets_the_results_aside_and_the_race_is_skated_again(semifinal, users):
    a, b, c, d = helmets(semifinal)
    enter_results(
        users["officer"], semifinal, finish_order([a, b, c, d]), based_on=version(semifinal)
    )
    with pytest.raises(Invalid, match="^reason: .*a rerun needs a reason"):
        rerun(users["referee"], semifinal, " ", based_on=version(semifinal))

    rerun(users["referee"], semifinal, "start signal failed", based_on=version(semifinal))

    semifinal.refresh_from_db()
    assert semifinal.status == "scheduled"
    assert semifinal.results.count() == 2
    assert semifinal.results.last().lines.count() == 0
    assert semifinal.events.last().reason == "start signal failed"
    start_race(users["officer"], semifinal, based_on=version(semifinal))
    again = enter_results(
        users["officer"], semifinal, finish_order([d, c, b, a]), based_on=version(semifinal)
    )
    assert again.number == 3


def test_review_and_corrections_follow_the_lifecycle(semifinal, users):
    a, b, c, d = helmets(semifinal)
    enter_results(
        users["officer"], semifinal, finish_order([a, b, c, d]), based_on=version(semifinal)
    )
    open_review(
        users["referee"], semifinal, "video of the last corner", based_on=version(semifinal)
    )
    semifinal.refresh_from_db()
    assert semifinal.status == "under_review"
    with pytest.raises(Invalid) as refused:
        correct_results(
            users["referee"],
            semifinal,
            reason="video",
            lines=finish_order([b, a, c, d]),
            based_on=version(semifinal),
        )
    assert refused.value.reasons == [
        "race: Women's 500m Semifinal 1: a correction is not possible: the race is under review "
        "(possible now: entering results, a referee decision (PEN, YC, RC, ADV), making the race "
        "official, a rerun)"
    ]
    make_official(users["referee"], semifinal, based_on=version(semifinal))
    with pytest.raises(Invalid, match="race is official: a change needs a correction"):
        enter_results(
            users["officer"], semifinal, finish_order([b, a, c, d]), based_on=version(semifinal)
        )
    with pytest.raises(Invalid, match="^reason: .*a correction needs a reason"):
        correct_results(
            users["referee"],
            semifinal,
            reason="",
            lines=finish_order([b, a, c, d]),
            based_on=version(semifinal),
        )
    # The official sheet typed again as it stands (its Q marks are the round's) is no correction.
    revisions = semifinal.results.count()
    with pytest.raises(Invalid, match="the correction changes nothing"):
        correct_results(
            users["referee"],
            semifinal,
            reason="video",
            lines=finish_order([a, b, c, d]),
            based_on=version(semifinal),
        )
    assert semifinal.results.count() == revisions


def test_an_advanced_skater_starts_in_final_a_as_an_extra_starter(w500, users):
    first, second = races_of(w500, "semifinals")
    a, b, c, d = helmets(first)
    # c fell when brought down by a rival and did not finish; the referee advances her.
    fell = finish_order([a, b, d], ["43.5", "43.6", "43.9"], dnf=[c])
    race_it(users, first, fell, decisions=[Decision(c, "ADV", "brought down")])
    race_it(users, second)

    final_a = races_of(w500, "final_a")[0]
    assert sorted(final_a.start_list.values_list("qualified_by", flat=True)) == [
        "ADV",
        "QA",
        "QA",
        "QA",
        "QA",
    ]
    assert final_a.start_list.get(qualified_by="ADV").helmet == c
    assert first.results.last().lines.get(helmet=c).mark == "ADV"


def test_an_adv_in_a_final_is_refused(w500, users):
    for race in races_of(w500, "semifinals"):
        race_it(users, race)
    final_a = races_of(w500, "final_a")[0]
    start_race(users["officer"], final_a, based_on=version(final_a))
    enter_results(
        users["officer"], final_a, finish_order(helmets(final_a)), based_on=version(final_a)
    )
    with pytest.raises(Invalid, match="Final A is a final: there is no next round to advance to"):
        decide(
            users["referee"],
            final_a,
            [Decision(helmets(final_a)[0], "ADV")],
            based_on=version(final_a),
        )


def test_two_yellow_cards_at_a_competition_make_a_red_card(montreal, w500, users, skaters):
    w1000 = distance_race(montreal, "W1000")
    enter_field(users, w1000, skaters, 8)
    draw_first_round(users["organiser"], w1000, seed=5)
    first = races_of(w500, "semifinals")[0]
    carded = first.start_list.order_by("helmet").first()
    race_it(users, first, decisions=[Decision(carded.helmet, "YC", "kicking out")])
    other = models.Race.objects.get(round__distance_race=w1000, start_list__skater=carded.skater)

    race_it(users, other, decisions=[Decision(carded.helmet, "YC", "impeding")])

    line = other.results.last().lines.get(helmet=carded.helmet)
    assert (line.status, line.warnings) == ("RC", "impeding; 2nd YC")
    assert "makes a red card (RC)" in other.results.get(number=2).revision.reason
    withdrawn = models.Entry.objects.filter(skater=carded.skater, withdrawn_at__isnull=False)
    assert {(e.distance_race.distance, e.withdrawn_reason) for e in withdrawn} == {
        ("W500", f"red card (RC) in Women's 1000m Semifinal {other.number}"),
        ("W1000", f"red card (RC) in Women's 1000m Semifinal {other.number}"),
    }
