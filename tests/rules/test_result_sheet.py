"""A result sheet checked against itself (rules.result_sheet): race size, places, dead heats,
times in the order of the places. Plain lines in, findings out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shorttrack.rules.result_sheet import (
    LARGEST_RACE,
    Finding,
    SheetLine,
    place_findings,
    sheet_findings,
    status_findings,
    time_findings,
)


def line(name, place=None, time_ms=None, *, dead_heat=False, status="finished") -> SheetLine:
    return SheetLine(str(name), place, dead_heat, time_ms, status)


# Women's 500 m semifinal: 41.902 first, a dead heat for second in 42.010, 42.377 fourth.
SEMIFINAL = [
    line(12, 1, 41_902),
    line(7, 2, 42_010, dead_heat=True),
    line(31, 2, 42_010, dead_heat=True),
    line(4, 4, 42_377),
    line(9, status="PEN"),  # no place, no time
]


def test_a_right_sheet_has_no_findings_typed_or_printed():
    assert sheet_findings(SEMIFINAL, "helmet") == []
    assert sheet_findings(SEMIFINAL, printed=True) == []


def test_a_shared_place_needs_the_dead_heat_mark_on_both_lines():
    unmarked = [line(12, 1), line(7, 2, dead_heat=True), line(31, 2), line(4, 4)]
    assert place_findings(unmarked, "helmet") == [
        Finding(
            2,
            "place",
            "place 2 is given to helmets 7 and 31: mark them as a dead heat, or correct one",
        )
    ]


def test_a_lone_dead_heat_mark():
    assert place_findings([line(3, 1), line(4, 2, dead_heat=True)], "line") == [
        Finding(1, "dead_heat", "line 4 is marked as a dead heat but nobody else has place 2")
    ]


def test_a_place_inside_the_dead_heat_before_it():
    sheet = [line(1, 1), line(2, 2, dead_heat=True), line(3, 2, dead_heat=True), line(4, 3)]
    assert place_findings(sheet) == [
        Finding(3, "place", "place 3 is inside the dead heat before it: the next place is 4")
    ]
    assert place_findings(sheet, printed=True) == place_findings(sheet)


def test_a_place_left_empty_is_a_typing_error_at_the_console_but_stands_as_printed():
    # Dresden 2019/20, men's 1000 m heat 7, as the ISU page prints it: 1, 3, 3, PEN, PEN.
    dresden = [
        line(2, 1, 87_364),
        line(3, 3, 87_935, dead_heat=True),
        line(4, 3, 90_345, dead_heat=True),
        line(5, status="PEN"),
        line(6, status="PEN"),
    ]
    assert sheet_findings(dresden, printed=True) == []
    assert place_findings(dresden, "helmet") == [Finding(None, "place", "no finisher has place 2")]


def test_a_printed_place_beyond_the_number_of_starters():
    sheet = [line(2, 1, 43_000), line(3, 2, 43_500), line(4, 7, 44_000)]
    assert place_findings(sheet, printed=True) == [
        Finding(2, "place", "line 4 has place 7 in a race of 3 starters")
    ]


def test_who_did_not_finish_or_start_has_no_place_and_no_time():
    sheet = [line(1, 1, 43_000), line(2, 2, status="DNF"), line(3, None, 44_000, status="DNS")]
    assert status_findings(sheet, "helmet") == [
        Finding(1, "place", "helmet 2 is DNF: it has no place and no time"),
        Finding(2, "time", "helmet 3 is DNS: it has no place and no time"),
    ]
    # a penalised skater keeps the time in which they crossed the line
    assert status_findings([line(4, None, 43_500, status="PEN")]) == []


def test_place_one_slower_than_place_two():
    sheet = [line(2, 1, 43_500), line(3, 2, 43_400)]
    assert time_findings(sheet, "helmet") == [
        Finding(
            1,
            "time",
            "helmet 3, placed 2, has 43.400: faster than helmet 2, placed 1, in 43.500; "
            "correct the place or the time (a penalised skater is marked PEN by the referee)",
        )
    ]


def test_equal_times_at_different_places_are_a_photo_finish():
    assert time_findings([line(1, 1, 88_598), line(2, 2, 88_598)]) == []


def test_a_time_printed_to_the_hundredth_stands_for_the_thousandths_after_it():
    # 1:27.93 may be 1:27.930 to 1:27.939: not faster than 1:27.935 placed before it.
    assert time_findings([line(1, 1, 87_935), line(2, 2, 87_930)]) == []
    assert len(time_findings([line(1, 1, 87_941), line(2, 2, 87_930)])) == 1


def test_a_dead_heat_faster_than_the_place_before_it():
    sheet = [
        line(1, 1, 43_500),
        line(2, 2, 43_600, dead_heat=True),
        line(3, 2, 43_400, dead_heat=True),
    ]
    assert [f.line for f in time_findings(sheet)] == [2]


def test_lines_without_a_time_or_a_finish_are_not_compared():
    sheet = [line(1, 1, None), line(2, 2, 43_000), line(3, None, 40_100, status="PEN")]
    assert time_findings(sheet) == []


def test_a_heat_of_5000_skaters_is_larger_than_the_start_line():
    heat = [line(n, n, 43_000 + n) for n in range(1, 5001)]
    size = [f for f in sheet_findings(heat, printed=True) if f.field == "lines"]
    assert size == [
        Finding(
            10,
            "lines",
            "a race of 5000 starters: the start line holds at most 10 (5 side by side, and a "
            "second row); this is line 11, starter 11",
        )
    ]


def test_the_largest_real_race_fits():
    # Nine in a men's 1500 m semifinal of 2019/20, the largest race of the season's pages.
    semifinal = [line(n, n, 140_000 + 100 * n) for n in range(1, 10)]
    assert LARGEST_RACE == 10
    assert sheet_findings(semifinal, printed=True) == []


@st.composite
def crossing(draw):
    """A race as it was skated: crossing times (now and then equal), places numbered from
    them with equal times a dead heat or a photo finish, then lines without a finish."""
    count = draw(st.integers(1, LARGEST_RACE))
    finishers = draw(st.integers(0, count))
    times = sorted(
        draw(st.lists(st.integers(41_000, 41_030), min_size=finishers, max_size=finishers))
    )
    lines, position = [], 0
    while position < len(times):
        tied = times[position:].count(times[position])
        if tied > 1 and draw(st.booleans()):  # a dead heat: the place shared
            lines += [
                line(position + k, position + 1, times[position], dead_heat=True)
                for k in range(tied)
            ]
            position += tied
        else:
            lines.append(line(position, position + 1, times[position]))
            position += 1
    lines += [line(100 + k, status="DNF") for k in range(count - finishers)]
    return lines


@given(crossing())
def test_a_sheet_numbered_from_the_crossing_has_no_findings(sheet):
    assert sheet_findings(sheet, "helmet") == []
    assert sheet_findings(sheet, printed=True) == []


@given(crossing(), st.data())
def test_swapping_two_places_of_different_times_is_found(sheet, data):
    timed = [i for i, ln in enumerate(sheet) if ln.place is not None]
    pairs = [(a, b) for a in timed for b in timed if sheet[b].time_ms - sheet[a].time_ms > 9]
    if not pairs:
        return
    a, b = data.draw(st.sampled_from(pairs))
    swapped = list(sheet)
    swapped[a] = SheetLine(sheet[a].name, sheet[b].place, sheet[b].dead_heat, sheet[a].time_ms)
    swapped[b] = SheetLine(sheet[b].name, sheet[a].place, sheet[a].dead_heat, sheet[b].time_ms)
    assert any(f.field == "time" for f in time_findings(swapped))


@given(crossing(), st.data())
def test_a_place_left_out_is_found_at_the_console_only(sheet, data):
    placed = [ln for ln in sheet if ln.place is not None]
    if not placed:
        return
    gap = data.draw(st.sampled_from(sorted({ln.place for ln in placed})))
    moved = [
        SheetLine(ln.name, ln.place + 1, ln.dead_heat, ln.time_ms)
        if ln.place is not None and ln.place >= gap
        else ln
        for ln in sheet
    ]
    assert Finding(None, "place", f"no finisher has place {gap}") in place_findings(moved)
    beyond = max(ln.place for ln in moved if ln.place is not None) > len(moved)
    assert (place_findings(moved, printed=True) == []) is not beyond
