"""Positions after each lap worked out from lap times."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.queries.race import positions_from_lap_times


def test_a_pass_on_the_last_lap():
    laps = [
        [9_000, 8_800, 8_700],  # leads, then is passed
        [9_100, 8_750, 8_500],  # passes on the last lap
        [9_200, 8_900],  # stops after two laps
    ]
    assert positions_from_lap_times(laps) == [[1, 1, 2], [2, 2, 1], [3, 3, None]]


def test_equal_times_share_a_position():
    assert positions_from_lap_times([[9_000], [9_000], [9_100]]) == [[1], [1], [3]]


@settings(max_examples=50)
@given(
    st.lists(st.lists(st.integers(8_000, 14_000), min_size=1, max_size=9), min_size=1, max_size=8)
)
def test_positions_rank_the_time_so_far(laps):
    positions = positions_from_lap_times(laps)
    for lap in range(max(len(own) for own in laps)):
        racing = [
            (sum(own[: lap + 1]), p[lap])
            for own, p in zip(laps, positions, strict=True)
            if len(own) > lap
        ]
        for time, position in racing:
            assert position == 1 + sum(1 for other, _ in racing if other < time)
