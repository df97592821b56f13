"""Drill-down: a breakdown's groups over time, and two breakdowns crossed.

- `series`: each group's numerator, denominator and value month by month, or over the
  rolling 12 months to each month: the 12 months' numerators and denominators summed,
  then divided (a ratio of sums, never an average of monthly ratios; a count is the
  12 months' counts summed).
- `crossed`: a two-way table for a month (or the 12 months to it): each cell, the row and
  column margins (the one-way breakdowns, computed as such) and the grand total (the
  figure itself).

Public outputs hide figures with one function per table shape, `hide_series` and
`hide_crossed`, as one decision says: given a `PublicRule`, the month's decision (the
month by month view hides exactly what the month's breakdowns hide) and the drill-down's
own, made with it (`drilldown_disclosure`: two-way cells and rolling 12 months hidden
around it so that nothing it hides can be worked out); without one, small numbers only
(the old rule, kept for the checker's own test).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from statistics import median

import pandas as pd

from scorecard.metrics.calendar import Month
from scorecard.metrics.catalogue import Catalogue, Indicator, Unit
from scorecard.metrics.cohorts import COHORTS, group_order
from scorecard.metrics.compute import TOTAL, compute, ratio
from scorecard.metrics.compute import crossed as crossed_name
from scorecard.metrics.disclosure import PRIMARY, Decision
from scorecard.metrics.drilldown_disclosure import (
    SHOWN,
    WITHHELD,
    WITHHELD_NOTE,
    Figures,
    PublicRule,
    add_crossed,
    gives_away,
    protect_figures,
    roll_up,
)
from scorecard.metrics.records import Records

TREND_MONTHS = 24
ROLLING_MONTHS = 12
# Below this many children or events in a typical month, the drill-down opens on the
# rolling 12 months: one child then moves a percentage by more than 3 points, and split
# into groups most groups fall under the 10 a figure needs to be rated and many under the
# 5 that public outputs show, so month by month the groups read as noise or as gaps.
ROLLING_BELOW = 30
KEPT = 64

Hidden = Callable[[object, object], bool]
Reason = Callable[..., str | None]   # why a figure is hidden (PRIMARY, SECONDARY) or None


@dataclass(frozen=True)
class Figure:
    numerator: float | None
    denominator: float | None
    value: float | None
    note: str = ""          # why there is no value, or that it is hidden


@dataclass(frozen=True)
class Series:
    """Each group's figure in each month (`window` 1) or 12 months to it (`window` 12)."""
    indicator: str
    breakdown: str
    window: int
    periods: tuple[str, ...]
    groups: tuple[str, ...]
    figures: dict[tuple[str, str], Figure]      # (group, period); group TOTAL is the whole figure


@dataclass(frozen=True)
class CrossTable:
    indicator: str
    rows: str
    columns: str
    period: str
    window: int
    row_groups: tuple[str, ...]
    column_groups: tuple[str, ...]
    cells: dict[tuple[str, str], Figure]
    row_margins: dict[str, Figure]
    column_margins: dict[str, Figure]
    total: Figure
    notes: tuple[str, ...] = field(default=())


def rolling_refusal(indicator: Indicator) -> str:
    """Why an indicator has no rolling 12-month view ('' when it has one)."""
    timing = COHORTS[indicator.cohort].timing
    if timing == "month_end":
        return ("it is a snapshot at each month end: summed over 12 months each child would be counted once for "
                "every month they were in it")
    if timing == "rolling_12_months":
        return "each month's figure already covers the 12 months to it"
    if indicator.numerator.count_distinct:
        return ("it counts each child once a month: summed over 12 months a child would be counted once for every "
                "month they were counted in")
    return ""


class Drilldown:
    """One council's drill-down figures, kept once computed (`CouncilMetrics.drilldown`;
    replaced with it when the store changes). `hidden(indicator, numerator, denominator)`
    is the public outputs' small-number rule, `suppressed_note` what a hidden figure says;
    `rule` the month's decision that public figures follow (None: small numbers only)."""

    def __init__(self, records: Records, catalogue: Catalogue, hidden: Callable[[Indicator, object, object], bool],
                 suppressed_note: str, rule: PublicRule | None = None):
        self.records, self.catalogue, self.hidden, self.suppressed_note = records, catalogue, hidden, suppressed_note
        self.rule = rule
        self._monthly: dict[tuple, tuple[pd.DataFrame, dict]] = {}
        self._decisions: dict[tuple, Decision] = {}

    def typical_size(self, indicator: Indicator, period: str) -> float | None:
        """The median monthly denominator (a count's numerator) over the 12 months to `period`."""
        totals, _ = self._figures(indicator, (), _months_to(period, ROLLING_MONTHS))
        sizes = totals["numerator"] if indicator.unit is Unit.COUNT else totals["denominator"]
        sizes = [float(size) for size in sizes if not _blank(size)]
        return median(sizes) if sizes else None

    def opens_rolling(self, indicator: Indicator, period: str) -> tuple[bool, str]:
        """Whether the drill-down opens on the rolling 12 months, and why, in words."""
        if rolling_refusal(indicator):
            return False, ""
        size = self.typical_size(indicator, period)
        if size is None or size >= ROLLING_BELOW:
            return False, ""
        what = "counted" if indicator.unit is Unit.COUNT else "in the denominator"
        # The typical size is a count too: below the public threshold it is not written.
        written = f"{size:,.0f}" if not self.hidden(indicator, size, None) else "a few"
        return True, (f"Shown as rolling 12 months because a typical month has only {written} {what} (fewer than "
                      f"{ROLLING_BELOW}): split into groups, month by month most groups would be too few to rate or "
                      "hidden as small numbers.")

    def series(self, indicator_id: str, breakdown: str, period: str, months: int = TREND_MONTHS,
               rolling: bool = False, public: bool = False) -> Series:
        indicator = self.catalogue.by_id[indicator_id]
        window = ROLLING_MONTHS if rolling else 1
        shown = _months_to(period, months)
        monthly, rows = self._figures(indicator, (breakdown,), _months_to(period, months + window - 1))
        groups = _groups(monthly, breakdown)
        figures = {}
        for group in (TOTAL, *groups):
            for month in shown:
                figures[(group, month)] = _summed(indicator, rows, TOTAL if group == TOTAL else breakdown, group,
                                                  _months_to(month, window))
        table = Series(indicator_id, breakdown, window, tuple(shown), groups, figures)
        return self._public_series(indicator, table) if public else table

    def crossed(self, indicator_id: str, rows: str, columns: str, period: str, rolling: bool = False,
                public: bool = False) -> CrossTable:
        indicator = self.catalogue.by_id[indicator_id]
        window = ROLLING_MONTHS if rolling else 1
        months = _months_to(period, window)
        monthly, found = self._figures(indicator, ((rows, columns), (rows,), (columns,)), months)
        name = crossed_name(rows, columns)
        row_groups, column_groups = _groups(monthly, rows), _groups(monthly, columns)
        cells = {(r, c): _summed(indicator, found, name, (r, c), months) for r in row_groups for c in column_groups}
        notes = []
        if indicator.numerator.count_distinct:
            notes.append("Each child is counted once in every cell, margin and total they appear in, so the cells "
                         "of a row can add up to more than its margin.")
        table = CrossTable(indicator_id, rows, columns, period, window, row_groups, column_groups, cells,
                           {g: _summed(indicator, found, rows, g, months) for g in row_groups},
                           {g: _summed(indicator, found, columns, g, months) for g in column_groups},
                           _summed(indicator, found, TOTAL, TOTAL, months), tuple(notes))
        return self._public_crossed(indicator, table) if public else table

    def _hidden(self, indicator: Indicator) -> Hidden:
        return lambda numerator, denominator: self.hidden(indicator, numerator, denominator)

    def _small(self, indicator: Indicator, figure: Figure) -> str | None:
        return PRIMARY if self.hidden(indicator, figure.numerator, figure.denominator) else None

    def _public_series(self, indicator: Indicator, table: Series) -> Series:
        if self.rule is None:
            return hide_series(table, lambda key, figure: self._small(indicator, figure),
                               {PRIMARY: self.suppressed_note})
        line = (lambda group: TOTAL if group == TOTAL else table.breakdown)
        if table.window == 1:  # each month as its decision says: every output the same
            self.rule.decide_months(list(table.periods))
            return hide_series(table, lambda key, f: self.rule.month_reason(
                indicator, key[1], line(key[0]), key[0], f.numerator, f.denominator), self.rule.notes)
        decision = self.rolling_decision(indicator)
        return hide_series(table, lambda key, f: decision.reason((table.window, line(key[0]), key[0], key[1]))
                           or self._small(indicator, f), self.rule.notes)

    def _public_crossed(self, indicator: Indicator, table: CrossTable) -> CrossTable:
        if self.rule is None:
            return hide_crossed(table, lambda part, key, figure: self._small(indicator, figure),
                                {PRIMARY: self.suppressed_note})
        # Decided the same way round whichever breakdown is the rows: one table, one decision.
        first, second = sorted((table.rows, table.columns))
        decision = self.crossed_decision(indicator, first, second, table.period, table.window > 1)
        name, flip = crossed_name(first, second), first != table.rows
        where = {"cell": lambda key: (name, key[::-1] if flip else key), "row": lambda key: (table.rows, key),
                 "column": lambda key: (table.columns, key), "total": lambda key: (TOTAL, TOTAL)}

        def reason(part, key, figure):
            breakdown, group = where[part](key)
            return decision.reason((table.window, breakdown, group, table.period)) or self._small(indicator, figure)
        return hide_crossed(table, reason, {**self.rule.notes, WITHHELD: WITHHELD_NOTE})

    def _month_fixed(self, indicator: Indicator):
        def fixed(key, figure) -> str:
            _, breakdown, group, month = key
            return self.rule.month_reason(indicator, month, breakdown, group, figure.numerator,
                                          figure.denominator) or SHOWN
        return fixed

    def rolling_decision(self, indicator: Indicator) -> Decision:
        """Which of the indicator's rolling 12-month figures public outputs hide, every
        breakdown's and the whole's over every month the council has (`roll_up`)."""
        key = ("rolling", indicator.id)
        if key not in self._decisions:
            periods = list(self.rule.periods())
            self.rule.decide_months(periods)
            monthly, rows = self._figures(indicator, tuple((b,) for b in indicator.breakdowns), periods)
            summed, month_fixed = self._summer(indicator, rows), self._month_fixed(indicator)
            lines = [(TOTAL, TOTAL), *((b, g) for b in indicator.breakdowns for g in _groups(monthly, b))]
            self._decisions[key] = roll_up(
                lambda k: month_fixed(k, summed(k[1], k[2], [k[3]])) != SHOWN, lines, _windows(periods), summed,
                lambda figure: self._small(indicator, figure) is not None)
        return self._decisions[key]

    def crossed_decision(self, indicator: Indicator, first: str, second: str, period: str,
                         rolling: bool) -> Decision:
        """Which figures of the two-way table of `first` by `second` public outputs hide: for
        a month, its margins and total as the month's decision says and cells protected
        around them; over 12 months, the rolling decision's margins and each cell hidden
        when its months' tables hide it (`roll_up`)."""
        key = ("crossed", indicator.id, first, second, period, rolling)
        if key not in self._decisions:
            months = _months_to(period, ROLLING_MONTHS if rolling else 1)
            monthly, found = self._figures(indicator, ((first, second), (first,), (second,)), months)
            groups = (_groups(monthly, first), _groups(monthly, second))
            summed = self._summer(indicator, found)
            if rolling:
                each = {m: self.crossed_decision(indicator, first, second, m, False) for m in months}
                name = crossed_name(first, second)
                cells = roll_up(lambda k: each[k[3]].reason(k) is not None,
                                [(name, (r, c)) for r in groups[0] for c in groups[1]], {period: months}, summed,
                                lambda figure: self._small(indicator, figure) is not None)
                margins = self.rolling_decision(indicator)
                figures = Figures()
                add_crossed(figures, first, second, groups, period, months, summed,
                            lambda k, f: margins.reason(k) or SHOWN, lambda k, f: cells.reason(k) or SHOWN)
                decision = protect_figures(figures, self.rule.threshold, _counted_denominator(indicator))
                withheld = any(WITHHELD in d.hidden.values() for d in each.values())
            else:
                figures = Figures()
                add_crossed(figures, first, second, groups, period, months, summed, self._month_fixed(indicator))
                decision = protect_figures(figures, self.rule.threshold, _counted_denominator(indicator))
                withheld = False
            if withheld or gives_away(figures, decision, self.rule.threshold, _counted_denominator(indicator)):
                name = crossed_name(first, second)
                decision.hidden.update({k: WITHHELD for k in figures.figures if k[1] == name})
            self._decisions[key] = decision
        return self._decisions[key]

    def _summer(self, indicator: Indicator, rows: dict):
        return lambda breakdown, group, months: _summed(indicator, rows, breakdown, group, months)

    def _figures(self, indicator: Indicator, specs: tuple, months: list[str]) -> tuple[pd.DataFrame, dict]:
        """The monthly figures for these breakdowns, and the same indexed by (breakdown, group, period)."""
        key = (indicator.id, specs, tuple(months))
        if key not in self._monthly:
            if len(self._monthly) >= KEPT:
                self._monthly.pop(next(iter(self._monthly)))
            wanted = [spec[0] if len(spec) == 1 else spec for spec in specs]
            monthly = compute(self.records, self.catalogue, [indicator.id], breakdowns=wanted, periods=months)
            self._monthly[key] = (monthly, _indexed(monthly))
        return self._monthly[key]


def _groups(monthly: pd.DataFrame, breakdown: str) -> tuple:
    """A breakdown's groups in any of the months, in the order compute sorts them."""
    rows = monthly[monthly["breakdown"] == breakdown]
    return tuple(sorted(dict.fromkeys(rows["group"]), key=lambda g: group_order(breakdown, g)))


def _months_to(period: str, count: int) -> list[str]:
    last = Month.parse(period)
    return [last.shift(-back).period for back in range(count - 1, -1, -1)]


def _indexed(monthly: pd.DataFrame) -> dict[tuple, dict]:
    """The computed rows by (breakdown, group, period)."""
    return {(row["breakdown"], row["group"], row["period"]): row for row in monthly.to_dict("records")}


def _summed(indicator: Indicator, rows: dict[tuple, dict], breakdown: str, group, months: list[str]) -> Figure:
    """A group's figure over `months`: numerators and denominators summed, then divided.

    A month whose whole figure is missing (no extract covers it) leaves the sum without a
    value, saying which month; a month the group has no rows in adds zero."""
    numerator, denominator, caveats = 0.0, 0.0, []
    for month in months:
        whole = rows.get((TOTAL, TOTAL, month))
        if whole is None or _blank(whole["numerator"]):
            why = "" if whole is None else whole["note"]
            return Figure(None, None, None, f"no figure for {month}" + (f": {why}" if why else ""))
        # A figure the store lacks some children's history for is shown as the whole is,
        # with the caveat (the scorecard shows it and withholds the rating).
        if whole["history_note"] and whole["history_note"] not in caveats:
            caveats.append(whole["history_note"])
        row = rows.get((breakdown, group, month))
        if row is not None:
            numerator += float(row["numerator"])
            denominator += 0.0 if _blank(row["denominator"]) else float(row["denominator"])
    has_denominator = indicator.unit is not Unit.COUNT
    if has_denominator and not denominator:
        caveats.insert(0, "none in the denominator")
    return Figure(numerator, denominator if has_denominator else None,
                  ratio(indicator.unit, numerator, denominator if has_denominator else None), "; ".join(caveats))


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _windows(periods: list[str]) -> dict[str, list[str]]:
    """The 12 months to each month, for the months whose 12 months the council has."""
    known = set(periods)
    windows = {p: _months_to(p, ROLLING_MONTHS) for p in periods}
    return {p: months for p, months in windows.items() if known.issuperset(months)}


def _counted_denominator(indicator: Indicator) -> bool:
    """Whether the denominator is a count of children (not a population from the ONS)."""
    return indicator.unit is not Unit.COUNT and (indicator.denominator is None
                                                 or indicator.denominator.reference is None)


def _hide(figure: Figure, reason: str | None, notes: dict[str, str]) -> Figure:
    if reason:
        return replace(figure, numerator=None, denominator=None, value=None, note=notes[reason])
    return figure


def hide_series(table: Series, reason: Reason, notes: dict[str, str]) -> Series:
    """The one-way breakdown over time as public outputs show it: each figure (each
    group's and the whole's, keyed (group, period)) hidden where `reason(key, figure)`
    says why, its note saying so."""
    return replace(table, figures={key: _hide(f, reason(key, f), notes) for key, f in table.figures.items()})


def hide_crossed(table: CrossTable, reason: Reason, notes: dict[str, str]) -> CrossTable:
    """The two-way table as public outputs show it: each cell, margin and the total hidden
    where `reason(part, key, figure)` says why (part: cell, row, column or total)."""
    return replace(table, cells={key: _hide(f, reason("cell", key, f), notes) for key, f in table.cells.items()},
                   row_margins={key: _hide(f, reason("row", key, f), notes) for key, f in table.row_margins.items()},
                   column_margins={key: _hide(f, reason("column", key, f), notes)
                                   for key, f in table.column_margins.items()},
                   total=_hide(table.total, reason("total", None, table.total), notes))
