"""What the analysts' workbook holds, as plain data: every figure a number (or None) with
its state beside it, gathered once from the scorecard view and the metrics API.

The scorecard view (`Row`) carries each figure as the page's text ("209 of 705",
"41.0% (2017/18, older year)"); the workbook needs the numbers behind that text, so they
are read here from the same table the view is built from
(`CouncilMetrics.scorecard(..., public=card.public)`), and the breakdowns from
`CouncilMetrics.breakdowns(..., public=card.public)`: public unless the card was built for
someone who may see the small numbers (and then every sheet says so).

Why a figure is blank is found by asking the metrics layer twice, with and without public
hiding: a figure the full table has and the public one lacks is hidden as a small number,
one neither has does not exist. So the workbook never restates the suppression rule (the
metrics layer owns it) and never writes a hidden figure: the unhidden table is read for
whether a figure exists, nothing more.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from scorecard.metrics import CouncilMetrics, describe
from scorecard.metrics.calendar import Month
from scorecard.metrics.cohorts import BREAKDOWNS
from scorecard.packs.common import trend_periods, trend_values
from scorecard.ui.text import direction_text, rag_text
from scorecard.ui.views import Row, Scorecard

SHOWN = "shown"
HIDDEN = "hidden (small number)"
NO_FIGURE = "no figure"
NOT_APPLICABLE = "not applicable"
NOT_COMPARED = "not compared"
NOT_RANKED = "not ranked"
RANKED = "ranked"
OLDER_YEAR = "older year"
# The DfE's words for its own figures' states, as the workbook writes them.
BENCHMARK_STATES = {"published": "published", "older": OLDER_YEAR, "not_yet_published": "not yet published",
                    "computed": "from neighbours' data"}
COMPARATOR_ORDER = ("statistical_neighbours", "england", "region")


@dataclass(frozen=True)
class Figure:
    """One number as the workbook writes it: the value (None: an empty cell) and its state,
    which says why a cell is empty."""
    value: float | None
    state: str


@dataclass(frozen=True)
class Benchmark:
    value: float | None
    year: str | None          # the DfE's year, '2024/25'
    state: str                # 'published', 'older year', 'not yet published', 'not compared'
    note: str                 # what the figure is and anything unusual about it


@dataclass(frozen=True)
class IndicatorFigures:
    """One row of the Scorecard sheet: the view's row (labels, RAG, words, commentary) and
    the numbers behind its text."""
    row: Row
    themes: str
    value: Figure
    numerator: Figure
    denominator: Figure
    target: float | None
    target_amber: float | None
    last_month: Figure
    last_year: Figure
    benchmarks: dict[str, Benchmark]          # by comparator name, in COMPARATOR_ORDER
    neighbour_rank: int | None                # among the statistical neighbours and the council
    neighbour_rank_of: int | None
    rank: int | None                          # among every council's published figure
    rank_of: int | None
    band: str | None                          # quartile band, A (best quarter) to D
    rank_year: str | None
    rank_state: str
    published: Benchmark                      # the DfE's published figure for this council
    published_difference: float | None
    commentary_written: dt.datetime | None

    # What the Scorecard and Breakdowns sheets' shared columns read, named as on a breakdown group.
    @property
    def indicator(self) -> str:
        return self.row.id

    @property
    def label(self) -> str:
        return self.row.label

    @property
    def unit(self) -> str:
        return self.row.unit

    @property
    def rag(self) -> str | None:
        return self.row.rag

    @property
    def rag_text(self) -> str:
        return self.row.rag_text

    @property
    def rag_reason(self) -> str:
        return _reason_unless_hidden(self.row.rag_reason, self.value)

    @property
    def month_direction_text(self) -> str:
        return self.row.month_direction_text

    @property
    def year_direction_text(self) -> str:
        return self.row.year_direction_text


@dataclass(frozen=True)
class BreakdownFigures:
    """One group of one breakdown of one indicator, in the pack's month."""
    indicator: str
    label: str
    unit: str
    breakdown: str            # its label: 'Age band'
    group: str
    numerator: Figure
    denominator: Figure
    value: Figure
    rag: str | None
    rag_text: str
    rag_reason: str
    target: float | None
    last_month: Figure
    month_direction_text: str
    last_year: Figure
    year_direction_text: str
    note: str
    themes: str = ""


@dataclass(frozen=True)
class TrendFigures:
    """An indicator's 13 months, oldest first, and its target in each (None: no target)."""
    row: Row
    values: tuple[Figure, ...]
    targets: tuple[float | None, ...]


@dataclass(frozen=True)
class Source:
    """The extracts of one dataset from one file name that the month's figures come from."""
    dataset: str
    file: str
    months: str               # 'April 2024 to March 2025'
    extracts: int
    as_at: dt.date | None     # the newest extract's
    loaded_at: dt.datetime | None


@dataclass(frozen=True)
class WorkbookData:
    card: Scorecard
    as_at: dt.date
    suppress_below: int
    indicators: tuple[IndicatorFigures, ...]
    breakdowns: tuple[BreakdownFigures, ...]
    trends: dict[str, TrendFigures]           # by indicator id
    periods: tuple[str, ...]                  # the trend sheets' months, oldest first
    sources: tuple[Source, ...] = ()


def workbook_data(card: Scorecard, metrics: CouncilMetrics) -> WorkbookData:
    """Everything the workbook writes for the card's month, from the same public figures as the card."""
    shown = {r["indicator"]: r for r in _records(metrics.scorecard(card.period, card.framework, card.theme,
                                                                     public=card.public))}
    full = {r["indicator"]: r for r in _records(metrics.scorecard(card.period, card.framework, card.theme))}
    written = {key: c.get("written_at") for key, c in metrics.latest_commentary(card.period).items()}
    themes = _themes_of(card)
    indicators = tuple(indicator_figures(row, shown[row.id], full[row.id], themes.get(row.id, ""),
                                         written.get(row.id) if row.commentary else None)
                       for row in card.rows)
    periods = tuple(trend_periods(card))
    history = metrics.history(periods[-1], len(periods))
    history = dict(zip(zip(history["indicator"], history["period"], strict=True), history["value"], strict=True))
    return WorkbookData(
        card=card, as_at=metrics.as_at(card.period)["month_end"],
        suppress_below=metrics.catalogue.defaults.suppress_below, indicators=indicators,
        breakdowns=tuple(b for row in card.rows
                         for b in breakdown_figures(metrics, row, card.period, themes.get(row.id, ""), card.public)),
        trends={row.id: trend_figures(metrics, row, periods, history) for row in card.rows}, periods=periods,
        sources=sources(metrics, {i for row in card.rows for i in row.extract_ids}))


def figure(public, full, applies: bool = True) -> Figure:
    """The public number and why it may be missing: hidden when only the full table has it."""
    public, full = _number(public), _number(full)
    if not applies:
        return Figure(None, NOT_APPLICABLE)
    if public is not None:
        return Figure(public, SHOWN)
    return Figure(None, HIDDEN if full is not None else NO_FIGURE)


def indicator_figures(row: Row, shown: dict, full: dict, themes: str,
                      written: dt.datetime | None = None) -> IndicatorFigures:
    counted = row.unit != "count"          # a count has no denominator: the value is the count
    value = figure(shown.get("value"), full.get("value"))
    # A rank of a hidden figure would tell the figure: shown only beside a figure shown.
    ranked = value.value is not None
    rank = _int(shown.get("rank")) if ranked else None
    rank_of = _int(shown.get("rank_of")) if ranked else None
    return IndicatorFigures(
        row=row, themes=themes, value=value,
        numerator=figure(shown.get("numerator"), full.get("numerator")),
        denominator=figure(shown.get("denominator"), full.get("denominator"), applies=counted),
        target=_number(shown.get("target")), target_amber=_number(shown.get("target_amber")),
        last_month=figure(shown.get("last_month"), full.get("last_month")),
        last_year=figure(shown.get("last_year"), full.get("last_year")),
        benchmarks={name: benchmark(shown, name) for name in COMPARATOR_ORDER},
        neighbour_rank=_int(shown.get("statistical_neighbours_rank")) if ranked else None,
        neighbour_rank_of=_int(shown.get("statistical_neighbours_rank_of")) if ranked else None,
        rank=rank, rank_of=rank_of, band=_none(shown.get("band")) if rank else None,
        rank_year=_none(shown.get("rank_period")) if rank else None,
        rank_state=(OLDER_YEAR if _none(shown.get("rank_older")) else RANKED) if rank else NOT_RANKED,
        published=Benchmark(_number(shown.get("published_value")), _none(shown.get("published_period")),
                            _benchmark_state(shown.get("published_state"), shown.get("published_value"),
                                             shown.get("published_note")),
                            shown.get("published_note") or ""),
        published_difference=_number(shown.get("published_difference")), commentary_written=_datetime(written))


def benchmark(record: dict, name: str) -> Benchmark:
    value = _number(record.get(f"{name}_value"))
    notes = [_none(record.get(f"{name}_{field}")) or "" for field in ("name", "measured", "note")]
    return Benchmark(value, _none(record.get(f"{name}_period")),
                     _benchmark_state(record.get(f"{name}_state"), value, record.get(f"{name}_note")),
                     "; ".join(n for n in notes if n))


def breakdown_figures(metrics: CouncilMetrics, row: Row, period: str, themes: str = "",
                      public: bool = True) -> list[BreakdownFigures]:
    """Every group of every breakdown the indicator offers, in the month, as public outputs show it.

    A group's last month (and last year) is written only where that month's public
    breakdown shows the group: a count of 4 a month ago identifies a child as surely as one
    today, and the breakdowns' own `last_month` is not hidden for it."""
    month = Month.parse(period)
    earlier = {"last_month": month.shift(-1).period, "last_year": month.shift(-12).period}
    wanted = [period, *earlier.values()]
    shown = _records(metrics.breakdowns(row.id, wanted, public=public))
    if not shown:
        return []
    shown_by = {_group_key(r): r for r in shown}
    full = {_group_key(r): r for r in _records(metrics.breakdowns(row.id, [period]))}
    counted = row.unit != "count"
    groups = []
    for record in (r for r in shown if r["period"] == period):
        other = full.get(_group_key(record), {})
        value = figure(record.get("value"), other.get("value"))
        before: dict[str, Figure] = {}
        for name, earlier_period in earlier.items():
            then = shown_by.get((earlier_period, record["breakdown"], record["group"]), {})
            public = record.get(name) if _number(then.get("value")) is not None else None
            before[name] = figure(public, other.get(name))
        rag = _none(record.get("rag"))
        name = str(record["breakdown"])
        groups.append(BreakdownFigures(
            indicator=row.id, label=row.label, unit=row.unit,
            breakdown=BREAKDOWNS[name].label if name in BREAKDOWNS else describe(name).capitalize(),
            group=str(record["group"]), numerator=figure(record.get("numerator"), other.get("numerator")),
            denominator=figure(record.get("denominator"), other.get("denominator"), applies=counted),
            value=value, rag=rag, rag_text=rag_text(rag),
            rag_reason=_reason_unless_hidden(record.get("rag_reason") or "", value),
            target=row.target,
            last_month=before["last_month"],
            month_direction_text=_movement(record.get("last_month_direction"), value, before["last_month"]),
            last_year=before["last_year"],
            year_direction_text=_movement(record.get("last_year_direction"), value, before["last_year"]),
            note=_none(record.get("note")) or "", themes=themes))
    return groups


def _reason_unless_hidden(reason: str, value: Figure) -> str:
    """The rating's reason, unless the figure is hidden: its rating is hidden too, and a
    reason such as 'too few to rate: fewer than 10' would tell the hidden count's size."""
    return "" if value.state == HIDDEN else reason


def _movement(state, now: Figure, before: Figure) -> str:
    """'↑ Improving', or nothing when either figure is not shown (the arrow would hint at it)."""
    if now.value is None or before.value is None:
        return ""
    return direction_text(_none(state), now.value, before.value)


def trend_figures(metrics: CouncilMetrics, row: Row, periods: tuple[str, ...],
                  full: dict[tuple[str, str], float | None]) -> TrendFigures:
    """The row's sparkline (the card's public figures), with each blank month's reason (from
    `full`, every figure by (indicator, period) before hiding) and the target of each month
    (targets can change from one month to the next)."""
    indicator = metrics.catalogue.by_id[row.id]
    targets = tuple(target.green if (target := metrics.target_for(indicator, p)) else None for p in periods)
    return TrendFigures(row, tuple(figure(value, full.get((row.id, period)))
                                   for period, value in zip(periods, trend_values(row, list(periods)), strict=True)),
                        targets)


def sources(metrics: CouncilMetrics, extract_ids: set[int]) -> tuple[Source, ...]:
    """The extracts behind the figures, one line per dataset and file (a rolling 12-month
    figure comes from twelve monthly files of one name)."""
    from scorecard.ui.text import DATASET_TITLES, months_text

    extracts = metrics.extracts(extract_ids)
    found = []
    for (dataset, file), group in extracts.groupby(["dataset", extracts["source_file"].fillna("")], sort=True):
        found.append(Source(DATASET_TITLES.get(dataset, dataset), file,
                            months_text(group["first_month"].min(), group["last_month"].max()), len(group),
                            _date(group["as_at"].max()), _datetime(group["loaded_at"].max())))
    return tuple(found)


def _themes_of(card: Scorecard) -> dict[str, str]:
    themes: dict[str, list[str]] = {}
    for group in card.groups:
        for row in group.rows:
            themes.setdefault(row.id, []).append(group.label)
    return {key: "; ".join(labels) for key, labels in themes.items()}


def _records(table) -> list[dict]:
    return table.to_dict("records") if len(table) else []


def _none(value):
    """NaN and pandas' missing markers as None."""
    if value is None or isinstance(value, (tuple, list)):
        return value
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def _group_key(record: dict) -> tuple:
    return record["period"], record["breakdown"], record["group"]


def _benchmark_state(state, value, note) -> str:
    """The state of a published figure; without one, 'no figure' when the note says why
    (the council is not in the DfE's figures, has no neighbours), else 'not compared'."""
    state = _none(state)
    if not state:
        return NO_FIGURE if _none(note) else NOT_COMPARED
    if _number(value) is None and state != "not_yet_published":
        return NO_FIGURE
    return BENCHMARK_STATES.get(state, describe(state))


def _number(value) -> float | None:
    value = _none(value)
    return None if value is None or isinstance(value, bool) else float(value)


def _int(value) -> int | None:
    value = _number(value)
    return None if value is None else int(value)


def _datetime(value) -> dt.datetime | None:
    value = _none(value)
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def _date(value) -> dt.date | None:
    value = _datetime(value)
    return value.date() if value else None
