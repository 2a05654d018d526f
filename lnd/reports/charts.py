"""Charts drawn on the server as SVG: no JavaScript, nothing fetched, nothing styled inline (the CSP
allows neither). Readable without colour: each series has its own line pattern and marker shape, is
labelled at its end and in the legend, and the chart has a title and a description. The page shows
the same figures in a table beneath the chart.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

# (colour, dash pattern, marker shape) per series, in order. Colours have at least 3:1 contrast
# with white; the dash and marker tell the series apart without them.
STYLES = [
    ("#1d70b8", "", "circle"),
    ("#0b0c0c", "8 4", "square"),
    ("#00703c", "2 4", "triangle"),
    ("#4c2c92", "12 4 2 4", "diamond"),
]
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FONT = "Arial, sans-serif"

WIDTH, HEIGHT = 860, 380
LEFT, RIGHT, BOTTOM = 56, 250, 44
LEGEND_ROW = 22
LABEL_GAP = 16   # the least vertical distance between two end labels


@dataclass
class Series:
    label: str
    values: list[float | None]   # one per x label; None leaves a gap


def _marker(shape: str, x: float, y: float, colour: str, tip: str = "") -> str:
    title = f"<title>{escape(tip)}</title>" if tip else ""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}">{title}</circle>'
    if shape == "square":
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" fill="{colour}">{title}</rect>'
    if shape == "triangle":
        points = f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 4.5:.1f} {x - 6:.1f},{y + 4.5:.1f}"
    else:
        points = f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"
    return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'


def _path(points: list[tuple[float, float] | None]) -> str:
    """An SVG path through the points, lifting the pen over gaps."""
    parts, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point[0]:.1f},{point[1]:.1f}")
        pen_down = True
    return " ".join(parts)


def _spread(positions: list[float], low: float, high: float) -> list[float]:
    """Move end labels apart so that none overlaps another, keeping their order."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = list(positions)
    previous = None
    for i in order:
        if previous is not None and placed[i] < previous + LABEL_GAP:
            placed[i] = previous + LABEL_GAP
        previous = placed[i]
    overflow = (previous or 0) - high
    if overflow > 0:
        for i in order:
            placed[i] = max(low, placed[i] - overflow)
    return placed


def line_chart(chart_id: str, title: str, description: str, x_labels: list[str], series: list[Series],
               *, y_max: float = 100, unit: str = "%") -> Markup:
    """A line chart of percentages (or any values from 0 to `y_max`) over the x labels."""
    top = 16 + LEGEND_ROW * len(series) + 12
    height = HEIGHT + top
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - BOTTOM
    step = plot_w / max(len(x_labels) - 1, 1)

    def x_at(i: int) -> float:
        return LEFT + i * step

    def y_at(value: float) -> float:
        return top + plot_h - (value / y_max) * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="{escape(chart_id)}" '
           f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
           f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
           f'font-family="{FONT}" font-size="13" fill="{TEXT}">',
           f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
           f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
           f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>']
    # The legend, one row per series at the top: line sample, marker and name.
    for index, item in enumerate(series):
        colour, dash, shape = STYLES[index % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        y = 16 + LEGEND_ROW * index
        out.append(f'<g class="app-chart__legend-item"><line x1="{LEFT}" y1="{y}" x2="{LEFT + 36}" y2="{y}" '
                   f'stroke="{colour}" stroke-width="3"{dash_attr}/>{_marker(shape, LEFT + 18, y, colour)}'
                   f'<text x="{LEFT + 46}" y="{y + 4}">{escape(item.label)}</text></g>')
    # Gridlines and the y axis labels.
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = y_max * fraction
        y = y_at(value)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="{GRID}" '
                   f'stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{value:g}{escape(unit)}</text>')
    for i, label in enumerate(x_labels):
        out.append(f'<text x="{x_at(i):.1f}" y="{top + plot_h + 22}" text-anchor="middle" '
                   f'font-size="12">{escape(label)}</text>')
    # The series: a patterned line, a marker at every point, a label at the end.
    ends = []
    for index, item in enumerate(series):
        colour, dash, shape = STYLES[index % len(STYLES)]
        points = [None if v is None else (x_at(i), y_at(v)) for i, v in enumerate(item.values)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<g class="app-chart__series"><path d="{_path(points)}" fill="none" stroke="{colour}" '
                   f'stroke-width="3"{dash_attr}/>')
        for i, point in enumerate(points):
            if point is not None:
                tip = f"{item.label}, {x_labels[i]}: {item.values[i]:g}{unit}"
                out.append(_marker(shape, point[0], point[1], colour, tip))
        out.append("</g>")
        last = next((i for i in range(len(points) - 1, -1, -1) if points[i] is not None), None)
        if last is not None:
            ends.append((index, points[last][1], f"{item.label}: {item.values[last]:g}{unit}"))
    placed = _spread([y for _, y, _ in ends], top, top + plot_h)
    for (index, _y, text), y in zip(ends, placed):
        out.append(f'<text class="app-chart__end-label" x="{LEFT + plot_w + 12}" y="{y + 4:.1f}" font-size="12">'
                   f'{escape(text)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
