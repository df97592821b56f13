"""The indicator page as plain data: the trend, the breakdowns, the definition card, where
the figure came from, and the commentary."""
from __future__ import annotations

from dataclasses import dataclass

from scorecard.metrics import CouncilMetrics
from scorecard.metrics.actions import actions_for
from scorecard.metrics.cohorts import BREAKDOWNS
from scorecard.ui.comparison_view import Compared, build_compared
from scorecard.ui.indicator_drilldown import (
    MONTH,
    ROLLING,
    DrilldownChoice,
    GroupTrend,
    TwoWay,
    build_group_trend,
    build_two_way,
    choose_drilldown,
)
from scorecard.ui.text import (
    DATASET_TITLES,
    counts_text,
    date_label,
    direction_text,
    month_label,
    months_text,
    rag_text,
    short_month,
    value_text,
)
from scorecard.ui.views import (
    PUBLIC,
    TREND_MONTHS,
    Comment,
    Row,
    _none,
    _records,
    as_at_text,
    built_once,
    choose_period,
    comments_for,
    make_row,
    marking_for,
    period_notice,
)

POLARITY_WORDS = {"higher": "Higher is better", "lower": "Lower is better",
                  "context": "Context: neither higher nor lower is better"}
RAG_RULE_WORDS = {"target": "Rated against the council's target",
                  "benchmarks": "Rated against England and statistical neighbours",
                  "none": "Not rated"}


@dataclass(frozen=True)
class TrendPoint:
    period: str
    label: str                 # 'Mar 2025'
    value: float | None
    value_text: str
    counts_text: str
    rag: str | None
    rag_text: str
    target: float | None
    england: float | None
    region: float | None
    statistical_neighbours: float | None
    series_break: str


@dataclass(frozen=True)
class BreakdownGroup:
    group: str
    value: float | None
    value_text: str
    counts_text: str
    rag: str | None
    rag_text: str
    month_direction_text: str
    note: str


@dataclass(frozen=True)
class Breakdown:
    name: str
    label: str
    groups: tuple[BreakdownGroup, ...]


@dataclass(frozen=True)
class Extract:
    dataset: str
    first_month: str
    last_month: str
    months_text: str       # 'March 2025', or 'April 2019 to March 2020' for a return
    source_file: str
    loaded: str


@dataclass(frozen=True)
class IndicatorPage:
    id: str
    label: str
    description: str
    unit: str
    polarity_text: str
    rag_rule_text: str
    numerator_text: str
    denominator_text: str
    timescale_text: str
    acronyms: tuple[str, ...]
    period: str
    period_label: str
    as_at_text: str
    row: Row
    trend: tuple[TrendPoint, ...]
    breakdown_names: tuple[tuple[str, str], ...]    # (name, label) of every breakdown offered
    breakdown: Breakdown | None                      # the one chosen
    sources: tuple[str, ...]
    extracts: tuple[Extract, ...]
    comments: tuple[Comment, ...]
    periods: tuple[str, ...]
    compared: Compared | None = None   # against other councils, when published figures exist
    drilldown: DrilldownChoice | None = None  # what the breakdown section shows, from the address
    group_trend: GroupTrend | None = None     # the chosen breakdown over time (view trend or rolling)
    two_way: TwoWay | None = None             # the chosen breakdown crossed with a second one
    notice: str = ""                          # the month asked for could not be shown, and why
    public: bool = True                       # small numbers hidden; else `marking` says so
    marking: str = ""


def build_indicator(metrics: CouncilMetrics, indicator_id: str, period: str | None = None,
                    breakdown: str | None = None, by: str | None = None, view: str | None = None,
                    public: bool = PUBLIC) -> IndicatorPage:
    """KeyError if the catalogue has no such indicator. A breakdown, second breakdown or
    view the indicator does not offer is named in `drilldown.problems`. `public` False
    shows the small numbers (`views.public_for`). Commentary and actions are read fresh;
    the rest is built once for the figures (`views.built_once`)."""
    indicator = metrics.catalogue.by_id[indicator_id]
    asked, period = period, choose_period(metrics, period)
    comment = metrics.latest_commentary(period).get(indicator_id)
    actions = actions_for(metrics.engine, metrics.council, indicator_id)
    comments = tuple(comments_for(metrics, indicator_id, period))
    key = ("indicator", indicator_id, asked, period, breakdown, by, view, public, repr(comment), repr(actions),
           repr(comments))
    return built_once(metrics, key, lambda: _indicator_page(metrics, indicator, asked, period, breakdown, by, view,
                                                            public, comment, actions, comments))


def _indicator_page(metrics: CouncilMetrics, indicator, asked: str | None, period: str, breakdown: str | None,
                    by: str | None, view: str | None, public: bool, comment, actions, comments) -> IndicatorPage:
    indicator_id = indicator.id
    trend = metrics.trend(indicator_id, period, TREND_MONTHS, public=public)
    records = _records(trend)
    # The month's own commentary beside its figure, as on the scorecard.
    row = make_row(records[-1], comment=comment, actions=actions)
    offered = tuple((name, BREAKDOWNS[name].label) for name in indicator.breakdowns)
    drilldown = choose_drilldown(metrics, indicator_id, period, breakdown, by, view)
    chosen = drilldown.breakdown
    rolling = drilldown.view == ROLLING
    return IndicatorPage(
        id=indicator.id, label=indicator.label, description=indicator.description, unit=indicator.unit.value,
        polarity_text=POLARITY_WORDS[indicator.polarity.value], rag_rule_text=RAG_RULE_WORDS[indicator.rag.value],
        numerator_text=indicator.definition.numerator, denominator_text=indicator.definition.denominator or "",
        timescale_text=indicator.definition.timescale, acronyms=tuple(indicator.acronyms),
        period=period, period_label=month_label(period), as_at_text=as_at_text(metrics, period), row=row,
        trend=tuple(_point(r) for r in records), breakdown_names=offered,
        breakdown=_breakdown(metrics, indicator_id, period, chosen, public) if chosen else None,
        sources=tuple(DATASET_TITLES.get(d, d) for d in metrics.source_datasets(indicator_id)),
        extracts=extracts_of(metrics, row.extract_ids),
        comments=comments,
        periods=tuple(reversed(metrics.periods())),
        compared=build_compared(metrics, indicator_id, period, row, records[-1], public), drilldown=drilldown,
        group_trend=build_group_trend(metrics, indicator_id, chosen, period, rolling, public)
        if chosen and drilldown.view != MONTH else None,
        two_way=build_two_way(metrics, indicator_id, chosen, drilldown.by, period, rolling, public)
        if chosen and drilldown.by else None,
        notice=period_notice(asked, period), public=public,
        marking=marking_for(public, metrics.catalogue.defaults.suppress_below))


def extracts_of(metrics: CouncilMetrics, extract_ids) -> tuple[Extract, ...]:
    """The extracts with these ids, as the page lists them: dataset, months, file, when loaded."""
    return tuple(Extract(DATASET_TITLES.get(e.dataset, e.dataset), e.first_month, e.last_month,
                         months_text(e.first_month, e.last_month), e.source_file, date_label(e.loaded_at))
                 for e in metrics.extracts(extract_ids).itertuples())


def _point(record: dict) -> TrendPoint:
    unit, value = record["unit"], _none(record["value"])
    return TrendPoint(
        period=record["period"], label=short_month(record["period"]), value=value,
        value_text=value_text(unit, value, record.get("note") or ""),
        counts_text=counts_text(unit, _none(record["numerator"]), _none(record["denominator"])),
        rag=_none(record["rag"]), rag_text=rag_text(_none(record["rag"])), target=_none(record["target"]),
        england=_none(record["england_value"]), region=_none(record["region_value"]),
        statistical_neighbours=_none(record["statistical_neighbours_value"]),
        series_break=record.get("series_break") or "")


def _breakdown(metrics: CouncilMetrics, indicator_id: str, period: str, name: str, public: bool) -> Breakdown:
    unit = metrics.catalogue.by_id[indicator_id].unit.value
    table = metrics.breakdowns(indicator_id, [period], public=public)
    groups = []
    for r in _records(table[table["breakdown"] == name]):
        value, before = _none(r["value"]), _none(r["last_month"])
        groups.append(BreakdownGroup(
            group=str(r["group"]), value=value, value_text=value_text(unit, value, r.get("note") or ""),
            counts_text=counts_text(unit, _none(r["numerator"]), _none(r["denominator"])),
            rag=_none(r["rag"]), rag_text=rag_text(_none(r["rag"])),
            month_direction_text=direction_text(_none(r["last_month_direction"]), value, before),
            note=r.get("note") or ""))
    return Breakdown(name, BREAKDOWNS[name].label, tuple(groups))
