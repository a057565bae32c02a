"""Import errors of one cause are said once, naming the lines; every error is still kept."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shorttrack.cli import app
from shorttrack.interchange.error_groups import group_errors, grouped_lines, line_ranges
from shorttrack.interchange.reading import read_paths
from shorttrack.interchange.records import InputError
from shorttrack.services.imports import ImportRejected, import_paths

HEADER = (
    "season,competition,gender,race,round,race_no,official_at,place,start_position,warnings,"
    "helmet,name,isu_id,member,team,skaters,time,mark,laps,dead_heat"
)
GOOD_LINES = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17}  # file lines with a good time


def results_file(tmp_path, lines: int = 180, other_cause_at: int | None = None):
    """A race-results file whose bad lines each have their own mistyped time."""
    rows = [HEADER]
    for line in range(2, lines + 1):
        time = "1:29.101" if line in GOOD_LINES else f"1:2x.{line:03d}"
        gender = "woman-ish" if line == other_cause_at else "women"
        rows.append(
            f"2023/24,1,{gender},1000m (1),heats,{line},2023-10-20T12:04,1,2,,11,"
            f"ADAMS Alice,STCAN10001,CAN,,,{time},Q,,"
        )
    path = tmp_path / "results.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_line_ranges_show_runs_of_three_or_more_as_a_range():
    assert line_ranges([14, 15, *range(18, 41)]) == "14, 15, 18-40"
    assert line_ranges([3]) == "3"
    assert line_ranges([9, 7, 8, 8]) == "7-9"


def test_165_errors_of_one_cause_are_one_line_with_the_first_errors_exact_text(tmp_path):
    path = results_file(tmp_path)
    errors = read_paths([path]).errors
    assert len(errors) == 165
    assert len({e.reason for e in errors}) == 165  # each names its own value

    assert grouped_lines(errors) == [
        f"{path}: lines 14, 15, 18-180 (165 lines): time: {errors[0].reason}"
    ]
    assert errors[0].reason.startswith("'1:2x.014' is not a time")


def test_two_causes_are_two_lines_ordered_by_file_and_first_line(tmp_path):
    path = results_file(tmp_path, other_cause_at=30)
    errors = read_paths([path]).errors

    lines = grouped_lines(errors)
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}: lines 14, 15, 18-") and ": time: " in lines[0]
    assert lines[1] == f"{path}:30: race: unknown gender 'woman-ish': expected women, men or mixed"


def test_different_fields_files_and_fixed_wording_stay_apart():
    errors = [
        InputError("b.csv", 5, "time", "'x' is not a time"),
        InputError("a.csv", 9, "time", "'y' is not a time"),
        InputError("a.csv", 2, "place", "'y' is not a time"),
        InputError("a.csv", 3, "name", "no skater KIM Gil-li of KOR in the skaters file"),
        InputError("a.csv", 4, "name", "no skater PARK Ji-won of KOR in the skaters file"),
        InputError("a.csv", 6, "name", "ISU id 12 belongs to PARK Ji-won (KOR), not KIM Gil-li"),
    ]
    groups = group_errors(errors)
    assert [(g.file, g.lines, g.field) for g in groups] == [
        ("a.csv", (2,), "place"),
        ("a.csv", (3, 4), "name"),
        ("a.csv", (6,), "name"),
        ("a.csv", (9,), "time"),
        ("b.csv", (5,), "time"),
    ]
    assert str(groups[1]) == (
        "a.csv: lines 3, 4 (2 lines): name: no skater KIM Gil-li of KOR in the skaters file"
    )
    assert str(groups[0]) == "a.csv:2: place: 'y' is not a time"


@pytest.mark.django_db
def test_the_import_keeps_every_error_and_the_command_prints_one_line_per_cause(tmp_path):
    path = results_file(tmp_path)
    with pytest.raises(ImportRejected) as refused:
        import_paths([path])
    assert len(refused.value.errors) == 165  # what a program reads keeps them all
    assert str(refused.value).count("\n") == 1  # the message: the head and one cause

    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 2
    printed = [line for line in result.output.splitlines() if line.strip()]
    assert printed == [
        f"{path}: lines 14, 15, 18-180 (165 lines): time: {refused.value.errors[0].reason}",
        "error: 165 error(s) of 1 cause(s); nothing was imported",
    ]
