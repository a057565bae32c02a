"""Relay teams: four skaters of one Member skate each race (two women and two men in the
mixed relay), the line-up may change from round to round and reserves may be named;
anything else is refused with the line that says it."""

from __future__ import annotations

import pytest

from shorttrack.interchange.formats import CSV_HEADERS, OLDER_CSV_HEADERS
from shorttrack.services.imports import ImportRejected, import_paths
from shorttrack.store import models
from tests.support import SMALL_COMPETITION, table_counts

pytestmark = pytest.mark.django_db

MORE_SKATERS = """\
,Daan,Dekker,men,,NED
,Sem,Visser,men,,NED
,Jae-won,Park,men,,KOR
,Min-ho,Kang,men,,KOR
,Liam,Adams,men,,CAN
"""
MIXED_RELAY = "2023/24,,,1,Montreal,CAN,Maurice-Richard Arena,America/Toronto,2023-10-20,2023-10-22,mixed,2000m mixed relay,2023-10-21T16:00"


@pytest.fixture(autouse=True)
def competition(tmp_path):
    """The hand-made competition, with a mixed relay and some men added."""
    calendar = tmp_path / "mixed-calendar.csv"
    calendar.write_text(f"{','.join(CSV_HEADERS['calendar'])}\n{MIXED_RELAY}\n")
    skaters = tmp_path / "men.csv"
    skaters.write_text(f"{','.join(CSV_HEADERS['skaters'])}\n{MORE_SKATERS}")
    import_paths(
        [SMALL_COMPETITION / "calendar.csv", SMALL_COMPETITION / "skaters.csv", calendar, skaters]
    )


def relay_line(
    place: int, team: str, skaters: str, race: str = "3000m relay", gender: str = "women"
) -> str:
    member = team.split()[0]
    return (
        f"2023/24,1,{gender},{race},final_a,1,2023-10-22T15:10,{place},,,,,,{member},{team},"
        f"{skaters},4:1{place}.000,,,"
    )


def mixed_line(place: int, team: str, skaters: str) -> str:
    return relay_line(place, team, skaters, "2000m mixed relay", "mixed").replace("4:1", "2:4")


def import_results(tmp_path, *lines: str):
    path = tmp_path / "relay.csv"
    path.write_text("\n".join([",".join(OLDER_CSV_HEADERS["race_results"]), *lines]) + "\n")
    return import_paths([path])


def refused(tmp_path, *lines: str) -> list[str]:
    before = table_counts()
    with pytest.raises(ImportRejected) as caught:
        import_results(tmp_path, *lines)
    assert table_counts() == before
    return [str(error).replace(f"{tmp_path}/", "") for error in caught.value.errors]


def test_a_team_of_four_with_a_reserve_is_accepted(tmp_path):
    import_results(
        tmp_path,
        relay_line(1, "NED", "DEKKER Femke; JANSEN Anouk; VISSER Noor; BOS Lotte; SMIT Eva"),
        relay_line(2, "KOR", "CHOI Ha-eun; LEE Seo-yeon; PARK Min-ji; KANG Ye-jin"),
    )

    team = models.RelayTeam.objects.get(name="NED")
    assert [s.reserve for s in team.skaters.all()] == [False, False, False, False, True]


def test_a_team_of_three_skaters(tmp_path):
    errors = refused(tmp_path, relay_line(1, "NED", "DEKKER Femke; JANSEN Anouk; VISSER Noor"))
    assert errors == [
        "relay.csv:2: skaters: relay team NED names 3 skaters: the four who skated this race, "
        "then any reserves (at most 8 in all)"
    ]


def test_a_team_of_two_nations(tmp_path):
    errors = refused(
        tmp_path, relay_line(1, "NED", "DEKKER Femke; JANSEN Anouk; VISSER Noor; CHOI Ha-eun")
    )
    assert errors == ["relay.csv:2: skaters: CHOI Ha-eun skates for KOR, not NED"]


def test_a_mixed_relay_team_must_race_two_women_and_two_men(tmp_path):
    errors = refused(
        tmp_path, mixed_line(1, "NED", "DEKKER Femke; JANSEN Anouk; VISSER Noor; DEKKER Daan")
    )
    assert errors == [
        "relay.csv:2: skaters: mixed relay team NED races 3 women and 1 men: it must be 2 women + 2 men"
    ]


def test_a_mixed_relay_team_of_two_women_and_two_men_is_accepted(tmp_path):
    import_results(
        tmp_path, mixed_line(1, "NED", "DEKKER Femke; JANSEN Anouk; DEKKER Daan; VISSER Sem")
    )

    assert (
        models.Ranking.objects.get(distance_race__distance="X2000R").lines.get().team.name == "NED"
    )


def test_a_man_in_the_womens_relay(tmp_path):
    errors = refused(
        tmp_path, relay_line(1, "NED", "DEKKER Femke; JANSEN Anouk; VISSER Noor; DEKKER Daan")
    )
    assert errors == [
        "relay.csv:2: skaters: DEKKER Daan is not among the women of the Women's 3000m relay"
    ]


def test_a_skater_in_two_teams_of_one_race(tmp_path):
    errors = refused(
        tmp_path,
        relay_line(1, "NED", "DEKKER Femke; JANSEN Anouk; VISSER Noor; BOS Lotte"),
        relay_line(2, "NED 2", "DEKKER Femke; SMIT Eva; VISSER Noor; BOS Lotte"),
    )
    assert errors == ["relay.csv:3: skaters: BOS Lotte is also named in relay team NED"]


def test_a_team_named_twice_in_one_race(tmp_path):
    errors = refused(
        tmp_path,
        relay_line(1, "NED", "DEKKER Femke; JANSEN Anouk; VISSER Noor; BOS Lotte"),
        relay_line(2, "NED", ""),
    )
    assert errors == ["relay.csv:3: team: NED is already in this race on line 2"]


def test_a_team_skating_another_line_up_in_the_final_keeps_each_races_skaters(tmp_path):
    """As at Dordrecht 2020: a skater who skated the semifinal is replaced for the final."""
    semifinal = relay_line(1, "NED", "DEKKER Femke; JANSEN Anouk; VISSER Noor; BOS Lotte").replace(
        "final_a", "semifinals"
    )
    import_results(
        tmp_path,
        semifinal,
        relay_line(1, "NED", "DEKKER Femke; JANSEN Anouk; VISSER Noor; SMIT Eva"),
    )

    def skated(kind: str) -> list[str]:
        line = models.RaceResultLine.objects.get(result__race__round__kind=kind, team__name="NED")
        return [s.skater.family_name for s in line.skaters.all()]

    assert skated("semifinals") == ["Dekker", "Jansen", "Visser", "Bos"]
    assert skated("final_a") == ["Dekker", "Jansen", "Visser", "Smit"]
    team = models.RelayTeam.objects.get(name="NED")
    assert [(s.skater.family_name, s.reserve) for s in team.skaters.all()] == [
        ("Dekker", False),
        ("Jansen", False),
        ("Visser", False),
        ("Bos", False),
        ("Smit", False),
    ]
