"""What a screen reader, a phone or a browser without JavaScript gets from a page, read
from the rendered page in the browser: its headings, its tables, its charts.

``problems(page)`` lists what is wrong with a page's structure, in words a person can act
on; an empty list is a page that reads well.
"""

from __future__ import annotations

from playwright.sync_api import Page

# Evaluated in the page: the structure as plain data.
_READ = """() => {
  const text = (node) => (node ? node.textContent.replace(/\\s+/g, ' ').trim() : '');
  const byId = (ids) => (ids || '').split(/\\s+/).filter(Boolean).map((id) => document.getElementById(id));
  return {
    headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => [Number(h.tagName[1]), text(h)]),
    tables: [...document.querySelectorAll('table')].map((table) => ({
      caption: text(table.caption),
      columns: [...table.querySelectorAll('thead th')].map((th) => [text(th), th.getAttribute('scope')]),
      rowHeaders: [...table.querySelectorAll('tbody th, tfoot th')].map((th) => [text(th), th.getAttribute('scope')]),
      rows: [...table.querySelectorAll('tbody tr')].map((tr) => text(tr)),
    })),
    charts: [...document.querySelectorAll('svg.chart')].map((svg) => ({
      role: svg.getAttribute('role'),
      name: byId(svg.getAttribute('aria-labelledby')).map((node) => text(node)),
      table: text(svg.closest('section') && svg.closest('section').querySelector('table caption')),
    })),
  };
}"""


def read(page: Page) -> dict:
    """The page's headings ([level, text]), tables and charts."""
    return page.evaluate(_READ)


def tables(page: Page) -> list[dict]:
    """Each table's caption, column headers and rows, as text."""
    return read(page)["tables"]


def problems(page: Page) -> list[str]:
    structure = read(page)
    found: list[str] = []

    levels = [level for level, _ in structure["headings"]]
    if not levels or levels[0] != 1 or levels.count(1) != 1:
        found.append(f"one h1 first, then the others: {structure['headings']}")
    for (before, _), (after, text) in zip(
        structure["headings"], structure["headings"][1:], strict=False
    ):
        if after > before + 1:
            found.append(f"h{after} {text!r} comes right after an h{before}")

    for table in structure["tables"]:
        name = table["caption"] or f"table with columns {[c for c, _ in table['columns']]}"
        if not table["caption"]:
            found.append(f"{name}: no caption")
        if not table["columns"]:
            found.append(f"{name}: no column headers in a thead")
        for header, scope in table["columns"]:
            if scope != "col":
                found.append(f"{name}: column header {header!r} has scope {scope!r}")
        for header, scope in table["rowHeaders"]:
            if scope not in ("row", "rowgroup"):
                found.append(f"{name}: row header {header!r} has scope {scope!r}")

    for chart in structure["charts"]:
        if chart["role"] != "img" or not all(chart["name"]) or len(chart["name"]) < 2:
            found.append(f"chart {chart['name']}: needs role=img, a title and a description")
        if not chart["table"]:
            found.append(f"chart {chart['name']}: no table of its numbers in its section")
    return found


def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )
