"""World records, and the plausibility check they give a race time (RULES.md section 6)."""

from __future__ import annotations

import pytest

from shorttrack.rules.distances import DISTANCES, distance
from shorttrack.rules.records import (
    PLAUSIBILITY_MARGIN_MS,
    WorldRecord,
    implausible_time,
    world_records,
)
from shorttrack.rules.times import parse_time


def test_a_record_for_every_distance():
    assert world_records().keys() == DISTANCES.keys()


@pytest.mark.parametrize(
    ("key", "time", "holder", "year"),
    [
        ("W500", "41.416", "Xandra VELZEBOER (NED)", 2022),
        ("W1000", "1:25.958", "Suzanne SCHULTING (NED)", 2022),
        ("W1500", "2:14.354", "CHOI Min-jeong (KOR)", 2016),
        ("M500", "39.505", "WU Dajing (CHN)", 2018),
        ("M1000", "1:20.875", "HWANG Dae-heon (KOR)", 2016),
        ("M1500", "2:07.943", "Sjinkie KNEGT (NED)", 2016),
        ("W3000R", "4:02.809", "NED", 2021),
        ("M5000R", "6:29.052", "USA", 2017),
        ("X2000R", "2:35.339", "NED", 2025),
    ],
)
def test_the_world_records(key, time, holder, year):
    assert world_records()[key] == WorldRecord(key, parse_time(time), holder, year)


@pytest.mark.parametrize("key", DISTANCES)
def test_the_record_itself_is_plausible(key):
    assert implausible_time(distance(key), world_records()[key].time_ms) is None


def test_up_to_a_second_under_the_record_is_plausible():
    w500 = distance("W500")
    assert PLAUSIBILITY_MARGIN_MS == 1000
    assert implausible_time(w500, parse_time("40.416")) is None
    assert implausible_time(w500, parse_time("40.415")) == (
        "time 40.415 is more than a second faster than the world record of the Women's 500m "
        "(41.416, Xandra VELZEBOER (NED), 2022)"
    )


def test_a_lap_time_in_the_finish_column_is_refused():
    reason = implausible_time(distance("M1500"), parse_time("8.512"))
    assert reason is not None
    assert "world record of the Men's 1500m (2:07.943, Sjinkie KNEGT (NED), 2016)" in reason


def test_a_time_must_be_positive():
    assert implausible_time(distance("W500"), 0) == "time 0.000 must be positive"
    assert "must be positive" in implausible_time(distance("W500"), -5)
