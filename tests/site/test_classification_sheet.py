"""The cells of the points-per-race grid as the page writes them, one row's cells in one
call (site/templatetags/classification_sheet.py): each reads as the ISU classification
sheet prints a race's points."""

from __future__ import annotations

from django.template import Context, Template

from shorttrack.site.templatetags.classification_sheet import grid_cell


def cell(points=0, dropped=0, rank=None, provisional=False) -> dict:
    return {"points": points, "dropped_points": dropped, "rank": rank, "provisional": provisional}


def test_points_counted_with_the_rank_as_title():
    assert grid_cell(cell(60, rank=3)) == '<td class="num counted" title="rank 3">60</td>'


def test_points_dropped_by_the_counting_rule_in_brackets():
    assert grid_cell(cell(dropped=16, rank=8)) == (
        '<td class="num dropped" title="rank 8"> <span class="dropped">(16)</span></td>'
    )


def test_a_race_counted_and_dropped_at_once_a_nation_adding_up_its_skaters():
    assert grid_cell(cell(100, dropped=10, rank=1)) == (
        '<td class="num counted" title="rank 1">100 <span class="dropped">(10)</span></td>'
    )


def test_no_points_and_no_rank_still_prints_zero():
    assert grid_cell(cell()) == '<td class="num counted">0</td>'


def test_provisional_points_are_marked():
    assert grid_cell(cell(42, rank=4, provisional=True)) == (
        '<td class="num counted" title="rank 4">42'
        '<span class="provisional" title="points value not yet confirmed">P</span></td>'
    )


def test_no_result_in_the_race_is_an_empty_cell():
    assert grid_cell(None) == '<td class="num none"></td>'


def test_the_tag_writes_a_rows_cells_in_column_order_unescaped():
    template = Template("{% load classification_sheet %}<tr>{% grid_cells cells %}</tr>")
    html = template.render(Context({"cells": [cell(60, rank=3), None]}))
    assert html == (
        '<tr><td class="num counted" title="rank 3">60</td><td class="num none"></td></tr>'
    )
