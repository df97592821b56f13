"""Charts as plain data: plotly figures as dicts (a `go.Figure` per chart costs ~40x more
to build and ships a 7 KB template each), and the scorecard's sparklines as tiny SVG
images, which need no JavaScript, print crisply and carry their own text alternative.
Every chart writes its values on itself, so a black-and-white printout still reads."""
from __future__ import annotations

from urllib.parse import quote
from xml.sax.saxutils import escape

from scorecard.metrics import format_value
from scorecard.ui.indicator_drilldown import GroupTrend
from scorecard.ui.indicator_view import Breakdown, IndicatorPage
from scorecard.ui.style import BAR, GRID, INK, PLOTLY_LAYOUT, SERIES

SPARK_WIDTH, SPARK_HEIGHT, SPARK_LABEL = 110, 34, 64
LIGHT_BAR = "#a6c4e3"  # other councils: light beside the council's black bar, in colour and in greyscale


def _plot_value(unit: str, value):
    """Percentages are plotted as 0-100 so axis ticks read '80%' rather than '0.8'."""
    if value is None:
        return None
    return round(value * 100, 2) if unit == "percent" else value


def _axis(unit: str) -> dict:
    axis = dict(PLOTLY_LAYOUT["yaxis"], rangemode="tozero")
    if unit == "percent":
        axis.update(ticksuffix="%", range=[0, 105])
    return axis


def sparkline_svg(points, unit: str) -> str:
    """An SVG sparkline of (period, value) points with the latest value written beside it."""
    values = [v for _, v in points]
    known = [v for v in values if v is not None]
    body = []
    if known:
        low, high = min(known), max(known)
        span = (high - low) or abs(high) or 1.0
        step = SPARK_WIDTH / max(len(values) - 1, 1)

        def y(v):
            return 4 + (SPARK_HEIGHT - 8) * (1 - (v - low) / span)

        runs, run = [], []
        for index, value in enumerate(values):
            if value is None:
                runs, run = runs + ([run] if run else []), []
            else:
                run.append(f"{index * step:.1f},{y(value):.1f}")
        runs += [run] if run else []
        body += [f'<polyline points="{" ".join(r)}" fill="none" stroke="{SERIES["value"]["colour"]}" '
                 f'stroke-width="1.6"/>' for r in runs]
        last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None))
        body.append(f'<circle cx="{last[0] * step:.1f}" cy="{y(last[1]):.1f}" r="2.6" fill="{INK}"/>')
        latest = values[-1]
        label = format_value(unit, latest) if latest is not None else "no figure"
        body.append(f'<text x="{SPARK_WIDTH + 6}" y="{SPARK_HEIGHT / 2 + 5}" font-family="Arial, sans-serif" '
                    f'font-size="13" font-weight="bold" fill="{INK}">{escape(label)}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_WIDTH + SPARK_LABEL}" height="{SPARK_HEIGHT}" '
           f'viewBox="0 0 {SPARK_WIDTH + SPARK_LABEL} {SPARK_HEIGHT}">{"".join(body)}</svg>')
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


def sparkline_alt(points, unit: str, label: str) -> str:
    """The sparkline in words, for screen readers."""
    shown = [f"{period}: {format_value(unit, v) if v is not None else 'no figure'}" for period, v in points]
    return f"{label}, last {len(points)} months. " + "; ".join(shown)


def trend_figure(page: IndicatorPage) -> dict:
    """The last 24 months with the value written at every point, the target and the
    benchmarks as styled lines, and breaks in the series marked with their reason."""
    unit, x = page.unit, [p.label for p in page.trend]

    def line(name: str, label: str, values, **extra) -> dict:
        style = SERIES[name]
        trace = {"type": "scatter", "name": label, "x": x, "y": [_plot_value(unit, v) for v in values],
                 "mode": "lines", "line": {"color": style["colour"], "dash": style["dash"], "width": 2},
                 "hoverinfo": "x+y+name", "connectgaps": False}
        if style["marker"]:
            trace["marker"] = {"symbol": style["marker"], "size": 8, "color": style["colour"]}
        trace.update(extra)
        return trace

    traces = [line("value", page.label, [p.value for p in page.trend], mode="lines+markers+text",
                   text=[p.value_text if p.value is not None else "" for p in page.trend],
                   textposition="top center", textfont={"size": 11, "color": INK}, cliponaxis=False)]
    for name, label in (("target", "Target"), ("statistical_neighbours", "Statistical neighbours"),
                        ("england", "England"), ("region", "Region")):
        values = [getattr(p, name) for p in page.trend]
        if any(v is not None for v in values):
            traces.append(line(name, label, values, line_shape="hv"))
    shapes, annotations = [], []
    for point in page.trend:
        if point.series_break:
            shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": point.label, "x1": point.label,
                           "y0": 0, "y1": 1, "line": {"color": INK, "dash": "dot", "width": 1.5}})
            annotations.append({"xref": "x", "yref": "paper", "x": point.label, "y": 1.06, "showarrow": False,
                                "text": f"Series break: {point.series_break}", "font": {"size": 11},
                                "xanchor": "left"})
    # Slanted month labels are taller than the legend's place below the axis allows: the legend
    # goes below them, so its box never hides their first letters ("Apr 2023", not "r 2023").
    layout = dict(PLOTLY_LAYOUT, yaxis=_axis(unit), shapes=shapes, annotations=annotations, height=450,
                  xaxis=dict(PLOTLY_LAYOUT["xaxis"], type="category", tickangle=-45, automargin=True),
                  legend=dict(PLOTLY_LAYOUT["legend"], y=-0.3), margin=dict(PLOTLY_LAYOUT["margin"], l=95))
    return {"data": traces, "layout": layout}


def breakdown_figure(breakdown: Breakdown, unit: str) -> dict:
    """One bar per group with its value written on the bar; hidden groups say so."""
    groups = list(breakdown.groups)
    trace = {"type": "bar", "orientation": "h", "y": [g.group for g in groups],
             "x": [_plot_value(unit, g.value) or 0 for g in groups],
             "text": [g.value_text for g in groups], "textposition": "outside", "cliponaxis": False,
             "marker": {"color": BAR, "line": {"color": INK, "width": 1}}, "hoverinfo": "y+text",
             "name": breakdown.label}
    return {"data": [trace], "layout": _bars_layout(unit, max(160, 36 * len(groups) + 90))}


def _bars_layout(unit: str, height: int) -> dict:
    """Horizontal bars, first at the top, room on the right for the values written on them."""
    axis = _axis(unit)
    axis.pop("gridcolor", None)
    return dict(PLOTLY_LAYOUT, height=height, showlegend=False, xaxis=dict(axis, showgrid=True, gridcolor=GRID),
                yaxis={"autorange": "reversed", "automargin": True, "linecolor": INK},
                margin=dict(PLOTLY_LAYOUT["margin"], r=80, t=20, b=40))


def comparison_figure(bars, unit: str) -> dict:
    """The council against its neighbours, their average, its region and England: one bar
    each with its value written on it; the council's bar solid black, the averages hatched,
    so the chart reads in greyscale."""
    bars = list(bars)
    colours = [INK if b.kind == "council" else LIGHT_BAR for b in bars]
    patterns = ["/" if b.kind in ("average", "region", "england") else "" for b in bars]
    trace = {"type": "bar", "orientation": "h", "y": [b.name for b in bars],
             "x": [_plot_value(unit, b.value) or 0 for b in bars], "text": [b.value_text for b in bars],
             "textposition": "outside", "cliponaxis": False, "hoverinfo": "y+text", "showlegend": False,
             "marker": {"color": colours, "line": {"color": INK, "width": 1},
                        "pattern": {"shape": patterns, "fgcolor": INK, "size": 6}}}
    return {"data": [trace], "layout": _bars_layout(unit, max(200, 30 * len(bars) + 90))}


def published_trend_figure(compared, unit: str) -> dict:
    """The published figures over the years: the council, its neighbours' average, its
    region and England, each a line with its own dash and marker and its values written."""
    periods = [y.period for y in compared.years]
    traces = []
    own_data = dict(SERIES["value"], dash="dot")
    styles = (SERIES["value"], own_data, SERIES["statistical_neighbours"], SERIES["region"], SERIES["england"])
    symbols = ("circle", "circle-open", "square", "diamond", "triangle-up")
    for index, (name, style) in enumerate(zip(compared.series_names, styles, strict=True)):
        values = [_plot_value(unit, y.values[index]) for y in compared.years]
        if all(v is None for v in values):
            continue
        written = index in (0, 1, 4)  # the council's figures and England's carry their values
        traces.append({"type": "scatter", "mode": "lines+markers+text" if written else "lines+markers",
                       "name": name, "x": periods, "y": values,
                       "text": [y.texts[index] if y.values[index] is not None else "" for y in compared.years]
                       if written else None,
                       "textposition": "bottom center" if index == 4 else "top center",
                       "line": {"color": style["colour"], "dash": style.get("dash", "solid"), "width": 2},
                       "marker": {"symbol": symbols[index], "size": 8}})
    layout = dict(PLOTLY_LAYOUT, yaxis=_axis(unit), height=380,
                  xaxis=dict(PLOTLY_LAYOUT["xaxis"], type="category", automargin=True))
    return {"data": traces, "layout": layout}


# One look per group line: colour (Okabe-Ito), dash and marker all differ, so the lines
# stay apart in greyscale; each line's label at its end starts with its marker's glyph.
GROUP_STYLES = (("#0b3c73", "solid", "circle", "\u25cf"), ("#d55e00", "dash", "square", "\u25a0"),
                ("#009e73", "dot", "diamond", "\u25c6"), ("#cc79a7", "dashdot", "triangle-up", "\u25b2"),
                ("#1b1b1b", "longdash", "x", "\u2716"), ("#e69f00", "longdashdot", "star", "\u2605"))
LABEL_GAP = 4.5  # percentage points between end labels (a 12px line of text at the chart's height)
PERCENT_TOP = 103  # the highest a label sits on the 0-105% axis: any higher and it is not drawn


def group_trend_figure(trend: GroupTrend, unit: str) -> dict:
    """A line per group (the largest groups; every group is in the table), each with its
    own dash and marker, and its name and latest value written at its end."""
    x = list(trend.month_labels)
    traces, ends = [], []
    drawn = [line for line in trend.lines if line.group in trend.charted]
    for (colour, dash, marker, glyph), line in zip(GROUP_STYLES, drawn):
        values = [_plot_value(unit, c.value) for c in line.cells]
        traces.append({"type": "scatter", "mode": "lines+markers", "name": line.group, "x": x, "y": values,
                       "line": {"color": colour, "dash": dash, "width": 2},
                       "marker": {"symbol": marker, "size": 8, "color": colour},
                       "text": [c.text for c in line.cells], "hoverinfo": "x+text+name", "connectgaps": False})
        last = next((i for i in range(len(values) - 1, -1, -1) if values[i] is not None), None)
        if last is not None:
            ends.append((values[last], f"{glyph} {line.group}: {line.cells[last].value_text}"))
    gap = LABEL_GAP if unit == "percent" else LABEL_GAP / 100 * max((abs(v) for v, _ in ends), default=1)
    annotations = [{"x": x[-1], "y": y, "xref": "x", "yref": "y", "text": text, "showarrow": False,
                    "xanchor": "left", "xshift": 12, "font": {"size": 12, "color": INK}}
                   for y, text in _spread(ends, gap, PERCENT_TOP if unit == "percent" else None)]
    layout = dict(PLOTLY_LAYOUT, yaxis=_axis(unit), annotations=annotations, height=460,
                  xaxis=dict(PLOTLY_LAYOUT["xaxis"], type="category", tickangle=-45, automargin=True),
                  # Room on the left for the first month's slanted label, on the right for the line labels.
                  margin=dict(PLOTLY_LAYOUT["margin"], l=95, r=210))
    return {"data": traces, "layout": layout}


def _spread(ends: list[tuple[float, str]], gap: float, top: float | None = None) -> list[tuple[float, str]]:
    """The end labels' heights, each at least `gap` from the next and none above `top`,
    in the lines' order: pushed up from the lowest, then down from the top if need be."""
    placed: list[tuple[float, str]] = []
    for y, text in sorted(ends, key=lambda end: end[0]):
        placed.append((max(y, placed[-1][0] + gap) if placed else y, text))
    if top is not None and placed and placed[-1][0] > top:
        ceiling, lowered = top, []
        for y, text in reversed(placed):
            lowered.append((min(y, ceiling), text))
            ceiling = lowered[-1][0] - gap
        placed = lowered[::-1]
    return placed
