"""The split sheet's figures at the sheet's precision (queries.race.split_sheet with
rules.times.split_digits): a sheet with thousandths prints every lap and elapsed time to
the thousandth, a sheet of hundredths to the hundredth; the finish, the result's time,
always to the thousandth."""

from __future__ import annotations

from shorttrack.queries.race import split_sheet
from shorttrack.rules.times import format_time


def line(name: str, place: int, laps: list[int], elapsed: list[int] | None = None) -> dict:
    time_ms = elapsed[-1] if elapsed else sum(laps)
    return {
        "name": name,
        "nation": name[-4:-1],
        "display": name,
        "team": None,
        "race_skaters": [],
        "team_skaters": [],
        "place": place,
        "status": "",
        "mark": "",
        "time": format_time(time_ms),
        "time_ms": time_ms,
        "laps_ms": laps,
        "lap_elapsed_ms": elapsed or [],
        "lap_positions": [],
    }


def figures(sheet: dict, column: int) -> list[tuple[str, str]]:
    cells = [row["cells"][column] for row in sheet["rows"]]
    return [(c["lap"], c["elapsed"]) for c in cells]


def test_a_sheet_with_thousandths_prints_10_460_next_to_10_243():
    # Laps as the simulated Montreal 2025/26 men's 1500m Final A times them, to 1/1000 s.
    sheet = split_sheet(
        [
            line("DANDJINOU William (CAN)", 1, [10_460, 6_970, 8_412]),
            line("LEE Do Yun (KOR)", 2, [10_243, 6_986, 8_700]),
        ]
    )
    assert figures(sheet, 0) == [("10.460", "10.460"), ("6.970", "17.430"), ("8.412", "25.842")]
    assert figures(sheet, 1) == [("10.243", "10.243"), ("6.986", "17.229"), ("8.700", "25.929")]


def test_a_sheet_of_hundredths_prints_hundredths_and_the_finish_to_the_thousandth():
    # Lap and elapsed times to 1/100 s as the timing recorded them; the finish (the
    # result's time) to 1/1000 s.
    first = line("KNEGT Sjinkie (NED)", 1, [12_400, 8_510, 9_400], [12_400, 20_910, 30_312])
    second = line("ROES Jens (NED)", 2, [12_600, 8_400, 9_400], [12_600, 21_000, 30_400])
    sheet = split_sheet([first, second])
    assert figures(sheet, 0) == [("12.40", "12.40"), ("8.51", "20.91"), ("9.40", "30.312")]
    assert figures(sheet, 1) == [("12.60", "12.60"), ("8.40", "21.00"), ("9.40", "30.400")]
