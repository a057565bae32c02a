"""Simulated races look like real ones: realistic times, consistent laps, incidents."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.distances import DISTANCES
from shorttrack.rules.ranking import RoundKind, Status
from shorttrack.rules.result_sheet import sheet_findings
from shorttrack.simulation.racing import Starter, simulate_race

FINAL_FIELD = [Starter(f"s{i}", 0.95 - 0.04 * i, i + 1) for i in range(5)]


def winning_times(distance: str, races: int = 300) -> list[float]:
    rng = random.Random(11)
    times = []
    for _ in range(races):
        race = simulate_race(DISTANCES[distance], RoundKind.FINAL_A, FINAL_FIELD, rng)
        winner = race.lines[0]
        if winner.place == 1:
            times.append(winner.time_ms / 1000)
    return times


def test_a_mens_1000m_final_is_won_in_about_1_24_to_1_27():
    times = winning_times("M1000")
    assert 84.0 <= statistics.median(times) <= 87.0
    assert 83.0 <= min(times) and max(times) <= 89.0


def test_a_womens_500m_final_is_won_in_about_42_to_44_seconds():
    times = winning_times("W500")
    assert 42.0 <= statistics.median(times) <= 44.0


def test_the_same_seed_gives_the_same_race():
    one = simulate_race(DISTANCES["W1500"], RoundKind.HEATS, FINAL_FIELD, random.Random(5))
    two = simulate_race(DISTANCES["W1500"], RoundKind.HEATS, FINAL_FIELD, random.Random(5))
    assert one == two


def test_falls_penalties_and_advancements_happen_at_realistic_rates():
    rng = random.Random(2)
    field = [Starter(f"s{i}", 0.8 - 0.05 * i, i + 1) for i in range(5)]
    races = [simulate_race(DISTANCES["M500"], RoundKind.HEATS, field, rng) for _ in range(2000)]
    lines = [line for race in races for line in race.lines]
    falls = sum(line.fell for line in lines) / len(lines)
    penalties = sum(any(line.status is Status.PEN for line in race.lines) for race in races) / len(
        races
    )
    assert 0.02 < falls < 0.08
    assert 0.06 < penalties < 0.14
    assert any(line.advanced for line in lines)
    assert any(line.status is Status.YC for line in lines)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    distance=st.sampled_from(sorted(DISTANCES)),
    kind=st.sampled_from([RoundKind.HEATS, RoundKind.SEMIFINALS, RoundKind.FINAL_A]),
    size=st.integers(2, 10),
)
def test_a_result_sheet_is_consistent(seed, distance, kind, size):
    starters = [Starter(f"s{i}", random.Random(seed + i).random(), i + 1) for i in range(size)]
    race = simulate_race(DISTANCES[distance], kind, starters, random.Random(seed))
    assert sorted(line.entrant for line in race.lines) == sorted(s.entrant for s in starters)
    assert sheet_findings(race.sheet()) == []
    finishers = [line for line in race.lines if line.status is Status.FINISHED]
    assert [line.place for line in finishers] == list(range(1, len(finishers) + 1))
    laps = math.ceil(DISTANCES[distance].laps)
    for line in finishers:
        assert sum(line.laps_ms) == line.time_ms
        assert len(line.laps_ms) == len(line.lap_positions) == laps
    for line in race.lines:
        if line.status is not Status.FINISHED:
            assert line.place is None
        if line.status in (Status.DNF, Status.DNS):
            assert line.time_ms is None
        assert not (line.advanced and kind.final)


def test_a_field_larger_than_the_start_line_is_not_raced():
    field = [Starter(f"s{i}", 0.5, i + 1) for i in range(11)]
    with pytest.raises(ValueError, match="a race of 11 starters: the start line holds at most 10"):
        simulate_race(DISTANCES["M1500"], RoundKind.HEATS, field, random.Random(3))
