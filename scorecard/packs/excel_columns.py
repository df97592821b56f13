"""What each of the workbook's tables holds, column by column: heading, meaning (the About
sheet lists them), width, the value read from a record, and its format. The Scorecard and
Breakdowns tables share their figure, rating and movement columns, read alike from an
`IndicatorFigures` or a `BreakdownFigures`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scorecard.metrics.calendar import Month, to_date
from scorecard.packs.excel_cells import COUNT_FORMAT, WHOLE_NUMBER, Column, Formats
from scorecard.packs.workbook_data import (
    BENCHMARK_STATES,
    COMPARATOR_ORDER,
    HIDDEN,
    NO_FIGURE,
    NOT_APPLICABLE,
    NOT_COMPARED,
    NOT_RANKED,
    OLDER_YEAR,
    RANKED,
    SHOWN,
    Figure,
    WorkbookData,
)
from scorecard.ui.commentary_text import commentary_plain

COMPARATOR_SHORT = {"statistical_neighbours": "SN", "england": "England"}

# --- Columns shared by the Scorecard and Breakdowns sheets: a figure, its counts, its rating
# and its movement, read from an IndicatorFigures or a BreakdownFigures alike.

def _in_unit(formats: Formats, record) -> dict:
    return formats.number(record.unit)


def _state_meaning(what: str) -> str:
    return f"Why {what} is empty, or '{SHOWN}': {HIDDEN}, {NO_FIGURE} or {NOT_APPLICABLE}."


def figure_columns() -> list[Column]:
    counts = {"num_format": COUNT_FORMAT}
    return [
        Column("Value", "The month's figure, in the unit's number format (a percentage is stored as a fraction). "
               "Empty when it is hidden or there is none: see Value state.", lambda r: r.value.value, 11,
               lambda formats, r: dict(formats.number(r.unit), bold=True)),
        Column("Value state", _state_meaning("the value"), lambda r: r.value.state, 12),
        Column("Numerator", "The count the value is made from: children, visits, episodes (for a count, the count "
               "itself).", lambda r: r.numerator.value, 11, counts),
        Column("Numerator state", _state_meaning("the numerator"), lambda r: r.numerator.state, 12),
        Column("Denominator", "The count the numerator is out of (for a rate per 10,000, the child population). "
               "A count has none.", lambda r: r.denominator.value, 12, counts),
        Column("Denominator state", _state_meaning("the denominator"), lambda r: r.denominator.state, 12),
        Column("RAG rating", "Red, amber or green, as a shape and a word on its colour (legible in black and white); "
               "'Too few to rate' or 'Not rated' otherwise.", lambda r: r.rag_text, 15,
               lambda formats, r: formats.rag(r.rag)),
        Column("RAG reason", "What the rating was judged against.", lambda r: r.rag_reason, 30, {"text_wrap": True}),
        Column("Target", "The council's target for the month (green at or beyond it); empty: no target.",
               lambda r: r.target, 10, _in_unit),
    ]


def movement_columns() -> list[Column]:
    return [
        Column("Last month", "The figure a month before, as public outputs show it.", lambda r: r.last_month.value, 11,
               _in_unit),
        Column("Last month state", _state_meaning("last month's figure"), lambda r: r.last_month.state, 12),
        Column("vs last month", "Which way the figure moved since last month (arrow) and whether that is an "
               "improvement (word).", lambda r: r.month_direction_text, 14),
        Column("Same month last year", "The figure twelve months before.", lambda r: r.last_year.value, 12, _in_unit),
        Column("Last year state", _state_meaning("last year's figure"), lambda r: r.last_year.state, 12),
        Column("vs last year", "Movement since the same month last year, as for last month.",
               lambda r: r.year_direction_text, 14),
    ]


def _month_column(data: WorkbookData) -> Column:
    month_end = to_date(Month.parse(data.card.period).last)
    return Column("Month", "The month the figure is for, as its last day (a date).", lambda r: month_end, 12,
                  {"num_format": "mmm yyyy", "align": "left"})


def scorecard_columns(data: WorkbookData) -> list[Column]:
    wrap = {"text_wrap": True}
    columns = [
        theme_column(),
        Column("Indicator", "The indicator, as the scorecard names it.", lambda f: f.label, 46,
               {"text_wrap": True, "bold": True}),
        Column("Indicator id", "The indicator's id in the catalogue: stable, for joining months together.",
               lambda f: f.indicator, 22),
        _month_column(data),
        Column("Unit", "percent, rate_per_10000, days or count.", lambda f: f.unit, 12),
        Column("Polarity", "higher or lower is better, or context (neither).", lambda f: f.row.polarity, 9),
        *figure_columns(),
        Column("Amber from", "Amber from this figure to the target; red beyond it.", lambda f: f.target_amber, 10,
               _in_unit),
        *movement_columns(),
    ]
    for name in COMPARATOR_ORDER:
        columns += comparator_columns(name, COMPARATOR_SHORT.get(name) or data.card.region_name or "Region")
        if name == "statistical_neighbours":
            columns += [
                Column("SN rank", "The council's rank among itself and its statistical neighbours (1 = best).",
                       lambda f: f.neighbour_rank, 8, {"num_format": WHOLE_NUMBER}),
                Column("SN rank of", "How many councils that rank is among.", lambda f: f.neighbour_rank_of, 8,
                       {"num_format": WHOLE_NUMBER})]
    columns += [
        Column("Rank among councils", "The figure's rank among every council's published figure for the year "
               "(1 = best by the indicator's polarity).", lambda f: f.rank, 10, {"num_format": WHOLE_NUMBER}),
        Column("Ranked among", "How many councils' figures it is ranked among.", lambda f: f.rank_of, 10,
               {"num_format": WHOLE_NUMBER}),
        Column("Quartile band", "A (best quarter of councils) to D.", lambda f: f.band, 9),
        Column("Rank year", "The DfE's year the rank is taken in.", lambda f: f.rank_year, 9),
        Column("Rank state", f"'{RANKED}', '{OLDER_YEAR}' (the latest published year is older than the month) or "
               f"'{NOT_RANKED}' (context figure, hidden figure, or nothing published).", lambda f: f.rank_state, 11),
        Column("DfE figure for the council", "The DfE's own published figure for the council.",
               lambda f: f.published.value, 12, _in_unit),
        Column("DfE figure year", "Its year.", lambda f: f.published.year, 9),
        Column("DfE figure state", "Its state, as for the comparators.", lambda f: f.published.state, 12),
        Column("DfE figure note", "Why there is none, or anything unusual about it.", lambda f: f.published.note, 30,
               wrap),
        Column("Difference from DfE figure", "This figure minus the DfE's, at the March the DfE's year ends on "
               "(for a percentage, in percentage points).", lambda f: f.published_difference, 12, _in_unit),
        Column("DfE definition note", "How the DfE's definition differs from the scorecard's.",
               lambda f: f.row.definition_note, 30, wrap),
        Column("Commentary", "The officers' footnote for the month.",
               lambda f: commentary_plain(f.row.commentary.text) if f.row.commentary else None, 60, wrap),
        Column("Commentary by", "Who wrote it.", lambda f: f.row.commentary.author if f.row.commentary else None, 24,
               wrap),
        Column("Commentary written", "When (a date and time).", lambda f: f.commentary_written, 16),
        Column("Caveat", "What to know before reading the figure (incomplete history, children in care only).",
               lambda f: f.row.caveat, 24, wrap),
        Column("Note", "How the figure was made, and why one is missing.", lambda f: f.row.note, 34, wrap),
    ]
    return columns


def comparator_columns(name: str, short: str) -> list[Column]:
    words = {"statistical_neighbours": "the statistical neighbours' average", "england": "England's figure",
             "region": "the region's figure"}[name]
    states = ", ".join(f"'{s}'" for s in (*BENCHMARK_STATES.values(), NOT_COMPARED))
    return [
        Column(f"{short} value", f"{words[0].upper() + words[1:]} (published by the DfE once a year).",
               lambda f: f.benchmarks[name].value, 10, _in_unit),
        Column(f"{short} year", "The DfE's year that figure is for.", lambda f: f.benchmarks[name].year, 9),
        Column(f"{short} state", f"One of {states}: '{OLDER_YEAR}' is the latest published, for an earlier year "
               "than the month.", lambda f: f.benchmarks[name].state, 12),
        Column(f"{short} note", "What the figure is (and for neighbours, which model and average) and anything "
               "missing.", lambda f: f.benchmarks[name].note, 30, {"text_wrap": True}),
    ]


def theme_column() -> Column:
    return Column("Theme", "The theme(s) the indicator sits under.", lambda r: r.themes, 22, {"text_wrap": True})


def breakdown_columns() -> list[Column]:
    return [
        Column("Indicator", "The indicator.", lambda b: b.label, 40, {"text_wrap": True}),
        theme_column(),
        Column("Indicator id", "The indicator's id in the catalogue.", lambda b: b.indicator, 22),
        Column("Unit", "percent, rate_per_10000, days or count.", lambda b: b.unit, 10),
        Column("Breakdown", "What the children are split by.", lambda b: b.breakdown, 16),
        Column("Group", "One group of that split (host councils by name).", lambda b: b.group, 22),
        *figure_columns(),
        *movement_columns(),
        Column("Note", "Why a figure is missing, or anything unusual about it.", lambda b: b.note, 30,
               {"text_wrap": True}),
    ]


@dataclass(frozen=True)
class TrendPoint:
    """One indicator in one month, as a row of the tidy trend table."""
    themes: str
    indicator: str
    label: str
    unit: str
    month: dt.date
    value: Figure
    target: float | None


def trend_points(data: WorkbookData) -> list[TrendPoint]:
    points = []
    for figures in data.indicators:
        trend = data.trends[figures.indicator]
        for period, value, target in zip(data.periods, trend.values, trend.targets, strict=True):
            points.append(TrendPoint(figures.themes, figures.indicator, figures.label, figures.unit,
                                     to_date(Month.parse(period).last), value, target))
    return points


def trend_data_columns() -> list[Column]:
    return [
        theme_column(),
        Column("Indicator", "The indicator.", lambda p: p.label, 40, {"text_wrap": True}),
        Column("Indicator id", "The indicator's id in the catalogue.", lambda p: p.indicator, 22),
        Column("Unit", "percent, rate_per_10000, days or count.", lambda p: p.unit, 10),
        Column("Month", "The month, as its last day (a date).", lambda p: p.month, 11,
               {"num_format": "mmm yyyy", "align": "left"}),
        Column("Value", "The month's public figure in the unit's format; empty when hidden or there is none.",
               lambda p: p.value.value, 11, _in_unit),
        Column("Value state", _state_meaning("the value"), lambda p: p.value.state, 12),
        Column("Target", "The council's target that month; empty: no target.", lambda p: p.target, 10, _in_unit),
    ]


# --- The committee's improvement actions, one row per action as it stands.

@dataclass(frozen=True)
class ActionRecord:
    indicator_label: str
    action: object     # scorecard.metrics.actions.Action


def action_records(data: WorkbookData) -> list[ActionRecord]:
    return [ActionRecord(row.label, action) for row in data.card.rows for action in row.actions]


def action_columns() -> list[Column]:
    date = {"num_format": "d mmm yyyy", "align": "left"}
    wrap = {"text_wrap": True}
    return [
        Column("Reference", "The committee's reference for the action.", lambda r: r.action.reference, 11),
        Column("Indicator", "The indicator it was agreed for.", lambda r: r.indicator_label, 30, wrap),
        Column("Indicator id", "Its id in metrics.yaml.", lambda r: r.action.indicator, 18),
        Column("Action", "What the committee agreed.", lambda r: r.action.action, 50, wrap),
        Column("Owner", "Who is responsible.", lambda r: r.action.owner, 22, wrap),
        Column("Due", "The date it is due (a date).", lambda r: r.action.due, 12, date),
        Column("Status", "Not started, In progress, Delayed, Complete or Dropped.", lambda r: r.action.status_label,
               12),
        Column("Overdue", "Yes when it is open and its due date has passed.",
               lambda r: "Yes" if r.action.overdue else "No", 9),
        Column("Last updated", "The day of its latest update (a date).", lambda r: r.action.updated_on, 12, date),
        Column("Latest update", "What the owner last reported.", lambda r: r.action.latest_update, 50, wrap),
        Column("Versions", "How many dated versions of it are stored (its history).",
               lambda r: len(r.action.history), 9, {"num_format": WHOLE_NUMBER}),
    ]
