"""The metrics API the web app and `scorecard report` use: tidy tables, no Dash.

`council_metrics(engine, council)` computes every indicator for every month once and
keeps the result until the store changes (a new upload or benchmark release): page
views read the cached tables rather than recomputing. Breakdowns are computed when
asked for, one indicator at a time.
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd
from sqlalchemy.engine import Engine

from scorecard import councils, measures, settings, store
from scorecard.metrics import figure_sets
from scorecard.metrics.calendar import Month, to_date
from scorecard.metrics.catalogue import (
    Catalogue,
    Comparator,
    Indicator,
    Polarity,
    Target,
)
from scorecard.metrics.cohorts import COHORTS
from scorecard.metrics.comparators import (
    Comparison,
    Standing,
    area_comparison,
    neighbour_average,
    neighbour_comparison,
    own_published,
    published_figures,
    standing,
)
from scorecard.metrics.compute import TOTAL, compute, ratio
from scorecard.metrics.disclosure import PRIMARY, Decision, is_small
from scorecard.metrics.drilldown import Drilldown
from scorecard.metrics.drilldown_disclosure import PublicRule
from scorecard.metrics.figure_sets import FigureSet
from scorecard.metrics.formatting import format_value
from scorecard.metrics.rating import (
    AMBER,
    GREEN,
    NOT_RATED,
    RED,
    Rating,
    direction,
    rate,
)
from scorecard.metrics.records import Records, load_records
from scorecard.metrics.suppression import decide, figure_key, suppression_notes
from scorecard.metrics.targets import council_targets

COMPARATORS = [c.value for c in Comparator]
RATED = (GREEN, AMBER, RED)
MAX_BREAKDOWNS_KEPT = 512


class CouncilMetrics:
    """One council's computed indicators, with the benchmarks to judge them by."""

    # False: the old rule (small numbers only, none hidden beside them), kept for the
    # checker's own test: that it finds what the old rule let through.
    complementary_suppression = True

    def __init__(self, engine: Engine, council_code: str, catalogue: Catalogue,
                 neighbour_values: dict[str, pd.DataFrame] | None = None, figures: FigureSet | None = None):
        self.engine, self.council, self.catalogue = engine, council_code, catalogue
        # The figures, the extracts they came from, the benchmarks and the targets read in
        # one snapshot, so a load committing meanwhile cannot mix two states on one page.
        with store.snapshot_connection(engine) as conn:
            figures = figures or figure_sets.read(conn, council_code, catalogue)
            self.published = published_figures(conn, [i.id for i in catalogue.indicators])
            self.targets = council_targets(conn, council_code)
        # None: no kept set matches the current extracts (the load's refresh did not run).
        self.figure_set = figures or figure_sets.computed(engine, council_code, catalogue)
        if self.figure_set.records is not None:
            self.__dict__["records"] = self.figure_set.records
        self.values = self.figure_set.values
        self.extract_table = self.figure_set.extracts
        self.neighbour_model, self.neighbour_average = settings.neighbour_model(), settings.neighbour_average()
        self.details = councils.council(council_code)
        self.neighbour_values = neighbour_values or {}
        # Page views read single figures many times: plain dicts, built once per store
        # version, rather than pandas lookups (which cost ~100x more per cell).
        self._totals = {(row["indicator"], row["period"]): row for row in self.values.to_dict("records")}
        self._comparisons: dict[tuple, Comparison | None] = {}
        self._published_parts: dict[tuple, dict] = {}
        self._breakdowns: dict[tuple, pd.DataFrame] = {}
        self._suppressions: dict[str, Decision] = {}

    @cached_property
    def records(self) -> Records:
        """The council's records: read only for what the kept figures do not answer
        (breakdowns, the drill-down, records behind a figure, data quality)."""
        return load_records(self.engine, self.council)

    def periods(self) -> list[str]:
        """Months with at least one figure, oldest first."""
        return list(self._periods)

    @cached_property
    def _periods(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.values.loc[self.values["value"].notna(), "period"])))

    @cached_property
    def _computed_months(self) -> frozenset[str]:
        return frozenset(self.values["period"])

    def latest_period(self) -> str | None:
        periods = self.periods()
        return periods[-1] if periods else None

    def as_at(self, period: str) -> dict:
        """What a page says the data is "as at": the month's last day, the days the extracts
        covering it are as at (a return covering the year is as at 31 March), and when they
        were loaded (the latest of them)."""
        table = self.extract_table
        covering = table[(table["first_month"] <= period) & (table["last_month"] >= period)
                         & table["dataset"].isin(list(store.RECORD_TABLES))]
        return {"month_end": to_date(Month.parse(period).last),
                "extracts_as_at": sorted(set(covering["as_at"])),
                "loaded_at": covering["loaded_at"].max() if len(covering) else None}

    def target_for(self, indicator: Indicator, period: str) -> Target | None:
        """The target applying in a month: metrics.yaml's, or the council's set over it (`targets`)."""
        return self.targets.target_for(indicator, period)

    def total(self, indicator: str, period: str) -> dict | None:
        return self._totals.get((indicator, period))

    def comparison(self, indicator: Indicator, comparator: str, month: Month, own: float | None) -> Comparison | None:
        # Keyed by what the answer depends on, so a changed copy of an indicator is not
        # answered from its original's entry.
        key = (indicator.id, indicator.benchmarks, indicator.polarity, indicator.unit, comparator, month.period, own)
        if key not in self._comparisons:
            self._comparisons[key] = self._compare(indicator, comparator, month, own)
        return self._comparisons[key]

    def _compare(self, indicator: Indicator, comparator: str, month: Month, own: float | None) -> Comparison | None:
        if comparator not in {c.value for c in indicator.benchmarks}:
            return None
        if comparator == Comparator.STATISTICAL_NEIGHBOURS.value and self.neighbour_values:
            computed = neighbour_average(
                {code: _numerator_denominator(frame, indicator.id, month.period)
                 for code, frame in self.neighbour_values.items()},
                lambda n, d: ratio(indicator.unit, n, d), own, _higher_is_better(indicator))
            if computed is not None:
                return computed
        return self._published_comparison(indicator, comparator, month)

    def _published_comparison(self, indicator: Indicator, comparator: str, month: Month) -> Comparison:
        if comparator == Comparator.STATISTICAL_NEIGHBOURS.value:
            return neighbour_comparison(self.published, indicator.id, month, self.council, self.neighbour_model,
                                        self.neighbour_average)
        if comparator == Comparator.ENGLAND.value:
            return area_comparison(self.published, indicator.id, month, comparator, councils.ENGLAND, "England")
        return area_comparison(self.published, indicator.id, month, comparator, self.details.region_code,
                               self.details.region_name or "Region")

    def standing(self, indicator: Indicator, month: Month, own: float | None) -> Standing | None:
        """The figure's rank and quartile band among every council's published figures."""
        return standing(self.published, indicator.id, month, self.council, own, _higher_is_better(indicator))

    def own_published(self, indicator: Indicator, month: Month) -> Comparison:
        return own_published(self.published, indicator.id, month, self.council)

    def published_series(self, indicator_id: str, public: bool = True) -> pd.DataFrame:
        """The council's, its neighbours' average, its region's and England's published
        figures for every year the store holds, and the council's own figure computed for
        each 31 March: (year, period, council, computed, statistical_neighbours, england, region)."""
        indicator = self.catalogue.by_id[indicator_id]
        rows = []
        for year in self.published.years.get(indicator_id, []):
            month = Month.parse(f"{year}-03")
            own = self.own_published(indicator, month)
            total = self.total(indicator_id, month.period) or {}
            computed = _none_if_nan(total.get("value"))
            if public and self.suppressed_because(indicator, month.period):
                computed = None
            row = {"year": year, "period": f"{year - 1}/{str(year)[-2:]}",
                   "council": own.value if own.state == "published" else None, "computed": computed}
            for name in COMPARATORS:
                compared = self._published_comparison(indicator, name, month)
                row[name] = compared.value if compared.state == "published" else None
            rows.append(row)
        return pd.DataFrame(rows, columns=["year", "period", "council", "computed", *COMPARATORS])

    def _against_published(self, indicator: Indicator, month: Month, value: float | None) -> dict:
        """The figure's rank and band, the council's own published figure and the
        difference, and how the DfE's definition differs: kept, as the comparisons are."""
        key = (indicator.id, indicator.benchmarks, indicator.polarity, month.period, value)
        if key in self._published_parts:
            return self._published_parts[key]
        placed = self.standing(indicator, month, value) if indicator.benchmarks else None
        own = self.own_published(indicator, month) if indicator.benchmarks else Comparison("published", None)
        # The difference says whether the monthly scorecard agrees with what the DfE
        # publishes: only for the March the DfE's year ends on, when both figures exist.
        same_point = month.period[5:] == "03" and own.period == f"{int(month.period[:4]) - 1}/{month.period[2:4]}"
        parts = dict(
            rank=placed.rank if placed else None, rank_of=placed.of if placed else None,
            band=placed.band if placed else None, rank_period=placed.period if placed else None,
            rank_older=placed.older if placed else None,
            published_value=own.value, published_period=own.period, published_state=own.state,
            published_note=own.note,
            definition_note=next((m.note for m in measures.for_indicator(indicator.id) if m.note), "")
            if indicator.benchmarks else "",
            published_difference=value - own.value if same_point and value is not None and own.value is not None
            and own.state == "published" else None)
        self._published_parts[key] = parts
        return parts

    def indicator_row(self, indicator: Indicator, period: str) -> dict:
        """Everything the scorecard shows about one indicator in one month."""
        month = Month.parse(period)
        total = self.total(indicator.id, period) or {}
        value = _none_if_nan(total.get("value"))
        denominator = _none_if_nan(total.get("denominator"))
        comparisons = {c: self.comparison(indicator, c, month, value) for c in COMPARATORS}
        target = self.target_for(indicator, period)
        rating = rate(indicator, value, denominator, target, comparisons["england"],
                      comparisons["statistical_neighbours"], self.catalogue.min_denominator(indicator))
        history_note = total.get("history_note") or ""
        rating = _unless_incomplete(rating, history_note)
        row = {
            "indicator": indicator.id, "label": indicator.label, "unit": indicator.unit.value,
            "polarity": indicator.polarity.value, "period": period,
            "numerator": _none_if_nan(total.get("numerator")), "denominator": denominator, "value": value,
            "rag": rating.rag, "rag_reason": rating.reason,
            "target": target.green if target else None, "target_amber": target.amber if target else None,
        }
        for name, shift in (("last_month", -1), ("last_year", -12)):
            before = self.total(indicator.id, month.shift(shift).period) or {}
            earlier = _none_if_nan(before.get("value"))
            row[name] = earlier
            # A movement between figures either of which lacks history says nothing.
            moved = None if history_note or before.get("history_note") else \
                direction(indicator, value, earlier, self.catalogue.no_change_within(indicator))
            row[f"{name}_direction"] = moved
        for name, comparison in comparisons.items():
            comparison = comparison or Comparison(name, None)
            row.update({f"{name}_{field}": getattr(comparison, field)
                        for field in ("value", "period", "state", "note", "name", "measured", "source")})
            if name == "statistical_neighbours":
                row["statistical_neighbours_rank"] = comparison.rank
                row["statistical_neighbours_rank_of"] = comparison.rank_of
                row["statistical_neighbours_members"] = comparison.members
        row.update(self._against_published(indicator, month, value))
        row["extract_ids"] = tuple(total.get("extract_ids") or ())
        row["note"] = total.get("note") or ("" if total else f"not computed for {period}")
        row["incomplete"] = _none_if_nan(total.get("incomplete"))
        row["history_note"] = history_note
        return row

    def scorecard(self, period: str, framework: str | None = None, theme: str | None = None,
                  public: bool = False) -> pd.DataFrame:
        """One row per indicator for a month, in catalogue order, with its themes."""
        chosen = self.catalogue.framework(framework)
        if public:
            month = Month.parse(period)
            self.suppressions([month.shift(s).period for s in (0, -1, -12)])
        rows = []
        for indicator in self.catalogue.indicators:
            themes = indicator.themes.get(chosen.id, ())
            if theme and theme not in themes:
                continue
            row = self.indicator_row(indicator, period)
            row["themes"] = themes
            rows.append(self._suppress(row, indicator) if public else row)
        return pd.DataFrame(rows)

    def history(self, period: str, months: int = 13, public: bool = False) -> pd.DataFrame:
        """Every indicator's value over the `months` months to `period` (indicator, period,
        value): the scorecard's sparklines. Cheaper than `trend`, which rates every month."""
        last = Month.parse(period)
        wanted = [last.shift(-back).period for back in range(months - 1, -1, -1)]
        rows = []
        if public:
            self.suppressions(wanted)
        for indicator in self.catalogue.indicators:
            for month in wanted:
                total = self._totals.get((indicator.id, month)) or {}
                value = _none_if_nan(total.get("value"))
                if public and self.suppressed_because(indicator, month):
                    value = None
                rows.append({"indicator": indicator.id, "period": month, "value": value})
        return pd.DataFrame(rows, columns=["indicator", "period", "value"])

    def extracts(self, extract_ids) -> pd.DataFrame:
        """The extracts a figure came from: id, dataset, months covered, as-at day, source file, when loaded."""
        wanted = {int(i) for i in extract_ids}
        table = self.extract_table
        return table[table["id"].isin(wanted)].sort_values(["dataset", "first_month", "id"]).reset_index(drop=True)

    def commentary(self, indicator: str | None = None, up_to: str | None = None) -> list[dict]:
        """Officers' footnotes, newest month first; read fresh on every call (they are small,
        and a comment added by another process must show at once)."""
        from scorecard.metrics.commentary import commentary_for
        return commentary_for(self.engine, self.council, indicator=indicator, up_to=up_to)

    def latest_commentary(self, period: str) -> dict[str, dict]:
        """For one month, the newest footnote of each indicator that has one."""
        from scorecard.metrics.commentary import latest_commentary
        return latest_commentary(self.engine, self.council, period)

    def source_datasets(self, indicator_id: str) -> tuple[str, ...]:
        """The datasets an indicator is computed from (its cohort's)."""
        return COHORTS[self.catalogue.by_id[indicator_id].cohort].datasets

    def trend(self, indicator_id: str, period: str, months: int = 24, public: bool = False) -> pd.DataFrame:
        """The indicator over the `months` months to `period`, with target and benchmarks."""
        indicator = self.catalogue.by_id[indicator_id]
        last = Month.parse(period)
        if public:  # each month's and the months its row compares with, decided in one go
            self.suppressions([last.shift(-back).period for back in range(months + 11, -1, -1)])
        rows = [self.indicator_row(indicator, last.shift(-back).period) for back in range(months - 1, -1, -1)]
        table = pd.DataFrame([self._suppress(row, indicator) if public else row for row in rows])
        breaks = {b.period: b.reason for b in indicator.series_breaks}
        table["series_break"] = [breaks.get(p, "") for p in table["period"]]
        return table

    def breakdowns(self, indicator_id: str, periods: list[str] | None = None, public: bool = False) -> pd.DataFrame:
        """Every breakdown the indicator offers, for the given months (default: the latest).
        `public` hides the groups whose counts could identify a child. Kept once computed
        (a few hundred rows each; the whole object is replaced when the store changes)."""
        key = (indicator_id, tuple(periods or ()), public)
        if key not in self._breakdowns:
            if len(self._breakdowns) >= MAX_BREAKDOWNS_KEPT:
                self._breakdowns.pop(next(iter(self._breakdowns)))
            self._breakdowns[key] = self._compute_breakdowns(indicator_id, periods, public)
        return self._breakdowns[key].copy()

    def _compute_breakdowns(self, indicator_id: str, periods: list[str] | None, public: bool) -> pd.DataFrame:
        periods = periods or [self.latest_period()]
        indicator = self.catalogue.by_id[indicator_id]
        earlier = {Month.parse(p).shift(s).period for p in periods for s in (-1, -12)}
        table = compute(self.records, self.catalogue, [indicator_id], breakdowns=True,
                        periods=sorted(set(periods) | earlier))
        table = table[table["breakdown"] != TOTAL]
        values = {(r.period, r.breakdown, r.group): r.value for r in table.itertuples()}
        table = table[table["period"].isin(periods)].reset_index(drop=True)
        # Each group is rated and trended like the whole: against the same target, with
        # the same small-number rule. Benchmarks are published for whole councils only.
        ratings = [_unless_incomplete(rate(indicator, _none_if_nan(r.value), _none_if_nan(r.denominator),
                                           self.target_for(indicator, r.period), None, None,
                                           self.catalogue.min_denominator(indicator)), r.history_note)
                   for r in table.itertuples()]
        table["rag"] = [rating.rag for rating in ratings]
        table["rag_reason"] = [rating.reason for rating in ratings]
        for name, shift in (("last_month", -1), ("last_year", -12)):
            before = [_none_if_nan(values.get((Month.parse(r.period).shift(shift).period, r.breakdown, r.group)))
                      for r in table.itertuples()]
            table[name] = before
            table[f"{name}_direction"] = [
                direction(indicator, _none_if_nan(r.value), b, self.catalogue.no_change_within(indicator))
                for r, b in zip(table.itertuples(), before, strict=True)]
        if public:
            table = self._suppress_groups(table, indicator)
        return table

    @cached_property
    def drilldown(self) -> Drilldown:
        """Each breakdown's groups over time, and two breakdowns crossed (`drilldown.py`)."""
        threshold = self.catalogue.defaults.suppress_below

        def small(indicator: Indicator, numerator, denominator) -> bool:
            from_population = indicator.denominator is not None and indicator.denominator.reference is not None
            return is_small(numerator, threshold) or (not from_population and is_small(denominator, threshold))

        def month_reason(indicator: Indicator, period: str, breakdown: str, group, numerator, denominator):
            # The month's decision, and a small number hidden whatever it says (as `suppressed_because`).
            reason = self.suppressions([period])[period].reason(figure_key(indicator.id, period, breakdown, group))
            return reason or (PRIMARY if small(indicator, numerator, denominator) else None)
        # Under the old rule the drill-down hides small numbers only, as everything else does.
        rule = PublicRule(threshold, suppression_notes(threshold), month_reason, self.suppressions, self.periods) \
            if self.complementary_suppression else None
        return Drilldown(self.records, self.catalogue, small, suppression_notes(threshold)[PRIMARY], rule)

    def _suppress_groups(self, table: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
        """The groups as public outputs show them: each hidden as its month's decision says,
        and last month's and last year's figures hidden where those months hide them."""
        self.suppressions(sorted({Month.parse(p).shift(s).period for p in set(table["period"]) for s in (0, -1, -12)}))
        notes = [self.suppressed_because(indicator, r.period, r.breakdown, r.group, r.numerator, r.denominator)
                 for r in table.itertuples()]
        hidden = [bool(note) for note in notes]
        table = table.astype({c: object for c in ("numerator", "denominator", "value", "rag", "rag_reason", "note")})
        table.loc[hidden, ["numerator", "denominator", "value", "rag", "last_month_direction",
                           "last_year_direction"]] = None
        table.loc[hidden, "note"] = table.loc[hidden, "rag_reason"] = [note for note in notes if note]
        for name, shift in (("last_month", -1), ("last_year", -12)):
            earlier = [bool(self.suppressed_because(indicator, Month.parse(r.period).shift(shift).period,
                                                    r.breakdown, r.group)) for r in table.itertuples()]
            gone = [a or b for a, b in zip(hidden, earlier, strict=True)]
            table = table.astype({name: object, f"{name}_direction": object})
            table.loc[gone, [name, f"{name}_direction"]] = None
        return table

    def suppressions(self, periods) -> dict[str, Decision]:
        """Each month's decision of which figures public outputs hide (see `suppression`):
        made once for the whole month, every indicator and breakdown together, because a
        count hidden in one breakdown must stay hidden in every other and in the totals.
        Months not yet decided are computed in one go."""
        wanted = list(dict.fromkeys(periods))
        missing = [p for p in wanted if p not in self._suppressions]
        if missing and self.complementary_suppression:
            # A month outside the records' months has no counts, so nothing to hide.
            self._suppressions.update({p: Decision() for p in missing if p not in self._computed_months})
            missing = [p for p in missing if p in self._computed_months]
            # Kept with the figures after each load (`figure_sets`); made here only when not.
            decided, _ = figure_sets.decisions(self.engine, self.figure_set.set_id, self.council, self.catalogue,
                                               missing, lambda: self.records)
            self._suppressions.update(decided)
        elif missing:
            # Counts only: a decision reads no lineage, and the counts-only path gives the
            # same counts several times faster (tests/test_suppression_counts.py holds it to that).
            values = compute(self.records, self.catalogue, breakdowns=True, periods=missing, lineage=False)
            for period in missing:
                self._suppressions[period] = decide(values[values["period"] == period], self.catalogue,
                                                    self.complementary_suppression)
        return {p: self._suppressions[p] for p in wanted}

    def suppressed_because(self, indicator: Indicator, period: str, breakdown: str = TOTAL, group=TOTAL,
                           numerator=None, denominator=None) -> str:
        """Why public outputs hide this figure ("suppressed: fewer than 5", or hidden so
        that a small number elsewhere cannot be worked out), or "" when they show it. The
        counts, when given, are checked too: a figure made up by a caller is judged by them."""
        notes = suppression_notes(self.catalogue.defaults.suppress_below)
        reason = self.suppressions([period])[period].reason(figure_key(indicator.id, period, breakdown, group))
        if reason is None and self._small(indicator, _none_if_nan(numerator), _none_if_nan(denominator)):
            reason = PRIMARY
        return notes[reason] if reason else ""

    def _small(self, indicator: Indicator, numerator, denominator) -> bool:
        threshold = self.catalogue.defaults.suppress_below
        from_population = indicator.denominator is not None and indicator.denominator.reference is not None
        return any(is_small(count, threshold) for count in [numerator] + ([] if from_population else [denominator]))

    def _suppress(self, row: dict, indicator: Indicator) -> dict:
        """The row as public outputs show it: this month's figure hidden as the month's
        decision says, and so are last month's and last year's where their months hide
        them (a count of 3 a month ago is as identifying as one today)."""
        note = self.suppressed_because(indicator, row["period"], numerator=row["numerator"],
                                       denominator=row["denominator"])
        if note:
            # The ranks, the band and the difference from the published figure would tell
            # the hidden figure as surely as the figure itself; "too few to rate: fewer than
            # 10" would narrow it down.
            row = dict(row, numerator=None, denominator=None, value=None, rag=None, rag_reason=note,
                       last_month_direction=None, last_year_direction=None, note=note, rank=None, rank_of=None,
                       band=None, published_difference=None, statistical_neighbours_rank=None)
        month = Month.parse(row["period"])
        for name, shift in (("last_month", -1), ("last_year", -12)):
            if self.suppressed_because(indicator, month.shift(shift).period):
                row = dict(row, **{name: None, f"{name}_direction": None})
        return row


def _higher_is_better(indicator: Indicator) -> bool | None:
    return None if indicator.polarity is Polarity.CONTEXT else indicator.polarity is Polarity.HIGHER


def _unless_incomplete(rating: Rating, history_note: str) -> Rating:
    """A figure that needs history the store does not hold is not judged."""
    if history_note and rating.rag in RATED:
        return Rating(NOT_RATED, f"not rated: {history_note}")
    return rating


def _numerator_denominator(values: pd.DataFrame, indicator_id: str, period: str) -> tuple:
    rows = values[(values["indicator"] == indicator_id) & (values["period"] == period)
                  & (values["breakdown"] == TOTAL)]
    if rows.empty:
        return None, None
    return _none_if_nan(rows.iloc[0]["numerator"]), _none_if_nan(rows.iloc[0]["denominator"])


def _none_if_nan(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def report_table(metrics: CouncilMetrics, period: str, framework: str | None = None, breakdowns: bool = False,
                 public: bool = False) -> pd.DataFrame:
    """`scorecard report`'s table: the scorecard for a month (and, if asked, every
    breakdown group as further rows), with each value also as people read it."""
    table = metrics.scorecard(period, framework, public=public)
    table.insert(table.columns.get_loc("value") + 1, "value_shown",
                 [format_value(unit, value) for unit, value in zip(table["unit"], table["value"])])
    table.insert(2, "breakdown", TOTAL)
    table.insert(3, "group", TOTAL)
    if breakdowns:
        parts = [table]
        for indicator in metrics.catalogue.indicators:
            groups = metrics.breakdowns(indicator.id, [period], public=public)
            if groups.empty:
                continue
            groups = groups.assign(label=indicator.label, unit=indicator.unit.value, polarity=indicator.polarity.value)
            groups["value_shown"] = [format_value(indicator.unit, v) for v in groups["value"]]
            parts.append(groups)
        table = pd.concat(parts, ignore_index=True)
    for column in ("numerator", "denominator"):
        table[column] = [int(v) if isinstance(v, float) and v.is_integer() else v for v in table[column]]
    table["extract_ids"] = [";".join(map(str, ids)) for ids in table["extract_ids"]]
    table["themes"] = [";".join(themes) if isinstance(themes, tuple) else "" for themes in table["themes"]]
    return table.astype(object).where(table.notna(), None)
