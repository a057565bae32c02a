"""Reading JSON and CSV files into records that remember their file and line."""

from __future__ import annotations

from datetime import datetime

from shorttrack.interchange.reading import load_json, read_paths
from shorttrack.interchange.records import RaceLineRecord, SkaterRecord
from shorttrack.rules.ranking import RoundKind, Status
from tests.support import FIXTURES, SMALL_COMPETITION


def test_a_csv_file_is_told_by_its_header():
    records = read_paths([SMALL_COMPETITION / "skaters.csv"])

    assert records.errors == []
    assert len(records.skaters) == 17
    assert records.skaters[0] == SkaterRecord(
        "STCAN10001",
        "Alice",
        "Adams",
        "women",
        datetime(2000, 3, 14).date(),
        "CAN",
        str(SMALL_COMPETITION / "skaters.csv"),
        2,
    )


def test_race_result_lines_carry_place_marks_status_dead_heat_and_laps():
    records = read_paths([SMALL_COMPETITION / "race-results.csv"])

    assert records.errors == []
    lines = records.race_lines
    assert len(lines) == 30
    hofmann = next(line for line in lines if line.name == "HOFMANN Lena")
    assert (hofmann.place, hofmann.status, hofmann.mark, hofmann.warnings, hofmann.line) == (
        None,
        Status.PEN,
        "",
        "impeding",
        9,
    )
    choi = next(
        line for line in lines if line.name == "CHOI Ha-eun" and line.round is RoundKind.HEATS
    )
    assert (choi.mark, choi.time_ms, choi.official_at) == (
        "q",
        89500,
        datetime(2023, 10, 20, 12, 4),
    )
    assert [line.dead_heat for line in lines if line.round is RoundKind.FINAL_B] == [
        False,
        True,
        True,
        False,
    ]
    eriksen_final = next(
        line for line in lines if line.round is RoundKind.FINAL_A and line.place == 1
    )
    assert eriksen_final.laps_ms[:2] == (13210, 11012)


def test_a_relay_line_names_its_team_and_skaters():
    records = read_paths([SMALL_COMPETITION / "race-results.csv"])

    ned: RaceLineRecord = next(line for line in records.race_lines if line.team == "NED")
    assert (ned.distance, ned.instance, ned.member, ned.name) == ("W3000R", None, "NED", "")
    assert ned.skaters == ("DEKKER Femke", "JANSEN Anouk", "VISSER Noor", "BOS Lotte", "SMIT Eva")


def test_json_records_remember_the_line_their_object_starts_on():
    path = FIXTURES / "history" / "podiums.json"
    records = read_paths([path])

    assert records.errors == []
    assert [c.city for c in records.competitions] == ["Beijing", "Beijing"]
    assert [(r.distance, r.instance, r.finals_at.hour) for r in records.distance_races] == [
        ("W500", 1, 19),
        ("M5000R", None, 20),
    ]
    kim = next(line for line in records.ranking_lines if line.name == "KIM Gil-li")
    assert (kim.rank, kim.final, kim.final_place, kim.note, kim.line) == (
        3,
        "A",
        3,
        "hand-made example",
        33,
    )
    assert (
        path.read_text()
        .splitlines()[kim.line - 1]
        .strip()
        .startswith('{"rank": 3, "name": "KIM Gil-li"')
    )
    relay = [line for line in records.ranking_lines if line.distance == "M5000R"]
    assert [(line.rank, line.member, line.team, line.name) for line in relay] == [
        (1, "CAN", "", ""),
        (2, "KOR", "", ""),
    ]


def test_load_json_gives_every_object_its_line():
    document = load_json('{\n "a": [\n  {"b": 1},\n  {"c": {"d": 2}}\n ]\n}')

    assert document.line == 1
    assert [item.line for item in document["a"]] == [3, 4]
    assert document["a"][1]["c"].line == 4


def test_an_unknown_json_field_is_named(tmp_path):
    path = tmp_path / "skaters.json"
    path.write_text(
        '{"format": "shorttrack-interchange", "version": 1, "sets": [\n'
        '{"kind": "skaters", "skaters": [\n'
        '  {"given_name": "Ida", "family_name": "Eriksen", "gender": "women", "member": "NOR", "club": "Oslo"}]}]}'
    )

    records = read_paths([path])

    assert [str(e) for e in records.errors] == [f"{path}:3: club: unknown field"]


def test_a_missing_file_is_an_error_not_a_crash(tmp_path):
    records = read_paths([tmp_path / "nowhere.csv"])

    assert [str(e) for e in records.errors] == [
        f"{tmp_path}/nowhere.csv:0: file: no such file or folder"
    ]
