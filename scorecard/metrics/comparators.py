"""What a council's monthly figure is compared with: the DfE's published figures for
England, its region, its statistical neighbours, and every council (its rank and
quartile band), and the figure the DfE published for the council itself.

The DfE's figures are for years ending 31 March (2025 is 2024/25). A month is compared
with the year that covers it; when that year is not published yet, with the latest
earlier one, saying so; when there is none, the state is "not yet published", never a
blank. Of the measures feeding an indicator, a year is read from the first listed in
`published_measures.yaml` that has it, and from that measure's latest release (a later
release revises earlier years): one source per year, so a rank never mixes two.

The neighbour figure is the mean of the neighbours' published values (as LAIT) or their
median (as the DfE's children's social care dashboard), and says which, of how many
neighbours, in which model. Rank: 1 is the best by the indicator's polarity, ties share
the better rank, "of N" counts the councils with a published value and this one. Bands
as LAIT: quartiles of every council's published value (numpy's default, R's type 7), A
the best quarter; measures LAIT does not band, and context figures, are not banded.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from scorecard import councils, measures, store
from scorecard.metrics.calendar import Month, to_date

PUBLISHED = "published"
OLDER = "older"
NOT_YET_PUBLISHED = "not_yet_published"
FROM_DATA = "computed"
MEAN, MEDIAN = "mean", "median"
STATE_WORDS = {"suppressed": "suppressed (a small number)", "rounds_to_zero": "rounds to zero",
               "not_available": "not available", "not_applicable": "not applicable"}


@dataclass(frozen=True)
class Comparison:
    comparator: str
    state: str | None
    value: float | None = None
    period: str | None = None      # the DfE's year, '2024/25'
    source: str = ""               # 'la_cla_placement_stability.csv.gz (release with 2025)'
    note: str = ""
    rank: int | None = None
    rank_of: int | None = None
    name: str = ""                 # 'England', 'East Midlands', 'Statistical neighbours (mean of 10, 2025 model)'
    measured: str = ""             # 'at 31 March 2025'
    members: tuple = ()            # neighbours: (name, value or None, closeness, state) closest first


@dataclass(frozen=True)
class Standing:
    """Where a figure would stand among every council's published figures for the year."""
    rank: int | None
    of: int
    band: str | None               # A (best quarter) to D; None when not banded
    period: str
    note: str = ""
    older: bool = False            # ranked among the latest year published, older than the month's


def year_label(year: int) -> str:
    return f"{year - 1}/{str(year)[-2:]}"


def covering_year(month: Month) -> int:
    """The year ending 31 March whose twelve months include the month."""
    end = to_date(month.last)
    return end.year if end.month <= 3 else end.year + 1


def measured_text(measured: str, year: int) -> str:
    """'at 31 March' + 2025 -> 'at 31 March 2025'; 'in the year to 31 March' likewise."""
    return measured.replace("31 March", f"31 March {year}", 1) if "31 March" in measured else \
        f"{measured} ({year_label(year)})"


_published_kept: dict[tuple, tuple[tuple, "PublishedFigures"]] = {}
_published_lock = threading.Lock()


def published_figures(conn: Connection, indicators: Sequence[str]) -> PublishedFigures:
    """Every area's published figures for these indicators, read on `conn` (a snapshot).

    They change only when a release is imported, whatever council is loaded: one copy per
    process is shared by every council's metrics and read again only after an import (it
    is tens of thousands of rows, and building it was most of a worker's first request
    after a load)."""
    key = (str(conn.engine.url), tuple(indicators))
    state = store.published_state(conn)
    with _published_lock:
        kept = _published_kept.get(key)
        if kept is not None and kept[0] == state:
            return kept[1]
    figures = PublishedFigures(pd.DataFrame(store.published_rows(conn, list(indicators))))
    with _published_lock:
        _published_kept[key] = (state, figures)
    return figures


class PublishedFigures:
    """The published figures of every area, chosen as the module says, for lookups by
    indicator, year and area."""

    def __init__(self, rows: pd.DataFrame):
        self._by: dict[tuple[str, int], dict[str, dict]] = {}
        self._council_values: dict[tuple[str, int], dict[str, float]] = {}
        self.years: dict[str, list[int]] = {}
        if rows.empty:
            return
        order = measures.priority()
        rows = rows[rows["level"].isin(["national", "regional", "local_authority"])].copy()
        rows["priority"] = rows["measure"].map(order).fillna(len(order))
        published = rows[rows["state"] == PUBLISHED]
        best = published.groupby(["indicator", "year"])["priority"].min().rename("best")
        rows = rows.join(best, on=["indicator", "year"])
        rows = rows[rows["priority"] == rows["best"]]
        rows = rows.sort_values(["latest_year", "release_id", "id"]).drop_duplicates(
            ["indicator", "year", "area_code"], keep="last")
        for (indicator, year), group in rows.groupby(["indicator", "year"]):
            self._by[(indicator, int(year))] = {r["area_code"]: r for r in group.to_dict("records")}
        for indicator, year in self._by:
            self.years.setdefault(indicator, []).append(year)
        for years in self.years.values():
            years.sort()

    def year_for(self, indicator: str, month: Month) -> tuple[int | None, str, str]:
        """(year, state, note) for the month: its covering year, an older one, or none."""
        wanted = covering_year(month)
        years = self.years.get(indicator, [])
        if wanted in years:
            return wanted, PUBLISHED, ""
        earlier = [y for y in years if y < wanted]
        if earlier:
            return earlier[-1], OLDER, f"latest published is {year_label(earlier[-1])}, older than {month.period}"
        return None, NOT_YET_PUBLISHED, "not yet published for this period"

    def figure(self, indicator: str, year: int, area: str) -> dict | None:
        return self._by.get((indicator, year), {}).get(area)

    def council_values(self, indicator: str, year: int) -> dict[str, float]:
        """Every council's published value for the year, by ONS code (kept: every row of a
        trend ranks against the same year's values)."""
        key = (indicator, year)
        if key not in self._council_values:
            self._council_values[key] = {
                code: row["value"] for code, row in self._by.get(key, {}).items()
                if row["level"] == "local_authority" and row["state"] == PUBLISHED and row["value"] == row["value"]}
        return self._council_values[key]


def _source(row: dict) -> str:
    return f"{row['source_file']} (release with {int(row['latest_year'])})"


def _measure(indicator: str, row: dict | None) -> measures.Measure | None:
    found = [m for m in measures.for_indicator(indicator) if row is not None and m.key == row["measure"]]
    return found[0] if found else None


def area_comparison(published: PublishedFigures, indicator: str, month: Month, comparator: str, area: str,
                    name: str) -> Comparison:
    """England's or a region's published figure for the month."""
    year, state, note = published.year_for(indicator, month)
    if year is None:
        return Comparison(comparator, NOT_YET_PUBLISHED, note=note, name=name)
    row = published.figure(indicator, year, area)
    if row is None:
        return Comparison(comparator, NOT_YET_PUBLISHED, period=year_label(year), name=name,
                          note=f"no figure for {name} in {year_label(year)}")
    measure = _measure(indicator, row)
    measured = measured_text(measure.measured, year) if measure else year_label(year)
    if row["state"] != PUBLISHED:
        return Comparison(comparator, NOT_YET_PUBLISHED, period=year_label(year), source=_source(row), name=name,
                          measured=measured, note=f"{name} {year_label(year)}: {STATE_WORDS.get(row['state'], row['state'])}")
    return Comparison(comparator, state, float(row["value"]), year_label(year), _source(row), note, name=name,
                      measured=measured)


def neighbour_comparison(published: PublishedFigures, indicator: str, month: Month, council_code: str,
                         model: str, average: str) -> Comparison:
    """The mean or median of the council's statistical neighbours' published figures."""
    group = councils.neighbours(council_code, model)
    label = f"Statistical neighbours ({average} of {len(group)}, {model} model)"
    if not group:
        return Comparison("statistical_neighbours", None, name=label,
                          note=f"{councils.council(council_code).name} has no neighbours in {councils.MODEL_NAMES[model]}")
    year, state, note = published.year_for(indicator, month)
    if year is None:
        return Comparison("statistical_neighbours", NOT_YET_PUBLISHED, note=note, name=label)
    members, values, first = [], [], None
    for neighbour in group:
        row = published.figure(indicator, year, neighbour.code)
        usable = row is not None and row["state"] == PUBLISHED and row["value"] == row["value"]
        members.append((neighbour.name, float(row["value"]) if usable else None, neighbour.closeness,
                        row["state"] if row is not None else "not_available"))
        if usable:
            values.append(float(row["value"]))
            first = first or row
    if not values:
        return Comparison("statistical_neighbours", NOT_YET_PUBLISHED, period=year_label(year), name=label,
                          members=tuple(members), note=f"none of the {len(group)} neighbours has a published "
                          f"figure for {year_label(year)}")
    value = float(np.median(values)) if average == MEDIAN else float(np.mean(values))
    label = f"Statistical neighbours ({average} of {len(values)} of {len(group)}, {model} model)" \
        if len(values) < len(group) else label
    parts = [note] if note else []
    if len(values) < len(group):
        missing = [name for name, v, _, _ in members if v is None]
        parts.append(f"{len(values)} of the {len(group)} neighbours have a published figure "
                     f"(not: {', '.join(missing)})")
    measure = _measure(indicator, first)
    return Comparison("statistical_neighbours", state, value, year_label(year), _source(first), "; ".join(parts),
                      name=label, measured=measured_text(measure.measured, year) if measure else "",
                      members=tuple(members))


def standing(published: PublishedFigures, indicator: str, month: Month, council_code: str, value: float | None,
             higher_is_better: bool | None) -> Standing | None:
    """The figure's rank and band among every other council's published figure for the
    month's year (None when it is not ranked: a context figure, no figure, none published)."""
    if value is None or higher_is_better is None:
        return None
    year, state, _ = published.year_for(indicator, month)
    if year is None:
        return None
    everyone = published.council_values(indicator, year)
    others = np.array([v for code, v in everyone.items() if code != council_code])
    if not len(others):
        return None
    better = (others > value) if higher_is_better else (others < value)
    rank = int(better.sum()) + 1
    measure = _measure(indicator, published.figure(indicator, year, next(iter(everyone))))
    band = None
    if measure is None or measures.banded(measure):
        q25, q50, q75 = np.quantile(np.array(list(everyone.values())), [0.25, 0.5, 0.75])
        low_band = "ABCD" if not higher_is_better else "DCBA"
        band = low_band[0] if value <= q25 else low_band[1] if value <= q50 else low_band[2] if value <= q75 \
            else low_band[3]
    return Standing(rank, len(others) + 1, band, year_label(year),
                    f"among every council's published figure for {year_label(year)}", state == OLDER)


def own_published(published: PublishedFigures, indicator: str, month: Month, council_code: str) -> Comparison:
    """The figure the DfE published for the council for the month's year."""
    name = councils.council(council_code).name
    if councils.council(council_code).compared_as:
        return Comparison("published", None, name=name, note=f"{name} is not in the DfE's published figures")
    return area_comparison(published, indicator, month, "published", council_code, name)


def neighbour_average(values: dict[str, tuple[float | None, float | None]], unit_ratio, own: float | None,
                      higher_is_better: bool | None) -> Comparison | None:
    """Pooled value of the neighbours with data in the store (sum of numerators over sum
    of denominators, as for any ratio here) and the council's rank among them and itself.

    `values` maps each neighbour to its (numerator, denominator) for the month.
    """
    usable = {code: nd for code, nd in values.items() if nd[0] is not None}
    if not usable:
        return None
    numerator = sum(n for n, _ in usable.values())
    denominators = [d for _, d in usable.values()]
    denominator = None if any(d is None for d in denominators) else sum(denominators)
    average = unit_ratio(numerator, denominator)
    if average is None:
        return None
    rank = rank_of = None
    if own is not None and higher_is_better is not None:
        others = [unit_ratio(n, d) for n, d in usable.values()]
        everyone = np.array([v for v in others if v is not None] + [own])
        better = (everyone > own) if higher_is_better else (everyone < own)
        rank, rank_of = int(better.sum()) + 1, len(everyone)
    return Comparison("statistical_neighbours", FROM_DATA, average, None, "", f"computed from {len(usable)} "
                      "neighbours' data in this store", rank, rank_of,
                      name=f"Statistical neighbours (pooled from {len(usable)} councils' own data)")
