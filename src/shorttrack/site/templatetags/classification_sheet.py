"""The cells of the points-per-race grid (the ISU classification sheet), written in one
call per row: a season's grid has thousands of cells, and a template's own tags spend
most of the page's time looking up each cell's four values; and the URL of each of its
pages."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shorttrack.site.paging import page_url

register = template.Library()

EMPTY = '<td class="num none"></td>'
PROVISIONAL = '<span class="provisional" title="points value not yet confirmed">P</span>'


def grid_cell(cell: dict | None) -> str:
    """One race's cell of a row: the points counted, those the counting rule dropped in
    brackets, the rank as its title, P where the points value is provisional; empty where
    the entrant has no result in that race."""
    if not cell:
        return EMPTY
    points, dropped = cell["points"], cell["dropped_points"]
    parts = [f'<td class="num {"dropped" if dropped and not points else "counted"}"']
    if cell["rank"]:
        parts.append(f' title="rank {escape(cell["rank"])}"')
    parts.append(">")
    if points or not dropped:
        parts.append(escape(points))
    if dropped:
        parts.append(f' <span class="dropped">({escape(dropped)})</span>')
    if cell["provisional"]:
        parts.append(PROVISIONAL)
    parts.append("</td>")
    return "".join(parts)


@register.simple_tag
def grid_cells(cells: list[dict | None]) -> SafeString:
    """A row's cells in column order (``queries.standings.grid_cells``)."""
    return mark_safe("".join(grid_cell(cell) for cell in cells))


@register.simple_tag(takes_context=True)
def grid_page_url(context, number: int, fragment: bool = False) -> str:
    """The grid page ``number`` at the moment the page is read at (site/paging.py)."""
    return page_url(context["request"], number, fragment=fragment)
