"""Files that were accepted although wrong (issue 10), refused now with file, line, field and
reason, the database unchanged: an unknown ISU Member, a sheet against itself
(rules.result_sheet), a second yellow card printed as yellow (rules.cards). What real sheets
print (a place left empty, equal times at different places) still imports."""

from __future__ import annotations

import pytest

from shorttrack.interchange.formats import CSV_HEADERS, OLDER_CSV_HEADERS
from shorttrack.services.imports import ImportRejected, import_paths
from shorttrack.store import models
from tests.support import SMALL_COMPETITION, table_counts

pytestmark = pytest.mark.django_db

RESULTS = ",".join(OLDER_CSV_HEADERS["race_results"])
SKATERS = ",".join(CSV_HEADERS["skaters"])
RANKINGS = ",".join(CSV_HEADERS["rankings"])


@pytest.fixture(autouse=True)
def competition():
    """The hand-made 2023/24 competition (women's 1000m (1), 3000m relay) is stored."""
    import_paths(
        [SMALL_COMPETITION / name for name in ("calendar.csv", "skaters.csv", "race-results.csv")]
    )


def line(place, name, member, time, *, round="repechage", race_no=1, mark="", isu_id="", dh=""):
    return (
        f"2023/24,1,women,1000m (1),{round},{race_no},2023-10-20T15:00,{place},,,,{name},"
        f"{isu_id},{member},,,{time},{mark},,{dh}"
    )


def refused(tmp_path, name: str, *lines: str) -> list[str]:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    before = table_counts()
    with pytest.raises(ImportRejected) as caught:
        import_paths([path])
    assert table_counts() == before
    return [str(error) for error in caught.value.errors]


def test_an_unknown_member_in_a_skaters_file_is_refused_not_created(tmp_path):
    errors = refused(tmp_path, "skaters.csv", SKATERS, ",Xi,Xu,women,,XXX")
    assert errors == [
        f"{tmp_path}/skaters.csv:2: member: unknown ISU Member 'XXX': not a Member seen at "
        "World Cups nor in the database (an organiser adds a new Member in the admin first)"
    ]
    assert not models.Member.objects.filter(code="XXX").exists()


def test_an_unknown_member_on_a_result_line_of_a_known_skater(tmp_path):
    # Alice Adams found by her ISU id: the line's Member would have been created.
    errors = refused(
        tmp_path, "r.csv", RESULTS, line(1, "ADAMS Alice", "XXX", "1:30.000", isu_id="STCAN10001")
    )
    assert errors == [
        f"{tmp_path}/r.csv:2: member: unknown ISU Member 'XXX': not a Member seen at "
        "World Cups nor in the database (an organiser adds a new Member in the admin first)"
    ]


def test_an_unknown_member_in_a_ranking(tmp_path):
    ranking = "2023/24,1,women,3000m relay,,1,,,XXX,,A,1,,,"
    errors = refused(tmp_path, "k.csv", RANKINGS, ranking)
    assert f"{tmp_path}/k.csv:2: member: unknown ISU Member 'XXX'" in errors[0]


def test_a_member_the_organiser_added_is_known(tmp_path):
    models.Member.objects.create(code="ARG", name="Argentina")
    path = tmp_path / "skaters.csv"
    path.write_text(f"{SKATERS}\n,Ana,Paz,women,,ARG\n")
    import_paths([path])
    assert models.Skater.objects.get(family_name="Paz").member.code == "ARG"


def test_place_one_slower_than_place_two(tmp_path):
    errors = refused(
        tmp_path,
        "r.csv",
        RESULTS,
        line(1, "ADAMS Alice", "CAN", "1:30.000"),
        line(2, "BAKER Beth", "USA", "1:29.000"),
    )
    assert errors == [
        f"{tmp_path}/r.csv:3: time: line 3, placed 2, has 1:29.000: faster than line 2, "
        "placed 1, in 1:30.000; correct the place or the time (a penalised skater is marked "
        "PEN by the referee)"
    ]


def test_a_heat_of_5000_skaters(tmp_path):
    heat = [line(n, f"SKATER Number{n}", "CAN", "", round="heats") for n in range(1, 5001)]
    errors = refused(tmp_path, "r.csv", RESULTS, *heat)
    assert (
        f"{tmp_path}/r.csv:12: lines: a race of 5000 starters: the start line holds at most 10 "
        "(5 side by side, and a second row); this is line 12, starter 11"
    ) in errors


def test_a_printed_place_beyond_the_race(tmp_path):
    errors = refused(
        tmp_path,
        "r.csv",
        RESULTS,
        line(1, "ADAMS Alice", "CAN", "1:30.000"),
        line(5, "BAKER Beth", "USA", "1:31.000"),
    )
    assert errors == [f"{tmp_path}/r.csv:3: place: line 3 has place 5 in a race of 2 starters"]


def test_a_skater_who_did_not_start_has_no_place(tmp_path):
    errors = refused(
        tmp_path,
        "r.csv",
        RESULTS,
        line(1, "ADAMS Alice", "CAN", "1:30.000"),
        line(2, "BAKER Beth", "USA", "", mark="DNS"),
    )
    assert errors == [f"{tmp_path}/r.csv:3: place: line 3 is DNS: it has no place and no time"]


def test_a_second_yellow_card_printed_as_yellow(tmp_path):
    errors = refused(
        tmp_path,
        "r.csv",
        RESULTS,
        line("", "ADAMS Alice", "CAN", "", round="heats", mark="YC"),
        line("", "ADAMS Alice", "CAN", "", mark="YC"),
    )
    assert errors == [
        f"{tmp_path}/r.csv:3: mark: a second yellow card at this competition (the first in "
        "race 1 of the Heats of the women 1000m (1)) makes a red card (RC): the sheet prints YC"
    ]


def test_what_real_sheets_print_still_imports(tmp_path):
    # A place left empty before a dead heat (as Dresden 2019/20 prints its men's 1000 m
    # heat 7: 1, 3, 3, PEN), a time printed to the hundredth just under the thousandths
    # before it, and in another race equal times at different places (a photo finish).
    path = tmp_path / "r.csv"
    path.write_text(
        "\n".join(
            [
                RESULTS,
                line(1, "ADAMS Alice", "CAN", "1:30.005"),
                line(3, "BAKER Beth", "USA", "1:30.000", dh="DH"),
                line(3, "ITO Yui", "JPN", "1:31.000", dh="DH"),
                line("", "CHOI Ha-eun", "KOR", "", mark="PEN"),
                line(1, "LEE Seo-yeon", "KOR", "1:32.000", race_no=2),
                line(2, "PARK Min-ji", "KOR", "1:32.000", race_no=2),
            ]
        )
        + "\n"
    )
    import_paths([path])
    stored = {
        race.number: sorted(
            ((ln.place, ln.time_ms) for ln in race.results.order_by("-number").first().lines.all()),
            key=lambda x: (x[0] is None, x),
        )
        for race in models.Race.objects.filter(round__kind="repechage")
    }
    assert stored[1] == [(1, 90_005), (3, 90_000), (3, 91_000), (None, None)]
    assert stored[2] == [(1, 92_000), (2, 92_000)]
