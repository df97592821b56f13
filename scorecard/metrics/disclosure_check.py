"""The suppression checker: reads a council's public outputs as a reader would, and works
out every hidden count it can.

It sees only what is shown: every month's `report --public` rows (the scorecard and every
breakdown group, with last month's and last year's figures), the indicator pages' trends,
the scorecard's sparklines and the computed 31 March figures beside the published ones.
From them it works out, one equation at a time, whatever follows (a group from the total
minus the other groups, a total from its groups, a numerator from the value times the
denominator, a denominator from the numerator divided by the value), then tests the
hidden counts that are left by elimination (several relations together), and last narrows
them down by what each hidden figure's note says of it (a small number is 1 to 4; a
figure hidden beside one is not small). Each hidden count it works out is a leak, and so
is a figure hidden in one output whose value another shows. The population behind a rate per 10,000 is public (ONS),
so the reader is given it.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from scorecard.metrics.calendar import Month
from scorecard.metrics.catalogue import Catalogue, Unit
from scorecard.metrics.disclosure import (
    PRIMARY,
    SECONDARY,
    Ratio,
    Relation,
    determined,
    narrowed,
    reader_ranges,
    recover,
)
from scorecard.metrics.suppression import TOTAL, count_keys, figure_key


@dataclass(frozen=True)
class Leak:
    indicator: str
    period: str
    breakdown: str
    group: str
    count: str  # numerator or denominator
    value: float
    how: str
    window: int = 1  # 12: the rolling 12 months to `period`

    def text(self) -> str:
        where = "" if self.breakdown == TOTAL else f", {self.breakdown} {self.group}"
        when = f"12 months to {self.period}" if self.window > 1 else self.period
        return f"{self.indicator} {when}{where}: hidden {self.count} {self.value:g} is {self.how}"


def _count_keys(indicator, period: str, breakdown: str, group, window: int = 1) -> tuple:
    """A figure's counts; a rolling 12 months' are other counts than its month's."""
    keys = count_keys(indicator, period, breakdown, group)
    return keys if window == 1 else tuple(None if k is None else ("12 months to", k) for k in keys)


SCALE = {Unit.PERCENT: 1.0, Unit.DAYS: 1.0, Unit.RATE_PER_10000: 10_000.0}


def find_leaks(rows: Iterable[Mapping], catalogue: Catalogue,
               populations: Mapping[tuple[str, str], float] | None = None) -> list[Leak]:
    """Every hidden count that the shown `rows` give away. A row is one figure as an output
    shows it: indicator, period, breakdown and group (total when absent), numerator,
    denominator, value (None where hidden), note, and optionally the last_month and
    last_year values it shows beside it; a drill-down figure also its `window` (12: the
    rolling 12 months to the period, the sum of its months) and, in a two-way table, the
    two breakdowns `crossed` (its group a pair; each row and column adds up to its
    margin, the one-way group)."""
    populations = populations or {}
    shown: dict[Hashable, float] = {}
    ratios: list[Ratio] = []
    hidden_in: dict[Hashable, set[tuple]] = defaultdict(set)
    groups: dict[tuple, dict] = defaultdict(dict)
    totals: set[tuple] = set()

    values_shown: dict[tuple, float] = {}
    hidden_cells: dict[tuple, tuple] = {}  # each hidden figure's counts, numerator first
    names: dict[Hashable, tuple] = {}  # each count's first figure: to say how a leak was found
    reasons: dict[tuple, str] = {}  # and what its note says of them
    threshold = catalogue.defaults.suppress_below
    hidden_figures: set[tuple] = set()
    crossed_of: dict[str, tuple[str, str]] = {}
    rolling: set[tuple] = set()

    def value_shown(indicator, period, breakdown, group, value, window=1):
        if value is None:
            return
        values_shown[(*figure_key(indicator.id, period, breakdown, group), window)] = value
        numerator, denominator = _count_keys(indicator, period, breakdown, group, window)
        if indicator.unit is Unit.COUNT:
            ratios.append(Ratio(numerator, None, value, 1.0, fixed=1.0))
        elif denominator is None:  # a rate of the population
            population = populations.get((indicator.id, period))
            if population:
                ratios.append(Ratio(numerator, None, value, SCALE[indicator.unit], fixed=population))
        else:
            ratios.append(Ratio(numerator, denominator, value, SCALE[indicator.unit]))

    for row in rows:
        indicator = catalogue.by_id[row["indicator"]]
        period, breakdown = row["period"], row.get("breakdown") or TOTAL
        group = row.get("group") if breakdown != TOTAL else TOTAL
        window = row.get("window", 1)
        if row.get("crossed"):
            crossed_of[breakdown] = tuple(row["crossed"])
        numerator, denominator = _count_keys(indicator, period, breakdown, group, window)
        for role, key in (("numerator", numerator), ("denominator", denominator)):
            if key is None or role not in row:
                continue
            names.setdefault(key, (indicator.id, breakdown, group))
            if _present(row[role]):
                shown[key] = float(row[role])
            elif str(row.get("note") or "").startswith("suppressed"):
                hidden_in[key].add((indicator.id, period, breakdown, group, role, window))
                figure = (*figure_key(indicator.id, period, breakdown, group), window)
                hidden_figures.add(figure)
                hidden_cells[figure] = tuple(k for k in (numerator, denominator) if k is not None)
                reasons[figure] = SECONDARY if str(row["note"]).startswith("suppressed so that") else PRIMARY
        value_shown(indicator, period, breakdown, group, _number(row.get("value")), window)
        for name, shift in (("last_month", -1), ("last_year", -12)):
            if name in row:
                earlier = Month.parse(period).shift(shift).period
                value_shown(indicator, earlier, breakdown, group, _number(row[name]))
        if "numerator" in row:
            if breakdown == TOTAL:
                totals.add((indicator.id, period, window))
            else:
                groups[(indicator.id, period, breakdown, window)][figure_key(indicator.id, period, breakdown,
                                                                              group)] = group
            if window > 1:
                rolling.add((indicator.id, period, breakdown, figure_key(indicator.id, period, breakdown, group)[3],
                             window))
    relations = []

    def adding_up(indicator, total, parts):
        for position, total_key in enumerate(total):
            if total_key is not None:
                relations.append(Relation(total_key, tuple(p[position] for p in parts)))
    for (indicator_id, period, breakdown, window), members in groups.items():
        indicator = catalogue.by_id[indicator_id]
        if breakdown in crossed_of:
            # A child counted once in each cell can be in two of a row's: then they do not add up.
            if indicator.numerator.count_distinct:
                continue
            for side, margin in enumerate(crossed_of[breakdown]):
                for value in dict.fromkeys(g[side] for g in members.values()):
                    adding_up(indicator, _count_keys(indicator, period, margin, value, window),
                              [_count_keys(indicator, period, breakdown, g, window) for g in members.values()
                               if g[side] == value])
        elif (indicator_id, period, window) in totals:
            adding_up(indicator, _count_keys(indicator, period, TOTAL, TOTAL, window),
                      [_count_keys(indicator, period, breakdown, g, window) for g in members.values()])
    for indicator_id, period, breakdown, group, window in rolling:  # the 12 months' sum
        indicator = catalogue.by_id[indicator_id]
        months = [Month.parse(period).shift(-back).period for back in range(window)]
        adding_up(indicator, _count_keys(indicator, period, breakdown, group, window),
                  [_count_keys(indicator, month, breakdown, group) for month in months])
    relations = list(dict.fromkeys(relations))
    secret = {key for key in hidden_in if key not in shown}
    found = recover(shown, relations, ratios, secret)
    leaks = [(key, recovery.value, _how(recovery.how, [names[k] for k in recovery.using if k in names]))
             for key, recovery in found.items() if key in secret]
    pinned = determined(secret - set(found), relations, set(shown) | set(found))
    leaks += [(key, None, "pinned down by several relations taken together") for key in pinned]
    left = secret - set(found) - pinned
    narrowed_down = narrowed({**shown, **{k: r.value for k, r in found.items()}}, relations,
                             reader_ranges(hidden_cells, reasons, threshold), threshold)
    leaks += [(key, recovery.value, recovery.how) for key, recovery in narrowed_down.items() if key in left]
    found_leaks = [Leak(*figure[:5], value=value if value is not None else float("nan"), how=how,
                        window=figure[5]) for key, value, how in leaks for figure in hidden_in[key]]
    # A figure hidden in one output and shown in another (as last month's, on a trend).
    found_leaks += [Leak(*figure[:4], count="value", value=values_shown[figure], how="shown in another output",
                         window=figure[4]) for figure in hidden_figures & set(values_shown)]
    return sorted(found_leaks,
                  key=lambda leak: (leak.period, leak.indicator, leak.breakdown, str(leak.group), leak.count))


def _how(how: str, using: list[tuple]) -> str:
    """The way in, with the figures it used: ("area In area", "the total", "rhi_completed total")."""
    first = using[0][0] if using else None
    named = sorted({(f"{indicator} " if indicator != first else "")
                    + ("the total" if breakdown == TOTAL else f"{breakdown} {group}")
                    for indicator, breakdown, group in using})
    return f"{how} ({', '.join(named)})" if named else how


def _present(value) -> bool:
    return _number(value) is not None


def _number(value) -> float | None:
    if value is None or isinstance(value, str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number  # NaN: nothing shown


def public_rows(metrics, periods: list[str] | None = None) -> list[dict]:
    """Every figure the council's public outputs show, month by month, as rows for `find_leaks`."""
    from scorecard.metrics.report import report_table

    periods = periods or metrics.periods()
    if not periods:
        return []
    latest = periods[-1]
    # `report --public` for the latest month as the command prints it; every month's
    # scorecard and breakdowns through the same methods it calls (a breakdown asked for
    # many months at once is computed once: much faster than month by month).
    rows: list[dict] = report_table(metrics, latest, breakdowns=True, public=True).to_dict("records")
    for period in periods:
        rows.extend(metrics.scorecard(period, public=True).to_dict("records"))
    span = len(metrics.periods())
    for indicator in metrics.catalogue.indicators:
        if indicator.breakdowns:
            rows.extend(metrics.breakdowns(indicator.id, periods, public=True).to_dict("records"))
        rows.extend(metrics.trend(indicator.id, latest, span, public=True)[
            ["indicator", "period", "value", "last_month", "last_year"]].to_dict("records"))
        for row in metrics.published_series(indicator.id, public=True).to_dict("records"):
            rows.append({"indicator": indicator.id, "period": f"{row['year']}-03", "value": row["computed"]})
    rows.extend(metrics.history(latest, span, public=True).to_dict("records"))
    return rows


def drilldown_rows(metrics, period: str) -> list[dict]:
    """What the indicator pages' drill-downs show for `period`, as rows for `find_leaks`:
    every breakdown of every indicator month by month and over rolling 12 months (24
    months each), and the first two breakdowns crossed, for the month and the 12 months."""
    from scorecard.metrics.drilldown import TREND_MONTHS, rolling_refusal

    rows: list[dict] = []
    drilldown = metrics.drilldown
    for indicator in metrics.catalogue.indicators:
        rolling = [False] if rolling_refusal(indicator) else [False, True]
        for breakdown in indicator.breakdowns:
            for window in rolling:
                rows += series_rows(drilldown.series(indicator.id, breakdown, period, TREND_MONTHS, rolling=window,
                                                     public=True))
        if len(indicator.breakdowns) >= 2:
            for window in rolling:
                rows += crossed_rows(drilldown.crossed(indicator.id, *indicator.breakdowns[:2], period,
                                                       rolling=window, public=True))
    return rows


def _row(indicator: str, period: str, breakdown: str, group, figure, window: int, **extra) -> dict:
    return {"indicator": indicator, "period": period, "breakdown": breakdown, "group": group,
            "numerator": figure.numerator, "denominator": figure.denominator, "value": figure.value,
            "note": figure.note, "window": window, **extra}


def series_rows(series) -> list[dict]:
    """A drill-down series as a reader sees it: each group's figure, and the whole's, each month."""
    return [_row(series.indicator, period, TOTAL if group == TOTAL else series.breakdown, group, figure,
                 series.window) for (group, period), figure in series.figures.items()]


def crossed_rows(table) -> list[dict]:
    """A two-way table as a reader sees it: cells (named the same way round whichever
    breakdown is the rows, as the same counts), margins and total."""
    from scorecard.metrics.compute import crossed

    first, second = sorted((table.rows, table.columns))
    flip = first != table.rows
    name = crossed(first, second)
    rows = [_row(table.indicator, table.period, name, pair[::-1] if flip else pair, figure, table.window,
                 crossed=(first, second)) for pair, figure in table.cells.items()]
    for breakdown, margins in ((table.rows, table.row_margins), (table.columns, table.column_margins)):
        rows += [_row(table.indicator, table.period, breakdown, g, f, table.window) for g, f in margins.items()]
    return rows + [_row(table.indicator, table.period, TOTAL, TOTAL, table.total, table.window)]


def populations(metrics) -> dict[tuple[str, str], float]:
    """The population behind each rate per 10,000: public (the ONS's), so a reader has it."""
    by_population = {i.id for i in metrics.catalogue.indicators
                     if i.denominator is not None and i.denominator.reference is not None}
    values = metrics.values
    chosen = values[values["indicator"].isin(by_population) & (values["breakdown"] == TOTAL)
                    & values["denominator"].notna()]
    return {(r.indicator, r.period): float(r.denominator) for r in chosen.itertuples()}


def check_disclosure(metrics, periods: list[str] | None = None, drilldown: bool = True) -> list[Leak]:
    """Every hidden count of the council's public outputs that a reader can work out: the
    scorecard, reports and trends of `periods`, and (unless `drilldown` is False) the
    indicator pages' drill-downs for the last of them, read together."""
    periods = periods or metrics.periods()
    rows = public_rows(metrics, periods)
    if drilldown and periods:
        rows += drilldown_rows(metrics, periods[-1])
    return find_leaks(rows, metrics.catalogue, populations(metrics))

