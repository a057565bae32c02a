"""How a result sheet prints its lines (rules.isu_sheet): the unplaced after the placed in
the ISU's order, and names in the sheet's form as the season's convention writes them."""

from __future__ import annotations

from shorttrack.rules.isu_sheet import printed_name, printed_time, sheet_order


def test_the_unplaced_follow_the_placed_as_the_isu_orders_them():
    """Dordrecht 2019/20, women's 1000m (1), heat 5 (two DNS, helmets 2 and 72), with a
    card and a penalty added: DNF and DNS first, then PEN, then YC, each by helmet."""
    lines = [(None, "YC", 4), (2, "", 150), (None, "DNS", 72), (None, "PEN", 11), (1, "", 9),
             (None, "DNS", 2)]  # fmt: skip

    assert sorted(lines, key=lambda line: sheet_order(*line)) == [
        (1, "", 9),
        (2, "", 150),
        (None, "DNS", 2),
        (None, "DNS", 72),
        (None, "PEN", 11),
        (None, "YC", 4),
    ]


def test_a_shared_place_keeps_the_order_the_lines_came_in():
    tie = [(3, "", 203), (3, "", 85)]  # ROES and FERCOQ, Dordrecht 2019/20 1500m semifinal 1

    assert sorted(tie, key=lambda line: sheet_order(*line)) == tie


def test_korean_given_names_print_as_the_season_writes_them():
    assert printed_name("PARK Ji-won", "KOR", "spaced") == "PARK Ji Won"
    assert printed_name("PARK Ji-won", "KOR", "as_stored") == "PARK Ji-won"
    assert printed_name("PARK Ji Won", "KOR", "spaced") == "PARK Ji Won"


def test_other_names_and_teams_stay_as_stored():
    assert printed_name("GOEMINNE Gert-Jan", "BEL", "spaced") == "GOEMINNE Gert-Jan"
    assert printed_name("de VRIES Rianne", "NED", "spaced") == "de VRIES Rianne"
    assert printed_name("KOR 2", "KOR", "spaced") == "KOR 2"  # a relay team


def test_a_penalised_or_unfinished_line_prints_its_mark_and_no_time():
    """Montreal 2025/26 (simulated), men's 1000m: PEETERS Jonas penalised in the Final B
    after 1:26.460 prints PEN alone, as the ISU does; a finisher prints the time."""
    assert printed_time("PEN", "1:26.460") == ""
    assert printed_time("DNF", "") == ""
    assert printed_time("DNS", "") == ""
    assert printed_time("", "1:26.460") == "1:26.460"
    assert printed_time("finished", "40.696") == "40.696"
