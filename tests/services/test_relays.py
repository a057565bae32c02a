"""Relay teams: four skaters of one Member race, a reserve may be named, the mixed relay is
two women and two men."""

from __future__ import annotations

import pytest

from shorttrack.services.errors import Invalid
from shorttrack.services.relays import enter_relay_team, name_relay_skaters
from shorttrack.store import models
from tests.services.montreal import distance_race, men, women
from tests.support import table_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def relay(montreal):
    return distance_race(montreal, "W3000R")


def test_a_team_of_four_with_a_reserve(montreal, users, skaters, relay):
    kor = models.Member.objects.get(code="KOR")
    team = enter_relay_team(
        users["organiser"], relay, kor, women(skaters, "KOR")[:4], reserve=women(skaters, "KOR")[4]
    )

    assert team.name == "KOR"
    assert [(s.order, s.skater.name, s.reserve) for s in team.skaters.all()] == [
        (1, "ADLER Anna", False),
        (2, "BERG Britt", False),
        (3, "COSTA Clara", False),
        (4, "DAHL Dora", False),
        (5, "EKLUND Elin", True),
    ]
    entry = models.Entry.objects.get(team=team)
    assert (entry.member, entry.helmet, entry.skater) == (kor, 1, None)


def test_the_mixed_relay_is_two_women_and_two_men(montreal, users, skaters):
    mixed = distance_race(montreal, "X2000R")
    ned = models.Member.objects.get(code="NED")
    team = enter_relay_team(
        users["organiser"],
        mixed,
        ned,
        women(skaters, "NED")[:2] + men(skaters, "NED")[:2],
        reserve=men(skaters, "NED")[2],
    )
    assert team.skaters.count() == 5

    before = table_counts()
    with pytest.raises(Invalid) as refused:
        enter_relay_team(
            users["organiser"],
            mixed,
            models.Member.objects.get(code="ITA"),
            women(skaters, "ITA")[:3] + men(skaters, "ITA")[:1],
        )
    assert refused.value.reasons == [
        "skaters: the Mixed 2000m relay is raced by 2 women and 2 men; 3 women and 1 man were named"
    ]
    assert table_counts() == before


def test_a_relay_of_the_wrong_composition_is_refused(montreal, users, skaters, relay):
    ita = models.Member.objects.get(code="ITA")
    before = table_counts()

    def refused(*args, **kwargs) -> list[str]:
        with pytest.raises(Invalid) as caught:
            enter_relay_team(users["organiser"], relay, ita, *args, **kwargs)
        return caught.value.reasons

    assert refused(women(skaters, "ITA")[:3]) == [
        "skaters: a relay team races with 4 skaters, 3 named; a 5th may be named as reserve"
    ]
    assert refused(women(skaters, "ITA")[:3] + women(skaters, "FRA")[:1]) == [
        "skaters: ADLER Anna (FRA) skates for FRA: a team of ITA takes skaters of ITA only"
    ]
    assert refused(women(skaters, "ITA")[:3] + men(skaters, "ITA")[:1]) == [
        "skaters: ADLER Aron (ITA) skates with the men, not in the Women's 3000m relay"
    ]
    assert refused(women(skaters, "ITA")[:4], reserve=women(skaters, "ITA")[0]) == [
        "skaters: ADLER Anna (ITA) is named twice"
    ]
    assert table_counts() == before


def test_one_team_per_member_and_a_skater_in_one_team(montreal, users, skaters, relay):
    kor = models.Member.objects.get(code="KOR")
    enter_relay_team(users["organiser"], relay, kor, women(skaters, "KOR")[:4])
    with pytest.raises(Invalid) as refused:
        enter_relay_team(users["organiser"], relay, kor, women(skaters, "KOR")[1:])
    assert refused.value.reasons == [
        "skaters: BERG Britt (KOR) is already named in team KOR",
        "skaters: COSTA Clara (KOR) is already named in team KOR",
        "skaters: DAHL Dora (KOR) is already named in team KOR",
        "member: KOR already has 1 team(s) in the Women's 3000m relay: the season allows 1 per ISU Member",
    ]


def test_the_line_up_changes_until_the_team_races(montreal, users, skaters, relay):
    fra = models.Member.objects.get(code="FRA")
    team = enter_relay_team(users["organiser"], relay, fra, women(skaters, "FRA")[:4])

    name_relay_skaters(users["organiser"], team, women(skaters, "FRA")[1:])

    assert [s.skater.given_name for s in team.skaters.all()] == ["Britt", "Clara", "Dora", "Elin"]
    with pytest.raises(Invalid, match="a relay team races with 4 skaters, 5 named"):
        name_relay_skaters(users["organiser"], team, women(skaters, "FRA"))
