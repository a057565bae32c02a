"""Checks of lap data as the timing recorded it (rules/laps.py): examples copied from the
ISU split pages of 2019/20, properties of lines the timing can give, and every one of the
1,079 real split pages read through a small extraction of its own."""

from __future__ import annotations

import html
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shorttrack.rules.distances import DISTANCES
from shorttrack.rules.laps import (
    ELAPSED_TOLERANCE_MS,
    FINISH_TOLERANCE_MS,
    line_lap_problems,
    position_range_problems,
    race_lap_problems,
    race_position_problems,
    timed_laps,
)
from shorttrack.rules.times import parse_time
from tests.support import shared_data

# Dordrecht 2019/20, men's 1000m (1) heat 1: EYBOG Daniil, 1st in 1:26.998 (Q).
EYBOG_LAPS = (13020, 9760, 9330, 9260, 9100, 9220, 9040, 9130, 9130)
EYBOG_ELAPSED = (13020, 22780, 32110, 41370, 50470, 59690, 68730, 77860, 86990)
EYBOG_POSITIONS = (3, 3, 2, 2, 2, 2, 2, 2, 1)

# Dresden 2019/20, women's 500m heat 1 as its split page prints it: the race twice, rows
# 1-5 and again 10-14. FAN Kexin won in 43.982.
FAN_LAPS = (7550, 9330, 8870, 8980, 9270)
FAN_ELAPSED = (7550, 16880, 25750, 34730, 43982)


def check(distance, *, finished=True, time_ms=None, laps=(), elapsed=(), positions=()):
    return line_lap_problems(
        distance,
        finished=finished,
        time_ms=time_ms,
        laps_ms=laps,
        elapsed_ms=elapsed,
        positions=positions,
    )


@pytest.mark.parametrize(
    ("key", "laps"),
    [("W500", 5), ("M1000", 9), ("W1500", 14), ("X2000R", 18), ("W3000R", 27), ("M5000R", 45)],
)
def test_the_timing_records_a_lap_per_crossing(key, laps):
    assert timed_laps(key) == laps == timed_laps(DISTANCES[key])


def test_a_finisher_as_the_page_prints_him():
    assert (
        check(
            "M1000",
            time_ms=86_998,
            laps=EYBOG_LAPS,
            elapsed=EYBOG_ELAPSED,
            positions=EYBOG_POSITIONS,
        )
        == []
    )
    assert sum(EYBOG_LAPS) == 86_990  # the finish cut to the hundredth: 8 ms under it


def test_a_500m_with_its_race_printed_twice_is_refused():
    """The issue: a 500 m line with 10 laps summing to 87.96 s for a finish of 43.982."""
    laps = (7_550, 9_330, 8_870, 8_980, 9_270, 7_550, 9_330, 8_870, 8_980, 9_230)
    assert sum(laps) == 87_960
    assert check("W500", time_ms=43_982, laps=laps) == [
        (
            "laps",
            "10 laps summing to 87.96 s for a finish of 43.982: a 500m has 4.5 laps (5 recorded)",
        )
    ]
    # As the page printed FAN Kexin: the second copy's last elapsed is 44.00.
    problems = check(
        "W500",
        time_ms=43_982,
        laps=FAN_LAPS * 2,
        elapsed=FAN_ELAPSED + (7550, 16880, 25750, 34730, 44000),
        positions=(2, 1, 1, 1, 1) * 2,
    )
    assert problems[0] == (
        "laps",
        "10 laps summing to 88.00 s for a finish of 43.982: a 500m has 4.5 laps (5 recorded)",
    )
    assert {field for field, _ in problems} == {"laps", "lap_elapsed"}


def test_a_non_finisher_records_at_most_the_distances_laps():
    # Dordrecht 500m heat 1: ANDERMANN Nico, PEN, all 5 laps, no elapsed times printed.
    assert check("M500", finished=False, laps=(6940, 9130, 8560, 8520, 9460)) == []
    # A fall after 3 laps of a 500m.
    assert check("M500", finished=False, laps=(7660, 9200, 9000), positions=(4, 4, 4)) == []
    assert check("M500", finished=False, laps=(7660,) * 6) == [
        (
            "laps",
            "6 laps summing to 45.96 s for a line that did not finish: "
            "a 500m has 4.5 laps (5 recorded), no more",
        )
    ]


def test_a_finisher_short_of_laps():
    # Dordrecht 1000m (1) heat 11: HOOGERWERF Dylan, 3rd without a time; the timing
    # recorded 6 crossings, the last 40.38 s after the 5th.
    laps = (12680, 9710, 9650, 9500, 9200, 40380)
    assert check("M1000", laps=laps, positions=(1, 1, 1, 1, 1, 4)) == [
        ("laps", "6 laps summing to 91.12 s: a 1000m has 9 laps")
    ]


def test_a_crossing_the_timing_missed():
    """A lap the page leaves blank, or a figure it does not print, is None at that lap."""
    # Dordrecht 1000m (1) semifinal 1: PROSVIRNOVA Sofia, 1:34.073; no cell on lap 8, and
    # lap 9 printed "[3] 1:34.07 ()".
    laps = (13660, 10510, 10260, 9820, 9660, 9670, 9750, None, None)
    elapsed = (13660, 24170, 34430, 44250, 53910, 63580, 73330, None, 94070)
    positions = (3, 3, 4, 3, 3, 3, 4, None, 3)
    assert check("W1000", time_ms=94_073, laps=laps, elapsed=elapsed, positions=positions) == []
    assert check("W1000", time_ms=95_073, laps=laps, elapsed=elapsed) == [
        (
            "lap_elapsed",
            "elapsed 94.07 s at the finish for a finish of 1:35.073: "
            f"they may differ by {FINISH_TOLERANCE_MS} ms at most",
        )
    ]
    # After a gap an elapsed time is the one before plus its lap time.
    laps = (13660, 10510, None, 9820, 9660)
    assert (
        check("W1000", finished=False, laps=laps, elapsed=(13660, 24170, None, 44250, 53910)) == []
    )
    assert check(
        "W1000", finished=False, laps=laps, elapsed=(13660, 24170, None, 44250, 54910)
    ) == [
        (
            "lap_elapsed",
            "elapsed 54.91 s after lap 5 is 10.66 s after 44.25 s, for a lap time of 9.66 s: "
            f"they may differ by {ELAPSED_TOLERANCE_MS} ms at most",
        )
    ]
    # A skater's position not recorded at a lap leaves room for it among the others'.
    assert race_position_problems([[1, 1], [2, None], [3, 2]]) == []


def test_lap_sums_against_the_finish():
    # The 5000m relay Final B at Dordrecht: JAPAN, 2nd in 7:23.497; 45 laps summing to 7:23.49.
    japan = (17940, 12030, 11610, 11990, 12000, 10130, 9930, 10430, 10810, 10990, 10940, 10690)
    japan += (10570, 10450, 10350, 10180, 10420, 9990, 9790, 9760, 9630, 9140, 9000, 9280, 9250)
    japan += (9170, 9410, 8920, 8890, 8910, 9030, 9020, 9000, 8760, 8750, 8670, 8650, 8550)
    japan += (8560, 8560, 8390, 9020, 8610, 8720, 8600)
    assert len(japan) == 45 and sum(japan) == 443_490
    assert check("M5000R", time_ms=443_497, laps=japan) == []
    assert check("M5000R", time_ms=443_497 + 100, laps=japan) == [
        (
            "laps",
            "45 laps summing to 443.49 s for a finish of 7:23.597: "
            f"they may differ by {FINISH_TOLERANCE_MS} ms at most",
        )
    ]


def test_elapsed_times_are_the_running_sum():
    wrong = list(EYBOG_ELAPSED)
    wrong[3] += 100
    assert check("M1000", time_ms=86_998, laps=EYBOG_LAPS, elapsed=wrong) == [
        (
            "lap_elapsed",
            "elapsed 41.47 s after lap 4 for laps summing to 41.37 s: "
            f"they may differ by {ELAPSED_TOLERANCE_MS} ms at most",
        )
    ]
    backwards = list(EYBOG_ELAPSED)
    backwards[2] = 20_000
    assert check("M1000", laps=EYBOG_LAPS, elapsed=backwards)[0] == (
        "lap_elapsed",
        "elapsed 20.00 s after lap 3 is not after 22.78 s after lap 2: elapsed times increase",
    )
    # The last elapsed time is the finish to the thousandth (Dordrecht 500m heat 1, BLAIS
    # Cedrik printed 41.72 for 41.722; FAN Kexin 43.982).
    assert (
        check("W500", time_ms=43_982, laps=(7550, 9330, 8870, 8980, 9250), elapsed=FAN_ELAPSED)
        == []
    )


def test_lists_come_one_per_lap():
    assert check("M1000", time_ms=86_998, laps=EYBOG_LAPS, elapsed=EYBOG_ELAPSED[:8]) == [
        ("lap_elapsed", "8 elapsed times for 9 laps: one elapsed time per lap")
    ]
    assert check("M1000", time_ms=86_998, laps=EYBOG_LAPS, positions=EYBOG_POSITIONS + (1,)) == [
        ("lap_positions", "10 positions for 9 laps: one position per lap")
    ]


def test_positions_are_whole_numbers_from_one():
    # Dordrecht 1000m (1) heat 10: TREACY Farrell won in 1:29.223 by 8 ms; the timing
    # left his position at the finish to the photo finish: [0].
    treacy = (14890, 10170, 9540, 9420, 9360, 8950, 8880, 8830, 9180)
    positions = (3, 4, 3, 2, 3, 2, 2, 2, 0)
    assert check("M1000", time_ms=89_223, laps=treacy, positions=positions) == []
    early = (3, 0, 3, 2, 3, 2, 2, 2, 1)
    assert check("M1000", time_ms=89_223, laps=treacy, positions=early) == [
        (
            "lap_positions",
            "position 0 after lap 2: positions are whole numbers from 1 "
            "(0 only at a finisher's finish, where the photo finish decides)",
        )
    ]
    assert check("M1000", finished=False, laps=treacy, positions=positions)[0][0] == "lap_positions"
    assert check("M500", finished=False, laps=(7000,), positions=(-1,))[0][0] == "lap_positions"


def test_lap_times_are_positive():
    assert check("M500", finished=False, laps=(7000, 0)) == [
        ("laps", "lap 2 has a time of 0 ms: a lap time is a positive number of ms")
    ]
    assert check("M500", finished=False, laps=(7000, 9000), elapsed=(7000, -1)) == [
        ("lap_elapsed", "elapsed time -1 ms after lap 2: a positive number of ms")
    ]


def test_race_positions_with_a_tie_at_a_hundredth():
    # Dordrecht 1000m (1) heat 2, lap 1: HAN Tianyu and KAUFMANN-LUDWIG Leon both 13.82.
    assert race_position_problems([[5], [2], [4], [2], [1]]) == []
    # Montreal 1500m quarterfinal 5, lap 14: PIVIROTTO and BURJAN both 2:21.03, 2 and 3.
    assert race_position_problems([[7], [4], [1], [2], [5], [6], [3]]) == []
    # The photo finish: Dordrecht 1000m (1) heat 10, the first two at the finish.
    assert race_position_problems([[3], [0], [4], [0], [5]]) == []
    assert race_position_problems([[0], [1], [3], [5]]) == [
        (
            3,
            "positions 1, 3, 5 and 1 not recorded after lap 1 for the 4 lines that recorded "
            "it: they rank 1 to 4, a tie as in 1, 2, 2, 4",
        )
    ]


def test_race_positions_that_do_not_rank():
    assert race_position_problems([[1, 1], [2, 2], [2, 3], [3, 4]]) == [
        (
            1,
            "positions 1, 2, 2, 3 after lap 1 for the 4 lines that recorded it: "
            "they rank 1 to 4, a tie as in 1, 2, 2, 4",
        )
    ]
    assert race_position_problems([[1], [3]]) == [
        (
            1,
            "positions 1, 3 after lap 1 for the 2 lines that recorded it: they rank 1 to 2, a tie as in 1, 2, 2, 4",
        )
    ]
    # A skater who stopped after lap 1 is not counted after lap 2.
    assert race_position_problems([[1, 1], [2, 2], [3]]) == []
    assert race_position_problems([[1, 1], [2, 3], [3]]) == [
        (
            1,
            "positions 1, 3 after lap 2 for the 2 lines that recorded it: they rank 1 to 2, a tie as in 1, 2, 2, 4",
        )
    ]
    assert race_position_problems([]) == []


# --- properties: what the timing can give passes; what it cannot is refused --------------

KEYS = sorted(DISTANCES)


@st.composite
def timed_line(draw):
    """A finisher as the timing records it: a clock in ms, elapsed times cut to 1/100 s,
    lap times their differences, the last elapsed the finish to the thousandth or cut."""
    key = draw(st.sampled_from(KEYS))
    count = timed_laps(key)
    clock_laps = draw(st.lists(st.integers(7_000, 20_000), min_size=count, max_size=count))
    clock, total = [], 0
    for lap in clock_laps:
        total += lap
        clock.append(total)
    cut = [t - t % 10 for t in clock]
    laps = [cut[0]] + [b - a for a, b in zip(cut, cut[1:], strict=False)]
    elapsed = cut[:-1] + [draw(st.sampled_from([clock[-1], cut[-1]]))]
    return key, clock[-1], laps, elapsed


@settings(max_examples=200)
@given(timed_line(), st.data())
def test_what_the_timing_gives_passes(line, data):
    key, finish, laps, elapsed = line
    positions = data.draw(
        st.lists(st.integers(1, 8), min_size=len(laps), max_size=len(laps)), label="positions"
    )
    assert check(key, time_ms=finish, laps=laps, elapsed=elapsed, positions=positions) == []
    assert check(key, finished=False, laps=laps[: len(laps) // 2]) == []


@settings(max_examples=200)
@given(timed_line(), st.data())
def test_figures_the_timing_missed_never_make_a_problem(line, data):
    key, finish, laps, elapsed = line
    n = len(laps)
    missed = data.draw(st.sets(st.integers(0, 3 * n - 1)), label="missed")
    laps = [None if k in missed else lap for k, lap in enumerate(laps)]
    elapsed = [None if n + k in missed else e for k, e in enumerate(elapsed)]
    positions = [None if 2 * n + k in missed else 1 for k in range(n)]
    assert check(key, time_ms=finish, laps=laps, elapsed=elapsed, positions=positions) == []


@settings(max_examples=200)
@given(timed_line(), st.integers(FINISH_TOLERANCE_MS + 1, 60_000), st.booleans())
def test_a_wrong_finish_is_refused(line, off, later):
    """A finish further than the tolerance from the sum of the laps is refused."""
    key, _, laps, elapsed = line
    wrong = sum(laps) + off if later or off >= sum(laps) else sum(laps) - off
    problems = check(key, time_ms=wrong, laps=laps, elapsed=elapsed)
    assert ("laps", f"{len(laps)} laps summing to") in [
        (f, r[: len(f"{len(laps)} laps summing to")]) for f, r in problems
    ]


@settings(max_examples=200)
@given(timed_line(), st.integers(-1, 1).filter(bool), st.data())
def test_a_lap_more_or_less_is_refused(line, change, data):
    key, finish, laps, _ = line
    if change > 0:
        laps = laps + [data.draw(st.integers(7_000, 20_000))]
    else:
        laps = laps[:-1]
    problems = check(key, time_ms=finish, laps=laps)
    assert problems and problems[0][0] == "laps"
    assert f"{len(laps)} laps summing to" in problems[0][1]


@settings(max_examples=200)
@given(st.lists(st.integers(1_000, 200_000), min_size=1, max_size=10), st.data())
def test_positions_that_rank_elapsed_times_pass(elapsed, data):
    """After a lap, positions that rank the elapsed times pass, ties shared (1, 2, 2, 4) or
    broken in any order; one more line with a position already taken beyond a tie fails."""
    shared = [1 + sum(1 for other in elapsed if other < own) for own in elapsed]
    order = data.draw(st.permutations(range(len(elapsed))))
    broken = [0] * len(elapsed)
    for place, i in enumerate(sorted(range(len(elapsed)), key=lambda i: (elapsed[i], order[i])), 1):
        broken[i] = place
    assert race_position_problems([[p] for p in shared]) == []
    assert race_position_problems([[p] for p in broken]) == []
    gap = [[p] for p in broken] + [[len(elapsed) + 2]]
    assert [i for i, _ in race_position_problems(gap)] == [len(elapsed)]


# --- every real split page --------------------------------------------------------------

_SPLIT_FILE = re.compile(r"^(?P<round>.+)-race_(?P<race>\d+)-splits\.html$")
_DISTANCE = re.compile(r"-(?P<metres>\d+)m(?P<relay>Relay)?(?:\(\d\))?-(?P<gender>[wmx])-")
_HEAD = re.compile(r'<th scope="col">(.*?)</th>', re.S)
_ROW = re.compile(r'<tr class="tablecol(?:even|odd)"[^>]*>(.*?)</tr>', re.S)
_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
_SPLIT = re.compile(r"^\[(\d+)\](?: (\S+))? \((\S*)\)$")  # "[2] 1:01.83 (9.32)"
_RACE = re.compile(r"<div id='race(\d+)' class=\"tabletitle\">(.*?)</table>", re.S)
_RESULT_ROW = re.compile(r"<tr class=\"(?:tablecoleven|tablecolodd|leader)\"[^>]*>(.*?)</tr>", re.S)
_TIME = re.compile(r"^(?:\d+:)?\d{1,2}\.\d{3}$")
# The page that printed its race twice (rows 1-5, then 10-14): refused, line by line.
PRINTED_TWICE = "2019-2020-ISUWorldCup2019_20-Dresden(GER)-500m-w-Heats-race_1-splits.html"


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _ms(text: str | None) -> int | None:
    return parse_time(text) if text else None


@cache
def _finish_times(round_page: Path) -> dict[tuple[int, str], int | None]:
    """(race, name as printed) -> the finish time, None for PEN, DNF, 'no time'..."""
    times = {}
    for race, body in _RACE.findall(round_page.read_text(encoding="utf-8")):
        for row in _RESULT_ROW.findall(body):
            cells = [_text(c) for c in _CELL.findall(row)]
            result = cells[6].split(" ")[0] if cells[6] else ""
            times[(int(race), cells[4])] = _ms(result) if _TIME.match(result) else None
    return times


def _distance_key(name: str) -> str:
    m = _DISTANCE.search(name)
    gender = {"w": "W", "m": "M", "x": "X"}[m["gender"]]
    return f"{gender}{m['metres']}{'R' if m['relay'] else ''}"


def _split_page(path: Path):
    """Each column of the page as (name, cells): cells (row, position, elapsed, lap) with
    elapsed or lap None where the page prints none; rows without a cell left out."""
    text = path.read_text(encoding="utf-8")
    names = [_text(h) for h in _HEAD.findall(text)][1:]
    columns = [(name, []) for name in names]
    for row_number, row in enumerate(_ROW.findall(text), 1):
        for (_, cells), cell in zip(columns, _CELL.findall(row)[1:], strict=True):
            printed = _text(cell)
            if printed:
                m = _SPLIT.match(printed)
                assert m, (path.name, printed)
                cells.append((row_number, int(m[1]), _ms(m[2]), _ms(m[3])))
    return columns


def _line(cells):
    """The line's lists as the reader (interchange/isu_results.py) fills them: as long as
    the rows down to the column's last printed one, None on a row the column leaves empty
    and for a figure it does not print."""
    by_row = {row: (position, elapsed, lap) for row, position, elapsed, lap in cells}
    rows = [by_row.get(row, (None, None, None)) for row in range(1, max(by_row, default=0) + 1)]
    return [lap for _, _, lap in rows], [e for _, e, _ in rows], [p for p, _, _ in rows]


def _timing_missed(cells) -> bool:
    """The timing missed a crossing of this line: a row left out, a lap time or an
    elapsed time not printed."""
    rows = [row for row, *_ in cells]
    return rows != list(range(1, len(rows) + 1)) or any(
        e is None or lap is None for _, _, e, lap in cells
    )


def test_every_real_split_page():
    folder = shared_data("isu-results-2019-20")
    pages = sorted((folder / "split").glob("*.html"))
    assert len(pages) == 1079
    lines = Counter()
    line_problems: dict[str, list] = {"regular": [], "missed": [], "twice": []}
    race_problems: dict[str, list] = {"regular": [], "missed": []}
    for path in pages:
        m = _SPLIT_FILE.match(path.name)
        key = _distance_key(path.name)
        finish = _finish_times(folder / "round" / f"{m['round']}.html")
        race = int(m["race"])
        columns = _split_page(path)
        missed_on_page = False
        for name, cells in columns:
            time_ms = finish[(race, name)]  # every column is a line of its round's race
            lines["with a time"] += time_ms is not None
            laps, elapsed, positions = _line(cells)
            problems = line_lap_problems(
                key,
                finished=time_ms is not None,
                time_ms=time_ms,
                laps_ms=laps,
                elapsed_ms=elapsed,
                positions=positions,
            )
            kind = (
                "twice"
                if path.name == PRINTED_TWICE
                else "missed"
                if _timing_missed(cells)
                else "regular"
            )
            missed_on_page |= kind == "missed"
            lines[kind] += 1
            line_problems[kind] += [(path.name, name, p) for p in problems]
        positions = [_line(cells)[2] for _, cells in columns]
        # The laps at which the timing missed a figure of some line.
        gaps = {
            k
            for _, cells in columns
            for k, figures in enumerate(zip(*_line(cells), strict=True), 1)
            if None in figures
        }
        if path.name != PRINTED_TWICE:
            kind = "missed" if missed_on_page else "regular"
            for i, reason in race_position_problems(positions):
                lap = int(re.search(r"after lap (\d+)", reason)[1])
                race_problems[kind].append((path.name, i, reason, lap in gaps))

    assert lines == {"regular": 4_875, "missed": 558, "twice": 5, "with a time": 4_912}
    # Every line passes, finishers and not: those the timing recorded in full, and those
    # where it missed a crossing (a row left empty, a lap or elapsed time not printed),
    # None at that lap.
    assert line_problems["regular"] == []
    assert line_problems["missed"] == []
    # The page printed twice: each of its 5 lines has 14 rows (the race, 4 empty rows, the
    # race again), and its elapsed times start again after lap 5.
    assert Counter(field for _, _, (field, _) in line_problems["twice"]) == {
        "laps": 5,
        "lap_elapsed": 5,
    }
    assert (
        PRINTED_TWICE,
        "FAN Kexin",
        (
            "laps",
            "14 laps, 10 of them timed, summing to 88.00 s for a finish of 43.982: "
            "a 500m has 4.5 laps (5 recorded)",
        ),
    ) in line_problems["twice"]
    # After each lap the positions rank the skaters (ties and the photo finish's 0 as
    # allowed) on every page where the timing recorded every crossing, but one: Shanghai,
    # men's 1500m quarterfinal 3, where KIM Dagyeom (DNF) has times of another race (10.61 s
    # after lap 1 against 15.11 s for the leader) and shares 5th place for 6 laps.
    shanghai = "2019-2020-ISUWorldCup2019_20-Shanghai(CHN)-1500m-m-Quarterfinals-race_3-splits.html"
    assert [
        (page, re.search(r"after (lap \d+)", reason)[1])
        for page, _, reason, _ in race_problems["regular"]
    ] == [(shanghai, f"lap {k}") for k in range(1, 7)]
    # Where the timing missed a crossing of some line, the positions printed are out of step
    # on 64 laps: 60 at a lap where some line has a figure missing (mostly the finish of a
    # skater whose elapsed time is not printed), and 4 finishes that rank a skater whose
    # column (no elapsed time printed) ends a lap before. They are reported.
    assert len(race_problems["missed"]) == 64
    assert Counter(at_gap for *_, at_gap in race_problems["missed"]) == {True: 60, False: 4}


# Dordrecht 2020, men's 1000 m (1) Rep. Semifinal 1, as printed: JUNG Yanghun Ben fell
# ("no time", 7 laps) and BREEUWSMA Daan, penalised, crossed second on the track: after lap
# 9 two lines show position 2. The timing's positions stand as printed there.
DORDRECHT_REP_SEMIFINAL = [
    (True, [4, 2, 3, 3, 2, 1, 1, 1, 1]),
    (True, [3, 3, 4, 4, 5, 5, 3, 3, 2]),
    (True, [2, 4, 2, 2, 3, 4, 4, 4, 3]),
    (False, [5, 1, 1, 1, 1, 2, 5]),
    (False, [1, 5, 5, 5, 4, 3, 2, 2, 2]),
]


def test_positions_around_a_fall_or_a_penalty_are_held_to_their_range_only():
    lines = [(finished, [], [], positions) for finished, positions in DORDRECHT_REP_SEMIFINAL]
    positions = [p for _, p in DORDRECHT_REP_SEMIFINAL]

    assert race_position_problems(positions)  # the strict ranking does not hold here
    assert race_lap_problems(lines) == []
    # out of the race's range is refused there too
    broken = lines[:4] + [(False, [], [], [1, 5, 5, 5, 4, 3, 2, 2, 6])]
    assert race_lap_problems(broken) == [
        (4, "position 6 after lap 9: a race of 5 lines has positions 1 to 5")
    ]


def test_a_race_every_skater_finished_without_a_missed_lap_is_held_to_the_ranking():
    timed = ([9_320], [9_320])
    finished = [(True, *timed, [2]), (True, *timed, [2]), (True, *timed, [3])]
    assert race_lap_problems(finished) == race_position_problems([[2], [2], [3]]) != []
    missed = [(True, [None], [None], [2]), (True, *timed, [2]), (True, *timed, [3])]
    assert race_lap_problems(missed) == []
    stopped = [(False, *timed, [2]), (True, *timed, [2]), (True, *timed, [3])]
    assert race_lap_problems(stopped) == []


def test_positions_out_of_the_race_or_a_zero_before_the_finish_are_refused():
    assert position_range_problems([[1, 2], [2, 7], [3, 1]]) == [
        (1, "position 7 after lap 2: a race of 3 lines has positions 1 to 3")
    ]
    assert position_range_problems([[0, 1], [1, 2]]) == [
        (0, "position 0 after lap 1: a race of 2 lines has positions 1 to 2")
    ]
    assert position_range_problems([[1, 0], [2, 0]]) == []  # the photo finish decides
