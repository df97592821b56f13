"""The PDF pack's 13-month trend charts, drawn with matplotlib's object API as SVG.

SVG, so the PDF holds vector charts (crisp at any zoom or print size, and small) with
their text as text, in the pack's own font. No pyplot: a `Figure` with its own SVG canvas
holds no global state, so packs can be
built in a web server's threads. The style (rc) comes from `scorecard.ui.style`; it is
applied with `rc_context`, which is process-wide, so drawing is serialised by a lock.

Every plotted point has its value written beside it and the series differ by line style
and marker as well as colour, so a black-and-white printout reads the same.
"""
from __future__ import annotations

import io
import math
import threading

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from scorecard.metrics import format_value
from scorecard.ui.style import INK, MATPLOTLIB_RC, MUTED, SERIES

# The same SVG every time for the same chart: matplotlib names its clip paths from a hash
# salted with this (else a random salt), and the SVG's date is left out.
_SVG_RC = {"svg.hashsalt": "corporate-parenting-scorecard"}
_LOCK = threading.Lock()
# Margins inside the image, in points: room for the y ticks, the two-line month ticks and the key.
_LEFT, _RIGHT, _BOTTOM, _TOP = 30, 10, 22, 17
_HALO = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"}  # keeps labels off the lines


def _plot_value(unit: str, value: float | None) -> float:
    """Percentages are plotted 0-100 so that ticks read '80%'; gaps are NaN (a break in the line)."""
    if value is None:
        return math.nan
    return value * 100 if unit == "percent" else value


def trend_svg(values: list[float | None], months: list[str], unit: str, *, target: float | None = None,
              breaks: dict[int, str] | None = None, width: float = 360, height: float = 140) -> bytes:
    """An SVG chart of `values` over `months` (tick labels, oldest first), `width` x `height`
    points. The latest value is emphasised; `target` is a dashed line; `breaks` maps a point's
    index to the reason the series breaks before it (the line is marked; the reason belongs in
    the text beside the chart)."""
    with _LOCK, matplotlib.rc_context({**MATPLOTLIB_RC, **_SVG_RC}):
        figure = Figure(figsize=(width / 72, height / 72))
        FigureCanvasSVG(figure)
        figure.subplots_adjust(left=_LEFT / width, right=1 - _RIGHT / width, bottom=_BOTTOM / height,
                               top=1 - _TOP / height)
        axes = figure.add_subplot()
        _draw(axes, values, months, unit, target, breaks or {})
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()


def _draw(axes, values, months, unit, target, breaks) -> None:
    value_style, target_style = SERIES["value"], SERIES["target"]
    xs = list(range(len(values)))
    ys = [_plot_value(unit, v) for v in values]
    known = [y for y in ys if not math.isnan(y)]
    axes.plot(xs, ys, color=value_style["colour"], linestyle=value_style["mpl_dash"], linewidth=1.4,
              marker=value_style["mpl_marker"], markersize=3.2, zorder=3)
    key = [Line2D([], [], color=value_style["colour"], linestyle=value_style["mpl_dash"],
                  marker=value_style["mpl_marker"], markersize=3.2, label="Monthly figure")]
    latest = max((i for i, y in enumerate(ys) if not math.isnan(y)), default=None)
    if latest is not None:
        axes.plot([latest], [ys[latest]], marker="o", markersize=6.5, color=INK, markerfacecolor="white",
                  markeredgewidth=1.6, linestyle="none", zorder=4)
        key.append(Line2D([], [], marker="o", markersize=6, color=INK, markerfacecolor="white",
                          markeredgewidth=1.4, linestyle="none", label="Latest month"))
    if target is not None:
        axes.axhline(_plot_value(unit, target), color=target_style["colour"], linestyle=target_style["mpl_dash"],
                     linewidth=1.0, zorder=2)
        key.append(Line2D([], [], color=target_style["colour"], linestyle=target_style["mpl_dash"],
                          label=f"Target {format_value(unit, target)}"))

    top = _axis(axes, unit, known + ([_plot_value(unit, target)] if target is not None else []))
    _label_points(axes, ys, values, unit, latest, top, None if target is None else _plot_value(unit, target))
    for index, reason in sorted(breaks.items()):
        axes.axvline(index - 0.5, color=INK, linestyle=":", linewidth=1.0)
        axes.annotate("Series break", (index - 0.5, 0), xytext=(-1.5, 3), textcoords="offset points", rotation=90,
                      fontsize=5.5, color=INK, va="bottom", ha="right", zorder=6)

    axes.set_xlim(-0.6, len(values) - 0.4)
    axes.set_xticks(xs, [m.replace(" ", "\n") for m in months], fontsize=6.3)
    axes.tick_params(axis="x", length=2, pad=1.5)
    axes.tick_params(axis="y", labelsize=6.3, length=2, pad=1.5)
    axes.legend(handles=key, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(key), fontsize=6.5,
                handlelength=2.6, borderaxespad=0.2, columnspacing=1.4)


def _axis(axes, unit: str, known: list[float]) -> float:
    """Axes start at zero (no exaggerated swings); percentages run to 100%. Returns the top."""
    if unit == "percent":
        top = 100.0
        axes.set_yticks([0, 25, 50, 75, 100])
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}%"))
    else:
        top = max(known, default=0) or 1.0
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=unit == "count"))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if unit == "count" else f"{v:g}"))
    axes.set_ylim(0, top * 1.18)   # headroom for the values written above the points
    return top * 1.18


def _label_points(axes, ys, values, unit, latest, top, target) -> None:
    """Every value written at its point: above it, unless that would sit on the target line
    or run off the top, then below it."""
    room = top * 0.16   # a label's height, offset included, in data units
    for index, (y, value) in enumerate(zip(ys, values, strict=True)):
        if value is None:
            axes.annotate("no figure", (index, 0), xytext=(0, 3), textcoords="offset points", fontsize=5,
                          color=MUTED, ha="center", va="bottom")
            continue
        emphasise = index == latest
        below = y > top * 0.93 or (target is not None and y <= target <= y + room and y - room > 0)
        lift = 9 if emphasise else 5   # the latest value sits higher, clear of its neighbours' labels
        axes.annotate(format_value(unit, value), (index, y), xytext=(0, -lift - 1 if below else lift),
                      textcoords="offset points", ha="center", va="top" if below else "bottom",
                      fontsize=7.5 if emphasise else 6.4, fontweight="bold" if emphasise else "normal",
                      color=INK, zorder=5, bbox=_HALO)
