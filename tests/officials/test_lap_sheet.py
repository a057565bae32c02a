"""The laps typed in the console's grid, read as the printout is read: a row per lap, per
skater position, elapsed time and lap time. Three skaters of a 500m (5 laps timed): helmet
12 wins, helmet 4 falls after lap 3, helmet 7's column is left empty."""

from __future__ import annotations

from shorttrack.officials.lap_sheet import GridColumn, cell_name, read, read_grid

COLUMNS = [
    GridColumn(12, "12 HAN Seo-yun"),
    GridColumn(4, "4 VISSER Lotte"),
    GridColumn(7, "7 SATO Yuna"),
]

WINNER = [
    ("1", "10.50", "10.50"),
    ("1", "18.90", "8.40"),
    ("1", "27.10", "8.20"),
    ("1", "35.10", "8.00"),
    ("1", "43.101", "8.00"),
]
FALLEN = [("2", "10.62", "10.62"), ("2", "19.05", "8.43"), ("", "", "8.31")]


def posted(**changes) -> dict[str, str]:
    data = {}
    for helmet, cells in ((12, WINNER), (4, FALLEN)):
        for lap, (position, elapsed, lap_time) in enumerate(cells, 1):
            data[cell_name("position", helmet, lap)] = position
            data[cell_name("elapsed", helmet, lap)] = elapsed
            data[cell_name("lap", helmet, lap)] = lap_time
    return data | changes


def test_each_column_gives_its_laps_up_to_its_last_figure():
    grid = read_grid(COLUMNS, 5, posted())

    assert grid.valid and grid.focus == "position-12-1"
    winner, fallen = grid.starter_laps()  # helmet 7 typed nothing: no laps
    assert (winner.helmet, winner.laps_ms) == (12, [10500, 8400, 8200, 8000, 8000])
    assert winner.elapsed_ms[-1] == 43101 and winner.positions == [1] * 5
    # The timing printed no position nor elapsed time at lap 3: None there, the rest kept.
    assert (fallen.helmet, fallen.laps_ms) == (4, [10620, 8430, 8310])
    assert fallen.elapsed_ms == [10620, 19050, None] and fallen.positions == [2, 2, None]


def test_the_grid_and_the_printout_read_the_same_laps():
    printout = "\n".join(
        [
            "Lap 12 4",
            "1 [1] 10.50 (10.50) [2] 10.62 (10.62)",
            "2 [1] 18.90 (8.40) [2] 19.05 (8.43)",
            "3 [1] 27.10 (8.20) [] (8.31)",
            "4 [1] 35.10 (8.00) -",
            "5 [1] 43.101 (8.00) -",
        ]
    )

    assert read(printout) == read_grid(COLUMNS, 5, posted()).starter_laps()


def test_a_figure_that_is_not_one_is_named_with_its_lap_and_helmet_and_takes_the_cursor():
    grid = read_grid(COLUMNS, 5, posted(**{"position-4-2": "2nd", "elapsed-12-4": "35,10"}))

    assert not grid.valid
    assert grid.errors == [
        "Lap 2, helmet 4: position '2nd' is not a whole number",
        "Lap 4, helmet 12: elapsed time '35,10' is not a time (9.32, 1:01.83)",
    ]
    assert grid.focus == "position-4-2"
