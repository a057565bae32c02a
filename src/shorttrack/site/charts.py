"""Charts drawn on the server as inline SVG, from the data of a page's document: the lap
chart of a race (position after each lap) and the leaders' points over a season. Each
page also shows the same numbers as a table: the text alternative of its chart."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Distinct colours that read on white and for common colour-vision deficiencies (Okabe-Ito).
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#999999")


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _svg(width: int, height: int, title: str, desc: str, body: list[str], label_id: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{label_id}-title {label_id}-desc" '
        f'class="chart" font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="{label_id}-title">{escape(title)}</title>'
        f'<desc id="{label_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def lap_chart_svg(chart: dict, title: str) -> SafeString:
    """Each entrant's position (1 at the top) after each lap, one line per entrant."""
    laps, rows = chart["laps"], chart["rows"]
    places = max(len(rows), max((p for r in rows for p in r["positions"] if p), default=1))
    left, right, top, step_y = 40, 210, 24, 30
    width = 760
    height = top + places * step_y + 24
    step_x = (width - left - right) / max(laps - 1, 1)

    def x(lap: int) -> float:
        return left + (lap - 1) * step_x

    def y(position: int) -> float:
        return top + (position - 0.5) * step_y

    body = []
    for position in range(1, places + 1):
        body.append(
            f'<text x="{left - 8}" y="{y(position) + 4:.1f}" text-anchor="end" fill="#5c6670">'
            f"{position}</text>"
            f'<line x1="{left}" x2="{x(laps):.1f}" y1="{y(position):.1f}" y2="{y(position):.1f}" '
            f'stroke="#eef1f4"/>'
        )
    for lap in range(1, laps + 1):
        body.append(
            f'<text x="{x(lap):.1f}" y="{height - 6}" text-anchor="middle" fill="#5c6670">'
            f"{lap}</text>"
        )
    for i, row in enumerate(rows):
        points = [(lap, p) for lap, p in enumerate(row["positions"], start=1) if p]
        if not points:
            continue
        colour = _colour(i)
        path = " ".join(f"{x(lap):.1f},{y(p):.1f}" for lap, p in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3" '
            f'stroke-linejoin="round"/>'
        )
        for lap, p in points:
            body.append(f'<circle cx="{x(lap):.1f}" cy="{y(p):.1f}" r="3.5" fill="{colour}"/>')
        last_lap, last = points[-1]
        body.append(
            f'<text x="{x(last_lap) + 10:.1f}" y="{y(last) + 4:.1f}" fill="{colour}">'
            f"{escape(row['display'])}</text>"
        )
    desc = (
        f"Position of each of {len(rows)} entrants after each of {laps} laps; "
        "the table below gives the same positions."
    )
    return mark_safe(_svg(width, height, title, desc, body, "lap-chart"))


def points_chart_svg(chart: dict, title: str) -> SafeString:
    """The leaders' points after each final of the classification, one line per entrant."""
    steps, series = len(chart["after"]), chart["series"]
    top_points = max((p for s in series for p in s["points"]), default=0) or 1
    left, right, top, bottom = 48, 200, 16, 28
    width, height = 760, 300
    plot_h = height - top - bottom
    step_x = (width - left - right) / max(steps - 1, 1)

    def x(i: int) -> float:
        return left + i * step_x

    def y(points: int) -> float:
        return top + plot_h * (1 - points / top_points)

    body = []
    tick = _tick(top_points)
    for value in range(0, top_points + 1, tick):
        body.append(
            f'<line x1="{left}" x2="{x(steps - 1):.1f}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#eef1f4"/><text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'fill="#5c6670">{value}</text>'
        )
    body.append(
        f'<text x="{left}" y="{height - 8}" fill="#5c6670">after {steps} finals: '
        f"{escape(chart['after'][0]['race'] if steps else '')} … "
        f"{escape(chart['after'][-1]['race'] if steps else '')}</text>"
    )
    for i, s in enumerate(series):
        colour = _colour(i)
        path = " ".join(f"{x(k):.1f},{y(p):.1f}" for k, p in enumerate(s["points"]))
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        if s["points"]:
            body.append(
                f'<text x="{x(steps - 1) + 8:.1f}" y="{y(s["points"][-1]) + 4:.1f}" '
                f'fill="{colour}">{escape(s["name"])} {s["points"][-1]}</text>'
            )
    desc = (
        f"Points of the {len(series)} leading entrants after each of {steps} finals; "
        "the table below gives the same numbers."
    )
    return mark_safe(_svg(width, height, title, desc, body, "points-chart"))


def _tick(top: int) -> int:
    """A round step for about five grid lines: 1000 points -> 200."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 6:
            return step
    return 10000
