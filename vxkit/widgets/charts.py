"""Small inline SVG charts and HTML tables: no JavaScript, no network, every label escaped.

An SVG string in an ``ipywidgets.HTML`` renders the same in every partner's browser and in a
saved notebook, and builds in about a millisecond, so a chart can follow every click.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from ..i18n import tr

SERIES_COLOURS = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values covering ``low`` to ``high``."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def short_number(value: float) -> str:
    """A tick label: 3 significant digits, with k, M or B for large numbers."""
    magnitude = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def y_gridlines(
    ticks: list[float], sy: Callable[[float], float], left: float, plot_w: float
) -> list[str]:
    """A chart's horizontal grid lines and their labels, one per tick of the y axis."""
    out = []
    for tick in ticks:
        y = sy(tick)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{html.escape(short_number(tick))}</text>"
        )
    return out


def line_chart(
    series: Mapping[str, Sequence[tuple[float, float]]],
    *,
    title: str = "",
    unit: str = "",
    colours: Mapping[str, str] | None = None,
    width: int = 640,
    height: int = 320,
    locale: str = "en",
) -> str:
    """An SVG line chart: one line per series (label -> [(x, y), ...]), with axes and a key;
    ``locale`` is the language of its own words (several, comma-separated, for a team)."""
    colours = dict(colours or {})
    left, right, top, bottom = 64, 150, 34, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    points = [p for line in series.values() for p in line]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vx-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{html.escape(title)}" style="font:12px sans-serif">',
        f'<text x="{left}" y="18" font-weight="bold">{html.escape(title)}</text>',
    ]
    if not points:
        empty = html.escape(tr("No data for this choice.", locale))
        out.append(f'<text x="{left}" y="{top + plot_h / 2}">{empty}</text></svg>')
        return "".join(out)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x_low, x_high = min(xs), max(xs)
    if x_high == x_low:
        x_low, x_high = x_low - 1, x_high + 1
    y_ticks = nice_ticks(min(0.0, min(ys)) if min(ys) >= 0 else min(ys), max(ys))
    y_low, y_high = y_ticks[0], y_ticks[-1]

    def sx(x: float) -> float:
        return left + (x - x_low) / (x_high - x_low) * plot_w

    def sy(y: float) -> float:
        return top + plot_h - (y - y_low) / (y_high - y_low) * plot_h

    out.extend(y_gridlines(y_ticks, sy, left, plot_w))
    for tick in nice_ticks(x_low, x_high, 6):
        if x_low <= tick <= x_high:
            x = sx(tick)
            out.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top + plot_h}" y2="{top + plot_h + 4}" '
                f'stroke="#333"/><text x="{x:.1f}" y="{top + plot_h + 18}" '
                f'text-anchor="middle">{int(tick)}</text>'
            )
    out.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'stroke="#333"/>'
        f'<text x="{left}" y="{top - 6}" fill="#555">{html.escape(unit)}</text>'
    )
    for index, (label, line) in enumerate(series.items()):
        colour = colours.get(label, SERIES_COLOURS[index % len(SERIES_COLOURS)])
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in line)
        safe_label = html.escape(label)
        if len(line) == 1:
            x, y = line[0]
            out.append(
                f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{html.escape(colour)}">'
                f"<title>{safe_label}</title></circle>"
            )
        else:
            out.append(
                f'<polyline class="vx-series" fill="none" stroke="{html.escape(colour)}" '
                f'stroke-width="2" points="{coords}"><title>{safe_label}</title></polyline>'
            )
        key_y = top + 8 + index * 18
        out.append(
            f'<rect x="{left + plot_w + 12}" y="{key_y - 9}" width="12" height="10" '
            f'fill="{html.escape(colour)}"/><text x="{left + plot_w + 30}" y="{key_y}">'
            f"{safe_label}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Mapping[str, float]],
    *,
    title: str = "",
    unit: str = "",
    colours: Mapping[str, str] | None = None,
    empty: str = "",
    width: int = 640,
    height: int = 320,
    locale: str = "en",
) -> str:
    """An SVG bar chart of several series side by side: for each category (a day), one bar
    per series (label -> {category: value}), a gap where a series has no value; axes, a key.

    ``empty`` is the sentence shown when there is no value at all (default: "No data for
    this choice." in ``locale``).
    """
    colours = dict(colours or {})
    left, right, top, bottom = 64, 150, 34, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for line in series.values() for v in line.values() if math.isfinite(v)]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vx-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{html.escape(title)}" style="font:12px sans-serif">',
        f'<text x="{left}" y="18" font-weight="bold">{html.escape(title)}</text>',
    ]
    if not values or not categories:
        said = empty or tr("No data for this choice.", locale)
        out.append(f'<text x="{left}" y="{top + plot_h / 2}">{html.escape(said)}</text></svg>')
        return "".join(out)
    ticks = nice_ticks(min(0.0, min(values)), max(0.0, max(values)))
    low, high = ticks[0], ticks[-1]

    def sy(y: float) -> float:
        return top + plot_h - (y - low) / (high - low) * plot_h

    out.extend(y_gridlines(ticks, sy, left, plot_w))
    slot = plot_w / len(categories)
    bar = slot * 0.8 / max(len(series), 1)
    label_every = max(1, math.ceil(len(categories) * 40 / plot_w))  # about 40 px per label
    for i, category in enumerate(categories):
        x0 = left + i * slot + slot * 0.1
        for j, (label, line) in enumerate(series.items()):
            value = line.get(category)
            if value is None or not math.isfinite(value):
                continue
            colour = html.escape(colours.get(label, SERIES_COLOURS[j % len(SERIES_COLOURS)]))
            y_top, y_base = sy(max(value, 0.0)), sy(min(value, 0.0))
            out.append(
                f'<rect class="vx-bar" x="{x0 + j * bar:.1f}" y="{y_top:.1f}" '
                f'width="{bar:.1f}" height="{max(y_base - y_top, 0.5):.1f}" fill="{colour}">'
                f"<title>{html.escape(f'{label}, {category}: {value:g} {unit}'.strip())}</title>"
                "</rect>"
            )
        if i % label_every == 0:
            out.append(
                f'<text x="{x0 + slot * 0.4:.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="middle">{html.escape(str(category)[-5:])}</text>'
            )
    out.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{sy(0.0):.1f}" y2="{sy(0.0):.1f}" '
        'stroke="#333"/>'
        f'<text x="{left}" y="{top - 6}" fill="#555">{html.escape(unit)}</text>'
    )
    for index, label in enumerate(series):
        colour = colours.get(label, SERIES_COLOURS[index % len(SERIES_COLOURS)])
        key_y = top + 8 + index * 18
        out.append(
            f'<rect x="{left + plot_w + 12}" y="{key_y - 9}" width="12" height="10" '
            f'fill="{html.escape(colour)}"/><text x="{left + plot_w + 30}" y="{key_y}">'
            f"{html.escape(label)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def table_html(frame: pd.DataFrame, *, max_rows: int = 60) -> str:
    """A frame as an HTML table, every cell escaped; long tables keep their last rows."""
    if len(frame) > max_rows:
        frame = frame.tail(max_rows)
    return frame.to_html(
        escape=True,
        border=0,
        classes="vx-table",
        na_rep="",
        float_format=lambda v: f"{v:,.3g}" if abs(v) < 1e4 else f"{v:,.0f}",
    )
