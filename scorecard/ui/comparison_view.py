"""The indicator page's "compared with other councils" as plain data: this month's figure
beside the council's ten statistical neighbours, their average, its region and England
(from the DfE's published figures for the year), its rank, its own published figure, and
the published figures over the years."""
from __future__ import annotations

from dataclasses import dataclass

from scorecard.metrics import CouncilMetrics, format_value
from scorecard.metrics.comparators import STATE_WORDS
from scorecard.ui.text import month_label
from scorecard.ui.views import Row, _none


@dataclass(frozen=True)
class Bar:
    name: str
    value: float | None
    value_text: str
    kind: str            # council, neighbour, average, region, england
    detail: str          # a neighbour's closeness, or why there is no figure


@dataclass(frozen=True)
class PublishedYear:
    period: str          # '2024/25'
    values: tuple[float | None, ...]    # the council (published, and from its own data), neighbours, region, England
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Compared:
    year_text: str       # '2024/25, at 31 March 2025'
    bars: tuple[Bar, ...]
    standing_text: str
    published_text: str
    definition_note: str
    source: str
    note: str
    series_names: tuple[str, ...]       # names of PublishedYear.values
    years: tuple[PublishedYear, ...]


def _text(unit: str, value) -> str:
    return format_value(unit, value) if value is not None else "No figure"


def build_compared(metrics: CouncilMetrics, indicator_id: str, period: str, row: Row, record: dict,
                   public: bool = True) -> Compared | None:
    """None when the indicator has no published measure to compare with. `public`: the
    council's own March figures as public outputs show them (small numbers hidden)."""
    indicator = metrics.catalogue.by_id[indicator_id]
    if not indicator.benchmarks or not metrics.published.years.get(indicator_id):
        return None
    unit = indicator.unit.value
    neighbours = next((c for c in row.comparators if c.name == "statistical_neighbours"), None)
    bars = [Bar(f"{metrics.details.name} ({month_label(period)})", row.value, row.value_text, "council", "")]
    for name, value, closeness, state in record.get("statistical_neighbours_members") or ():
        bars.append(Bar(name, value, _text(unit, value) if value is not None else STATE_WORDS.get(state, "No figure"),
                        "neighbour", closeness))
    for cell, kind in ((neighbours, "average"), *((c, c.name) for c in row.comparators if c.name != "statistical_neighbours")):
        if cell is not None and cell.state is not None:
            bars.append(Bar(cell.label, cell.value, _text(unit, cell.value), "england" if kind == "england" else
                            "region" if kind == "region" else "average", cell.note))
    series = metrics.published_series(indicator_id, public=public)
    names = (f"{metrics.details.name} (published)", f"{metrics.details.name} (from its own data, March)",
             "Statistical neighbours", metrics.details.region_name or "Region", "England")
    years = tuple(PublishedYear(r.period, values, tuple(_text(unit, v) for v in values))
                  for r in series.itertuples()
                  for values in [tuple(_none(v) for v in (r.council, r.computed, r.statistical_neighbours, r.region,
                                                         r.england))])
    england = next((c for c in row.comparators if c.name == "england"), None)
    measured = _none(record.get("england_measured")) or ""
    year = _none(record.get("england_period")) or ""
    return Compared(
        year_text=f"{year}, {measured}" if measured else year, bars=tuple(bars), standing_text=row.standing_text,
        published_text=row.published_text, definition_note=row.definition_note,
        source=_none(record.get("england_source")) or "", note=england.note if england else "",
        series_names=names, years=years)

