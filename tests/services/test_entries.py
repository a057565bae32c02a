"""Entering skaters within the season's quotas, helmet numbers, and withdrawals."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shorttrack.services.entries import SkaterEntry, enter_skaters, withdraw
from shorttrack.services.errors import Invalid, NotPermitted
from shorttrack.store import models
from tests.services.montreal import distance_race, men, women
from tests.support import table_counts

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return table_counts() | {"Entry": models.Entry.objects.count()}


def test_three_korean_women_enter_the_500m_with_helmets_and_season_bests(montreal, users, skaters):
    w500 = distance_race(montreal, "W500")
    kor = women(skaters, "KOR")
    entries = enter_skaters(
        users["organiser"],
        w500,
        [
            SkaterEntry(kor[0], helmet=7, season_best="42.731"),
            SkaterEntry(kor[1], season_best=43105),
            kor[2],
        ],
    )

    assert [(e.helmet, e.season_best_ms) for e in entries] == [(7, 42731), (8, 43105), (9, None)]
    assert all(e.entered_by == users["organiser"] for e in entries)


def test_a_skater_keeps_her_helmet_number_across_distances(montreal, users, skaters):
    ned = women(skaters, "NED")
    enter_skaters(users["organiser"], distance_race(montreal, "W500"), [SkaterEntry(ned[0], 21)])
    (entry,) = enter_skaters(users["organiser"], distance_race(montreal, "W1000"), [ned[0]])
    assert entry.helmet == 21

    before = counts()
    with pytest.raises(Invalid) as refused:
        enter_skaters(
            users["organiser"], distance_race(montreal, "W1500"), [SkaterEntry(ned[0], 22)]
        )
    assert refused.value.reasons == [
        "entries[0]: ADLER Anna (NED) wears helmet 21 at this competition, not 22"
    ]
    with pytest.raises(Invalid, match="helmet 21 is worn by ADLER Anna"):
        enter_skaters(
            users["organiser"], distance_race(montreal, "W1500"), [SkaterEntry(ned[1], 21)]
        )
    assert counts() == before


def test_a_fourth_skater_of_a_member_is_over_the_quota(montreal, users, skaters):
    w1000 = distance_race(montreal, "W1000")
    before = counts()
    with pytest.raises(Invalid) as refused:
        enter_skaters(users["organiser"], w1000, women(skaters, "KOR")[:4])
    assert refused.value.reasons == [
        "entries: KOR would have 4 skaters in the Women's 1000m: the 2025/26 quota is 3 per ISU Member"
    ]
    assert counts() == before


def test_the_host_nation_gets_its_extra_places_where_the_season_gives_them(
    montreal, users, skaters
):
    montreal.season.rules_key = "2023/24"  # one extra place for the host nation [P]
    montreal.season.save()
    w1000 = distance_race(montreal, "W1000")
    enter_skaters(users["organiser"], w1000, women(skaters, "CAN")[:4])
    with pytest.raises(Invalid, match="CAN would have 5 skaters .* the 2023/24 quota is 4"):
        enter_skaters(users["organiser"], w1000, women(skaters, "CAN")[4:])


def test_a_man_in_a_women_s_distance_twice_entered_or_a_relay_are_refused(montreal, users, skaters):
    w500 = distance_race(montreal, "W500")
    enter_skaters(users["organiser"], w500, women(skaters, "ITA")[:1])
    before = counts()
    with pytest.raises(Invalid) as refused:
        enter_skaters(
            users["organiser"],
            w500,
            [men(skaters, "ITA")[0], women(skaters, "ITA")[0], women(skaters, "FRA")[0]]
            + women(skaters, "FRA")[:1],
        )
    assert refused.value.reasons == [
        "entries[0]: ADLER Aron (ITA) skates with the men, not in the Women's 500m",
        "entries[1]: ADLER Anna (ITA) is already entered in the Women's 500m",
        "entries[3]: ADLER Anna (FRA) is entered twice in this list",
    ]
    with pytest.raises(Invalid, match="the Women's 3000m relay takes relay teams"):
        enter_skaters(users["organiser"], distance_race(montreal, "W3000R"), women(skaters, "FRA"))
    assert counts() == before


def test_an_implausible_season_best_is_refused(montreal, users, skaters):
    with pytest.raises(Invalid, match="more than a second faster than the world record"):
        enter_skaters(
            users["organiser"],
            distance_race(montreal, "M500"),
            [SkaterEntry(men(skaters, "KOR")[0], season_best="38.100")],
        )


def test_only_the_organiser_takes_entries(montreal, users, skaters):
    before = counts()
    with pytest.raises(NotPermitted, match="only an organiser .* may take entries"):
        enter_skaters(users["referee"], distance_race(montreal, "M500"), men(skaters, "KOR")[:1])
    assert counts() == before


def test_a_withdrawal_keeps_the_entry_marked(montreal, users, skaters):
    (entry,) = enter_skaters(
        users["organiser"], distance_race(montreal, "M1500"), men(skaters, "USA")[:1]
    )
    with pytest.raises(Invalid, match="^reason: say why"):
        withdraw(users["organiser"], entry, "  ")

    withdraw(users["organiser"], entry, "injured in the 1000m")

    entry.refresh_from_db()
    assert (entry.withdrawn_by, entry.withdrawn_reason) == (
        users["organiser"],
        "injured in the 1000m",
    )
    with pytest.raises(Invalid, match="was withdrawn from the Men's 1500m on .* cannot be entered"):
        enter_skaters(users["organiser"], entry.distance_race, men(skaters, "USA")[:1])
    # The place is free again for another skater of the Member.
    enter_skaters(users["organiser"], entry.distance_race, men(skaters, "USA")[1:4])


def test_a_skater_enters_at_most_the_season_s_individual_races(montreal, users, skaters):
    montreal.season.rules_key = "2024/25"
    montreal.season.save()
    kor = men(skaters, "KOR")[0]
    # 2024/25 allows 18 individual races a season; seventeen are entered elsewhere.
    for number in range(2, 8):
        other = models.Competition.objects.create(
            season=montreal.season,
            number=number,
            city=f"City {number}",
            country="KOR",
            time_zone="Asia/Seoul",
            start_date=montreal.start_date,
            end_date=montreal.end_date,
        )
        for key in ("M500", "M1000", "M1500"):
            models.DistanceRace.objects.create(competition=other, distance=key)
            if (number, key) != (7, "M1500"):
                models.Entry.objects.create(
                    distance_race=other.distance_races.get(distance=key),
                    skater=kor,
                    member=kor.member,
                    entered_at=timezone.now(),
                )
    enter_skaters(users["organiser"], distance_race(montreal, "M500"), [kor])
    with pytest.raises(Invalid, match="already entered in 18 individual races of 2025/26"):
        enter_skaters(users["organiser"], distance_race(montreal, "M1000"), [kor])
