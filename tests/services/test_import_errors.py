"""Bad input is refused as a whole, with errors naming file, line, field and reason,
and the database is left exactly as it was."""

from __future__ import annotations

import pytest

from shorttrack.interchange.formats import CSV_HEADERS, OLDER_CSV_HEADERS
from shorttrack.services.imports import ImportRejected, import_paths
from tests.support import SMALL_COMPETITION, table_counts

pytestmark = pytest.mark.django_db

RESULTS_HEADER = ",".join(OLDER_CSV_HEADERS["race_results"])  # version 1 files still read
CALENDAR_HEADER = ",".join(CSV_HEADERS["calendar"])


@pytest.fixture(autouse=True)
def competition():
    """The hand-made 2023/24 competition is in the database before each bad import."""
    import_paths(
        [SMALL_COMPETITION / name for name in ("calendar.csv", "skaters.csv", "race-results.csv")]
    )


def line(
    place="1",
    name="ADAMS Alice",
    member="CAN",
    time="1:30.000",
    mark="",
    dead_heat="",
    season="2023/24",
    competition="1",
    race="1000m (1)",
    isu_id="",
) -> str:
    """A line of a women's 1000m (1) repechage race."""
    return (
        f"{season},{competition},women,{race},repechage,1,2023-10-20T15:00,{place},,,,{name},{isu_id},"
        f"{member},,,{time},{mark},,{dead_heat}"
    )


def rejected(tmp_path, name: str, text: str) -> list[str]:
    """Import one file made of ``text``: the errors, checking that nothing changed."""
    path = tmp_path / name
    path.write_text(text)
    before = table_counts()
    with pytest.raises(ImportRejected) as caught:
        import_paths([path])
    assert table_counts() == before
    return [str(error) for error in caught.value.errors]


def results(tmp_path, *lines: str) -> list[str]:
    return rejected(tmp_path, "results.csv", "\n".join([RESULTS_HEADER, *lines]) + "\n")


def test_an_unknown_distance(tmp_path):
    errors = results(tmp_path, line(race="1200m"))
    assert errors == [f"{tmp_path}/results.csv:2: race: unknown distance '1200m' for women"]


def test_an_unknown_season_in_a_calendar(tmp_path):
    text = f"{CALENDAR_HEADER}\n2031/32,,,1,Montreal,CAN,,America/Toronto,2031-10-20,2031-10-22,women,500m,\n"
    errors = rejected(tmp_path, "calendar.csv", text)
    assert errors == [
        f"{tmp_path}/calendar.csv:2: season: unknown season '2031/32': rule sets exist for "
        "2017/18, 2018/19, 2019/20, 2021/22, 2022/23, 2023/24, 2024/25, 2025/26"
    ]


def test_results_of_a_season_that_is_not_in_the_database(tmp_path):
    errors = results(tmp_path, line(season="2024/25"))
    assert errors == [
        f"{tmp_path}/results.csv:2: season: unknown season '2024/25': import its calendar first or with it"
    ]


def test_a_competition_not_in_the_calendar(tmp_path):
    errors = results(tmp_path, line(competition="9"))
    assert errors == [
        f"{tmp_path}/results.csv:2: competition: competition 9 is not in the calendar of season 2023/24"
    ]


def test_a_distance_not_raced_at_the_competition(tmp_path):
    errors = results(tmp_path, line(race="1500m", time="2:30.000"))
    assert errors == [
        f"{tmp_path}/results.csv:2: race: the women 1500m is not in the calendar of competition 1 of 2023/24"
    ]


def test_a_time_that_is_not_a_time(tmp_path):
    errors = results(tmp_path, line(time="1:2x.456"))
    assert errors == [
        f"{tmp_path}/results.csv:2: time: '1:2x.456' is not a time: expected seconds as 41.416 or minutes as 1:23.456"
    ]


def test_a_negative_time(tmp_path):
    errors = results(tmp_path, line(time="-1:29.000"))
    assert errors == [f"{tmp_path}/results.csv:2: time: time '-1:29.000' is negative"]


def test_a_time_far_faster_than_the_world_record(tmp_path):
    errors = results(tmp_path, line(time="1:24.000"))
    assert len(errors) == 1
    assert errors[0].startswith(
        f"{tmp_path}/results.csv:2: time: time 1:24.000 is more than a second faster"
    )
    assert "world record of the Women's 1000m (1:25.958" in errors[0]


def test_two_skaters_in_one_place_without_a_dead_heat_mark(tmp_path):
    errors = results(tmp_path, line(), line(name="BAKER Beth", member="USA"))
    assert errors == [
        f"{tmp_path}/results.csv:2: place: place 1 is given to lines 2 and 3: "
        "mark them as a dead heat, or correct one"
    ]


def test_a_dead_heat_marked_on_both_lines_is_accepted_but_not_a_lone_mark(tmp_path):
    errors = results(
        tmp_path,
        line(dead_heat="DH"),
        line(name="BAKER Beth", member="USA", dead_heat="DH"),
        line(place="3", name="ITO Yui", member="JPN", dead_heat="DH"),
    )
    assert errors == [
        f"{tmp_path}/results.csv:4: dead_heat: line 4 is marked as a dead heat but nobody "
        "else has place 3"
    ]


def test_a_skater_twice_in_one_race(tmp_path):
    errors = results(tmp_path, line(), line(place="2"))
    assert errors == [
        f"{tmp_path}/results.csv:3: name: ADAMS Alice is already in this race on line 2"
    ]


def test_a_skater_no_one_has_listed(tmp_path):
    errors = results(tmp_path, line(name="NOBODY Nora", member="NOR"))
    assert errors == [
        f"{tmp_path}/results.csv:2: name: no skater NOBODY Nora of NOR in the skaters file or the database"
    ]


def test_an_isu_id_reused_with_another_name(tmp_path):
    text = f"{','.join(CSV_HEADERS['skaters'])}\nSTCAN10001,Zoe,Other,women,,CAN\n"
    errors = rejected(tmp_path, "skaters.csv", text)
    assert errors == [
        f"{tmp_path}/skaters.csv:2: isu_id: ISU id STCAN10001 belongs to ADAMS Alice (CAN) in the database"
    ]


def test_an_isu_id_on_a_result_line_with_another_name(tmp_path):
    errors = results(tmp_path, line(name="BAKER Beth", member="USA", isu_id="STCAN10001"))
    assert errors == [
        f"{tmp_path}/results.csv:2: isu_id: ISU id STCAN10001 belongs to ADAMS Alice (CAN), not BAKER Beth"
    ]


def test_a_member_code_in_the_wrong_format(tmp_path):
    errors = results(tmp_path, line(member="Can"))
    assert errors == [
        f"{tmp_path}/results.csv:2: member: member code 'Can' is not three capital letters, as in KOR or NED"
    ]


def test_a_truncated_csv_file(tmp_path):
    cut = line(name="BAKER Beth", member="USA")[:40]
    errors = results(tmp_path, line(), cut)
    assert errors == [
        f"{tmp_path}/results.csv:3: columns: 7 columns where the header has 20 (truncated or malformed line?)"
    ]


def test_a_csv_file_cut_inside_a_quoted_field(tmp_path):
    errors = rejected(
        tmp_path, "results.csv", f'{RESULTS_HEADER}\n{line()}\n2023/24,1,women,"3000m relay'
    )
    assert errors == [f"{tmp_path}/results.csv:3: csv: malformed CSV (unexpected end of data)"]


def test_a_csv_file_with_a_wrong_header(tmp_path):
    errors = rejected(
        tmp_path,
        "results.csv",
        "season,competition,gender,race,round,race_no,place,name,member,time\n",
    )
    assert errors == [
        f"{tmp_path}/results.csv:1: header: not a shorttrack CSV header; nearest is a race_results file "
        "(missing official_at, start_position, warnings, helmet, isu_id, team, skaters, skater_isu_ids, "
        "mark, laps, lap_elapsed, lap_positions, dead_heat): "
        f"expected {','.join(CSV_HEADERS['race_results'])}"
    ]


def test_an_empty_csv_file(tmp_path):
    errors = rejected(tmp_path, "results.csv", "")
    assert errors == [f"{tmp_path}/results.csv:1: header: empty file: the header is missing"]


def test_malformed_json(tmp_path):
    text = (
        '{"format": "shorttrack-interchange",\n "version": 1,\n "sets": [\n  {"kind": "skaters",\n'
    )
    errors = rejected(tmp_path, "season.json", text)
    assert errors == [
        f"{tmp_path}/season.json:5: json: bad JSON: Expecting property name enclosed in double quotes (column 1)"
    ]


def test_a_json_record_set_of_an_unknown_kind(tmp_path):
    text = '{"format": "shorttrack-interchange", "version": 1,\n "sets": [\n  {"kind": "entries"}]}'
    errors = rejected(tmp_path, "season.json", text)
    assert errors == [
        f"{tmp_path}/season.json:3: kind: unknown kind 'entries': expected one of calendar, skaters, race_results, rankings, rounds"
    ]


def test_every_error_of_every_file_is_reported_and_a_good_file_is_not_applied_alone(tmp_path):
    good = tmp_path / "skaters.csv"
    good.write_text(f"{','.join(CSV_HEADERS['skaters'])}\n,Nora,Nobody,women,,NOR\n")
    bad = tmp_path / "results.csv"
    bad.write_text(
        "\n".join([RESULTS_HEADER, line(time="fast"), line(place="2", member="Can")]) + "\n"
    )
    before = table_counts()

    with pytest.raises(ImportRejected) as caught:
        import_paths([good, bad])

    assert [(e.line, e.field) for e in caught.value.errors] == [(2, "time"), (3, "member")]
    assert "2 error(s), nothing changed" in str(caught.value)
    assert table_counts() == before
