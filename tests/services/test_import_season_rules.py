"""A distance race or round the season's rule set does not name is refused, naming the line."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shorttrack.interchange.formats import CSV_HEADERS, OLDER_CSV_HEADERS
from shorttrack.rules.season import season_rules
from shorttrack.services import import_plan
from shorttrack.services.imports import ImportRejected, import_paths
from shorttrack.store import models

pytestmark = pytest.mark.django_db

CALENDAR = ",".join(CSV_HEADERS["calendar"])
RESULTS = ",".join(OLDER_CSV_HEADERS["race_results"])
SKATERS = "isu_id,given_name,family_name,gender,birth_date,member"


def write(tmp_path, round_kind: str):
    competition = "1,Salt Lake City,USA,Utah Olympic Oval,America/Denver,2019-11-01,2019-11-03"
    (tmp_path / "calendar.csv").write_text(
        f"{CALENDAR}\n2019/20,,,{competition},women,1000m,2019-11-02T14:00\n"
        f"2019/20,,,{competition},mixed,2000m mixed relay,2019-11-03T14:00\n"
    )
    (tmp_path / "skaters.csv").write_text(
        f"{SKATERS}\nSTNED0001,Suzanne,Schulting,women,,NED\nSTCHN0002,Yutong,Han,women,,CHN\n"
    )
    rows = [RESULTS]
    for place, name, member in ((1, "SCHULTING Suzanne", "NED"), (2, "HAN Yutong", "CHN")):
        rows.append(
            f"2019/20,1,women,1000m,{round_kind},1,2019-11-02T14:10,{place},{place},,,"
            f"{name},,{member},,,1:30.{place}00,,,"
        )
    (tmp_path / "results.csv").write_text("\n".join(rows) + "\n")
    return [tmp_path / n for n in ("calendar.csv", "skaters.csv", "results.csv")]


def test_a_round_the_2019_20_rules_do_not_name_is_refused_naming_the_line(tmp_path):
    with pytest.raises(ImportRejected) as refused:
        import_paths(write(tmp_path, "final_c"))

    errors = [e for e in refused.value.errors if e.field == "round"]
    assert [e.line for e in errors] == [2, 3]
    assert errors[0].reason.startswith("the 2019/20 season has no Final C: its rules name Heats")
    assert models.Season.objects.filter(key="2019/20").count() == 0


def test_the_rounds_it_names_import(tmp_path):
    report = import_paths(write(tmp_path, "final_b"))
    assert report.created["seasons"] == 1


def test_a_distance_the_seasons_rules_do_not_name_is_refused(tmp_path, monkeypatch):
    rules = season_rules("2019/20")
    without_mixed = replace(rules, distances=tuple(k for k in rules.distances if k != "X2000R"))
    monkeypatch.setattr(import_plan, "season_rules", lambda key: without_mixed)
    files = write(tmp_path, "final_b")
    results = files[2].read_text().splitlines()
    results.append(
        "2019/20,1,mixed,2000m mixed relay,final_a,1,2019-11-03T14:10,1,1,,,,,NED,,,2:40.000,,,"
    )
    files[2].write_text("\n".join(results) + "\n")

    with pytest.raises(ImportRejected) as refused:
        import_paths(files)

    assert any(
        e.line == 4
        and e.field == "race"
        and e.reason.startswith("the 2019/20 season has no Mixed 2000m relay")
        for e in refused.value.errors
    ), refused.value.errors
