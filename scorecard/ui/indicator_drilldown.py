"""The indicator page's drill-down as plain data: what the address asks for, checked; a
breakdown's groups over time (month by month or rolling 12 months); and two breakdowns
crossed for the month. Public figures only: hidden cells say so.

    /indicator/iha_in_timescale?period=2025-03&breakdown=district&by=age_band&view=rolling
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from scorecard.metrics import CouncilMetrics
from scorecard.metrics.cohorts import BREAKDOWNS
from scorecard.metrics.compute import TOTAL
from scorecard.metrics.drilldown import (
    ROLLING_MONTHS,
    TREND_MONTHS,
    Figure,
    rolling_refusal,
)
from scorecard.ui.text import counts_text, month_label, short_month, value_text

MONTH, TREND, ROLLING = "month", "trend", "rolling"
VIEW_LABELS = {MONTH: "This month", TREND: f"Month by month ({TREND_MONTHS} months)",
               ROLLING: f"Rolling 12 months ({TREND_MONTHS} months)"}
ALL = "All"
NO_SECOND = "none"    # the form's "no second breakdown": a value, so the choice never shows blank


def indicator_query(period: str | None, breakdown: str | None, by: str | None, view: str | None) -> str:
    """The indicator page's address query for the form's choices; empty ones left out."""
    chosen = (("period", period), ("breakdown", breakdown), ("by", None if by == NO_SECOND else by), ("view", view))
    return urlencode({key: value for key, value in chosen if value})


@dataclass(frozen=True)
class DrilldownChoice:
    """What the drill-down shows, from the address: each value checked, and what could
    not be used said in words on the page rather than silently replaced."""
    breakdown: str | None
    by: str | None
    view: str
    views: tuple[tuple[str, str], ...]    # (view, label) offered for this indicator
    problems: tuple[str, ...]
    view_note: str                        # why rolling is shown (or why it is not offered)


def choose_drilldown(metrics: CouncilMetrics, indicator_id: str, period: str, breakdown: str | None,
                     by: str | None, view: str | None) -> DrilldownChoice:
    indicator = metrics.catalogue.by_id[indicator_id]
    offered = indicator.breakdowns
    problems = []
    chosen = breakdown if breakdown in offered else (offered[0] if offered else None)
    if breakdown and breakdown not in offered:
        problems.append(f"This indicator has no breakdown \u201c{breakdown}\u201d"
                        + (f"; showing {BREAKDOWNS[chosen].label.lower()} instead." if chosen else "."))
    second = by if by and by != NO_SECOND else None
    if second is not None and (second not in offered or second == chosen):
        problems.append(f"\u201c{second}\u201d cannot be the second breakdown here"
                        + (": it is the first one." if second == chosen else ": this indicator has no such breakdown.")
                        + " Showing one breakdown only.")
        second = None
    refusal = rolling_refusal(indicator)
    views = tuple((v, label) for v, label in VIEW_LABELS.items() if v != ROLLING or not refusal)
    opens_rolling, why = metrics.drilldown.opens_rolling(indicator, period)
    note = ""
    if view is None or view == "":
        shown = ROLLING if opens_rolling else MONTH
        note = why if opens_rolling else ""
    elif view not in VIEW_LABELS:
        shown = ROLLING if opens_rolling else MONTH
        problems.append(f"There is no view \u201c{view}\u201d; the views are {', '.join(VIEW_LABELS)}. "
                        f"Showing {VIEW_LABELS[shown].lower()}.")
    elif view == ROLLING and refusal:
        shown = TREND
        problems.append(f"A rolling 12-month view is not offered for this indicator: {refusal}. Showing month by "
                        "month instead.")
    else:
        shown = view
        note = why if view == ROLLING else ""
    return DrilldownChoice(chosen, second, shown, views, tuple(problems), note)


@dataclass(frozen=True)
class Cell:
    value: float | None
    value_text: str       # '77.8%', 'Hidden (small number)', 'No figure'
    counts_text: str      # '7 of 9'
    note: str             # why there is no value; beside a value, what to know before reading it

    @property
    def text(self) -> str:
        if self.value is None:
            return self.value_text
        text = f"{self.value_text} ({self.counts_text})" if self.counts_text else self.value_text
        return f"{text}; incomplete history" if self.note.startswith("history incomplete") else text


def cell(unit: str, figure: Figure) -> Cell:
    shown = figure.value is not None
    return Cell(figure.value, value_text(unit, figure.value, figure.note),
                counts_text(unit, figure.numerator, figure.denominator) if shown else "", figure.note)


@dataclass(frozen=True)
class GroupLine:
    group: str
    cells: tuple[Cell, ...]     # one per month, oldest first


@dataclass(frozen=True)
class GroupTrend:
    label: str                  # 'District'
    rolling: bool
    heading: str
    periods: tuple[str, ...]
    month_labels: tuple[str, ...]
    whole: GroupLine            # the figure itself, for reference
    lines: tuple[GroupLine, ...]
    charted: tuple[str, ...]    # the groups drawn (the largest), the rest in the table only
    caveats: tuple[str, ...] = ()  # 'March 2024: history incomplete for ...', for figures shown with one


MAX_LINES = 6  # more lines than this cannot be told apart in black and white


def build_group_trend(metrics: CouncilMetrics, indicator_id: str, breakdown: str, period: str,
                      rolling: bool, public: bool) -> GroupTrend:
    unit = metrics.catalogue.by_id[indicator_id].unit.value
    series = metrics.drilldown.series(indicator_id, breakdown, period, TREND_MONTHS, rolling=rolling, public=public)

    def line(group, name: str) -> GroupLine:
        return GroupLine(name, tuple(cell(unit, series.figures[(group, p)]) for p in series.periods))

    lines = tuple(line(g, str(g)) for g in series.groups)
    # The largest groups are drawn: sized by what public outputs show of them.
    size = {g: sum((series.figures[(g, p)].denominator or series.figures[(g, p)].numerator or 0)
                   for p in series.periods) for g in series.groups}
    charted = tuple(str(g) for g in sorted(series.groups, key=lambda g: -size[g])[:MAX_LINES])
    label = BREAKDOWNS[breakdown].label
    span = f"{month_label(series.periods[0])} to {month_label(series.periods[-1])}"
    heading = (f"By {label.lower()}, rolling 12 months, {span}" if rolling
               else f"By {label.lower()}, month by month, {span}")
    whole = line(TOTAL, ALL)
    caveats = tuple(f"{month_label(p)}: {c.note}" for p, c in zip(series.periods, whole.cells, strict=True)
                    if c.value is not None and c.note.startswith("history incomplete"))
    return GroupTrend(label, rolling, heading, series.periods, tuple(short_month(p) for p in series.periods),
                      whole, lines, tuple(g for g in (str(x) for x in series.groups) if g in charted), caveats)


@dataclass(frozen=True)
class TwoWay:
    rows_label: str
    columns_label: str
    heading: str
    row_groups: tuple[str, ...]
    column_groups: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]      # [row][column]
    row_margins: tuple[Cell, ...]
    column_margins: tuple[Cell, ...]
    total: Cell
    notes: tuple[str, ...]


def build_two_way(metrics: CouncilMetrics, indicator_id: str, rows: str, columns: str, period: str,
                  rolling: bool, public: bool) -> TwoWay:
    unit = metrics.catalogue.by_id[indicator_id].unit.value
    table = metrics.drilldown.crossed(indicator_id, rows, columns, period, rolling=rolling, public=public)
    when = f"the {ROLLING_MONTHS} months to {month_label(period)}" if rolling else month_label(period)
    return TwoWay(
        BREAKDOWNS[rows].label, BREAKDOWNS[columns].label,
        f"By {BREAKDOWNS[rows].label.lower()} and {BREAKDOWNS[columns].label.lower()}, {when}",
        tuple(map(str, table.row_groups)), tuple(map(str, table.column_groups)),
        tuple(tuple(cell(unit, table.cells[(r, c)]) for c in table.column_groups) for r in table.row_groups),
        tuple(cell(unit, table.row_margins[r]) for r in table.row_groups),
        tuple(cell(unit, table.column_margins[c]) for c in table.column_groups),
        cell(unit, table.total), table.notes)
