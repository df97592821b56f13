"""The PDF pack's 13-month trend charts, written directly as SVG (vector, text as text).

The same chart as matplotlib drew before, in a tenth of the SVG elements: WeasyPrint's
time to draw an SVG grows with its elements, and matplotlib's spends ~300 on a chart
(a group per tick, clip paths, a patch per label halo), which made the charts half the
pack's build time. matplotlib still chooses the axis ticks (its MaxNLocator, no drawing).

Every plotted point has its value written beside it and the series differ by line style
and marker as well as colour, so a black-and-white printout reads the same.
"""
from __future__ import annotations

from matplotlib.ticker import MaxNLocator

from scorecard.metrics import format_value
from scorecard.packs.pdf_layout import FONT_FAMILY, escape
from scorecard.ui.style import GRID, INK, MUTED, SERIES

# Margins inside the chart, in points: room for the y ticks, the two-line month ticks and the key.
_LEFT, _RIGHT, _BOTTOM, _TOP = 30, 10, 22, 17
_HEADROOM = 1.18     # the axis runs past the top value, so the values written above the points fit
_CHAR_WIDTH = 0.6    # DejaVu Sans' average advance, in ems: sizes each value's white halo


def _plot_value(unit: str, value: float | None) -> float | None:
    """Percentages are plotted 0-100 so that ticks read '80%'."""
    if value is None:
        return None
    return value * 100 if unit == "percent" else value


def _ticks(unit: str, top: float) -> tuple[list[float], float]:
    """Axes start at zero (no exaggerated swings); percentages run to 100%. (ticks, axis top)."""
    if unit == "percent":
        return [0, 25, 50, 75, 100], 100 * _HEADROOM
    top = top or 1.0
    ticks = [t for t in MaxNLocator(nbins=4, integer=unit == "count").tick_values(0, top) if 0 <= t <= top * _HEADROOM]
    return ticks, top * _HEADROOM


def _tick_label(unit: str, value: float) -> str:
    if unit == "percent":
        return f"{value:.0f}%"
    return f"{value:,.0f}" if unit == "count" else f"{value:g}"


def _text(x: float, y: float, text: str, size: float, *, anchor: str = "middle", weight: str = "normal",
          colour: str = INK, extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{colour}"{extra}>{escape(text)}</text>')


def trend_svg(values: list[float | None], months: list[str], unit: str, *, target: float | None = None,
              breaks: dict[int, str] | None = None, width: float = 360, height: float = 140) -> bytes:
    """An SVG chart of `values` over `months` (tick labels, 'Mar 2025', oldest first), `width`
    x `height` points. The latest value is emphasised; `target` is a dashed line; `breaks` maps a
    point's index to the reason the series breaks before it (the line is marked; the reason
    belongs in the text beside the chart)."""
    value_style, target_style = SERIES["value"], SERIES["target"]
    ys = [_plot_value(unit, v) for v in values]
    known = [y for y in ys if y is not None]
    goal = _plot_value(unit, target)
    ticks, top = _ticks(unit, max(known + ([goal] if goal is not None else []), default=0))
    left, right, bottom, up = _LEFT, width - _RIGHT, height - _BOTTOM, _TOP
    count = len(values)

    def x(index: float) -> float:
        return left + (index + 0.6) * (right - left) / (count - 1 + 1.2)

    def y(value: float) -> float:
        return bottom - value * (bottom - up) / top

    parts = []
    for tick in ticks:   # grid and y labels
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{right}" y2="{y(tick):.1f}" stroke="{GRID}" '
                     f'stroke-width="0.8"/>')
        parts.append(_text(left - 3.5, y(tick) + 2.2, _tick_label(unit, tick), 6.3, anchor="end"))
    parts.append(f'<path d="M{left},{up} V{bottom} H{right}" fill="none" stroke="{INK}" stroke-width="0.8"/>')
    ticks_path = "".join(f"M{x(index):.1f},{bottom} v2" for index in range(count))
    parts.append(f'<path d="{ticks_path}" stroke="{INK}" stroke-width="0.8"/>')
    for index, month in enumerate(months):   # x ticks: 'Mar', and the year under the first month and each January
        name, _, year = month.partition(" ")
        parts.append(_text(x(index), bottom + 8.5, name, 6.3))
        if index == 0 or name == "Jan":
            parts.append(_text(x(index), bottom + 15.8, year, 6.3))
    if goal is not None:
        parts.append(f'<line x1="{left}" y1="{y(goal):.1f}" x2="{right}" y2="{y(goal):.1f}" '
                     f'stroke="{target_style["colour"]}" stroke-width="1" stroke-dasharray="3.7,1.6"/>')
    runs, run = [], []
    for index, value in enumerate(ys):   # the monthly line, broken where there is no figure
        if value is None:
            runs, run = runs + ([run] if run else []), []
        else:
            run.append(f"{x(index):.1f},{y(value):.1f}")
    for points in runs + ([run] if run else []):
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{value_style["colour"]}" '
                     f'stroke-width="1.4" stroke-linejoin="round"/>')
    parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="1.6" fill="{value_style["colour"]}"/>'
              for i, v in enumerate(ys) if v is not None]
    latest = max((i for i, v in enumerate(ys) if v is not None), default=None)
    if latest is not None:
        parts.append(f'<circle cx="{x(latest):.1f}" cy="{y(ys[latest]):.1f}" r="3.2" fill="#ffffff" '
                     f'stroke="{INK}" stroke-width="1.6"/>')
    parts += _labels(ys, values, unit, latest, top, goal, x, y, bottom)
    for index in sorted(breaks or {}):
        at = (x(index - 1) + x(index)) / 2
        parts.append(f'<line x1="{at:.1f}" y1="{up}" x2="{at:.1f}" y2="{bottom}" stroke="{INK}" stroke-width="1" '
                     f'stroke-dasharray="1,1.6"/>')
        parts.append(_text(at - 1.5, bottom - 3, "Series break", 5.5, anchor="start",
                           extra=f' transform="rotate(-90 {at - 1.5:.1f} {bottom - 3:.1f})"'))
    parts += _key(unit, target, latest is not None, left, up)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}">{"".join(parts)}</svg>').encode()


def _labels(ys, values, unit, latest, top, goal, x, y, bottom) -> list[str]:
    """Every value written at its point, on a white halo: above it, unless that would sit on
    the target line or run off the top, then below it."""
    room = top * 0.16   # a label's height, offset included, in data units
    parts = []
    for index, (plotted, value) in enumerate(zip(ys, values, strict=True)):
        if value is None:
            parts.append(_text(x(index), bottom - 3, "no figure", 5, colour=MUTED))
            continue
        emphasise = index == latest
        size = 7.5 if emphasise else 6.4
        below = plotted > top * 0.93 or (
            goal is not None and plotted <= goal <= plotted + room and plotted - room > 0)
        lift = 9 if emphasise else 5   # the latest value sits higher, clear of its neighbours' labels
        baseline = y(plotted) + (lift + 1 + size * 0.75 if below else -lift)
        text = format_value(unit, value)
        half = len(text) * size * _CHAR_WIDTH / 2 + 0.8
        parts.append(f'<rect x="{x(index) - half:.1f}" y="{baseline - size * 0.8:.1f}" width="{2 * half:.1f}" '
                     f'height="{size * 1.0:.1f}" fill="#ffffff"/>')
        parts.append(_text(x(index), baseline, text, size, weight="bold" if emphasise else "normal"))
    return parts


def _key(unit: str, target: float | None, has_latest: bool, left: float, up: float) -> list[str]:
    """The key above the plot: the monthly line, the latest month's ring, the target's dashes."""
    value_style, target_style = SERIES["value"], SERIES["target"]
    base, parts, at = up - 6, [], left
    parts.append(f'<line x1="{at}" y1="{base - 2.2}" x2="{at + 17}" y2="{base - 2.2}" '
                 f'stroke="{value_style["colour"]}" stroke-width="1.4"/>'
                 f'<circle cx="{at + 8.5}" cy="{base - 2.2}" r="1.6" fill="{value_style["colour"]}"/>')
    parts.append(_text(at + 21, base, "Monthly figure", 6.5, anchor="start"))
    at += 21 + 14 * 6.5 * 0.55 + 12
    if has_latest:
        parts.append(f'<circle cx="{at + 3}" cy="{base - 2.2}" r="3" fill="#ffffff" stroke="{INK}" stroke-width="1.4"/>')
        parts.append(_text(at + 9, base, "Latest month", 6.5, anchor="start"))
        at += 9 + 12 * 6.5 * 0.55 + 12
    if target is not None:
        parts.append(f'<line x1="{at}" y1="{base - 2.2}" x2="{at + 17}" y2="{base - 2.2}" '
                     f'stroke="{target_style["colour"]}" stroke-width="1" stroke-dasharray="3.7,1.6"/>')
        parts.append(_text(at + 21, base, f"Target {format_value(unit, target)}", 6.5, anchor="start"))
    return parts
